"""The typer application object; command modules register themselves on it."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="jixiao",
    help="jixiao (绩效): offline review of budget performance-goal forms (绩效目标表).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
corpus_app = typer.Typer(help="Build, inspect and report on the corpus of past forms.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
