from jixiao.review.rules import rule


@rule("JX204", "indicator-count", severity="info", dimension="完整性", standing="I", ref="R11", needs_complete=True)
def indicator_count(form, ctx):
    """Too few (fewer than 3) or very many (more than 30) level-3 indicators.

    Detects:
        A complete form with fewer than ``min`` (default 3) or more than ``max`` (default 30)
        indicators. Forms whose source shows only part of the table are skipped.
    Why:
        R11: one local scheme requires at least 3 indicators [V S18, low-confidence source];
        101号's 重点突出 asks for a small set of core indicators [V S3]. The thresholds are [I], so
        this is advice only.
    Bad:
        project: 档案数字化经费
        产出指标 | 数量指标 | 档案数字化页数 | ≥20000(页)
    Better:
        project: 档案数字化经费
        产出指标 | 数量指标 | 档案数字化页数 | ≥20000(页)
        产出指标 | 质量指标 | 数字化成果验收合格率 | ≥98(%)
        效益指标 | 社会效益指标 | 档案在线查阅平均响应时间 | ≤3(天)
    Options:
        min = 3, max = 30
    """
    n = len(form.indicators)
    lo, hi = int(ctx.option("min", 3)), int(ctx.option("max", 30))
    if 0 < n < lo:
        yield ctx.hit(ctx.form_target(), f"全表只有 {n} 个三级指标，难以全面反映产出和效果。",
                      suggestion="建议至少覆盖数量、质量/时效和效益各一个核心指标。", data={"count": n})
    elif n > hi:
        yield ctx.hit(ctx.form_target(), f"全表有 {n} 个三级指标，核心指标不突出。",
                      suggestion="建议精简为反映主要产出和效果的核心指标。", data={"count": n})
