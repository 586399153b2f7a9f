"""extractor.crawl and the crawl commands against fixture sites served on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import crawl as crawling
from extractor.cli import cli
from extractor.errors import ConfigError, LockError
from extractor.fetch import Fetcher
from extractor.store import open_store

_spec = importlib.util.spec_from_file_location("sites_server", Path(__file__).parent / "fixtures" / "sites" / "server.py")
assert _spec and _spec.loader
srv = sys.modules.setdefault("sites_server", importlib.util.module_from_spec(_spec))
if not hasattr(srv, "SiteServer"):
    _spec.loader.exec_module(srv)

SITES = Path(__file__).parent / "fixtures" / "sites"
Q4_LIST = "/feed/PressRelease.svc/GetPressReleaseList"
Q4_DETAILS = {
    "/news/news-details/2026/northlake-lumen-2-topline/default.aspx": "q4/release-1.html",
    "/news/news-details/2026/northlake-q3-2026-results/default.aspx": "q4/release-2.html",
    "/news/news-details/2026/northlake-nlt-311-first-patient/default.aspx": "q4/release-3.html",
}
NOTIFIED_SLUGS = [
    "corvale-bio-presents-cvb-118-data-at-ash-2026",
    "corvale-bio-appoints-chief-financial-officer",
    "corvale-bio-announces-fda-clearance-of-ind-for-cvb-240",
]
WIRE_PATH = "/news-release/2026/11/18/3190001/0/en/Northlake-Therapeutics-Announces-Positive-Topline-Results.html"


@pytest.fixture(scope="session")
def extractor_():
    return crawling._cached_extractor(None)  # built once; the CLI commands reuse the cache


def _robots(server) -> None:
    server.static("/robots.txt", "User-agent: *\nDisallow: /admin/\n", "text/plain")


@pytest.fixture
def q4():
    with srv.SiteServer() as s:
        _robots(s)
        s.file(Q4_LIST, "q4/feed-2.json", "application/json; charset=utf-8")
        for path, name in Q4_DETAILS.items():
            s.file(path, name)
        s.file("/rss/pressrelease.aspx", "q4/rss.xml", "application/rss+xml")
        s.file("/news/default.aspx", "q4/index.html")
        yield s


@pytest.fixture
def notified():
    with srv.SiteServer() as s:
        _robots(s)
        s.file("/news-releases", "notified/listing-0.html")
        s.file("/news-releases?page=1", "notified/listing-1.html")
        s.file("/news-releases?page=2", "notified/listing-2.html")
        for slug in NOTIFIED_SLUGS:
            s.file(f"/news-releases/news-release-details/{slug}", f"notified/{slug}.html")
        s.file("/rss/news-releases.xml", "notified/rss.xml", "application/rss+xml")
        yield s


@pytest.fixture
def wire():
    with srv.SiteServer() as s:
        _robots(s)
        s.file(WIRE_PATH, "globenewswire/release.html")
        yield s


SETTINGS = """[settings]
contact = "tests@example.com"
min_interval = "0s"
allow_private_addresses = true
max_age = "{max_age}"
timeout = "2s"
deadline = "5s"
retries = 0
"""


def write_config(tmp_path: Path, sources: list[dict[str, str]], max_age: str = "3650d") -> Path:
    lines = [SETTINGS.format(max_age=max_age)]
    for src in sources:
        lines.append("[[source]]")
        for key, value in src.items():
            lines.append(f"{key} = {value}" if key == "selectors" else f"{key} = {json.dumps(value)}")
        lines.append("")
    path = tmp_path / "sources.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def config_path(tmp_path, q4, notified) -> Path:
    return write_config(tmp_path, [
        {"name": "northlake", "kind": "q4", "url": q4.base, "every": "30m"},
        {"name": "corvale", "kind": "notified", "url": notified.url("/news-releases"), "every": "30m"},
    ])


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def count(db: Path, table: str) -> int:
    return rows(db, f"select count(*) from {table}")[0][0]


def run_crawl(config_path: Path, db: Path, extractor_, **kwargs):
    return crawling.crawl(crawling.load_config(config_path), db, extractor=extractor_, **kwargs)


# -- the crawl cycle ----------------------------------------------------------------------------
def test_first_crawl_stores_every_release(tmp_path, config_path, q4, notified, extractor_) -> None:
    db = tmp_path / "news.db"
    report = run_crawl(config_path, db, extractor_)
    assert [(s.name, s.outcome, s.new) for s in report.sources] == [("northlake", "ok", 2), ("corvale", "ok", 3)]
    assert count(db, "documents") == 5
    sources = {r[0] for r in rows(db, "select source from documents")}
    assert q4.url("/news/news-details/2026/northlake-lumen-2-topline/default.aspx") in sources  # utm_* dropped
    assert notified.url(f"/news-releases/news-release-details/{NOTIFIED_SLUGS[2]}") in sources  # from page 2
    published = dict(rows(db, "select title, published from documents"))
    assert published["Corvale Bio Appoints Chief Financial Officer"] == "2026-11-09"
    assert published["Northlake Therapeutics Reports Third Quarter 2026 Financial Results and Pipeline Progress"] == "2026-11-05"
    assert count(db, "mentions") > 0  # the pipeline really extracted facts
    state = {r[0]: r[1:] for r in rows(db, "select name, last_outcome, etag, consecutive_failures, newest_item from sources")}
    assert state["northlake"][0] == "ok" and state["northlake"][1] and state["northlake"][2] == 0
    assert state["corvale"][3] == "2026-11-16"
    outcomes = rows(db, "select outcome, count(*) from seen_pages where role = 'detail' group by outcome")
    assert outcomes == [("stored", 5)]
    # listing pages: page 0, page 1, then the empty page 2 ends the walk
    assert [e.path for e in notified.log if e.path.startswith("/news-releases?")] == ["/news-releases?page=1", "/news-releases?page=2"]
    assert notified.requests_to("/robots.txt") and all("tests@example.com" in e.headers["user-agent"] for e in q4.log)


def test_second_crawl_costs_one_conditional_request_per_source(tmp_path, config_path, q4, notified, extractor_) -> None:
    db = tmp_path / "news.db"
    run_crawl(config_path, db, extractor_)
    before_q4, before_notified = len(q4.log), len(notified.log)
    skipped = run_crawl(config_path, db, extractor_)  # not due yet: no request at all
    assert [s.outcome for s in skipped.sources] == ["skipped", "skipped"]
    assert len(q4.log) == before_q4 and len(notified.log) == before_notified
    report = run_crawl(config_path, db, extractor_, force=True)
    assert [s.outcome for s in report.sources] == ["unchanged", "unchanged"]
    assert [s.requests for s in report.sources] == [1, 1]
    new_q4, new_notified = q4.log[before_q4:], notified.log[before_notified:]
    assert [(e.path.split("?")[0], e.status) for e in new_q4] == [(Q4_LIST, 304)]
    assert [(e.path, e.status) for e in new_notified] == [("/news-releases", 304)]
    for entry in new_q4 + new_notified:
        assert entry.headers.get("if-none-match") and entry.headers.get("if-modified-since")
    assert count(db, "documents") == 5 and count(db, "failures") == 0


def test_a_new_item_adds_exactly_one_release(tmp_path, config_path, q4, notified, extractor_) -> None:
    db = tmp_path / "news.db"
    run_crawl(config_path, db, extractor_)
    q4.file(Q4_LIST, "q4/feed-3.json", "application/json; charset=utf-8")
    before = len(q4.log)
    report = run_crawl(config_path, db, extractor_, force=True)
    assert [(s.name, s.outcome, s.new) for s in report.sources] == [("northlake", "ok", 1), ("corvale", "unchanged", 0)]
    assert count(db, "documents") == 6
    detail_requests = [e.path for e in q4.log[before:] if e.path.startswith("/news/")]
    assert detail_requests == ["/news/news-details/2026/northlake-nlt-311-first-patient/default.aspx"]
    newest = rows(db, "select newest_item from sources where name = 'northlake'")[0][0]
    assert newest == "2026-11-21"


def test_listing_body_hash_skips_processing_without_validators(tmp_path, q4, extractor_) -> None:
    q4.static(Q4_LIST, (SITES / "q4" / "feed-2.json").read_bytes(), "application/json", validators=False)
    config = write_config(tmp_path, [{"name": "northlake", "kind": "q4", "url": q4.base}])
    db = tmp_path / "news.db"
    run_crawl(config, db, extractor_)
    before = len(q4.log)
    report = run_crawl(config, db, extractor_, force=True)
    assert report.sources[0].outcome == "unchanged" and len(q4.log) == before + 1


def test_wire_copy_with_same_title_and_date_is_linked_not_stored(tmp_path, config_path, wire, extractor_) -> None:
    db = tmp_path / "news.db"
    run_crawl(config_path, db, extractor_)
    settings = crawling.load_config(config_path).fetch
    report, run = crawling.fetch_urls([wire.url(WIRE_PATH) + "?utm_source=twitter&fbclid=abc"], db, settings,
                                      extractor=extractor_)
    assert report.linked == 1 and run.stored == 0
    assert count(db, "documents") == 5
    [(url, target, outcome)] = rows(db, "select url, document_source, outcome from seen_pages where url like '%Northlake-Therapeutics%'")
    assert url == wire.url(WIRE_PATH) and outcome == "linked"
    assert target.endswith("/news/news-details/2026/northlake-lumen-2-topline/default.aspx")


def test_fetch_command_stores_a_page(tmp_path, wire, extractor_) -> None:
    db = tmp_path / "news.db"
    result = CliRunner().invoke(cli, ["fetch", wire.url(WIRE_PATH), "--db", str(db), "--contact", "t@example.com"])
    assert result.exit_code == 1  # refused: the guard is on by default and the wire is on 127.0.0.1
    assert "address" in result.output
    config = write_config(tmp_path, [])
    result = CliRunner().invoke(cli, ["fetch", wire.url(WIRE_PATH), "--db", str(db), "--sources", str(config)])
    assert result.exit_code == 0, result.output
    assert rows(db, "select source, published from documents") == [(wire.url(WIRE_PATH), "2026-11-18")]


# -- failures and back-off ------------------------------------------------------------------------
def test_bad_pages_are_recorded_and_not_fetched_again(tmp_path, extractor_) -> None:
    challenge = (SITES / "misc" / "challenge.html").read_bytes()
    with srv.SiteServer() as site:
        _robots(site)
        site.static("/press", """<html><body><ul class="releases">
            <li><a href="/press/annual-report.pdf">Annual report 2026 (PDF)</a></li>
            <li><a href="/press/moved-away">A release that moved away</a></li>
            <li><a href="/press/cfo">Corvale Bio Appoints Chief Financial Officer</a></li>
            <li><a href="/press/flaky">A release on a flaky server</a></li>
            </ul><a href="/about">About</a></body></html>""")
        site.static("/press/annual-report.pdf", b"%PDF-1.7\n...", "application/pdf")
        site.file("/press/moved-away", "misc/soft404.html")
        site.file("/press/cfo", f"notified/{NOTIFIED_SLUGS[1]}.html")
        site.route("/press/flaky", lambda req: srv.Reply(500, b"oops", {"Content-Type": "text/plain"}))
        config = write_config(tmp_path, [{"name": "site", "kind": "html", "url": site.url("/press"),
                                          "selectors": '{ link = "ul.releases li > a" }'}])
        db = tmp_path / "news.db"
        report = run_crawl(config, db, extractor_)
        assert (report.sources[0].outcome, report.sources[0].new, report.sources[0].failed) == ("ok", 1, 3)
        failures = dict(rows(db, "select source, error from failures"))
        assert failures[site.url("/press/annual-report.pdf")].startswith("content_type")
        assert failures[site.url("/press/moved-away")].startswith("soft_404")
        assert "500" in failures[site.url("/press/flaky")]
        assert rows(db, "select outcome from seen_pages where url like '%.pdf'") == [("failed",)]
        # next pass: the listing is read again (a transient failure kept the old validators),
        # only the flaky page is retried; the PDF and the soft 404 are not fetched again
        site.route("/press/flaky", lambda req: srv.Reply(403, challenge, {"Content-Type": "text/html"}))
        before = len(site.log)
        report = run_crawl(config, db, extractor_, force=True)
        paths = [e.path for e in site.log[before:]]
        assert paths == ["/press", "/press/flaky"]
        assert report.sources[0].outcome == "blocked"
        [(outcome, failures_n, next_due)] = rows(db, "select last_outcome, consecutive_failures, next_due from sources")
        assert outcome == "blocked" and failures_n == 1
        assert dt.datetime.fromisoformat(next_due) > dt.datetime.now(dt.UTC) + dt.timedelta(hours=5)


def test_first_pass_skips_items_older_than_max_age(tmp_path, extractor_) -> None:
    today = dt.date.today()
    recent = (today - dt.timedelta(days=3)).isoformat()
    feed = f"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>
<entry><title>Corvale Bio Appoints Chief Financial Officer</title>
<link href="/news/cfo"/><published>{recent}T12:00:00Z</published></entry>
<entry><title>Corvale Bio Completes Initial Public Offering</title>
<link href="/news/ipo"/><published>2019-03-01T12:00:00Z</published></entry>
</feed>"""
    with srv.SiteServer() as site:
        _robots(site)
        site.static("/atom.xml", feed, "application/atom+xml")
        site.file("/news/cfo", f"notified/{NOTIFIED_SLUGS[1]}.html")
        site.file("/news/ipo", f"notified/{NOTIFIED_SLUGS[2]}.html")
        config = write_config(tmp_path, [{"name": "corvale", "kind": "rss", "url": site.url("/atom.xml")}], max_age="60d")
        db = tmp_path / "news.db"
        report = run_crawl(config, db, extractor_)
        assert (report.sources[0].new, report.sources[0].skipped) == (1, 1)
        assert site.requests_to("/news/ipo") == []
        assert rows(db, "select published from documents") == [(recent,)]


