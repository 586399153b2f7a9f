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
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import functools
import ipaddress
import json
import logging
import math
import re
import signal
import threading
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.etree
import lxml.html

from . import pipeline as _pipeline
from .errors import ConfigError, ExtractorError, StoreError
from .fetch import Fetcher, FetchResult, FetchSettings
from .models import Failure, RawDocument, RunReport
from .pipeline import Pipeline
from .store import Store, open_store
from .store import sources as state
from .store.lock import writer_lock

if TYPE_CHECKING:
    from .pipeline import Extractor

log = logging.getLogger(__name__)

__all__ = [
    "CrawlConfig",
    "CrawlReport",
    "Crawler",
    "Source",
    "canonical_url",
    "crawl",
    "db_lock",
    "discover",
    "discover_url",
    "fetch_urls",
    "load_config",
    "load_settings",
    "parse_date",
    "parse_duration",
    "parse_feed",
    "parse_links",
    "parse_q4_json",
    "parse_sitemap",
    "status",
    "watch",
]

KINDS = ("rss", "q4", "notified", "html", "sitemap")

#: Query parameters that only track the click; dropped from canonical URLs.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
     "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "spm", "ncid", "cmpid"}
)
TRACKING_PREFIXES = ("utm_", "pk_", "hsa_")

Q4_JSON_PATH = "/feed/PressRelease.svc/GetPressReleaseList"
Q4_RSS_PATH = "/rss/pressrelease.aspx"
NOTIFIED_LISTING_PATH = "/news-releases"
NOTIFIED_DETAIL_MARK = "/news-releases/news-release-details/"
NOTIFIED_RSS_PATH = "/rss/news-releases.xml"

MAX_BACKOFF = 7 * 86400.0
BLOCKED_MIN_BACKOFF = 6 * 3600.0

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


# -- configuration ------------------------------------------------------------------------
#: The longest duration a setting may take (a century): beyond it a schedule, age or timeout is a typo.
MAX_DURATION = 100 * 366 * 86400.0


