"""Suggestions for drafters: measurable rewrites of weak indicators and indicator sets for new projects.

    >>> from jixiao.suggest import suggest_rewrites, suggest_set
    >>> suggest_rewrites(indicator, form)          # list[Suggestion], each cited or marked 模板
    >>> suggest_set(project_name="智慧法院运维")    # IndicatorSet organised by level1/level2

Retrieval index: :mod:`jixiao.suggest.index` (``build_index(forms, out_dir)``, ``load_index()``).
Heavy work (embedding, index loading) happens on the first call, not at import.
"""

from __future__ import annotations

from jixiao.suggest.rewrite import Suggestion, diagnose, is_weak, suggest_rewrites, suggest_rewrites_batch


def suggest_set(*args, **kwargs):
    from jixiao.suggest.recommend import suggest_set as _suggest_set

    return _suggest_set(*args, **kwargs)


__all__ = ["Suggestion", "diagnose", "is_weak", "suggest_rewrites", "suggest_rewrites_batch", "suggest_set"]
