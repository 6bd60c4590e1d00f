from jixiao.review.rules import rule
from jixiao.review.text import norm, strip_words
from jixiao.review.vocab import words
from jixiao.taxonomy import LEVEL2_COST_2021

_COST_L2 = {"成本指标", *LEVEL2_COST_2021}


@rule("JX201", "missing-category", severity="error", dimension="完整性", standing="V", ref="R07",
      needs_complete=True)
def missing_category(form, ctx):
    """A required level-1 category is missing: no 产出 or no 效益 (error); no 成本 for a
    construction/repair/purchase project, no 满意度 for a public-facing one (warning).

    Detects:
        Level-1 categories present in the indicator table (from the printed level 1 or the parent
        of the level 2). No indicators at all, no 产出指标 or no 效益指标 → error. No cost indicator
        (level 1 成本指标 or level 2 成本指标/经济成本指标…) when the project name contains a
        construction, repair or purchase cue (``cues.construction``: 工程, 修缮, 维修, 购置, 设备 …;
        phrases such as 法治建设 or 队伍建设 in ``cues.construction_exclude`` do not count)
        → warning. No 满意度指标 when the name or goal names a public group (``cues.public``: 群众,
        学生, 企业, 法律援助 …) → warning. Forms of other templates (e.g. 发改委 实施效果/过程管理) and
        forms whose source shows only part of the table are skipped.
    Why:
        R07 [V S3]: in principle every project sets 产出 and 效益 indicators, and construction, large
        repair and purchase projects set 成本 indicators. That satisfaction indicators are expected
        for projects serving the public directly is recalled from 101号 [R], so the 满意度 part is
        worded as advice.
    Bad:
        project: 办公用房修缮及装修经费
        产出指标 | 数量指标 | 完成空调维修台数 | ≥120(台)
        满意度指标 | 服务对象满意度指标 | 办公人员满意度 | ≥90(%)
    Better:
        project: 办公用房修缮及装修经费
        产出指标 | 数量指标 | 完成空调维修台数 | ≥120(台)
        产出指标 | 成本指标 | 单台空调维修平均成本 | ≤850(元/台)
        效益指标 | 社会效益指标 | 办公用房安全事故发生次数 | =0(次)
        满意度指标 | 服务对象满意度指标 | 办公人员满意度 | ≥90(%)
    """
    if form.source.template not in ("standard", "self_eval"):
        return
    if not form.indicators:
        yield ctx.hit(ctx.form_target(), "表中没有任何绩效指标。",
                      suggestion="建议至少设置产出指标和效益指标。")
        return
    l1 = {ctx.level1_of(i) for i in form.indicators}
    l2 = {i.level2 for i in form.indicators}
    if not (l1 - {None}):
        return  # categories not printed at all: nothing reliable to say
    for cat, text in (("产出指标", "产出"), ("效益指标", "效益")):
        if cat not in l1:
            yield ctx.hit(ctx.form_target(), f"指标表中没有{text}指标：每个项目原则上都应设置产出指标和效益指标。",
                          suggestion=f"建议补充{text}指标。", data={"missing": cat})
    context = norm(form.project_name) + norm(form.annual_goal) + norm(form.overall_goal)
    has_cost = "成本指标" in l1 or bool(l2 & _COST_L2)
    pname = strip_words(norm(form.project_name), words("cues", "construction_exclude"))
    cons = [w for w in words("cues", "construction") if w in pname]
    if not has_cost and cons:
        yield ctx.hit(
            ctx.form_target(),
            f"项目名称含“{cons[0]}”，属于工程建设/修缮/购置类项目，但没有成本指标。",
            severity="warning", data={"missing": "成本指标", "cue": cons[0]},
            suggestion="建议增加成本指标，例如“单台设备维修平均成本 ≤850(元/台)”或“项目总成本 ≤预算数(万元)”。",
        )
    pub = [w for w in words("cues", "public") if w in context]
    has_sat = "满意度指标" in l1 or "服务对象满意度指标" in l2 or any("满意" in norm(i.name) for i in form.indicators)
    if not has_sat and pub:
        yield ctx.hit(
            ctx.form_target(),
            f"项目面向“{pub[0]}”等服务对象，但没有满意度指标。",
            severity="warning", data={"missing": "满意度指标", "cue": pub[0]},
            suggestion="建议增加服务对象满意度指标，并写明调查对象，例如“受援群众满意度 ≥90(%)”。",
        )
