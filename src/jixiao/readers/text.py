"""Tab-separated text dumps of forms (the seed's layout): one row per line, cells split on tabs.

Several forms per file are split on their ``项目名称`` rows; everything else is the shared row
model of :mod:`jixiao.readers.table`.
"""

from __future__ import annotations

from jixiao.model import Form
from jixiao.readers.table import Rows, rows_to_forms


def text_to_rows(text: str) -> Rows:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    rows: Rows = []
    for line in text.split("\n"):
        if not line.strip():
            rows.append([])
        else:
            rows.append(line.split("\t"))
    return rows


def read_tsv_text(text: str, path: str | None = None) -> list[Form]:
    return rows_to_forms(text_to_rows(text), path)
