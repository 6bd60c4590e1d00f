from jixiao.review.rules import rule
from jixiao.review.text import budget_term


@rule("JX502", "budget-execution-as-output", severity="warning", dimension="相关性", standing="V", ref="R19")
def budget_execution_as_output(form, ctx):
    """A budget-execution or financial-compliance item posing as a performance indicator.

    Detects:
        Indicator names containing a term from ``budget_execution.terms`` in the vocabulary
        (预算执行率, 资金支付率, 资金拨付及时率, 资金到位率, 结余率, 科目调整次数, 专款专用 …).
    Why:
        R19 [V S15b, S15, S23, S12b]: in the standard self-evaluation table budget execution is
        scored separately (10 of 100 points) from output, benefit and satisfaction, so repeating it
        as an indicator double-counts and measures inputs rather than results [I; cf. V S18].
    Bad:
        project: 水利工程维修养护经费
        产出指标 | 时效指标 | 年度资金支付完成率 | =100(%)
    Better:
        project: 水利工程维修养护经费
        产出指标 | 时效指标 | 防汛物资到位时间 | 5月31日前
    """
    for i, ind in ctx.indicators():
        hit = budget_term(ind.name)
        if hit:
            yield ctx.hit(
                ctx.indicator_target(i),
                f"指标“{ind.name}”衡量的是预算执行或资金管理（“{hit}”），不是项目的产出或效果。",
                suggestion="建议删除，或改为项目实际产出/时效，例如“防汛物资到位时间 5月31日前”；预算执行情况另行考核。",
                data={"term": hit},
            )
