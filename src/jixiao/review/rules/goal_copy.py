from jixiao.review.rules import rule
from jixiao.review.text import jaccard, norm


@rule("JX102", "goal-copy", severity="warning", dimension="完整性", standing="V", ref="R02")
def goal_copy(form, ctx):
    """The annual goal repeats the overall goal word for word (or nearly).

    Detects:
        The annual goal and the overall goal have a character-bigram Jaccard similarity at or
        above ``threshold`` (default 0.9; punctuation and spacing ignored). For a one-year project
        (plan start and end in the same year) identical text is acceptable, so the finding is
        reported as info and says so; otherwise it is a warning.
    Why:
        R02 [V S8, S9, S16]: the overall goal covers the whole implementation period and the annual
        goal only this budget year; filling both with the same text is a listed common defect.
        Lowering the severity for one-year projects is a jixiao design choice [I].
    Bad:
        project: 管网改造工程
        period: 2024-01-01 2026-12-31
        overall_goal: 三年内完成全区120公里管网改造。
        annual_goal: 三年内完成全区120公里管网改造。
    Better:
        project: 管网改造工程
        period: 2024-01-01 2026-12-31
        overall_goal: 三年内完成全区120公里管网改造。
        annual_goal: 2024年完成40公里管网改造并通过竣工验收。
    Options:
        threshold = 0.9 (bigram Jaccard similarity from which the goals count as copies)
    """
    if not norm(form.overall_goal) or not norm(form.annual_goal):
        return
    sim = jaccard(form.overall_goal, form.annual_goal)
    if sim < float(ctx.option("threshold", 0.9)):
        return
    y0, y1 = form.period.years
    what = "完全相同" if sim >= 0.999 else "几乎相同"
    if y0 and y1 and y0 == y1:
        yield ctx.hit(
            ctx.goal_target("annual_goal"),
            f"年度目标与总体目标{what}（相似度 {sim:.2f}）；本项目实施期在 {y0} 年内，一年期项目可以接受，"
            "但建议年度目标写明本年度可考核的具体产出。",
            severity="info", data={"similarity": round(sim, 3), "one_year": True},
        )
        return
    period = f"实施期 {y0}–{y1} 年" if y0 and y1 else "实施期未注明"
    yield ctx.hit(
        ctx.goal_target("annual_goal"),
        f"年度目标与总体目标{what}（相似度 {sim:.2f}，{period}）：年度目标应只写本预算年度要完成的内容。",
        suggestion="建议把年度目标改写为本年度的阶段性产出和效果，例如“2024年完成40公里管网改造”。",
        data={"similarity": round(sim, 3), "one_year": False},
    )
