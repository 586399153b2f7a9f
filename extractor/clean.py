"""RawDocument → Article: title, date, main text as paragraphs, and the named sections.

The only module that imports BeautifulSoup. The heuristics are data in :mod:`clean_rules`;
this module holds the functions.

HTML goes through four steps:

1. *metadata* from the raw string (regular expressions over ``<meta>``, JSON-LD, ``<title>``,
   ``<h1>``, ``<time>``), before anything is cut;
2. *shrinking*, because building the BeautifulSoup tree is the dominant cost: scripts, styles,
   SVG, comments, ``<head>`` … are cut with regular expressions, then page chrome (``<nav>``,
   ``<header>``, ``<footer>``, ``<aside>``, ``<form>``) unless it wraps most of the page. When a
   publisher template (GlobeNewswire, Business Wire, PR Newswire, Q4, Notified) or a known CMS
   article-body container is found by its class/id, only that container is parsed;
3. *choosing the container* (when no known one holds the prose): boilerplate blocks are marked
   by class/id/role/hidden, every paragraph scores its parent and grandparent (length, commas),
   scores are discounted by link density, the best container climbs to an ancestor holding much
   more prose (articles cut into sections) and takes its good siblings along (readability-style);
4. *writing paragraphs*: block elements start paragraphs, ``<br>`` is a newline (two end the
   paragraph), list items are paragraphs, ``10<sup>6</sup>`` is ``10^6``; link-dense blocks,
   furniture lines (share, copyright, timestamps) and "Related articles" tails are dropped.

Text and Markdown records get entity unescaping, Markdown stripping, line-wrap joining and, for
the one-line records some scrapers produce, paragraph splitting at ``* * *`` rules, bullets and
bold headings. Every path ends with the character normalisation of the domain guide (§1) and
the section marking (About / Forward-Looking Statements / Contacts) by paragraph openings.

Measured on ../shared/html-benchmark with ``benchmarks/html_benchmark.py``.
"""

from __future__ import annotations

import html as htmllib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag

from . import clean_rules as rules
from .errors import CleanError
from .models import Article, RawDocument, Section

log = logging.getLogger(__name__)

__all__ = ["clean", "normalize_chars", "iso_date"]


def clean(raw: RawDocument) -> Article:
    """Turn one document into an :class:`Article`; raise :class:`CleanError` when it has no text."""
    if raw.kind == "html":
        page = _clean_html(raw.content)
    elif raw.kind == "markdown":
        page = _clean_text(raw.content, markdown=True, known_title=raw.title)
    elif raw.kind == "text":
        page = _clean_text(raw.content, markdown=False, known_title=raw.title)
    else:
        raise CleanError(f"{raw.source}: unknown content kind {raw.kind!r}")
    paragraphs = [
        piece.strip()
        for p in page.paragraphs
        for piece in _BLANK_LINES.split(normalize_chars(p))  # a paragraph never holds a blank line
        if piece.strip()
    ]
    if sum(len(_WORD.findall(p)) for p in paragraphs[:50]) < rules.MIN_ARTICLE_WORDS:
        raise CleanError(f"{raw.source}: no text found")
    title = _clean_title(raw.title) or _clean_title(page.title)
    # always ISO or nothing: a record's "Q3 2025" is not a date the database can sort by
    published = (iso_date(raw.published) if raw.published else None) or page.published
    if published is None:
        published = _dateline_date(paragraphs)
    text, spans = _join(paragraphs)
    return Article(
        source=raw.source,
        text=text,
        title=title,
        url=raw.url or page.url,
        published=published,
        paragraphs=spans,
        sections=_sections(text, paragraphs, spans),
    )


def _clean_title(title: str | None) -> str | None:
    """The title under the same character contract as the text (it is stored as its first
    paragraph): entities decoded, ® ™ dropped, NBSP and hyphen variants mapped."""
    if not title:
        return None
    if "&" in title and _ENTITY.search(title):
        title = htmllib.unescape(title)
    return _WS.sub(" ", normalize_chars(title)).strip() or None


_WORD = re.compile(r"[^\W\d_]{2,}")
_BLANK_LINES = re.compile(r"\n\s*\n")


@dataclass
class _Page:
    paragraphs: list[str]
    title: str | None = None
    published: str | None = None
    url: str | None = None


def _join(paragraphs: list[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    spans = []
    offset = 0
    for p in paragraphs:
        spans.append((offset, offset + len(p)))
        offset += len(p) + 2
    return "\n\n".join(paragraphs), tuple(spans)


# ═══ Character normalisation (domain guide §1) ═════════════════════════════════════════════

_SUP_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TABLE = str.maketrans(_SUP_DIGITS + "⁺⁻", "0123456789+-")
_SQUARE_METRE = re.compile(r"(?<=m)²")
_SUP_RUN = re.compile(f"[⁺⁻]?[{_SUP_DIGITS}]+")
_CHAR_TABLE = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space
        "\u2007": " ",  # figure space
        "\u2009": " ",  # thin space
        "\u200a": " ",  # hair space
        "\u2002": " ",
        "\u2003": " ",
        "\u3000": " ",
        "\t": " ",
        "\r": None,
        "\f": " ",
        "\v": " ",
        "\u200b": None,  # zero-width space
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u00ad": None,  # soft hyphen
        **{chr(c): None for c in range(0x20) if chr(c) not in "\n\t\r\f\v"},  # control characters
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2212": "-",  # minus sign
        "\u207a": "+",  # superscript plus (CD19⁺)
        "\u207b": "-",  # superscript minus (CD19⁻)
        "\u00ae": None,  # ®
        "\u2122": None,  # ™
        "\u2120": None,  # ℠
    }
)
#: A trademark sign glued between two words stands for the space a web page's markup dropped:
#: "Sessions®and" is "Sessions and"; and an ordinal run into the next word ("79thScientific").
_MARK_BETWEEN_WORDS = re.compile(r"(?<=[A-Za-z0-9'’])[®™℠](?=[A-Za-z0-9])")
_ORDINAL_GLUED = re.compile(r"(?<=[a-z'’])(?=\d{1,3}(?:st|nd|rd|th)(?![a-z]))|(?<=\d(?:st|nd|rd|th))(?=[A-Z][a-z])")
#: A small word a scrape ran into the capitalised word after it, the space between lost ("inDecember 2009",
#: "saidPatrik Jonsson", "approval inJapan"): the space is put back, so dates, places and names read whole.
_FUNCTION_WORD_GLUED = re.compile(r"(?<![A-Za-z])(?:said|in|on|at|of|from|and|the|by|for|to|with)(?=[A-Z][a-z]{2,})")
_MIDDOT_DECIMAL = re.compile(r"(?<=\d)[·•∙](?=\d)")
_TRADEMARK_TEXT = re.compile(r"(?<=[A-Za-z])\((?:R|TM)\)")
#: A trademark written out in letters, run into the next word: "EbangaTMfor the treatment of Ebola" is
#: "Ebanga for the treatment of Ebola". Only a lower-case end before a lower-case word is read so ("KEYTRUDATMfor"
#: stays as written): "TM" between capitals is as likely an abbreviation's letters.
_TRADEMARK_LETTERS_GLUED = re.compile(r"(?<=[a-z])TM(?=[a-z]{2,})")
_SPACE_RUN = re.compile(r" {2,}")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")


def normalize_chars(text: str) -> str:
    """The pre-spaCy contract: ``10⁶``→``10^6``, ``mg/m²``→``mg/m2``, NBSP→space, hyphen
    variants→``-``, ``⁺⁻``→``+-``, ``5·4``→``5.4``, ® ™ stripped, runs of spaces collapsed.
    En and em dashes are kept (ranges and punctuation)."""
    if not text.isascii():
        text = _MARK_BETWEEN_WORDS.sub(" ", text)
        text = _SQUARE_METRE.sub("2", text)
        text = _SUP_RUN.sub(lambda m: "^" + m.group().translate(_SUP_TABLE), text)
        text = text.translate(_CHAR_TABLE)
        text = _MIDDOT_DECIMAL.sub(".", text)
    else:
        text = text.translate(_CHAR_TABLE)
    if "(" in text:
        text = _TRADEMARK_TEXT.sub("", text)
    if "TM" in text:
        text = _TRADEMARK_LETTERS_GLUED.sub(" ", text)
    text = _ORDINAL_GLUED.sub(" ", text)
    text = _FUNCTION_WORD_GLUED.sub(lambda m: m.group(0) + " ", text)
    text = _SPACE_RUN.sub(" ", text)
    if "\n" in text:
        text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    return text


