"""The only module that knows the order: read → clean → extract → store.

The batch path (:func:`run`) and the crawler both go through :class:`Pipeline`, so a page
fetched from an IR site and the same page saved to disk give identical rows.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any

from . import clean, readers
from .errors import CleanError, StoreError
from .extract import Extractor, build_extractor
from .models import Article, Facts, Failure, RawDocument, RunReport
from .store import Store, open_store
from .store.lock import writer_lock

log = logging.getLogger(__name__)

BATCH_SIZE = 64  # documents per spaCy batch and per database transaction

#: One input after triage: its failure, or (document, content hash) to clean and extract.
Triaged = Failure | tuple[RawDocument, str]
#: One input after cleaning and extraction, before writing: its failure, or (document, hash, article, facts).
Prepared = Failure | tuple[RawDocument, str, Article, Facts]

#: Called after every input with (source, outcome); outcome is stored/unchanged/failed.
ProgressHook = Callable[[str, str], None]


def content_hash(raw: RawDocument) -> str:
    """Identity of a document's content: its text and the metadata we store with it."""
    digest = hashlib.sha256()
    for part in (raw.content, raw.title or "", raw.url or "", raw.published or ""):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


class Pipeline:
    """Clean, extract and store documents into one database."""

    def __init__(self, store: Store, extractor: Extractor, *, progress: ProgressHook | None = None) -> None:
        self.store = store
        self.extractor = extractor
        self.progress = progress

    def ingest(self, items: Iterable[RawDocument | Failure], report: RunReport | None = None, *, pool: Pool | None = None) -> RunReport:
        """Process every item in batches: each batch is cleaned and extracted outside any transaction,
        then written in one short transaction (the write lock is held only while writing).

        With a ``pool`` (see :func:`worker_pool`), batches are cleaned and extracted in its worker
        processes, a few batches ahead, and written here in input order: the database is the same
        as a one-process run's, row for row."""
        report = report or RunReport()
        iterator = iter(items)
        seen: dict[str, str] = {}  # source -> content hash met in this run: met again, it is unchanged
        batches = (self._triage(batch, report, seen) for batch in iter(lambda: list(islice(iterator, BATCH_SIZE)), []))
        return self._in_order(batches, prepare, _prepare_in_worker, report, pool)

    def reprocess(self, *, every: bool = False, report: RunReport | None = None, pool: Pool | None = None) -> RunReport:
        """Extract the stored documents again from their stored text: those stored under another
        rules version, or ``every`` one. Batches are written in id order, like a run's."""
        report = report or RunReport()
        ids = self.store.documents_to_reprocess(self.extractor.rules_version, every=every)

        def batches() -> Iterator[list[tuple[Article, str, bool]]]:
            for i in range(0, len(ids), BATCH_SIZE):
                stored = self.store.stored_articles(ids[i : i + BATCH_SIZE])
                report.read += len(stored)
                yield stored

        return self._in_order(batches(), reextract, _reextract_in_worker, report, pool)

    def _in_order(
        self,
        batches: Iterable[Any],
        local: Callable[[Extractor, Any], list[Prepared]],
        remote: Callable[[Any], list[Prepared]],
        report: RunReport,
        pool: Pool | None,
    ) -> RunReport:
        """Prepare each batch (here with ``local``, or in the pool with ``remote``, a few batches
        ahead) and commit them in input order. On Ctrl-C the batch in hand rolls back whole."""
        started = time.perf_counter()
        ahead: deque[AsyncResult] = deque()
        try:
            for batch in batches:
                if pool is None:
                    self._commit(local(self.extractor, batch), report)
                    continue
                ahead.append(pool.apply_async(remote, (batch,)))
                while len(ahead) > 2 * pool_size(pool):
                    self._commit(ahead.popleft().get(), report)
            while ahead:
                self._commit(ahead.popleft().get(), report)
        except KeyboardInterrupt:
            report.interrupted = True  # earlier batches are stored
            raise
        finally:
            report.seconds += time.perf_counter() - started
        return report

    def _commit(self, prepared: list[Prepared], report: RunReport) -> None:
        """Write one prepared batch in one transaction; count it and tell its outcomes once committed."""
        written = RunReport()
        told: list[tuple[str, str]] = []
        with _interrupt_held():  # a batch is committed and counted, or neither
            with self.store.transaction():
                self._write(prepared, written, told)
            report.merge(written)
        log.info("batch written: %d stored, %d failed, %d duplicate (%d stored in all)",
                 written.stored, written.failed, written.duplicates, report.stored)
        for source, outcome in told:
            self._tell(source, outcome)

    def _triage(self, batch: list[RawDocument | Failure], report: RunReport, seen: dict[str, str]) -> list[Triaged]:
        """What of a batch needs work: unchanged documents and new names for stored content are counted
        here (they cost a hash and a lookup), the rest is passed on with its content hash."""
        out: list[Triaged] = []
        for item in batch:
            report.read += 1  # every input counts as read, whether it then succeeds or fails
            if isinstance(item, Failure):
                out.append(item)
                continue
            digest = content_hash(item)
            earlier = seen.get(item.source)
            seen[item.source] = digest
            stored = self.store.state(item.source)
            if earlier == digest or stored == (digest, self.extractor.rules_version):
                report.unchanged += 1
                self._tell(item.source, "unchanged")
                continue
            if stored is None and self.store.same_content(item.source, digest):
                self._duplicate(item.source, report)
                continue
            out.append((item, digest))
        return out

    def _write(self, prepared: list[Prepared], report: RunReport, told: list[tuple[str, str]]) -> None:
        """Write one batch inside the caller's transaction; outcomes go to ``told`` for after it commits."""
        for entry in prepared:
            if isinstance(entry, Failure):
                self._fail(entry, report, told)
                continue
            raw, digest, article, outcome = entry
            if self.store.state(raw.source) is None and self.store.same_content(raw.source, digest):
                report.duplicates += 1  # stored earlier in this batch under another name
                told.append((raw.source, "duplicate"))
                continue
            try:
                with self.store.transaction():  # a savepoint: one document's failure undoes only its rows
                    self.store.save(article, outcome, digest, self.extractor.rules_version)
            except StoreError as exc:
                self._fail(Failure(raw.source, "store", str(exc)), report, told)
                continue
            except Exception as exc:  # noqa: BLE001 - e.g. an integer SQLite cannot hold: this document only
                self._fail(Failure(raw.source, "store", _describe(exc)), report, told)
                continue
            report.stored += 1
            report.facts.update(outcome.counts())
            told.append((raw.source, "stored"))

    def _duplicate(self, source: str, report: RunReport) -> None:
        """The same content under another name (a path spelled another way, a mirror): counted once."""
        report.duplicates += 1
        self._tell(source, "duplicate")

    def _fail(self, failure: Failure, report: RunReport, told: list[tuple[str, str]]) -> None:
        log.warning("%s: %s: %s", failure.source, failure.stage, failure.error)
        self.store.record_failure(failure)
        report.failed += 1
        report.failures.append(failure)
        told.append((failure.source, "failed"))

    def _tell(self, source: str, outcome: str) -> None:
        if self.progress is not None:
            self.progress(source, outcome)


