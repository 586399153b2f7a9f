"""Presentation schedules: the list of talks and posters a release about a congress prints below its news.

"Lilly Announces Details of Presentations at AACR" goes on to list each abstract: its title (which names the
medicine), its number, its session and its day ("Presentation Title: … LY4052031 … Abstract Number: 1872
Session Date & Time: Monday, April 8"). Each medicine the list names is presented at that congress, on the
day its entry gives. The entries come in many layouts (tables run together, label/value lines, "Abstract #503,
Poster Presentation: …"); in those seen so far an entry's title comes before its day, so a medicine belongs to
the first session day after it, unless the next entry's title starts first. A layout that heads its entries
with a weekday's date ("Oral Presentations Saturday, June 15 / Abstract 6536: 10:45-10:55 / …") gives each
medicine under that heading its day.
"""

from __future__ import annotations

import re
from datetime import date

from ..models import section_at
from .dates import DateHit, find_dates, period
from .text import Cand

#: Words that label the parts of a schedule's entries.
SCHEDULE_MARK = re.compile(
    # a label glued to the value before it by a lost line break counts too ("GeoVax ScientistPoster Number: 1050")
    r"(?i)(?:\b|(?-i:(?<=[a-z])(?=[A-Z])))(?:abstract\s+(?:number|title)|abstract\s*#\s*:?\s*[A-Z]*\d|presentation\s+(?:title|details|date)|"
    r"session\s+(?:date|title|type)\s*:|poster\s+(?:board|number)\s*#?\s*:?|(?:oral|poster)\s+presentation\s*:|"
    r"poster\s+session\s*\d{0,2}\s*[–—:-]|abstract\s+\d{2,5}[A-Z]?\s*:|presenter\s*:)"
)
#: Where an entry starts in layouts that label the title ("Presentation Title:", "Abstract Title:").
ENTRY_START = re.compile(r"(?i)\b(?:presentation|abstract|poster)\s+title\s*:|\bAbstract\s+\d{2,5}[A-Z]?\s*:")
#: A day that heads the entries after it ("Oral Presentations Saturday, June 15 / Abstract 6536: 10:45-10:55 / …"):
#: a weekday's date, not a label's value ("Session Date: …"), with an entry starting right after it.
HEADER_REACH = 80
#: Heading words run into the line before them ("… Presenter:Eric Simpson Posters").
HEADING_WORDS = 12
WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
WEEKDAY_BEFORE = re.compile(rf"(?i){WEEKDAY}\s*[,;]?\s*(?:on\s*)?$")
#: After a heading's date, the rest of its line: at most a year ("Saturday, June 15, 2019").
LINE_END_AFTER_DAY = re.compile(r"[ \t,]*(?:(?:19|20)\d\d)?[ \t]*(?:\n|$)")
#: A presenter's name the page ran into the heading after it ("Presenter:Eric Simpson Posters").
PRESENTER_BEFORE_HEADING = re.compile(r"(?i)presenter\s*:[^A-Z]*[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,3}\s")
#: What makes a line a label or a sentence rather than a heading.
NOT_A_HEADING = re.compile(r"[:.–—]|\s-\s")
#: A day as a schedule gives it, a session's slot: after a weekday or a label ("Sunday, June 2", "Date / Time:June 9"),
#: or before a time ("June 9 at 14:45", "Dec.11, 2024,9:15"); not a date in prose ("approved … on May 13, 2022").
SLOT_BEFORE = re.compile(rf"(?i)(?:{WEEKDAY}\s*[,;]?|date[^:\n]{{0,12}}:|time\s*:|when\s*:)\s*(?:on\s*)?$")
SLOT_AFTER = re.compile(r"(?i)\s*(?:,\s*(?:19|20)\d\d)?\s*[,;]?\s*(?:at\s+|from\s+)?\d{1,2}(?::\d\d|\s*[ap]\.?m\b)")
#: How far after a medicine's name its entry's day may stand (a title, a number, a session's name between).
ENTRY_REACH = 400
#: ... or this many of one kind ("Abstract #1013P: …" once per entry): two "(Abstract #3001)" in prose cite, they list nothing.
LIST_MARKS = 4
#: A schedule has at least this many labels: one "Abstract #" in prose is a citation, not a list.
MIN_MARKS = 2
#: What stands before a label's value: "Abstract Number:", "Poster Board #". (A room after a session's time, "11:09
#: a.m. CT, E450", is no drug code to begin with: entities.TIME_SLOT_BEFORE.)
LABEL_VALUE_BEFORE = re.compile(r"(?i)\b(?:number|board|room|hall|location|booth|ID)\s*[:#]?\s*$|#\s*$")
#: A paragraph break; a paragraph whose first line is prose (see _prose) ends a schedule.
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
#: The fewest words of a line of prose.
PROSE_WORDS = 8
#: A product label's heading in capitals, where a schedule ends even when no section break stands before it.
LABEL_HEADING = re.compile(r"\b(?:INDICATIONS?\s+AND\s+USAGE|IMPORTANT\s+SAFETY\s+INFORMATION|SELECT\s+SAFETY\s+INFORMATION)\b")
#: Sections that end a schedule: what follows it is about the company, the medicines' labels or the future.
AFTER_SCHEDULE = frozenset({"about", "safety", "indications", "forward_looking", "contacts", "references"})


