"""Our own JSON: ``{"forms": [...]}`` as printed by ``jixiao parse``, a single Form dict, a list of
Form dicts, or JSON Lines (one Form dict per line, e.g. ``corpora/forms.jsonl``)."""

from __future__ import annotations

import json
from typing import Any

from jixiao.errors import InputError
from jixiao.model import Form

MAX_DEPTH = 20


def _depth(x: Any, limit: int = MAX_DEPTH) -> int:
    stack = [(x, 1)]
    deepest = 0
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(node, dict):
            stack.extend((v, d + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, d + 1) for v in node)
    return deepest


def _form(d: Any, shown: str | None, where: str) -> Form:
    if not isinstance(d, dict):
        raise InputError(shown, f"{where}: expected a form object, got {type(d).__name__}")
    if "indicators" not in d and "project_name" not in d:
        raise InputError(shown, f"{where}: not a form (no 'indicators' or 'project_name' key)")
    inds = d.get("indicators", [])
    if not isinstance(inds, list) or not all(isinstance(i, dict) for i in inds):
        raise InputError(shown, f"{where}: 'indicators' must be a list of objects")
    for k in ("source", "period", "funds"):
        if k in d and d[k] is not None and not isinstance(d[k], dict | str if k == "source" else dict):
            raise InputError(shown, f"{where}: '{k}' has the wrong type ({type(d[k]).__name__})")
    if inds and all("level3" in i and "name" not in i for i in inds):
        # a corpus transcription (corpora/sources/shared-corpus/forms/NNN.json)
        from jixiao.corpus.transcription import form_from_transcription

        try:
            return form_from_transcription(d, str(d.get("id") or "transcription"), path=shown)
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            raise InputError(shown, f"{where}: wrong shape ({type(exc).__name__}: {exc})") from None
    try:
        form = Form.from_dict(d)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise InputError(shown, f"{where}: wrong shape ({type(exc).__name__}: {exc})") from None
    if not form.indicators:
        raise InputError(shown, f"{where}: no indicator table found (empty 'indicators')")
    if any(not isinstance(i.name, str) or not i.name.strip() for i in form.indicators):
        raise InputError(shown, f"{where}: wrong shape (an indicator has no 'name')")
    return form


def read_json_text(text: str, shown: str | None = None) -> list[Form]:
    text = text.lstrip("\ufeff")
    try:
        docs = [json.loads(text)]
    except RecursionError:
        raise InputError(shown, "JSON nested too deeply") from None
    except json.JSONDecodeError as first:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if len(lines) < 2:
            raise InputError(shown, f"invalid JSON: {first.msg} at line {first.lineno} column {first.colno}") from None
        docs = []
        for n, ln in enumerate(lines, 1):
            try:
                docs.append(json.loads(ln))
            except RecursionError:
                raise InputError(shown, f"line {n}: JSON nested too deeply") from None
            except json.JSONDecodeError as exc:
                raise InputError(shown, f"invalid JSON Lines: line {n}: {exc.msg}") from None
    forms: list[Form] = []
    for n, doc in enumerate(docs):
        if _depth(doc) > MAX_DEPTH:
            raise InputError(shown, f"JSON nested too deeply (> {MAX_DEPTH} levels)")
        if isinstance(doc, dict) and "forms" in doc:
            items = doc["forms"]
            if not isinstance(items, list):
                raise InputError(shown, "'forms' must be a list")
        elif isinstance(doc, list):
            items = doc
        else:
            items = [doc]
        for k, item in enumerate(items):
            where = f"form {len(forms) + 1}" if len(docs) == 1 else f"line {n + 1}"
            forms.append(_form(item, shown, where if len(items) == 1 or len(docs) > 1 else f"form {k + 1}"))
    if not forms:
        raise InputError(shown, "no forms in JSON")
    return forms
