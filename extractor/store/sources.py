"""Crawl state in the same SQLite file as the documents: ``sources`` and ``seen_pages``.

Callers write these rows inside ``with store.transaction():`` together with the documents they
describe, so a crash never leaves a page marked as seen without its document (or the reverse).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import sqlite_utils

from . import Store, connect_readonly

__all__ = [
    "SOURCE_COLUMNS",
    "PAGE_COLUMNS",
    "ensure_crawl_schema",
    "get_source",
    "save_source",
    "get_page",
    "save_page",
    "find_by_title_date",
    "normalise_title",
    "list_sources",
    "newest_published",
    "open_readonly",
    "load_robots",
    "save_robots",
]

SOURCE_COLUMNS: dict[str, type] = {
    "name": str,
    "kind": str,
    "url": str,
    "every_seconds": int,
    "etag": str,
    "last_modified": str,
    "body_hash": str,
    "last_outcome": str,  # ok, unchanged, failed, blocked
    "last_error": str,
    "last_attempt": str,  # ISO UTC
    "last_success": str,
    "consecutive_failures": int,
    "next_due": str,
    "newest_item": str,  # newest published date of an item seen on the listing (YYYY-MM-DD)
}

PAGE_COLUMNS: dict[str, type] = {
    "url": str,  # the URL as fetched (listing page or canonical detail URL)
    "canonical_url": str,
    "source": str,  # the [[source]] name that found it
    "role": str,  # listing or detail
    "etag": str,
    "last_modified": str,
    "body_hash": str,
    "fetched_at": str,
    "outcome": str,  # stored, linked, failed, skipped
    "document_source": str,  # documents.source of the stored (or linked) document
}


def ensure_crawl_schema(store: Store) -> None:
    db = store.db
    with db.atomic():
        for name, columns, pk in (("sources", SOURCE_COLUMNS, "name"), ("seen_pages", PAGE_COLUMNS, "url")):
            if name in db.table_names():
                table = db.table(name)
                for column, col_type in columns.items():
                    if column not in table.columns_dict:
                        table.add_column(column, col_type)
            else:
                db.table(name).create(columns, pk=pk)
        if "robots_txt" not in db.table_names():
            db.table("robots_txt").create({"origin": str, "body": str, "fetched_at": float}, pk="origin")
        db.table("seen_pages").create_index(["canonical_url"], if_not_exists=True)
        db.table("seen_pages").create_index(["source"], if_not_exists=True)


def _one(store: Store, sql: str, params: list[Any]) -> dict[str, Any] | None:
    if not _has_table(store, sql):
        return None
    rows = store.rows(sql, params)
    return rows[0] if rows else None


def _has_table(store: Store, sql: str) -> bool:
    match = re.search(r"\bfrom\s+\[?(\w+)", sql, re.I)
    return match is None or match.group(1) in store.db.table_names()


def get_source(store: Store, name: str) -> dict[str, Any] | None:
    return _one(store, "select * from sources where name = ?", [name])


def save_source(store: Store, row: dict[str, Any]) -> None:
    store.db.table("sources").upsert({k: v for k, v in row.items() if k in SOURCE_COLUMNS}, pk="name")


def get_page(store: Store, url: str) -> dict[str, Any] | None:
    return _one(store, "select * from seen_pages where url = ? or canonical_url = ? limit 1", [url, url])


def save_page(store: Store, row: dict[str, Any]) -> None:
    store.db.table("seen_pages").upsert({k: v for k, v in row.items() if k in PAGE_COLUMNS}, pk="url")


def list_sources(store: Store) -> list[dict[str, Any]]:
    if "sources" not in store.db.table_names():
        return []
    return store.rows("select * from sources order by name")


def normalise_title(title: str) -> str:
    """Case, accents, punctuation and spacing removed: the key for cross-site duplicates."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def find_by_title_date(store: Store, title: str | None, published: str | None) -> str | None:
    """``documents.source`` of a stored document with the same normalised title and date."""
    if not title or not published or "documents" not in store.db.table_names():
        return None
    key = normalise_title(title)
    if not key:
        return None
    for row in store.rows("select source, title from documents where published = ?", [published]):
        if row["title"] and normalise_title(row["title"]) == key:
            return str(row["source"])
    return None


def newest_published(store: Store, source_name: str) -> str | None:
    if "seen_pages" not in store.db.table_names():
        return None
    row = store.rows(
        "select max(d.published) as newest from seen_pages p join documents d on d.source = p.document_source "
        "where p.source = ?",
        [source_name],
    )
    return row[0]["newest"] if row else None


def load_robots(store: Store) -> dict[str, tuple[str, float]]:
    """Cached robots.txt files: origin → (text, fetched at as a Unix time)."""
    if "robots_txt" not in store.db.table_names():
        return {}
    return {r["origin"]: (r["body"] or "", float(r["fetched_at"] or 0)) for r in store.rows("select * from robots_txt")}


def save_robots(store: Store, texts: dict[str, tuple[str, float]]) -> None:
    if texts:
        store.db.table("robots_txt").upsert_all(
            [{"origin": o, "body": t, "fetched_at": f} for o, (t, f) in texts.items()], pk="origin")


def open_readonly(path: str | Path) -> Store | None:
    """The database at ``path`` opened read-only (for --dry-run and status), or None if absent."""
    path = Path(path)
    if not path.exists():
        return None
    return Store(sqlite_utils.Database(connect_readonly(path)))
