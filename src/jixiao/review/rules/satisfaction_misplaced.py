from jixiao.review.rules import rule
from jixiao.review.text import norm
from jixiao.review.vocab import words


@rule("JX205", "satisfaction-misplaced", severity="warning", dimension="规范性", standing="V", ref="R21")
def satisfaction_misplaced(form, ctx):
    """A satisfaction indicator filed outside 满意度, or a non-satisfaction item filed under 满意度.

    Detects:
        (a) an indicator whose name contains 满意 under 产出 or 效益; (b) an indicator under
        满意度指标 whose name does not measure satisfaction (投诉率, 部门协作水平, 知晓率 …).
    Why:
        R21 [V S10, S16]: satisfaction measures how far service recipients accept the outputs, and
        it is its own level-1 category; using satisfaction in place of benefit (or the reverse) is a
        listed common defect.
    Bad:
        project: 法律援助经费
        效益指标 | 社会效益指标 | 受援群众满意度 | ≥90(%)
        满意度指标 | 服务对象满意度指标 | 部门协作水平 | 提升
    Better:
        project: 法律援助经费
        效益指标 | 社会效益指标 | 法律援助案件结案率 | ≥95(%)
        满意度指标 | 服务对象满意度指标 | 受援群众满意度 | ≥90(%)
    """
    not_sat = words("satisfaction", "not_satisfaction")
    like = words("satisfaction", "like")
    for i, ind in ctx.indicators():
        name = norm(ind.name)
        if not name:
            continue
        l1 = ctx.level1_of(ind)
        if "满意" in name and l1 in ("产出指标", "效益指标", "成本指标"):
            yield ctx.hit(
                ctx.indicator_target(i),
                f"满意度指标“{ind.name}”放在了“{l1}”下。",
                suggestion="建议移到“满意度指标 / 服务对象满意度指标”，并在效益指标中写明项目带来的实际效果。",
            )
        elif l1 == "满意度指标" and not any(w in name for w in like):
            cue = next((w for w in not_sat if w in name), None)
            why = f"（“{cue}”不是满意度）" if cue else ""
            yield ctx.hit(
                ctx.indicator_target(i),
                f"“{ind.name}”放在满意度指标下，但它不衡量服务对象满意度{why}。",
                suggestion="建议移到相应的产出或效益指标下；满意度指标应写明调查对象，如“受援群众满意度 ≥90(%)”。",
            )
