"""The HTTP client: politeness, robots.txt, conditional GET, retries, limits, address guard.

The only module that imports httpx. :meth:`Fetcher.fetch` never raises for a network result:
every outcome (a page, a 304, a timeout, a refused address, a PDF, a bot challenge …) comes back
as a :class:`FetchResult` whose ``error`` names the kind of failure. Callers that want an
exception call :meth:`FetchResult.raise_for_error`.

Limits, in the order a request meets them:

1. *address guard* — only http(s); the host is resolved and every address checked (loopback,
   private, link-local, multicast, reserved, unspecified, cloud metadata), including odd IPv4
   spellings such as ``127.1``, ``2130706433`` or ``0x7f.1``. Re-checked on every redirect hop
   (redirects are followed here, never by httpx). The addresses the guard approved are pinned:
   the client's network backend connects to them and never resolves the name again, so a DNS
   answer that changes in between (rebinding) cannot reach an internal address. A connection
   opened without a pin (the client used directly) is resolved once and checked the same way.
2. *robots.txt* (protego), cached per origin; ``Crawl-delay`` widens the per-host interval.
3. *politeness* — one request at a time per host, at least ``min_interval`` apart.
4. *the request* — per-socket timeouts plus a total deadline from connect to the last byte
   (every socket connect, read and write is bounded by the time left, so dribbled headers
   cannot outlive it either); the body
   is read raw and decompressed here with a bounded output, so neither a huge chunked body nor a
   gzip bomb can exceed ``max_raw_bytes`` / ``max_decoded_bytes`` in memory.
5. *the response* — content-type allowlist, 403 / bot challenge → ``blocked``, soft 404,
   charset from BOM / header / meta / detection.
6. *retries* — timeouts, resets, truncated bodies, 408/429/5xx, with exponential backoff;
   ``Retry-After`` (seconds or HTTP date) is honoured up to ``max_retry_after``.
"""

from __future__ import annotations

import codecs
import email.utils
import hashlib
import ipaddress
import logging
import random
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpcore
import httpx
from protego import Protego

from .errors import BlockedError, FetchError

log = logging.getLogger(__name__)

__all__ = [
    "FetchSettings",
    "FetchResult",
    "Fetcher",
    "challenge_reason",
    "check_address",
    "decode_body",
    "soft_404_reason",
    "parse_retry_after",
]

#: Media types we accept. Anything else (PDF, images, zip …) is an ``content_type`` error.
ALLOWED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/xml",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/json",
    "text/json",
    "application/feed+json",
    "text/plain",  # some feeds and robots.txt are served as text/plain
)

#: Statuses worth another try (after backoff or Retry-After).
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

#: Error kinds a FetchResult may carry.
ERROR_KINDS = (
    "address",  # the address guard refused the URL (or the scheme is not http/https)
    "robots",  # robots.txt disallows it
    "timeout",  # connect/read timeout or the total deadline passed
    "network",  # connection refused/reset, truncated body, protocol error
    "http",  # a 4xx/5xx status that is not a block
    "blocked",  # 403 or a bot-challenge page
    "too_large",  # raw or decoded body over the cap
    "content_type",  # not HTML, XML or JSON (e.g. a PDF)
    "encoding",  # an unsupported Content-Encoding
    "redirect",  # too many hops, a loop, or a redirect without Location
    "soft_404",  # a 200 page that says "page not found"
)
#: Kinds that will not change on the next try (callers need not come back soon).
PERMANENT_ERRORS = frozenset({"address", "robots", "too_large", "content_type", "encoding", "redirect", "soft_404"})

_METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
}

