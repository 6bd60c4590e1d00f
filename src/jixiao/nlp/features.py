"""Features of one indicator (name + target value) for the level-2 category classifier.

Everything here is pure Python + numpy so that prediction never imports scikit-learn or torch.

Blocks (each can be switched on or off in the model config):

``cues``   per category: does a cue word of ``data/category_cues.toml`` occur in the name, does
           the name END with a head cue, does the value contain a value cue, does the unit class
           point to the category (4 × 9 binary features).
``value``  value kind, operator, unit class and a few number flags (100 %, 0, ≥ 80 % …).
``chars``  TF-IDF of character 1–3-grams of the cleaned name plus its last 1–3 characters marked
           as "end" grams (the head of a Chinese noun phrase is at its end).
``embed``  the sentence embedding of the cleaned name (:func:`jixiao.nlp.embed.get_embedder`).
``stack``  the keyword-rule baseline's own prediction (:func:`keyword_predict`) as a one-hot, and
           the same crossed with the unit class (9 + 9 × 9 indicator features, L2-normalised): the
           model learns when to trust the cue rule (e.g. a 数量 cue with a % unit is often 质量).
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from jixiao.model import Value
from jixiao.nlp.normalize import strip_enumerator
from jixiao.taxonomy import LEVEL2_COST_2021, LEVEL2_STANDARD
from jixiao.values import parse_value

CLASSES = LEVEL2_STANDARD
PROBE_TEXT = "空调维修及时率"  # its embedding is stored with the model to detect a changed embedder
UNIT_CLASSES = ("percent", "money", "time", "count", "measure", "score")
STACK_UNITS = (*UNIT_CLASSES, "date", "other", "none")
VALUE_KINDS = ("quantitative", "qualitative", "date", "empty")
OPS = ("=", ">=", "<=", ">", "<")

_PAREN = re.compile(r"[(（]([^()（）]{0,16})[)）]")
_PLACEHOLDER_PAREN = re.compile(r"[(（][^()（）]*(?:\*\*|＊|≥|>=|≤|<=)[^()（）]*[)）]")


# --------------------------------------------------------------------------- cue tables


@lru_cache(maxsize=1)
def load_cues() -> dict[str, Any]:
    """The cue tables of ``data/category_cues.toml`` (a plain dict, JSON-serialisable)."""
    with resources.files("jixiao.data").joinpath("category_cues.toml").open("rb") as f:
        data = tomllib.load(f)
    missing = [c for c in CLASSES if c not in data.get("categories", {})]
    if missing:  # a broken data file is a packaging bug, not user input
        raise ValueError(f"category_cues.toml: no cues for {', '.join(missing)}")
    return data


def _norm(s: str | None) -> str:
    if not s:
        return ""
    s = unicodedata.normalize("NFKC", str(s))
    return re.sub(r"\s+", "", s)


def clean_name(name: str | None) -> tuple[str, str | None]:
    """Return the indicator name without numbering/markers/placeholders, and a unit it names.

    ``"指标1:新建堤防长度(公里)"`` → ``("新建堤防长度", "公里")``;
    ``"*资产入股贫困人口满意度( ≥**% )"`` → ``("资产入股贫困人口满意度", "%")``.
    """
    s = _norm(name)
    unit = None
    m = _PLACEHOLDER_PAREN.search(s)
    if m:
        inner = re.sub(r"[≥≤<>=*＊\s]|\*\*", "", m.group(0)[1:-1])
        unit = inner or None
        s = s[: m.start()] + s[m.end():]
    parens = list(_PAREN.finditer(s))
    m = parens[-1] if parens else None
    if unit is None and m and m.end() == len(s) and unit_class(m.group(1)) not in (None, "other"):
        unit = m.group(1)  # "满意度(%)", "开展小型水利工程建设(个)": a unit printed after the name
        s = s[: m.start()]
    s = strip_enumerator(s)
    s = s.strip(":：.。;；,， ")
    return s or _norm(name), unit


def unit_class(unit: str | None, cues: dict[str, Any] | None = None) -> str | None:
    """Class of a unit (``percent``, ``money``, ``time``, ``count``, ``measure``, ``score``) or None."""
    if not unit:
        return None
    u = _norm(unit).strip("()（）")
    if not u:
        return None
    table = (cues or load_cues())["units"]
    for cls in UNIT_CLASSES:
        if u in table.get(cls, ()):
            return cls
    if "元" in u:
        return "money"
    for cls in UNIT_CLASSES:  # "人/次", "万元/人", "平方米/年": class of the first part
        head = re.split(r"[/·每]", u)[0]
        if head and head != u and head in table.get(cls, ()):
            return cls
    if "%" in u or "百分" in u:
        return "percent"
    return "other"


def as_value(v: Value | str | None) -> Value:
    if isinstance(v, Value):
        return v
    return parse_value(v)


# --------------------------------------------------------------------------- indicator view


class View:
    """Pre-digested indicator: cleaned name, parsed value, unit class."""

    __slots__ = ("name", "raw_name", "value", "unit", "ucls", "vtext", "_hits")

    def __init__(self, name: str, value: Value | str | None, cues: dict[str, Any]):
        self._hits: tuple[int, dict[str, tuple[int, int, int, int]]] | None = None  # (id(cues), cue_hits)
        self.raw_name = name or ""
        self.name, name_unit = clean_name(name)
        self.value = as_value(value)
        self.unit = self.value.unit or name_unit
        self.ucls = unit_class(self.unit, cues)
        if self.ucls is None and self.value.kind == "date":
            self.ucls = "date"
        self.vtext = _norm(self.value.raw)


def cue_hits(view: View, cues: dict[str, Any]) -> dict[str, tuple[int, int, int, int]]:
    """Per category: (longest name cue length, longest name-end cue length, value cue, unit cue).

    Kept on the view, so the cue block, the stacked cue rule and the rare-class vote of one
    prediction read the cue tables once per name."""
    if view._hits is not None and view._hits[0] == id(cues):
        return view._hits[1]
    out = {}
    for cat in CLASSES:
        t = cues["categories"][cat]
        name_len = max((len(w) for w in t.get("name", ()) if w in view.name), default=0)
        end_len = max((len(w) for w in t.get("name_end", ()) if view.name.endswith(w)), default=0)
        vtext = view.vtext if view.value.kind in ("qualitative", "date") else ""
        val = int(any(w in vtext for w in t.get("value", ()))) if vtext else 0
        unit = int(view.ucls is not None and view.ucls in t.get("units", ()))
        out[cat] = (name_len, end_len, val, unit)
    view._hits = (id(cues), out)
    return out


def keyword_scores(view: View, cues: dict[str, Any]) -> dict[str, float]:
    """Score of each category under the keyword-rule baseline (the cue file alone).

    A name ending with a head cue counts most, then the longest cue inside the name, then value
    and unit cues; ties are broken by the order of the categories in the taxonomy.
    """
    hits = cue_hits(view, cues)
    return {
        cat: 3.0 * e + 1.0 * n + 1.5 * v + 1.5 * u
        for cat, (n, e, v, u) in hits.items()
    }


def keyword_view_predict(view: View, cues: dict[str, Any]) -> str:
    """The keyword-rule baseline's category for an already-built :class:`View`."""
    scores = keyword_scores(view, cues)
    best = max(CLASSES, key=lambda c: (scores[c], -CLASSES.index(c)))
    return best if scores[best] > 0 else "数量指标"


