"""``extractor serve`` as a real subprocess on a free 127.0.0.1 port, over the samples database
the real pipeline builds, with real HTTP requests: the query guard holds inside Datasette, a
single slow SQL function cannot outlive the time limit, SIGTERM stops the server with a query
in flight, and a foreign Host header is refused."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from extractor.cli.serve import allowed_hosts, host_name

ROOT = Path(__file__).resolve().parent.parent
SERVE = "from extractor.cli import cli; cli(prog_name='extractor')"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, db: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.name = db.stem
        self.log = log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", SERVE, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"extractor serve exited with {self.proc.returncode}: {log.read_text()}")
            try:
                if httpx.get(f"{self.base}/-/versions.json", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise AssertionError("extractor serve did not answer within 60 s")

    def sql(self, sql: str, timeout: float = 20.0) -> httpx.Response:
        return httpx.get(f"{self.base}/{self.name}.json", params={"sql": sql, "_shape": "array"}, timeout=timeout)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(samples_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(samples_db, tmp_path_factory.mktemp("serve") / "serve.log")
    try:
        yield running
    finally:
        running.stop()


def assert_select_1_answers(server: Server, within: float = 2.0) -> None:
    started = time.monotonic()
    response = server.sql("select 1 as one", timeout=within + 1)
    assert response.status_code == 200, response.text[:300]
    assert response.json() == [{"one": 1}]
    assert time.monotonic() - started < within


def test_denied_functions_are_denied_and_browsing_still_works(server: Server) -> None:
    response = server.sql("select hex(fts3_tokenizer('simple')) as address")
    assert response.status_code == 400, response.text[:300]
    assert "not authorized" in response.text
    for sql in ("select load_extension('x')", "select fts3_tokenizer('simple', x'00')"):
        response = server.sql(sql)
        assert response.status_code == 400 and "not authorized" in response.text, (sql, response.text[:300])
    # Datasette's own pages (schema pragmas, table counts, facets, canned queries) still work
    assert httpx.get(f"{server.base}/{server.name}", timeout=20).status_code == 200
    assert httpx.get(f"{server.base}/{server.name}/mentions?_facet=label", timeout=20).status_code == 200
    profile = httpx.get(f"{server.base}/{server.name}/drug_profile.json", params={"drug": "ALLO-316", "_shape": "array"}, timeout=20)
    assert profile.status_code == 200 and profile.json(), profile.text[:300]
    assert server.sql("select count(*) as n from pragma_table_info('documents')").json()[0]["n"] > 0


#: One C call each: SQLite's progress handler (Datasette's sql_time_limit_ms) never runs inside
#: them. Unguarded, the first builds 49 MB; the others run for minutes on a 9 MB value.
SLOW_FUNCTIONS = {
    "printf": "select length(printf('%.*c', 49000000, 'a')) as n",
    "instr": "select instr(printf('%.*c', 9000000, 'a'), printf('%.*c', 1000000, 'a') || 'b') as n",
    "trim": "select length(trim(printf('%.*c', 9000000, 'a'), printf('%.*c', 1000000, 'b') || 'a')) as n",
    "like": "select printf('%.*c', 9000000, 'a') like ('%' || printf('%.*c', 40000, 'a') || 'b') as n",
}


@pytest.mark.parametrize("kind", sorted(SLOW_FUNCTIONS))
def test_a_slow_function_is_refused_or_bounded_and_select_1_answers(server: Server, kind: str) -> None:
    started = time.monotonic()
    response = server.sql(SLOW_FUNCTIONS[kind], timeout=15)
    took = time.monotonic() - started
    assert took < 8, f"{kind} took {took:.1f} s"  # the 5 s limit, and a margin for a slow machine
    if response.status_code == 200:  # bounded: an answer that is not the 49 MB string's length
        assert response.json()[0]["n"] in (None, 0), response.text[:300]
    else:
        assert response.status_code == 400, response.text[:300]
    assert_select_1_answers(server)


def test_host_header_allow_list(server: Server) -> None:
    for host in ("evil.example", f"evil.example:{server.port}", "localhost.evil.example", "127.0.0.1.nip.io"):
        response = httpx.get(f"{server.base}/{server.name}", headers={"Host": host}, timeout=10)
        assert response.status_code == 400, host
        assert response.text.count("\n") == 1 and "--allow-host" in response.text
    for host in ("localhost", f"localhost:{server.port}", "127.0.0.1", f"127.0.0.1:{server.port}", f"[::1]:{server.port}"):
        response = httpx.get(f"{server.base}/-/versions.json", headers={"Host": host}, timeout=10)
        assert response.status_code == 200, host


def test_allowed_hosts_by_interface() -> None:
    assert allowed_hosts("127.0.0.1") == {"localhost", "127.0.0.1", "::1"}
    assert allowed_hosts("localhost", ("Data.Example.org",)) == {"localhost", "127.0.0.1", "::1", "data.example.org"}
    assert allowed_hosts("::1") == {"localhost", "127.0.0.1", "::1"}
    assert allowed_hosts("0.0.0.0") is None  # any Host on another interface
    assert allowed_hosts("0.0.0.0", ("data.example.org",)) == {"localhost", "127.0.0.1", "::1", "data.example.org"}
    assert host_name("[::1]:8001") == "::1"
    assert host_name("LocalHost.:8001") == "localhost"
    assert host_name("localhost:http") is None
    assert host_name("") is None


def test_sigterm_stops_the_server_with_a_query_in_flight(samples_db: Path, tmp_path: Path) -> None:
    server = Server(samples_db, tmp_path / "serve.log")
    try:
        in_flight = [
            "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c",
            SLOW_FUNCTIONS["instr"],
        ]
        threads = [threading.Thread(target=_ignore_errors, args=(server.sql, sql), daemon=True) for sql in in_flight]
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # both statements are running now
        started = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        try:
            code = server.proc.wait(timeout=4)
        except subprocess.TimeoutExpired:
            pytest.fail("extractor serve was still running 4 s after SIGTERM")
        assert time.monotonic() - started < 4
        assert code in (0, -signal.SIGTERM, 128 + signal.SIGTERM), (code, (tmp_path / "serve.log").read_text())
    finally:
        server.stop()


def _ignore_errors(fetch, sql: str) -> None:
    try:
        fetch(sql, timeout=30)
    except httpx.HTTPError:
        pass
