"""Readers: whatever file a reviewer has → ``list[Form]``, or :class:`~jixiao.errors.InputError`.

``read_path(path)`` picks the format by CONTENT (zip members, ``%PDF`` magic, a leading ``{``/``[``)
as well as by extension; ``read_text(text)`` reads text already in memory. Every failure is an
``InputError`` whose message is one line naming the file. See ``docs/readers.md``.

One module per format: :mod:`~jixiao.readers.text` (tab-separated dumps),
:mod:`~jixiao.readers.tabular` (xlsx, csv), :mod:`~jixiao.readers.docx`, :mod:`~jixiao.readers.pdf`,
:mod:`~jixiao.readers.jsonfmt` (our own JSON), and ``jixiao.readers.cells`` (one cell per line or
``|``-separated web-page excerpts). Grid formats share one indicator-table state machine,
:mod:`~jixiao.readers.table`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from jixiao.errors import InputError
from jixiao.model import Form

SUPPORTED_SUFFIXES = (".txt", ".tsv", ".csv", ".xlsx", ".xlsm", ".docx", ".pdf", ".json", ".jsonl")
MAX_TEXT_BYTES = 20 * 1024 * 1024  # text, csv, json
MAX_BINARY_BYTES = 50 * 1024 * 1024  # xlsx, docx, pdf (compressed size on disk)

__all__ = ["SUPPORTED_SUFFIXES", "iter_paths", "read_path", "read_text", "sniff_format"]


@contextlib.contextmanager
def _reading(shown: str | None) -> Iterator[None]:
    """Turn any failure while reading into one :class:`InputError` naming the file."""
    try:
        yield
    except InputError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise InputError(shown, f"input too complex to read ({type(exc).__name__})") from None
    except OSError as exc:
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from None
    except Exception as exc:  # noqa: BLE001 - any library failure on bad input is an input error
        raise InputError(shown, f"cannot read: {type(exc).__name__}: {exc}") from None


def iter_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Expand arguments: a directory means every supported file below it (sorted, hidden skipped).

    Files named explicitly are yielded whatever their suffix (the format is detected by content);
    a path that does not exist is yielded too, so that reading it reports the error.
    """
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = [
                q for q in p.rglob("*")
                if q.is_file() and q.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in q.relative_to(p).parts)
            ]
            yield from sorted(found)
        else:
            yield p


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}" if n >= 10 * 1024 * 1024 else f"{n / (1024 * 1024):.1f}"


def sniff_format(head: bytes, suffix: str = "", zip_names: list[str] | None = None) -> str:
    """Format name from the first bytes (and zip member names): xlsx, docx, pdf, zip, ole, text."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        names = zip_names or []
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
        return "zip"
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return "text"


def read_path(path: str | os.PathLike) -> list[Form]:
    """Read one file into forms. Raises only :class:`InputError`; never modifies the file."""
    p = Path(path)
    shown = str(path)
    with _reading(shown):
        if not p.exists():
            raise InputError(shown, "no such file")
        if p.is_dir():
            raise InputError(shown, "is a directory (pass its files, or use iter_paths)")
        size = p.stat().st_size
        if size == 0:
            raise InputError(shown, "empty file")
        with open(p, "rb") as f:
            head = f.read(8)
        fmt = sniff_format(head)
        if fmt == "zip":
            from jixiao.readers.ziputil import member_names

            fmt = sniff_format(head, zip_names=member_names(p, shown))
        if fmt in ("xlsx", "docx", "pdf"):
            if size > MAX_BINARY_BYTES:
                raise InputError(shown, f"file too large ({_mb(size)} MB > {MAX_BINARY_BYTES // 2**20} MB)")
            if fmt == "xlsx":
                from jixiao.readers.tabular import read_xlsx

                return read_xlsx(p, shown)
            if fmt == "docx":
                from jixiao.readers.docx import read_docx

                return read_docx(p, shown)
            from jixiao.readers.pdf import read_pdf

            return read_pdf(p, shown)
        if fmt == "zip":
            raise InputError(shown, "zip archive that is neither .xlsx nor .docx")
        if fmt == "ole":
            raise InputError(shown, "legacy .xls/.doc (OLE) file is not supported; save it as .xlsx or .docx")
        if size > MAX_TEXT_BYTES:
            raise InputError(shown, f"file too large ({_mb(size)} MB > {MAX_TEXT_BYTES // 2**20} MB)")
        from jixiao.readers.encoding import decode_bytes

        text, _enc = decode_bytes(p.read_bytes(), shown)
        if p.suffix.lower() == ".csv":
            from jixiao.readers.tabular import read_csv_text

            return read_csv_text(text, shown)
        return read_text(text, shown)


def _looks_like_csv(text: str) -> bool:
    """Comma-separated rows (a CSV export saved under another name): most lines have 3+ commas, no tabs."""
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()][:40]
    if len(lines) < 3 or any("\t" in ln for ln in lines):
        return False
    return sum(1 for ln in lines if ln.count(",") >= 3) >= 0.6 * len(lines)


def _looks_like_cells(text: str) -> bool:
    """Web-page excerpts: many ``|`` per line, or one cell per line with almost no tabs."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return False
    tabbed = sum(1 for ln in lines if "\t" in ln)
    if tabbed >= max(3, len(lines) // 5):
        return False
    piped = sum(1 for ln in lines if ln.count("|") >= 2)
    if piped >= max(2, len(lines) // 10):
        return True
    return tabbed <= len(lines) // 20


def read_text(text: str, path: str | os.PathLike | None = None) -> list[Form]:
    """Read forms from text already in memory (JSON, tab-separated dump, or cell-per-line excerpt)."""
    shown = str(path) if path is not None else None
    with _reading(shown):
        if not text or not text.strip():
            raise InputError(shown, "empty file")
        if len(text) > MAX_TEXT_BYTES:
            raise InputError(shown, f"text too large ({_mb(len(text))} M characters > 20 M)")
        from jixiao.readers.encoding import looks_binary

        if looks_binary(text):
            raise InputError(shown, "binary file, not a form")
        stripped = text.lstrip("\ufeff \t\r\n")
        if stripped[:1] in ("{", "["):
            from jixiao.readers.jsonfmt import read_json_text

            return read_json_text(text, shown)
        if _looks_like_csv(text):
            from jixiao.readers.tabular import read_csv_text

            return read_csv_text(text, shown)
        if _looks_like_cells(text):
            from jixiao.readers.cells import read_cells_text

            return read_cells_text(text, shown)
        from jixiao.readers.text import read_tsv_text

        return read_tsv_text(text, shown)
