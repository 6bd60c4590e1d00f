"""The 12 seed forms (tab-separated dump) against the hand-verified expected values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.readers import read_path, read_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora/sources/seed/shanghai-justice-2023.txt"
EXPECTED = json.loads((ROOT / "tests/fixtures/seed_expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def forms():
    return read_path(SEED)


def test_counts(forms):
    assert len(forms) == EXPECTED["forms_total"] == 12
    assert sum(len(f.indicators) for f in forms) == EXPECTED["indicators_total"] == 225
    assert [len(f.indicators) for f in forms] == [f["indicator_count"] for f in EXPECTED["forms"]]


@pytest.mark.parametrize("n", range(12))
def test_form_header_facts(forms, n):
    f, e = forms[n], EXPECTED["forms"][n]
    assert f.project_name == e["project_name"]
    assert f.department == e["department"] == "上海市司法局"
    assert f.implementer == e["implementer"]
    assert f.year == e["year"] == 2023
    assert (f.period.start, f.period.end) == (e["period"]["start"], e["period"]["end"]) == ("2023-01-01", "2023-12-31")
    assert f.funds.total == e["funds"]["total"] and isinstance(f.funds.total, float)
    assert f.funds.fiscal == e["funds"]["fiscal"]
    assert f.funds.carryover == 0.0 and f.funds.other == 0.0
    assert f.overall_goal == e["overall_goal"] and len(f.overall_goal) > 40
    assert f.annual_goal == e["annual_goal"] and len(f.annual_goal) > 40
    assert "<" not in f.overall_goal and "<" not in f.annual_goal  # <p> stripped
    assert f.source.index == n and f.source.doc_type == "财政项目支出绩效目标申报表"


@pytest.mark.parametrize("n", range(12))
def test_form_indicators(forms, n):
    got = [(i.level1, i.level2, i.name, i.value.raw) for i in forms[n].indicators]
    want = [(i["level1"], i["level2"], i["name"], i["value"]) for i in EXPECTED["forms"][n]["indicators"]]
    assert got == want


def test_expected_rows_trace_to_seed_lines():
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for f in EXPECTED["forms"]:
        for i in f["indicators"]:
            cells = [c.strip() for c in lines[i["line"] - 1].split("\t")]
            assert i["name"] in cells and i["value"] in cells, i


def test_funds_with_thousands_separators(forms):
    assert forms[0].funds.total == 9_593_190.0  # printed "9,593,190.00"
    assert forms[4].funds.total == 22_398_800.0


def _ind(forms, form_no, name):
    (hit,) = [i for i in forms[form_no].indicators if i.name == name]
    return hit


def test_shifted_rows(forms):
    # "\t\t\t时效指标\t空调维修及时率\t=100.00(%)": a category label in the 三级 column
    i = _ind(forms, 0, "空调维修及时率")
    assert (i.level1, i.level2, i.level2_raw) == ("产出指标", "时效指标", "时效指标")
    assert _ind(forms, 0, "办公楼维修及时率").level2 == "时效指标"
    i = _ind(forms, 0, "办公用房修缮及装修管理制度")  # label at column 0
    assert (i.level1, i.level2) == ("效益指标", "可持续影响指标")
    assert _ind(forms, 5, "课题验收合格率").level2 == "质量指标"


def test_labels_broken_by_spaces(forms):
    i = _ind(forms, 6, "公证质量和公信力")
    assert (i.level1, i.level2, i.level2_raw) == ("效益指标", "社会效益指标", "社会 效益 指标")
    i = _ind(forms, 2, "考生满意度")
    assert (i.level2, i.level2_raw) == ("服务对象满意度指标", "服务对象满意度 指标")


def test_page_break_resolutions_are_noted(forms):
    # 产出指标 printed mid-table without a 二级 label: wording decides, and says so
    i = _ind(forms, 8, "核酸检测完成及时性")
    assert i.level2 == "时效指标" and any("resolved from wording" in n for n in i.notes)
    # 效益指标 printed after a page break, no 二级 label, no cue word: carried over, noted
    i = _ind(forms, 6, "法律数据库充实度")
    assert i.level2 == "社会效益指标" and any("carried over" in n for n in i.notes)
    # rows just before a page break whose group label is printed after it
    for name in ("食品安全事故", "场所安全性"):
        i = _ind(forms, 5, name)
        assert (i.level1, i.level2) == ("效益指标", "社会效益指标")
        assert any("page break" in n for n in i.notes)
    # rows with printed labels carry no notes
    assert _ind(forms, 0, "空调维修完成率").notes == []


def test_complaint_row_keeps_printed_grouping(forms):
    # see seed_expected.json: layout puts 投诉处置率 in the 时效指标 group; the reader does not reclassify
    i = _ind(forms, 3, "投诉处置率")
    assert (i.level2, i.value.raw, i.value.number) == ("时效指标", "=100.00(%)", 100.0)


def test_cost_label_in_level2_column(forms):
    i = _ind(forms, 11, "日常运作成本占项目总额的比例")
    assert (i.level1, i.level2) == ("产出指标", "成本指标")


def test_values_parsed(forms):
    i = _ind(forms, 3, "主观题考生人数")
    assert (i.value.op, i.value.number, i.value.unit, i.value.kind) == (">=", 14500.0, "人", "quantitative")
    assert _ind(forms, 4, "人民调解协议书制作").value.unit == "万件"
    assert _ind(forms, 0, "办公用房安全性").value.kind == "qualitative"


def test_read_text_same_as_read_path(forms):
    again = read_text(SEED.read_text(encoding="utf-8"), "seed.txt")
    assert [f.to_dict()["indicators"] for f in again] == [f.to_dict()["indicators"] for f in forms]
