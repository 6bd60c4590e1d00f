"""Self-contained HTML report on how goals are set (``jixiao corpus report -o DIR``).

Writes ``DIR/report.html`` (figures embedded as base64 PNG, no external files) and every table as
``DIR/<name>.csv`` (UTF-8 with BOM so that spreadsheet programs show the Chinese text).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from jixiao.fsutil import atomic_write_bytes, atomic_write_text
from jixiao.model import Form

SECTIONS = (
    ("goal_copies", "goal_copy", "年度目标是否照抄总体目标",
     "Share of forms whose annual goal (年度目标) is a copy of the overall goal (总体目标): character-bigram Jaccard "
     "similarity ≥ 0.9 counts as copied. Only forms that print both goals are counted."),
    ("value_kinds", "value_kinds_province", "定量与定性指标",
     "Target values by kind. 'Vague' values are qualitative values made only of words such as 提升, 明显改善, 进一步完善 "
     "(vocabulary: data/review_vocab.toml [vague_value]); they cannot be checked at evaluation time."),
    ("category_coverage", "category_coverage", "被忽视的指标类别",
     "Complete forms (whole indicator table known, standard or self-evaluation template) that have no indicator of a "
     "category. 成本 counts a level-1 成本指标 or a level-2 cost category (pre-2021 templates put 成本 under 产出)."),
    ("boilerplate", "boilerplate", "套话指标 (多份表单完全相同的指标)",
     "Indicators whose normalised name and target value are identical in two or more distinct forms."),
    ("percent_targets", "percent_targets", "百分比目标值的聚集",
     "How percentage targets cluster: exactly 100%, the round values 95/90/85/80%, other multiples of 5, anything else."),
    ("percent_ops", None, "百分比目标的比较符", "Operators printed with percentage targets (none = a bare value such as 100%)."),
    ("by_province", "by_province", "按省份比较", "Differences by province (first token of the region)."),
    ("by_year", "by_year", "按预算年度比较", "Differences by budget year."),
    ("by_sector", "by_sector", "按领域比较", "Differences by sector (guessed from project-name keywords, data/sectors.toml)."),
)

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.5}
h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin:.8em 0}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left}
th{background:#f3f3f3}td.num{text-align:right}img{max-width:100%;height:auto;display:block;margin:.8em 0}
.note{color:#555;font-size:.9em}.kpi td:first-child{font-weight:bold}
"""


def _table_html(df) -> str:
    return df.to_html(index=False, border=0, na_rep="", float_format=lambda v: f"{v:.4g}", escape=True)


def build_report(forms: Sequence[Form] | None = None, paths: Sequence[str | Path] | None = None):
    """``(html_text, tables, figures_png)`` without writing anything."""
    from jixiao.research import plots, stats
    from jixiao.research.frames import load_frames

    fdf, idf = load_frames(forms=forms, paths=paths)
    if fdf.empty:
        from jixiao.errors import InputError

        where = ", ".join(map(str, paths)) if paths else "corpus"
        raise InputError(where, "no forms found to report on")
    tables = stats.all_tables(fdf, idf)
    figs = plots.all_figures(fdf, idf)
    pngs = {k: plots.to_png(f) for k, f in figs.items()}
    ov = stats.overview(fdf, idf)
    what = "corpora/forms.jsonl" if forms is None and paths is None else (", ".join(map(str, paths)) if paths else f"{len(fdf)} forms")
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        "<title>jixiao corpus report — 绩效目标设定情况</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>绩效目标设定情况 — jixiao corpus report</h1>",
        f"<p class='note'>Data: {html.escape(what)}. Generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by "
        "<code>jixiao corpus report</code>. Figures describe this collection of public forms only; the corpus is small "
        "and uneven across provinces, so differences between groups of a few forms are anecdotes, not findings.</p>",
        "<h2>概览 Overview</h2>",
        "<table class='kpi'>" + "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(_fmt(v))}</td></tr>" for k, v in ov.items()) + "</table>",
    ]
    for table, fig, title, note in SECTIONS:
        parts.append(f"<h2>{html.escape(title)}</h2><p class='note'>{html.escape(note)}</p>")
        if fig:
            b64 = base64.b64encode(pngs[fig]).decode("ascii")
            parts.append(f"<img alt='{html.escape(title)}' src='data:image/png;base64,{b64}'>")
        parts.append(_table_html(tables[table]))
        parts.append(f"<p class='note'>CSV: {table}.csv</p>")
    parts.append("</body></html>")
    return "\n".join(parts), tables, pngs


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.1%}" if 0 <= v <= 1 else f"{v:g}"
    return str(v)


def write_report(out_dir: str | Path, forms: Sequence[Form] | None = None, paths: Sequence[str | Path] | None = None) -> Path:
    """Write ``report.html`` and the CSV tables into ``out_dir``; returns the HTML path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    text, tables, _ = build_report(forms=forms, paths=paths)
    ov_df = tables["overview"].copy()
    ov_df["value"] = ov_df["value"].map(lambda v: "" if v is None else v)
    tables["overview"] = ov_df
    for name, df in tables.items():
        atomic_write_bytes(out / f"{name}.csv", df.to_csv(index=False).encode("utf-8-sig"))
    path = out / "report.html"
    atomic_write_text(path, text)
    return path


__all__ = ["build_report", "write_report"]
