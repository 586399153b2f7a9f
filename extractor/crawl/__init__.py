"""Sources, discovery per platform, per-source state and schedule; hands new pages to the pipeline.

One *pass* (:func:`crawl`) looks at every due source once:

1. the listing (feed, Q4 JSON, Notified listing pages, an HTML listing, a sitemap) is fetched
   conditionally; a 304 or an unchanged body hash ends the source's pass after one request;
2. candidate links are canonicalised (tracking parameters dropped) and every one already in
   ``seen_pages`` is skipped; on a source's first pass items older than ``max_age`` are skipped;
3. a candidate whose normalised title and date match a stored document (the same release on the
   IR site and on a wire) is *linked* to it rather than fetched and stored again;
4. new detail pages are fetched and handed to :class:`~extractor.pipeline.Pipeline`, and the
   documents, the ``seen_pages`` rows and the source's state are written in one transaction.

A lock file (``<db>.lock``, ``fcntl.flock``) keeps a second writer out (:class:`LockError`).

The modules: ``config`` (sources.toml), ``dates`` (dates and the clock), ``listings`` (HTML listings,
link selectors, detail-page metadata, canonical URLs), ``feeds`` (RSS/Atom through feedparser, Q4
JSON, sitemaps), ``state`` (lock, validators, back-off, reports, status), ``crawler`` (the
:class:`Crawler`), ``schedule`` (crawl, watch, fetch_urls, signals) and ``discovery``.
"""

from __future__ import annotations

from . import crawler
from .config import (
    KINDS,
    CrawlConfig,
    Source,
    config_from_dict,
    load_config,
    load_settings,
    parse_duration,
    parse_since,
)
from .crawler import Crawler
from .dates import parse_date, utcnow
from .discovery import Discovery, discover, discover_url
from .feeds import parse_feed, parse_q4_json, parse_sitemap
from .listings import Candidate, PageMeta, canonical_url, page_meta, parse_links
from .schedule import crawl, fetch_urls, stop_on_signals, watch
from .state import CrawlReport, SourceReport, db_lock, status

_cached_extractor = crawler._cached_extractor  # private, but the CLI tests share its cache through here

__all__ = [
    "KINDS",
    "Candidate",
    "CrawlConfig",
    "CrawlReport",
    "Crawler",
    "Discovery",
    "PageMeta",
    "Source",
    "SourceReport",
    "canonical_url",
    "config_from_dict",
    "crawl",
    "db_lock",
    "discover",
    "discover_url",
    "fetch_urls",
    "load_config",
    "load_settings",
    "page_meta",
    "parse_date",
    "parse_duration",
    "parse_feed",
    "parse_links",
    "parse_q4_json",
    "parse_sitemap",
    "parse_since",
    "status",
    "stop_on_signals",
    "utcnow",
    "watch",
]
