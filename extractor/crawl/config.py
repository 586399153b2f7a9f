"""The sources.toml: :class:`Source` and :class:`CrawlConfig`, read and validated by
:func:`load_config` (every problem a one-line :class:`~extractor.errors.ConfigError` naming the file
and key), the ``[settings]`` that become :class:`~extractor.fetch.FetchSettings` (also on their own,
for ``fetch`` and ``discover``: :func:`load_settings`), durations and ``since`` dates."""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.etree

from ..errors import ConfigError
from ..fetch import FetchSettings
from .dates import utcnow
from .listings import selector_xpath

KINDS = ("rss", "q4", "notified", "html", "sitemap")

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}

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
            selector_xpath(selector)
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
