"""Excel report: the reviewer's working sheet (openpyxl, imported only when this format is used).

Sheets:

- ``Review`` (default ``layout="single"``) or one sheet per form (``layout="per-form"``): one row per
  goal (总体目标, 年度目标) and per indicator (plus a ``整表`` row when a finding concerns the whole
  form), with the parsed value, the findings beside it, the suggestions, and a blank ``审核意见`` column
  for the reviewer. Rows are filled by their worst severity (error red, warning amber, info blue).
- ``Summary``: forms ranked by score (lowest first) with the score-card dimensions.
- ``Errors``: the files that could not be read.
"""

from __future__ import annotations

import re
from copy import copy
from typing import Any

from jixiao.review.findings import Finding, FormReview
from jixiao.review.report._common import (
    SEVERITY_ZH,
    TARGET_ZH,
    dimension_names,
    error_dict,
    findings_by_target,
    open_binary,
    ranked,
    severity_counts,
    source_of,
    worst,
)

FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}  # red, amber, blue (Excel's own palette)
HEADER_FILL = "D9D9D9"
MAX_CELL = 32767  # Excel's limit on characters in a cell

# (header, width, wrap)
REVIEW_COLUMNS = [
    ("表单ID", 14, False),
    ("项目名称", 24, True),
    ("行号", 6, False),
    ("类型", 9, False),
    ("一级指标", 11, False),
    ("二级指标", 13, False),
    ("三级指标 / 目标内容", 36, True),
    ("指标值", 14, True),
    ("运算符", 7, False),
    ("数值", 10, False),
    ("单位", 8, False),
    ("最严重", 8, False),
    ("问题代码", 12, True),
    ("问题说明", 48, True),
    ("修改建议", 40, True),
    ("审核意见", 30, True),
]
COL = {name: i for i, (name, _, _) in enumerate(REVIEW_COLUMNS)}

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
        if len(value) > MAX_CELL:
            value = value[: MAX_CELL - 1] + "…"
    return value


def _set(ws, row: int, col: int, value: Any):
    """Write a cell; strings are always stored as text (``=100(%)`` must not become a formula)."""
    cell = ws.cell(row=row, column=col, value=None)
    value = _clean(value)
    if value is None or value == "":
        return cell
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _finding_lines(findings: list[Finding]) -> tuple[str, str, str]:
    codes, messages, suggestions = [], [], []
    for f in findings:
        tag = " (已接受)" if f.accepted else ""
        codes.append(f"{f.rule} {f.name}")
        messages.append(f"[{SEVERITY_ZH.get(f.severity, f.severity)}] {f.rule}: {f.message}{tag}")
        if f.suggestion:
            suggestions.append(f"{f.rule}: {f.suggestion}")
    return "\n".join(codes), "\n".join(messages), "\n".join(suggestions)


def _review_rows(review: FormReview) -> list[tuple[list[Any], str | None]]:
    """Rows of one form for the working sheet: (cells, worst severity)."""
    form = review.form
    by_target = findings_by_target(review)
    rows: list[tuple[list[Any], str | None]] = []

    def row(line, kind, l1, l2, text, value, findings):
        codes, messages, suggestions = _finding_lines(findings)
        cells = [form.id, form.project_name, line, TARGET_ZH.get(kind, kind), l1, l2, text]
        if value is not None:
            number = value.number
            cells += [value.raw, value.op, number if number is not None else None, value.unit]
        else:
            cells += [None, None, None, None]
        sev = worst(findings)
        cells += [SEVERITY_ZH.get(sev) if sev else None, codes, messages, suggestions, None]
        rows.append((cells, sev))

    form_findings = by_target.get(("form", None), [])
    # findings with a kind this writer does not know still appear, on the form row
    known = {"form", "overall_goal", "annual_goal", "indicator"}
    for (kind, _), fs in by_target.items():
        if kind not in known:
            form_findings = form_findings + fs
    n = len(form.indicators)
    stray = [f for (kind, idx), fs in by_target.items() if kind == "indicator" for f in fs
             if idx is None or not 0 <= idx < n]
    form_findings = form_findings + stray
    if form_findings:
        row(None, "form", None, None, form.project_name, None, form_findings)
    row(None, "overall_goal", None, None, form.overall_goal, None, by_target.get(("overall_goal", None), []))
    row(None, "annual_goal", None, None, form.annual_goal, None, by_target.get(("annual_goal", None), []))
    for i, ind in enumerate(form.indicators):
        row(
            i + 1,
            "indicator",
            ind.level1 or ind.level1_raw,
            ind.level2 or ind.level2_raw,
            ind.name,
            ind.value,
            by_target.get(("indicator", i), []),
        )
    return rows


def _header(ws, headers: list[tuple[str, int, bool]], styles) -> None:
    from openpyxl.utils import get_column_letter

    for c, (name, width, _) in enumerate(headers, 1):
        cell = ws.cell(row=1, column=c, value=name)
        cell.font = styles["bold"]
        cell.fill = styles["header"]
        cell.alignment = styles["center"]
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"


def _finish(ws, ncols: int) -> None:
    from openpyxl.utils import get_column_letter

    last = max(ws.max_row, 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(ncols)}{last}"


