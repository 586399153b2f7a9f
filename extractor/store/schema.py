"""The database schema, as data. README.md documents every table and column listed here
(``tests/test_docs.py`` checks it).

:data:`TABLES` is the shape users query. Each fact table (:data:`FACT_TABLES`) is a view of that
name over a stored table ``<name>_data``, which holds ``sentence_id`` (a row of ``sentences``) in
place of the ``sentence`` text: a sentence is stored once however many facts quote it, and the
views keep every column readable as before (:func:`stored_columns`, :func:`fact_view`)."""

from __future__ import annotations

#: Bump when a table or column changes. ``Store.ensure_schema`` migrates an older file in place
#: (missing tables and columns added; before 5, fact tables held their sentences' text) and writes
#: this number to ``PRAGMA user_version``; a newer file is refused.
SCHEMA_VERSION = 5

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
    "events": {
        "id": int,
        "document_id": int,
        "kind": str,
        "status": str,
        "detail": str,
        "drug": str,
        "trial": str,
        "indication": str,
        "agency": str,
        "date": str,
        "date_text": str,
        "date_precision": str,
        "date_start": str,
        "date_end": str,
        "amount": float,
        "upfront": float,
        "milestones": float,
        "currency": str,
        "text": str,
        "start": int,
        "end": int,
        "sentence": str,
        "section": str,
    },
    "sentences": {
        "id": int,
        "document_id": int,
        "text": str,
    },
    "failures": {
        "id": int,
        "source": str,
        "stage": str,
        "error": str,
        "at": str,
    },
}

#: Tables whose rows belong to one document (deleted and rewritten when it changes); each is a
#: view over ``<name>_data``.
FACT_TABLES = ("mentions", "doses", "responses", "relations", "events")


def data_table(name: str) -> str:
    """The stored table behind the fact view ``name``."""
    return f"{name}_data"


def stored_columns(name: str) -> dict[str, type]:
    """The columns of ``name``'s stored table: its view's, with ``sentence_id`` for ``sentence``."""
    return {("sentence_id" if c == "sentence" else c): (int if c == "sentence" else t) for c, t in TABLES[name].items()}


def fact_view(name: str) -> str:
    """The SELECT of the fact view ``name``: its stored table's rows with their sentence's text."""
    columns = ", ".join("s.text as sentence" if c == "sentence" else f"f.[{c}]" for c in TABLES[name])
    return f"select {columns} from [{data_table(name)}] f left join sentences s on s.id = f.sentence_id"

NOT_NULL: dict[str, set[str]] = {
    "documents": {"source", "text", "content_hash"},
    "mentions": {"document_id", "label", "text", "norm", "start", "end"},
    "doses": {"document_id", "amount", "unit", "start", "end"},
    "responses": {"document_id", "metric", "start", "end"},
    "relations": {"document_id", "kind", "head", "tail"},
    "events": {"document_id", "kind", "status", "start", "end"},
    "failures": {"source", "stage", "error", "at"},
    "sentences": {"document_id", "text"},
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
    ("events", ["document_id"], False),
    ("events", ["kind", "date_start"], False),
    ("events", ["date_start"], False),
    ("events", ["drug"], False),
    ("failures", ["source"], False),
    ("sentences", ["document_id"], False),
]

FTS: dict[str, list[str]] = {"documents": ["title", "text"]}
