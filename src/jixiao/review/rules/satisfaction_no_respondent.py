from jixiao.review.rules import rule
from jixiao.review.text import clean_name

_BARE = {"满意度", "满意率", "服务对象满意度", "服务对象满意率", "受益对象满意度", "受益对象满意率", "满意度指标",
         "社会满意度", "总体满意度", "综合满意度", "公众满意度", "社会公众满意度", "满意程度"}


@rule("JX206", "satisfaction-no-respondent", severity="warning", dimension="规范性", standing="V", ref="R21")
def satisfaction_no_respondent(form, ctx):
    """A satisfaction indicator that does not say whose satisfaction is measured.

    Detects:
        An indicator named only 满意度, 满意率, 服务对象满意度, 社会公众满意度 … (after removing numbering
        and a bracketed unit), i.e. with no named respondent group.
    Why:
        R21(b) [V S22]: indicator libraries always name the respondent (使用人员, 受训学员, 与会人员);
        satisfaction measures how far the service recipients accept the outputs [V S10], so the
        survey population has to be named for the indicator to be measurable.
    Bad:
        project: 新型农业经营主体扶持项目
        满意度指标 | 服务对象满意度指标 | 满意度(%) | ≥90(%)
    Better:
        project: 新型农业经营主体扶持项目
        满意度指标 | 服务对象满意度指标 | 受扶持经营主体满意度 | ≥90(%)
    """
    for i, ind in ctx.indicators():
        if clean_name(ind.name) in _BARE:
            yield ctx.hit(
                ctx.indicator_target(i),
                f"满意度指标“{ind.name}”没有写明调查对象（谁的满意度）。",
                suggestion="建议写明服务对象，例如“受训学员满意度”“受援群众满意度”。",
            )
