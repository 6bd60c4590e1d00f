"""Header facts shared by the grid reader (:mod:`jixiao.readers.table`) and the text-cells reader
(:mod:`jixiao.readers.cells`).

* :func:`headers` reads ``data/table_headers.toml`` once: the column-header roles of indicator tables
  and the ``[labels]`` of the header fields (项目名称, 主管部门, 资金总额 …). Both readers recognise the
  field labels from this one list, each through its own comparison key and for the fields it reads.
* :func:`money` reads one printed amount of money into 元.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def headers() -> dict:
    """``data/table_headers.toml`` (read once)."""
    with resources.files("jixiao.data").joinpath("table_headers.toml").open("rb") as f:
        return tomllib.load(f)


def label_map(key: Callable[[str], str], kinds: dict[str, str] | Iterable[str]) -> dict[str, str]:
    """Comparison key of each header-field label -> field, for the ``[labels]`` fields a reader reads.

    ``kinds`` names those fields, or maps them to the reader's own field names (several data-file
    fields may map to one reader field). A label listed under two fields keeps the first.
    """
    rename = kinds if isinstance(kinds, dict) else {k: k for k in kinds}
    out: dict[str, str] = {}
    for kind, labels in headers()["labels"].items():
        if kind in rename:
            for lab in labels:
                k = key(lab)
                if k:
                    out.setdefault(k, rename[kind])
    return out


_AMOUNT = re.compile(r"^([+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+))(万元|万|元)?$")


def money(text: str | None, unit: str) -> float | None:
    """The amount of money printed in a header cell, in 元; None when the cell is not one amount.

    ``unit`` (``"元"`` or ``"万元"``) applies to a bare number; a unit printed after the number wins
    (``300万元``, ``5.8万``, ``5000元``). Whitespace and thousands separators (``,`` ``，``) are ignored.
    An amount converted from 万元 is rounded to fen (2 decimals).

    The readers pass different units for a bare number, each matching the inputs it was built on:

    * :mod:`~jixiao.readers.table` passes ``"万元"`` only when a funds row prints 万元 (``投入目标
      (万元) | 资金总额 | 3``), else ``"元"``: the seed forms print ``项目资金 (元) | 项目资金总额 |
      9,593,190.00``.
    * :mod:`~jixiao.readers.cells` always passes ``"万元"``: in the web-page excerpts of
      ``corpora/sources/shared-corpus/raw/`` the funds block is printed in 万元 (``项目资金(万元)``,
      ``单位:万元``), and some print no unit at all (024: ``年度资金总额: | 5.00``, stated as 5万元 in the
      text above). The exception seen is 044 (武汉市青山区), which prints ``2800000.0000`` with no unit
      and means 元; cells reads it as 280亿元. Telling the two apart would need the amount's size.
    """
    if not text:
        return None
    t = re.sub(r"\s+", "", text).replace("，", ",")
    m = _AMOUNT.match(t)
    if not m:
        return None
    v = float(m.group(1).replace(",", ""))
    printed = m.group(2)
    factor = 1 if (printed or unit) == "元" else 10000
    return v if factor == 1 else round(v * factor, 2)
