"""Spreadsheet-like inputs: xlsx (openpyxl, read-only) and CSV (csv module, encoding detected).

A 申报表 in a spreadsheet is a grid of cells; each sheet becomes rows of the shared row model
(:mod:`jixiao.readers.table`). Merged cells are filled from the merged range's top-left value
down the range's first column (so merged category labels repeat on every row they cover); cells
to the right of the first column of a merged range stay empty, so a name merged across two
columns is not mistaken for its own value.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from jixiao.errors import InputError
from jixiao.model import Form
from jixiao.readers.table import Rows, rows_to_forms

MAX_ROWS = 200_000
MAX_COLS = 200
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + (ord(ch) - 64)
    return n


def _merged_ranges(zf: zipfile.ZipFile, sheet_path: str) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of merged ranges, read from the sheet XML."""
    try:
        data = zf.read(sheet_path.lstrip("/"))
    except KeyError:
        return []
    out = []
    for m in _MERGE.finditer(data):
        c1, r1, c2, r2 = _col(m.group(1)), int(m.group(2)), _col(m.group(3)), int(m.group(4))
        out.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return out


def _fmt(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")  # type: ignore[union-attr]
    return str(v)


def xlsx_rows(path: Path, shown: str) -> list[tuple[str, Rows]]:
    """(sheet title, rows) for every worksheet. ``read_path`` has already checked the zip container."""
    from openpyxl import load_workbook

    fh = open(path, "rb")  # a file object: openpyxl would otherwise insist on the .xlsx extension
    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, EOFError) as exc:
        fh.close()
        raise InputError(shown, f"truncated or corrupt .xlsx ({type(exc).__name__}: {exc})") from None
    except BaseException:
        fh.close()
        raise
    sheets: list[tuple[str, Rows]] = []
    zf: zipfile.ZipFile | None = None  # opened once, for the merged ranges of every sheet
    try:
        for ws in wb.worksheets:
            grid: Rows = []
            for r, row in enumerate(ws.iter_rows(values_only=True)):
                if r >= MAX_ROWS:
                    raise InputError(shown, f"sheet {ws.title} has more than {MAX_ROWS} rows")
                grid.append([_fmt(v) for v in row[:MAX_COLS]])
            sheet_path = getattr(ws, "_worksheet_path", None)
            if sheet_path:
                if zf is None:
                    zf = zipfile.ZipFile(path)
                for r1, c1, r2, _c2 in _merged_ranges(zf, sheet_path):
                    if r1 - 1 >= len(grid):
                        continue
                    top = grid[r1 - 1][c1 - 1] if c1 - 1 < len(grid[r1 - 1]) else ""
                    for r in range(r1, min(r2, len(grid)) + 1):
                        row = grid[r - 1]
                        while len(row) < c1:
                            row.append("")
                        if not row[c1 - 1]:
                            row[c1 - 1] = top
            sheets.append((ws.title, grid))
    finally:
        if zf is not None:
            zf.close()
        wb.close()
        fh.close()
    return sheets


def read_xlsx(path: Path, shown: str) -> list[Form]:
    sheets = xlsx_rows(path, shown)
    forms: list[Form] = []
    errors: list[str] = []
    for title, rows in sheets:
        if not any(any(c.strip() for c in r) for r in rows):
            continue
        try:
            got = rows_to_forms(rows, shown, id_prefix=f"{path.stem}-{title}" if len(sheets) > 1 else None)
        except InputError as exc:
            errors.append(f"sheet {title}: {exc.message}")
            continue
        forms.extend(got)
    if not forms:
        raise InputError(shown, "; ".join(errors) if errors else "no indicator table found (all sheets empty)")
    for i, f in enumerate(forms):
        f.source.index = i
    if errors:
        forms[0].notes.append("other sheets skipped: " + "; ".join(errors))
    return forms


def csv_rows(text: str) -> Rows:
    text = text.lstrip("\ufeff")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
        delim = dialect.delimiter
    except csv.Error:
        delim = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    rows: Rows = []
    for i, row in enumerate(reader):
        if i >= MAX_ROWS:
            break
        rows.append(row[:MAX_COLS])
    return rows


def read_csv_text(text: str, shown: str | None = None) -> list[Form]:
    try:
        rows = csv_rows(text)
    except csv.Error as exc:
        raise InputError(shown, f"malformed CSV: {exc}") from None
    return rows_to_forms(rows, shown)
