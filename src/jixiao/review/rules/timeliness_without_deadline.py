from jixiao.review.rules import rule
from jixiao.review.text import budget_term, expected_family, is_timeliness_word, norm, unit_family
from jixiao.review.vocab import words


@rule("JX308", "timeliness-without-deadline", severity="warning", dimension="可衡量性", standing="V", ref="R23")
def timeliness_without_deadline(form, ctx):
    """A 时效 indicator with no time reference: 及时/按时, or an on-time rate with no deadline.

    Detects:
        Under 时效指标: a value that is only 及时, 按时, 按期, 按计划 …; or a percentage value (…及时率
        =100%) whose name gives no deadline or time span (no 小时, 天, 日, 月, 时限, 前, 内 …;
        ``timeliness.deadline_cues`` in the vocabulary).
    Why:
        R23 [V S22, S3]: indicator libraries express timeliness as a completion date ("**月**日前")
        or an on-time rate against a stated plan; without the deadline neither can be assessed.
    Bad:
        project: 办公用房修缮及装修经费
        产出指标 | 时效指标 | 空调维修及时率 | =100.00(%)
    Better:
        project: 办公用房修缮及装修经费
        产出指标 | 时效指标 | 报修24小时内响应率 | ≥95(%)
        产出指标 | 时效指标 | 年度检修完成时间 | 2023年6月30日前
    """
    cues = words("timeliness", "deadline_cues")
    for i, ind in ctx.indicators():
        if ind.level2 != "时效指标":
            continue
        v, name = ind.value, norm(ind.name)
        if budget_term(name):
            continue  # budget-execution-as-output reports it
        if v.kind == "qualitative" and is_timeliness_word(v.raw):
            yield ctx.hit(
                ctx.indicator_target(i),
                f"时效指标“{ind.name}”的指标值只写“{v.raw}”，没有完成时限。",
                suggestion="建议写明完成时间（如“2023年6月30日前”）或时限（如“≤24(小时)”）。",
            )
        elif (v.kind == "quantitative" and unit_family(v.unit) == "percent" and not any(c in name for c in cues)
              and (expected_family(name) or ("",))[0] != "time"):  # "完成时间 100%" is a unit-mismatch
            yield ctx.hit(
                ctx.indicator_target(i),
                f"时效指标“{ind.name}”（{v.raw}）没有说明按什么时限计算“及时”。",
                suggestion="建议在指标名称或解释中写明时限，例如“报修24小时内响应率 ≥95(%)”。",
            )
