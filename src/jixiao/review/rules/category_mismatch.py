import re

from jixiao.review.rules import rule
from jixiao.taxonomy import level1_group, parent_of, uses_2021_cost

_CJK = re.compile(r"[\u4e00-\u9fff]")
#: a standard (补助标准 元/人) is a quality level and a unit cost: templates file it under either
_STANDARD_OR_COST = frozenset({"质量指标", "成本指标"})


@rule("JX403", "category-mismatch", severity="warning", dimension="规范性", standing="V", ref=("R22", "R08"))
def category_mismatch(form, ctx):
    """The declared level 2 disagrees with what the indicator's wording says, at high confidence.

    Detects:
        The category classifier (:mod:`jixiao.nlp.classify`) predicts a different level 2 under a
        different level 1 with confidence ≥ ``confidence`` (default 0.8) — for example an output
        count filed under 社会效益. Disagreements inside one level 1 (数量 vs 质量) and between the
        legacy and 2021 cost categories (成本指标 vs 经济成本指标) are not reported, nor, in a form
        of the legacy layout (成本指标 as a level 2 under 产出指标), 质量指标 vs 成本指标: a subsidy or
        benefit standard (补助标准 589元/人) is filed as either by convention, and in that layout both
        sit under 产出. Nor satisfaction indicators filed elsewhere (``satisfaction-misplaced``
        reports those), nor names with fewer than two Chinese characters (such as ``0``: there is
        no wording to judge).
        The rule is skipped when the classifier is not installed.
    Why:
        R22 [V S16]: mixing output and benefit indicators is a listed common defect (device pass
        rate is quality, cure rate is benefit). The classifier is a statistical model, so the
        finding is advice: an independent check of all 47 findings on the corpus judged 33 right
        (docs/category-mismatch-check.md); most false alarms involved cost rows, and the 5
        legacy-layout 质量/成本 findings were all false alarms (subsidy standards in 元/人), which is
        why that pair is no longer reported: 33 of the 42 findings left were judged right (79%).
    Bad:
        project: 普法宣传经费
        效益指标 | 社会效益指标 | 举办普法宣传活动场次 | ≥10(场)
    Better:
        project: 普法宣传经费
        产出指标 | 数量指标 | 举办普法宣传活动场次 | ≥10(场)
    Options:
        confidence = 0.8
    """
    rows = [(i, ind) for i, ind in ctx.indicators() if ind.level2 and len(_CJK.findall(ind.name or "")) >= 2]
    if not rows:
        return
    clf = ctx.classifier()
    preds = clf.predict([ind.name for _, ind in rows], [ind.value.raw or None for _, ind in rows])
    need = float(ctx.option("confidence", 0.8))
    legacy = not uses_2021_cost(form)
    for (i, ind), p in zip(rows, preds, strict=True):
        if p.level2 == ind.level2 or p.confidence < need:
            continue
        if level1_group(p.level2) == level1_group(ind.level2):
            continue
        if legacy and {p.level2, ind.level2} == _STANDARD_OR_COST:
            continue
        if p.level2 == "服务对象满意度指标" and "满意" in ind.name:
            continue  # satisfaction-misplaced reports it
        yield ctx.hit(
            ctx.indicator_target(i),
            f"指标“{ind.name}”填在“{ind.level2}”下，但从名称看更像“{p.level2}”（模型置信度 {p.confidence:.2f}）。",
            suggestion=f"建议核对分类，考虑移到“{parent_of(p.level2)} / {p.level2}”。",
            data={"predicted": p.level2, "confidence": round(float(p.confidence), 3)},
        )