#: Titles of bot-challenge pages (matched at the start of <title>, so a release about a
#: "security check" product is not mistaken for one), and "captcha" anywhere in the title.
_CHALLENGE_TITLES = re.compile(
    r"^\W*(?:just a moment|attention required|access denied|are you a robot|are you human|"
    r"pardon our interruption|verify(?:ing)? you are (?:a )?human|security check|ddos protection|one more step)"
    r"|captcha",
    re.I,
)
#: Markers of challenge scripts (Cloudflare, Imperva, PerimeterX, DataDome). A plain reCAPTCHA
#: is not one: newsrooms put it on their e-mail alert forms.
_CHALLENGE_MARKERS = re.compile(
    r"cf-challenge|cf_chl_|challenge-platform|/cdn-cgi/challenge|_incapsula_resource|px-captcha|"
    r"geo\.captcha-delivery\.com",
    re.I,
)
#: Error-page headings. A bare "404" only counts at the start: drug codes end in numbers ("ARC-404").
_SOFT_404 = re.compile(
    r"^\W*(?:error\s*)?404(?![\w-])|(?:error|http)\s*404(?![\w-])|404\s*(?:-|:|\|)?\s*(?:error|page not found|not found)"
    r"|page not found|page (?:you requested |you are looking for )?(?:cannot|can't|could not|couldn't) be found"
    r"|^\W*not found\W*$|(?:this|the) page (?:is )?no longer (?:available|exists)|page (?:does not|doesn't) exist"
    r"|(?:couldn't|could not|can't|cannot) find (?:that|the|this) page",
    re.I,
)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1\s*>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)["']""")


# -- settings and results -----------------------------------------------------------------
@dataclass(frozen=True)
class FetchSettings:
    """Every knob of the fetcher, with its default and the reason for it."""

    contact: str = ""  # an e-mail or URL put in the User-Agent, so a site owner can reach us
    user_agent: str | None = None  # full override; default "extractor/<version> (+contact)"
    min_interval: float = 3.0  # seconds between two requests to one host
    max_crawl_delay: float = 60.0  # a robots.txt Crawl-delay above this is clamped
    allow_private_addresses: bool = False  # tests set it to talk to 127.0.0.1
    allowed_networks: tuple[str, ...] = ()  # CIDRs exempt from the guard (e.g. an intranet mirror)
    obey_robots: bool = True
    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # per socket read
    deadline: float = 60.0  # total seconds for one request (headers + body), per attempt
    max_raw_bytes: int = 10_000_000  # bytes on the wire
    max_decoded_bytes: int = 20_000_000  # bytes after gzip/deflate
    max_redirects: int = 5
    retries: int = 2  # extra attempts after the first
    backoff: float = 1.0  # first backoff in seconds, doubled each retry (plus jitter)
    max_retry_after: float = 120.0  # a longer Retry-After is not waited for: the result says so
    detect_soft_404: bool = True

    def agent(self) -> str:
        if self.user_agent:
            return self.user_agent
        try:
            version = metadata.version("extractor")
        except metadata.PackageNotFoundError:  # pragma: no cover - editable installs have it
            version = "0"
        contact = f" (+{self.contact})" if self.contact else ""
        return f"extractor/{version}{contact}"


@dataclass
class FetchResult:
    """What one :meth:`Fetcher.fetch` call got. ``error`` is None for a usable page or a 304."""

    url: str
    final_url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    text: str | None = None
    content_type: str | None = None  # media type only, lower case ("text/html")
    charset: str | None = None
    not_modified: bool = False
    error: str | None = None  # one of ERROR_KINDS
    message: str = ""
    retry_after: float | None = None  # seconds the server asked us to wait (when it asked)
    body_hash: str | None = None  # sha256 of the decoded bytes
    attempts: int = 0
    redirects: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def permanent(self) -> bool:
        """True when trying the same URL again soon would give the same failure."""
        return self.error in PERMANENT_ERRORS or (self.error == "http" and self.status in (404, 410))

    def describe(self) -> str:
        status = f" (HTTP {self.status})" if self.status else ""
        return f"{self.error}{status}: {self.message}" if self.error else f"HTTP {self.status}"

    def raise_for_error(self) -> None:
        if self.error == "blocked":
            raise BlockedError(self.url, self.describe())
        if self.error:
            raise FetchError(self.url, self.describe())


