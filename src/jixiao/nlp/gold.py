"""The independently annotated level-2 label set (``corpora/labels/level2-gold.tsv``) and the
classifier evaluation against it.

    .venv/bin/python -m jixiao.nlp.gold            # writes models/classifier-v1/EVAL-gold.md + eval-gold.json

Why: the forms' own level-2 categories are noisy (drafters misfile indicators, and regions file the
same wording differently), so accuracy against them mixes classifier errors with label noise. Every
indicator row of the corpus was therefore labelled twice, blind (two annotators who saw the name, the
value and the project name, never the form's category nor any model output), under the written
guideline ``corpora/labels/GUIDELINE.md`` (the taxonomy of docs/reference/review-rules.md §a.2). The
gold label of a row is decided by :func:`adjudicate`:

``agree``      both annotators chose the same category
``form-vote``  the annotators differ and one of them agrees with the form's own category
``third``      no two of the three agree: a third blind annotation decides (when it matches one of
               them or the form; otherwise the row stays ``unresolved`` and is left out)

The evaluation then reports, on the same grouped folds as :mod:`jixiao.nlp.evaluate` (by form and
leave-one-province-out), the classifier and both baselines scored against the gold labels, each
trained either on the forms' labels or on the gold labels of the training folds only, plus the
agreement of the annotators with each other and with the forms (the ceiling any classifier trained
and scored on form labels faces).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from jixiao.nlp.features import CLASSES, keyword_predict, load_cues, training_label

GOLD_FILE = Path("corpora") / "labels" / "level2-gold.tsv"
UNSURE = "无法判断"
FIELDS = ("id", "form", "index", "name", "value", "form_label", "a", "b", "c", "gold", "decided_by")


def gold_path() -> Path:
    from jixiao.fsutil import repo_root

    return (repo_root() or Path.cwd()) / GOLD_FILE


def adjudicate(form_label: str | None, a: str, b: str, c: str | None = None) -> tuple[str | None, str]:
    """(gold label or None, how it was decided) from the two blind annotations ``a`` and ``b``, the
    form's own standard label (None when the form gives none) and an optional third annotation."""
    form_label = training_label(form_label) if form_label else None
    votes = [x for x in (a, b) if x in CLASSES]
    if len(votes) == 2 and votes[0] == votes[1]:
        return votes[0], "agree"
    if form_label in votes:
        return form_label, "form-vote"
    if c in CLASSES and (c in votes or c == form_label):
        return c, "third"
    return None, "unresolved"


def _read_annotations(paths: list[str]) -> dict[str, tuple[str, str]]:
    """``id -> (category, note)`` from annotator TSVs (header ``id  category  note``)."""
    out: dict[str, tuple[str, str]] = {}
    for p in paths:
        with open(p, encoding="utf-8", newline="") as f:
            for rec in csv.DictReader(f, delimiter="\t"):
                out[rec["id"].strip()] = ((rec.get("category") or "").strip(), (rec.get("note") or "").strip())
    return out


def merge(forms, a_paths: list[str], b_paths: list[str], c_paths: list[str] | None = None) -> list[dict[str, Any]]:
    """Gold rows (one per annotated indicator, in corpus order) from the annotators' files; an
    annotation id is ``<form id>#<position of the indicator in the form>``."""
    a, b = _read_annotations(a_paths), _read_annotations(b_paths)
    c = _read_annotations(c_paths or [])
    out = []
    for f in forms:
        for k, ind in enumerate(f.indicators):
            rid = f"{f.id}#{k}"
            if rid not in a and rid not in b:
                continue
            fl = training_label(ind.level2) if ind.level2 else None
            ca, cb = a.get(rid, ("", ""))[0], b.get(rid, ("", ""))[0]
            cc = c.get(rid, (None, ""))[0]
            gold, how = adjudicate(fl, ca, cb, cc)
            out.append({"id": rid, "form": f.id, "index": k, "name": ind.name, "value": ind.value.raw,
                        "form_label": ind.level2 or "", "a": ca, "b": cb, "c": cc or "",
                        "gold": gold or "", "decided_by": how})
    return out