def parse_duration(value: object, where: str = "duration") -> float:
    """Seconds in ``"3s"``, ``"30m"``, ``"2h"``, ``"60d"``, ``"1h30m"`` or a plain number of seconds."""
    if isinstance(value, bool):
        raise ConfigError(f"{where}: expected a duration like '30m', got {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        parts = re.findall(r"(\d+(?:\.\d+)?)([smhdw])", text)
        if not parts or "".join(n + u for n, u in parts) != text:
            raise ConfigError(f"{where}: {value!r} is not a duration (use e.g. '3s', '30m', '2h', '60d')")
        seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    else:
        raise ConfigError(f"{where}: expected a duration like '30m', got {value!r}")
    if not math.isfinite(seconds):
        raise ConfigError(f"{where}: {value!r} is not a finite duration")
    if seconds < 0:
        raise ConfigError(f"{where}: must not be negative")
    if seconds > MAX_DURATION:
        raise ConfigError(f"{where}: {value!r} is longer than a century")
    return seconds


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    url: str
    every: float = 1800.0
    link_selector: str | None = None  # html: which links on the listing are releases
    include: str | None = None  # sitemap/html: a regular expression a release URL must match
    max_pages: int | None = None  # notified/sitemap: listing pages per pass (default: settings)
    since: str | None = None  # first pass: fetch the history back to this ISO date (instead of max_age)


@dataclass(frozen=True)
class CrawlConfig:
    fetch: FetchSettings
    sources: tuple[Source, ...]
    max_age: float = 60 * 86400.0  # first pass: skip items older than this
    max_items: int = 100  # detail pages fetched per source per pass
    max_pages: int = 5  # listing pages per source per pass
    path: str = "<settings>"

    def source(self, name: str) -> Source:
        for src in self.sources:
            if src.name == name:
                return src
        raise ConfigError(f"{self.path}: no source named {name!r}")


_SETTINGS_KEYS = {
    "contact", "user_agent", "min_interval", "allow_private_addresses", "allowed_networks", "obey_robots",
    "timeout", "deadline", "max_bytes", "max_decoded_bytes", "retries", "backoff", "max_retry_after",
    "max_redirects", "max_age", "max_items", "max_pages",
}
_SOURCE_KEYS = {"name", "kind", "url", "every", "selectors", "selector", "include", "max_pages", "since"}


def load_config(path: str | Path) -> CrawlConfig:
    """Read and validate a sources.toml; every problem is a :class:`ConfigError` naming file and key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    return config_from_dict(data, str(path))


def config_from_dict(data: dict[str, Any], where: str = "<config>") -> CrawlConfig:
    unknown = set(data) - {"settings", "source"}
    if unknown:
        raise ConfigError(f"{where}: unknown top-level key {sorted(unknown)[0]!r} (expected [settings] and [[source]])")
    raw_settings = data.get("settings", {})
    if not isinstance(raw_settings, dict):
        raise ConfigError(f"{where}: settings: expected a table")
    for key in raw_settings:
        if key not in _SETTINGS_KEYS:
            raise ConfigError(f"{where}: settings.{key}: unknown setting")
    fetch_settings, extra = _fetch_settings(raw_settings, where)
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list):
        raise ConfigError(f"{where}: source: use [[source]] tables")
    sources: list[Source] = []
    names: set[str] = set()
    for index, raw in enumerate(raw_sources):
        src = _source(raw, f"{where}: source[{index}]", extra["max_pages"])
        if src.name in names:
            raise ConfigError(f"{where}: source[{index}].name: duplicate name {src.name!r}")
        names.add(src.name)
        sources.append(src)
    return CrawlConfig(fetch=fetch_settings, sources=tuple(sources), path=where, **extra)


def _fetch_settings(raw: dict[str, Any], where: str) -> tuple[FetchSettings, dict[str, Any]]:
    def get(key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        value = raw.get(key, default)
        if value is not default and (not isinstance(value, kind) or isinstance(value, bool) and kind is not bool):
            raise ConfigError(f"{where}: settings.{key}: expected {getattr(kind, '__name__', kind)}, got {value!r}")
        return value

    contact = get("contact", str, "")
    user_agent = get("user_agent", str, None)
    for key, value in (("contact", contact), ("user_agent", user_agent or "")):
        if re.search(r"[\x00-\x1f\x7f]", value):
            raise ConfigError(f"{where}: settings.{key}: control characters (a line break?) cannot go in an HTTP header")
    if not contact.strip() and not user_agent:
        raise ConfigError(f"{where}: settings.contact: required (an e-mail or URL for the User-Agent)")
    networks = get("allowed_networks", list, [])
    for net in networks:
        try:
            ipaddress.ip_network(str(net), strict=False)
        except ValueError as exc:
            raise ConfigError(f"{where}: settings.allowed_networks: {exc}") from exc

    def duration(key: str, default: float) -> float:
        return parse_duration(raw[key], f"{where}: settings.{key}") if key in raw else default

    def positive_int(key: str, default: int) -> int:
        value = get(key, int, default)
        if value < 0:
            raise ConfigError(f"{where}: settings.{key}: must not be negative")
        return int(value)

    defaults = FetchSettings()
    settings = FetchSettings(
        contact=contact.strip(),
        user_agent=user_agent,
        min_interval=duration("min_interval", 3.0),
        allow_private_addresses=get("allow_private_addresses", bool, False),
        allowed_networks=tuple(str(n) for n in networks),
        obey_robots=get("obey_robots", bool, True),
        read_timeout=duration("timeout", defaults.read_timeout),
        connect_timeout=min(duration("timeout", defaults.connect_timeout), defaults.connect_timeout),
        deadline=duration("deadline", defaults.deadline),
        max_raw_bytes=positive_int("max_bytes", defaults.max_raw_bytes),
        max_decoded_bytes=positive_int("max_decoded_bytes", defaults.max_decoded_bytes),
        retries=positive_int("retries", defaults.retries),
        backoff=duration("backoff", defaults.backoff),
        max_retry_after=duration("max_retry_after", defaults.max_retry_after),
        max_redirects=positive_int("max_redirects", defaults.max_redirects),
    )
    extra = {
        "max_age": duration("max_age", 60 * 86400.0),
        "max_items": positive_int("max_items", 100),
        "max_pages": max(1, positive_int("max_pages", 5)),
    }
    return settings, extra


def _source(raw: object, where: str, default_pages: int) -> Source:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table")
    for key in raw:
        if key not in _SOURCE_KEYS:
            raise ConfigError(f"{where}.{key}: unknown key")
    for key in ("name", "kind", "url"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ConfigError(f"{where}.{key}: required (a non-empty string)")
    kind = raw["kind"].strip().lower()
    if kind not in KINDS:
        raise ConfigError(f"{where}.kind: {raw['kind']!r} is not one of {', '.join(KINDS)}")
    url = raw["url"].strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where}.url: {url!r} is not an http(s) URL")
    selector = raw.get("selector")
    selectors = raw.get("selectors")
    if selectors is not None:
        if isinstance(selectors, str):
            selector = selectors
        elif isinstance(selectors, dict) and isinstance(selectors.get("link"), str):
            selector = selectors["link"]
        else:
            raise ConfigError(f"{where}.selectors: expected {{ link = \"CSS selector\" }}")
    if selector is not None and not isinstance(selector, str):
        raise ConfigError(f"{where}.selector: expected a string")
    if kind == "html" and not selector:
        raise ConfigError(f"{where}.selectors: an html source needs selectors = {{ link = \"…\" }}")
    if selector:
        try:
            _selector_xpath(selector)
        except (ValueError, lxml.etree.XPathError) as exc:
            raise ConfigError(f"{where}.selectors.link: {exc}") from exc
    include = raw.get("include")
    if include is not None:
        if not isinstance(include, str):
            raise ConfigError(f"{where}.include: expected a regular expression string")
        try:
            re.compile(include)
        except re.error as exc:
            raise ConfigError(f"{where}.include: {exc}") from exc
    max_pages = raw.get("max_pages", default_pages)
    if not isinstance(max_pages, int) or isinstance(max_pages, bool) or max_pages < 1:
        raise ConfigError(f"{where}.max_pages: expected a positive integer")
    since = raw.get("since")
    if since is not None:
        since = parse_since(since, f"{where}.since")
    return Source(
        name=raw["name"].strip(),
        kind=kind,
        url=url,
        every=parse_duration(raw.get("every", "30m"), f"{where}.every"),
        link_selector=selector,
        include=include,
        max_pages=max_pages,
        since=since,
    )


def parse_since(value: object, where: str = "--since") -> str:
    """A backfill date: an ISO date (a TOML date or "YYYY-MM-DD"), not in the future."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ConfigError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None
    else:
        raise ConfigError(f"{where}: expected a date (YYYY-MM-DD)")
    if day > utcnow().date():
        raise ConfigError(f"{where}: {day.isoformat()} is in the future")
    return day.isoformat()


# -- URLs, dates, parsing -----------------------------------------------------------------
def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b", re.I)
_DAY_MONTH_DATE = re.compile(
    r"\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})\b", re.I)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")
_US_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def parse_date(value: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD) from RFC 822, ISO 8601, ``MM/DD/YYYY`` or ``November 20, 2026``."""
    if not value:
        return None
    text = value.strip()
    for pattern, order in ((_ISO_DATE, "ymd"), (_MONTH_DATE, "mdy"), (_DAY_MONTH_DATE, "dmy"), (_US_DATE, "MDY")):
        match = pattern.search(text)
        if not match:
            continue
        a, b, c = match.groups()
        try:
            if order == "ymd":
                day = dt.date(int(a), int(b), int(c))
            elif order == "mdy":
                day = dt.date(int(c), _MONTHS[a[:3].lower()], int(b))
            elif order == "dmy":
                day = dt.date(int(c), _MONTHS[b[:3].lower()], int(a))
            else:
                day = dt.date(int(c), int(a), int(b))
        except (ValueError, KeyError):
            continue
        return day.isoformat()
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.date().isoformat() if parsed else None


@dataclass(frozen=True)
class Candidate:
    """A release link found on a listing, with what the listing says about it."""

    url: str
    title: str | None = None
    published: str | None = None


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


def _read_feed(listing: _Listing, result: FetchResult, not_a_feed: str) -> None:
    """Fill ``listing`` with the items of the feed in ``result``, or record that it is not a feed."""
    found = parse_feed(result.text or "", result.final_url)
    if found is None:
        result.error, result.message = "content_type", not_a_feed
        listing.error = result
    else:
        listing.candidates = found


def parse_feed(text: str, base: str) -> list[Candidate] | None:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed; None when ``text`` is not a feed."""
    root = _xml_root(text)
    if root is None or _local(root.tag) not in ("rss", "feed", "rdf", "channel"):
        return None
    out: list[Candidate] = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "item":
            link = _child_text(element, "link") or _child_text(element, "guid")
            published = _child_text(element, "pubdate", "date", "published", "updated")
        elif name == "entry":
            link = None
            for child in element:
                if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate" and child.get("href"):
                    link = child.get("href")
                    break
            published = _child_text(element, "published", "updated", "issued")
        else:
            continue
        if not link:
            continue
        title = _child_text(element, "title")
        out.append(Candidate(urljoin(base, link.strip()), _clean_title(title), parse_date(published)))
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
        out.append(Candidate(urljoin(base, link.strip()), _clean_title(title if isinstance(title, str) else None),
                             parse_date(date if isinstance(date, str) else None)))
    return out


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


# A small CSS subset → XPath, so html listings need no cssselect dependency.
_CSS_TOKEN = re.compile(
    r"""\s*(?P<comb>[>+~])?\s*(?P<compound>(?:[a-zA-Z][\w-]*|\*)?(?:[#.][\w-]+|\[[^\]]+\])*)""")
_CSS_ATTR = re.compile(r"""\[\s*([\w-]+)\s*(?:([*^$~|]?=)\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]+)))?\s*\]""")


def _xpath_literal(value: str) -> str:
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return "concat(" + ", '\"', ".join(f'"{p}"' for p in value.split('"')) + ")"


def _css_to_xpath(selector: str) -> str:
    groups = []
    for group in selector.split(","):
        group = group.strip()
        if not group:
            raise ValueError(f"empty selector in {selector!r}")
        xpath = ""
        pos = 0
        first = True
        while pos < len(group):
            match = _CSS_TOKEN.match(group, pos)
            if not match or match.end() == pos or not match.group("compound"):
                raise ValueError(f"unsupported CSS selector {selector!r} (use tag, .class, #id, [attr op value], ' ', '>' or an XPath)")
            comb = match.group("comb")
            if comb in ("+", "~"):
                raise ValueError(f"unsupported combinator {comb!r} in {selector!r}")
            axis = "/" if comb == ">" and not first else "//"
            compound = match.group("compound")
            tag_match = re.match(r"[a-zA-Z][\w-]*|\*", compound)
            tag = tag_match.group(0) if tag_match else "*"
            rest = compound[tag_match.end():] if tag_match else compound
            conditions = []
            while rest:
                if rest[0] == "#":
                    m = re.match(r"#([\w-]+)", rest)
                    assert m
                    conditions.append(f"@id={_xpath_literal(m.group(1))}")
                elif rest[0] == ".":
                    m = re.match(r"\.([\w-]+)", rest)
                    assert m
                    conditions.append(
                        f"contains(concat(' ', normalize-space(@class), ' '), {_xpath_literal(' ' + m.group(1) + ' ')})")
                else:
                    m = _CSS_ATTR.match(rest)
                    if not m:
                        raise ValueError(f"bad attribute selector in {selector!r}")
                    name, op = m.group(1), m.group(2)
                    value = next((v for v in m.group(3, 4, 5) if v is not None), "")
                    lit = _xpath_literal(value)
                    conditions.append({
                        None: f"@{name}",
                        "=": f"@{name}={lit}",
                        "*=": f"contains(@{name}, {lit})",
                        "^=": f"starts-with(@{name}, {lit})",
                        "$=": f"substring(@{name}, string-length(@{name}) - string-length({lit}) + 1) = {lit}",
                        "~=": f"contains(concat(' ', normalize-space(@{name}), ' '), {_xpath_literal(' ' + value + ' ')})",
                        "|=": f"(@{name}={lit} or starts-with(@{name}, {_xpath_literal(value + '-')}))",
                    }[op])
                rest = rest[m.end():]
            xpath += axis + tag + "".join(f"[{c}]" for c in conditions)
            pos = match.end()
            first = False
        groups.append(xpath)
    return " | ".join(groups)


_PROBE = "<html><body><ul><li><a href='/a'>a</a></li></ul></body></html>"


def _check_node_set(xpath: str) -> None:
    """Compile ``xpath`` and run it on a tiny page: an unknown function (``document()``) or a result that
    is not a set of elements (``count(//a)``) is a configuration error, not a traceback mid-crawl."""
    result = lxml.html.fromstring(_PROBE).xpath(lxml.etree.XPath(xpath).path)
    if not isinstance(result, list):
        raise ValueError(f"{xpath!r} gives a {type(result).__name__}, not the elements holding the links")


def _selector_xpath(selector: str) -> str:
    """XPath for a CSS selector (cssselect when installed, else our subset) or an XPath as is."""
    selector = selector.strip()
    if selector.startswith(("/", "(", "./")):
        _check_node_set(selector)
        return selector
    try:
        from cssselect import GenericTranslator  # type: ignore[import-not-found]
    except ImportError:
        xpath = _css_to_xpath(selector)
    else:
        xpath = GenericTranslator().css_to_xpath(selector)
    _check_node_set(xpath)
    return xpath


def _html_root(text: str, base: str, *, absolute: bool = True) -> Any:
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.ParserError, ValueError):
        return None
    if absolute:
        root.make_links_absolute(base, resolve_base_href=True, handle_failures="discard")
    return root


