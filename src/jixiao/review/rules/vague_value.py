from jixiao.review.rules import rule
from jixiao.review.text import is_timeliness_word, is_vague_value


@rule("JX303", "vague-value", severity="warning", dimension="可衡量性", standing="V", ref="R16")
def vague_value(form, ctx):
    """A qualitative target made only of vague words (提升, 健全, 完善, 及时, 稳定, 有效…).

    Detects:
        A target value with no number that, after removing modifiers (有所, 明显, 进一步 …), consists
        only of words from ``vague_value.words`` (提升, 提高, 健全, 完善, 及时, 稳定, 有效, 规范, 良好,
        改善, 保障, 促进, 安全, 消除, 准确 …). A 时效 indicator whose value is 及时/按时 is left to
        ``timeliness-without-deadline``. The suggestion is the nearest measurable rewrite from the
        corpus when the suggestion index is available, else a template.
    Why:
        R16 [V S5, S6, S11, S3]: an indicator that cannot be quantified must use a graded
        qualitative form with an explanation of what counts as achieved (量化易评); real tables are
        full of "效果明显 / 达成预期指标" rows that cannot be checked [V S15].
    Bad:
        project: 办公用房修缮及装修经费
        效益指标 | 社会效益指标 | 办公用房安全性 | 提升
    Better:
        project: 办公用房修缮及装修经费
        效益指标 | 社会效益指标 | 办公用房安全事故发生次数 | =0(次)
    """
    for i, ind in ctx.indicators():
        v = ind.value
        if v.kind not in ("qualitative",) or not is_vague_value(v.raw):
            continue
        if ind.level2 == "时效指标" and is_timeliness_word(v.raw):
            continue
        fallback = (
            f"建议把“{ind.name}”改为可计量的指标（如次数、比率、时限），"
            "或保留定性指标但在指标解释中写明“达到/部分达到/未达到”的判定标准。"
        )
        yield ctx.hit(
            ctx.indicator_target(i),
            f"指标“{ind.name}”的指标值“{v.raw}”是笼统的定性表述，没有可考核的标准。",
            suggestion=ctx.suggestion_for(ind, fallback),
        )
