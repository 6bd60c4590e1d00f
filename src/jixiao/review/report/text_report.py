"""Terminal report (rich): per-form score card and findings, then a batch summary ranking the forms."""

from __future__ import annotations

import re
from typing import Any

from jixiao.review.findings import SEVERITIES, FormReview
from jixiao.review.report._common import (
    SEVERITY_ZH,
    dimension_names,
    error_dict,
    fmt_score,
    is_path,
    open_text,
    ranked,
    severity_counts,
    sort_key,
    source_of,
    summary,
    target_label,
)

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
GRADE_STYLE = {"优": "bold green", "良": "green", "中": "yellow", "差": "bold red"}


def _console(f: Any, *, color: bool | None, width: int | None):
    from rich.console import Console

    kwargs: dict[str, Any] = {"file": f, "highlight": False, "emoji": False}
    if color is False:
        kwargs.update(no_color=True, force_terminal=False)
    elif color is True:
        kwargs.update(force_terminal=True)
    if width:
        kwargs["width"] = width
    return Console(**kwargs)


def _form_section(console, review: FormReview) -> None:
    """One form: a rule with id and name, then all its lines printed at once (one render per form
    keeps big batches fast; the lines are wrapped here, so rich does not re-wrap them)."""
    from rich.rule import Rule
    from rich.text import Text

    form = review.form
    title = Text()
    title.append(f"{form.id}  ", style="bold")
    title.append(form.project_name or "(无项目名称)", style="bold")
    console.print(Rule(title, align="left"))
    lines: list[Text] = []
    src = source_of(review)
    if src:
        lines += _wrapped(console, src, indent=0, prefix="来源: ", style="dim")

    head = Text("得分 ")
    head.append(fmt_score(review.score.total), style="bold")
    if review.score.grade:
        head.append(" (")
        head.append(review.score.grade, style=GRADE_STYLE.get(review.score.grade, ""))
        head.append(")")
    head.append(f"   指标 {len(form.indicators)} 项")
    counts = severity_counts(review.findings)
    head.append("   ")
    head.append_text(_counts_text(counts))
    lines.append(head)
    if review.score.dimensions:
        dims = Text("  ")
        for i, (name, value) in enumerate(review.score.dimensions.items()):
            if i:
                dims.append("  ·  ", style="dim")
            dims.append(f"{name} ")
            dims.append(fmt_score(value), style="bold")
        lines.append(dims)

    if not review.findings:
        lines.append(Text("  未发现问题", style="green"))
    findings = sorted(review.findings, key=sort_key)
    for sev in SEVERITIES:
        group = [f for f in findings if f.severity == sev]
        if not group:
            continue
        lines.append(Text(f"  {SEVERITY_ZH[sev]} {sev} ({len(group)})", style=SEVERITY_STYLE[sev]))
        for f in group:
            line = Text("    ")
            line.append(f.rule, style=SEVERITY_STYLE[sev])
            line.append(f" {f.name}", style="dim")
            line.append(f"  {target_label(review, f.target)}")
            if f.accepted:
                line.append("  (已接受)", style="dim")
            lines.append(line)
            lines += _wrapped(console, f.message, indent=6)
            if f.suggestion:
                lines += _wrapped(console, f.suggestion, indent=6, prefix="→ ", style="green")
    lines.append(Text(""))
    console.print(Text("\n").join(lines), no_wrap=True, overflow="ellipsis")


_NO_LINE_START = frozenset("，。；：、！？）］】〕」』》〉”’…,.;:!?)]")
_TOKENS = re.compile(r"[A-Za-z0-9_.,%/+:()-]+|\s+|.", re.S)


def wrap_cells(text: str, width: int) -> list[str]:
    """Wrap mixed Chinese/ASCII text to ``width`` terminal cells: Chinese may break between any two
    characters, ASCII words stay whole (unless longer than a line)."""
    from rich.cells import cell_len

    width = max(width, 8)
    lines: list[str] = []
    for para in str(text).splitlines() or [""]:
        cur, cur_len = "", 0
        for tok in _TOKENS.findall(para):
            n = cell_len(tok)
            if cur_len + n > width and cur:
                carry = ""
                if tok in _NO_LINE_START:  # keep closing punctuation off the line start (禁则):
                    k = len(cur)          # carry the last character (and any punctuation after it)
                    while k > 1 and cur[k - 1] in _NO_LINE_START:
                        k -= 1
                    k -= 1
                    if k > 0 and not cur[k].isspace() and cell_len(cur[k:]) + n <= width:
                        cur, carry = cur[:k], cur[k:]
                lines.append(cur.rstrip())
                cur, cur_len = carry, cell_len(carry)
                if tok.isspace():
                    continue
            while n > width:  # a single token longer than the line: fold it
                head, k = "", 0
                for ch in tok:
                    if k + cell_len(ch) > width:
                        break
                    head, k = head + ch, k + cell_len(ch)
                lines.append(head)
                tok = tok[len(head):]
                n = cell_len(tok)
            cur, cur_len = cur + tok, cur_len + n
        lines.append(cur.rstrip())
    return lines


