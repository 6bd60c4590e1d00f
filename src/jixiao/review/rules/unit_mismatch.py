from jixiao.review.rules import rule
from jixiao.review.text import expected_family, unit_family

_LABEL = {"money": "金额单位（元、万元、元/人…）", "percent": "百分比（%）", "count": "计数单位（人、次、台…）",
          "time": "时间单位（天、小时、工作日…）或日期", "score": "分值"}


@rule("JX305", "unit-mismatch", severity="error", dimension="规范性", standing="V", ref="R13")
def unit_mismatch(form, ctx):
    """The unit contradicts the indicator name (a per-capita cost in %, a rate in 人…).

    Detects:
        A quantitative value whose unit family (percent, money, time, count) differs from the
        family the name implies (``units.expect`` in the vocabulary): 成本/费用/单价/金额 → money;
        names ending in 率/比例/占比/满意度 → percent (满意度 in 分 allowed); 人数/人次/次数 → a count;
        时间/时限/周期 → time or a date.
    Why:
        R13 [V S11, S12b, S15]: quantitative indicators must state their unit, and real forms carry
        defects such as a value of 28.8万元 with unit %, or a cost row given in %.
    Bad:
        project: 社区矫正工作经费
        产出指标 | 成本指标 | 社区矫正对象人均执行成本 | ≤10.00(%)
    Better:
        project: 社区矫正工作经费
        产出指标 | 成本指标 | 社区矫正对象人均执行成本 | ≤3500(元/人)
    """
    for i, ind in ctx.indicators():
        v = ind.value
        if v.kind != "quantitative" or not v.unit:
            continue
        exp = expected_family(ind.name)
        if not exp:
            continue
        fam, allow = exp
        got = unit_family(v.unit)
        if got == fam or got in allow:
            continue
        yield ctx.hit(
            ctx.indicator_target(i),
            f"指标“{ind.name}”的单位是“{v.unit}”（{v.raw}），但按名称应使用{_LABEL[fam]}。",
            suggestion=f"建议核对单位：该指标应使用{_LABEL[fam]}，或修改指标名称使其与单位一致。",
            data={"unit": v.unit, "expected": fam, "got": got},
        )
