"""Issue 9: fuzzing as a test. Hypothesis writes text, HTML and record files to a folder; the real
run (``pipeline.run``, what ``extractor run`` calls) reads, cleans, extracts and stores them into a
real SQLite file; then every invariant a user relies on is checked:

* the run does not raise, and every input is told exactly once: stored, failed or duplicate;
* a stored input is a ``documents`` row, a failed one a ``failures`` row, a duplicate's content is
  stored under another name: nothing is lost;
* ``PRAGMA integrity_check``, ``foreign_key_check`` and the FTS index's own check pass;
* numeric columns hold finite numbers, offsets lie inside the document and point at the fact's text;
* each document is cleaned and extracted within the time budget (plus slack for the alarm);
* every table and view reads back, and ``extractor query --format json`` output parses.

Small by default (the file runs in well under a minute). ``EXTRACTOR_FUZZ_CASES=100000`` runs that
many examples, split over the three fuzz tests (each example is one run over 1-16 generated files), and writes the counts, the worst
per-document time and the database growth per input KB to ``EXTRACTOR_FUZZ_SUMMARY``
(``/tmp/extractor-fuzz-summary.json``); ``pytest -s`` prints them in any case.
"""

from __future__ import annotations

import json
import math
import re
import os
import shutil
import sqlite3
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import pipeline, readers
from extractor.cli import cli
from extractor.store.schema import TABLES

CASES = int(os.environ.get("EXTRACTOR_FUZZ_CASES") or 0)  # generated examples (batches of inputs), over the 3 tests
EXAMPLES = -(-CASES // 3) if CASES else 50  # per test
SUMMARY = Path(os.environ.get("EXTRACTOR_FUZZ_SUMMARY", "/tmp/extractor-fuzz-summary.json"))
BUDGET = 2.0  # seconds per document (--timeout); small, so a slow input shows up as a timeout row
SLACK = 1.5  # the alarm interrupts Python code only: C code (a regex, the parser) may overrun a little
FACT_TABLES = ("mentions", "doses", "responses", "relations", "events")
SPAN_TABLES = ("mentions", "doses", "responses", "events")  # text == documents.text[start:end]

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)

# -- strategies ---------------------------------------------------------------------------------------

WORDS = (
    "announced", "today", "the", "first", "patient", "dosed", "in", "Phase 1", "Phase 1/2", "Phase 2b", "Phase III",
    "trial", "study", "pivotal", "ORR", "objective response rate", "CR", "complete response", "PFS", "OS",
    "median", "months", "BCMA", "CD19", "CD3", "KRAS G12C", "TROP2", "CLDN18.2", "HER2", "PD-1", "TYK2",
    "CAR T", "antibody-drug conjugate", "bispecific", "inhibitor", "agonist", "multiple myeloma",
    "non-small cell lung cancer", "plaque psoriasis", "Duchenne muscular dystrophy", "FDA", "EMA",
    "Breakthrough Therapy designation", "accelerated approval", "BLA", "IND", "PDUFA", "upfront", "milestones",
    "license", "agreement", "Acme Bio, Inc.", "(Nasdaq: ACME)", "Nuvarin Bio", "Allogene Therapeutics",
    "said", "was", "of", "at", "and", "or", "with", "per", "patients", "cohort", "arm", "dose level",
    "once daily", "every 3 weeks", "Q3W", "for 12 weeks", "About", "Safety", "Forward-Looking Statements",
)
UNITS = ("mg", "mg/kg", "µg", "mcg/kg", "mg/m²", "mg/m2", "million CAR T-cells", "x10^6 cells", "×10⁶ CAR+ T cells",
         "cells/kg", "IU", "mL", "g", "%", "vg/kg", "x 10^14 vg/kg")
MONTHS = ("January", "Feb.", "March", "Sept.", "December", "Mar", "Smarch")


def _number() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(0, 1000).map(str),
        st.integers(-(10**40), 10**40).map(str),
        st.integers(0, 400).map(lambda n: "9" * max(n, 1)),  # 400-digit amounts
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.sampled_from(("1e308", "1e309", "-0", "0.0", "10^999999", "inf", "NaN", "1,000,000", "1.5-2",
                         "3.5–5.0", "½", "٣", "١٠٠", "1 000", "0x1F", "1_000")),
    )


