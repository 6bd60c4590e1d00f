from jixiao.review.rules import rule
from jixiao.review.text import norm

_EMPTY = {"", "无", "/", "-", "—", "略", "见附件", "xx", "XX", "**"}


def _empty(text: str | None) -> bool:
    return norm(text) in _EMPTY


@rule("JX101", "missing-goal", severity="error", dimension="完整性", standing="R", ref="R01", needs_complete=True)
def missing_goal(form, ctx):
    """The form states no performance goal, or a multi-year form lacks its annual or overall goal.

    Detects:
        Both the overall goal (总体目标) and the annual goal (年度目标) are empty, "无", "/" or a
        placeholder (error). For a multi-year project (plan start and end in different years), one
        of the two is missing (warning). Forms whose source shows only part of the table are skipped.
    Why:
        R01: the goal is the basis of the whole form; completeness (完整性) is the first review
        dimension [R 88号]. Multi-year projects should give both the whole-period goal and the
        current-year goal [V S9]; goal-setting is a precondition for budget allocation [V S7].
    Bad:
        project: 社区矫正工作经费
        overall_goal: /
        产出指标 | 数量指标 | 社区矫正对象教育人次 | ≥1200(人次)
        效益指标 | 社会效益指标 | 社区矫正对象再犯罪率 | ≤0.2(%)
    Better:
        project: 社区矫正工作经费
        annual_goal: 全年组织社区矫正对象集中教育≥1200人次，再犯罪率控制在0.2%以内。
        产出指标 | 数量指标 | 社区矫正对象教育人次 | ≥1200(人次)
        效益指标 | 社会效益指标 | 社区矫正对象再犯罪率 | ≤0.2(%)
    """
    ov, an = _empty(form.overall_goal), _empty(form.annual_goal)
    if ov and an:
        yield ctx.hit(ctx.form_target(), "表中没有填写绩效目标（总体目标和年度目标均为空）。",
                      suggestion="建议补写年度目标：本年度完成什么产出（数量、质量、时间）、达到什么效果。")
        return
    y0, y1 = form.period.years
    if y0 and y1 and y0 != y1:
        if an:
            yield ctx.hit(ctx.goal_target("annual_goal"),
                          f"跨年度项目（{y0}–{y1}年）缺少年度目标，只填写了总体目标。", severity="warning",
                          suggestion="建议补写本预算年度要完成的阶段性目标。")
        elif ov:
            yield ctx.hit(ctx.goal_target("overall_goal"),
                          f"跨年度项目（{y0}–{y1}年）缺少项目总体目标，只填写了年度目标。", severity="warning",
                          suggestion="建议补写整个实施期的总体目标。")
