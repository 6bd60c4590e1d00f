"""HTML report: one self-contained file (inline CSS, no external assets; a few lines of optional inline JS
filter the forms). Every piece of form content is escaped with :func:`html.escape`."""

from __future__ import annotations

import html
from typing import Any

from jixiao.review.findings import SEVERITIES, FormReview
from jixiao.review.report._common import (
    SEVERITY_ZH,
    TARGET_ZH,
    dimension_names,
    error_dict,
    findings_by_target,
    fmt_score,
    open_text,
    ranked,
    severity_counts,
    sort_key,
    source_of,
    summary,
    target_label,
    worst,
)

CSS = """
:root{--err:#fde2e4;--err-b:#c0392b;--warn:#fff3cd;--warn-b:#b7791f;--info:#e3f0fb;--info-b:#2b6cb0}
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:1200px;
padding:1rem 1.5rem;color:#222;line-height:1.5}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin:0 0 .3rem}h3{font-size:1rem;margin:1rem 0 .3rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right;white-space:nowrap}
tr.sev-error td,p.sev-error{background:var(--err)}tr.sev-warning td,p.sev-warning{background:var(--warn)}
tr.sev-info td,p.sev-info{background:var(--info)}
.badge{display:inline-block;padding:0 .4rem;border-radius:.3rem;font-size:.8rem;color:#fff;white-space:nowrap}
.badge.error{background:var(--err-b)}.badge.warning{background:var(--warn-b)}.badge.info{background:var(--info-b)}
section.form{border:1px solid #bbb;border-radius:.4rem;padding:.8rem 1rem;margin:1.2rem 0}
.card{display:flex;flex-wrap:wrap;gap:.5rem;margin:.4rem 0}
.card div{border:1px solid #ccc;border-radius:.3rem;padding:.2rem .6rem;background:#fafafa}
.card .total{font-size:1.3rem;font-weight:bold}
.muted{color:#666;font-size:.85rem}.accepted{color:#888;text-decoration:line-through}
.goal{padding:.3rem .5rem;border-left:3px solid #ccc;margin:.2rem 0;white-space:pre-wrap}
#filter{margin:.5rem 0;padding:.3rem;width:20rem}
@media print{#filter,.nav{display:none}section.form{break-inside:avoid-page}}
"""

# optional: the page is complete without it
JS = """
var box=document.getElementById('filter');box.hidden=false;
box.addEventListener('input',function(e){
var q=e.target.value.trim().toLowerCase();
document.querySelectorAll('[data-search]').forEach(function(el){
el.style.display=(!q||el.getAttribute('data-search').toLowerCase().indexOf(q)>=0)?'':'none';});});
"""


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _badge(sev: str) -> str:
    return f'<span class="badge {esc(sev)}">{esc(SEVERITY_ZH.get(sev, sev))}</span>'


def _sev_class(sev: str | None) -> str:
    return f' class="sev-{esc(sev)}"' if sev else ""


def _summary_table(reviews: list[FormReview], order: dict[int, int]) -> list[str]:
    dims = dimension_names(reviews)
    out = ['<table id="summary"><thead><tr><th>#</th><th>表单</th><th>项目名称</th><th>得分</th><th>等级</th>']
    out += [f"<th>{esc(d)}</th>" for d in dims]
    out += [f"<th>{esc(SEVERITY_ZH[s])}</th>" for s in SEVERITIES]
    out.append("</tr></thead><tbody>")
    for rank, r in enumerate(ranked(reviews), 1):
        counts = severity_counts(r.findings)
        anchor = f"form-{order[id(r)]}"
        search = esc(f"{r.form.id} {r.form.project_name}")
        out.append(f'<tr{_sev_class(worst(r.findings))} data-search="{search}"><td class="num">{rank}</td>'
                   f'<td><a href="#{anchor}">{esc(r.form.id)}</a></td><td>{esc(r.form.project_name)}</td>'
                   f'<td class="num">{esc(fmt_score(r.score.total))}</td><td>{esc(r.score.grade)}</td>')
        out += [f'<td class="num">{esc(fmt_score(r.score.dimensions.get(d)))}</td>' for d in dims]
        out += [f'<td class="num">{counts[s]}</td>' for s in SEVERITIES]
        out.append("</tr>")
    out.append("</tbody></table>")
    return out


