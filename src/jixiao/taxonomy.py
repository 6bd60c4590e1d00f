"""Indicator taxonomy: standard level-1/level-2 names and normalisation of printed labels.

The vocabulary lives in ``data/taxonomy.toml``; this module only applies it.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
LEVEL2_STANDARD = (
    "数量指标", "质量指标", "时效指标", "成本指标",
    "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标",
    "服务对象满意度指标",
)
LEVEL2_COST_2021 = ("经济成本指标", "社会成本指标", "生态环境成本指标")
LEVEL2 = LEVEL2_STANDARD + LEVEL2_COST_2021

_WEIGHT = re.compile(r"[(（]\s*[\d.\-—~～]+\s*分?\s*[)）]\s*分?|\d+\s*分$")


@lru_cache(maxsize=1)
def _data() -> dict:
    with resources.files("jixiao.data").joinpath("taxonomy.toml").open("rb") as f:
        return tomllib.load(f)


def clean_label(label: str | None) -> str:
    """Remove whitespace, weight annotations ("(10分)", "(0-20)分") and numbering from a label."""
    if not label:
        return ""
    s = re.sub(r"\s+", "", str(label))
    s = _WEIGHT.sub("", s)
    s = re.sub(r"^[\d一二三四五六七八九十]+[、.．]", "", s)
    return s.strip("：:")


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for kind in ("level1", "level2"):
        index = out[kind] = {}
        for std, aliases in _data()[kind].items():
            for a in aliases:
                index.setdefault(a, std)
    return out


def lookup(kind: str, label: str) -> str | None:
    """Standard name whose alias list (``kind`` = "level1" or "level2") holds ``label`` exactly, or None.

    ``label`` is compared as given (already cleaned); no stem or 满意 fallback as in ``normalise_*``.
    """
    return _alias_index()[kind].get(label)


def aliases(kind: str) -> tuple[str, ...]:
    """Every printed alias of ``kind`` ("level1" or "level2") in data-file order."""
    return tuple(_alias_index()[kind])


def normalise_level1(label: str | None) -> str | None:
    """Map a printed level-1 label to 产出指标/效益指标/满意度指标/成本指标, or None."""
    s = clean_label(label)
    if not s:
        return None
    hit = lookup("level1", s)
    if hit:
        return hit
    for std in LEVEL1:  # prefixes such as 产出指标(40-50)分 already stripped; fall back to a stem match
        if s.startswith(std[:2]) and len(s) <= 6:
            return std
    return None


def normalise_level2(label: str | None, level1: str | None = None) -> str | None:
    """Map a printed level-2 label to a standard name (``产出数量`` → ``数量指标``), or None.

    ``满意度指标`` printed as a level-2 label means 服务对象满意度指标. ``成本指标`` under a 2021-style
    level-1 成本指标 stays 成本指标 (the sub-type is unknown).
    """
    s = clean_label(label)
    if not s:
        return None
    hit = lookup("level2", s)
    if hit:
        return hit
    if "满意" in s:
        return "服务对象满意度指标"
    return None


def parent_of(level2: str | None) -> str | None:
    if not level2:
        return None
    return _data()["parent"].get(level2)


def other_template(label: str | None) -> str | None:
    """Name of the non-standard template a label belongs to (e.g. ``ndrc``), or None."""
    s = clean_label(label)
    for name, labels in _data()["other_templates"].items():
        if s in labels:
            return name
    return None


def is_category_label(text: str | None) -> bool:
    """True when ``text`` is itself a category name (used to spot labels in table cells)."""
    s = clean_label(text)
    return bool(s) and (lookup("level1", s) is not None or lookup("level2", s) is not None)