class _Failed(Exception):
    """Internal: one attempt ended in an error result."""

    def __init__(self, kind: str, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status
        self.retry_after = retry_after


# -- address guard ------------------------------------------------------------------------
def _parse_ipv4_loose(host: str) -> ipaddress.IPv4Address | None:
    """inet_aton-style parsing: ``127.1``, ``2130706433``, ``0x7f.1``, ``0177.0.0.1``."""
    if not re.fullmatch(r"[0-9a-fA-FxX.]+", host):
        return None
    parts = host[:-1].split(".") if host.endswith(".") else host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values: list[int] = []
    for part in parts:
        try:
            if part.lower().startswith("0x"):
                values.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part.startswith("0"):
                values.append(int(part, 8))
            else:
                values.append(int(part, 10))
        except ValueError:
            return None
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (5 - len(values)):
        return None
    number = 0
    for v in head:
        number = number * 256 + v
    number = number * 256 ** (5 - len(values)) + last
    return ipaddress.IPv4Address(number)


def _is_forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return _is_forbidden(mapped)
    if address in _METADATA_ADDRESSES:
        return "cloud metadata"
    for name in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(address, f"is_{name}"):
            return name.replace("_", "-")
    if not address.is_global:
        return "not global"
    return None


Resolver = Callable[[str, int], Iterable[str]]


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]).split("%", 1)[0] for info in infos]


_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def check_address(
    url: str,
    *,
    allow_private: bool = False,
    allowed_networks: Iterable[str] = (),
    resolver: Resolver = _system_resolver,
) -> str | None:
    """Why ``url`` must not be fetched, or None when it may. Resolves the host."""
    return _check_url(url, allow_private=allow_private, allowed_networks=allowed_networks, resolver=resolver)[0]


def _check_url(
    url: str, *, allow_private: bool, allowed_networks: Iterable[str], resolver: Resolver
) -> tuple[str | None, list[_Address]]:
    """(why ``url`` must not be fetched or None, the addresses approved). No addresses when
    ``allow_private`` is set: nothing is resolved then."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme or '(none)'!r} is not http or https", []
    host = parts.hostname
    if not host:
        return "no host", []
    if parts.username or parts.password:
        return "credentials in the URL", []
    if allow_private:
        return None, []
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return "bad port", []
    return _check_host(host, port, allowed_networks=allowed_networks, resolver=resolver)


def _check_host(
    host: str, port: int, *, allowed_networks: Iterable[str], resolver: Resolver, check: bool = True
) -> tuple[str | None, list[_Address]]:
    """Resolve ``host`` once (a literal in any spelling is not resolved) and check every address
    unless ``check`` is off. Returns (refusal or None, the addresses)."""
    networks = [ipaddress.ip_network(n, strict=False) for n in allowed_networks]
    candidates: list[_Address] = []
    literal: _Address | None
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = _parse_ipv4_loose(host)
    if literal is not None:
        candidates.append(literal)
    else:
        if check and (host.lower() in ("localhost",) or host.lower().endswith((".localhost", ".local", ".internal"))):
            return f"host {host!r} is local", []
        try:
            resolved = list(resolver(host, port))
        except (OSError, UnicodeError) as exc:
            return f"cannot resolve {host!r}: {exc}", []
        if not resolved:
            return f"cannot resolve {host!r}", []
        for text in resolved:
            try:
                candidates.append(ipaddress.ip_address(text))
            except ValueError:
                return f"{host!r} resolved to an unparseable address {text!r}", []
    for address in candidates if check else ():
        if any(address in net for net in networks):
            continue
        reason = _is_forbidden(address)
        if reason:
            return f"{host} → {address} is {reason}", []
    return None, list(dict.fromkeys(candidates))


# -- the network backend: pinned addresses, deadline on every socket operation ------------
class _Refused(httpcore.ConnectError):
    """The backend's own address check refused a connection (httpx maps it to ConnectError)."""


