"""``jixiao review`` and ``jixiao rules`` end to end, on the example forms and on corpus samples."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "shanghai-justice-2023.txt"

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def review_json(*args: str):
    res = run("review", *args, "--format", "json", "--no-progress")
    return res, json.loads(res.stdout)


def open_findings(doc, at_most: str | None = None):
    rank = {"error": 0, "warning": 1, "info": 2}
    return [f for form in doc["forms"] for f in form["findings"]
            if not f["accepted"] and (at_most is None or rank[f["severity"]] <= rank[at_most])]


@pytest.fixture(scope="module")
def seed_doc():
    res, doc = review_json(EXAMPLES)
    assert res.exit_code == 0, res.stderr
    return doc


def test_review_examples_json(seed_doc):
    doc = seed_doc
    assert len(doc["forms"]) == 12 and doc["errors"] == []
    assert sum(1 for f in doc["forms"] if f["project_name"] == "办公用房修缮及装修经费") == 1
    for form in doc["forms"]:
        assert form["source"].endswith("shanghai-justice-2023.txt")
        assert 0 <= form["score"]["total"] <= 100
        assert form["score"]["grade"] in ("优", "良", "中", "差")
    assert doc["summary"]["indicators"] == 225
    assert doc["summary"]["findings"] == len(open_findings(doc))


def test_review_text_to_stdout(seed_doc):
    res = run("review", SEED, "--no-progress")
    assert res.exit_code == 0
    out = res.stdout
    for form in seed_doc["forms"]:
        assert form["project_name"][:8] in out
    assert "批量汇总" in out and f"表单 12 份, 指标 225 项, 问题 {seed_doc['summary']['findings']} 条" in out
    assert "\x1b[" not in out  # not a terminal: no colour codes


@pytest.mark.parametrize("fmt", ["html", "xlsx", "sarif", "json", "text"])
def test_review_writes_file(tmp_path, fmt):
    out = tmp_path / "out" / f"review.{fmt}"
    res = run("review", SEED, "--format", fmt, "-o", out, "--no-progress")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""  # the report went to the file only
    assert out.is_file() and out.stat().st_size > 1000
    if fmt == "xlsx":
        import openpyxl

        ws = openpyxl.load_workbook(out)["Review"]
        assert sum(1 for row in ws.iter_rows(min_row=2, values_only=True) if row[3] == "指标") == 225
    elif fmt == "html":
        assert out.read_text(encoding="utf-8").count('<section class="form"') == 12
    elif fmt == "sarif":
        assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_xlsx_needs_output():
    res = run("review", SEED, "--format", "xlsx")
    assert res.exit_code == 2
    assert "needs -o" in res.stderr


def test_unknown_format_is_a_usage_error():
    assert run("review", SEED, "--format", "pdf").exit_code == 2


def test_bad_files_are_reported_and_the_rest_reviewed(tmp_path):
    d = tmp_path / "inbox"
    (d / "sub").mkdir(parents=True)
    shutil.copy(SEED, d / "seed.txt")
    (d / "broken.json").write_text('{"forms": [', encoding="utf-8")
    (d / "sub" / "junk.docx").write_bytes(bytes(range(256)) * 4)
    (d / "sub" / "notes.txt").write_text("会议纪要：无表格。\n", encoding="utf-8")
    missing = tmp_path / "nope.xlsx"
    res, doc = review_json(d, missing)
    assert res.exit_code == 1
    assert len(doc["forms"]) == 12
    bad = {Path(e["path"]).name for e in doc["errors"]}
    assert bad == {"broken.json", "junk.docx", "notes.txt", "nope.xlsx"}
    assert all(e["message"] and "\n" not in e["message"] for e in doc["errors"])
    err_lines = [ln for ln in res.stderr.splitlines() if ln.startswith("jixiao: ") and "forms reviewed" not in ln]
    assert sorted(Path(ln.split(": ")[1]).name for ln in err_lines) == sorted(bad)  # one line each


def test_fail_on(seed_doc):
    assert run("review", SEED, "-f", "json", "--no-progress").exit_code == 0
    for level in ("error", "warning", "info"):
        res = run("review", SEED, "-f", "json", "--no-progress", "--fail-on", level)
        assert res.exit_code == (1 if open_findings(seed_doc, level) else 0), level
    assert open_findings(seed_doc, "warning")  # the seed does have warnings, so --fail-on warning fails
    # a rule whose worst finding on the seed is below "error": failing on the next level up passes,
    # failing on its own level fails
    levels = ("error", "warning", "info")
    worst: dict[str, int] = {}
    for f in open_findings(seed_doc):
        worst[f["rule"]] = min(worst.get(f["rule"], 9), levels.index(f["severity"]))
    code, k = next((c, k) for c, k in sorted(worst.items()) if k > 0)
    args = ("review", SEED, "-f", "json", "--no-progress", "--select", code, "--fail-on")
    assert run(*args, levels[k - 1]).exit_code == 0
    assert run(*args, levels[k]).exit_code == 1


def test_select_and_ignore(seed_doc):
    codes = {f["rule"] for f in open_findings(seed_doc)}
    goal_codes = {c for c in codes if c.startswith("JX1")}
    assert goal_codes and codes - goal_codes  # the seed has goal findings and others
    _, only = review_json(SEED, "--select", "JX1")
    assert {f["rule"] for f in open_findings(only)} == goal_codes
    _, without = review_json(SEED, "--ignore", "JX1")
    assert {f["rule"] for f in open_findings(without)} == codes - goal_codes
    some = sorted(codes - goal_codes)[:2]
    _, picked = review_json(SEED, "--select", ",".join(some))
    assert {f["rule"] for f in open_findings(picked)} == set(some)


def test_config_file(tmp_path, seed_doc):
    cfg = tmp_path / "jixiao.toml"
    cfg.write_text('ignore = ["JX3"]\n', encoding="utf-8")
    res, doc = review_json(SEED, "--config", cfg)
    assert res.exit_code == 0
    assert not any(f["rule"].startswith("JX3") for f in open_findings(doc))
    assert any(f["rule"].startswith("JX3") for f in open_findings(seed_doc))
    res = run("review", SEED, "--config", tmp_path / "missing.toml")
    assert res.exit_code == 2 and "missing.toml" in res.stderr


def test_baseline_round_trip(tmp_path, seed_doc):
    bl = tmp_path / "baseline.json"
    res, doc = review_json(SEED, "--write-baseline", bl)
    assert res.exit_code == 0 and bl.is_file()
    n = len(open_findings(doc))
    assert n > 0 and f"baseline of {n} findings" in res.stderr
    res, again = review_json(SEED, "--baseline", bl)
    assert res.exit_code == 0
    assert open_findings(again) == []  # nothing new since the baseline
    assert run("review", SEED, "--baseline", tmp_path / "none.json").exit_code == 2
    not_a_baseline = tmp_path / "other.json"
    not_a_baseline.write_text('{"forms": []}', encoding="utf-8")
    res = run("review", SEED, "--baseline", not_a_baseline)
    assert res.exit_code == 2 and "not a jixiao baseline" in res.stderr



def test_baseline_file_is_read_once(tmp_path, monkeypatch):
    """`--baseline` is checked before the review and applied after it from that one reading."""
    import builtins
    import io

    import jixiao.review.baseline as baseline_mod

    bl = tmp_path / "baseline.json"
    res = run("review", SEED, "--select", "JX303", "--write-baseline", bl, "--no-progress", "-o", tmp_path / "r.txt")
    assert res.exit_code == 0 and bl.is_file()
    loads, opens = [], []
    real_read, real_open = baseline_mod.read_baseline, builtins.open

    def counting_read(path):
        loads.append(Path(path))
        return real_read(path)

    def counting_open(file, mode="r", *args, **kw):
        if isinstance(file, (str, Path)) and Path(file).resolve() == bl.resolve() and "r" in mode:
            opens.append(mode)
        return real_open(file, mode, *args, **kw)

    monkeypatch.setattr(baseline_mod, "read_baseline", counting_read)
    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(io, "open", counting_open)  # what pathlib.Path.open calls
    res, doc = review_json(SEED, "--baseline", bl)
    monkeypatch.undo()
    assert res.exit_code == 0, res.stderr
    assert loads == [bl] and len(opens) == 1
    found = open_findings(doc)
    assert found and not any(f["rule"] == "JX303" for f in found)  # the baseline's findings are hidden


def test_baseline_and_write_baseline_on_one_file(tmp_path):
    """The findings shown are those new since the baseline as it was when the run started; the file
    then records today's findings."""
    bl = tmp_path / "baseline.json"
    res = run("review", SEED, "--select", "JX303", "--write-baseline", bl, "--no-progress", "-o", tmp_path / "r.txt")
    assert res.exit_code == 0
    res, doc = review_json(SEED, "--baseline", bl, "--write-baseline", bl)
    assert res.exit_code == 0, res.stderr
    found = open_findings(doc)
    assert found and not any(f["rule"] == "JX303" for f in found)
    res, again = review_json(SEED, "--baseline", bl)
    assert res.exit_code == 0 and open_findings(again) == []

