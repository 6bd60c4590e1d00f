"""Retrieval index over the corpus of past forms (``corpora/index/``).

The index holds embeddings (from :func:`jixiao.nlp.embed.get_embedder`) of four kinds of text, each
with the metadata needed to cite where it came from:

==================  =============================================  ==============================
kind                text embedded                                  one row per
==================  =============================================  ==============================
``indicator``       the indicator name (三级指标)                    indicator
``indicator_value`` name + " " + printed target value                indicator
``project``         project name                                   form
``goal``            annual goal (or overall goal when absent)      form with a goal
==================  =============================================  ==============================

Files in the index folder:

- ``vectors.npy``: float16 matrix, all kinds stacked (rows of a kind are contiguous);
- ``meta.jsonl``: one JSON object per row (``kind``, ``text``, ``form``, ``project_name``,
  ``source_url``, ``source_path``, ``region``, ``year``, ``level1``, ``level2``, ``name``, ``value``
  and the parsed value ``op``/``number``/``unit``/``value_kind``; an ``indicator_value`` row holds
  only ``text``, ``form`` and ``ref``, the number of its ``indicator`` row);
- ``index.json``: embedder name, embedder sha (when it has one), a fingerprint of the embedder's
  vectors for fixed probe strings, the corpus sha, row ranges per kind. :func:`load_index` compares
  these with the current embedder and corpus and rebuilds a stale index;
- ``ann-<kind>-<key>.usearch`` (only for kinds above :data:`ANN_THRESHOLD`): the saved usearch HNSW
  graph of that kind. ``<key>`` hashes the kind's vectors and the HNSW parameters, so a file left
  over from another corpus, embedder or parameter set is never loaded (a new one is built and the old
  ones are removed).

Search is exact (numpy dot products) below :data:`ANN_THRESHOLD` vectors of a kind and approximate
(usearch HNSW, imported lazily, ``pip install jixiao[ann]``) above it. The HNSW graph of a large kind
is built when the index is written (or, failing that, on its first search, and then saved next to
the index files) and later processes load it instead of building it again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from jixiao.fsutil import _new_file_mode, atomic_open, atomic_write_text
from jixiao.model import Form
from jixiao.nlp.normalize import strip_enumerator

INDEX_VERSION = 1
KINDS = ("indicator", "indicator_value", "project", "goal")
#: Above this many vectors of one kind, search uses the approximate (usearch HNSW) index.
ANN_THRESHOLD = 50_000
#: HNSW parameters; ``expansion_search`` is raised to at least 8·k per query.
ANN_CONNECTIVITY = 32
ANN_EXPANSION_ADD = 128
ANN_EXPANSION_SEARCH = 512  # 256 missed 1 of 301 neighbour lists on the 902-row corpus (many near-identical vectors)
#: indexes up to this size are built single-threaded (deterministic graph)
ANN_SERIAL_BUILD = 200_000
_PROBES = ("办公用房安全性", "工作人员满意度 ≥90%", "培训及时性", "安全事故发生次数 =0(次)", "年度总体目标")
_GOAL_CHARS = 400



def clean_name(name: str) -> str:
    """Indicator name as shown and embedded: without list numbering (``指标1:``) or key-indicator stars
    (``★``), see :func:`jixiao.nlp.normalize.strip_enumerator`; brackets and spacing kept."""
    return strip_enumerator((name or "").strip()).strip()


def _value_str(v) -> str:
    return (v.raw or "").strip()


def _form_meta(form: Form) -> dict[str, Any]:
    return {
        "form": form.id,
        "project_name": form.project_name,
        "source_url": form.source.url,
        "source_path": form.source.path,
        "region": form.source.region,
        "year": form.year,
    }


def _rows(forms: list[Form]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    for form in forms:
        fm = _form_meta(form)
        for pos, ind in enumerate(form.indicators):
            name = clean_name(ind.name)
            if not name:
                continue
            v = ind.value
            base = dict(
                fm,
                position=pos,
                level1=ind.level1,
                level2=ind.level2,
                name=name,
                name_raw=ind.name,
                value=_value_str(v),
                op=v.op,
                number=v.number,
                unit=v.unit,
                value_kind=v.kind,
            )
            rows["indicator"].append(dict(base, kind="indicator", text=name))
            # the name+value row points at its indicator row (``ref``) instead of repeating the metadata
            rows["indicator_value"].append(
                {"kind": "indicator_value", "text": f"{name} {_value_str(v)}".strip(), "form": form.id,
                 "ref": len(rows["indicator"]) - 1}
            )
        if form.project_name:
            rows["project"].append(dict(fm, kind="project", text=form.project_name))
        goal = (form.annual_goal or form.overall_goal or "").strip()
        if goal:
            rows["goal"].append(dict(fm, kind="goal", text=goal[:_GOAL_CHARS]))
    return rows


def probe_vectors(emb) -> np.ndarray:
    """The embedder's vectors for fixed probe strings (stored with the index to detect a new model)."""
    return np.asarray(emb.encode(list(_PROBES)), dtype=np.float32)


