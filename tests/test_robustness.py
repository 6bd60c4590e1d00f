"""Robustness of ``jixiao review`` end to end: hostile and broken inputs, huge forms, escaping, atomic outputs.

Reader-level checks live in ``test_readers_errors.py`` / ``test_readers_property.py``; this file
covers what those do not: the same inputs through the command line in one batch (each bad file is
one error line naming it, the good files are still reviewed), zip members that lie about their
size, byte-level fuzzing of real xlsx/docx files, a 10,000-row form through every rule, hostile
text in the HTML report, and a report interrupted by SIGKILL. No timing assertions.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.errors import InputError
from jixiao.readers import read_path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora/sources/seed/shanghai-justice-2023.txt"
FIX = ROOT / "tests/fixtures/readers"
runner = CliRunner()


def first_seed_form() -> str:
    """The first seed form (办公用房修缮及装修经费) as text, alone."""
    parts = SEED.read_text(encoding="utf-8").split("## 财政项目支出绩效目标申报表")
    return "## 财政项目支出绩效目标申报表" + parts[1]


def review_json(*args):
    res = runner.invoke(app, ["review", *[str(a) for a in args], "--format", "json", "--no-progress"],
                        catch_exceptions=False)
    return res, json.loads(res.stdout)


def patch_member_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size that a zip's local and central headers give for ``member``."""
    buf = bytearray(data)
    name = member.encode()
    pos = 0
    patched = 0
    while True:
        pos = buf.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46:pos + 46 + name_len]) == name:
            struct.pack_into("<I", buf, pos + 24, size)
            local = struct.unpack_from("<I", buf, pos + 42)[0]
            assert buf[local:local + 4] == b"PK\x03\x04"
            struct.pack_into("<I", buf, local + 22, size)
            patched += 1
        pos += 4
    assert patched == 1
    return bytes(buf)


def office_with(kind: str, payload: bytes) -> bytes:
    """A minimal xlsx/docx-shaped zip whose main part holds ``payload`` (deflated)."""
    main = "xl/worksheets/sheet1.xml" if kind == "xlsx" else "word/document.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml" if kind == "xlsx" else "word/styles.xml", "<x/>")
        with zf.open(main, "w") as f:
            if isinstance(payload, int):  # that many zero bytes, streamed
                chunk = bytes(1 << 20)
                for _ in range(payload >> 20):
                    f.write(chunk)
            else:
                f.write(payload)
    return out.getvalue()


