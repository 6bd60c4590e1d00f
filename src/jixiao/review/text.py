"""Small text helpers shared by the rules: normalisation, similarity, quantities, unit families."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from jixiao.nlp.normalize import strip_enumerator
from jixiao.review.vocab import vocab, words

_PUNCT = re.compile(r"[\s\u3000，。、；：！？“”‘’「」『』（）()【】\[\]《》<>,.;:!?'\"·…—\-_/\\|]+")


def norm(s: str | None) -> str:
    """NFKC, whitespace removed."""
    if not s:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(s)))


def norm_loose(s: str | None) -> str:
    """:func:`norm` plus punctuation removed and lower-cased (for similarity)."""
    return _PUNCT.sub("", norm(s)).lower()


_NAME_HINT = re.compile(r"[(（][^()（）]*[)）]$")


def clean_name(name: str | None) -> str:
    """Indicator name without numbering ("指标4.", "1、", "*") and a trailing bracketed hint
    ("(≥**人)", "(%)"), NFKC-folded, whitespace removed."""
    n = norm(name)
    n = strip_enumerator(n)
    for _ in range(2):
        n2 = _NAME_HINT.sub("", n)
        if not n2:
            break
        n = n2
    return n


def bigrams(s: str) -> set[str]:
    s = norm_loose(s)
    if len(s) < 2:
        return {s} if s else set()
    return {s[i : i + 2] for i in range(len(s) - 1)}


def jaccard(a: str | None, b: str | None) -> float:
    """Character-bigram Jaccard similarity of two texts (punctuation and spacing ignored)."""
    x, y = bigrams(a or ""), bigrams(b or "")
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


def bigram_bag(s: str) -> frozenset[tuple[str, int]]:
    """Character bigrams as a multiset: each bigram tagged with its occurrence number ("99" twice ->
    ("99", 1), ("99", 2)), so that set operations on two bags count repeats.

    The Jaccard of two bags is the multiset Jaccard Σmin/Σmax of the bigram counts: 第9999项任务完成数
    and 第99项任务完成数 score 0.8, where the plain :func:`bigrams` sets are equal (1.0).
    """
    s = norm_loose(s)
    if len(s) < 2:
        return frozenset({(s, 1)}) if s else frozenset()
    seen: dict[str, int] = {}
    out = []
    for i in range(len(s) - 1):
        w = s[i : i + 2]
        seen[w] = seen.get(w, 0) + 1
        out.append((w, seen[w]))
    return frozenset(out)


def bag_jaccard(a: str | None, b: str | None) -> float:
    """Multiset character-bigram Jaccard of two texts (see :func:`bigram_bag`); repeated runs count."""
    x, y = bigram_bag(a or ""), bigram_bag(b or "")
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def cn_number(s: str) -> int | None:
    """A Chinese numeral as an integer: 三 3, 十二 12, 二十 20, 一百零五 105, 两万 20000, 二〇二三 2023."""
    if not s or any(c not in _CN_DIGIT and c not in _CN_UNIT and c != "万" for c in s):
        return None
    if not any(c in _CN_UNIT or c == "万" for c in s):  # digit by digit: 二〇二三
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    total = section = num = 0
    for c in s:
        if c in _CN_DIGIT:
            num = _CN_DIGIT[c]
        elif c in _CN_UNIT:
            section += (num or 1) * _CN_UNIT[c]
            num = 0
        else:  # 万
            total += ((section + num) or 1) * 10000
            section = num = 0
    return total + section + num


_CN_NUM = "零〇一二两三四五六七八九十百千万"


@lru_cache(maxsize=1)
def _name_number() -> re.Pattern[str]:
    """The number pattern of :func:`name_numbers`; what a Chinese numeral counts or orders in a name
    (一期, 二号, 三类, 两个, 十年 …) is ``name_numbers.counted`` in ``data/review_vocab.toml``."""
    counted = "|".join(re.escape(w) for w in words("name_numbers", "counted"))
    return re.compile(
        r"(\d+(?:\.\d+)?)"  # Arabic: 2023, 99, 1.5
        rf"|第([{_CN_NUM}]+)"  # ordinal: 第一, 第十二
        rf"|(?<![\d{_CN_NUM}])([{_CN_NUM[2:]}][{_CN_NUM}]*)(?=(?:{counted}))"  # counting: 一期, 二号, 三类 (not 零星)
        r"|(A{2,5})(?=级)"  # scenic-area grades: AAAA级 = 4A级
    )


# list numbering left in front of a name: (1) （二） 一、 ① ⑴ ⒈
_LIST_MARK = re.compile(rf"^(?:[(（]\s*(?:\d+|[{_CN_NUM}]+)\s*[)）]|[{_CN_NUM}]+\s*[、.．])")
_CIRCLED = re.compile(r"^[\s*★☆]*[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u24f5-\u24fe\u2776-\u2793]+")


def name_numbers(name: str | None) -> tuple[float, ...]:
    """The numbers an indicator name carries, in order: Arabic numbers, Chinese ordinals (第一) and
    Chinese numerals that count something (一期, 二号, 两个), AAAA级 grades; list numbering ("指标1.",
    "(1)", "一、", "①") left out. 第1批 and 第一批 both give ``(1.0,)``; 2023-2024年 gives ``(2023.0, 2024.0)``.
    """
    n = clean_name(_CIRCLED.sub("", str(name or "")))
    n = _LIST_MARK.sub("", n)
    out: list[float] = []
    for m in _name_number().finditer(n):
        arabic, ordinal, counted, grade = m.groups()
        if arabic is not None:
            out.append(float(arabic))
        elif grade is not None:
            out.append(float(len(grade)))
        else:
            v = cn_number(ordinal or counted)
            if v is not None:
                out.append(float(v))
    return tuple(out)


# number + unit in free text ("32所学校", "500人次", "120公里", "95%")
_QTY = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*"
    r"(%|％|个百分点|万人次|人次|万人|万元|亿元|元|公里|千米|平方米|立方米|万亩|亩|吨|台|套|辆|所|个|家|户|人|"
    r"次|场|期|件|项|条|本|份|篇|批|处|座|间|张|册|课时|学时|小时|天|个月|公顷|km|m2|㎡|床|名|村|镇|部|块|棵|株|只|头)"
)
MONEY_UNITS = frozenset({"万元", "亿元", "元"})  # units that :func:`quantities` reports for money amounts


def quantities(text: str | None) -> list[tuple[float, str, str]]:
    """``(number, unit, matched text)`` for quantities in goal text, years and list numbers excluded."""
    t = norm(text)
    if not t:
        return []
    out = []
    for m in _QTY.finditer(t):
        start = m.start()
        prev = t[max(0, start - 2) : start]
        if re.search(r"(目标|第|序号)$", prev):
            continue
        unit = m.group(2).replace("％", "%")
        out.append((float(m.group(1)), unit, m.group(0)))
    return out


def has_number(text: str | None) -> bool:
    """True when the text carries a quantity or a date (a digit other than a list number)."""
    t = norm(text)
    t = re.sub(r"(目标|第)?\d+[、.．:：)](?!\d)", "", t)  # list numbering "1." "目标1:"
    return bool(re.search(r"\d|[一二三四五六七八九十百千万两]+(个|项|次|所|台|人|场|家|户|批|期|座)", t))


@lru_cache(maxsize=256)
def unit_family(unit: str | None) -> str | None:
    """percent / money / time / score / count (anything else that looks like a unit), or None."""
    if not unit:
        return None
    u = norm(unit)
    u = u.strip("()")
    v = vocab()["units"]
    if u in v["percent"] or u.endswith("%"):
        return "percent"
    if u in v["money"] or any(u.startswith(p) for p in v["money_prefix"]):
        return "money"
    if u in v["time"] or re.search(r"(前|底|之前|以前)$", u):
        return "time"
    if u in v["score"]:
        return "score"
    return "count"


def expected_family(name: str) -> tuple[str, tuple[str, ...]] | None:
    """Unit family expected from an indicator name's cue words, and the extra families allowed."""
    n = clean_name(name)
    for rule in vocab()["units"]["expect"]:
        if any(s in n for s in rule.get("skip_if", [])):
            continue
        if any(n.endswith(s) for s in rule.get("suffix", [])) or any(c in n for c in rule.get("contains", [])):
            return rule["family"], tuple(rule.get("allow", []))
    return None


