"""Suggestions inside review findings: one failing indicator does not switch them off for the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

import jixiao.suggest
from jixiao.readers import read_path
from jixiao.review import engine
from jixiao.review.config import Config
from jixiao.review.engine import review_form

SEED = Path(__file__).parents[1] / "examples" / "shanghai-justice-2023.txt"


@pytest.fixture()
def form():
    engine._suggest_state.clear()
    yield read_path(SEED)[0]  # 办公用房修缮及装修经费: vague values and completion rates
    engine._suggest_state.clear()


def _with_suggestion(review):
    return {f.data.get("indicator"): f.suggestion for f in review.findings if f.rule in ("JX303", "JX304")}


def test_one_failing_indicator_keeps_suggestions_for_the_others(form, monkeypatch):
    real = jixiao.suggest.suggest_rewrites

    def flaky(ind, form=None, k=3):
        if ind.name == "电梯运行稳定性":
            raise ValueError("bad row")
        return real(ind, form, k=k)

    monkeypatch.setattr(jixiao.suggest, "suggest_rewrites", flaky)
    got = _with_suggestion(review_form(form, Config()))
    assert got, "the seed form has vague-value findings"
    # the failing indicator falls back to the rule's template advice; the others keep a cited rewrite
    assert "可改为" not in (got.get("电梯运行稳定性") or "")
    assert any("可改为" in (s or "") for name, s in got.items() if name != "电梯运行稳定性")
    assert "broken" not in engine._suggest_state


def test_a_missing_resource_switches_suggestions_off_for_the_process(form, monkeypatch):
    def missing(ind, form=None, k=3):
        raise FileNotFoundError("corpora/index")

    monkeypatch.setattr(jixiao.suggest, "suggest_rewrites", missing)
    got = _with_suggestion(review_form(form, Config()))
    assert got and not any("可改为" in (s or "") for s in got.values())
    assert "broken" in engine._suggest_state
