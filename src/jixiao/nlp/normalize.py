"""Text normalisation for matching and embedding indicator texts.

* :func:`normalize_text` — full-width → half-width (NFKC), Chinese brackets/commas to ASCII,
  whitespace collapsed; the text stays readable (``工作人员 满意度（％）`` → ``工作人员 满意度(%)``).
* :func:`normalize_units` — unit spellings to one form (``百分比``/``百分率``/``％`` → ``%``,
  ``万兀`` → ``万元``, ``平米``/``平方米`` → ``㎡`` …) and numbers without thousands separators
  (``9,593,190.00`` → ``9593190``).
* :func:`normalize_indicator` — the key used to compare indicator names: NFKC, enumerators such as
  ``指标1:`` and ``★`` removed, trailing unit/value brackets ``(%)`` ``(≥**人)`` removed, no
  whitespace or punctuation.

Operators are mapped as in :func:`jixiao.values.normalise_text` (``≥`` → ``>=``).
"""

from __future__ import annotations

import re
import unicodedata

from jixiao.values import normalise_text

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "，": ",", "：": ":", "；": ";",
                           "“": '"', "”": '"', "‘": "'", "’": "'", "、": "、"})
_UNITS = [
    (re.compile(r"百分比|百分率|百分之|％|pct|percent", re.I), "%"),
    (re.compile(r"千分比|千分率"), "‰"),
    (re.compile(r"万兀"), "万元"),
    (re.compile(r"平方米|平米|m2|m²", re.I), "㎡"),
    (re.compile(r"平方公里|平方千米|km2|km²", re.I), "k㎡"),
    (re.compile(r"人/次|人次数"), "人次"),
]
_THOUSANDS = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+)(\.\d+)?(?![\d,])")
_TRAILING_ZEROS = re.compile(r"(\d+)\.0+(?!\d)")
#: list numbering and key-indicator marks that open an indicator name: ★ * # 指标1: 指标一、 1、 2. 3) (4)
#: 五、 — a digit after "." or ":" makes a decimal or a ratio (1.5万亩, 1:1配套), not numbering
_ENUMERATOR = re.compile(
    r"^(?:[★☆*＊#\s]+|指标\s*[\d一二三四五六七八九十]+\s*[:：.．、]?|\d+\s*(?:[、)）]|[.．:：](?!\d))"
    r"|[(（]\d+[)）]|[一二三四五六七八九十]+\s*[、.．])+"
)
_TAIL_PAREN = re.compile(r"\s*\((?:[^()]{0,20})\)\s*$")
_PUNCT = re.compile(r"[\s\"'`~!@#$^&_|\\;:,?、。，；：！？·…—\-\[\]{}《》「」『』]+|(?<!\d)\.|\.(?!\d)")


def normalize_text(text: str | None) -> str:
    """NFKC, Chinese brackets and commas to ASCII, runs of whitespace to one space, stripped."""
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    return re.sub(r"\s+", " ", s).strip()


def normalize_number(s: str) -> str:
    """Drop thousands separators and trailing ``.00``: ``9,593,190.00`` → ``9593190``."""
    s = _THOUSANDS.sub(lambda m: m.group(1).replace(",", "") + (m.group(2) or ""), s)
    return _TRAILING_ZEROS.sub(r"\1", s)


def normalize_units(text: str | None) -> str:
    """:func:`normalize_text`, then unit spellings unified and numbers normalised."""
    s = normalize_text(text)
    for pattern, repl in _UNITS:
        s = pattern.sub(repl, s)
    return normalize_number(s)


def normalize_value(raw: str | None) -> str:
    """A target value in one canonical spelling (operators ASCII, no spaces, units unified)."""
    return normalize_units(normalise_text(raw or ""))


def strip_enumerator(name: str | None) -> str:
    """The name without the list numbering and marks it opens with (``指标1:``, ``1、``, ``(2)``, ``★``):
    the one definition every indicator-name cleaner (classifier, retrieval, review) starts from."""
    return _ENUMERATOR.sub("", name or "")


def normalize_indicator(name: str | None) -> str:
    """Comparison key for an indicator name (see the module docstring)."""
    s = normalize_units(name)
    s = strip_enumerator(s)
    prev = None
    while prev != s:
        prev = s
        s = _TAIL_PAREN.sub("", s)
    return _PUNCT.sub("", s).lower()


__all__ = ["normalize_indicator", "normalize_number", "normalize_text", "normalize_units", "normalize_value",
           "strip_enumerator"]