class _Scope(threading.local):
    """Per-thread state of the request in flight, shared by a Fetcher and its backend."""

    def __init__(self) -> None:
        self.pins: dict[tuple[str, int], list[_Address]] = {}  # (host as httpx sends it, port)
        self.deadline_at: float | None = None  # time.monotonic() when the attempt must end
        self.deadline = 0.0  # its length in seconds, for messages

    def left(self, timeout: float | None, kind: type[Exception]) -> float | None:
        """``timeout`` shortened to the time left before the deadline; ``kind`` once it passed."""
        if self.deadline_at is None:
            return timeout
        left = self.deadline_at - time.monotonic()
        if left <= 0:
            raise kind(f"deadline of {self.deadline:g}s passed")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every operation ends by the current request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, scope: _Scope) -> None:
        self._inner = inner
        self._scope = scope

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._scope.left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._scope.left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        # server_hostname is the URL's host (httpcore passes it), so SNI and certificate
        # verification use the name even though the socket was opened to a pinned address
        inner = self._inner.start_tls(ssl_context, server_hostname, self._scope.left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._scope)

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """httpcore's sync backend, connecting only to addresses the guard approved."""

    def __init__(self, settings: FetchSettings, scope: _Scope, resolver: Resolver) -> None:
        self._settings = settings
        self._scope = scope
        self._resolver = resolver
        self._sync = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[tuple[object, ...]] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._scope.pins.get((host.lower(), port))
        if addresses is None:  # not fetched through the Fetcher: resolve once and check here
            check = not self._settings.allow_private_addresses
            reason, addresses = _check_host(host, port, allowed_networks=self._settings.allowed_networks,
                                            resolver=self._resolver, check=check)
            if reason:  # unchecked, only a failed lookup: a network error, as before
                raise _Refused(reason) if check else httpcore.ConnectError(reason)
        error: Exception = _Refused(f"no address for {host!r}")
        for address in addresses:  # in order, as socket.create_connection tries them
            left = self._scope.left(timeout, httpcore.ConnectTimeout)
            try:
                stream = self._sync.connect_tcp(str(address), port, left, local_address, socket_options)  # type: ignore[arg-type]
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
            else:
                return _DeadlineStream(stream, self._scope)
        raise error

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[tuple[object, ...]] | None = None) -> httpcore.NetworkStream:
        raise _Refused("unix sockets are not used")  # pragma: no cover - the pool has no uds

    def sleep(self, seconds: float) -> None:
        self._sync.sleep(seconds)  # pragma: no cover - only for httpcore's own retries (none)


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's transport (request/response conversion, exception mapping) over a connection
    pool that uses :class:`_PinnedBackend`. httpx has no public parameter for the backend, so
    the pool is replaced; the check makes an httpx that renamed it fail loudly, not silently."""

    def __init__(self, backend: _PinnedBackend, limits: httpx.Limits) -> None:
        super().__init__(trust_env=False, limits=limits)
        if not isinstance(getattr(self, "_pool", None), httpcore.ConnectionPool):  # pragma: no cover
            raise RuntimeError("httpx.HTTPTransport no longer keeps its pool in _pool: update extractor.fetch")
        self._pool.close()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )


# -- small parsers ------------------------------------------------------------------------
def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def _media_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return media.strip().lower() or None, charset


def _allowed_type(media: str | None) -> bool:
    if media is None:
        return True  # sniffed by the caller's parser; binary junk fails there
    return media in ALLOWED_TYPES or media.endswith("+xml") or media.endswith("+json")


_LATIN = {"iso-8859-1", "latin-1", "latin1", "l1", "iso8859-1", "us-ascii", "ascii", "windows-1252", "cp1252"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Text and the charset used: BOM, then header, then ``<meta>``/XML prolog, then detection.

    A declared Latin-1/ASCII/cp1252 that is really valid UTF-8 (a common server mistake) is read
    as UTF-8; a declaration that does not decode is overruled by charset-normalizer.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, errors="replace"), name
    media, header_charset = _media_type(content_type)
    declared = header_charset
    if declared is None:
        head = body[:4096]
        match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
        if match:
            declared = match.group(1).decode("ascii", "replace")
    if declared is None and media in ("application/json", "text/json", "application/feed+json"):
        declared = "utf-8"
    name = _codec(declared)
    if name is not None and ((declared or "").lower() in _LATIN or name in ("latin_1", "ascii", "cp1252")):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return text, "utf-8"  # pure ASCII or real UTF-8 mislabelled
        name = "cp1252"
    if name is not None:
        try:
            return body.decode(name), name
        except UnicodeDecodeError:
            pass
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    if len(body) < 256:  # too little to detect from
        return body.decode("cp1252", errors="replace"), "cp1252"
    wide_ok = body.count(b"\x00") > len(body) // 8  # UTF-16/32 without a BOM is full of NULs
    for match in from_bytes(body[:200_000]):
        if match.encoding.startswith(("utf_16", "utf_32")) and not wide_ok:
            continue
        try:
            return body.decode(match.encoding), match.encoding
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return body.decode("cp1252"), "cp1252"  # the usual culprit on old press-release pages
    except UnicodeDecodeError:
        return body.decode("latin-1"), "latin-1"


def _plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", _TAGS.sub(" ", fragment)).strip()


def challenge_reason(text: str, headers: dict[str, str]) -> str | None:
    """Why this response looks like a bot-challenge page, or None."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "cf-mitigated: challenge"
    title_match = _TITLE.search(text[:20000])
    title = _plain(title_match.group(1)) if title_match else ""
    if title and _CHALLENGE_TITLES.search(title) and len(text) < 200_000:  # noqa: SIM102
        return f"challenge page ({title[:60]!r})"
    marker = _CHALLENGE_MARKERS.search(text[:200_000])
    if marker and len(_plain(text)) < 5000:
        return f"challenge page ({marker.group(0)})"
    return None


