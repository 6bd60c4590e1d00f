"""Evaluation of the level-2 indicator classifier (``make eval``).

    .venv/bin/python -m jixiao.nlp.evaluate            # writes models/classifier-v1/EVAL.md + eval.json (~5 min)

Three methods are compared in the same run, on the same rows and the same folds:

``model``     the shipped configuration of :class:`jixiao.nlp.classify.IndicatorClassifier`
``tfidf``     TF-IDF over character 1–3-grams of the name + logistic regression (class_weight balanced)
``model_noembed`` the same without the embedding block (ablation; only when the model uses one)
``keywords``  the cue file ``data/category_cues.toml`` alone (:func:`jixiao.nlp.features.keyword_predict`)

Two splits: grouped K-fold by form (no form in both train and test) and leave-one-province-out
(province = first token of ``Source.region``). The shipped model's C is chosen by NESTED grouped CV:
inside each outer fold, by macro-F1 of a 3-fold grouped-by-form CV on that fold's training rows only
(``nested=False`` uses the shipped C everywhere, a quicker and slightly optimistic check). The
TF-IDF baseline's C is the best of its grid by grouped-CV macro-F1 on the whole corpus (optimistic
for the baseline). Confidence calibration (ECE, 10 bins): with nested C each fold's temperature is
fitted on the inner out-of-fold logits of its own training rows (as training does); otherwise on
the OTHER folds' logits.

It also scores (unless ``--no-variants``) every configuration that was tried while developing the
model (:data:`VARIANTS`: stacking, kNN expert, product of experts, label-noise weighting, word
features …) on the same folds at one fixed C, for the "what was tried" table of EVAL.md.

Figures on the corpus labels and, where ``models/classifier-v1/label_corrections.tsv`` exists, on
the labels with those transparent hand corrections (each row names the indicator and the reason).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from jixiao.model import Form, Value
from jixiao.nlp.features import CLASSES, clean_name, keyword_predict, load_cues, training_label

METHODS = ("model", "model_noembed", "tfidf", "keywords")
TFIDF_C_GRID = (1.0, 3.0, 10.0, 30.0, 100.0)
CORRECTIONS_FILE = "label_corrections.tsv"


@dataclass
class Row:
    name: str
    value: Value
    label: str  # training label (one of the 9 standard categories)
    raw_label: str  # the form's level2 (may be a 2021 cost sub-type)
    form: str
    province: str
    template: str
    index: int  # position of the indicator in its form


def province_of(form: Form) -> str:
    """The hold-out group of leave-one-province-out (:attr:`Form.province`, or ``(unknown)``)."""
    return form.province or "(unknown)"


_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_junk_name(name: str) -> bool:
    """Rows that say nothing about a category: no Chinese name (``0``) or "not applicable"."""
    s, _ = clean_name(name)
    return len(_CJK.findall(s)) < 2 or "不适用" in s


def training_rows(forms: list[Form], labels: dict[tuple[str, int], str] | None = None) -> list[Row]:
    """Indicators with a standard (or 2021 cost) level-2 label and a real name. The label is the
    form's own, or with ``labels`` (``(form id, position) -> level 2``, e.g. the gold labels) that one,
    for the rows it gives."""
    rows = []
    for f in forms:
        for k, ind in enumerate(f.indicators):
            lab = training_label(ind.level2) if labels is None else labels.get((f.id, k))
            if lab is None or is_junk_name(ind.name):
                continue
            rows.append(Row(ind.name, ind.value, lab, ind.level2 or "", f.id, province_of(f), f.source.template, k))
    return rows


# --------------------------------------------------------------------------- metrics


def metrics(y: list[str], pred: list[str]) -> dict[str, Any]:
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    labels = [c for c in CLASSES if c in set(y)]
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
    return {
        "n": len(y),
        "accuracy": float(np.mean(np.array(y) == np.array(pred))) if y else 0.0,
        "level1_accuracy": float(np.mean([_group(a) == _group(b) for a, b in zip(y, pred)])) if y else 0.0,
        "macro_f1": float(f1_score(y, pred, labels=labels, average="macro", zero_division=0)) if y else 0.0,
        "per_class": {
            c: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
            for i, c in enumerate(labels)
        },
    }


def confusion(y: list[str], pred: list[str]) -> list[list[int]]:
    M = np.zeros((len(CLASSES), len(CLASSES)), dtype=int)
    for a, b in zip(y, pred):
        M[CLASSES.index(a), CLASSES.index(b)] += 1
    return M.tolist()


def ece(conf: np.ndarray, correct: np.ndarray, bins: int = 10) -> dict[str, Any]:
    """Expected calibration error over equal-width confidence bins, plus the reliability table."""
    edges = np.linspace(0, 1, bins + 1)
    table, total = [], 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi) if lo > 0 else (conf >= lo) & (conf <= hi)
        if m.sum() == 0:
            continue
        acc, cf = float(correct[m].mean()), float(conf[m].mean())
        total += m.sum() / len(conf) * abs(acc - cf)
        table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": int(m.sum()), "confidence": cf, "accuracy": acc})
    return {"ece": float(total), "bins": table}


# --------------------------------------------------------------------------- methods


def _split_groups(rows: list[Row], split: str, n_splits: int) -> list[tuple[np.ndarray, np.ndarray, str]]:
    from sklearn.model_selection import GroupKFold

    idx = np.arange(len(rows))
    if split == "form":
        groups = [r.form for r in rows]
        k = min(n_splits, len(set(groups)))
        return [(tr, te, f"fold{i + 1}") for i, (tr, te) in enumerate(GroupKFold(n_splits=k).split(idx, idx, groups))]
    provs = sorted({r.province for r in rows})
    out = []
    for p in provs:
        te = np.array([i for i, r in enumerate(rows) if r.province == p])
        tr = np.array([i for i, r in enumerate(rows) if r.province != p])
        out.append((tr, te, p))
    return out


def _features(rows, tr, te, blocks, weights, emb):
    from jixiao.nlp.features import Featurizer

    fz = Featurizer(blocks=tuple(blocks), weights=weights)
    if emb is not None and "embed" in blocks:
        fz.set_embedder(emb)
    fz.fit([rows[i].name for i in tr])
    Xtr = fz.transform([rows[i].name for i in tr], [rows[i].value for i in tr])
    Xte = fz.transform([rows[i].name for i in te], [rows[i].value for i in te])
    return Xtr, Xte


def _logits_model(rows, tr, te, C, blocks, weights, emb, sample_weight=None):
    from jixiao.nlp.classify import IndicatorClassifier

    from jixiao.nlp.classify import rare_mask, rare_prior

    clf = IndicatorClassifier(C=C, blocks=blocks, weights=weights)
    Xtr, Xte = _features(rows, tr, te, blocks, weights, emb)
    y = np.array([CLASSES.index(rows[i].label) for i in tr])
    coef, icpt = clf._fit_lr(Xtr, y, C, sample_weight)
    # the shipped model's rare-class cue vote, with the rare classes counted on the training fold
    prior = rare_prior([rows[i].name for i in te], [rows[i].value for i in te], rare_mask(y, len(CLASSES)))
    return Xte @ coef.T + icpt + prior


def _nested_c(rows, tr, blocks, weights, emb, c_grid, inner: int = 5, criterion: str | None = None):
    """(C, temperature) chosen on the training rows ``tr`` only, exactly as training does on the
    corpus: C by ``criterion`` (default :data:`jixiao.nlp.classify.C_CRITERION`) over an inner
    grouped-by-form CV, then T fitted on that C's inner out-of-fold logits."""
    from sklearn.model_selection import GroupKFold

    from jixiao.nlp.classify import C_CRITERION, IndicatorClassifier, best_c, oof_score, rare_mask, rare_prior

    tr = np.asarray(tr)
    groups = [rows[i].form for i in tr]
    k = min(inner, len(set(groups)))
    splits = [(tr[a], tr[b]) for a, b in GroupKFold(n_splits=k).split(tr, tr, groups)]
    feats = [_features(rows, a, b, blocks, weights, emb) for a, b in splits]
    y = np.array([CLASSES.index(rows[i].label) for i in tr])
    pos = {int(i): j for j, i in enumerate(tr)}
    clf = IndicatorClassifier(blocks=blocks, weights=weights)
    priors = [rare_prior([rows[i].name for i in b], [rows[i].value for i in b],
                         rare_mask(y[[pos[int(i)] for i in a]], len(CLASSES))) for a, b in splits]
    search = {}
    for C in c_grid:
        Z = np.zeros((len(tr), len(CLASSES)))
        for (a, b), (Xa, Xb), pr in zip(splits, feats, priors):
            coef, icpt = clf._fit_lr(Xa, y[[pos[int(i)] for i in a]], C)
            Z[[pos[int(i)] for i in b]] = Xb @ coef.T + icpt + pr
        search[C] = oof_score(Z, y)
    C = best_c(search, criterion or C_CRITERION)
    return C, search[C]["temperature"]


