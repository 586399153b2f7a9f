"""Calendar entries as an iCalendar file (RFC 5545), the home of the ``icalendar`` library.

Each dated entry is an all-day event spanning the period its date covers: "2025-11-05" is one
day, "2025-Q2" is April 1 to June 30 (DTEND is exclusive, so the day after). Undated entries are
left out: a calendar app needs a day, and an expected event's day is never guessed. The UID is
stable across runs (the event's database id and the source), so a subscribed calendar updates
rather than duplicates.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from icalendar import Calendar, Event

from .calendar import CalendarEntry

__all__ = ["to_ics", "write_ics"]

PRODID = "-//extractor//biotech catalysts//EN"


def to_ics(entries: list[CalendarEntry], *, name: str = "Biotech catalysts") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = datetime.now(timezone.utc)
    for entry in entries:
        if not (entry.date_start and entry.date_end):
            continue
        event = Event()
        uid = hashlib.sha256(f"{entry.source}|{entry.kind}|{entry.drug}|{entry.date}".encode()).hexdigest()[:24]
        event.add("uid", f"{uid}@extractor")
        event.add("dtstamp", stamp)
        event.add("dtstart", date.fromisoformat(entry.date_start))
        event.add("dtend", date.fromisoformat(entry.date_end) + timedelta(days=1))
        event.add("summary", f"{entry.what} [{entry.status}, {entry.date_text or entry.date}]")
        lines = [entry.sentence, "", f"Source: {entry.source}"]
        if entry.published:
            lines.append(f"Published: {entry.published}")
        event.add("description", "\n".join(lines))
        event.add("categories", [entry.kind])
        if entry.source.startswith(("http://", "https://")):
            event.add("url", entry.source)
        cal.add_component(event)
    return cal.to_ical()


def write_ics(entries: list[CalendarEntry], path: str | Path) -> int:
    """Write the dated entries to ``path``; the number written."""
    data = to_ics(entries)
    Path(path).write_bytes(data)
    return sum(1 for e in entries if e.date_start and e.date_end)