# ------------------------------------------------------------------------------ the bad-input matrix


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    """A folder of three good forms (odd encodings, odd path names) and every kind of bad file."""
    d = tmp_path_factory.mktemp("inbox")
    text = first_seed_form()
    good = {
        "gbk-no-hint.txt": text.encode("gbk"),  # GBK, no BOM, no charset anywhere
        "utf16-no-bom.txt": text.encode("utf-16-le"),
        "我的 表格/申报 表 (1).txt": text.encode("utf-8"),
    }
    rng = random.Random(7)
    seed_xlsx = (FIX / "seed.xlsx").read_bytes()
    seed_docx = (FIX / "seed.docx").read_bytes()
    bad = {
        "empty.txt": b"",
        "binary.txt": bytes(rng.randrange(256) for _ in range(4096)),
        "latin1-garbage.txt": bytes(rng.randrange(0xA0, 0x100) for _ in range(4096)),
        "truncated.xlsx": seed_xlsx[: len(seed_xlsx) // 2],
        "truncated.docx": seed_docx[: len(seed_docx) // 3],
        # tiny zips whose main member claims 3 GB when uncompressed
        "claims-3gb.xlsx": patch_member_size(office_with("xlsx", b"<worksheet/>"), "xl/worksheets/sheet1.xml", 3 << 30),
        "claims-3gb.docx": patch_member_size(office_with("docx", b"<document/>"), "word/document.xml", 3 << 30),
        # a member that really inflates to 256 MB of zeros while its headers claim 1 KB
        "lying-bomb.docx": patch_member_size(office_with("docx", 256 << 20), "word/document.xml", 1024),
        "lying-bomb.xlsx": patch_member_size(office_with("xlsx", 256 << 20), "xl/worksheets/sheet1.xml", 1024),
        "nested.json": b"[" * 100_000 + b"]" * 100_000,
        "坏 文件/空 表.txt": b"   \n\n",
    }
    for name, data in {**good, **bad}.items():
        p = d / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    for name in ("lying-bomb.docx", "lying-bomb.xlsx", "claims-3gb.xlsx", "claims-3gb.docx"):
        assert (d / name).stat().st_size < 2 << 20  # "tiny"
    (d / "我的 表格" / "loop").symlink_to(d, target_is_directory=True)  # a directory walk must not loop
    return d, sorted(good), sorted(bad)


def test_bad_input_matrix_one_error_line_each_and_the_batch_goes_on(inbox):
    d, good, bad = inbox
    res, doc = review_json(d)
    assert res.exit_code == 1  # some inputs unreadable
    # every good file reviewed, whatever its encoding or path
    assert sorted(Path(f["source"]).relative_to(d).as_posix() for f in doc["forms"]) == good
    assert {f["project_name"] for f in doc["forms"]} == {"办公用房修缮及装修经费"}
    assert all(f["findings"] is not None and 0 <= f["score"]["total"] <= 100 for f in doc["forms"])
    # every bad file is one error naming it, with a one-line message
    errors = {Path(e["path"]).relative_to(d).as_posix(): e["message"] for e in doc["errors"]}
    assert sorted(errors) == bad
    for name, msg in errors.items():
        assert msg and "\n" not in msg, name
        assert "Traceback" not in msg and "unexpected" not in msg, (name, msg)
    assert errors["empty.txt"] == "empty file"
    assert errors["坏 文件/空 表.txt"] == "empty file"
    assert errors["binary.txt"] == "binary file, not a form"
    assert "encoding" in errors["latin1-garbage.txt"] or "no indicator table" in errors["latin1-garbage.txt"]
    assert "truncated or corrupt" in errors["truncated.xlsx"]
    assert "truncated or corrupt" in errors["truncated.docx"]
    assert "too large when uncompressed" in errors["claims-3gb.xlsx"]
    assert "too large when uncompressed" in errors["claims-3gb.docx"]
    assert "nested too deeply" in errors["nested.json"]
    # stderr: exactly one "jixiao: PATH: message" line per bad file, naming the file as given
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("jixiao: ")]
    for name, msg in errors.items():
        assert sum(1 for ln in lines if ln == f"jixiao: {d / name}: {msg}") == 1, name


@pytest.mark.parametrize("name", ["lying-bomb.docx", "lying-bomb.xlsx"])
def test_lying_zip_member_is_not_inflated(inbox, name):
    """The member's headers claim 1 KB: reading it in a fresh process never holds the 256 MB it inflates to."""
    d, _, _ = inbox
    code = (
        "import resource, sys\n"
        "from jixiao.errors import InputError\n"
        "from jixiao.readers import read_path\n"
        "try:\n"
        "    read_path(sys.argv[1]); print('read')\n"
        "except InputError as e:\n"
        "    print('InputError', str(e).startswith(sys.argv[1]) and chr(10) not in str(e))\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child of a big pytest
        # process would report the parent's peak; VmHWM belongs to the child's own address space
        "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')) // 1024)\n"
    )
    res = subprocess.run([sys.executable, "-c", code, str(d / name)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    outcome, peak_mb = res.stdout.split("\n")[:2]
    assert outcome == "InputError True"
    assert int(peak_mb) < 200  # the whole interpreter with openpyxl/python-docx, far below 256 MB


def test_each_bad_file_alone_names_itself(inbox):
    d, _, bad = inbox
    for name in bad:
        res, doc = review_json(d / name)
        assert res.exit_code == 1 and doc["forms"] == []
        assert [e["path"] for e in doc["errors"]] == [str(d / name)]


def test_inputs_are_not_modified(inbox):
    d, good, bad = inbox
    before = {n: (d / n).read_bytes() for n in good + bad}
    review_json(d)
    assert {n: (d / n).read_bytes() for n in good + bad} == before


# ------------------------------------------------------------------------------ byte-level fuzzing


def _mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    buf = bytearray(data)
    for pos, val in edits:
        buf[pos % len(buf)] = val
    return bytes(buf)


_OFFICE = {name: (FIX / name).read_bytes() for name in ("seed.xlsx", "seed.docx")}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(sorted(_OFFICE)),
    edits=st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.one_of(st.none(), st.integers(30, 10**6)),
)
def test_damaged_office_files_raise_only_input_error(tmp_path, name, edits, cut):
    data = _mutate(_OFFICE[name], edits)
    if cut is not None:
        data = data[: cut % len(data)] or data[:1]
    p = tmp_path / f"damaged {name}"
    p.write_bytes(data)
    try:
        forms = read_path(p)
    except InputError as exc:
        assert str(exc).startswith(str(p)) and "\n" not in str(exc)
        return
    assert all(f.indicators for f in forms)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".csv", ".json", ".xlsx", ".docx", ".pdf", ""]))
