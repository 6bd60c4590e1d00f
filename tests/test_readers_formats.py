"""Every supported format gives the seed's indicators (fixtures made by tests/fixtures/readers/make_fixtures.py)."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pytest

from jixiao.readers import read_path, read_text, sniff_format
from jixiao.readers.encoding import decode_bytes

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests/fixtures/readers"
SEED = ROOT / "corpora/sources/seed/shanghai-justice-2023.txt"
EXPECTED = json.loads((ROOT / "tests/fixtures/seed_expected.json").read_text(encoding="utf-8"))
WANT = [[(i["level1"], i["level2"], i["name"], i["value"]) for i in f["indicators"]] for f in EXPECTED["forms"]]


def _squash(s):
    return re.sub(r"\s+", "", s or "")


@pytest.mark.parametrize(
    "name",
    ["seed.xlsx", "seed-raw.xlsx", "seed-utf8sig.csv", "seed-gbk.csv", "seed.docx", "seed.pdf",
     "seed-utf16.txt", "seed-gb18030.txt"],
)
def test_format_gives_seed_indicators(name):
    forms = read_path(FIX / name)
    assert len(forms) == 12
    got = [[(i.level1, i.level2, i.name, i.value.raw) for i in f.indicators] for f in forms]
    assert got == WANT
    for f, e in zip(forms, EXPECTED["forms"]):
        assert f.project_name == e["project_name"]
        assert f.department == e["department"] and f.implementer == e["implementer"]
        assert (f.period.start, f.period.end) == (e["period"]["start"], e["period"]["end"])
        assert f.funds.total == e["funds"]["total"] and f.funds.fiscal == e["funds"]["fiscal"]
        assert f.year == 2023
        # a PDF re-wraps long goal text, so compare without whitespace
        assert _squash(f.overall_goal) == _squash(e["overall_goal"])
        assert _squash(f.annual_goal) == _squash(e["annual_goal"])


def test_json_round_trip(tmp_path):
    forms = read_path(SEED)
    out = tmp_path / "parsed.json"
    out.write_text(json.dumps({"forms": [f.to_dict() for f in forms], "errors": []}, ensure_ascii=False), encoding="utf-8")
    again = read_path(out)
    assert [f.to_dict() for f in again] == [f.to_dict() for f in forms]
    single = tmp_path / "one.json"
    single.write_text(json.dumps(forms[3].to_dict(), ensure_ascii=False), encoding="utf-8")
    assert read_path(single)[0].to_dict() == forms[3].to_dict()
    lst = tmp_path / "list.json"
    lst.write_text(json.dumps([f.to_dict() for f in forms[:2]], ensure_ascii=False), encoding="utf-8")
    assert len(read_path(lst)) == 2


def test_jsonl_corpus():
    forms = read_path(ROOT / "corpora/forms.jsonl")
    assert len(forms) >= 61
    assert all(f.indicators for f in forms)


@pytest.mark.parametrize(
    "data,enc",
    [
        ("项目名称\t测试".encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + "项目名称\t测试".encode("utf-8"), "utf-8-sig"),
        ("项目名称\t测试".encode("utf-16"), "utf-16"),
        ("项目名称\t办公用房修缮及装修经费\t项目性质\t其他一次性项目\n计划开始日期\t2023-01-01".encode("utf-16-le"), "utf-16-le"),
        ("项目名称\t办公用房修缮及装修经费\t项目性质\t其他一次性项目\n计划开始日期\t2023-01-01".encode("utf-16-be"), "utf-16-be"),
        ("项目名称\t办公用房修缮及装修经费 满意度".encode("gb18030"), "gb18030"),
    ],
)
def test_encoding_detected(data, enc):
    text, got = decode_bytes(data, "x.txt")
    assert got == enc
    assert text.lstrip("\ufeff").startswith("项目名称")


def test_detection_by_content_not_extension(tmp_path):
    # an xlsx renamed .txt and a tab dump renamed .xlsx are still read by content
    renamed = tmp_path / "表格.txt"
    renamed.write_bytes((FIX / "seed.xlsx").read_bytes())
    assert len(read_path(renamed)) == 12
    dump = tmp_path / "dump.xlsx"
    dump.write_bytes(SEED.read_bytes())
    assert len(read_path(dump)) == 12
    pdf = tmp_path / "noext"
    pdf.write_bytes((FIX / "seed.pdf").read_bytes())
    assert sum(len(f.indicators) for f in read_path(pdf)) == 225
    assert sniff_format(b"%PDF-1.7") == "pdf"


def test_cells_layout_is_delegated():
    """Pipe-separated web excerpts go to jixiao.readers.cells (another module) when it exists."""
    pytest.importorskip("jixiao.readers.cells")
    raw = ROOT / "corpora/sources/shared-corpus/raw/001.txt"
    forms = read_path(raw)
    assert forms and forms[0].indicators
    assert any(i.name == "出差人数" for i in forms[0].indicators)


def test_read_text_json_and_tsv():
    forms = read_path(SEED)
    js = json.dumps({"forms": [forms[0].to_dict()]}, ensure_ascii=False)
    assert read_text(js)[0].project_name == "办公用房修缮及装修经费"


def test_xlsx_with_unit_and_weight_columns(tmp_path):
    """A common spreadsheet layout: separate 计量单位 and 分值 columns, merged labels, no funds block."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    rows = [
        ["项目名称", "社区矫正经费"],
        ["主管部门", "上海市司法局", "实施单位", "上海市司法局"],
        ["一级指标", "二级指标", "三级指标", "指标值", "计量单位", "分值"],
        ["产出指标", "数量指标", "个案服务数", "≥700", "人次", 10],
        [None, None, "社工专业培训课时完成数", 48, "课时", 10],  # a number cell
        [None, "时效指标", "社工慰问完成及时性", "及时", None, 10],
        ["满意度指标", "服务对象满意度指标", "服务对象满意率", "≥90", "%", 10],
    ]
    for r in rows:
        ws.append(r)
    ws.merge_cells("A4:A6")
    ws.merge_cells("B4:B5")
    p = tmp_path / "units.xlsx"
    wb.save(p)
    (form,) = read_path(p)
    got = [(i.level1, i.level2, i.name, i.value.raw, i.value.number, i.value.unit) for i in form.indicators]
    assert got == [
        ("产出指标", "数量指标", "个案服务数", "≥700人次", 700.0, "人次"),
        ("产出指标", "数量指标", "社工专业培训课时完成数", "48课时", 48.0, "课时"),
        ("产出指标", "时效指标", "社工慰问完成及时性", "及时", None, None),
        ("满意度指标", "服务对象满意度指标", "服务对象满意率", "≥90%", 90.0, "%"),
    ]
    assert form.project_name == "社区矫正经费" and form.funds.total is None