def _base_href(root: Any, base: str) -> str:
    for element in root.xpath("//base[@href]"):
        return urljoin(base, element.get("href", "").strip())
    return base


def _text(element: Any) -> str:
    return re.sub(r"\s+", " ", element.text_content() if element is not None else "").strip()


def _clean_title(title: str | None) -> str | None:
    if not title:
        return None
    text = re.sub(r"\s+", " ", lxml.html.fromstring(f"<p>{title}</p>").text_content() if "<" in title or "&" in title else title).strip()
    return text or None


def _nearby_date(anchor: Any) -> str | None:
    """A date printed next to a listing link (in its item container)."""
    node = anchor
    for _ in range(4):
        node = node.getparent()
        if node is None:
            return None
        if len(node.xpath(".//a[@href]")) > 3:
            return None
        for time_el in node.xpath(".//time[@datetime]"):
            found = parse_date(time_el.get("datetime"))
            if found:
                return found
        found = parse_date(_text(node))
        if found:
            return found
    return None


def parse_links(text: str, base: str, selector: str | None = None, contains: str | None = None) -> list[Candidate]:
    """Links on an HTML listing: those matching ``selector`` (CSS or XPath) or whose URL contains ``contains``."""
    root = _html_root(text, base, absolute=False)  # selectors see the hrefs as written
    if root is None:
        return []
    base = _base_href(root, base)
    if selector:
        elements = root.xpath(_selector_xpath(selector))
        if not isinstance(elements, list):
            elements = []  # a number or a string, not elements (refused at load; kept safe here)
    else:
        elements = root.xpath("//a[@href]")
    out: list[Candidate] = []
    seen: set[str] = set()
    for element in elements:
        if not isinstance(element, lxml.html.HtmlElement):
            continue
        anchor = element if element.tag == "a" else next(iter(element.xpath(".//a[@href]")), None)
        if anchor is None or not anchor.get("href"):
            continue
        try:
            href = urljoin(base, anchor.get("href").strip())
        except ValueError:
            continue
        if contains and contains not in href:
            continue
        if urlsplit(href).scheme not in ("http", "https"):
            continue
        key = canonical_url(href)
        if key in seen:
            continue
        seen.add(key)
        title = _text(anchor)
        out.append(Candidate(href, title if len(title) >= 12 else None, _nearby_date(anchor)))
    return out