def budget_term(name: str | None) -> str | None:
    """The budget-execution term (预算执行率, 资金支付…) an indicator name contains, if any."""
    n = clean_name(name)
    return next((t for t in words("budget_execution", "terms") if t in n), None)


def name_unit(name: str | None) -> str | None:
    """A unit printed in brackets at the end of the name: "带动贫困户(人)" -> "人"."""
    m = re.search(r"[(（]\s*([^()（）\d]{1,6})\s*[)）]$", norm(name))
    return m.group(1) if m else None


_GARBLED = re.compile(r"\d,\d{4,}|\d,\d{1,2}(?!\d)")


def garbled_number(raw: str | None) -> bool:
    """Comma-separated digit groups that are not thousands groups ("44,56144,561": spreadsheet dates)."""
    return bool(_GARBLED.search(norm(raw)))


def strip_words(text: str, wordlist: tuple[str, ...]) -> str:
    """Remove every occurrence of the words (longest first)."""
    for w in wordlist:
        text = text.replace(w, "")
    return text


@lru_cache(maxsize=None)
def _longest_first(*lists: tuple[str, str]) -> tuple[str, ...]:
    """Several :func:`~jixiao.review.vocab.words` lists merged, longest first (built once per combination)."""
    return tuple(sorted((w for section, key in lists for w in words(section, key)), key=len, reverse=True))


def is_vague_value(raw: str | None) -> bool:
    """A qualitative value made only of vague words and modifiers (提升, 有所改善, 进一步完善, 合规,
    起积极促进作用 …): it names no checkable standard. No digit, at most 12 characters, and nothing left
    after removing ``vague_value.modifiers`` and ``vague_value.words`` (``data/review_vocab.toml``).
    The one definition, shared by the review rules and the suggestion engine's diagnosis."""
    s = norm(raw)
    if not s or re.search(r"\d", s) or len(s) > 12:
        return False
    return strip_words(s, _longest_first(("vague_value", "modifiers"), ("vague_value", "words"))) == ""


def is_timeliness_word(raw: str | None) -> bool:
    s = norm(raw)
    if not s:
        return False
    both = _longest_first(("timeliness", "words"), ("vague_value", "modifiers"))
    return strip_words(s, both) == "" and not re.search(r"\d", s)
