from jixiao.review.findings import TARGET_ZH
from jixiao.review.rules import rule
from jixiao.review.text import has_number, norm
from jixiao.review.vocab import words


@rule("JX103", "vague-goal", severity="warning", dimension="可衡量性", standing="V", ref="R03")
def vague_goal(form, ctx):
    """The goal text is a slogan: no number, date or quantity, only phrases like 进一步提升/确保/做好.

    Detects:
        An overall or annual goal that contains no quantity or date at all and uses at least one
        vague phrase from the vocabulary (``goal.vague_phrases`` in ``data/review_vocab.toml``:
        进一步, 提升, 确保, 做好, 保障, 正常运转 …). Reported once per goal field; when both goals
        are the same text only the annual goal is reported.
    Why:
        R03 [V S5, S6, S3]: goals should be specific, broken down by quantity, quality, cost and
        time, and quantified where possible (101号: 量化易评). Real examples of the defect are
        "做好…认定工作" and "保证单位正常运转" [V S12b].
    Bad:
        project: 公共法律服务工作经费
        annual_goal: 进一步提升公共服务水平，确保各项工作顺利开展。
    Better:
        project: 公共法律服务工作经费
        annual_goal: 全年受理并办结法律援助案件≥300件，办结时限≤15个工作日，当事人满意度≥90%。
    """
    phrases = words("goal", "vague_phrases")
    seen = set()
    for kind in ("annual_goal", "overall_goal"):
        text = norm(getattr(form, kind))
        if not text or text in seen or len(text) < 6:
            continue
        seen.add(text)
        if has_number(text):
            continue
        found = [p for p in phrases if p in text]
        if not found:
            continue
        label = TARGET_ZH[kind]
        cues = "、".join(dict.fromkeys(found[:4]))
        yield ctx.hit(
            ctx.goal_target(kind),
            f"{label}没有任何数量、时间或可计数的对象，主要是“{cues}”等表述，无法据以考核。",
            suggestion="建议写明本年度的具体产出（做多少、做到什么标准、何时完成）和可衡量的效果。",
            data={"cues": found[:6]},
        )