@dataclass(frozen=True)
class PageMeta:
    title: str | None = None
    published: str | None = None
    canonical: str | None = None


_DATE_META = (
    "article:published_time", "og:article:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
    "dcterms.date", "pubdate", "publishdate", "publication_date", "sailthru.date", "parsely-pub-date",
)


def page_meta(text: str, url: str) -> PageMeta:
    """Title, date and rel=canonical of a detail page (metadata only; clean.py does the text)."""
    root = _html_root(text, url)
    if root is None:
        return PageMeta()
    metas: dict[str, str] = {}
    for meta in root.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key and key not in metas:
            metas[key] = meta.get("content", "").strip()
    title = metas.get("og:title") or next((_text(h) for h in root.xpath("//h1") if _text(h)), None)
    if not title:
        title = next((_text(t) for t in root.xpath("//title") if _text(t)), None)
    published = next((parse_date(metas[k]) for k in _DATE_META if metas.get(k) and parse_date(metas[k])), None)
    if not published:
        match = re.search(r'"datePublished"\s*:\s*"([^"]+)"', text)
        published = parse_date(match.group(1)) if match else None
    if not published:
        published = next((parse_date(t.get("datetime")) for t in root.xpath("//time[@datetime]")
                          if parse_date(t.get("datetime"))), None)
    canonical = None
    for link in root.xpath("//link[@rel][@href]"):
        if "canonical" in link.get("rel", "").lower().split():
            href = link.get("href", "")
            if urlsplit(href).hostname and urlsplit(href).hostname == urlsplit(url).hostname:
                canonical = canonical_url(href)
            break
    return PageMeta(_clean_title(title), published, canonical)


