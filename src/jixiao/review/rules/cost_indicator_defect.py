import re

from jixiao.review.rules import rule
from jixiao.review.text import budget_term, clean_name, expected_family, norm, unit_family

_COST = {"成本指标", "经济成本指标"}
_WAN = {"万元": 10000.0, "元": 1.0, "亿元": 1e8, "千元": 1000.0}


@rule("JX503", "cost-indicator-defect", severity="warning", dimension="适当性", standing="V", ref="R24")
def cost_indicator_defect(form, ctx):
    """A cost indicator that states no cost: a percentage (成本控制率 ≤100%), "不超预算", or a total
    above the project's funds.

    Detects:
        Under 成本指标/经济成本指标: a percentage value or a qualitative value when the name does not
        itself name a money amount (those are ``unit-mismatch``) and is not a cost-structure share
        (…占…比例); a total cost in 元/万元 larger than the project's total funds.
    Why:
        R24 [V S8, S11, S25]: cost indicators should give a unit or total cost within the
        expenditure standard; "成本控制率 不超预算" is a real weak example.
    Bad:
        project: 办公用房修缮及装修经费
        产出指标 | 成本指标 | 成本控制率 | ≤100(%)
    Better:
        project: 办公用房修缮及装修经费
        产出指标 | 成本指标 | 单台空调维修平均成本 | ≤850(元/台)
    """
    for i, ind in ctx.indicators():
        if ind.level2 not in _COST:
            continue
        v = ind.value
        if budget_term(ind.name) or not clean_name(ind.name).strip("0123456789."):
            continue  # budget-execution-as-output / placeholder-value report these
        money_name = (expected_family(ind.name) or ("",))[0] == "money"
        name = clean_name(ind.name)
        if "占" in name and re.search(r"(比例|比重|占比)$", name):
            continue  # a cost-structure share ("日常运作成本占项目总额的比例 ≤10%") is checkable
        if not money_name and (
            (v.kind == "quantitative" and unit_family(v.unit) == "percent") or v.kind == "qualitative"
        ):
            yield ctx.hit(
                ctx.indicator_target(i),
                f"成本指标“{ind.name}”（{v.raw}）没有给出成本金额，无法考核成本控制。",
                suggestion="建议改为单位成本或总成本，例如“单台空调维修平均成本 ≤850(元/台)”。",
            )
        elif v.kind == "quantitative" and v.unit in _WAN and form.funds.total and v.number is not None:
            amount = v.number * _WAN[v.unit]
            if amount > form.funds.total * 1.001 and "/" not in norm(v.unit):
                yield ctx.hit(
                    ctx.indicator_target(i),
                    f"成本指标“{ind.name}”（{v.raw}）超过项目资金总额（{form.funds.total / 10000:,.2f}万元）。",
                    suggestion="建议核对成本目标与项目资金是否一致，或说明其他资金来源。",
                    data={"amount": amount, "total": form.funds.total},
                )
