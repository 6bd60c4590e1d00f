"""Word documents (.docx, python-docx): the document's tables, in order, as rows.

Paragraphs between tables become one-cell rows (``项目名称：…`` lines and titles are read as header
facts). A cell merged horizontally appears once; a vertically merged category label repeats on
every row it covers. A document with no table raises ``InputError("no indicator table")``.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.errors import InputError
from jixiao.model import Form
from jixiao.readers.table import Rows, rows_to_forms


def docx_rows(path: Path, shown: str) -> tuple[Rows, int]:
    """(rows, number of tables). ``read_path`` has already checked the zip container (``member_names``)."""
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types on corrupt input
        raise InputError(shown, f"cannot open .docx ({type(exc).__name__}: {exc})") from None
    rows: Rows = []
    n_tables = 0
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, doc).text.strip()
            if text:
                parts = text.replace("：", ":", 1).split(":", 1) if text.startswith(("项目名称", "主管部门", "实施单位")) else [text]
                rows.append([p.strip() for p in parts])
        elif tag == "tbl":
            n_tables += 1
            table = Table(child, doc)
            for tr in table.rows:
                cells: list[str] = []
                prev = None
                for cell in tr.cells:
                    if prev is not None and cell._tc is prev:
                        cells.append("")  # the same cell spanning several grid columns
                        continue
                    prev = cell._tc
                    cells.append(cell.text.strip())
                rows.append(cells)
            rows.append([])
    return rows, n_tables


def read_docx(path: Path, shown: str) -> list[Form]:
    rows, n_tables = docx_rows(path, shown)
    if n_tables == 0:
        raise InputError(shown, "no indicator table (the document has no table)")
    return rows_to_forms(rows, shown)
