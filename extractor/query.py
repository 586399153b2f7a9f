"""Reading the database: profiles for ``show``, full-text search, the read-only SQL guard,
export, and the Datasette metadata for ``serve``.

Everything here opens the file read-only (``file:...?mode=ro``) with the standard
:mod:`sqlite3` module; only :mod:`extractor.store` writes. The database uses WAL, so
reading beside a running ``extractor run`` is safe.
"""

from __future__ import annotations

import csv
import difflib
import html
import json
import math
import re
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import QueryError, StoreError
from .store import connect_readonly as _store_connect_readonly

__all__ = [
    "CANNED_QUERIES",
    "DEFAULT_ROW_LIMIT",
    "DEFAULT_TIME_LIMIT",
    "EXPORT_TABLES",
    "VIEW_DESCRIPTIONS",
    "Entity",
    "Fact",
    "Hit",
    "Profile",
    "Summary",
    "QueryResult",
    "check_sql",
    "connect_readonly",
    "datasette_metadata",
    "export",
    "export_table",
    "canonical_drug",
    "drug_group",
    "drug_groups",
    "name_key",
    "profile",
    "run_query",
    "search",
    "resolve",
    "suggest",
    "summarize",
    "UnknownName",
]

DEFAULT_ROW_LIMIT = 1000
DEFAULT_TIME_LIMIT = 5.0  # seconds
MAX_ROW_LIMIT = 1_000_000
MAX_TIME_LIMIT = 3600.0  # seconds
#: The most bytes one value may hold (SQLite's SQLITE_LIMIT_LENGTH): building a longer string in one
#: function call would run past the time limit, which is only checked between steps.
MAX_VALUE_BYTES = 10_000_000
#: The most bytes a whole result may hold in memory.
MAX_RESULT_BYTES = 200_000_000
EXPORT_TABLES = ("documents", "mentions", "doses", "responses", "relations")


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


def _authorizer(denied: list[str]) -> Callable[..., int]:
    def authorize(action: int, arg1: str | None, arg2: str | None, dbname: str | None, source: str | None) -> int:
        if (_ACTION_NAMES.get(action), arg1) in _FTS5_INTERNAL and not (action == sqlite3.SQLITE_PRAGMA and arg2):
            return sqlite3.SQLITE_OK
        if action not in _ALLOWED_ACTIONS:
            denied.append(_ACTION_NAMES.get(action, str(action)).removeprefix("SQLITE_"))
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
            denied.append(f"function {arg2}")
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    return authorize


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
        if hasattr(conn, "setlimit"):
            conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
            conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        conn.set_authorizer(_authorizer(denied))
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


# ---------------------------------------------------------------------------------------
# Names: resolving what the user typed to a stored norm
# ---------------------------------------------------------------------------------------
def name_key(value: str) -> str:
    """Matching key: case-folded, without spaces, hyphens, dots or other punctuation.

    "AMG 510", "AMG-510" and "amg510" share a key; so do "Sotorasib" and "sotorasib".
    """
    return re.sub(r"[\W_]+", "", value).casefold()


KIND_LABELS = {"drug": ("DRUG_CODE", "DRUG_NAME"), "target": ("TARGET",), "trial": ("TRIAL",)}
_KIND_ORDER = {"drug": 0, "target": 1, "trial": 2}


@dataclass(frozen=True)
class Entity:
    kind: str  # drug, target, trial
    norm: str