def _styles():
    from openpyxl.styles import Alignment, Font, PatternFill

    return {
        "bold": Font(bold=True),
        "link": Font(color="0563C1", underline="single"),
        "header": PatternFill("solid", fgColor=HEADER_FILL),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "wrap": Alignment(vertical="top", wrap_text=True),
        "top": Alignment(vertical="top"),
        "fills": {sev: PatternFill("solid", fgColor=rgb) for sev, rgb in FILLS.items()},
    }


def _write_review_sheet(ws, reviews: list[FormReview], styles) -> None:
    _header(ws, REVIEW_COLUMNS, styles)
    wrap_cols = {i + 1 for i, (_, _, wrap) in enumerate(REVIEW_COLUMNS) if wrap}
    # Setting cell.alignment/cell.fill hashes style objects on every call (most of the time on big
    # batches); the first cell of each (wrap, severity) combination is styled normally and the
    # others copy its style array.
    cache: dict[tuple[bool, str | None], Any] = {}
    r = 2
    for review in reviews:
        for cells, sev in _review_rows(review):
            for c, value in enumerate(cells, 1):
                cell = _set(ws, r, c, value)
                key = (c in wrap_cols, sev)
                style = cache.get(key)
                if style is None:
                    cell.alignment = styles["wrap"] if key[0] else styles["top"]
                    if sev in styles["fills"]:
                        cell.fill = styles["fills"][sev]
                    cache[key] = copy(cell._style)
                else:
                    cell._style = copy(style)
            r += 1
    _finish(ws, len(REVIEW_COLUMNS))


def _sheet_title(wb, wanted: str) -> str:
    base = _SHEET_BAD.sub("_", wanted).strip("'") or "form"
    base = base[:31]
    existing = {ws.title for ws in wb.worksheets}
    title, k = base, 2
    while title in existing or title in ("Summary", "Errors"):
        suffix = f"~{k}"
        title = base[: 31 - len(suffix)] + suffix
        k += 1
    return title


def _write_summary(ws, reviews: list[FormReview], styles, sheet_of: dict[int, str] | None = None) -> None:
    dims = dimension_names(reviews)
    headers = [("排名", 6, False), ("表单ID", 14, False), ("项目名称", 36, True), ("来源", 30, True),
               ("得分", 8, False), ("等级", 6, False)]
    headers += [(d, max(8, 2 * len(d) + 2), False) for d in dims]
    headers += [("错误", 7, False), ("警告", 7, False), ("提示", 7, False), ("指标数", 8, False)]
    _header(ws, headers, styles)
    for rank, review in enumerate(ranked(reviews), 1):
        counts = severity_counts(review.findings)
        cells = [rank, review.form.id, review.form.project_name, source_of(review), review.score.total,
                 review.score.grade]
        cells += [review.score.dimensions.get(d) for d in dims]
        cells += [counts["error"], counts["warning"], counts["info"], len(review.form.indicators)]
        sev = worst(review.findings)
        for c, value in enumerate(cells, 1):
            cell = _set(ws, rank + 1, c, value)
            cell.alignment = styles["wrap"] if headers[c - 1][2] else styles["top"]
        if sev:
            ws.cell(row=rank + 1, column=5).fill = styles["fills"][sev]
        if sheet_of and id(review) in sheet_of:  # per-form layout: the id links to the form's sheet
            from openpyxl.worksheet.hyperlink import Hyperlink

            link = ws.cell(row=rank + 1, column=2)
            link.hyperlink = Hyperlink(ref=link.coordinate, location="'" + sheet_of[id(review)].replace("'", "''") + "'!A1")
            link.font = styles["link"]
    _finish(ws, len(headers))


def _write_errors(ws, errors: list[dict], styles) -> None:
    headers = [("文件", 60, True), ("原因", 80, True)]
    _header(ws, headers, styles)
    for r, e in enumerate(errors, 2):
        _set(ws, r, 1, e.get("path")).alignment = styles["wrap"]
        _set(ws, r, 2, e.get("message")).alignment = styles["wrap"]
    _finish(ws, len(headers))


def build_workbook(reviews: list[FormReview], errors: list[dict], *, layout: str = "single"):
    """The openpyxl ``Workbook`` of the report (``layout``: ``"single"`` or ``"per-form"``)."""
    from openpyxl import Workbook

    if layout not in ("single", "per-form"):
        raise ValueError(f"unknown xlsx layout {layout!r}: use 'single' or 'per-form'")
    styles = _styles()
    errs = [error_dict(e) for e in errors]
    wb = Workbook()
    sheet_of: dict[int, str] = {}
    first = wb.active
    if layout == "single":
        first.title = "Review"
        _write_review_sheet(first, reviews, styles)
    else:
        wb.remove(first)
        for review in reviews:
            ws = wb.create_sheet(_sheet_title(wb, review.form.id or review.form.project_name))
            sheet_of[id(review)] = ws.title
            _write_review_sheet(ws, [review], styles)
    _write_summary(wb.create_sheet("Summary"), reviews, styles, sheet_of)
    _write_errors(wb.create_sheet("Errors"), errs, styles)
    wb.active = 0
    return wb


def write(reviews: list[FormReview], errors: list[dict], out: Any, *, layout: str = "single", **opts: Any) -> None:
    """Write the workbook to a path (atomically) or a binary stream."""
    wb = build_workbook(reviews, errors, layout=layout)
    with open_binary(out) as f:
        wb.save(f)
