"""Score card: 0–100 per form with a breakdown by review dimension. See ``docs/scoring.md``.

Each dimension starts at 100. Every finding that is not accepted deducts ``deductions[severity]``
points from its rule's dimension; one rule deducts at most ``rule_cap`` points from a dimension (so
twenty vague values do not count twenty times). Dimension scores are floored at 0. The total is the
weighted mean of the dimension scores (``weights``). Grades: 优 ≥90, 良 ≥80, 中 ≥60, 差 below.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from jixiao.review.config import GRADE_BANDS, Config
from jixiao.review.findings import SEVERITIES, Finding, FormReview, Score


def grade_of(total: float) -> str:
    for grade, floor in GRADE_BANDS:
        if total >= floor:
            return grade
    return GRADE_BANDS[-1][0]


def score_findings(findings: Iterable[Finding], config: Config | None = None) -> Score:
    config = config or Config()
    per_rule: dict[tuple[str, str], float] = defaultdict(float)
    for f in findings:
        if f.accepted or not f.dimension:
            continue
        per_rule[(f.dimension, f.rule)] += config.deductions.get(f.severity, 0.0)
    lost: dict[str, float] = defaultdict(float)
    for (dim, _rule), pts in per_rule.items():
        lost[dim] += min(pts, config.rule_cap)
    dims = {d: round(max(0.0, 100.0 - lost.get(d, 0.0)), 1) for d in config.weights}
    wsum = sum(config.weights.values())
    total = round(sum(dims[d] * w for d, w in config.weights.items()) / wsum, 1) if wsum else 0.0
    return Score(total=total, dimensions=dims, grade=grade_of(total))


def summarise(reviews: Iterable[FormReview], errors: Iterable = ()) -> dict:
    """Batch summary: forms ranked worst first, grade counts, findings per rule and per severity.

    The one implementation of the batch summary: the reports' ``summary`` object
    (:func:`jixiao.review.report._common.summary`) is a view of this dict. Accepted findings are
    counted in ``accepted`` only. ``errors`` are the inputs that could not be read (``unreadable``).
    ``grades`` lists every band; a review without a grade is counted under the grade of its total.
    """
    reviews = list(reviews)
    ranked = sorted(reviews, key=lambda r: (r.score.total, r.form.id))
    grades: dict[str, int] = {g: 0 for g, _ in GRADE_BANDS}
    by_rule: dict[str, dict] = {}
    by_sev: dict[str, int] = {s: 0 for s in SEVERITIES}
    n_open = n_accepted = 0
    for r in reviews:
        g = r.score.grade or grade_of(r.score.total)
        grades[g] = grades.get(g, 0) + 1
        for f in r.findings:
            if f.accepted:
                n_accepted += 1
                continue
            n_open += 1
            e = by_rule.setdefault(f.rule, {"rule": f.rule, "name": f.name, "count": 0, "forms": set()})
            e["count"] += 1
            e["forms"].add(r.form.id)
            by_sev[f.severity] = by_sev.get(f.severity, 0) + 1
    rules = [
        {**e, "forms": len(e["forms"])} for e in sorted(by_rule.values(), key=lambda e: (-e["count"], e["rule"]))
    ]
    n = len(reviews)
    totals = [r.score.total for r in reviews]
    mean = round(sum(totals) / n, 1) if n else None
    return {
        "forms": n,
        "mean_score": mean,
        "grades": grades,
        "severities": by_sev,
        "rules": rules,
        "ranking": [
            {"rank": i + 1, "id": r.form.id, "project_name": r.form.project_name, "score": r.score.total,
             "grade": r.score.grade,
             "open_findings": sum(1 for f in r.findings if not f.accepted)}
            for i, r in enumerate(ranked)
        ],
        "unreadable": len(list(errors)),
        "indicators": sum(len(r.form.indicators) for r in reviews),
        "findings": n_open,
        "accepted": n_accepted,
        "score": {"mean": mean, "min": min(totals) if totals else None, "max": max(totals) if totals else None},
    }


__all__ = ["grade_of", "score_findings", "summarise"]
