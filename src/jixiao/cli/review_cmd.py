"""``jixiao review`` and ``jixiao rules``.

Exit codes of ``jixiao review``:

- 0: every input was read and reviewed (findings do not change the exit code …)
- 1: … unless ``--fail-on`` is given and a finding at or above that severity is open; also 1 when
  some input could not be read (the readable ones are still reviewed and reported)
- 2: usage error (bad option, ``xlsx`` without ``-o``, missing ``--config`` or ``--baseline`` file)

Only typer is imported at module level; readers, the review engine and the report writers are
imported when a command runs. ``--jobs N`` reviews in N worker processes
(:func:`jixiao.review.engine.review_chunks`); files are still read here, in order, and the reviews and
error lines come back in input order, so the report and the exit code do not depend on N.
"""

from __future__ import annotations

import io
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from jixiao.cli.app import app


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    xlsx = "xlsx"
    html = "html"
    sarif = "sarif"


class ListFormat(str, Enum):
    text = "text"
    json = "json"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class XlsxLayout(str, Enum):
    single = "single"
    per_form = "per-form"


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out += [x.strip() for x in v.split(",") if x.strip()]
    return out


def _usage(message: str) -> typer.Exit:
    typer.echo(f"jixiao review: {message}", err=True)
    return typer.Exit(2)


def _unknown_rules(patterns: list[str]) -> list[str]:
    """Patterns (codes, code prefixes, names) that match no rule: a typo must not silently pass."""
    if not patterns:
        return []
    from jixiao.review.config import rule_matches
    from jixiao.review.rules import all_rules

    rules = list(all_rules())
    return [p for p in patterns if not any(rule_matches(p, r) for r in rules)]


def _check_overwrite(paths: list[Path], targets: dict[str, Path | None]) -> None:
    """Inputs are never modified: refuse an output that is an input file, or an existing file inside
    an input folder that is not an earlier jixiao report (that one is skipped as input and replaced)."""
    from jixiao.review.report import is_report

    files = {p.resolve() for p in paths if p.is_file()}
    dirs = [p.resolve() for p in paths if p.is_dir()]
    for opt, target in targets.items():
        if target is None:
            continue
        t = target.resolve()
        if t in files:
            raise _usage(f"{opt} {target}: that is an input file; inputs are never overwritten")
        if t.is_file() and any(t.is_relative_to(d) for d in dirs) and not is_report(t):
            raise _usage(f"{opt} {target}: an input folder holds this file and it is not a jixiao report; "
                         "refusing to overwrite it")


def expand_paths(paths: list[Path]) -> list[Path | tuple[Path, str]]:
    """Files to read, in order: directories are walked recursively for form files.

    A path that does not exist, or a directory with no form file in it, becomes ``(path, message)``.
    """
    from jixiao.readers import iter_paths  # the readers' own notion of "a form file"

    out: list[Path | tuple[Path, str]] = []
    for p in paths:
        if not p.exists():
            out.append((p, "no such file or directory"))
        elif p.is_dir():
            files = list(iter_paths([p]))
            if not files:
                out.append((p, "no form files found in this directory"))
            out += files
        else:
            out.append(p)
    return out


CHUNK = 8  # forms sent to a worker process at a time (--jobs > 1)


def resolve_jobs(jobs: int) -> int:
    """``--jobs``: 0 means one worker per CPU; 1 (the default) reviews in this process."""
    if jobs < 0:
        raise _usage(f"--jobs {jobs}: must be 0 (one per CPU) or more")
    return jobs or os.cpu_count() or 1


