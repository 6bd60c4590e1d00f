"""The corpus as two pandas DataFrames, one row per form and one row per indicator.

    >>> from jixiao.research import load_frames
    >>> forms, indicators = load_frames()                    # corpora/forms.jsonl
    >>> forms, indicators = load_frames(paths=["examples/"])  # any files the readers understand

Column meanings are listed in ``FORM_COLUMNS`` / ``INDICATOR_COLUMNS`` and in ``docs/research.md``.
pandas is imported inside the functions (it is an optional dependency: ``pip install 'jixiao[research]'``).
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.model import Form, province_of

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

LEVEL1_SHORT = {"产出指标": "产出", "效益指标": "效益", "满意度指标": "满意度", "成本指标": "成本"}

COST_LEVEL2 = ("成本指标", "经济成本指标", "社会成本指标", "生态环境成本指标")

#: a goal pair whose char-bigram Jaccard similarity reaches this is counted as copy-pasted
COPY_THRESHOLD = 0.9

FORM_COLUMNS = {
    "id": "form id (corpus-NNN, seed-…)",
    "project_name": "project name as printed",
    "department": "budget unit as printed",
    "province": "first token of the region (province / autonomous region / municipality)",
    "region": "administrative path, province first",
    "year": "budget year (may be missing)",
    "kind": "target (goal form) or self_eval (self-evaluation form)",
    "template": "standard, self_eval, ndrc, department …",
    "complete": "the whole indicator table is shown (False = partial transcription)",
    "sector": "sector guessed from project name / department keywords (data/sectors.toml)",
    "source_url": "public URL of the form",
    "n_indicators": "number of indicator rows",
    "n_quantitative": "indicators with a numeric target",
    "n_qualitative": "indicators with a qualitative (word) target",
    "n_vague": "indicators whose target is only vague words (提升, 明显改善 …)",
    "share_vague": "n_vague / n_indicators",
    "has_产出 … has_成本": "at least one indicator of that level-1 category (has_成本: also a level-2 cost category)",
    "n_level2": "distinct standard level-2 categories used",
    "overall_goal_len": "characters in the overall (medium-term) goal",
    "annual_goal_len": "characters in the annual goal",
    "goal_copy": "char-bigram Jaccard similarity of annual vs overall goal (NaN if one is missing)",
    "goal_copied": "goal_copy >= COPY_THRESHOLD (0.9)",
    "funds_total": "project funds in 元",
    "funds_fiscal": "fiscal funds in 元",
}

INDICATOR_COLUMNS = {
    "form_id": "id of the form",
    "province": "province of the form",
    "year": "budget year of the form",
    "sector": "sector of the form",
    "form_kind": "target / self_eval",
    "template": "template of the form",
    "complete": "the form shows its whole indicator table",
    "position": "row number in the form (0-based)",
    "level1": "standard level-1 category or None",
    "level2": "standard level-2 category or None",
    "level1_raw": "level-1 label as printed",
    "level2_raw": "level-2 label as printed",
    "name": "indicator name (三级指标)",
    "value_raw": "target value as printed",
    "op": "comparison operator of the target (=, >=, <=, >, <) or None",
    "number": "numeric target or NaN",
    "unit": "unit of the target",
    "kind": "quantitative / qualitative / date / empty",
    "is_percent": "target is a percentage",
    "is_vague": "qualitative target made only of vague words (vocabulary in data/review_vocab.toml)",
    "key": "normalised name + value used to count boilerplate",
    "boilerplate": "number of distinct forms with exactly this normalised name + value",
}


def norm_text(s: str | None) -> str:
    """NFKC, whitespace and punctuation removed, lower case: the text compared for copies
    (:func:`jixiao.review.text.norm_loose`)."""
    from jixiao.review.text import norm_loose

    return norm_loose(s)


def bigram_jaccard(a: str | None, b: str | None) -> float | None:
    """Character-bigram Jaccard similarity (punctuation and spacing ignored); None if a text is empty.

    :func:`jixiao.review.text.jaccard`, with None instead of 0.0 for a missing text.
    """
    from jixiao.review.text import jaccard

    if not norm_text(a) or not norm_text(b):
        return None
    return jaccard(a, b)


# --- vocabularies (data files) ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _sectors() -> list[tuple[str, list[str]]]:
    with resources.files("jixiao.data").joinpath("sectors.toml").open("rb") as f:
        data = tomllib.load(f)
    return [(k, list(v)) for k, v in data["sectors"].items()]


def sector_of(project_name: str | None, department: str | None = None) -> str:
    """Sector from project-name keywords, then department keywords (``data/sectors.toml``); else 其他."""
    for text in (project_name or "", department or ""):
        for sector, keywords in _sectors():
            if any(k in text for k in keywords):
                return sector
    return "其他"


def is_vague_value(raw: str | None) -> bool:
    """A qualitative value made only of vague words and modifiers (提升, 有所改善, 进一步完善 …):
    the review rule's definition and vocabulary (:func:`jixiao.review.text.is_vague_value`)."""
    from jixiao.review.text import is_vague_value as review_is_vague

    return bool(review_is_vague(raw))


# --- frames -------------------------------------------------------------------------------------


def _forms_from(forms: Iterable[Form] | None, paths: Sequence[str | Path] | None) -> list[Form]:
    if forms is not None and paths is not None:
        raise ValueError("give forms or paths, not both")
    if forms is not None:
        return list(forms)
    if paths is not None:
        from jixiao.readers import iter_paths, read_path

        out: list[Form] = []
        for p in iter_paths(paths):  # folders → the supported files below them
            out.extend(read_path(p))
        return out
    from jixiao.corpus import load_corpus

    return load_corpus()


