from jixiao.review.rules import rule
from jixiao.review.text import norm


@rule("JX203", "partial-row", severity="warning", dimension="完整性", standing="R", ref=("R10", "R12"))
def partial_row(form, ctx):
    """An indicator row is half filled: a name without a value, or a value without a name.

    Detects:
        A row whose level-3 name is present but whose target value is blank, or whose value is
        present but whose name is blank. Placeholder values such as "XX" or "/" are left to
        ``placeholder-value``.
    Why:
        R10/R12: the value is a required field (marked * in real forms [V S12b]); completeness is a
        review dimension [R 88号]. Empty level-2 categories are normal, partially filled rows are
        not [I].
    Bad:
        project: 法治建设费
        产出指标 | 数量指标 | 法治建设示范创建活动次数 |
    Better:
        project: 法治建设费
        产出指标 | 数量指标 | 法治建设示范创建活动次数 | =20(次)
    """
    for i, ind in ctx.indicators():
        name, raw = norm(ind.name), norm(ind.value.raw)
        if name and not raw:
            yield ctx.hit(ctx.indicator_target(i), f"指标“{ind.name}”没有填写指标值。",
                          suggestion="建议填写指标值（运算符、数值和单位），或删除该行。")
        elif raw and not name:
            yield ctx.hit(ctx.indicator_target(i), f"指标值“{ind.value.raw}”没有对应的三级指标名称。",
                          suggestion="建议补写指标名称，或删除该行。")
