"""The gold level-2 label set (corpora/labels/level2-gold.tsv) and its adjudication rule."""

from __future__ import annotations

import pytest

from jixiao.corpus import load_corpus
from jixiao.nlp.features import CLASSES, training_label
from jixiao.nlp.gold import UNSURE, adjudicate, agreement, gold_labels, gold_path, kappa, load_gold


def test_adjudicate_two_annotators_agree():
    assert adjudicate("数量指标", "质量指标", "质量指标") == ("质量指标", "agree")


def test_adjudicate_form_breaks_a_tie():
    assert adjudicate("数量指标", "质量指标", "数量指标") == ("数量指标", "form-vote")
    # a 2021 cost sub-type on the form votes as 成本指标
    assert adjudicate("经济成本指标", "成本指标", "经济效益指标") == ("成本指标", "form-vote")


def test_adjudicate_third_annotation_needed_and_used():
    assert adjudicate("数量指标", "质量指标", "时效指标") == (None, "unresolved")
    assert adjudicate("数量指标", "质量指标", "时效指标", "时效指标") == ("时效指标", "third")
    assert adjudicate("数量指标", "质量指标", "时效指标", "数量指标") == ("数量指标", "third")
    # a third label that matches nobody decides nothing
    assert adjudicate("数量指标", "质量指标", "时效指标", "成本指标") == (None, "unresolved")
    # an unsure annotator does not vote
    assert adjudicate(None, UNSURE, "质量指标") == (None, "unresolved")


def test_kappa():
    assert kappa(["a", "b", "a", "b"], ["a", "b", "a", "b"]) == pytest.approx(1.0)
    assert kappa(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == pytest.approx(0.0)


def test_gold_file_matches_the_corpus_row_by_row():
    gold = load_gold()
    assert gold_path().is_file() and len(gold) >= 600
    forms = {f.id: f for f in load_corpus()}
    for (fid, k), r in gold.items():
        ind = forms[fid].indicators[k]
        assert r["name"] == ind.name, (fid, k)
        assert r["form_label"] == (ind.level2 or "")
        assert r["a"] in CLASSES + (UNSURE,) and r["b"] in CLASSES + (UNSURE,)
        fl = training_label(ind.level2) if ind.level2 else None
        assert (r["gold"] or None, r["decided_by"]) == adjudicate(fl, r["a"], r["b"], r["c"] or None), (fid, k)


def test_gold_labels_differ_from_form_labels_where_the_guideline_says_so():
    gold = gold_labels()
    forms = {f.id: f for f in load_corpus()}
    # Shanghai files completion rates under 数量; the guideline reads a completion rate as a level (质量)
    rates = [(fid, k) for (fid, k) in gold if fid.startswith("seed-")
             and forms[fid].indicators[k].name.endswith("完成率") and forms[fid].indicators[k].level2 == "数量指标"]
    assert len(rates) >= 20
    assert sum(gold[key] == "质量指标" for key in rates) >= 0.9 * len(rates)


def test_agreement_report():
    ag = agreement(load_gold())
    assert ag["a~b"]["n"] >= 600
    # the annotators agree with each other far more than with the forms (the forms' labels are noisy)
    assert ag["a~b"]["agreement"] > ag["a~form_label"]["agreement"] + 0.1
    assert sum(ag["decided_by"].values()) == len(load_gold())
