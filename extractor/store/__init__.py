"""SQLite storage: the only place that writes the database (sqlite-utils lives here).

Writes are idempotent: a document is keyed on ``source``; when its content hash and
rules version are unchanged it is skipped, otherwise its facts are deleted and
rewritten in the same transaction as the document row.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import sqlite3
import urllib.parse
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlite_utils

from ..errors import StoreError
from ..models import Article, Facts, Failure, Section
from .schema import FACT_TABLES, FTS, INDEXES, NOT_NULL, SCHEMA_VERSION, TABLES, data_table, fact_view, stored_columns
from .views import ensure_views

__all__ = ["Store", "connect_readonly", "open_store", "utcnow"]


def utcnow() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


class Store:
    """A SQLite file holding documents, their facts and the failures of past runs."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # -- schema -------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create the schema, or migrate an older file in place; refuse a newer one."""
        db = self.db
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the database has schema version {version}, newer than this extractor's {SCHEMA_VERSION}: "
                "upgrade extractor to write to it"
            )
        names = set(db.table_names())
        with db.atomic():
            for name in TABLES:
                if name not in FACT_TABLES:
                    self._ensure_table(name, TABLES[name], names)
            for name in FACT_TABLES:  # after ``sentences``, which their rows refer to
                self._ensure_fact_table(name, names)
            for table_name, cols, unique in INDEXES:
                stored = data_table(table_name) if table_name in FACT_TABLES else table_name
                db.table(stored).create_index(cols, unique=unique, if_not_exists=True)
        for table_name, cols in FTS.items():
            if not db.table(table_name).detect_fts():
                db.table(table_name).enable_fts(cols, create_triggers=True, tokenize="porter")
        ensure_views(db)
        if version != SCHEMA_VERSION:
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _ensure_table(self, name: str, columns: dict[str, type], names: set[str]) -> None:
        """Create ``name``, or add the columns an older file lacks."""
        db = self.db
        if name in names:
            table = db.table(name)
            for column, col_type in columns.items():
                if column not in table.columns_dict:
                    table.add_column(column, col_type)
            return
        foreign_keys = [("document_id", "documents", "id")] if "document_id" in columns else []
        if "sentence_id" in columns:
            foreign_keys.append(("sentence_id", "sentences", "id"))
        db.table(name).create(columns, pk="id", not_null=NOT_NULL.get(name, set()), foreign_keys=foreign_keys)
        names.add(name)

    def _ensure_fact_table(self, name: str, names: set[str]) -> None:
        """The stored table behind the fact view ``name`` and the view; a file from before schema 5,
        where ``name`` is a table holding its sentences' text, is moved over (each sentence once)."""
        db = self.db
        stored = data_table(name)
        self._ensure_table(stored, stored_columns(name), names)
        if name in names:  # the old table: its rows move to the stored table
            self._ensure_table(name, TABLES[name], names)  # columns an even older file lacks
            db.execute(
                f"insert into sentences (document_id, text) select distinct document_id, sentence from [{name}] "
                "where sentence is not null and not exists (select 1 from sentences s "
                f"where s.document_id = [{name}].document_id and s.text = [{name}].sentence)"
            )
            columns = list(stored_columns(name))
            picked = ", ".join(
                "(select s.id from sentences s where s.document_id = o.document_id and s.text = o.sentence)"
                if c == "sentence_id" else f"o.[{c}]" for c in columns
            )
            db.execute("create index if not exists temp_sentences_text on sentences (document_id, text)")
            db.execute(f"insert into [{stored}] ({', '.join(f'[{c}]' for c in columns)}) select {picked} from [{name}] o")
            db.execute("drop index temp_sentences_text")
            db.execute(f"drop table [{name}]")
            names.discard(name)
        db.execute(f"drop view if exists [{name}]")
        db.execute(f"create view [{name}] as {fact_view(name)}")

    # -- transactions -------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction for a batch of writes (``insert_all`` outside one is ~3× slower).

        The outermost one is ``BEGIN IMMEDIATE``: it takes the write lock up front, so a second
        writer waits (busy timeout) instead of failing half-way; nested ones are savepoints.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot start a write transaction: {exc}") from exc
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    # -- documents ------------------------------------------------------------------------
    def state(self, source: str) -> tuple[str, str] | None:
        """``(content_hash, rules_version)`` stored for ``source``, or None if unseen."""
        row = self.db.execute(
            "select content_hash, rules_version from documents where source = ?", [source]
        ).fetchone()
        return (row[0], row[1]) if row else None

    def documents_to_reprocess(self, rules_version: str, *, every: bool = False) -> list[int]:
        """Ids of documents stored under another rules version (or all of them), oldest first."""
        sql = "select id from documents" + ("" if every else " where rules_version is not ?") + " order by id"
        return [int(r[0]) for r in self.db.execute(sql, [] if every else [rules_version]).fetchall()]

    def stored_articles(self, ids: list[int]) -> list[tuple[Article, str, bool]]:
        """The stored documents ``ids`` as articles with their content hash, and whether their sections
        were stored (files written before schema 3 have none)."""
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f"select id, source, text, title, url, published, sections, content_hash from documents where id in ({marks})",
            ids,
        ).fetchall()
        by_id = {}
        for doc_id, source, text, title, url, published, sections, digest in rows:
            marked = tuple(Section(n, a, b) for n, a, b in json.loads(sections)) if sections else ()
            by_id[int(doc_id)] = (Article(source, text, title, url, published, sections=marked), digest, sections is not None)
        return [by_id[doc_id] for doc_id in ids if doc_id in by_id]

    def same_content(self, source: str, content_hash: str) -> str | None:
        """The source of another stored document with this content, or None."""
        row = self.db.execute(
            "select source from documents where content_hash = ? and source != ? limit 1", [content_hash, source]
        ).fetchone()
        return row[0] if row else None

    def save(self, article: Article, facts: Facts, content_hash: str, rules_version: str) -> int:
        """Insert or replace one document and all its facts; clears its earlier failures."""
        try:
            return self._save(article, facts, content_hash, rules_version)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot store {article.source}: {exc}") from exc

    def _save(self, article: Article, facts: Facts, content_hash: str, rules_version: str) -> int:
        db = self.db
        row = {
            "source": article.source,
            "url": article.url,
            "title": article.title,
            "published": article.published,
            "text": article.text,
            "content_hash": content_hash,
            "extracted_at": utcnow(),
            "rules_version": rules_version,
            # the cleaner's sections, so `reprocess` re-extracts from the stored text exactly
            "sections": json.dumps([[x.name, x.start, x.end] for x in article.sections]),
        }
        existing = db.execute("select id from documents where source = ?", [article.source]).fetchone()
        if existing:
            doc_id = int(existing[0])
            for table in FACT_TABLES:
                db.execute(f"delete from [{data_table(table)}] where document_id = ?", [doc_id])
            db.execute("delete from sentences where document_id = ?", [doc_id])
            db.table("documents").update(doc_id, row)
        else:
            doc_id = int(db.table("documents").insert(row).last_pk)
        sentences: dict[str, int] = {}  # text -> id: each sentence stored once per document
        next_id = int(db.execute("select coalesce(max(id), 0) from sentences").fetchone()[0]) + 1
        tables: list[tuple[str, list[dict[str, Any]]]] = []
        for table, records in (
            ("mentions", facts.mentions),
            ("doses", facts.doses),
            ("responses", facts.responses),
            ("relations", facts.relations),
            ("events", facts.events),
        ):
            rows = []
            for record in records:
                row = _row(record, doc_id)
                sentence = row.pop("sentence", None)
                if sentence is not None:
                    row["sentence_id"] = sentences.setdefault(sentence, next_id + len(sentences))
                rows.append(row)
            tables.append((table, rows))
        if sentences:
            db.table("sentences").insert_all(
                ({"id": i, "document_id": doc_id, "text": t} for t, i in sentences.items()), batch_size=500
            )
        for table, rows in tables:
            if rows:
                db.table(data_table(table)).insert_all(rows, batch_size=500)
        db.execute("delete from failures where source = ?", [article.source])
        return doc_id

    def record_failure(self, failure: Failure) -> None:
        """Keep the latest failure of each source (a rerun does not pile up copies)."""
        self.db.execute("delete from failures where source = ?", [failure.source])
        self.db.table("failures").insert(
            {"source": failure.source, "stage": failure.stage, "error": failure.error, "at": utcnow()}
        )

    # -- reading --------------------------------------------------------------------------
    def count(self, table: str) -> int:
        return int(self.db.execute(f"select count(*) from [{table}]").fetchone()[0])

    def rows(self, sql: str, params: dict[str, Any] | list[Any] | None = None) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    def close(self) -> None:
        self.db.close()


def _row(record: Any, document_id: int) -> dict[str, Any]:
    row = asdict(record)
    row["document_id"] = document_id
    return row


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """Open ``path`` read-only; :class:`StoreError` when it is missing or not a database."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such database")
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: {exc}") from exc
    return conn


def open_store(path: str | Path, *, create: bool = True) -> Store:
    """Open (and by default create or migrate) the database at ``path``."""
    path = Path(path)
    if not create and not path.exists():
        raise StoreError(f"{path}: no such database")
    conn = sqlite3.connect(str(path), timeout=30)
    try:
        conn.execute("PRAGMA journal_mode=WAL")  # readers (serve) beside one writer
        conn.execute("PRAGMA foreign_keys=ON")
        store = Store(sqlite_utils.Database(conn))
        if create:
            store.ensure_schema()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: {exc}") from exc
    return store
