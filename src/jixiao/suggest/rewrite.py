"""Rewrite suggestions: measurable forms for a weak indicator, from real past forms.

    >>> from jixiao.model import Indicator, Value
    >>> from jixiao.suggest import suggest_rewrites
    >>> ind = Indicator("办公用房安全性", Value.parse("提升"), "效益指标", "社会效益指标")
    >>> for s in suggest_rewrites(ind):                       # doctest: +SKIP
    ...     print(s.as_text())

Method (details and evaluation in ``docs/suggestions.md``):

1. **Why it is weak**: :func:`diagnose` names the defect (vague qualitative value, completion rate
   instead of a quantity, "及时" without a deadline, missing unit …) from the vocabularies in
   ``data/suggestion_templates.toml``; a vague value is the review's
   (:func:`jixiao.review.text.is_vague_value`, ``data/review_vocab.toml [vague_value]``).
2. **Category**: the indicator's own level-2 category, unless it has none or the classifier
   (:func:`jixiao.nlp.classify.get_classifier`) confidently puts it in another level-1 group.
3. **Neighbours**: the nearest indicator names in the retrieval index (:mod:`jixiao.suggest.index`),
   excluding the indicator's own form, kept only when they are measurable (operator + number +
   unit), not weak themselves, in the same category and about the same object (they share a
   content word with the original, or are within the embedder's calibrated ``related`` distance).
   Near-identical neighbours are merged; their numbers give the suggested value (median and range,
   or the single source's value), and the suggestion cites the closest one.
4. **Templates**: measurable patterns per category from ``data/suggestion_templates.toml``, offered
   when triggered by the original name, with the original's object filled in; ``source`` is None and
   the reason says 模板.

Nothing is invented: a suggestion either cites a corpus form (id, project name, URL or file) or is
marked as a template.
"""

from __future__ import annotations

import re
import statistics
import tomllib
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from jixiao.model import Form, Indicator, Value
from jixiao.review.text import is_vague_value
from jixiao.suggest.index import clean_name
from jixiao.taxonomy import level1_group, parent_of
from jixiao.values import parse_value

OP_SYMBOL = {"=": "=", ">=": "≥", "<=": "≤", ">": ">", "<": "<"}
#: how many index neighbours are examined per indicator
N_NEIGHBOURS = 60
#: classifier confidence above which a category in another level-1 group is treated as wrong
RECATEGORISE_CONFIDENCE = 0.8
#: ... and for moving a 及时 value / on-time rate to 时效指标, where the classifier agrees
TIMELINESS_CONFIDENCE = 0.5
#: preference for a cited corpus indicator over a template of the same score
CORPUS_BONUS = 0.03
#: bonus per content word shared with the original (corpus) or trigger word found in it (template), max 2
WORD_BONUS = 0.1
#: bonus for a suggestion that contains the original's object (空调维修 in 空调维修台数)
OBJECT_BONUS = 0.04
#: a template offered for any indicator of its category (no trigger word) is a fallback
GENERIC_PENALTY = 0.15
#: another project's deadline is a pattern, not a value: ranked a little lower
DEADLINE_PENALTY = 0.05
#: level-2 names that are interchangeable for suggestions (legacy 成本指标 vs the 2021 sub-type)
_COMPATIBLE = {"成本指标": {"成本指标", "经济成本指标"}, "经济成本指标": {"成本指标", "经济成本指标"}}
_COUNT_UNITS = {"台", "套", "个", "次", "人", "人次", "件", "场", "期", "份", "本", "条", "项", "户", "家",
                "所", "辆", "课时", "平方米", "㎡", "公里", "km", "米", "亩", "万件", "批次", "批", "种"}


# -- data ------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with resources.files("jixiao.data").joinpath("suggestion_templates.toml").open("rb") as f:
        return tomllib.load(f)


def _norm(s: str | None) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    return re.sub(r"\s+", "", s)


