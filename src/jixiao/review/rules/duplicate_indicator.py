import re

from jixiao.review.rules import RuleSkipped, rule
import math

from jixiao.review.text import bigrams, clean_name, norm, norm_loose, unit_family

# Forms up to this many indicators compare every pair; larger ones (a 10,000-row table) only the
# pairs that can reach the lexical threshold (prefix filtering), which finds exactly the same pairs.
_ALL_PAIRS = 64


def _same_target(x, y) -> bool:
    """Both quantitative with the same number and the same unit family."""
    vx, vy = x.value, y.value
    return (vx.kind == vy.kind == "quantitative" and vx.number == vy.number
            and unit_family(vx.unit) == unit_family(vy.unit))


def _sim(sims, vecs, a: int, b: int) -> float:
    return float(sims[a, b]) if sims is not None else float(vecs[a] @ vecs[b])


def _candidate_pairs(loose: list[str], grams: list[set[str]], t: float) -> list[tuple[int, int]]:
    """Pairs ``(a, b)``, ``a < b``, in loop order, that can be the same name or have a bigram Jaccard ≥ t.

    Small forms: all pairs. Large ones: pairs with the same loose name plus pairs whose bigram
    prefixes (rarest bigrams first, the |x| - ceil(t·|x|) + 1 rarest) intersect; a Jaccard ≥ t needs
    an overlap ≥ t·|x|, so no qualifying pair is left out.
    """
    n = len(loose)
    if n <= _ALL_PAIRS or t <= 0:
        return [(a, b) for a in range(n) for b in range(a + 1, n)]
    pairs: set[tuple[int, int]] = set()
    by_name: dict[str, list[int]] = {}
    for i, k in enumerate(loose):
        by_name.setdefault(k, []).append(i)
    for ids in by_name.values():
        pairs.update((ids[x], ids[y]) for x in range(len(ids)) for y in range(x + 1, len(ids)))
    freq: dict[str, int] = {}
    for g in grams:
        for w in g:
            freq[w] = freq.get(w, 0) + 1
    posting: dict[str, list[int]] = {}
    for i, g in enumerate(grams):
        if not g:
            continue
        order = sorted(g, key=lambda w: (freq[w], w))
        plen = len(order) - max(math.ceil(t * len(order) - 1e-9), 1) + 1
        seen = set()
        for w in order[:plen]:
            for j in posting.get(w, ()):
                if j not in seen:
                    seen.add(j)
                    pairs.add((j, i))
            posting.setdefault(w, []).append(i)
    return sorted(pairs)


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
    sims = vecs = None
    try:
        emb = ctx.embedder()
        vecs = emb.encode([clean_name(ind.name) for _, ind in inds])
        if len(inds) <= _ALL_PAIRS:
            sims = vecs @ vecs.T
        emb_t = float(emb.thresholds["duplicate"])
    except RuleSkipped:
        emb_t = None
    keys = [clean_name(ind.name) for _, ind in inds]
    loose = [norm_loose(k) for k in keys]
    grams = [bigrams(k) for k in keys]
    reported = set()
    for a, b in _candidate_pairs(loose, grams, min(0.5, lex_t)):
        ia, x = inds[a]
        ib, y = inds[b]
        if ib in reported:
            continue
        same = loose[a] == loose[b]
        gx, gy = grams[a], grams[b]
        lex = len(gx & gy) / len(gx | gy) if gx and gy else 0.0
        how = None
        if same:
            how = "名称相同"
        elif lex >= 0.9 or (lex >= lex_t and _same_target(x, y)):
            how = f"名称相似度 {lex:.2f}"
        elif emb_t is not None and lex >= 0.5 and _sim(sims, vecs, a, b) >= emb_t and _same_target(x, y):
            how = f"语义相似度 {_sim(sims, vecs, a, b):.2f}"
        if how:
            reported.add(ib)
            yield ctx.hit(
                ctx.indicator_target(ib),
                f"指标“{y.name}”与第 {ia + 1} 行“{x.name}”重复（{how}）。",
                suggestion="建议合并重复指标，或改为衡量不同方面（如一个数量指标加一个质量指标）。",
                data={"duplicate_of": ia, "lexical": round(lex, 3)},
            )
