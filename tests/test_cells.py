"""The cells reader on the real raw excerpts of the shared corpus (corpora/sources/shared-corpus/raw/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.corpus.rawcheck import check, norm, render
from jixiao.errors import InputError
from jixiao.readers.cells import align, read_cells_text, split_glued
from jixiao.taxonomy import normalise_level1, normalise_level2

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "sources" / "shared-corpus"


def _raw(n: str) -> str:
    return (CORPUS / "raw" / f"{n}.txt").read_text(encoding="utf-8")


def _form(n: str) -> dict:
    return json.loads((CORPUS / "forms" / f"{n}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result():
    return check(ROOT)


def test_overall_figure_at_least_90_percent(result):
    assert result.rows == 409
    assert result.matched / result.rows >= 0.90, f"{result.matched}/{result.rows}"
    # categories agree on (almost) every matched row
    assert result.category_ok / result.matched >= 0.95


def test_report_lists_every_miss(result):
    md = render(result)
    misses = sum(len(f.misses) for f in result.forms)
    assert misses == result.rows - result.matched
    assert f"Missed rows ({misses})" in md
    assert md.count("\n| 0") >= 1  # the per-form table is there


# (raw id, layout): the parsed form with the transcription's project name has exactly its rows
EXACT = [
    ("006", "pipe rows, 绩效指标描述 column, merged category cells dropped, two forms on one page"),
    ("007", "second form of the same page"),
    ("001", "whitespace rows, split value columns 指标性质|指标方向|目标值|计量单位|分值"),
    ("012", "one cell per line with '|', unit-first split columns 指标|指标权重|计量单位|指标性质|指标值"),
    ("030", "self-evaluation 年初目标值(A)|实际完成值(B)|得分, value cells wrapped to the next line"),
    ("004", "Anhui 中期+年度 side-by-side groups"),
    ("034", "one cell per line, wrapped cell, vertical 绩/效/指/标 label"),
    ("021", "self-evaluation with 分值 before 年度指标值 and 其中 sub-rows"),
    ("002", "Sichuan 项目完成指标 printed over two lines, whitespace cells"),
    ("050", "whole table flattened into one long whitespace line"),
    ("024", "Anhui 中期+年度 groups printed one cell per line, rows ended by '||||'"),
    ("014", "one cell per line without '|', blank lines between cells"),
    ("053", "whitespace rows under a two-line header (年度|实际 / 指标值|完成值)"),
    ("003", "notice prose: (一)数量指标 headings and 'name≥value;' lines"),
]


@pytest.mark.parametrize("n,layout", EXACT, ids=[e[0] for e in EXACT])
def test_layout_parses_to_the_transcribed_rows(n, layout):
    d = _form(n)
    forms = read_cells_text(_raw(n), f"raw/{n}.txt")
    form = forms[0] if len(forms) == 1 else next(f for f in forms if f.project_name == d["project_name"])
    got = [(norm(i.name), norm(i.value.raw)) for i in form.indicators]
    want = [(norm(r["level3"]), norm(r["value"])) for r in d["indicators"]]
    assert got == want, layout
    for ind, r in zip(form.indicators, d["indicators"]):
        want_l2 = normalise_level2(r["level2"], normalise_level1(r["level1"]))
        if want_l2:
            assert ind.level2 == want_l2, (ind.name, layout)
    assert form.source.url == d["source_url"]


def test_hainan_indicator_type_template():
    # 指标类型 | 指标名称 | 绩效目标 | 绩效标准, one cell per line, no level 2
    d = _form("047")
    form = read_cells_text(_raw("047"), "raw/047.txt")[0]
    want = [(norm(r["level3"]), norm(r["value"])) for r in d["indicators"]]
    got = [(norm(i.name), norm(i.value.raw)) for i in form.indicators]
    assert got[: len(want)] == want
    assert [i.level1 for i in form.indicators[:4]] == ["产出指标"] * 4


def test_bracket_prose_list():
    # 【产出指标-数量指标】 / 指标1:机柜数量(≥77台): the transcribed project's rows come first
    d = _form("031")
    form = read_cells_text(_raw("031"), "raw/031.txt")[0]
    want = [(norm(r["level3"]), norm(r["value"])) for r in d["indicators"]]
    got = [(norm(i.name), norm(i.value.raw)) for i in form.indicators]
    assert got[: len(want)] == want
    assert [i.level2 for i in form.indicators[:4]] == ["数量指标", "质量指标", "时效指标", "成本指标"]


@pytest.mark.parametrize("n", ["056", "058"])
def test_cells_flattened_without_separators(n):
    d = _form(n)
    forms = read_cells_text(_raw(n), f"raw/{n}.txt")
    got = [(norm(i.name), norm(i.value.raw)) for f in forms for i in f.indicators]
    want = [(norm(r["level3"]), norm(r["value"])) for r in d["indicators"]]
    assert got == want


def test_split_value_columns_join_in_printed_order():
    text = (
        "一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 |\n"
        "产出指标 | 数量指标 | 培训人数 | ≥ | 95 | 人 |\n"
        "质量指标 | 合格率 | ≥ | 98 | % |\n"
        "效益指标 | 社会效益指标 | 群众知晓度 | 定性 | 提高 | |\n"
    )
    (form,) = read_cells_text(text)
    rows = [(i.level1, i.level2, i.name, i.value.raw) for i in form.indicators]
    assert rows == [
        ("产出指标", "数量指标", "培训人数", "≥95人"),
        ("产出指标", "质量指标", "合格率", "≥98%"),
        ("效益指标", "社会效益指标", "群众知晓度", "定性提高"),
    ]
    assert form.indicators[0].value.op == ">=" and form.indicators[0].value.number == 95


def test_header_stripped_and_url_kept():
    text = "URL: https://example.gov.cn/a.html\nNOTE: x\n---\n一级指标 | 二级指标 | 三级指标 | 指标值 |\n产出指标 | 数量指标 | 场次 | ≥4场 |\n"
    (form,) = read_cells_text(text, "a.txt")
    assert form.source.url == "https://example.gov.cn/a.html"
    assert form.source.path == "a.txt"
    assert [(i.name, i.value.raw) for i in form.indicators] == [("场次", "≥4场")]


def test_self_eval_keeps_planned_column_only():
    text = (
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
        "产出指标 | 数量指标 | 培训场次 | ≥10场 | 12场 | 10 | 10 |\n"
        "质量指标 | 验收合格率 | 100% | 95% | 10 | 9 |\n"
    )
    (form,) = read_cells_text(text)
    assert [i.value.raw for i in form.indicators] == ["≥10场", "100%"]
    assert form.source.kind == "self_eval"


def test_alignment_prefers_types():
    # 出差人数 正向 = 8 4 under 指标性质|指标方向|目标值|计量单位|分值|备注: the 4 is a score, not a unit
    roles = ["nature", "nature", "value", "unit", "score", "text"]
    assert align(["正向", "=", "8", "4"], roles) == ["nature", "nature", "value", "score"]


def test_glued_row_is_cut_into_cells():
    assert split_glued("质量指标县级储备粮管理制度严格执行率100%100%储备粮管理专户管理率100%100%") == [
        "质量指标", "县级储备粮管理制度严格执行率", "100%", "100%", "储备粮管理专户管理率", "100%", "100%",
    ]


@pytest.mark.parametrize("text", ["", "   ", "hello world", "URL: x\nNOTE\n---\n", "项目名称 | 某项目 |\n"])
def test_no_table_is_an_input_error(text):
    with pytest.raises(InputError) as e:
        read_cells_text(text, "x.txt")
    assert "\n" not in str(e.value) and "x.txt" in str(e.value)


_VOCAB = [
    "一级指标", "二级指标", "三级指标", "指标值", "年度指标值", "实际完成值", "分值", "指标性质", "计量单位",
    "产出指标", "数量指标", "质量指标", "满意度指标", "成本指标", "效益指标", "社会效益", "指标", "绩 效",
    "项目名称", "主管部门", "≥", "=", "≤", "95", "%", "万元", "100%", "≥5次", "定性", "好", "(50分)", "产",
    "指标1:", "培训人数", "合格率", "2021年", "【产出指标-数量指标】", "(一)数量指标", "反映", "高高", "",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_raises_only_input_error(text):
    try:
        forms = read_cells_text(text, "fuzz.txt")
    except InputError:
        return
    assert all(f.indicators for f in forms)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_VOCAB), st.sampled_from([" | ", "\n", " ", "", "|\n"])), max_size=60))
def test_table_like_noise_raises_only_input_error(parts):
    text = "".join(a + b for a, b in parts)
    try:
        forms = read_cells_text(text)
    except InputError:
        return
    for f in forms:
        for i in f.indicators:
            assert isinstance(i.name, str) and i.name


@pytest.mark.parametrize(
    ("n", "department", "project"),
    [
        ("027", "衡山县商务和粮食局", None),
        ("028", "随州市卫生健康委员会", None),
        ("026", None, "滨湖大胆办公大楼运行保障"),
        ("056", "桃源县财政局", None),
    ],
)
def test_glued_header_value_ends_at_the_next_label(n, department, project):
    """Text printed without separators: a header value stops where the next header label starts
    (项目负责人, 项目属性, 实施单位, 资金总额, 项目类别 …) instead of running on."""
    from jixiao.readers import read_path

    (form,) = read_path(Path(__file__).parents[1] / "corpora" / "sources" / "shared-corpus" / "raw" / f"{n}.txt")
    if department is not None:
        assert form.department == department
    if project is not None:
        assert form.project_name == project