# -- the suggestion ----------------------------------------------------------------------------------
@dataclass
class Suggestion:
    """One proposed measurable indicator.

    ``source`` is ``{"form", "project_name", "source_url", "file"}`` of the corpus form it was taken
    from, or None for a template (then ``reason`` says 模板). ``similarity`` is the cosine between
    the original name and the suggested name. ``support`` lists the corpus indicators whose values
    gave the suggested number.
    """

    name: str
    value: str
    level2: str | None
    reason: str
    source: dict[str, Any] | None
    similarity: float
    level1: str | None = None
    basis: str = "corpus"  # "corpus" or "template"
    weakness: str | None = None  # defect code of the original indicator
    support: list[dict[str, Any]] = field(default_factory=list)
    score: float = 0.0
    how: str = ""  # how the suggestion and its value were obtained (the reason without the "why weak" part)
    template_ref: str | None = None  # full reference of a template

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["similarity"] = round(float(self.similarity), 4)
        d["score"] = round(float(self.score), 4)
        return d

    @property
    def measurable(self) -> bool:
        """True when the value has an operator, a number and a unit (or is a dated deadline)."""
        v = parse_value(self.value)
        if v.kind == "date":
            return not re.search(r"[Xx]", self.value)
        return v.kind == "quantitative" and v.number is not None and bool(v.unit)

    def cite(self) -> str:
        if not self.source:
            return "模板（无出处）"
        s = self.source
        where = s.get("source_url") or s.get("file") or ""
        return f"{s.get('form')}《{s.get('project_name')}》{(' ' + where) if where else ''}"

    def as_text(self) -> str:
        """One line for a review finding: the rewrite, how it was obtained and its source."""
        cat = f"［{self.level2}］" if self.level2 else ""
        how = self.how or self.reason
        return f"可改为「{self.name} {self.value}」{cat}：{how}；出处：{self.cite()}"


# -- diagnosis -----------------------------------------------------------------------------------
def _is_vague_value(raw: str) -> bool:
    """The review's definition and word list (:func:`jixiao.review.text.is_vague_value`,
    ``data/review_vocab.toml [vague_value]``): one notion of a vague value for review and suggestions."""
    return is_vague_value(raw)


def diagnose(ind: Indicator) -> tuple[str | None, str]:
    """(defect code, one-line reason in Chinese) for an indicator; code None when not weak."""
    w = _data()["weakness"]
    name = _norm(ind.name)
    v = ind.value if isinstance(ind.value, Value) else parse_value(str(ind.value))
    raw = _norm(v.raw)
    if any(name.endswith(e) or e in name for e in w["execution"]):
        return "execution", "这是预算执行/资金管理事项，不是产出或效果，建议改为反映实际产出或效果的指标（R19）"
    if v.kind == "empty":
        return "empty", "未填写可考核的指标值（R12）"
    if v.kind == "qualitative":
        if raw in {_norm(t) for t in w["timeliness_values"]} or (ind.level2 == "时效指标" and "及时" in raw):
            return "no_deadline", f"只写「{v.raw.strip()}」，没有完成期限或时限标准，无法考核（R23）"
        if _is_vague_value(raw):
            return "vague", f"定性值「{v.raw.strip()}」含糊，没有可核验的标准（R16）"
        return "qualitative", f"定性值「{v.raw.strip()}」没有分级标准，建议量化（R16/R17）"
    if v.kind == "quantitative":
        full = v.number is not None and abs(v.number - 100) < 1e-9 and (v.unit in ("%", None))
        # an on-time rate (…及时完成率, …按时完成率) is a timeliness statement before it is a completion rate
        if full and (any(name.endswith(e) for e in w["timeliness_rate"]) or ("及时" in name and name.endswith("率"))):
            return "timeliness_rate", "及时率=100% 没有给出时限标准（多长时间内算及时），建议写明时限或完成日期（R23）"
        if full and any(name.endswith(e) for e in w["completion_rate"]):
            return "completion_rate", "完成率=100% 只说明按计划完成，不反映实际数量（R18），建议写明绝对数量"
        if not v.unit:
            return "no_unit", "定量值缺少计量单位（R13）"
        return None, "原指标已可量化；以下为语料中相近的可考核写法，供参考"
    return None, "原指标为日期型；以下为语料中相近的可考核写法，供参考"


def is_weak(ind: Indicator) -> bool:
    return diagnose(ind)[0] is not None


# -- objects and key words -----------------------------------------------------------------------
@lru_cache(maxsize=4096)
def object_of(name: str) -> str:
    """The object of an indicator name: the name without its evaluative ending."""
    s = _norm(name)
    s = clean_name(s)
    s = re.sub(r"[(（][^)）]*[)）]$", "", s)
    sufs = sorted(_data()["object"]["suffixes"] + _data()["object"]["trailing"], key=len, reverse=True)
    for _ in range(4):
        for suf in sufs:
            if s.endswith(suf) and len(s) >= len(suf) + 2:
                s = s[: -len(suf)]
                break
        else:
            break
        s = s.rstrip("的之及与和、")
    for lead in sorted(_data()["object"]["leading"], key=len, reverse=True):
        if s.startswith(lead) and len(s) >= len(lead) + 2:
            s = s[len(lead):]
            break
    # any remaining rate ending (突发事件及时处理率 -> 突发事件)
    m = re.match(r"^(.{2,}?)(及时)?[\u4e00-\u9fff]{0,2}率$", s)
    if m:
        s = m.group(1)
    return s


