"""extractor.fetch against a real HTTP server on 127.0.0.1 (tests/fixtures/sites/server.py)."""

from __future__ import annotations

import email.utils
import gzip
import importlib.util
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from extractor.errors import BlockedError, FetchError
from extractor.fetch import FetchSettings, Fetcher, check_address, decode_body, parse_retry_after

_spec = importlib.util.spec_from_file_location("sites_server", Path(__file__).parent / "fixtures" / "sites" / "server.py")
assert _spec and _spec.loader
srv = sys.modules.setdefault("sites_server", importlib.util.module_from_spec(_spec))
if not hasattr(srv, "SiteServer"):
    _spec.loader.exec_module(srv)

SITES = Path(__file__).parent / "fixtures" / "sites"


def settings(**changes: object) -> FetchSettings:
    base = dict(
        contact="tests@example.com",
        min_interval=0.0,
        allow_private_addresses=True,
        obey_robots=False,
        connect_timeout=2.0,
        read_timeout=2.0,
        deadline=3.0,
        retries=2,
        backoff=0.01,
        max_retry_after=5.0,
    )
    base.update(changes)
    return FetchSettings(**base)  # type: ignore[arg-type]


class Sleeps:
    """Records the waits the fetcher asks for instead of sleeping (keeps the suite fast)."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def server():
    with srv.SiteServer() as s:
        yield s


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def fetcher(sleeps: Sleeps | None = None, **changes: object) -> Fetcher:
    return Fetcher(settings(**changes), sleep=sleeps or Sleeps())


# -- a page, conditional GET, user agent ------------------------------------------------------
def test_fetches_a_page_with_an_honest_user_agent(server) -> None:
    server.file("/release", "q4/release-1.html")
    with fetcher() as f:
        result = f.fetch(server.url("/release"))
    assert result.ok, result.describe()
    assert result.status == 200 and result.content_type == "text/html"
    assert "LUMEN-2" in (result.text or "")
    assert result.body_hash and result.headers["etag"]
    agent = server.log[0].headers["user-agent"]
    assert agent.startswith("extractor/") and "tests@example.com" in agent


def test_conditional_get_returns_not_modified(server) -> None:
    server.file("/feed.xml", "q4/rss.xml", "application/rss+xml")
    with fetcher() as f:
        first = f.fetch(server.url("/feed.xml"))
        second = f.fetch(server.url("/feed.xml"), etag=first.headers["etag"],
                         last_modified=first.headers["last-modified"])
    assert second.ok and second.not_modified and second.status == 304 and second.text is None
    assert server.log[1].headers["if-none-match"] == first.headers["etag"]
    assert server.log[1].headers["if-modified-since"] == first.headers["last-modified"]


# -- faults -----------------------------------------------------------------------------------
def test_slow_drip_hits_the_total_deadline(server) -> None:
    server.route("/drip", srv.drip(interval=0.05, total=2000))
    started = time.monotonic()
    with fetcher(deadline=0.6, retries=0) as f:
        result = f.fetch(server.url("/drip"))
    assert result.error == "timeout" and "deadline" in result.message
    assert time.monotonic() - started < 2.5  # per-socket timeouts alone would wait ~100 s


def test_truncated_body_is_a_network_error_after_retries(server, sleeps) -> None:
    server.route("/truncated", srv.truncated)
    with fetcher(sleeps, retries=1) as f:
        result = f.fetch(server.url("/truncated"))
    assert result.error == "network"
    assert result.attempts == 2 and len(server.requests_to("/truncated")) == 2
    assert len(sleeps.calls) == 1  # one backoff between the two attempts


def test_connection_reset_is_retried_then_reported(server, sleeps) -> None:
    server.route("/reset", srv.reset)
    with fetcher(sleeps, retries=2) as f:
        result = f.fetch(server.url("/reset"))
    assert result.error == "network" and result.attempts == 3
    assert sleeps.calls[1] > sleeps.calls[0]  # exponential backoff


def test_429_with_retry_after_seconds(server, sleeps) -> None:
    ok = srv.Reply(200, b"<html><body><p>fine now</p></body></html>", {"Content-Type": "text/html"})
    server.route("/limited", srv.sequence(srv.Reply(429, b"slow down", {"Retry-After": "2"}), ok))
    with fetcher(sleeps) as f:
        result = f.fetch(server.url("/limited"))
    assert result.ok and "fine now" in (result.text or "")
    assert sleeps.calls == [2.0]


def test_429_with_retry_after_http_date(server, sleeps) -> None:
    when = email.utils.formatdate(time.time() + 3, usegmt=True)
    ok = srv.Reply(200, b"<html><body><p>fine now</p></body></html>", {"Content-Type": "text/html"})
    server.route("/limited", srv.sequence(srv.Reply(429, b"slow down", {"Retry-After": when}), ok))
    with fetcher(sleeps) as f:
        result = f.fetch(server.url("/limited"))
    assert result.ok
    assert len(sleeps.calls) == 1 and 1.0 <= sleeps.calls[0] <= 3.5


def test_retry_after_over_the_cap_is_not_waited_for(server, sleeps) -> None:
    server.route("/limited", srv.sequence(srv.Reply(429, b"", {"Retry-After": "3600"})))
    with fetcher(sleeps) as f:
        result = f.fetch(server.url("/limited"))
    assert result.error == "http" and result.status == 429 and result.retry_after == 3600
    assert sleeps.calls == [] and len(server.requests_to("/limited")) == 1


def test_503_then_200(server, sleeps) -> None:
    ok = srv.Reply(200, b"<html><body><p>back</p></body></html>", {"Content-Type": "text/html"})
    server.route("/flaky", srv.sequence(srv.Reply(503, b"busy", {"Content-Type": "text/plain"}), ok))
    with fetcher(sleeps) as f:
        result = f.fetch(server.url("/flaky"))
    assert result.ok and result.attempts == 2 and len(sleeps.calls) == 1


def test_404_is_not_retried(server, sleeps) -> None:
    with fetcher(sleeps) as f:
        result = f.fetch(server.url("/missing"))
    assert result.error == "http" and result.status == 404 and result.permanent
    assert result.attempts == 1 and sleeps.calls == []
    with pytest.raises(FetchError):
        result.raise_for_error()


def test_redirects_are_followed_and_loops_stopped(server) -> None:
    server.route("/old", lambda req: srv.Reply(301, b"", {"Location": "/new"}))
    server.static("/new", "<html><body><p>moved here</p></body></html>")
    server.route("/loop/a", lambda req: srv.Reply(302, b"", {"Location": "/loop/b"}))
    server.route("/loop/b", lambda req: srv.Reply(302, b"", {"Location": "/loop/a"}))
    with fetcher() as f:
        moved = f.fetch(server.url("/old"))
        loop = f.fetch(server.url("/loop/a"))
    assert moved.ok and moved.final_url == server.url("/new") and moved.redirects == [server.url("/new")]
    assert loop.error == "redirect" and "loop" in loop.message
    assert len(server.requests_to("/loop/a")) == 1 and len(server.requests_to("/loop/b")) == 1


def test_too_many_redirects(server) -> None:
    for n in range(10):
        server.route(f"/hop/{n}", lambda req, n=n: srv.Reply(302, b"", {"Location": f"/hop/{n + 1}"}))
    with fetcher(max_redirects=3) as f:
        result = f.fetch(server.url("/hop/0"))
    assert result.error == "redirect" and len(server.log) == 4


def test_redirect_to_a_private_address_is_refused_by_the_guard(server) -> None:
    server.route("/to-private", lambda req: srv.Reply(302, b"", {"Location": "http://10.0.0.7/admin"}))
    server.route("/to-metadata", lambda req: srv.Reply(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}))
    with fetcher(allow_private_addresses=False, allowed_networks=("127.0.0.1/32",)) as f:
        private = f.fetch(server.url("/to-private"))
        metadata = f.fetch(server.url("/to-metadata"))
        direct = f.fetch("http://127.1:9/")  # 127.0.0.1 in another spelling is allowed here
    assert private.error == "address" and "10.0.0.7" in private.message and "private" in private.message
    assert metadata.error == "address" and "metadata" in metadata.message
    assert private.final_url == "http://10.0.0.7/admin"
    assert direct.error == "network"  # allowed by the guard, nothing listens on port 9


def test_gzip_bomb_stops_at_the_decoded_cap(server) -> None:
    bomb = gzip.compress(b"\0" * 30_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    server.static("/bomb", bomb, headers={"Content-Encoding": "gzip"}, validators=False)
    with fetcher(max_decoded_bytes=1_000_000, max_raw_bytes=5_000_000) as f:
        result = f.fetch(server.url("/bomb"))
    assert result.error == "too_large" and "decoded" in result.message and result.text is None


def test_gzip_is_decoded(server) -> None:
    page = (SITES / "q4" / "release-2.html").read_bytes()
    server.static("/gz", gzip.compress(page), headers={"Content-Encoding": "gzip"})
    with fetcher() as f:
        result = f.fetch(server.url("/gz"))
    assert result.ok and "Third Quarter 2026" in (result.text or "")


def test_huge_chunked_body_stops_at_the_raw_cap(server) -> None:
    server.route("/huge", srv.chunked_forever())
    started = time.monotonic()
    with fetcher(max_raw_bytes=1_000_000) as f:
        result = f.fetch(server.url("/huge"))
    assert result.error == "too_large" and "wire" in result.message
    assert result.attempts == 1 and time.monotonic() - started < 5


def test_content_length_over_the_cap_is_refused_before_reading(server) -> None:
    server.static("/big", b"x" * 200_000)
    with fetcher(max_raw_bytes=100_000) as f:
        result = f.fetch(server.url("/big"))
    assert result.error == "too_large" and "Content-Length" in result.message


def test_wrong_charset_is_decoded_sensibly(server) -> None:
    text = "<html><body><p>Zürich-based Ångström Bio reports “positive” data — naïve café</p></body></html>"
    server.static("/mislabelled", text.encode("utf-8"), "text/html; charset=iso-8859-1")
    server.static("/latin", text.replace("“", '"').replace("”", '"').replace("—", "-").encode("latin-1"),
                  "text/html; charset=iso-8859-1")
    server.static("/meta", b'<html><head><meta charset="windows-1252"></head><body><p>caf\xe9 \x93ok\x94</p></body></html>',
                  "text/html")
    with fetcher() as f:
        mislabelled = f.fetch(server.url("/mislabelled"))
        latin = f.fetch(server.url("/latin"))
        meta = f.fetch(server.url("/meta"))
    assert "Zürich" in (mislabelled.text or "") and "“positive”" in (mislabelled.text or "")
    assert mislabelled.charset == "utf-8"
    assert "Zürich" in (latin.text or "") and latin.charset == "cp1252"
    assert "café “ok”" in (meta.text or "")


def test_bom_wins_over_a_wrong_header() -> None:
    text, charset = decode_body("\ufeffRésumé".encode("utf-16-le").replace(b"\xff\xfe\xff\xfe", b"\xff\xfe"),
                                "text/html; charset=iso-8859-1")
    assert charset == "utf-16-le" and text.endswith("Résumé")


def test_pdf_is_recorded_not_parsed(server) -> None:
    server.static("/report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n", "application/pdf")
    with fetcher() as f:
        result = f.fetch(server.url("/report.pdf"))
    assert result.error == "content_type" and "application/pdf" in result.message
    assert result.text is None and result.permanent


def test_soft_404_is_a_failure(server) -> None:
    server.file("/gone", "misc/soft404.html")
    with fetcher() as f:
        result = f.fetch(server.url("/gone"))
    assert result.status == 200 and result.error == "soft_404" and result.permanent


def test_challenge_page_is_blocked_and_not_retried(server, sleeps) -> None:
    challenge = (SITES / "misc" / "challenge.html").read_bytes()
    server.static("/challenge", challenge, validators=False)
    server.route("/challenge-503", lambda req: srv.Reply(503, challenge, {"Content-Type": "text/html", "Retry-After": "5"}))
    server.route("/forbidden", lambda req: srv.Reply(403, b"<html><body>Forbidden</body></html>", {"Content-Type": "text/html"}))
    with fetcher(sleeps) as f:
        results = [f.fetch(server.url(p)) for p in ("/challenge", "/challenge-503", "/forbidden")]
    for result in results:
        assert result.error == "blocked", result.describe()
        assert result.attempts == 1
        with pytest.raises(BlockedError):
            result.raise_for_error()
    assert sleeps.calls == [] and len(server.log) == 3


def test_robots_txt_is_obeyed_with_crawl_delay(server, sleeps) -> None:
    server.static("/robots.txt", "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n", "text/plain")
    server.static("/public", "<html><body><p>public page</p></body></html>")
    server.static("/private/page", "<html><body><p>secret</p></body></html>")
    with fetcher(sleeps, obey_robots=True) as f:
        first = f.fetch(server.url("/public"))
        refused = f.fetch(server.url("/private/page"))
        second = f.fetch(server.url("/public"))
    assert first.ok and second.ok
    assert refused.error == "robots"
    assert server.requests_to("/private/page") == [] and len(server.requests_to("/robots.txt")) == 1
    assert sleeps.calls and max(sleeps.calls) > 1.0  # Crawl-delay 2 s between the two /public requests


def test_min_interval_paces_one_host(server) -> None:
    server.static("/a", "<html><body><p>a</p></body></html>")
    started = time.monotonic()
    with Fetcher(settings(min_interval=0.3)) as f:
        for _ in range(3):
            assert f.fetch(server.url("/a")).ok
    assert time.monotonic() - started >= 0.6


# -- the address guard without a server ------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/",
        "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/", "http://192.168.0.1/", "http://[fe80::1]/", "http://224.0.0.1/", "http://0.0.0.0/",
        "http://localhost:8000/", "file:///etc/passwd", "ftp://example.com/", "gopher://example.com/",
        "http://user:pw@example.com/",
    ],
)
def test_guard_refuses(url: str) -> None:
    assert check_address(url, resolver=lambda host, port: ["93.184.215.14"]) is not None


def test_guard_checks_every_resolved_address() -> None:
    assert check_address("http://news.example.com/", resolver=lambda h, p: ["93.184.215.14"]) is None
    reason = check_address("http://rebind.example.com/", resolver=lambda h, p: ["93.184.215.14", "10.0.0.1"])
    assert reason and "10.0.0.1" in reason
    assert check_address("http://nowhere.example.com/", resolver=lambda h, p: []) is not None


def test_guard_refuses_before_any_request(server) -> None:
    server.static("/", "<html><body>hi</body></html>")
    with fetcher(allow_private_addresses=False) as f:
        result = f.fetch(server.url("/"))
    assert result.error == "address" and server.log == []


def test_parse_retry_after() -> None:
    assert parse_retry_after("120") == 120.0
    now = time.time()
    assert 59 <= (parse_retry_after(email.utils.formatdate(now + 60, usegmt=True), now) or 0) <= 61
    assert parse_retry_after(email.utils.formatdate(now - 60, usegmt=True), now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_unreachable_robots_txt_is_reported_as_the_sites_failure(server, sleeps) -> None:
    server.route("/robots.txt", lambda req: srv.Reply(503, b"busy", {"Content-Type": "text/plain"}))
    server.static("/page", "<html><body><p>page</p></body></html>")
    with fetcher(sleeps, obey_robots=True) as f:
        result = f.fetch(server.url("/page"))
        again = f.fetch(server.url("/page"))
    assert result.error == "http" and result.status == 503 and result.message.startswith("robots.txt:")
    assert again.error == "http" and len(server.requests_to("/robots.txt")) == 1  # cached for the run
    assert server.requests_to("/page") == []


def test_missing_robots_txt_allows_everything(server) -> None:
    server.static("/page", "<html><body><p>page</p></body></html>")
    with fetcher(obey_robots=True) as f:
        assert f.fetch(server.url("/page")).ok
    assert [e.path for e in server.log] == ["/robots.txt", "/page"]


def test_release_pages_are_not_mistaken_for_errors_or_challenges(server) -> None:
    server.static("/arc", "<html><head><title>Arcus Doses First Patient with ARC-404</title></head>"
                          "<body><h1>Arcus Doses First Patient with ARC-404</h1><p>Text.</p>"
                          '<form class="alerts"><div class="g-recaptcha" data-sitekey="k"></div></form></body></html>')
    server.static("/assay", "<html><head><title>Novel Security Check Assay Launched</title></head><body><p>x</p></body></html>")
    with fetcher() as f:
        assert f.fetch(server.url("/arc")).ok
        assert f.fetch(server.url("/assay")).ok


# -- deadline from connect to last byte, and the address pinned for the connection -----------
@pytest.fixture
def dribbler():
    """A raw server on 127.0.0.1 that sends the status line and headers one byte every 0.5 s."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def drip(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nok":
                if stop.wait(0.5):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=drip, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    stop.set()
    thread.join(2)
    listener.close()


