"""Tables to JSONL or CSV files, or one table to a stream (`export`)."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import QueryError, StoreError
from .guard import _has_table, connect_readonly


#: The tables `export` writes (and `--table` chooses from).
EXPORT_TABLES = ("documents", "mentions", "doses", "responses", "relations")


# ---------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------
def export(
    db_path: str | Path,
    out_dir: str | Path,
    fmt: str = "jsonl",
    *,
    tables: tuple[str, ...] = EXPORT_TABLES,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Write each table to ``out_dir/<table>.<fmt>``; returns rows written per table.

    ``progress(table, rows_done, rows_total)`` is called every few thousand rows and at the end.
    The folder is created only once the database has opened: a missing database leaves no trace.
    """
    _check_export(fmt, tables)
    conn = connect_readonly(db_path)
    counts: dict[str, int] = {}
    try:
        for table in tables:
            if not _has_table(conn, table):
                raise StoreError(f"{db_path}: no table {table}")
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        for table in tables:
            with (out / f"{table}.{fmt}").open("w", encoding="utf-8", newline="") as fh:
                counts[table] = _write_table(conn, table, fh, fmt, progress)
    finally:
        conn.close()
    return counts


def export_table(db_path: str | Path, table: str, fh: Any, fmt: str = "jsonl") -> int:
    """Write one table to the open text stream ``fh`` (stdout for ``export --out -``); returns its rows."""
    _check_export(fmt, (table,))
    conn = connect_readonly(db_path)
    try:
        if not _has_table(conn, table):
            raise StoreError(f"{db_path}: no table {table}")
        return _write_table(conn, table, fh, fmt, None)
    finally:
        conn.close()


def _check_export(fmt: str, tables: tuple[str, ...]) -> None:
    if fmt not in ("jsonl", "csv"):
        raise QueryError(f"unknown export format {fmt!r} (jsonl or csv)")
    unknown = [t for t in tables if t not in EXPORT_TABLES]
    if unknown:
        raise QueryError(f"unknown table {unknown[0]!r} (one of {', '.join(EXPORT_TABLES)})")


def _write_table(conn: sqlite3.Connection, table: str, fh: Any, fmt: str, progress: Callable[[str, int, int], None] | None) -> int:
    total = int(conn.execute(f"select count(*) from [{table}]").fetchone()[0])
    cursor = conn.execute(f"select * from [{table}] order by rowid")
    columns = [d[0] for d in cursor.description]
    done = 0
    if progress:
        progress(table, 0, total)
    writer = csv.writer(fh) if fmt == "csv" else None
    if writer:
        writer.writerow(columns)
    while batch := cursor.fetchmany(2000):
        for row in batch:
            if writer:
                writer.writerow(["" if v is None else v for v in row])
            else:
                fh.write(json.dumps(dict(zip(columns, tuple(row), strict=True)), ensure_ascii=False) + "\n")
        done += len(batch)
        if progress:
            progress(table, done, total)
    return done