@lru_cache(maxsize=8192)
def key_words(name: str) -> frozenset[str]:
    """Content words of a name (segmented with jixiao.nlp.segment, generic words removed)."""
    from jixiao.nlp.segment import cut

    generic = set(_data()["object"]["generic_words"])
    words = set()
    for w in cut(_norm(name)):
        w = w.strip()
        if len(w) >= 3 and w[-1] in "性率":  # 安全性 -> 安全, 覆盖率 -> 覆盖
            w = w[:-1]
        if len(w) < 2 or w in generic or re.fullmatch(r"[\d.%()（）:：、，,]+", w):
            continue
        words.add(w)
    return frozenset(words)


@lru_cache(maxsize=8192)
def _tokens(name: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each segmented word of a name."""
    from jixiao.nlp.segment import cut

    pos, out = 0, []
    s = _norm(name)
    for w in cut(s):
        i = s.find(w, pos)
        if i < 0:
            continue
        out.append((i, i + len(w)))
        pos = i + len(w)
    return tuple(out)


def _occurs(word: str, name: str) -> bool:
    """``word`` occurs in ``name`` as a word or as a word-sized part of one: 安全 in 安全事故发生次数
    (the rest, 事故, is a word), 用房 in 办公用房; not 务工 in 考务工作 (crosses words) nor 信息 in
    信息化 (the rest, 化, is only a suffix)."""
    s = _norm(name)
    toks = _tokens(name)
    starts = {a for a, _ in toks}
    ends = {b for _, b in toks}
    i = s.find(word)
    while i >= 0:
        j = i + len(word)
        if i in starts and j in ends:
            return True
        for a, b in toks:
            if a <= i and j <= b and (i == a or j == b):
                rest = (b - j) if i == a else (i - a)
                if rest >= 2:
                    return True
        i = s.find(word, i + 1)
    return False


def shared_words(a: str, b: str) -> frozenset[str]:
    """Content words of one name that occur in the other (either direction, at a word boundary)."""
    return frozenset({w for w in key_words(a) if _occurs(w, b)} | {w for w in key_words(b) if _occurs(w, a)})


def join_words(a: str, b: str) -> str:
    """``a + b`` without repeating a word at the seam: 信息发布 + 发布时限 -> 信息发布时限."""
    for n in range(min(len(a), len(b)), 1, -1):
        if a.endswith(b[:n]):
            return a + b[n:]
    return a + b


def _respondent(name: str) -> str:
    s = _norm(name)
    m = re.match(r"^(.+?)(对.+)?(满意度|满意率)$", s)
    if m and m.group(1) and m.group(1) not in {"满意度", "服务"}:
        return m.group(1)
    return "服务对象"


# -- values --------------------------------------------------------------------------------------
def format_value(op: str | None, number: float | None, unit: str | None) -> str:
    sym = OP_SYMBOL.get(op or "=", "=")
    if number is None:
        num = "N"
    elif abs(number - round(number)) < 1e-9:
        num = str(int(round(number)))
    else:
        num = f"{number:g}"
    return f"{sym}{num}({unit})" if unit else f"{sym}{num}"


def _is_deadline(m: dict[str, Any]) -> bool:
    """A dated target (2023年6月30日前), not a period (2021.1.1-12.31) or an undated word."""
    v = _norm(m.get("value"))
    if m.get("value_kind") != "date" or not re.search(r"\d", v):
        return False
    is_range = bool(re.search(r"[—~～至到]", v)) or ("-" in v and not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", v))
    return not is_range


def plausible(name: str, number: float | None, unit: str | None) -> bool:
    """False for values that cannot be right as printed: a rate, share or satisfaction above 100%."""
    if number is None:
        return True
    if unit == "%" and number > 100 and re.search(r"(率|度|比例|占比)$", _norm(name)):
        return False
    return True


def _measurable_meta(m: dict[str, Any]) -> bool:
    if _is_deadline(m):
        return True
    if not plausible(m.get("name") or "", m.get("number"), m.get("unit")):
        return False
    if m.get("value_kind") != "quantitative" or m.get("number") is None or not m.get("unit"):
        return False
    if abs(m["number"]) > 1e8:
        return False
    return True


@lru_cache(maxsize=8192)
def _weak_name_value(name: str, raw: str, level2: str | None) -> bool:
    return is_weak(Indicator(name=name, value=parse_value(raw), level2=level2))


_ROW_KEYS = ("name", "value", "value_kind", "number", "unit", "level2")  # all that _usable_candidate reads


def _usable_candidate(m: dict[str, Any]) -> bool:
    """A corpus row fit to be proposed (measurable, plausible, a proper name, not itself weak)."""
    return _usable_row(tuple(m.get(k) for k in _ROW_KEYS))


@lru_cache(maxsize=65536)  # asked for every neighbour of every query: cached by the row's content
def _usable_row(row: tuple) -> bool:
    m = dict(zip(_ROW_KEYS, row))
    name = m.get("name") or ""
    if not _measurable_meta(m):
        return False
    if len(name) > 24 or len(name) < 3 or re.search(r"\*|＊|某|XX|(19|20)\d\d年", name):
        return False
    # a plan written into the table ("上半年完成宣传片制作;下半年完成实施方案") is not an indicator to copy
    value = m.get("value") or ""
    if len(value) > 30 or re.search(r"[;；。]", name + value):
        return False
    if _weak_name_value(name, m.get("value") or "", m.get("level2")):
        return False
    return True


def _same_category(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    return a == b or b in _COMPATIBLE.get(a, ())


def _source_of(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "form": m.get("form"),
        "project_name": m.get("project_name"),
        "source_url": m.get("source_url"),
        "file": m.get("source_path"),
        "indicator": m.get("name_raw") or m.get("name"),
        "value": m.get("value"),
        "region": m.get("region"),
        "year": m.get("year"),
    }


# -- category ------------------------------------------------------------------------------------
def _classifier():
    try:
        from jixiao.nlp.classify import get_classifier
    except ImportError:
        return None
    from jixiao.errors import InputError

    try:
        return get_classifier()
    except (FileNotFoundError, OSError, InputError):  # model not shipped yet: keep the form's own categories
        return None


def target_categories(inds: list[Indicator]) -> list[tuple[str | None, str | None]]:
    """(level2 to suggest in, note) for each indicator: its own category unless missing or clearly wrong."""
    clf = _classifier()
    preds = None
    if clf is not None and inds:
        preds = clf.predict([i.name for i in inds], [i.value.raw if i.value else None for i in inds])
    out = []
    for n, ind in enumerate(inds):
        own = ind.level2
        p = preds[n] if preds is not None else None
        if own is None:
            if p is not None:
                out.append((p.level2, f"原指标未写二级类别，按分类器归为{p.level2}"))
            else:
                out.append((None, None))
            continue
        code = diagnose(ind)[0]
        # a "及时" value or an on-time rate is a timeliness statement: the classifier needs less
        # confidence to move it to 时效指标
        timely = p is not None and p.level2 == "时效指标" and code in ("no_deadline", "timeliness_rate")
        need = TIMELINESS_CONFIDENCE if timely else RECATEGORISE_CONFIDENCE
        # inside one level-1 group (社会效益 / 可持续影响, 数量 / 质量) the categories are conventions
        # that regions file differently: the drafter's choice stands unless it is a timeliness statement
        if (
            p is not None
            and code != "completion_rate"  # R18: the rewrite is a quantity, stays in 数量指标
            and p.confidence >= need
            and not _same_category(own, p.level2)
            and (timely or level1_group(own) != level1_group(p.level2))
        ):
            out.append((p.level2, f"原类别「{own}」疑应为「{p.level2}」（分类器置信度 {p.confidence:.2f}）"))
            continue
        out.append((own, None))
    return out


# -- candidates from the corpus ------------------------------------------------------------------
def _thresholds(emb) -> dict[str, float]:
    t = dict(getattr(emb, "thresholds", {}) or {})
    t.setdefault("related", 0.8)
    t.setdefault("duplicate", 0.95)
    return t


#: weaknesses for which the original name is kept and only a value is proposed (see value_endings)
_VALUE_ONLY = ("empty", "no_unit", "vague", "qualitative")
#: how many same-ending neighbours give the median value
N_VALUE_NEIGHBOURS = 7


def value_ending(name: str) -> str | None:
    """The rate / time-limit ending of a name (合格率, 满意度, 响应时间 …) or None."""
    s = _norm(name)
    for e in sorted(_data()["object"]["value_endings"], key=len, reverse=True):
        if s.endswith(e):
            return e
    return None


def _value_only_suggestion(ind: Indicator, level2: str | None, hits, index, code: str | None) -> Suggestion | None:
    """Keep the name, take the value from same-category corpus indicators with the same ending."""
    if code not in _VALUE_ONLY or level2 is None:
        return None
    ending = value_ending(ind.name)
    if not ending:
        return None
    meta = index.meta["indicator"]
    members = []
    for row, sim in hits:
        m = meta[row]
        if (_usable_candidate(m) and not _is_deadline(m) and _same_category(level2, m.get("level2"))
                and _norm(m["name"]).endswith(ending)):
            members.append((sim, m))
        if len(members) >= N_VALUE_NEIGHBOURS:
            break
    if not members:
        return None
    units = [m.get("unit") for _, m in members]
    unit = max(set(units), key=lambda u: (units.count(u), u == members[0][1].get("unit")))
    members = [(sim, m) for sim, m in members if m.get("unit") == unit]
    nums = [m["number"] for _, m in members]
    ops = [m.get("op") or "=" for _, m in members]
    op = max(set(ops), key=lambda o: (ops.count(o), o == ops[0]))
    med = statistics.median(nums)
    lead = members[0][1]
    if len(members) > 1:
        how = (f"沿用原指标名称；数值取 {len(members)} 条同类（…{ending}）指标的中位数 {format_value(None, med, None)[1:]}"
               f"（范围 {format_value(None, min(nums), None)[1:]}–{format_value(None, max(nums), None)[1:]}）")
    else:
        how = f"沿用原指标名称；数值取自同类（…{ending}）指标「{lead['name']} {lead.get('value')}」"
    s = Suggestion(
        name=clean_name(ind.name), value=format_value(op, med, unit), level2=level2, level1=parent_of(level2),
        reason=how, source=_source_of(lead), similarity=1.0, basis="corpus",
        support=[{"form": m["form"], "project_name": m["project_name"], "name": m["name"], "value": m["value"]}
                 for _, m in members],
        score=1.0 + 2 * WORD_BONUS,
    )
    s._members = []  # type: ignore[attr-defined]
    return s


_PAREN_UNIT = re.compile(r"[(（]\s*([^()（）\d]{1,4})\s*[)）]\s*$")


def unit_from_name(name: str) -> tuple[str, str | None]:
    """(name without a trailing unit in brackets, the unit) — 开展小型水利工程建设(个) -> (…, 个);
    else the unit implied by the name's ending (…学时 -> 学时, …比例 -> %), or None."""
    s = _norm(name)
    m = _PAREN_UNIT.search(s)
    if m:
        return s[: m.start()], _UNIT_ALIASES.get(m.group(1), m.group(1))
    for ending, unit in _data()["object"]["ending_units"].items():
        if s.endswith(ending):
            return s, unit
    return s, None


_UNIT_ALIASES = {"％": "%", "百分比": "%"}


def _unit_fix_suggestion(ind: Indicator, level2: str | None, code: str | None) -> Suggestion | None:
    """A number without a unit: the same target with the unit the name states (R13)."""
    v = ind.value
    if code != "no_unit" or v.number is None:
        return None
    name, unit = unit_from_name(clean_name(ind.name))
    if not unit or not plausible(name, v.number, unit) or (unit == "%" and v.number > 100):
        return None
    return Suggestion(
        name=name, value=format_value(v.op or "=", v.number, unit), level2=level2, level1=parent_of(level2),
        reason=f"模板（参考 review-rules.md R13）：原数值补上指标名称所示的单位「{unit}」",
        source=None, similarity=1.0, basis="template", score=1.0 + 2 * WORD_BONUS, template_ref="R13",
    )


def _close(thr: dict[str, float]) -> float:
    """A "very close" cosine: halfway between the embedder's related and duplicate thresholds."""
    return (thr["related"] + thr["duplicate"]) / 2


def _corpus_suggestions(
    ind: Indicator, level2: str | None, qvec: np.ndarray, hits: list[tuple[int, float]], index, emb_thr
) -> list[Suggestion]:
    meta = index.meta["indicator"]
    own_obj = object_of(ind.name)
    own_name = _norm(ind.name)
    cands = []
    for row, sim in hits:
        m = meta[row]
        if not _usable_candidate(m):
            continue
        if level2 is not None and not _same_category(level2, m.get("level2")):
            continue
        if _norm(m["name"]) == own_name and _norm(m.get("value")) == _norm(ind.value.raw):
            continue
        shared = shared_words(ind.name, m["name"])
        contains_obj = bool(own_obj) and len(own_obj) >= 2 and own_obj in m["name"]
        # about the same object: a shared content word; without one, only a very close name when the
        # original names no object of its own (验收合格率) or is a satisfaction indicator (whose object
        # is the respondent: 干警满意度 ~ 工作人员满意度)
        if not shared and not contains_obj:
            loose = not key_words(ind.name) or level2 == "服务对象满意度指标"
            if not (loose and sim >= _close(emb_thr)):
                continue
        score = sim + WORD_BONUS * min(len(shared), 2) + (OBJECT_BONUS if contains_obj else 0.0)
        cands.append((score, sim, row, m, shared))
    if not cands:
        return []
    cands.sort(key=lambda t: (-t[0], t[2]))
    # merge near-identical neighbours (same name, or vectors within the duplicate threshold)
    vecs = index.vectors["indicator"]
    groups: list[list[tuple]] = []
    for c in cands:
        for g in groups:
            lead = g[0]
            same_unit = (lead[3].get("unit") or "") == (c[3].get("unit") or "") and not _is_deadline(c[3])
            near = _norm(lead[3]["name"]) == _norm(c[3]["name"]) or float(vecs[lead[2]] @ vecs[c[2]]) >= emb_thr["duplicate"]
            if near and same_unit:
                g.append(c)
                break
        else:
            groups.append([c])
    out = []
    for g in groups:
        score, sim, row, m, shared = g[0]
        if _is_deadline(m):
            out.append(
                Suggestion(
                    name=m["name"], value=m.get("value") or "", level2=m.get("level2"),
                    level1=m.get("level1") or parent_of(m.get("level2")),
                    reason="以完成日期表达时效（取自该出处，日期按本项目计划调整）"
                    + ("；共同对象：" + "、".join(sorted(shared)[:3]) if shared else ""),
                    source=_source_of(m), similarity=float(sim), basis="corpus",
                    support=[{"form": m["form"], "project_name": m["project_name"], "name": m["name"], "value": m["value"]}],
                    score=float(score) - DEADLINE_PENALTY,
                )
            )
            continue
        nums = [x[3]["number"] for x in g]
        ops = [x[3].get("op") or "=" for x in g]
        op = max(set(ops), key=lambda o: (ops.count(o), o == (m.get("op") or "=")))
        forms = {x[3]["form"] for x in g}
        unit = m.get("unit")
        if len(g) >= 2 and len(forms) >= 2:
            med = statistics.median(nums)
            lo, hi = min(nums), max(nums)
            value = format_value(op, med, unit)
            how = f"中位数 {format_value(None, med, None)[1:]}（{len(g)} 条相似指标，范围 {format_value(None, lo, None)[1:]}–{format_value(None, hi, None)[1:]}）"
        else:
            value = format_value(m.get("op") or "=", m["number"], unit)
            how = f"取自该出处的值 {m.get('value')}"
        note = ""
        if level2 == "数量指标" and (unit in _COUNT_UNITS):
            note = "；数量须按本项目实际工作量填写"
        reason_bits = [how + note]
        if shared:
            reason_bits.append("共同对象：" + "、".join(sorted(shared)[:3]))
        out.append(
            Suggestion(
                name=m["name"],
                value=value,
                level2=m.get("level2"),
                level1=m.get("level1") or parent_of(m.get("level2")),
                reason="；".join(reason_bits),
                source=_source_of(m),
                similarity=float(sim),
                basis="corpus",
                support=[
                    {"form": x[3]["form"], "project_name": x[3]["project_name"], "name": x[3]["name"], "value": x[3]["value"]}
                    for x in g
                ],
                score=float(score),
            )
        )
        out[-1]._members = [x[3] for x in g]  # type: ignore[attr-defined]
    return out


def _promote(s: Suggestion, member: dict[str, Any]) -> None:
    """Show ``member`` (one of the merged corpus indicators of ``s``) as the cited lead."""
    s.name = member["name"]
    s.source = _source_of(member)
    if len(s.support) <= 1:
        s.value = format_value(member.get("op") or "=", member["number"], member.get("unit"))


# -- templates -----------------------------------------------------------------------------------
def _deadline(form: Form | None) -> str:
    end = form.period.end if form is not None and form.period else None
    m = re.match(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})", end or "")
    if m:
        return f"{int(m.group(1))}年{int(m.group(2))}月{int(m.group(3))}日前"
    if form is not None and form.year:
        return f"{form.year}年12月31日前"
    return "X月X日前"