# -- time helpers --------------------------------------------------------------------------
def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _parse_iso(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# -- the lock ------------------------------------------------------------------------------
db_lock = writer_lock  # the store's one-writer lock, under the name the crawler has always exported


# -- reports -------------------------------------------------------------------------------
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


# -- the crawler -----------------------------------------------------------------------------
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
        listing = cls(source_state=_validators(result))
        if result.error:
            listing.error = result
        elif unchanged:
            listing.unchanged = True
        return listing

    @property
    def done(self) -> bool:
        """Nothing more to read: the page failed or has not changed."""
        return self.error is not None or self.unchanged


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
        due = _parse_iso(row.get("next_due")) if row else None
        return due is None or due <= now

    def next_wake(self) -> dt.datetime:
        """When the next source falls due."""
        now = self.clock()
        times = []
        for source in self.config.sources:
            row = self.source_state(source.name)
            due = _parse_iso(row.get("next_due")) if row else None
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
                                                  "every_seconds": int(source.every), "last_attempt": _iso(now)},
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
            "last_attempt": _iso(started),
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
            new_state["last_success"] = _iso(now)
            wait = source.every
        else:
            base = max(source.every, 60.0)
            if error is not None and error.error == "blocked":
                base = max(base, BLOCKED_MIN_BACKOFF)
            wait = min(base * 2 ** (failures - 1), MAX_BACKOFF)
            if error is not None and error.retry_after:
                wait = max(wait, min(error.retry_after, MAX_BACKOFF))
        new_state["next_due"] = _iso(now + dt.timedelta(seconds=wait))
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
        listing = _Listing(source_state=_validators(result))
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
                                          "fetched_at": _iso(self.clock()), "outcome": "listing",
                                          **_validators(result)})
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
                                      "role": "listing", "fetched_at": _iso(self.clock()), "outcome": "listing",
                                      **_validators(sub)})
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
                    "fetched_at": _iso(self.clock())}
            existing = self._duplicate(cand.title, cand.published)
            if existing:
                report.linked += 1
                pages.append(page | {"outcome": "linked", "document_source": existing})
                continue
            if self.dry_run:
                report.planned.append(key)
                continue
            result = self.fetcher.fetch(cand.url)
            page |= _validators(result)
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
                fetched_at=_iso(self.clock()),
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


