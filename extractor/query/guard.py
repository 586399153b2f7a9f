"""The read-only connection and the SQL guard: one SELECT, an authorizer, a time limit, a row
cap and size limits; `query` and every other reader go through it."""

from __future__ import annotations

import math
import re
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import QueryError
from ..store import connect_readonly as _store_connect_readonly


DEFAULT_ROW_LIMIT = 1000
DEFAULT_TIME_LIMIT = 5.0  # seconds
MAX_ROW_LIMIT = 1_000_000
MAX_TIME_LIMIT = 3600.0  # seconds
#: The most bytes one value may hold (SQLite's SQLITE_LIMIT_LENGTH): building a longer string in one
#: function call would run past the time limit, which is only checked between steps.
MAX_VALUE_BYTES = 10_000_000
#: The most bytes a whole result may hold in memory.
MAX_RESULT_BYTES = 200_000_000


# ---------------------------------------------------------------------------------------
# Opening
# ---------------------------------------------------------------------------------------
def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """Open ``path`` read-only (rows as ``sqlite3.Row``); :class:`StoreError` when it is missing or not a database."""
    conn = _store_connect_readonly(path)
    conn.row_factory = sqlite3.Row
    return conn


def _rows(conn: sqlite3.Connection, sql: str, params: Mapping[str, Any] | list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(sql, params).fetchall()]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("select 1 from sqlite_master where name = ?", [name]).fetchone() is not None


# ---------------------------------------------------------------------------------------
# The read-only SQL guard
# ---------------------------------------------------------------------------------------
#: Keywords that never belong in a read-only statement, wherever they appear.
FORBIDDEN_KEYWORDS = frozenset(
    {
        "ALTER", "ANALYZE", "ATTACH", "BEGIN", "COMMIT", "CREATE", "DELETE", "DETACH", "DROP",
        "INSERT", "PRAGMA", "REINDEX", "RELEASE", "REPLACE", "ROLLBACK",
        "SAVEPOINT", "UPDATE", "VACUUM", "LOAD_EXTENSION",
    }
)

