"""`jixiao corpus stats|report|build` through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.corpus import load_corpus

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def test_stats_json_counts_match_corpus():
    res = runner.invoke(app, ["corpus", "stats", "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    forms = load_corpus()
    assert d["forms"] == len(forms)
    assert d["indicators"] == sum(len(f.indicators) for f in forms)
    assert sum(d["year"].values()) == len(forms)
    assert d["province"]["安徽省"] == sum(1 for f in forms if (f.source.region or "").startswith("安徽省"))
    assert set(d) >= {"province", "year", "kind", "template", "level1", "level2", "level1_unmapped", "level2_unmapped", "sector"}


def test_stats_table_and_bad_format():
    res = runner.invoke(app, ["corpus", "stats"])
    assert res.exit_code == 0 and "province" in res.output and "安徽省" in res.output
    res = runner.invoke(app, ["corpus", "stats", "--format", "xml"])
    assert res.exit_code != 0


def test_report_on_seed_file(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("jixiao.readers")
    seed = ROOT / "examples" / "shanghai-justice-2023.txt"
    if not seed.exists():
        seed = ROOT / "corpora" / "sources" / "seed" / "shanghai-justice-2023.txt"
    before = seed.read_bytes()
    res = runner.invoke(app, ["corpus", "report", "-o", str(tmp_path / "rep"), str(seed)])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "上海市" in html
    assert (tmp_path / "rep" / "goal_copies.csv").is_file()
    assert seed.read_bytes() == before


def test_report_missing_input_is_one_line_error(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("jixiao.readers")
    res = runner.invoke(app, ["corpus", "report", "-o", str(tmp_path / "rep"), str(tmp_path / "nope.txt")])
    assert res.exit_code == 1
    assert "nope.txt" in res.output and len(res.output.strip().splitlines()) == 1


def test_build_regenerates_corpus_in_a_copy(tmp_path, monkeypatch):
    """`corpus build` on a copy of the sources writes forms.jsonl with every transcribed form."""
    pytest.importorskip("jixiao.readers")
    from jixiao.corpus.build import build

    root = tmp_path / "repo" / "corpora"
    shutil.copytree(ROOT / "corpora" / "sources", root / "sources")
    out, forms = build(root)
    n_json = len(list((root / "sources" / "shared-corpus" / "forms").glob("*.json")))
    assert out == root / "forms.jsonl"
    assert sum(1 for f in forms if f.id.startswith("corpus-")) == n_json
    assert sum(1 for ln in out.read_text(encoding="utf-8").splitlines() if ln.strip()) == len(forms)


def test_build_cli_on_a_copy(tmp_path):
    pytest.importorskip("jixiao.readers")
    root = tmp_path / "corpora"
    shutil.copytree(ROOT / "corpora" / "sources", root / "sources")
    res = runner.invoke(app, ["corpus", "build", "--no-index", "--corpora", str(root)])
    assert res.exit_code == 0, res.output
    n = sum(1 for ln in (root / "forms.jsonl").read_text(encoding="utf-8").splitlines() if ln.strip())
    assert f": {n} forms," in res.output
    res = runner.invoke(app, ["corpus", "build", "--no-index", "--corpora", str(tmp_path / "nothing")])
    assert res.exit_code == 1 and "no sources/" in res.output
