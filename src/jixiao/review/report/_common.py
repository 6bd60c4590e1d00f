"""Helpers shared by the report writers: output handling, labels, ordering and the batch summary."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import IO, Any

from jixiao.fsutil import atomic_open
from jixiao.review.findings import SEVERITIES, TARGET_ZH, Finding, FormReview, Target
from jixiao.review.score import summarise

SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}  # error 0, warning 1, info 2
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def is_path(out: Any) -> bool:
    return isinstance(out, (str, os.PathLike))


@contextlib.contextmanager
def open_text(out: Any) -> Iterator[IO[str]]:
    """A text stream for ``out``: a path is written atomically, a stream is used as it is."""
    if is_path(out):
        with atomic_open(out, "w", encoding="utf-8") as f:
            yield f
    else:
        yield out


@contextlib.contextmanager
def open_binary(out: Any) -> Iterator[IO[bytes]]:
    """A binary stream for ``out``: a path is written atomically; a text stream's ``buffer`` is used."""
    if is_path(out):
        with atomic_open(out, "wb") as f:
            yield f
    else:
        stream = getattr(out, "buffer", out)
        yield stream
        with contextlib.suppress(Exception):
            stream.flush()


def source_of(review: FormReview) -> str | None:
    src = review.form.source
    return src.path or src.url


def sort_key(f: Finding) -> tuple:
    t = f.target
    kind_rank = {"form": 0, "overall_goal": 1, "annual_goal": 2, "indicator": 3}.get(t.kind, 4)
    return (SEVERITY_RANK.get(f.severity, 9), kind_rank, t.index if t.index is not None else -1, f.rule)


def worst(findings: Iterable[Finding]) -> str | None:
    """The most severe severity among the non-accepted ``findings`` (None when there is none)."""
    sev = [f.severity for f in findings if not f.accepted and f.severity in SEVERITY_RANK]
    return min(sev, key=SEVERITY_RANK.__getitem__) if sev else None


def indicator_name(review: FormReview, index: int | None) -> str | None:
    inds = review.form.indicators
    if index is not None and 0 <= index < len(inds):
        return inds[index].name
    return None


def target_label(review: FormReview, target: Target) -> str:
    """Human label of a finding's target: ``总体目标``, ``年度目标``, ``指标 #3 空调维修完成率``, ``整表``.

    Indicator indexes are 0-based in the data and shown 1-based (row number in the form's table).
    """
    if target.kind == "indicator":
        if target.index is None:
            return "指标"
        name = indicator_name(review, target.index)
        return f"指标 #{target.index + 1} {name}" if name is not None else f"指标 #{target.index + 1}"
    return TARGET_ZH.get(target.kind, target.kind)


def findings_by_target(review: FormReview) -> dict[tuple[str, int | None], list[Finding]]:
    out: dict[tuple[str, int | None], list[Finding]] = {}
    for f in sorted(review.findings, key=sort_key):
        key = (f.target.kind, f.target.index if f.target.kind == "indicator" else None)
        out.setdefault(key, []).append(f)
    return out


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    c = Counter(f.severity for f in findings if not f.accepted)
    return {s: c.get(s, 0) for s in SEVERITIES}


def dimension_names(reviews: Iterable[FormReview]) -> list[str]:
    """Score-card dimensions in first-seen order across the batch."""
    names: dict[str, None] = {}
    for r in reviews:
        for d in r.score.dimensions:
            names.setdefault(d, None)
    return list(names)


def ranked(reviews: Iterable[FormReview]) -> list[FormReview]:
    """Forms ranked by score, lowest (most in need of attention) first; ties keep input order."""
    return sorted(reviews, key=lambda r: r.score.total)


def fmt_score(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"


def summary(reviews: list[FormReview], errors: list[dict]) -> dict[str, Any]:
    """Batch summary used by every format (the ``summary`` object of the JSON report): the report's
    view of :func:`jixiao.review.score.summarise`, which computes it. Only ``grades`` differs from
    summarise's: the forms' own grades in the order they first occur (no empty bands, and a review
    without a grade is not counted)."""
    s = summarise(reviews, errors)
    return {
        "forms": s["forms"],
        "unreadable": s["unreadable"],
        "indicators": s["indicators"],
        "findings": s["findings"],
        "accepted": s["accepted"],
        "by_severity": {sev: s["severities"].get(sev, 0) for sev in SEVERITIES},
        "by_rule": {e["rule"]: e["count"] for e in sorted(s["rules"], key=lambda e: e["rule"])},
        "score": s["score"],
        "grades": dict(Counter(r.score.grade for r in reviews if r.score.grade)),
    }


def error_dict(err: Any) -> dict[str, Any]:
    """Normalise an error entry (an ``InputError`` or a dict) to ``{"path", "message"}``."""
    if isinstance(err, dict):
        return {"path": err.get("path"), "message": err.get("message", "")}
    if hasattr(err, "to_dict"):
        d = err.to_dict()
        return {"path": d.get("path"), "message": d.get("message", "")}
    return {"path": getattr(err, "path", None), "message": str(err)}


def rule_doc(rule: Any) -> str:
    """A registry rule's documentation text (``doc`` or ``docs``), dedented."""
    import inspect

    text = getattr(rule, "doc", None) or getattr(rule, "docs", None) or ""
    return inspect.cleandoc(str(text)) if text else ""


def first_line(text: str | None) -> str | None:
    """The first non-blank line of ``text``, without Markdown heading marks (None when there is none)."""
    if not text:
        return None
    for line in str(text).splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line
    return None


def rule_summary(rule: Any) -> str:
    """One line describing a rule: its ``summary`` or the first line of its documentation."""
    summary = getattr(rule, "summary", None)
    if summary:
        return str(summary)
    return first_line(rule_doc(rule)) or ""