def test_arbitrary_bytes_raise_only_input_error(tmp_path, data, suffix):
    p = tmp_path / f"any{suffix}"
    p.write_bytes(data)
    try:
        read_path(p)
    except InputError as exc:
        assert str(exc).startswith(str(p)) and "\n" not in str(exc)


# ------------------------------------------------------------------------------ very large forms


def test_ten_thousand_indicator_form_is_reviewed(tmp_path):
    head = SEED.read_text(encoding="utf-8").split("\n")[6:16]  # form 1 header rows + table header
    rows = ["\t产出指标\t数量指标\t第0项任务完成数\t≥1(项)"]
    rows += [f"\t\t\t第{k}项任务完成数\t≥{k}(项)" for k in range(1, 10000)]
    rows += ["\t\t\t第9999项任务完成数\t≥9999(项)"]  # one true duplicate at the very end
    p = tmp_path / "huge form.txt"
    p.write_text("\n".join(head + rows) + "\n", encoding="utf-8")
    res, doc = review_json(p)
    assert res.exit_code == 0, res.stderr
    assert doc["summary"]["indicators"] == 10001 and doc["errors"] == []
    (form,) = doc["forms"]
    dup = [f for f in form["findings"] if f["rule"] == "JX401" and f["target"]["index"] == 10000]
    assert len(dup) == 1 and "第9999项任务完成数" in dup[0]["message"]


def test_large_form_duplicate_search_equals_all_pairs():
    """The large-form path of duplicate-indicator finds exactly what comparing every pair finds."""
    from jixiao.corpus import load_corpus
    from jixiao.model import Form
    from jixiao.review import engine
    from jixiao.review.config import Config
    from jixiao.review.rules import duplicate_indicator as dup

    forms = load_corpus()
    pool = [i.to_dict() for f in forms for i in f.indicators]
    rng = random.Random(3)
    big = Form.from_dict({**forms[0].to_dict(), "indicators": [rng.choice(pool) for _ in range(300)]})

    def hits():
        ctx = engine.Context(big, Config(), None)
        return [(h.target.index, h.message, h.data["lexical"]) for h in dup.duplicate_indicator(big, ctx)]

    fast = hits()
    saved = dup._ALL_PAIRS
    try:
        dup._ALL_PAIRS = 10**9
        slow = hits()
    finally:
        dup._ALL_PAIRS = saved
    assert fast == slow and len(fast) > 20


def test_split_jieba_dictionary_segments_like_jieba():
    """nlp.segment's lazily loaded dictionary gives the words jieba's own full dictionary gives."""
    import logging

    import jieba

    from jixiao.corpus import load_corpus
    from jixiao.nlp import segment

    texts = sorted({i.name for f in load_corpus() for i in f.indicators} | {f.project_name or "" for f in load_corpus()})
    seg = segment.Segmenter()
    got = [seg.cut(t) for t in texts]
    assert type(seg.tokenizer.FREQ).__name__ == "_LazyFreq" or (Path(seg.tokenizer.tmp_dir) / segment._SPLIT_CACHE).is_file()
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.tmp_dir = str(segment.cache_dir())
    tk.initialize()
    tk.load_userdict(str(segment.DOMAIN_DICT))
    want = [[w for w in tk.lcut(t, HMM=True) if w.strip()] for t in texts]
    assert got == want and seg.tokenizer.total == tk.total


