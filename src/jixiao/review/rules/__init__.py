"""Rule registry.

A rule is a small generator function over the data model, registered with :func:`rule`::

    @rule("JX303", "vague-value", severity="warning", dimension="可衡量性", standing="V", ref="R16")
    def vague_value(form, ctx):
        '''<docs in the fixed structure, see jixiao.review.docs>'''
        for i, ind in ctx.indicators():
            if ...:
                yield ctx.hit(ctx.indicator_target(i), f"“{ind.name}”的指标值…", suggestion="建议…")

Every module in this package is imported by :func:`all_rules`, so adding a rule means adding one file.
Codes are grouped by area: 1xx goals, 2xx structure/completeness, 3xx values/units/operators,
4xx duplicates/boilerplate/category, 5xx funds.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
DIMENSIONS = ("完整性", "相关性", "可衡量性", "适当性", "规范性")
STANDINGS = ("V", "R", "I")

_CODE = re.compile(r"^JX[1-5]\d\d$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class RuleSkipped(Exception):
    """Raised by a rule that cannot run on this form or in this environment (missing model…)."""


@dataclass
class Hit:
    """What a rule reports; the engine turns it into a :class:`~jixiao.review.findings.Finding`."""

    target: Any  # jixiao.review.findings.Target
    message: str
    suggestion: str | None = None
    severity: str | None = None  # overrides the rule's default (e.g. goal-copy on one-year projects)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    dimension: str
    standing: str
    ref: tuple[str, ...]
    func: Callable[..., Iterable[Hit]]
    needs_complete: bool = False  # skip forms whose source says the table is only partly shown

    @property
    def doc(self) -> str:
        return self.func.__doc__ or ""

    @property
    def module(self) -> str:
        return self.func.__module__

    def __call__(self, form, ctx) -> Iterable[Hit]:
        return self.func(form, ctx)


_REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    *,
    severity: str,
    dimension: str,
    standing: str,
    ref: str | tuple[str, ...],
    needs_complete: bool = False,
) -> Callable:
    """Register a rule function. Codes and names must be unique."""
    if not _CODE.match(code):
        raise ValueError(f"bad rule code {code!r}")
    if not _NAME.match(name):
        raise ValueError(f"bad rule name {name!r}")
    if severity not in SEVERITIES or dimension not in DIMENSIONS or standing not in STANDINGS:
        raise ValueError(f"bad rule metadata for {code}")
    refs = (ref,) if isinstance(ref, str) else tuple(ref)

    def deco(func: Callable) -> Callable:
        r = Rule(code, name, severity, dimension, standing, refs, func, needs_complete)
        for other in _REGISTRY.values():
            if other.func.__qualname__ == func.__qualname__ and other.module == func.__module__:
                continue  # module re-imported
            if other.code == code or other.name == name:
                raise ValueError(f"duplicate rule {code} {name} (already {other.code} {other.name})")
        _REGISTRY[code] = r
        func.rule = r  # type: ignore[attr-defined]
        return func

    return deco


_loaded = False


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}")
    _loaded = True


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by code."""
    _load_all()
    return [_REGISTRY[c] for c in sorted(_REGISTRY)]


def get_rule(code_or_name: str) -> Rule | None:
    _load_all()
    if code_or_name in _REGISTRY:
        return _REGISTRY[code_or_name]
    for r in _REGISTRY.values():
        if r.name == code_or_name:
            return r
    return None


__all__ = ["DIMENSIONS", "Hit", "Rule", "RuleSkipped", "all_rules", "get_rule", "rule"]
