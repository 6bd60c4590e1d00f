"""``jixiao parse PATH... [--format json|table]``: read forms and print the canonical model.

JSON (default): ``{"forms": [Form.to_dict()...], "errors": [{"path", "message"}]}`` on stdout.
Exit status: 0 every file parsed, 1 some input failed (the rest are still printed; each error is
also one line on stderr), 2 usage errors.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path

import typer

from jixiao.cli.app import app


class ParseFormat(str, Enum):
    json = "json"
    table = "table"


@app.command("parse")
def parse(
    paths: list[Path] = typer.Argument(..., help="Files or directories (every supported file below it)."),
    format: ParseFormat = typer.Option(ParseFormat.json, "--format", "-f", help="json (default) or table."),
) -> None:
    """Read forms (txt/tsv, csv, xlsx, docx, pdf, json) and print them in the canonical model."""
    from jixiao.errors import InputError
    from jixiao.readers import iter_paths, read_path

    forms = []
    errors: list[dict[str, str | None]] = []
    for p in iter_paths(paths):
        try:
            forms.extend(read_path(p))
        except InputError as exc:
            errors.append(exc.to_dict())
            print(str(exc), file=sys.stderr)
    if format is ParseFormat.json:
        out = {"forms": [f.to_dict() for f in forms], "errors": errors}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    else:
        _print_tables(forms, errors)
    raise typer.Exit(1 if errors else 0)


def _print_tables(forms, errors) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    for f in forms:
        money = f.funds.total
        title = f"{f.project_name or '(no project name)'}  [{f.source.path or ''}#{(f.source.index or 0) + 1}]"
        t = Table(title=escape(title), show_lines=False)
        for col in ("一级指标", "二级指标", "三级指标", "指标值", "notes"):
            t.add_column(col, overflow="fold")
        for i in f.indicators:
            t.add_row(*(escape(x) for x in (i.level1 or "?", i.level2 or "?", i.name, i.value.raw, "; ".join(i.notes))))
        console.print(t)
        console.print(
            escape(f"  主管部门 {f.department or '-'} · 实施单位 {f.implementer or '-'} · "
            f"{f.period.start or '?'} – {f.period.end or '?'} · 资金总额 {money if money is not None else '-'} 元 · "
            f"{len(f.indicators)} indicators"
        ))
    for e in errors:
        console.print(f"[red]error[/red] {escape(str(e['path']))}: {escape(e['message'])}")
