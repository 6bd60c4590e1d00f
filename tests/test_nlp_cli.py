"""``jixiao classify`` and ``jixiao similar`` through the typer app."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.nlp.features import CLASSES

runner = CliRunner()


def test_classify_json_shape():
    r = runner.invoke(app, ["classify", "空调维修及时率", "工作人员满意度", "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert [d["name"] for d in out] == ["空调维修及时率", "工作人员满意度"]
    assert [d["level2"] for d in out] == ["时效指标", "服务对象满意度指标"]
    for d in out:
        assert set(d) == {"name", "level2", "confidence", "scores"}
        assert set(d["scores"]) == set(CLASSES)
        assert 0 < d["confidence"] <= 1


def test_classify_value_option():
    r = runner.invoke(app, ["classify", "项目总成本", "--value", "≤1000万元", "-f", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)[0]["level2"] == "成本指标"
    r = runner.invoke(app, ["classify", "项目总成本", "--value", "≤1000万元", "--cost-2021", "-f", "json"])
    assert json.loads(r.stdout)[0]["level2"] == "经济成本指标"


def test_classify_stdin():
    r = runner.invoke(app, ["classify", "-", "-f", "json"], input="验收合格率\n\n考点设置数\n")
    assert r.exit_code == 0, r.output
    assert [d["name"] for d in json.loads(r.stdout)] == ["验收合格率", "考点设置数"]


def test_classify_table():
    r = runner.invoke(app, ["classify", "验收合格率"])
    assert r.exit_code == 0, r.output
    assert "质量指标" in r.stdout


def test_classify_value_needs_single_name():
    r = runner.invoke(app, ["classify", "a", "b", "--value", "1"])
    assert r.exit_code == 2
    assert "single name" in r.output


def _have_embedder() -> bool:
    try:
        from jixiao.nlp.embed import get_embedder

        get_embedder()
    except Exception:  # noqa: BLE001 - any failure means the shipped model is not built here
        return False
    return True


@pytest.mark.skipif(not _have_embedder(), reason="shipped embedding model models/zh-static-v1 not present")
def test_similar_json_shape():
    r = runner.invoke(app, ["similar", "空调维修及时率", "-k", "3", "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert len(out) == 3
    for d in out:
        assert set(d) == {"name", "level2", "value", "form", "project_name", "source_url", "similarity", "occurrences"}
        assert d["occurrences"] >= 1
        assert -1.0 <= d["similarity"] <= 1.0
    sims = [d["similarity"] for d in out]
    assert sims == sorted(sims, reverse=True)
    assert "及时" in out[0]["name"]


@pytest.mark.skipif(not _have_embedder(), reason="shipped embedding model models/zh-static-v1 not present")
def test_similar_distinct_and_all():
    """工作人员满意度 is used by several seed forms: one row by default, one per form with --all."""
    r = runner.invoke(app, ["similar", "工作人员满意度", "-k", "4", "-f", "json"])
    out = json.loads(r.stdout)
    names = [d["name"] for d in out]
    assert len(names) == len(set(names))
    assert out[0]["name"] == "工作人员满意度" and out[0]["occurrences"] >= 3
    assert out[0]["source_url"] is None or out[0]["source_url"].startswith("http")
    r = runner.invoke(app, ["similar", "工作人员满意度", "-k", "3", "--all", "-f", "json"])
    out = json.loads(r.stdout)
    assert [d["name"] for d in out] == ["工作人员满意度"] * 3
    assert len({d["form"] for d in out}) == 3


def _record_encodes(monkeypatch):
    """Wrap the shared embedder's ``encode``; returns the list of text batches it is asked for.

    The retrieval index is loaded first so that a stale index's rebuild is not counted."""
    from jixiao.nlp.embed import get_embedder
    from jixiao.suggest.index import load_index

    load_index()
    emb = get_embedder()
    calls: list[list[str]] = []
    encode = emb.encode

    def recording(texts):
        calls.append([texts] if isinstance(texts, str) else list(texts))
        return encode(texts)

    monkeypatch.setattr(emb, "encode", recording)
    return calls


@pytest.mark.skipif(not _have_embedder(), reason="shipped embedding model models/zh-static-v1 not present")
@pytest.mark.parametrize("every", [False, True])
def test_similar_encodes_only_the_query(monkeypatch, every):
    """The corpus names come from the retrieval index: only TEXT is embedded."""
    calls = _record_encodes(monkeypatch)
    args = ["similar", "空调维修及时率", "-k", "5", "-f", "json"] + (["--all"] if every else [])
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.stdout)) == 5
    assert calls == [["空调维修及时率"]]


@pytest.mark.skipif(not _have_embedder(), reason="shipped embedding model models/zh-static-v1 not present")
def test_similar_agrees_with_the_index_search():
    """Same rows and cosines as ``Index.search`` (what ``jixiao suggest`` uses), one row per name."""
    from jixiao.nlp.embed import get_embedder
    from jixiao.suggest.index import load_index

    index = load_index()
    hits = index.search(get_embedder().encode(["培训人次"]), k=40, kind="indicator")[0]
    expect, seen = [], set()
    for row, sim in hits:
        m = index.meta["indicator"][row]
        if m["name_raw"].strip() not in seen:
            seen.add(m["name_raw"].strip())
            expect.append((m["name_raw"], m["form"], round(min(sim, 1.0), 4)))
    r = runner.invoke(app, ["similar", "培训人次", "-k", "6", "-f", "json"])
    out = json.loads(r.stdout)
    assert [(d["name"], d["form"], d["similarity"]) for d in out] == expect[:6]


@pytest.mark.skipif(not _have_embedder(), reason="shipped embedding model models/zh-static-v1 not present")
def test_similar_matches_numbered_names_by_their_meaning():
    """The index embeds names without list numbering: 指标1:工程实施总体质量 is found by its words
    (embedding the raw name, numbering included, put it at cosine 0.36, far outside the top 1)."""
    r = runner.invoke(app, ["similar", "工程实施总体质量", "-k", "1", "-f", "json"])
    out = json.loads(r.stdout)
    assert out[0]["name"] == "指标1:工程实施总体质量"
    assert out[0]["value"] == "一次性通过省文物局验收" and out[0]["occurrences"] == 1
    assert out[0]["similarity"] == 1.0
