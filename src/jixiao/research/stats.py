"""Statistics on how goals are set, computed from the frames of :func:`jixiao.research.load_frames`.

Every function takes the ``forms`` and/or ``indicators`` DataFrames and returns a DataFrame (or a dict
for the headline figures) that the HTML report writes as CSV and the notebooks display.
:func:`corpus_counts` works on ``Form`` objects with the standard library only (``jixiao corpus stats``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from jixiao.model import Form
from jixiao.research.frames import COPY_THRESHOLD, LEVEL1_SHORT, sector_of
from jixiao.taxonomy import LEVEL2_STANDARD

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

HEAP_VALUES = (100.0, 95.0, 90.0, 85.0, 80.0)
GROUPINGS = ("province", "year", "sector")


# --- counts for `jixiao corpus stats` (no pandas) ------------------------------------------------


def corpus_counts(forms: Sequence[Form]) -> dict[str, Any]:
    """Counts by province, year, kind, template and category; labels that did not normalise."""

    def ordered(c: Counter) -> dict[str, int]:
        return {str(k): v for k, v in sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0])))}

    inds = [i for f in forms for i in f.indicators]
    unmapped1: Counter = Counter(i.level1_raw for i in inds if i.level1 is None and i.level1_raw)
    unmapped2: Counter = Counter(i.level2_raw for i in inds if i.level2 is None and i.level2_raw)
    return {
        "forms": len(forms),
        "indicators": len(inds),
        "province": ordered(Counter(f.province or "(unknown)" for f in forms)),
        "year": {str(k): v for k, v in sorted(Counter(f.year or "(unknown)" for f in forms).items(), key=lambda kv: str(kv[0]))},
        "kind": ordered(Counter(f.source.kind for f in forms)),
        "template": ordered(Counter(f.source.template for f in forms)),
        "sector": ordered(Counter(sector_of(f.project_name, f.department) for f in forms)),
        "value_kind": ordered(Counter(i.value.kind for i in inds)),
        "level1": ordered(Counter(i.level1 or "(none)" for i in inds)),
        "level2": ordered(Counter(i.level2 or "(none)" for i in inds)),
        "level1_unmapped": ordered(unmapped1),
        "level2_unmapped": ordered(unmapped2),
    }


# --- frame statistics ----------------------------------------------------------------------------


def eligible_forms(forms: pd.DataFrame) -> pd.DataFrame:
    """Forms whose whole indicator table is known, in the standard or self-evaluation template.

    Category coverage is only meaningful on these: a partial transcription that stops inside the table
    would look as if it "forgot" 效益 or 满意度.
    """
    mask = (forms["complete"].fillna(True).astype(bool)) & forms["template"].isin(["standard", "self_eval"])
    return forms[mask & (forms["n_indicators"] > 0)]


def overview(forms: pd.DataFrame, inds: pd.DataFrame) -> dict[str, Any]:
    both = forms["goal_copy"].notna()
    q = inds[inds["kind"] == "quantitative"]
    pct = inds[inds["is_percent"]]
    elig = eligible_forms(forms)
    years = forms["year"].dropna()
    return {
        "forms": int(len(forms)),
        "indicators": int(len(inds)),
        "provinces": int(forms["province"].nunique()),
        "years": f"{int(years.min())}–{int(years.max())}" if len(years) else "",
        "forms_with_both_goals": int(both.sum()),
        "goals_copied": int(forms.loc[both, "goal_copied"].fillna(False).astype(bool).sum()),
        "share_goals_copied": _share(forms.loc[both, "goal_copied"].fillna(False).astype(bool).sum(), both.sum()),
        "share_quantitative": _share(len(q), len(inds)),
        "share_qualitative": _share((inds["kind"] == "qualitative").sum(), len(inds)),
        "share_vague": _share(inds["is_vague"].sum(), len(inds)),
        "percent_targets": int(len(pct)),
        "share_percent_eq_100": _share((pct["number"] == 100).sum(), len(pct)),
        "complete_forms": int(len(elig)),
        "share_complete_missing_效益": _share((~elig["has_效益"]).sum(), len(elig)),
        "share_complete_missing_满意度": _share((~elig["has_满意度"]).sum(), len(elig)),
        "share_complete_missing_成本": _share((~elig["has_成本"]).sum(), len(elig)),
        "indicators_shared_by_2plus_forms": int((inds["boilerplate"] >= 2).sum()),
    }


def _share(num: Any, den: Any) -> float | None:
    den = int(den)
    return round(float(num) / den, 4) if den else None


def goal_copies(forms: pd.DataFrame) -> pd.DataFrame:
    """Forms that print both goals, with the annual-vs-overall similarity, most similar first."""
    cols = ["id", "province", "year", "sector", "project_name", "overall_goal_len", "annual_goal_len", "goal_copy", "goal_copied"]
    df = forms.loc[forms["goal_copy"].notna(), cols]
    return df.sort_values(["goal_copy", "id"], ascending=[False, True]).reset_index(drop=True)


def value_kinds(inds: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Share of quantitative / qualitative / date / empty targets (and of vague ones), overall or by group."""
    import pandas as pd

    def row(g: pd.DataFrame) -> dict[str, Any]:
        n = len(g)
        out: dict[str, Any] = {"indicators": n}
        for k in ("quantitative", "qualitative", "date", "empty"):
            out[f"share_{k}"] = _share((g["kind"] == k).sum(), n)
        out["share_vague"] = _share(g["is_vague"].sum(), n)
        return out

    if by is None:
        return pd.DataFrame([row(inds)], index=pd.Index(["all"], name="group"))
    rows = {k: row(g) for k, g in inds.groupby(inds[by].astype("object").fillna("(unknown)").astype(str), sort=True)}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis(by)