def test_dribbled_headers_hit_the_total_deadline(dribbler) -> None:
    started = time.monotonic()
    with fetcher(deadline=2.0, read_timeout=1.0, retries=0) as f:
        result = f.fetch(dribbler)
    assert result.error == "timeout" and "deadline" in result.message, result.describe()
    assert time.monotonic() - started < 4  # the dribble alone would take ~30 s


class _Box:
    """A one-page HTTP server on ``address``:``port`` that logs the Host of each request."""

    def __init__(self, address: str, port: int, body: bytes) -> None:
        hosts = self.hosts = []

        class _H(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                hosts.append(self.headers.get("Host"))
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer((address, port), _H)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def public_and_internal():
    """A "public" server on 127.0.0.1 and an "internal" one on 127.0.0.2, on the same port."""
    for _ in range(20):
        public = _Box("127.0.0.1", 0, b"<html><body><p>public page</p></body></html>")
        try:
            internal = _Box("127.0.0.2", public.port, b"<html><body><p>internal secrets</p></body></html>")
        except OSError:
            public.close()
            continue
        break
    else:  # pragma: no cover
        pytest.skip("no port free on both 127.0.0.1 and 127.0.0.2")
    yield public, internal
    public.close()
    internal.close()


class RebindingDNS:
    """``socket.getaddrinfo`` for ``rebind.test``: the first answer, then the second one for ever."""

    def __init__(self, real, *answers: str) -> None:
        self.real, self.answers, self.calls = real, answers, 0

    def __call__(self, host, port, *args, **kwargs):
        if host != "rebind.test":
            return self.real(host, port, *args, **kwargs)
        answer = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        return self.real(answer, port, *args, **kwargs)


def test_the_address_the_guard_approved_is_the_one_connected_to(public_and_internal, monkeypatch) -> None:
    public, internal = public_and_internal
    dns = RebindingDNS(socket.getaddrinfo, "127.0.0.1", "127.0.0.2")
    monkeypatch.setattr(socket, "getaddrinfo", dns)  # what the guard and any later lookup both see
    with fetcher(allow_private_addresses=False, allowed_networks=("127.0.0.1/32",), retries=0) as f:
        result = f.fetch(f"http://rebind.test:{public.port}/")
    assert result.ok, result.describe()
    assert "public page" in (result.text or "")
    assert public.hosts == [f"rebind.test:{public.port}"]  # the Host header keeps the name
    assert internal.hosts == [] and dns.calls == 1  # resolved once, by the guard


def test_a_forbidden_answer_is_refused_before_any_connection(public_and_internal, monkeypatch) -> None:
    public, internal = public_and_internal
    monkeypatch.setattr(socket, "getaddrinfo", RebindingDNS(socket.getaddrinfo, "127.0.0.2"))
    with fetcher(allow_private_addresses=False, allowed_networks=("127.0.0.1/32",), retries=0) as f:
        result = f.fetch(f"http://rebind.test:{public.port}/")
        with pytest.raises(Exception) as raw:  # the client alone checks at connect time too
            f.client.get(f"http://rebind.test:{public.port}/")
    assert result.error == "address" and "127.0.0.2" in result.message and "loopback" in result.message
    assert "127.0.0.2" in str(raw.value) and "loopback" in str(raw.value)
    assert public.hosts == [] and internal.hosts == []
