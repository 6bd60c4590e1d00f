"""Level-2 category classifier for indicators (数量指标, 质量指标, 时效指标 …).

    >>> from jixiao.nlp.classify import get_classifier
    >>> clf = get_classifier()                       # the shipped model in models/classifier-v1/
    >>> p = clf.predict(["空调维修及时率"], ["=100(%)"])[0]
    >>> p.level2, round(p.confidence, 2)             # doctest: +SKIP
    ('时效指标', 0.97)

The model is a multinomial logistic regression over the features of :mod:`jixiao.nlp.features`
(cue words, value/unit features, character n-grams, the name's sentence embedding, and the
cue-rule baseline's own prediction crossed with the unit class — a stacked expert), with a
temperature fitted on grouped out-of-fold predictions so that ``confidence`` is calibrated.
Fitting uses scikit-learn; prediction is numpy only (weights in ``weights.npz``, everything else in
``config.json``).

It predicts one of the 9 standard level-2 categories. The 2021 cost sub-types (经济成本指标,
社会成本指标, 生态环境成本指标) are a refinement of 成本指标: ``predict(..., cost_2021=True)``
(the form uses the 2021 template) turns a 成本指标 prediction into a sub-type, using the sub-type
cues of ``data/category_cues.toml`` (经济成本指标 by default); without it a sub-type is only
given when the name itself says so (e.g. contains 社会成本).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from jixiao.nlp.features import CLASSES, Featurizer, clean_name, training_label
from jixiao.taxonomy import LEVEL2_COST_2021, parent_of, uses_2021_cost

MODEL_DIRNAME = "classifier-v1"
FORMAT_VERSION = 1
DEFAULT_BLOCKS = ("cues", "value", "chars", "embed", "stack")
DEFAULT_WEIGHTS = {"cues": 1.0, "value": 0.5, "chars": 1.0, "embed": 1.0, "stack": 1.0}
C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)
#: How C is picked from C_GRID on grouped out-of-fold logits: "nll" = lowest negative log-likelihood
#: after temperature scaling (a proper score, stable on the tiny classes), "macro_f1" = highest
#: macro-F1 (the first version's rule; noisy with a 5-row class).
C_CRITERION = "nll"
#: Classes with fewer training rows than this are "rare" (生态效益指标: 10 gold rows): for them the
#: cue-rule baseline's vote is added to the logits (:func:`rare_prior`), so that a name the cue file
#: recognises (森林覆盖率, 减排量) is not lost to a class the regression has seen a hundred times.
RARE_MIN = 20
#: size of that vote, in logit units
RARE_PRIOR = 2.0


def oof_score(Z: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Accuracy, macro-F1 and temperature-scaled NLL of out-of-fold logits (sklearn: fitting only)."""
    from sklearn.metrics import f1_score

    pred = Z.argmax(1)
    T = fit_temperature(Z, y)
    P = _softmax(Z / T)
    return {
        "accuracy": float(np.mean(pred == y)),
        "macro_f1": float(f1_score(y, pred, average="macro", labels=np.unique(y))),
        "nll": float(-np.mean(np.log(np.clip(P[np.arange(len(y)), y], 1e-12, None)))),
        "temperature": float(T),
    }


def best_c(search: dict[float, dict[str, float]], criterion: str = C_CRITERION) -> float:
    """The C of a {C: oof_score} search under ``criterion`` (ties: the smaller C)."""
    if criterion == "nll":
        return min(search, key=lambda c: (search[c]["nll"], c))
    if criterion == "macro_f1":
        return max(search, key=lambda c: (search[c]["macro_f1"], search[c]["accuracy"], -c))
    raise ValueError(f"unknown C criterion {criterion!r}")


@dataclass
class Prediction:
    """Predicted level-2 category with calibrated confidence and the scores of all 9 categories."""

    level2: str
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def level1(self) -> str | None:
        return parent_of(self.level2)

    @property
    def standard(self) -> str:
        """The standard category (a 2021 cost sub-type maps back to 成本指标)."""
        return "成本指标" if self.level2 in LEVEL2_COST_2021 else self.level2

    def to_dict(self) -> dict[str, Any]:
        return {
            "level2": self.level2,
            "confidence": round(float(self.confidence), 4),
            "scores": {k: round(float(v), 4) for k, v in self.scores.items()},
        }


