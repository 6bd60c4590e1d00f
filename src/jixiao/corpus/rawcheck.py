"""Compare the cells reader on the corpus raw excerpts with the hand transcriptions.

For each ``corpora/sources/shared-corpus/raw/NNN.txt`` the indicators parsed by
:func:`jixiao.readers.cells.read_cells_text` are compared with ``forms/NNN.json``. A transcribed row is
*matched* when some parsed row of the same file has the same level-3 name and the same value after
whitespace normalisation (all whitespace removed, NFKC). Category agreement (normalised level 2
equal) is reported separately for matched rows.

    .venv/bin/python -m jixiao.corpus.rawcheck [--write docs/corpus-parse.md]
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.errors import InputError
from jixiao.fsutil import atomic_write_text, repo_root
from jixiao.readers.cells import read_cells_text
from jixiao.taxonomy import normalise_level1, normalise_level2

CORPUS = Path("corpora/sources/shared-corpus")


def norm(s: str | None) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    return re.sub(r"[\s|]+", "", s)


@dataclass
class Miss:
    form: str
    level2: str
    name: str
    value: str
    reason: str


@dataclass
class FormResult:
    form: str
    rows: int
    matched: int
    category_ok: int
    parsed: int
    error: str | None = None
    project_ok: bool = False
    year_ok: bool = False
    misses: list[Miss] = field(default_factory=list)


@dataclass
class Result:
    forms: list[FormResult]
    parsed_rows: int = 0  # rows parsed from the distinct raw texts
    extra_rows: int = 0  # of those, rows that match no transcribed row of that text

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.forms)

    @property
    def matched(self) -> int:
        return sum(f.matched for f in self.forms)

    @property
    def category_ok(self) -> int:
        return sum(f.category_ok for f in self.forms)

    @property
    def figure(self) -> float:
        return self.matched / self.rows if self.rows else 0.0


def _reason(d: dict, row: dict, parsed_by_name: dict[str, list[str]], error: str | None) -> str:
    """One-line reason category for a missed row (from what was parsed and the transcription's notes)."""
    n = norm(row["level3"])
    notes = (d.get("notes") or "").lower()
    if any(norm(sc.get("text")) in (n, norm(row.get("value"))) for sc in d.get("split_cells") or []):
        return "cell split across the flattened text"
    if n in parsed_by_name:
        got = "; ".join(repr(v) for v in parsed_by_name[n][:2])
        return f"value not separated from the next cells (parsed {got})"
    if "scrambl" in notes:
        return "scrambled by text flattening (see transcription notes)"
    if "ocr" in notes or "garbled" in notes:
        return "OCR errors / garbled cells"
    if "without separators" in notes or "no separators" in notes or "flattened" in notes:
        return "flattened without cell separators: name not separable from neighbouring cells"
    if error:
        return "layout not supported (no indicator table recognised)"
    return "layout not supported"


def check(root: Path | None = None) -> Result:
    root = root or repo_root()
    base = root / CORPUS
    results: list[FormResult] = []
    texts: dict[str, list] = {}  # raw text -> [parsed rows, transcribed (name, value) of all its forms]
    for fp in sorted((base / "forms").glob("*.json")):
        stem = fp.stem
        d = json.loads(fp.read_text(encoding="utf-8"))
        rawp = base / "raw" / f"{stem}.txt"
        raw = rawp.read_text(encoding="utf-8")
        rows = d["indicators"]
        error = None
        try:
            forms = read_cells_text(raw, str(rawp.relative_to(root)))
        except InputError as e:
            forms, error = [], str(e)
        parsed = [i for f in forms for i in f.indicators]
        by_key: dict[tuple[str, str], list] = {}
        by_name: dict[str, list[str]] = {}
        for ind in parsed:
            by_key.setdefault((norm(ind.name), norm(ind.value.raw)), []).append(ind)
            by_name.setdefault(norm(ind.name), []).append(ind.value.raw)
        fr = FormResult(stem, len(rows), 0, 0, len(parsed), error)
        fr.project_ok = any(norm(f.project_name) == norm(d.get("project_name")) for f in forms)
        fr.year_ok = any(f.year == d.get("year") for f in forms)
        for r in rows:
            hits = by_key.get((norm(r["level3"]), norm(r.get("value"))))
            if hits:
                fr.matched += 1
                l1 = normalise_level1(r.get("level1"))
                want = normalise_level2(r.get("level2"), l1)
                if any(h.level2 == want for h in hits):
                    fr.category_ok += 1
            else:
                fr.misses.append(
                    Miss(stem, r.get("level2") or "", r["level3"], r.get("value") or "",
                         _reason(d, r, by_name, error))
                )
        results.append(fr)
        texts.setdefault(raw, [parsed, set()])[1].update(
            (norm(r["level3"]), norm(r.get("value"))) for r in rows
        )
    res = Result(results)
    for parsed, want in texts.values():
        res.parsed_rows += len(parsed)
        res.extra_rows += sum(1 for i in parsed if (norm(i.name), norm(i.value.raw)) not in want)
    return res


def render(res: Result) -> str:
    out = [
        "# Corpus parse check: raw excerpts vs transcriptions",
        "",
        "Generated by `.venv/bin/python -m jixiao.corpus.rawcheck --write docs/corpus-parse.md` on",
        "`corpora/sources/shared-corpus/` (61 raw excerpts, their `forms/NNN.json` transcriptions).",
        "Each `raw/NNN.txt` is parsed with `jixiao.readers.cells.read_cells_text`; a transcribed indicator row is",
        "**matched** when a parsed row of the same file has the same level-3 name and the same value after",
        "whitespace normalisation. *Category* counts matched rows whose normalised level 2 also agrees.",
        "*Parsed rows* counts every row read from the file (all forms on the page, e.g. 006/007 and 012/013",
        "share one page). A miss's reason is a category derived from what was parsed and from the",
        "transcription's own notes (which say where the source text is scrambled, OCR-damaged or flattened).",
        "The test `tests/test_cells.py::test_overall_figure_at_least_90_percent` recomputes the figure.",
        "",
        f"**Overall: {res.matched} / {res.rows} rows matched = {res.figure:.1%}**; "
        f"category agreement on matched rows: {res.category_ok} / {res.matched}. "
        f"Project name read as transcribed for {sum(f.project_ok for f in res.forms)} / {len(res.forms)} forms, "
        f"budget year for {sum(f.year_ok for f in res.forms)} / {len(res.forms)}.",
        "",
        f"The raw texts (pages shared by several forms counted once) give {res.parsed_rows} parsed rows, of which "
        f"{res.extra_rows} match no transcribed row: mis-split rows of the scrambled/flattened excerpts listed below, "
        "rows the transcription left out on purpose (cut-off or unreadable rows) and a few non-indicator rows "
        "read from text around the tables.",
        "",
        "| form | rows | matched | category ok | parsed rows | project name | year | note |",
        "|---|---:|---:|---:|---:|---|---|---|",
    ]
    for f in res.forms:
        yn = {True: "yes", False: "no"}
        out.append(
            f"| {f.form} | {f.rows} | {f.matched} | {f.category_ok} | {f.parsed} | {yn[f.project_ok]} | {yn[f.year_ok]} "
            f"| {f.error or ''} |"
        )
    out += [
        "",
        "## How the reader gets there",
        "",
        "- the table header (一级指标 | 二级指标 | 三级指标 | 指标值 …, synonyms in `src/jixiao/data/table_headers.toml`)",
        "  gives the roles of the columns after the name: value, 指标性质 (operator or 定性), unit, achieved value,",
        "  score/weight, description; only the planned value is kept and split value columns are joined in printed order;",
        "- category cells are recognised with the taxonomy and filled down; a row with fewer cells inherits the",
        "  missing leading categories; vertical (产/出/指/标) and wrapped (项目完成 / 指标) labels are joined;",
        "- the cells after a name are aligned to the header roles by a typed dynamic programme (an operator fits",
        "  指标性质, a bare number a score, a short word a unit), which absorbs the empty cells that flattening drops;",
        "- one-cell-per-line texts are read as a stream (rows end at the next name, category or `||||` marker);",
        "  side-by-side 中期/年度 groups keep the right-hand (annual) group;",
        "- rows flattened without any separator are cut at known labels, at values with units, at repeated",
        "  target/achieved pairs (`100%100%`) and at description openers (`反映…`).",
        "",
    ]
    misses = [m for f in res.forms for m in f.misses]
    out += ["", f"## Missed rows ({len(misses)})", "", "| form | level 2 | level 3 | value | reason |", "|---|---|---|---|---|"]
    for m in misses:
        cells = [m.form, m.level2, m.name, m.value, m.reason]
        out.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", metavar="PATH", help="write the markdown report to PATH")
    ap.add_argument("--misses", action="store_true", help="print every missed row")
    a = ap.parse_args(argv)
    res = check()
    print(
        f"matched {res.matched}/{res.rows} = {res.figure:.1%}; category ok {res.category_ok}/{res.matched}; "
        f"project name {sum(f.project_ok for f in res.forms)}/{len(res.forms)}, year {sum(f.year_ok for f in res.forms)}/{len(res.forms)}"
    )
    for f in res.forms:
        if f.matched < f.rows:
            print(f"  {f.form}: {f.matched}/{f.rows} (parsed {f.parsed}){' ' + f.error if f.error else ''}")
            if a.misses:
                for m in f.misses:
                    print(f"      - {m.name} | {m.value} | {m.reason}")
    if a.write:
        atomic_write_text(Path(a.write), render(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
