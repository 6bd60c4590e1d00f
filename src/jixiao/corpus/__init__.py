"""The corpus of real past forms (``corpora/``): loading, building and statistics.

    >>> from jixiao.corpus import load_corpus
    >>> forms = load_corpus()           # list[Form] from corpora/forms.jsonl
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from jixiao.fsutil import repo_root
from jixiao.model import Form


def corpora_dir() -> Path:
    root = repo_root()
    if root is None:
        raise FileNotFoundError("corpora/ not found: set JIXIAO_HOME to the jixiao checkout")
    return root / "corpora"


def corpus_path() -> Path:
    return corpora_dir() / "forms.jsonl"


def read_jsonl(path: str | Path) -> list[Form]:
    forms = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                forms.append(Form.from_dict(json.loads(line)))
    return forms


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[Form, ...]:
    return tuple(read_jsonl(path))


def load_corpus(path: str | Path | None = None) -> list[Form]:
    """All corpus forms (cached per process)."""
    return list(_load(str(path or corpus_path())))


__all__ = ["corpora_dir", "corpus_path", "load_corpus", "read_jsonl"]
