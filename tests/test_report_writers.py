"""Report writers (json, text, xlsx, html, sarif) on real forms reviewed by the real engine.

The example forms are the 12 real Shanghai forms in ``examples/``. To make sure every severity, an
accepted finding and a form-level finding are present whatever the rules currently report, a few
findings are added by hand to the first review: the writers are what is under test here.
"""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jixiao.review.findings import Finding, FormReview, Target
from jixiao.review.report import FORMATS, get_writer

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "shanghai-justice-2023.txt"


def _forms():
    from jixiao.readers import read_path

    forms = read_path(EXAMPLE)
    assert len(forms) == 12
    return forms


def _reviews() -> list[FormReview]:
    from jixiao.review import review_form

    reviews = [review_form(f) for f in _forms()]
    r = reviews[0]
    extra = [
        Finding("JX301", "placeholder-value", "error", Target("indicator", 1), "指标值无法衡量", "改为可量化的目标值",
                dimension="可衡量性", standing="V"),
        Finding("JX102", "goal-copy", "warning", Target("annual_goal"), "年度目标与总体目标相同", "按年度分解",
                dimension="完整性", standing="V"),
        Finding("JX204", "indicator-count", "info", Target("form"), "指标数量偏少", None, dimension="完整性"),
        Finding("JX303", "vague-value", "warning", Target("indicator", 2), "已接受的问题", None,
                dimension="可衡量性", accepted=True),
    ]
    r.findings = extra + r.findings
    return reviews


ERRORS = [{"path": "inbox/坏表.docx", "message": "not a Word document (zip signature missing)"}]


@pytest.fixture(scope="module")
def reviews() -> list[FormReview]:
    return _reviews()


def _active(reviews):
    return [f for r in reviews for f in r.findings if not f.accepted]


# ---------------------------------------------------------------- json


def test_json_report_schema(reviews, tmp_path):
    out = tmp_path / "r.json"
    get_writer("json")(reviews, ERRORS, out)
    text = out.read_text(encoding="utf-8")
    assert "办公用房修缮及装修经费" in text  # ensure_ascii=False: Chinese written as is
    doc = json.loads(text)
    assert set(doc) == {"forms", "errors", "summary"}
    assert len(doc["forms"]) == 12
    assert doc["errors"] == ERRORS
    for form, review in zip(doc["forms"], reviews, strict=True):
        assert {"id", "project_name", "score", "findings"} <= set(form)
        assert form["id"] == review.form.id
        assert {"total", "dimensions"} <= set(form["score"])
        assert isinstance(form["score"]["total"], (int, float))
        assert isinstance(form["score"]["dimensions"], dict)
        assert len(form["findings"]) == len(review.findings)
        for f in form["findings"]:
            assert {"rule", "name", "severity", "target", "message", "suggestion"} <= set(f)
            assert f["severity"] in ("error", "warning", "info")
            assert f["target"]["kind"] in ("overall_goal", "annual_goal", "indicator", "form")
            assert "index" in f["target"]
            if f["target"]["kind"] == "indicator":
                assert 0 <= f["target"]["index"] < len(review.form.indicators)
    s = doc["summary"]
    assert s["forms"] == 12 and s["unreadable"] == 1
    assert s["indicators"] == sum(len(r.form.indicators) for r in reviews) == 225
    assert s["findings"] == len(_active(reviews))
    assert s["accepted"] == 1
    assert sum(s["by_severity"].values()) == s["findings"]
    assert s["by_severity"]["error"] >= 1 and s["by_severity"]["info"] >= 1


def test_json_report_to_stream(reviews):
    buf = io.StringIO()
    get_writer("json")(reviews[:1], [], buf)
    doc = json.loads(buf.getvalue())
    assert [f["id"] for f in doc["forms"]] == [reviews[0].form.id]
    assert doc["errors"] == []


# ---------------------------------------------------------------- text


