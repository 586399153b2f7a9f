"""What the crawler remembers between passes and tells about them: the one-writer lock, opening the
store for a pass, the validators (ETag, Last-Modified, body hash) kept per listing, the wait before a
source is due again (its interval, or a back-off after failures), the per-source and per-pass
reports, and :func:`status`, the per-source health table read from the ``sources`` rows."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, StoreError
from ..fetch import FetchResult
from ..models import RunReport
from ..store import Store, open_store
from ..store import sources as rows
from ..store.lock import writer_lock
from .config import CrawlConfig
from .dates import parse_iso, utcnow

MAX_BACKOFF = 7 * 86400.0
BLOCKED_MIN_BACKOFF = 6 * 3600.0

db_lock = writer_lock  # the store's one-writer lock, under the name the crawler has always exported


@dataclass
class SourceReport:
    name: str
    outcome: str = "ok"  # ok, unchanged, failed, blocked, skipped (not due)
    message: str = ""
    requests: int = 0
    new: int = 0  # documents stored
    linked: int = 0  # pages linked to an existing document (same title and date)
    failed: int = 0  # pages that could not be fetched or processed
    skipped: int = 0  # pages older than the first-pass age floor
    unchanged: int = 0  # pages fetched again whose content and rules had not changed
    planned: list[str] = field(default_factory=list)  # --dry-run: pages that would be fetched

    def line(self) -> str:
        parts = [f"{self.name}: {self.outcome}"]
        counts = [f"{n} {label}" for n, label in ((self.new, "new"), (self.unchanged, "unchanged"), (self.linked, "linked"),
                                                   (self.failed, "failed"), (self.skipped, "skipped")) if n]
        if self.planned:
            counts.append(f"{len(self.planned)} to fetch")
        if counts:
            parts.append(", ".join(counts))
        parts.append(f"{self.requests} requests")
        if self.message:
            parts.append(self.message)
        return " · ".join(parts)


@dataclass
class CrawlReport:
    sources: list[SourceReport] = field(default_factory=list)
    run: RunReport = field(default_factory=RunReport)

    @property
    def due(self) -> list[SourceReport]:
        return [s for s in self.sources if s.outcome != "skipped"]

    @property
    def all_failed(self) -> bool:
        due = self.due
        return bool(due) and all(s.outcome in ("failed", "blocked") for s in due)


def validators(result: FetchResult) -> dict[str, Any]:
    """The columns that make the next request for this page conditional."""
    if result.error:
        return {}
    out: dict[str, Any] = {}
    if result.headers.get("etag"):
        out["etag"] = result.headers["etag"]
    if result.headers.get("last-modified"):
        out["last_modified"] = result.headers["last-modified"]
    if result.body_hash:
        out["body_hash"] = result.body_hash
    return out


def wait_after(every: float, failures: int, error: FetchResult | None = None) -> float:
    """Seconds until a source is due again: its interval, or after ``failures`` failures in a row a
    doubling back-off (at least 6 hours when the site blocks us, at most a week, at least Retry-After)."""
    if not failures:
        return every
    base = max(every, 60.0)
    if error is not None and error.error == "blocked":
        base = max(base, BLOCKED_MIN_BACKOFF)
    wait = min(base * 2 ** (failures - 1), MAX_BACKOFF)
    if error is not None and error.retry_after:
        wait = max(wait, min(error.retry_after, MAX_BACKOFF))
    return wait


def open_for(db_path: str | Path, dry_run: bool) -> Store | None:
    """The store a pass writes to (with the crawl tables), or read-only for a dry run (None: no database yet)."""
    if dry_run:
        return rows.open_readonly(db_path)
    store = open_store(db_path)
    try:
        rows.ensure_crawl_schema(store)
    except BaseException:
        store.close()
        raise
    return store


def status(db_path: str | Path, config: CrawlConfig | None = None, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Per source: last outcome, last success, consecutive failures, next due, newest item, stale."""
    now = now or utcnow()
    store = rows.open_readonly(db_path)
    if store is None:
        raise StoreError(f"{db_path}: no such database")
    try:
        by_name = {r["name"]: r for r in rows.list_sources(store)}
        names = [s.name for s in config.sources] if config else []
        names += [n for n in by_name if n not in names]
        out = []
        for name in names:
            row = by_name.get(name, {"name": name})
            every = float(row.get("every_seconds") or 0)
            if config:
                with contextlib.suppress(ConfigError):
                    every = config.source(name).every
            newest = max(filter(None, [row.get("newest_item"), rows.newest_published(store, name)]), default=None)
            last_success = parse_iso(row.get("last_success"))
            window = max(3 * every, 6 * 3600.0)
            stale = last_success is None or (now - last_success).total_seconds() > window
            out.append({
                "name": name,
                "kind": row.get("kind") or (config.source(name).kind if config and name in {s.name for s in config.sources} else None),
                "last_outcome": row.get("last_outcome") or "never",
                "last_error": row.get("last_error"),
                "last_attempt": row.get("last_attempt"),
                "last_success": row.get("last_success"),
                "consecutive_failures": int(row.get("consecutive_failures") or 0),
                "next_due": row.get("next_due"),
                "newest_item": newest,
                "stale": stale,
            })
        return out
    finally:
        store.close()
