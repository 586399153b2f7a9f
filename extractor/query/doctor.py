"""``extractor doctor``: health checks of a database file, read-only.

Each check returns a :class:`Finding` (``ok``, ``warn`` or ``fail``); the command exits non-zero
when any fails. Nothing here writes: the full-text check runs FTS5's own ``integrity-check``
inside a transaction that is rolled back.
"""

from __future__ import annotations

import sqlite3
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError
from ..store.schema import FACT_TABLES, FTS, SCHEMA_VERSION, data_table

__all__ = ["Finding", "diagnose", "WAL_WARN_BYTES"]

#: A write-ahead log larger than this has not been checkpointed for a long time (a reader held open).
WAL_WARN_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Finding:
    check: str
    status: str  # ok | warn | fail
    detail: str


def diagnose(path: str | Path) -> list[Finding]:
    """Check ``path``: schema version, integrity, foreign keys and orphaned rows, the full-text
    index against the documents, and the write-ahead log's size. :class:`StoreError` when the
    file is missing or is not a SQLite database."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such database")
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=rw"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: {exc}") from None
    try:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
        findings = [_version(version), _integrity(conn), _foreign_keys(conn)]
        if version >= 5 and "sentences" in names:
            findings.append(_orphaned_sentences(conn, names))
        findings.extend(_fts(conn, table, names) for table in FTS)
        findings.append(_wal(path))
        return findings
    finally:
        conn.close()


def _version(version: int) -> Finding:
    if version == SCHEMA_VERSION:
        return Finding("schema version", "ok", str(version))
    if version == 0:
        return Finding("schema version", "fail", "not an extractor database (user_version 0)")
    if version < SCHEMA_VERSION:
        return Finding("schema version", "warn", f"{version}, older than {SCHEMA_VERSION}: the next run or reprocess migrates it")
    return Finding("schema version", "fail", f"{version}, newer than this extractor's {SCHEMA_VERSION}: upgrade extractor")


def _integrity(conn: sqlite3.Connection) -> Finding:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    if rows == ["ok"]:
        return Finding("integrity", "ok", "ok")
    return Finding("integrity", "fail", "; ".join(rows[:3]) + (f" (and {len(rows) - 3} more)" if len(rows) > 3 else ""))


def _foreign_keys(conn: sqlite3.Connection) -> Finding:
    rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    if not rows:
        return Finding("orphaned rows", "ok", "every fact's document and sentence exist")
    by_table: dict[str, int] = {}
    for table, *_ in rows:
        by_table[table] = by_table.get(table, 0) + 1
    detail = ", ".join(f"{n} in {t}" for t, n in sorted(by_table.items()))
    return Finding("orphaned rows", "fail", f"rows whose document or sentence is gone: {detail}")


def _orphaned_sentences(conn: sqlite3.Connection, names: set[str]) -> Finding:
    used = " union ".join(f"select sentence_id from [{data_table(t)}] where sentence_id is not null"
                          for t in FACT_TABLES if data_table(t) in names)
    n = conn.execute(f"select count(*) from sentences where id not in ({used})").fetchone()[0] if used else 0
    if not n:
        return Finding("unused sentences", "ok", "every stored sentence is quoted by a fact")
    return Finding("unused sentences", "fail", f"{n} sentence{'' if n == 1 else 's'} no fact quotes")


def _fts(conn: sqlite3.Connection, table: str, names: set[str]) -> Finding:
    fts = f"{table}_fts"
    if fts not in names:
        return Finding("full-text index", "fail", f"{fts} is missing")
    try:
        conn.execute("BEGIN")
        try:
            # rank 1: also compare the index with the external content table (FTS5's own check)
            conn.execute(f"insert into [{fts}]([{fts}], rank) values ('integrity-check', 1)")
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.DatabaseError as exc:
        return Finding("full-text index", "fail", f"{fts} does not match {table}: {exc}")
    return Finding("full-text index", "ok", f"{fts} matches {table}")


def _wal(path: Path) -> Finding:
    wal = path.with_name(path.name + "-wal")
    size = wal.stat().st_size if wal.exists() else 0
    detail = f"{size / 1024 / 1024:.1f} MB"
    if size > WAL_WARN_BYTES:
        return Finding("write-ahead log", "warn", detail + ": not checkpointed for long (a reader kept open?)")
    return Finding("write-ahead log", "ok", detail)