def schedule_span(text: str, sections, paragraph_start, published: str | None = None) -> tuple[int, int] | None:
    """Where the release's schedule stands: from the paragraph of its first label to the next section that is
    not part of it (About, the label, the forward-looking statements); None when the release has no schedule.
    ``paragraph_start`` maps an offset to the start of its paragraph."""
    marks = [m for m in SCHEDULE_MARK.finditer(text) if m.group(0)[0].isupper()]  # a label, not "a list of abstract titles"
    # labels of two kinds at least ("Abstract Title" and "Presentation Details"): two "(Abstract #3001)" in prose
    # cite abstracts, they list nothing
    kinds = {re.sub(r"[^a-z ]", "", m.group(0).lower()).split()[0:2][-1] for m in marks}
    if len(marks) < MIN_MARKS or (len(kinds) < MIN_MARKS and len(marks) < LIST_MARKS):
        return None
    lo = paragraph_start(marks[0].start())
    heading = _slot_days(text, published, max(0, lo - HEADER_REACH), lo)
    if heading and _heading_day(text, heading[-1]):
        lo = paragraph_start(heading[-1].start)  # the day heading the first entry ("Oral Presentations Saturday, June 15")
    hi = next((s.start for s in sorted(sections, key=lambda s: s.start) if s.start > lo and s.name in AFTER_SCHEDULE), len(text))
    label = LABEL_HEADING.search(text, lo, hi)  # a label's heading run into the last entry ("… Perrone INDICATIONS AND USAGE")
    hi = label.start() if label else hi
    # it ends near its last label or its last session's day (a table's labels head it, its rows follow), and at the
    # first paragraph of prose after its last label ("Acme also plans to initiate a Phase 3 trial of AB-202 in 2022.")
    last = max([marks[-1].end(), *(d.end for d in _slot_days(text, published, lo, hi))])
    end = min(hi, last + ENTRY_REACH)
    for para in PARAGRAPH_BREAK.finditer(text, marks[-1].end(), end):
        line_end = text.find("\n", para.end(), end)
        following = text[para.end() : line_end if line_end >= 0 else end]
        if _prose(following) and not SCHEDULE_MARK.search(following):
            return lo, para.start()
    return lo, end


def _prose(line: str) -> bool:
    """A sentence, not an entry's label or title: it starts with a capital, runs to eight words or more and ends
    in a full stop or holds one ("Acme also plans to initiate a Phase 3 trial of AB-202 in 2022.")."""
    line = line.strip()
    return (line[:1].isupper() and len(line.split()) >= PROSE_WORDS
            and (line.endswith((".", "!", "?")) or ". " in line))