def category_coverage(forms: pd.DataFrame, inds: pd.DataFrame) -> pd.DataFrame:
    """For each level-1 and standard level-2 category: how many complete forms have none of it."""
    import pandas as pd

    elig = eligible_forms(forms)
    ids = set(elig["id"])
    sub = inds[inds["form_id"].isin(ids)]
    n = len(elig)
    rows = []
    for full, short in LEVEL1_SHORT.items():
        have = int(elig[f"has_{short}"].sum())  # 成本: level-1 成本指标 or a level-2 cost category
        rows.append({"level": 1, "category": full, "forms": n, "forms_with": have, "forms_missing": n - have, "share_missing": _share(n - have, n)})
    for l2 in LEVEL2_STANDARD:
        have = sub.loc[sub["level2"] == l2, "form_id"].nunique()
        rows.append({"level": 2, "category": l2, "forms": n, "forms_with": have, "forms_missing": n - have, "share_missing": _share(n - have, n)})
    return pd.DataFrame(rows)


def boilerplate(inds: pd.DataFrame, top: int = 20, min_forms: int = 2) -> pd.DataFrame:
    """Indicators (exact normalised name + value) repeated in the most distinct forms."""
    import pandas as pd

    if inds.empty:
        return pd.DataFrame(columns=["name", "value_raw", "level2", "forms", "rows", "provinces"])
    g = inds.groupby("key", sort=False)
    df = pd.DataFrame(
        {
            "name": g["name"].first(),
            "value_raw": g["value_raw"].first(),
            "level2": g["level2"].agg(lambda s: s.dropna().mode().iloc[0] if s.notna().any() else None),
            "forms": g["form_id"].nunique(),
            "rows": g.size(),
            "provinces": g["province"].agg(lambda s: "、".join(sorted({p for p in s if isinstance(p, str)}))),
        }
    )
    df = df[df["forms"] >= min_forms].sort_values(["forms", "rows", "name"], ascending=[False, False, True])
    return df.head(top).reset_index(drop=True)


def percent_targets(inds: pd.DataFrame) -> pd.DataFrame:
    """Percentage targets: how many sit exactly on 100/95/90/85/80, on another multiple of 5, or elsewhere."""
    import pandas as pd

    pct = inds.loc[inds["is_percent"] & inds["number"].notna(), "number"]
    n = len(pct)
    rows = []
    for v in HEAP_VALUES:
        c = int((pct == v).sum())
        rows.append({"target": f"{v:g}%", "indicators": c, "share": _share(c, n)})
    other5 = int(((pct % 5 == 0) & ~pct.isin(HEAP_VALUES)).sum())
    rows.append({"target": "其他 5 的倍数", "indicators": other5, "share": _share(other5, n)})
    rest = n - sum(r["indicators"] for r in rows)
    rows.append({"target": "其他", "indicators": rest, "share": _share(rest, n)})
    return pd.DataFrame(rows)


def percent_ops(inds: pd.DataFrame) -> pd.DataFrame:
    """Percentage targets by operator (=100% vs ≥95% …)."""
    import pandas as pd

    pct = inds[inds["is_percent"] & inds["number"].notna()]
    if pct.empty:
        return pd.DataFrame(columns=["op", "indicators", "share"])
    c = pct["op"].fillna("(none)").value_counts()
    return pd.DataFrame({"op": c.index, "indicators": c.values, "share": [round(v / len(pct), 4) for v in c.values]})


def by_group(forms: pd.DataFrame, inds: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per province / year / sector: size, qualitative and vague shares, =100% share, copied goals, missing categories."""
    import pandas as pd

    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    fkey = forms[by].astype("object").fillna("(unknown)").astype(str)
    ikey = inds[by].astype("object").fillna("(unknown)").astype(str)
    elig_ids = set(eligible_forms(forms)["id"])
    rows = {}
    for k in sorted(set(fkey)):
        f = forms[fkey == k]
        i = inds[ikey == k]
        pct = i[i["is_percent"]]
        both = f[f["goal_copy"].notna()]
        ef = f[f["id"].isin(elig_ids)]
        rows[k] = {
            "forms": len(f),
            "indicators": len(i),
            "share_qualitative": _share((i["kind"] == "qualitative").sum(), len(i)),
            "share_vague": _share(i["is_vague"].sum(), len(i)),
            "percent_targets": len(pct),
            "share_percent_eq_100": _share((pct["number"] == 100).sum(), len(pct)),
            "forms_with_both_goals": len(both),
            "goals_copied": int(both["goal_copied"].fillna(False).astype(bool).sum()),
            "complete_forms": len(ef),
            "missing_效益": int((~ef["has_效益"]).sum()),
            "missing_满意度": int((~ef["has_满意度"]).sum()),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis(by)


def all_tables(forms: pd.DataFrame, inds: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every table of the report, by CSV stem."""
    import pandas as pd

    ov = overview(forms, inds)
    return {
        "overview": pd.DataFrame({"measure": list(ov), "value": list(ov.values())}),
        "goal_copies": goal_copies(forms),
        "value_kinds": value_kinds(inds).reset_index(),
        "category_coverage": category_coverage(forms, inds),
        "boilerplate": boilerplate(inds),
        "percent_targets": percent_targets(inds),
        "percent_ops": percent_ops(inds),
        "by_province": by_group(forms, inds, "province").reset_index(),
        "by_year": by_group(forms, inds, "year").reset_index(),
        "by_sector": by_group(forms, inds, "sector").reset_index(),
    }


__all__ = [
    "COPY_THRESHOLD",
    "all_tables",
    "boilerplate",
    "by_group",
    "category_coverage",
    "corpus_counts",
    "eligible_forms",
    "goal_copies",
    "overview",
    "percent_ops",
    "percent_targets",
    "value_kinds",
]
