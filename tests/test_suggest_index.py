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
    # an index with a folder saves its HNSW graph there above the threshold: keep corpora/index clean
    monkeypatch.setattr(index, "path", None)
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


def _ann_files(folder):
    return sorted(p.name for p in folder.glob("ann-*.usearch"))


def _no_build(mat):
    raise AssertionError("the HNSW graph was rebuilt instead of loaded")


def test_ann_graph_is_saved_and_loaded_not_rebuilt(tmp_path, monkeypatch):
    pytest.importorskip("usearch")
    monkeypatch.setattr(ix, "ANN_THRESHOLD", 30)
    forms = load_corpus()[:10]
    built = ix.build_index(forms, tmp_path)
    big = [k for k in ix.KINDS if built.size(k) > 30]
    assert set(big) == {"indicator", "indicator_value"}  # 10 projects and goals stay exact-only
    # written with the index, one file per large kind, named by the hash of its vectors
    assert _ann_files(tmp_path) == sorted(built.ann_file(k).name for k in big)
    assert not list(tmp_path.glob(".*.tmp"))
    queries = {k: built.vectors[k][::2] for k in big}
    first = {k: built.search(queries[k], k=5, kind=k) for k in big}  # ann=None: HNSW above the threshold
    exact = {k: built.search(queries[k], k=5, kind=k, ann=False) for k in big}
    # a later process: read the folder, search, and never build a graph
    monkeypatch.setattr(ix, "_build_ann", _no_build)
    ix.clear_cache()
    again = ix.load_index(tmp_path, forms=forms, rebuild=False)
    assert again is not built and not again._ann
    for k in big:
        res = again.search(queries[k], k=5, kind=k)
        assert k in again._ann and len(again._ann[k]) == built.size(k)
        assert res == first[k]
        assert [[r for r, _ in hits] for hits in res] == [[r for r, _ in hits] for hits in exact[k]]
        assert [s for hits in res for _, s in hits] == pytest.approx(
            [s for hits in exact[k] for _, s in hits], abs=1e-5)
    # the small kind is still searched exactly, and ann=True on it builds in memory only
    with pytest.raises(AssertionError, match="rebuilt"):
        again.search(again.vectors["project"][:1], k=3, kind="project", ann=True)
    ix.clear_cache()


def test_stale_ann_graph_is_rebuilt(tmp_path, monkeypatch):
    pytest.importorskip("usearch")
    monkeypatch.setattr(ix, "ANN_THRESHOLD", 30)
    forms = load_corpus()[:10]
    ix.build_index(forms, tmp_path)
    old_files = _ann_files(tmp_path)
    assert len(old_files) == 2
    builds = []
    orig = ix._build_ann

    def counting_build(mat):
        builds.append(len(mat))
        return orig(mat)

    monkeypatch.setattr(ix, "_build_ann", counting_build)
    # the corpus changes: load_index rebuilds the index, and with it the graphs; the old files go
    ix.clear_cache()
    forms2 = load_corpus()[1:12]
    index2 = ix.load_index(tmp_path, forms=forms2)
    assert sorted(builds) == sorted([index2.size("indicator"), index2.size("indicator_value")])
    new_files = _ann_files(tmp_path)
    assert len(new_files) == 2 and not set(new_files) & set(old_files)
    q = index2.vectors["indicator"][::3]
    fresh = ix.build_index(forms2).search(q, k=5, ann=True)  # no folder: built in memory
    assert ix.read_index(tmp_path).search(q, k=5) == fresh

    # a graph of other vectors under the name the current vectors expect (same row count, so only
    # the stored vectors tell them apart) is not used: rebuilt and saved over it
    back = ix.read_index(tmp_path)
    want = back.ann_file("indicator")
    other = ix.Index(vectors={**back.vectors, "indicator": -back.vectors["indicator"]}, meta=back.meta,
                     info=dict(back.info), path=tmp_path / "other")
    (tmp_path / "other").mkdir()
    other._ann_index("indicator")
    forged = other.ann_file("indicator")
    assert forged.is_file() and forged.name != want.name
    forged.replace(want)
    builds.clear()
    res = ix.read_index(tmp_path).search(q, k=5)
    assert builds == [back.size("indicator")]
    assert res == fresh
    builds.clear()
    assert ix.read_index(tmp_path).search(q, k=5) == fresh and builds == []  # the rebuilt graph was saved

    # the corpus shrinks below the threshold: its graphs are removed when the index is written
    ix.build_index(load_corpus()[:2], tmp_path)
    assert _ann_files(tmp_path) == []
    ix.clear_cache()
