"""Train the shipped level-2 indicator classifier into models/classifier-v1/ (deterministic).

    .venv/bin/python models/train_classifier.py                 # corpora/forms.jsonl, all feature blocks
    .venv/bin/python models/train_classifier.py --blocks cues,value,chars,stack   # without the embedder

Training labels (``--labels``): ``gold`` (default) uses the independently annotated gold labels of
``corpora/labels/level2-gold.tsv`` (every corpus indicator with a resolved gold label, including rows
whose form gives no category; see corpora/labels/README.md); ``form`` uses the forms' own level-2
categories (2021 cost sub-types count as 成本指标), minus junk rows (``jixiao.nlp.evaluate.training_rows``).
C is chosen by grouped (by form) 5-fold CV (lowest temperature-scaled log-loss, ``C_CRITERION``),
then a softmax temperature is fitted on the grouped out-of-fold logits. Same corpus + same code → byte-identical weights.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=None, help="forms.jsonl (default: corpora/forms.jsonl)")
    ap.add_argument("--out", default=str(HERE / "classifier-v1"))
    ap.add_argument("--blocks", default="cues,value,chars,embed,stack", help="feature blocks, comma-separated")
    ap.add_argument("--embedder", default=None, help="embedder name (default: the shipped static model)")
    ap.add_argument("--labels", choices=("gold", "form"), default="gold",
                    help="train on the gold labels (default) or on the forms' own categories")
    args = ap.parse_args(argv)

    from jixiao.corpus import corpus_path, load_corpus
    from jixiao.nlp.classify import IndicatorClassifier
    from jixiao.nlp.evaluate import training_rows

    path = Path(args.corpus) if args.corpus else corpus_path()
    forms = load_corpus(path)
    if args.labels == "gold":
        from jixiao.nlp.gold import gold_label_rows, gold_path

        rows = gold_label_rows(forms)
        labels_info = {"source": "gold", "path": str(gold_path().relative_to(HERE.parent)),
                       "sha256": hashlib.sha256(gold_path().read_bytes()).hexdigest()}
    else:
        rows = training_rows(forms)
        labels_info = {"source": "form"}
    blocks = tuple(b for b in args.blocks.split(",") if b)
    clf = IndicatorClassifier(blocks=blocks, embedder=args.embedder)
    clf.fit([r.name for r in rows], [r.value for r in rows], [r.label for r in rows], groups=[r.form for r in rows])
    clf.info["corpus"] = {
        "path": str(path.relative_to(HERE.parent)) if path.is_relative_to(HERE.parent) else str(path),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "forms": len(forms),
        "forms_with_rows": len({r.form for r in rows}),
        "rows": len(rows),
    }
    clf.info["labels"] = labels_info
    out = clf.save(args.out)
    print(f"trained on {args.labels} labels of {len(rows)} rows from {len({r.form for r in rows})} forms; C={clf.C} "
          f"T={clf.temperature_:.3f} grouped-CV accuracy={clf.info['oof_accuracy']:.3f} -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