def collect_forms(paths: list[Path], *, progress: bool | None = None, config: Any = None,
                  skip: list[Path] | None = None, jobs: int = 1, slim: bool = False):
    """Read and review every input; returns ``(reviews, errors)``. Bad inputs are reported, not fatal.

    Files in ``skip`` (this run's own report and baseline files) are left out of directory walks, so
    that re-running into the same folder does not review last run's report. Files are read here, in
    order; ``jobs > 1`` reviews their forms in that many worker processes
    (:func:`jixiao.review.engine.review_chunks`), with the reviews and error messages still in input
    order. ``slim`` keeps only each form's :class:`~jixiao.review.findings.FormHead` in the reviews
    (enough for the json, text and sarif reports and for baselines).
    """
    from jixiao.errors import InputError
    from jixiao.readers import read_path
    from jixiao.review.engine import ReviewFailure, review_chunks
    from jixiao.review.report.progress import track

    items: list[Path | tuple[Path, str]] = []
    seen: set[Path] = set()
    for i in expand_paths(paths):  # a file named twice (or inside a named folder too) is read once
        key = i[0] if isinstance(i, tuple) else i
        if key.resolve() not in seen:
            seen.add(key.resolve())
            items.append(i)
    if skip:
        own = {p.resolve() for p in skip}
        explicit = {p.resolve() for p in paths}
        items = [i for i in items if isinstance(i, tuple) or i.resolve() not in own or i.resolve() in explicit]
    reviews = []
    errors: list[dict[str, Any]] = []

    def fail(path: Path | str, message: str) -> None:
        message = " ".join(str(message).split())
        errors.append({"path": str(path), "message": message})
        typer.echo(f"jixiao: {path}: {message}", err=True)

    def chunks():
        """((item, error or None, last chunk of the item?), forms or None) in input order."""
        for item in items:
            if isinstance(item, tuple):
                yield (item[0], item[1], True), None
                continue
            try:
                forms = read_path(item)
            except InputError as e:
                yield (e.path or item, e.message, True), None
                continue
            except Exception as e:  # a reader bug must not sink the batch; it is still an error (exit 1)
                yield (item, f"unexpected {type(e).__name__}: {e}", True), None
                continue
            if not forms:
                yield (item, "no form found in this file", True), None
                continue
            for j in range(0, len(forms), CHUNK):
                yield (item, None, j + CHUNK >= len(forms)), forms[j:j + CHUNK]

    def files_done():
        """Takes the results in, once per input item (for the progress bar)."""
        for (item, error, last), results in review_chunks(chunks(), config, jobs=jobs, slim=slim):
            if error is not None:
                fail(item, error)
            for r in results or ():
                if isinstance(r, ReviewFailure):
                    fail(item, f"form {r.form_id or '?'}: review failed: {r.error}")
                else:
                    reviews.append(r)
            if last:
                yield item

    for _ in track(files_done(), total=len(items), description="审核中", enabled=progress):
        pass
    return reviews, errors


