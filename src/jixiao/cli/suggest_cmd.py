"""``jixiao suggest``: measurable rewrites of one indicator, or an indicator set for a new project.

    jixiao suggest 办公用房安全性 --value 提升 --level2 社会效益指标
    jixiao suggest --project 智慧法院运维 [--goal TEXT] [--forms 5]

JSON for a rewrite: ``{"input": {...}, "suggestions": [{"name", "value", "level2", "reason",
"source": {"form", "project_name", "source_url", ...} | null, "similarity", ...}]}``.
JSON for a set: ``{"input", "forms": [similar forms], "indicators": {level1: {level2: [...]}}}``.
"""

from __future__ import annotations

import json
import sys
from enum import Enum

import typer

from jixiao.cli.app import app


class SuggestFormat(str, Enum):
    json = "json"
    text = "text"


@app.command("suggest")
def suggest(
    name: str = typer.Argument(None, help="Indicator name (三级指标) to rewrite."),
    value: str = typer.Option(None, "--value", "-v", help="Its target value as printed (提升, =100(%), …)."),
    level2: str = typer.Option(None, "--level2", "-c", help="Its level-2 category (质量指标, 社会效益指标 …)."),
    k: int = typer.Option(3, "-k", min=1, max=20, help="How many suggestions."),
    project: str = typer.Option(None, "--project", "-p", help="Project name: recommend a whole indicator set."),
    goal: str = typer.Option(None, "--goal", "-g", help="Goal text (with or instead of --project)."),
    forms: int = typer.Option(5, "--forms", min=1, max=50, help="Similar past forms used for a set."),
    format: SuggestFormat = typer.Option(SuggestFormat.json, "--format", "-f", help="json (default) or text."),
) -> None:
    """Suggest measurable rewrites of an indicator (with their sources), or an indicator set for a project."""
    from jixiao.model import Indicator, Value
    from jixiao.taxonomy import normalise_level2, parent_of

    if project or goal:
        if name:
            raise typer.BadParameter("give either an indicator NAME or --project/--goal, not both")
        from jixiao.suggest import suggest_set

        res = suggest_set(project_name=project, goal=goal, k_forms=forms)
        if format is SuggestFormat.json:
            sys.stdout.write(json.dumps(res.to_dict(), ensure_ascii=False, indent=1) + "\n")
        else:
            sys.stdout.write(res.as_text() + "\n")
        return
    if not name:
        raise typer.BadParameter("give an indicator NAME, or --project/--goal for a whole set")
    l2 = normalise_level2(level2) if level2 else None
    if level2 and l2 is None:
        raise typer.BadParameter(f"unknown level-2 category {level2!r}")
    ind = Indicator(name=name, value=Value.parse(value), level1=parent_of(l2), level2=l2)
    from jixiao.suggest import diagnose, suggest_rewrites

    sugg = suggest_rewrites(ind, None, k=k)
    code, why = diagnose(ind)
    if format is SuggestFormat.json:
        out = {
            "input": {"name": name, "value": value, "level2": l2, "weakness": code, "why": why},
            "suggestions": [s.to_dict() for s in sugg],
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(f"{name} {value or ''}：{why}\n")
        for n, s in enumerate(sugg, 1):
            sys.stdout.write(f"{n}. {s.as_text()}\n")
