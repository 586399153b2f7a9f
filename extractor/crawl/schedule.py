"""Entry points that hold the lock and own the fetcher: :func:`crawl` (one pass over the due sources),
:func:`watch` (passes until stopped, sleeping until the next source falls due), :func:`fetch_urls`
(article pages by URL, the ``fetch`` command) and :func:`stop_on_signals` (SIGTERM / Ctrl-C end a
watch after the current source)."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..errors import ConfigError
from ..fetch import Fetcher, FetchSettings
from ..models import RunReport
from ..store import Store
from .config import CrawlConfig, parse_since
from .crawler import Crawler, _cached_extractor
from .dates import utcnow
from .state import CrawlReport, SourceReport, db_lock, open_for

if TYPE_CHECKING:
    from ..pipeline import Extractor

log = logging.getLogger("extractor.crawl")


def crawl(
    config: CrawlConfig,
    db_path: str | Path,
    *,
    dry_run: bool = False,
    force: bool = False,
    only: tuple[str, ...] = (),
    fetcher: Fetcher | None = None,
    extractor: Extractor | None = None,
    rules_dir: str | None = None,
    progress: Callable[[str], None] | None = None,
    since: str | None = None,
) -> CrawlReport:
    """One idempotent pass over the due sources. Raises :class:`LockError` when another writer runs.

    ``since`` (an ISO date) backfills: each source's listing is paged back to that date, past
    pages already seen, at most ``max_items`` new pages per source per pass (run it again to go on)."""
    with _session(db_path, config.fetch, fetcher, dry_run=dry_run) as (store, fetcher):
        if extractor is None and not dry_run:
            extractor = _cached_extractor(rules_dir)
        crawler = Crawler(config, store, fetcher, extractor, dry_run=dry_run, progress=progress,
                          since=parse_since(since) if since else None)
        return crawler.run_once(force=force, only=only)


def watch(
    config: CrawlConfig,
    db_path: str | Path,
    *,
    stop: threading.Event | None = None,
    max_passes: int | None = None,
    fetcher: Fetcher | None = None,
    extractor: Extractor | None = None,
    rules_dir: str | None = None,
    progress: Callable[[str], None] | None = None,
    min_sleep: float = 1.0,
    max_sleep: float = 3600.0,
) -> int:
    """Crawl until ``stop`` is set (SIGTERM / Ctrl-C in the CLI), sleeping until the next due source.

    Holds the lock for its whole life: while it runs it is the one writer. Returns the passes run.
    """
    stop = stop or threading.Event()
    passes = 0
    with _session(db_path, config.fetch, fetcher) as (store, fetcher):
        crawler = Crawler(config, store, fetcher, extractor or _cached_extractor(rules_dir), progress=progress)
        while not stop.is_set():
            crawler.run_once()
            passes += 1
            if max_passes is not None and passes >= max_passes:
                break
            wait = (crawler.next_wake() - utcnow()).total_seconds()
            stop.wait(min(max(wait, min_sleep), max_sleep))
    return passes


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[list[int]]:
    """Set ``stop`` on SIGTERM and SIGINT (restoring the old handlers afterwards); yields the list
    of signals received, so a caller can tell Ctrl-C (exit 130) from a service manager's SIGTERM."""
    previous = {}
    received: list[int] = []

    def handler(signum: int, frame: object) -> None:
        log.info("signal %s: stopping after this source", signum)
        received.append(signum)
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        previous[sig] = signal.signal(sig, handler)
    try:
        yield received
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def fetch_urls(
    urls: list[str],
    db_path: str | Path,
    settings: FetchSettings,
    *,
    fetcher: Fetcher | None = None,
    extractor: Extractor | None = None,
    rules_dir: str | None = None,
) -> tuple[SourceReport, RunReport]:
    """Fetch article pages by URL and store them (the ``extractor fetch`` command)."""
    for url in urls:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ConfigError(f"{url}: not an http(s) URL")
    config = CrawlConfig(fetch=settings, sources=(), max_age=0)
    with _session(db_path, settings, fetcher) as (store, fetcher):
        crawler = Crawler(config, store, fetcher, extractor or _cached_extractor(rules_dir))
        return crawler.fetch_pages(urls)


@contextlib.contextmanager
def _session(
    db_path: str | Path, settings: FetchSettings, fetcher: Fetcher | None, *, dry_run: bool = False
) -> Iterator[tuple[Store | None, Fetcher]]:
    """What every entry point holds while it works: a fetcher (built here and closed on exit unless the
    caller passed one), the writer lock (none for a dry run) and the store (None: a dry run and no
    database yet). Released in reverse order: store, lock, fetcher."""
    with contextlib.ExitStack() as held:
        if fetcher is None:
            fetcher = held.enter_context(Fetcher(settings))
        if not dry_run:
            held.enter_context(db_lock(db_path))
        store = open_for(db_path, dry_run)
        if store is not None:
            held.callback(store.close)
        yield store, fetcher