def _known_names(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """``(kind, norm, surface)`` for every drug, target and trial the database knows."""
    out = []
    for row in conn.execute(
        "select distinct label, norm, text from mentions "
        "where label in ('DRUG_CODE', 'DRUG_NAME', 'TARGET', 'TRIAL')"
    ):
        kind = next(k for k, labels in KIND_LABELS.items() if row[0] in labels)
        out.append((kind, row[1], row[2]))
    for table, kind in (("responses", "drug"), ("doses", "drug"), ("responses", "trial")):
        column = "trial" if kind == "trial" else "drug"
        for (value,) in conn.execute(f"select distinct [{column}] from [{table}] where [{column}] is not null"):
            out.append((kind, value, value))
    return out


def drug_groups(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """``norm -> every norm of its drug`` for the drugs ``drug_alias`` relations join.

    The relations are followed transitively and across documents ("sotorasib" ↔ "AMG-510" in
    one article and "AMG-510" ↔ "AMG510X" in another make one drug of three norms). A norm no
    alias relation mentions is absent: it is a drug of its own.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for head, tail in conn.execute("select head, tail from relations where kind = 'drug_alias'"):
        if not head or not tail:
            continue
        a, b = find(head), find(tail)
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for norm in list(parent):
        members.setdefault(find(norm), []).append(norm)
    return {norm: sorted(group) for group in members.values() for norm in group}


def _drug_ranks(conn: sqlite3.Connection, norms: list[str]) -> dict[str, tuple[int, int]]:
    """``norm -> (is an INN, mentions)`` for the drug norms given."""
    marks = ",".join("?" * len(norms))
    return {
        r[0]: (int(r[1]), int(r[2]))
        for r in conn.execute(
            f"select norm, max(label = 'DRUG_NAME'), count(*) from mentions "
            f"where label in ('DRUG_CODE', 'DRUG_NAME') and norm in ({marks}) group by norm",
            norms,
        )
    }


def canonical_drug(conn: sqlite3.Connection, group: list[str]) -> str:
    """The name an alias group is shown under: its INN (a ``DRUG_NAME`` norm) before a code,
    then the most mentioned, then the first alphabetically. The ``drug_summary`` view uses
    the same rule."""
    if len(group) == 1:
        return group[0]
    ranks = _drug_ranks(conn, group)
    return min(group, key=lambda n: (-ranks.get(n, (0, 0))[0], -ranks.get(n, (0, 0))[1], n))


def drug_group(conn: sqlite3.Connection, norm: str, groups: dict[str, list[str]] | None = None) -> list[str]:
    """Every norm of the drug ``norm`` names, canonical name first (just ``[norm]`` without aliases)."""
    group = (groups if groups is not None else drug_groups(conn)).get(norm, [norm])
    first = canonical_drug(conn, group)
    return [first, *(n for n in group if n != first)]


def resolve(conn: sqlite3.Connection, name: str) -> list[Entity]:
    """Every entity ``name`` may mean, best first (a norm match before a surface match,
    drugs before targets before trials).

    A drug is returned under the canonical name of its alias group (:func:`drug_group`), so
    "AMG 510", "sotorasib" and "LUMAKRAS" all resolve to one ``Entity("drug", "sotorasib")``
    when the texts equate them.
    """
    key = name_key(name)
    if not key:
        return []
    scored: dict[Entity, int] = {}
    for kind, norm, surface in _known_names(conn):
        entity = Entity(kind, norm)
        if name_key(norm) == key:
            score = 0
        elif name_key(surface) == key:
            score = 1
        else:
            continue
        scored[entity] = min(score, scored.get(entity, 9))
    if any(e.kind == "drug" for e in scored):
        groups = drug_groups(conn)
        if groups:
            merged: dict[Entity, int] = {}
            for entity, score in scored.items():
                if entity.kind == "drug" and entity.norm in groups:
                    entity = Entity("drug", drug_group(conn, entity.norm, groups)[0])
                merged[entity] = min(score, merged.get(entity, 9))
            scored = merged
    return sorted(scored, key=lambda e: (scored[e], _KIND_ORDER[e.kind], e.norm))


def suggest(conn: sqlite3.Connection, name: str, n: int = 5) -> list[str]:
    """The closest known drug, target and trial names (norms and surfaces) to ``name``."""
    by_lower: dict[str, str] = {}
    for _kind, norm, surface in _known_names(conn):
        for value in (norm, surface):
            by_lower.setdefault(value.casefold(), value)
    matches = difflib.get_close_matches(name.casefold(), list(by_lower), n=n * 2, cutoff=0.5)
    # also compare on keys, so "allo 3166" finds ALLO-316
    keyed = {name_key(k): k for k in by_lower}
    matches += [keyed[k] for k in difflib.get_close_matches(name_key(name), list(keyed), n=n, cutoff=0.6)]
    out: list[str] = []
    for m in matches:
        value = by_lower[m]
        if value not in out:
            out.append(value)
    return out[:n]


# ---------------------------------------------------------------------------------------
# Profiles for ``show``
# ---------------------------------------------------------------------------------------
@dataclass
class Fact:
    """One line of a profile: a value with its evidence."""

    value: str
    detail: str = ""
    source: str = ""
    published: str | None = None
    sentence: str = ""
    document_id: int | None = None
    basis: str = ""  # how the text ties a relation (see README: basis); empty for older databases


#: Bases of relations stated within one sentence (``show --same-sentence``).
SAME_SENTENCE_BASES = ("apposition", "clause", "sentence")


@dataclass
class Profile:
    kind: str  # drug, target, trial
    name: str  # the norm
    aliases: list[str] = field(default_factory=list)
    sections: dict[str, list[Fact]] = field(default_factory=dict)
    also: list[Entity] = field(default_factory=list)  # other things the name could mean
    documents: int = 0

    def values(self, section: str) -> list[str]:
        return [f.value for f in self.sections.get(section, [])]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "aliases": self.aliases,
            "documents": self.documents,
            "sections": {k: [f.__dict__ for f in v] for k, v in self.sections.items()},
            "also": [e.__dict__ for e in self.also],
        }


def _newest_first(facts: list[Fact]) -> list[Fact]:
    """Newest documents first; a fact a document states twice (its headline and its body) once."""
    seen: set[tuple[str, str, int | None]] = set()
    out = []
    for fact in sorted(facts, key=lambda f: (f.published or "", f.document_id or 0), reverse=True):
        key = (fact.value, fact.detail, fact.document_id)
        if fact.document_id is not None and key in seen:
            continue
        seen.add(key)
        out.append(fact)
    return out


@dataclass
class Summary:
    """One value of a profile section across documents: how many state it, the newest, one example."""

    value: str
    detail: str
    documents: int
    newest: str | None
    example: Fact


def summarize(facts: list[Fact], *, since: str | None = None) -> list[Summary]:
    """Group a section's facts by value: the newest first, then those most documents state."""
    groups: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        if since and (fact.published or "") < since:
            continue
        groups.setdefault((fact.value, fact.detail), []).append(fact)
    out = []
    for (value, detail), members in groups.items():
        newest = max(members, key=lambda f: (f.published or "", f.document_id or 0))
        documents = len({f.document_id for f in members})
        out.append(Summary(value, detail, documents, newest.published, newest))
    out.sort(key=lambda x: x.value)
    out.sort(key=lambda x: x.documents, reverse=True)
    out.sort(key=lambda x: x.newest or "", reverse=True)  # stable: newest, then most documents, then A-Z
    return out


def _has_column(conn: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in conn.execute(f"pragma table_info([{table}])"))


def _relation_facts(
    conn: sqlite3.Connection, kind: str, keys: list[str], *, by: str = "head", same_sentence: bool = False
) -> list[Fact]:
    """Facts from relations of ``kind`` whose ``by`` side is one of ``keys`` (only those stated within
    one sentence when ``same_sentence``).

    The fact's value is the other side; its detail names the matching key when there are several.
    """
    if not keys:
        return []
    other = "tail" if by == "head" else "head"
    has_basis = _has_column(conn, "relations", "basis")
    basis = "r.basis" if has_basis else "''"
    strict = f" and r.basis in ({','.join(repr(b) for b in SAME_SENTENCE_BASES)})" if same_sentence and has_basis else ""
    sql = (
        f"select r.{other} as value, r.{by} as key, r.sentence, r.document_id, d.source, d.published, {basis} as basis "
        "from relations r join documents d on d.id = r.document_id "
        f"where r.kind = ? and r.{by} in ({','.join('?' * len(keys))}){strict} order by d.published desc, r.id"
    )
    return [
        Fact(r["value"], "" if len(keys) == 1 else r["key"], r["source"], r["published"], r["sentence"] or "",
             r["document_id"], r["basis"] or "")
        for r in _rows(conn, sql, [kind, *keys])
    ]


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One line per (value, detail, document): the newest evidence for each."""
    seen: set[tuple[str, str, int | None]] = set()
    out = []
    for fact in _newest_first(facts):
        key = (fact.value, fact.detail, fact.document_id)
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out


def _trial_details(conn: sqlite3.Connection, trials: list[str]) -> dict[str, str]:
    """``trial -> "Phase 1 · NCT04696731"`` from trial_phase and trial_nct relations."""
    out: dict[str, str] = {}
    for trial in trials:
        phases = sorted({f.value for f in _relation_facts(conn, "trial_phase", [trial])})
        ncts = sorted({f.value for f in _relation_facts(conn, "trial_nct", [trial])})
        parts = []
        if phases:
            parts.append("Phase " + "/".join(phases))
        parts.extend(ncts)
        out[trial] = " · ".join(parts)
    return out


def _fmt_number(value: float | None) -> str:
    if value is None:
        return ""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.6g}"


def _response_facts(conn: sqlite3.Connection, column: str, keys: list[str]) -> list[Fact]:
    if not keys:
        return []
    sql = (
        "select r.*, d.source as source_, d.published as published_ from responses r "
        f"join documents d on d.id = r.document_id where r.[{column}] in ({','.join('?' * len(keys))}) "
        "order by d.published desc, r.id"
    )
    facts = []
    for r in _rows(conn, sql, keys):
        value = f"{r['metric']} {_fmt_number(r['percent'])}%" if r["percent"] is not None else str(r["metric"])
        bits = []
        if r["n"] is not None and r["total"] is not None:
            bits.append(f"{r['n']}/{r['total']}")
        if column == "drug" and r["trial"]:
            bits.append(r["trial"])
        if column == "trial" and r["drug"]:
            bits.append(r["drug"])
        if r["dose_level"]:
            bits.append(f"dose level {r['dose_level']}")
        if r["population"]:
            bits.append(r["population"])
        if r.get("partners"):
            bits.append(f"with {r['partners']}")
        if r.get("arm") and r["arm"] != "investigational":
            bits.append(f"{r['arm']} arm")
        facts.append(Fact(value, " · ".join(bits), r["source_"], r["published_"], r["sentence"] or "", r["document_id"],
                          r.get("basis") or ""))
    return facts


def _dose_facts(conn: sqlite3.Connection, keys: list[str]) -> list[Fact]:
    if not keys:
        return []
    sql = (
        "select x.*, d.source as source_, d.published as published_ from doses x "
        f"join documents d on d.id = x.document_id where x.drug in ({','.join('?' * len(keys))}) "
        "order by d.published desc, x.id"
    )
    facts = []
    for r in _rows(conn, sql, keys):
        amount = _fmt_number(r["amount"])
        if r["amount_max"] is not None:
            amount += "–" + _fmt_number(r["amount_max"])
        value = f"{amount} {r['unit']}"
        bits = [b for b in (r["frequency"], r["duration"]) if b]
        if r["dose_level"]:
            bits.append(f"dose level {r['dose_level']}")
        if r["regimen"]:
            bits.append(f"regimen {r['regimen']}")
        if r["text"] and r["text"] != value:
            bits.append(f"“{r['text']}”")
        facts.append(Fact(value, " · ".join(bits), r["source_"], r["published_"], r["sentence"] or "", r["document_id"]))
    return facts


def _aliases(conn: sqlite3.Connection, labels: tuple[str, ...], norm: str | list[str]) -> list[str]:
    """Other names of ``norm`` (or of a group of norms, the first being the name shown): the
    group's other norms, then every surface seen, most frequent first."""
    norms = [norm] if isinstance(norm, str) else list(norm)
    marks = ",".join("?" * len(labels))
    rows = conn.execute(
        f"select text, count(*) as n from mentions where label in ({marks}) "
        f"and norm in ({','.join('?' * len(norms))}) group by text order by n desc, text",
        [*labels, *norms],
    ).fetchall()
    out = [n for n in norms[1:]]
    out += [r[0] for r in rows if r[0] != norms[0] and r[0] not in out]
    return out


def _document_count(conn: sqlite3.Connection, labels: tuple[str, ...], norm: str | list[str]) -> int:
    norms = [norm] if isinstance(norm, str) else list(norm)
    marks = ",".join("?" * len(labels))
    return int(
        conn.execute(
            f"select count(distinct document_id) from mentions where label in ({marks}) "
            f"and norm in ({','.join('?' * len(norms))})",
            [*labels, *norms],
        ).fetchone()[0]
    )


def _drug_relation_facts(conn: sqlite3.Connection, kind: str, keys: list[str], same_sentence: bool = False) -> list[Fact]:
    """Relations of ``kind`` headed by any name of the drug, one line per value and document."""
    facts = _relation_facts(conn, kind, keys, same_sentence=same_sentence)
    for fact in facts:
        fact.detail = ""  # which alias a fact was recorded under does not split it
    return _dedupe(facts)


def _drug_profile(conn: sqlite3.Connection, norm: str, same_sentence: bool = False) -> Profile:
    """The profile of the drug ``norm`` names, merged over every name of its alias group."""
    keys = drug_group(conn, norm)
    name = keys[0]
    p = Profile("drug", name, _aliases(conn, KIND_LABELS["drug"], keys))
    p.documents = _document_count(conn, KIND_LABELS["drug"], keys)
    p.sections["company"] = _drug_relation_facts(conn, "drug_company", keys, same_sentence)
    targets = _drug_relation_facts(conn, "drug_target", keys, same_sentence)
    for fact in targets:
        surfaces = [s for s in _aliases(conn, ("TARGET",), fact.value)]
        fact.detail = ", ".join(surfaces)
    p.sections["targets"] = targets
    trials = _drug_relation_facts(conn, "drug_trial", keys, same_sentence)
    details = _trial_details(conn, sorted({f.value for f in trials}))
    for fact in trials:
        fact.detail = details.get(fact.value, "")
    p.sections["trials"] = trials
    p.sections["indications"] = _drug_relation_facts(conn, "drug_indication", keys, same_sentence)
    p.sections["doses"] = _newest_first(_dose_facts(conn, keys))
    p.sections["responses"] = _newest_first(_response_facts(conn, "drug", keys))
    return p


def _target_profile(conn: sqlite3.Connection, norm: str, same_sentence: bool = False) -> Profile:
    p = Profile("target", norm, _aliases(conn, ("TARGET",), norm))
    p.documents = _document_count(conn, ("TARGET",), norm)
    drugs = _dedupe(_relation_facts(conn, "drug_target", [norm], by="tail", same_sentence=same_sentence))
    drug_names = sorted({f.value for f in drugs})
    companies: dict[str, set[str]] = {}
    for fact in _relation_facts(conn, "drug_company", drug_names):
        companies.setdefault(fact.detail or drug_names[0], set()).add(fact.value)
    for fact in drugs:
        fact.detail = ", ".join(sorted(companies.get(fact.value, ())))
    p.sections["drugs"] = drugs
    trials = _dedupe(_relation_facts(conn, "drug_trial", drug_names))
    details = _trial_details(conn, sorted({f.value for f in trials}))
    for fact in trials:
        fact.detail = " · ".join(b for b in (fact.detail, details.get(fact.value, "")) if b)
    p.sections["trials"] = trials
    p.sections["indications"] = _dedupe(_relation_facts(conn, "drug_indication", drug_names))
    p.sections["responses"] = _newest_first(_response_facts(conn, "drug", drug_names))
    return p


def _trial_profile(conn: sqlite3.Connection, norm: str, same_sentence: bool = False) -> Profile:
    p = Profile("trial", norm, _aliases(conn, ("TRIAL",), norm))
    p.documents = _document_count(conn, ("TRIAL",), norm)
    p.sections["phases"] = _dedupe(_relation_facts(conn, "trial_phase", [norm], same_sentence=same_sentence))
    p.sections["NCT ids"] = _dedupe(_relation_facts(conn, "trial_nct", [norm], same_sentence=same_sentence))
    p.sections["drugs"] = _dedupe(_relation_facts(conn, "drug_trial", [norm], by="tail", same_sentence=same_sentence))
    p.sections["indications"] = _dedupe(_relation_facts(conn, "trial_indication", [norm], same_sentence=same_sentence))
    p.sections["responses"] = _newest_first(_response_facts(conn, "trial", [norm]))
    return p


class UnknownName(QueryError):
    """``show`` found nothing; carries the closest known names."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no drug, target or trial called {name!r}{hint}")
        self.name = name
        self.suggestions = suggestions


def profile(db_path: str | Path, name: str, *, same_sentence: bool = False) -> Profile:
    """Everything known about a drug, target or trial; :class:`UnknownName` when nothing matches.
    With ``same_sentence``, relations count only where one sentence states them."""
    conn = connect_readonly(db_path)
    try:
        matches = resolve(conn, name)
        if not matches:
            raise UnknownName(name, suggest(conn, name))
        best = matches[0]
        build = {"drug": _drug_profile, "target": _target_profile, "trial": _trial_profile}[best.kind]
        p = build(conn, best.norm, same_sentence)
        p.also = matches[1:]
        return p
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------
@dataclass
class Hit:
    document_id: int
    title: str | None
    published: str | None
    source: str
    url: str | None
    snippet: str
    facts: dict[str, list[str]] = field(default_factory=dict)


def fts_query(text: str) -> str:
    """A user's words as an FTS5 query: every word must occur (quoted, so no syntax errors)."""
    words = re.findall(r"[\w.+/-]+", text)
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def search(db_path: str | Path, text: str, *, limit: int = 20, per_kind: int = 3) -> list[Hit]:
    """Documents matching every word of ``text``, best first, with their top facts per kind."""
    query = fts_query(text)
    if not query:
        raise QueryError("nothing to search for")
    conn = connect_readonly(db_path)
    try:
        if not _has_table(conn, "documents_fts"):
            raise QueryError("the database has no full-text index (run `extractor run` first)")
        try:
            rows = _rows(
                conn,
                "select d.id, d.title, d.published, d.source, d.url, "
                "snippet(documents_fts, -1, '[', ']', '…', 16) as snippet "
                "from documents_fts join documents d on d.id = documents_fts.rowid "
                "where documents_fts match ? order by rank limit ?",
                [query, limit],
            )
        except sqlite3.OperationalError as exc:
            raise QueryError(f"search failed: {exc}") from exc
        hits = []
        for r in rows:
            hit = Hit(r["id"], r["title"], r["published"], r["source"], r["url"], " ".join((r["snippet"] or "").split()))
            for label, norm in conn.execute(
                "select label, norm from mentions where document_id = ? group by label, norm "
                "order by label, count(*) desc, min(start)",
                [r["id"]],
            ):
                values = hit.facts.setdefault(label, [])
                if len(values) < per_kind:
                    values.append(norm)
            responses = [
                f"{x['drug'] or '?'} {x['metric']} {_fmt_number(x['percent'])}%"
                for x in _rows(conn, "select drug, metric, percent from responses where document_id = ? order by id limit ?", [r["id"], per_kind])
            ]
            if responses:
                hit.facts["RESPONSE"] = responses
            hits.append(hit)
        return hits
    finally:
        conn.close()


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


# ---------------------------------------------------------------------------------------
# Datasette metadata for ``serve``
# ---------------------------------------------------------------------------------------
# A drug as typed (code or name, any spacing/case) -> the stored norms, inside SQL.
_DRUG_NORMS = """
select distinct norm from mentions
where label in ('DRUG_CODE', 'DRUG_NAME')
  and (upper(replace(replace(replace(norm, ' ', ''), '-', ''), '_', ''))
         = upper(replace(replace(replace(:drug, ' ', ''), '-', ''), '_', ''))
    or upper(replace(replace(replace(text, ' ', ''), '-', ''), '_', ''))
         = upper(replace(replace(replace(:drug, ' ', ''), '-', ''), '_', '')))
union select :drug
"""

# The CTEs ``typed`` (the norms above) and ``drug`` (those plus every norm drug_alias
# relations join to them, transitively and across documents). Follows ``with recursive``.
_DRUG_GROUP = f"""typed(norm) as ({_DRUG_NORMS.strip()}),
drug(norm) as (
  select norm from typed
  union
  select case when r.head = drug.norm then r.tail else r.head end
  from relations r join drug on r.head = drug.norm or r.tail = drug.norm
  where r.kind = 'drug_alias'
)"""

CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "drug_profile": {
        "title": "Drug profile",
        "description": "Everything known about one drug (code, INN or brand, any spacing; every name "
        "drug_alias relations equate with it counts as the same drug): aliases, company, "
        "targets, trials with phase and NCT id, indications, doses and response rates, newest first, "
        "each with its source document and evidence sentence.",
        "params": ["drug"],
        "hide_sql": True,
        "sql": f"""with recursive {_DRUG_GROUP},
trial as (select distinct tail as name from relations where kind = 'drug_trial' and head in (select norm from drug))
select fact, value, detail, published, source, sentence from (
  select substr(r.kind, 6) as fact, r.tail as value, r.head as detail, d.published, d.source, r.sentence, r.id as ord
  from relations r join documents d on d.id = r.document_id
  where r.kind like 'drug\\_%' escape '\\' and r.head in (select norm from drug)
  union all
  select replace(r.kind, 'trial_', 'trial ') as fact, r.tail, r.head, d.published, d.source, r.sentence, r.id
  from relations r join documents d on d.id = r.document_id
  where r.kind in ('trial_phase', 'trial_nct') and r.head in (select name from trial)
  union all
  select 'dose', case when x.amount = cast(x.amount as integer) then printf('%,d', x.amount)
                      else printf('%g', x.amount) end || ' ' || x.unit,
         trim(coalesce(x.frequency, '') || ' ' || coalesce('dose level ' || x.dose_level, '') || ' ' || coalesce('regimen ' || x.regimen, '')),
         d.published, d.source, x.sentence, x.id
  from doses x join documents d on d.id = x.document_id where x.drug in (select norm from drug)
  union all
  select 'response', x.metric || ' ' || printf('%g%%', x.percent),
         trim(coalesce(x.n || '/' || x.total, '') || ' ' || coalesce(x.trial, '') || ' ' || coalesce('dose level ' || x.dose_level, '')),
         d.published, d.source, x.sentence, x.id
  from responses x join documents d on d.id = x.document_id where x.drug in (select norm from drug)
)
order by published desc, fact, ord""",
    },
    "assets_by_target": {
        "title": "Assets by target",
        "description": "Drugs directed at a target, given as HGNC symbol (TNFRSF17) or as written (BCMA), "
        "with company, trials and the latest document.",
        "params": ["target"],
        "hide_sql": True,
        "sql": """with target as (
  select distinct norm from mentions where label = 'TARGET'
    and (upper(norm) = upper(:target) or upper(text) = upper(:target))
  union select upper(:target)
)
select r.tail as target, r.head as drug,
  (select group_concat(tail, ', ') from (select distinct tail from relations
     where kind = 'drug_company' and head = r.head)) as company,
  (select group_concat(tail, ', ') from (select distinct tail from relations
     where kind = 'drug_trial' and head = r.head)) as trials,
  count(distinct r.document_id) as documents,
  max(d.published) as latest
from relations r join documents d on d.id = r.document_id
where r.kind = 'drug_target' and r.tail in (select norm from target)
group by r.tail, r.head
order by latest desc, drug""",
    },
    "responses_by_drug": {
        "title": "Response rates by drug",
        "description": "Response rates for one drug (any alias: code, INN, brand, or a name drug_alias relations "
        "equate with it), by dose level, with trial, the name recorded, n/N and population.",
        "params": ["drug"],
        "hide_sql": True,
        "sql": f"""with recursive {_DRUG_GROUP}
select x.dose_level, x.metric, x.percent, x.n, x.total, x.trial, x.drug, x.population,
       d.published, d.source, x.sentence
from responses x join documents d on d.id = x.document_id
where x.drug in (select norm from drug)
order by x.dose_level is null, x.dose_level, x.metric, d.published desc""",
    },
}

TABLE_DESCRIPTIONS: dict[str, str] = {
    "documents": "One row per article: source path or URL, title, date, clean text (full-text indexed).",
    "mentions": "Labelled spans of a document's text with their normalised form (norm) and sentence.",
    "doses": "Doses found in a document, with amount, unit, frequency, dose level and regimen.",
    "responses": "Response rates (ORR, CR, ...) with percent, n/N, population, dose level, drug and trial.",
    "relations": "Links between facts of one sentence, e.g. drug_target, drug_trial, trial_nct.",
    "failures": "Inputs that could not be read, cleaned, extracted or stored, with the reason.",
}

COLUMN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "documents": {
        "source": "Path or URL as given (path#N for the Nth record of a JSONL/CSV file)",
        "url": "Canonical URL when known",
        "published": "Publication date (YYYY-MM-DD)",
        "text": "Clean article text; every offset refers to it",
        "content_hash": "SHA-256 of content and metadata, to skip unchanged inputs",
        "rules_version": "Version of the rules that produced the facts",
    },
    "mentions": {
        "label": "DRUG_CODE, DRUG_NAME, TARGET, TRIAL, NCT_ID, PHASE, INDICATION or COMPANY",
        "text": "The span as written",
        "norm": "Normalised form: drug code (ALLO-316), INN (sotorasib), HGNC symbol (TNFRSF17), trial (TRAVERSE)",
        "start": "Start offset in documents.text",
        "end": "End offset in documents.text",
        "sentence": "Sentence holding the span (the evidence)",
        "variant": "Variant of a target, e.g. G12C",
        "section": "title, body, about, forward_looking or contacts",
    },
    "doses": {
        "drug": "Norm of the drug dosed",
        "amount": "Amount (lower bound of a range)",
        "amount_max": "Upper bound of a range",
        "dose_level": "Dose level, e.g. DL2",
        "regimen": "Regimen a component belongs to, e.g. FC500",
        "text": "The dose as written",
    },
    "responses": {
        "drug": "Norm of the drug",
        "trial": "Norm of the trial",
        "metric": "ORR, CR, DCR, ...",
        "percent": "Rate in percent",
        "n": "Responders",
        "total": "Evaluable patients",
        "population": "Population as written",
        "dose_level": "Dose level, e.g. DL2",
        "text": "The rate as written",
    },
    "relations": {
        "kind": "drug_target, drug_trial, trial_nct, trial_phase, trial_indication, drug_indication, drug_company "
        "or drug_alias (head and tail are two names of one drug)",
        "head": "Norm of the head fact (a drug or trial)",
        "tail": "Norm of the tail fact",
        "sentence": "Sentence stating the relation (the evidence)",
    },
}