def test_text_report(reviews, tmp_path):
    out = tmp_path / "r.txt"
    get_writer("text")(reviews, ERRORS, out)
    text = out.read_text(encoding="utf-8")
    assert "\x1b[" not in text  # no colour codes in a file
    first = reviews[0]
    assert first.form.project_name in text
    ind = first.form.indicators[1].name
    # target names the indicator (1-based row), message and suggestion on the following lines
    assert re.search(rf"JX301 placeholder-value  指标 #2 {re.escape(ind)}\n +指标值无法衡量\n +→ 改为可量化的目标值\n", text)
    assert re.search(r"JX102 goal-copy  年度目标\n +年度目标与总体目标相同\n", text)
    assert re.search(r"JX303 vague-value  指标 #3 .*\(已接受\)\n +已接受的问题\n", text)
    for sev in ("错误 error", "警告 warning", "提示 info"):
        assert sev in text
    # batch summary ranks forms lowest score first
    table = text[text.index("批量汇总"):]
    ranked = sorted(reviews, key=lambda r: r.score.total)
    positions = [table.index(r.form.id) for r in ranked]
    assert positions == sorted(positions)
    assert "无法读取的文件 (1)" in text and "inbox/坏表.docx" in text


def test_text_report_does_not_interpret_markup(reviews, tmp_path):
    r = reviews[1]
    form = r.form
    hostile = FormReview(form=type(form).from_dict({**form.to_dict(), "project_name": "[bold red]注入[/] 项目"}),
                         findings=list(r.findings), score=r.score)
    buf = io.StringIO()
    get_writer("text")([hostile], [], buf, color=False, width=120)
    assert "[bold red]注入[/] 项目" in buf.getvalue()


def test_progress_bar_only_when_asked():
    from jixiao.review.report.progress import track, want_progress

    quiet = io.StringIO()
    assert list(track(range(5), total=5, stream=quiet)) == list(range(5))
    assert quiet.getvalue() == ""  # not a TTY: no bar
    assert want_progress(None, quiet) is False
    loud = io.StringIO()
    assert list(track(range(5), total=5, enabled=True, stream=loud)) == list(range(5))
    assert "5/5" in loud.getvalue()


# ---------------------------------------------------------------- xlsx


