"""The forms transcribed from web pages (corpora/sources/web-pages/forms/*.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1] / "corpora"
FILES = sorted((ROOT / "sources" / "web-pages" / "forms").glob("*.json"))
KEYS = {"source_url", "region", "department", "year", "doc_type", "kind", "project_name", "overall_goal",
        "annual_goal", "complete", "indicators", "notes"}


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_schema(path):
    d = json.loads(path.read_text(encoding="utf-8"))
    assert KEYS <= set(d), KEYS - set(d)
    assert d["source_url"].startswith(("http://", "https://"))
    assert d["kind"] in ("target", "self_eval")
    assert d["project_name"].strip()
    assert d["year"] is None or 2010 <= int(d["year"]) <= 2026
    assert d["overall_goal"] is None and d["annual_goal"] is None  # page prose is not taken
    assert len(d["indicators"]) >= 3
    for row in d["indicators"]:
        assert set(row) >= {"level1", "level2", "level3", "value"}
        assert row["level3"].strip() and str(row["value"]).strip()


def test_no_form_twice():
    """A page may hold several forms, but no (page, project) pair is transcribed twice, and no web
    form repeats a project of the shared corpus or the seed."""
    web, shared = [], []
    for p in FILES:
        d = json.loads(p.read_text(encoding="utf-8"))
        web.append((d["source_url"], d["project_name"], d["department"]))
    for p in sorted((ROOT / "sources" / "shared-corpus" / "forms").glob("*.json")):
        d = json.loads(p.read_text(encoding="utf-8"))
        shared.append((d["source_url"], d["project_name"], d["department"]))
    assert len(set(web)) == len(web), [w for w in set(web) if web.count(w) > 1]
    pages = {(u, n) for u, n, _ in web}
    assert not pages & {(u, n) for u, n, _ in shared}
    # a generic project name (省级第七批水利专项资金) may recur, but not with the same department
    others = {(json.loads(line)["project_name"], json.loads(line)["department"])
              for line in (ROOT / "forms.jsonl").read_text(encoding="utf-8").splitlines()
              if not json.loads(line)["id"].startswith("web-")}
    assert not {(n, d) for _, n, d in web} & others


def test_corpus_includes_every_web_form():
    ids = {json.loads(line)["id"] for line in (ROOT / "forms.jsonl").read_text(encoding="utf-8").splitlines()}
    assert {f"web-{p.stem}" for p in FILES} <= ids