def keyword_predict(name: str, value: Value | str | None = None, cues: dict[str, Any] | None = None) -> str:
    cues = cues or load_cues()
    return keyword_view_predict(View(name, value, cues), cues)


# --------------------------------------------------------------------------- featuriser


def _grams(name: str, ngram: tuple[int, int]) -> list[str]:
    g = []
    lo, hi = ngram
    for n in range(lo, hi + 1):
        g.extend(name[i: i + n] for i in range(len(name) - n + 1))
    for n in range(1, min(3, len(name)) + 1):
        g.append("$" + name[-n:])
    return g


class Featurizer:
    """Turns (name, value) pairs into a dense feature matrix; state is JSON + numpy arrays."""

    def __init__(
        self,
        blocks: tuple[str, ...] = ("cues", "value", "chars", "embed"),
        weights: dict[str, float] | None = None,
        ngram: tuple[int, int] = (1, 3),
        min_df: int = 2,
        embedder: str | None = None,
        cues: dict[str, Any] | None = None,
    ):
        self.blocks = tuple(blocks)
        self.weights = {"cues": 1.0, "value": 1.0, "chars": 1.0, "embed": 1.0, **(weights or {})}
        self.ngram = tuple(ngram)
        self.min_df = min_df
        self.embedder_name = embedder
        self.cues = cues if cues is not None else load_cues()
        self.vocab: dict[str, int] = {}
        self.idf: np.ndarray = np.zeros(0, dtype=np.float32)
        self.embed_dim: int = 0
        self.embed_probe: list[float] | None = None
        self._emb = None
        self._emb_cache: dict[str, np.ndarray] = {}

    # ---- fitting / state

    def fit(self, names: list[str], values: list[Any] | None = None) -> Featurizer:
        if "chars" in self.blocks:
            df: Counter[str] = Counter()
            for n in names:
                df.update(set(_grams(clean_name(n)[0], self.ngram)))
            kept = sorted(g for g, c in df.items() if c >= self.min_df)
            self.vocab = {g: i for i, g in enumerate(kept)}
            N = len(names)
            self.idf = np.array([math.log((1 + N) / (1 + df[g])) + 1.0 for g in kept], dtype=np.float32)
        if "embed" in self.blocks:
            emb = self._embedder()
            self.embedder_name = emb.name
            probe = np.asarray(emb.encode([PROBE_TEXT])[0], dtype=np.float32)
            self.embed_dim = int(probe.shape[0])
            self.embed_probe = [round(float(x), 6) for x in probe]
        return self

    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        cfg = {
            "blocks": list(self.blocks),
            "weights": self.weights,
            "ngram": list(self.ngram),
            "min_df": self.min_df,
            "embedder": self.embedder_name,
            "embed_dim": self.embed_dim,
            "embed_probe": self.embed_probe,
            "vocab": list(self.vocab),
            "cues": self.cues,
        }
        return cfg, {"idf": self.idf}

    @classmethod
    def from_state(cls, cfg: dict[str, Any], arrays: dict[str, np.ndarray]) -> Featurizer:
        f = cls(
            blocks=tuple(cfg["blocks"]),
            weights=cfg["weights"],
            ngram=tuple(cfg["ngram"]),
            min_df=cfg["min_df"],
            embedder=cfg.get("embedder"),
            cues=cfg["cues"],
        )
        f.vocab = {g: i for i, g in enumerate(cfg.get("vocab") or [])}
        f.idf = np.asarray(arrays["idf"], dtype=np.float32)
        f.embed_dim = int(cfg.get("embed_dim") or 0)
        f.embed_probe = cfg.get("embed_probe")
        return f

    def set_embedder(self, emb) -> None:
        """Use an already-constructed embedder object (must expose ``name`` and ``encode``)."""
        self._emb = emb
        self.embedder_name = emb.name
        self._emb_cache.clear()

    def _embedder(self):
        if self._emb is None:
            from jixiao.nlp.embed import get_embedder

            try:
                emb = get_embedder(self.embedder_name)
            except (ImportError, OSError, ValueError):
                raise
            except Exception as exc:  # tokenizers raises a bare Exception for a missing file
                raise OSError(f"the classifier needs the embedder {self.embedder_name!r}: {exc}") from exc
            if self.embed_probe is not None:
                self._check_probe(emb)
            self._emb = emb
        return self._emb

    def _check_probe(self, emb) -> None:
        """Warn when the embedder is not the build the classifier was trained with."""
        import warnings

        v = np.asarray(emb.encode([PROBE_TEXT])[0], dtype=np.float32)
        ref = np.asarray(self.embed_probe, dtype=np.float32)
        if v.shape != ref.shape or float(v @ ref) < 0.999:
            warnings.warn(
                f"embedder {emb.name!r} differs from the build the classifier was trained with; "
                "retrain it with models/train_classifier.py",
                stacklevel=4,
            )

    # ---- transform

    def feature_names(self) -> list[str]:
        out: list[str] = []
        for b in self.blocks:
            if b == "cues":
                out += [f"cue:{c}:{k}" for c in CLASSES for k in ("name", "end", "value", "unit")]
            elif b == "value":
                out += [f"kind:{k}" for k in VALUE_KINDS] + [f"op:{o}" for o in (*OPS, "none")]
                out += [f"unit:{u}" for u in (*UNIT_CLASSES, "date", "other", "none")]
                out += ["num:pct100", "num:pct_ge80", "num:zero", "num:big", "val:prose"]
            elif b == "chars":
                out += [f"char:{g}" for g in self.vocab]
            elif b == "embed":
                out += [f"emb:{i}" for i in range(self.embed_dim)]
            elif b == "stack":
                out += [f"rule:{c}" for c in CLASSES] + [f"rule:{c}|{u}" for c in CLASSES for u in STACK_UNITS]
        return out

    def _cue_block(self, views: list[View]) -> np.ndarray:
        X = np.zeros((len(views), 4 * len(CLASSES)), dtype=np.float32)
        for r, v in enumerate(views):
            hits = cue_hits(v, self.cues)
            for j, cat in enumerate(CLASSES):
                n, e, val, u = hits[cat]
                X[r, 4 * j: 4 * j + 4] = (min(n, 3) / 3.0, min(e, 3) / 3.0 if e else 0.0, val, u)
        return X

    def _value_block(self, views: list[View]) -> np.ndarray:
        ucls_all = (*UNIT_CLASSES, "date", "other", "none")
        X = np.zeros((len(views), len(VALUE_KINDS) + len(OPS) + 1 + len(ucls_all) + 5), dtype=np.float32)
        for r, v in enumerate(views):
            val = v.value
            X[r, VALUE_KINDS.index(val.kind if val.kind in VALUE_KINDS else "empty")] = 1
            o = len(VALUE_KINDS)
            X[r, o + (OPS.index(val.op) if val.op in OPS else len(OPS))] = 1
            o += len(OPS) + 1
            X[r, o + ucls_all.index(v.ucls if v.ucls in ucls_all else "none")] = 1
            o += len(ucls_all)
            num = val.number
            pct = v.ucls == "percent"
            X[r, o] = float(pct and num is not None and abs(num - 100) < 1e-9)
            X[r, o + 1] = float(pct and num is not None and 80 <= num < 100)
            X[r, o + 2] = float(num is not None and num == 0)
            X[r, o + 3] = float(num is not None and num >= 10000)
            X[r, o + 4] = float(val.kind == "qualitative" and len(v.vtext) > 12)
        return X

    def _stack_block(self, views: list[View]) -> np.ndarray:
        nu = len(STACK_UNITS)
        X = np.zeros((len(views), len(CLASSES) * (1 + nu)), dtype=np.float32)
        w = np.float32(1 / math.sqrt(2))
        for r, v in enumerate(views):
            k = CLASSES.index(keyword_view_predict(v, self.cues))
            u = STACK_UNITS.index(v.ucls if v.ucls in STACK_UNITS else "none")
            X[r, k] = w
            X[r, len(CLASSES) + k * nu + u] = w
        return X

    def _char_block(self, views: list[View]) -> np.ndarray:
        X = np.zeros((len(views), len(self.vocab)), dtype=np.float32)
        for r, v in enumerate(views):
            for g, c in Counter(_grams(v.name, self.ngram)).items():
                j = self.vocab.get(g)
                if j is not None:
                    X[r, j] = (1.0 + math.log(c)) * self.idf[j]
            nrm = float(np.linalg.norm(X[r]))
            if nrm > 0:
                X[r] /= nrm
        return X

    def _embed_block(self, views: list[View]) -> np.ndarray:
        names = [v.name for v in views]
        todo = sorted({n for n in names if n not in self._emb_cache})
        if todo:
            E = np.asarray(self._embedder().encode(todo), dtype=np.float32)
            if self.embed_dim and E.shape[1] != self.embed_dim:
                raise ValueError(
                    f"embedder {self.embedder_name!r} gives {E.shape[1]} dimensions, the classifier "
                    f"was trained on {self.embed_dim}: retrain with models/train_classifier.py"
                )
            for n, e in zip(todo, E):
                self._emb_cache[n] = e
        if not names:
            return np.zeros((0, self.embed_dim), dtype=np.float32)
        return np.stack([self._emb_cache[n] for n in names])

    def views(self, names: list[str], values: list[Any] | None = None) -> list[View]:
        if values is None:
            values = [None] * len(names)
        if len(values) != len(names):
            raise ValueError(f"{len(names)} names but {len(values)} values")
        return [View(n, v, self.cues) for n, v in zip(names, values)]

    def transform(self, names: list[str], values: list[Any] | None = None) -> np.ndarray:
        return self.transform_views(self.views(names, values))

    def transform_views(self, views: list[View]) -> np.ndarray:
        """:meth:`transform` of views already built with :meth:`views` (their cue hits are reused)."""
        parts = []
        for b in self.blocks:
            if b == "cues":
                M = self._cue_block(views)
            elif b == "value":
                M = self._value_block(views)
            elif b == "chars":
                M = self._char_block(views)
            elif b == "embed":
                M = self._embed_block(views)
            elif b == "stack":
                M = self._stack_block(views)
            else:
                raise ValueError(f"unknown feature block {b!r}")
            parts.append(M * np.float32(self.weights.get(b, 1.0)))
        return np.hstack(parts) if parts else np.zeros((len(views), 0), dtype=np.float32)


def training_label(level2: str | None) -> str | None:
    """The class a corpus label trains: the 9 standard ones; 2021 cost sub-types count as 成本指标."""
    if level2 in LEVEL2_COST_2021:
        return "成本指标"
    return level2 if level2 in CLASSES else None


__all__ = [
    "CLASSES",
    "Featurizer",
    "View",
    "as_value",
    "clean_name",
    "cue_hits",
    "keyword_predict",
    "keyword_view_predict",
    "keyword_scores",
    "load_cues",
    "training_label",
    "unit_class",
]
