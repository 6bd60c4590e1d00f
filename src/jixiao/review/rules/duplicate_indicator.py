import re

from jixiao.review.rules import RuleSkipped, rule
from jixiao.review.text import clean_name, jaccard, norm, norm_loose, unit_family


def _same_target(x, y) -> bool:
    """Both quantitative with the same number and the same unit family."""
    vx, vy = x.value, y.value
    return (vx.kind == vy.kind == "quantitative" and vx.number == vy.number
            and unit_family(vx.unit) == unit_family(vy.unit))


@rule("JX401", "duplicate-indicator", severity="warning", dimension="规范性", standing="I", ref="R25")
def duplicate_indicator(form, ctx):
    """The same or a near-identical indicator appears twice in one form.

    Detects:
        Two indicators with the same name (punctuation and "指标N." numbering ignored); or names
        with a character-bigram Jaccard similarity ≥ 0.9, or ≥ ``lexical`` (default 0.8) with the
        same quantitative target (same number, same kind of unit); or, when the
        embedding model is available, a cosine similarity ≥ the model's calibrated ``duplicate``
        threshold together with a lexical similarity ≥ 0.5 *and* the same quantitative target
        (same number, same kind of unit). Each later row is reported once, pointing at the first.
        Shared wording alone is not enough: 孕产妇7天访视数 and 孕产妇42天访视数, or 药品/化妆品不良反应
        报告数, are different indicators.
    Why:
        R25 [V S3]: 101号's 重点突出 asks for a small set of core, non-redundant indicators. No
        document forbids duplicates in so many words, so the rule itself is [I].
    Bad:
        project: 司法鉴定培训经费
        产出指标 | 数量指标 | 参与司法鉴定培训人数 | =300(人次)
        产出指标 | 数量指标 | 参与司法鉴定培训人数 | =300(人次)
    Better:
        project: 司法鉴定培训经费
        产出指标 | 数量指标 | 参与司法鉴定培训人数 | =300(人次)
        产出指标 | 质量指标 | 培训考核通过率 | ≥98(%)
    Options:
        lexical = 0.8
    """
    # names without any letter are transcription junk ("0"): placeholder-value reports them
    inds = [(i, ind) for i, ind in ctx.indicators() if re.search(r"[^\W\d_]", norm(ind.name))]
    if len(inds) < 2:
        return
    lex_t = float(ctx.option("lexical", 0.8))
    sims = None
    try:
        emb = ctx.embedder()
        vecs = emb.encode([clean_name(ind.name) for _, ind in inds])
        sims = vecs @ vecs.T
        emb_t = float(emb.thresholds["duplicate"])
    except RuleSkipped:
        emb_t = None
    reported = set()
    for a in range(len(inds)):
        for b in range(a + 1, len(inds)):
            ia, x = inds[a]
            ib, y = inds[b]
            if ib in reported:
                continue
            same = norm_loose(clean_name(x.name)) == norm_loose(clean_name(y.name))
            lex = jaccard(clean_name(x.name), clean_name(y.name))
            how = None
            if same:
                how = "名称相同"
            elif lex >= 0.9 or (lex >= lex_t and _same_target(x, y)):
                how = f"名称相似度 {lex:.2f}"
            elif sims is not None and emb_t is not None and sims[a, b] >= emb_t and lex >= 0.5 and _same_target(x, y):
                how = f"语义相似度 {float(sims[a, b]):.2f}"
            if how:
                reported.add(ib)
                yield ctx.hit(
                    ctx.indicator_target(ib),
                    f"指标“{y.name}”与第 {ia + 1} 行“{x.name}”重复（{how}）。",
                    suggestion="建议合并重复指标，或改为衡量不同方面（如一个数量指标加一个质量指标）。",
                    data={"duplicate_of": ia, "lexical": round(lex, 3)},
                )