# ═══ Dates ═════════════════════════════════════════════════════════════════════════════════

_MONTH_NAMES = "|".join(sorted(rules.MONTHS, key=len, reverse=True))
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_YMD_SLASH = re.compile(r"^\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:$|[T\s])")
_MDY_SLASH = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I
)
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+({_MONTH_NAMES})\.?,?\s+(\d{{4}})(?!\d)", re.I)


def iso_date(value: str | None) -> str | None:
    """A date string in any common form → ``YYYY-MM-DD`` (None when it is not a plausible date)."""
    if not value:
        return None
    value = value.strip()
    for pattern, order in ((_ISO, "ymd"), (_YMD_SLASH, "ymd"), (_COMPACT, "ymd"), (_MDY_SLASH, "mdy")):
        m = pattern.match(value)
        if m:
            a, b, c = (int(g) for g in m.groups())
            return _valid(a, b, c) if order == "ymd" else _valid(c, a, b)
    m = _MONTH_DAY_YEAR.search(value)
    if m:
        return _valid(int(m.group(3)), rules.MONTHS[m.group(1).lower()], int(m.group(2)))
    m = _DAY_MONTH_YEAR.search(value)
    if m:
        return _valid(int(m.group(3)), rules.MONTHS[m.group(2).lower()], int(m.group(1)))
    return None


def _valid(year: int, month: int, day: int) -> str | None:
    if not (rules.MIN_YEAR <= year <= rules.MAX_YEAR and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    if day > (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


_WIRES = "|".join(re.escape(w) for w in rules.WIRE_CREDITS)
_DATELINE = re.compile(
    rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}}),?\s*(\d{{4}})\s*(?:\(\s*(?:{_WIRES})\s*\)|/\s*(?:{_WIRES})\s*/|//|--|—|–|/)",
    re.I,
)


_WIRE_FIRST = re.compile(
    rf"\(\s*(?:{_WIRES})\s*\)\s*[-–—]+\s*({_MONTH_NAMES})\.?\s+(\d{{1,2}}),?\s*(\d{{4}})\b", re.I
)


def _dateline_date(paragraphs: list[str]) -> str | None:
    """The date of a newswire dateline ("Boston, May 1, 2024 (GLOBE NEWSWIRE) --", also
    "(NewMediaWire) - May 1, 2024 - Dallas") in the opening paragraphs."""
    for p in paragraphs[:6]:
        m = _DATELINE.search(p[:400]) or _WIRE_FIRST.search(p[:400])
        if m:
            return _valid(int(m.group(3)), rules.MONTHS[m.group(1).lower()], int(m.group(2)))
    return None


# ═══ HTML: metadata from the raw string ════════════════════════════════════════════════════

