from jixiao.review.rules import rule
from jixiao.taxonomy import LEVEL2_COST_2021, is_category_label, parent_of


@rule("JX202", "category-as-name", severity="error", dimension="规范性", standing="V", ref=("R08", "R09"))
def category_as_name(form, ctx):
    """A level-3 indicator name is itself a category name, or a level 2 sits under the wrong level 1.

    Detects:
        An indicator whose name is a level-1 or level-2 label (数量指标, 社会成本指标, 满意度 …), or
        whose printed level 2 belongs to a different level 1 than the printed one (e.g. 社会效益指标
        under 产出指标). 成本指标 is accepted both as a level 2 under 产出 (pre-2021) and as a level 1
        (since 2021).
    Why:
        R08/R09 [V S3, S10, S11]: level 1 and level 2 are a fixed taxonomy; level 3 holds
        project-specific indicators. A real form uses "社会成本指标" as the indicator name with the
        value "100 %" [V S12b].
    Bad:
        project: 价格认定工作经费
        成本指标 | 社会成本指标 | 社会成本指标 | =100(%)
    Better:
        project: 价格认定工作经费
        成本指标 | 经济成本指标 | 单件价格认定平均成本 | ≤1500(元/件)
    """
    for i, ind in ctx.indicators():
        if is_category_label(ind.name):
            yield ctx.hit(
                ctx.indicator_target(i),
                f"三级指标名称“{ind.name}”是分类名称，不是具体指标。",
                suggestion="建议改为反映本项目具体产出或效果的指标名称，例如“单件价格认定平均成本”。",
            )
            continue
        if ind.level1 and ind.level2:
            parent = parent_of(ind.level2)
            ok = {parent}
            if ind.level2 == "成本指标":
                ok.add("成本指标")
            if ind.level2 in LEVEL2_COST_2021:
                ok.add("产出指标")  # 2021 cost sub-types printed under a legacy 产出 layout
            if ind.level2 == "服务对象满意度指标" and "满意" in ind.name:
                continue  # reported by satisfaction-misplaced
            if parent and ind.level1 not in ok:
                yield ctx.hit(
                    ctx.indicator_target(i),
                    f"“{ind.name}”的二级指标“{ind.level2}”不属于一级指标“{ind.level1}”（应属于“{parent}”）。",
                    suggestion=f"建议把该指标放到“{parent} / {ind.level2}”下，或更换二级指标。",
                    data={"level1": ind.level1, "level2": ind.level2, "expected_level1": parent},
                )
