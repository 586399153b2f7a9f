"""``extractor serve``: Datasette over the database, read-only, with the query guard on every
connection, limits that hold, a clean shutdown and a Host allow-list on loopback."""

from __future__ import annotations

import json
from typing import Any

import click

from .. import query as q
from ..errors import ExtractorError
from . import cli, db_option, handle_errors, verbose_option


# -- serve --------------------------------------------------------------------------------
#: Host header names a loopback server always answers to.
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
#: Seconds a stopping server waits for requests in flight before it cancels them.
SHUTDOWN_GRACE = 3.0


@cli.command(short_help="Browse the database in Datasette (read-only).")
@verbose_option
@db_option(required=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header is NAME (repeatable); see below.")
@click.option("--metadata-out", type=click.Path(dir_okay=False), default=None, help="Also write the Datasette metadata JSON here.")
@handle_errors
def serve(db_path: str, host: str, port: int, allow_hosts: tuple[str, ...], metadata_out: str | None) -> None:
    """Browse the database in Datasette (read-only), with views, facets and canned queries.

    Canned queries: drug_profile (?drug=), assets_by_target (?target=), responses_by_drug (?drug=).
    Safe to run beside `extractor run`: the database is in WAL mode.

    SQL typed into Datasette goes through the same guard as `extractor query`: only reading,
    no load_extension, readfile or fts3_tokenizer, at most 10 MB in one value, LIKE/GLOB
    patterns of at most 100 bytes, and a 5 s time limit. Ctrl-C or SIGTERM stops the server
    within a few seconds, a query in flight included.

    On a loopback --host (127.0.0.1, ::1, localhost) only requests whose Host header is
    localhost, 127.0.0.1 or [::1] are answered (others get 400), so a web page cannot reach
    the server by rebinding its own name; --allow-host NAME adds a name (e.g. behind a proxy).
    On any other interface every Host is answered unless --allow-host is given.

    Examples:

    \b
        extractor serve --db extractions.db --port 8001
        extractor serve --db extractions.db --host 0.0.0.0 --allow-host biotech.example.org
    """
    _check_port(host, port)
    metadata = q.datasette_metadata(db_path)
    if metadata_out:
        with open(metadata_out, "w", encoding="utf-8") as fh:
            json.dump(metadata, fh, indent=2)
    import uvicorn
    from datasette.app import Datasette
    from datasette.cli import run_sync

    _register_guard()
    ds = Datasette(
        [db_path],
        metadata=metadata,
        settings={"sql_time_limit_ms": int(q.DEFAULT_TIME_LIMIT * 1000), "allow_download": False},
    )
    _GUARD.watch(ds)
    run_sync(ds.invoke_startup)
    allowed = allowed_hosts(host, allow_hosts)
    app = ds.app() if allowed is None else HostAllowList(ds.app(), allowed)
    name = next(iter(metadata["databases"]))
    click.echo(f"Serving {db_path} read-only at http://{_url_host(host)}:{port}/{name}  (Ctrl-C to stop)", err=True)

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            _GUARD.interrupt(ds)  # a statement in flight stops now, so its request can finish
            super().handle_exit(sig, frame)

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on", workers=1,
                            timeout_graceful_shutdown=SHUTDOWN_GRACE)
    try:
        Server(config).run()
    finally:
        _GUARD.interrupt(ds)
        if ds.executor is not None:
            ds.executor.shutdown(wait=False, cancel_futures=True)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class _ServeGuard:
    """A Datasette plugin: every connection of a watched Datasette (except its own ``_internal``
    catalogue) gets :func:`extractor.query.harden_connection`, and is remembered so a stopping
    server can interrupt it. Registered once per process; Datasettes it does not watch (another
    app in the same process) are left alone."""

    __name__ = "extractor-serve-guard"  # Datasette lists plugins by __name__

    def __init__(self) -> None:
        import weakref

        # sqlite3 connections cannot be weak references; Datasette keeps each for its thread's life
        self._connections: weakref.WeakKeyDictionary[Any, list[Any]] = weakref.WeakKeyDictionary()

    def watch(self, datasette: Any) -> None:
        self._connections.setdefault(datasette, [])

    def interrupt(self, datasette: Any) -> None:
        for conn in list(self._connections.get(datasette, ())):
            try:
                conn.interrupt()
            except Exception:  # noqa: BLE001 - a closed connection has nothing to stop
                pass

    def prepare_connection(self, conn: Any, database: str, datasette: Any) -> None:
        connections = self._connections.get(datasette)
        if connections is None or database == "_internal" or database not in datasette.databases:
            return  # not ours, Datasette's catalogue, or its private version probe
        q.harden_connection(conn, schema_pragmas=True, linear_text_functions=True)
        connections.append(conn)


_GUARD = _ServeGuard()


def _register_guard() -> None:
    from datasette import hookimpl
    from datasette.plugins import pm

    if pm.get_plugin(_GUARD.__name__) is None:
        if not hasattr(_ServeGuard.prepare_connection, "datasette_impl"):
            hookimpl(_ServeGuard.prepare_connection)  # marked here: datasette is imported only by serve
        pm.register(_GUARD, name=_GUARD.__name__)


def allowed_hosts(host: str, extra: tuple[str, ...] = ()) -> frozenset[str] | None:
    """The Host names ``serve`` on ``host`` answers to, or None for any.

    On a loopback address: localhost, 127.0.0.1, ::1, the address itself and ``extra``.
    Elsewhere: any name, unless ``extra`` names some (then those and the loopback names).
    """
    import ipaddress

    names = frozenset(n.strip().strip("[]").rstrip(".").lower() for n in extra if n.strip())
    bound = host.strip("[]").lower()
    try:
        loopback = bound == "localhost" or ipaddress.ip_address(bound).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        return LOOPBACK_NAMES | {bound} | names
    return LOOPBACK_NAMES | names if names else None


def host_name(header: str) -> str | None:
    """The name in a Host header without its port (``[::1]:8001`` gives ``::1``); None when malformed."""
    value = header.strip().lower()
    if value.startswith("["):
        name, sep, rest = value[1:].partition("]")
        if not sep or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        return name
    name, sep, port = value.partition(":")
    if sep and not port.isdigit():
        return None
    return name.rstrip(".") or None


class HostAllowList:
    """ASGI middleware: answer 400 with one line to an HTTP request whose Host is not allowed."""

    def __init__(self, app: Any, allowed: frozenset[str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            header = next((v for k, v in scope.get("headers", ()) if k == b"host"), b"")
            if host_name(header.decode("latin-1")) not in self.allowed:
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                body = b"Host not allowed: use localhost, or start extractor serve with --allow-host NAME\n"
                await send({"type": "http.response.start", "status": 400,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def _check_port(host: str, port: int) -> None:
    """Fail with one line before serving when ``host:port`` cannot be bound (in use, not ours)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ExtractorError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            raise ExtractorError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
