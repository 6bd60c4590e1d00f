import math
import re

from jixiao.review.rules import RuleSkipped, rule
from jixiao.review.text import bigram_bag, clean_name, name_numbers, norm, norm_loose, unit_family

# Forms up to this many indicators compare every pair; larger ones (a 10,000-row table) only the
# pairs that can reach a reporting threshold (:func:`_large_form_pairs`), which finds the same findings.
_ALL_PAIRS = 64


def _same_target(x, y) -> bool:
    """Both quantitative with the same number and the same unit family."""
    vx, vy = x.value, y.value
    return (vx.kind == vy.kind == "quantitative" and vx.number == vy.number
            and unit_family(vx.unit) == unit_family(vy.unit))


def _sim(sims, vecs, a: int, b: int) -> float:
    return float(sims[a, b]) if sims is not None else float(vecs[a] @ vecs[b])


def _target_key(ind):
    """Indicators with equal keys have the same quantitative target (see :func:`_same_target`)."""
    v = ind.value
    if v.kind != "quantitative" or (v.number is not None and v.number != v.number):  # NaN equals nothing
        return None
    return (v.number, unit_family(v.unit))


def _numbers_differ(x: tuple[float, ...], y: tuple[float, ...]) -> bool:
    """Both names carry numbers (:func:`~jixiao.review.text.name_numbers`) and they are not the same."""
    return bool(x) and bool(y) and x != y


def _large_form_pairs(inds, loose: list[str], grams: list[frozenset], lex_t: float):
    """For each row ``b``, its candidate earlier rows ``a`` (ascending), for forms too large for all pairs.

    A pair can only be reported when the loose names are equal, or the bigram Jaccard is ≥ 0.9, or
    (same quantitative target only) ≥ min(0.5, ``lexical``). The Jaccard is that of the bigram
    bags (:func:`~jixiao.review.text.bigram_bag`: each bigram tagged with its occurrence number), so
    it is a plain set Jaccard over those tagged bigrams and prefix filtering applies unchanged: with
    the tagged bigrams in one global order (rarest first), two sets with Jaccard ≥ t share one of
    their first |x| - ceil(t·|x|) + 1 elements. So the candidates are a superset of the qualifying
    pairs (the number check in the rule only removes pairs), and memory stays linear (no list of
    all pairs).
    """
    freq: dict[tuple[str, int], int] = {}
    for g in grams:
        for w in g:
            freq[w] = freq.get(w, 0) + 1
    t_low = min(0.5, lex_t)
    by_name: dict[str, list[int]] = {}
    post_high: dict[str, list[int]] = {}  # all rows, Jaccard ≥ 0.9
    post_low: dict[tuple, list[int]] = {}  # (target key, bigram), Jaccard ≥ t_low
    keys = [_target_key(ind) for _, ind in inds]

    def prefix(order: list[str], t: float) -> list[str]:
        return order[: len(order) - max(math.ceil(t * len(order) - 1e-9), 1) + 1]

    for b in range(len(loose)):
        order = sorted(grams[b], key=lambda w: (freq[w], w))
        found = set(by_name.get(loose[b], ()))
        for w in prefix(order, 0.9):
            found.update(post_high.get(w, ()))
        low = prefix(order, t_low) if keys[b] is not None and t_low > 0 else []
        for w in low:
            found.update(post_low.get((keys[b], w), ()))
        if keys[b] is not None and t_low <= 0:  # no lexical floor: every row with the same target
            found.update(post_low.get((keys[b], None), ()))
        yield b, sorted(found)
        by_name.setdefault(loose[b], []).append(b)
        for w in prefix(order, 0.9):
            post_high.setdefault(w, []).append(b)
        for w in low:
            post_low.setdefault((keys[b], w), []).append(b)
        if keys[b] is not None and t_low <= 0:
            post_low.setdefault((keys[b], None), []).append(b)


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
        The Jaccard counts repeated bigrams (a multiset: Σmin/Σmax of the bigram counts), so
        第9999项 and 第99项 are not the same name. Names that both carry numbers, and not the same
        ones in the same order, are never duplicates: 第1批/第2批, 一期/二期, 一号/二号, 2023年/2024年,
        第99项/第9999项 name different things (Arabic numbers, 第 + Chinese numeral, a Chinese
        numeral before a counter such as 期/号/批/类/个, AAAA级; list numbering such as "(1)" or
        "①" is not a number; 第一批 and 第1批 carry the same one). A name with a number and one
        without are compared by similarity alone. Shared wording alone is not enough:
        孕产妇7天访视数 and 孕产妇42天访视数, or 药品/化妆品不良反应报告数, are different indicators.
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
    grams = [bigram_bag(k) for k in keys]
    nums = [name_numbers(ind.name) for _, ind in inds]

    def judge(a: int, b: int):
        x, y = inds[a][1], inds[b][1]
        gx, gy = grams[a], grams[b]
        lex = len(gx & gy) / len(gx | gy) if gx and gy else 0.0
        if _numbers_differ(nums[a], nums[b]):  # 第1批/第2批, 一期/二期: different things
            return None, lex
        if loose[a] == loose[b]:
            return "名称相同", lex
        if lex >= 0.9 or (lex >= lex_t and _same_target(x, y)):
            return f"名称相似度 {lex:.2f}", lex
        if emb_t is not None and lex >= 0.5 and _sim(sims, vecs, a, b) >= emb_t and _same_target(x, y):
            return f"语义相似度 {_sim(sims, vecs, a, b):.2f}", lex
        return None, lex

    found: list[tuple[int, int, str, float]] = []  # (a, b, how, lex): each row b against its first match a
    if len(inds) <= _ALL_PAIRS:
        reported = set()
        for a in range(len(inds)):
            for b in range(a + 1, len(inds)):
                if b in reported:
                    continue
                how, lex = judge(a, b)
                if how:
                    reported.add(b)
                    found.append((a, b, how, lex))
    else:
        for b, cands in _large_form_pairs(inds, loose, grams, lex_t):
            for a in cands:
                how, lex = judge(a, b)
                if how:
                    found.append((a, b, how, lex))
                    break
        found.sort()
    for a, b, how, lex in found:
        (ia, x), (ib, y) = inds[a], inds[b]
        yield ctx.hit(
            ctx.indicator_target(ib),
            f"指标“{y.name}”与第 {ia + 1} 行“{x.name}”重复（{how}）。",
            suggestion="建议合并重复指标，或改为衡量不同方面（如一个数量指标加一个质量指标）。",
            data={"duplicate_of": ia, "lexical": round(lex, 3)},
        )
