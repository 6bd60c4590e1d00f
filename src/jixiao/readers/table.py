"""The one row model every grid-like reader feeds (tab-separated text, CSV, xlsx, docx, pdf).

A reader turns its input into ``rows``: a list of rows, each a list of cell strings, in reading
order. An empty row (``[]`` or only blank cells) stands for a page break or a gap in the source.
:func:`rows_to_forms` splits the rows into forms (a form starts at its ``项目名称`` row), reads the
header facts (department, implementer, period, funds, goals; field labels in the ``[labels]`` of
``data/table_headers.toml``, shared with :mod:`jixiao.readers.cells`) and runs the indicator-table state
machine:

* category labels are recognised by content (``jixiao.taxonomy``), not by column, because page
  breaks and merged cells shift them: ``\\t\\t\\t时效指标\\t空调维修及时率\\t=100.00(%)`` and
  ``可持续影响指标\\t\\t办公用房修缮…\\t健全`` are read the same way as a well-formed row;
* labels missing below a merged cell are filled down (the previous row's category carries);
* where the layout leaves a category ambiguous, the indicator's wording decides (cue words in
  ``data/layout_cues.toml``) and the decision is written to the indicator's ``notes``.
"""

from __future__ import annotations

import html
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from jixiao.errors import InputError
from jixiao.model import Form, Funds, Indicator, Period, Source
from jixiao.readers.facts import headers, label_map, money
from jixiao.taxonomy import category_label, parent_of
from jixiao.values import parse_value

Rows = list[list[str]]

# Fragments of the merged "绩效指标" cell that page breaks leave at the start of a row.
_FRAGMENTS = {"绩效指标", "绩效", "指标", "标", "指", "绩", "效", "绩效目标", "指标内容"}
_STOP = re.compile(r"^(填报人|填表人|填报日期|填表日期|审核人|联系人|联系电话|负责人|单位负责人|财务负责人|备注|说明|注[:：])")
_HTML_TAG = re.compile(r"<[^>]{0,200}>")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度")
_GOAL_INLINE = re.compile(r"^\s*(年度总体目标|年度绩效目标|年度目标|项目总体目标|总体目标|长期目标|中长期目标)\s*[:：]\s*(.+)$", re.S)

# the header fields of data/table_headers.toml [labels] read here (goals are found by their wording)
_FIELDS = (
    "project", "department", "implementer", "start", "end", "total_funds", "annual_funds", "fiscal_funds",
    "fiscal_current", "carryover", "other_funds", "nature", "project_category",
)
_FUND_FIELDS = {"total_funds", "annual_funds", "fiscal_funds", "fiscal_current", "carryover", "other_funds"}
# fields also read from one cell "label: value" ("项目名称：办公用房修缮")
_INLINE_FIELDS = ("project", "department", "implementer")


def _label_key(cell: str) -> str:
    """Comparison key of a header cell: no whitespace, no colon, no trailing "(…)" ("项目资金总额(元)")."""
    s = re.sub(r"\s+", "", cell).replace("：", "").replace(":", "")
    return re.sub(r"[(（][^)）]*[)）]$", "", s)


@lru_cache(maxsize=1)
def _keys() -> dict[str, str]:
    """Header-field label (comparison key) -> field."""
    return label_map(_label_key, _FIELDS)


@lru_cache(maxsize=1)
def _inline() -> re.Pattern:
    labels = [lab for kind, labs in headers()["labels"].items() if kind in _INLINE_FIELDS for lab in labs]
    alts = "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))
    return re.compile(f"^({alts})\\s*[:：]\\s*(.+)$")


def _key(cell: str) -> str | None:
    return _keys().get(_label_key(cell))


def clean_cell(text: object) -> str:
    """Cell text with HTML tags/entities removed and surrounding whitespace stripped."""
    if text is None:
        return ""
    s = str(text)
    if "<" in s or "&" in s:
        s = html.unescape(_HTML_TAG.sub("", s))
    return s.replace("\u3000", " ").replace("\xa0", " ").strip()


def is_blank(row: list[str]) -> bool:
    return not any(c.strip() for c in row)


@lru_cache(maxsize=1)
def layout_cues() -> list[tuple[str, tuple[str, ...]]]:
    with resources.files("jixiao.data").joinpath("layout_cues.toml").open("rb") as f:
        data = tomllib.load(f)
    return [(c["level2"], tuple(c["words"])) for c in data.get("cue", [])]


