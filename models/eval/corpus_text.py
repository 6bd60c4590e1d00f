"""Indicator names and goal texts of the real corpus, for the model-building scripts in ``models/``.

Reads ``corpora/forms.jsonl`` (via :func:`jixiao.corpus.load_corpus`) and the seed dump
``corpora/sources/seed/*.txt`` directly (the seed forms are not necessarily in ``forms.jsonl`` yet,
and this module must not depend on the readers). Used by ``mine_domain_dict.py`` and
``eval_embeddings.py``; nothing under ``src/`` imports it.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "corpora" / "sources" / "seed"

_LEVEL_WORDS = ("指标", "一级指标", "二级指标", "三级指标")
_ENUM = re.compile(r"^\s*(指标\s*\d+\s*[.:：、．]|\d+\s*[.、．]|[★*]+)\s*")


def clean_name(name: str) -> str:
    """Strip the enumerators some forms print before an indicator name (``指标1:``, ``★``)."""
    return _ENUM.sub("", name or "").strip()


def _looks_like_value(cell: str) -> bool:
    return bool(re.match(r"^[=≥≤><＞＜＝]|^\d|^(及时|提升|稳定|安全|消除|有效|准确|完成|达标|良好|是|否)", cell))


def seed_records() -> list[dict]:
    """(form title, indicator names, goal texts) per seed form, parsed from the tab dump."""
    forms: list[dict] = []
    for path in sorted(SEED_DIR.glob("*.txt")):
        cur: dict | None = None
        in_table = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                cur = {"project": None, "names": [], "goals": [], "path": path.name}
                forms.append(cur)
                in_table = False
                continue
            if cur is None:
                continue
            cells = [c.strip() for c in line.split("\t")]
            nonempty = [c for c in cells if c]
            if not nonempty:
                continue
            if nonempty[0] == "项目名称" and len(nonempty) > 1:
                cur["project"] = nonempty[1]
            if "三级指标" in nonempty:
                in_table = True
                continue
            if not in_table:
                if len(nonempty) >= 1 and len(nonempty[0]) > 30:
                    cur["goals"].extend(c for c in nonempty if len(c) > 30)
                continue
            # indicator rows: [level1] [level2] name value
            rest = [c for c in nonempty if not c.endswith(_LEVEL_WORDS) and c not in ("产出指标", "效益指标")]
            if len(rest) >= 2 and _looks_like_value(rest[-1]) or len(rest) >= 2:
                cur["names"].append(rest[-2])
            elif len(rest) == 1 and not _looks_like_value(rest[0]):
                cur["names"].append(rest[0])
    return forms


def corpus_records() -> list[dict]:
    from jixiao.corpus import load_corpus

    out = []
    for f in load_corpus():
        goals = [g for g in (getattr(f, "annual_goal", None), getattr(f, "overall_goal", None)) if g]
        out.append({"project": getattr(f, "project_name", None), "names": [i.name for i in f.indicators],
                    "goals": goals, "path": f.id})
    return out


def all_records() -> list[dict]:
    """Corpus forms first, then seed forms (seed forms already in the corpus are skipped)."""
    recs = corpus_records()
    have = {r["project"] for r in recs if r["project"]}
    recs += [r for r in seed_records() if r["project"] not in have]
    return recs


def indicator_names(clean: bool = True) -> list[str]:
    """Distinct indicator names, in corpus order."""
    seen: dict[str, None] = {}
    for r in all_records():
        for n in r["names"]:
            n = clean_name(n) if clean else n
            if n and len(n) >= 2:
                seen.setdefault(n, None)
    return list(seen)
