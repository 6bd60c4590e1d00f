"""``jixiao parse`` through typer's CliRunner: batches with bad files, exit codes, JSON contract."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from jixiao.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora/sources/seed/shanghai-justice-2023.txt"
FIX = ROOT / "tests/fixtures/readers"


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 keeps stderr separate already
        return CliRunner()


def test_parse_seed_json():
    res = _runner().invoke(app, ["parse", str(SEED)])
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["errors"] == []
    assert len(out["forms"]) == 12
    assert sum(len(f["indicators"]) for f in out["forms"]) == 225
    assert "办公用房修缮及装修经费" in res.stdout  # ensure_ascii=False
    f0 = out["forms"][0]
    assert f0["funds"]["total"] == 9593190.0
    assert f0["indicators"][0]["value"] == {"raw": "=100(%)", "op": "=", "number": 100.0, "unit": "%", "kind": "quantitative"}


def test_batch_with_bad_inputs(tmp_path):
    d = tmp_path / "申报 材料"
    d.mkdir()
    good_txt = d / "上海 司法局.txt"
    shutil.copy(SEED, good_txt)
    good_xlsx = d / "表 格.xlsx"
    shutil.copy(FIX / "seed.xlsx", good_xlsx)
    empty = d / "空.txt"
    empty.write_bytes(b"")
    binary = d / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    trunc = d / "坏的.xlsx"
    trunc.write_bytes((FIX / "seed.xlsx").read_bytes()[:5000])
    notable = d / "no table.docx"
    shutil.copy(FIX / "no-table.docx", notable)
    missing = d / "不存在.txt"
    files = [good_txt, good_xlsx, empty, binary, trunc, notable]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}

    res = _runner().invoke(app, ["parse", *map(str, files), str(missing)])
    assert res.exit_code == 1
    out = json.loads(res.stdout)
    assert len(out["forms"]) == 24  # 12 from the text dump + 12 from the workbook
    assert sum(len(f["indicators"]) for f in out["forms"]) == 450
    errors = {e["path"]: e["message"] for e in out["errors"]}
    assert errors == {
        str(empty): "empty file",
        str(binary): "binary file, not a form",
        str(trunc): errors[str(trunc)],
        str(notable): errors[str(notable)],
        str(missing): "no such file",
    }
    assert "truncated or corrupt" in errors[str(trunc)]
    assert "no indicator table" in errors[str(notable)]
    err_lines = res.stderr.strip().splitlines()
    assert len(err_lines) == 5 and all(any(line.startswith(str(p)) for p in [*files, missing]) for line in err_lines)
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files} == before


def test_directory_argument(tmp_path):
    shutil.copy(SEED, tmp_path / "a.txt")
    shutil.copy(FIX / "seed-gbk.csv", tmp_path / "b.csv")
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")
    res = _runner().invoke(app, ["parse", str(tmp_path)])
    assert res.exit_code == 0, res.stderr
    assert len(json.loads(res.stdout)["forms"]) == 24


def test_table_format():
    res = _runner().invoke(app, ["parse", "--format", "table", str(FIX / "seed.docx")])
    assert res.exit_code == 0
    assert "空调维修及时率" in res.stdout and "时效指标" in res.stdout


def test_usage_error():
    res = _runner().invoke(app, ["parse", "--format", "yaml", str(SEED)])
    assert res.exit_code == 2
    res = _runner().invoke(app, ["parse"])
    assert res.exit_code == 2