def _template_candidates(
    ind: Indicator, level2: str | None, form: Form | None, code: str | None
) -> list[tuple[int, str, str, dict]]:
    """(trigger hits, filled name, value, template) for templates of the category; ``code`` is
    :func:`diagnose`'s defect code for ``ind``."""
    name = _norm(ind.name)
    obj = object_of(ind.name)
    # a name that already ends with what it measures (…学时, …报告数, …比例) is not an object to
    # which a template's measure can be appended
    measured = obj == _norm(clean_name(ind.name)) and re.search(_data()["object"]["measured_re"], name)
    out = []
    for t in _data().get("template", []):
        if level2 is None or not _same_category(level2, t["level2"]):
            continue
        if t.get("only_for") and code not in t["only_for"]:
            continue
        trig = t.get("triggers") or []
        hits = sum(1 for w in trig if w in name)
        if trig and hits == 0:
            continue
        if "{对象}" in t["name"] and measured:
            tail = t["name"].split("{对象}", 1)[1]
            if join_words(obj or "", tail) == (obj or "") + tail:  # no shared word at the seam
                continue
        tname = t["name"].replace("{服务对象}", _respondent(ind.name))
        if "{对象}" in tname:
            head, tail = tname.split("{对象}", 1)
            tname = head + join_words(obj or "", tail)
        if t["op"] == "date":
            value = _deadline(form)
        else:
            value = format_value(t["op"], t.get("number"), t.get("unit"))
        out.append((hits, tname, value, t))
    return out


