from jixiao.review.rules import rule


def _wan(x: float) -> str:
    return f"{x / 10000:,.2f}万元"


@rule("JX501", "funds-inconsistent", severity="error", dimension="适当性", standing="I", ref="R06")
def funds_inconsistent(form, ctx):
    """The funds block does not add up (财政资金 + 其他资金 ≠ 总额, a part larger than the total…).

    Detects:
        With the funds in 元: a negative amount; fiscal, other or carry-over funds larger than the
        total; fiscal + other different from the total (when all three are given) by more than
        ``tolerance`` (default 1 元).
    Why:
        R06: goals must match the money (相应匹配, recalled from 88号 [R]); the Shanghai finance bureau
        reports tightening the goal–budget match in review [V S19]. That a funds block whose parts
        do not add up is an error is plain arithmetic [I].
    Bad:
        project: 办公用房修缮及装修经费
        funds: total=9593190 fiscal=9593190 other=500000
    Better:
        project: 办公用房修缮及装修经费
        funds: total=9593190 fiscal=9593190 other=0
    Options:
        tolerance = 1.0 (元)
    """
    f = form.funds
    tol = float(ctx.option("tolerance", 1.0))
    parts = {"项目资金总额": f.total, "财政资金": f.fiscal, "其他资金": f.other, "上年结转资金": f.carryover}
    for label, v in parts.items():
        if v is not None and v < 0:
            yield ctx.hit(ctx.form_target(), f"{label}为负数（{v:,.2f}元）。",
                          suggestion="建议核对资金表，金额不应为负数。", data={"field": label})
    if f.total is None:
        return
    for label in ("财政资金", "其他资金", "上年结转资金"):
        v = parts[label]
        if v is not None and v > f.total + tol:
            yield ctx.hit(ctx.form_target(), f"{label}（{_wan(v)}）大于项目资金总额（{_wan(f.total)}）。",
                          suggestion="建议核对资金来源各栏。", data={"field": label})
    if f.fiscal is not None and f.other is not None and abs(f.fiscal + f.other - f.total) > tol:
        yield ctx.hit(
            ctx.form_target(),
            f"财政资金 {_wan(f.fiscal)} + 其他资金 {_wan(f.other)} = {_wan(f.fiscal + f.other)}，"
            f"与项目资金总额 {_wan(f.total)} 不一致。",
            suggestion="建议核对资金来源各栏，使分项之和等于总额。",
            data={"difference": round(f.fiscal + f.other - f.total, 2)},
        )
