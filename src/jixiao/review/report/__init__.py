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


def is_report(path: Any) -> bool:
    """Whether the file at ``path`` looks like something ``jixiao review`` wrote (a report of any format
    or a baseline). Used to tell last run's report apart from an input form before overwriting it."""
    import zipfile
    from pathlib import Path

    p = Path(path)
    try:
        with open(p, "rb") as f:
            head = f.read(4096)
            size = f.seek(0, 2)
            f.seek(max(0, size - 4096))
            tail = f.read()
    except OSError:
        return False
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(p) as z:
                wb = z.read("xl/workbook.xml")
        except (OSError, KeyError, zipfile.BadZipFile):
            return False
        return b'name="Summary"' in wb and b'name="Errors"' in wb
    h = head.decode("utf-8", "replace")
    t = tail.decode("utf-8", "replace")
    return (
        '<meta name="generator" content="jixiao">' in h  # html
        or ('"version": "2.1.0"' in h and '"name": "jixiao"' in h)  # sarif
        or (h.lstrip().startswith("{") and '"forms"' in h and '"summary"' in t and '"unreadable"' in t)  # json
        or ('"fingerprints"' in h and '"version"' in h)  # baseline
        or ("\n得分 " in h and "─" in h)  # text
        or h.startswith(("没有可审核的表单", "无法读取的文件"))
    )


__all__ = ["BINARY_FORMATS", "FORMATS", "get_writer", "is_report", "write_report"]
