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

    errors: list[dict[str, str | None]] = []

    def read_all():
        for p in iter_paths(paths):
            try:
                yield from read_path(p)
            except InputError as exc:
                errors.append(exc.to_dict())
                print(str(exc), file=sys.stderr)

    if format is ParseFormat.json:
        _write_json(read_all(), errors, sys.stdout)
    else:
        forms = list(read_all())
        _print_tables(forms, errors)
    raise typer.Exit(1 if errors else 0)


def _write_json(forms, errors: list, out) -> None:
    """``json.dumps({"forms": [...], "errors": [...]}, ensure_ascii=False, indent=1)``, written form by
    form as the files are read, so that a batch of thousands is never held in memory (same bytes)."""
    out.write('{\n "forms": [')
    n = 0
    for form in forms:
        text = json.dumps(form.to_dict(), ensure_ascii=False, indent=1).replace("\n", "\n  ")
        out.write(("," if n else "") + "\n  " + text)  # JSON strings hold no raw newline: re-indenting is safe
        n += 1
    out.write(("\n ]" if n else "]") + ',\n "errors": ')
    out.write(json.dumps(errors, ensure_ascii=False, indent=1).replace("\n", "\n ") + "\n}\n")


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
