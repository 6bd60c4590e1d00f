from jixiao.review.rules import rule
from jixiao.review.text import norm
from jixiao.taxonomy import LEVEL2_COST_2021
from jixiao.review.vocab import words


@rule("JX505", "negative-externality", severity="info", dimension="完整性", standing="V", ref="R27",
      needs_complete=True)
def negative_externality(form, ctx):
    """A construction, road, demolition, waste or energy project with no social or environmental cost indicator.

    Detects:
        A form that uses the 2021 layout (成本指标 as a level 1, or a 经济/社会/生态环境成本 level 2)
        whose project name contains a negative-externality cue (``cues.externality``: 道路, 拆除,
        施工, 管网, 垃圾, 污水, 燃气 …) but has no 社会成本指标 or 生态环境成本指标 row. Legacy-layout
        forms have no place for these and are skipped.
    Why:
        R27 [V S3]: 101号 asks projects with negative externalities to set negative-effect cost
        indicators (social cost, eco-environmental cost). Which projects have them is judged from
        name cues [I], hence info.
    Bad:
        project: 城区道路改造工程
        成本指标 | 经济成本指标 | 每公里道路改造成本 | ≤300(万元/公里)
        产出指标 | 数量指标 | 改造道路长度 | ≥12(公里)
        效益指标 | 社会效益指标 | 道路平均通行时间缩短 | ≥10(%)
    Better:
        project: 城区道路改造工程
        成本指标 | 经济成本指标 | 每公里道路改造成本 | ≤300(万元/公里)
        成本指标 | 生态环境成本指标 | 施工扬尘超标次数 | =0(次)
        产出指标 | 数量指标 | 改造道路长度 | ≥12(公里)
        效益指标 | 社会效益指标 | 道路平均通行时间缩短 | ≥10(%)
    """
    l2 = {i.level2 for i in form.indicators}
    layout_2021 = any(ctx.level1_of(i) == "成本指标" for i in form.indicators) or bool(l2 & set(LEVEL2_COST_2021))
    if not layout_2021 or {"社会成本指标", "生态环境成本指标"} & l2:
        return
    cue = next((w for w in words("cues", "externality") if w in norm(form.project_name)), None)
    if cue:
        yield ctx.hit(
            ctx.form_target(),
            f"项目名称含“{cue}”，可能带来施工扰民、交通或环境影响，但没有社会成本或生态环境成本指标。",
            suggestion="建议考虑增加负面影响成本指标，例如“施工扬尘超标次数 =0(次)”“交通中断天数 ≤3(天)”。",
            data={"cue": cue},
        )
