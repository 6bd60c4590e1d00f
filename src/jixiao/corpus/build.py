"""Regenerate ``corpora/forms.jsonl`` from ``corpora/sources/`` (``jixiao corpus build``).

Sources:
- ``sources/shared-corpus/forms/NNN.json``: transcriptions of public government pages (URL kept);
- ``sources/seed/*.txt``: the seed form dumps, read with the text reader;
- ``sources/web-pages/forms/*.json``: more public forms, same schema as the shared corpus, transcribed
  (header facts and the indicator table only) from pages found with the search index (URL kept).

Forms are de-duplicated on (project name, department, indicator names).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from jixiao.corpus import corpora_dir
from jixiao.corpus.transcription import form_from_transcription
from jixiao.fsutil import atomic_open
from jixiao.model import Form

SEED_PROVENANCE = {
    "region": "上海市",
    "url": None,
    "note": "上海市司法局 2023年度 财政项目支出绩效目标申报表 (12 projects), supplied with the project specification",
}


def _fingerprint(form: Form) -> str:
    key = "|".join([form.project_name, form.department or ""] + [i.name for i in form.indicators])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def collect(root: Path | None = None) -> list[Form]:
    root = root or corpora_dir()
    src = root / "sources"
    forms: list[Form] = []
    for p in sorted((src / "shared-corpus" / "forms").glob("*.json")):
        d = json.loads(p.read_text(encoding="utf-8"))
        forms.append(form_from_transcription(d, f"corpus-{p.stem}", path=str(p.relative_to(root.parent))))
    seed_dir = src / "seed"
    if seed_dir.is_dir():
        from jixiao.readers import read_path

        for p in sorted(seed_dir.glob("*.txt")):
            for i, form in enumerate(read_path(p)):
                form.id = f"seed-{p.stem}-{i + 1:02d}"
                form.source.path = str(p.relative_to(root.parent))
                form.source.region = SEED_PROVENANCE["region"]
                form.notes.append(SEED_PROVENANCE["note"])
                forms.append(form)
    # forms transcribed (header facts + indicator table only) from pages of the search index's store
    for p in sorted((src / "web-pages" / "forms").glob("*.json")):
        d = json.loads(p.read_text(encoding="utf-8"))
        forms.append(form_from_transcription(d, f"web-{p.stem}", path=str(p.relative_to(root.parent))))
    seen: set[str] = set()
    unique = []
    for f in forms:
        fp = _fingerprint(f)
        if fp not in seen:
            seen.add(fp)
            unique.append(f)
    return unique


def build(root: Path | None = None) -> tuple[Path, list[Form]]:
    root = root or corpora_dir()
    forms = collect(root)
    out = root / "forms.jsonl"
    with atomic_open(out) as f:
        for form in forms:
            f.write(json.dumps(form.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    return out, forms
