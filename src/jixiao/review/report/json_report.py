"""JSON report: ``{"forms": [FormReview.to_dict()...], "errors": [{"path", "message"}], "summary": {...}}``."""

from __future__ import annotations

import json
from typing import Any

from jixiao.review.findings import FormReview
from jixiao.review.report._common import error_dict, open_text, summary


def to_dict(reviews: list[FormReview], errors: list[dict]) -> dict[str, Any]:
    errs = [error_dict(e) for e in errors]
    return {
        "forms": [r.to_dict() for r in reviews],
        "errors": errs,
        "summary": summary(reviews, errs),
    }


def write(reviews: list[FormReview], errors: list[dict], out: Any, *, indent: int | None = 2, **opts: Any) -> None:
    """Write the JSON report (UTF-8, ``ensure_ascii=False``) to a path (atomically) or a text stream."""
    doc = to_dict(reviews, errors)
    with open_text(out) as f:
        json.dump(doc, f, ensure_ascii=False, indent=indent, default=str)
        f.write("\n")