def cue_level2(name: str, level1: str | None = None) -> tuple[str, str] | None:
    """(level2, cue word) suggested by an indicator's wording, compatible with ``level1``."""
    for level2, words in layout_cues():
        if level1 and parent_of(level2) != level1:
            continue
        for w in words:
            if w in name:
                return level2, w
    return None


def _is_header(cells: list[str]) -> bool:
    joined = "".join(re.sub(r"\s+", "", c) for c in cells)
    return "一级指标" in joined and ("三级指标" in joined or "二级指标" in joined)


def _header_columns(row: list[str]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, c in enumerate(row):
        s = re.sub(r"\s+", "", c)
        if "一级指标" in s:
            cols.setdefault("l1", i)
        elif "二级指标" in s:
            cols.setdefault("l2", i)
        elif "三级指标" in s or s in ("指标名称", "绩效指标名称"):
            cols.setdefault("name", i)
        elif "指标值" in s or "目标值" in s:
            cols.setdefault("value", i)
        elif s in ("计量单位", "单位", "度量单位"):
            cols.setdefault("unit", i)
    return cols


def _label_kind(text: str) -> tuple[str | None, str | None, str | None] | None:
    """(level1, level2, template) when ``text`` is a category label, else None.

    :func:`jixiao.taxonomy.category_label` with ``loose=True``: a category column of a grid also
    holds stems (``产出值``, ``成本控制``, ``效益指`` cut by a page break) and ``…满意度指标`` variants.
    """
    lab = category_label(text, loose=True)
    if lab is None:
        return None
    return lab.level1, lab.level2, lab.template


@dataclass
class _Parsed:
    """One table row after classification."""

    index: int
    labels: list[tuple[int, str]] = field(default_factory=list)  # (column, printed label)
    name: str = ""
    value: str = ""
    name_col: int = -1
    after_break: bool = False


@dataclass
class _State:
    level1: str | None = None
    level2: str | None = None
    level1_raw: str | None = None
    level2_raw: str | None = None
    uncertain: str | None = None  # why the carried level2 is uncertain (e.g. "after a page break")


class FormBuilder:
    """Accumulates one form's header facts and indicator rows."""

    def __init__(self, path: str | None, index: int, preamble: Rows):
        self.path = path
        self.index = index
        self.facts: dict[str, str] = {}
        self.goal_cols: dict[str, int] = {}
        self.goals_pending = False
        self.overall: str | None = None
        self.annual: str | None = None
        self.in_table = False
        self.table_seen = False
        self.header_cols: dict[str, int] = {}
        self.parsed: list[_Parsed] = []
        self.pending_break = False
        self.stopped = False
        self.wan = False  # funds printed in 万元
        self.title: str | None = None
        self.year: int | None = None
        self.template: str | None = None
        for row in preamble:
            self._title(row)

    # ---- header part -------------------------------------------------------------------
    def _title(self, row: list[str]) -> None:
        text = " ".join(c for c in row if c)
        m = _YEAR.search(text)
        if m and self.year is None and len([c for c in row if c]) <= 2:
            self.year = int(m.group(1))
        t = re.sub(r"^#+\s*", "", text).strip()
        if ("绩效目标" in t or "自评" in t) and ("表" in t) and len(t) <= 40 and "\t" not in t:
            self.title = t

    def _header_row(self, row: list[str]) -> None:
        cells = [clean_cell(c) for c in row]
        nonempty = [(i, c) for i, c in enumerate(cells) if c]
        if not nonempty:
            return
        joined = "".join(re.sub(r"\s+", "", c) for _, c in nonempty)
        if len(nonempty) <= 2:
            self._title(cells)
        if "万元" in joined and any(_key(c) in _FUND_FIELDS for _, c in nonempty):
            self.wan = True
        # goals: a header row naming 总体目标 / 年度目标, text below (or beside)
        goal_hdr = [(i, c) for i, c in nonempty if re.search(r"(总体目标|年度目标|绩效目标|长期目标)", re.sub(r"\s+", "", c)) and len(c) <= 30]
        if goal_hdr and self.overall is None and self.annual is None:
            cols: dict[str, int] = {}
            for i, c in goal_hdr:
                s = re.sub(r"\s+", "", c)
                if "年度" in s:
                    cols.setdefault("annual", i)
                elif "总体" in s or "长期" in s:
                    cols.setdefault("overall", i)
            if cols:
                # text in the same row after the header cell ("年度目标 | 完成……")
                texts = [(i, c) for i, c in nonempty if i > min(cols.values()) and len(c) > 12 and (i, c) not in goal_hdr]
                if texts:
                    self._set_goals(cols, texts)
                else:
                    self.goal_cols = cols
                    self.goals_pending = True
                return
        if self.goals_pending:
            texts = [(i, c) for i, c in nonempty if i > 0 or len(nonempty) == 1]
            texts = [(i, c) for i, c in texts if len(c) > 4]
            if texts:
                self._set_goals(self.goal_cols, texts)
                self.goals_pending = False
                return
        for _, c in nonempty:  # "年度目标：完成……" in one cell
            m = _GOAL_INLINE.match(c)
            if m and len(m.group(2)) > 4:
                if "年度" in m.group(1):
                    self.annual = self.annual or m.group(2).strip()
                else:
                    self.overall = self.overall or m.group(2).strip()
        i = 0
        while i < len(cells):
            k = _key(cells[i]) if cells[i] else None
            if k is None:
                m = _inline().match(cells[i])
                if m:
                    self.facts.setdefault(_keys()[_label_key(m.group(1))], m.group(2).strip())
                i += 1
                continue
            j = i + 1
            while j < len(cells) and not cells[j]:
                j += 1
            if j < len(cells) and _key(cells[j]) is None:
                self.facts.setdefault(k, cells[j])
                i = j + 1
            else:
                i = j

    def _set_goals(self, cols: dict[str, int], texts: list[tuple[int, str]]) -> None:
        by_col = dict(texts)
        overall = by_col.get(cols["overall"]) if "overall" in cols else None
        annual = by_col.get(cols["annual"]) if "annual" in cols else None
        rest = [c for i, c in texts if c not in (overall, annual)]
        if "overall" in cols and overall is None and rest:
            overall = rest.pop(0)
        if "annual" in cols and annual is None and rest:
            annual = rest.pop(0)
        self.overall = overall or self.overall
        self.annual = annual or self.annual

    # ---- table part --------------------------------------------------------------------
    def add_row(self, row: list[str]) -> None:
        if self.stopped:
            return
        cells = [clean_cell(c) for c in row]
        if is_blank(cells):
            if self.in_table:
                self.pending_break = True
            return
        if _is_header(cells):
            if self.in_table:
                self.pending_break = True  # a repeated header is a page break
            self.in_table = self.table_seen = True
            self.header_cols = self.header_cols or _header_columns(cells)
            return
        if not self.in_table:
            # a table without a header row starts at the first row carrying a level-1 label
            labels = [c for c in cells if c and _label_kind(c) and _label_kind(c)[0]]
            if labels and not any(_key(c) for c in cells if c):
                self.in_table = self.table_seen = True
            else:
                self._header_row(cells)
                return
        self._table_row(cells)

    def _table_row(self, cells: list[str]) -> None:
        nonempty = [(i, c) for i, c in enumerate(cells) if c]
        # drop the pieces of the merged "绩效指标" cell
        while nonempty and re.sub(r"\s+", "", nonempty[0][1]) in _FRAGMENTS:
            nonempty.pop(0)
        if not nonempty:
            return
        first = re.sub(r"\s+", "", nonempty[0][1])
        if _STOP.match(first):
            self.stopped = True
            return
        p = _Parsed(index=len(self.parsed), after_break=self.pending_break)
        k = 0
        while k < len(nonempty) and _label_kind(nonempty[k][1]):
            p.labels.append(nonempty[k])
            k += 1
        if k < len(nonempty):
            p.name_col, p.name = nonempty[k]
            if k + 1 < len(nonempty):
                p.value = nonempty[k + 1][1]
            hc = self.header_cols
            if hc.get("name") == p.name_col:
                # a row aligned with the header: trust the header's value / unit columns
                vc, uc = hc.get("value"), hc.get("unit")
                if vc is not None and vc < len(cells) and cells[vc]:
                    p.value = cells[vc]
                if uc is not None and uc < len(cells) and cells[uc] and cells[uc] not in p.value:
                    p.value = f"{p.value}{cells[uc]}" if p.value else ""
        if not p.labels and not p.name:
            return
        self.pending_break = False
        self.parsed.append(p)

    # ---- resolution --------------------------------------------------------------------
    def _apply_labels(self, p: _Parsed, st: _State) -> tuple[bool, bool]:
        """Update the state from a row's printed labels. Returns (has_level1, has_level2)."""
        got1 = got2 = False
        by_template = False  # the level-1 slot holds a template label (以工代赈: 实施效果指标 | 产出指标)
        n = len(p.labels)
        for j, (col, raw) in enumerate(p.labels):
            l1, l2, tpl = _label_kind(raw)  # type: ignore[misc]
            if tpl:
                self.template = self.template or tpl
            is_last = j == n - 1
            if l1 and l2:
                # a label that can be either level (成本指标, 满意度指标): decide by position
                if not is_last:
                    as_level1 = True
                elif got1:
                    as_level1 = False
                elif "l2" in self.header_cols and "l1" in self.header_cols:
                    as_level1 = col <= self.header_cols["l1"] and not (l1 == "成本指标" and st.level1 == "产出指标")
                else:
                    as_level1 = not (l1 == "成本指标" and st.level1 == "产出指标")
                if as_level1:
                    l2 = None
                else:
                    l1 = None
            if l1 and (not got1 or by_template):
                if l1 != st.level1:
                    st.level2 = st.level2_raw = None
                st.level1, st.level1_raw = l1, raw
                got1, by_template = True, False
            elif l2:
                st.level2, st.level2_raw = l2, raw
                par = parent_of(l2)
                if not got1 and par and st.level1 != par and not (st.level1 == "成本指标" and l2 == "成本指标"):
                    st.level1, st.level1_raw = par, None
                got2 = True
            elif tpl:
                if not got1:
                    st.level1, st.level1_raw, got1, by_template = None, raw, True, True
                    st.level2 = st.level2_raw = None
                else:
                    st.level2, st.level2_raw, got2 = None, raw, True
        return got1, got2

    def indicators(self) -> list[Indicator]:
        st = _State()
        out: list[Indicator | None] = []
        for p in self.parsed:
            if p.after_break:
                st.uncertain = "after a page break"
            got1, got2 = self._apply_labels(p, st)
            if got2:
                st.uncertain = None
            elif got1:
                st.uncertain = "after a level-1 label printed without a level-2 label"
            if not p.name:
                out.append(None)
                continue
            notes: list[str] = []
            level2, level2_raw = st.level2, st.level2_raw
            if not got2 and (st.uncertain or level2 is None):
                cue = cue_level2(p.name, st.level1)
                why = st.uncertain or "no level-2 label printed"
                if cue and cue[0] != level2:
                    level2, level2_raw = cue[0], None
                    notes.append(f"level2 resolved from wording ('{cue[1]}' → {cue[0]}) {why}")
                elif level2 is None and st.level1 == "满意度指标":
                    level2 = "服务对象满意度指标"
                    notes.append("level2 implied by level1 满意度指标")
                elif level2 is not None:
                    notes.append(f"level2 carried over from the rows above {why}")
                else:
                    notes.append(f"level2 not printed and not resolvable from wording ({why})")
                st.level2, st.level2_raw = level2, level2_raw
            level1 = st.level1
            if level1 is None and level2:
                level1 = parent_of(level2)
            out.append(
                Indicator(
                    name=p.name,
                    value=parse_value(p.value),
                    level1=level1,
                    level2=level2,
                    level1_raw=st.level1_raw,
                    level2_raw=level2_raw,
                    notes=notes,
                )
            )
        self._fix_tails(out)
        return [i for i in out if i is not None]

    def _fix_tails(self, out: list[Indicator | None]) -> None:
        """Rows just before a page break whose group label was printed after the break.

        A merged category cell that spans a page break prints its label on the second page, so the
        last rows of the first page show the previous group's label. Those rows move to the group
        printed after the break only when their wording says so (cue word == that group).
        """
        for k, p in enumerate(self.parsed):
            if not p.after_break or k == 0:
                continue
            after = self._row_level2(p)
            if after is None:
                continue
            j = k - 1
            while j >= 0 and not self.parsed[j].labels and out[j] is not None:
                ind = out[j]
                assert ind is not None
                cue = cue_level2(ind.name)
                if not cue or cue[0] != after or ind.level2 == after:
                    break
                ind.notes.append(
                    f"level2 resolved from wording ('{cue[1]}' → {after}): the row precedes a page break "
                    f"and its group label {after} is printed after the break"
                )
                new1 = parent_of(after) or ind.level1
                if new1 != ind.level1:
                    ind.level1, ind.level1_raw = new1, None
                ind.level2, ind.level2_raw = after, None
                j -= 1

    def _row_level2(self, p: _Parsed) -> str | None:
        n = len(p.labels)
        for j, (_, raw) in enumerate(p.labels):
            kind = _label_kind(raw)
            if kind and kind[1] and not (kind[0] and j < n - 1):
                return kind[1]
        return None

    # ---- result ------------------------------------------------------------------------
    def build(self, form_id: str) -> Form:
        f = self.facts
        unit = "万元" if self.wan else "元"  # a bare number is in 元 unless a funds row prints 万元 (see facts.money)

        def amount(*fields: str) -> float | None:
            """The first of ``fields`` printed (by preference), read as money."""
            printed = next((f[k] for k in fields if f.get(k)), None)
            return money(printed, unit)

        funds = Funds(
            total=amount("total_funds", "annual_funds"),
            fiscal=amount("fiscal_funds", "fiscal_current"),
            other=amount("other_funds"),
            carryover=amount("carryover"),
        )
        period = Period(start=_date(f.get("start")), end=_date(f.get("end")))
        year = self.year or period.years[0]
        kind = "self_eval" if self.title and "自评" in self.title else "target"
        indicators = self.indicators()  # resolving the labels also finds the template (以工代赈 …)
        template = self.template or ("self_eval" if kind == "self_eval" else "standard")
        form = Form(
            id=form_id,
            project_name=f.get("project", ""),
            source=Source(path=self.path, kind=kind, template=template, doc_type=self.title, index=self.index),
            department=f.get("department"),
            implementer=f.get("implementer"),
            year=year,
            period=period,
            funds=funds,
            overall_goal=self.overall,
            annual_goal=self.annual,
            indicators=indicators,
        )
        if self.wan:
            form.notes.append("funds printed in 万元, stored in 元")
        return form


def _date(s: str | None) -> str | None:
    if not s:
        return None
    m = re.match(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})(?:\s*[-./月]\s*(\d{1,2}))?", s)
    if not m:
        return s.strip() or None
    y, mo, d = m.group(1), int(m.group(2)), m.group(3)
    return f"{y}-{mo:02d}-{int(d):02d}" if d else f"{y}-{mo:02d}"