def test_every_due_source_failing_exits_2_and_status_shows_it(tmp_path, extractor_) -> None:
    with srv.SiteServer() as site:
        _robots(site)
        site.route("/feed", lambda req: srv.Reply(500, b"down", {"Content-Type": "text/plain"}))
        config = write_config(tmp_path, [{"name": "down", "kind": "rss", "url": site.url("/feed"), "every": "1h"}])
        db = tmp_path / "news.db"
        result = CliRunner().invoke(cli, ["crawl", "--sources", str(config), "--db", str(db)])
        assert result.exit_code == 2, result.output
        assert "down: failed" in result.output
        [row] = crawling.status(db)
        assert row["last_outcome"] == "failed" and row["consecutive_failures"] == 1 and row["stale"]
        assert row["last_success"] is None and "500" in row["last_error"]
        status = CliRunner().invoke(cli, ["status", "--db", str(db)])
        assert status.exit_code == 0 and "STALE" in status.output and "down" in status.output
        result = CliRunner().invoke(cli, ["crawl", "--sources", str(config), "--db", str(db)])
        assert result.exit_code == 0 and "no source is due" in result.output  # backing off
        json_status = CliRunner().invoke(cli, ["status", "--db", str(db), "--json"])
        assert json.loads(json_status.output.splitlines()[0])["name"] == "down"


