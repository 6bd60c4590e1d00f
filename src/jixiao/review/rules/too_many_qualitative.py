from jixiao.review.rules import rule


@rule("JX310", "too-many-qualitative", severity="warning", dimension="可衡量性", standing="V", ref="R17",
      needs_complete=True)
def too_many_qualitative(form, ctx):
    """More than a third of the indicators are qualitative, or every benefit indicator is.

    Detects:
        A complete form with at least 3 indicators where qualitative values exceed ``share``
        (default 1/3) of all values, or where every 效益 indicator (at least 2) is qualitative.
    Why:
        R17 [V S5, S6, S3]: quantify as far as possible; 101号 asks for gradual quantification of
        social and ecological benefits. The one-third threshold is [I].
    Bad:
        project: 法治建设费
        产出指标 | 数量指标 | 法治建设示范创建活动次数 | =20(次)
        效益指标 | 社会效益指标 | 长三角法治协作水平 | 提升
        效益指标 | 社会效益指标 | 司法工作规范程度 | 提升
    Better:
        project: 法治建设费
        产出指标 | 数量指标 | 法治建设示范创建活动次数 | =20(次)
        效益指标 | 社会效益指标 | 长三角法治协作签约事项落实数 | ≥10(项)
        效益指标 | 社会效益指标 | 司法工作规范程度 | 提升
    Options:
        share = 0.334
    """
    inds = [i for i in form.indicators if i.value.kind != "empty"]
    if len(inds) < 3:
        return
    qual = [i for i in inds if i.value.kind == "qualitative"]
    share = float(ctx.option("share", 0.334))
    benefit = [i for i in inds if ctx.level1_of(i) == "效益指标"]
    if len(qual) / len(inds) > share:
        yield ctx.hit(
            ctx.form_target(),
            f"{len(inds)} 个指标中有 {len(qual)} 个是定性指标（{len(qual) / len(inds):.0%}），可考核性不足。",
            suggestion="建议至少把产出指标和一个效益指标改为定量指标。",
            data={"qualitative": len(qual), "total": len(inds)},
        )
    elif len(benefit) >= 2 and all(i.value.kind == "qualitative" for i in benefit):
        yield ctx.hit(
            ctx.form_target(),
            f"全部 {len(benefit)} 个效益指标都是定性指标。",
            suggestion="建议至少设置一个可量化的效益指标。",
        )
