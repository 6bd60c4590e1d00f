"""Turn a transcribed corpus form (``corpora/sources/shared-corpus/forms/NNN.json``) into a Form."""

from __future__ import annotations

from typing import Any

from jixiao.model import Form, Indicator, Source
from jixiao.taxonomy import normalise_level1, normalise_level2, other_template, parent_of
from jixiao.values import parse_value


def _template(d: dict[str, Any]) -> str:
    if d.get("kind") == "self_eval":
        return "self_eval"
    labels = [r.get("level1") for r in d["indicators"]] + [r.get("level2") for r in d["indicators"]]
    for lab in labels:
        t = other_template(lab)
        if t:
            return t
    if "部门整体" in (d.get("doc_type") or "") or "整体支出" in (d.get("project_name") or ""):
        return "department"
    return "standard"


def indicator_from_labels(level1_raw: str | None, level2_raw: str | None, name: str, value: str) -> Indicator:
    """Build an Indicator from printed labels, normalising the categories and keeping the labels."""
    l1 = normalise_level1(level1_raw)
    l2 = normalise_level2(level2_raw, l1)
    notes: list[str] = []
    if not l1 and not l2 and other_template(level1_raw):
        # 以工代赈 / 发改委 layout: 实施效果指标 at level 1, the standard level 1 (产出指标 …) under it
        l1 = normalise_level1(level2_raw)
        if l1:
            notes.append(f"level1 {l1} printed under the template label {level1_raw}")
    if l2 and not l1:
        l1 = parent_of(l2)
        notes.append(f"level1 inferred from level2 {l2}")
    if l1 == "成本指标" and l2 == "成本指标":
        notes.append("2021 template cost indicator without sub-type")
    return Indicator(
        name=name,
        value=parse_value(value),
        level1=l1,
        level2=l2,
        level1_raw=level1_raw or None,
        level2_raw=level2_raw or None,
        notes=notes,
    )


def form_from_transcription(d: dict[str, Any], form_id: str, path: str | None = None) -> Form:
    inds = [indicator_from_labels(r.get("level1"), r.get("level2"), r["level3"], r.get("value", "")) for r in d["indicators"]]
    return Form(
        id=form_id,
        project_name=d.get("project_name") or "",
        source=Source(
            path=path,
            url=d.get("source_url"),
            region=d.get("region"),
            kind=d.get("kind", "target"),
            template=_template(d),
            doc_type=d.get("doc_type") or None,
            complete=d.get("complete"),
        ),
        department=d.get("department"),
        year=d.get("year"),
        overall_goal=d.get("overall_goal"),
        annual_goal=d.get("annual_goal"),
        indicators=inds,
        notes=[str(n) for n in d["notes"]] if isinstance(d.get("notes"), list) else ([d["notes"]] if d.get("notes") else []),
    )
