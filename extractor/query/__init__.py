"""Reading the database: one module per job. ``guard`` (the read-only connection and the SQL guard
behind ``query``), ``names`` (what the user typed to a stored norm), ``profiles`` (``show``),
``search``, ``export``, ``datasette`` (the metadata for ``serve``), ``calendar`` (expected events in
date order) and ``ics`` (the calendar as an iCalendar file; imported only by ``calendar --ics``).

Everything here opens the file read-only (``file:...?mode=ro``) with the standard
:mod:`sqlite3` module; only :mod:`extractor.store` writes. The database uses WAL, so
reading beside a running ``extractor run`` is safe.
"""

from __future__ import annotations

from .datasette import CANNED_QUERIES, COLUMN_DESCRIPTIONS, TABLE_DESCRIPTIONS, TABLE_FACETS, VIEW_DESCRIPTIONS, datasette_metadata
from .export import EXPORT_TABLES, export, export_table
from .guard import (
    DEFAULT_ROW_LIMIT,
    DEFAULT_TIME_LIMIT,
    MAX_LIKE_PATTERN_BYTES,
    MAX_RESULT_BYTES,
    MAX_ROW_LIMIT,
    MAX_TIME_LIMIT,
    MAX_VALUE_BYTES,
    QueryResult,
    check_sql,
    connect_readonly,
    harden_connection,
    run_query,
)
from .names import Entity, canonical_drug, drug_group, drug_groups, name_key, resolve, suggest
from .calendar import CalendarEntry, calendar, parse_day
from .profiles import DATED_SECTIONS, SAME_SENTENCE_BASES, Fact, Profile, Summary, UnknownName, profile, summarize
from .search import Hit, fts_query, search

__all__ = [
    "CANNED_QUERIES",
    "CalendarEntry",
    "DATED_SECTIONS",
    "COLUMN_DESCRIPTIONS",
    "DEFAULT_ROW_LIMIT",
    "DEFAULT_TIME_LIMIT",
    "EXPORT_TABLES",
    "Entity",
    "Fact",
    "Hit",
    "MAX_LIKE_PATTERN_BYTES",
    "MAX_RESULT_BYTES",
    "MAX_ROW_LIMIT",
    "MAX_TIME_LIMIT",
    "MAX_VALUE_BYTES",
    "Profile",
    "QueryResult",
    "SAME_SENTENCE_BASES",
    "Summary",
    "TABLE_DESCRIPTIONS",
    "TABLE_FACETS",
    "UnknownName",
    "VIEW_DESCRIPTIONS",
    "calendar",
    "canonical_drug",
    "check_sql",
    "connect_readonly",
    "datasette_metadata",
    "drug_group",
    "drug_groups",
    "export",
    "export_table",
    "fts_query",
    "harden_connection",
    "name_key",
    "parse_day",
    "profile",
    "resolve",
    "run_query",
    "search",
    "suggest",
    "summarize",
]
