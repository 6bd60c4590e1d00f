"""Review configuration: ``jixiao.toml`` or ``[tool.jixiao]`` in ``pyproject.toml``.

Example (``jixiao.toml``; in ``pyproject.toml`` put the same keys under ``[tool.jixiao]``)::

    select = ["JX1", "JX3", "duplicate-indicator"]   # codes, code prefixes or names; default: all
    ignore = ["JX204"]
    [severity]
    boilerplate-indicator = "warning"                  # per-rule severity override
    [score]
    weights = {"完整性" = 25, "相关性" = 20, "可衡量性" = 25, "适当性" = 15, "规范性" = 15}
    deductions = {error = 20, warning = 8, info = 2}
    rule_cap = 30
    [rules.goal-copy]                                   # per-rule options
    threshold = 0.9

See ``docs/review.md`` for the full reference.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.errors import InputError

DEFAULT_WEIGHTS = {"完整性": 25.0, "相关性": 20.0, "可衡量性": 25.0, "适当性": 15.0, "规范性": 15.0}
DEFAULT_DEDUCTIONS = {"error": 20.0, "warning": 8.0, "info": 2.0}
GRADE_BANDS = (("优", 90.0), ("良", 80.0), ("中", 60.0), ("差", 0.0))


def rule_matches(pattern: str, rule) -> bool:
    """A select/ignore pattern matches a rule by name, code or code prefix (``JX3``)."""
    return pattern == rule.name or rule.code.startswith(pattern.upper())


@dataclass
class Config:
    select: list[str] | None = None  # None = every rule
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)  # code or name -> error|warning|info
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    deductions: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_DEDUCTIONS))
    rule_cap: float = 30.0  # most one rule may deduct from one dimension of one form
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # per-rule options
    strict: bool = False  # re-raise rule exceptions instead of logging them
    path: str | None = None  # file the configuration was read from

    def enabled(self, rule) -> bool:
        if self.select is not None and not any(rule_matches(p, rule) for p in self.select):
            return False
        return not any(rule_matches(p, rule) for p in self.ignore)

    def severity_of(self, rule, default: str) -> str:
        for key in (rule.code, rule.name):
            if key in self.severity:
                return self.severity[key]
        return default

    def option(self, rule, key: str, default: Any = None) -> Any:
        for k in (rule.code, rule.name):
            if k in self.rules and key in self.rules[k]:
                return self.rules[k][key]
        return default


def _from_table(table: dict[str, Any], path: str) -> Config:
    from jixiao.review.rules import SEVERITIES

    known = {"select", "ignore", "severity", "score", "rules", "strict"}
    unknown = set(table) - known
    if unknown:
        raise InputError(path, f"unknown configuration key(s): {', '.join(sorted(unknown))}")
    cfg = Config(path=path)

    def str_list(key: str) -> list[str]:
        v = table.get(key)
        if v is None:
            return []
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise InputError(path, f"'{key}' must be a list of rule codes or names")
        return v

    if "select" in table:
        cfg.select = str_list("select")
    cfg.ignore = str_list("ignore")
    sev = table.get("severity") or {}
    for k, v in sev.items():
        if v not in SEVERITIES:
            raise InputError(path, f"severity of {k} must be one of {', '.join(SEVERITIES)}, not {v!r}")
    cfg.severity = dict(sev)
    score = table.get("score") or {}
    if "weights" in score:
        w = {k: float(v) for k, v in score["weights"].items()}
        if sum(w.values()) <= 0:
            raise InputError(path, "score weights must add up to more than 0")
        cfg.weights = w
    if "deductions" in score:
        cfg.deductions = {**DEFAULT_DEDUCTIONS, **{k: float(v) for k, v in score["deductions"].items()}}
    if "rule_cap" in score:
        cfg.rule_cap = float(score["rule_cap"])
    cfg.rules = {k: dict(v) for k, v in (table.get("rules") or {}).items()}
    cfg.strict = bool(table.get("strict", False))
    return cfg


def find_config(start_dir: str | Path = ".") -> Path | None:
    """The nearest ``jixiao.toml``, or ``pyproject.toml`` with a ``[tool.jixiao]`` table, upward."""
    d = Path(start_dir).resolve()
    for p in (d, *d.parents):
        if (p / "jixiao.toml").is_file():
            return p / "jixiao.toml"
        pp = p / "pyproject.toml"
        if pp.is_file():
            try:
                with open(pp, "rb") as f:
                    if "jixiao" in tomllib.load(f).get("tool", {}):
                        return pp
            except tomllib.TOMLDecodeError:
                pass
    return None


def load_config(path: str | Path | None = None, start_dir: str | Path = ".") -> Config:
    """Read the configuration from ``path`` or from the nearest config file; defaults if none."""
    p = Path(path) if path else find_config(start_dir)
    if p is None:
        return Config()
    try:
        with open(p, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise InputError(str(p), "configuration file not found") from None
    except tomllib.TOMLDecodeError as e:
        raise InputError(str(p), f"not valid TOML: {e}") from None
    if p.name == "pyproject.toml":
        data = data.get("tool", {}).get("jixiao", {})
    return _from_table(data, str(p))


__all__ = [
    "Config", "DEFAULT_DEDUCTIONS", "DEFAULT_WEIGHTS", "GRADE_BANDS", "find_config", "load_config", "rule_matches",
]
