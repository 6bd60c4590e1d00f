"""Review results: findings, score card and the per-form review (the JSON contract of ``jixiao review``).

JSON of one form review::

    {"id", "project_name", "score": {"total", "grade", "dimensions": {...}},
     "findings": [{"rule", "name", "severity", "target": {"kind", "index"}, "message", "suggestion", ...}]}
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from jixiao.model import Form, Source

SEVERITIES = ("error", "warning", "info")
TARGET_KINDS = ("overall_goal", "annual_goal", "indicator", "form")
# How findings name their target, in the reports and in the rules' messages; the goal labels are the
# form's own field names (总体目标, 年度目标).
TARGET_ZH = {"overall_goal": "总体目标", "annual_goal": "年度目标", "indicator": "指标", "form": "整表"}


@dataclass
class Target:
    kind: str  # one of TARGET_KINDS
    index: int | None = None  # indicator index for kind == "indicator"


@dataclass
class Finding:
    rule: str  # stable code, e.g. "JX101"
    name: str  # kebab-case rule name, e.g. "goal-copy"
    severity: str  # "error" | "warning" | "info"
    target: Target
    message: str
    suggestion: str | None = None
    dimension: str | None = None  # score-card dimension the finding counts against
    standing: str | None = None  # "V" | "R" | "I": how well the rule's source is established
    accepted: bool = False  # a reviewer accepted it (in-form note or baseline)
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Score:
    total: float
    dimensions: dict[str, float] = field(default_factory=dict)
    grade: str | None = None  # 优 / 良 / 中 / 差

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class IndicatorName:
    """An indicator row reduced to its name (what :class:`FormHead` keeps of it)."""

    name: str


@dataclass(slots=True)
class FormHead:
    """What the reports keep of a reviewed form when they do not print the form itself.

    The json, text and sarif reports, the batch summary and baselines read only the form's id,
    project name, source and indicator names (a finding's target label, a baseline fingerprint)
    and count. A batch review swaps each parsed :class:`~jixiao.model.Form` for this (see
    :meth:`FormReview.slim`), so that thousands of reviews do not keep every goal text, value and
    note alive until the report is written. The html and xlsx reports print the form: they keep it.
    """

    id: str
    project_name: str
    source: Source
    indicators: tuple[IndicatorName, ...] = ()

    @classmethod
    def of(cls, form: Form | FormHead) -> FormHead:
        if isinstance(form, FormHead):
            return form
        return cls(id=form.id, project_name=form.project_name, source=form.source,
                   indicators=tuple(IndicatorName(i.name) for i in form.indicators))


@dataclass
class FormReview:
    form: Form | FormHead
    findings: list[Finding] = field(default_factory=list)
    score: Score = field(default_factory=lambda: Score(total=100.0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.form.id,
            "project_name": self.form.project_name,
            "source": self.form.source.path or self.form.source.url,
            "score": self.score.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
        }

    def slim(self) -> FormReview:
        """Drop the parsed form, keeping its :class:`FormHead` (in place; returns ``self``)."""
        self.form = FormHead.of(self.form)
        return self
