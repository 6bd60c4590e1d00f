"""``jixiao corpus build|stats|report``: regenerate, count and report on the corpus of past forms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli.app import corpus_app
from jixiao.errors import JixiaoError


@corpus_app.command("build")
def build_cmd(
    no_index: Annotated[bool, typer.Option("--no-index", help="Do not rebuild the suggestion index.")] = False,
    corpora: Annotated[Path | None, typer.Option("--corpora", help="corpora folder (default: the checkout's corpora/)")] = None,
) -> None:
    """Regenerate corpora/forms.jsonl from corpora/sources/ (and the suggestion index corpora/index/)."""
    from jixiao.corpus import corpora_dir
    from jixiao.corpus.build import build

    root = corpora or corpora_dir()
    if not (root / "sources").is_dir():
        raise typer.Exit(_fail(f"{root}: no sources/ folder to build the corpus from"))
    try:
        out, forms = build(root)
    except JixiaoError as exc:
        raise typer.Exit(_fail(str(exc))) from None
    n_ind = sum(len(f.indicators) for f in forms)
    typer.echo(f"{out}: {len(forms)} forms, {n_ind} indicators")
    if no_index:
        return
    try:
        from jixiao.suggest.index import build_index
    except ImportError as exc:
        typer.echo(f"suggestion index not built (jixiao.suggest.index unavailable: {exc})", err=True)
        return
    index_dir = root / "index"
    try:
        build_index(forms, index_dir)
    except (JixiaoError, OSError, ValueError) as exc:
        raise typer.Exit(_fail(f"{index_dir}: suggestion index not built: {' '.join(str(exc).split())}")) from None
    typer.echo(f"{index_dir}: suggestion index rebuilt ({len(forms)} forms)")


def _table(title: str, counts: dict[str, int]) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title, show_header=True, header_style="bold")
    t.add_column(title)
    t.add_column("n", justify="right")
    for k, v in counts.items():
        t.add_row(k, str(v))
    Console().print(t)


@corpus_app.command("stats")
def stats_cmd(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    corpus: Annotated[Path | None, typer.Option("--corpus", help="forms.jsonl to count (default: corpora/forms.jsonl)")] = None,
) -> None:
    """Counts by province, year, kind/template, sector and category (plus labels that did not normalise)."""
    from jixiao.corpus import load_corpus
    from jixiao.research.stats import corpus_counts

    if fmt not in ("table", "json"):
        raise typer.BadParameter("--format must be table or json")
    try:
        forms = load_corpus(corpus)
    except (OSError, ValueError) as exc:
        raise typer.Exit(_fail(f"{corpus or 'corpora/forms.jsonl'}: cannot read corpus: {exc}")) from None
    counts = corpus_counts(forms)
    if fmt == "json":
        typer.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{counts['forms']} forms, {counts['indicators']} indicators")
    for key, title in (
        ("province", "province"), ("year", "year"), ("kind", "kind"), ("template", "template"),
        ("sector", "sector"), ("value_kind", "value kind"), ("level1", "level1"), ("level2", "level2"),
        ("level1_unmapped", "level1 printed labels not normalised"),
        ("level2_unmapped", "level2 printed labels not normalised"),
    ):
        if counts[key]:
            _table(title, counts[key])


def _fail(msg: str) -> int:
    typer.echo(f"error: {msg}", err=True)
    return 1


@corpus_app.command("report")
def report_cmd(
    paths: Annotated[list[Path] | None, typer.Argument(help="Form files/folders to report on (default: the corpus).")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder for report.html and the CSV tables.")] = Path("out/corpus-report"),
) -> None:
    """Write a self-contained HTML report (plots embedded) and the statistics tables as CSV."""
    try:
        from jixiao.research.report import write_report
    except ImportError as exc:
        raise typer.Exit(_fail(f"the report needs the research extra (pip install 'jixiao[research]'): {exc}")) from None
    try:
        html = write_report(out, paths=[str(p) for p in paths] if paths else None)
    except JixiaoError as exc:
        raise typer.Exit(_fail(str(exc))) from None
    typer.echo(f"report written to {html}")
