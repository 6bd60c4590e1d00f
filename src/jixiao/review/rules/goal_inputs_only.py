import re

from jixiao.review.findings import TARGET_ZH
from jixiao.review.rules import rule
from jixiao.review.text import MONEY_UNITS, norm, quantities
from jixiao.review.vocab import words


@rule("JX104", "goal-inputs-only", severity="warning", dimension="相关性", standing="V", ref="R04")
def goal_inputs_only(form, ctx):
    """The goal only says how the money is spent (用于…万元), not what it will achieve.

    Detects:
        A goal with at least two spending cues (money amounts such as 30万元, or words like 用于,
        支付, 经费) and neither a non-money quantity (32所, 500人次) nor an effect verb (提升, 降低,
        完成, 覆盖 …; ``goal.effect_cues`` in the vocabulary).
    Why:
        R04 [V S2, S5, S18]: a performance goal is the expected output and effect; a local rule
        states that inputs (money, staff, materials) cannot serve as goals, and a real filled form
        whose "goal" is only a spending split exists [V S15].
    Bad:
        project: 基建项目服务经费
        annual_goal: 本项目申请资金90万元，其中30万元用于预算编制、30万元用于审计、30万元用于设计测绘。
    Better:
        project: 基建项目服务经费
        annual_goal: 完成50个基建项目的预算编制、审计和设计服务，报告一次通过率≥95%，审减率≥5%。
    """
    inputs = words("goal", "input_cues")
    effects = words("goal", "effect_cues")
    seen = set()
    for kind in ("annual_goal", "overall_goal"):
        text = norm(getattr(form, kind))
        if not text or text in seen:
            continue
        seen.add(text)
        qty = quantities(text)
        money = [q for q in qty if q[1] in MONEY_UNITS]
        other = [q for q in qty if q[1] not in MONEY_UNITS]
        n_input = len(money) + sum(text.count(w) for w in inputs if w not in ("资金", "预算"))
        if n_input < 2 or other or any(e in text for e in effects):
            continue
        if not money and not re.search(r"用于|支付", text):
            continue
        label = TARGET_ZH[kind]
        yield ctx.hit(
            ctx.goal_target(kind),
            f"{label}只列出资金用途或投入，没有说明要形成的产出和效果。",
            suggestion="建议改写为产出和效果：完成什么、多少、达到什么标准，例如“完成50个项目的审计，审减率≥5%”。",
        )