def _code() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(("ALLO-316", "ALLO-329", "AMG 510", "NVB-101", "LOXO-305", "JY-112", "BWV-215", "CRV-3110")),
        st.from_regex(r"\A[A-Z]{2,5}[- ]?[0-9]{1,6}[a-z]?\Z"),
    )


def _token() -> st.SearchStrategy[str]:
    number = _number()
    return st.one_of(
        st.sampled_from(WORDS),
        _code(),
        st.builds(lambda p, n, d: f"{p}% ({n}/{d})", number, number, number),  # 38% (3/8)
        st.builds(lambda a, u: f"{a} {u}", number, st.sampled_from(UNITS)),  # 80 million CAR T-cells
        st.builds(lambda a, b, u: f"{a} to {b} {u}", number, number, st.sampled_from(UNITS)),
        st.builds(lambda m, d, y: f"{m} {d}, {y}", st.sampled_from(MONTHS), st.integers(-1, 40), st.integers(0, 99999)),
        st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)),
        st.sampled_from(("Q3 2025", "first half of 2026", "mid-2024", "by year-end", "2H25", "31/02/2024")),
        st.from_regex(r"\ANCT[0-9]{0,12}\Z"),
        st.text(max_size=20),  # any unicode
        st.text(alphabet=".,;:!?-–—()[]{}%/*'\"…•·|\\", min_size=1, max_size=300),  # punctuation runs
        st.builds(lambda o, t, c: o + t + c, st.text(alphabet="([{", max_size=50), st.sampled_from(WORDS),
                  st.text(alphabet=")]}", max_size=50)),  # brackets, balanced or not
        st.sampled_from(("\u200b", "\u00a0", "\u202e", "\ufeff", "\t", "\r", "\x0c", "\u2028", "🧬", "α-synuclein")),
    )


SEPARATORS = st.sampled_from((" ", " ", " ", ", ", ". ", "; ", "\n", "\n\n", "\r\n", "  ", ""))


@st.composite
def prose(draw: st.DrawFn, max_tokens: int = 60) -> str:
    tokens = draw(st.lists(_token(), max_size=max_tokens))
    if draw(st.integers(0, 4)):  # mostly some words, else the cleaner rightly finds no article
        tokens[:0] = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=6))
    seps = draw(st.lists(SEPARATORS, min_size=len(tokens), max_size=len(tokens)))
    text = "".join(t + s for t, s in zip(tokens, seps, strict=True))
    if draw(st.integers(0, 9)) == 0:  # one long run of the same token: dense pages cost time
        text += (draw(_token()) + draw(SEPARATORS)) * draw(st.integers(2, 400))
    return text


ESCAPES = st.sampled_from(("&amp;", "&lt;", "&gt;", "&nbsp;", "&#x1F9EC;", "&#99999999;", "&#0;", "&bogus;", "&", "&#x;",
                           "&mdash;", "&#8211;", "<", ">", "<!--", "-->", "<![CDATA[", "]]>"))
TAGS = ("div", "p", "span", "article", "section", "main", "header", "footer", "nav", "aside", "h1", "h2", "b", "i",
        "a", "em", "strong", "blockquote", "pre", "figure", "figcaption", "font", "center", "sup", "sub")
ATTRS = st.sampled_from(("", ' class="content"', ' id="main"', ' class="press-release body"', ' href="https://example.com/x"',
                         ' style="display:none"', " hidden", ' class="sidebar nav"', ' data-x="&quot;"', ' class="about"',
                         ' role="navigation"', " class=unquoted", ' onclick="alert(1)"', ' class="disclaimer"'))


def _html_leaf() -> st.SearchStrategy[str]:
    return st.sampled_from(("prose",) * 6 + ("escape", "empty", "<br>", "<hr/>", "<img src=x>")).flatmap(
        lambda kind: prose(max_tokens=15) if kind == "prose" else ESCAPES if kind == "escape" else st.just(
            "" if kind == "empty" else kind))


