"""Rule documentation: the fixed docstring structure and its executable examples.

A rule docstring looks like::

    One-line summary.

    Detects:
        What the rule flags.
    Why:
        Why it matters, citing the reference rule and its standing, e.g. "R18 [V S5, S6] …".
    Bad:
        project: 办公用房修缮及装修经费
        产出指标 | 数量指标 | 空调维修完成率 | =100(%)
    Better:
        project: 办公用房修缮及装修经费
        产出指标 | 数量指标 | 完成空调维修台数 | ≥120(台)
    Options:            (optional)
        threshold = 0.9 (similarity above which …)

``Bad`` and ``Better`` are mini-forms, one field per line: ``project:``, ``department:``,
``period: START END``, ``funds: total=… fiscal=… other=… carryover=…`` (元), ``overall_goal:``,
``annual_goal:``, ``complete: false``, ``template: NAME``, and indicator rows
``level1 | level2 | name | value`` (cells split on ``|``). The test-suite reviews both: the rule must fire on ``Bad``
and stay silent on ``Better`` (tests/test_review_rules.py), so the docs cannot drift from the code.
"""

from __future__ import annotations

import inspect
import re

from jixiao.model import Form, Funds, Indicator, Period, Source
from jixiao.taxonomy import normalise_level1, normalise_level2, parent_of
from jixiao.values import parse_value

SECTIONS = ("Detects", "Why", "Bad", "Better", "Options")
_HEAD = re.compile(r"^(%s):\s*$" % "|".join(SECTIONS))


def parse_doc(doc: str) -> dict[str, str]:
    """Split a rule docstring into ``summary`` and the sections (dedented bodies)."""
    lines = inspect.cleandoc(doc or "").splitlines()
    out: dict[str, list[str]] = {"summary": []}
    cur = "summary"
    for line in lines:
        m = _HEAD.match(line)
        if m:
            cur = m.group(1)
            out[cur] = []
            continue
        out[cur].append(line)
    res = {}
    for k, v in out.items():
        body = "\n".join(v)
        res[k] = inspect.cleandoc(body) if k != "summary" else body.strip()
    return res


def example_form(text: str, form_id: str = "example") -> Form:
    """Build a :class:`Form` from an example block (see the module docstring)."""
    form = Form(id=form_id, source=Source(path="<example>", complete=True))
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if "|" in line:
            parts = [p.strip() for p in line.split("|")]
            while len(parts) < 4:
                parts.append("")
            l1raw, l2raw, name, value = parts[:4]
            l2 = normalise_level2(l2raw) if l2raw else None
            l1 = normalise_level1(l1raw) if l1raw else parent_of(l2)
            form.indicators.append(
                Indicator(name=name, value=parse_value(value), level1=l1, level2=l2,
                          level1_raw=l1raw or None, level2_raw=l2raw or None)
            )
            continue
        key, _, val = line.partition(":")
        key, val = key.strip(), val.strip()
        if key == "project":
            form.project_name = val
        elif key == "department":
            form.department = val
        elif key == "period":
            a, _, b = val.partition(" ")
            form.period = Period(start=a or None, end=b.strip() or None)
            form.year = form.period.years[0]
        elif key == "funds":
            kw = {}
            for part in val.split():
                k, _, v = part.partition("=")
                kw[k] = float(v) if v else None
            form.funds = Funds(**kw)
        elif key in ("overall_goal", "annual_goal"):
            setattr(form, key, val)
        elif key == "complete":
            form.source.complete = val.lower() == "true"
        elif key == "template":
            form.source.template = val
        elif key == "kind":
            form.source.kind = val
        else:
            raise ValueError(f"unknown example field {key!r} in line {line!r}")
    return form


__all__ = ["SECTIONS", "example_form", "parse_doc"]
