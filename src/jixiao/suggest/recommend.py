"""Indicator-set recommendation for a new project: ``suggest_set(project_name, goal)``.

The most similar past forms are found by embedding the project name and/or goal text and comparing
them with the corpus forms' project names and goals (retrieval index kinds ``project`` and
``goal``). Their indicators are pooled, organised by level-1/level-2 category, near-duplicates
(cosine at or above the embedder's ``duplicate`` threshold, or the same name) are merged, and each
entry carries a suggested value and the form it came from. A weak indicator (vague value, 完成率
=100% …) is not passed on as such: it is replaced by its best measurable rewrite
(:func:`jixiao.suggest.rewrite.suggest_rewrites_batch`), or dropped when there is none.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from jixiao.model import Indicator
from jixiao.taxonomy import LEVEL1, LEVEL2, parent_of
from jixiao.values import parse_value

#: weights of the similarity signals between a query and a past form (renormalised over the signals
#: available: a form without a goal, a query without a project name …)
SIGNAL_WEIGHTS = {
    "project": 0.40,       # query project name ↔ form project name
    "project_goal": 0.10,  # query project name ↔ form goal
    "project_ind": 0.20,   # query project name ↔ the form's 3 closest indicator names
    "goal": 0.30,          # query goal ↔ form goal
    "goal_project": 0.10,  # query goal ↔ form project name
    "goal_ind": 0.20,      # query goal ↔ the form's 3 closest indicator names
}
#: indicator rows examined for the indicator evidence
MAX_EVIDENCE_ROWS = 5000
UNCATEGORISED = "未分类"
#: items kept per level-2 category in a recommended set
PER_CATEGORY = 6


@dataclass
class SetItem:
    name: str
    value: str
    level1: str
    level2: str
    source: dict[str, Any] | None
    similarity: float  # similarity of the source form to the query
    support: int = 1  # how many of the similar forms carry this indicator (after merging)
    basis: str = "corpus"  # "corpus": as printed in the source; "rewrite": measurable rewrite of a weak one
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "value": self.value, "level1": self.level1, "level2": self.level2,
            "source": self.source, "similarity": round(float(self.similarity), 4), "support": self.support,
            "basis": self.basis, "note": self.note,
        }


@dataclass
class IndicatorSet:
    input: dict[str, Any]
    forms: list[dict[str, Any]]
    indicators: dict[str, dict[str, list[SetItem]]] = field(default_factory=dict)
    dropped: int = 0  # weak indicators with no measurable rewrite, and budget-execution items

    def items(self) -> list[SetItem]:
        return [it for l2 in self.indicators.values() for items in l2.values() for it in items]

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "forms": self.forms,
            "indicators": {
                l1: {l2: [it.to_dict() for it in items] for l2, items in l2s.items()}
                for l1, l2s in self.indicators.items()
            },
            "dropped_weak": self.dropped,
        }

    def as_text(self) -> str:
        lines = ["相似的历史表单："]
        for f in self.forms:
            lines.append(f"  {f['similarity']:.3f}  {f['form']}《{f['project_name']}》 {f.get('source_url') or f.get('file') or ''}")
        for l1, l2s in self.indicators.items():
            lines.append(l1)
            for l2, items in l2s.items():
                lines.append(f"  {l2}")
                for it in items:
                    src = it.source.get("form") if it.source else "模板"
                    extra = f"（{it.note}）" if it.note else ""
                    lines.append(f"    {it.name} {it.value}  ← {src}{extra}")
        return "\n".join(lines)


def _form_row(meta: dict[str, Any], sim: float) -> dict[str, Any]:
    return {
        "form": meta["form"], "project_name": meta.get("project_name"), "source_url": meta.get("source_url"),
        "file": meta.get("source_path"), "region": meta.get("region"), "year": meta.get("year"),
        "similarity": round(float(sim), 4),
    }


def similar_forms(project_name: str | None = None, goal: str | None = None, k_forms: int = 5, index=None,
                  exclude_forms=None) -> list[dict[str, Any]]:
    """The ``k_forms`` corpus forms most similar to a project name and/or goal text.

    Signals (cosines), combined with the weights of :data:`SIGNAL_WEIGHTS` renormalised over the
    signals a form has: project name ↔ project name; goal ↔ goal; project name ↔ goal; and
    *indicator evidence*: the mean of the 3 best cosines between the query texts and the form's
    indicator names (a goal that lists 堤防/灌区/饮水 finds the form whose indicators are about them
    even when the project names differ).
    """
    from jixiao.nlp.embed import get_embedder

    from jixiao.suggest.index import load_index

    if not (project_name or goal):
        raise ValueError("give a project name or a goal text")
    index = index or load_index()
    emb = get_embedder()
    queries = {k: t for k, t in (("project", project_name), ("goal", goal)) if t}
    qv = dict(zip(queries, np.asarray(emb.encode(list(queries.values())), dtype=np.float32)))

    def per_form(kind: str, vec) -> dict[str, float]:
        if index.size(kind) == 0:
            return {}
        hits = index.search(vec, k=index.size(kind), kind=kind, exclude_forms=exclude_forms)[0]
        out: dict[str, float] = {}
        for r, s in hits:
            out.setdefault(index.meta[kind][r]["form"], s)  # hits are sorted: first = best
        return out

    def evidence(vec) -> dict[str, float]:
        n = min(index.size("indicator"), MAX_EVIDENCE_ROWS)
        hits = index.search(vec, k=n, kind="indicator", exclude_forms=exclude_forms)[0]
        best: dict[str, list[float]] = {}
        for r, s in hits:
            lst = best.setdefault(index.meta["indicator"][r]["form"], [])
            if len(lst) < 3:
                lst.append(s)
        return {f: float(np.mean(v)) for f, v in best.items()}

    signals: dict[str, dict[str, float]] = {}
    if "project" in qv:
        signals["project"] = per_form("project", qv["project"])
        signals["project_goal"] = per_form("goal", qv["project"])
        signals["project_ind"] = evidence(qv["project"])
    if "goal" in qv:
        signals["goal"] = per_form("goal", qv["goal"])
        signals["goal_project"] = per_form("project", qv["goal"])
        signals["goal_ind"] = evidence(qv["goal"])
    metas = {index.meta["project"][i]["form"]: index.meta["project"][i] for i in range(index.size("project"))}
    scores = {}
    for fid, meta in metas.items():
        tot = wsum = 0.0
        for name, w in SIGNAL_WEIGHTS.items():
            if name in signals and fid in signals[name]:
                tot += w * signals[name][fid]
                wsum += w
        if wsum:
            scores[fid] = (tot / wsum, meta)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1][0], kv[0]))[:k_forms]
    return [_form_row(meta, s) for fid, (s, meta) in ranked]


def _usable_name(name: str) -> bool:
    return 2 <= len(name) <= 30 and not re.search(r"\*|＊|某|XX|不适用", name) and not re.fullmatch(r"[\d.\s]+", name)


def suggest_set(project_name: str | None = None, goal: str | None = None, k_forms: int = 5, index=None,
                exclude_forms=None, per_category: int | None = PER_CATEGORY) -> IndicatorSet:
    """A recommended indicator set for a new project, from the ``k_forms`` most similar past forms.

    At most ``per_category`` items per level-2 category are kept (most supported first, then those
    from the most similar forms); None keeps all.
    """
    from jixiao.suggest.index import load_index

    index = index or load_index()
    forms = similar_forms(project_name, goal, k_forms=k_forms, index=index, exclude_forms=exclude_forms)
    return set_from_forms(forms, index, per_category=per_category,
                          input={"project_name": project_name, "goal": goal, "k_forms": k_forms})


def set_from_forms(forms: list[dict[str, Any]], index=None, per_category: int | None = PER_CATEGORY,
                   input: dict[str, Any] | None = None) -> IndicatorSet:
    """The indicator set built from given forms (rows as returned by :func:`similar_forms`: at least
    ``form`` and ``similarity``)."""
    from jixiao.nlp.embed import get_embedder

    from jixiao.suggest.index import load_index
    from jixiao.suggest.rewrite import (
        _classifier, _norm, _thresholds, diagnose, format_value, plausible, suggest_rewrites_batch,
    )

    index = index or load_index()
    emb = get_embedder()
    thr = _thresholds(emb)
    form_sim = {f["form"]: f["similarity"] for f in forms}
    meta = index.meta["indicator"]
    rows = []
    for f in forms:
        for r in index.rows_of_form("indicator", f["form"]).tolist():
            if _usable_name(meta[r]["name"]):
                rows.append(r)
    # category: as printed, else the classifier's, else 未分类
    missing = [r for r in rows if not meta[r].get("level2")]
    predicted: dict[int, str] = {}
    clf = _classifier() if missing else None
    if clf is not None:
        for r, p in zip(missing, clf.predict([meta[r]["name"] for r in missing], [meta[r]["value"] for r in missing])):
            predicted[r] = p.standard if hasattr(p, "standard") else p.level2
    # weak ones are replaced by their best measurable rewrite
    inds = {r: Indicator(name=meta[r]["name"], value=parse_value(meta[r]["value"]),
                         level1=meta[r].get("level1"), level2=meta[r].get("level2") or predicted.get(r)) for r in rows}
    codes = {r: diagnose(inds[r])[0] for r in rows}
    # budget-execution items are not performance indicators (R19): dropped, not rewritten
    executions = {r for r in rows if codes[r] == "execution"}
    rows = [r for r in rows if r not in executions]
    weak = [r for r in rows if codes[r] is not None]
    rewrites: dict[int, Any] = {}
    if weak:
        from jixiao.model import Form

        # exclude nothing but the indicator's own form
        by_form: dict[str, list[int]] = {}
        for r in weak:
            by_form.setdefault(meta[r]["form"], []).append(r)
        for fid, rs in by_form.items():
            res = suggest_rewrites_batch([inds[r] for r in rs], Form(id=fid, project_name=""), k=3, index=index)
            for r, sugg in zip(rs, res):
                best = next((s for s in sugg if s.measurable), None)
                if best is not None:
                    rewrites[r] = best
    items: list[tuple[int, SetItem]] = []
    dropped = 0
    for r in rows:
        m = meta[r]
        level2 = m.get("level2") or predicted.get(r) or UNCATEGORISED
        level1 = m.get("level1") or parent_of(level2) or UNCATEGORISED
        src = {"form": m["form"], "project_name": m.get("project_name"), "source_url": m.get("source_url"),
               "file": m.get("source_path"), "indicator": m.get("name_raw") or m["name"], "value": m.get("value")}
        if r in weak:
            s = rewrites.get(r)
            if s is None:
                dropped += 1
                continue
            l2 = s.level2 or level2
            items.append((r, SetItem(
                name=s.name, value=s.value, level1=parent_of(l2) or level1, level2=l2, source=s.source,
                similarity=form_sim[m["form"]], basis="rewrite",
                note=f"替代「{m['name']} {m.get('value') or ''}」：{'模板' if s.source is None else '取自 ' + str(s.source.get('form'))}",
            )))
            continue
        value = m.get("value") or ""
        v = parse_value(value)
        if not plausible(m["name"], v.number, v.unit):  # e.g. a 合格率 printed as 292%
            dropped += 1
            continue
        if v.kind == "quantitative" and v.number is not None:
            value = format_value(v.op or "=", v.number, v.unit)
        items.append((r, SetItem(name=m["name"], value=value, level1=level1, level2=level2, source=src,
                                 similarity=form_sim[m["form"]],
                                 note="" if m.get("level2") else "二级类别由分类器判定")))
    # de-duplicate within a level-2 category: corpus names take their vectors from the index (only
    # a rewrite's new wording is embedded)
    if items:
        vecs = index.vectors_for([it.name for _, it in items], "indicator", emb)
    groups: list[list[int]] = []
    for i, (_, it) in enumerate(items):
        for g in groups:
            lead = items[g[0]][1]
            if lead.level2 == it.level2 and (_norm(lead.name) == _norm(it.name) or float(vecs[g[0]] @ vecs[i]) >= thr["duplicate"]):
                g.append(i)
                break
        else:
            groups.append([i])
    merged: list[SetItem] = []
    for g in groups:
        members = [items[i][1] for i in g]
        members.sort(key=lambda it: (-it.similarity, it.basis != "corpus"))
        lead = members[0]
        lead.support = len({(it.source or {}).get("form") or id(it) for it in members})
        # one value per distinct source indicator (two weak rows rewritten to the same suggestion
        # are one piece of evidence, not two)
        distinct = {((it.source or {}).get("form"), it.name, it.value): it for it in members}
        vals = [parse_value(it.value) for it in distinct.values()]
        nums = [v.number for v in vals if v.kind == "quantitative" and v.number is not None and v.unit == vals[0].unit]
        if len(nums) >= 2 and vals[0].kind == "quantitative":
            med = statistics.median(nums)
            lead.value = format_value(vals[0].op or "=", med, vals[0].unit)
            lead.note = "；".join(x for x in (lead.note, f"{len(nums)} 个相似表单的中位数（范围 {min(nums):g}–{max(nums):g}）") if x)
        merged.append(lead)
    # organise by level1 / level2 in the standard order
    order1 = {n: i for i, n in enumerate(LEVEL1)}
    order2 = {n: i for i, n in enumerate(LEVEL2)}
    out: dict[str, dict[str, list[SetItem]]] = {}
    for it in sorted(merged, key=lambda it: (order1.get(it.level1, 99), order2.get(it.level2, 99), -it.support, -it.similarity)):
        bucket = out.setdefault(it.level1, {}).setdefault(it.level2, [])
        if per_category is None or len(bucket) < per_category:
            bucket.append(it)
    return IndicatorSet(
        input=input or {"forms": [f["form"] for f in forms]},
        forms=forms, indicators=out, dropped=dropped + len(executions),
    )


__all__ = ["IndicatorSet", "SetItem", "set_from_forms", "similar_forms", "suggest_set"]