def indicator_records(forms: Sequence[Form]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for f in forms:
        prov = f.province
        sector = sector_of(f.project_name, f.department)
        for pos, ind in enumerate(f.indicators):
            v = ind.value
            rows.append(
                {
                    "form_id": f.id,
                    "province": prov,
                    "year": f.year,
                    "sector": sector,
                    "form_kind": f.source.kind,
                    "template": f.source.template,
                    "complete": f.source.complete,
                    "position": pos,
                    "level1": ind.level1,
                    "level2": ind.level2,
                    "level1_raw": ind.level1_raw,
                    "level2_raw": ind.level2_raw,
                    "name": ind.name,
                    "value_raw": v.raw,
                    "op": v.op,
                    "number": v.number,
                    "unit": v.unit,
                    "kind": v.kind,
                    "is_percent": v.kind == "quantitative" and (v.unit or "").strip("()（）") in ("%", "％"),
                    "is_vague": v.kind in ("qualitative", "empty") and is_vague_value(v.raw),
                    "key": norm_text(ind.name) + "|" + norm_text(v.raw),
                }
            )
    forms_per_key: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        forms_per_key[r["key"]].add(r["form_id"])
    for r in rows:
        r["boilerplate"] = len(forms_per_key[r["key"]])
    return rows


def form_records(forms: Sequence[Form]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for f in forms:
        inds = f.indicators
        n = len(inds)
        n_vague = sum(1 for i in inds if i.value.kind in ("qualitative", "empty") and is_vague_value(i.value.raw))
        level1s = {i.level1 for i in inds}
        sim = bigram_jaccard(f.annual_goal, f.overall_goal)
        row: dict[str, Any] = {
            "id": f.id,
            "project_name": f.project_name,
            "department": f.department,
            "province": f.province,
            "region": f.source.region,
            "year": f.year,
            "kind": f.source.kind,
            "template": f.source.template,
            "complete": f.source.complete,
            "sector": sector_of(f.project_name, f.department),
            "source_url": f.source.url,
            "n_indicators": n,
            "n_quantitative": sum(1 for i in inds if i.value.kind == "quantitative"),
            "n_qualitative": sum(1 for i in inds if i.value.kind == "qualitative"),
            "n_vague": n_vague,
            "share_vague": n_vague / n if n else None,
        }
        for full, short in LEVEL1_SHORT.items():
            row[f"has_{short}"] = full in level1s
        # before 2021 成本 sat under 产出 as a level-2 category: any cost indicator counts
        row["has_成本"] = row["has_成本"] or any(i.level2 in COST_LEVEL2 for i in inds)
        row.update(
            {
                "n_level2": len({i.level2 for i in inds if i.level2}),
                "overall_goal_len": len(f.overall_goal or ""),
                "annual_goal_len": len(f.annual_goal or ""),
                "goal_copy": sim,
                "goal_copied": None if sim is None else sim >= COPY_THRESHOLD,
                "funds_total": f.funds.total,
                "funds_fiscal": f.funds.fiscal,
            }
        )
        rows.append(row)
    return rows


def load_frames(
    forms: Iterable[Form] | None = None, paths: Sequence[str | Path] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(forms, indicators)`` DataFrames for the corpus (default), a list of forms, or files/folders."""
    import pandas as pd

    fl = _forms_from(forms, paths)
    fdf = pd.DataFrame(form_records(fl))
    idf = pd.DataFrame(indicator_records(fl))
    if fdf.empty or idf.empty:  # keep the columns (and so every statistic) defined on no data
        from jixiao.model import Indicator

        probe = [Form(id="probe", indicators=[Indicator(name="probe")])]
        if fdf.empty:
            fdf = pd.DataFrame(columns=list(form_records(probe)[0]))
        if idf.empty:
            idf = pd.DataFrame(columns=list(indicator_records(probe)[0]))
    for df, col in ((fdf, "year"), (idf, "year")):
        df[col] = df[col].astype("Int64")
    for col in ("goal_copy", "funds_total", "funds_fiscal", "share_vague"):
        fdf[col] = pd.to_numeric(fdf[col], errors="coerce").astype("float64")
    for col in ("is_percent", "is_vague"):
        idf[col] = idf[col].astype(bool)
    for col in [c for c in fdf.columns if c.startswith("has_")]:
        fdf[col] = fdf[col].astype(bool)
    for df, cols in ((fdf, ("n_indicators", "n_quantitative", "n_qualitative", "n_vague", "n_level2",
                            "overall_goal_len", "annual_goal_len")), (idf, ("position", "boilerplate"))):
        for col in cols:
            df[col] = df[col].astype("int64")
    fdf["goal_copied"] = fdf["goal_copied"].astype("boolean")
    fdf["complete"] = fdf["complete"].astype("boolean")
    idf["complete"] = idf["complete"].astype("boolean")
    idf["number"] = pd.to_numeric(idf["number"], errors="coerce").astype("float64")
    return fdf, idf


__all__ = [
    "COPY_THRESHOLD",
    "FORM_COLUMNS",
    "INDICATOR_COLUMNS",
    "bigram_jaccard",
    "form_records",
    "indicator_records",
    "is_vague_value",
    "load_frames",
    "norm_text",
    "province_of",
    "sector_of",
]
