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


def _dumps(obj: Any, indent: int | None, level: int) -> str:
    text = json.dumps(obj, ensure_ascii=False, indent=indent, default=str)
    if indent:
        text = text.replace("\n", "\n" + " " * (indent * level))
    return text


def write(reviews: list[FormReview], errors: list[dict], out: Any, *, indent: int | None = 2, **opts: Any) -> None:
    """Write the JSON report (UTF-8, ``ensure_ascii=False``) to a path (atomically) or a text stream.

    The forms are serialised one at a time, so a batch of thousands never exists twice in memory
    (as objects and as one big dict). ``indent=None`` writes one form per line.
    """
    errs = [error_dict(e) for e in errors]
    nl = "\n" + " " * (indent or 0)
    nl2 = "\n" + " " * (2 * (indent or 0))
    with open_text(out) as f:
        f.write("{" + nl + '"forms": ' + "[")
        for i, r in enumerate(reviews):
            f.write(("," if i else "") + nl2 + _dumps(r.to_dict(), indent, 2))
        f.write((nl if reviews else "") + "]," + nl + '"errors": ' + _dumps(errs, indent, 1))
        f.write("," + nl + '"summary": ' + _dumps(summary(reviews, errs), indent, 1) + "\n}\n")