def _is_form_start(row: list[str]) -> bool:
    for c in row:
        c = clean_cell(c)
        if not c:
            continue
        s = re.sub(r"\s+", "", c)
        return s in ("项目名称", "项目名称:", "项目名称：") or s.startswith(("项目名称:", "项目名称："))
    return False


def rows_to_forms(rows: Rows, path: str | None = None, *, id_prefix: str | None = None) -> list[Form]:
    """Split ``rows`` into forms and read each. Raises InputError when no indicator table is found."""
    starts = [i for i, r in enumerate(rows) if _is_form_start(r)]
    if not starts:
        starts = [0]
    # title rows ("## 财政项目支出绩效目标申报表", "(2023年度)") sit just before 项目名称
    pre: list[int] = []
    for n, s in enumerate(starts):
        lower = starts[n - 1] + 1 if n else 0
        k = s
        while k > lower and s - k < 6 and len([c for c in rows[k - 1] if c.strip()]) <= 1:
            k -= 1
        pre.append(k)
    forms: list[Form] = []
    prefix = id_prefix or _stem(path) or "form"
    for n, s in enumerate(starts):
        end = pre[n + 1] if n + 1 < len(starts) else len(rows)
        b = FormBuilder(path, n, rows[pre[n]:s])
        for row in rows[s:end]:
            b.add_row(row)
        if not b.table_seen or not b.parsed:
            name = b.facts.get("project")
            where = f"form {n + 1}" + (f" ({name})" if name else "") if len(starts) > 1 else ""
            raise InputError(path, f"{where + ': ' if where else ''}no indicator table found")
        form = b.build(f"{prefix}-{n + 1:02d}")
        if not form.indicators:
            raise InputError(path, f"form {n + 1}: indicator table has no indicator rows")
        forms.append(form)
    return forms


def _stem(path: str | None) -> str | None:
    if not path:
        return None
    from pathlib import Path

    return Path(path).stem or None