def embedder_fingerprint(emb) -> str:
    """Short hash of the (rounded) probe vectors: a readable model fingerprint for index.json."""
    return hashlib.sha256(np.round(probe_vectors(emb), 2).astype(np.float32).tobytes()).hexdigest()[:16]


def corpus_sha(forms: list[Form]) -> str:
    h = hashlib.sha256()
    for f in forms:
        h.update(json.dumps(f.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()[:16]


def _embedder_sha(emb) -> str | None:
    """The embedder's own sha if it has one, else the sha256 of its model folder's SHA256SUMS."""
    for attr in ("sha", "sha256", "model_sha"):
        val = getattr(emb, attr, None)
        if isinstance(val, str) and val:
            return val
    folder = getattr(emb, "folder", None)
    if folder is not None and (Path(folder) / "SHA256SUMS").is_file():
        return hashlib.sha256((Path(folder) / "SHA256SUMS").read_bytes()).hexdigest()[:16]
    return None


@dataclass
class Index:
    """An in-memory retrieval index: vectors and metadata per kind."""

    vectors: dict[str, np.ndarray]
    meta: dict[str, list[dict[str, Any]]]
    info: dict[str, Any] = field(default_factory=dict)
    _ann: dict[str, Any] = field(default_factory=dict, repr=False)
    _form_rows: dict[str, dict[str, np.ndarray]] = field(default_factory=dict, repr=False)
    probes: np.ndarray | None = field(default=None, repr=False)
    _text_rows: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)
    #: the folder the index was read from or written to: where its HNSW graphs are saved and loaded
    path: Path | None = field(default=None, repr=False)

    def size(self, kind: str = "indicator") -> int:
        return len(self.meta.get(kind, []))

    def rows_of_form(self, kind: str, form_id: str) -> np.ndarray:
        if kind not in self._form_rows:
            by: dict[str, list[int]] = {}
            for i, m in enumerate(self.meta[kind]):
                by.setdefault(m["form"], []).append(i)
            self._form_rows[kind] = {f: np.asarray(r, dtype=np.int64) for f, r in by.items()}
        return self._form_rows[kind].get(form_id, np.zeros(0, dtype=np.int64))

    def row_meta(self, kind: str, row: int) -> dict[str, Any]:
        """Metadata of a row; an ``indicator_value`` row is completed from its ``indicator`` row."""
        m = self.meta[kind][row]
        if kind == "indicator_value" and "ref" in m:
            return dict(self.meta["indicator"][m["ref"]], kind=kind, text=m["text"], ref=m["ref"])
        return m

    def names_by_project(self) -> dict[str, dict[str, set[str]]]:
        """project name -> form id -> set of its (whitespace-free, NFKC) raw indicator names."""
        if "_by_project" not in self._form_rows:
            import unicodedata

            by: dict[str, dict[str, set[str]]] = {}
            for m in self.meta["indicator"]:
                name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", m.get("name_raw") or m["name"]))
                by.setdefault(m.get("project_name") or "", {}).setdefault(m["form"], set()).add(name)
            self._form_rows["_by_project"] = by  # type: ignore[assignment]
        return self._form_rows["_by_project"]  # type: ignore[return-value]

    def text_rows(self, kind: str = "indicator") -> dict[str, int]:
        """Stored text of ``kind`` -> its first row (the text the index embedded for that row)."""
        if kind not in self._text_rows:
            by: dict[str, int] = {}
            for i, m in enumerate(self.meta.get(kind, [])):
                by.setdefault(m["text"], i)
            self._text_rows[kind] = by
        return self._text_rows[kind]

    def vectors_for(self, texts, kind: str = "indicator", embedder=None) -> np.ndarray:
        """Vectors of ``texts`` (float32, one row per text): the stored vector of a text the index
        holds for ``kind``, and an encoding (``embedder``, default
        :func:`jixiao.nlp.embed.get_embedder`) of the others only — the corpus is not embedded again."""
        texts = ["" if t is None else str(t) for t in ([texts] if isinstance(texts, str) else texts)]
        rows = self.text_rows(kind)
        mat = self.vectors[kind]
        out = np.zeros((len(texts), mat.shape[1]), dtype=np.float32)
        missing = []
        for i, t in enumerate(texts):
            r = rows.get(t)
            if r is None:
                missing.append(i)
            else:
                out[i] = mat[r]
        if missing:
            if embedder is None:
                from jixiao.nlp.embed import get_embedder

                embedder = get_embedder()
            out[missing] = np.asarray(embedder.encode([texts[i] for i in missing]), dtype=np.float32)
        return out

    def form_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for kind in ("project", "indicator"):
            for m in self.meta.get(kind, []):
                seen.setdefault(m["form"], None)
        return list(seen)

    # -- search -------------------------------------------------------------------------------
    def search(
        self,
        query_vecs: np.ndarray,
        k: int = 10,
        kind: str = "indicator",
        exclude_forms=None,
        ann: bool | None = None,
    ) -> list[list[tuple[int, float]]]:
        """Top-``k`` rows of ``kind`` for each query vector: ``[[(row, cosine), ...], ...]``.

        ``exclude_forms`` removes the rows of forms: a form id or a set of ids for all queries, or a
        list with one entry (id, set of ids or None) per query — e.g. the form the query indicator
        comes from. ``ann=None`` picks the approximate index when the kind has more than
        :data:`ANN_THRESHOLD` vectors; ``True``/``False`` force it. Results are sorted by decreasing
        cosine (rounded to 6 decimals), ties broken by row number.
        """
        q = np.asarray(query_vecs, dtype=np.float32)
        if q.ndim == 1:
            q = q[None, :]
        n = self.size(kind)
        if exclude_forms is None or isinstance(exclude_forms, (str, set, frozenset, tuple)):
            excl = [exclude_forms] * len(q)
        else:
            excl = list(exclude_forms)
            if len(excl) != len(q):
                raise ValueError("exclude_forms must have one entry per query")
        excl_rows = [self._excluded_rows(kind, e) for e in excl]
        if n == 0 or k <= 0:
            return [[] for _ in range(len(q))]
        use_ann = (n > ANN_THRESHOLD) if ann is None else bool(ann)
        if use_ann:
            return self._search_ann(q, k, kind, excl_rows)
        return self._search_exact(q, k, kind, excl_rows)

    def _excluded_rows(self, kind: str, e) -> np.ndarray:
        if e is None:
            return np.zeros(0, dtype=np.int64)
        ids = [e] if isinstance(e, str) else list(e)
        parts = [self.rows_of_form(kind, f) for f in ids]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def _search_exact(self, q, k, kind, excl_rows):
        mat = self.vectors[kind]
        sims = q @ mat.T
        out = []
        for i, row in enumerate(sims):
            if len(excl_rows[i]):
                row = row.copy()
                row[excl_rows[i]] = -np.inf
            kk = min(k, len(row))
            part = np.argpartition(-row, kk - 1)[:kk] if kk < len(row) else np.arange(len(row))
            order = sorted(part.tolist(), key=lambda r: (-round(float(row[r]), 6), r))
            out.append([(r, round(float(row[r]), 6)) for r in order if np.isfinite(row[r])])
        return out

    def _ann_index(self, kind: str):
        """The HNSW index of ``kind``: loaded from the index folder when a saved graph of exactly these
        vectors is there, else built (and saved there when the kind is above :data:`ANN_THRESHOLD`)."""
        if kind not in self._ann:
            file = self.ann_file(kind)
            idx = _load_ann(file, self.vectors[kind]) if file is not None else None
            if idx is None:
                idx = _build_ann(self.vectors[kind])
                if file is not None:
                    _save_ann(idx, file)
            self._ann[kind] = idx
        return self._ann[kind]

    def ann_file(self, kind: str) -> Path | None:
        """Where the HNSW graph of ``kind`` is saved: ``ann-<kind>-<key>.usearch`` in the index folder,
        ``<key>`` a hash of the kind's vectors and the HNSW parameters; None for an index with no folder
        or a kind not above :data:`ANN_THRESHOLD` (whose graph, when forced, is built in memory)."""
        if self.path is None or self.size(kind) <= ANN_THRESHOLD:
            return None
        return Path(self.path) / f"ann-{kind}-{_ann_key(self.vectors[kind])}.usearch"

    def _search_ann(self, q, k, kind, excl_rows):
        idx = self._ann_index(kind)
        mat = self.vectors[kind]
        n = len(mat)
        out = []
        for i in range(len(q)):
            ex = set(excl_rows[i].tolist())
            want = min(n, k + len(ex))
            idx.expansion_search = max(ANN_EXPANSION_SEARCH, 8 * want)
            res = idx.search(q[i], want)
            rows = [int(r) for r in np.asarray(res.keys).ravel()[:want] if int(r) not in ex]
            # re-score exactly so that scores are comparable with the exact search
            scored = [(r, round(float(np.dot(q[i], mat[r])), 6)) for r in rows]
            scored.sort(key=lambda t: (-t[1], t[0]))
            out.append(scored[:k])
        return out


# -- HNSW graph: build, save, load ----------------------------------------------------------------
def _ann_key(mat: np.ndarray) -> str:
    """Hash of the vectors (float32, as searched) and of everything else that shapes the graph."""
    m = np.ascontiguousarray(mat, dtype=np.float32)
    h = hashlib.sha256(json.dumps({
        "shape": list(m.shape), "metric": "ip", "dtype": "f32", "connectivity": ANN_CONNECTIVITY,
        "expansion_add": ANN_EXPANSION_ADD,
    }, sort_keys=True).encode("utf-8"))
    h.update(memoryview(m).cast("B") if m.size else b"")
    return h.hexdigest()[:16]


def _usearch_index_cls():
    try:
        from usearch.index import Index as UIndex
    except ImportError as exc:  # pragma: no cover - depends on the [ann] extra
        raise ImportError("approximate search needs usearch: pip install 'jixiao[ann]'") from exc
    return UIndex


def _build_ann(mat: np.ndarray):
    """A usearch HNSW index over the rows of ``mat`` (keys = row numbers)."""
    UIndex = _usearch_index_cls()
    mat = np.ascontiguousarray(mat, dtype=np.float32)
    idx = UIndex(
        ndim=mat.shape[1], metric="ip", dtype="f32",
        connectivity=ANN_CONNECTIVITY, expansion_add=ANN_EXPANSION_ADD,
        expansion_search=ANN_EXPANSION_SEARCH,
    )
    # single-threaded insertion gives the same graph on every run (multi-threaded insertion
    # order varies); only large indexes are built with all cores
    idx.add(np.arange(len(mat), dtype=np.uint64), mat, threads=1 if len(mat) <= ANN_SERIAL_BUILD else 0)
    return idx


def _load_ann(file: Path, mat: np.ndarray):
    """The saved HNSW index ``file`` if it is there and fits ``mat``, else None.

    The file name carries the hash of the vectors; the file itself must also have ``mat``'s row count,
    dimension, metric and connectivity, and hold ``mat``'s rows (checked on a sample of rows)."""
    if not file.is_file():
        return None
    UIndex = _usearch_index_cls()
    try:
        idx = UIndex.restore(str(file), view=False)
    except (OSError, RuntimeError, ValueError):
        return None
    if (idx is None or len(idx) != len(mat) or idx.ndim != mat.shape[1]
            or idx.connectivity != ANN_CONNECTIVITY or str(idx.metric).upper().rsplit(".", 1)[-1] != "IP"):
        return None
    sample = np.unique(np.linspace(0, len(mat) - 1, num=min(len(mat), 64)).astype(np.int64))
    try:
        stored = np.asarray(idx.get(sample.astype(np.uint64), dtype=np.float32), dtype=np.float32)
    except (RuntimeError, ValueError, TypeError):
        return None
    if stored.shape != (len(sample), mat.shape[1]) or not np.allclose(stored, mat[sample], atol=1e-6):
        return None
    return idx


def _save_ann(idx, file: Path) -> bool:
    """Save ``idx`` as ``file`` atomically (temporary file in the same folder, then ``os.replace``) and
    remove the other graphs of that kind, which belong to other vectors. False when the folder is not
    writable (the graph then lives in memory only)."""
    folder = file.parent
    kind_prefix = file.name.rsplit("-", 1)[0] + "-"
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
        idx.save(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, _new_file_mode(file))  # mkstemp makes 0600; the other index files get the usual mode
        os.replace(tmp, file)
        tmp = None
    except (OSError, RuntimeError, ValueError):
        return False
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _remove_ann_files(folder, kind_prefix, keep=file.name)
    return True


def _remove_ann_files(folder: Path, prefix: str, keep: str | None = None) -> None:
    for old in folder.glob(f"{prefix}*.usearch"):
        if old.name != keep and old.name.rsplit("-", 1)[0] + "-" == prefix:
            with contextlib.suppress(OSError):
                old.unlink()


# -- build / load ---------------------------------------------------------------------------------
def build_index(forms: list[Form], out_dir: str | Path | None = None, embedder=None) -> Index:
    """Embed ``forms`` and write the index folder ``out_dir`` (default ``corpora/index``).

    Returns the in-memory :class:`Index`. All files are written atomically.
    """
    if embedder is None:
        from jixiao.nlp.embed import get_embedder

        embedder = get_embedder()
    rows = _rows(forms)
    vectors: dict[str, np.ndarray] = {}
    for kind in KINDS:
        texts = [r["text"] for r in rows[kind]]
        if texts:
            v = np.asarray(embedder.encode(texts), dtype=np.float32)
        else:
            v = np.zeros((0, _dim(embedder)), dtype=np.float32)
        vectors[kind] = v.astype(np.float16).astype(np.float32)
    info = {
        "version": INDEX_VERSION,
        "embedder": getattr(embedder, "name", None),
        "embedder_sha": _embedder_sha(embedder),
        "embedder_fingerprint": embedder_fingerprint(embedder),
        "corpus_sha": corpus_sha(forms),
        "forms": len(forms),
        "dim": int(next((v.shape[1] for v in vectors.values() if v.size), _dim(embedder))),
        "dtype": "float16",
        "kinds": {},
    }
    index = Index(vectors=vectors, meta=rows, info=info)
    index.probes = probe_vectors(embedder)
    if out_dir is not None:
        write_index(index, out_dir)
    return index


def _dim(embedder) -> int:
    return int(np.asarray(embedder.encode(["维度"])).shape[1])


def write_index(index: Index, out_dir: str | Path) -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    mats, start = [], 0
    kinds_info = {}
    for kind in KINDS:
        m = index.vectors[kind]
        kinds_info[kind] = {"start": start, "stop": start + len(m)}
        start += len(m)
        mats.append(m.astype(np.float16))
    index.info["kinds"] = kinds_info
    allv = np.concatenate(mats, axis=0) if mats else np.zeros((0, index.info.get("dim", 0)), np.float16)
    with atomic_open(out / "vectors.npy", "wb") as f:
        np.save(f, allv, allow_pickle=False)
    with atomic_open(out / "meta.jsonl") as f:
        for kind in KINDS:
            for m in index.meta[kind]:
                f.write(json.dumps(m, ensure_ascii=False, sort_keys=True) + "\n")
    if index.probes is not None:
        with atomic_open(out / "probes.npy", "wb") as f:
            np.save(f, index.probes.astype(np.float32), allow_pickle=False)
    atomic_write_text(out / "index.json", json.dumps(index.info, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    index.path = out
    write_ann(index)
    return out


def write_ann(index: Index) -> list[Path]:
    """Build (or keep, when already saved for these vectors) the HNSW graph of every kind above
    :data:`ANN_THRESHOLD` in the index folder, and remove the graphs of the other kinds. Without
    usearch installed nothing is built (search then needs it only when it is used)."""
    if index.path is None:
        return []
    out = []
    for kind in KINDS:
        file = index.ann_file(kind)
        if file is None:
            _remove_ann_files(Path(index.path), f"ann-{kind}-")
            continue
        try:
            _usearch_index_cls()
        except ImportError:
            return out
        index._ann.pop(kind, None)  # vectors may have changed since a graph was cached
        index._ann_index(kind)
        out.append(file)
    return out


def read_index(path: str | Path) -> Index:
    """Read an index folder as written by :func:`build_index` (no staleness check)."""
    p = Path(path)
    info = json.loads((p / "index.json").read_text(encoding="utf-8"))
    probes = np.load(p / "probes.npy", allow_pickle=False) if (p / "probes.npy").is_file() else None
    return _read_index(p, info, probes)


def _read_index(p: Path, info: dict[str, Any], probes: np.ndarray | None) -> Index:
    """The vectors and metadata of folder ``p`` whose ``index.json`` and ``probes.npy`` are already read."""
    allv = np.load(p / "vectors.npy", allow_pickle=False).astype(np.float32)
    metas: list[dict[str, Any]] = []
    with open(p / "meta.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                metas.append(json.loads(line))
    if len(metas) != len(allv):
        raise ValueError(f"{p}: meta.jsonl has {len(metas)} rows, vectors.npy {len(allv)}")
    vectors, meta = {}, {}
    for kind in KINDS:
        r = info["kinds"].get(kind, {"start": 0, "stop": 0})
        vectors[kind] = allv[r["start"]:r["stop"]]
        meta[kind] = metas[r["start"]:r["stop"]]
    return Index(vectors=vectors, meta=meta, info=info, probes=probes, path=p)


def default_index_dir() -> Path:
    from jixiao.corpus import corpora_dir

    return corpora_dir() / "index"


def stale_reasons(
    info: dict[str, Any], embedder, forms: list[Form] | None, probes: np.ndarray | None = None
) -> list[str]:
    """Why an index described by ``info`` does not match ``embedder`` (and ``forms``); [] if fresh.

    ``probes``: the probe vectors stored with the index (``probes.npy``); compared with a tolerance
    so that floating-point differences between machines do not force a rebuild.
    """
    why = []
    if info.get("version") != INDEX_VERSION:
        why.append(f"index version {info.get('version')} != {INDEX_VERSION}")
    if info.get("embedder") != getattr(embedder, "name", None):
        why.append(f"embedder {info.get('embedder')!r} != {getattr(embedder, 'name', None)!r}")
    sha = _embedder_sha(embedder)
    if sha and info.get("embedder_sha") and sha != info.get("embedder_sha"):
        why.append("embedder sha changed")
    if probes is not None:
        now = probe_vectors(embedder)
        if now.shape != probes.shape or float(np.max(np.abs(now - probes))) > 1e-3:
            why.append("embedder vectors changed")
    elif info.get("embedder_fingerprint") != embedder_fingerprint(embedder):
        why.append("embedder vectors changed")
    if forms is not None and info.get("corpus_sha") != corpus_sha(forms):
        why.append("corpus changed")
    return why


_CACHE: dict[str, Index] = {}


def load_index(path: str | Path | None = None, forms: list[Form] | None = None, rebuild: bool = True) -> Index:
    """The retrieval index (cached per process).

    With no arguments: ``corpora/index`` checked against the current embedder and
    ``corpora/forms.jsonl``; when missing or stale it is rebuilt from the corpus and written back
    (or kept in memory only when the folder is not writable). ``forms`` checks against (and
    rebuilds from) those forms instead of the corpus.
    """
    from jixiao.nlp.embed import get_embedder

    emb = get_embedder()
    p = Path(path) if path is not None else default_index_dir()
    key = f"{p}|{getattr(emb, 'name', '')}|{id(forms) if forms is not None else ''}"
    if key in _CACHE:
        return _CACHE[key]
    if forms is None:
        from jixiao.corpus import load_corpus

        forms = load_corpus()
    index = None
    if (p / "index.json").is_file():
        try:
            info = json.loads((p / "index.json").read_text(encoding="utf-8"))
            probes = np.load(p / "probes.npy", allow_pickle=False) if (p / "probes.npy").is_file() else None
            if not stale_reasons(info, emb, forms, probes):
                index = _read_index(p, info, probes)
        except (OSError, ValueError, KeyError):
            index = None
    if index is None:
        if not rebuild:
            raise FileNotFoundError(f"{p}: retrieval index missing or stale (run `jixiao corpus build`)")
        try:
            index = build_index(forms, p, embedder=emb)
        except OSError:
            index = build_index(forms, None, embedder=emb)
    _CACHE[key] = index
    return index


def clear_cache() -> None:
    _CACHE.clear()


def search(query_vecs: np.ndarray, k: int = 10, kind: str = "indicator", exclude_forms=None, ann: bool | None = None):
    """Top-``k`` metadata rows of ``kind`` for each query vector, from the default index.

    Returns ``[[(meta_dict, cosine), ...], ...]``.
    """
    index = load_index()
    res = index.search(query_vecs, k=k, kind=kind, exclude_forms=exclude_forms, ann=ann)
    return [[(index.row_meta(kind, r), s) for r, s in hits] for hits in res]


__all__ = [
    "ANN_THRESHOLD", "KINDS", "Index", "build_index", "clean_name", "load_index", "read_index",
    "search", "write_index", "write_ann", "stale_reasons", "default_index_dir",
]
