from jixiao.review.rules import rule
from jixiao.review.text import unit_family


@rule("JX309", "uninformative-target", severity="info", dimension="适当性", standing="R", ref="R20",
      needs_complete=True)
def uninformative_target(form, ctx):
    """Targets that say little: every percentage is exactly 100%, or satisfaction set at =100%.

    Detects:
        A complete form with at least ``min_rates`` (default 3) percentage targets, all exactly 100;
        or a satisfaction indicator whose target is =100% (unmeasurable in practice).
    Why:
        R20: targets should be neither too high nor too low (appropriateness test, recalled from
        88号 [R]) and should rest on plan, industry or historical standards [V S14, S11]. Trivial
        100% targets make ratio scoring meaningless [I].
    Bad:
        project: 办公用房修缮及装修经费
        产出指标 | 数量指标 | 空调维修完成率 | =100(%)
        产出指标 | 质量指标 | 维修验收合格率 | =100(%)
        产出指标 | 时效指标 | 报修24小时内响应率 | =100(%)
    Better:
        project: 办公用房修缮及装修经费
        产出指标 | 数量指标 | 完成空调维修台数 | ≥120(台)
        产出指标 | 质量指标 | 维修验收合格率 | ≥98(%)
        产出指标 | 时效指标 | 报修24小时内响应率 | ≥95(%)
    Options:
        min_rates = 3
    """
    rates = [
        (i, ind) for i, ind in ctx.indicators()
        if ind.value.kind == "quantitative" and unit_family(ind.value.unit) == "percent"
    ]
    if len(rates) >= int(ctx.option("min_rates", 3)) and all(ind.value.number == 100 for _, ind in rates):
        yield ctx.hit(
            ctx.form_target(),
            f"全部 {len(rates)} 个百分比指标的目标值都是 100%，目标缺乏区分度。",
            suggestion="建议依据历史数据或行业标准设定目标值，并尽量用绝对数量代替完成率。",
            data={"rates": len(rates)},
        )
    for i, ind in ctx.indicators():
        v = ind.value
        if "满意" in ind.name and v.kind == "quantitative" and v.op == "=" and v.number == 100 \
                and unit_family(v.unit) == "percent":
            yield ctx.hit(
                ctx.indicator_target(i),
                f"满意度指标“{ind.name}”的目标值为“{v.raw}”，实际调查中几乎无法达到。",
                suggestion="建议依据往年调查结果设定，例如“≥90(%)”。",
            )
