"""Full-text search over document titles and text (`search`)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import QueryError
from .guard import _has_table, _rows, connect_readonly
from .profiles import _fmt_number


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
