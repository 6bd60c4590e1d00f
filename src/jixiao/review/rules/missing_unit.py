import re

from jixiao.review.rules import rule
from jixiao.review.text import clean_name, expected_family, garbled_number, name_unit, norm
from jixiao.review.vocab import vocab


@rule("JX306", "missing-unit", severity="warning", dimension="规范性", standing="V", ref="R13")
def missing_unit(form, ctx):
    """A quantitative value with no unit (=8, ≥95).

    Detects:
        A value with a number but no unit, unless the number is 0, the name carries the unit in
        brackets ("带动贫困户(人)"), or the name's cue words imply a count the bare number can stand
        for (…次数, …人数, …数), or the name itself states the number with its unit
        ("配套变压器3台" = 3) or ends in a unit word (人均培训学时; ``units.name_unit_suffix``).
        Garbled numbers (44,56144,561) are left to ``unparseable-value``.
    Why:
        R13 [V S11]: a quantitative level-3 indicator must state its nature (operator) and its unit;
        without it 95 may mean 95%, 95分 or 95人.
    Bad:
        project: 再生资源回收经费
        产出指标 | 质量指标 | 聘用人员在岗率 | =100
    Better:
        project: 再生资源回收经费
        产出指标 | 质量指标 | 聘用人员在岗率 | =100(%)
    """
    for i, ind in ctx.indicators():
        v = ind.value
        if v.kind != "quantitative" or v.unit or v.number in (None, 0):
            continue
        if name_unit(ind.name):
            continue  # unit printed with the name: "带动贫困户(人)"
        num = f"{v.number:g}"
        if re.search(r"(?<![\d.])" + re.escape(num) + r"[^\d.]", norm(ind.name)):
            continue  # the name states the quantity with its unit: "…变压器3台" = 3
        exp = expected_family(ind.name)
        if exp and exp[0] == "count":
            continue
        if any(clean_name(ind.name).endswith(s) for s in vocab()["units"]["name_unit_suffix"]):
            continue  # "人均培训学时 ≥90": the name names the unit
        if garbled_number(v.raw):
            continue  # garbled number ("44,56144,561"): unparseable-value reports it
        yield ctx.hit(ctx.indicator_target(i), f"指标“{ind.name}”的指标值“{v.raw}”没有计量单位。",
                      suggestion="建议补充计量单位，例如“=100(%)”“≥8(人)”“≤850(元/台)”。")
