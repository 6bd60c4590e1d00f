"""JX403 category-mismatch on real corpus forms (the classifier is trained on the gold labels)."""

from __future__ import annotations

import pytest

from jixiao.corpus import load_corpus
from jixiao.review.config import Config
from jixiao.review.engine import review_form


@pytest.fixture(scope="module")
def forms():
    return {f.id: f for f in load_corpus()}


def _jx403(form):
    return [f for f in review_form(form, Config()).findings if f.rule == "JX403"]


def test_cost_control_filed_as_quantity_is_flagged(forms):
    hits = _jx403(forms["corpus-029"])
    assert any("成本控制" in f.message and f.data["predicted"] == "成本指标" for f in hits)


def test_rows_without_wording_are_not_judged(forms):
    form = forms["corpus-040"]
    assert any(ind.name == "0" and ind.level2 for ind in form.indicators)  # the real input has them
    assert not [f for f in _jx403(form) if "“0”" in f.message]


def test_satisfaction_filed_elsewhere_is_left_to_its_own_rule(forms):
    for form in forms.values():
        for f in _jx403(form):
            assert not (f.data["predicted"] == "服务对象满意度指标" and "满意" in f.message.split("”")[0])
