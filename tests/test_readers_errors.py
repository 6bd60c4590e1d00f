"""Bad input gives one InputError naming the file; limits hold; inputs are never modified."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from jixiao.errors import InputError
from jixiao.readers import iter_paths, read_path, read_text

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests/fixtures/readers"
SEED = ROOT / "corpora/sources/seed/shanghai-justice-2023.txt"


def _err(path) -> InputError:
    with pytest.raises(InputError) as ei:
        read_path(path)
    msg = str(ei.value)
    assert "\n" not in msg
    assert msg.startswith(str(path))
    return ei.value


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    assert _err(p).message == "empty file"
    q = tmp_path / "blank.txt"
    q.write_text("  \n\n\t\n", encoding="utf-8")
    assert "empty file" in _err(q).message


def test_binary_file(tmp_path):
    p = tmp_path / "random.bin.txt"
    p.write_bytes(bytes(range(256)) * 40)
    assert _err(p).message == "binary file, not a form"
    q = tmp_path / "controls.txt"
    q.write_bytes(b"\x01\x02\x03\x04\x05\x06\x07\x08" * 100)
    assert _err(q).message == "binary file, not a form"


def test_truncated_xlsx(tmp_path):
    data = (FIX / "seed.xlsx").read_bytes()
    p = tmp_path / "truncated.xlsx"
    p.write_bytes(data[: len(data) // 2])
    assert "truncated or corrupt" in _err(p).message


def test_zip_bomb_rejected_before_opening(tmp_path):
    p = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    assert p.stat().st_size < 2 * 1024 * 1024
    assert "uncompressed" in _err(p).message or "zip bomb" in _err(p).message


def test_zip_that_is_not_office(tmp_path):
    p = tmp_path / "archive.docx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert "neither .xlsx nor .docx" in _err(p).message


def test_docx_without_table():
    assert "no indicator table" in _err(FIX / "no-table.docx").message


def test_text_over_20_mb(tmp_path):
    p = tmp_path / "big.txt"
    line = ("项目名称\t" + "很长的文本" * 20 + "\n").encode("utf-8")
    with open(p, "wb") as f:
        f.write(line * (50 * 1024 * 1024 // len(line) + 1))
    err = _err(p)
    assert err.message.startswith("file too large (50 MB > 20 MB)")


def test_form_without_indicator_table(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    header_only = text[: text.index("绩效 指标\t一级指标")]
    p = tmp_path / "header-only.txt"
    p.write_text(header_only, encoding="utf-8")
    assert "no indicator table found" in _err(p).message
    with pytest.raises(InputError, match="no indicator table found"):
        read_text("这是一段说明文字，不是表格。\n第二行说明。", "note.txt")


def test_nonexistent_path(tmp_path):
    assert _err(tmp_path / "没有这个文件.txt").message == "no such file"


def test_names_with_spaces_and_chinese(tmp_path):
    d = tmp_path / "申报 材料"
    d.mkdir()
    p = d / "上海 司法局 2023.txt"
    p.write_bytes(SEED.read_bytes())
    assert len(read_path(p)) == 12
    bad = d / "空 文件.txt"
    bad.write_bytes(b"")
    assert str(bad) in str(_err(bad))


def test_bad_json(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100000 + "]" * 100000, encoding="utf-8")
    assert "nested too deeply" in _err(deep).message
    shape = tmp_path / "shape.json"
    shape.write_text('{"forms": [{"project_name": "x", "indicators": "none"}]}', encoding="utf-8")
    assert "must be a list" in _err(shape).message
    broken = tmp_path / "broken.json"
    broken.write_text('{"forms": [', encoding="utf-8")
    assert "invalid JSON" in _err(broken).message
    num = tmp_path / "num.json"
    num.write_text("[1, 2]", encoding="utf-8")
    assert "expected a form object" in _err(num).message


def test_legacy_xls(tmp_path):
    p = tmp_path / "old.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert "legacy" in _err(p).message


def test_ten_thousand_indicators(tmp_path):
    head = SEED.read_text(encoding="utf-8").split("\n")[6:16]  # form 1 header rows + table header (seed lines 7-16)
    rows = ["\t产出指标\t数量指标\t第0项任务完成数\t≥1(项)"]
    rows += [f"\t\t\t第{k}项任务完成数\t≥{k}(项)" for k in range(1, 10000)]
    p = tmp_path / "huge-form.txt"
    p.write_text("\n".join(head + rows) + "\n", encoding="utf-8")
    (form,) = read_path(p)
    assert len(form.indicators) == 10000
    assert form.indicators[-1].name == "第9999项任务完成数" and form.indicators[-1].value.number == 9999
    assert {i.level2 for i in form.indicators} == {"数量指标"}


def test_inputs_never_modified(tmp_path):
    files = [FIX / n for n in ("seed.xlsx", "seed.docx", "seed.pdf", "seed-gbk.csv", "seed-utf16.txt")] + [SEED]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    mtimes = {p: p.stat().st_mtime_ns for p in files}
    for p in files:
        read_path(p)
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files} == before
    assert {p: p.stat().st_mtime_ns for p in files} == mtimes


def test_iter_paths_expands_directories(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "two.xlsx").write_bytes(b"x")
    (tmp_path / "a" / "skip.png").write_bytes(b"x")
    (tmp_path / "a" / ".hidden").mkdir()
    (tmp_path / "a" / ".hidden" / "h.txt").write_text("x", encoding="utf-8")
    got = [p.name for p in iter_paths([tmp_path / "a", tmp_path / "missing.txt"])]
    assert got == ["one.txt", "two.xlsx", "missing.txt"]


def test_read_text_never_raises_other_errors():
    for text in ["项目名称", "\t\t\t", "绩效指标\t一级指标\t二级指标\t三级指标", "{", "[1", "|a|b|\n|c|d|", "\x00abc"]:
        with pytest.raises(InputError):
            read_text(text, "t.txt")