#: One line per view of :data:`extractor.store.views.VIEWS` (tests check the names match).
VIEW_DESCRIPTIONS: dict[str, str] = {
    "drug_summary": "One row per drug (names equated by drug_alias relations count as one, shown under the INN): "
    "documents, targets, trials, indications, company, latest date and the other names (aliases).",
    "drug_targets": "Drug-target pairs from drug_target relations, with the target's surface forms and document count.",
    "response_rates": "Every response rate with its trial, arm (investigational, control, placebo, benchmark), combination "
                      "partners, dose level, population, how its drug and trial are tied (basis), source document, date and sentence.",
    "relation_evidence": "Every relation with its basis (apposition, clause, sentence, paragraph, document, nearest, vocabulary), "
                         "same_sentence (1 when one sentence states it), the words naming each end, the evidence and its source.",
    "trials": "One row per trial name: phases, NCT ids, drugs and indications.",
}

TABLE_FACETS: dict[str, list[str]] = {
    "mentions": ["label", "section", "norm"],
    "relations": ["kind", "section"],
    "responses": ["metric", "drug", "arm"],
    "doses": ["unit", "drug"],
    "failures": ["stage"],
    "drug_summary": ["label"],
    "drug_targets": ["target"],
    "trials": ["phases"],
    "response_rates": ["metric", "drug", "arm"],
}
#: Tables and views Datasette shows largest first (by this column, descending).
TABLE_SORT_DESC: dict[str, str] = {
    "documents": "published",
    "drug_summary": "documents",
    "drug_targets": "documents",
    "trials": "documents",
}