def _wrap(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    many = st.lists(children, min_size=1, max_size=4).map("".join)
    return st.one_of(
        st.builds(lambda t, a, c: f"<{t}{a}>{c}</{t}>", st.sampled_from(TAGS), ATTRS, many),
        st.builds(lambda t, c: f"<{t}>{c}", st.sampled_from(TAGS), many),  # never closed
        st.builds(lambda c: f"{c}</div></p></span>", many),  # closed too often
        st.builds(lambda rows: "<table>" + "".join(f"<tr><td>{r}</td><th>{r[:9]}</th></tr>" for r in rows) + "</table>",
                  st.lists(children, max_size=4)),
        st.builds(lambda items, o: f"<{o}>" + "".join(f"<li>{i}" for i in items) + f"</{o}>", st.lists(children, max_size=5),
                  st.sampled_from(("ul", "ol"))),
        st.builds(lambda c: f"<script>var x = '{c}';</script>", children),
        st.builds(lambda c: f"<style>p {{ content: '{c}' }}</style>", children),
        st.builds(lambda c: f"<!-- {c} -->", children),
        st.builds(lambda c: f"<noscript>{c}</noscript>", children),
    )


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30) | prose(max_tokens=8),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=10), kids, max_size=4),
    max_leaves=20,
)


@st.composite
def json_ld(draw: st.DrawFn) -> str:
    body = {"@context": "https://schema.org", "@type": draw(st.sampled_from(("NewsArticle", "Article", "WebPage", "")))}
    for key, value in (("headline", prose(max_tokens=8)), ("datePublished", st.sampled_from(
            ("2024-03-05", "2024-03-05T09:00:00Z", "March 5, 2024", "0000-00-00", "", "yesterday", "2024-13-45"))),
            ("articleBody", prose()), ("extra", JSON_VALUES)):
        if draw(st.booleans()):
            body[key] = draw(value)
    blob = json.dumps(body if draw(st.booleans()) else [body, draw(JSON_VALUES)], ensure_ascii=draw(st.booleans()))
    cut = draw(st.sampled_from(("", "", "", "truncate", "nest")))
    if cut == "truncate":
        blob = blob[: draw(st.integers(0, len(blob)))]
    elif cut == "nest":
        depth = draw(st.integers(1, 5000))
        blob = "[" * depth + blob + "]" * draw(st.integers(0, depth))
    return f'<script type="application/ld+json">{blob}</script>'


@st.composite
def html_page(draw: st.DrawFn) -> str:
    body = draw(st.recursive(_html_leaf(), _wrap, max_leaves=25))
    if draw(st.integers(0, 4)):  # mostly a paragraph of prose somewhere, else often no visible text at all
        paragraph = f"<p>{draw(prose())}</p>"
        body = paragraph + body if draw(st.booleans()) else body + paragraph
    head = ""
    if draw(st.booleans()):
        head += f"<title>{draw(prose(max_tokens=10))}</title>"
    if draw(st.booleans()):
        head += draw(json_ld())
    if draw(st.integers(0, 5)) == 0:
        head += draw(st.sampled_from(('<meta charset="utf-8">', '<meta charset="latin-1">', '<meta charset="bogus">',
                                      '<meta http-equiv="Content-Type" content="text/html; charset=utf-16">',
                                      '<meta property="og:title" content="Acme &amp; Co">')))
    depth = draw(st.integers(0, 3000)) if draw(st.integers(0, 7)) == 0 else 0  # deep nesting now and then
    body = "<div>" * depth + body + "</div>" * draw(st.integers(0, depth))
    shape = draw(st.sampled_from(("full", "full", "fragment", "no-body", "doctype-only")))
    if shape == "full":
        return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"
    if shape == "fragment":
        return head + body
    if shape == "no-body":
        return f"<html><head>{head}</head>{body}"
    return "<!doctype html>" + body


#: Characters that end a line for str.splitlines (and NUL): kept out of junk lines, which must stay one
#: line each. Records are written with and without ensure_ascii, so U+2028 and friends appear raw in
#: JSON strings too (test_a_jsonl_record_holding_a_unicode_line_separator_is_one_record).
_SPLITS = str.maketrans("", "", "\x00\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")  # and NUL: a binary file