def _softmax(Z: np.ndarray) -> np.ndarray:
    Z = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature T minimising the negative log-likelihood of softmax(logits / T)."""

    def nll(t: float) -> float:
        P = _softmax(logits / t)
        return float(-np.mean(np.log(np.clip(P[np.arange(len(y)), y], 1e-12, None))))

    grid = np.exp(np.linspace(np.log(0.05), np.log(20.0), 121))
    losses = [nll(t) for t in grid]
    i = int(np.argmin(losses))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    for _ in range(40):  # golden-section refinement inside the best bracket
        a = hi - (hi - lo) / 1.618
        b = lo + (hi - lo) / 1.618
        if nll(a) < nll(b):
            hi = b
        else:
            lo = a
    return float((lo + hi) / 2)


def refine_cost(name: str, cost_2021: bool, cues: dict[str, Any]) -> str | None:
    """The 2021 cost sub-type of a 成本指标 indicator, or None to keep 成本指标."""
    s, _ = clean_name(name)
    table = cues.get("cost_subtypes", {})
    explicit = {"社会成本指标": ("社会成本",), "生态环境成本指标": ("生态环境成本", "环境成本", "生态成本"),
                "经济成本指标": ("经济成本",)}
    for sub, words in explicit.items():
        if any(w in s for w in words):
            return sub
    if not cost_2021:
        return None
    for sub in ("社会成本指标", "生态环境成本指标"):
        if any(w in s for w in table.get(sub, {}).get("name", ())):
            return sub
    return "经济成本指标"


def rare_mask(y: np.ndarray, n_classes: int, rare_min: int = RARE_MIN) -> np.ndarray:
    """1.0 for the classes with fewer than ``rare_min`` rows in ``y`` (class indices), else 0.0."""
    counts = np.bincount(np.asarray(y, dtype=int), minlength=n_classes)
    return (counts < rare_min).astype(np.float64)


def rare_prior(names, values, mask: np.ndarray, beta: float = RARE_PRIOR, cues: dict | None = None,
               views=None) -> np.ndarray:
    """(n, 9) logit offsets: ``beta`` on the cue rule's class when that class is rare (``mask``).
    ``views``: the featurizer's views of the same names (built with ``cues``), whose cue hits are reused."""
    from jixiao.nlp.features import View, keyword_view_predict, load_cues

    out = np.zeros((len(names), len(CLASSES)))
    if beta == 0 or not np.any(mask):
        return out
    cues = cues if cues is not None else load_cues()
    if views is None:
        values = list(values) if values is not None else [None] * len(names)
        views = [View(n, v, cues) for n, v in zip(names, values)]
    for r, view in enumerate(views):
        k = CLASSES.index(keyword_view_predict(view, cues))
        out[r, k] = beta * mask[k]
    return out