def soft_404_reason(text: str) -> str | None:
    """Why this 200 HTML page looks like an error page, or None."""
    for pattern in (_TITLE, _H1):
        match = pattern.search(text[:100_000])
        if match:
            heading = _plain(match.group(1))
            if heading and _SOFT_404.search(heading):
                return f"soft 404 ({heading[:60]!r})"
    return None


class _BoundedDecoder:
    """gzip/deflate decoding whose output can never exceed ``limit`` bytes in total."""

    def __init__(self, encoding: str, limit: int) -> None:
        encoding = encoding.strip().lower()
        self.limit = limit
        self.total = 0
        self._raw_deflate_retry = False
        if encoding in ("", "identity"):
            self._z = None
        elif encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj()
            self._raw_deflate_retry = True
        else:
            raise _Failed("encoding", f"unsupported Content-Encoding {encoding!r}")

    def feed(self, data: bytes) -> bytes:
        if self._z is None:
            self._count(len(data))
            return data
        out: list[bytes] = []
        buf = data
        while buf:
            try:
                chunk = self._z.decompress(buf, self.limit - self.total + 1)
            except zlib.error as exc:
                if self._raw_deflate_retry and self.total == 0:  # "deflate" sent without zlib header
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._raw_deflate_retry = False
                    continue
                raise _Failed("network", f"corrupt compressed body: {exc}") from exc
            self._raw_deflate_retry = False
            self._count(len(chunk))
            out.append(chunk)
            buf = self._z.unconsumed_tail
            if not chunk and buf:  # pragma: no cover - defensive: no progress
                break
        return b"".join(out)

    def flush(self) -> bytes:
        if self._z is None:
            return b""
        chunk = self._z.flush()
        self._count(len(chunk))
        return chunk

    def _count(self, n: int) -> None:
        self.total += n
        if self.total > self.limit:
            raise _Failed("too_large", f"decoded body over {self.limit} bytes")