@app.command("review")
def review(
    paths: list[Path] = typer.Argument(..., help="Form files or directories (searched recursively).",
                                       show_default=False),
    fmt: ReportFormat = typer.Option(ReportFormat.text, "--format", "-f", help="Report format."),
    output: Path | None = typer.Option(None, "--output", "-o",
                                       help="Write the report to this file (atomically); default or \"-\": stdout. "
                                            "Required for xlsx."),
    select: list[str] | None = typer.Option(None, "--select", help="Only these rules: codes, code prefixes or "
                                            "names, comma-separated (replaces the config's select)."),
    ignore: list[str] | None = typer.Option(None, "--ignore", help="Skip these rules (added to the config's ignore)."),
    config: Path | None = typer.Option(None, "--config", help="Configuration file (jixiao.toml or pyproject.toml); "
                                       "default: the nearest one from the current directory."),
    baseline: Path | None = typer.Option(None, "--baseline", help="Hide findings recorded in this baseline file."),
    write_baseline: Path | None = typer.Option(None, "--write-baseline",
                                               help="Record today's open findings in this baseline file."),
    fail_on: FailOn | None = typer.Option(None, "--fail-on", help="Exit 1 when an open finding of this "
                                          "severity or worse is reported."),
    progress: bool | None = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr "
                                         "(default: only when stderr is a terminal)."),
    xlsx_layout: XlsxLayout = typer.Option(XlsxLayout.single, "--xlsx-layout",
                                           help="xlsx: one working sheet for all forms, or one sheet per form."),
    jobs: int = typer.Option(1, "--jobs", "-j", help="Review in this many worker processes (0 = one per CPU). "
                             "The report is the same whatever the number."),
) -> None:
    """Review forms against the rules, score them, and write a report (text, json, xlsx, html, sarif).

    --jobs N reviews the forms in N worker processes (0 = one per CPU); the report, the error lines and the exit code are those of --jobs 1.

    Exit codes: 0 = every input was read (findings alone do not fail the run); 1 = some input could not be read, or --fail-on was triggered; 2 = usage error. Formats: docs/reports.md.
    """
    fmt_name = fmt.value
    jobs = resolve_jobs(jobs)
    if output is not None and str(output) == "-":  # conventional "stdout"
        output = None
    if fmt_name == "xlsx" and output is None:
        raise _usage("--format xlsx needs -o FILE (a binary workbook is not written to the terminal)")
    if output is not None and output.is_dir():
        raise _usage(f"-o {output}: is a directory")

    from jixiao.errors import InputError
    from jixiao.review import load_config

    try:
        cfg = load_config(config) if config else load_config()
    except InputError as e:
        raise _usage(f"--config: {e}") from None
    except OSError as e:
        raise _usage(f"--config {config}: {e.strerror or e}") from None
    sel, ign = _split(select), _split(ignore)
    unknown = _unknown_rules(sel + ign)
    if unknown:
        raise _usage(f"no rule matches {', '.join(unknown)} (see `jixiao rules`)")
    if sel:
        cfg.select = sel
    if ign:
        cfg.ignore = list(cfg.ignore) + ign
    known = None  # the baseline's fingerprints: read (and checked) once, before the (possibly long) review
    if baseline is not None:
        from jixiao.review.baseline import read_baseline

        try:
            known = read_baseline(baseline)
        except InputError as e:
            raise _usage(f"--baseline: {e}") from None
        except OSError as e:
            raise _usage(f"--baseline {baseline}: {e.strerror or e}") from None

    _check_overwrite(paths, {"-o": output, "--write-baseline": write_baseline})
    own_files = [p for p in (output, baseline, write_baseline) if p is not None]
    # the html and xlsx reports print each form; the others need only its id, name, source and indicator names
    reviews, errors = collect_forms(paths, progress=progress, config=cfg, skip=own_files, jobs=jobs,
                                    slim=fmt_name not in ("html", "xlsx"))

    if write_baseline is not None:
        from jixiao.review.baseline import write_baseline as _write_baseline

        try:
            n = _write_baseline(reviews, write_baseline)
        except OSError as e:
            typer.echo(f"jixiao review: cannot write {write_baseline}: {e.strerror or e}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"jixiao: baseline of {n} findings written to {write_baseline}", err=True)
    if known is not None:
        from jixiao.review.baseline import apply_baseline

        apply_baseline(reviews, known)

    from jixiao.review.report import get_writer

    opts: dict[str, Any] = {}
    if fmt_name == "xlsx":
        opts["layout"] = xlsx_layout.value
    writer = get_writer(fmt_name)
    try:
        if output is None and fmt_name == "text":
            writer(reviews, errors, sys.stdout, **opts)
            sys.stdout.flush()
        elif output is None and not hasattr(sys.stdout, "buffer"):  # a wrapped stdout: use it as it is
            writer(reviews, errors, sys.stdout, **opts)
        elif output is None:  # json/html/sarif are UTF-8 whatever the console's encoding
            sys.stdout.flush()
            stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
            try:
                writer(reviews, errors, stream, **opts)
                stream.flush()
            finally:
                stream.detach()
        else:
            writer(reviews, errors, os.fspath(output), **opts)
    except BrokenPipeError:  # `jixiao review … | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(1) from None
    except OSError as e:
        typer.echo(f"jixiao review: cannot write {output}: {e.strerror or e}", err=True)
        raise typer.Exit(1) from None
    if output is not None:
        typer.echo(f"jixiao: {len(reviews)} forms reviewed, report written to {output}", err=True)

    code = 1 if errors else 0
    if fail_on is not None:
        from jixiao.review.report._common import SEVERITY_RANK

        limit = SEVERITY_RANK[fail_on.value]
        if any(not f.accepted and SEVERITY_RANK.get(f.severity, 9) <= limit for r in reviews for f in r.findings):
            code = 1
    raise typer.Exit(code)


def _rule_rows() -> list[dict[str, Any]]:
    from jixiao.review.docs import page_name
    from jixiao.review.report._common import rule_summary
    from jixiao.review.rules import all_rules

    rows = []
    for r in all_rules():
        summary = rule_summary(r)
        rows.append({
            "code": r.code,
            "name": r.name,
            "severity": getattr(r, "severity", None),
            "dimension": getattr(r, "dimension", None),
            "standing": getattr(r, "standing", None),
            "summary": summary,
            "docs": f"docs/rules/{page_name(r)}",
        })
    return rows


@app.command("rules")
def rules(
    fmt: ListFormat = typer.Option(ListFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """List the review rules: code, name, default severity, score dimension, standing, summary."""
    rows = _rule_rows()
    if fmt is ListFormat.json:
        import json

        typer.echo(json.dumps({"rules": rows}, ensure_ascii=False, indent=2))
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    if console.width >= 110:
        table = Table(title=f"jixiao review rules ({len(rows)})", title_justify="left", box=box.SIMPLE_HEAD)
        for col in ("code", "name", "severity", "dimension", "standing"):
            table.add_column(col, no_wrap=True)
        table.add_column("summary", ratio=1, min_width=30)
        for r in rows:
            table.add_row(*(Text(str(r[k] or "")) for k in ("code", "name", "severity", "dimension", "standing",
                                                            "summary")))
        console.print(table)
        return
    # narrow terminal: one block per rule, the summary wrapped under it
    from jixiao.review.report.text_report import wrap_cells

    lines = [Text(f"jixiao review rules ({len(rows)})", style="bold")]
    for r in rows:
        head = Text()
        head.append(r["code"], style="bold")
        head.append(f"  {r['name']}  {r['severity']}  {r['dimension']}  {r['standing']}")
        lines.append(head)
        lines += [Text("      " + ln) for ln in wrap_cells(r["summary"], console.width - 7)]
    console.print(Text("\n").join(lines), no_wrap=True, overflow="ellipsis")
