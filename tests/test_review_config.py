"""Configuration (select/ignore/severity/weights), in-form acceptance, baselines and the score card."""

from __future__ import annotations

import json

import pytest

from jixiao.errors import InputError
from jixiao.model import Form, Indicator, Period, Source
from jixiao.review import Config, apply_baseline, load_config, review_form, review_forms, summarise, write_baseline
from jixiao.review.config import find_config
from jixiao.review.score import grade_of, score_findings
from jixiao.values import parse_value

GOAL = "按时按质完成空调维修、立体车库维修、电梯更新、办公楼维修，确保空调系统运行正常。"
ROWS = [  # from the seed form 办公用房修缮及装修经费
    ("产出指标", "数量指标", "空调维修完成率", "=100(%)"),
    ("产出指标", "质量指标", "办公用房维修验收合格率", "=100(%)"),
    ("效益指标", "社会效益指标", "办公用房安全性", "提升"),
    ("效益指标", "可持续影响指标", "办公用房修缮及装修管理制度", "健全"),
    ("满意度指标", "服务对象满意度指标", "工作人员满意度", "≥90(%)"),
]


def seed_like(**kw) -> Form:
    inds = [Indicator(name=n, value=parse_value(v), level1=a, level2=b) for a, b, n, v in ROWS]
    return Form(id="f1", project_name=kw.pop("project_name", "办公用房修缮及装修经费"), indicators=inds,
                overall_goal=GOAL, annual_goal=GOAL, period=Period("2023-01-01", "2025-12-31"),
                source=Source(complete=True), **kw)


def names(review):
    return {f.name for f in review.findings}


def test_defaults_run_everything():
    r = review_form(seed_like())
    assert {"goal-copy", "vague-value", "completion-rate-as-quantity", "missing-category"} <= names(r)


def test_select_and_ignore_by_code_prefix_and_name():
    assert names(review_form(seed_like(), Config(select=["JX1"]))) <= {"goal-copy", "vague-goal", "missing-goal",
                                                                       "goal-inputs-only", "goal-not-covered"}
    assert "goal-copy" in names(review_form(seed_like(), Config(select=["JX1"])))
    assert names(review_form(seed_like(), Config(select=["vague-value"]))) == {"vague-value"}
    got = names(review_form(seed_like(), Config(ignore=["JX102", "vague-value"])))
    assert "goal-copy" not in got and "vague-value" not in got and "completion-rate-as-quantity" in got


def test_severity_override():
    r = review_form(seed_like(), Config(severity={"vague-value": "error", "JX102": "info"}))
    assert {f.severity for f in r.findings if f.name == "vague-value"} == {"error"}
    assert {f.severity for f in r.findings if f.name == "goal-copy"} == {"info"}


def test_load_config_from_jixiao_toml_and_pyproject(tmp_path):
    (tmp_path / "jixiao.toml").write_text(
        'select = ["JX3"]\nignore = ["JX306"]\n[severity]\nvague-value = "info"\n'
        "[score]\nweights = {\"完整性\" = 50, \"可衡量性\" = 50}\n[rules.goal-copy]\nthreshold = 0.5\n", encoding="utf-8")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    cfg = load_config(start_dir=sub)
    assert cfg.select == ["JX3"] and cfg.ignore == ["JX306"] and cfg.severity == {"vague-value": "info"}
    assert cfg.weights == {"完整性": 50.0, "可衡量性": 50.0}
    assert cfg.rules["goal-copy"]["threshold"] == 0.5
    r = review_form(seed_like(), cfg)
    assert names(r) and all(f.rule.startswith("JX3") for f in r.findings)
    assert set(r.score.dimensions) == {"完整性", "可衡量性"}

    other = tmp_path / "proj"
    other.mkdir()
    (other / "pyproject.toml").write_text('[project]\nname="x"\n[tool.jixiao]\nignore = ["goal-copy"]\n', encoding="utf-8")
    assert find_config(other) == other / "pyproject.toml"
    assert load_config(start_dir=other).ignore == ["goal-copy"]


def test_no_config_file_gives_defaults(tmp_path):
    if find_config(tmp_path) is not None:
        pytest.skip("a jixiao config exists above the temporary directory")
    assert load_config(start_dir=tmp_path) == Config()


