"""`jixiao suggest` JSON shape and indicator-set recommendation."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.corpus import load_corpus
from jixiao.taxonomy import LEVEL1, LEVEL2

runner = CliRunner()


def test_cli_rewrite_json_shape():
    r = runner.invoke(app, ["suggest", "办公用房安全性", "--value", "提升", "--level2", "社会效益指标", "-k", "3"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["input"]["name"] == "办公用房安全性"
    assert out["input"]["weakness"] == "vague"
    assert 1 <= len(out["suggestions"]) <= 3
    for s in out["suggestions"]:
        assert set(s) >= {"name", "value", "level2", "reason", "source", "similarity"}
        assert s["source"] is None or set(s["source"]) >= {"form", "project_name", "source_url"}
        assert s["level2"] == "社会效益指标"


def test_cli_rewrite_text():
    r = runner.invoke(app, ["suggest", "空调维修完成率", "--value", "=100(%)", "--level2", "数量指标", "--format", "text"])
    assert r.exit_code == 0, r.output
    assert "完成率" in r.stdout.splitlines()[0]
    assert r.stdout.count("\n") >= 2


def test_cli_bad_level2_is_usage_error():
    r = runner.invoke(app, ["suggest", "培训及时性", "--level2", "不存在的类别"])
    assert r.exit_code == 2


def test_cli_set_json_shape():
    r = runner.invoke(app, ["suggest", "--project", "智慧法院运维", "--forms", "4"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["input"]["project_name"] == "智慧法院运维"
    assert len(out["forms"]) == 4
    assert set(out["indicators"]) <= set(LEVEL1) | {"未分类"}


def test_suggest_set_for_court_operations_is_organised_and_sourced():
    from jixiao.suggest import suggest_set

    res = suggest_set(project_name="智慧法院运维")
    assert len(res.forms) == 5
    assert res.forms[0]["similarity"] >= res.forms[-1]["similarity"]
    corpus = {f.id: f for f in load_corpus()}
    form_ids = {f["form"] for f in res.forms}
    items = res.items()
    assert len(items) >= 5
    assert "产出指标" in res.indicators
    for l1, l2s in res.indicators.items():
        for l2, its in l2s.items():
            assert l2 in LEVEL2 or l2 == "未分类"
            for it in its:
                assert it.level2 == l2 and it.value
                if it.basis == "corpus":
                    assert it.source["form"] in form_ids
                    assert corpus[it.source["form"]].project_name == it.source["project_name"]
                else:
                    assert it.source is None or it.source["form"] in corpus
    # de-duplicated: no two items of one category share a name
    for l2s in res.indicators.values():
        for its in l2s.values():
            names = [it.name for it in its]
            assert len(names) == len(set(names))
    assert "产出指标" in res.as_text()


def test_suggest_set_goal_only():
    from jixiao.suggest import suggest_set

    res = suggest_set(goal="完成办公楼空调、电梯维修，消除安全隐患", k_forms=3)
    assert len(res.forms) == 3 and res.items()


def test_suggest_set_takes_corpus_vectors_from_the_index(monkeypatch):
    """suggest_set embeds the query, and the new wording of rewrites, but no corpus indicator name:
    those vectors come from the retrieval index. (The rewrite and classifier modules, called for weak
    or uncategorised rows, embed their own queries; their calls are not counted here.)"""
    import sys

    from jixiao.nlp.embed import get_embedder
    from jixiao.suggest import suggest_set
    from jixiao.suggest.index import load_index

    index = load_index()
    emb = get_embedder()
    own: list[str] = []
    encode = emb.encode

    def recording(texts):
        caller = sys._getframe(1).f_code.co_filename.replace("\\", "/")
        if caller.endswith(("jixiao/suggest/recommend.py", "jixiao/suggest/index.py")):
            own.extend([texts] if isinstance(texts, str) else texts)
        return encode(texts)

    monkeypatch.setattr(emb, "encode", recording)
    res = suggest_set(project_name="智慧法院运维")
    corpus_items = [it for it in res.items() if it.basis == "corpus"]
    assert len(corpus_items) >= 5
    assert "智慧法院运维" in own
    stored = index.text_rows("indicator")
    assert [t for t in own if t in stored] == []
    assert not {it.name for it in corpus_items} & set(own)
