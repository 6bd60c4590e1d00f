"""The review engine: run the registered rules over a form, apply acceptance, score it.

    >>> from jixiao.review import review_form
    >>> review = review_form(form)            # FormReview(form, findings, score)

Rules live in :mod:`jixiao.review.rules` (one file per rule); see ``docs/review.md``.
Optional dependencies (embedder, classifier, suggestions, corpus) are loaded lazily through
:class:`Context`; a rule that needs one that is missing raises :class:`RuleSkipped` and is logged at
debug level, never faked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, TypeVar

from jixiao.model import Form, Indicator
from jixiao.review.config import Config
from jixiao.review.findings import Finding, FormReview, Target
from jixiao.review.rules import Hit, Rule, RuleSkipped, all_rules


log = logging.getLogger("jixiao.review")


# ----------------------------------------------------------------------------- lazy resources


def _cache_failure(fn):
    """Cache a resource loader, remembering a RuleSkipped too, so a missing model is looked for once per process."""
    state: dict = {}

    def wrapper():
        if "skip" in state:
            raise RuleSkipped(state["skip"])
        if "value" not in state:
            try:
                state["value"] = fn()
            except RuleSkipped as e:
                state["skip"] = str(e)
                raise
        return state["value"]

    wrapper.cache_clear = state.clear  # type: ignore[attr-defined]
    return wrapper


@_cache_failure
def _embedder():
    try:
        from jixiao.nlp.embed import get_embedder
    except ImportError as e:
        raise RuleSkipped(f"embedder not available ({e})") from None
    try:
        return get_embedder()
    except Exception as e:  # model files missing
        raise RuleSkipped(f"embedder could not be loaded ({e})") from None


@_cache_failure
def _classifier():
    try:
        from jixiao.nlp.classify import get_classifier
    except ImportError as e:
        raise RuleSkipped(f"classifier not available ({e})") from None
    try:
        return get_classifier()
    except Exception as e:
        raise RuleSkipped(f"classifier could not be loaded ({e})") from None


def indicator_key(name: str) -> str:
    """Normalised indicator name used to count re-use across forms."""
    from jixiao.review.text import norm_loose

    return norm_loose(name)


@_cache_failure
def _corpus_usage() -> dict[str, frozenset[str]]:
    """indicator key -> the set of distinct projects (department|project name) that use it."""
    try:
        from jixiao.corpus import load_corpus

        forms = load_corpus()
    except (FileNotFoundError, OSError) as e:
        raise RuleSkipped(f"corpus not available ({e})") from None
    use: dict[str, set[str]] = {}
    for f in forms:
        proj = f"{f.department or ''}|{f.project_name or f.id}"
        for ind in f.indicators:
            k = indicator_key(ind.name)
            if k:
                use.setdefault(k, set()).add(proj)
    return {k: frozenset(v) for k, v in use.items()}


_suggest_state: dict[str, str] = {}


def _suggest_text(ind: Indicator, form: Form) -> str | None:
    if "broken" in _suggest_state:
        return None
    try:
        from jixiao.suggest import suggest_rewrites
    except ImportError as e:
        _suggest_state["broken"] = str(e)
        return None
    from jixiao.errors import JixiaoError

    try:
        sugg = suggest_rewrites(ind, form, k=1)
    except (OSError, JixiaoError, RuleSkipped) as e:
        # model or index missing or unreadable: the finding stands with the template advice, and
        # the resource is not looked for again in this process
        log.debug("suggest_rewrites unavailable (%s); using template advice for this process", e)
        _suggest_state["broken"] = str(e)
        return None
    except Exception as e:  # a failure on this one indicator: keep suggesting for the others
        log.warning("no suggestion for %r in %s: %s", ind.name, form.id or form.project_name, e)
        return None
    return sugg[0].as_text() if sugg else None


# ----------------------------------------------------------------------------- context


class Context:
    """What a rule sees besides the form: configuration, targets, lazy resources."""

    def __init__(self, form: Form, config: Config, rule: Rule | None = None):
        self.form = form
        self.config = config
        self.rule = rule

    # targets
    @staticmethod
    def goal_target(kind: str) -> Target:
        return Target(kind=kind)

    @staticmethod
    def indicator_target(index: int) -> Target:
        return Target(kind="indicator", index=index)

    @staticmethod
    def form_target() -> Target:
        return Target(kind="form")

    def hit(self, target: Target, message: str, **kw: Any) -> Hit:
        return Hit(target=target, message=message, **kw)

    def indicators(self) -> Iterable[tuple[int, Indicator]]:
        return enumerate(self.form.indicators)

    def option(self, key: str, default: Any = None) -> Any:
        return self.config.option(self.rule, key, default) if self.rule else default

    def level1_of(self, ind: Indicator) -> str | None:
        from jixiao.taxonomy import parent_of

        if ind.level1:
            return ind.level1
        return parent_of(ind.level2)

    # lazy resources
    def embedder(self):
        return _embedder()

    def classifier(self):
        return _classifier()

    def corpus_usage(self) -> dict[str, frozenset[str]]:
        return _corpus_usage()

    def suggestion_for(self, ind: Indicator, fallback: str) -> str:
        return _suggest_text(ind, self.form) or fallback


# ----------------------------------------------------------------------------- review


def _accept_matches(entry: dict[str, Any], finding: Finding) -> bool:
    if entry.get("rule") not in (finding.rule, finding.name):
        return False
    t = entry.get("target")
    if not t:
        return True
    if t.get("kind") and t.get("kind") != finding.target.kind:
        return False
    return not ("index" in t and t["index"] is not None and t["index"] != finding.target.index)


def apply_acceptance(form: Form, findings: list[Finding]) -> None:
    """Mark findings that a reviewer accepted in the form (``Form.accepted``)."""
    for entry in form.accepted or []:
        for f in findings:
            if _accept_matches(entry, f):
                f.accepted = True
                if entry.get("note"):
                    f.data["accepted_note"] = entry["note"]


def run_rules(form: Form, config: Config | None = None) -> list[Finding]:
    config = config or Config()
    findings: list[Finding] = []
    for r in all_rules():
        if not config.enabled(r):
            continue
        if r.needs_complete and form.source.complete is False:
            log.debug("%s skipped on %s: the form's table is only partly shown", r.code, form.id)
            continue
        ctx = Context(form, config, r)
        try:
            hits = list(r(form, ctx))
        except RuleSkipped as e:
            log.debug("%s skipped on %s: %s", r.code, form.id, e)
            continue
        except Exception:
            if config.strict:
                raise
            log.warning("rule %s %s failed on form %s", r.code, r.name, form.id, exc_info=True)
            continue
        for h in hits:
            sev = config.severity_of(r, h.severity or r.severity)
            data = dict(h.data)
            if h.target.kind == "indicator" and h.target.index is not None:
                data.setdefault("indicator", form.indicators[h.target.index].name)
            findings.append(
                Finding(
                    rule=r.code, name=r.name, severity=sev, target=h.target, message=h.message,
                    suggestion=h.suggestion, dimension=r.dimension, standing=r.standing, data=data,
                )
            )
    order = {"form": 0, "overall_goal": 1, "annual_goal": 2, "indicator": 3}
    findings.sort(key=lambda f: (order.get(f.target.kind, 9), f.target.index or 0, f.rule))
    apply_acceptance(form, findings)
    return findings


def review_form(form: Form, config: Config | None = None) -> FormReview:
    """Review one form: findings (with acceptance applied) and its score card."""
    from jixiao.review.score import score_findings

    config = config or Config()
    findings = run_rules(form, config)
    return FormReview(form=form, findings=findings, score=score_findings(findings, config))


def review_forms(forms: Iterable[Form], config: Config | None = None) -> list[FormReview]:
    config = config or Config()
    return [review_form(f, config) for f in forms]


# ----------------------------------------------------------------------------- batches (and worker processes)

K = TypeVar("K")


class ReviewFailure(NamedTuple):
    """A form whose review raised: its id and ``"ExceptionType: message"``."""

    form_id: str
    error: str


def _review_list(forms: list[Form], config: Config, slim: bool) -> list[FormReview | ReviewFailure]:
    out: list[FormReview | ReviewFailure] = []
    for form in forms:
        try:
            r = review_form(form, config)
        except Exception as e:  # an engine bug on one form must not sink the batch
            out.append(ReviewFailure(form.id, f"{type(e).__name__}: {e}"))
            continue
        out.append(r.slim() if slim else r)
    return out


class _Records(logging.Handler):
    """Collects a worker's log records so that the parent emits them, in input order."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        msg = self.format(record)  # message and traceback as text: args and exc_info may not pickle
        record = logging.makeLogRecord(record.__dict__)
        record.msg, record.args, record.exc_info, record.exc_text, record.stack_info = msg, None, None, None, None
        self.records.append(record)


