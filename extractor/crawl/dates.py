"""Dates and the clock: :func:`parse_date` reads the date a listing, feed or page prints (RFC 822,
ISO 8601, ``MM/DD/YYYY``, ``November 20, 2026``) as an ISO day with dateutil, and the UTC helpers
give the crawler its notion of now and the ISO timestamps it keeps in the source state."""

from __future__ import annotations

import datetime as dt
import re

import dateutil.parser

#: Where a date stands in longer text (a listing item, a meta value): dateutil reads it from there.
_DATE_SPANS = (
    re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?"),
    re.compile(r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+\d{1,2}\s+[a-z]{3,9}\.?\s+\d{4}(?:\s+[\d:]+(?:\s*(?:[A-Z]{2,4}|[+-]\d{4}))?)?", re.I),
    re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b", re.I),
    re.compile(r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}\b", re.I),
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b"),
)
#: Two defaults that differ in every field: a date read the same under both was all in the text.
_DEFAULTS = (dt.datetime(1900, 1, 1), dt.datetime(1904, 2, 2))


def parse_date(value: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD) from the first full date in ``value`` (ISO 8601, RFC 822,
    ``MM/DD/YYYY``, ``November 20, 2026``, ``20 Nov 2026``), read by dateutil; None when the text
    gives no day, month and year."""
    if not value:
        return None
    text = value.strip()
    spans = sorted((m for pattern in _DATE_SPANS for m in pattern.finditer(text)), key=lambda m: m.start())
    for candidate in [m.group(0) for m in spans] or [text[:80]]:
        day = _full_date(candidate)
        if day is not None:
            return day.isoformat()
    return None


def _full_date(text: str) -> dt.date | None:
    try:
        first, second = (dateutil.parser.parse(text, default=d, fuzzy=True) for d in _DEFAULTS)
    except (ValueError, OverflowError, TypeError):
        return None
    return first.date() if first.date() == second.date() else None


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def parse_iso(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
