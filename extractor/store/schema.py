"""The database schema, as data. README.md documents every table and column listed here
(``tests/test_docs.py`` checks it)."""

from __future__ import annotations

#: Bump when a table or column changes. ``Store.ensure_schema`` adds missing tables and columns
#: to an older file and writes this number to ``PRAGMA user_version``.
SCHEMA_VERSION = 3

TABLES: dict[str, dict[str, type]] = {
    "documents": {
        "id": int,
        "source": str,
        "url": str,
        "title": str,
        "published": str,
        "text": str,
        "content_hash": str,
        "extracted_at": str,
        "rules_version": str,
        "sections": str,
    },
    "mentions": {
        "id": int,
        "document_id": int,
        "label": str,
        "text": str,
        "norm": str,
        "start": int,
        "end": int,
        "sentence": str,
        "variant": str,
        "section": str,
    },
    "doses": {
        "id": int,
        "document_id": int,
        "drug": str,
        "amount": float,
        "amount_max": float,
        "unit": str,
        "frequency": str,
        "duration": str,
        "dose_level": str,
        "regimen": str,
        "text": str,
        "start": int,
        "end": int,
        "sentence": str,
        "section": str,
        "arm": str,
        "basis": str,
    },
    "responses": {
        "id": int,
        "document_id": int,
        "drug": str,
        "trial": str,
        "metric": str,
        "percent": float,
        "n": int,
        "total": int,
        "population": str,
        "dose_level": str,
        "text": str,
        "start": int,
        "end": int,
        "sentence": str,
        "section": str,
        "arm": str,
        "partners": str,
        "basis": str,
    },
    "relations": {
        "id": int,
        "document_id": int,
        "kind": str,
        "head": str,
        "tail": str,
        "sentence": str,
        "section": str,
        "head_start": int,
        "head_end": int,
        "tail_start": int,
        "tail_end": int,
        "basis": str,
    },
    "failures": {
        "id": int,
        "source": str,
        "stage": str,
        "error": str,
        "at": str,
    },
}

#: Tables whose rows belong to one document (deleted and rewritten when it changes).
FACT_TABLES = ("mentions", "doses", "responses", "relations")

NOT_NULL: dict[str, set[str]] = {
    "documents": {"source", "text", "content_hash"},
    "mentions": {"document_id", "label", "text", "norm", "start", "end"},
    "doses": {"document_id", "amount", "unit", "start", "end"},
    "responses": {"document_id", "metric", "start", "end"},
    "relations": {"document_id", "kind", "head", "tail"},
    "failures": {"source", "stage", "error", "at"},
}

INDEXES: list[tuple[str, list[str], bool]] = [
    ("documents", ["source"], True),
    ("documents", ["published"], False),
    ("documents", ["content_hash"], False),
    ("mentions", ["document_id"], False),
    ("mentions", ["label", "norm"], False),
    ("mentions", ["norm"], False),
    ("doses", ["document_id"], False),
    ("doses", ["drug"], False),
    ("responses", ["document_id"], False),
    ("responses", ["drug"], False),
    ("responses", ["trial"], False),
    ("relations", ["document_id"], False),
    ("relations", ["kind", "head"], False),
    ("relations", ["kind", "tail"], False),
    ("failures", ["source"], False),
]

FTS: dict[str, list[str]] = {"documents": ["title", "text"]}
