"""The only module that knows the order: read → clean → extract → store.

The batch path (:func:`run`) and the crawler both go through :class:`Pipeline`, so a page
fetched from an IR site and the same page saved to disk give identical rows.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path

from . import clean, readers
from .errors import CleanError, StoreError
from .extract import Extractor, build_extractor
from .models import Article, Facts, Failure, RawDocument, RunReport
from .store import Store, open_store
from .store.lock import writer_lock

log = logging.getLogger(__name__)

BATCH_SIZE = 64  # documents per spaCy batch and per database transaction

#: One input after cleaning and extraction, before writing: its failure, or (document, hash, article, facts or error).
Prepared = Failure | tuple[RawDocument, str, Article, Facts | Exception]

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

    def ingest(self, items: Iterable[RawDocument | Failure], report: RunReport | None = None) -> RunReport:
        """Process every item in batches: each batch is cleaned and extracted outside any transaction,
        then written in one short transaction (the write lock is held only while writing)."""
        report = report or RunReport()
        started = time.perf_counter()
        iterator = iter(items)
        try:
            while batch := list(islice(iterator, BATCH_SIZE)):
                prepared = self._prepare(batch, report)
                written = RunReport()  # what this batch writes counts once its transaction commits
                told: list[tuple[str, str]] = []
                with self.store.transaction():
                    self._write(prepared, written, told)
                report.merge(written)
                for source, outcome in told:
                    self._tell(source, outcome)
        except KeyboardInterrupt:
            report.interrupted = True  # the batch in hand rolled back whole; earlier batches are stored
            raise
        finally:
            report.seconds += time.perf_counter() - started
        return report

    def _prepare(self, batch: list[RawDocument | Failure], report: RunReport) -> list[Prepared]:
        """Read state, clean and extract: everything but writing. Unchanged documents are counted here."""
        out: list[Prepared] = []
        todo: list[tuple[RawDocument, str, Article]] = []
        batch_state: dict[str, str] = {}  # a source met twice in one batch: the second is unchanged
        for item in batch:
            report.read += 1  # every input counts as read, whether it then succeeds or fails
            if isinstance(item, Failure):
                out.append(item)
                continue
            digest = content_hash(item)
            seen = batch_state.get(item.source)
            batch_state[item.source] = digest
            stored = self.store.state(item.source)
            if seen == digest or stored == (digest, self.extractor.rules_version):
                report.unchanged += 1
                self._tell(item.source, "unchanged")
                continue
            if stored is None and self.store.same_content(item.source, digest):
                self._duplicate(item.source, report)
                continue
            try:
                article = clean.clean(item).with_title()
            except CleanError as exc:
                out.append(Failure(item.source, "clean", str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001 - one document's failure never costs the batch
                out.append(Failure(item.source, "clean", _describe(exc)))
                continue
            todo.append((item, digest, article))
        if todo:
            outcomes = self.extractor.extract_many([a for _, _, a in todo])
            out.extend((raw, digest, article, outcome) for (raw, digest, article), outcome in zip(todo, outcomes, strict=True))
        return out

    def _write(self, prepared: list[Prepared], report: RunReport, told: list[tuple[str, str]]) -> None:
        """Write one batch inside the caller's transaction; outcomes go to ``told`` for after it commits."""
        for entry in prepared:
            if isinstance(entry, Failure):
                self._fail(entry, report, told)
                continue
            raw, digest, article, outcome = entry
            if isinstance(outcome, Exception):
                self._fail(Failure(raw.source, "extract", _describe(outcome)), report, told)
                continue
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
) -> RunReport:
    """Read every article under ``paths`` into the database at ``db_path``.

    Pass a ``report`` to keep the counts of a run that is interrupted (KeyboardInterrupt propagates
    with ``report.interrupted`` set and every finished batch stored).

    Rules are loaded and validated first: a malformed rule file raises
    :class:`~extractor.errors.RuleError` before any input is read. The database's writer lock is
    held for the whole run: another writer (run, crawl, watch) raises :class:`~extractor.errors.LockError`.
    """
    report = report if report is not None else RunReport()
    extractor = build_extractor(rules_dir)
    with writer_lock(db_path):  # the lock crawl and watch hold: one writer per database
        store = open_store(db_path)
        try:
            return Pipeline(store, extractor, progress=progress).ingest(
                readers.iter_inputs(paths, max_bytes=max_bytes, skipped=report.skipped), report
            )
        finally:
            store.close()