# -- lock, dry run, config ---------------------------------------------------------------------
def test_lock_held_exits_3(tmp_path, config_path) -> None:
    db = tmp_path / "news.db"
    with crawling.db_lock(db):
        result = CliRunner().invoke(cli, ["crawl", "--sources", str(config_path), "--db", str(db)])
        with pytest.raises(LockError):
            with crawling.db_lock(db):
                pass
    assert result.exit_code == 3 and "lock" in result.output.lower()
    assert not db.exists()


def test_dry_run_writes_nothing(tmp_path, config_path, q4, extractor_) -> None:
    db = tmp_path / "news.db"
    result = CliRunner().invoke(cli, ["crawl", "--sources", str(config_path), "--db", str(db), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would fetch" in result.output and "northlake-lumen-2-topline" in result.output
    assert not db.exists() and not Path(f"{db}.lock").exists()
    assert not [e for e in q4.log if e.path.startswith("/news/")]  # no detail page fetched
    run_crawl(config_path, db, extractor_)
    before = db.read_bytes(), count(db, "documents")
    q4.file(Q4_LIST, "q4/feed-3.json", "application/json")
    result = CliRunner().invoke(cli, ["crawl", "--sources", str(config_path), "--db", str(db), "--dry-run", "--force"])
    assert result.exit_code == 0 and "northlake-nlt-311-first-patient" in result.output
    assert count(db, "documents") == before[1] and db.read_bytes() == before[0]
    assert rows(db, "select count(*) from seen_pages where url like '%nlt-311%'") == [(0,)]


@pytest.mark.parametrize(
    "body, message",
    [
        ('[settings]\nmin_interval = "3s"\n', "settings.contact"),
        ('[settings]\ncontact = "a@b.c"\n[[source]]\nname = "x"\nkind = "ftp"\nurl = "http://a/"\n', "source[0].kind"),
        ('[settings]\ncontact = "a@b.c"\n[[source]]\nname = "x"\nkind = "rss"\n', "source[0].url"),
        ('[settings]\ncontact = "a@b.c"\n[[source]]\nname = "x"\nkind = "rss"\nurl = "http://a/"\nevery = "soon"\n', "source[0].every"),
        ('[settings]\ncontact = "a@b.c"\n[[source]]\nname = "x"\nkind = "html"\nurl = "http://a/"\n', "source[0].selectors"),
        ('[settings]\ncontact = "a@b.c"\nmin_interval = 3\nspeed = 1\n', "settings.speed"),
        ('[settings\ncontact = "a@b.c"\n', "sources.toml"),
        # issue 9, item 7: values that passed validation and crashed or disarmed the crawl later
        ('[settings]\ncontact = "a@b.c"\n[[source]]\nname = "x"\nkind = "rss"\nurl = "http://a/"\nevery = inf\n', "source[0].every"),
        ('[settings]\ncontact = "a@b.c"\n[[source]]\nname = "x"\nkind = "rss"\nurl = "http://a/"\nevery = nan\n', "not a finite duration"),
        ('[settings]\ncontact = "a@b.c"\n[[source]]\nname = "x"\nkind = "rss"\nurl = "http://a/"\nevery = 1e300\n', "longer than a century"),
        ('[settings]\ncontact = "a@b.c"\n[[source]]\nname = "x"\nkind = "rss"\nurl = "http://a/"\nevery = "100000000000000000000d"\n', "longer than a century"),
        ('[settings]\ncontact = "a@b.c"\nmin_interval = nan\n', "settings.min_interval"),
        ('[settings]\ncontact = "a@b.c"\ndeadline = nan\n', "settings.deadline"),
        ('[settings]\ncontact = "a@b.c\\r\\nX-Evil: 1"\n', "settings.contact: control characters"),
        ('[settings]\ncontact = "a@b.c"\n[[source]]\nname = "x"\nkind = "html"\nurl = "http://a/"\n'
         'selectors = { link = "//a[document(\'file:///etc/passwd\')]" }\n', "source[0].selectors.link: Unregistered function"),
        ('[settings]\ncontact = "a@b.c"\n[[source]]\nname = "x"\nkind = "html"\nurl = "http://a/"\n'
         'selectors = { link = "(count(//a))" }\n', "not the elements holding the links"),
        ('[settings]\ncontact = "a@b.c"\n[[source]]\nname = "x"\nkind = "html"\nurl = "http://a/"\n'
         'selectors = { link = "div.news >" }\n', "source[0].selectors.link: 'div.news >' is not a CSS selector"),
        ('[settings]\ncontact = "a@b.c"\n[[source]]\nname = "x"\nkind = "html"\nurl = "http://a/"\n'
         'selectors = { link = "a::text" }\n', "source[0].selectors.link"),
    ],
)
def test_config_errors_name_file_and_key(tmp_path, body: str, message: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        crawling.load_config(path)
    assert str(path) in str(info.value) and message in str(info.value)
    result = CliRunner().invoke(cli, ["crawl", "--sources", str(path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and "Error:" in result.output


def test_durations_and_canonical_urls() -> None:
    assert crawling.parse_duration("3s") == 3 and crawling.parse_duration("1h30m") == 5400
    assert crawling.parse_duration("60d") == 60 * 86400
    assert crawling.canonical_url(
        "HTTPS://IR.Example.com:443/news/a.aspx?id=7&utm_source=x&utm_campaign=y&fbclid=1&gclid=2#top"
    ) == "https://ir.example.com/news/a.aspx?id=7"
    assert crawling.parse_date("Wed, 18 Nov 2026 12:00:00 GMT") == "2026-11-18"
    assert crawling.parse_date("11/05/2026 16:05:00") == "2026-11-05"
    assert crawling.parse_date("November 9, 2026") == "2026-11-09"


def test_css_subset_selects_links() -> None:
    html = '<div id="list"><ul class="a b"><li><a class="x" href="/one">One release title here</a></li></ul>' \
           '<a href="/two" data-kind="pr">Two</a></div>'
    found = crawling.parse_links(html, "http://h/", "#list ul.b li > a.x")
    assert [c.url for c in found] == ["http://h/one"]
    assert [c.url for c in crawling.parse_links(html, "http://h/", 'a[data-kind="pr"], a[href^="/one"]')] == [
        "http://h/one", "http://h/two"]


def test_cssselect_selector_picks_the_release_links() -> None:
    html = """<html><body>
    <div class="news featured"><a href="/press-release/2026/a">Corvale Bio Appoints Chief Financial Officer</a>
      <span>November 9, 2026</span></div>
    <div class="news"><p><a href="/press-release/2026/nested">Nested: not a child of the div</a></p>
      <a href="/about-us">About Corvale Bio and its people</a></div>
    <div class="newsletter"><a href="/press-release/2026/b">A release in the wrong container</a></div>
    <a href="/press-release/2026/c">A release outside any news container</a>
    <DIV CLASS="news"><A HREF="/press-release/2026/d">Upper-case markup is still HTML</A></DIV>
    </body></html>"""
    found = crawling.parse_links(html, "http://h/", "div.news > a[href*=release]")
    assert [c.url for c in found] == ["http://h/press-release/2026/a", "http://h/press-release/2026/d"]
    assert found[0].published == "2026-11-09"
    # selectors beyond the old hand-written subset: sibling combinators, :not(), :nth-of-type()
    assert [c.url for c in crawling.parse_links(html, "http://h/", "div.featured ~ div:not(.newsletter) > a")] == [
        "http://h/about-us", "http://h/press-release/2026/d"]


# -- feeds: feedparser, given the text we fetched ---------------------------------------------------
def test_a_malformed_feed_still_yields_its_items() -> None:
    feed = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Corvale & Partners news</title>
<item><title>Corvale Bio Appoints Chief Financial Officer <b>today</title>
<link>https://ir.example.com/news/cfo?utm_source=rss</link><pubDate>Mon, 09 Nov 2026 12:00:00 GMT</pubDate></item>
<item><title>Corvale Bio Completes Enrollment & Doses First Patient</title><link>/news/enrollment</link>
<pubDate>November 16, 2026</pubDate></item>
<item><title>An item with no link is left out</title></item>
</channel>"""  # an unescaped "&", an unclosed <b>, no </rss>
    found = crawling.parse_feed(feed, "https://ir.example.com/rss/news.xml")
    assert [(c.url, c.title, c.published) for c in found] == [
        ("https://ir.example.com/news/cfo?utm_source=rss", "Corvale Bio Appoints Chief Financial Officer today", "2026-11-09"),
        ("https://ir.example.com/news/enrollment", "Corvale Bio Completes Enrollment & Doses First Patient", "2026-11-16"),
    ]


def test_feed_forms_and_what_is_not_a_feed() -> None:
    atom = """<feed xmlns="http://www.w3.org/2005/Atom"><title>N</title>
<entry><title type="html">&lt;b&gt;Corvale&lt;/b&gt; news</title><link rel="enclosure" href="/a.mp3"/>
<link href="/news/a"/><updated>2026-11-20T00:00:00Z</updated><published>2026-11-18T09:00:00-05:00</published></entry>
<entry><title>No alternate link: not a release</title><id>https://ir.example.com/id/1</id></entry></feed>"""
    assert [(c.url, c.title, c.published) for c in crawling.parse_feed(atom, "https://ir.example.com/feed")] == [
        ("https://ir.example.com/news/a", "Corvale news", "2026-11-18")]
    rss = """<rss version="2.0"><channel><item><title>By guid</title><guid isPermaLink="false">/news/g</guid>
<dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">2026-11-03</dc:date></item></channel></rss>"""
    assert crawling.parse_feed(rss, "https://ir.example.com/rss") == [
        crawling.Candidate("https://ir.example.com/news/g", "By guid", "2026-11-03")]
    assert crawling.parse_feed('<rss version="2.0"><channel><title>T</title></channel></rss>', "http://h/") == []
    for not_a_feed in ("", "<html><body><item><link>/x</link></item></body></html>", '{"items": []}',
                       '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://h/a</loc></url></urlset>'):
        assert crawling.parse_feed(not_a_feed, "http://h/") is None, not_a_feed


def test_feed_text_is_never_taken_for_a_url_or_a_file(tmp_path) -> None:
    with srv.SiteServer() as site:
        site.static("/feed.xml", '<rss version="2.0"><channel><item><link>http://h/x</link></item></channel></rss>',
                    "application/rss+xml")
        assert crawling.parse_feed(site.url("/feed.xml"), "http://h/") is None
        assert site.log == []  # feedparser was handed the text, not something to fetch
    local = tmp_path / "feed.xml"
    local.write_text('<rss version="2.0"><channel><item><link>http://h/x</link></item></channel></rss>', encoding="utf-8")
    assert crawling.parse_feed(str(local), "http://h/") is None


@pytest.mark.parametrize("newline", ["", "\n"])
def test_feed_entities_are_not_expanded(newline: str) -> None:
    """Billion laughs (nested entities) and XXE (an external entity): no DTD reaches the parser."""
    laughs = newline.join(
        ['<?xml version="1.0"?>', '<!DOCTYPE rss [', '<!ENTITY lol "lol">']
        + [f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10)]
        + [']>', '<rss version="2.0"><channel><title>&lol9;</title>',
           '<item><title>Corvale Bio news &lol9;</title><link>http://h/a</link></item></channel></rss>'])
    xxe = newline.join(['<?xml version="1.0"?>', '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
                        '<rss version="2.0"><channel><item><title>Corvale &xxe;</title><link>http://h/b</link></item>',
                        '</channel></rss>'])
    for feed in (laughs, laughs.replace("<!DOCTYPE", "<!doctype"), laughs.replace("]>", "]"), xxe):
        started = time.monotonic()
        found = crawling.parse_feed(feed, "http://h/")
        assert time.monotonic() - started < 0.5  # expat's own amplification limit stops it only after 1-3 s
        assert found and len(found) == 1 and found[0].url in ("http://h/a", "http://h/b")
        assert "lollol" not in (found[0].title or "") and "root:" not in (found[0].title or "")
    # even a harmless internal entity stays unexpanded: the DTD is gone before feedparser sees the text
    plain = newline.join(['<!DOCTYPE rss [', '<!ENTITY co "Corvale Bio">', ']>', '<rss version="2.0"><channel>',
                          '<item><title>&co; news</title><link>http://h/c</link></item></channel></rss>'])
    assert [c.title for c in crawling.parse_feed(plain, "http://h/")] == ["&co; news"]


def test_the_public_api_is_honest() -> None:
    public = {n for n, v in vars(crawling).items()
              if not n.startswith("_") and n != "annotations" and not isinstance(v, type(crawling))}
    assert sorted(crawling.__all__) == sorted(public)
    used = {"Crawler", "canonical_url", "config_from_dict", "crawl", "db_lock", "discover", "discover_url", "fetch_urls",
            "load_config", "load_settings", "parse_date", "parse_duration", "parse_links", "status", "stop_on_signals",
            "watch", "CrawlConfig", "CrawlReport", "Source", "parse_feed", "parse_q4_json", "parse_sitemap"}
    assert used <= set(crawling.__all__)  # what the CLI, the tests and the old __all__ name


# -- discover and watch --------------------------------------------------------------------------
def test_discover_detects_platforms(tmp_path, q4, notified) -> None:
    settings = crawling.load_config(write_config(tmp_path, [])).fetch
    with Fetcher(settings) as fetcher:
        assert crawling.discover(q4.url("/news/default.aspx"), fetcher).kind == "q4"
        found = crawling.discover(notified.url("/news-releases"), fetcher)
        assert (found.kind, found.url) == ("notified", notified.url("/news-releases"))
        assert crawling.discover(notified.url("/rss/news-releases.xml"), fetcher).kind == "rss"
    notified.static("/home", f'<html><head><link rel="alternate" type="application/rss+xml" href="{notified.url("/rss/news-releases.xml")}">'
                              '</head><body><a href="/press-releases/2026/a">A</a></body></html>')
    config = write_config(tmp_path, [])
    result = CliRunner().invoke(cli, ["discover", notified.url("/home"), "--sources", str(config)])
    assert result.exit_code == 0, result.output
    entry = crawling.config_from_dict(
        {"settings": {"contact": "x@y.z"}, "source": [__import__("tomllib").loads(result.output)["source"][0]]})
    assert entry.sources[0].kind == "rss" and entry.sources[0].url.endswith("/rss/news-releases.xml")


def test_watch_runs_until_stopped(tmp_path, config_path, q4, notified, extractor_) -> None:
    db = tmp_path / "news.db"
    stop = threading.Event()
    config = crawling.load_config(config_path)
    lines: list[str] = []

    def progress(line: str) -> None:
        lines.append(line)
        if len(lines) == 2:
            stop.set()

    passes = crawling.watch(config, db, stop=stop, extractor=extractor_, progress=progress)
    assert passes == 1 and count(db, "documents") == 5
    with crawling.db_lock(db):  # released when watch returns
        pass


def test_crawl_links_a_wire_feed_item_without_fetching_it(tmp_path, config_path, wire, extractor_) -> None:
    feed = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Northlake Therapeutics Announces Positive Topline Results from Phase 2 LUMEN-2 Trial of NLT-204 in Plaque Psoriasis</title>
<link>{wire.url(WIRE_PATH)}?utm_source=rss</link><pubDate>Wed, 18 Nov 2026 12:00:00 GMT</pubDate></item>
</channel></rss>"""
    wire.static("/rss", feed, "application/rss+xml")
    db = tmp_path / "news.db"
    run_crawl(config_path, db, extractor_)
    config = write_config(tmp_path, [{"name": "wire", "kind": "rss", "url": wire.url("/rss")}])
    report = run_crawl(config, db, extractor_)
    assert (report.sources[0].new, report.sources[0].linked) == (0, 1)
    assert wire.requests_to(WIRE_PATH) == [] and count(db, "documents") == 5
    assert rows(db, "select outcome from seen_pages where source = 'wire'") == [("linked",)]


def test_q4_falls_back_to_rss_when_the_json_list_is_missing(tmp_path, q4, extractor_) -> None:
    q4.route(Q4_LIST, lambda req: srv.Reply(404, b"<html><body>no</body></html>", {"Content-Type": "text/html"}))
    config = write_config(tmp_path, [{"name": "northlake", "kind": "q4", "url": q4.base}])
    db = tmp_path / "news.db"
    report = run_crawl(config, db, extractor_)
    assert (report.sources[0].outcome, report.sources[0].new) == ("ok", 2)
    assert q4.requests_to("/rss/pressrelease.aspx")


def test_sitemap_index_with_include_filter(tmp_path, notified, extractor_) -> None:
    detail = "/news-releases/news-release-details/"
    notified.static("/sitemap.xml", f"""<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{notified.url('/sitemap-news.xml')}</loc><lastmod>2026-11-16</lastmod></sitemap>
</sitemapindex>""", "application/xml")
    notified.static("/sitemap-news.xml", f"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{notified.url('/about-us')}</loc></url>
<url><loc>{notified.url(detail + NOTIFIED_SLUGS[0])}</loc><lastmod>2026-11-16</lastmod></url>
<url><loc>{notified.url(detail + NOTIFIED_SLUGS[1])}</loc><lastmod>2026-11-09</lastmod></url>
</urlset>""", "application/xml")
    config = write_config(tmp_path, [{"name": "corvale", "kind": "sitemap", "url": notified.url("/sitemap.xml"),
                                      "include": "/news-release-details/"}])
    db = tmp_path / "news.db"
    report = run_crawl(config, db, extractor_)
    assert (report.sources[0].outcome, report.sources[0].new) == ("ok", 2)
    assert notified.requests_to("/about-us") == []
    assert rows(db, "select role from seen_pages where url like '%sitemap-news%'") == [("listing",)]


def test_since_backfills_history_the_age_floor_left_out(tmp_path, notified, extractor_) -> None:
    """A first pass keeps to max_age; `crawl --since DATE` pages back past what was seen, down to DATE."""
    config = crawling.load_config(write_config(tmp_path, [
        {"name": "corvale", "kind": "notified", "url": notified.url("/news-releases"), "every": "30m"},
    ], max_age="20d"))
    db = tmp_path / "news.db"
    now = lambda: dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)  # noqa: E731
    with Fetcher(config.fetch) as fetcher:
        store = open_store(db)
        try:
            crawler = crawling.Crawler(config, store, fetcher, extractor_, clock=now)
            first = crawler.crawl_source(config.sources[0])
            backfill = crawling.Crawler(config, store, fetcher, extractor_, clock=now, since="2026-01-01")
            second = backfill.crawl_source(config.sources[0])
        finally:
            store.close()
    assert (first.new, second.new) == (2, 1)  # October 28 is older than 20 days: left out, then backfilled
    assert count(db, "documents") == 3


def test_since_is_a_past_date_in_config_and_on_the_command_line(tmp_path, notified) -> None:
    bad = write_config(tmp_path, [{"name": "c", "kind": "notified", "url": notified.url("/news-releases"), "since": "last year"}])
    with pytest.raises(ConfigError, match=r"since: 'last year' is not a date"):
        crawling.load_config(bad)
    good = write_config(tmp_path, [{"name": "c", "kind": "notified", "url": notified.url("/news-releases"), "since": "2020-01-31"}])
    assert crawling.load_config(good).sources[0].since == "2020-01-31"
    result = CliRunner().invoke(cli, ["crawl", "--sources", str(good), "--db", str(tmp_path / "x.db"), "--since", "2999-01-01"])
    assert result.exit_code == 1 and "in the future" in result.stderr


def test_fetch_after_crawl_and_fetch_again_say_unchanged(tmp_path, config_path, q4, notified, extractor_) -> None:
    """crawl and fetch store a page under the same headline, so fetching it again is unchanged."""
    listing = (SITES / "notified" / "listing-0.html").read_text(encoding="utf-8")
    shortened = listing.replace(">Corvale Bio Appoints Chief Financial Officer</a>", ">Corvale names a CFO</a>")
    assert shortened != listing
    notified.static("/news-releases", shortened, "text/html")  # the listing's title differs from the page's
    db = tmp_path / "news.db"
    run_crawl(config_path, db, extractor_)
    url = notified.url(f"/news-releases/news-release-details/{NOTIFIED_SLUGS[1]}")
    assert "Corvale Bio Appoints Chief Financial Officer" in {t for (t,) in rows(db, "select title from documents")}
    titles = dict(rows(db, "select source, title from documents"))
    settings = crawling.load_config(config_path).fetch
    for _ in range(2):
        report, run = crawling.fetch_urls([url], db, settings, extractor=extractor_)
        assert (report.new, report.unchanged, run.stored) == (0, 1, 0), report.line()
        assert "1 unchanged" in report.line()
    assert dict(rows(db, "select source, title from documents")) == titles
    assert count(db, "documents") == 5


@pytest.mark.parametrize("value, day", [
    ("Wed, 20 Nov 2024 10:00:00 GMT", "2024-11-20"),
    ("2024-03-05T10:00:00Z", "2024-03-05"),
    ("Sept. 24, 2024 | 4 min read", "2024-09-24"),
    ("Posted on 03/05/2024 by the newsroom", "2024-03-05"),
    ("20 November 2026", "2026-11-20"),
    ("March 2024", None),  # no day: not a date of a release
    ("2024-02-30", None),
    ("Posted 3 min ago", None),
])
def test_listing_dates_are_read_by_dateutil_only_when_day_month_and_year_are_given(value, day) -> None:
    from extractor.crawl import parse_date

    assert parse_date(value) == day