class IndicatorClassifier:
    """Multinomial logistic regression over name/value features, temperature-calibrated."""

    def __init__(
        self,
        C: float | None = None,
        blocks: tuple[str, ...] = DEFAULT_BLOCKS,
        weights: dict[str, float] | None = None,
        embedder: str | None = None,
        c_grid: tuple[float, ...] = C_GRID,
        n_splits: int = 5,
        random_state: int = 0,
        c_criterion: str = C_CRITERION,
        rare_prior: float = RARE_PRIOR,
        rare_min: int = RARE_MIN,
    ):
        self.C = C
        self.rare_prior = float(rare_prior)
        self.rare_min = int(rare_min)
        self.rare_mask_: np.ndarray = np.zeros(len(CLASSES))
        self.blocks = tuple(blocks)
        self.weights = {**DEFAULT_WEIGHTS, **(weights or {})}
        self.embedder = embedder
        self.c_grid = tuple(c_grid)
        self.n_splits = n_splits
        self.random_state = random_state
        self.c_criterion = c_criterion
        self.classes_: tuple[str, ...] = CLASSES
        self.coef_: np.ndarray | None = None
        self.intercept_: np.ndarray | None = None
        self.temperature_: float = 1.0
        self.featurizer: Featurizer | None = None
        self.info: dict[str, Any] = {}

    # ------------------------------------------------------------------ fitting (sklearn)

    def _new_featurizer(self) -> Featurizer:
        return Featurizer(blocks=self.blocks, weights=self.weights, embedder=self.embedder)

    def _fit_lr(self, X: np.ndarray, y: np.ndarray, C: float, sample_weight: np.ndarray | None = None):
        from sklearn.linear_model import LogisticRegression

        lr = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, tol=1e-5)
        lr.fit(X, y, sample_weight=sample_weight)
        # expand to all classes even when a class is absent from this training fold
        coef = np.zeros((len(self.classes_), X.shape[1]), dtype=np.float64)
        icpt = np.full(len(self.classes_), -30.0)
        present = list(lr.classes_)
        if len(present) == 2:  # binary LR has one row; make it symmetric
            coef[present[1]], icpt[present[1]] = lr.coef_[0] / 2, lr.intercept_[0] / 2
            coef[present[0]], icpt[present[0]] = -lr.coef_[0] / 2, -lr.intercept_[0] / 2
        else:
            for k, c in enumerate(present):
                coef[c], icpt[c] = lr.coef_[k], lr.intercept_[k]
        return coef, icpt

    def _oof_logits(self, names, values, y, groups, C, emb=None) -> np.ndarray:
        """Out-of-fold logits under grouped K-fold (the featurizer is refitted inside each fold)."""
        from sklearn.model_selection import GroupKFold

        n_splits = min(self.n_splits, len(set(groups)))
        Z = np.zeros((len(y), len(self.classes_)))
        for tr, te in GroupKFold(n_splits=n_splits).split(names, y, groups):
            fz = self._new_featurizer()
            if emb is not None:
                fz.set_embedder(emb)
            fz.fit([names[i] for i in tr])
            Xtr = fz.transform([names[i] for i in tr], [values[i] for i in tr])
            Xte = fz.transform([names[i] for i in te], [values[i] for i in te])
            coef, icpt = self._fit_lr(Xtr, y[tr], C)
            Z[te] = Xte @ coef.T + icpt
            Z[te] += rare_prior([names[i] for i in te], [values[i] for i in te],
                                rare_mask(y[tr], len(self.classes_), self.rare_min), self.rare_prior, fz.cues)
        return Z

    def fit(
        self,
        names: list[str],
        values: list[Any] | None,
        labels: list[str],
        groups: list[str] | None = None,
    ) -> IndicatorClassifier:
        """Fit on indicator names, their values (raw strings or :class:`Value`, may be None) and labels.

        Labels outside the 9 standard categories are dropped (cost sub-types count as 成本指标).
        ``groups`` (e.g. form ids) make the C search and the temperature fit use grouped folds;
        without them every row is its own group.
        """
        import sklearn.linear_model  # noqa: F401  (load BLAS before limiting its threads)
        import sklearn.metrics  # noqa: F401
        from threadpoolctl import threadpool_limits

        # BLAS threads make these small fits ~50x slower on a loaded 2-core machine
        with threadpool_limits(1):
            return self._fit(names, values, labels, groups)

    def _fit(self, names, values, labels, groups) -> IndicatorClassifier:
        names = list(names)
        values = list(values) if values is not None else [None] * len(names)
        keep = [i for i, lab in enumerate(labels) if training_label(lab) is not None]
        names = [names[i] for i in keep]
        values = [values[i] for i in keep]
        y = np.array([self.classes_.index(training_label(labels[i])) for i in keep])
        groups = [groups[i] for i in keep] if groups is not None else [str(i) for i in range(len(keep))]

        emb = None
        if "embed" in self.blocks:
            from jixiao.nlp.embed import get_embedder

            emb = get_embedder(self.embedder)

        search = {}
        if self.C is None:
            for C in self.c_grid:
                search[C] = oof_score(self._oof_logits(names, values, y, groups, C, emb), y)
            self.C = best_c(search, self.c_criterion)
        Z = self._oof_logits(names, values, y, groups, self.C, emb)
        self.temperature_ = fit_temperature(Z, y)

        self.featurizer = self._new_featurizer()
        if emb is not None:
            self.featurizer.set_embedder(emb)
        self.featurizer.fit(names)
        X = self.featurizer.transform(names, values)
        self.coef_, self.intercept_ = self._fit_lr(X, y, self.C)
        self.rare_mask_ = rare_mask(y, len(self.classes_), self.rare_min)
        self.info = {
            "n_train": len(y),
            "class_counts": {c: int(np.sum(y == k)) for k, c in enumerate(self.classes_)},
            "C": self.C,
            "c_search": {str(k): v for k, v in search.items()},
            "c_criterion": self.c_criterion if search else None,
            "temperature": self.temperature_,
            "oof_accuracy": float(np.mean(Z.argmax(1) == y)),
        }
        return self

    # ------------------------------------------------------------------ prediction (numpy)

    def decision_function(self, names: list[str], values: list[Any] | None = None) -> np.ndarray:
        if self.featurizer is None or self.coef_ is None:
            raise RuntimeError("classifier is not fitted")
        views = self.featurizer.views(list(names), None if values is None else list(values))
        X = self.featurizer.transform_views(views)
        Z = X.astype(np.float64) @ self.coef_.T + self.intercept_
        return Z + rare_prior(list(names), values, self.rare_mask_, self.rare_prior, self.featurizer.cues, views=views)

    def predict_proba(self, names: list[str], values: list[Any] | None = None) -> np.ndarray:
        """Calibrated probabilities, shape (n, 9), columns in ``classes_`` order."""
        if len(names) == 0:
            return np.zeros((0, len(self.classes_)))
        return _softmax(self.decision_function(names, values) / self.temperature_)

    def predict(
        self,
        names: list[str],
        values: list[Any] | None = None,
        *,
        cost_2021: bool | list[bool] = False,
    ) -> list[Prediction]:
        """One :class:`Prediction` per name. ``values`` are raw value strings, Values or None.

        ``cost_2021`` (one flag, or one per name) says the indicator's form uses the 2021 cost
        sub-types: a 成本指标 prediction is then refined to 经济/社会/生态环境成本指标.
        """
        if isinstance(names, str):
            raise TypeError("predict() takes a list of names")
        P = self.predict_proba(names, values)
        flags = cost_2021 if isinstance(cost_2021, list) else [bool(cost_2021)] * len(names)
        cues = self.featurizer.cues if self.featurizer else {}
        out = []
        for name, p, flag in zip(names, P, flags):
            k = int(np.argmax(p))
            level2 = self.classes_[k]
            if level2 == "成本指标":
                level2 = refine_cost(name, flag, cues) or level2
            out.append(Prediction(level2, float(p[k]), {c: float(v) for c, v in zip(self.classes_, p)}))
        return out

    def predict_form(self, form) -> list[Prediction]:
        """Predictions for every indicator of a :class:`~jixiao.model.Form` (template-aware)."""
        inds = list(form.indicators)
        return self.predict([i.name for i in inds], [i.value for i in inds], cost_2021=uses_2021_cost(form))

    # ------------------------------------------------------------------ persistence

    def save(self, directory: str | Path) -> Path:
        from jixiao.fsutil import atomic_open, atomic_write_text

        if self.featurizer is None or self.coef_ is None:
            raise RuntimeError("classifier is not fitted")
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        fcfg, arrays = self.featurizer.state()
        with atomic_open(d / "weights.npz", "wb") as f:
            np.savez_compressed(
                f,
                coef=self.coef_.astype(np.float32),
                intercept=self.intercept_.astype(np.float32),
                idf=arrays["idf"],
            )
        config = {
            "format": FORMAT_VERSION,
            "kind": "jixiao.nlp.classify.IndicatorClassifier",
            "classes": list(self.classes_),
            "C": self.C,
            "temperature": self.temperature_,
            "rare_prior": {"beta": self.rare_prior, "min_rows": self.rare_min,
                           "classes": [c for c, m in zip(self.classes_, self.rare_mask_) if m]},
            "features": fcfg,
            "info": self.info,
        }
        atomic_write_text(d / "config.json", json.dumps(config, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        return d

    @classmethod
    def load(cls, directory: str | Path) -> IndicatorClassifier:
        d = Path(directory)
        try:
            config = json.loads((d / "config.json").read_text(encoding="utf-8"))
            with np.load(d / "weights.npz") as z:
                arrays = {k: z[k] for k in z.files}
        except (OSError, ValueError) as exc:
            from jixiao.errors import InputError

            raise InputError(str(d), f"cannot load classifier: {exc}") from exc
        if config.get("format") != FORMAT_VERSION:
            from jixiao.errors import InputError

            raise InputError(str(d), f"classifier format {config.get('format')} is not {FORMAT_VERSION}")
        fcfg = config["features"]
        self = cls(C=config["C"], blocks=tuple(fcfg["blocks"]), weights=fcfg["weights"], embedder=fcfg.get("embedder"))
        self.classes_ = tuple(config["classes"])
        self.temperature_ = float(config["temperature"])
        rp = config.get("rare_prior") or {}
        self.rare_prior = float(rp.get("beta", 0.0))
        self.rare_min = int(rp.get("min_rows", RARE_MIN))
        self.rare_mask_ = np.array([1.0 if c in rp.get("classes", ()) else 0.0 for c in self.classes_])
        self.coef_ = arrays["coef"].astype(np.float64)
        self.intercept_ = arrays["intercept"].astype(np.float64)
        self.featurizer = Featurizer.from_state(fcfg, {"idf": arrays["idf"]})
        self.info = config.get("info", {})
        return self


def default_model_dir() -> Path:
    from jixiao.fsutil import repo_root

    root = repo_root()
    if root is None:
        raise FileNotFoundError("models/ not found: set JIXIAO_HOME to the jixiao checkout")
    return root / "models" / MODEL_DIRNAME


@lru_cache(maxsize=1)
def get_classifier() -> IndicatorClassifier:
    """The shipped classifier (``models/classifier-v1``), loaded once per process."""
    return IndicatorClassifier.load(default_model_dir())


__all__ = [
    "IndicatorClassifier",
    "Prediction",
    "default_model_dir",
    "best_c",
    "fit_temperature",
    "get_classifier",
    "oof_score",
    "rare_mask",
    "rare_prior",
    "refine_cost",
    "uses_2021_cost",
]
