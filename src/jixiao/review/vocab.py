"""Review vocabularies (``data/review_vocab.toml``): loaded once, read-only."""

from __future__ import annotations

import tomllib
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def vocab() -> dict[str, Any]:
    with resources.files("jixiao.data").joinpath("review_vocab.toml").open("rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=None)
def words(section: str, key: str) -> tuple[str, ...]:
    """A word list, NFKC-folded, longest first (so that longer cues win when stripping); built once per list."""
    node: Any = vocab()
    for part in section.split("."):
        node = node[part]
    return tuple(sorted((unicodedata.normalize("NFKC", w) for w in node[key]), key=len, reverse=True))