# -- the fetcher --------------------------------------------------------------------------
class Fetcher:
    """A polite HTTP client over one shared :class:`httpx.Client`.

    ``client`` is the transport seam: tests may pass a client built on ``httpx.MockTransport``
    (our own tests use a real server on 127.0.0.1 instead); such a client gets neither the
    pinned addresses nor the socket-level deadline. ``sleep``, ``clock`` and ``resolver`` are
    seams too (the deadline on sockets runs on :func:`time.monotonic`, not ``clock``).
    """

    def __init__(
        self,
        settings: FetchSettings,
        client: httpx.Client | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        resolver: Resolver = _system_resolver,
    ) -> None:
        self.settings = settings
        self._own_client = client is None
        self._scope = _Scope()
        limits = httpx.Limits(max_connections=10, max_keepalive_connections=5)
        self.client = client or httpx.Client(
            transport=_PinnedTransport(_PinnedBackend(settings, self._scope, resolver), limits),
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=min(settings.read_timeout, settings.deadline),
                write=settings.read_timeout,
                pool=settings.connect_timeout,
            ),
            follow_redirects=False,
            trust_env=False,  # never route through a proxy from the environment unexpectedly
        )
        self.sleep = sleep
        self.clock = clock
        self.resolver = resolver
        self.requests = 0  # requests sent (including robots.txt), for reports and tests
        self._robots: dict[str, Protego | bool] = {}
        self.robots_texts: dict[str, tuple[str, float]] = {}  # origin → (robots.txt, fetched at, epoch)
        self._robots_errors: dict[str, tuple[str, str, int | None]] = {}
        self._last: dict[str, float] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    # -- public -------------------------------------------------------------------------
    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> FetchResult:
        """GET ``url`` (conditionally when ``etag``/``last_modified`` are given)."""
        started = self.clock()
        result = FetchResult(url=url, final_url=url)
        self._scope.pins.clear()  # every hop is guarded (and pinned) again below
        current = url
        seen = {url}
        for _hop in range(self.settings.max_redirects + 1):
            result.final_url = current
            refusal = self._guard(current)
            if refusal:
                return self._finish(result, started, "address", refusal)
            if self.settings.obey_robots and not self.allowed_by_robots(current):
                trouble = self._robots_errors.get(_origin(current))
                if trouble is not None:  # robots.txt unreachable: the site's problem, not a ban
                    kind, message, status = trouble
                    return self._finish(result, started, kind, f"robots.txt: {message}", status=status)
                return self._finish(result, started, "robots", "disallowed by robots.txt")
            headers = {"Accept": accept or "text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.8,*/*;q=0.5"}
            if current == url:  # validators belong to the URL they were stored for
                if etag:
                    headers["If-None-Match"] = etag
                if last_modified:
                    headers["If-Modified-Since"] = last_modified
            response = self._with_retries(current, headers, result)
            if response is None:
                result.elapsed = self.clock() - started
                return result
            status, resp_headers, body = response
            if status in REDIRECT_STATUSES:
                location = resp_headers.get("location")
                if not location:
                    return self._finish(result, started, "redirect", f"HTTP {status} without Location", status=status)
                target = _absolute(current, location)
                if target in seen:
                    return self._finish(result, started, "redirect", f"redirect loop at {target}", status=status)
                seen.add(target)
                result.redirects.append(target)
                current = target
                continue
            result.status = status
            result.headers = resp_headers
            result.final_url = current
            if status == 304:
                result.not_modified = True
                result.elapsed = self.clock() - started
                return result
            return self._interpret(result, body, started)
        return self._finish(result, started, "redirect", f"more than {self.settings.max_redirects} redirects")

    def seed_robots(self, texts: dict[str, tuple[str, float]], max_age: float = 86400.0) -> None:
        """Reuse robots.txt files fetched earlier (RFC 9309 allows caching them for 24 hours)."""
        now = time.time()
        for origin, (text, fetched) in texts.items():
            if now - fetched <= max_age and origin not in self._robots:
                self._robots[origin] = Protego.parse(text) if text else True
                self.robots_texts[origin] = (text, fetched)

    def allowed_by_robots(self, url: str) -> bool:
        parser = self._robots_for(url)
        if isinstance(parser, bool):
            return parser
        return bool(parser.can_fetch(url, self.settings.agent()))

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- steps --------------------------------------------------------------------------
    def _guard(self, url: str) -> str | None:
        """Check ``url``; pin the approved addresses for this thread's next connections."""
        reason, addresses = _check_url(
            url,
            allow_private=self.settings.allow_private_addresses,
            allowed_networks=self.settings.allowed_networks,
            resolver=self.resolver,
        )
        if reason is None and addresses:
            try:
                target = httpx.URL(url)
                key = (target.raw_host.decode("ascii").lower(), target.port or (443 if target.scheme == "https" else 80))
            except (httpx.InvalidURL, UnicodeError):
                pass  # httpx will refuse the URL itself; unpinned, the backend checks on connect
            else:
                self._scope.pins[key] = addresses
        return reason

    def _robots_for(self, url: str) -> Protego | bool:
        origin = _origin(url)
        cached = self._robots.get(origin)
        if cached is not None:
            return cached
        robots_url = origin + "/robots.txt"
        parser: Protego | bool
        if self._guard(robots_url):
            parser = False
        else:
            headers = {"Accept": "text/plain,*/*;q=0.5"}
            try:
                status, resp_headers, body = self._attempt(robots_url, headers, read_error_body=False)
                for _ in range(5):  # RFC 9309: follow at least five redirects
                    location = resp_headers.get("location")
                    if status not in REDIRECT_STATUSES or not location:
                        break
                    target = _absolute(robots_url, location)
                    if self._guard(target):
                        raise _Failed("address", "robots.txt redirects to a refused address")
                    status, resp_headers, body = self._attempt(target, headers, read_error_body=False)
            except _Failed as exc:
                # unreachable robots.txt: be conservative for this run (RFC 9309 §2.3.1.4)
                log.info("robots.txt %s: %s", robots_url, exc.message)
                parser = exc.status is not None and 400 <= exc.status < 500 and exc.kind != "blocked"
                if not parser:
                    self._robots_errors[origin] = (exc.kind, exc.message, exc.status)
            else:
                if 200 <= status < 300:
                    text, _ = decode_body(body)
                    parser = Protego.parse(text)
                    self.robots_texts[origin] = (text, time.time())
                else:
                    parser = 400 <= status < 500  # 4xx: no rules; 3xx/5xx: disallow for now
                    if parser:
                        self.robots_texts[origin] = ("", time.time())
        self._robots[origin] = parser
        return parser

    def host_interval(self, url: str) -> float:
        interval = self.settings.min_interval
        parser = self._robots.get(_origin(url))
        if isinstance(parser, Protego):
            delay = parser.crawl_delay(self.settings.agent())
            if delay:
                interval = max(interval, min(float(delay), self.settings.max_crawl_delay))
        return interval

    def _host_lock(self, host: str) -> threading.Lock:
        with self._locks_lock:
            return self._host_locks.setdefault(host, threading.Lock())

    def _with_retries(
        self, url: str, headers: dict[str, str], result: FetchResult
    ) -> tuple[int, dict[str, str], bytes] | None:
        settings = self.settings
        for attempt in range(settings.retries + 1):
            result.attempts += 1
            try:
                status, resp_headers, body = self._attempt(url, headers)
            except _Failed as exc:
                failure = exc
            else:
                result.error, result.message, result.retry_after = None, "", None
                return status, resp_headers, body
            retryable = failure.kind in ("timeout", "network") or (
                failure.kind == "http" and failure.status in RETRY_STATUSES
            )
            result.error, result.message = failure.kind, failure.message
            result.status, result.retry_after = failure.status, failure.retry_after
            if not retryable or attempt == settings.retries:
                return None
            if failure.retry_after is not None:
                if failure.retry_after > settings.max_retry_after:
                    result.message += f" (Retry-After {failure.retry_after:.0f}s is over the cap)"
                    return None
                delay = failure.retry_after
            else:
                delay = settings.backoff * (2**attempt) * (1 + random.random() / 4)
            log.info("%s: %s; retrying in %.1fs", url, failure.message, delay)
            self.sleep(delay)
        return None  # pragma: no cover - the loop always returns

    def _attempt(
        self, url: str, headers: dict[str, str], *, read_error_body: bool = True
    ) -> tuple[int, dict[str, str], bytes]:
        """One request. Returns (status, headers, decoded body) or raises :class:`_Failed`."""
        settings = self.settings
        host = _origin(url)
        request_headers = {
            "User-Agent": settings.agent(),
            "Accept-Encoding": "gzip, deflate",
            **headers,
        }
        with self._host_lock(host):
            wait = self._last.get(host, -1e18) + self.host_interval(url) - self.clock()
            if wait > 0:
                self.sleep(wait)
            started = self.clock()
            scope = self._scope
            deadline_at = time.monotonic() + settings.deadline  # connect to last byte, on every socket call
            scope.deadline, scope.deadline_at = settings.deadline, deadline_at
            try:
                self.requests += 1
                with self.client.stream("GET", url, headers=request_headers) as response:
                    return self._read(response, started, read_error_body)
            except httpx.TimeoutException as exc:
                if time.monotonic() >= deadline_at:
                    raise _Failed("timeout", f"deadline of {settings.deadline:g}s passed ({type(exc).__name__})") from exc
                raise _Failed("timeout", f"{type(exc).__name__}: {exc or 'timed out'}") from exc
            except httpx.UnsupportedProtocol as exc:
                raise _Failed("address", str(exc)) from exc
            except (httpx.TransportError, httpx.StreamError) as exc:
                if isinstance(exc.__cause__, _Refused):
                    raise _Failed("address", str(exc.__cause__)) from exc
                raise _Failed("network", f"{type(exc).__name__}: {exc}") from exc
            except httpx.InvalidURL as exc:
                raise _Failed("address", f"invalid URL: {exc}") from exc
            finally:
                scope.deadline_at = None
                self._last[host] = self.clock()

    def _read(self, response: httpx.Response, started: float, read_error_body: bool) -> tuple[int, dict[str, str], bytes]:
        settings = self.settings
        status = response.status_code
        headers = {k.lower(): v for k, v in response.headers.items()}
        if status in REDIRECT_STATUSES or status == 304:
            return status, headers, b""
        media, _ = _media_type(headers.get("content-type"))
        if status >= 400:
            body = self._body(response, headers, started, limit=65536, strict=False) if read_error_body else b""
            text = body.decode("utf-8", "replace")
            reason = challenge_reason(text, headers) if media in (None, "text/html", "application/xhtml+xml") else None
            if status == 403 or reason:
                raise _Failed("blocked", reason or "HTTP 403 Forbidden", status=status,
                              retry_after=parse_retry_after(headers.get("retry-after")))
            raise _Failed(
                "http",
                f"HTTP {status} {response.reason_phrase}".strip(),
                status=status,
                retry_after=parse_retry_after(headers.get("retry-after")) if status in (429, 503) else None,
            )
        if not _allowed_type(media):
            raise _Failed("content_type", f"content type {media!r} is not HTML, XML or JSON", status=status)
        length = headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_raw_bytes:
            raise _Failed("too_large", f"Content-Length {length} over {settings.max_raw_bytes} bytes", status=status)
        return status, headers, self._body(response, headers, started, limit=settings.max_decoded_bytes, strict=True)

    def _body(
        self, response: httpx.Response, headers: dict[str, str], started: float, *, limit: int, strict: bool
    ) -> bytes:
        """Stream the body: raw cap, bounded decompression, deadline between chunks."""
        settings = self.settings
        decoder = _BoundedDecoder(headers.get("content-encoding", ""), limit)
        parts: list[bytes] = []
        raw = 0
        try:
            for chunk in response.iter_raw():
                raw += len(chunk)
                if raw > settings.max_raw_bytes:
                    raise _Failed("too_large", f"body over {settings.max_raw_bytes} bytes on the wire", status=response.status_code)
                parts.append(decoder.feed(chunk))
                if self.clock() - started > settings.deadline:
                    raise _Failed("timeout", f"deadline of {settings.deadline:g}s passed while reading the body", status=response.status_code)
            parts.append(decoder.flush())
        except _Failed as exc:
            if strict or exc.kind == "timeout":
                raise
            # an error page too large to inspect: keep what we have
        return b"".join(parts)

    def _interpret(self, result: FetchResult, body: bytes, started: float) -> FetchResult:
        media, _ = _media_type(result.headers.get("content-type"))
        result.content_type = media
        if media is None and body[:5] == b"%PDF-":
            return self._finish(result, started, "content_type", "body is a PDF", status=result.status)
        text, charset = decode_body(body, result.headers.get("content-type"))
        result.text, result.charset = text, charset
        result.body_hash = hashlib.sha256(body).hexdigest()
        if media in (None, "text/html", "application/xhtml+xml"):
            reason = challenge_reason(text, result.headers)
            if reason:
                return self._finish(result, started, "blocked", reason, status=result.status)
            if self.settings.detect_soft_404:
                reason = soft_404_reason(text)
                if reason:
                    return self._finish(result, started, "soft_404", reason, status=result.status)
        result.error, result.message, result.retry_after = None, "", None
        result.elapsed = self.clock() - started
        return result

    def _finish(
        self, result: FetchResult, started: float, kind: str, message: str, *, status: int | None = None
    ) -> FetchResult:
        result.error, result.message = kind, message
        if status is not None:
            result.status = status
        result.elapsed = self.clock() - started
        return result


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), "", "", ""))


def _absolute(base: str, location: str) -> str:
    return urljoin(base, location.strip())