@st.composite
def record_file(draw: st.DrawFn) -> tuple[bytes, int]:
    """A .jsonl file and how many records (non-blank lines) it holds."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(("record",) * 6 + ("junk", "array", "no-text")))
        if kind == "junk":
            line = draw(st.text(max_size=40)).translate(_SPLITS)
            if not line.strip():
                line = "{not json"
        elif kind == "array":
            line = "[1, 2]"
        else:
            record = {"title": draw(prose(max_tokens=8)), "url": draw(st.sampled_from(("https://x.example/a", "", "nope", None))),
                      "date": draw(st.sampled_from(("2024-03-05", "March 5, 2024", "", "not a date", None)))}
            if kind == "record":
                record[draw(st.sampled_from(readers.TEXT_FIELDS))] = draw(st.one_of(prose(), html_page()))
            line = json.dumps(record, ensure_ascii=draw(st.booleans()))
        lines.append(line)
    blank = draw(st.sampled_from(("\n", "\n\n", "\r\n")))
    return (blank.join(lines) + blank).encode("utf-8"), len(lines)


def _encode(text: str, how: str) -> bytes:
    if how == "utf-8-sig":
        return text.encode("utf-8-sig")
    if how == "utf-16":
        return text.encode("utf-16")
    if how == "latin-1":
        return text.encode("latin-1", "replace")
    return text.encode("utf-8")


ENCODINGS = st.sampled_from(("utf-8",) * 9 + ("utf-8-sig", "utf-16", "latin-1"))
#: One input file: (suffix, bytes, number of inputs it holds).
TEXT_FILE = st.sampled_from(("text", "text", "text", "text", "bytes", "records", "records")).flatmap(lambda kind: {
    "text": st.builds(lambda t, e, s: (s, _encode(t, e), 1), prose(), ENCODINGS, st.sampled_from((".txt", ".md"))),
    "bytes": st.builds(lambda b: (".txt", b, 1), st.binary(max_size=300)),  # not text at all
    "records": st.builds(lambda r: (".jsonl", r[0], r[1] or 1), record_file()),  # an empty record file is one failure
}[kind])
HTML_FILE = st.sampled_from(("html", "html", "html", "html", "html", "bytes")).flatmap(lambda kind: {
    "html": st.builds(lambda t, e, s: (s, _encode(t, e), 1), html_page(), ENCODINGS, st.sampled_from((".html", ".htm"))),
    "bytes": st.builds(lambda b: (".html", b"<html><body><p>" + b + b"</p></body></html>", 1), st.binary(max_size=200)),
}[kind])

# -- the run and its checks -----------------------------------------------------------------------------


class Stats:
    """What the fuzz saw, for the closing note."""

    def __init__(self) -> None:
        self.examples = 0
        self.inputs = 0
        self.outcomes: Counter[str] = Counter()
        self.failure_stages: Counter[str] = Counter()
        self.failure_reasons: Counter[str] = Counter()  # stage and the start of the error, paths left out
        self.documents_timed = 0
        self.worst_seconds = 0.0
        self.worst_source = ""
        self.worst_bytes = 0
        self.input_bytes = 0
        self.growth_bytes = 0
        self.worst_growth_per_kb = 0.0  # among runs of 16 KB of input or more (pages are 4 KB: smaller ones are noise)
        self.worst_growth_example_kb = 0.0
        self.fact_rows = 0
        self.seconds = 0.0

    def as_dict(self) -> dict[str, object]:
        out = dict(vars(self))
        out["outcomes"] = dict(self.outcomes)
        out["failure_stages"] = dict(self.failure_stages)
        out["failure_reasons"] = dict(self.failure_reasons.most_common(25))
        out["overall_growth_per_input_kb"] = self.growth_bytes / max(self.input_bytes / 1024, 1e-9)
        out["budget_seconds"] = BUDGET
        out["examples_per_test"] = EXAMPLES
        return out


STATS = Stats()
DOC_SECONDS: list[tuple[float, str]] = []  # (CPU seconds, source) of each document cleaned and extracted in the current run


@pytest.fixture(scope="module", autouse=True)
def timed_documents(extractor):
    """Time each document's clean + extract: ``prepare`` is called one document at a time (it keeps
    nothing between documents, so the outcome is the same) and each call is timed."""
    real = pipeline.prepare

    def prepare(extractor, triaged):
        out = []
        for entry in triaged:
            # CPU time, not wall time: a loaded machine (or a niced run) can leave a process waiting for
            # seconds, which is no work the document caused; the budget's cut-off itself is tested in
            # test_pipeline.py
            started = time.process_time()
            out += real(extractor, [entry])
            source = entry.source if isinstance(entry, pipeline.Failure) else entry[0].source
            DOC_SECONDS.append((time.process_time() - started, source))
        return out

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "prepare", prepare)
        yield
    summary = STATS.as_dict()
    print("\nfuzz summary:", json.dumps(summary, indent=1, default=str))
    if CASES:
        SUMMARY.write_text(json.dumps(summary, indent=1, default=str), encoding="utf-8")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def empty_db_bytes(workdir):
    """Size of a database holding the schema only: growth is measured from it."""
    db = workdir / "empty.db"
    pipeline.run([], db, workers=1)
    return _size(db)


def _size(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())


def run_and_check(workdir: Path, empty_bytes: int, files: list[tuple[str, bytes, int]]) -> None:
    folder = Path(tempfile.mkdtemp(dir=workdir))
    try:
        _run_and_check(folder, empty_bytes, files)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_and_check(folder: Path, empty_bytes: int, files: list[tuple[str, bytes, int]]) -> None:
    src = folder / "in"
    src.mkdir()
    expected: list[str] = []
    for i, (suffix, data, n) in enumerate(files):
        path = src / f"{i:03d}{suffix}"
        path.write_bytes(data)
        source = str(path.resolve())
        expected += [f"{source}#{k}" for k in range(1, n + 1)] if suffix == ".jsonl" and data.strip() else [source]
    db = folder / "fuzz.db"
    told: list[tuple[str, str]] = []
    DOC_SECONDS.clear()
    started = time.perf_counter()
    report = pipeline.run([src], db, workers=1, budget=BUDGET, progress=lambda s, o: told.append((s, o)))
    STATS.seconds += time.perf_counter() - started

    # every input told exactly once, and counted
    assert Counter(s for s, _ in told) == Counter(expected), told
    outcome = dict(told)
    assert set(outcome.values()) <= {"stored", "failed", "duplicate"}
    assert (report.read, report.unchanged) == (len(expected), 0)
    assert (report.stored, report.failed, report.duplicates) == tuple(
        sum(1 for o in outcome.values() if o == k) for k in ("stored", "failed", "duplicate"))

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
        assert conn.execute("pragma foreign_key_check").fetchall() == []
        conn.execute("insert into documents_fts(documents_fts, rank) values ('integrity-check', 1)")  # raises if not
        conn.rollback()

        # nothing lost: stored inputs are documents, failed ones failures, duplicates stored under another name
        docs = dict(conn.execute("select source, content_hash from documents").fetchall())
        failures = dict(conn.execute("select source, stage from failures").fetchall())
        reasons = [f"{stage}: " + re.sub(r"\d+", "N", error.replace(str(src), ""))[:48] for stage, error in
                   conn.execute("select stage, error from failures").fetchall()]
        assert set(docs) == {s for s, o in outcome.items() if o == "stored"}
        assert set(failures) == {s for s, o in outcome.items() if o == "failed"}
        assert conn.execute("select count(*) from failures").fetchone()[0] == len(failures)
        for source, o in outcome.items():
            if o == "duplicate":
                (raw,) = [r for r in readers.read_file(Path(source.split("#")[0])) if r.source == source]
                assert pipeline.content_hash(raw) in docs.values(), source
        assert len(set(docs.values())) == len(docs), "the same content stored twice"

        _check_columns(conn)
        for (view,) in conn.execute("select name from sqlite_master where type = 'view'").fetchall():
            conn.execute(f"select * from [{view}]").fetchall()
        fact_rows = sum(conn.execute(f"select count(*) from [{t}]").fetchone()[0] for t in FACT_TABLES)
    finally:
        conn.close()

    # what a user reads back: JSON that parses, every row of every table
    for table in ("documents", "failures", *FACT_TABLES):
        result = CliRunner().invoke(cli, ["query", f"select * from {table}", "--db", str(db), "--format", "json",
                                          "--limit", "100000"])
        assert result.exit_code == 0, result.output
        assert isinstance(json.loads(result.stdout), list)

    # time per document within the budget
    worst = max(DOC_SECONDS, default=(0.0, ""))
    assert worst[0] <= BUDGET + SLACK, f"{worst[1]} took {worst[0]:.2f} s of CPU (budget {BUDGET} s)"

    in_bytes = sum(len(d) for _, d, _ in files)
    growth = _size(db) - empty_bytes
    STATS.examples += 1
    STATS.inputs += len(expected)
    STATS.outcomes.update(outcome.values())
    STATS.failure_stages.update(failures.values())
    STATS.failure_reasons.update(reasons)
    STATS.documents_timed += len(DOC_SECONDS)
    STATS.fact_rows += fact_rows
    STATS.input_bytes += in_bytes
    STATS.growth_bytes += growth
    if worst[0] > STATS.worst_seconds:
        STATS.worst_seconds, STATS.worst_source = worst
        STATS.worst_bytes = Path(worst[1].split("#")[0]).stat().st_size if Path(worst[1].split("#")[0]).exists() else 0
    if in_bytes >= 16384 and growth / (in_bytes / 1024) > STATS.worst_growth_per_kb:
        STATS.worst_growth_per_kb = growth / (in_bytes / 1024)
        STATS.worst_growth_example_kb = in_bytes / 1024


def _check_columns(conn: sqlite3.Connection) -> None:
    """Numeric columns hold finite numbers (or NULL); spans lie inside their document and cover the fact."""
    texts = dict(conn.execute("select id, text from documents").fetchall())
    for table in FACT_TABLES:
        numeric = [c for c, t in TABLES[table].items() if t in (int, float)]
        for row in conn.execute(f"select {', '.join(f'[{c}]' for c in numeric)} from [{table}]"):
            for column, value in zip(numeric, row, strict=True):
                assert value is None or isinstance(value, int | float), (table, column, value)
                assert value is None or math.isfinite(value), (table, column, value)
                if TABLES[table][column] is int and value is not None:
                    assert isinstance(value, int) and -(2**63) <= value < 2**63, (table, column, value)
    for table in SPAN_TABLES:
        for doc_id, start, end, text in conn.execute(f"select document_id, start, [end], text from [{table}]"):
            body = texts[doc_id]
            assert 0 <= start <= end <= len(body), (table, start, end, len(body))
            assert body[start:end] == text, (table, body[start:end], text)
    for doc_id, *bounds in conn.execute("select document_id, head_start, head_end, tail_start, tail_end from relations"):
        for start, end in (bounds[:2], bounds[2:]):
            assert start is None or 0 <= start <= end <= len(texts[doc_id]), ("relations", start, end)


# -- the tests -------------------------------------------------------------------------------------------


@FUZZ
@given(files=st.lists(TEXT_FILE, min_size=1, max_size=8))
def test_fuzzed_text_and_record_files_are_stored_or_recorded(workdir, empty_db_bytes, files):
    run_and_check(workdir, empty_db_bytes, files)


@FUZZ
@given(files=st.lists(HTML_FILE, min_size=1, max_size=8))
def test_fuzzed_html_is_stored_or_recorded(workdir, empty_db_bytes, files):
    run_and_check(workdir, empty_db_bytes, files)


@FUZZ
@given(files=st.lists(st.one_of(TEXT_FILE, HTML_FILE), min_size=1, max_size=8).flatmap(
    lambda fs: st.lists(st.sampled_from(fs), min_size=len(fs), max_size=2 * len(fs))))
def test_fuzzed_copies_are_stored_once(workdir, empty_db_bytes, files):
    """The same generated files several times under other names: one document each, the rest duplicates."""
    run_and_check(workdir, empty_db_bytes, files)


def test_a_jsonl_record_holding_a_unicode_line_separator_is_one_record(tmp_path, extractor):
    """Found by this fuzz: ``json.dumps(record, ensure_ascii=False)`` writes U+2028 as is, and the one valid
    record became two read failures ('line 1: invalid JSON: Unterminated string', 'line 2: ...')."""
    record = {"title": "Acme doses first patient", "text": "Acme Bio, Inc. today announced that the first patient "
              "was dosed with ACME-101.\u2028The Phase 1 trial (NCT01234567) is enrolling."}
    (tmp_path / "news.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    report = pipeline.run([tmp_path / "news.jsonl"], tmp_path / "x.db", workers=1)
    assert (report.read, report.stored, report.failed) == (1, 1, 0), report.failures