def test_rules_listing():
    from jixiao.review import all_rules

    res = run("rules", "--format", "json")
    assert res.exit_code == 0
    rows = json.loads(res.stdout)["rules"]
    assert [r["code"] for r in rows] == [r.code for r in all_rules()]
    assert len({r["code"] for r in rows}) == len(rows) >= 5
    for r in rows:
        assert set(r) == {"code", "name", "severity", "dimension", "standing", "summary", "docs"}
        assert r["severity"] in ("error", "warning", "info") and r["standing"] in ("V", "R", "I")
        assert r["summary"]
    text = run("rules").stdout
    assert all(r["code"] in text for r in rows)


def _write_batch(tmp: Path, n: int = 1000, seed: int = 7) -> tuple[Path, list[str]]:
    """n forms sampled from the corpus into JSON files (single forms and {"forms": [...]} files),
    plus bad files; returns the directory and the bad file names."""
    from jixiao.corpus import load_corpus

    pool = [f.to_dict() for f in load_corpus()]
    rng = random.Random(seed)
    d = tmp / "batch"
    d.mkdir()
    forms = []
    for i in range(n):
        f = json.loads(json.dumps(rng.choice(pool)))
        f["id"] = f"batch-{i:04d}"
        forms.append(f)
    singles, rest = forms[:400], forms[400:]
    for f in singles:
        (d / f"{f['id']}.json").write_text(json.dumps(f, ensure_ascii=False), encoding="utf-8")
    for j in range(0, len(rest), 10):
        (d / f"multi-{j // 10:03d}.json").write_text(
            json.dumps({"forms": rest[j:j + 10]}, ensure_ascii=False), encoding="utf-8")
    bad = {"truncated.json": b'{"forms": [{"id": "x", "indicators": [', "numbers.json": b"[1, 2, 3]",
           "junk.docx": b"\x00\x01PK?" * 100, "empty.txt": b""}
    for name, data in bad.items():
        (d / name).write_bytes(data)
    return d, sorted(bad)


