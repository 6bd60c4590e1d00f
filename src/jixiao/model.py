"""Canonical form model: one typed representation of a performance-goal form.

Every reader produces :class:`Form` objects; every check, suggestion and statistic consumes them.
The JSON form (``Form.to_dict`` / ``Form.from_dict``) is documented in ``docs/form-model.md``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

VALUE_KINDS = ("quantitative", "qualitative", "date", "empty")
OPERATORS = ("=", ">=", "<=", ">", "<")


@dataclass
class Value:
    """A parsed target value such as ``≥85(%)``, ``及时`` or ``5月31日前``."""

    raw: str
    op: str | None = None
    number: float | None = None
    unit: str | None = None
    kind: str = "empty"

    @classmethod
    def parse(cls, raw: str | None) -> Value:
        from jixiao.values import parse_value

        return parse_value(raw)

    @property
    def is_quantitative(self) -> bool:
        return self.kind == "quantitative"


@dataclass
class Indicator:
    """One row of the indicator table (三级指标 with its categories and target value).

    ``level1``/``level2`` hold the standard category names (``产出指标``, ``数量指标`` …) or ``None``
    when the form does not say and it cannot be resolved; ``level1_raw``/``level2_raw`` keep the
    label as printed. ``notes`` records how an ambiguous layout was resolved.
    """

    name: str
    value: Value = field(default_factory=lambda: Value(raw=""))
    level1: str | None = None
    level2: str | None = None
    level1_raw: str | None = None
    level2_raw: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Indicator:
        v = d.get("value") or {}
        if isinstance(v, str):
            value = Value.parse(v)
        else:
            value = Value(
                raw=v.get("raw", ""),
                op=v.get("op"),
                number=v.get("number"),
                unit=v.get("unit"),
                kind=v.get("kind", "empty"),
            )
        return cls(
            name=d.get("name") or "",
            value=value,
            level1=d.get("level1"),
            level2=d.get("level2"),
            level1_raw=d.get("level1_raw"),
            level2_raw=d.get("level2_raw"),
            notes=list(d.get("notes") or []),
        )


@dataclass
class Period:
    start: str | None = None
    end: str | None = None

    @property
    def years(self) -> tuple[int | None, int | None]:
        def year(s: str | None) -> int | None:
            if s and len(s) >= 4 and s[:4].isdigit():
                return int(s[:4])
            return None

        return year(self.start), year(self.end)


@dataclass
class Funds:
    """Project funds in 元 (numbers, not strings)."""

    total: float | None = None
    fiscal: float | None = None
    other: float | None = None
    carryover: float | None = None


@dataclass
class Source:
    """Where a form came from: a file (and the position inside it) and/or a public URL."""

    path: str | None = None
    url: str | None = None
    region: str | None = None
    kind: str = "target"  # "target" (goal/application form) or "self_eval"
    template: str = "standard"  # "standard", "ndrc" (发改委 实施效果/过程管理), "self_eval", "department", ...
    doc_type: str | None = None
    complete: bool | None = None
    index: int | None = None  # position of the form inside a multi-form file


@lru_cache(maxsize=1)
def _provinces() -> tuple[str, ...]:
    text = resources.files("jixiao.data").joinpath("provinces.txt").read_text(encoding="utf-8")
    return tuple(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


def province_of(region: str | None, department: str | None = None) -> str | None:
    """Province: first token of the region; without a region, a province name the department starts with."""
    if region and region.split():
        return region.split()[0]
    dep = (department or "").strip()
    for p in _provinces():
        if dep.startswith(p):
            return p
    return None


@dataclass
class Form:
    id: str
    project_name: str = ""
    source: Source = field(default_factory=Source)
    department: str | None = None
    implementer: str | None = None
    year: int | None = None
    period: Period = field(default_factory=Period)
    funds: Funds = field(default_factory=Funds)
    overall_goal: str | None = None
    annual_goal: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # reviewer decisions kept with the form: {"rule": code-or-name, "target": {...}, "note": "..."}
    accepted: list[dict[str, Any]] = field(default_factory=list)

    @property
    def province(self) -> str | None:
        """The province of the form (:func:`province_of` its region and department), or None."""
        return province_of(self.source.region, self.department)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Form:
        src = d.get("source") or {}
        if isinstance(src, str):
            src = {"path": src}
        per = d.get("period") or {}
        funds = d.get("funds") or {}
        return cls(
            id=str(d.get("id") or ""),
            project_name=d.get("project_name") or "",
            source=Source(**{k: v for k, v in src.items() if k in Source.__dataclass_fields__}),
            department=d.get("department"),
            implementer=d.get("implementer"),
            year=d.get("year"),
            period=Period(start=per.get("start"), end=per.get("end")),
            funds=Funds(**{k: funds.get(k) for k in Funds.__dataclass_fields__}),
            overall_goal=d.get("overall_goal"),
            annual_goal=d.get("annual_goal"),
            indicators=[Indicator.from_dict(i) for i in d.get("indicators") or []],
            notes=list(d.get("notes") or []),
            accepted=list(d.get("accepted") or []),
        )