def _validators(result: FetchResult) -> dict[str, Any]:
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


def _with_query(url: str, **params: object) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, str(v)) for k, v in params.items()]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


# -- entry points ----------------------------------------------------------------------------
def _open_for(db_path: str | Path, dry_run: bool) -> Store | None:
    if dry_run:
        return state.open_readonly(db_path)
    store = open_store(db_path)
    try:
        state.ensure_crawl_schema(store)
    except BaseException:
        store.close()
        raise
    return store


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
    own = fetcher is None
    fetcher = fetcher or Fetcher(config.fetch)
    lock = contextlib.nullcontext() if dry_run else db_lock(db_path)
    try:
        with lock:
            store = _open_for(db_path, dry_run)
            if extractor is None and not dry_run:
                extractor = _cached_extractor(rules_dir)
            try:
                crawler = Crawler(config, store, fetcher, extractor, dry_run=dry_run, progress=progress,
                                  since=parse_since(since) if since else None)
                return crawler.run_once(force=force, only=only)
            finally:
                if store is not None:
                    store.close()
    finally:
        if own:
            fetcher.close()


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
    own = fetcher is None
    fetcher = fetcher or Fetcher(config.fetch)
    passes = 0
    try:
        with db_lock(db_path):
            store = _open_for(db_path, False)
            assert store is not None
            try:
                crawler = Crawler(config, store, fetcher, extractor or _cached_extractor(rules_dir), progress=progress)
                while not stop.is_set():
                    crawler.run_once()
                    passes += 1
                    if max_passes is not None and passes >= max_passes:
                        break
                    wait = (crawler.next_wake() - utcnow()).total_seconds()
                    stop.wait(min(max(wait, min_sleep), max_sleep))
            finally:
                store.close()
    finally:
        if own:
            fetcher.close()
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
    own = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    config = CrawlConfig(fetch=settings, sources=(), max_age=0)
    try:
        with db_lock(db_path):
            store = _open_for(db_path, False)
            try:
                crawler = Crawler(config, store, fetcher, extractor or _cached_extractor(rules_dir))
                return crawler.fetch_pages(urls)
            finally:
                if store is not None:
                    store.close()
    finally:
        if own:
            fetcher.close()