def _logits_tfidf(rows, tr, te, C):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    Xtr = vec.fit_transform([clean_name(rows[i].name)[0] for i in tr])
    Xte = vec.transform([clean_name(rows[i].name)[0] for i in te])
    y = np.array([CLASSES.index(rows[i].label) for i in tr])
    lr = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(Xtr, y)
    Z = np.full((len(te), len(CLASSES)), -30.0)
    Z[:, lr.classes_] = lr.decision_function(Xte) if len(lr.classes_) > 2 else 0.0
    return Z


def best_tfidf(rows, folds) -> tuple[float, list[str]]:
    """(C, out-of-fold predictions) of the TF-IDF baseline whose C in :data:`TFIDF_C_GRID` gives the
    best macro-F1 against ``rows``' own labels on ``folds`` (optimistic for the baseline)."""
    best = None
    for C in TFIDF_C_GRID:
        Z = _oof(rows, folds, lambda tr, te, C=C: _logits_tfidf(rows, tr, te, C))
        pred = [CLASSES[k] for k in Z.argmax(1)]
        f1 = metrics([r.label for r in rows], pred)["macro_f1"]
        if best is None or f1 > best[0]:
            best = (f1, C, pred)
    return best[1], best[2]


def _oof(rows, folds, fn) -> np.ndarray:
    Z = np.zeros((len(rows), len(CLASSES)))
    for tr, te, _ in folds:
        Z[te] = fn(tr, te)
    return Z