def _wrapped(console, text: str, *, indent: int, prefix: str = "", style: str = "") -> list:
    from rich.cells import cell_len
    from rich.text import Text

    pad = " " * indent
    hang = " " * cell_len(prefix)
    width = console.width - indent - cell_len(prefix) - 1
    return [Text(pad + (prefix if i == 0 else hang) + line, style=style)
            for i, line in enumerate(wrap_cells(text, width))]


def _counts_text(counts: dict[str, int]):
    from rich.text import Text

    t = Text()
    for i, sev in enumerate(SEVERITIES):
        if i:
            t.append(" ")
        t.append(f"{SEVERITY_ZH[sev]} {counts.get(sev, 0)}", style=SEVERITY_STYLE[sev] if counts.get(sev) else "dim")
    return t


def _summary_table(console, reviews: list[FormReview], errors: list[dict]) -> None:
    from rich.table import Table
    from rich.text import Text

    dims = dimension_names(reviews)
    if console.width < 60 + 8 * len(dims):  # too narrow for the dimension columns
        dims = []
    from rich import box

    table = Table(title="批量汇总 (按得分从低到高)", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True)
    table.add_column("#", justify="right", no_wrap=True, min_width=len(str(len(reviews))))
    id_w = min(26, max((len(r.form.id) for r in reviews), default=4))
    fixed = 4 + (id_w + 2) + 6 + 6 + 6 * len(SEVERITIES) + 9 * len(dims) + 4
    table.add_column("表单", no_wrap=True, min_width=id_w, max_width=id_w, overflow="ellipsis")
    table.add_column("项目名称", no_wrap=True, overflow="ellipsis",
                     max_width=max(8, min(30, console.width - fixed)))
    table.add_column("得分", justify="right", no_wrap=True, min_width=4)
    table.add_column("等级", no_wrap=True, min_width=4)
    for d in dims:
        table.add_column(d, justify="right", no_wrap=True)
    for sev in SEVERITIES:
        table.add_column(SEVERITY_ZH[sev], justify="right", style=SEVERITY_STYLE[sev], no_wrap=True, min_width=4)
    for rank, r in enumerate(ranked(reviews), 1):
        counts = severity_counts(r.findings)
        table.add_row(
            str(rank),
            Text(r.form.id),
            Text(r.form.project_name or ""),
            fmt_score(r.score.total),
            Text(r.score.grade or "", style=GRADE_STYLE.get(r.score.grade or "", "")),
            *[fmt_score(r.score.dimensions.get(d)) for d in dims],
            *[str(counts[s]) for s in SEVERITIES],
        )
    console.print(table)
    s = summary(reviews, errors)
    line = Text(f"表单 {s['forms']} 份, 指标 {s['indicators']} 项, 问题 {s['findings']} 条 (")
    line.append_text(_counts_text(s["by_severity"]))
    line.append(")")
    if s["score"]["mean"] is not None:
        line.append(f", 平均分 {fmt_score(s['score']['mean'])}")
    if s["accepted"]:
        line.append(f", 已接受 {s['accepted']} 条")
    console.print(line)


def _errors_section(console, errors: list[dict]) -> None:
    from rich.text import Text

    console.print(Text(f"无法读取的文件 ({len(errors)})", style="bold red"))
    for e in errors:
        console.print(Text(f"  {e.get('path') or '?'}: {e.get('message', '')}"))


def write(
    reviews: list[FormReview],
    errors: list[dict],
    out: Any,
    *,
    color: bool | None = None,
    width: int | None = None,
    summary_table: bool | None = None,
    **opts: Any,
) -> None:
    """Write the terminal report.

    ``color``: None = auto (colour only on a terminal), False = plain text, True = always ANSI.
    Files are written without colour unless ``color=True``. ``summary_table`` defaults to "when more
    than one form".
    """
    errs = [error_dict(e) for e in errors]
    if is_path(out) and color is None:
        color = False
    if is_path(out) and width is None:
        width = 120
    with open_text(out) as f:
        console = _console(f, color=color, width=width)
        for r in reviews:
            _form_section(console, r)
        if summary_table if summary_table is not None else len(reviews) > 1:
            _summary_table(console, reviews, errs)
        if errs:
            if reviews:
                console.print()
            _errors_section(console, errs)
        if not reviews and not errs:
            console.print("没有可审核的表单")