_worker: dict[str, Any] = {}


def _worker_init(config: Config, slim: bool, level: int) -> None:
    handler = _Records()
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    _worker.update(config=config, slim=slim, handler=handler)


def _worker_chunk(forms: list[Form]) -> tuple[list[FormReview | ReviewFailure], list[logging.LogRecord]]:
    handler: _Records = _worker["handler"]
    handler.records = []
    return _review_list(forms, _worker["config"], _worker["slim"]), handler.records


def _replay(records: list[logging.LogRecord]) -> None:
    for rec in records:
        logger = logging.getLogger(rec.name)
        if logger.isEnabledFor(rec.levelno):
            logger.handle(rec)


def review_chunks(chunks: Iterable[tuple[K, list[Form] | None]], config: Config | None = None, *, jobs: int = 1,
                  slim: bool = False) -> Iterator[tuple[K, list[FormReview | ReviewFailure] | None]]:
    """Review chunks of forms; yields ``(key, results)`` for every chunk, in the order given.

    ``results`` holds one :class:`FormReview` or :class:`ReviewFailure` per form (``None`` passes a
    chunk of ``None`` through, so a caller can keep its own entries, such as unreadable files, in
    order). ``jobs > 1`` reviews in that many worker processes (started with ``spawn``, each
    loading the models once and keeping them); results, and the warnings the rules log, still come
    in input order, and the chunks are read from ``chunks`` only a few ahead of the one awaited. If a
    worker dies (killed, out of memory) or cannot start, a warning is logged and the chunks not yet
    reviewed are reviewed in this process.
    ``slim`` replaces each review's form by its :class:`FormHead` (before it leaves a worker).
    """
    config = config or Config()
    if jobs <= 1:
        for key, forms in chunks:
            yield key, None if forms is None else _review_list(forms, config, slim)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    level = logging.getLogger("jixiao").getEffectiveLevel()

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_init, initargs=(config, slim, level))

    pool: ProcessPoolExecutor | None = new_pool()
    pending: deque = deque()  # (key, forms, future or None), oldest first

    def broken(e: BaseException) -> None:
        """A worker died (killed, out of memory) or could not start: review the rest in this process."""
        nonlocal pool
        if pool is not None:
            log.warning("a review worker process failed (%s: %s); reviewing the remaining forms in this process",
                        type(e).__name__, e)
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None

    it = iter(chunks)
    more = True
    try:
        while True:
            while more and len(pending) < 4 * jobs:
                try:
                    key, forms = next(it)
                except StopIteration:
                    more = False
                    break
                fut = None
                if forms is not None and pool is not None:
                    try:
                        fut = pool.submit(_worker_chunk, forms)
                    except BrokenProcessPool as e:
                        broken(e)
                pending.append((key, forms, fut))
            if not pending:
                return
            key, forms, fut = pending.popleft()
            if forms is None:
                yield key, None
                continue
            if fut is not None:
                try:
                    results, records = fut.result()
                except BrokenProcessPool as e:
                    broken(e)  # this chunk is reviewed here, below
                except Exception as e:  # the chunk or its results did not pickle
                    yield key, [ReviewFailure(f.id, f"{type(e).__name__}: {e}") for f in forms]
                    continue
                else:
                    _replay(records)
                    yield key, results
                    continue
            yield key, _review_list(forms, config, slim)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["Context", "ReviewFailure", "apply_acceptance", "review_chunks", "review_form", "review_forms",
           "run_rules"]

