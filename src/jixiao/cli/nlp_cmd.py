"""``jixiao classify`` and ``jixiao similar``: the indicator classifier and corpus look-up."""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Annotated

import typer

from jixiao.cli.app import app


class Fmt(str, Enum):
    json = "json"
    table = "table"


def _fail(msg: str) -> int:
    typer.echo(f"jixiao: {msg}", err=True)
    return 2


def _names_from(names: list[str]) -> list[str]:
    if names == ["-"]:
        return [ln.strip() for ln in sys.stdin.read().splitlines() if ln.strip()]
    return [n for n in names if n.strip()]


@app.command("classify")
def classify_cmd(
    names: Annotated[list[str], typer.Argument(help="Indicator names, or - to read one name per line from stdin.")],
    value: Annotated[str | None, typer.Option("--value", "-v", help="Target value of the (single) name, e.g. '≥90(%)'.")] = None,
    cost_2021: Annotated[bool, typer.Option("--cost-2021", help="The form uses the 2021 cost sub-types.")] = False,
    fmt: Annotated[Fmt, typer.Option("--format", "-f", help="Output format.")] = Fmt.table,
) -> None:
    """Predict the level-2 category (二级指标) of indicator names, with calibrated confidence."""
    from jixiao.errors import JixiaoError
    from jixiao.nlp.classify import get_classifier

    items = _names_from(names)
    if not items:
        raise typer.Exit(_fail("no indicator names given"))
    if value is not None and len(items) != 1:
        raise typer.Exit(_fail("--value applies to a single name"))
    try:
        clf = get_classifier()
        preds = clf.predict(items, None if value is None else [value], cost_2021=cost_2021)
    except (JixiaoError, FileNotFoundError, ImportError) as exc:
        raise typer.Exit(_fail(" ".join(str(exc).split()))) from None
    out = [{"name": n, **p.to_dict()} for n, p in zip(items, preds)]
    if fmt is Fmt.json:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(show_header=True, header_style="bold")
    for col, just in (("name", "left"), ("level2", "left"), ("confidence", "right"), ("runner-up", "left")):
        t.add_column(col, justify=just)
    for d in out:
        ranked = sorted(d["scores"].items(), key=lambda kv: -kv[1])
        second = f"{ranked[1][0]} {ranked[1][1]:.2f}" if len(ranked) > 1 else ""
        t.add_row(d["name"], d["level2"], f"{d['confidence']:.2f}", second)
    Console().print(t)


@app.command("similar")
def similar_cmd(
    text: Annotated[str, typer.Argument(help="An indicator name (or any short text).")],
    k: Annotated[int, typer.Option("-k", "--top", min=1, help="Number of results.")] = 5,
    every: Annotated[bool, typer.Option("--all", help="List every occurrence, not one row per distinct name.")] = False,
    fmt: Annotated[Fmt, typer.Option("--format", "-f", help="Output format.")] = Fmt.table,
) -> None:
    """The corpus indicators whose names are closest in meaning to TEXT (embedding cosine)."""
    from jixiao.errors import JixiaoError

    try:
        hits = similar_indicators(text, k, distinct=not every)
    except (JixiaoError, FileNotFoundError, ImportError, OSError) as exc:
        raise typer.Exit(_fail(" ".join(str(exc).split()))) from None
    if fmt is Fmt.json:
        typer.echo(json.dumps(hits, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(show_header=True, header_style="bold")
    for col in ("similarity", "name", "level2", "value", "form", "project"):
        t.add_column(col, justify="right" if col == "similarity" else "left")
    for h in hits:
        t.add_row(f"{h['similarity']:.3f}", h["name"], h["level2"] or "", h["value"], h["form"], h["project_name"])
    Console().print(t)


def similar_indicators(text: str, k: int = 5, distinct: bool = True) -> list[dict]:
    """Top-``k`` corpus indicators by cosine similarity of their names to ``text``.

    Searched in the retrieval index (:func:`jixiao.suggest.index.load_index`, kind ``indicator``:
    the names as ``jixiao suggest`` sees them, without list numbering or ★), so only ``text`` is
    embedded. With ``distinct`` one row per distinct name (its first occurrence in corpus order) and
    ``occurrences`` says in how many places the corpus uses it; otherwise every (form, name).
    """
    from jixiao.nlp.embed import get_embedder
    from jixiao.suggest.index import load_index

    try:
        emb = get_embedder()
    except (ImportError, OSError, ValueError):
        raise
    except Exception as exc:  # tokenizers raises a bare Exception for a missing model file
        raise OSError(f"embedding model unavailable: {exc}") from exc
    index = load_index()
    meta = index.meta["indicator"]
    if not meta or k <= 0:
        return []
    # each row stands for the first row of its name (distinct) or of its (form, name)
    count: dict[str, int] = {}
    first: dict = {}
    lead: list[int] = []
    for r, m in enumerate(meta):
        name = (m.get("name_raw") or m["name"]).strip()
        count[name] = count.get(name, 0) + 1
        lead.append(first.setdefault(name if distinct else (m["form"], name), r))
    q = emb.encode([text])
    want = min(k, len(first))
    kk = min(len(meta), max(4 * k, 32))
    while True:
        picked: dict[int, float] = {}
        for r, sim in index.search(q, k=kk, kind="indicator")[0]:
            picked.setdefault(lead[r], sim)  # rows of one name share its vector: same cosine
            if len(picked) == want:
                break
        if len(picked) == want or kk >= len(meta):
            break
        kk = min(len(meta), 4 * kk)
    out = []
    for r, sim in picked.items():
        m = meta[r]
        name = m.get("name_raw") or m["name"]
        out.append({
            "name": name,
            "level2": m.get("level2"),
            "value": m.get("value"),
            "form": m["form"],
            "project_name": m.get("project_name"),
            "source_url": m.get("source_url"),
            "similarity": round(min(1.0, max(-1.0, float(sim))), 4),  # float16 vectors: |v| ≈ 1 ± 1e-4
            "occurrences": count[name.strip()],
        })
    return out