def test_xlsx_working_sheet(reviews, tmp_path):
    import openpyxl
    from jixiao.review.report.xlsx_report import COL, FILLS

    out = tmp_path / "r.xlsx"
    get_writer("xlsx")(reviews, ERRORS, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Review", "Summary", "Errors"]
    ws = wb["Review"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:P{ws.max_row}"
    header = [c.value for c in ws[1]]
    assert header[:7] == ["表单ID", "项目名称", "行号", "类型", "一级指标", "二级指标", "三级指标 / 目标内容"]
    assert header[-1] == "审核意见"
    rows = list(ws.iter_rows(min_row=2))
    kind = COL["类型"]
    ind_rows = [row for row in rows if row[kind].value == "指标"]
    assert len(ind_rows) == sum(len(r.form.indicators) for r in reviews) == 225
    assert sum(1 for row in rows if row[kind].value == "总体目标") == 12
    assert sum(1 for row in rows if row[kind].value == "年度目标") == 12

    first = reviews[0]
    mine = [row for row in rows if row[COL["表单ID"]].value == first.form.id]
    by_line = {row[COL["行号"]].value: row for row in mine if row[kind].value == "指标"}
    assert len(by_line) == len(first.form.indicators)
    err_row = by_line[2]
    assert err_row[COL["三级指标 / 目标内容"]].value == first.form.indicators[1].name
    assert "JX301" in err_row[COL["问题代码"]].value
    assert "指标值无法衡量" in err_row[COL["问题说明"]].value
    assert "改为可量化的目标值" in err_row[COL["修改建议"]].value
    assert err_row[COL["审核意见"]].value is None
    assert err_row[0].fill.fgColor.rgb.endswith(FILLS["error"])
    def expected(kind_):  # worst open severity among the findings on that target
        sev = [f.severity for f in first.findings if f.target.kind == kind_ and not f.accepted]
        return next(s for s in ("error", "warning", "info") if s in sev)

    annual = next(row for row in mine if row[kind].value == "年度目标")
    assert expected("annual_goal") in ("error", "warning")  # the hand-added warning at least
    assert annual[0].fill.fgColor.rgb.endswith(FILLS[expected("annual_goal")])
    form_row = next(row for row in mine if row[kind].value == "整表")
    assert form_row[0].fill.fgColor.rgb.endswith(FILLS[expected("form")])
    accepted_only = by_line[3]  # its only finding is accepted: shown, not coloured
    if not any(f.target == Target("indicator", 2) and not f.accepted for f in first.findings):
        assert accepted_only[0].fill.fill_type is None
        assert "(已接受)" in accepted_only[COL["问题说明"]].value
    # values such as "=100(%)" stay text, never formulas
    ind0 = first.form.indicators[0]
    cell = by_line[1][COL["指标值"]]
    assert cell.value == ind0.value.raw and cell.data_type == "s"
    assert by_line[1][COL["数值"]].value == ind0.value.number

    summary = wb["Summary"]
    scores = [row[4].value for row in summary.iter_rows(min_row=2)]
    assert len(scores) == 12 and scores == sorted(scores)
    dims = [c.value for c in summary[1]][6:-4]
    assert dims == list(reviews[0].score.dimensions)
    errors = wb["Errors"]
    assert [c.value for c in errors[2]] == [ERRORS[0]["path"], ERRORS[0]["message"]]


def test_xlsx_per_form_layout(reviews, tmp_path):
    import openpyxl
    out = tmp_path / "r.xlsx"
    get_writer("xlsx")(reviews[:3], [], out, layout="per-form")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-2:] == ["Summary", "Errors"]
    assert len(wb.sheetnames) == 5
    for r, name in zip(reviews[:3], wb.sheetnames, strict=False):
        ws = wb[name]
        n = sum(1 for row in ws.iter_rows(min_row=2, values_only=True) if row[3] == "指标")
        assert n == len(r.form.indicators)
    links = {row[1].value: row[1].hyperlink.location for row in wb["Summary"].iter_rows(min_row=2)}
    assert links == {r.form.id: f"'{r.form.id}'!A1" for r in reviews[:3]}  # ids link to their sheets


def test_xlsx_sheet_names_are_valid(reviews, tmp_path):
    import openpyxl
    from jixiao.model import Form

    base = reviews[0].form.to_dict()
    odd = [FormReview(form=Form.from_dict({**base, "id": "a/b:c*d?[e]" + "x" * 40})) for _ in range(3)]
    out = tmp_path / "odd.xlsx"
    get_writer("xlsx")(odd, [], out, layout="per-form")
    names = openpyxl.load_workbook(out).sheetnames
    assert len(set(names)) == 5
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)


