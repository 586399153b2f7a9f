"""Dates and the clock: :func:`parse_date` reads the date a listing, feed or page prints (RFC 822,
ISO 8601, ``MM/DD/YYYY``, ``November 20, 2026``) as an ISO day, and the UTC helpers give the crawler
its notion of now and the ISO timestamps it keeps in the source state."""

from __future__ import annotations

import datetime as dt
import email.utils
import re

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b", re.I)
_DAY_MONTH_DATE = re.compile(
    r"\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})\b", re.I)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")
_US_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def parse_date(value: str | None) -> str | None:
    """An ISO date (YYYY-MM-DD) from RFC 822, ISO 8601, ``MM/DD/YYYY`` or ``November 20, 2026``."""
    if not value:
        return None
    text = value.strip()
    for pattern, order in ((_ISO_DATE, "ymd"), (_MONTH_DATE, "mdy"), (_DAY_MONTH_DATE, "dmy"), (_US_DATE, "MDY")):
        match = pattern.search(text)
        if not match:
            continue
        a, b, c = match.groups()
        try:
            if order == "ymd":
                day = dt.date(int(a), int(b), int(c))
            elif order == "mdy":
                day = dt.date(int(c), _MONTHS[a[:3].lower()], int(b))
            elif order == "dmy":
                day = dt.date(int(c), _MONTHS[b[:3].lower()], int(a))
            else:
                day = dt.date(int(c), int(a), int(b))
        except (ValueError, KeyError):
            continue
        return day.isoformat()
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.date().isoformat() if parsed else None


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