def _form_section(r: FormReview, k: int) -> list[str]:
    form = r.form
    search = esc(f"{form.id} {form.project_name}")
    out = [f'<section class="form" id="form-{k}" data-search="{search}">',
           f"<h2>{esc(form.id)} · {esc(form.project_name or '(无项目名称)')}</h2>"]
    meta = [x for x in (source_of(r), form.department, form.year) if x]
    if meta:
        out.append(f'<div class="muted">{" · ".join(esc(x) for x in meta)}</div>')
    out.append('<div class="card">')
    grade = f" ({esc(r.score.grade)})" if r.score.grade else ""
    out.append(f'<div class="total">得分 {esc(fmt_score(r.score.total))}{grade}</div>')
    for name, value in r.score.dimensions.items():
        out.append(f"<div>{esc(name)} <b>{esc(fmt_score(value))}</b></div>")
    counts = severity_counts(r.findings)
    out.append("<div>" + " ".join(f"{_badge(s)} {counts[s]}" for s in SEVERITIES) + "</div>")
    out.append("</div>")

    # findings table
    out.append("<h3>审核发现</h3>")
    if r.findings:
        out.append("<table><thead><tr><th>级别</th><th>规则</th><th>对象</th><th>问题</th><th>建议</th></tr></thead><tbody>")
        for f in sorted(r.findings, key=sort_key):
            cls = ' class="accepted"' if f.accepted else ""
            note = " (已接受)" if f.accepted else ""
            out.append(f"<tr{_sev_class(None if f.accepted else f.severity)}><td>{_badge(f.severity)}</td>"
                       f"<td>{esc(f.rule)}<br><span class=\"muted\">{esc(f.name)}</span></td>"
                       f"<td>{esc(target_label(r, f.target))}</td><td{cls}>{esc(f.message)}{esc(note)}</td>"
                       f"<td>{esc(f.suggestion)}</td></tr>")
        out.append("</tbody></table>")
    else:
        out.append('<p class="muted">未发现问题</p>')

    # goals and indicator table
    by_target = findings_by_target(r)
    out.append("<h3>绩效目标</h3>")
    for kind, text in (("overall_goal", form.overall_goal), ("annual_goal", form.annual_goal)):
        fs = by_target.get((kind, None), [])
        codes = " ".join(esc(f.rule) for f in fs)
        sev = worst(fs)
        cls = f"goal sev-{esc(sev)}" if sev else "goal"
        tag = f' <span class="muted">{codes}</span>' if codes else ""
        out.append(f'<p class="{cls}"><b>{TARGET_ZH[kind]}</b>{tag}<br>{esc(text or "(空)")}</p>')
    out.append(f"<h3>绩效指标 ({len(form.indicators)})</h3>")
    out.append("<table><thead><tr><th>#</th><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th>"
               "<th>问题</th></tr></thead><tbody>")
    for i, ind in enumerate(form.indicators):
        fs = by_target.get(("indicator", i), [])
        issues = "<br>".join(f"{esc(f.rule)} {esc(f.message)}" for f in fs)
        out.append(f"<tr{_sev_class(worst(fs))}><td class=\"num\">{i + 1}</td>"
                   f"<td>{esc(ind.level1 or ind.level1_raw)}</td><td>{esc(ind.level2 or ind.level2_raw)}</td>"
                   f"<td>{esc(ind.name)}</td><td>{esc(ind.value.raw)}</td><td>{issues}</td></tr>")
    out.append("</tbody></table></section>")
    return out


def iter_html(reviews: list[FormReview], errors: list[dict], *, title: str = "绩效目标审核报告"):
    """The HTML document in chunks (one per form section), so big batches are written as they render."""
    errs = [error_dict(e) for e in errors]
    s = summary(reviews, errs)
    order = {id(r): k for k, r in enumerate(reviews, 1)}
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           '<meta name="generator" content="jixiao">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{esc(title)}</title><style>{CSS}</style></head><body>",
           f"<h1>{esc(title)}</h1>"]
    bys = s["by_severity"]
    mean = f", 平均分 {esc(fmt_score(s['score']['mean']))}" if s["score"]["mean"] is not None else ""
    out.append(f"<p>表单 {s['forms']} 份, 指标 {s['indicators']} 项, 问题 {s['findings']} 条 ("
               + ", ".join(f"{_badge(k)} {bys[k]}" for k in SEVERITIES) + f"){mean}"
               + (f", 无法读取的文件 {len(errs)} 个" if errs else "") + "</p>")
    if reviews:
        out.append('<input id="filter" type="search" placeholder="按表单ID或项目名称筛选" hidden>')
        out.append("<h2>汇总 (按得分从低到高)</h2>")
        out += _summary_table(reviews, order)
    if errs:
        out.append('<h2>无法读取的文件</h2><table id="errors"><thead><tr><th>文件</th><th>原因</th></tr></thead><tbody>')
        out += [f"<tr><td>{esc(e['path'])}</td><td>{esc(e['message'])}</td></tr>" for e in errs]
        out.append("</tbody></table>")
    yield "\n".join(out) + "\n"
    for r in reviews:
        yield "\n".join(_form_section(r, order[id(r)])) + "\n"
    tail = ['<p class="muted">jixiao 生成。审核发现为建议，最终意见以审核人为准。</p>']
    if reviews:
        tail.append(f"<script>{JS}</script>")
    tail.append("</body></html>")
    yield "\n".join(tail) + "\n"


def render(reviews: list[FormReview], errors: list[dict], *, title: str = "绩效目标审核报告") -> str:
    """The whole HTML document as a string."""
    return "".join(iter_html(reviews, errors, title=title))


def write(reviews: list[FormReview], errors: list[dict], out: Any, *, title: str = "绩效目标审核报告",
          **opts: Any) -> None:
    with open_text(out) as f:
        for chunk in iter_html(reviews, errors, title=title):
            f.write(chunk)