def _short_ref(ref: str) -> str:
    """"review-rules.md R18 (…); (d) 购置类…" -> "review-rules.md R18、(d)"."""
    codes = list(dict.fromkeys(re.findall(r"\bR\d{2}\b|\(d\)|\ba\.\d\b", ref)))
    return "review-rules.md " + "、".join(codes) if codes else "suggestion_templates.toml"


def _template_suggestions(ind, level2, form, code, emb, qvec) -> list[Suggestion]:
    cands = _template_candidates(ind, level2, form, code)
    if not cands:
        return []
    vecs = np.asarray(emb.encode([c[1] for c in cands]), dtype=np.float32)
    sims = vecs @ qvec
    obj = object_of(ind.name)
    obj_ok = bool(obj) and len(obj) >= 2
    out = []
    for (hits, tname, value, t), sim in zip(cands, sims):
        number_note = "；数值 N 按本项目实际填写" if "N" in value else (
            "；日期按本项目计划填写" if t["op"] == "date" else "；默认值请按实际调整")
        out.append(
            Suggestion(
                name=tname,
                value=value,
                level2=t["level2"] if level2 not in _COMPATIBLE else level2,
                level1=parent_of(t["level2"]),
                reason=f"模板（参考 {_short_ref(t.get('ref', ''))}）{number_note}",
                template_ref=t.get("ref", ""),
                source=None,
                similarity=float(sim),
                basis="template",
                # + the same 0.04 a corpus neighbour gets for containing the original's object
                score=float(sim) + WORD_BONUS * min(hits, 2) - (0.0 if hits else GENERIC_PENALTY)
                + (OBJECT_BONUS if "{对象}" in t["name"] and obj_ok else 0.0),
            )
        )
        out[-1]._generic = not hits  # type: ignore[attr-defined]
    out.sort(key=lambda s: -s.score)
    return out


