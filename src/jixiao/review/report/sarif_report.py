"""SARIF 2.1.0 report, for code-scanning style tools and editors.

- ``runs[0].tool.driver.rules``: the rule registry (``id`` = code, ``name``, ``shortDescription``,
  ``helpUri`` = ``docs/rules/<code>-<name>.md``, ``defaultConfiguration.level``).
- ``runs[0].results``: one result per finding (``level`` error / warning / note), located at the form's
  source file, with a logical location naming the form and the goal or indicator. Accepted findings
  carry an external ``suppression``.
- Files that could not be read are ``toolExecutionNotifications`` of the invocation.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from jixiao.review.findings import Finding, FormReview
from jixiao.review.report._common import (
    error_dict,
    first_line,
    indicator_name,
    open_text,
    rule_doc,
    rule_summary,
    sort_key,
    source_of,
    target_label,
)

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def _tool_version() -> str:
    try:
        from importlib.metadata import version

        return version("jixiao")
    except Exception:  # not installed (running from a checkout)
        return "0"


def path_uri(path: str | None) -> str | None:
    """A SARIF ``uri`` for a source path: URLs as they are, paths percent-encoded (relative stay relative)."""
    if not path:
        return None
    if _URL.match(path):
        return path
    p = PurePath(path)
    posix = p.as_posix()
    if re.match(r"^[A-Za-z]:/", posix):  # Windows drive
        return "file:///" + quote(posix, safe="/:")
    if posix.startswith("/"):
        return "file://" + quote(posix, safe="/")
    return quote(posix, safe="/")


def _registry() -> list[Any]:
    from jixiao.review.rules import all_rules  # importing jixiao.review.findings above already imported it

    try:
        return list(all_rules())
    except Exception:
        return []


def rule_descriptor(code: str, name: str, severity: str | None, *, summary: str | None = None,
                    docs: str | None = None, dimension: str | None = None, standing: str | None = None,
                    help_base: str = "docs/rules/") -> dict[str, Any]:
    desc: dict[str, Any] = {
        "id": code,
        "name": name,
        "shortDescription": {"text": summary or first_line(docs) or name},
        "helpUri": f"{help_base.rstrip('/')}/{code}-{name}.md" if help_base else f"{code}-{name}.md",
        "defaultConfiguration": {"level": LEVELS.get(severity or "warning", "warning")},
    }
    if docs and str(docs).strip() != desc["shortDescription"]["text"]:
        desc["fullDescription"] = {"text": str(docs).strip()}
    props = {k: v for k, v in (("dimension", dimension), ("standing", standing)) if v}
    if props:
        desc["properties"] = props
    return desc


def _rules(reviews: list[FormReview], help_base: str) -> list[dict[str, Any]]:
    rules: dict[str, dict[str, Any]] = {}
    for r in _registry():
        code = getattr(r, "code", None)
        if not code:
            continue
        rules[code] = rule_descriptor(
            code, getattr(r, "name", code), getattr(r, "severity", None),
            summary=rule_summary(r) or None, docs=rule_doc(r) or None,
            dimension=getattr(r, "dimension", None), standing=getattr(r, "standing", None), help_base=help_base,
        )
    for review in reviews:  # a finding whose rule is not in the registry still gets a descriptor
        for f in review.findings:
            if f.rule not in rules:
                rules[f.rule] = rule_descriptor(f.rule, f.name, f.severity, dimension=f.dimension,
                                                standing=f.standing, help_base=help_base)
    return [rules[k] for k in sorted(rules)]


def _logical_name(review: FormReview, f: Finding) -> tuple[str, str]:
    form_id = review.form.id
    t = f.target
    if t.kind == "indicator" and t.index is not None:
        fq = f"{form_id}/indicator[{t.index + 1}]"
        name = indicator_name(review, t.index) or f"indicator[{t.index + 1}]"
    elif t.kind in ("overall_goal", "annual_goal"):
        fq, name = f"{form_id}/{t.kind}", t.kind
    else:
        fq, name = form_id, review.form.project_name or form_id
    return name, fq


def _result(review: FormReview, f: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    text = f"{target_label(review, f.target)}: {f.message}"
    if f.suggestion:
        text += f" 建议: {f.suggestion}"
    name, fq = _logical_name(review, f)
    location: dict[str, Any] = {
        "logicalLocations": [{"name": name, "fullyQualifiedName": fq, "kind": "object"}],
    }
    uri = path_uri(source_of(review))
    if uri:
        phys: dict[str, Any] = {"artifactLocation": {"uri": uri}}
        line = (f.data or {}).get("line") if isinstance(f.data, dict) else None
        if isinstance(line, int) and line >= 1:
            phys["region"] = {"startLine": line}
        location["physicalLocation"] = phys
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": text},
        "locations": [location],
        "properties": {
            "form": review.form.id,
            "projectName": review.form.project_name,
            "target": {"kind": f.target.kind, "index": f.target.index},
            **({"suggestion": f.suggestion} if f.suggestion else {}),
            **({"dimension": f.dimension} if f.dimension else {}),
        },
    }
    if f.rule in rule_index:
        result["ruleIndex"] = rule_index[f.rule]
    if f.accepted:
        result["suppressions"] = [{"kind": "external", "justification": "accepted by a reviewer"}]
    return result


def to_dict(reviews: list[FormReview], errors: list[dict], *, help_base: str = "docs/rules/") -> dict[str, Any]:
    rules = _rules(reviews, help_base)
    rule_index = {r["id"]: i for i, r in enumerate(rules)}
    results = [_result(r, f, rule_index) for r in reviews for f in sorted(r.findings, key=sort_key)]
    notifications = []
    for e in (error_dict(x) for x in errors):
        n: dict[str, Any] = {"level": "error", "message": {"text": f"{e['path']}: {e['message']}"}}
        uri = path_uri(e["path"])
        if uri:
            n["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]
        notifications.append(n)
    return {
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "jixiao",
                        "version": _tool_version(),
                        "rules": rules,
                    }
                },
                "invocations": [
                    {"executionSuccessful": True, "toolExecutionNotifications": notifications}
                ],
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def write(reviews: list[FormReview], errors: list[dict], out: Any, *, help_base: str = "docs/rules/",
          **opts: Any) -> None:
    doc = to_dict(reviews, errors, help_base=help_base)
    with open_text(out) as f:
        json.dump(doc, f, ensure_ascii=False, indent=2, default=str)
        f.write("\n")