def _heading_day(text: str, day: DateHit) -> bool:
    """A day that heads the entries after it: a weekday's date that ends its line, on a line that labels nothing
    (no "Session Date:", no "Poster Session –") and is no sentence ("Mirikizumab Data Oral Presentations
    Wednesday, June 12"; the line may start after a value the page ran into it, "Presenter:Eric Simpson Posters")."""
    weekday = WEEKDAY_BEFORE.search(text, max(0, day.start - 20), day.start)
    if weekday is None or not LINE_END_AFTER_DAY.match(text, day.end):
        return False
    line = text[text.rfind("\n", 0, weekday.start()) + 1 : weekday.start()]
    line = PRESENTER_BEFORE_HEADING.split(line)[-1]
    # words name the heading ("Oral Presentations"); a bare date line closes the entry above it
    return bool(line.split()) and not NOT_A_HEADING.search(line) and len(line.split()) <= HEADING_WORDS


def _slot_days(text: str, published: str | None, lo: int, hi: int) -> list[DateHit]:
    """The days in ``text[lo:hi]`` written as a session's slot (SLOT_BEFORE, SLOT_AFTER)."""
    return [d for d in find_dates(text, published, lo, hi) if d.precision == "day" and d.value and (
        SLOT_BEFORE.search(text, max(lo, d.start - 20), d.start) or SLOT_AFTER.match(text, d.end))]


def schedule_entries(text: str, span: tuple[int, int], sections, drugs: list[Cand], published: str | None) -> list[tuple[Cand, DateHit | None]]:
    """(drug candidate, the day its entry gives or None) for each of ``drugs`` the schedule in ``span`` names.
    A code that is a label's value ("Abstract Number: CT041", a room "… p.m. CT, E450") names no drug."""
    lo, hi = span
    days = _slot_days(text, published, lo, hi)
    starts = [m.start() for m in ENTRY_START.finditer(text, lo, hi)]
    # days that head the entries after them (a day-first layout), and the days entries give after their titles
    headers = [d for d in days if _heading_day(text, d) and ENTRY_START.search(text, d.end, min(hi, d.end + HEADER_REACH))]
    trailing = [d for d in days if d not in headers]
    out = []
    for cand in drugs:
        if not lo <= cand.start < hi or section_at(sections, cand.start) in AFTER_SCHEDULE:
            continue
        if cand.label == "DRUG_CODE" and LABEL_VALUE_BEFORE.search(text, max(lo, cand.start - 30), cand.start):
            continue
        day = next((d for d in trailing if d.start >= cand.end), None)
        if day is not None and (day.start - cand.end > ENTRY_REACH or any(
                cand.end <= at < day.start and "\n" in text[at : day.start] for at in starts)):
            day = None  # the next entry's title comes first (not one on the day's own line), or the day is too far
        if day is None:
            # a heading that names the medicine on its own line ("Mirikizumab Data Oral Presentations Wednesday, June
            # 12") or stands over it ("… Saturday, June 15 / Abstract 6536: … Baricitinib …")
            named = next((d for d in headers if 0 <= d.start - cand.end <= HEADER_REACH and "\n" not in text[cand.end : d.start]
                          and not SCHEDULE_MARK.search(text, cand.end, d.start)), None)
            heading = named or next((d for d in reversed(headers) if d.end <= cand.start), None)
            if heading is not None and not any(heading.end < d.start < cand.start for d in trailing):
                day = heading
        out.append((cand, day))
    return out


def status_on(day: str | None, pub: date | None, default: str) -> str:
    """A talk on a day after the release is expected; one on or before it occurred."""
    if day is None or pub is None:
        return default
    first, _ = period(day)
    return "expected" if first > pub else "occurred"
