"""The report's figures (matplotlib, Agg backend, shipped CJK font). Each function returns a Figure.

Every figure has a title, named axes with units and Chinese labels rendered with ``Jixiao Sans SC``.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from jixiao.research import stats
from jixiao.research.frames import COPY_THRESHOLD

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

KIND_LABELS = {"quantitative": "定量", "qualitative": "定性", "date": "日期", "empty": "空白"}
KIND_COLOURS = {"quantitative": "#4C72B0", "qualitative": "#DD8452", "date": "#55A868", "empty": "#B0B0B0"}
GROUP_LABELS = {"province": "省份", "year": "预算年度", "sector": "领域"}


def setup() -> None:
    """Agg backend + shipped CJK font (safe to call many times)."""
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        matplotlib.use("Agg")
    from jixiao.research.fonts import use_cjk_font

    use_cjk_font()
    matplotlib.rcParams.update({"figure.dpi": 100, "savefig.dpi": 110, "axes.titlesize": 13, "axes.labelsize": 11})


def _fig(w: float = 8, h: float = 4.5):
    setup()
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    del plt  # pyplot not needed: Figure objects are not registered with a GUI
    fig = Figure(figsize=(w, h))
    ax = fig.add_subplot(1, 1, 1)
    return fig, ax


def _no_data(ax, text: str = "无数据 (no data)") -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=12, color="#666")


def to_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def goal_copy(forms: pd.DataFrame) -> Figure:
    import numpy as np

    fig, ax = _fig(7.5, 4)
    sims = forms["goal_copy"].dropna().to_numpy()
    ax.set_title(f"年度目标与总体目标的相似度 (n={len(sims)} 份同时填写两者的表单)")
    ax.set_xlabel("字符二元组 Jaccard 相似度 (0 = 完全不同, 1 = 完全相同)")
    ax.set_ylabel("表单数 (份)")
    if len(sims):
        ax.hist(sims, bins=np.linspace(0, 1, 21), color="#4C72B0", edgecolor="white")
        ax.axvline(COPY_THRESHOLD, color="#C44E52", linestyle="--")
        copied = int((sims >= COPY_THRESHOLD).sum())
        ax.text(COPY_THRESHOLD - 0.01, ax.get_ylim()[1] * 0.92, f"≥{COPY_THRESHOLD:g} 视为照抄: {copied} 份",
                ha="right", va="top", color="#C44E52", fontsize=10)
        ax.yaxis.get_major_locator().set_params(integer=True)
    else:
        _no_data(ax)
    ax.set_xlim(0, 1.02)
    fig.tight_layout()
    return fig


def value_kinds(inds: pd.DataFrame, by: str = "province") -> Figure:
    df = stats.value_kinds(inds, by=by)
    df = df if df.empty else df.sort_index(key=lambda s: s.astype(str), ascending=False) if by == "year" else df.sort_values("share_quantitative")
    fig, ax = _fig(8, max(3.2, 0.34 * len(df) + 1.6))
    label = GROUP_LABELS.get(by, by)
    ax.set_title(f"各{label}指标值类型构成 (定量 / 定性 / 日期 / 空白)")
    ax.set_xlabel("占该组指标的比例 (%)")
    ax.set_ylabel(label)
    if df.empty:
        _no_data(ax)
        return fig
    left = [0.0] * len(df)
    names = [f"{k} (n={n})" for k, n in zip(df.index.astype(str), df["indicators"], strict=True)]
    for kind in ("quantitative", "qualitative", "date", "empty"):
        vals = (df[f"share_{kind}"].fillna(0) * 100).tolist()
        ax.barh(names, vals, left=left, color=KIND_COLOURS[kind], label=KIND_LABELS[kind])
        left = [a + b for a, b in zip(left, vals, strict=True)]
    ax.set_xlim(0, 100)
    ax.legend(title="指标值类型", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    fig.tight_layout()
    return fig


def category_coverage(forms: pd.DataFrame, inds: pd.DataFrame) -> Figure:
    cov = stats.category_coverage(forms, inds)
    fig, ax = _fig(8, 5)
    n = int(cov["forms"].iloc[0]) if len(cov) else 0
    ax.set_title(f"完整表单中缺少各类指标的比例 (n={n} 份完整表单)")
    ax.set_xlabel("缺少该类指标的表单占比 (%)")
    ax.set_ylabel("指标类别 (一级 / 二级)")
    if not n:
        _no_data(ax)
        return fig
    cov = cov.iloc[::-1]
    labels = [("一级 " if lv == 1 else "二级 ") + c for lv, c in zip(cov["level"], cov["category"], strict=True)]
    colours = ["#C44E52" if lv == 1 else "#8C8C8C" for lv in cov["level"]]
    vals = (cov["share_missing"].fillna(0) * 100).tolist()
    ax.barh(labels, vals, color=colours)
    for y, (v, m) in enumerate(zip(vals, cov["forms_missing"], strict=True)):
        ax.text(v + 1, y, f"{m} 份", va="center", fontsize=9)
    ax.set_xlim(0, 112)
    fig.tight_layout()
    return fig


def percent_targets(inds: pd.DataFrame) -> Figure:
    import numpy as np

    pct = inds.loc[inds["is_percent"] & inds["number"].notna(), "number"]
    fig, ax = _fig(8, 4)
    ax.set_title(f"百分比目标值的分布 (n={len(pct)} 个百分比指标)")
    ax.set_xlabel("目标值 (%)")
    ax.set_ylabel("指标数 (个)")
    if pct.empty:
        _no_data(ax)
        return fig
    low = int((pct < 50).sum())
    shown = pct[(pct >= 50) & (pct <= 100)]
    ax.hist(shown, bins=np.arange(49.5, 101.5, 1), color="#4C72B0")
    for v in stats.HEAP_VALUES:
        c = int((pct == v).sum())
        if c:
            ax.annotate(f"{v:g}%: {c}", (v, c), xytext=(0, 4), textcoords="offset points", ha="center", fontsize=9, color="#C44E52")
    ax.set_xlim(49, 104)
    ax.set_ylim(0, ax.get_ylim()[1] * 1.1)
    if low or (pct > 100).any():
        ax.text(0.01, 0.97, f"未显示: <50% 的 {low} 个, >100% 的 {int((pct > 100).sum())} 个", transform=ax.transAxes, va="top", fontsize=9, color="#555")
    fig.tight_layout()
    return fig


def boilerplate(inds: pd.DataFrame, top: int = 15) -> Figure:
    bp = stats.boilerplate(inds, top=top)
    fig, ax = _fig(9, max(3.2, 0.38 * len(bp) + 1.4))
    ax.set_title(f"重复最多的指标 (名称 + 指标值完全相同, 前 {len(bp)} 个)")
    ax.set_xlabel("使用该指标的不同表单数 (份)")
    ax.set_ylabel("三级指标 = 指标值")
    if bp.empty:
        _no_data(ax, "没有被两份以上表单共用的指标")
        return fig
    bp = bp.iloc[::-1]
    labels = [_short(f"{n} = {v}", 30) for n, v in zip(bp["name"], bp["value_raw"], strict=True)]
    ax.barh(labels, bp["forms"], color="#55A868", height=0.6)
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    return fig


def by_group(forms: pd.DataFrame, inds: pd.DataFrame, by: str) -> Figure:
    import numpy as np

    df = stats.by_group(forms, inds, by)
    df = df[df["indicators"] > 0] if "indicators" in df else df.iloc[0:0]
    df = df if df.empty else df.sort_index(key=lambda s: s.astype(str), ascending=False) if by == "year" else df.sort_values("indicators")
    label = GROUP_LABELS.get(by, by)
    fig, ax = _fig(8, max(3.2, 0.5 * len(df) + 1.4))
    ax.set_title(f"按{label}比较: 定性指标、模糊指标与 =100% 目标的占比")
    ax.set_ylabel(label + " (括号内为指标数)")
    ax.set_xlabel("占比 (%)")
    if df.empty:
        _no_data(ax)
        return fig
    y = np.arange(len(df))
    h = 0.27
    series = (("share_percent_eq_100", "百分比目标中恰为 100% 的比例", "#4C72B0"),
              ("share_vague", "模糊指标值 (提升、明显改善…)\n占全部指标", "#C44E52"),
              ("share_qualitative", "定性指标占全部指标", "#DD8452"))
    for j, (col, name, colour) in enumerate(series):
        ax.barh(y + (j - 1) * h, (df[col].astype(float).fillna(0) * 100).to_numpy(), h, label=name, color=colour)
    ax.set_yticks(y, [f"{k} ({n})" for k, n in zip(df.index.astype(str), df["indicators"], strict=True)])
    ax.set_xlim(0, 100)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    fig.tight_layout()
    return fig


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def all_figures(forms: pd.DataFrame, inds: pd.DataFrame) -> dict[str, Figure]:
    return {
        "goal_copy": goal_copy(forms),
        "value_kinds_province": value_kinds(inds, "province"),
        "category_coverage": category_coverage(forms, inds),
        "percent_targets": percent_targets(inds),
        "boilerplate": boilerplate(inds),
        "by_province": by_group(forms, inds, "province"),
        "by_year": by_group(forms, inds, "year"),
        "by_sector": by_group(forms, inds, "sector"),
    }


__all__ = ["all_figures", "boilerplate", "by_group", "category_coverage", "goal_copy", "percent_targets", "setup", "to_png", "value_kinds"]
