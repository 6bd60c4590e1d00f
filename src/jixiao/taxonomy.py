"""Indicator taxonomy: standard level-1/level-2 names and normalisation of printed labels.

The vocabulary lives in ``data/taxonomy.toml``; this module only applies it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
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


def level1_group(level2: str | None) -> str | None:
    """The level-1 group a level 2 belongs to for "is this another level 1?" questions: 产出, 效益 or
    满意度 (its parent), except that the legacy 成本指标 and the 2021 cost sub-types are one group, 成本."""
    if level2 in ("成本指标", *LEVEL2_COST_2021):
        return "成本"
    return parent_of(level2)


def uses_2021_cost(form) -> bool:
    """True when a form uses the 2021 template's cost block (a 成本指标 level 1 or a cost sub-type);
    False for the legacy layout, where 成本指标 is a level 2 under 产出指标."""
    for ind in getattr(form, "indicators", ()):
        if ind.level2 in LEVEL2_COST_2021 or (ind.level1 == "成本指标" and ind.level2 != "成本指标"):
            return True
        if ind.level1 == "成本指标" and (ind.level1_raw or "").startswith("成本"):
            return True
    return False


def other_template(label: str | None) -> str | None:
    """Name of the non-standard template a label belongs to (e.g. ``ndrc``), or None; the label may
    carry the usual 指标 suffix (``实施效果指标``, ``过程管理指标``)."""
    s = clean_label(label)
    bare = s[:-2] if s.endswith("指标") and len(s) > 2 else s
    for name, labels in _data()["other_templates"].items():
        if s in labels or bare in labels:
            return name
    return None


@dataclass(frozen=True)
class CategoryLabel:
    """What a printed category label names (see :func:`category_label`).

    ``level1`` / ``level2``: the standard names the label itself names (both for ``成本指标`` and
    ``满意度``, which are printed at either level); ``template``: the non-standard template a label
    such as ``决策`` belongs to (``other_templates`` in the data file); ``under``: the level 1 the
    label sits under (``level1``, else the parent of ``level2``, else ``效益指标`` for a compound
    such as ``社会、经济、生态效益指标``; None for a template label).
    """

    level1: str | None
    level2: str | None
    template: str | None
    under: str | None


_NUMBERING = re.compile(r"^[(（][一二三四五六七八九十\d]+[)）]")  # "（一）数量指标"
_GLOSS = re.compile(r"\(.*?\)|（.*?）")  # "时效指标(工期指标)", "成本指标(必填硬性指标)"
_DECORATED_MAX = 40  # decorated: a longer cell (as printed) is not a label
_LOOSE_MAX = 24  # loose: a longer cleaned label is not read as a 满意…指标 label


@lru_cache(maxsize=16384)
def category_label(text: str | None, *, decorated: bool = False, loose: bool = False) -> CategoryLabel | None:
    """The category a printed label names, or None when ``text`` is not a category label.

    This is the one place that decides "is this cell 产出指标 / 数量指标 / 效益指标 …?"; the table reader
    (:mod:`jixiao.readers.table`), the web-page reader (:mod:`jixiao.readers.cells`) and
    :func:`is_category_label` all call it. Always accepted (the strict core): after
    :func:`clean_label` (whitespace, weights such as ``(50分)`` / ``(40-50)分``, ``一、`` numbering,
    colons removed), an exact alias of ``[level1]`` / ``[level2]`` in ``data/taxonomy.toml``, or a
    label of ``[other_templates]`` (``决策``, ``过程管理`` …; ``template`` set, no level).

    The readers need different strictness, because they see different text:

    ``decorated`` (web-page text, :mod:`jixiao.readers.cells`): labels printed inside prose and
    bracket headings are also accepted, in cells of at most 40 characters: a ``（一）`` / ``(1)``
    numbering, ``【】[]*★`` marks, a trailing gloss (``时效指标(工期指标)``,
    ``成本指标(必填硬性指标)``: the part before the parentheses must end in 指标 and be an alias)
    and a compound effect heading ending in 效益指标 of at most 14 characters
    (``社会、经济、生态效益指标``: ``under`` 效益指标, no level 2).

    ``loose`` (grid tables, :mod:`jixiao.readers.table`): a cell of a category column is cleaned
    twice (stacked numbering ``1.一、质量指标``) and also read by its stem: up to 6 characters
    starting with 产出/效益/成本 name that level 1 (``产出值``, ``成本控制``, ``效益指`` cut by a
    page break), and a label of at most 24 characters ending in 指标 that contains 满意 names
    服务对象满意度指标 (``对象满意度指标``). A stem does not make a level-2 alias a level 1
    (``产出数量`` is 数量指标 only), and a cell holding 满意 is read as that level 2 or not at all
    (``满意``, ``满意度(%)`` are not labels). Web-page text is not read this way: its short cells
    (``成本控制率``) are as often indicator names.

    Neither (the default, :func:`is_category_label`): exact aliases and template labels only.
    """
    if not text or (decorated and len(text) > _DECORATED_MAX):
        return None
    s = clean_label(text)
    if decorated:
        s = _NUMBERING.sub("", s).strip("【】[]：:*★")
    if not s:
        return None
    template = other_template(s)  # cleans once more: "1、2、决策"
    if loose:
        s = clean_label(s)  # stacked numbering in grid cells: "1.一、质量指标"
    l1, l2 = lookup("level1", s), lookup("level2", s)
    if decorated and not (l1 or l2):
        base = _GLOSS.sub("", s)
        if base != s and base.endswith("指标"):
            l1, l2 = lookup("level1", base), lookup("level2", base)
        if not (l1 or l2 or template) and base.endswith("效益指标") and len(base) <= 14:
            return CategoryLabel(None, None, None, "效益指标")
    if loose:
        if l2 is None and "满意" in s and s.endswith("指标") and len(s) <= _LOOSE_MAX:
            l2 = "服务对象满意度指标"
        if l1 is None and l2 is None and "满意" not in s:
            l1 = next((std for std in LEVEL1 if s.startswith(std[:2]) and len(s) <= 6), None)
    if not (l1 or l2 or template):
        return None
    return CategoryLabel(l1, l2, template, l1 or parent_of(l2))


def is_category_label(text: str | None) -> bool:
    """True when ``text`` is itself a level-1 or level-2 name (exact alias after cleaning).

    Used by the review rule category-as-name on indicator names, so the strict form of
    :func:`category_label` (no stems, no decorations, template labels such as 决策 do not count).
    """
    lab = category_label(text)
    return lab is not None and (lab.level1 is not None or lab.level2 is not None)