def _cross_fitted_proba(Z: np.ndarray, y: np.ndarray, folds) -> np.ndarray:
    """Probabilities where each fold's temperature is fitted on the other folds' logits only."""
    from jixiao.nlp.classify import _softmax, fit_temperature

    P = np.zeros_like(Z)
    for _, te, _ in folds:
        mask = np.ones(len(y), bool)
        mask[te] = False
        T = fit_temperature(Z[mask], y[mask]) if mask.any() else 1.0
        P[te] = _softmax(Z[te] / T)
    return P


def load_corrections(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """``(form, name) -> (corrected level2, reason)`` from the hand-correction TSV."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    if not path.is_file():
        return out
    with open(path, encoding="utf-8", newline="") as f:
        for rec in csv.DictReader((ln for ln in f if not ln.startswith("#")), delimiter="\t"):
            if rec.get("corrected") in CLASSES:
                out[(rec["form"], rec["name"])] = (rec["corrected"], rec.get("reason", ""))
    return out


# --------------------------------------------------------------------------- error anatomy

CONVENTION_HEADS = ("完成率", "覆盖率", "到位率", "执行率", "知晓率", "发放率")


def error_anatomy(rows: list[Row], disagreements: list[dict[str, Any]]) -> dict[str, Any]:
    """Sort the model's out-of-fold errors into label-noise / convention classes, and tabulate how
    the corpus labels a few ambiguous head words (% values only) inside and outside 上海市."""
    qty = {"数量指标", "质量指标"}
    effects = {"社会效益指标", "可持续影响指标"}
    by_key = {(r.form, r.name): r for r in rows}
    counts = {
        "hand-confirmed misfiling (label_corrections.tsv agrees with the model)": 0,
        "数量 ↔ 质量 on a rate (name ends in 率 or value in %): regional convention": 0,
        "社会效益 ↔ 可持续影响 (提升/完善/水平 wording)": 0,
        "other level-2 confusion inside the same level-1 group": 0,
        "other": 0,
    }
    keys = list(counts)
    for d in disagreements:
        r = by_key.get((d["form"], d["name"]))
        lab, pred = training_label(d["label"]), d["predicted"]
        unit = r.value.unit if r is not None else None
        rate = clean_name(d["name"])[0].endswith("率") or (unit or "").strip() in ("%", "百分比")
        if d.get("corrected") == pred:
            counts[keys[0]] += 1
        elif {lab, pred} == qty and rate:
            counts[keys[1]] += 1
        elif {lab, pred} == effects:
            counts[keys[2]] += 1
        elif _group(lab) == _group(pred):
            counts[keys[3]] += 1
        else:
            counts[keys[4]] += 1
    conv: dict[str, dict[str, Counter]] = {}
    for head in CONVENTION_HEADS:
        c = {"上海市": Counter(), "other": Counter()}
        for r in rows:
            if clean_name(r.name)[0].endswith(head) and (r.value.unit or "").strip() in ("%", "百分比"):
                c["上海市" if r.province == "上海市" else "other"][r.label] += 1
        if sum(c["上海市"].values()) + sum(c["other"].values()) >= 3:
            conv[head] = {k: dict(v) for k, v in c.items()}
    return {"counts": counts, "conventions": conv}


# --------------------------------------------------------------------------- variants ("what was tried")

_PREV = ("cues", "value", "chars", "embed")
_SHIP = ("cues", "value", "chars", "embed", "stack")
VARIANT_C = 3.0

#: Every configuration tried while developing classifier-v1, scored by ``python -m
#: jixiao.nlp.evaluate`` on the same folds at C = VARIANT_C. Keys: blocks, weights (block weights over the defaults), and optional
#: ``noise`` (training weight of rows whose label contradicts a name-end cue of ≥ 2 characters),
#: ``poe`` (weight α of a product of experts: log P_model + α log P(label | cue-rule prediction),
#: the prior counted on the training fold), ``knn`` (weight of a kNN expert: the label
#: distribution of the 10 nearest training names by embedding, never from the same form),
#: ``words`` (weight of jieba word features: bag of words, last word, last word × unit class),
#: ``form_weight`` (training rows weighted by n_form ** -form_weight, n_form = the form's row count),
#: ``hier`` (weight β of a level-1 model: log P(level 2) + β log P(level-1 group), both regressions on
#: the same features), ``rare`` (the rare-class cue vote of :func:`jixiao.nlp.classify.rare_prior`,
#: β in logit units, rare classes counted on the training fold).
VARIANTS: dict[str, dict[str, Any]] = {
    "previous model (cues,value,chars,embed)": {"blocks": _PREV},
    "+ cue-rule stacking (stack block)": {"blocks": _SHIP},
    "+ stack + rare-class cue vote β=2 [shipped]": {"blocks": _SHIP, "rare": 2.0},
    "+ stack, stack weight 2": {"blocks": _SHIP, "weights": {"stack": 2.0}},
    "+ stack, without embed": {"blocks": tuple(b for b in _SHIP if b != "embed")},
    "+ stack, value weight 1": {"blocks": _SHIP, "weights": {"value": 1.0}},
    "+ stack + label-noise weights 0.3": {"blocks": _SHIP, "noise": 0.3},
    "+ stack + jieba word features": {"blocks": _SHIP, "words": 1.0},
    "+ jieba word features (no stack)": {"blocks": _PREV, "words": 1.0},
    "+ jieba name-end word × unit only": {"blocks": _PREV, "words": 1.0, "word_kinds": ("end", "end_unit")},
    "+ kNN expert over embeddings": {"blocks": _PREV, "knn": 1.0},
    "+ label-noise weights 0.3": {"blocks": _PREV, "noise": 0.3},
    "+ label-noise weights 0.1": {"blocks": _PREV, "noise": 0.1},
    "+ stack + per-form weights 1/√n (big forms count less)": {"blocks": _SHIP, "form_weight": 0.5},
    "+ stack + per-form weights 1/n": {"blocks": _SHIP, "form_weight": 1.0},
    "+ stack, hierarchical: × P(level-1 group)^1": {"blocks": _SHIP, "hier": 1.0},
    "product of experts, α=0.5": {"blocks": _PREV, "poe": 0.5},
    "+ stack, product of experts α=0.5": {"blocks": _SHIP, "poe": 0.5},
}


def _word_tokens(rows: list[Row], kinds: tuple[str, ...] | None) -> list[list[str]]:
    from jixiao.nlp.features import View
    from jixiao.nlp.segment import cut

    cues = load_cues()
    out = []
    for r in rows:
        v = View(r.name, r.value, cues)
        w = [x for x in cut(v.name) if x.strip()]
        last = w[-1] if w else ""
        toks = {"end": ["end:" + last], "end_unit": [f"end×u:{last}|{v.ucls or 'none'}"],
                "bag": ["w:" + x for x in w]}
        out.append([t for k, ts in toks.items() if kinds is None or k in kinds for t in ts])
    return out


def _token_block(toks, tr, te, w):
    df: Counter[str] = Counter()
    for i in tr:
        df.update(set(toks[i]))
    voc = {t: j for j, t in enumerate(sorted(t for t, c in df.items() if c >= 2))}

    def M(ix):
        X = np.zeros((len(ix), len(voc)), np.float32)
        for r, i in enumerate(ix):
            for t in toks[i]:
                if t in voc:
                    X[r, voc[t]] = 1
        n = np.linalg.norm(X, axis=1, keepdims=True)
        return X / np.where(n == 0, 1, n) * w

    return M(tr), M(te)


def _knn_block(E, forms_of, y, tr, te, w, k=10, tau=0.05):
    out = np.zeros((len(forms_of), len(CLASSES)))
    S = E @ E[tr].T
    ftr = forms_of[tr]
    for i in np.concatenate([tr, te]):
        s = S[i].copy()
        s[ftr == forms_of[i]] = -np.inf  # never a neighbour from the same form
        nn = np.argsort(-s, kind="stable")[:k]
        for j, wt in zip(nn, np.exp((s[nn] - s[nn].max()) / tau)):
            out[i, y[tr][j]] += wt
        out[i] /= out[i].sum()
    return out[tr] * w, out[te] * w


def evaluate_variants(rows, n_splits, embedder, y_corr, lopo=True) -> dict[str, Any]:
    """Accuracy / macro-F1 of every :data:`VARIANTS` entry on the evaluation folds (C fixed)."""
    from jixiao.nlp.classify import DEFAULT_WEIGHTS, IndicatorClassifier, _softmax
    from jixiao.nlp.features import View, cue_hits, keyword_view_predict

    cues = load_cues()
    views = [View(r.name, r.value, cues) for r in rows]
    y = np.array([CLASSES.index(r.label) for r in rows])
    rule = np.array([CLASSES.index(keyword_view_predict(v, cues)) for v in views])
    forms_of = np.array([r.form for r in rows])
    strong = [[c for c in CLASSES if h[c][1] >= 2] for h in (cue_hits(v, cues) for v in views)]
    E = None
    tok_cache: dict[Any, list[list[str]]] = {}
    labels = [r.label for r in rows]
    out: dict[str, Any] = {"C": VARIANT_C, "results": {}}
    for name, cfg in VARIANTS.items():
        blocks = tuple(cfg["blocks"])
        weights = {**DEFAULT_WEIGHTS, **cfg.get("weights", {})}
        res = {}
        for split in ("form", "province") if lopo else ("form",):
            Z = np.zeros((len(rows), len(CLASSES)))
            for tr, te, _ in _split_groups(rows, split, n_splits):
                Xtr, Xte = _features(rows, tr, te, blocks, weights, embedder)
                extra = []
                if cfg.get("words"):
                    kinds = cfg.get("word_kinds")
                    if kinds not in tok_cache:
                        tok_cache[kinds] = _word_tokens(rows, kinds)
                    extra.append(_token_block(tok_cache[kinds], tr, te, cfg["words"]))
                if cfg.get("knn"):
                    if E is None:
                        E = np.asarray(embedder.encode([v.name for v in views]), dtype=np.float64)
                    extra.append(_knn_block(E, forms_of, y, tr, te, cfg["knn"]))
                if extra:
                    Xtr = np.hstack([Xtr] + [a for a, _ in extra])
                    Xte = np.hstack([Xte] + [b for _, b in extra])
                sw = None
                if cfg.get("form_weight"):
                    n_form = Counter(forms_of[tr])
                    sw = np.array([n_form[forms_of[i]] ** -cfg["form_weight"] for i in tr])
                    sw = sw / sw.mean()
                if cfg.get("noise"):
                    sw = np.array([cfg["noise"] if strong[i] and CLASSES[y[i]] not in strong[i] else 1.0 for i in tr])
                coef, icpt = IndicatorClassifier()._fit_lr(Xtr, y[tr], VARIANT_C, sw)
                L = Xte @ coef.T + icpt
                if cfg.get("rare"):
                    from jixiao.nlp.classify import rare_mask, rare_prior

                    L = L + rare_prior([rows[i].name for i in te], [rows[i].value for i in te],
                                       rare_mask(y[tr], len(CLASSES)), cfg["rare"])
                if cfg.get("hier"):
                    from sklearn.linear_model import LogisticRegression

                    grp = sorted({_group(c) for c in CLASSES})
                    g_of = np.array([grp.index(_group(c)) for c in CLASSES])
                    lr1 = LogisticRegression(C=VARIANT_C, class_weight="balanced", max_iter=3000, tol=1e-5)
                    lr1.fit(Xtr, g_of[y[tr]])
                    Z1 = np.full((len(te), len(grp)), -30.0)
                    Z1[:, lr1.classes_] = lr1.decision_function(Xte)
                    L = np.log(_softmax(L)) + cfg["hier"] * np.log(_softmax(Z1))[:, g_of]
                if cfg.get("poe"):
                    M = np.ones((len(CLASSES), len(CLASSES)))
                    np.add.at(M, (rule[tr], y[tr]), 1)
                    L = np.log(_softmax(L)) + cfg["poe"] * np.log(M / M.sum(1, keepdims=True))[rule[te]]
                Z[te] = L
            pred = [CLASSES[k] for k in Z.argmax(1)]
            m, mc = metrics(labels, pred), metrics(y_corr, pred)
            res[split] = {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"],
                          "corrected_accuracy": mc["accuracy"], "corrected_macro_f1": mc["macro_f1"]}
        out["results"][name] = res
    return out


# --------------------------------------------------------------------------- main entry


def evaluate_classifier(
    forms: list[Form] | None = None,
    *,
    n_splits: int = 5,
    methods: tuple[str, ...] = METHODS,
    lopo: bool = True,
    model_config: dict[str, Any] | None = None,
    corrections: Path | None = None,
    embedder=None,
    nested: bool = True,
    variants: bool = False,
) -> dict[str, Any]:
    """Grouped-CV (and leave-one-province-out) evaluation; returns the eval.json dict.

    ``model_config`` gives the shipped configuration (``C``, ``blocks``, ``weights``); by default it
    is read from ``models/classifier-v1/config.json``.
    """
    import sklearn.linear_model  # noqa: F401  (load BLAS before limiting its threads)
    from threadpoolctl import threadpool_limits

    from jixiao.corpus import load_corpus
    from jixiao.nlp.classify import C_GRID, default_model_dir

    forms = load_corpus() if forms is None else forms
    rows = training_rows(forms)
    y = np.array([CLASSES.index(r.label) for r in rows])
    if model_config is None:
        cfg = json.loads((default_model_dir() / "config.json").read_text(encoding="utf-8"))
        model_config = {"C": cfg["C"], "blocks": cfg["features"]["blocks"], "weights": cfg["features"]["weights"],
                        "embedder": cfg["features"].get("embedder")}
    blocks = tuple(model_config["blocks"])
    if "embed" in blocks and embedder is None:
        from jixiao.nlp.embed import get_embedder

        embedder = get_embedder(model_config.get("embedder"))
    corr = load_corrections(corrections if corrections is not None else default_model_dir() / CORRECTIONS_FILE)
    y_corr = [corr.get((r.form, r.name), (r.label, ""))[0] for r in rows]

    result: dict[str, Any] = {
        "data": {
            "forms": len(forms),
            "forms_with_rows": len({r.form for r in rows}),
            "rows": len(rows),
            "class_counts": dict(Counter(r.label for r in rows)),
            "provinces": dict(Counter(r.province for r in rows)),
            "corrections": len([1 for r in rows if (r.form, r.name) in corr]),
        },
        "model_config": {k: v for k, v in model_config.items() if k != "embedder"}
        | {"embedder": getattr(embedder, "name", None)},
        "splits": {},
    }
    cues = load_cues()
    with threadpool_limits(1):
        # C for the baseline: best of its grid under the grouped folds (as for the model at training)
        tf_c = None
        if "tfidf" in methods:
            tf_c, _ = best_tfidf(rows, _split_groups(rows, "form", n_splits))
            result["tfidf_C"] = tf_c
        for split in ("form", "province") if lopo else ("form",):
            folds = _split_groups(rows, split, n_splits)
            res_split: dict[str, Any] = {"folds": len(folds), "methods": {}}
            for meth in methods:
                if meth == "model_noembed" and "embed" not in blocks:
                    continue
                if meth == "keywords":
                    pred = [keyword_predict(r.name, r.value, cues) for r in rows]
                    P = None
                else:
                    if meth in ("model", "model_noembed"):
                        chosen: list[float] = []
                        mblocks = blocks if meth == "model" else tuple(b for b in blocks if b != "embed")
                        memb = embedder if "embed" in mblocks else None

                        temps: list[float] = []

                        def fn(tr, te, chosen=chosen, temps=temps, mblocks=mblocks, memb=memb):
                            C = model_config["C"]
                            if nested:
                                C, T = _nested_c(rows, tr, mblocks, model_config["weights"], memb, C_GRID)
                                temps.append(T)
                            chosen.append(C)
                            return _logits_model(rows, tr, te, C, mblocks, model_config["weights"], memb)
                    else:
                        fn = lambda tr, te: _logits_tfidf(rows, tr, te, tf_c)  # noqa: E731
                    Z = _oof(rows, folds, fn)
                    if meth in ("model", "model_noembed") and nested:
                        # each fold's temperature was fitted inside its own training rows (nested)
                        from jixiao.nlp.classify import _softmax

                        P = np.zeros_like(Z)
                        for (_, te, _), T in zip(folds, temps):
                            P[te] = _softmax(Z[te] / T)
                    else:
                        P = _cross_fitted_proba(Z, y, folds)
                    pred = [CLASSES[k] for k in P.argmax(1)]
                m = metrics([r.label for r in rows], pred)
                if meth in ("model", "model_noembed"):
                    m["C_per_fold"] = chosen
                    m["nested_C"] = nested
                m["confusion"] = confusion([r.label for r in rows], pred)
                m["corrected"] = metrics(y_corr, pred)
                if P is not None:
                    conf = P.max(1)
                    m["calibration"] = ece(conf, np.array(pred) == np.array([r.label for r in rows]))
                if split == "province":
                    byp: dict[str, list[int]] = defaultdict(list)
                    for i, r in enumerate(rows):
                        byp[r.province].append(i)
                    m["per_province"] = {
                        p: {"n": len(ix), "accuracy": float(np.mean([pred[i] == rows[i].label for i in ix]))}
                        for p, ix in sorted(byp.items())
                    }
                    big = max(byp, key=lambda p: len(byp[p]))
                    rest = [i for i, r in enumerate(rows) if r.province != big]
                    m["excluding_largest"] = {"province": big} | {
                        k: v for k, v in metrics([rows[i].label for i in rest], [pred[i] for i in rest]).items()
                        if k in ("n", "accuracy", "macro_f1")}
                if meth == "model" and split == "form":
                    conf = P.max(1)
                    dis = [
                        {"form": r.form, "name": r.name, "value": r.value.raw, "label": r.raw_label,
                         "predicted": pred[i], "confidence": round(float(conf[i]), 3),
                         "corrected": corr.get((r.form, r.name), (None, ""))[0]}
                        for i, r in enumerate(rows) if pred[i] != r.label
                    ]
                    m["disagreements"] = sorted(dis, key=lambda d: -d["confidence"])
                res_split["methods"][meth] = m
            result["splits"][split] = res_split
        fmodel = result["splits"]["form"]["methods"].get("model")
        if fmodel is not None:
            result["error_anatomy"] = error_anatomy(rows, fmodel["disagreements"])
        if variants:
            result["variants"] = evaluate_variants(rows, n_splits, embedder, y_corr, lopo=lopo)
            # the shipped model under the first version's C rule (macro-F1), nested the same way
            alt = {}
            for split in ("form", "province") if lopo else ("form",):
                folds = _split_groups(rows, split, n_splits)

                def fn_alt(tr, te):
                    C, _ = _nested_c(rows, tr, blocks, model_config["weights"], embedder, C_GRID,
                                     criterion="macro_f1")
                    return _logits_model(rows, tr, te, C, blocks, model_config["weights"], embedder)

                pred = [CLASSES[k] for k in _oof(rows, folds, fn_alt).argmax(1)]
                m = metrics([r.label for r in rows], pred)
                alt[split] = {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"]}
            result["variants"]["nested_macro_f1_criterion"] = alt
    return result


# --------------------------------------------------------------------------- report


def _group(level2: str) -> str | None:
    from jixiao.taxonomy import level1_group

    return level1_group(level2)


def _f(x: float) -> str:
    return f"{x:.3f}"


def render_markdown(res: dict[str, Any], command: str) -> str:
    d = res["data"]
    L = [
        "# classifier-v1 evaluation",
        "",
        f"Generated by `{command}` on `corpora/forms.jsonl` ({d['forms']} forms; {d['rows']} labelled indicator "
        f"rows from {d['forms_with_rows']} forms). Model configuration: blocks "
        f"`{','.join(res['model_config']['blocks'])}`, C={res['model_config']['C']}, embedder "
        f"`{res['model_config']['embedder']}`; TF-IDF baseline C={res.get('tfidf_C')}.",
        "",
        "Level-1 accuracy counts a prediction right when it falls in the label's level-1 group "
        "(产出 / 效益 / 满意度, with 成本 as its own group), the granularity of the category-mismatch rule.",
        "",
        "Labels are the forms' own level-2 categories (noisy: drafters misfile indicators). The "
        f"'corrected' columns use {d['corrections']} transparent hand corrections from "
        "`label_corrections.tsv` (form, name, corpus label, corrected label, reason).",
        "",
        "Every method here, `model` included, is trained on the forms' own labels of its training folds, so "
        "this page compares like with like on those labels. The shipped weights are trained on the "
        "independently annotated gold labels of `corpora/labels/level2-gold.tsv`; the same configuration "
        "scored against the gold labels, trained either way, is in `EVAL-gold.md`.",
        "",
        "## Summary (9 standard categories)",
        "",
        "| split | method | accuracy | macro-F1 | accuracy (corrected) | macro-F1 (corrected) | level-1 accuracy | ECE |",
        "|---|---|---|---|---|---|---|---|",
    ]
    names = {"form": "grouped 5-fold by form", "province": "leave-one-province-out"}
    for split, sres in res["splits"].items():
        for meth, m in sres["methods"].items():
            e = m.get("calibration", {}).get("ece")
            L.append(
                f"| {names.get(split, split)} ({sres['folds']} folds) | {meth} | {_f(m['accuracy'])} | "
                f"{_f(m['macro_f1'])} | {_f(m['corrected']['accuracy'])} | {_f(m['corrected']['macro_f1'])} | "
                f"{_f(m['level1_accuracy'])} | {_f(e) if e is not None else '–'} |"
            )
    for split, sres in res["splits"].items():
        for meth in ("model", "model_noembed"):
            mm = sres["methods"].get(meth)
            if mm and mm.get("C_per_fold"):
                how = ("chosen per outer fold by nested grouped 5-fold CV on its training rows only"
                       if mm.get("nested_C") else "fixed at the shipped C")
                L += ["", f"C of `{meth}` on the {names.get(split, split)} folds ({how}): "
                      + ", ".join(f"{c:g}" for c in mm["C_per_fold"]) + "."]
    an = res.get("error_anatomy")
    if an:
        L += ["", "## Why 0.90 is out of reach: anatomy of the model's errors (grouped by form)", "",
              "Each out-of-fold error of the model is put in the first class that fits it.", "",
              "| error class | errors | share |", "|---|---|---|"]
        tot = sum(an["counts"].values()) or 1
        for k, v in an["counts"].items():
            L.append(f"| {k} | {v} | {v / tot:.0%} |")
        L += ["", "Labels the corpus itself gives to indicators with the same head word (name ending, "
              "rows with a % value), by region — the same wording is filed under different categories:", "",
              "| name ends with | 上海市 (12 seed forms) | other provinces |", "|---|---|---|"]
        for head, d in an["conventions"].items():
            fmt = lambda c: ", ".join(f"{k.replace('指标', '')} {v}" for k, v in sorted(c.items(), key=lambda x: -x[1])) or "–"  # noqa: E731
            L.append(f"| {head} | {fmt(d['上海市'])} | {fmt(d['other'])} |")
    var = res.get("variants")
    if var:
        L += ["", "## What was tried (same folds, C fixed at " + f"{var['C']:g})", "",
              "Every configuration tried while developing this model (`jixiao.nlp.evaluate.VARIANTS`), on the "
              "same rows and folds, at one fixed C (the shipped row above uses nested C, so it differs "
              "slightly). The choice of the shipped variant was made on these figures, so its row here "
              "is optimistic by that selection; differences under about 1 point (6 rows) are noise.", "",
              "| variant | form: accuracy | form: macro-F1 | province: accuracy | province: macro-F1 | "
              "form: accuracy (corrected) | province: accuracy (corrected) |",
              "|---|---|---|---|---|---|---|"]
        for vname, r in var["results"].items():
            f, pr = r["form"], r.get("province")
            L.append(f"| {vname} | {_f(f['accuracy'])} | {_f(f['macro_f1'])} | "
                     f"{_f(pr['accuracy']) if pr else '–'} | {_f(pr['macro_f1']) if pr else '–'} | "
                     f"{_f(f['corrected_accuracy'])} | {_f(pr['corrected_accuracy']) if pr else '–'} |")
        alt = var.get("nested_macro_f1_criterion")
        if alt:
            L += ["", "Choice of C. The shipped rule picks C by the temperature-scaled log-loss of the grouped "
                  "out-of-fold predictions (`C_CRITERION = \"nll\"`). The first version picked it by macro-F1, "
                  "which is noisy with a 5-row class. The rule was switched after both had been compared on "
                  "these outer folds, so that comparison is itself a selection. With the macro-F1 rule, nested "
                  "the same way, the shipped features score: "
                  + "; ".join(f"{names.get(k, k)} accuracy {_f(v['accuracy'])}, macro-F1 {_f(v['macro_f1'])}"
                              for k, v in alt.items()) + "."]
    fm = res["splits"]["form"]["methods"].get("model")
    if fm:
        L += ["", "## Per-class F1 (grouped by form)", "", "| category | support | " +
              " | ".join(res["splits"]["form"]["methods"]) + " |",
              "|---|---|" + "---|" * len(res["splits"]["form"]["methods"])]
        for c in CLASSES:
            if c not in fm["per_class"]:
                continue
            cells = [_f(res["splits"]["form"]["methods"][k]["per_class"].get(c, {}).get("f1", 0.0))
                     for k in res["splits"]["form"]["methods"]]
            L.append(f"| {c} | {fm['per_class'][c]['support']} | " + " | ".join(cells) + " |")
        L += ["", "## Confusion matrix of the model (grouped by form; rows = form label, columns = predicted)", ""]
        short = [c.replace("指标", "").replace("服务对象", "") for c in CLASSES]
        L.append("| label \\ predicted | " + " | ".join(short) + " |")
        L.append("|---|" + "---|" * len(CLASSES))
        for c, row in zip(short, fm["confusion"]):
            L.append(f"| {c} | " + " | ".join(str(v) for v in row) + " |")
        if "calibration" in fm:
            L += ["", f"## Reliability of the model's confidence (grouped by form, ECE {_f(fm['calibration']['ece'])})",
                  "", "| confidence bin | n | mean confidence | accuracy |", "|---|---|---|---|"]
            for b in fm["calibration"]["bins"]:
                L.append(f"| {b['bin']} | {b['n']} | {_f(b['confidence'])} | {_f(b['accuracy'])} |")
    pm = res["splits"].get("province", {}).get("methods", {})
    if pm:
        L += ["", "## Leave-one-province-out accuracy per province", "",
              "| province | n | " + " | ".join(pm) + " |", "|---|---|" + "---|" * len(pm)]
        first = next(iter(pm.values()))
        for p, v in first["per_province"].items():
            L.append(f"| {p} | {v['n']} | " + " | ".join(_f(pm[k]["per_province"][p]["accuracy"]) for k in pm) + " |")
        ex = first.get("excluding_largest")
        if ex:
            L.append(f"| all but {ex['province']} (accuracy) | {ex['n']} | "
                     + " | ".join(_f(pm[k]["excluding_largest"]["accuracy"]) for k in pm) + " |")
            L.append(f"| all but {ex['province']} (macro-F1) | {ex['n']} | "
                     + " | ".join(_f(pm[k]["excluding_largest"]["macro_f1"]) for k in pm) + " |")
    if fm and fm.get("disagreements"):
        dis = fm["disagreements"]
        L += ["", "## Disagreements by confidence (what a category-mismatch rule would flag)", "",
              "Out-of-fold predictions that differ from the form's label. 'other level 1' counts those whose "
              "predicted category sits under another level-1 group (成本 counted as its own group); "
              "'hand-confirmed' counts those where `label_corrections.tsv` agrees with the prediction.", "",
              "| confidence ≥ | disagreements | other level 1 | hand-confirmed |", "|---|---|---|---|"]
        for t in (0.5, 0.7, 0.8, 0.9):
            sel = [x for x in dis if x["confidence"] >= t]
            other = [x for x in sel if _group(x["predicted"]) != _group(x["label"])]
            conf = [x for x in sel if x["corrected"] == x["predicted"]]
            L.append(f"| {t} | {len(sel)} | {len(other)} | {len(conf)} |")
        L += ["", f"## Disagreements with the form's label ({len(dis)}; model confidence first)", "",
              "High-confidence disagreements are mostly indicators the drafter misfiled; they are what the "
              "category-mismatch review rule flags. `corrected` shows the hand label where one was recorded.", "",
              "| form | indicator | value | form label | predicted | confidence | corrected |",
              "|---|---|---|---|---|---|---|"]
        for x in dis:
            cell = lambda s: str(s or "").replace("|", "/")[:40]  # noqa: E731
            L.append(f"| {x['form']} | {cell(x['name'])} | {cell(x['value'])} | {x['label']} | {x['predicted']} | "
                     f"{_f(x['confidence'])} | {x['corrected'] or ''} |")
    return "\n".join(L) + "\n"


SUMMARY_START = "<!-- eval-summary:start (written by python -m jixiao.nlp.evaluate) -->"
SUMMARY_END = "<!-- eval-summary:end -->"


def summary_block(md: str) -> str:
    """The summary table of EVAL.md, to be pasted into the model card."""
    lines = md.splitlines()
    i = lines.index("## Summary (9 standard categories)")
    j = next(k for k in range(i + 1, len(lines)) if lines[k].startswith("## "))
    return "\n".join([lines[2], ""] + lines[i + 2: j]).strip()


def update_model_card(readme: Path, md: str) -> bool:
    """Replace the marked summary section of the model card README (if it has one)."""
    if not readme.is_file():
        return False
    from jixiao.fsutil import atomic_write_text

    text = readme.read_text(encoding="utf-8")
    a, b = text.find(SUMMARY_START), text.find(SUMMARY_END)
    if a < 0 or b < a:
        return False
    new = text[: a + len(SUMMARY_START)] + "\n" + summary_block(md) + "\n" + text[b:]
    if new != text:
        atomic_write_text(readme, new)
    return True


def main(argv: list[str] | None = None) -> int:
    from jixiao.fsutil import atomic_write_text
    from jixiao.nlp.classify import default_model_dir

    ap = argparse.ArgumentParser(prog="python -m jixiao.nlp.evaluate", description="Evaluate the indicator classifier.")
    ap.add_argument("--out", default=None, help="output folder (default: models/classifier-v1)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-lopo", action="store_true", help="skip leave-one-province-out")
    ap.add_argument("--no-nested", action="store_true", help="use the shipped C in every fold (quicker)")
    ap.add_argument("--no-variants", action="store_true",
                    help="skip the 'what was tried' table (VARIANTS) and the C-rule comparison")
    args = ap.parse_args(argv)
    out = Path(args.out) if args.out else default_model_dir()
    res = evaluate_classifier(n_splits=args.folds, lopo=not args.no_lopo, nested=not args.no_nested,
                              variants=not args.no_variants)
    command = "python -m jixiao.nlp.evaluate" + (" " + " ".join(argv) if argv else "")
    atomic_write_text(out / "eval.json", json.dumps(res, ensure_ascii=False, indent=1) + "\n")
    md = render_markdown(res, command)
    atomic_write_text(out / "EVAL.md", md)
    update_model_card(out / "README.md", md)
    for split, sres in res["splits"].items():
        for meth, m in sres["methods"].items():
            print(f"{split:9s} {meth:9s} accuracy {m['accuracy']:.3f} macro-F1 {m['macro_f1']:.3f} "
                  f"(corrected: {m['corrected']['accuracy']:.3f} / {m['corrected']['macro_f1']:.3f})")
    print(f"written {out / 'EVAL.md'} and {out / 'eval.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
