"""HTML listings and detail pages: the link selector (CSS through cssselect, or an XPath) checked
at load time, the release links of an ``html`` or Notified listing with the date printed next to
each, the metadata (title, date, rel=canonical) of a detail page, and :func:`canonical_url`, the
one spelling of a URL the crawler remembers pages by."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import cssselect
import lxml.etree
import lxml.html

from .dates import parse_date

#: Query parameters that only track the click; dropped from canonical URLs.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
     "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "spm", "ncid", "cmpid"}
)
TRACKING_PREFIXES = ("utm_", "pk_", "hsa_")


@dataclass(frozen=True)
class Candidate:
    """A release link found on a listing, with what the listing says about it."""

    url: str
    title: str | None = None
    published: str | None = None


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


def clean_title(title: str | None) -> str | None:
    """A title as plain text on one line (markup and entities resolved), or None when empty."""
    if not title:
        return None
    text = re.sub(r"\s+", " ", lxml.html.fromstring(f"<p>{title}</p>").text_content() if "<" in title or "&" in title else title).strip()
    return text or None


# -- the link selector ------------------------------------------------------------------------
_PROBE = "<html><body><ul><li><a href='/a'>a</a></li></ul></body></html>"
_CSS = cssselect.HTMLTranslator()


def _check_node_set(xpath: str) -> None:
    """Compile ``xpath`` and run it on a tiny page: an unknown function (``document()``) or a result that
    is not a set of elements (``count(//a)``) is a configuration error, not a traceback mid-crawl."""
    result = lxml.html.fromstring(_PROBE).xpath(lxml.etree.XPath(xpath).path)
    if not isinstance(result, list):
        raise ValueError(f"{xpath!r} gives a {type(result).__name__}, not the elements holding the links")


@functools.lru_cache(maxsize=64)
def selector_xpath(selector: str) -> str:
    """XPath for a CSS selector (through cssselect) or an XPath (starting with ``/``, ``(`` or ``./``) as is.

    Raises :class:`ValueError` or :class:`lxml.etree.XPathError` for a selector that cannot pick links."""
    selector = selector.strip()
    if selector.startswith(("/", "(", "./")):
        _check_node_set(selector)
        return selector
    try:
        xpath = _CSS.css_to_xpath(selector)
    except cssselect.SelectorError as exc:
        raise ValueError(f"{selector!r} is not a CSS selector cssselect reads ({exc})") from None
    _check_node_set(xpath)
    return xpath


# -- listing pages ------------------------------------------------------------------------------
def html_root(text: str, base: str, *, absolute: bool = True) -> Any:
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
    root = html_root(text, base, absolute=False)  # selectors see the hrefs as written
    if root is None:
        return []
    base = _base_href(root, base)
    if selector:
        elements = root.xpath(selector_xpath(selector))
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


# -- detail pages -------------------------------------------------------------------------------
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
    root = html_root(text, url)
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
    return PageMeta(clean_title(title), published, canonical)
