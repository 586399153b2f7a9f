"""Catalysts: dates at their precision, the events table filled from the samples, ``calendar``
and its iCalendar file, and the dated timeline in ``show``. (Extraction quality is measured by
``benchmarks/eval_real.py``; the seed example's three events are the issue's acceptance test.)"""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from extractor.cli import cli
from extractor.extract.dates import find_dates, period
from extractor.models import EVENT_KINDS


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    "text, published, value, precision",
    [
        ("on November 5, 2024", None, "2024-11-05", "day"),
        ("on 5 November 2024", None, "2024-11-05", "day"),
        ("at SITC in November 2024", None, "2024-11", "month"),
        ("in the second quarter of 2025", None, "2025-Q2", "quarter"),
        ("by 2Q25", None, "2025-Q2", "quarter"),
        ("in the first half of 2026", None, "2026-H1", "half"),
        ("in 1H 2026", None, "2026-H1", "half"),
        ("around the middle of 2025", None, "2025", "year"),
        ("by year-end 2025", None, "2025", "year"),
        ("later this year", "2025-03-03", "2025", "year"),
        ("next quarter", "2025-11-20", "2026-Q1", "quarter"),
        ("today", "2025-03-03", "2025-03-03", "day"),
        ("yesterday", "2025-03-01", "2025-02-28", "day"),
        ("in June", "2025-03-03", "2025-06", "month"),
        ("fromOctober 25-30, 2024inPhiladelphia", None, "2024-10", "month"),  # a feed that lost its spaces
        ("in 2025, in which", None, "2025", "year"),
        ("from Dec. 10, 2022", None, "2022-12-10", "day"),  # an abbreviated month's full stop is no end of the date
        ("in Dec. 2022", None, "2022-12", "month"),
        ("last week", "2020-05-13", "2020-05", "month"),  # a week, dated no finer than its month
        ("last week", "2020-01-03", "2019-12", "month"),
        ("earlier this month", "2024-10-20", "2024-10", "month"),
        ("last month", "2024-01-15", "2023-12", "month"),
        ("completed last quarter", "2023-02-01", "2022-Q4", "quarter"),
        ("Last May, it was approved", "2021-03-10", "2020-05", "month"),  # the last May before the release
        ("last February", "2021-03-10", "2021-02", "month"),
        ("next January", "2021-03-10", "2022-01", "month"),
        ("in the first half of calendar 2025", "2024-09-01", "2025-H1", "half"),  # "calendar" is no year of its own
        ("in the second half of calendar year 2024", None, "2024-H2", "half"),
        ("in the first quarter of calendar year 2025", "2024-09-01", "2025-Q1", "quarter"),
        ("in calendar year 2025", "2024-09-01", "2025", "year"),
        ("in the first half of next calendar year", "2024-09-01", "2025-H1", "half"),
    ],
)
def test_dates_keep_the_precision_the_text_gives(text, published, value, precision):
    hits = find_dates(text, published)
    assert [(h.value, h.precision) for h in hits] == [(value, precision)]


def test_a_period_takes_the_year_of_the_period_coordinated_with_it():
    hits = find_dates("regulatory action expected in the first half and second half of 2020, respectively", "2019-06-01")
    assert [(h.value, h.precision) for h in hits] == [("2020-H1", "half"), ("2020-H2", "half")]
    assert [h.value for h in find_dates("the 1st quarter and 2nd quarter of 2020", "2019-06-01")] == ["2020-Q1", "2020-Q2"]


def test_the_last_quarter_of_a_year_is_not_the_last_quarter_before_the_release():
    assert [h.value for h in find_dates("topline data in the last quarter of 2025", "2025-08-01")] == ["2025"]


@pytest.mark.parametrize("text", ["later this year", "next quarter", "today", "yesterday", "in June", "last week"])
def test_relative_dates_without_a_publication_date_are_never_guessed(text):
    assert [h.value for h in find_dates(text, None)] == [None]


@pytest.mark.parametrize("text", ["2,025 patients", "a dose of 2025 mg", "February 30, 2025"])
def test_numbers_and_impossible_days_are_not_dates(text):
    assert [h.value for h in find_dates(text) if h.value] == []