# ---------------------------------------------------------------- html


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_escapes_and_is_self_contained(reviews, tmp_path):
    from jixiao.model import Form

    base = reviews[0]
    d = base.form.to_dict()
    d["indicators"][0]["name"] = '<script>alert("x")</script>'
    d["project_name"] = '<img src="http://evil.example/x.png" onerror="alert(1)">'
    hostile_form = Form.from_dict(d)
    hostile = FormReview(
        form=hostile_form,
        findings=[Finding("JX301", "placeholder-value", "error", Target("indicator", 0), "<b>msg</b> & 说明",
                          '<a href="http://x">建议</a>')],
        score=base.score,
    )
    out = tmp_path / "r.html"
    get_writer("html")([hostile, *reviews[1:]], ERRORS, out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text and 'lang="zh-CN"' in text
    assert '<script>alert("x")</script>' not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert '<img src="http' not in text and "<b>msg</b>" not in text
    # no external references of any kind
    assert not re.search(r'src\s*=\s*["\']?https?:', text)
    assert "<link" not in text and "@import" not in text and "url(" not in text
    p = _Collect()
    p.feed(text)
    tags = [t for t, _ in p.tags]
    assert tags.count("script") == 1 and "img" not in tags and "a" in tags
    assert all(a.get("href", "#").startswith("#") for t, a in p.tags if t == "a")
    body = "".join(p.text)
    assert '<script>alert("x")</script>' in body  # the hostile name is shown, as text
    for r in reviews[1:]:
        assert r.form.project_name in body
    assert "inbox/坏表.docx" in body
    assert text.count('<section class="form"') == 12


def test_html_indicator_table_colours(reviews):
    from jixiao.review.report.html_report import render

    text = render(reviews[:1], [])
    name = reviews[0].form.indicators[1].name
    row = re.search(r'<tr class="sev-(\w+)"><td class="num">2</td>.*?</tr>', text)
    assert row and row.group(1) == "error" and name in row.group(0)


# ---------------------------------------------------------------- sarif


def test_sarif_structure(reviews, tmp_path):
    from jixiao.review import all_rules

    out = tmp_path / "r.sarif"
    get_writer("sarif")(reviews, ERRORS, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["version"] == "2.1.0" and "sarif" in doc["$schema"]
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "jixiao"
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert {r.code for r in all_rules()} <= set(ids)
    for r in rules:
        assert r["shortDescription"]["text"]
        assert r["helpUri"] == f"docs/rules/{r['id']}-{r['name']}.md"
        if r["id"] in {x.code for x in all_rules()}:
            assert (ROOT / r["helpUri"]).is_file(), r["helpUri"]  # the rule's page exists
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = run["results"]
    assert len(results) == sum(len(r.findings) for r in reviews)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    want = sorted((f.rule, levels[f.severity]) for r in reviews for f in r.findings)
    assert sorted((x["ruleId"], x["level"]) for x in results) == want
    for x in results:
        assert rules[x["ruleIndex"]]["id"] == x["ruleId"]
        assert x["message"]["text"]
        loc = x["locations"][0]
        assert loc["physicalLocation"]["artifactLocation"]["uri"].endswith("shanghai-justice-2023.txt")
        assert loc["logicalLocations"][0]["fullyQualifiedName"].startswith(x["properties"]["form"])
    accepted = [x for x in results if "suppressions" in x]
    assert len(accepted) == 1 and accepted[0]["suppressions"][0]["kind"] == "external"
    ind = next(x for x in results if x["message"]["text"].endswith("建议: 改为可量化的目标值"))
    assert ind["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == f"{reviews[0].form.id}/indicator[2]"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1 and notes[0]["level"] == "error"
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "inbox/%E5%9D%8F%E8%A1%A8.docx"


def test_sarif_uris():
    from jixiao.review.report.sarif_report import path_uri

    assert path_uri("examples/a b.txt") == "examples/a%20b.txt"
    assert path_uri("/srv/表/x.docx") == "file:///srv/%E8%A1%A8/x.docx"
    assert path_uri("https://example.org/x.pdf") == "https://example.org/x.pdf"
    assert path_uri(None) is None


# ---------------------------------------------------------------- atomic writes


class _Boom:
    """Stands for a failure half-way through a report (raises when rendered)."""

    def __str__(self):
        raise KeyboardInterrupt("interrupted")

    __format__ = __repr__ = lambda self, *a: str(self)  # noqa: E731


@pytest.mark.parametrize("fmt", ["json", "text", "html", "sarif"])
def test_interrupted_write_leaves_target_untouched(reviews, tmp_path, fmt):
    bad = FormReview(form=reviews[5].form,
                     findings=[Finding("JX301", "placeholder-value", "error", Target("indicator", 0), _Boom(),
                                       data={"x": _Boom()})],
                     score=reviews[5].score)
    out = tmp_path / f"report.{fmt}"
    out.write_text("previous report\n", encoding="utf-8")
    with pytest.raises((KeyboardInterrupt, TypeError)):
        get_writer(fmt)([*reviews[:5], bad], [], out)
    assert out.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"report.{fmt}"]  # no temp file left behind


def test_interrupted_xlsx_leaves_no_file(reviews, tmp_path, monkeypatch):
    import openpyxl

    def half_save(self, f):
        f.write(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt("interrupted")

    monkeypatch.setattr(openpyxl.Workbook, "save", half_save)
    out = tmp_path / "review.xlsx"
    with pytest.raises(KeyboardInterrupt):
        get_writer("xlsx")(reviews, [], out)
    assert list(tmp_path.iterdir()) == []


def test_every_format_has_a_writer():
    assert set(FORMATS) == {"text", "json", "xlsx", "html", "sarif"}
    for fmt in FORMATS:
        assert callable(get_writer(fmt))
    with pytest.raises(ValueError):
        get_writer("pdf")


def test_wrap_cells_keeps_every_character_and_the_width():
    from rich.cells import cell_len

    from jixiao.review.report.text_report import wrap_cells

    text = "年度目标与总体目标完全相同（相似度 1.00）；本项目实施期在 2023 年内，一年期项目可以接受，但建议写明 ISO9001 认证。"
    lines = wrap_cells(text, 30)
    assert len(lines) > 2 and all(cell_len(line) <= 30 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert any("ISO9001" in line for line in lines)  # ASCII words are not split


def test_report_file_gets_ordinary_permissions(reviews, tmp_path):
    import os

    umask = os.umask(0o022)
    try:
        out = tmp_path / "r.json"
        get_writer("json")(reviews[:1], [], out)
        assert out.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
    finally:
        os.umask(umask)


def test_json_streamed_equals_plain_dump(reviews):
    from jixiao.review.report.json_report import to_dict, write

    buf = io.StringIO()
    write(reviews, ERRORS, buf)
    assert buf.getvalue() == json.dumps(to_dict(reviews, ERRORS), ensure_ascii=False, indent=2, default=str) + "\n"
    compact = io.StringIO()
    write(reviews, ERRORS, compact, indent=None)
    lines = compact.getvalue().splitlines()
    assert len(lines) == len(reviews) + 6  # {, "forms": [, one line per form, ], errors, summary, }
    assert json.loads(compact.getvalue()) == json.loads(buf.getvalue())
    empty = io.StringIO()
    write([], [], empty)
    assert json.loads(empty.getvalue())["forms"] == []


def test_wrap_cells_keeps_closing_punctuation_off_the_line_start():
    from jixiao.review.report.text_report import wrap_cells

    text = "可改为「安全事故发生次数 =0(次)」［社会效益指标］：取自该出处的值；共同对象：安全，出处：弱电安防。" * 3
    for width in range(12, 40):
        lines = wrap_cells(text, width)
        assert not any(line[:1] in "，。；：、）」" for line in lines[1:]), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_is_report_recognises_own_output_only(reviews, tmp_path):
    from jixiao.corpus import corpus_path
    from jixiao.review.report import is_report

    for fmt in FORMATS:
        out = tmp_path / f"r.{fmt}"
        get_writer(fmt)(reviews[:2], ERRORS, out)
        assert is_report(out), fmt
    empty = tmp_path / "empty.txt"
    get_writer("text")([], [], empty)
    assert is_report(empty)
    parsed = tmp_path / "parsed.json"  # `jixiao parse` output is an input, not a report
    parsed.write_text(json.dumps({"forms": [r.form.to_dict() for r in reviews[:2]], "errors": []},
                                 ensure_ascii=False, indent=1), encoding="utf-8")
    for p in (EXAMPLE, corpus_path(), parsed, tmp_path / "missing.json"):
        assert not is_report(p), p


def test_report_summary_is_summarise(reviews):
    """The reports' batch summary is computed by jixiao.review.summarise (one implementation)."""
    from jixiao.review import summarise
    from jixiao.review.report._common import summary

    s, js = summarise(reviews, ERRORS), summary(reviews, ERRORS)
    assert js["findings"] == s["findings"] == sum(s["severities"].values()) == len(_active(reviews))
    assert js["accepted"] == s["accepted"] == 1 and js["unreadable"] == s["unreadable"] == 1
    assert js["by_rule"] == {e["rule"]: e["count"] for e in s["rules"]}
    assert js["by_severity"] == s["severities"]
    assert js["score"]["mean"] == s["mean_score"] and js["score"]["min"] == s["ranking"][0]["score"]
    assert js["grades"] == {g: n for g, n in s["grades"].items() if n}