@pytest.mark.parametrize("text", ['select = 3', '[severity]\ngoal-copy = "fatal"', 'unknown_key = 1', 'select = ["JX1"'])
def test_bad_config_is_input_error(tmp_path, text):
    p = tmp_path / "jixiao.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_config(p)
    assert "jixiao.toml" in str(e.value) and "\n" not in str(e.value)


def test_in_form_acceptance_does_not_deduct():
    plain = review_form(seed_like())
    form = seed_like(accepted=[{"rule": "goal-copy", "note": "一年期项目，年度目标即总体目标"},
                               {"rule": "JX303", "target": {"kind": "indicator", "index": 2}}])
    r = review_form(form)
    acc = [f for f in r.findings if f.accepted]
    assert {f.name for f in acc} == {"goal-copy", "vague-value"}
    assert [f.target.index for f in acc if f.name == "vague-value"] == [2]
    assert any(f.name == "vague-value" and not f.accepted for f in r.findings)  # row 3 still open
    assert acc[0].data.get("accepted_note") or acc[1].data.get("accepted_note")
    assert r.score.total > plain.score.total


def test_baseline_round_trip(tmp_path):
    reviews = review_forms([seed_like()])
    n = len(reviews[0].findings)
    path = tmp_path / "baseline.json"
    assert write_baseline(reviews, path) == n
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1
    # same form, one new defect added: only the new finding survives
    form = seed_like()
    form.indicators.append(Indicator(name="社区矫正对象人均执行成本", value=parse_value("≤10.00(%)"),
                                     level1="产出指标", level2="成本指标"))
    again = review_forms([form])
    matched = apply_baseline(again, path)
    # the added cost row also resolves the old "no 成本 indicator" finding, so one fewer matches
    assert matched == n - 1
    new_row = len(form.indicators) - 1
    assert "unit-mismatch" in [f.name for f in again[0].findings]
    assert all(f.target.index == new_row for f in again[0].findings)  # only findings about the new row remain



def test_apply_baseline_takes_counts_already_read(tmp_path):
    from jixiao.review.baseline import read_baseline

    path = tmp_path / "baseline.json"
    n = write_baseline(review_forms([seed_like()]), path)
    counts = read_baseline(path)
    kept = dict(counts)
    again = review_forms([seed_like()])
    assert apply_baseline(again, counts) == n and again[0].findings == []
    assert counts == kept  # the caller's counts are not used up
    again = review_forms([seed_like()])
    assert apply_baseline(again, counts) == n  # so they can be applied again

def test_bad_baseline_is_input_error(tmp_path):
    p = tmp_path / "b.json"
    p.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError):
        apply_baseline(review_forms([seed_like()]), p)


def test_score_card_and_grades():
    assert [grade_of(x) for x in (100, 90, 89.9, 80, 79.9, 60, 59.9, 0)] == ["优", "优", "良", "良", "中", "中", "差", "差"]
    clean = Form(id="c", project_name="x", source=Source(complete=False),
                 indicators=[Indicator(name="完成空调维修台数", value=parse_value("≥120(台)"), level1="产出指标",
                                       level2="数量指标")])
    assert score_findings([]).total == 100.0
    r = review_form(seed_like())
    assert 0 <= r.score.total < 100 and r.score.grade in ("优", "良", "中", "差")
    assert set(r.score.dimensions) == {"完整性", "相关性", "可衡量性", "适当性", "规范性"}
    # one rule deducts at most rule_cap from its dimension
    many = seed_like()
    many.indicators = [Indicator(name=f"指标名称{i}水平", value=parse_value("提升"), level1="效益指标",
                                 level2="社会效益指标") for i in range(30)]
    s = review_form(many, Config(select=["vague-value"])).score
    assert s.dimensions["可衡量性"] == 100 - Config().rule_cap
    assert review_form(clean).score.total >= 90


def test_summary_ranks_worst_first():
    good = Form(id="g", project_name="好表", source=Source(complete=False),
                indicators=[Indicator(name="完成空调维修台数", value=parse_value("≥120(台)"), level1="产出指标",
                                      level2="数量指标")])
    s = summarise(review_forms([good, seed_like()]))
    assert s["forms"] == 2 and [x["id"] for x in s["ranking"]] == ["f1", "g"]
    assert s["rules"][0]["count"] >= s["rules"][-1]["count"]
    assert sum(s["grades"].values()) == 2
