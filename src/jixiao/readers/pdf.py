"""PDF forms (pdfplumber, text layer only — scanned images are not OCR'd).

Each page's ruled tables are extracted as rows; a page without a detectable table contributes its
text lines (cells split on runs of 2+ spaces). A page boundary is an empty row, i.e. a page break
for the shared table state machine.
"""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.errors import InputError
from jixiao.model import Form
from jixiao.readers.table import Rows, rows_to_forms

MAX_PAGES = 500


def pdf_rows(path: Path, shown: str) -> Rows:
    import pdfplumber

    rows: Rows = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise InputError(shown, f"too many pages ({len(pdf.pages)} > {MAX_PAGES})")
            chars = 0
            for page in pdf.pages:
                tables = page.find_tables()
                if tables:
                    # text above the first table (titles, 项目名称 lines) then the tables
                    top = min(t.bbox[1] for t in tables)
                    above = page.crop((0, 0, page.width, max(top, 1))).extract_text() or ""
                    for line in above.splitlines():
                        if line.strip():
                            rows.append([c for c in re.split(r"\s{2,}", line.strip())])
                    for t in tables:
                        for r in t.extract():
                            rows.append([(c or "").replace("\n", "") for c in r])
                else:
                    text = page.extract_text() or ""
                    for line in text.splitlines():
                        if line.strip():
                            rows.append([c for c in re.split(r"\s{2,}|\t", line.strip())])
                chars += len(page.chars)
                rows.append([])
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types on corrupt input
        raise InputError(shown, f"cannot read PDF ({type(exc).__name__}: {exc})") from None
    if chars == 0:
        raise InputError(shown, "PDF has no text layer (scanned image?); OCR is not supported")
    return rows


def read_pdf(path: Path, shown: str) -> list[Form]:
    return rows_to_forms(pdf_rows(path, shown), shown)
