"""``jixiao review --jobs N`` (worker processes) gives the report of ``--jobs 1`` byte for byte, and the
slim reviews a batch keeps (``FormReview.slim``) write the same reports as the full ones."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.model import Form, Indicator
from jixiao.readers import read_path
from jixiao.review.config import Config, load_config
from jixiao.review.engine import ReviewFailure, review_chunks, review_form
from jixiao.review.findings import FormHead

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "shanghai-justice-2023.txt"
CORPUS = ROOT / "corpora" / "forms.jsonl"

runner = CliRunner()


def run(*args):
    res = runner.invoke(app, ["review", *[str(a) for a in args], "--no-progress"], catch_exceptions=False)
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("jixiao: ") and "forms reviewed" not in ln]
    return res.exit_code, res.stdout_bytes, errors


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The seed forms, 30 corpus forms, and bad inputs between them (the walk order puts them in the middle)."""
    d = tmp_path_factory.mktemp("jobs") / "inbox"
    (d / "b").mkdir(parents=True)
    shutil.copy(SEED, d / "a-seed.txt")
    (d / "b" / "broken.json").write_text('{"forms": [', encoding="utf-8")
    (d / "b" / "notes.txt").write_text("会议纪要：无表格。\n", encoding="utf-8")
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    (d / "c-corpus.jsonl").write_text("\n".join(lines[:30]) + "\n", encoding="utf-8")
    return d


def test_examples_json_jobs_2_equals_jobs_1():
    one = run(EXAMPLES, "-f", "json", "--jobs", "1")
    two = run(EXAMPLES, "-f", "json", "--jobs", "2")
    assert one[0] == 0 and len(json.loads(one[1])["forms"]) == 12
    assert two == one


@pytest.mark.parametrize("fmt", ["json", "text", "sarif", "html"])
def test_batch_with_bad_files_same_report_errors_and_exit_code(batch, fmt):
    missing = batch.parent / "nope.xlsx"
    one = run(batch, missing, "-f", fmt, "--jobs", "1")
    two = run(batch, missing, "-f", fmt, "--jobs", "2")
    assert one[0] == 1  # the unreadable inputs
    assert [Path(ln.split(": ")[1]).name for ln in one[2]] == ["broken.json", "notes.txt", "nope.xlsx"]
    assert two[0] == one[0] and two[2] == one[2]  # the same error lines, in input order
    assert two[1] == one[1]  # the same report, byte for byte
    if fmt == "json":
        doc = json.loads(one[1])
        assert len(doc["forms"]) == 42 and doc["summary"]["unreadable"] == 3


def test_fail_on_and_baseline_same_with_jobs(batch, tmp_path):
    codes = []
    for jobs in ("1", "0"):
        bl = tmp_path / f"bl{jobs}.json"
        code, out, _ = run(batch, "-f", "json", "--fail-on", "error", "--write-baseline", bl, "--jobs", jobs)
        codes.append(code)
        assert json.loads(bl.read_text(encoding="utf-8"))["fingerprints"]
        code2, out2, _ = run(batch, "-f", "json", "--baseline", bl, "--jobs", jobs)
        assert code2 == 1 and json.loads(out2)["summary"]["findings"] == 0  # all known, only the bad files fail
        codes.append(code2)
    assert codes[:2] == codes[2:]
    assert (tmp_path / "bl1.json").read_bytes() == (tmp_path / "bl0.json").read_bytes()


def test_negative_jobs_is_a_usage_error():
    res = runner.invoke(app, ["review", str(SEED), "--jobs", "-1"])
    assert res.exit_code == 2 and "--jobs" in res.stderr


def test_a_form_that_breaks_the_engine_in_a_worker_is_one_failure(caplog):
    forms = read_path(SEED)[:3]
    bad = Form(id="broken-form", project_name="坏表", indicators=None)  # type: ignore[arg-type]
    chunks = [("x", [forms[0], bad]), ("gap", None), ("y", forms[1:])]
    strict = Config(strict=True)
    got = list(review_chunks(chunks, strict, jobs=2, slim=True))
    assert [k for k, _ in got] == ["x", "gap", "y"]
    (_, r1), (_, gap), (_, r2) = got
    assert gap is None
    assert isinstance(r1[1], ReviewFailure) and r1[1].form_id == "broken-form" and "TypeError" in r1[1].error
    assert [r.form.id for r in (r1[0], *r2)] == [f.id for f in forms]
    assert all(isinstance(r.form, FormHead) for r in (r1[0], *r2))
    # not strict: the rules that crash are logged as warnings in the worker and re-emitted here, the form is reviewed
    with caplog.at_level(logging.WARNING, logger="jixiao"):
        (_, res), = review_chunks([("z", [bad])], Config(), jobs=2)
    assert res[0].form.id == "broken-form" and not isinstance(res[0], ReviewFailure)
    warned = [r for r in caplog.records if r.name == "jixiao.review" and "broken-form" in r.getMessage()]
    assert warned and all("Traceback" in r.getMessage() for r in warned)


def _form_or_die(d):
    import multiprocessing

    if multiprocessing.parent_process() is not None:  # in a worker: die as an out-of-memory kill would
        os._exit(3)
    return DiesInAWorker.from_dict(d)


class DiesInAWorker(Form):
    """A real form, except that unpickling it in a worker process kills that process."""

    def __reduce__(self):
        return _form_or_die, (self.to_dict(),)


def test_a_dead_worker_leaves_the_rest_to_this_process(caplog):
    forms = read_path(SEED)[:5]
    killer = DiesInAWorker.from_dict(forms[2].to_dict())
    chunks = [("a", forms[:2]), ("b", [killer]), ("c", forms[3:])]
    cfg = load_config()
    expect = [[review_form(f, cfg).slim().to_dict() for f in chunk] for _, chunk in chunks]
    with caplog.at_level(logging.WARNING, logger="jixiao"):
        got = list(review_chunks(chunks, cfg, jobs=2, slim=True))
    assert [k for k, _ in got] == ["a", "b", "c"]
    assert [[r.to_dict() for r in res] for _, res in got] == expect  # every form reviewed, none lost
    assert any("worker process failed" in r.getMessage() for r in caplog.records)


def test_slim_reviews_write_the_same_reports():
    from jixiao.review.baseline import fingerprint
    from jixiao.review.report import get_writer

    forms = read_path(SEED) + read_path(CORPUS)[:20]
    cfg = load_config()
    full = [review_form(f, cfg) for f in forms]
    slim = [review_form(f, cfg).slim() for f in forms]
    assert all(isinstance(r.form, FormHead) for r in slim)
    assert [len(r.form.indicators) for r in slim] == [len(f.indicators) for f in forms]
    errors = [{"path": "x.json", "message": "invalid JSON"}]
    for fmt in ("json", "text", "sarif"):
        outs = []
        for reviews in (full, slim):
            buf = io.StringIO()
            get_writer(fmt)(reviews, errors, buf, **({"color": False, "width": 100} if fmt == "text" else {}))
            outs.append(buf.getvalue())
        assert outs[0] == outs[1] and len(outs[0]) > 10_000, fmt
    assert [fingerprint(r, f) for r in full for f in r.findings] == [fingerprint(r, f) for r in slim for f in r.findings]


def test_form_head_keeps_indicator_names():
    form = Form(id="f1", project_name="项目", indicators=[Indicator(name="培训人次"), Indicator(name="满意度")])
    head = FormHead.of(form)
    assert head.id == "f1" and head.project_name == "项目" and head.source is form.source
    assert [i.name for i in head.indicators] == ["培训人次", "满意度"]
    assert FormHead.of(head) is head
