"""Report writers for ``jixiao review``: one module per output format.

Every writer has the same signature::

    write(reviews: list[FormReview], errors: list[dict], out: path | stream, **opts) -> None

``errors`` holds ``{"path", "message"}`` dicts for inputs that could not be read. When ``out`` is a
path the report is written atomically (:func:`jixiao.fsutil.atomic_open`): an interrupted run leaves
the target untouched. The formats are described in ``docs/reports.md``.

Writers are imported on demand so that ``import jixiao.review.report`` stays cheap (openpyxl is only
loaded by the xlsx writer).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

FORMATS: dict[str, str] = {
    "text": "jixiao.review.report.text_report",
    "json": "jixiao.review.report.json_report",
    "xlsx": "jixiao.review.report.xlsx_report",
    "html": "jixiao.review.report.html_report",
    "sarif": "jixiao.review.report.sarif_report",
}
BINARY_FORMATS = frozenset({"xlsx"})


def get_writer(fmt: str) -> Callable[..., None]:
    """The ``write`` function of format ``fmt`` (one of :data:`FORMATS`)."""
    try:
        module = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    return importlib.import_module(module).write


def write_report(fmt: str, reviews: list, errors: list[dict], out: Any, **opts: Any) -> None:
    get_writer(fmt)(reviews, errors, out, **opts)


__all__ = ["BINARY_FORMATS", "FORMATS", "get_writer", "write_report"]