#: SQL functions the authorizer refuses even inside a SELECT.
DENIED_FUNCTIONS = frozenset(
    {"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer", "sqlite_rename_table",
     "sqlite_rename_column", "sqlite_drop_column", "unhex_to_file"}
)

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>--[^\n]*(?:\n|$)|/\*(?:.|\n)*?(?:\*/|$))
    | (?P<string>'(?:[^']|'')*(?:'|$))
    | (?P<ident>"(?:[^"]|"")*(?:"|$)|`(?:[^`]|``)*(?:`|$)|\[[^\]]*(?:\]|$))
    | (?P<blob>[xX]'[0-9a-fA-F]*')
    | (?P<param>[:@$][A-Za-z_0-9]+|\?[0-9]*)
    | (?P<word>[^\W\d][\w$]*)
    | (?P<number>\d[\w.]*|\.\d[\w]*)
    | (?P<semi>;)
    | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(sql: str) -> list[tuple[str, str]]:
    """``(kind, text)`` of every meaningful token: strings, quoted names and comments are
    single tokens, so a keyword inside them is never mistaken for one."""
    out = []
    for match in _TOKEN.finditer(sql):
        kind = match.lastgroup or "punct"
        if kind in ("space", "comment"):
            continue
        out.append((kind, match.group()))
    return out


def check_sql(sql: str) -> str:
    """Return the statement if it is one read-only SELECT/WITH; else raise :class:`QueryError`."""
    text = sql.strip()
    if not text:
        raise QueryError("empty statement")
    if "\x00" in text:
        raise QueryError("NUL byte in statement")
    probe = text + "\n;"  # the newline ends a trailing -- comment
    if not sqlite3.complete_statement(probe):
        raise QueryError("incomplete statement (an unterminated string, name or comment?)")
    tokens = _tokens(text)
    statements: list[list[tuple[str, str]]] = [[]]
    for token in tokens:
        if token[0] == "semi":
            statements.append([])
        else:
            statements[-1].append(token)
    statements = [s for s in statements if s]
    if not statements:
        raise QueryError("empty statement")
    if len(statements) > 1:
        raise QueryError("only one statement is allowed")
    words = statements[0]
    first_kind, first = words[0]
    if first_kind != "word" or first.upper() not in ("SELECT", "WITH"):
        raise QueryError(f"only SELECT or WITH statements are allowed, not {first.split()[0][:20]!r}")
    for i, (kind, value) in enumerate(words):
        if kind != "word":
            continue
        upper = value.upper()
        if upper == "REPLACE" and i + 1 < len(words) and words[i + 1][1] == "(":
            continue  # the replace(x, y, z) string function
        if upper in FORBIDDEN_KEYWORDS or upper.startswith("PRAGMA_"):
            raise QueryError(f"{upper} is not allowed in a read-only query")
        if value.lower() in DENIED_FUNCTIONS:
            raise QueryError(f"{value}() is not allowed in a read-only query")
    return text


_ALLOWED_ACTIONS = {
    getattr(sqlite3, name)
    for name in ("SQLITE_SELECT", "SQLITE_READ", "SQLITE_FUNCTION", "SQLITE_RECURSIVE")
    if hasattr(sqlite3, name)
}
_ACTION_NAMES = {
    getattr(sqlite3, "SQLITE_" + n): "SQLITE_" + n
    for n in (
        "CREATE_INDEX CREATE_TABLE CREATE_TEMP_INDEX CREATE_TEMP_TABLE CREATE_TEMP_TRIGGER "
        "CREATE_TEMP_VIEW CREATE_TRIGGER CREATE_VIEW DELETE DROP_INDEX DROP_TABLE DROP_TEMP_INDEX "
        "DROP_TEMP_TABLE DROP_TEMP_TRIGGER DROP_TEMP_VIEW DROP_TRIGGER DROP_VIEW INSERT PRAGMA READ "
        "SELECT TRANSACTION UPDATE ATTACH DETACH ALTER_TABLE REINDEX ANALYZE CREATE_VTABLE "
        "DROP_VTABLE FUNCTION SAVEPOINT RECURSIVE"
    ).split()
    if hasattr(sqlite3, "SQLITE_" + n)
}


#: FTS5 prepares these internally when a query first touches a full-text table (they are
#: never run on a read-only connection, and check_sql refuses UPDATE and PRAGMA in user SQL).
_FTS5_INTERNAL = {
    ("SQLITE_UPDATE", "sqlite_master"),
    ("SQLITE_PRAGMA", "data_version"),
}


#: Pragmas that only describe the schema or the file, for a browser (Datasette) that reads its
#: own catalogue with them: the first set may take an argument (a table or index name), the
#: second only without one (with an argument they would set something).
SCHEMA_PRAGMAS = frozenset(
    {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list"}
)
STATUS_PRAGMAS = frozenset(
    {"database_list", "function_list", "compile_options", "schema_version", "data_version",
     "page_count", "page_size", "max_page_count", "freelist_count", "collation_list", "module_list",
     "pragma_list"}
)


def _authorizer(denied: list[str] | None, *, schema_pragmas: bool = False) -> Callable[..., int]:
    def deny(what: str) -> int:
        if denied is not None:
            denied.append(what)
        return sqlite3.SQLITE_DENY

    def authorize(action: int, arg1: str | None, arg2: str | None, dbname: str | None, source: str | None) -> int:
        if (_ACTION_NAMES.get(action), arg1) in _FTS5_INTERNAL and not (action == sqlite3.SQLITE_PRAGMA and arg2):
            return sqlite3.SQLITE_OK
        if schema_pragmas and action == sqlite3.SQLITE_PRAGMA:
            name = (arg1 or "").lower()
            if name in SCHEMA_PRAGMAS or (name in STATUS_PRAGMAS and arg2 is None):
                return sqlite3.SQLITE_OK
        if action not in _ALLOWED_ACTIONS:
            return deny(_ACTION_NAMES.get(action, str(action)).removeprefix("SQLITE_"))
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
            return deny(f"function {arg2}")
        return sqlite3.SQLITE_OK

    return authorize


#: The longest LIKE or GLOB pattern a browsing connection accepts. Matching is one C call of
#: up to (value length x pattern length) steps that no progress handler can stop, so with 10 MB
#: values the pattern must be short (SQLite's own default is 50,000 bytes).
MAX_LIKE_PATTERN_BYTES = 100


def harden_connection(
    conn: sqlite3.Connection,
    *,
    denied: list[str] | None = None,
    schema_pragmas: bool = False,
    linear_text_functions: bool = False,
) -> sqlite3.Connection:
    """Put the read-only guard on ``conn`` (any connection, also one a browser opened itself):
    the authorizer, no attached databases and at most :data:`MAX_VALUE_BYTES` in one value.

    ``denied`` collects what the authorizer refused. ``schema_pragmas`` lets through the pragmas
    that describe the schema (:data:`SCHEMA_PRAGMAS`, :data:`STATUS_PRAGMAS` without a value).
    ``linear_text_functions`` bounds the text functions one C call could keep busy for minutes
    (a progress handler only runs between steps): ``instr``, ``replace`` and two-argument
    ``trim``/``ltrim``/``rtrim`` are replaced by linear-time versions, and LIKE/GLOB patterns
    are cut to :data:`MAX_LIKE_PATTERN_BYTES`. Returns ``conn``.
    """
    if hasattr(conn, "setlimit"):
        conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        if linear_text_functions:
            conn.setlimit(sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, MAX_LIKE_PATTERN_BYTES)
    if linear_text_functions:
        _linear_text_functions(conn)
    conn.set_authorizer(_authorizer(denied, schema_pragmas=schema_pragmas))
    return conn


def _as_text(value: Any) -> str:
    """A value as SQLite's text functions see it (numbers written as SQLite writes them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float):
        conn = sqlite3.connect(":memory:")
        try:
            return str(conn.execute("select cast(? as text)", [value]).fetchone()[0])
        finally:
            conn.close()
    return str(value)


def _instr(haystack: Any, needle: Any) -> int | None:
    """SQLite's instr(), in linear time (str.find) instead of a naive scan."""
    if haystack is None or needle is None:
        return None
    if isinstance(haystack, bytes) and isinstance(needle, bytes):
        return haystack.find(needle) + 1
    return _as_text(haystack).find(_as_text(needle)) + 1


def _replace(value: Any, old: Any, new: Any) -> Any:
    """SQLite's replace(), in linear time; a result over the length limit is refused before it is built."""
    if value is None or old is None:
        return None
    pattern = _as_text(old)
    if not pattern:
        return _as_text(value) if isinstance(value, bytes) else value
    if new is None:
        return None
    text, with_ = _as_text(value), _as_text(new)
    count = text.count(pattern)
    if len(text.encode()) + count * (len(with_.encode()) - len(pattern.encode())) > MAX_VALUE_BYTES:
        raise sqlite3.DataError("string or blob too big")
    return text.replace(pattern, with_)


def _trimmer(left: bool, right: bool) -> Callable[[Any, Any], str | None]:
    """SQLite's two-argument trim(), ltrim() and rtrim(), in linear time (a set of characters)."""

    def trim(value: Any, chars: Any) -> str | None:
        if value is None or chars is None:
            return None
        text, drop = _as_text(value), set(_as_text(chars))
        start, end = 0, len(text)
        while left and start < end and text[start] in drop:
            start += 1
        while right and end > start and text[end - 1] in drop:
            end -= 1
        return text[start:end]

    return trim


def _linear_text_functions(conn: sqlite3.Connection) -> None:
    flags = {"deterministic": True}
    conn.create_function("instr", 2, _instr, **flags)
    conn.create_function("replace", 3, _replace, **flags)
    conn.create_function("trim", 2, _trimmer(True, True), **flags)
    conn.create_function("ltrim", 2, _trimmer(True, False), **flags)
    conn.create_function("rtrim", 2, _trimmer(False, True), **flags)


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool = False
    limit: int = DEFAULT_ROW_LIMIT
    seconds: float = 0.0

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _fetch(cursor: sqlite3.Cursor, n: int) -> list[Any]:
    """At most ``n`` rows, and at most MAX_RESULT_BYTES of values in all (checked row by row)."""
    rows: list[Any] = []
    size = 0
    for row in cursor:
        size += sum(len(v) if isinstance(v, str | bytes) else 8 for v in row)
        if size > MAX_RESULT_BYTES:
            raise QueryError(f"the result is larger than {MAX_RESULT_BYTES // 1_000_000} MB; select fewer rows or columns")
        rows.append(row)
        if len(rows) >= n:
            break
    return rows


def run_query(
    db_path: str | Path,
    sql: str,
    params: Mapping[str, Any] | None = None,
    *,
    limit: int = DEFAULT_ROW_LIMIT,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> QueryResult:
    """Run one read-only statement with named ``params``; at most ``limit`` rows.

    Three layers: the file is opened ``mode=ro``; :func:`check_sql` refuses anything but a
    single SELECT/WITH; an authorizer refuses every action but reading. A progress
    handler interrupts the statement after ``time_limit`` seconds.
    """
    if not 1 <= limit <= MAX_ROW_LIMIT:
        raise QueryError(f"--limit must be between 1 and {MAX_ROW_LIMIT:,}")
    if not (isinstance(time_limit, int | float) and math.isfinite(time_limit) and 0 < time_limit <= MAX_TIME_LIMIT):
        raise QueryError(f"--timeout must be a number of seconds above 0 and at most {MAX_TIME_LIMIT:g}")
    text = check_sql(sql)
    conn = connect_readonly(db_path)
    denied: list[str] = []
    started = time.monotonic()
    deadline = started + time_limit
    try:
        conn.row_factory = None
        harden_connection(conn, denied=denied, linear_text_functions=True)
        conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 1000)
        try:
            cursor = conn.execute(text, dict(params or {}))
            rows = _fetch(cursor, limit + 1)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise QueryError(f"query stopped after the time limit of {time_limit:g} s") from exc
            if denied or "not authorized" in str(exc):
                raise QueryError(f"not allowed in a read-only query: {denied[0] if denied else exc}") from exc
            raise QueryError(str(exc)) from exc
        except sqlite3.ProgrammingError as exc:  # a missing parameter (before its parent DatabaseError)
            raise QueryError(str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            if denied:
                raise QueryError(f"not allowed in a read-only query: {denied[0]}") from exc
            raise QueryError(str(exc)) from exc
        except sqlite3.Warning as exc:  # e.g. "You can only execute one statement at a time"
            raise QueryError(str(exc)) from exc
        columns = [d[0] for d in cursor.description or ()]
        truncated = len(rows) > limit
        return QueryResult(columns, [tuple(r) for r in rows[:limit]], truncated, limit, time.monotonic() - started)
    finally:
        conn.close()