def test_csv_content_under_another_name(tmp_path):
    p = tmp_path / "export.txt"
    p.write_bytes((FIX / "seed-gbk.csv").read_bytes())
    forms = read_path(p)
    assert sum(len(f.indicators) for f in forms) == 225


def test_pdf_generated_at_runtime(tmp_path):
    """Regenerate the PDF from the expected values with a CJK font found on this system, and read it."""
    pytest.importorskip("fpdf")
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", FIX / "make_fixtures.py")
    mf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mf)
    font = mf.cjk_font()
    if font is None:
        pytest.skip("no CJK font on this system (install fonts-wqy-microhei); the committed seed.pdf is still tested")
    out = tmp_path / "runtime.pdf"
    mf.make_pdf(EXPECTED["forms"][:3], out, font)
    forms = read_path(out)
    assert [[(i.level1, i.level2, i.name, i.value.raw) for i in f.indicators] for f in forms] == WANT[:3]


def test_inline_goal_and_funds_in_wan(tmp_path):
    text = "\n".join([
        "项目名称\t再生资源回收市场管理经费",
        "主管部门\t乌海市供销合作社联合社\t实施单位\t乌海市供销合作社联合社",
        "投入目标 (万元)\t资金总额\t3",
        "\t其中: 财政拨款数\t2.5",
        "\t其他资金\t0.5",
        "年度目标：围绕国家关于建设节约型社会和发展循环经济的要求，合理布局，规范建设。",
        "一级指标\t二级指标\t三级指标\t指标值",
        "产出指标\t数量指标\t出差人数\t=8人",
        "满意度指标\t服务对象满意度指标\t群众满意度\t≥90%",
    ])
    (form,) = read_text(text, "wuhai.txt")
    assert form.annual_goal.startswith("围绕国家关于建设节约型社会")
    assert (form.funds.total, form.funds.fiscal, form.funds.other) == (30000.0, 25000.0, 5000.0)
    assert "funds printed in 万元, stored in 元" in form.notes
    assert [i.name for i in form.indicators] == ["出差人数", "群众满意度"]


def test_corpus_transcription_json():
    p = ROOT / "corpora/sources/shared-corpus/forms/001.json"
    d = json.loads(p.read_text(encoding="utf-8"))
    (form,) = read_path(p)
    assert form.project_name == d["project_name"]
    assert [i.name for i in form.indicators] == [r["level3"] for r in d["indicators"]]


def test_yigongdaizhen_layout_levels_and_template():
    """The 以工代赈 (发改委) table prints a template label at level 1 and the standard level 1 under it
    (实施效果指标 | 产出指标 | name | value). The fixture is the real form web-g04 of the corpus
    (舒城县发展改革委, https://www.shucheng.gov.cn/public/6598641/36467963.html) as a text dump."""
    (form,) = read_path(FIX / "yigongdaizhen-g04.txt")
    assert form.source.template == "ndrc"
    got = [(i.level1, i.level1_raw, i.name) for i in form.indicators[:3]]
    assert got == [("产出指标", "产出指标", "劳务报酬占中央投资比例"),
                   ("效益指标", "效益指标", "项目区农村基础设施条件"),
                   ("满意度指标", None, "参与工程建设的贫困群众满意度")]
    # 满意度指标 in the level-2 column is read as the level 2 it also names
    assert (form.indicators[2].level2, form.indicators[2].level2_raw) == ("服务对象满意度指标", "满意度指标")
    # the process part keeps its printed labels and no standard category
    proc = form.indicators[3]
    assert (proc.level1, proc.level2, proc.level1_raw, proc.level2_raw) == (None, None, "过程管理指标", "计划管理指标")


def test_yigongdaizhen_transcription_matches_the_reader():
    """The corpus path (transcribed JSON) reads the same layout the same way."""
    from jixiao.corpus import load_corpus
    from jixiao.taxonomy import other_template

    assert other_template("实施效果指标") == other_template("过程管理指标") == "ndrc"
    corpus = next(f for f in load_corpus() if f.id == "web-g04")
    (form,) = read_path(FIX / "yigongdaizhen-g04.txt")
    assert corpus.source.template == "ndrc"
    assert [(i.level1, i.level2) for i in corpus.indicators] == [(i.level1, i.level2) for i in form.indicators]
