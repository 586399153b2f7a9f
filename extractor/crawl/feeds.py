"""Machine-readable listings: RSS 2.0, RSS 1.0 (RDF) and Atom feeds (read by feedparser), a Q4
``GetPressReleaseList`` JSON answer, and sitemaps or sitemap indexes (lxml, entities off). Each
reader takes text already fetched and gives :class:`~.listings.Candidate` links, or None when the
text is not that kind of listing; none of them touches the network or the file system."""

from __future__ import annotations

import io
import json
import re
from typing import Any
from urllib.parse import urljoin

import feedparser
import lxml.etree

from .dates import parse_date
from .listings import Candidate, clean_title

Q4_JSON_PATH = "/feed/PressRelease.svc/GetPressReleaseList"
Q4_RSS_PATH = "/rss/pressrelease.aspx"
NOTIFIED_LISTING_PATH = "/news-releases"
NOTIFIED_DETAIL_MARK = "/news-releases/news-release-details/"
NOTIFIED_RSS_PATH = "/rss/news-releases.xml"

# A DOCTYPE with its internal subset (quoted strings may hold "]" or ">").
_DOCTYPE = re.compile(r"""<!DOCTYPE(?:[^\[>"']|"[^"]*"|'[^']*')*(?:\[(?:[^\]"']|"[^"]*"|'[^']*')*\])?\s*>""", re.I)
_DOCTYPE_KEYWORD = re.compile(r"<!DOCTYPE", re.I)
# A bare <channel> as the root element (an RSS 2.0 feed without its <rss>): feedparser reads its items
# but gives no version.
_CHANNEL_ROOT = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*<(?:[\w.-]+:)?channel[\s>/]", re.S | re.I)


def _without_dtd(text: str) -> str:
    """``text`` with no DOCTYPE, so no entity can be declared: nothing to expand (billion laughs), nothing
    external to read (XXE). An entity a feed uses anyway stays as written; the parser reads on past it."""
    text = _DOCTYPE.sub("", text)
    return _DOCTYPE_KEYWORD.sub("", text)  # one the pattern could not match (unterminated): defused


def parse_feed(text: str, base: str) -> list[Candidate] | None:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed; None when ``text`` is not a feed.

    A malformed feed (an unescaped ``&``, an unclosed tag, a missing end) is read as far as it goes:
    feedparser flags it ``bozo`` and falls back to its forgiving parser; only a document with no feed
    element in it (an HTML page, JSON, a sitemap) is not a feed."""
    data = _without_dtd(text.lstrip("\ufeff")).strip().encode("utf-8")
    if not data:
        return None
    # a stream, never a str: feedparser.parse() would fetch a string that looks like a URL or open one
    # that names a file; the headers say what the bytes are (we decoded them) and where relative links
    # point. Item bodies are not read here, so their HTML is neither sanitised nor rewritten (35x faster
    # on a feed of full articles); titles go through clean_title() as the other listings' do.
    parsed = feedparser.parse(io.BytesIO(data), response_headers={
        "content-type": "application/xml; charset=utf-8", "content-location": base},
        sanitize_html=False, resolve_relative_uris=False)
    version = parsed.get("version") or ""
    if not version and not _CHANNEL_ROOT.match(data):
        return None
    atom = version.startswith("atom")
    out: list[Candidate] = []
    for entry in parsed.entries:
        link = next((item.get("href") for item in entry.get("links", [])
                     if item.get("rel", "alternate") == "alternate" and item.get("href")), None)
        if not link and not atom:
            link = entry.get("id")  # an RSS <guid> stands in for a missing <link>
        if not link or not link.strip():
            continue
        published = entry.get("published") or entry.get("updated")
        out.append(Candidate(urljoin(base, link.strip()), clean_title(entry.get("title")), parse_date(published)))
    return out


def parse_q4_json(text: str, base: str) -> list[Candidate] | None:
    """Releases in a Q4 ``GetPressReleaseList`` answer; None when it is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    items: Any = data
    if isinstance(data, dict):
        items = next((v for k, v in data.items() if isinstance(v, list) and "result" in k.lower()), None)
        if items is None:
            items = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(items, list):
        return None
    out: list[Candidate] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = item.get("LinkToDetailPage") or item.get("LinkToUrl") or item.get("Url") or item.get("url")
        if not isinstance(link, str) or not link.strip():
            continue
        title = item.get("Headline") or item.get("Title") or item.get("headline")
        date = item.get("PressReleaseDate") or item.get("Date") or item.get("date")
        out.append(Candidate(urljoin(base, link.strip()), clean_title(title if isinstance(title, str) else None),
                             parse_date(date if isinstance(date, str) else None)))
    return out


def _xml_root(text: str) -> lxml.etree._Element | None:
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    data = re.sub(r"^\s*<\?xml[^>]*\?>", "", text.lstrip("\ufeff"), count=1).strip().encode("utf-8")
    if not data:
        return None
    try:
        return lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError:
        return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(element: lxml.etree._Element, *names: str) -> str | None:
    for child in element:
        if _local(child.tag) in names and (child.text or "").strip():
            return str(child.text).strip()
    return None


def parse_sitemap(text: str, base: str) -> tuple[list[Candidate], list[Candidate]] | None:
    """(pages, child sitemaps) of a sitemap or sitemap index; None when it is neither."""
    root = _xml_root(text)
    if root is None or _local(root.tag) not in ("urlset", "sitemapindex"):
        return None
    pages: list[Candidate] = []
    children: list[Candidate] = []
    for element in root:
        name = _local(element.tag)
        loc = _child_text(element, "loc")
        if not loc:
            continue
        entry = Candidate(urljoin(base, loc), None, parse_date(_child_text(element, "lastmod")))
        (children if name == "sitemap" else pages).append(entry)
    return pages, children
