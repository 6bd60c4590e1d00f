"""Retrieval index: shipped index is fresh, ANN search equals exact search, stale index is rebuilt."""

from __future__ import annotations

import json

import numpy as np
import pytest

from jixiao.corpus import corpora_dir, load_corpus
from jixiao.suggest import index as ix


@pytest.fixture(scope="module")
def index():
    return ix.load_index()


def test_shipped_index_matches_corpus_and_embedder():
    from jixiao.nlp.embed import get_embedder

    p = corpora_dir() / "index"
    info = json.loads((p / "index.json").read_text(encoding="utf-8"))
    probes = np.load(p / "probes.npy")
    assert ix.stale_reasons(info, get_embedder(), load_corpus(), probes) == []
    shipped = ix.read_index(p)
    n_ind = sum(1 for f in load_corpus() for i in f.indicators if ix.clean_name(i.name))
    assert shipped.size("indicator") == n_ind
    assert shipped.size("project") == sum(1 for f in load_corpus() if f.project_name)


def test_meta_rows_carry_citations(index):
    forms = {f.id: f for f in load_corpus()}
    for m in index.meta["indicator"]:
        f = forms[m["form"]]
        assert m["project_name"] == f.project_name
        assert m["source_url"] == f.source.url
        assert f.indicators[m["position"]].name == m["name_raw"]


@pytest.mark.parametrize("kind", ["indicator", "indicator_value", "project"])
def test_ann_equals_exact_on_shipped_corpus(index, kind):
    pytest.importorskip("usearch")
    q = index.vectors[kind][::3]
    k = 10
    exact = index.search(q, k=k, kind=kind, ann=False)
    approx = index.search(q, k=k, kind=kind, ann=True)
    for e, a in zip(exact, approx):
        assert [s for _, s in a] == pytest.approx([s for _, s in e], abs=1e-5)
        # rows agree except where scores tie
        assert [r for r, _ in a] == [r for r, _ in e] or np.allclose([s for _, s in a], [s for _, s in e], atol=1e-5)


def test_ann_equals_exact_with_exclusion(index):
    pytest.importorskip("usearch")
    forms = index.form_ids()[:20]
    q = np.stack([index.vectors["indicator"][index.rows_of_form("indicator", f)[0]] for f in forms])
    exact = index.search(q, k=8, exclude_forms=forms, ann=False)
    approx = index.search(q, k=8, exclude_forms=forms, ann=True)
    for f, e, a in zip(forms, exact, approx):
        assert [r for r, _ in a] == [r for r, _ in e]
        assert all(index.meta["indicator"][r]["form"] != f for r, _ in a)


def test_ann_is_used_above_threshold(index, monkeypatch):
    pytest.importorskip("usearch")
    calls = []
    orig = ix.Index._search_ann

    def spy(self, *a, **kw):
        calls.append(1)
        return orig(self, *a, **kw)

    monkeypatch.setattr(ix.Index, "_search_ann", spy)
    q = index.vectors["indicator"][:2]
    index.search(q, k=3)
    assert not calls  # the shipped corpus is far below the threshold
    monkeypatch.setattr(ix, "ANN_THRESHOLD", 10)
    index.search(q, k=3)
    assert calls


def test_stale_index_is_detected_and_rebuilt(tmp_path):
    forms = load_corpus()[:5]
    built = ix.build_index(forms, tmp_path)
    info = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    from jixiao.nlp.embed import get_embedder

    assert ix.stale_reasons(info, get_embedder(), forms, np.load(tmp_path / "probes.npy")) == []
    assert ix.stale_reasons(info, get_embedder(), load_corpus()[:6]) == ["corpus changed"]
    info["embedder"] = "some-other-model"
    (tmp_path / "index.json").write_text(json.dumps(info), encoding="utf-8")
    np.save(tmp_path / "probes.npy", np.zeros_like(np.load(tmp_path / "probes.npy")))
    ix.clear_cache()
    again = ix.load_index(tmp_path, forms=forms)
    info2 = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert info2["embedder"] == get_embedder().name
    assert again.size("indicator") == built.size("indicator")
    ix.clear_cache()


def test_read_index_round_trip(tmp_path):
    forms = load_corpus()[:3]
    built = ix.build_index(forms, tmp_path)
    back = ix.read_index(tmp_path)
    for kind in ix.KINDS:
        assert back.meta[kind] == json.loads(json.dumps(built.meta[kind], ensure_ascii=False))
        assert np.allclose(back.vectors[kind], built.vectors[kind], atol=1e-3)


def test_module_search_returns_citable_metadata():
    from jixiao.nlp.embed import get_embedder

    q = get_embedder().encode(["安全事故发生次数 =0(次)"])
    hits = ix.search(q, k=3, kind="indicator_value")[0]
    assert len(hits) == 3
    for meta, score in hits:
        assert meta["kind"] == "indicator_value" and meta["project_name"] and "value" in meta
    assert hits[0][0]["name"] == "安全事故发生次数"