def write_gold(rows: list[dict[str, Any]], path: Path) -> None:
    import io

    from jixiao.fsutil import atomic_write_text

    buf = io.StringIO()
    buf.write("# Level-2 gold labels of the corpus indicators: see corpora/labels/README.md (written by\n"
              "# python -m jixiao.nlp.gold merge). a, b: blind annotations; c: third blind annotation of the\n"
              "# rows where no two of a, b and the form label agreed; gold: the adjudicated label.\n")
    w = csv.DictWriter(buf, fieldnames=FIELDS, delimiter="\t", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: r[k] for k in FIELDS})
    atomic_write_text(path, buf.getvalue())


def load_gold(path: Path | None = None) -> dict[tuple[str, int], dict[str, str]]:
    """``(form id, indicator position) -> row`` of the gold TSV (``{}`` when the file is missing)."""
    path = path or gold_path()
    out: dict[tuple[str, int], dict[str, str]] = {}
    if not path.is_file():
        return out
    with open(path, encoding="utf-8", newline="") as f:
        for rec in csv.DictReader((ln for ln in f if not ln.startswith("#")), delimiter="\t"):
            out[(rec["form"], int(rec["index"]))] = rec
    return out


def gold_labels(path: Path | None = None) -> dict[tuple[str, int], str]:
    """``(form id, position) -> gold level-2`` for the resolved rows only."""
    return {k: r["gold"] for k, r in load_gold(path).items() if r.get("gold") in CLASSES}


def gold_label_rows(forms, path: Path | None = None):
    """:class:`jixiao.nlp.evaluate.Row` objects (``label`` = gold) for every corpus indicator with a
    resolved gold label, in corpus order — including rows whose form gives no category."""
    from jixiao.nlp.evaluate import training_rows

    return training_rows(forms, labels=gold_labels(path))


# --------------------------------------------------------------------------- agreement


