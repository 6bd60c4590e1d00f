import re

from jixiao.review.findings import TARGET_ZH
from jixiao.review.rules import rule
from jixiao.review.text import norm

_AMOUNT = re.compile(r"(申请|总额|总投资|预算|共计|合计|安排|总金额|资金)[^，,。；;0-9]{0,8}?(\d+(?:\.\d+)?)\s*(亿元|万元|元)")
_SCALE = {"亿元": 1e8, "万元": 1e4, "元": 1.0}


@rule("JX504", "goal-funds-mismatch", severity="warning", dimension="适当性", standing="R", ref="R06")
def goal_funds_mismatch(form, ctx):
    """The money named in the goal differs from the funds block (年度资金/项目资金总额).

    Detects:
        An amount introduced in the annual goal (or the overall goal) as the total (申请…, 总投资…,
        预算…, 共计… N万元) that differs by more than ``tolerance`` (default 1%) from the project's
        total funds and from its fiscal funds. Only checked when the form gives the funds.
    Why:
        R06: goals must match the money (相应匹配, recalled from 88号 [R]); the Shanghai finance bureau
        tightens the goal–budget match in review [V S19]. Comparing the text with the funds block is
        jixiao's heuristic [I], so the finding is advice.
    Bad:
        project: 义务教育专项资金
        funds: total=3720000 fiscal=3720000 other=0
        annual_goal: 本年申请327万元，保障两校区物业、采暖和维修，全年教学用房完好率≥98%。
    Better:
        project: 义务教育专项资金
        funds: total=3720000 fiscal=3720000 other=0
        annual_goal: 本年申请372万元，保障两校区物业、采暖和维修，全年教学用房完好率≥98%。
    Options:
        tolerance = 0.01
    """
    total, fiscal = form.funds.total, form.funds.fiscal
    if not total:
        return
    tol = float(ctx.option("tolerance", 0.01))
    for kind in ("annual_goal", "overall_goal"):
        text = norm(getattr(form, kind))
        m = _AMOUNT.search(text)
        if not m:
            continue
        amount = float(m.group(2)) * _SCALE[m.group(3)]
        if any(ref and abs(amount - ref) <= tol * ref for ref in (total, fiscal)):
            return
        label = TARGET_ZH[kind]
        yield ctx.hit(
            ctx.goal_target(kind),
            f"{label}中写的金额“{m.group(2)}{m.group(3)}”与项目资金总额（{total / 10000:,.2f}万元）不一致。",
            suggestion="建议核对目标中的金额与资金表，或说明差额来源。",
            data={"goal_amount": amount, "total": total},
        )
        return
