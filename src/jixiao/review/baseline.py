"""Baselines: remember today's findings so that a re-review shows only new ones.

A baseline is a JSON file ``{"version": 1, "fingerprints": {fingerprint: count}}``. A fingerprint
is a hash of the form's project name, the rule code, the target kind and (for indicator findings)
the indicator name — not its row index, so inserting a row does not invalidate the baseline.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from jixiao.errors import InputError
from jixiao.fsutil import atomic_write_text
from jixiao.review.findings import Finding, FormReview


def fingerprint(review: FormReview, finding: Finding) -> str:
    form = review.form
    ind = ""
    if finding.target.kind == "indicator" and finding.target.index is not None:
        if 0 <= finding.target.index < len(form.indicators):
            ind = form.indicators[finding.target.index].name
    key = "\x1f".join([form.project_name or form.id, finding.rule, finding.target.kind, ind])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def write_baseline(reviews: Iterable[FormReview], path: str | Path) -> int:
    """Write the fingerprints of all open (not accepted) findings; returns how many."""
    c: Counter = Counter()
    for r in reviews:
        for f in r.findings:
            if not f.accepted:
                c[fingerprint(r, f)] += 1
    atomic_write_text(
        path, json.dumps({"version": 1, "fingerprints": dict(sorted(c.items()))}, ensure_ascii=False, indent=1) + "\n"
    )
    return sum(c.values())


def read_baseline(path: str | Path) -> Counter:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        fps = data["fingerprints"]
        if not isinstance(fps, dict):
            raise TypeError
    except FileNotFoundError:
        raise InputError(str(path), "baseline file not found") from None
    except (ValueError, KeyError, TypeError):
        raise InputError(str(path), "not a jixiao baseline (expected JSON with 'fingerprints')") from None
    return Counter({str(k): int(v) for k, v in fps.items()})


def apply_baseline(reviews: list[FormReview], baseline: str | Path | Mapping[str, int], drop: bool = True) -> int:
    """Remove (or, with ``drop=False``, only mark ``data["baseline"]=True``) findings already in
    the baseline: a baseline file, or the fingerprint counts :func:`read_baseline` returned (so that a
    caller that has read the file already does not read it again; the counts are not modified).
    Scores are left as they were (they describe the form, not the review history).
    Returns the number of findings matched."""
    budget = read_baseline(baseline) if isinstance(baseline, (str, os.PathLike)) else Counter(baseline)
    matched = 0
    for r in reviews:
        keep = []
        for f in r.findings:
            fp = fingerprint(r, f)
            if not f.accepted and budget.get(fp, 0) > 0:
                budget[fp] -= 1
                matched += 1
                f.data["baseline"] = True
                if drop:
                    continue
            keep.append(f)
        r.findings = keep
    return matched


__all__ = ["apply_baseline", "fingerprint", "read_baseline", "write_baseline"]
