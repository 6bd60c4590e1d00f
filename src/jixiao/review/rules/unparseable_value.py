import re

from jixiao.review.rules import rule

from jixiao.review.text import garbled_number, norm


@rule("JX302", "unparseable-value", severity="warning", dimension="规范性", standing="V", ref="R12")
def unparseable_value(form, ctx):
    """A value that looks quantitative (operator, %, unit) but has no readable number.

    Detects:
        A target value that carries a comparison operator (≥, ＜, 大于 …) or a percent sign but whose
        number cannot be read, such as "≧ %" or "≥%以上"; or a number whose comma grouping is not
        a thousands grouping ("=44,56144,561", typically dates turned into numbers by a
        spreadsheet). Placeholders (XX, **) are left to ``placeholder-value``.
    Why:
        R12: a quantitative value is an operator, a number and a unit [V S11]; a value that cannot
        be parsed cannot be scored against the result (ratio scoring, [V S26]).
    Bad:
        project: 残疾人康复补助
        产出指标 | 质量指标 | 康复服务覆盖率 | ≧ %
    Better:
        project: 残疾人康复补助
        产出指标 | 质量指标 | 康复服务覆盖率 | ≥95(%)
    """
    for i, ind in ctx.indicators():
        raw = norm(ind.value.raw)
        if garbled_number(raw):
            yield ctx.hit(ctx.indicator_target(i), f"指标“{ind.name}”的指标值“{ind.value.raw}”数字格式异常，无法识别目标值。",
                          suggestion="建议核对原表（可能是日期被表格软件转成了数字），改为“运算符 + 数值 + 单位”或日期。")
            continue
        if not raw or ind.value.kind in ("quantitative", "date") or re.search(r"\d", raw):
            continue
        if re.search(r"\*|[xX]{2,}|＊|某|待定", raw):
            continue
        if re.search(r"[≥≤><=≧≦＞＜＝%％]", raw):
            yield ctx.hit(ctx.indicator_target(i), f"指标“{ind.name}”的指标值“{ind.value.raw}”有运算符或单位，但没有数值。",
                          suggestion="建议写成“运算符 + 数值 + 单位”，例如“≥95(%)”。")