@pytest.mark.parametrize("text", ["PIK3CA H1047R mutations", "the H1N1 strain", "a Q1-like profile"])
def test_a_residue_or_a_strain_is_not_a_half_or_a_quarter(text):
    assert [h.text for h in find_dates(text, "2022-12-01")] == []


def test_a_quarter_joined_to_its_year_by_a_hyphen_takes_that_year():
    assert [h.value for h in find_dates("a Q1-2024 readout", "2022-12-01")] == ["2024-Q1"]
    # a range of two periods keeps each one's year ("Q4 2024-Q1 2025", "2H 2025-1H 2026")
    assert [h.value for h in find_dates("Q4 2024-Q1 2025", "2023-06-01")] == ["2024-Q4", "2025-Q1"]
    assert [h.value for h in find_dates("in 2H 2025-1H 2026", "2024-01-01")] == ["2025-H2", "2026-H1"]


def test_a_day_range_knows_its_first_and_last_day():
    (hit,) = find_dates("held May 31-June 3, 2025", "2025-05-01")
    assert (hit.first_day, hit.last_day) == ("2025-05-31", "2025-06-03")


def test_period_covers_the_whole_precision():
    assert period("2025-Q2") == (date(2025, 4, 1), date(2025, 6, 30))
    assert period("2024-H1") == (date(2024, 1, 1), date(2024, 6, 30))
    assert period("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert period("2025") == (date(2025, 1, 1), date(2025, 12, 31))
    assert period("2025-11-05") == (date(2025, 11, 5), date(2025, 11, 5))


def test_samples_fill_the_seed_examples_events(samples_db):
    conn = sqlite3.connect(samples_db)
    rows = conn.execute(
        """select e.kind, e.status, e.drug, e.trial, e.detail, e.date, e.date_precision from events e
           join documents d on d.id = e.document_id where d.source like '%allogene-allo-329-allo-316.html'"""
    ).fetchall()
    assert ("ind_clearance", "occurred", "ALLO-329", None, None, "2025-01-16", "day") in rows
    assert ("trial_start", "expected", "ALLO-329", "RESOLUTION", None, "2025", "year") in rows
    assert ("presentation", "occurred", "ALLO-316", "TRAVERSE", "SITC", "2024-11", "month") in rows
    kinds = {k for (k,) in conn.execute("select distinct kind from events")}
    assert kinds <= set(EVENT_KINDS)
    # every expected event's date is one the text gave: its words are stored beside it
    for value, text in conn.execute("select date, date_text from events where status = 'expected' and date is not null"):
        assert text, value


def test_calendar_lists_expected_events_in_date_order(samples_db):
    result = invoke("calendar", "--db", str(samples_db), "--from", "2025", "--to", "2026-06", "--json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert entries and all(e["status"] == "expected" for e in entries)
    ends = [e["date_end"] for e in entries if e["date_end"]]
    assert ends == sorted(ends)  # by the last day each date allows: "2025" after "2025-Q2"
    assert all(e["date_end"] >= "2025-01-01" and e["date_start"] <= "2026-06-30" for e in entries if e["date"])
    resolution = [e for e in entries if e["trial"] == "RESOLUTION"]
    assert resolution and resolution[0]["kind"] == "trial_start" and resolution[0]["sentence"]
    text = invoke("calendar", "--db", str(samples_db), "--from", "2025", "--kind", "trial_start", "--drug", "allo 329")
    assert text.exit_code == 0
    assert "ALLO-329 trial start RESOLUTION" in text.output and "topline" not in text.output


def test_calendar_occurred_gives_a_drugs_dated_history(samples_db):
    result = invoke("calendar", "--db", str(samples_db), "--drug", "ALLO-329", "--occurred", "--json")
    kinds = [e["kind"] for e in json.loads(result.output)]
    assert kinds[:2] == ["ind_clearance", "trial_start"]  # 2025-01-16, then 2025


def test_calendar_ics_is_a_valid_icalendar_file(samples_db, tmp_path):
    path = tmp_path / "catalysts.ics"
    result = invoke("calendar", "--db", str(samples_db), "--ics", str(path))
    assert result.exit_code == 0
    cal = Calendar.from_ical(path.read_bytes())
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    dated = json.loads(invoke("calendar", "--db", str(samples_db), "--json", "--no-undated").output)
    assert len(events) == len(dated) > 0
    resolution = next(e for e in events if "RESOLUTION" in str(e["summary"]))
    assert resolution.decoded("dtstart") == date(2025, 1, 1)
    assert resolution.decoded("dtend") == date(2026, 1, 1)  # exclusive end: the whole year
    assert "allogene" in str(resolution["description"]).lower()
    again = invoke("calendar", "--db", str(samples_db), "--ics", "-")
    uids = sorted(str(e["uid"]) for e in Calendar.from_ical(again.stdout_bytes).walk("VEVENT"))
    assert uids == sorted(str(e["uid"]) for e in events)  # stable: a subscribed calendar updates in place


def test_calendar_refuses_a_bad_date(samples_db):
    result = invoke("calendar", "--db", str(samples_db), "--from", "next week")
    assert result.exit_code == 1  # a usage error (2 means "every source failed" here)
    assert "--from 'next week': expected a date as YYYY-MM-DD, YYYY-MM or YYYY" in result.output


def test_calendar_on_a_missing_database_says_so(tmp_path):
    result = invoke("calendar", "--db", str(tmp_path / "missing.db"))
    assert result.exit_code == 1
    assert "no such database" in result.output


def test_show_gives_a_dated_timeline(samples_db):
    result = invoke("show", "ALLO-329", "--db", str(samples_db))
    assert result.exit_code == 0
    timeline = result.output.split("timeline", 1)[1]
    assert timeline.index("2025-01-16 ind clearance") < timeline.index("2025 trial start")
    trial = invoke("show", "TRAVERSE", "--db", str(samples_db), "--json")
    events = json.loads(trial.output)["sections"]["timeline"]
    assert [e["value"] for e in events] == ["2024-11 presentation (SITC)"]


def test_a_society_and_its_symposium_written_as_one_name_are_the_symposium(extractor):
    from extractor.models import Article

    text = ("Acme and Borex Present Final Results From the Phase 3 DAWN-5 Trial of AB-505 at the "
            "2023 American Society of Clinical Oncology Genitourinary Cancers Symposium")
    facts = extractor.extract(Article(source="t.txt", text=text, published="2023-02-16"))
    assert [(e.kind, e.detail) for e in facts.events] == [("presentation", "ASCO GU")]


def test_a_headlines_presentations_take_the_meetings_dates_however_its_name_is_capitalised(extractor):
    from extractor.clean import clean
    from extractor.models import RawDocument

    text = ("Acme Bio Announces Two Presentations on AB-388 at the 2024 OPTIONS XII for the Control of Influenza Conference\n\n"
            "Acme Bio today announced two presentations at OPTIONS XII for the Control of Influenza conference, to be held "
            "September 29 through October 2, 2024 in Brisbane, Australia.")
    article = clean(RawDocument(source="t.txt", content=text, kind="text", published="2024-09-25")).with_title()
    facts = extractor.extract(article)
    # one talk, still to come: not also one given on the release's day
    assert [(e.kind, e.date, e.status) for e in facts.events] == [("presentation", "2024-09-29", "expected")]


def test_a_generic_partner_is_not_the_event_drug_of_an_unnamed_drug(extractor):
    from extractor.clean import clean
    from extractor.models import RawDocument

    text = ("Acme Announces Oral Presentation of Preclinical Results of FASN Inhibitor in Combination with Semaglutide at "
            "the 7th Obesity and NASH Drug Development Summit\n\nAcme today announced the presentation.")
    article = clean(RawDocument(source="t.txt", content=text, kind="text", published="2023-11-28")).with_title()
    assert [(e.kind, e.drug) for e in extractor.extract(article).events] == [("presentation", None)]


def test_the_year_a_market_forecast_names_dates_no_event(extractor):
    from extractor.models import Article

    text = ("Acme news\n\nAcme's AC-101 showed positive topline results in its Phase 2 trial, good news as the "
            "obesity market is projected to reach $100 billion by 2030.")
    facts = extractor.extract(Article(source="t.txt", text=text, published="2024-11-05"))
    assert [e for e in facts.events if e.kind == "topline_data"]
    assert not [e for e in facts.events if e.date == "2030"]


RULE_458_LIKE = [  # two gaps, optional tokens beside the long one: the bound must hold per gap, not per match
    {"LOWER": {"IN": ["a", "the"]}}, {"LOWER": {"IN": ["phase", "pivotal"]}}, {"OP": "{0,3}"}, {"LOWER": {"IN": ["trial", "study"]}},
    {"LOWER": {"NOT_IN": ["."]}, "OP": "{0,20}"}, {"LOWER": {"IN": ["is", "are"]}}, {"LOWER": "being", "OP": "?"},
    {"LOWER": {"IN": ["planned", "expected"]}},
]


@pytest.mark.parametrize("pattern_name", ["single", "rule_458_like"])
@pytest.mark.parametrize("gap", [0, 5, 20, 21, 22, 30])
def test_a_long_gap_matched_as_a_star_keeps_its_bound(gap, pattern_name):
    """A ``{0,20}`` gap runs as ``*`` (spaCy unrolls the bound into twenty optional tokens and follows
    every way of skipping them) and is held to its own bound afterwards: the same matches as the original,
    also when a shorter gap or an optional token beside it is left unused."""
    import spacy
    from spacy.matcher import Matcher

    from extractor.extract.events import _long_gaps_unrolled, _within_gaps

    nlp = spacy.blank("en")
    if pattern_name == "single":
        pattern = [{"LOWER": "the"}, {"LOWER": "trial"}, {"LOWER": {"NOT_IN": ["."]}, "OP": "{0,20}"}, {"LOWER": "planned"}]
        text = "the trial " + "word " * gap + "planned"
    else:
        pattern = RULE_458_LIKE
        text = "a pivotal trial " + "word " * gap + "is planned"
    rewritten, bounds = _long_gaps_unrolled(pattern)
    assert [t.get("OP") for t in rewritten].count("*") == 1 and set(bounds.values()) == {20}
    doc = nlp.make_doc(text)
    original, fast = Matcher(nlp.vocab), Matcher(nlp.vocab)
    original.add("x", [pattern])
    fast.add("x", [rewritten])
    kept = [(s, e) for _, s, e, aligned in fast(doc, with_alignments=True) if _within_gaps(aligned, bounds)]
    assert kept == [(s, e) for _, s, e in original(doc)]
    assert bool(kept) == (gap <= 20)


def test_short_gaps_and_unbounded_patterns_are_left_as_written():
    from extractor.extract.events import _long_gaps_unrolled

    short = [{"LOWER": "a"}, {"OP": "{0,3}"}, {"LOWER": "b"}]
    unbounded = [{"LOWER": "a"}, {"OP": "{2,}"}, {"OP": "+"}]
    assert _long_gaps_unrolled(short) == (short, {})
    assert _long_gaps_unrolled(unbounded) == (unbounded, {})


def test_a_schedule_ends_at_prose_and_a_long_unended_line_is_read_in_one_pass():
    """A paragraph of prose after the last label ends the schedule; a long line that is no sentence (a title of
    many words, no full stop) does not, and is judged by counting its words, not by backtracking over them."""
    from extractor.extract.schedules import schedule_span

    entries = "Abstract 1234: AB-101 in NSCLC\nPresenter: Jane Roe\n\nAbstract 1235: AB-202 in Melanoma\nPresenter: John Doe\n\n"
    prose = "Acme also plans to initiate a Phase 3 trial of AB-303 in 2022.\n"
    title = " ".join(["Word"] * 60) + "\n"
    paragraph_start = lambda at: entries.rfind("\n\n", 0, at) + 2 if entries.rfind("\n\n", 0, at) >= 0 else 0  # noqa: E731
    lo, hi = schedule_span(entries + prose, (), paragraph_start)
    assert (lo, (entries + prose)[hi:].strip()) == (0, prose.strip())
    _, hi = schedule_span(entries + title, (), paragraph_start)
    assert hi > len(entries)
