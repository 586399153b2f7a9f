"""The crawler: :class:`Crawler` runs one pass over the due sources of a :class:`~.config.CrawlConfig`.
Per source it reads the listing its platform serves (feed, Q4 JSON with an RSS fallback, Notified
``?page=N`` pages, an HTML listing, a sitemap) conditionally, drops links already seen, skips items
older than the first-pass floor, links a release already stored under the same title and date
instead of fetching it again, fetches the new detail pages and hands them to the
:class:`~extractor.pipeline.Pipeline`, writing documents, seen pages and source state in one
transaction. :meth:`Crawler.fetch_pages` does the same for URLs given by hand."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .. import pipeline as _pipeline
from ..errors import ExtractorError
from ..fetch import Fetcher, FetchResult
from ..models import Failure, RawDocument, RunReport
from ..pipeline import Pipeline
from ..store import Store
from ..store import sources as state
from .config import CrawlConfig, Source
from .dates import iso, parse_iso, utcnow
from .feeds import NOTIFIED_DETAIL_MARK, Q4_JSON_PATH, Q4_RSS_PATH, parse_feed, parse_q4_json, parse_sitemap
from .listings import Candidate, PageMeta, canonical_url, page_meta, parse_links
from .state import CrawlReport, SourceReport, validators, wait_after

if TYPE_CHECKING:
    from ..pipeline import Extractor

log = logging.getLogger("extractor.crawl")


@functools.lru_cache(maxsize=4)
def _cached_extractor(rules_dir: str | None) -> Extractor:
    return _pipeline.build_extractor(rules_dir)


@dataclass
class _Listing:
    candidates: list[Candidate] = field(default_factory=list)
    unchanged: bool = False
    error: FetchResult | None = None
    source_state: dict[str, Any] = field(default_factory=dict)  # validators of the source URL
    page_rows: list[dict[str, Any]] = field(default_factory=list)  # validators of further listing pages

    @classmethod
    def opened(cls, result: FetchResult, unchanged: bool) -> _Listing:
        """A listing for a fetched page: its validators, and whether it failed or is unchanged."""
        listing = cls(source_state=validators(result))
        if result.error:
            listing.error = result
        elif unchanged:
            listing.unchanged = True
        return listing

    @property
    def done(self) -> bool:
        """Nothing more to read: the page failed or has not changed."""
        return self.error is not None or self.unchanged


def _read_feed(listing: _Listing, result: FetchResult, not_a_feed: str) -> None:
    """Fill ``listing`` with the items of the feed in ``result``, or record that it is not a feed."""
    found = parse_feed(result.text or "", result.final_url)
    if found is None:
        result.error, result.message = "content_type", not_a_feed
        listing.error = result
    else:
        listing.candidates = found


def _with_query(url: str, **params: object) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, str(v)) for k, v in params.items()]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


class Crawler:
    """Runs passes over the sources of one :class:`CrawlConfig` into one store."""

    def __init__(
        self,
        config: CrawlConfig,
        store: Store | None,
        fetcher: Fetcher,
        extractor: Extractor | None = None,
        *,
        dry_run: bool = False,
        clock: Callable[[], dt.datetime] = utcnow,
        progress: Callable[[str], None] | None = None,
        since: str | None = None,
    ) -> None:
        self.since = since  # backfill: page back to this date on this pass, whatever was seen before
        self.config = config
        self.store = store
        self.fetcher = fetcher
        self.extractor = extractor
        self.dry_run = dry_run
        self.clock = clock
        self.progress = progress
        self._outcomes: dict[str, str] = {}
        self._titles: dict[tuple[str, str], str] = {}  # (normalised title, date) → source, this pass

    # -- scheduling -----------------------------------------------------------------------
    def source_state(self, name: str) -> dict[str, Any] | None:
        return state.get_source(self.store, name) if self.store is not None else None

    def is_due(self, source: Source, now: dt.datetime) -> bool:
        row = self.source_state(source.name)
        due = parse_iso(row.get("next_due")) if row else None
        return due is None or due <= now

    def next_wake(self) -> dt.datetime:
        """When the next source falls due."""
        now = self.clock()
        times = []
        for source in self.config.sources:
            row = self.source_state(source.name)
            due = parse_iso(row.get("next_due")) if row else None
            times.append(due or now)
        return min(times) if times else now + dt.timedelta(hours=1)

    def run_once(self, *, force: bool = False, only: tuple[str, ...] = ()) -> CrawlReport:
        report = CrawlReport()
        now = self.clock()
        self._titles.clear()
        if self.store is not None:
            self.fetcher.seed_robots(state.load_robots(self.store))
        for source in self.config.sources:
            if only and source.name not in only:
                continue
            if not force and not self.is_due(source, now):
                report.sources.append(SourceReport(source.name, outcome="skipped", message="not due"))
                continue
            try:
                report.sources.append(self.crawl_source(source, report.run))
            except ExtractorError:
                raise  # a store or lock problem concerns every source
            except Exception as exc:  # a parser bug on one odd page must not stop the other sources
                log.exception("%s: unexpected error", source.name)
                failed = FetchResult(url=source.url, final_url=source.url, error="internal",
                                     message=f"{type(exc).__name__}: {exc}")
                row = self.source_state(source.name) or {}
                self._source_failed(source, row, {"name": source.name, "kind": source.kind, "url": source.url,
                                                  "every_seconds": int(source.every), "last_attempt": iso(now)},
                                    failed, report_for := SourceReport(source.name))
                report.sources.append(report_for)
            if self.progress:
                self.progress(report.sources[-1].line())
        if self.store is not None and not self.dry_run:
            with self.store.transaction():
                state.save_robots(self.store, self.fetcher.robots_texts)
        return report

    # -- one source -----------------------------------------------------------------------
    def crawl_source(self, source: Source, run: RunReport | None = None) -> SourceReport:
        run = run or RunReport()
        report = SourceReport(source.name)
        before = self.fetcher.requests
        row = self.source_state(source.name) or {}
        # a source's first pass, or a backfill: page back to the floor date, past pages already seen
        first_pass = not row.get("last_success") or self.since is not None
        started = self.clock()
        try:
            # a backfill reads listings afresh: "not modified" would hide the history it came for
            listing = self._listing(source, {} if self.since else row, first_pass)
        finally:
            report.requests = self.fetcher.requests - before
        new_state: dict[str, Any] = {
            "name": source.name, "kind": source.kind, "url": source.url, "every_seconds": int(source.every),
            "last_attempt": iso(started),
        }
        if listing.error is not None:
            return self._source_failed(source, row, new_state, listing.error, report)
        if listing.unchanged:
            report.outcome = "unchanged"
            self._write(source, row, new_state | listing.source_state, [], [], report, run, ok=True)
            return report
        docs, failures, pages, blocked, transient = self._details(source, listing.candidates, first_pass, report)
        report.requests = self.fetcher.requests - before
        if blocked is not None:
            report.outcome, report.message = "blocked", blocked.describe()
        if transient or blocked is not None:
            # keep the old validators so the next pass reads the listing again and retries
            listing.source_state = {}
            listing.page_rows = []
        dates = [c.published for c in listing.candidates if c.published]
        if dates:
            new_state["newest_item"] = max([*dates, row.get("newest_item") or ""])
        self._write(source, row, new_state | listing.source_state, docs + failures, pages + listing.page_rows,
                    report, run, ok=blocked is None, error=blocked)
        return report

    def _source_failed(self, source: Source, row: dict[str, Any], new_state: dict[str, Any],
                       error: FetchResult, report: SourceReport) -> SourceReport:
        report.outcome = "blocked" if error.error == "blocked" else "failed"
        report.message = error.describe()
        log.warning("%s: %s", source.name, report.message)
        self._write(source, row, new_state, [], [], report, RunReport(), ok=False, error=error)
        return report

    def _write(
        self,
        source: Source,
        row: dict[str, Any],
        new_state: dict[str, Any],
        items: list[RawDocument | Failure],
        pages: list[dict[str, Any]],
        report: SourceReport,
        run: RunReport,
        *,
        ok: bool,
        error: FetchResult | None = None,
    ) -> None:
        now = self.clock()
        failures = 0 if ok else int(row.get("consecutive_failures") or 0) + 1
        new_state["consecutive_failures"] = failures
        new_state["last_outcome"] = report.outcome
        new_state["last_error"] = (error.describe() if error else None) if not ok else (report.message or None)
        if ok:
            new_state["last_success"] = iso(now)
        new_state["next_due"] = iso(now + dt.timedelta(seconds=wait_after(source.every, failures, error)))
        if self.dry_run or self.store is None:
            return
        store = self.store
        self._outcomes.clear()
        with store.transaction():
            if items:
                assert self.extractor is not None
                Pipeline(store, self.extractor, progress=self._outcomes.__setitem__).ingest(items, run)
            for page in pages:
                doc = page.get("document_source")
                if page.get("outcome") == "pending":
                    outcome = self._outcomes.get(doc or "", "failed")
                    page["outcome"] = "failed" if outcome == "failed" else "stored"
                    if outcome == "stored":
                        report.new += 1
                    elif outcome == "failed":
                        report.failed += 1
                        page["document_source"] = None
                state.save_page(store, page)
            state.save_source(store, {**row, **new_state})

    def _listing(self, source: Source, row: dict[str, Any], first_pass: bool) -> _Listing:
        kind = source.kind
        if kind == "q4":
            return self._q4_listing(source, row)
        if kind == "notified":
            return self._paged_listing(source, row, first_pass)
        if kind == "sitemap":
            return self._sitemap_listing(source, row)
        result, unchanged = self._get(source.url, row)
        listing = _Listing.opened(result, unchanged)
        if not listing.done and kind == "rss":
            _read_feed(listing, result, "not an RSS or Atom feed")
        elif not listing.done:  # html
            listing.candidates = parse_links(result.text or "", result.final_url, source.link_selector)
        return self._filter(source, listing)

    def _filter(self, source: Source, listing: _Listing) -> _Listing:
        if source.include:
            pattern = re.compile(source.include)
            listing.candidates = [c for c in listing.candidates if pattern.search(c.url)]
        return listing

    def _get(self, url: str, row: dict[str, Any] | None, accept: str | None = None) -> tuple[FetchResult, bool]:
        row = row or {}
        result = self.fetcher.fetch(url, etag=row.get("etag"), last_modified=row.get("last_modified"), accept=accept)
        unchanged = result.not_modified or (
            result.ok and result.body_hash is not None and result.body_hash == row.get("body_hash"))
        return result, unchanged

    def _q4_listing(self, source: Source, row: dict[str, Any]) -> _Listing:
        parts = urlsplit(source.url)
        origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        if Q4_JSON_PATH.lower() in parts.path.lower():
            endpoint = source.url
        else:
            endpoint = origin + Q4_JSON_PATH + "?" + urlencode(
                {"LanguageId": 1, "pageSize": self.config.max_items, "pageNumber": 0, "includeTags": "true", "year": -1})
        result, unchanged = self._get(endpoint, row, accept="application/json")
        listing = _Listing(source_state=validators(result))
        if result.error in ("blocked", "address", "robots"):
            listing.error = result  # the RSS fallback would meet the same wall
            return listing
        if result.ok and not unchanged:
            found = parse_q4_json(result.text or "", result.final_url)
            if found is not None:
                listing.candidates = found
                return listing
        if unchanged:
            listing.unchanged = True
            return listing
        # no usable JSON: the Q4 RSS feed
        log.info("%s: Q4 JSON unavailable (%s); trying RSS", source.name, result.describe())
        rss, unchanged = self._get(origin + Q4_RSS_PATH, row)
        listing = _Listing.opened(rss, unchanged)
        if not listing.done:
            _read_feed(listing, rss, "neither Q4 JSON nor RSS")
        return listing

    def _paged_listing(self, source: Source, row: dict[str, Any], first_pass: bool) -> _Listing:
        """Notified-style listing pages (``?page=N``): stop at a page with nothing new."""
        listing = _Listing()
        max_pages = source.max_pages or self.config.max_pages
        floor = self._floor(source)
        backfill = bool(first_pass and (self.since or source.since))
        for number in range(max_pages):
            url = source.url if number == 0 else _with_query(source.url, page=number)
            page_row = row if number == 0 else (state.get_page(self.store, url) if self.store else None)
            result, unchanged = self._get(url, None if backfill else page_row)  # a backfill reads afresh
            if number == 0:
                listing = _Listing.opened(result, unchanged)
                if listing.done:
                    return listing
            else:
                if result.error:
                    log.info("%s: listing page %s: %s", source.name, url, result.describe())
                    break
                listing.page_rows.append({"url": url, "canonical_url": url, "source": source.name, "role": "listing",
                                          "fetched_at": iso(self.clock()), "outcome": "listing",
                                          **validators(result)})
                if unchanged:
                    break
            found = parse_links(result.text or "", result.final_url, source.link_selector,
                                None if source.link_selector else NOTIFIED_DETAIL_MARK)
            fresh = [c for c in found if not self._seen(canonical_url(c.url))]
            listing.candidates.extend(found)
            if not fresh and not backfill:
                break  # a backfill pages on past what was seen, down to its floor date
            if first_pass and floor and any(c.published and c.published < floor for c in found):
                break
            if len(listing.candidates) >= self.config.max_items:
                break
        return listing

    def _sitemap_listing(self, source: Source, row: dict[str, Any]) -> _Listing:
        result, unchanged = self._get(source.url, row, accept="application/xml,text/xml;q=0.9,*/*;q=0.5")
        listing = _Listing.opened(result, unchanged)
        if listing.done:
            return listing
        parsed = parse_sitemap(result.text or "", result.final_url)
        if parsed is None:
            result.error, result.message = "content_type", "not a sitemap"
            listing.error = result
            return listing
        pages, children = parsed
        children.sort(key=lambda c: c.published or "", reverse=True)
        for child in children[: source.max_pages or self.config.max_pages]:
            child_row = state.get_page(self.store, child.url) if self.store else None
            sub, sub_unchanged = self._get(child.url, child_row, accept="application/xml,text/xml;q=0.9,*/*;q=0.5")
            if sub.error or sub_unchanged:
                continue
            listing.page_rows.append({"url": child.url, "canonical_url": child.url, "source": source.name,
                                      "role": "listing", "fetched_at": iso(self.clock()), "outcome": "listing",
                                      **validators(sub)})
            inner = parse_sitemap(sub.text or "", sub.final_url)
            if inner:
                pages.extend(inner[0])
        listing.candidates = pages
        return self._filter(source, listing)

    # -- detail pages ---------------------------------------------------------------------
    def _floor(self, source: Source) -> str | None:
        """The oldest date a first pass (or a backfill) fetches: --since, the source's since, or max_age."""
        if self.since or source.since:
            return self.since or source.since
        if not self.config.max_age:
            return None
        return (self.clock() - dt.timedelta(seconds=self.config.max_age)).date().isoformat()

    def _seen(self, canonical: str) -> bool:
        """Stored, linked or failed before; in a backfill, a page once skipped for its age is not."""
        if self.store is None:
            return False
        page = state.get_page(self.store, canonical)
        return page is not None and not (self.since and page.get("outcome") == "skipped")

    def _details(
        self, source: Source, candidates: list[Candidate], first_pass: bool, report: SourceReport
    ) -> tuple[list[RawDocument | Failure], list[Failure | RawDocument], list[dict[str, Any]], FetchResult | None, bool]:
        floor = self._floor(source) if first_pass else None
        todo: list[tuple[str, Candidate]] = []
        keys: set[str] = set()
        for cand in candidates:
            key = canonical_url(cand.url)
            if key in keys or self._seen(key):
                continue
            keys.add(key)
            if floor and cand.published and cand.published < floor:
                report.skipped += 1
                continue
            todo.append((key, cand))
        todo.sort(key=lambda kc: kc[1].published or "9999", reverse=True)  # newest (and undated) first
        todo = todo[: self.config.max_items]
        docs: list[RawDocument | Failure] = []
        failures: list[Failure | RawDocument] = []
        pages: list[dict[str, Any]] = []
        blocked: FetchResult | None = None
        transient = False
        for key, cand in todo:
            page = {"url": key, "canonical_url": key, "source": source.name, "role": "detail",
                    "fetched_at": iso(self.clock())}
            existing = self._duplicate(cand.title, cand.published)
            if existing:
                report.linked += 1
                pages.append(page | {"outcome": "linked", "document_source": existing})
                continue
            if self.dry_run:
                report.planned.append(key)
                continue
            result = self.fetcher.fetch(cand.url)
            page |= validators(result)
            if result.error:
                if result.error == "blocked":
                    blocked = result
                    break  # the site pushes back: stop this source for now
                failures.append(Failure(key, "fetch", result.describe()))
                if result.permanent:
                    pages.append(page | {"outcome": "failed"})
                else:
                    transient = True
                report.failed += 1
                continue
            if result.content_type not in (None, "text/html", "application/xhtml+xml", "text/plain"):
                failures.append(Failure(key, "fetch", f"content_type: {result.content_type} is not an article page"))
                pages.append(page | {"outcome": "failed"})
                report.failed += 1
                continue
            meta = page_meta(result.text or "", result.final_url) if result.content_type != "text/plain" else PageMeta()
            # The document is keyed on the candidate's canonical URL, not on the page's
            # rel=canonical: some IR templates point every release at the listing or home page.
            canonical = key
            # the page's own headline, as `fetch` stores it; a feed item's title only when the page has none
            title = meta.title or cand.title
            published = cand.published or meta.published
            if floor and published and published < floor:
                report.skipped += 1
                pages.append(page | {"canonical_url": canonical, "outcome": "skipped"})
                continue
            existing = self._duplicate(title, published)
            if existing:
                report.linked += 1
                pages.append(page | {"canonical_url": canonical, "outcome": "linked", "document_source": existing})
                continue
            if title and published:
                self._titles[(state.normalise_title(title), published)] = canonical
            docs.append(RawDocument(
                source=canonical,
                content=result.text or "",
                kind="text" if result.content_type == "text/plain" else "html",
                url=result.final_url,
                title=title,
                published=published,
                fetched_at=iso(self.clock()),
            ))
            pages.append(page | {"canonical_url": canonical, "outcome": "pending", "document_source": canonical})
        return docs, failures, pages, blocked, transient

    def _duplicate(self, title: str | None, published: str | None) -> str | None:
        if not title or not published:
            return None
        hit = self._titles.get((state.normalise_title(title), published))
        if hit:
            return hit
        return state.find_by_title_date(self.store, title, published) if self.store is not None else None

    # -- the fetch command -------------------------------------------------------------------
    def fetch_pages(self, urls: list[str], source_name: str = "fetch") -> tuple[SourceReport, RunReport]:
        """Fetch article URLs given by hand (no listing, no age floor) and store them."""
        report = SourceReport(source_name)
        run = RunReport()
        before = self.fetcher.requests
        candidates = [Candidate(u) for u in urls]
        # a page fetched by hand is fetched again even when seen before
        saved_store, self.store = self.store, None
        try:
            docs, failures, pages, blocked, _ = self._details(Source(source_name, "html", urls[0] if urls else "http://x/"),
                                                              candidates, False, report)
        finally:
            self.store = saved_store
        if blocked is not None:
            failures.append(Failure(canonical_url(blocked.url), "fetch", blocked.describe()))
            report.failed += 1
        report.requests = self.fetcher.requests - before
        if self.dry_run or self.store is None:
            return report, run
        # a page fetched by hand is still linked to an existing document with the same title and date
        kept: list[RawDocument | Failure] = []
        for item in docs:
            assert isinstance(item, RawDocument)
            existing = state.find_by_title_date(self.store, item.title, item.published)
            if existing and existing != item.source:
                report.linked += 1
                for page in pages:
                    if page.get("document_source") == item.source:
                        page.update(outcome="linked", document_source=existing)
                continue
            kept.append(item)
        self._outcomes.clear()
        with self.store.transaction():
            Pipeline(self.store, self._need_extractor(), progress=self._outcomes.__setitem__).ingest(kept + failures, run)
            for page in pages:
                if page.get("outcome") == "pending":
                    outcome = self._outcomes.get(page.get("document_source") or "", "failed")
                    page["outcome"] = "failed" if outcome == "failed" else "stored"
                    if outcome == "failed":
                        page["document_source"] = None
                state.save_page(self.store, page)
        report.new = run.stored
        report.unchanged = run.unchanged
        report.outcome = "ok" if not run.failed else "failed"
        return report, run

    def _need_extractor(self) -> Extractor:
        if self.extractor is None:
            self.extractor = _cached_extractor(None)
        return self.extractor