def datasette_metadata(db_path: str | Path, *, title: str = "extractor: biotech press releases") -> dict[str, Any]:
    """Datasette metadata for the database: descriptions, facets, view docs, canned queries."""
    conn = connect_readonly(db_path)
    try:
        present = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    finally:
        conn.close()
    tables: dict[str, Any] = {}
    for name, description in {**TABLE_DESCRIPTIONS, **VIEW_DESCRIPTIONS}.items():
        if name not in present:
            continue
        entry: dict[str, Any] = {"description": description}
        if name in COLUMN_DESCRIPTIONS:
            entry["columns"] = COLUMN_DESCRIPTIONS[name]
        if name in TABLE_FACETS:
            entry["facets"] = TABLE_FACETS[name]
        if name in TABLE_SORT_DESC:
            entry["sort_desc"] = TABLE_SORT_DESC[name]
        tables[name] = entry
    queries = {name: dict(query) for name, query in CANNED_QUERIES.items()}
    database = Path(db_path).stem
    views = "".join(
        f'<li><a href="/{html.escape(database)}/{name}">{name}</a>: {html.escape(description)}</li>'
        for name, description in VIEW_DESCRIPTIONS.items() if name in present
    )
    return {
        "title": title,
        # the index page names the views (Datasette lists only tables there)
        "description_html": "<p>Drugs, targets, trials, doses and response rates extracted from biotech and pharma "
        "news. Every fact links to its document and evidence sentence.</p><p>Views:</p><ul>" + views + "</ul>",
        "databases": {database: {"tables": tables, "queries": queries}},
    }
