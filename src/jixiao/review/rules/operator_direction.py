from jixiao.review.rules import rule
from jixiao.review.text import clean_name, expected_family, unit_family
from jixiao.review.vocab import words


def direction(name: str) -> str | None:
    """'higher' (more is better), 'lower' (less is better) or None, from the name's cue words."""
    n = clean_name(name)
    if any(n.endswith(s) for s in words("direction", "higher_suffix")):
        return "higher"
    flip = any(w in n for w in words("direction", "flip"))
    if not flip and any(n.endswith(s) for s in words("direction", "lower_suffix")):
        return "lower"
    if not flip and any(c in n for c in words("direction", "lower_contains")) and any(
        n.endswith(e) for e in words("direction", "lower_contains_endings")
    ):
        return "lower"
    if any(c in n for c in words("direction", "cost_contains")) and not any(
        s in n for s in words("direction", "cost_skip")
    ):
        return "lower"
    return None


@rule("JX307", "operator-direction", severity="warning", dimension="规范性", standing="V", ref=("R15", "R24"))
def operator_direction(form, ctx):
    """The comparison operator points the wrong way (≥ on an incident rate, ≤ on a coverage rate).

    Detects:
        A "more is better" indicator (name ending in 覆盖率, 合格率, 满意度, 及时率 …) with ≤ or <, or a
        "less is better" one (发生率, 投诉率, 事故次数, 成本, 单价 …) with ≥ or >. Names with a
        turning word (投诉处理率, 事故整改率, 成本节约率) are not "less is better". Cue lists are in
        ``direction`` in the vocabulary.
    Why:
        R15 [V S12]: budget software scores =/≥/> as positive indicators (target is a floor) and
        </≤ as reverse indicators (target is a ceiling), so a reversed operator turns the scoring
        upside down; a real defect is "运行率 ≤99%" [V S21]. ≥ on a cost is R24 [V S8, S11].
    Bad:
        project: 办公用房修缮及装修经费
        效益指标 | 社会效益指标 | 安全事故发生率 | ≥0(%)
        产出指标 | 质量指标 | 设备稳定运行率 | ≤99(%)
    Better:
        project: 办公用房修缮及装修经费
        效益指标 | 社会效益指标 | 安全事故发生率 | ≤0.5(%)
        产出指标 | 质量指标 | 设备稳定运行率 | ≥99(%)
    """
    for i, ind in ctx.indicators():
        v = ind.value
        if v.kind != "quantitative" or v.op not in (">=", ">", "<=", "<"):
            continue
        exp = expected_family(ind.name)
        if exp and unit_family(v.unit) not in (exp[0], *exp[1]) and v.unit:
            continue  # the unit contradicts the name: unit-mismatch reports it
        d = direction(ind.name)
        if d == "higher" and v.op in ("<=", "<"):
            yield ctx.hit(
                ctx.indicator_target(i),
                f"“{ind.name}”越高越好，但指标值用了上限“{v.raw}”。",
                suggestion="建议改为“≥”（目标是下限），或改用反向指标（如故障率）并保留“≤”。",
                data={"direction": d, "op": v.op},
            )
        elif d == "lower" and v.op in (">=", ">"):
            yield ctx.hit(
                ctx.indicator_target(i),
                f"“{ind.name}”越低越好，但指标值用了下限“{v.raw}”。",
                suggestion="建议改为“≤”（目标是上限）。",
                data={"direction": d, "op": v.op},
            )
