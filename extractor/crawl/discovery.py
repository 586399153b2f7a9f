"""Discovery of a newsroom: :func:`discover` fetches one page and says which kind of source it is
(a feed or sitemap by its XML, Q4 or Notified by their URL shapes and markers, a feed linked from the
page, else an ``html`` listing with a guessed link selector) as a :class:`Discovery` that prints the
``[[source]]`` entry for sources.toml (the ``discover`` command)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from ..fetch import Fetcher, FetchSettings
from .feeds import NOTIFIED_DETAIL_MARK, NOTIFIED_LISTING_PATH, Q4_JSON_PATH, parse_feed, parse_q4_json, parse_sitemap
from .listings import html_root


@dataclass(frozen=True)
class Discovery:
    kind: str
    url: str
    name: str
    selector: str | None = None
    note: str = ""

    def toml(self, every: str = "30m") -> str:
        lines = [
            "[[source]]",
            f"name = {json.dumps(self.name)}",
            f"kind = {json.dumps(self.kind)}",
            f"url = {json.dumps(self.url)}",
            f"every = {json.dumps(every)}",
        ]
        if self.selector:
            lines.append(f"selectors = {{ link = {json.dumps(self.selector)} }}")
        if self.note:
            lines.insert(0, f"# {self.note}")
        return "\n".join(lines) + "\n"


def _source_name(url: str) -> str:
    host = (urlsplit(url).hostname or "source").lower()
    labels = [p for p in host.split(".") if p not in ("www", "ir", "investors", "investor", "news", "newsroom", "media")]
    core = labels[:-1] if len(labels) > 1 else labels
    return "-".join(core) or host


def discover_url(url: str, settings: FetchSettings) -> Discovery:
    with Fetcher(settings) as fetcher:
        return discover(url, fetcher)


def discover(url: str, fetcher: Fetcher) -> Discovery:
    """Look at a newsroom page and say which kind of source it is (rss, q4, notified, sitemap, html)."""
    result = fetcher.fetch(url)
    result.raise_for_error()
    text = result.text or ""
    final = result.final_url
    parts = urlsplit(final)
    origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    name = _source_name(final)
    head = text.lstrip("\ufeff \r\n\t")[:2000].lower()
    if head.startswith("<?xml") or head.startswith(("<rss", "<feed", "<urlset", "<sitemapindex", "<rdf")):
        if parse_sitemap(text, final) is not None:
            return Discovery("sitemap", final, name, note="a sitemap: consider include = \"<regex>\" for release URLs")
        if parse_feed(text, final) is not None:
            return Discovery("rss", final, name)
    if result.content_type in ("application/json", "text/json") and parse_q4_json(text, final):
        return Discovery("q4", origin, name)
    lowered = text.lower()
    if Q4_JSON_PATH.lower() in lowered or "q4cdn" in lowered or "/news/news-details/" in lowered or "q4inc" in lowered:
        return Discovery("q4", origin, name, note="Q4 platform: JSON list at " + Q4_JSON_PATH)
    if NOTIFIED_DETAIL_MARK in lowered or "nir-widget" in lowered or "notified" in lowered and "news-releases" in lowered:
        listing = final if urlsplit(final).path.rstrip("/").endswith(NOTIFIED_LISTING_PATH) else origin + NOTIFIED_LISTING_PATH
        return Discovery("notified", listing, name, note="Notified platform: listing pages ?page=N")
    root = html_root(text, final)
    if root is not None:
        for link in root.xpath("//link[@rel][@href][@type]"):
            if "alternate" in link.get("rel", "").lower() and link.get("type", "").lower() in (
                    "application/rss+xml", "application/atom+xml"):
                return Discovery("rss", link.get("href"), name, note=f"feed linked from {final}")
    selector = _guess_selector(text, final)
    return Discovery("html", final, name, selector=selector or "a[href*=\"/news/\"]",
                     note="check the link selector: it picks the release links on the listing")


def _guess_selector(text: str, base: str) -> str | None:
    """The most common release-like URL prefix on the page, as ``a[href*="/prefix/"]``."""
    root = html_root(text, base)
    if root is None:
        return None
    host = urlsplit(base).hostname
    counts: dict[str, int] = {}
    for anchor in root.xpath("//a[@href]"):
        href = anchor.get("href", "")
        parts = urlsplit(href)
        if parts.hostname != host:
            continue
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) < 2:
            continue
        prefix = segments[0]
        if re.search(r"news|press|release|media|announce", prefix, re.I):
            counts[prefix] = counts.get(prefix, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda k: counts[k])
    return f'a[href*="/{best}/"]'