_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([^\s"'<>/=]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_JSON_LD = re.compile(r"""<script\b[^>]*application/ld\+json[^>]*>(.*?)</script\s*>""", re.I | re.S)
_TITLE_TAG = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_H1_TAG = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.I | re.S)
_TIME_TAG = re.compile(r"""<time\b[^>]*?\bdatetime\s*=\s*["']([^"']+)["']""", re.I)
_ITEMPROP_DATE = re.compile(r"""itemprop\s*=\s*["']datePublished["']""", re.I)
_TAG_AROUND = re.compile(r"<[^<>]*>")
_ANY_TAG = re.compile(r"<[^>]*>")
_WS = re.compile(r"\s+")


def _attrs(tag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(tag):
        out.setdefault(m.group(1).lower(), _attr_value(m))
    return out


def _attr_value(m: re.Match[str]) -> str:
    """The value of an attribute matched by _ATTR or _CONTAINER_ATTR ("…", '…' or bare)."""
    for group in (2, 3, 4):
        if m.group(group) is not None:
            return m.group(group)
    return ""


def _plain(fragment: str) -> str:
    return _WS.sub(" ", htmllib.unescape(_ANY_TAG.sub(" ", fragment))).strip()


@dataclass
class _Meta:
    meta: dict[str, str] = field(default_factory=dict)
    ld_headline: str | None = None
    ld_date: str | None = None
    ld_publisher: str | None = None


def _read_meta(html: str) -> _Meta:
    found = _Meta()
    for m in _META_TAG.finditer(html):
        a = _attrs(m.group())
        key = a.get("property") or a.get("name") or a.get("itemprop") or a.get("http-equiv")
        content = a.get("content")
        if key and content and content.strip():
            found.meta.setdefault(key.strip().lower(), htmllib.unescape(content).strip())
    page_headline = page_date = None  # from a plain WebPage object: used when no article says
    for m in _JSON_LD.finditer(html):
        try:
            data = json.loads(m.group(1).strip().strip(";"), strict=False)
        except (ValueError, RecursionError):
            continue  # malformed or absurdly nested metadata: the page's text does not depend on it
        for obj in _ld_objects(data, 0):
            kinds = obj.get("@type")
            kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
            kinds = {k.lower() for k in kinds if isinstance(k, str)} & rules.ARTICLE_TYPES
            if not kinds:
                continue
            headline = obj.get("headline")
            date = obj.get("datePublished") or obj.get("dateCreated")
            headline = headline.strip() if isinstance(headline, str) and headline.strip() else None
            date = date if isinstance(date, str) and iso_date(date) else None
            if kinds == {"webpage"}:
                page_headline = page_headline or headline
                page_date = page_date or date
                continue
            found.ld_headline = found.ld_headline or (htmllib.unescape(headline) if headline else None)
            found.ld_date = found.ld_date or date
            publisher = obj.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                found.ld_publisher = found.ld_publisher or publisher["name"]
    found.ld_headline = found.ld_headline or (htmllib.unescape(page_headline) if page_headline else None)
    found.ld_date = found.ld_date or page_date
    return found


def _ld_objects(data: object, depth: int) -> Iterator[dict[str, object]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in data:
                yield from _ld_objects(data[key], depth + 1)


def _page_title(html: str, meta: _Meta) -> str | None:
    candidates: list[str] = []
    for key in rules.TITLE_META[:1]:
        if meta.meta.get(key):
            candidates.append(meta.meta[key])
    if meta.ld_headline:
        candidates.append(meta.ld_headline)
    m = _H1_TAG.search(html)
    if m:
        candidates.append(_plain(m.group(1)))
    for key in rules.TITLE_META[1:]:
        if meta.meta.get(key):
            candidates.append(meta.meta[key])
    m = _TITLE_TAG.search(html)
    if m:
        candidates.append(_plain(m.group(1)))
    site_names = [meta.meta[k] for k in rules.SITE_NAME_META if meta.meta.get(k)]
    if meta.ld_publisher:
        site_names.append(meta.ld_publisher)
    for title in candidates:
        title = _WS.sub(" ", title).strip()
        if title:
            return _strip_site_suffix(title, site_names)
    return None


def _strip_site_suffix(title: str, site_names: list[str]) -> str:
    """"Headline | Site" → "Headline"; " - Site" only when the suffix names the site."""
    sites = {s.lower().lstrip("@") for s in site_names}
    for sep in rules.TITLE_SEPARATORS:
        if sep not in title:
            continue
        head, _, tail = title.rpartition(sep)
        tail_l = tail.strip().lower()
        named = tail_l in sites or any(s and (s in tail_l or tail_l in s) for s in sites)
        pipe_like = sep.strip() in ("|", "||", "::", "»", "·")
        if len(head.strip()) >= rules.MIN_TITLE_CHARS and (
            named or (pipe_like and len(tail.split()) <= rules.MAX_SITE_SUFFIX_WORDS)
        ):
            return _strip_site_suffix(head.strip(), site_names)
        # "Site | Headline": a leading site name
        head_l = title.partition(sep)[0].strip().lower()
        if head_l in sites and len(title.partition(sep)[2].strip()) >= rules.MIN_TITLE_CHARS:
            return title.partition(sep)[2].strip()
    return title


def _page_date(html: str, meta: _Meta) -> str | None:
    if meta.ld_date:
        d = iso_date(meta.ld_date)
        if d:
            return d
    for key in rules.DATE_META:
        d = iso_date(meta.meta.get(key))
        if d:
            return d
    m = _ITEMPROP_DATE.search(html)
    if m:  # <span itemprop="datePublished" content="…"> / <time itemprop=… datetime=…>
        start = html.rfind("<", 0, m.start())
        tag = _TAG_AROUND.match(html, start) if start >= 0 else None
        if tag:
            a = _attrs(tag.group())
            d = iso_date(a.get("content") or a.get("datetime"))
            if d:
                return d
    m = _TIME_TAG.search(html)
    if m and iso_date(m.group(1)):
        return iso_date(m.group(1))
    return None


# ═══ HTML: shrinking the raw string ════════════════════════════════════════════════════════

_STRIP = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<("
    + "|".join(rules.STRIP_ELEMENTS)
    + r")(?=[\s>/])[^>]*>.*?</\1\s*>",
    re.I | re.S,
)
_CUT_TAGS = re.compile(r"<(/?)(" + "|".join(rules.CUT_ELEMENTS) + r")(?=[\s>/])[^>]*>", re.I)


def _cut_chrome(html: str) -> str:
    """Remove <nav>/<header>/<footer>/<aside>/<form> elements (balanced) that are not wrappers."""
    spans: list[tuple[int, int]] = []
    stacks: dict[str, list[int]] = {}
    limit = len(html) * rules.MAX_CUT_SHARE
    for m in _CUT_TAGS.finditer(html):
        name = m.group(2).lower()
        stack = stacks.setdefault(name, [])
        if not m.group(1):
            if not m.group().endswith("/>"):
                stack.append(m.start())
        elif stack:
            start = stack.pop()
            if not stack and m.end() - start <= limit:
                spans.append((start, m.end()))
    if not spans:
        return html
    spans.sort()
    out, pos = [], 0
    for start, end in spans:
        if start < pos:  # nested in an earlier span (a <nav> inside a <header>)
            if end > pos:
                pos = end
            continue
        out.append(html[pos:start])
        pos = end
    out.append(html[pos:])
    return "".join(out)


_CONTAINER_ATTR = re.compile(r"""\s(class|id|itemprop)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
#: (attribute, token) → rank, templates first: the lowest rank found on a page wins.
_CONTAINER_RULES: list[tuple[str, str]] = [
    *[within or parts[0] for _, within, parts in rules.TEMPLATES],
    *rules.BODY_CONTAINERS,
]
_TEMPLATE_COUNT = len(rules.TEMPLATES)


def _container_hits(page: str, wanted: list[tuple[str, str]]) -> dict[int, list[int]]:
    """{rule index: [start offsets of the tags whose attribute holds the rule's token]} in one pass."""
    if not wanted:
        return {}
    matcher = _matcher(tuple(wanted))
    by_token: dict[str, list[tuple[str, int]]] = {}
    for rank, (attr, token) in enumerate(wanted):
        by_token.setdefault(token, []).append((attr, rank))
    hits: dict[int, list[int]] = {}
    for m in _CONTAINER_ATTR.finditer(page):
        tokens = matcher.findall(_attr_value(m).lower())
        if not tokens:
            continue
        attr = m.group(1).lower()
        for token in tokens:
            for want_attr, rank in by_token[token]:
                if attr == want_attr:
                    start = page.rfind("<", 0, m.start())
                    if start >= 0:
                        hits.setdefault(rank, []).append(start)
    return hits


_MATCHERS: dict[tuple[tuple[str, str], ...], re.Pattern[str]] = {}


def _matcher(wanted: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    pattern = _MATCHERS.get(wanted)
    if pattern is None:
        tokens = sorted({t for _, t in wanted}, key=len, reverse=True)
        pattern = _MATCHERS[wanted] = re.compile("|".join(re.escape(t) for t in tokens))
    return pattern


def _spans_at(page: str, starts: list[int], first_only: bool = False) -> list[tuple[int, int]]:
    """Outermost elements beginning at ``starts``, as (start, end) offsets."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for start in starts:
        if start < pos:
            continue  # nested in the previous one
        m = _TAG_NAME.match(page, start)
        if not m:
            continue
        end = _element_end(page, m.group(1), start)
        spans.append((start, end))
        if first_only:
            break
        pos = end
    return spans


_P_TEXT = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.I | re.S)


def _element_end(html: str, name: str, start: int) -> int:
    """End offset of the element whose start tag begins at ``start`` (balanced on ``name``)."""
    if name.lower() in rules.VOID_ELEMENTS:
        return html.find(">", start) + 1
    tags = re.compile(rf"<(/?){name}(?=[\s>/])[^>]*>", re.I)
    depth = 0
    for m in tags.finditer(html, start):
        if m.group(1):
            depth -= 1
            if depth == 0:
                return m.end()
        elif not m.group().endswith("/>"):
            depth += 1
    return len(html)


def _p_chars(html: str) -> int:
    """Characters of text inside <p> elements: a cheap measure of where the prose is."""
    return sum(len(_ANY_TAG.sub("", m.group(1)).strip()) for m in _P_TEXT.finditer(html))


# ═══ HTML: the tree ════════════════════════════════════════════════════════════════════════

_BOILER_SUB = re.compile("|".join(re.escape(t) for t in rules.BOILERPLATE_TOKENS))
_HARD_SUB = re.compile("|".join(re.escape(t) for t in rules.HARD_BOILERPLATE_TOKENS))
_KEEP_SUB = re.compile("|".join(re.escape(t) for t in rules.KEEP_TOKENS))
_CONTENT_SUB = re.compile("|".join(re.escape(t) for t in rules.CONTENT_TOKENS))
_NEGATIVE_SUB = re.compile("|".join(re.escape(t) for t in rules.NEGATIVE_TOKENS))


class _Tree:
    """Measurements of one parsed page: text and link characters per element, boilerplate marks."""

    def __init__(self, root: Tag) -> None:
        self.root = root
        self.text: dict[int, int] = {}
        self.links: dict[int, int] = {}
        self.commas: dict[int, int] = {}
        self.blocky: set[int] = set()  # elements with a block-level child
        self.junk: set[int] = set()
        self._class_cache: dict[str, int] = {}
        self._boiler: list[Tag] = []
        self.keepers: set[int] = set()  # elements holding a marked article body
        self.loose: list[tuple[Tag, int, int]] = []  # (element, chars, commas) of loose inline text
        self._measure(root)
        protect = self.text.get(id(root), 0) * rules.PROTECT_SHARE
        for tag in self._boiler:
            key = id(tag)
            if key in self.keepers or tag.name in rules.NEVER_JUNK_TAGS:
                continue
            if self.text[key] >= protect and not _HARD_SUB.search(_class_id(tag)):
                continue  # a wrapper with a layout name ("content-with-sidebar"), not furniture
            self.junk.add(key)

    def _measure(self, root: Tag) -> None:
        """One post-order pass (iterative: some broken pages nest thousands of elements deep)."""
        # frame: [tag, children iterator, in_link, text, links, commas, own, own_commas, blocky, keeper]
        stack: list[list[Any]] = [[root, iter(root.contents), False, 0, 0, 0, 0, 0, False, False]]
        while stack:
            frame = stack[-1]
            child = next(frame[1], None)
            if child is not None:
                if type(child) is NavigableString:
                    n = len(child.strip())
                    if n:
                        c = child.count(",") + child.count("，") + child.count("、")
                        frame[3] += n
                        frame[6] += n
                        frame[5] += c
                        frame[7] += c
                        if frame[2]:
                            frame[4] += n
                elif isinstance(child, Tag) and child.name not in rules.DROP_TAGS:
                    in_link = frame[2] or child.name == "a"
                    stack.append([child, iter(child.contents), in_link, 0, 0, 0, 0, 0, False, False])
                continue
            stack.pop()
            tag, _, _, text, links, commas, own, own_commas, blocky, keeper = frame
            key = id(tag)
            if blocky and own >= rules.MIN_PARAGRAPH_CHARS:
                self.loose.append((tag, own, own_commas))
            self.text[key] = text
            self.links[key] = links
            self.commas[key] = commas
            if blocky:
                self.blocky.add(key)
            if tag.attrs:
                if keeper:
                    self.keepers.add(key)
                elif self._is_boilerplate(tag):
                    self._boiler.append(tag)
                elif text >= rules.MIN_KEEPER_CHARS and _is_keeper(tag):
                    self.keepers.add(key)
            elif keeper:
                self.keepers.add(key)
            if stack:  # add this element's figures to its parent's
                parent = stack[-1]
                parent[3] += text
                parent[4] += links
                parent[5] += commas
                if tag.name in rules.BLOCK_TAGS:
                    parent[8] = True
                else:
                    parent[6] += text - links
                    parent[7] += commas
                if key in self.keepers:
                    parent[9] = True

    def _is_boilerplate(self, tag: Tag) -> int:
        attrs = tag.attrs
        if "hidden" in attrs or attrs.get("aria-hidden") == "true":
            return 1
        role = attrs.get("role")
        if isinstance(role, str) and role.lower() in rules.BOILERPLATE_ROLES:
            return 1
        style = attrs.get("style")
        if isinstance(style, str) and any(t in style.lower() for t in rules.HIDDEN_STYLE_TOKENS):
            return 1
        names = _class_id(tag)
        if not names:
            return 0
        verdict = self._class_cache.get(names)
        if verdict is None:
            verdict = _boilerplate_names(names)
            self._class_cache[names] = verdict
        return verdict

    def density(self, tag: Tag) -> float:
        t = self.text.get(id(tag), 0)
        return self.links.get(id(tag), 0) / t if t else 0.0


def _is_keeper(tag: Tag) -> bool:
    prop = tag.attrs.get("itemprop")
    if isinstance(prop, str) and prop.lower() == "articlebody":
        return True
    names = _class_id(tag)
    return bool(names) and _KEEP_SUB.search(names) is not None


def _class_id(tag: Tag) -> str:
    cls = tag.attrs.get("class")
    if isinstance(cls, list):
        cls = " ".join(cls)
    ident = tag.attrs.get("id")
    if ident and cls:
        return f"{cls} {ident}".lower()
    return (cls or ident or "").lower() if isinstance(cls or ident or "", str) else ""


def _boilerplate_names(names: str) -> int:
    """1 when a class/id value names page furniture and no strong content marker cancels it."""
    if _KEEP_SUB.search(names):
        return 0
    split = names.split()
    post_classes = any(name in rules.POST_CLASS_MARKERS for name in split)
    for name in split:
        if post_classes and name.startswith(rules.TAXONOMY_CLASS_PREFIXES):
            continue  # WordPress "tag-share-prices", "category-social": labels, not furniture
        if name in rules.BOILERPLATE_WORDS or _BOILER_SUB.search(name):
            return 1
    return 0


def _class_weight(tag: Tag) -> float:
    names = _class_id(tag)
    if not names:
        return 0.0
    weight = 0.0
    if _NEGATIVE_SUB.search(names):
        weight -= rules.CLASS_WEIGHT
    if _CONTENT_SUB.search(names):
        weight += rules.CLASS_WEIGHT
    return weight


class _Countable:
    """Whether text under an element counts: not inside boilerplate, not inside an <article> card nested
    in another <article> (a related post). Each element's answer is derived from its parent's once, so
    a page nested 20,000 deep costs linear time, not a walk to the root per paragraph."""

    def __init__(self, tree: _Tree, stop: Tag) -> None:
        self.tree, self.stop = tree, stop
        # id(element) → (junk on the way up, an <article> on the way up, a card below another article)
        self.state: dict[int, tuple[bool, bool, bool]] = {}

    def __call__(self, tag: Tag) -> bool:
        chain: list[Tag] = []
        node: Tag | None = tag
        while node is not None and node is not self.stop and id(node) not in self.state:
            chain.append(node)
            node = node.parent
        above = self.state.get(id(node), (False, False, False)) if node is not None else (False, False, False)
        for element in reversed(chain):
            junk, article, nested_card = above
            is_article = element.name == "article"
            above = (
                junk or id(element) in self.tree.junk,
                article or is_article,
                nested_card or (is_article and article and _is_card(element)),
            )
            self.state[id(element)] = above
        junk, _, nested_card = self.state.get(id(tag), above)
        return not junk and not nested_card


def _is_card(article: Tag) -> bool:
    """An <article> with <article> siblings: one card of a list (when nested in another article)."""
    parent = article.parent
    if parent is None:
        return False
    return sum(1 for c in parent.contents if isinstance(c, Tag) and c.name == "article") >= 2


def _choose_container(tree: _Tree) -> list[Tag]:
    """Readability-style: paragraphs score their ancestors; best container plus good siblings."""
    root = tree.root
    units: list[tuple[Tag, int, int, int]] = []  # (first element to credit, link chars, chars, commas)
    for tag in root.find_all(_scorable):
        key = id(tag)
        length = tree.text.get(key, 0)
        if length < rules.MIN_PARAGRAPH_CHARS:
            continue
        if tag.name not in rules.PARAGRAPH_TAGS and key in tree.blocky:
            continue
        if tag.parent is not None:
            units.append((tag.parent, tree.links.get(key, 0), length, tree.commas.get(key, 0)))
    for tag, length, commas in tree.loose:
        units.append((tag, 0, length, commas))
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    own_prose: dict[int, int] = {}  # characters of real prose (long, few links) credited to each element
    countable = _Countable(tree, root)
    for first, links, length, commas in units:
        if not countable(first):
            continue
        if length >= rules.MIN_PROSE_CHARS and links <= length * rules.MAX_PROSE_LINK_DENSITY:
            own_prose[id(first)] = own_prose.get(id(first), 0) + length
        score = 1.0 + commas + min(length / 100.0, 3.0)
        node: Tag | None = first
        for level in range(len(rules.ANCESTOR_DIVIDERS)):
            if node is None:
                break
            nkey = id(node)
            if nkey not in scores:
                scores[nkey] = rules.TAG_WEIGHTS.get(node.name, 0.0) + _class_weight(node)
                nodes[nkey] = node
            scores[nkey] += score / rules.ANCESTOR_DIVIDERS[level]
            if node is root:
                break
            node = node.parent
    if not scores:
        return [root]
    final = {k: s * (1.0 - tree.density(nodes[k])) for k, s in scores.items()}
    ranked = sorted(final, key=final.__getitem__, reverse=True)
    top = nodes[ranked[0]]
    top_score = final[ranked[0]]
    # Several near-best candidates under one ancestor: the article is split; take the ancestor.
    close = [nodes[k] for k in ranked[1:6] if final[k] >= top_score * rules.CLOSE_SHARE]
    if len(close) >= 2:
        ancestors = [a for a in top.parents][:4]
        for ancestor in ancestors:
            if sum(1 for c in close if _is_ancestor(ancestor, c)) >= 2:
                top = ancestor
                top_score = max(top_score, final.get(id(ancestor), top_score))
                break
    # An article cut into sections (<div class="section">…</div> ×N, each with its own wrapper):
    # climb while an ancestor holds much more prose than the container chosen so far.
    prose = _subtree_sums(root, own_prose)  # prose under each element
    node = top.parent
    for _ in range(rules.MAX_CLIMB):
        if node is None or node is root or node.name in ("body", "html"):
            break
        if prose.get(id(node), 0) >= prose.get(id(top), 0) * rules.CLIMB_GAIN and (
            tree.density(node) < rules.CLIMB_MAX_LINK_DENSITY
        ):
            top = node
            top_score = max(top_score, final.get(id(node), 0.0))
        node = node.parent
    parent = top.parent
    if parent is None or top is root:
        return [top]
    threshold = max(rules.SIBLING_MIN_SCORE, top_score * rules.SIBLING_SHARE)
    chosen: list[Tag] = []
    for sibling in parent.contents:
        if not isinstance(sibling, Tag):
            continue
        if sibling is top:
            chosen.append(sibling)
            continue
        if id(sibling) in tree.junk or sibling.name in rules.DROP_TAGS:
            continue
        score = final.get(id(sibling), 0.0)
        if score >= threshold:
            if sibling.name in ("article", "div", "section") and _is_listing(sibling):
                continue  # "You may also like": a list of other posts
            chosen.append(sibling)
        elif sibling.name == "p" or (sibling.name in rules.CONTAINER_TAGS and id(sibling) not in tree.blocky):
            # a lead paragraph beside the body ("<div class=summary">…</div><div class=text>…")
            length = tree.text.get(id(sibling), 0)
            if length > rules.MIN_PROSE_CHARS and tree.density(sibling) < rules.MAX_SIBLING_LINK_DENSITY:
                chosen.append(sibling)
    return chosen


def _subtree_sums(root: Tag, own: dict[int, int]) -> dict[int, int]:
    """Each element's own value plus its descendants', in one pass from the leaves up (no recursion)."""
    if not own:
        return {}
    totals: dict[int, int] = {}
    for tag in reversed([root, *root.find_all(True)]):  # document order reversed: children before parents
        key = id(tag)
        total = totals.get(key, 0) + own.get(key, 0)
        if total:
            totals[key] = total
            if tag.parent is not None and tag is not root:
                totals[id(tag.parent)] = totals.get(id(tag.parent), 0) + total
    return totals


def _is_listing(tag: Tag) -> bool:
    """A block holding several <article>s is a list of other posts, not more of this one."""
    return len(tag.find_all("article", limit=2)) >= 2


def _scorable(tag: Tag) -> bool:
    return tag.name in rules.PARAGRAPH_TAGS or tag.name in rules.CONTAINER_TAGS


def _is_ancestor(ancestor: Tag, node: Tag) -> bool:
    for parent in node.parents:
        if parent is ancestor:
            return True
    return False


# ── writing paragraphs ─────────────────────────────────────────────────────────────────────

_BR = "\x00"
_INLINE_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u202f\u2009\u200a\u2002\u2003]+")
_EXPONENT_BASE = re.compile(r"(?:^|[^\d.,])10\s?$")
_SUP_NUMBER = re.compile(r"^[-−–]?\d{1,3}$")
_FOOTNOTE = re.compile(r"^[\d,\s\-–*†‡§¶]+$|^[ivx]+$|^\(?[a-z]\)?$")
_TRADEMARK_SUP = re.compile(r"^\s*(?:®|™|℠|\(R\)|\(TM\)|TM|SM|R)\s*$", re.I)


@dataclass
class _Block:
    text: str
    kind: str = "p"  # p, h (heading), li (list item), cell
    links: int = 0
    level: int = 0  # heading level (1–6)


class _Writer:
    """Walks chosen elements and emits one _Block per paragraph."""

    def __init__(self, tree: _Tree) -> None:
        self.tree = tree
        self.blocks: list[_Block] = []
        self.buf: list[str] = []
        self.link_chars = 0
        self.kind = "p"
        self.level = 0
        self.pre = 0  # depth of <pre> elements around the current text

    def flush(self, *, keep_kind: bool = False) -> None:
        if self.buf:
            text = _INLINE_WS.sub(" ", "".join(self.buf)).replace(_BR, "\n")
            text = _SPACE_AROUND_NEWLINE.sub("\n", text).strip()
            if text:
                self.blocks.append(_Block(text, self.kind, min(self.link_chars, len(text)), self.level))
        self.buf = []
        self.link_chars = 0
        if not keep_kind:
            self.kind = "p"
            self.level = 0

    def br(self) -> None:
        """A newline; a second <br> in a row ends the paragraph ("text<br><br>text")."""
        for item in reversed(self.buf):
            if item == _BR:
                self.flush(keep_kind=True)
                return
            if item.strip():
                break
        self.buf.append(_BR)

    def walk(self, tag: Tag) -> None:
        """Depth-first over ``tag``'s content (iterative, like :meth:`_Tree._measure`)."""
        tree = self.tree
        # frame: (children iterator, inside a link, what to do when the element ends)
        stack: list[tuple[Iterator[Any], bool, str]] = [(iter(tag.contents), False, "")]
        while stack:
            children, in_link, on_end = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if on_end == "pre":
                    self.pre -= 1
                if on_end in ("block", "pre"):
                    self.flush()
                elif on_end == "cell":
                    self.buf.append(" ")
                continue
            if type(child) is NavigableString:
                self.buf.append(child.strip("\n").replace("\n", _BR) if self.pre else child)
                if in_link:
                    self.link_chars += len(child.strip())
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in rules.DROP_TAGS or id(child) in tree.junk:
                continue
            if name == "br":
                self.br()
            elif name == "sup":
                self._sup(child)
            elif name in rules.BLOCK_TAGS:
                if self._skip_block(child):
                    continue
                self.flush()
                if name in rules.HEADING_TAGS:
                    self.kind, self.level = "h", int(name[1])
                elif name in ("li", "dt", "dd"):
                    self.kind = "li"
                elif name == "tr":
                    self.kind = "cell"
                elif name == "pre":  # keep its line breaks
                    self.pre += 1
                stack.append((iter(child.contents), in_link, "pre" if name == "pre" else "block"))
            elif name in rules.CELL_TAGS:
                stack.append((iter(child.contents), in_link, "cell"))
            else:
                stack.append((iter(child.contents), in_link or name == "a", ""))

    def _sup(self, sup: Tag) -> None:
        text = sup.get_text().strip()
        if not text or _TRADEMARK_SUP.match(text):
            return
        before = "".join(self.buf[-3:])
        if _SUP_NUMBER.match(text) and _EXPONENT_BASE.search(before):
            self.buf.append("^" + text.replace("−", "-").replace("–", "-"))
        elif _FOOTNOTE.match(text):
            return  # a footnote marker glued to a word ("five years1")
        else:
            self.buf.append(text)

    def _skip_block(self, tag: Tag) -> bool:
        """Link lists and link-dense boxes inside the article."""
        key = id(tag)
        length = self.tree.text.get(key, 0)
        if not length:
            return False
        density = self.tree.links.get(key, 0) / length
        if tag.name in rules.LIST_TAGS:
            return density > rules.MAX_LIST_LINK_DENSITY
        if tag.name in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dd", "dt", "pre", "blockquote"):
            return False
        if length < rules.SHORT_BLOCK_CHARS:
            return density > rules.MAX_LINK_DENSITY
        return density > rules.LONG_BLOCK_LINK_DENSITY


def _html_blocks(nodes: list[Tag], tree: _Tree) -> list[_Block]:
    writer = _Writer(tree)
    for node in nodes:
        writer.flush()
        if node.name in rules.HEADING_TAGS:
            writer.kind, writer.level = "h", int(node.name[1])
        writer.walk(node)
        writer.flush()
    return writer.blocks


# ── paragraph filters ─────────────────────────────────────────────────────────────────────

_TRAILING_PUNCT = re.compile(r"[\s:.!?…»>\-–—|]+$")
_END_HEADINGS = frozenset(rules.END_HEADINGS)


def _key(text: str) -> str:
    return _TRAILING_PUNCT.sub("", text.lower()).strip()


def _is_furniture(block: _Block, *, links: bool = True) -> bool:
    """Page furniture: share/print lines, rights lines, "SOURCE Company", and (``links``) blocks
    that are mostly link text."""
    text = block.text
    key = _key(text)
    if not key or key in rules.BOILERPLATE_LINES:
        return True
    n = len(text)
    if n < rules.MAX_PREFIX_LINE_CHARS and (key.startswith(rules.BOILERPLATE_PREFIXES) or _FURNITURE.match(text)):
        return True
    if n <= rules.MAX_DATE_LINE_CHARS and _is_date_line(text):
        return True
    if n < rules.MAX_COPYRIGHT_CHARS:
        low = text.lower()
        if low.startswith(rules.COPYRIGHT_PREFIXES) or any(m in low for m in rules.COPYRIGHT_MARKERS):
            return True
    if not links:
        return False
    density = block.links / n if n else 0.0
    if n < rules.SHORT_BLOCK_CHARS and density > rules.MAX_LINK_DENSITY:
        return True
    return density > rules.LONG_BLOCK_LINK_DENSITY


_FURNITURE = re.compile("|".join(rules.FURNITURE_PATTERNS))
_DATE_LINE_WORD = re.compile(r"[^\W\d_]+")


def _is_date_line(text: str) -> bool:
    """"23 Nov 2017", "Monday, November 18, 2019 7:45 am PST", "Updated: 2019-11-19 08:57"."""
    if not re.search(r"\d", text) or iso_date(text) is None and not _DATE_TIME.search(text):
        return False
    return all(w.lower() in rules.DATE_LINE_WORDS or w.lower() in rules.MONTHS for w in _DATE_LINE_WORD.findall(text))


def _filter_blocks(blocks: list[_Block], title: str | None, *, template: bool = False) -> list[_Block]:
    """Drop furniture and "Related articles" tails; on a publisher template (an exact body
    container) link-only lines are kept: they are e-mail addresses and web sites of contacts."""
    out: list[_Block] = []
    title_key = _key(title) if title else None
    skipping = False
    for block in blocks:
        key = _key(block.text)
        headingish = block.kind == "h" or (len(block.text) < 60 and "\n" not in block.text)
        if headingish and key in _END_HEADINGS:
            skipping = True
            continue
        if key.startswith(rules.END_HEADING_PREFIXES) and len(key.split()) <= rules.MAX_END_HEADING_WORDS:
            if not block.links:
                skipping = True  # "More Great WIRED Stories" heads a list
            continue  # "Related post: <a>Pickled Sprouts</a>" is one line of promotion
        if skipping:
            # after "Related articles": drop links, list items and short lines until real prose
            n = len(block.text)
            if block.kind in ("li", "h") or n < 120 or block.links > n * rules.MAX_LINK_DENSITY:
                continue
            skipping = False
        if title_key and (
            (block.kind == "h" and (block.level == 1 or not out) and _same_title(key, title_key))
            or (len(out) < 3 and key == title_key)
        ):
            continue  # the headline repeated in the container: it is the title, not body text
        if _is_furniture(block, links=not template):
            continue
        out.append(block)
    return out


def _same_title(a: str, b: str) -> bool:
    return a == b or (len(a) > 20 and (a in b or b in a))


def _clean_html(html: str) -> _Page:
    meta = _read_meta(html)
    title = _page_title(html, meta)
    published = _page_date(html, meta)
    url = meta.meta.get("og:url")
    page = _cut_chrome(_STRIP.sub("", html))
    known, template, scope = _known_container(page)
    blocks: list[_Block] = []
    if known is not None:
        tree = _parse(known)
        if tree.text.get(id(tree.root), 0) >= rules.MIN_CONTAINER_CHARS or template:
            blocks = _filter_blocks(_html_blocks([tree.root], tree), title, template=template)
    if not blocks or (not template and sum(len(b.text) for b in blocks) < rules.MIN_CONTAINER_CHARS):
        tree = _parse(page)
        if tree.text.get(id(tree.root), 0) == 0:
            raise CleanError("the page has no visible text")
        blocks = _filter_blocks(_html_blocks(_choose_container(tree), tree), title)
    if published is None and scope is not None:  # the date element of the template (Q4, Notified)
        published = _text_date(scope)
    if published is None:  # the newswire dateline in the opening paragraphs
        published = _dateline_date([b.text for b in blocks[:6]])
    if published is None:
        published = _text_date(page)
    return _Page([b.text for b in blocks], title=title, published=published, url=url)


def _parse(fragment: str) -> _Tree:
    if "<" not in fragment:  # bare text (and no "looks like a URL/file name" warning from bs4)
        fragment = f"<p>{fragment}</p>"
    soup = BeautifulSoup(fragment, "lxml")
    return _Tree(soup.body or soup)


def _known_container(page: str) -> tuple[str | None, bool, str | None]:
    """(HTML of the article body, whether a publisher template gave it, the HTML of the
    template's ``within`` element) for a recognised template or a known CMS container."""
    hits = _container_hits(page, _CONTAINER_RULES)
    page_p_chars: int | None = None
    for rank in sorted(hits):
        if rank < _TEMPLATE_COUNT:
            found = _template_fragment(page, rank, hits[rank])
            if found is not None:
                log.debug("template %s", rules.TEMPLATES[rank][0])
                return found[0], True, found[1]
            continue
        fragment = "".join(page[a:b] for a, b in _spans_at(page, hits[rank]))
        if page_p_chars is None:
            page_p_chars = _p_chars(page)
        if _p_chars(fragment) >= rules.CONTAINER_SHARE * page_p_chars:
            return fragment, False, None
    return None, False, None


def _template_fragment(page: str, rank: int, starts: list[int]) -> tuple[str, str | None] | None:
    """(the template's body parts as HTML, its ``within`` element) or None when absent."""
    _, within, parts = rules.TEMPLATES[rank]
    scope = None
    if within is not None:  # the parts must sit inside the first ``within`` element
        outer = _spans_at(page, starts, first_only=True)
        if not outer:
            return None
        page = scope = page[outer[0][0] : outer[0][1]]
        found = _container_hits(page, [parts[0]])
        if not found:
            return None
        starts = found[0]
    spans = _spans_at(page, starts, first_only=True)
    for _, more in sorted(_container_hits(page, list(parts[1:])).items()):
        spans += _spans_at(page, more, first_only=True)
    return "".join(page[a:b] for a, b in spans), scope


def _text_date(page: str) -> str | None:
    """A date shown as text in a known date element (Q4, Notified, Business Wire…)."""
    hits = _container_hits(page, list(rules.DATE_TEXT_CONTAINERS))
    for rank in sorted(hits):
        for start in hits[rank][:3]:
            open_end = page.find(">", start) + 1
            close = page.find("</", open_end)
            text = page[open_end : close if close > 0 else open_end + 300][:300]
            if not text.strip():  # the date sits in a child element: take the element's text
                text = page[open_end : open_end + 400]
            d = iso_date(_plain(text))
            if d:
                return d
    return None


# ═══ Text and Markdown ════════════════════════════════════════════════════════════════════

_STRAY_TAG = re.compile(r"</?(?:" + "|".join(rules.STRAY_TAGS) + r")\b[^<>]{0,300}>", re.I)
_STRAY_BR = re.compile(r"<br\s*/?>", re.I)
_STRAY_BREAK = re.compile(r"</p\s*>|<p(?:\s[^<>]{0,300})?>|</(?:div|li|h\d|article|section|tr)\s*>", re.I)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MD_TITLE = re.compile(r"\A\s*#\s+(.+?)\s*#*\s*(?:\n|\Z)")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^)\s]*\))*(?:\s+\"[^\"]*\")?\s*\)")
_MD_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)
_MD_EM = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]*?[^\s*\\])\*(?![\w*])|(?<![\w\\])_(?=\S)([^_\n]*?\S)_(?!\w)")
_MD_STRAY_STARS = re.compile(r"\*{2,}")
_MD_CODE = re.compile(r"`([^`\n]+)`")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)(?:\s+#+)?$")
_MD_RULE = re.compile(r"^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,}|(?:=\s*){3,})$")
_MD_QUOTE = re.compile(r"^(?:>\s?)+")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_BULLET = re.compile(r"^(?:[*+\-•⦁●▪◦‣]|\\\*)\s+")
_RUN_TOGETHER_ITEMS = re.compile(r"\s+[\-•]\s+(?=[A-Z0-9])")
_LINK_ONLY = re.compile(r"^(?:\s*(?:\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\([^)]*\)|<https?://[^>]+>|https?://\S+)\s*)+$")
_OWN_LINE = re.compile(r"^(?:\S+@\S+\.\w+|(?:https?://|www\.)\S+|\+?[\d\s().\-]{7,})$")  # e-mail, URL, phone
_MARKDOWNISH = re.compile(r"\*\*|\]\(|^#{1,6}\s|\* \* \*|^\s*\* ", re.M)


def _clean_text(content: str, *, markdown: bool, known_title: str | None) -> _Page:
    text = content
    if "&" in text and _ENTITY.search(text):
        text = htmllib.unescape(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title = None
    if markdown:
        m = _MD_TITLE.match(text)
        if m:
            title = _md_inline(m.group(1)).strip() or None
            text = text[m.end() :]
    markup = markdown or bool(_MARKDOWNISH.search(text[:20000]))
    body = text.strip()
    # one-line records: a scraper joined the page; its breaks are found in _split_flattened
    flattened = "\n" not in body or (len(body) > 1500 and body.count("\n") < 3)
    if "<" in body and _STRAY_TAG.search(body):
        body = _STRAY_TAG.sub("", _STRAY_BREAK.sub("\n\n", _STRAY_BR.sub("\n", body))).strip()
    if flattened:
        paragraphs = _split_flattened(body, known_title or title)
    else:
        paragraphs = _text_blocks(body, markup)
    out: list[str] = []
    for p in paragraphs:
        if markup:
            if _LINK_ONLY.match(p):
                continue  # "[Original/Source Press Release](https://…)": a link, not text
            p = _md_inline(p)
        p = p.strip()
        if not p:
            continue
        low = p.lower()
        if low.startswith(rules.TEXT_END_PREFIXES):
            break
        if len(p) < rules.MAX_PREFIX_LINE_CHARS and (
            low.startswith(rules.TEXT_BOILERPLATE_PREFIXES) or _key(p) in rules.BOILERPLATE_LINES
        ):
            continue
        out.append(p)
    if title is None and not known_title and len(out) > 1 and _reads_as_headline(out[0]):
        title = out[0]  # "Corvane Therapeutics Doses First Patient in …": a plain file's headline
    return _Page(out, title=title)


def _reads_as_headline(paragraph: str) -> bool:
    return (
        "\n" not in paragraph
        and len(paragraph) <= rules.HEADLINE_MAX_CHARS
        and len(paragraph.split()) >= rules.HEADLINE_MIN_WORDS
        and not paragraph.rstrip().endswith((".", ":", ";", ","))
    )


def _text_blocks(text: str, markup: bool) -> list[str]:
    """Blank lines separate paragraphs; list items and headings are paragraphs of their own; a
    single newline before a lowercase letter or a digit is a hard wrap and becomes a space."""
    paragraphs: list[str] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        current: str | None = None
        for line in chunk.split("\n"):
            line = line.strip()
            if not line:
                continue
            if markup:
                if _MD_RULE.match(line):
                    if current is not None:
                        paragraphs.append(current)
                    current = None
                    continue
                line = _MD_QUOTE.sub("", line)
                heading = _MD_HEADING.match(line)
                if heading:
                    if current is not None:
                        paragraphs.append(current)
                    paragraphs.append(heading.group(1))
                    current = None
                    continue
            bullet = _BULLET.match(line)
            if bullet:
                if current is not None:
                    paragraphs.append(current)
                # "- First item - Second item - Third": a list run together on one line, one paragraph per item
                *items, current = _RUN_TOGETHER_ITEMS.split(line[bullet.end() :])
                paragraphs.extend(items)
            elif current is None:
                current = line
            elif (line[0].islower() or line[0].isdigit()) and not _OWN_LINE.match(line):
                current += " " + line
            else:
                current += "\n" + line
        if current is not None:
            paragraphs.append(current)
    return paragraphs


def _unwrap_strong(m: re.Match[str]) -> str:
    """"the**first-line**setting" → "the first-line setting": bold glued to words on its outside lost
    the spaces beside its tags (single-star italics stay glued: "g*BRCA*m" is gBRCAm)."""
    text, inner = m.string, m.group(2)
    before = " " if m.start() > 0 and text[m.start() - 1].isalnum() and inner[:1].isalnum() else ""
    after = " " if m.end() < len(text) and text[m.end()].isalnum() and inner[-1:].isalnum() else ""
    return before + inner + after


def _md_inline(text: str) -> str:
    """Markdown inline syntax → its text: images dropped, links → their text, emphasis unwrapped."""
    if "!" in text:
        text = _MD_IMAGE.sub("", text)
    if "[" in text:
        text = _MD_LINK.sub(r"\1", text)
        text = _MD_REF_LINK.sub(r"\1", text)
    if "<" in text:
        text = _MD_AUTOLINK.sub(r"\1", text)
    if "`" in text:
        text = _MD_CODE.sub(r"\1", text)
    if "*" in text or "_" in text:
        text = _MD_STRONG.sub(_unwrap_strong, text)
        text = _MD_EM.sub(lambda m: m.group(1) or m.group(2) or "", text)
        text = _MD_STRAY_STARS.sub("", text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    return text


# One-line records (a scraper joined the page into one line): " * * * " rules, "*bullet*" items,
# "**Heading**" runs and "## " headings mark the paragraph breaks that were lost.
_STAR_RULE = re.compile(r"\s*(?<!\S)\*(?:\s+\*){2,}(?=\s|\*)")
_LEADING_BULLET = re.compile(r"\A\*(?=\S)([^*]+?)(?<=\S)\*(?:\s+|\Z)")
_INLINE_BULLET = re.compile(r"\s+\\?\*\s+(?=[A-Z0-9“\"(])")
_INLINE_HEADING = re.compile(r"\s*#{2,6}\s+")
_DATE_TIME = re.compile(
    rf"\b(?:{_MONTH_NAMES})\.?\s+\d{{1,2}},\s+\d{{4}}(?:\s+\d{{1,2}}:\d{{2}}\s*[ap]\.?m\.?(?:\s+[A-Z]{{2,4}}\b)?)?",
    re.I,
)
_TEXT_END = re.compile("|".join(rules.TEXT_END_MARKERS))
_TEXT_DATELINE = re.compile(
    rf"(?<=\s)(?=[A-Z][A-Z.'’\- ]{{2,40}},\s?(?:[A-Z][A-Za-z.]{{1,14}},?\s?){{0,3}}"
    rf"(?:(?i:{_MONTH_NAMES})\.?\s?\d{{1,2}},?\s?\d{{4}})?\s*"
    rf"(?:/+\s*|/[A-Za-z ]+/\s*|\([A-Z ]+\)\s*)?(?:-{{2,}}|[–—]{{1,2}}))",
)


def _split_flattened(text: str, title: str | None) -> list[str]:
    m = _TEXT_END.search(text)
    if m:
        text = text[: m.start()]
    text = _STAR_RULE.sub("\n\n", text)
    text = _INLINE_HEADING.sub("\n\n", text)
    segments: list[str] = []
    for segment in text.split("\n\n"):
        segment = segment.strip()
        while True:  # "*First bullet* *Second bullet* Body…"
            m = _LEADING_BULLET.match(segment)
            if not m or len(m.group(1)) < 15:
                break
            segments.append(m.group(1))
            segment = segment[m.end() :]
        if segment:
            segments.extend(_split_bold(segment))
    out: list[str] = []
    for segment in segments:
        for piece in _INLINE_BULLET.split(segment):
            out.extend(p.strip() for p in _TEXT_DATELINE.split(piece) if p.strip())
    if out and title:
        out = _drop_title_line(out, title)
    return out


def _split_bold(segment: str) -> list[str]:
    """"…diabetes. **About Lilly** Lilly unites…" → a paragraph break around a bold heading.

    Each ``**``-delimited piece is judged on its own (scrapers leave unbalanced ``**``): a short
    piece after the end of a sentence and before a capital is a heading; anything else is
    inline emphasis and stays in its sentence."""
    if "**" not in segment:
        return [segment]
    pieces = segment.split("**")
    out: list[str] = []
    current = pieces[0]
    for i in range(1, len(pieces)):
        piece = pieces[i]
        stripped = piece.strip()
        after = pieces[i + 1].lstrip() if i + 1 < len(pieces) else ""
        before = current.rstrip()
        glued = piece[-1:].strip() and i + 1 < len(pieces) and pieces[i + 1][:1].strip()
        heading = (
            stripped
            and not glued  # "patients in**OlympiAD**were": text running into the next marker is inline
            and len(stripped) <= rules.MAX_HEADING_CHARS
            and (stripped[0].isupper() or stripped[0].isdigit() or stripped[0] in "“\"(")
            and (not before or before[-1] in ".!?:;”\"|)")
            and (not after or after[0].isupper() or after[0] in ":“\"|(" or after[0].isdigit())
        )
        if heading:
            if before:
                out.append(before)
            if after.startswith(":"):
                stripped += ":"
                pieces[i + 1] = after[1:]
            out.append(stripped)
            current = ""
        else:
            if current[-1:].isalnum() and piece[:1].isalnum():
                current += " "  # "the**first-line setting**for": the scraper lost the space beside a bold tag
            current += piece
    if current.strip():
        out.append(current)
    return [p.strip() for p in out if p.strip(" |")]


def _drop_title_line(paragraphs: list[str], title: str) -> list[str]:
    """The record's title repeated (with its date) at the head of the text."""
    want = _loose(_PARENTHETICAL.sub("", title))
    if len(want) < 10:
        return paragraphs
    for i, p in enumerate(paragraphs[:3]):
        cut = _loose_prefix_end(p, want)
        if cut is None:
            continue
        rest = p[cut:].strip()
        m = _DATE_TIME.match(rest)
        if m:
            rest = rest[m.end() :].strip()
        return paragraphs[:i] + ([rest] if rest else []) + paragraphs[i + 1 :]
    return paragraphs


_PARENTHETICAL = re.compile(r"\([^()]*\)")


def _loose(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _loose_prefix_end(text: str, want: str) -> int | None:
    """Offset in ``text`` just past a prefix whose letters and digits are ``want``."""
    k = 0
    for pos, ch in enumerate(text):
        if not ch.isalnum():
            continue
        if ch.lower() != want[k]:
            return None
        k += 1
        if k == len(want):
            return pos + 1
    return None


# ═══ Sections ═════════════════════════════════════════════════════════════════════════════

_ABOUT = re.compile(r"^About\s+(?:the\s+(?=(?:Company|Companies|Corporation|Group)\b))?([A-Z0-9][\w&.,'’+\-/]*)")
#: "About bamlanivimab": a heading line of one lower-case word after "About" (an INN), nothing after it; not a
#: quantity ("About double", "About one-fifth": ABOUT_STOPWORDS, and no hyphen).
_ABOUT_LOWER_HEADING = re.compile(r"^About\s+(?P<word>[a-z]{6,})\s*$")
#: "About the <Title Case words>" alone on its line ("About the SURPASS Clinical Trial Program").
_ABOUT_THE_HEADING = re.compile(
    r"^About\s+the\s+[A-Z0-9][\w&'’+\-/]*(?:\s+(?:[A-Z0-9][\w&'’+\-/®™]*|and|of|for|in|on|the|with|&))*"
    r"(?:\s+(?:strategic|global|research|clinical|development|license|licensing|collaboration|alliance|partnership|agreement|"
    r"program|programme|trials?|study|studies|and|of|the|[A-Z0-9][\w&'’+\-/®™]*)){0,4}"
    # or any lower-case words that end in such a noun: "About the AstraZeneca and Merck strategic oncology collaboration"
    r"(?:(?:\s+[a-z][\w\-]*){0,4}\s+(?:collaboration|alliance|partnership|agreement|program|programme|trials?|study|studies))?\s*:?$"
)
_FLS_OPENING = re.compile(
    r"^(?:this|the)\s+(?:press|news)\s+(?:release|announcement)\b[^.]{0,80}?"
    r"\b(?:contains?|includes?|may\s+contain)\b[^.]{0,60}?forward[- ]looking"
    r"|^(?:certain\s+)?statements\s+(?:in|contained\s+in|made\s+in|included\s+in)\s+this\s+(?:press|news)\s+release",
    re.I,
)
_FLS_SENTENCE = re.compile(
    r"forward[- ]looking\s+statements[”\"]?\s+(?:within\s+the\s+meaning|as\s+(?:that\s+term\s+is\s+)?defined)"
    r"|\b(?:this|the)\s+(?:press|news)\s+release\s+(?:also\s+)?(?:contains|includes)\s+[“\"]?forward[- ]looking"
    r"|\bcautionary\s+(?:statement|note)\s+regarding\s+forward[- ]looking",
    re.I,
)
#: A scrape that dropped a disclaimer's opening ("This news release of … includes") glues its rest to the news
#: sentence before it: "… today announced a positive opinion … in adults whose tumors express PD-L1 includes
#: “forward-looking statements” within the meaning …". The disclaimer starts at its verb, not at the news.
_FLS_GLUED_TO = re.compile(r"\s(?:includes|contains)\s+[“\"]?(?=forward[- ]looking)", re.I)
_NEWS_SENTENCE = re.compile(r"\b(?:today\s+announced|announced\s+today|announces|announced\s+that)\b", re.I)
_CONTACT_HEADINGS = sorted(rules.CONTACT_HEADINGS, key=len, reverse=True)
_CONTACT = re.compile(
    r"^(?:" + "|".join(re.escape(h) for h in _CONTACT_HEADINGS) + r")(?:\s*:|\s*$|\s*\n)", re.I
)
_CONTACT_PREFIX = re.compile("^(?:" + "|".join(re.escape(p) for p in rules.CONTACT_PREFIXES) + ")", re.I)


def _ends_a_sentence(line: str) -> bool:
    """A line ending as prose does; "Authorized Use of LAGEVRIO in the U.S." ends in an abbreviation, not a sentence."""
    return line.endswith((".", ",", ";")) and not line.endswith(("U.S.", "Inc.", "Ltd.", "Co."))


def _section_of(paragraph: str) -> str | None:
    first = paragraph.split("\n", 1)[0].strip()
    low = first.lower()
    if low.startswith(rules.FORWARD_LOOKING_HEADINGS) or _FLS_OPENING.match(first):
        return "forward_looking"
    if len(first) <= rules.MAX_HEADING_CHARS * 2 and (_CONTACT.match(first) or _CONTACT_PREFIX.match(first)):
        return "contacts"
    if len(first) <= rules.MAX_HEADING_CHARS and not _ends_a_sentence(first):
        if low.startswith(rules.SAFETY_HEADINGS):
            return "safety"
        if rules.INDICATION_HEADINGS.match(first):
            return "indications"
        if low.rstrip(":").strip() in rules.REFERENCE_HEADINGS:
            return "references"
    lower = _ABOUT_LOWER_HEADING.match(first)
    if lower and lower.group("word") not in rules.ABOUT_STOPWORDS:
        return "about"  # "About bamlanivimab": a heading line that names a drug by its lower-case INN
    m = _ABOUT.match(first)
    if m and m.group(1).lower() not in rules.ABOUT_STOPWORDS:
        if len(first) <= rules.MAX_HEADING_CHARS and not first.endswith((".", ",", ";")):
            return "about"
        name = m.group(1).rstrip(".,")
        if len(name) > 1 and name in first[m.end() : m.end() + 120]:
            return "about"  # "About Acme Acme is a clinical-stage company…" (heading run in)
    if len(first) <= rules.MAX_HEADING_CHARS and _ABOUT_THE_HEADING.match(first):
        return "about"  # "About the Eisai and Merck Strategic Collaboration": a Title Case heading line
    return None


def _after_safety(paragraph: str) -> bool:
    """A heading line after a safety section's closing line, which is not one of a label's own sub-headings:
    the release goes on ("About the Merck and Eisai strategic collaboration", a partnership's name)."""
    first = paragraph.split("\n", 1)[0].strip()
    return (
        len(first) <= rules.MAX_HEADING_CHARS and not first.endswith((".", ",", ";", ":")) and first[:1].isupper()
        and first.lower() not in rules.SAFETY_SUBHEADINGS and not rules.SAFETY_POINTERS.match(first)
    )


def _sections(text: str, paragraphs: list[str], spans: tuple[tuple[int, int], ...]) -> tuple[Section, ...]:
    starts: list[tuple[int, str]] = []
    closed = False  # the safety section's closing line ("call 1-800-FDA-1088") has been read
    for i, p in enumerate(paragraphs):
        if i == 0:
            continue
        name = _section_of(p)
        if name:
            starts.append((spans[i][0], name))
        elif closed and starts and starts[-1][1] == "safety" and _after_safety(p):
            starts.append((spans[i][0], "body"))  # "Boehringer Ingelheim and Eli Lilly and Company" after the label's text
        if starts and starts[-1][1] == "safety":
            closed = bool(rules.SAFETY_CLOSING.search(p)) or (closed and bool(rules.SAFETY_POINTERS.match(p.strip())))
    body_start = spans[1][0] if len(spans) > 1 else len(text)
    for name, pattern in rules.INLINE_SECTION_HEADINGS:
        for m in pattern.finditer(text, body_start):
            if rules.INLINE_HEADING_BEFORE.search(text[max(0, m.start() - 4) : m.start()]):
                starts.append((m.start(), name))
    for name, pattern in rules.INLINE_SECTION_HEADINGS_ANYWHERE:
        starts += [(m.start(), name) for m in pattern.finditer(text, body_start) if (m.start(), name) not in starts]
    starts.sort()
    if not any(name == "forward_looking" for _, name in starts):
        first_start = spans[1][0] if len(spans) > 1 else len(text)
        m = _FLS_SENTENCE.search(text, first_start)
        if m:
            sentence = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start()))
            start = sentence + (2 if text.startswith(". ", sentence) else 1) if sentence >= 0 else 0
            glued = _FLS_GLUED_TO.search(text, start, m.start() + len("forward-looking"))
            if glued and _NEWS_SENTENCE.search(text, start, glued.start()):
                start = glued.start() + 1  # the news sentence the scrape glued the disclaimer to stays in the body
            starts.append((start, "forward_looking"))
            starts.sort()
    sections: list[Section] = []
    for k, (start, name) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        end = len(text[:end].rstrip())
        if end <= start:
            continue
        if sections and sections[-1].name == name and not text[sections[-1].end : start].strip():
            sections[-1] = Section(name, sections[-1].start, end)
        else:
            sections.append(Section(name, start, end))
    return tuple(sections)