def own_form_ids(form: Form | None, index) -> list[str]:
    """Index form ids that are ``form`` itself: same id, or same project name and mostly the same
    indicator names (a form read from a file whose copy is in the corpus under another id)."""
    if form is None:
        return []
    ids = []
    if form.id and len(index.rows_of_form("indicator", form.id)):
        ids.append(form.id)
    mine = {_norm(i.name) for i in form.indicators}
    for fid, names in index.names_by_project().get(form.project_name, {}).items():
        if fid not in ids and mine and len(names & mine) >= 0.5 * min(len(names), len(mine)):
            ids.append(fid)
    return ids


# -- public API ----------------------------------------------------------------------------------
def _merge(corpus: list[Suggestion], templates: list[Suggestion], k: int, reason: str, code: str | None, cat_note):
    picked: list[Suggestion] = []
    seen: set[str] = set()
    # a template that is also a real corpus indicator is shown with the corpus citation
    kept = []
    for t in templates:
        tkey = (_norm(t.name), _norm(t.value))
        owner = None
        for c in corpus:
            for mem in getattr(c, "_members", []):
                if _norm(mem["name"]) == tkey[0] and _norm(format_value(mem.get("op") or "=", mem["number"], mem.get("unit"))) == tkey[1]:
                    owner = (c, mem)
                    break
            if owner:
                break
        if owner is None:
            kept.append(t)
        else:
            c, mem = owner
            if _norm(c.name) != tkey[0]:
                _promote(c, mem)
            c.score = max(c.score, t.score)
    templates = kept
    # corpus neighbours and triggered templates alternate (the better of the two heads first);
    # generic templates only fill what is left
    c_list = sorted(corpus, key=lambda x: -x.score)
    t_list = sorted((t for t in templates if not t._generic), key=lambda x: -x.score)  # type: ignore[attr-defined]
    g_list = sorted((t for t in templates if t._generic), key=lambda x: -x.score)  # type: ignore[attr-defined]
    streams = [c_list, t_list]
    if t_list and (not c_list or t_list[0].score > c_list[0].score + CORPUS_BONUS):
        streams.reverse()
    pool: list[Suggestion] = []
    for i in range(max(len(c_list), len(t_list))):
        for st in streams:
            if i < len(st):
                pool.append(st[i])
    pool.extend(g_list)
    for s in pool:
        key = _norm(s.name)  # one suggestion per name (the better-ranked value)
        if key in seen:
            continue
        seen.add(key)
        picked.append(s)
        if len(picked) >= k:
            break
    # always show at least one measurable suggestion when any exists (with k=1 the best-ranked
    # suggestion stays, even a count left as N: it is the right rewrite)
    if len(picked) >= 2 and not any(s.measurable for s in picked):
        extra = next((s for s in pool if s.measurable and s not in picked), None)
        if extra is not None:
            picked[-1] = extra
    prefix = reason if code else None
    for s in picked:
        s.weakness = code
        s.how = "；".join(b for b in (cat_note, s.reason) if b)
        s.reason = "；".join(b for b in (prefix, s.how) if b)
    return picked


