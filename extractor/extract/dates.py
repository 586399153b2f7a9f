"""Dates as press releases write them, at the precision they are written.

    "November 5, 2024"          → 2024-11-05  (day)
    "in November 2024"          → 2024-11     (month)
    "the second quarter of 2025", "Q2 2025", "2Q25"   → 2025-Q2 (quarter)
    "the first half of 2026", "1H 2026", "H1 2026"     → 2026-H1 (half)
    "mid-2025", "late 2025", "year-end 2025", "2025"   → 2025    (year)
    "today", "yesterday"        → the release's date, the day before (day)
    "this year", "next quarter", "in June" (no year)   → resolved against the release's date
    "last week", "earlier this month"                  → that month (month)

A relative date in a document without a publication date resolves to nothing: it is kept as
written (``DateHit.text``) with ``value`` None, never guessed. Day-precision strings are read by
python-dateutil (which also rejects impossible days such as February 30); the periods around
them (quarters, halves, seasons of the year) are named data below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil import parser as _dateutil

PRECISIONS = ("day", "month", "quarter", "half", "year")

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
#: Words before a year that keep it a year ("mid-2025", "late 2025", "by year-end 2025").
YEAR_PARTS = ("mid", "middle of", "early", "late", "end of", "the end of", "year-end", "year end", "beginning of",
              "the beginning of", "the middle of", "start of", "the start of", "fiscal", "full-year", "full year")
#: Years outside this range are not dates of drug events (a 1,000 mg dose, a 2,100-patient trial).
YEARS = range(1950, 2101)

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_ORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
#: A month and year, or a year ("April 2019", "Feb. 5, 2018", "2017"), for patterns built elsewhere.
MONTH_YEAR = rf"(?:{_MONTH}\s+(?:\d{{1,2}},?\s+)?)?{_YEAR}"
_PART = "|".join(sorted((re.escape(p).replace(r"\ ", r"\s") for p in YEAR_PARTS), key=len, reverse=True))

#: "during the week of January 6th": a week, which the text dates no finer than its month.
WEEK_OF = re.compile(r"(?i)\bweek\s+of\s+$")

#: The year a coordinated period gives the one before it: "the first half and second half of 2020",
#: "the third or fourth quarter of 2025".
COORDINATED_YEAR = re.compile(rf"(?i)\s*(?:,\s*)?(?:and|or|to|through|-|–)\s+(?:the\s+)?{_ORD}\s+(?:calendar\s+)?(?:quarter|half)s?\s+(?:of\s+)?({_YEAR})")

#: A year a period names: "2025", "calendar 2025", "calendar year 2025", "this (calendar) year", "next year".
_YEAR_WORDS = r"(?:this|next)\s+(?:calendar\s+)?year|the\s+year"
_YEAR_REF = rf"(?:calendar\s+(?:year\s+)?)?{_YEAR}|{_YEAR_WORDS}"
#: "calendar" only says the year is not a fiscal one: "the second half of calendar year 2024" is 2024-H2.
CALENDAR_WORDS = re.compile(r"\bcalendar\s+(?:year\s+(?=\d))?")
#: Each pattern names its precision by its group names; tried in this order at each position.
DATE_PATTERN = re.compile(
    r"(?i)(?:\b|(?-i:(?<=[a-z])(?=[A-Z])))(?:"  # "inOctober 2023": some feeds lose the space before a month
    rf"(?P<iso>{_YEAR}-[01]\d-[0-3]\d)"
    rf"|(?P<range>{_MONTH}\s*[0-3]?\d\s*[-–]\s*(?:{_MONTH}\s*)?[0-3]?\d,?\s*{_YEAR})"
    rf"|(?P<rangeny>{_MONTH}\s*[0-3]?\d\s*[-–]\s*[0-3]?\d)(?!\d|,?\s*{_YEAR})"
    rf"|(?P<mdy>{_MONTH}\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+{_YEAR})"
    rf"|(?P<dmy>[0-3]?\d\s+{_MONTH},?\s+{_YEAR})"
    rf"|(?P<md>{_MONTH}\s+[0-3]?\d(?!\d)(?:st|nd|rd|th)?)(?!,?\s*{_YEAR})(?!\s*(?:mg|%|patients|percent))"
    rf"|(?P<my>{_MONTH},?\s+(?:of\s+)?{_YEAR})"
    rf"|(?P<qword>(?:the\s+)?{_ORD}\s+(?:calendar\s+|fiscal\s+)?quarter(?:\s+(?:of\s+)?(?:{_YEAR_REF}))?)"
    rf"|(?P<qshort>(?:Q[1-4]|[1-4]Q)(?:(?:\s*['’]?|-)(?:{_YEAR}|\d\d)\b|(?![\w\-])))"
    rf"|(?P<hword>(?:the\s+)?(?:{_ORD}|1st|2nd)\s+half(?:\s+(?:of\s+)?(?:{_YEAR_REF}))?)"
    rf"|(?P<hshort>(?:H[12]|[12]H)(?:(?:\s*['’]?|-)(?:{_YEAR}|\d\d)\b|(?![\w\-])))"  # not "H1047R", a residue
    rf"|(?P<part>(?:{_PART})[\s-]+(?:{_YEAR_REF}|year))"
    r"|(?P<midyear>mid-?year|year[- ]end|end\s+of\s+(?:the\s+|this\s+)?year)"
    r"|(?P<rel>today|yesterday|(?:later\s+|earlier\s+)?this\s+(?:calendar\s+)?year|next\s+(?:calendar\s+)?year|last\s+year|"
    r"this\s+quarter|next\s+quarter|last\s+quarter(?!\s+of\b)|(?:earlier\s+)?this\s+month|next\s+month|last\s+month(?!\s+of\b)|(?:earlier\s+)?this\s+week"
    r"|last\s+week(?!\s+of\b))"
    rf"|(?P<year>(?<![\d,.$€£-]){_YEAR}(?!\d|,\d|\.\d|-\d|\s*(?:mg|patients|participants|subjects|%)))"
    rf"|(?P<month>(?:(?:in|during|by|since|from|until|through|of)\s+|(?:last|this|next)\s+(?-i:(?=[A-Z])))"  # "this may occur": a verb
    rf"{_MONTH}(?![a-z])(?!\.?,?\s+(?:[0-3]?\d(?:st|nd|rd|th)?\b|of\s+\d|{_YEAR})))"
    r")",
)


@dataclass(frozen=True)
class DateHit:
    """A date as written: its span, its value at ``precision`` (None when it cannot be resolved)."""

    start: int
    end: int
    text: str
    value: str | None
    precision: str | None
    first_day: str | None = None  # a range's first day ("February 14-16" at month precision starts on the 14th)
    last_day: str | None = None  # and its last ("May 31-June 3" ends on June 3)

    @property
    def relative(self) -> bool:
        return self.value is None


def _year_of(token: str, published: date | None) -> int | None:
    token = token.strip().lower().lstrip("'’")
    if token.isdigit():
        return int(token) if len(token) == 4 else 2000 + int(token)
    if published is None:
        return None
    return published.year + {"next year": 1, "last year": -1}.get(CALENDAR_WORDS.sub("", " ".join(token.split())), 0)


def _tail_year(text: str, published: date | None) -> int | None | bool:
    """The year a period phrase names at its end; ``False`` when it names none (use the release's)."""
    m = re.search(rf"({_YEAR}|['’]?\d\d|{_YEAR_WORDS})\s*$", text, re.I)
    if not m:
        return False
    return _year_of(m.group(1), published)


def parse_published(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _resolve(kind: str, raw: str, published: date | None) -> tuple[str | None, str | None]:
    low = CALENDAR_WORDS.sub("", " ".join(raw.lower().split()))  # "the first half of calendar year 2025" is 2025-H1
    if kind in ("iso", "mdy", "dmy"):
        try:
            day = _dateutil.parse(raw.replace(".", " ")).date()
        except (ValueError, OverflowError):
            return None, None
        return (day.isoformat(), "day") if day.year in YEARS else (None, None)
    if kind == "md":
        if published is None:
            return None, "day"
        try:
            day = _dateutil.parse(raw.replace(".", " "), default=datetime(published.year, published.month, 1)).date()
        except (ValueError, OverflowError):
            return None, None
        return day.isoformat(), "day"
    if kind == "range":  # "October 25-30, 2024": a meeting's days, dated to its first month
        month = MONTHS[re.match(r"[a-z]+", low).group(0)]
        year = int(re.search(_YEAR, low).group(0))
        return f"{year:04d}-{month:02d}", "month"
    if kind == "rangeny":  # "September 16-21": a meeting's days in the release's year
        month = MONTHS[re.match(r"[a-z]+", low).group(0)]
        return (f"{published.year:04d}-{month:02d}", "month") if published else (None, "month")
    if kind == "my":
        month = MONTHS[re.match(r"[a-z]+", low).group(0)]
        year = int(re.search(_YEAR, low).group(0))
        return f"{year:04d}-{month:02d}", "month"
    if kind == "month":
        name = re.search(_MONTH, low).group(0).rstrip(".")
        if name not in MONTHS or published is None:
            return None, "month"
        month, year = MONTHS[name], published.year
        if low.startswith("last ") and month >= published.month:
            year -= 1  # "Last May" in a release of March 2021 is May 2020
        elif low.startswith("next ") and month <= published.month:
            year += 1  # "next January" in a release of March 2021 is January 2022
        return f"{year:04d}-{month:02d}", "month"
    if kind in ("qword", "hword"):
        number = ORDINALS[re.search(_ORD, low).group(0)]
        year = _tail_year(low, published)
        if year is False:
            year = published.year if published else None
        label = "Q" if kind == "qword" else "H"
        if year is None:
            return None, "quarter" if kind == "qword" else "half"
        return f"{year:04d}-{label}{number}", "quarter" if kind == "qword" else "half"
    if kind in ("qshort", "hshort"):
        number = int(re.search(r"[1-4]", low).group(0))
        year = _tail_year(low[2:], published)
        if year is False:
            year = published.year if published else None
        precision = "quarter" if kind == "qshort" else "half"
        if year is None:
            return None, precision
        return f"{year:04d}-{'Q' if kind == 'qshort' else 'H'}{number}", precision
    if kind == "part":
        year = _tail_year(low, published)
        if year is False or low.endswith("year") and not re.search(r"(this|next)\s+year$", low):
            year = published.year if published and not low.endswith("next year") else (published.year + 1 if published else None)
        return (f"{year:04d}", "year") if year else (None, "year")
    if kind == "midyear":
        return (f"{published.year:04d}", "year") if published else (None, "year")
    if kind == "rel":
        if published is None:
            return None, None
        if low == "today":
            return published.isoformat(), "day"
        if low == "yesterday":  # "data presented yesterday at AAN"
            return (published - timedelta(days=1)).isoformat(), "day"
        if low.endswith("week"):  # a week, which the text dates no finer than its month ("last week")
            day = published - timedelta(days=7 if low == "last week" else 0)
            return f"{day.year:04d}-{day.month:02d}", "month"
        if low.endswith("month"):
            month = published.month + {"next month": 1, "last month": -1}.get(low, 0)
            year = published.year + (month > 12) - (month < 1)
            return f"{year:04d}-{(month - 1) % 12 + 1:02d}", "month"
        if low.endswith("quarter"):
            quarter = (published.month - 1) // 3 + 1 + {"next quarter": 1, "last quarter": -1}.get(low, 0)
            year = published.year + (quarter > 4) - (quarter < 1)
            return f"{year:04d}-Q{(quarter - 1) % 4 + 1}", "quarter"
        year = published.year + {"next year": 1, "last year": -1}.get(low, 0)
        return f"{year:04d}", "year"
    if kind == "year":
        return raw, "year"
    return None, None


def find_dates(text: str, published: str | None = None, start: int = 0, end: int | None = None) -> list[DateHit]:
    """Every date expression in ``text[start:end]``, with offsets into ``text``."""
    pub = parse_published(published)
    hits = []
    for m in DATE_PATTERN.finditer(text, start, len(text) if end is None else end):
        kind = m.lastgroup
        raw = m.group(kind)
        value, precision = _resolve(kind, raw, pub)
        if kind in ("qword", "hword") and not re.search(rf"{_YEAR}|year", raw, re.I) and (
                later := COORDINATED_YEAR.match(text, m.end(), len(text) if end is None else end)):
            value, precision = _resolve(kind, f"{raw} {later.group(1)}", pub)  # "the first half and second half of 2020"
        if kind in ("month", "part") and value is None and precision is None:
            continue
        offset = m.start(kind)
        if kind == "month":  # "in June": the date is the month, not the preposition
            offset += len(raw) - len(raw.split(None, 1)[1])
            raw = raw.split(None, 1)[1]
        first = _first_day(raw, value) if kind in ("range", "rangeny") else None
        last = _last_day(raw, first) if first else None
        if precision == "day" and value and WEEK_OF.search(text, max(0, offset - 12), offset):
            value, precision = value[:7], "month"  # "the week of January 6th, 2025": that month, not that day
        hits.append(DateHit(offset, m.end(kind), raw, value, precision, first, last))
    return hits


def _first_day(raw: str, value: str | None) -> str | None:
    """The first day of a day range whose month ``value`` is known ("October 25-30" in 2024-10 → 2024-10-25)."""
    day = re.search(r"(\d{1,2})\s*[-–]", raw)
    if not (value and day):
        return None
    try:
        return date(int(value[:4]), int(value[5:7]), int(day.group(1))).isoformat()
    except ValueError:
        return None


def _last_day(raw: str, first: str) -> str | None:
    """The last day of a day range that starts on ``first`` ("May 31-June 3" → June 3; "June 12-15" → June 15)."""
    end = re.search(r"[-–]\s*(?:([A-Za-z]+)\.?\s+)?(\d{1,2})\b", raw)
    if not end:
        return None
    start = date.fromisoformat(first)
    month = MONTHS.get(end.group(1).lower()) if end.group(1) else start.month
    if month is None:
        return None
    try:
        return date(start.year + (month < start.month), month, int(end.group(2))).isoformat()
    except ValueError:
        return None


def period(value: str) -> tuple[date, date]:
    """The first and last day of a date at any precision ("2025-Q2" → 2025-04-01 … 2025-06-30)."""
    year = int(value[:4])
    rest = value[5:]
    if not rest:
        return date(year, 1, 1), date(year, 12, 31)
    if rest.startswith(("Q", "H")):
        months = 3 if rest[0] == "Q" else 6
        first = (int(rest[1]) - 1) * months + 1
        last = first + months - 1
        return date(year, first, 1), _month_end(year, last)
    if len(rest) == 2:
        return date(year, int(rest), 1), _month_end(year, int(rest))
    day = date.fromisoformat(value)
    return day, day


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)
