import re

from jixiao.review.rules import rule
from jixiao.review.text import bigrams, norm, unit_family

_RATE = re.compile(r"(完成率|完成情况|完成度|完成比例|完成比率|执行率)$")


@rule("JX304", "completion-rate-as-quantity", severity="warning", dimension="可衡量性", standing="V", ref="R18")
def completion_rate_as_quantity(form, ctx):
    """A 数量指标 given as a completion rate (…完成率 =100%) with no absolute quantity.

    Detects:
        A 数量指标 whose name ends in 完成率/完成情况/完成度 and whose value is 100% (or 按计划完成),
        when no other quantitative indicator in the form counts the same object with a non-%
        unit (台, 人次, 个 …; "same object" = the names share a character bigram).
    Why:
        R18 [V S5, S6, S3]: goals must be broken down by quantity; "did what we planned = 100%" says
        nothing about scale and repeats the budget-execution check [I]. Completion-rate indicators
        do exist in common libraries (培训完成率) [V S22, S13], so only the substitution case is
        flagged.
    Bad:
        project: 办公用房修缮及装修经费
        产出指标 | 数量指标 | 空调维修完成率 | =100(%)
    Better:
        project: 办公用房修缮及装修经费
        产出指标 | 数量指标 | 完成空调维修台数 | ≥120(台)
    """
    absolute = [
        (j, bigrams(norm(o.name)))
        for j, o in ctx.indicators()
        if o.value.kind == "quantitative" and unit_family(o.value.unit) not in (None, "percent")
    ]
    for i, ind in ctx.indicators():
        if ind.level2 != "数量指标":
            continue
        name = norm(ind.name)
        m = _RATE.search(name)
        if not m:
            continue
        v = ind.value
        full = (v.kind == "quantitative" and v.number == 100 and unit_family(v.unit) in ("percent", None)) or (
            v.kind == "qualitative" and "完成" in norm(v.raw)
        )
        if not full:
            continue
        obj = bigrams(name[: m.start()])
        if obj and any(obj & b for j, b in absolute if j != i):
            continue
        fallback = f"建议改为绝对数量，例如“完成{name[: m.start()] or '…'}数量 ≥N(台/个/人次)”；完成进度可另设时效指标。"
        yield ctx.hit(
            ctx.indicator_target(i),
            f"数量指标“{ind.name}”用完成率（{v.raw}）代替了实际数量，看不出要完成多少。",
            suggestion=ctx.suggestion_for(ind, fallback),
        )