def suggest_rewrites_batch(
    indicators: list[Indicator], form: Form | None = None, k: int = 3, index=None
) -> list[list[Suggestion]]:
    """Suggestions for many indicators (all embedded at once); ``form`` is excluded from neighbours."""
    from jixiao.nlp.embed import get_embedder

    from jixiao.suggest.index import load_index

    inds = list(indicators)
    if not inds:
        return []
    emb = get_embedder()
    thr = _thresholds(emb)
    if index is None:
        index = load_index()
    qvecs = np.asarray(emb.encode([_norm(i.name) or "空" for i in inds]), dtype=np.float32)
    excl = own_form_ids(form, index)
    hits = index.search(qvecs, k=N_NEIGHBOURS, kind="indicator", exclude_forms=set(excl))
    # a second query with the object alone (培训 for 培训工作完成率): with a static embedder the
    # evaluative ending (…完成率, …及时性) dominates the name's vector and hides same-object neighbours
    objs = [object_of(i.name) for i in inds]
    ask = [n for n, (o, i) in enumerate(zip(objs, inds)) if o and o != _norm(i.name)]
    if ask:
        ovecs = np.asarray(emb.encode([objs[n] for n in ask]), dtype=np.float32)
        ohits = index.search(ovecs, k=N_NEIGHBOURS, kind="indicator", exclude_forms=set(excl))
        mat = index.vectors["indicator"]
        for n, oh in zip(ask, ohits):
            have = {r for r, _ in hits[n]}
            extra = [(r, round(float(mat[r] @ qvecs[n]), 6)) for r, _ in oh if r not in have]
            hits[n] = sorted(hits[n] + extra, key=lambda t: (-t[1], t[0]))
    cats = target_categories(inds)
    out = []
    for n, ind in enumerate(inds):
        level2, cat_note = cats[n]
        code, reason = diagnose(ind)
        corpus = _corpus_suggestions(ind, level2, qvecs[n], hits[n], index, thr)
        same = _value_only_suggestion(ind, level2, hits[n], index, code)
        if same is not None:
            corpus.insert(0, same)
        templates = _template_suggestions(ind, level2, form, code, emb, qvecs[n])
        fix = _unit_fix_suggestion(ind, level2, code)
        if fix is not None:
            fix._generic = False  # type: ignore[attr-defined]
            templates.insert(0, fix)
        out.append(_merge(corpus, templates, k, reason, code, cat_note))
    return out


def suggest_rewrites(indicator: Indicator, form: Form | None = None, k: int = 3) -> list[Suggestion]:
    """Up to ``k`` measurable rewrites of ``indicator``, each citing its corpus source or marked 模板.

    ``form`` (the form the indicator belongs to) is excluded from the neighbours and gives the
    deadline for date templates.
    """
    return suggest_rewrites_batch([indicator], form, k=k)[0]


__all__ = ["Suggestion", "diagnose", "is_weak", "object_of", "key_words", "suggest_rewrites", "suggest_rewrites_batch"]
