import re

from jixiao.review.findings import TARGET_ZH
from jixiao.review.rules import rule
from jixiao.review.text import MONEY_UNITS, norm, quantities
from jixiao.review.vocab import words


def _object_after(text: str, matched: str) -> str:
    """The few characters naming what a goal quantity counts ("32所" -> "32所学校")."""
    i = text.find(matched)
    tail = text[i + len(matched) : i + len(matched) + 8]
    tail = re.split(r"[，,。；;、:：（(）)\s\d%]|和|及|并", tail)[0]
    try:
        from jixiao.nlp.segment import cut

        words = cut(tail)
        tail = words[0] if words else ""
    except Exception:  # segmenter not available: keep up to 4 characters
        tail = tail[:4]
    return matched + tail


@rule("JX105", "goal-not-covered", severity="warning", dimension="相关性", standing="R", ref="R05",
      needs_complete=True)
def goal_not_covered(form, ctx):
    """A quantity promised in the goal (32所学校, 500人次, 90%) has no indicator carrying it.

    Detects:
        Numbers with a unit in the annual goal (the overall goal when there is no annual goal) —
        money amounts, years and background figures (just after 户籍, 常住, 现有, 其中 …;
        ``goal.background_cues``) excluded — whose number appears in no indicator value and no
        indicator name. One finding per goal, listing the uncovered quantities. Forms whose source
        shows only part of the indicator table are skipped.
    Why:
        R05: every goal should have associated, refined and quantified indicators (relevance test,
        recalled from 88号 [R]; 101号 principle 高度关联 [V S3]). The number match is a heuristic
        [I]: a quantity restated in another unit (万人 vs 人) is not recognised.
    Bad:
        project: 基层法律服务培训
        annual_goal: 全年培训基层法律服务工作者500人次，培训满意度达到90%。
        满意度指标 | 服务对象满意度指标 | 参训人员满意度 | ≥90(%)
    Better:
        project: 基层法律服务培训
        annual_goal: 全年培训基层法律服务工作者500人次，培训满意度达到90%。
        产出指标 | 数量指标 | 培训基层法律服务工作者人次 | ≥500(人次)
        满意度指标 | 服务对象满意度指标 | 参训人员满意度 | ≥90(%)
    """
    if not form.indicators:
        return
    kind = "annual_goal" if norm(form.annual_goal) else "overall_goal"
    text = norm(getattr(form, kind))
    if not text:
        return
    have = set()
    texts = []
    for ind in form.indicators:
        if ind.value.number is not None:
            have.add(round(ind.value.number, 4))
        texts.append(norm(ind.name) + " " + norm(ind.value.raw))
    blob = " ".join(texts)
    missing = []
    background = words("goal", "background_cues")
    for num, unit, matched in quantities(text):
        if unit in MONEY_UNITS:
            continue
        pos = text.find(matched)
        if any(c in text[max(0, pos - 8) : pos] for c in background):
            continue
        n = round(num, 4)
        if n in have or (unit.startswith("万") and round(num * 10000, 4) in have):
            continue
        numtxt = matched[: len(matched) - len(unit)].strip()
        if re.search(r"(?<![\d.])" + re.escape(numtxt) + r"(?![\d.])", blob):
            continue
        obj = _object_after(text, matched)
        if obj not in missing:
            missing.append(obj)
    if missing:
        label = TARGET_ZH[kind]
        shown = "、".join(f"“{m}”" for m in missing[:5]) + ("等" if len(missing) > 5 else "")
        yield ctx.hit(
            ctx.goal_target(kind),
            f"{label}中的 {shown} 在指标表中没有对应的指标值。",
            suggestion="建议为目标中的每项承诺设置对应的三级指标，例如在数量指标中增加“…人次 ≥500(人次)”。",
            data={"quantities": missing},
        )