def test_thousand_forms_in_one_batch(tmp_path):
    d, bad = _write_batch(tmp_path)
    out = tmp_path / "r.json"
    res = run("review", d, "--format", "json", "-o", out, "--no-progress")
    assert res.exit_code == 1  # the bad files
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["forms"]) == 1000
    assert sorted(f["id"] for f in doc["forms"]) == [f"batch-{i:04d}" for i in range(1000)]
    assert sorted(Path(e["path"]).name for e in doc["errors"]) == bad
    assert doc["summary"]["forms"] == 1000 and doc["summary"]["unreadable"] == 4


def test_unknown_rule_is_a_usage_error():
    res = run("review", SEED, "--select", "JX999")
    assert res.exit_code == 2 and "JX999" in res.stderr
    assert run("review", SEED, "--ignore", "no-such-rule").exit_code == 2


def test_stdout_reports_are_utf8_whatever_the_console(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    p = subprocess.run([sys.executable, "-m", "jixiao", "review", str(SEED), "-f", "html", "--no-progress"],
                       capture_output=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr.decode("utf-8", "replace")
    html = p.stdout.decode("utf-8")  # strict: must be valid UTF-8, as the page declares
    assert '<meta charset="utf-8">' in html and "办公用房修缮及装修经费" in html


def test_review_does_not_load_heavy_libraries(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from jixiao.cli import main\n"
        f"sys.argv = ['jixiao', 'review', {str(SEED)!r}, '-f', 'json', '-o', {str(tmp_path / 'r.json')!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'openpyxl', 'pandas', 'sklearn') if m in sys.modules]\n"
        "print(code, heavy)\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.stdout.strip().splitlines()[-1] == "0 []", p.stderr


def test_rerun_into_the_input_folder_skips_own_report(tmp_path):
    d = tmp_path / "inbox"
    d.mkdir()
    shutil.copy(SEED, d / "seed.txt")
    out = d / "review.json"
    for _ in range(2):  # the second run must not read the first run's report as a form file
        res = run("review", d, "-f", "json", "-o", out, "--no-progress")
        assert res.exit_code == 0, res.stderr
        doc = json.loads(out.read_text(encoding="utf-8"))
        assert len(doc["forms"]) == 12 and doc["errors"] == []


def test_dash_means_stdout():
    res = run("review", SEED, "-f", "json", "-o", "-", "--no-progress")
    assert res.exit_code == 0 and len(json.loads(res.stdout)["forms"]) == 12


def test_a_file_named_twice_is_reviewed_once():
    _, doc = review_json(SEED, EXAMPLES, SEED)
    assert len(doc["forms"]) == 12


@pytest.mark.parametrize("fmt", ["json", "text", "html", "sarif", "xlsx"])
def test_rerun_into_the_input_folder_every_format(tmp_path, fmt):
    d = tmp_path / "inbox"
    d.mkdir()
    shutil.copy(SEED, d / "seed.txt")
    out = d / f"review.{'txt' if fmt == 'text' else fmt}"
    for _ in range(2):  # the second run recognises its own report, skips it and replaces it
        res = run("review", d, "-f", fmt, "-o", out, "--no-progress")
        assert res.exit_code == 0, res.stderr
        assert "12 forms reviewed" in res.stderr


def test_inputs_are_never_overwritten(tmp_path):
    d = tmp_path / "inbox"
    d.mkdir()
    form = d / "seed.txt"
    shutil.copy(SEED, form)
    before = form.read_bytes()
    res = run("review", form, "-f", "json", "-o", form)
    assert res.exit_code == 2 and "input file" in res.stderr
    res = run("review", d, "-f", "text", "-o", form)  # a form inside the input folder
    assert res.exit_code == 2 and "refusing to overwrite" in res.stderr
    res = run("review", d, "--write-baseline", form)
    assert res.exit_code == 2
    assert form.read_bytes() == before
    assert sorted(p.name for p in d.iterdir()) == ["seed.txt"]