#: Seconds one document may take to be cleaned and extracted before it is recorded as failed
#: (stage ``timeout``) and the run goes on; 0 for no limit. ``run``/``reprocess`` set it for their workers.
DEFAULT_BUDGET = 10.0
_budget_seconds: float = DEFAULT_BUDGET


class DocumentTimeout(BaseException):
    """One document used up its time budget. A BaseException, like KeyboardInterrupt, so that no
    ``except Exception`` inside a library or a component can swallow it and let the document run on."""


#: After the budget runs out, the alarm is raised again this often until the document gives up. Not
#: much shorter: an alarm that lands in a finalizer is reported as "unraisable", and a second one
#: landing while that report is being written (pytest's unraisable hook, say) breaks the reporter.
REPEAT_SECONDS = 0.5


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`DocumentTimeout` in the block after ``seconds`` (a SIGALRM timer). Only the main
    thread of a process can take signals: elsewhere (a Dask worker's task thread) there is no limit.

    The timer repeats every :data:`REPEAT_SECONDS` until the block ends: a handler that runs while
    Python is inside a garbage-collector callback or a ``__del__`` has its exception swallowed (printed
    as "unraisable"), so one alarm alone could be lost and the document would run on unbounded."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise DocumentTimeout(f"took longer than {seconds:g} s to clean and extract")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _interrupt_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) for the block and deliver it after: a batch being written is committed and
    counted before the run stops, so the "stored so far" a user is told is what the database holds.
    Without it, a Ctrl-C landing between the commit and the count loses the batch from the count."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        signal.raise_signal(signal.SIGINT)  # the handler that was in place decides (KeyboardInterrupt by default)


def prepare(extractor: Extractor, triaged: list[Triaged]) -> list[Prepared]:
    """Clean and extract one triaged batch: everything but writing. Runs in a worker process too, so
    what it returns is plain records (an error becomes the document's Failure, never an exception).
    Each document has :data:`_budget_seconds` to be cleaned and extracted."""
    out: list[Prepared] = []
    for entry in triaged:
        if isinstance(entry, Failure):
            out.append(entry)
            continue
        item, digest = entry
        stage = "clean"
        try:
            with time_budget(_budget_seconds):
                article = clean.clean(item).with_title()
                stage = "extract"
                facts = extractor.extract(article)
        except DocumentTimeout as exc:
            out.append(Failure(item.source, "timeout", str(exc)))
            continue
        except CleanError as exc:
            out.append(Failure(item.source, "clean", str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - one document's failure never costs the batch
            out.append(Failure(item.source, stage, _describe(exc)))
            continue
        out.append((item, digest, article, facts))
    return out


def _extract(extractor: Extractor, todo: list[tuple[RawDocument, str, Article]]) -> list[Prepared]:
    """Extract cleaned articles, each within its time budget; an article that breaks becomes its Failure."""
    out: list[Prepared] = []
    for raw, digest, article in todo:
        try:
            with time_budget(_budget_seconds):
                out.append((raw, digest, article, extractor.extract(article)))
        except DocumentTimeout as exc:
            out.append(Failure(raw.source, "timeout", str(exc)))
        except Exception as exc:  # noqa: BLE001 - one document's failure never costs the batch
            out.append(Failure(raw.source, "extract", _describe(exc)))
    return out


def reextract(extractor: Extractor, stored: list[tuple[Article, str, bool]]) -> list[Prepared]:
    """Extract stored articles again (``reprocess``). A document stored before its sections were
    kept is cleaned again from its stored text, so its safety and About sections are known."""
    out: list[Prepared] = []
    todo: list[tuple[RawDocument, str, Article]] = []
    for article, digest, has_sections in stored:
        raw = RawDocument(source=article.source, content=article.text, kind="text", url=article.url,
                          title=article.title, published=article.published)
        if not has_sections:
            body = article.text
            if article.title and body.startswith(article.title):
                body = body[len(article.title) :].lstrip("\n")
            try:
                article = clean.clean(RawDocument(source=article.source, content=body, kind="text", url=article.url,
                                                  title=article.title, published=article.published)).with_title()
            except Exception as exc:  # noqa: BLE001 - one document's failure never costs the batch
                out.append(Failure(article.source, "clean", _describe(exc)))
                continue
        todo.append((raw, digest, article))
    return out + _extract(extractor, todo)


#: The extractor of a worker process: inherited from the parent (fork) or built once (spawn).
_worker_extractor: Extractor | None = None


def _init_worker(rules_dir: str | Path | None, inherited: bool, budget: float = DEFAULT_BUDGET) -> None:
    global _worker_extractor, _budget_seconds
    _budget_seconds = budget
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    if not inherited:
        _worker_extractor = build_extractor(rules_dir)


def _prepare_in_worker(triaged: list[Triaged]) -> list[Prepared]:
    assert _worker_extractor is not None
    return prepare(_worker_extractor, triaged)


def _reextract_in_worker(stored: list[tuple[Article, str, bool]]) -> list[Prepared]:
    assert _worker_extractor is not None
    return reextract(_worker_extractor, stored)


def worker_pool(extractor: Extractor, workers: int, rules_dir: str | Path | None = None) -> Pool:
    """A pool of ``workers`` processes that clean and extract. Where the platform forks, each worker
    inherits ``extractor`` already built; elsewhere each builds its own once."""
    global _worker_extractor
    inherited = "fork" in multiprocessing.get_all_start_methods()
    if inherited:
        _worker_extractor = extractor
    context = multiprocessing.get_context("fork" if inherited else "spawn")
    return context.Pool(workers, initializer=_init_worker, initargs=(rules_dir, inherited, _budget_seconds))


def pool_size(pool: Pool) -> int:
    return int(getattr(pool, "_processes", 1))


def _describe(exc: BaseException) -> str:
    """One line naming the error: its type and the start of its message."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message[:300]}" if message else type(exc).__name__


def run(
    paths: Iterable[str | Path],
    db_path: str | Path,
    *,
    max_bytes: int = readers.DEFAULT_MAX_BYTES,
    rules_dir: str | Path | None = None,
    progress: ProgressHook | None = None,
    report: RunReport | None = None,
    workers: int = 1,
    dask: str | None = None,
    budget: float = DEFAULT_BUDGET,
) -> RunReport:
    """Read every article under ``paths`` into the database at ``db_path``.

    ``workers`` > 1 cleans and extracts in that many processes while this one reads and writes
    (the database is the same as with one); ``dask`` (a scheduler address) does the same on a Dask
    cluster (see :mod:`extractor.cluster`). Pass a ``report`` to keep the counts of a run that is
    interrupted (KeyboardInterrupt propagates with ``report.interrupted`` set and every finished
    batch stored).

    Rules are loaded and validated first: a malformed rule file raises
    :class:`~extractor.errors.RuleError` before any input is read. The database's writer lock is
    held for the whole run: another writer (run, crawl, watch) raises :class:`~extractor.errors.LockError`.
    """
    global _budget_seconds
    _budget_seconds = budget  # before the workers fork: they inherit it
    report = report if report is not None else RunReport()
    built = time.perf_counter()
    extractor = build_extractor(rules_dir)
    log.info("pipeline built in %.1f s (rules %s); %d worker process(es)", time.perf_counter() - built, extractor.rules_version, workers)
    with _writing(db_path, extractor, workers, rules_dir, create=True, dask=dask) as (store, pool):
        return Pipeline(store, extractor, progress=progress).ingest(
            readers.iter_inputs(paths, max_bytes=max_bytes, skipped=report.skipped), report, pool=pool
        )


def reprocess(
    db_path: str | Path,
    *,
    every: bool = False,
    rules_dir: str | Path | None = None,
    progress: ProgressHook | None = None,
    report: RunReport | None = None,
    workers: int = 1,
    dask: str | None = None,
    budget: float = DEFAULT_BUDGET,
) -> RunReport:
    """Re-extract the documents of ``db_path`` stored under another rules version (or ``every``
    one) from their stored text: after a rule change, without the original files."""
    global _budget_seconds
    if not Path(db_path).is_file():
        raise StoreError(f"{db_path}: no such database")
    _budget_seconds = budget
    report = report if report is not None else RunReport()
    extractor = build_extractor(rules_dir)
    with _writing(db_path, extractor, workers, rules_dir, create=False, dask=dask) as (store, pool):
        return Pipeline(store, extractor, progress=progress).reprocess(every=every, report=report, pool=pool)


@contextlib.contextmanager
def _writing(
    db_path: str | Path, extractor: Extractor, workers: int, rules_dir: str | Path | None, *, create: bool,
    dask: str | None = None,
) -> Iterator[tuple[Store, Any]]:
    """The writer lock, the open store and the workers (a local pool for ``workers`` > 1, or a Dask
    cluster at ``dask``), all released on exit."""
    with writer_lock(db_path):  # the lock crawl and watch hold: one writer per database
        store = open_store(db_path, create=create)
        if dask:
            from .cluster import DaskPool  # dask is an optional extra

            try:
                pool: Any = DaskPool(dask, rules_dir)
            except BaseException:
                store.close()
                raise
        else:
            pool = worker_pool(extractor, workers, rules_dir) if workers > 1 else None
        try:
            yield store, pool
        finally:
            if pool is not None:
                pool.terminate()  # finished batches are written; an interrupted run stops its workers at once
                pool.join()
            store.close()
