from jixiao.review.rules import rule
from jixiao.review.text import clean_name, unit_family
from jixiao.review.vocab import words


@rule("JX311", "rate-above-100", severity="warning", dimension="适当性", standing="V", ref="R14")
def rate_above_100(form, ctx):
    """A bounded rate (合格率, 覆盖率, 满意度 …) with a target above 100%.

    Detects:
        A percentage target above 100, or "> 100%", on an indicator whose name ends in a rate that
        cannot exceed 100% (the "more is better" endings in ``direction.higher_suffix``: 合格率,
        覆盖率, 完成率, 及时率, 满意度 …). Growth rates (增长率) are not bounded and are not checked.
    Why:
        R14 [V S12]: quantitative values are scored as actual / target, so a bounded rate with a
        target above 100% can never be met; "≥100%" is only meaningful as "=100%".
    Bad:
        project: 农村饮水安全巩固提升工程
        产出指标 | 质量指标 | 工程验收合格率 | ≥105(%)
    Better:
        project: 农村饮水安全巩固提升工程
        产出指标 | 质量指标 | 工程验收合格率 | =100(%)
    """
    bounded = words("direction", "higher_suffix")
    for i, ind in ctx.indicators():
        v = ind.value
        if v.kind != "quantitative" or v.number is None or unit_family(v.unit) != "percent" or v.unit != "%":
            continue
        name = clean_name(ind.name)
        if "增长" in name or "提高" in name or not any(name.endswith(s) for s in bounded if s.endswith(("率", "度"))):
            continue
        if v.number > 100 or (v.op == ">" and v.number >= 100):
            yield ctx.hit(
                ctx.indicator_target(i),
                f"“{ind.name}”是不超过100%的比率，目标值“{v.raw}”无法达到。",
                suggestion="建议改为不超过100%的目标值，例如“≥98(%)”或“=100(%)”。",
            )
