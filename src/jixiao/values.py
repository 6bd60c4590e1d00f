"""Parse target values (指标值) into operator, number, unit and kind.

Handles what real forms print: ``=100.00(%)``, ``≥14500.00(人)``, ``＞＝95％``, ``>=1102人``,
``大于等于90%``, ``不超过10万元``, ``万元≤3584`` (unit-first split columns), ``≥98百分比``,
``±3%以内``, ``2023.07-2024.01``, ``5月31日前``, ``及时``, ``定性好`` and placeholders (``≥**人``).

Operator signs, words and suffixes are read from ``data/operators.toml`` (:func:`operators`, also used by
:mod:`jixiao.readers.cells`).

:func:`parse_value` never raises on any string; it returns a :class:`~jixiao.model.Value`.
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from jixiao.model import Value

_EMPTY = {"", "/", "-", "—", "--", "——", "无", "空", "暂无", "null", "none", "n/a", "na", "\\"}


@dataclass(frozen=True)
class Operators:
    """The operator vocabulary of ``data/operators.toml``."""

    symbols: tuple[tuple[str, str], ...]  # (printed, operator) in replacement order
    signs: str  # comparison signs NFKC leaves alone ("≧⩾≥≦⩽≤")
    reversed: tuple[str, ...]  # ASCII spellings written the wrong way round ("=>", "=<")
    words: tuple[tuple[str, tuple[str, ...]], ...]  # (operator, words longest first) in search order
    cell_words: tuple[str, ...]  # words that alone make an operator cell
    prose_words: tuple[str, ...]  # words that split notice prose "name不低于value"
    suffix: dict[str, tuple[str, ...]]  # ">=" / "<=" -> words after a number ("及以上", "以内")

    def word_pattern(self, words: tuple[str, ...] | list[str]) -> str:
        """Regex alternation of ``words``, longest first."""
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def operators() -> Operators:
    """Operator signs, words and suffixes, read once from ``data/operators.toml``."""
    with resources.files("jixiao.data").joinpath("operators.toml").open("rb") as f:
        d = tomllib.load(f)
    symbols = [(sign, op) for op, signs in d["signs"].items() for sign in signs]
    reversed_ = [(printed, op) for op, printed in d["reversed"].items()]
    symbols += reversed_
    symbols += [(printed, op) for op, printed in d["brackets"].items()]
    groups = d["group"]
    words = tuple(
        (g["op"], tuple(sorted(g["prose"] + g["cell"] + g["value"], key=len, reverse=True))) for g in groups
    )
    return Operators(
        symbols=tuple(symbols),
        signs="".join(sign for signs in d["signs"].values() for sign in signs),
        reversed=tuple(printed for printed, _ in reversed_),
        words=words,
        cell_words=tuple(w for g in groups for w in g["prose"] + g["cell"]),
        prose_words=tuple(w for g in groups for w in g["prose"]),
        suffix={op: tuple(ws) for op, ws in d["suffix"].items()},
    )


_OPERATORS = operators()
# Printed signs NFKC leaves alone, plus the reversed ASCII spellings and angle brackets (in this order).
_SYMBOLS = list(_OPERATORS.symbols)
_WORD_OPS = [(_OPERATORS.word_pattern(ws), op) for op, ws in _OPERATORS.words]
_SUFFIX_GE = re.compile(f"({_OPERATORS.word_pattern(_OPERATORS.suffix['>='])})$")
_SUFFIX_LE = re.compile(f"({_OPERATORS.word_pattern(_OPERATORS.suffix['<='])})$")
_PLACEHOLDER = re.compile(r"\*+|[xX]{2,}|＊|某|待定|TBD", re.I)
_DATE = re.compile(
    r"^(\d{4}\s*[年./\-]\s*\d{1,2}(\s*[月./\-]\s*\d{1,2}\s*日?)?\s*月?"
    r"|\d{4}\s*年(底|末|内|前)?"
    r"|\d{1,2}\s*月(\s*\d{1,2}\s*日)?"
    r"|(年底|年末|年内|月底|季度末|上半年|下半年))"
)
# "30日内", "2个工作日内": a deadline expressed as a duration is a ceiling
_WITHIN = re.compile(r"^(个)?(工作日|小时|分钟|天|日|周|月|年)内$")
_DATE_BEFORE = re.compile(r"(前|以前|之前|底前|底|末前|截止|完成)$")
_NUM = re.compile(r"(>=|<=|=|>|<)?\s*([+-]?\d[\d,，]*(?:\.\d+)?)")
_UNIT_ALIASES = {"百分比": "%", "百分率": "%", "％": "%", "pct": "%", "percent": "%", "万兀": "万元"}
_UNIT_OK = re.compile(r"^[%‰a-zA-Z\u4e00-\u9fff/·㎡㎞³²\s.]{1,10}$")


def normalise_text(raw: str) -> str:
    """Full-width to half-width (NFKC), operators to ASCII, whitespace removed."""
    s = unicodedata.normalize("NFKC", raw)
    for a, b in _SYMBOLS:
        s = s.replace(a, b)
    s = s.replace("（", "(").replace("）", ")").replace("，", ",")
    s = re.sub(r"\s+", "", s)
    return s


def _clean_unit(u: str) -> str | None:
    u = u.strip().strip("()[]{}【】")
    u = re.sub(r"^[(（]|[)）]$", "", u)
    u = _SUFFIX_GE.sub("", u)
    u = _SUFFIX_LE.sub("", u)
    u = re.sub(r"(左右|内)$", "", u)
    u = u.strip().strip("()")
    if not u:
        return None
    return _UNIT_ALIASES.get(u, u)


def _word_op(text: str) -> tuple[str | None, str]:
    """Find an operator written in words or symbols in ``text``; return it and the text without it."""
    for pattern, op in _WORD_OPS:
        m = re.search(pattern, text)
        if m:
            return op, text[: m.start()] + text[m.end():]
    return None, text


def parse_value(raw: str | None) -> Value:
    """Parse one printed target value. Never raises."""
    if raw is None:
        return Value(raw="", kind="empty")
    raw = str(raw)
    s = normalise_text(raw)
    s = re.sub(r"^(定量|定性)[:：]?", "", s) if len(s) > 2 else s
    if s.lower() in _EMPTY:
        return Value(raw=raw, kind="empty")

    if _PLACEHOLDER.search(s) and not re.search(r"\d", _PLACEHOLDER.sub("", s)):
        op, _ = _word_op(s)
        m = re.search(r"(>=|<=|=|>|<)", s)
        op = m.group(1) if m else op
        rest = re.sub(r"(>=|<=|=|>|<)|\*+|[xX]{2,}", "", s)
        return Value(raw=raw, op=op, unit=_clean_unit(rest), kind="empty")

    if _DATE.match(s):
        op = "<=" if _DATE_BEFORE.search(s) and not s.endswith("完成") else None
        if re.search(r"前$|以前$|之前$", s):
            op = "<="
        return Value(raw=raw, op=op, kind="date")

    m = _NUM.search(s)
    if not m:
        return Value(raw=raw, kind="qualitative")

    pre, rest = s[: m.start()], s[m.end():]
    op = m.group(1)
    number_txt = m.group(2).replace(",", "").replace("，", "")
    try:
        number = float(number_txt)
    except ValueError:
        return Value(raw=raw, kind="qualitative")
    if not math.isfinite(number):  # "9999…9" beyond float range is not a target
        return Value(raw=raw, kind="qualitative")

    # "±3%以内": a tolerance band, i.e. a ceiling on the deviation
    if pre.endswith("±") or pre.endswith("+-"):
        pre = pre.rstrip("±+-")
        op = op or "<="
    if op is None and pre:
        op, pre = _word_op(pre)
    if op is None and rest:
        if _SUFFIX_GE.search(rest):
            op = ">="
        elif _SUFFIX_LE.search(rest) or _WITHIN.match(rest):
            op = "<="
    # unit-first split columns ("万元≤3584", "人数≥80") and text around the number
    unit_txt = rest
    if not _clean_unit(rest) and pre and not re.search(r"\d", pre):
        unit_txt = pre
        pre = ""
    # a range such as "18—54周岁" or "2%-3%": keep the lower bound, no operator
    rng = re.match(r"^[-—~～至到]([\d.]+)(.*)$", unit_txt)
    if rng:
        unit_txt = rng.group(2)
    unit = _clean_unit(unit_txt)
    # long prose around a number is not a quantitative target ("确保12348热线正常运行")
    prose_pre = len(re.sub(r"[^\u4e00-\u9fff]", "", pre)) > 4
    long_unit = unit is not None and "/" not in unit and len(re.sub(r"[^\u4e00-\u9fff]", "", unit)) > 4
    if prose_pre or long_unit or (unit is not None and not _UNIT_OK.match(unit)) or (unit and len(unit) > 8):
        return Value(raw=raw, kind="qualitative")
    return Value(raw=raw, op=op, number=number, unit=unit, kind="quantitative")