def kappa(x: list[str], y: list[str]) -> float:
    """Cohen's kappa of two label lists."""
    n = len(x)
    if not n:
        return float("nan")
    po = sum(a == b for a, b in zip(x, y)) / n
    cx, cy = Counter(x), Counter(y)
    pe = sum(cx[k] * cy[k] for k in set(cx) | set(cy)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def agreement(gold: dict[tuple[str, int], dict[str, str]]) -> dict[str, Any]:
    """Pairwise agreement (share and kappa) of annotators A, B, the forms and the gold labels, on
    the rows where both sides give a standard category."""
    def lab(r, who):
        v = r.get(who) or ""
        if who == "form_label":
            return training_label(v) if v else None
        return v if v in CLASSES else None

    pairs = [("a", "b"), ("a", "form_label"), ("b", "form_label"), ("gold", "form_label"),
             ("a", "gold"), ("b", "gold")]
    out = {}
    for p, q in pairs:
        xs, ys = [], []
        for r in gold.values():
            u, v = lab(r, p), lab(r, q)
            if u and v:
                xs.append(u)
                ys.append(v)
        out[f"{p}~{q}"] = {"n": len(xs), "agreement": float(np.mean([u == v for u, v in zip(xs, ys)])) if xs else None,
                           "kappa": kappa(xs, ys)}
    out["decided_by"] = dict(Counter(r.get("decided_by") for r in gold.values()))
    return out


# --------------------------------------------------------------------------- evaluation


def evaluate_gold(forms=None, *, n_splits: int = 5, lopo: bool = True, nested: bool = True, embedder=None,
                  path: Path | None = None, learning_curve: bool = True) -> dict[str, Any]:
    """Scores against the gold labels (see the module docstring); returns the eval-gold.json dict."""
    import dataclasses

    import sklearn.linear_model  # noqa: F401  (load BLAS before limiting its threads)
    from threadpoolctl import threadpool_limits

    from jixiao.corpus import load_corpus
    from jixiao.nlp.classify import C_GRID, _softmax, default_model_dir
    from jixiao.nlp.evaluate import (_logits_model, _nested_c, _oof, _split_groups, best_tfidf, confusion,
                                     metrics, training_rows)

    forms = load_corpus() if forms is None else forms
    gold_rows = load_gold(path)
    gl = {k: r["gold"] for k, r in gold_rows.items() if r.get("gold") in CLASSES}
    rows_form = [r for r in training_rows(forms) if (r.form, r.index) in gl]
    rows_gold = [dataclasses.replace(r, label=gl[(r.form, r.index)]) for r in rows_form]
    y_gold = [r.label for r in rows_gold]
    y_form = [r.label for r in rows_form]
    cfg = json.loads((default_model_dir() / "config.json").read_text(encoding="utf-8"))
    blocks = tuple(cfg["features"]["blocks"])
    weights = cfg["features"]["weights"]
    if "embed" in blocks and embedder is None:
        from jixiao.nlp.embed import get_embedder

        embedder = get_embedder(cfg["features"].get("embedder"))
    res: dict[str, Any] = {
        "data": {"rows": len(rows_form), "forms": len({r.form for r in rows_form}),
                 "gold_class_counts": dict(Counter(y_gold)), "form_class_counts": dict(Counter(y_form)),
                 "form_labels_equal_gold": float(np.mean([a == b for a, b in zip(y_form, y_gold)]))},
        "agreement": agreement(gold_rows),
        "splits": {},
    }
    cues = load_cues()
    kw = [keyword_predict(r.name, r.value, cues) for r in rows_form]
    with threadpool_limits(1):
        for split in ("form", "province") if lopo else ("form",):
            folds = _split_groups(rows_form, split, n_splits)
            out: dict[str, Any] = {"folds": len(folds), "methods": {}}
            for train_on, rows in (("form", rows_form), ("gold", rows_gold)):
                temps: list[float] = []
                chosen: list[float] = []

                def fn(tr, te, rows=rows, temps=temps, chosen=chosen):
                    C = cfg["C"]
                    if nested:
                        C, T = _nested_c(rows, tr, blocks, weights, embedder, C_GRID)
                        temps.append(T)
                    chosen.append(C)
                    return _logits_model(rows, tr, te, C, blocks, weights, embedder)

                Z = _oof(rows, folds, fn)
                P = np.zeros_like(Z)
                for (_, te, _), T in zip(folds, temps or [1.0] * len(folds)):
                    P[te] = _softmax(Z[te] / T)
                pred = [CLASSES[k] for k in P.argmax(1)]
                m = metrics(y_gold, pred)
                m["vs_form_labels"] = {k: v for k, v in metrics(y_form, pred).items() if k in ("accuracy", "macro_f1")}
                m["C_per_fold"] = chosen
                m["confusion"] = confusion(y_gold, pred)
                if split == "form":
                    m["errors"] = [{"form": r.form, "name": r.name, "value": r.value.raw, "form_label": r.raw_label,
                                    "gold": y_gold[i], "predicted": pred[i],
                                    "confidence": round(float(P[i].max()), 3)}
                                   for i, r in enumerate(rows_form) if pred[i] != y_gold[i]]
                out["methods"][f"model|{train_on}"] = m
                # TF-IDF baseline: C chosen by grouped CV on the same training labels (optimistic)
                tf_c, pt = best_tfidf(rows, folds)
                mt = metrics(y_gold, pt)
                mt["vs_form_labels"] = {k: v for k, v in metrics(y_form, pt).items() if k in ("accuracy", "macro_f1")}
                mt["C"] = tf_c
                out["methods"][f"tfidf|{train_on}"] = mt
            mk = metrics(y_gold, kw)
            mk["vs_form_labels"] = {k: v for k, v in metrics(y_form, kw).items() if k in ("accuracy", "macro_f1")}
            out["methods"]["keywords|-"] = mk
            mf = metrics(y_gold, y_form)
            out["methods"]["form labels|-"] = mf
            res["splits"][split] = out
        if learning_curve:
            res["learning_curve"] = _learning_curve(rows_gold, y_gold, blocks, weights, embedder, cfg["C"], n_splits)
    return res


#: shares of each training fold's forms kept for the learning curve, and repeats per share
CURVE_FRACTIONS = (0.25, 0.5, 0.75, 1.0)
CURVE_REPEATS = 3


def _learning_curve(rows, y_gold, blocks, weights, embedder, C, n_splits) -> list[dict[str, Any]]:
    """Accuracy and macro-F1 (grouped by form, trained on gold labels at the shipped C) when every
    training fold keeps only a random share of its forms: how the score grows with labelled data."""
    from jixiao.nlp.evaluate import _logits_model, _split_groups, metrics

    folds = _split_groups(rows, "form", n_splits)
    rng = np.random.default_rng(0)
    out = []
    for frac in CURVE_FRACTIONS:
        accs, f1s, sizes = [], [], []
        for _ in range(CURVE_REPEATS if frac < 1 else 1):
            pred: list[str | None] = [None] * len(rows)
            for tr, te, _ in folds:
                forms = sorted({rows[i].form for i in tr})
                keep = set(rng.choice(forms, max(1, round(len(forms) * frac)), replace=False))
                sub = np.array([i for i in tr if rows[i].form in keep])
                sizes.append(len(sub))
                Z = _logits_model(rows, sub, te, C, blocks, weights, embedder)
                for i, k in zip(te, Z.argmax(1)):
                    pred[i] = CLASSES[k]
            m = metrics(y_gold, pred)
            accs.append(m["accuracy"])
            f1s.append(m["macro_f1"])
        out.append({"fraction": frac, "train_rows": float(np.mean(sizes)), "repeats": len(accs),
                    "accuracy": float(np.mean(accs)), "macro_f1": float(np.mean(f1s))})
    return out


def _f(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def render_markdown(res: dict[str, Any], command: str) -> str:
    names = {"form": "grouped 5-fold by form", "province": "leave-one-province-out"}
    d = res["data"]
    ag = res["agreement"]
    L = [
        "# classifier-v1 evaluation against independently annotated gold labels",
        "",
        f"Generated by `{command}` from `corpora/labels/level2-gold.tsv` ({d['rows']} indicator rows of "
        f"{d['forms']} forms that have both a standard form label and a resolved gold label). How the gold "
        "labels were made: `corpora/labels/README.md` (two blind annotations per row under "
        "`corpora/labels/GUIDELINE.md`, adjudicated with the form's own label as a third vote).",
        "",
        f"The forms' own labels equal the gold label on **{d['form_labels_equal_gold']:.1%}** of these rows: "
        "that is roughly the ceiling of any score measured against form labels, and why the figures of "
        "`EVAL.md` (scored against form labels) stay near 0.8.",
        "",
        "## Agreement",
        "",
        "| pair | rows | agreement | Cohen's κ |",
        "|---|---|---|---|",
    ]
    label = {"a": "annotator A", "b": "annotator B", "form_label": "form label", "gold": "gold"}
    for k, v in ag.items():
        if k == "decided_by":
            continue
        p, q = k.split("~")
        L.append(f"| {label[p]} ~ {label[q]} | {v['n']} | {_f(v['agreement'])} | {_f(v['kappa'])} |")
    L += ["", "How the gold labels were decided: "
          + ", ".join(f"{k} {v}" for k, v in sorted(ag["decided_by"].items(), key=lambda t: -t[1])) + ".", ""]
    L += ["## Scores against the gold labels (9 standard categories)", "",
          "`trained on` says which labels the training folds used (never the test fold's). "
          "The last two columns score the same predictions against the forms' own labels.", "",
          "| split | method | trained on | accuracy | macro-F1 | accuracy vs form labels | macro-F1 vs form labels |",
          "|---|---|---|---|---|---|---|"]
    for split, s in res["splits"].items():
        for key, m in s["methods"].items():
            meth, on = key.split("|")
            vf = m.get("vs_form_labels", {})
            L.append(f"| {names[split]} ({s['folds']} folds) | {meth} | {on} | {_f(m['accuracy'])} | "
                     f"{_f(m['macro_f1'])} | {_f(vf.get('accuracy'))} | {_f(vf.get('macro_f1'))} |")
    L += ["", "`form labels` scores the forms' own categories against the gold labels (no model).", ""]
    fm = res["splits"]["form"]["methods"]
    best = max((k for k in fm if k.startswith("model|")), key=lambda k: fm[k]["accuracy"])
    L += ["## Per-class F1 (grouped by form)", "",
          "| category | gold support | " + " | ".join(k.replace("|", " / ") for k in fm) + " |",
          "|---|---|" + "---|" * len(fm)]
    for c in CLASSES:
        cells = [_f(fm[k]["per_class"][c]["f1"]) if c in fm[k].get("per_class", {}) else "–" for k in fm]
        sup = res["data"]["gold_class_counts"].get(c, 0)
        L.append(f"| {c} | {sup} | " + " | ".join(cells) + " |")
    L += ["", f"## Confusion matrix of `{best.split('|')[0]}` trained on {best.split('|')[1]} labels (grouped by form; rows = gold, columns = predicted)", "",
          "| gold \\ predicted | " + " | ".join(c.replace("指标", "").replace("服务对象", "") for c in CLASSES) + " |",
          "|---|" + "---|" * len(CLASSES)]
    for c, row in zip(CLASSES, fm[best]["confusion"]):
        L.append(f"| {c.replace('指标', '').replace('服务对象', '')} | " + " | ".join(str(x) for x in row) + " |")
    lc = res.get("learning_curve")
    if lc:
        L += ["", "## Learning curve (model trained on gold labels, grouped by form, shipped C)", "",
              "Each training fold keeps a random share of its forms (the test folds stay whole); "
              f"shares below 1 are averaged over {CURVE_REPEATS} draws. It shows what more labelled rows "
              "of the same kind would buy.", "",
              "| share of training forms | training rows (mean per fold) | accuracy | macro-F1 |", "|---|---|---|---|"]
        for p in lc:
            L.append(f"| {p['fraction']:.0%} | {p['train_rows']:.0f} | {_f(p['accuracy'])} | {_f(p['macro_f1'])} |")
        half = next((p for p in lc if p["fraction"] == 0.5), None)
        full = next((p for p in lc if p["fraction"] == 1.0), None)
        if half and full:
            L += ["", f"Doubling the training rows (50% → 100%) added {full['accuracy'] - half['accuracy']:+.3f} "
                  f"accuracy and {full['macro_f1'] - half['macro_f1']:+.3f} macro-F1."]
    errs = fm[best].get("errors", [])
    L += ["", f"## Remaining errors of `{best.split('|')[0]}` trained on {best.split('|')[1]} labels (grouped by form), most confident first", "",
          "| form | indicator | value | form label | gold | predicted | confidence |", "|---|---|---|---|---|---|---|"]
    for e in sorted(errs, key=lambda e: -e["confidence"])[:40]:
        L.append(f"| {e['form']} | {e['name']} | {e['value']} | {e['form_label']} | {e['gold']} | {e['predicted']} | {e['confidence']:.2f} |")
    if len(errs) > 40:
        L.append(f"| … | {len(errs) - 40} more in eval-gold.json | | | | | |")
    return "\n".join(L) + "\n"


def main(argv: list[str] | None = None) -> int:
    from jixiao.fsutil import atomic_write_text
    from jixiao.nlp.classify import default_model_dir

    ap = argparse.ArgumentParser(prog="python -m jixiao.nlp.gold",
                                 description="Evaluate the indicator classifier against the gold labels "
                                             "(or, with 'merge', build the gold file from annotations).")
    ap.add_argument("--out", default=None, help="output folder (default: models/classifier-v1)")
    ap.add_argument("--no-lopo", action="store_true", help="skip leave-one-province-out")
    ap.add_argument("--no-nested", action="store_true", help="use the shipped C in every fold (quicker)")
    ap.add_argument("--merge", action="store_true", help="write the gold file from --a/--b/--c annotation files")
    ap.add_argument("--a", nargs="*", default=[], help="annotator A's TSV files")
    ap.add_argument("--b", nargs="*", default=[], help="annotator B's TSV files")
    ap.add_argument("--c", nargs="*", default=[], help="third annotator's TSV files")
    args = ap.parse_args(argv)
    if args.merge:
        from jixiao.corpus import load_corpus

        rows = merge(load_corpus(), args.a, args.b, args.c)
        write_gold(rows, gold_path())
        print(f"written {gold_path()}: {len(rows)} rows; " + ", ".join(
            f"{k} {v}" for k, v in Counter(r["decided_by"] for r in rows).most_common()))
        return 0
    if not gold_labels():
        print(f"error: {gold_path()}: no gold labels", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else default_model_dir()
    res = evaluate_gold(lopo=not args.no_lopo, nested=not args.no_nested)
    command = "python -m jixiao.nlp.gold" + (" " + " ".join(argv) if argv else "")
    atomic_write_text(out / "eval-gold.json", json.dumps(res, ensure_ascii=False, indent=1) + "\n")
    atomic_write_text(out / "EVAL-gold.md", render_markdown(res, command))
    for split, s in res["splits"].items():
        for key, m in s["methods"].items():
            print(f"{split:9s} {key:16s} accuracy {m['accuracy']:.3f} macro-F1 {m['macro_f1']:.3f}")
    print(f"written {out / 'EVAL-gold.md'} and {out / 'eval-gold.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
