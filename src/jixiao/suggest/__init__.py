"""Suggestions for drafters: measurable rewrites of weak indicators and indicator sets for new projects.

    >>> from jixiao.suggest import suggest_rewrites, suggest_set
    >>> suggest_rewrites(indicator, form)          # list[Suggestion], each cited or marked 模板
    >>> suggest_set(project_name="智慧法院运维")    # IndicatorSet organised by level1/level2

Retrieval index: :mod:`jixiao.suggest.index` (``build_index(forms, out_dir)``, ``load_index()``).
Heavy work (embedding, index loading) happens on the first call, not at import. The public names
are resolved on first use (module ``__getattr__``), so importing a submodule such as
:mod:`jixiao.suggest.index` does not import :mod:`jixiao.suggest.rewrite`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from jixiao.suggest.rewrite import Suggestion, diagnose, is_weak, suggest_rewrites, suggest_rewrites_batch

#: public name -> the module that defines it (imported when the name is first used)
_LAZY = {
    "Suggestion": "jixiao.suggest.rewrite",
    "diagnose": "jixiao.suggest.rewrite",
    "is_weak": "jixiao.suggest.rewrite",
    "suggest_rewrites": "jixiao.suggest.rewrite",
    "suggest_rewrites_batch": "jixiao.suggest.rewrite",
}


def suggest_set(*args, **kwargs):
    from jixiao.suggest.recommend import suggest_set as _suggest_set

    return _suggest_set(*args, **kwargs)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        # AttributeError (not ImportError) lets ``from jixiao.suggest import index`` import the submodule
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups do not come back here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = ["Suggestion", "diagnose", "is_weak", "suggest_rewrites", "suggest_rewrites_batch", "suggest_set"]