# ------------------------------------------------------------------------------ hostile content


def test_html_report_keeps_hostile_content_as_text(tmp_path):
    text = first_seed_form()
    (form,) = read_path_text(text, tmp_path)
    d = form.to_dict()
    d["project_name"] = '<img src=x onerror="alert(1)">项目'
    d["indicators"][0]["name"] = '<script>alert("x")</script>'
    d["indicators"][1]["value"] = {**d["indicators"][1]["value"], "raw": "</td></tr></table><script>bad()</script>"}
    src = tmp_path / "hostile <form>.json"
    src.write_text(json.dumps({"forms": [d]}, ensure_ascii=False), encoding="utf-8")
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps({"forms": [form.to_dict()]}, ensure_ascii=False), encoding="utf-8")
    outs = {}
    for name, path in (("hostile", src), ("clean", clean)):
        out = tmp_path / "审核 结果 (html)" / f"{name} 报告.html"  # a folder that does not exist yet
        res = runner.invoke(app, ["review", str(path), "--format", "html", "-o", str(out), "--no-progress"],
                            catch_exceptions=False)
        assert res.exit_code == 0, res.stderr
        outs[name] = out.read_text(encoding="utf-8")
    html = outs["hostile"]
    assert '<script>alert("x")</script>' not in html and "<script>bad()" not in html
    assert "<img src=x" not in html and "</td></tr></table><script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html or "&lt;script&gt;alert(\"x\")&lt;/script&gt;" in html
    assert "&lt;img src=x" in html
    assert html.count("<script") == outs["clean"].count("<script")  # only the report's own script


def read_path_text(text: str, tmp_path: Path):
    p = tmp_path / "one.txt"
    p.write_text(text, encoding="utf-8")
    return read_path(p)


# ------------------------------------------------------------------------------ atomic outputs


def _batch_file(tmp_path: Path, n: int) -> Path:
    from jixiao.corpus import load_corpus

    forms = [f.to_dict() for f in load_corpus() if f.indicators]
    rng = random.Random(0)
    batch = []
    for i in range(n):
        d = dict(rng.choice(forms))
        d["id"] = f"kill-{i:04d}"
        batch.append(d)
    src = tmp_path / "in"
    src.mkdir()
    p = src / "batch.json"
    p.write_text(json.dumps({"forms": batch}, ensure_ascii=False), encoding="utf-8")
    return src


def _kill_while_writing(src: Path, out: Path, fmt: str) -> int:
    """Start ``jixiao review`` and SIGKILL it as soon as its temporary report file appears."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jixiao", "review", str(src), "--format", fmt, "-o", str(out),
         "--select", "JX401", "--no-progress"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and proc.poll() is None:
            if any(p.name.startswith(f".{out.name}.") and p.name.endswith(".tmp") for p in out.parent.iterdir()):
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.002)
        return proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
@pytest.mark.parametrize("previous", [True, False])
def test_sigkill_while_writing_leaves_no_half_written_report(tmp_path, fmt, previous):
    src = _batch_file(tmp_path, 1500)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / f"report.{fmt}"
    if previous:
        out.write_bytes(b"previous complete report\n")
    rc = _kill_while_writing(src, out, fmt)
    assert rc == -signal.SIGKILL, "the report was finished before the kill; enlarge the batch"
    if previous:
        assert out.read_bytes() == b"previous complete report\n"
    else:
        assert not out.exists()
    # what is left is a hidden temporary file, which a later run over the folder does not read
    left = [p.name for p in out_dir.iterdir() if p.name != out.name]
    assert all(n.startswith(f".{out.name}.") and n.endswith(".tmp") for n in left)
    from jixiao.readers import iter_paths

    assert not any(p.name.endswith(".tmp") for p in iter_paths([out_dir]))
    shutil.rmtree(out_dir)