def status(db_path: str | Path, config: CrawlConfig | None = None, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Per source: last outcome, last success, consecutive failures, next due, newest item, stale."""
    now = now or utcnow()
    store = state.open_readonly(db_path)
    if store is None:
        raise StoreError(f"{db_path}: no such database")
    try:
        rows = state.list_sources(store)
        by_name = {r["name"]: r for r in rows}
        names = [s.name for s in config.sources] if config else []
        names += [n for n in by_name if n not in names]
        out = []
        for name in names:
            row = by_name.get(name, {"name": name})
            every = float(row.get("every_seconds") or 0)
            if config:
                with contextlib.suppress(ConfigError):
                    every = config.source(name).every
            newest = max(filter(None, [row.get("newest_item"), state.newest_published(store, name)]), default=None)
            last_success = _parse_iso(row.get("last_success"))
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


# -- discovery of a newsroom -----------------------------------------------------------------
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


def load_settings(sources_path: str | Path | None, contact: str | None = None) -> FetchSettings:
    """Fetch settings from a sources.toml's [settings] (when given), with ``contact`` overriding."""
    raw: dict[str, Any] = {}
    if sources_path:
        path = Path(sources_path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8")).get("settings", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        where = str(path)
    else:
        where = "--contact"
    if contact:
        raw = {**raw, "contact": contact}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: settings: expected a table")
    for key in raw:
        if key not in _SETTINGS_KEYS:
            raise ConfigError(f"{where}: settings.{key}: unknown setting")
    return _fetch_settings(raw, where)[0]


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
    root = _html_root(text, final)
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
    root = _html_root(text, base)
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
