"""``extractor calendar``: expected catalysts in date order, and the rows behind ``--ics``.

Rows are ordered by the last day their date allows, so "2025" (by the end of 2025) comes after
"2025-11-05", and "2025-Q2" after "2025-05". A row's date is the event's date at the precision the text gives ("2025-Q2"); ``--from`` and
``--to`` compare against the whole period it covers (``date_start`` … ``date_end``), so an event
"in the second quarter of 2025" is on the calendar for any range that overlaps April to June.
Expected events with no stated date are listed last and never put on a day they were not given.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .guard import connect_readonly
from .names import drug_group, resolve

__all__ = ["CalendarEntry", "calendar", "parse_day"]


@dataclass(frozen=True)
class CalendarEntry:
    date: str | None
    date_precision: str | None
    date_start: str | None
    date_end: str | None
    date_text: str | None
    kind: str
    status: str
    detail: str | None
    drug: str | None
    trial: str | None
    indication: str | None
    agency: str | None
    published: str | None
    source: str
    title: str | None
    sentence: str
    event_id: int

    @property
    def what(self) -> str:
        """One line: "ALLO-329 trial_start (RESOLUTION)"."""
        parts = [self.drug or "(no drug named)", self.kind.replace("_", " ")]
        if self.detail:
            parts.append(f"({self.detail})")
        if self.trial:
            parts.append(self.trial)
        return " ".join(parts)


def parse_day(value: str | None, option: str, *, last: bool = False) -> str | None:
    """An ISO day for ``--from``/``--to``: YYYY-MM-DD, or YYYY-MM / YYYY for the period's first day
    (its last day with ``last``, so ``--to 2025`` includes December 31)."""
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:])
            first = date(year, month, 1)
            following = date(year + (month == 12), month % 12 + 1, 1)
            return (following - timedelta(days=1) if last else first).isoformat()
        if len(text) == 4:
            return date(int(text), 12, 31).isoformat() if last else date(int(text), 1, 1).isoformat()
    except ValueError:
        pass
    raise ValueError(f"{option} {value!r}: expected a date as YYYY-MM-DD, YYYY-MM or YYYY")


def calendar(
    db_path: str | Path,
    *,
    start: str | None = None,
    end: str | None = None,
    kinds: tuple[str, ...] = (),
    drugs: tuple[str, ...] = (),
    include_occurred: bool = False,
    undated: bool = True,
) -> list[CalendarEntry]:
    """Expected events (and occurred ones with ``include_occurred``) overlapping ``start``…``end``, in date order."""
    conn = connect_readonly(db_path)
    try:
        return _calendar(conn, start, end, kinds, drugs, include_occurred, undated)
    finally:
        conn.close()


def _calendar(conn: sqlite3.Connection, start, end, kinds, drugs, include_occurred, undated) -> list[CalendarEntry]:
    where = ["1 = 1"] if include_occurred else ["e.status = 'expected'"]
    params: list[object] = []
    if start:
        where.append("(e.date_end >= ?" + (" or e.date is null)" if undated else ")"))
        params.append(start)
    if end:
        where.append("(e.date_start <= ?" + (" or e.date is null)" if undated else ")"))
        params.append(end)
    if not undated:
        where.append("e.date is not null")
    if kinds:
        where.append(f"e.kind in ({', '.join('?' * len(kinds))})")
        params.extend(kinds)
    if drugs:
        norms: set[str] = set()
        for name in drugs:
            found = [e.norm for e in resolve(conn, name) if e.kind == "drug"]
            for norm in found or [name]:
                norms |= set(drug_group(conn, norm))
        where.append(f"e.drug in ({', '.join('?' * len(norms))})")
        params.extend(sorted(norms))
    rows = conn.execute(
        f"""select e.date, e.date_precision, e.date_start, e.date_end, e.date_text, e.kind, e.status, e.detail, e.drug,
                   e.trial, e.indication, e.agency, d.published, d.source, d.title, e.sentence, e.id
            from events e join documents d on d.id = e.document_id
            where {' and '.join(where)}
            order by e.date_end is null, e.date_end, e.date_start, e.kind, e.drug, d.published desc, e.id""",
        params,
    ).fetchall()
    return [CalendarEntry(*row) for row in rows]
