import re

from jixiao.review.rules import rule
from jixiao.review.text import clean_name, norm
from jixiao.review.vocab import words

_PH = re.compile(r"\*{2,}|[xX]{2,}|＊|某|待定|TBD|指标\d+|指标[一二三四五六七八九十]")


@rule("JX301", "placeholder-value", severity="error", dimension="完整性", standing="V", ref=("R09", "R12"))
def placeholder_value(form, ctx):
    """A value or an indicator name is a template placeholder (XX, **, 指标1, /).

    Detects:
        A target value that is "XX", "**", "≥**人", "/", "—", "无", 待定 …, or an indicator name
        that is 指标1, 指标2, ……, "/", "无" (``placeholders`` in the vocabulary).
    Why:
        R09/R12 [V S15b, S20]: a real self-evaluation table left "指标1:/指标2:" rows in place, and
        budget-system import code turns "XX" placeholders into 0, silently corrupting the data.
    Bad:
        project: 人民调解工作经费
        产出指标 | 数量指标 | 指标1 | /
        产出指标 | 数量指标 | 人民调解案件受理数 | ≥**(件)
    Better:
        project: 人民调解工作经费
        产出指标 | 数量指标 | 人民调解案件受理数 | ≥3000(件)
    """
    names = set(words("placeholders", "names"))
    values = set(words("placeholders", "values"))
    for i, ind in ctx.indicators():
        name, raw = clean_name(ind.name) or norm(ind.name), norm(ind.value.raw)
        if "不适用" in name or "无此项" in name:
            continue
        if name in names or _PH.fullmatch(name) or re.fullmatch(r"[\d.．,，\s]+", name):
            yield ctx.hit(ctx.indicator_target(i), f"三级指标名称“{ind.name}”是模板占位符，没有填写具体指标。",
                          suggestion="建议填写本项目具体的指标名称和指标值，或删除该行。", data={"field": "name"})
            continue
        if raw and (raw in values or (ind.value.kind == "empty" and _PH.search(raw))):
            yield ctx.hit(ctx.indicator_target(i), f"指标“{ind.name}”的指标值“{ind.value.raw}”是占位符，没有填写实际目标值。",
                          suggestion="建议填写运算符、数值和单位，例如“≥3000(件)”。", data={"field": "value"})
