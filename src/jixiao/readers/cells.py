"""Read indicator tables from text copied out of web pages and flattened HTML/Office tables.

Handles the layouts found in ``corpora/sources/shared-corpus/raw/``:

* pipe rows (``产出指标 | 数量指标 | 维修面积 | ≥400平方米 |``), where leading empty cells of merged
  category columns are usually dropped;
* one cell per line (with or without a trailing ``|``);
* whitespace-separated rows (``数量指标 指标1.药品抽验品种 ≥3 4``) and long flattened lines;
* bracket prose (``【产出指标-数量指标】`` / ``指标1:机柜数量(≥77台)``) and notice prose
  (``(一)数量指标`` / ``参训人员结业率≥100%;``).

The approach is general rather than per template: the table header (一级指标 | 二级指标 | 三级指标 |
指标值 | …, synonyms in ``data/table_headers.toml``) gives the roles of the columns after the indicator
name; category cells (一级/二级指标 labels, recognised with :mod:`jixiao.taxonomy`) are filled down;
the cells after a name are aligned to the header roles by a small typed alignment (an operator fits
``指标性质``, a bare number fits ``分值``, a short word fits ``计量单位`` …), which tolerates the empty
cells that text flattening drops. Only the planned value is kept; split value columns are joined in
printed order (``≥|95|%`` → ``≥95%``, ``万元|≤|3584`` → ``万元≤3584``).

:func:`read_cells_text` raises nothing but :class:`~jixiao.errors.InputError`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.errors import InputError
from jixiao.model import Form, Funds, Indicator, Source
from jixiao.readers.facts import headers as _headers
from jixiao.readers.facts import label_map, money
from jixiao.taxonomy import aliases, category_label, clean_label, parent_of
from jixiao.values import operators, parse_value

# ----------------------------------------------------------------------------------------------
# vocabulary


def _key(s: str) -> str:
    """Comparison key of a header/label cell: NFKC, no whitespace, no trailing (A)/(B) marker, no colon."""
    s = unicodedata.normalize("NFKC", s or "")
    s = re.sub(r"\s+", "", s)
    s = s.replace("(", "(").replace(")", ")")
    s = re.sub(r"\([A-Za-z]\)$", "", s)
    return s.strip(":：*★")


@lru_cache(maxsize=1)
def _role_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for role, labels in _headers()["roles"].items():
        for lab in labels:
            out.setdefault(_key(lab), role)
    return out


# header fields of data/table_headers.toml [labels] read here, as the kinds this reader knows
_LABEL_KINDS = {
    "project": "project", "department": "department", "annual_goal": "annual_goal", "overall_goal": "overall_goal",
    "total_funds": "total_funds", "annual_funds": "total_funds", "fiscal_funds": "fiscal_funds", "fiscal_current": "fiscal_funds",
}


@lru_cache(maxsize=1)
def _label_map() -> dict[str, str]:
    return label_map(_key, _LABEL_KINDS)


@lru_cache(maxsize=1)
def _noise() -> frozenset[str]:
    return frozenset(_key(c) for c in _headers()["noise"]["cells"])


@lru_cache(maxsize=8192)
def header_role(cell: str) -> str | None:
    """Role of a header cell (``"name"``, ``"value"``, ``"unit"`` …) or None."""
    k = _key(cell)
    if not k or len(k) > 30:
        return None
    hit = _role_map().get(k)
    if hit is None and re.search(r"\([^()]+\)$", k):  # "指标值(或计划水平)", "三级指标(年度)"
        hit = _role_map().get(re.sub(r"\([^()]+\)$", "", k))
    return hit


# ----------------------------------------------------------------------------------------------
# cell classification

_OPV = operators()  # operator signs and words: data/operators.toml
_OP_SIGNS = "".join(map(re.escape, _OPV.signs + "><=＞＜＝"))  # one-character operators, full-width ones too
# a cell holding only an operator: one sign, a two-character ASCII or full-width operator, or a word
_OPS = re.compile(
    f"^(?:[{_OP_SIGNS}]|>=|<=|＞＝|＜＝|{_OPV.word_pattern(_OPV.reversed)}|{_OPV.word_pattern(_OPV.cell_words)})$"
)
_NUMBERISH = re.compile(r"^[+-]?\d[\d,，]*(?:\.\d+)?\s*(?:分|%|％)?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NAME_START = re.compile(r"^指标\s*\d+\s*[.:：、．]")
_FRAG_OK = re.compile(r"^[\u4e00-\u9fff]{1,3}$")


@dataclass(frozen=True)
class Cat:
    kind: str  # "l1", "l2" or "both"
    std1: str | None
    std2: str | None
    raw: str


@lru_cache(maxsize=8192)
def category(cell: str) -> Cat | None:
    """Recognise a printed category label, else None: :func:`jixiao.taxonomy.category_label` with
    ``decorated=True`` (``（一）数量指标``, ``【产出指标】``, ``时效指标(工期指标)``, ``社会、经济、生态效益指标``)."""
    lab = category_label(cell, decorated=True)
    if lab is None:
        return None
    kind = "both" if lab.level1 and lab.level2 else "l1" if lab.level1 else "l2"
    return Cat(kind, lab.under, lab.level2, cell.strip())


def is_weight_only(cell: str) -> bool:
    s = re.sub(r"\s+", "", cell)
    return bool(s) and clean_label(s) == "" and bool(re.search(r"\d", s))


@lru_cache(maxsize=8192)
def vtype(cell: str) -> str:
    """Rough type of a cell: empty, op, num, quant, date, short, long, cat."""
    s = cell.strip()
    if not s:
        return "empty"
    if _OPS.match(s):
        return "op"
    if _NUMBERISH.match(s):
        return "num"
    if category(s):
        return "cat"
    v = parse_value(s)
    if v.kind == "quantitative":
        return "quant"
    if v.kind == "date":
        return "date"
    if len(re.sub(r"\s", "", s)) <= 6:
        return "short"
    return "long"


_NATURE_VALUE = {"定性", "定量"}
_NATURE_SKIP = {"正向", "反向", "正", "反", "增", "减", "正向指标", "反向指标", "中性"}


def _compat(tok: str, role: str) -> float:
    t = vtype(tok)
    if t == "empty":
        return 0.0
    if role == "value":
        return {"op": -0.5, "num": 1.5, "quant": 2.0, "date": 2.0, "short": 1.0, "long": 0.6, "cat": -6}[t]
    if role == "nature":
        k = _key(tok)
        if t == "op" or k in _NATURE_VALUE:
            return 2.0
        if k in _NATURE_SKIP:
            return 1.5
        return -6
    if role == "unit":
        if t == "num":
            return -0.3
        if t == "short" and not re.search(r"\d", tok):
            return 1.5
        return -3
    if role == "actual":
        return {"op": -3, "num": 0.5, "quant": 0.5, "date": 0.5, "short": 0.4, "long": 0.3, "cat": -6}[t]
    if role == "score":
        return 1.2 if t == "num" else -4
    if role == "text":
        return {"op": -3, "num": -0.5, "quant": -0.5, "date": -0.5, "short": 0.3, "long": 0.4, "cat": -6}[t]
    if role == "level2":
        return 3.0 if t == "cat" else -9
    if role == "name":
        return {"op": -5, "num": -3, "quant": -1, "date": -1, "short": 0.8, "long": 1.0, "cat": -9}[t]
    if role == "level1":
        return 3.0 if t == "cat" else -9
    return -1.0


_SKIP_COST = {"value": -1.5, "name": -0.2}


def align(tokens: list[str], roles: list[str]) -> list[str | None]:
    return align_scored(tokens, roles)[0]


def align_scored(tokens: list[str], roles: list[str]) -> tuple[list[str | None], float]:
    """Assign each token to a role (or None = dropped), keeping order; maximise type compatibility."""
    n, m = len(tokens), len(roles)
    NEG = float("-inf")
    # dp[i][j]: best score having used i tokens and j roles
    dp = [[NEG] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, str] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    dp[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            cur = dp[i][j]
            if cur == NEG:
                continue
            if j < m:  # role j left empty
                s = cur + _SKIP_COST.get(roles[j], 0.0)
                if s > dp[i][j + 1]:
                    dp[i][j + 1], back[i][j + 1] = s, (i, j, "skip")
            if i < n and j < m:  # token i fills role j
                s = cur + _compat(tokens[i], roles[j])
                if s > dp[i + 1][j + 1]:
                    dp[i + 1][j + 1], back[i + 1][j + 1] = s, (i, j, "take")
            if i < n:  # token i dropped (more cells than header columns)
                # prefer dropping trailing cells (extra columns); a cell right after the name is rarely extra
                s = cur - (3.0 if j == 0 else 1.2) - 0.01 * (n - i)
                if s > dp[i + 1][j]:
                    dp[i + 1][j], back[i + 1][j] = s, (i, j, "drop")
    out: list[str | None] = [None] * n
    i, j = n, m
    while (i, j) != (0, 0):
        b = back[i][j]
        if b is None:
            break
        pi, pj, what = b
        if what == "take":
            out[pi] = roles[pj]
        i, j = pi, pj
    return out, dp[n][m]


def assemble_value(tokens: list[str], assigned: list[str | None]) -> str:
    parts = []
    for tok, role in zip(tokens, assigned):
        if role in ("value", "unit"):
            parts.append(tok.strip())
        elif role == "nature" and (vtype(tok) == "op" or _key(tok) in _NATURE_VALUE):
            parts.append(tok.strip())
    return "".join(parts)


# ----------------------------------------------------------------------------------------------
# tokenising lines

def _merge_brackets(tokens: list[str]) -> list[str]:
    out: list[str] = []
    depth = 0
    for t in tokens:
        if depth > 0 and out:
            out[-1] = out[-1] + " " + t
        elif out and re.match(r"^[(（][\d.\-—~～]+\s*分?[)）]分?$", t):
            out[-1] = out[-1] + " " + t  # a weight "(50分)" belongs to the label before it
        else:
            out.append(t)
        depth = max(0, out[-1].count("(") + out[-1].count("（") - out[-1].count(")") - out[-1].count("）"))
    # an operator alone followed by a number: one value cell printed with a space ("= 8", "≥ 95%")
    merged: list[str] = []
    k = 0
    while k < len(out):
        t = out[k]
        if _OPS.match(t) and k + 1 < len(out) and (re.match(r"^[\d.]", out[k + 1]) or out[k + 1] in ("%", "％")):
            merged.append(t + out[k + 1])
            k += 2
            continue
        merged.append(t)
        k += 1
    return merged


@dataclass
class Unit:
    """One line of input: ``cells`` (a row) or a single cell; ``exact`` when empty cells are kept."""

    cells: list[str]
    exact: bool = False
    spaced: bool = False  # cells come from splitting on whitespace
    end: bool = False  # a row-terminator line ("||||")
    row_end: bool = False  # one cell followed by empty cells ("基本建立 | |"): the row ends here
    glued: bool = False  # cells recovered from a line printed without separators (read as a stream)
    lead_empty: int = 0  # empty cells dropped before the first one (a merged level-1 cell)


@lru_cache(maxsize=1)
def _glued_patterns() -> tuple[re.Pattern, re.Pattern]:
    cats = aliases("level1") + aliases("level2")
    labels = {a for a in cats if a.endswith("指标") or len(a) >= 4}
    generic = {"指标", "标准", "性质", "单位", "一级", "二级", "三级", "年度", "实际", "性质"}
    labels |= {k for k in _role_map() if len(k) >= 2 and "(" not in k and k not in generic}
    labels |= {k for k in _noise() if len(k) >= 4}
    labels |= {k for k, kind in _label_map().items() if kind in ("project", "department") and len(k) >= 4}
    short = [a for a in cats if len(a) == 2]  # "10成本…": a score then a short label
    label_re = re.compile(
        "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))
        + "|(?<=\\d)(?:" + "|".join(re.escape(x) for x in short) + ")(?![\\u4e00-\\u9fff]{0,1}指标)"
    )
    units = sorted(_headers()["glued"]["units"], key=len, reverse=True)
    value_re = re.compile(
        "(?<![\\d.])(?:[" + "".join(map(re.escape, _OPV.signs + "><＞＜")) + "]=?|=)?"
        r"\d+(?:\.\d+)?(?:" + "|".join(re.escape(u) for u in units) + r")(?:及以上|以上|以下|以内)?"
    )
    return label_re, value_re


@lru_cache(maxsize=1)
def _any_label_re() -> re.Pattern:
    words = {w for kind, ws in _headers()["labels"].items() for w in ws if len(w) >= 4}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _cut_at_label(value: str) -> str:
    """A header value read from text printed without separators ends where the next header label
    starts: "随州市卫生健康委员会项目负责人蒋涛项目属性…" -> "随州市卫生健康委员会"."""
    m = _any_label_re().search(value)
    return value[: m.start()].strip() if m and m.start() > 0 else value


def _split_repeats(text: str) -> list[str]:
    """``A B B`` (a name followed by a target and an equal achieved value, glued) → [A, B, B]; ``X X`` → [X, X]."""
    n = len(text)
    if n > 400:  # cells are short; long runs are prose
        return [text]
    for size in range(n // 2, 1, -1):
        b = text[n - size:]
        if text[n - 2 * size: n - size] == b:
            a = text[: n - 2 * size]
            if not a:
                return [b, b]
            if len(a) >= 2 and a[-1] not in "、,，(（":
                return [a, b, b]
    if n == 2 and text[0] == text[1]:  # "高高": a one-character target and achieved value
        return [text[0], text[1]]
    return [text]


def _split_text(text: str) -> list[str]:
    """A glued text cell: name + description ("…次数反映…情况", "X…X") or name + equal values."""
    m = re.search(r"(?<=[\u4e00-\u9fff])(" + "|".join(map(re.escape, _headers()["glued"]["description_openers"])) + ")", text)
    if m and m.start() >= 2:
        return _split_repeats(text[: m.start()]) + [text[m.start():]]
    for k in range(min(len(text) // 2, 200), 3, -1):  # the description repeats or ends with the name
        if text[:k] == text[-k:]:
            return [text[:k], text[k:]]
    return _split_repeats(text)


def _cut_description(text: str) -> str:
    """Name of a name+description pair glued together: cut after the first indicator-name ending."""
    for k in range(min(len(text) // 2, 200), 3, -1):  # the description repeats or ends with the name
        if text[:k] == text[-k:]:
            return text[:k]
    best: tuple[int, int] | None = None  # (start, -end): earliest ending, longest suffix there
    for suf in _headers()["glued"]["name_suffixes"]:
        k = text.find(suf, 2)
        while k >= 0:
            end = k + len(suf)
            if len(text) - end >= 2 and end >= 3:
                if best is None or (end, -len(suf)) < (best[0], best[1]):
                    best = (end, -len(suf))
                break
            k = text.find(suf, k + 1)
    if best is None:
        return text
    end = best[0]
    for suf in sorted(_headers()["glued"]["name_suffixes"], key=len, reverse=True):
        if text.startswith(suf, end - len(suf) + 1) and end + 1 <= len(text) - 2:  # "秸秆数|量" → "秸秆数量"
            end = end - len(suf) + 1 + len(suf)
            break
    return text[:end]


def _merge_triples(cells: list[str]) -> list[str]:
    """``A V V V`` where the value is printed three times: the first copy ends the name (``…补助1000万元``)."""
    out: list[str] = []
    k = 0
    while k < len(cells):
        c = cells[k]
        if (
            k + 2 < len(cells) and c == cells[k + 1] == cells[k + 2] and re.search(r"\d", c)
            and out and not category(out[-1]) and not _glued_patterns()[0].fullmatch(out[-1])
        ):
            out[-1] = out[-1] + c
            k += 1
            continue
        if k + 2 < len(cells) and c == cells[k + 1] == cells[k + 2] and re.search(r"\d", c):
            out.append(c)  # the name is the value itself ("1年 1年 1年")
            k += 1
            continue
        out.append(c)
        k += 1
    return out


def split_glued(line: str) -> list[str]:
    """Cut a table row flattened without separators into cells, at known labels and at values."""
    label_re, value_re = _glued_patterns()
    s = re.sub(r"\s+", "", line)
    s = re.sub(r"^\d、", "", s)  # page markers of document previews ("2、")
    cells: list[str] = []
    pos = 0
    chunks: list[tuple[str, bool]] = []
    found = list(label_re.finditer(s))
    keep = []
    for k, m in enumerate(found):
        # a header label inside a cell ("达到目标值") is only a label next to another label
        if category(m.group(0)) or _key(m.group(0)) in _noise() or _label_map().get(_key(m.group(0))) in ("project", "department"):
            keep.append(m)
            continue
        prev_adj = k > 0 and found[k - 1].end() == m.start()
        next_adj = k + 1 < len(found) and found[k + 1].start() == m.end()
        if prev_adj or next_adj:
            keep.append(m)
    for m in keep:
        if m.start() > pos:
            chunks.append((s[pos:m.start()], False))
        chunks.append((m.group(0), True))
        pos = m.end()
    if pos < len(s):
        chunks.append((s[pos:], False))
    for chunk, is_label in chunks:
        if is_label:
            cells.append(chunk)
            continue
        w = re.match(r"^[(（]\d+分?[)）]", chunk)
        if w and cells:
            cells[-1] += w.group(0)
            chunk = chunk[w.end():]
        pos = 0
        for m in value_re.finditer(chunk):
            before = chunk[pos:m.start()]
            if m.start() == 0 and pos == 0 and (not cells or category(cells[-1])):
                continue  # a name comes before its value: "数量指标5000吨稻谷…" starts a name
            if before and before[-1] in "、,，(（":
                continue
            if before:
                cells.extend(_split_text(before))
            v = m.group(0)
            cells.append(v)
            pos = m.end()
        rest = chunk[pos:]
        if rest:
            m = re.search(r"(?<![\d.])\d+(?:\.\d+)?$", rest)
            if m and m.start() > 0 and rest[m.start() - 1] not in "、,，(（:：":
                head, num = rest[: m.start()], m.group(0)
                cells.extend(_split_text(head))
                half = len(num) // 2
                cells.extend([num[:half], num[half:]] if len(num) % 2 == 0 and num[:half] == num[half:] else [num])
            elif re.fullmatch(r"\d+(?:\.\d+)?", rest):
                half = len(rest) // 2
                cells.extend([rest[:half], rest[half:]] if len(rest) % 2 == 0 and rest[:half] == rest[half:] else [rest])
            else:
                cells.extend(_split_text(rest))
    out: list[str] = []
    for k, c in enumerate(cells):
        nxt = cells[k + 1] if k + 1 < len(cells) else ""
        if nxt and c != nxt and c.endswith(nxt) and c[: -len(nxt)].isdigit():
            out.extend([c[: -len(nxt)], nxt])  # "102370人 2370人": score 10 glued to the target
        elif c:
            out.append(c)
    return _merge_triples(out)


def is_glued(line: str) -> bool:
    """A line holding several table cells printed without separators ("数量指标补助人数250人计划标准")."""
    if "|" in line or len(line) < 12:
        return False
    label_re, _ = _glued_patterns()
    t = re.sub(r"\s+", " ", line.strip())
    longest = max((len(x) for x in t.split()), default=0)
    spaced_labels = sum(1 for x in t.split() if label_re.fullmatch(x))
    if longest < 12:
        return False

    def touching(text: str) -> tuple[int, int]:
        found = list(label_re.finditer(text))
        n = 0
        for m in found:
            left = text[m.start() - 1] if m.start() > 0 else ""
            right = text[m.end()] if m.end() < len(text) else ""
            # a label touching other text where a real cell boundary would show whitespace
            if (left and re.match(r"[\u4e00-\u9fff\d%)）]", left)) or (right and re.match(r"[\u4e00-\u9fff\d(（]", right)):
                n += 1
        return n, len(found)

    g, h = touching(t)
    if g >= 1 and spaced_labels <= 1 and g >= 0.6 * h:
        return True
    # labels broken by wrap spaces ("质量 指标县级储备粮…")
    g, h = touching(re.sub(r"\s+", "", t))
    return spaced_labels == 0 and g >= 2 and g >= 0.6 * h


def _join_wrapped(lines: list[str]) -> list[str]:
    """In one-cell-per-line texts whose cells end with "|", a line without "|" is the first part of a
    wrapped cell: join it to the next line."""
    nonempty = [ln for ln in lines if ln]
    cell_lines = sum(1 for ln in nonempty if ln.endswith("|") and ln.count("|") <= 3)
    if cell_lines < 10 or cell_lines < 0.5 * len(nonempty):
        return lines
    out: list[str] = []
    carry = ""
    for ln in lines:
        if not ln:
            continue
        if "|" not in ln:
            if carry:
                out.append(carry)
            carry = ln
            if len(ln) > 30 or re.search(r"[。:：]$", ln):
                out.append(ln)
                carry = ""
            continue
        out.append((carry + " " + ln).strip() if carry else ln)
        carry = ""
    if carry:
        out.append(carry)
    return out


def tokenise(body: str) -> list[Unit]:
    units: list[Unit] = []
    lines = [ln.replace("\u3000", " ").replace("\xa0", " ").strip() for ln in body.splitlines()]
    lines = _join_wrapped(lines)
    plain = [ln for ln in lines if ln and "|" not in ln]
    singles = sum(1 for ln in plain if len(ln.split()) == 1)
    # a text printed one cell per line: a line with a few spaces is still one (wrapped) cell
    one_cell_per_line = len(plain) >= 12 and singles >= 0.7 * len(plain)
    for line in lines:
        if not line:
            continue
        if "|" not in line and is_glued(line):
            units.append(Unit(split_glued(line), glued=True))
            continue
        if "|" not in line and len(line.split()) == 1 and len(line) >= 8:
            parts = _split_text(line) if not _OPS.match(line) else [line]
            if len(parts) == 2 and parts[0] == parts[1]:  # a name printed twice (name | description)
                units.append(Unit(parts, glued=True))
                continue
        if one_cell_per_line and "|" not in line and len(line.split()) <= 3 and len(line) <= 80:
            units.append(Unit([re.sub(r"\s+", " ", line)]))
            continue
        if "|" in line:
            parts = [p.strip() for p in line.split("|")]
            if not any(parts):
                units.append(Unit([""], exact=True, end=len(parts) > 2))
                continue
            while parts and not parts[-1]:
                parts.pop()
            if sum(1 for p in parts if p) == 1 and line.rstrip().endswith("|") and parts[0]:
                full = [p.strip() for p in line.split("|")]
                units.append(Unit([parts[0]], exact=True, row_end=len(full) > 2))
                continue
            lead = 0
            while parts and not parts[0]:
                parts.pop(0)
                lead += 1
            units.append(Unit(parts, lead_empty=lead))
        else:
            toks = _merge_brackets(line.split())
            units.append(Unit(toks, spaced=True))
    return units


# ----------------------------------------------------------------------------------------------
# parser state


@dataclass
class _Draft:
    project_name: str = ""
    department: str | None = None
    year: int | None = None
    annual_goal: str | None = None
    overall_goal: str | None = None
    total: float | None = None
    fiscal: float | None = None
    indicators: list[Indicator] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    self_eval: bool = False


@dataclass
class _Cats:
    l1: str | None = None
    l1_raw: str | None = None
    l2: str | None = None
    l2_raw: str | None = None
    frags: str = ""

    def apply(self, c: Cat, first_in_row: bool, more_follow: bool) -> None:
        kind = c.kind
        if kind == "both":
            # 成本指标 / 满意度指标 can be printed as level 1 or level 2
            if more_follow:
                kind = "l1"
            elif self.l1 and self.l1 == c.std1:
                kind = "l2"
            elif not first_in_row or (self.l1 is None and self.l2 is not None):
                kind = "l2"  # in the level-2 column, or a table whose level-1 column is not printed
            elif c.std2 == "成本指标" and self.l1 == "产出指标":
                kind = "l2"
            else:
                kind = "l1"
        if kind == "l1":
            self.l1, self.l1_raw = c.std1, c.raw
            self.l2, self.l2_raw = None, None
        else:
            # the printed level 1 is kept even when the level 2 belongs elsewhere (forms do file
            # indicators under odd parents); emit() infers level 1 only when none is printed
            self.l2, self.l2_raw = c.std2, c.raw


def _plausible_name(name: str, strict: bool = True) -> bool:
    """False for cells that cannot be an indicator name: labels, fragments, page marks and (unless the
    cell sits in its own table column, ``strict=False``) bare numbers — forms do print placeholder
    names such as ``0`` in real table rows."""
    k = _key(name)
    if not k or k in _noise() or header_role(name) or category(name):
        return False
    if strict and (len(k) < 2 or vtype(name) in ("num", "op") or re.fullmatch(r"[-—–\d\s.()（）]+", name)):
        return False
    if re.search(r"[:：]$", name.strip()):  # "说明:" is a label
        return False
    return True


_PROSE_OP = re.compile(f"[{_OP_SIGNS}]|{_OPV.word_pattern(_OPV.prose_words)}")


def _name_op_value(text: str) -> tuple[str, str] | None:
    """Prose "name≥value": split at the first comparison outside brackets; the value ends at a comma."""
    depth = 0
    for k, ch in enumerate(text):
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth = max(0, depth - 1)
        elif depth == 0 and k >= 2 and _PROSE_OP.match(text, k):
            name = text[:k].rstrip("，,：: ")
            value = re.split(r"[,，;；。]", text[k:], maxsplit=1)[0].strip()
            return (name, value) if name and value else None
    return None


class _Parser:
    def __init__(self, path: str | None, url: str | None):
        self.path = path
        self.url = url
        self.forms: list[_Draft] = [_Draft()]
        self.roles: list[str] | None = None
        self.cats = _Cats()
        self.cats_b = _Cats()  # right-hand group of side-by-side (中期/年度) tables
        self.pending: list[str] | None = None  # stream mode: [name, tail...]
        self.pending_exact = False
        self.expect: str | None = None  # a label seen, its value expected in the next cell
        self.in_table = False
        self.prose_mode = False  # categories come from notice headings ("(一)数量指标")
        self.lead_empty = 0
        self.hdr_buf: list[Unit] = []
        self.group_buf: list[str] = []
        self.rows_at_header = -1
        self.last_open: tuple[int, str, list[str]] | None = None  # a row whose value cells wrapped to the next line

    # -- forms
    @property
    def form(self) -> _Draft:
        return self.forms[-1]

    def new_project(self) -> None:
        if self.form.indicators:
            self.flush()
            prev = self.form
            self.forms.append(_Draft(department=prev.department, year=prev.year))
            self.cats = _Cats()
            self.cats_b = _Cats()
            self.in_table = False
            self.roles = None

    # -- header
    def header_run(self, cells: list[str]) -> list[str] | None:
        joined: list[str] = []
        for c in cells:  # "一级" + "指标" printed on two lines
            if joined and header_role(joined[-1] + c) and _key(joined[-1] + c) != _key(joined[-1]):
                joined[-1] = joined[-1] + c
            else:
                joined.append(c)
        while len(joined) > 1 and _key(joined[0]) in _noise() and any(header_role(c) == "name" for c in joined[1:]):
            joined.pop(0)
        roles = [header_role(c) for c in joined]
        for k in range(1, len(roles)):  # 三级指标 | 指标内容: the second is a description
            if roles[k] == "name" and roles[k - 1] == "name":
                roles[k] = "text"
        known = [r for r in roles if r]
        if len(known) < 2 or ("name" not in known and "value" not in known):
            return None
        if len(known) < 3 and not ("value" in known and ("actual" in known or "score" in known or "name" in known)):
            return None
        # the value column must come after the name column
        if "name" in roles:
            idx = roles.index("name")
            tail = [r for r in roles[idx + 1:] if r]
        else:
            levels = [k for k, r in enumerate(roles) if r in ("level1", "level2")]
            idx = levels[-1] + 1 if levels and levels[-1] < roles.index("value") else roles.index("value")
            tail = [r for r in roles[idx:] if r]
        if "value" not in tail:
            tail = tail + ["value"]
        # one planned value per group: a second value column before the next name is not kept
        out, seen = [], False
        for r in tail:
            if r == "name":
                seen = False
            elif r == "value":
                if seen:
                    r = "actual"
                seen = True
            out.append(r)
        return out

    def set_header(self, tail: list[str], cells: list[str]) -> None:
        self.flush_group()
        self.flush()
        if self.roles and self.rows_at_header == len(self.form.indicators) and "name" not in [header_role(c) for c in cells]:
            # second line of a two-line header ("年度 | 实际" / "指标值 | 完成值"): keep the first
            return
        self.rows_at_header = len(self.form.indicators)
        self.roles = tail
        self.in_table = True
        if any(header_role(c) == "actual" for c in cells):
            self.form.self_eval = True

    # -- indicators
    def emit(
        self, name: str, tail: list[str], cats: _Cats | None = None, roles: list[str] | None = None,
        dedupe: bool = False, strict: bool = True,
    ) -> None:
        cats = cats or self.cats
        roles = roles if roles is not None else (self.roles or ["value"])
        name = name.strip()
        if not _plausible_name(name, strict):
            return
        assigned = align(tail, roles) if tail else []
        if roles and roles[0] == "text" and tail and len(name) >= 6 and assigned and assigned[0] != "text":
            name = _cut_description(name)  # the description column is glued to the name
        value = assemble_value(tail, assigned)
        last = self.form.indicators[-1] if self.form.indicators else None
        if (
            dedupe and last is not None and last.name == name and _key(last.value.raw) == _key(value)
            and last.level2_raw == cats.l2_raw and cats is not self.cats_b
        ):
            return  # the same row printed again by a side-by-side (中期/年度) group read as a stream
        l1, l2 = cats.l1, cats.l2
        notes = []
        if l2 and not l1:
            l1 = parent_of(l2)
            notes.append(f"level1 inferred from level2 {l2}")
        self.form.indicators.append(
            Indicator(
                name=name,
                value=parse_value(value),
                level1=l1,
                level2=l2,
                level1_raw=cats.l1_raw,
                level2_raw=cats.l2_raw,
                notes=notes,
            )
        )

    def flush(self) -> None:
        if self.pending:
            name, tail = self.pending[0], self.pending[1:]
            self.pending = None
            self.emit(name, tail, dedupe="name" in (self.roles or []))
        self.pending = None

    # -- metadata labels
    def label(self, cell: str) -> str | None:
        k = _key(cell)
        return _label_map().get(k)

    def take_label_value(self, kind: str, value: str) -> None:
        v = value.strip()
        if kind in ("project", "department"):
            v = _cut_at_label(v)
        if not v or header_role(v) or self.label(v) or self.label(re.sub(r"[(（][^()（）]*[)）]$", "", v)):
            return  # the next cell is another label ("中期目标(2024年—2026年)"), not a value
        f = self.form
        if kind == "project":
            f.project_name = v
        elif kind == "department" and not f.department:
            f.department = re.sub(r"^\[?\(?\d+\]?\)?-?", "", v).strip() or v
        elif kind == "annual_goal" and not f.annual_goal and len(v) > 6:
            f.annual_goal = v
        elif kind == "overall_goal" and not f.overall_goal and len(v) > 6:
            f.overall_goal = v
        elif kind in ("total_funds", "fiscal_funds"):
            num = money(v, "万元")  # a bare number is in 万元 here (see facts.money)
            if num is not None:
                if kind == "total_funds" and f.total is None:
                    f.total = num
                elif kind == "fiscal_funds" and f.fiscal is None:
                    f.fiscal = num

    def labels_in(self, cells: list[str]) -> bool:
        """Handle ``label value`` pairs (项目名称 | xxx). True when the unit was metadata."""
        hit = False
        for k, c in enumerate(cells):
            kind = self.label(c)
            if not kind:
                # inline "项目名称: xxx"
                m = re.match(r"^(.{2,12}?)[:：]\s*(.+)$", c.strip())
                if m and self.label(m.group(1)):
                    kind = self.label(m.group(1))
                    if kind == "project":
                        self.new_project()
                    self.take_label_value(kind, m.group(2))
                    hit = True
                continue
            hit = True
            if kind == "project":
                self.new_project()
            nxt = next((x for x in cells[k + 1:] if x.strip()), None)
            if nxt is not None:
                self.take_label_value(kind, nxt)
            else:
                self.expect = kind
        return hit

    # -- categories at the start of a row
    def leading(self, cells: list[str], cats: _Cats, lead_empty: int = 0) -> int:
        """Consume leading category / noise cells; return the index of the first other cell."""
        i = 0
        seen = 0
        n = len(cells)
        while i < n:
            c = cells[i].strip()
            if not c or _key(c) in _noise() or is_weight_only(c) or _key(c) in ("一级", "二级"):
                i += 1
                continue
            cat = category(c)
            step = 1
            if cat is None and i + 1 < n:
                cat = category(c + cells[i + 1])
                step = 2 if cat else 1
            if cat is None and _FRAG_OK.match(_key(c)) and i + 1 < n:
                cats.frags += _key(c)
                cat2 = category(cats.frags)
                if cat2:
                    cats.frags = ""
                    cats.apply(cat2, seen == 0 and not lead_empty, False)
                    seen += 1
                    i += 1
                    continue
                if len(cats.frags) <= 6 and any(cats.frags.startswith(x) for x in ("产", "效", "满", "成", "数", "质", "时", "经", "社", "生", "可", "服")):
                    i += 1
                    continue
                cats.frags = ""
            if cat is None:
                break
            more = any(category(x) for x in cells[i + step: i + step + 2] if x.strip())
            cats.apply(cat, seen == 0 and not lead_empty, more)
            cats.frags = ""
            seen += 1
            i += step
        return i

    # -- processing
    def row(self, cells: list[str], spaced: bool) -> None:
        # a buffer may hold several rows of a side-by-side table; read it through a bounded window
        width = 3 * (len(self.roles or []) + 4)
        pos = 0
        while pos < len(cells):
            window = cells[pos: pos + width]
            left = self._row(window, spaced)
            consumed = len(window) - (len(left) if left else 0)
            if consumed <= 0:
                break
            pos += consumed

    def _row(self, cells: list[str], spaced: bool) -> list[str] | None:
        """Read one row; return the cells of a following row found in the same buffer, if any."""
        roles = self.roles or ["value"]
        if "name" in roles:  # side-by-side groups (中期 | 年度)
            split = roles.index("name")
            roles_a, roles_b = roles[:split], roles[split + 1:]
            while roles_a and roles_a[-1] in ("level2", "level1"):
                roles_a.pop()
        else:
            roles_a, roles_b = roles, None
        i = self.leading(cells, self.cats, self.lead_empty)
        rest = [c for c in cells[i:]]
        if not any(x.strip() for x in rest):
            return None
        self.flush()
        if roles_b is not None:
            return self.row_groups(rest, roles_a, roles_b)
        # name = first cell; spaced rows may have a name broken on spaces
        best = None
        max_k = min(len(rest), 4) if spaced else 1
        for k in range(1, max_k + 1):
            name = " ".join(rest[:k])
            tail = rest[k:]
            if k > 1 and vtype(rest[k - 1]) in ("num", "quant", "op", "date"):
                break
            _, score = align_scored(tail, roles_a)
            score -= 0.9 * (k - 1)
            if best is None or score > best[0]:
                best = (score, name, tail)
        assert best is not None
        if (
            i == 0 and self.last_open and self.last_open[0] == len(self.form.indicators) - 1
            and vtype(rest[0]) in ("num", "quant", "date", "op")
        ):
            # continuation: the previous row printed only its name, its cells follow on this line
            _, name, roles_prev = self.last_open
            prev = self.form.indicators.pop()
            self.last_open = None
            cats = _Cats(prev.level1, prev.level1_raw, prev.level2, prev.level2_raw)
            self.emit(name, rest, cats=cats, roles=roles_prev)
            return None
        self.last_open = None
        before = len(self.form.indicators)
        self.emit(best[1], best[2], roles=roles_a, strict=spaced)
        if not best[2] and not spaced and len(self.form.indicators) > before:  # emit may reject the name
            self.last_open = (len(self.form.indicators) - 1, best[1], roles_a)
        return None

    def row_groups(self, rest: list[str], roles_a: list[str], roles_b: list[str]) -> list[str] | None:
        # find where the right-hand group starts: its level-2 cell, or by column count
        name_a = rest[0]
        tail = rest[1:]
        j = next((k for k, c in enumerate(tail[: len(roles_a) + 2]) if category(c)), None)
        if j is None:
            j = min(len(roles_a), len(tail))
        left, right = tail[:j], tail[j:]
        if right and any(x.strip() for x in right):
            k = self.leading(right, self.cats_b)
            right = right[k:]
            while right and not right[0].strip():
                right.pop(0)
            if right:
                rb = [r for r in roles_b if r not in ("level1", "level2")]
                extra = right[1 + len(rb):]
                if any(c.strip() for c in extra) and any(c.strip() for c in extra[1:]):
                    # rows printed one cell per line without a row marker between them
                    self.emit(right[0], right[1: 1 + len(rb)], cats=self.cats_b, roles=rb)
                    return extra
                self.emit(right[0], right[1:], cats=self.cats_b, roles=rb)
                return None
        self.emit(name_a, left, roles=roles_a)
        return None

    def stream_cell(self, cell: str, exact: bool, row_end: bool = False) -> None:
        c = cell.strip()
        roles = self.roles or ["value"]
        if self.pending is None:
            if not c or header_role(c):
                return  # a header word is never an indicator name
            if vtype(c) in ("num", "quant", "op") and not exact:
                return  # a stray score or achieved value cannot start an indicator
            if self.leading([c, ""], self.cats) >= 1:
                return
            self.pending = [c]
            self.pending_exact = exact
            return
        tail = self.pending[1:]
        if c and header_role(c) and len(self.pending) > 1 and not category(c):
            self.pending.append(c)  # e.g. 计划标准 in a 绩效标准 column
            return
        if c and (category(c) or header_role(c) or _key(c) in _noise() or _NAME_START.match(c)):
            self.flush()
            self.stream_cell(c, exact, row_end)
            return
        if self.pending_exact and exact:
            self.pending.append(c)
            if len(self.pending) - 1 >= len(roles) or row_end:
                self.flush()
            return
        if not c:
            return
        t = vtype(c)
        if not tail or (t in ("num", "quant", "date", "op", "short") and len(tail) < max(len(roles), 2)) or (t == "num" and len(tail) < 8):
            self.pending.append(c)
            if len(self.pending) - 1 >= max(len(roles), 1) and len(roles) <= 1:
                self.flush()
            return
        self.flush()
        self.stream_cell(c, exact)

    def prose(self, line: str) -> bool:
        """Bracket/notice prose lines. True when handled."""
        m = re.match(r"^【(.+?)[-—－](.+?)】$", line)
        if m and category(m.group(1)) and category(m.group(2)):
            self.flush()
            self.cats.apply(category(m.group(1)), True, True)  # type: ignore[arg-type]
            self.cats.apply(category(m.group(2)), False, False)  # type: ignore[arg-type]
            self.in_table = True
            return True
        top = re.match(r"^[一二三四五六七八九十]+[、.．]", line) is not None  # "一、产出指标" vs "(一)数量指标"
        s = re.sub(r"^[一二三四五六七八九十]+[、.．]|^[(（][一二三四五六七八九十]+[)）]", "", line).strip()
        head = category(s.rstrip("：:;；。")) if s != line else None
        if head and (head.std1 or head.std2):
            self.flush()
            self.cats.apply(category(s.rstrip("：:;；。")), top, False)  # type: ignore[arg-type]
            self.in_table = True
            self.prose_mode = True
            return True
        m = re.match(r"^([^:：]{2,16})[:：](.+)$", line)
        if m and category(m.group(1)) and self.prose_mode | (not self.in_table):
            # "数量指标:商业段外立面改造(≥**平方米)大于等于10157.6平方米,环…"
            nv = _name_op_value(m.group(2))
            if nv:
                self.flush()
                self.cats.apply(category(m.group(1)), False, False)  # type: ignore[arg-type]
                self.in_table = self.prose_mode = True
                self.emit(nv[0], [nv[1]], roles=["value"])
                return True
        if not self.in_table:
            return False
        m = re.match(r"^(?:指标\d+[:：])(.+?)[(（]([^()（）]+)[)）]$", line)
        if m:
            self.flush()
            self.emit(m.group(1), [m.group(2)], roles=["value"])
            return True
        if self.prose_mode and re.search(r"[;；。]$", line) and "|" not in line:
            body = line.rstrip(";；。")
            nv = _name_op_value(body)
            if nv:
                self.emit(nv[0], [nv[1]], roles=["value"])
                return True
            m = re.match(r"^(.+)[，,](.+)$", body)
            if m:
                self.emit(m.group(1), [m.group(2)], roles=["value"])
                return True
        return False

    def unit(self, u: Unit) -> None:
        # header cells printed one per line are collected into one run first
        if len(u.cells) == 1 and not u.end and (
            (header_role(u.cells[0]) and not (self.in_table and category(u.cells[0])))
            or (self.hdr_buf and not u.cells[0].strip())
        ):
            self.hdr_buf.append(u)
            return
        if self.hdr_buf:
            buf, self.hdr_buf = self.hdr_buf, []
            cells = [b.cells[0] for b in buf]
            tail = self.header_run(cells)
            if tail is not None:
                self.set_header(tail, cells)
            else:
                for b in buf:
                    self.unit_body(b)
        self.unit_body(u)

    def flush_group(self) -> None:
        if self.group_buf:
            buf, self.group_buf = self.group_buf, []
            while buf and not buf[-1].strip():
                buf.pop()
            if any(c.strip() for c in buf):
                self.row(buf, False)

    def finish(self) -> None:
        self.flush_group()
        if self.hdr_buf:
            buf, self.hdr_buf = self.hdr_buf, []
            for b in buf:
                self.unit_body(b)
        if self.pending and len(self.pending) == 1:
            self.pending = None  # the text stops inside the last row ("开展质"): cut off, not recorded
            self.form.notes.append("the last row is cut off in the source text and was not recorded")
        self.flush()

    def ends_table(self, cells: list[str]) -> bool:
        te = _headers()["table_end"]
        for c in cells:
            k = _key(c)
            full = re.sub(r"\s+", "", unicodedata.normalize("NFKC", c))
            if k in te["exact"] or any(x in full for x in te["contains"]):
                return True
        return False

    def unit_body(self, u: Unit) -> None:
        cells = u.cells
        if self.expect and cells and cells[0].strip():
            kind, self.expect = self.expect, None
            if not self.label(cells[0]):
                self.take_label_value(kind, cells[0])
                if len(cells) == 1:
                    return
        if len(cells) == 1 and self.prose(cells[0].strip()):
            return
        if u.spaced and len(cells) > 1 and self.prose(" ".join(cells)):
            return
        if u.glued and self.prose("".join(cells)):
            return
        if self.prose_mode:  # the listed indicators of a notice end at the first other line
            self.flush()
            self.prose_mode = self.in_table = False
        # a header row (possibly inside a long flattened line)
        flat = (u.spaced and len(cells) > 12) or u.glued
        a = 0
        while a < len(cells):
            if header_role(cells[a]) in ("level1", "level2", "name", "value"):
                b = a
                while b < len(cells) and (header_role(cells[b]) or not cells[b].strip()):
                    b += 1
                tail = self.header_run(cells[a:b])
                if tail is not None:
                    if a > 0:
                        if self.in_table:
                            self.unit_body(Unit(cells[:a], spaced=u.spaced, glued=u.glued))
                        else:
                            self.labels_in(cells[:a])
                    self.set_header(tail, cells[a:b])
                    if b < len(cells):
                        self.unit_body(Unit(cells[b:], exact=u.exact, spaced=u.spaced, glued=u.glued))
                    return
                if not flat:
                    break
                a = b
            a += 1
        if self.in_table and not u.glued and len(cells) <= 8 and self.ends_table(cells):
            self.flush()
            self.in_table = False
            self.roles = None
        if not self.in_table:
            if self.labels_in(cells):
                return
            # a table without a recognised header starts at the first category label
            if any(category(c) for c in cells[:3]) and len(cells) >= 3:
                self.in_table = True
            else:
                return
        else:
            if len(cells) > 1 and self.label(cells[0]) == "project":
                self.labels_in(cells)
                return
            if len(cells) == 1 and self.label(cells[0]) == "project":
                self.labels_in(cells)
                return
        roles = self.roles or ["value"]
        if "name" in roles and (u.exact or u.end) and len(cells) == 1:
            # side-by-side groups printed one cell per line: a row runs up to the "||||" marker
            if u.end:
                self.flush_group()
            else:
                self.group_buf.append(cells[0])
            return
        self.flush_group()
        if u.end:
            self.flush()
            return
        long_line = (u.spaced and len(cells) > len(roles) + 6) or u.glued
        if len(cells) == 1 or long_line:
            if u.glued and self.pending and len(self.pending) > 1 and cells and vtype(cells[0]) in ("short", "long"):
                self.flush()  # each flattened line starts a new row
            for c in cells:
                if self.label(c) == "project":
                    self.flush()
                    self.labels_in([c])
                    continue
                if self.expect:
                    kind, self.expect = self.expect, None
                    self.take_label_value(kind, c)
                    continue
                self.stream_cell(c, u.exact, u.row_end)
            return
        self.lead_empty = u.lead_empty
        self.row(cells, u.spaced)
        self.lead_empty = 0


# ----------------------------------------------------------------------------------------------
# entry point

_HEADER = re.compile(r"^URL:\s*(\S+)\s*\n[^\n]*\n---[ \t]*\n", re.S)
_YEAR = re.compile(r"[(（]\s*(20\d\d)\s*年度?\s*[)）]|(20\d\d)\s*年度")


def _year(body: str) -> int | None:
    """Budget year: "(2021年度)" / "2021年度", else a form title "…2023年…目标表", else "(2020)"."""
    m = _YEAR.search(body)
    if m:
        return int(m.group(1) or m.group(2))
    m = re.search(r"(20\d\d)\s*年[^\n|。]{0,40}?(?:绩效目标|绩效自评|目标表|自评表|申报表)", body)
    if m:
        return int(m.group(1))
    m = re.search(r"[(（]\s*(20\d\d)\s*[)）]", body)
    return int(m.group(1)) if m else None


def _project_year(name: str) -> int | None:
    m = re.match(r"^(20\d\d)\s*年", name or "")
    return int(m.group(1)) if m else None


def _strip_header(text: str) -> tuple[str | None, str]:
    m = _HEADER.match(text)
    if m:
        return m.group(1), text[m.end():]
    m = re.match(r"^URL:\s*(\S+)\s*\n", text)
    if m:
        rest = text[m.end():]
        parts = rest.split("\n---\n", 1)
        return m.group(1), parts[1] if len(parts) == 2 and parts[0].count("\n") < 3 else rest
    return None, text


def read_cells_text(text: str, path: str | None = None) -> list[Form]:
    """Parse pipe-separated / one-cell-per-line / whitespace-separated indicator tables into Forms.

    Several forms in one text are split at each project-name label that follows a filled table.
    Raises :class:`InputError` when the text holds no indicator row.
    """
    if not isinstance(text, str):
        raise InputError(path, "expected text")
    try:
        url, body = _strip_header(text.replace("\r\n", "\n").replace("\r", "\n"))
        p = _Parser(path, url)
        for u in tokenise(body):
            p.unit(u)
        p.finish()
    except InputError:
        raise
    except RecursionError as e:  # pathological input
        raise InputError(path, f"cannot read the table layout ({e.__class__.__name__})") from None
    drafts = [d for d in p.forms if d.indicators]
    if not drafts:
        raise InputError(path, "no indicator table found (expected rows such as 产出指标 | 数量指标 | name | value)")
    year = _year(body)
    stem = re.sub(r"\.[^.]*$", "", str(path).replace("\\", "/").split("/")[-1]) if path else "text"
    forms = []
    for k, d in enumerate(drafts):
        fid = stem if len(drafts) == 1 else f"{stem}#{k + 1}"
        forms.append(
            Form(
                id=fid,
                project_name=d.project_name,
                source=Source(
                    path=path,
                    url=url,
                    kind="self_eval" if d.self_eval else "target",
                    template="self_eval" if d.self_eval else "standard",
                    index=k if len(drafts) > 1 else None,
                ),
                department=d.department,
                year=d.year or year or _project_year(d.project_name),
                funds=Funds(total=d.total, fiscal=d.fiscal),
                overall_goal=d.overall_goal,
                annual_goal=d.annual_goal,
                indicators=d.indicators,
                notes=d.notes,
            )
        )
    return forms
