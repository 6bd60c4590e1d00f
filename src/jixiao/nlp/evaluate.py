"""Evaluation of the level-2 indicator classifier (``make eval``).

    .venv/bin/python -m jixiao.nlp.evaluate            # writes models/classifier-v1/EVAL.md + eval.json

Three methods are compared in the same run, on the same rows and the same folds:

``model``     the shipped configuration of :class:`jixiao.nlp.classify.IndicatorClassifier`
``tfidf``     TF-IDF over character 1–3-grams of the name + logistic regression (class_weight balanced)
``model_noembed`` the same without the embedding block (ablation; only when the model uses one)
``keywords``  the cue file ``data/category_cues.toml`` alone (:func:`jixiao.nlp.features.keyword_predict`)

Two splits: grouped K-fold by form (no form in both train and test) and leave-one-province-out
(province = first token of ``Source.region``). For each learned method C is the best of a small
grid by grouped-CV macro-F1 on the whole corpus (the same small optimism for both learned methods).
Confidence calibration (ECE, 10 bins) uses a temperature fitted on the OTHER folds only.

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
    region = (form.source.region or "").strip()
    return region.split()[0] if region else "(unknown)"


_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_junk_name(name: str) -> bool:
    """Rows that say nothing about a category: no Chinese name (``0``) or "not applicable"."""
    s, _ = clean_name(name)
    return len(_CJK.findall(s)) < 2 or "不适用" in s


def training_rows(forms: list[Form]) -> list[Row]:
    """Indicators with a standard (or 2021 cost) level-2 label and a real name."""
    rows = []
    for f in forms:
        for k, ind in enumerate(f.indicators):
            lab = training_label(ind.level2)
            if lab is None or is_junk_name(ind.name):
                continue
            rows.append(Row(ind.name, ind.value, lab, ind.level2, f.id, province_of(f), f.source.template, k))
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


def _logits_model(rows, tr, te, C, blocks, weights, emb):
    from jixiao.nlp.classify import IndicatorClassifier

    clf = IndicatorClassifier(C=C, blocks=blocks, weights=weights)
    fz = clf._new_featurizer()
    if emb is not None:
        fz.set_embedder(emb)
    fz.fit([rows[i].name for i in tr])
    Xtr = fz.transform([rows[i].name for i in tr], [rows[i].value for i in tr])
    Xte = fz.transform([rows[i].name for i in te], [rows[i].value for i in te])
    y = np.array([CLASSES.index(rows[i].label) for i in tr])
    coef, icpt = clf._fit_lr(Xtr, y, C)
    return Xte @ coef.T + icpt


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
) -> dict[str, Any]:
    """Grouped-CV (and leave-one-province-out) evaluation; returns the eval.json dict.

    ``model_config`` gives the shipped configuration (``C``, ``blocks``, ``weights``); by default it
    is read from ``models/classifier-v1/config.json``.
    """
    import sklearn.linear_model  # noqa: F401  (load BLAS before limiting its threads)
    from threadpoolctl import threadpool_limits

    from jixiao.corpus import load_corpus
    from jixiao.nlp.classify import default_model_dir

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
            folds = _split_groups(rows, "form", n_splits)
            best = None
            for C in TFIDF_C_GRID:
                Z = _oof(rows, folds, lambda tr, te, C=C: _logits_tfidf(rows, tr, te, C))
                m = metrics([r.label for r in rows], [CLASSES[k] for k in Z.argmax(1)])
                if best is None or m["macro_f1"] > best[0]:
                    best = (m["macro_f1"], C)
            tf_c = best[1]
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
                    if meth == "model":
                        fn = lambda tr, te: _logits_model(  # noqa: E731
                            rows, tr, te, model_config["C"], blocks, model_config["weights"], embedder)
                    elif meth == "model_noembed":
                        fn = lambda tr, te: _logits_model(  # noqa: E731
                            rows, tr, te, model_config["C"], tuple(b for b in blocks if b != "embed"),
                            model_config["weights"], None)
                    else:
                        fn = lambda tr, te: _logits_tfidf(rows, tr, te, tf_c)  # noqa: E731
                    Z = _oof(rows, folds, fn)
                    P = _cross_fitted_proba(Z, y, folds)
                    pred = [CLASSES[k] for k in P.argmax(1)]
                m = metrics([r.label for r in rows], pred)
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
    return result


# --------------------------------------------------------------------------- report


def _group(level2: str) -> str | None:
    from jixiao.taxonomy import LEVEL2_COST_2021, parent_of

    return "成本" if level2 in ("成本指标", *LEVEL2_COST_2021) else parent_of(level2)


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
    args = ap.parse_args(argv)
    out = Path(args.out) if args.out else default_model_dir()
    res = evaluate_classifier(n_splits=args.folds, lopo=not args.no_lopo)
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
