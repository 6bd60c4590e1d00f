"""Rewrite suggestions on real seed and corpus indicators: measurable, cited, same category."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from jixiao.corpus import load_corpus
from jixiao.model import Indicator, Value
from jixiao.suggest import Suggestion, diagnose, suggest_rewrites, suggest_rewrites_batch
from jixiao.suggest.index import clean_name
from jixiao.suggest.rewrite import format_value, object_of, shared_words

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "sources" / "seed" / "shanghai-justice-2023.txt"


@pytest.fixture(scope="module")
def seed_forms():
    from jixiao.readers import read_path

    return read_path(SEED)


def _find(forms, name):
    for f in forms:
        for i in f.indicators:
            if i.name == name:
                return f, i
    raise AssertionError(f"{name} not in the seed")


def _good(ind: Indicator, sugg: list[Suggestion], level2: str) -> list[Suggestion]:
    """Suggestions that are measurable, in ``level2`` and about the same object as ``ind``."""
    return [s for s in sugg if s.measurable and s.level2 == level2 and shared_words(ind.name, s.name)]


@pytest.mark.parametrize(
    "name, level2",
    [
        ("办公用房安全性", "社会效益指标"),
        ("空调维修完成率", "数量指标"),
        ("培训及时性", "时效指标"),
        ("电梯运行稳定性", "社会效益指标"),
        ("房屋安全隐患", "社会效益指标"),
        ("办公用房修缮及装修管理制度", "可持续影响指标"),
        ("考场管理制度", "可持续影响指标"),
    ],
)
def test_seed_weak_indicator_gets_measurable_same_category_suggestion(seed_forms, name, level2):
    form, ind = _find(seed_forms, name)
    assert ind.level2 == level2
    assert diagnose(ind)[0] is not None
    sugg = suggest_rewrites(ind, form)
    assert 1 <= len(sugg) <= 3
    good = _good(ind, sugg, level2)
    assert good, [s.as_text() for s in sugg]
    for s in sugg:
        assert s.reason and (s.source is not None or "模板" in s.reason)


def test_office_safety_suggests_accident_count_or_hazard_rectification(seed_forms):
    form, ind = _find(seed_forms, "办公用房安全性")
    names = [s.name for s in suggest_rewrites(ind, form)]
    assert any("安全事故" in n or "隐患" in n for n in names), names


def test_reason_says_why_the_original_is_weak(seed_forms):
    form, ind = _find(seed_forms, "办公用房安全性")
    assert "提升" in suggest_rewrites(ind, form)[0].reason
    form, ind = _find(seed_forms, "空调维修完成率")
    assert "完成率" in suggest_rewrites(ind, form)[0].reason
    form, ind = _find(seed_forms, "培训及时性")
    assert "及时" in suggest_rewrites(ind, form)[0].reason


def test_diagnose_codes():
    v = Value.parse
    assert diagnose(Indicator("办公用房安全性", v("提升"), level2="社会效益指标"))[0] == "vague"
    assert diagnose(Indicator("空调维修完成率", v("=100(%)"), level2="数量指标"))[0] == "completion_rate"
    assert diagnose(Indicator("培训及时性", v("及时"), level2="时效指标"))[0] == "no_deadline"
    assert diagnose(Indicator("系统维修及时率", v("=100.00(%)"), level2="时效指标"))[0] == "timeliness_rate"
    assert diagnose(Indicator("预算执行率", v("100%"), level2="数量指标"))[0] == "execution"
    assert diagnose(Indicator("考生满意度", v("≥85(%)"), level2="服务对象满意度指标"))[0] is None
    assert diagnose(Indicator("安全事故发生次数", v("=0(次)"), level2="社会效益指标"))[0] is None


# values on which the suggestion engine's old word list and the review's disagreed (corpus and seed):
# all of them name no checkable standard
_WERE_DISPUTED = ["合规", "起积极促进作用", "持续影响", "有效减轻", "有效巩固", "正面支撑", "高"]


@pytest.mark.parametrize("value", _WERE_DISPUTED + ["提升", "有所改善", "进一步完善", "效果明显"])
def test_vague_value_one_definition(value):
    from jixiao.review.text import is_vague_value

    assert is_vague_value(value)
    assert diagnose(Indicator("社会稳定对经济发展起到的作用", Value.parse(value), level2="经济效益指标"))[0] == "vague"


@pytest.mark.parametrize("value", ["按要求完成当年的教育教学工作", "符合国家标准", "专款专用", "不超预算"])
def test_qualitative_value_with_a_standard_is_not_vague(value):
    from jixiao.review.text import is_vague_value

    assert not is_vague_value(value)
    assert diagnose(Indicator("义务教育学校正常运转", Value.parse(value), level2="质量指标"))[0] == "qualitative"


def test_vague_value_words_live_in_the_review_vocabulary():
    from jixiao.suggest.rewrite import _data

    assert "vague_values" not in _data()["weakness"] and "modifiers" not in _data()["weakness"]


def test_diagnose_and_review_agree_on_every_corpus_qualitative_value():
    from jixiao.review.text import is_vague_value

    seen = 0
    for form in load_corpus():
        for ind in form.indicators:
            if ind.value.kind != "qualitative":
                continue
            code = diagnose(ind)[0]
            if code in ("vague", "qualitative"):
                seen += 1
                assert (code == "vague") == is_vague_value(ind.value.raw), (form.id, ind.name, ind.value.raw)
    assert seen > 100


def test_object_and_value_helpers():
    assert object_of("办公用房安全性") == "办公用房"
    assert object_of("空调维修完成率") == "空调维修"
    assert object_of("电梯运行稳定性") == "电梯"
    assert clean_name("指标1:药品抽验品种") == "药品抽验品种"
    assert clean_name("★补助鱼塘面积") == "补助鱼塘面积"
    assert format_value(">=", 90.0, "%") == "≥90(%)"
    assert format_value(None, 12.5, "次") == "=12.5(次)"
    assert format_value("<=", None, "台") == "≤N(台)"


def test_citations_resolve_to_real_corpus_forms(seed_forms):
    """Every cited source is a corpus form with that project name holding that indicator."""
    corpus = {f.id: f for f in load_corpus()}
    cited = 0
    for form in seed_forms:
        for ind, sugg in zip(form.indicators, suggest_rewrites_batch(form.indicators, form)):
            for s in sugg:
                if s.source is None:
                    assert s.basis == "template" and "模板" in s.reason
                    continue
                cited += 1
                f = corpus[s.source["form"]]
                assert f.project_name == s.source["project_name"]
                assert s.source["source_url"] == f.source.url
                assert s.source["source_url"] or s.source["file"]
                assert any(clean_name(i.name) == s.name for i in f.indicators), s.as_text()
                # never the indicator's own form (the seed is in the corpus under another id)
                assert f.project_name != form.project_name or {i.name for i in f.indicators} != {
                    i.name for i in form.indicators
                }
    assert cited > 20


def test_number_comes_from_the_cited_neighbours(seed_forms):
    corpus = {f.id: f for f in load_corpus()}
    for form in seed_forms[:4]:
        for sugg in suggest_rewrites_batch(form.indicators, form):
            for s in sugg:
                if s.source is None or not s.support:
                    continue
                v = Value.parse(s.value)
                if v.kind != "quantitative":
                    continue
                nums = []
                for sup in s.support:
                    f = corpus[sup["form"]]
                    assert any(clean_name(i.name) == sup["name"] for i in f.indicators)
                    nums.append(Value.parse(sup["value"]).number)
                assert min(nums) <= v.number <= max(nums)
                if len(s.support) > 1:
                    assert "中位数" in s.reason


def test_as_text_is_one_line_and_to_dict_is_json(seed_forms):
    form, ind = _find(seed_forms, "车库使用安全性")
    for s in suggest_rewrites(ind, form, k=5):
        assert "\n" not in s.as_text()
        d = json.loads(json.dumps(s.to_dict(), ensure_ascii=False))
        assert set(d) >= {"name", "value", "level2", "reason", "source", "similarity"}
        if d["source"] is not None:
            assert set(d["source"]) >= {"form", "project_name", "source_url"}


def test_batch_equals_single(seed_forms):
    form = seed_forms[0]
    batch = suggest_rewrites_batch(form.indicators[:5], form)
    for ind, b in zip(form.indicators[:5], batch):
        single = suggest_rewrites(ind, form)
        assert [(s.name, s.value) for s in single] == [(s.name, s.value) for s in b]


def test_indicator_without_category_uses_the_classifier():
    ind = Indicator("培训及时性", Value.parse("及时"))
    sugg = suggest_rewrites(ind)
    assert sugg and all(s.level2 == "时效指标" for s in sugg if s.measurable)


def test_empty_batch():
    assert suggest_rewrites_batch([]) == []


def test_vector_search_excludes_own_form():
    from jixiao.nlp.embed import get_embedder
    from jixiao.suggest.index import load_index

    index = load_index()
    m = index.meta["indicator"][0]
    q = get_embedder().encode([m["name"]])
    top = index.search(q, k=5)[0]
    assert top[0][0] == 0 or np.isclose(top[0][1], 1.0, atol=1e-2)
    excl = index.search(q, k=5, exclude_forms=m["form"])[0]
    assert all(index.meta["indicator"][r]["form"] != m["form"] for r, _ in excl)


def test_seed_table_rows_and_judgements_file():
    """Every weak seed indicator is in the table, and the judgements file covers exactly those rows."""
    from jixiao.suggest.seedtable import load_judgements, render, rows

    table = rows()
    keys = {(r["form_no"], r["indicator"].name, r["indicator"].value.raw.strip()) for r in table}
    assert len(table) > 100
    assert any(r["indicator"].name == "办公用房安全性" for r in table)
    assert all(r["weakness"] in ("vague", "qualitative", "no_deadline", "completion_rate", "timeliness_rate") for r in table)
    judged = load_judgements()
    assert set(judged) == keys
    assert {j["verdict"] for j in judged.values()} <= {"OK", "OK-N", "not-OK"}
    body, stats = render(table, judged)
    assert stats["rows"] == len(table) and body.count("\n") == len(table) - 1


def test_unitless_number_gets_the_unit_its_name_states():
    corpus = {f.id: f for f in load_corpus()}
    form = corpus["corpus-015"]
    ind = next(i for i in form.indicators if i.name == "开展小型水利工程建设(个)")
    assert diagnose(ind)[0] == "no_unit"
    top = suggest_rewrites(ind, form)[0]
    assert (top.name, top.value) == ("开展小型水利工程建设", "=1(个)")
    assert top.source is None and "模板" in top.reason and top.measurable


def test_no_implausible_values_are_suggested(seed_forms):
    from jixiao.suggest.rewrite import plausible

    for form in seed_forms:
        for sugg in suggest_rewrites_batch(form.indicators, form):
            for s in sugg:
                v = Value.parse(s.value)
                assert plausible(s.name, v.number, v.unit), s.as_text()


def test_index_vectors_for_reuses_stored_vectors(monkeypatch):
    """Texts the index holds get their stored vectors; only the others are embedded."""
    from jixiao.nlp.embed import get_embedder
    from jixiao.suggest.index import load_index

    index = load_index()
    emb = get_embedder()
    rows = [0, 7, index.size("indicator") - 1]
    texts = [index.meta["indicator"][r]["text"] for r in rows]
    new = "语料中没有的示例指标名称"
    assert new not in index.text_rows("indicator")
    fresh = emb.encode([new])[0]
    calls: list[list[str]] = []
    encode = emb.encode
    monkeypatch.setattr(emb, "encode", lambda t: calls.append(list(t)) or encode(t))
    v = index.vectors_for(texts[:1] + [new] + texts[1:], "indicator", emb)
    assert calls == [[new]]
    assert v.shape == (4, index.vectors["indicator"].shape[1]) and v.dtype == np.float32
    assert np.array_equal(v[[0, 2, 3]], index.vectors["indicator"][rows])
    assert np.allclose(v[1], fresh)
    calls.clear()
    assert index.vectors_for(texts, "indicator", emb).shape == (3, v.shape[1]) and calls == []


def test_a_plan_written_into_the_table_is_not_proposed():
    """web-t06 prints a work plan as an indicator ("上半年完成宣传片制作;下半年完成实施方案" with a
    dated plan as its value); it must not come back as a rewrite, a concise dated target may."""
    from jixiao.suggest.rewrite import _usable_candidate

    plan = {"name": "上半年完成宣传片制作;下半年完成实施方案", "value": "6月份完成宣传片制作;9月份完成文本;11月完成专家评审",
            "value_kind": "date", "number": None, "unit": None, "op": None, "level2": "时效指标"}
    deadline = {"name": "科普宣传时限", "value": "11月底前", "value_kind": "date", "number": None, "unit": None,
                "op": None, "level2": "时效指标"}
    assert not _usable_candidate(plan)
    assert _usable_candidate(deadline)
