"""The cleaning stage: RawDocument → Article (title, date, paragraphs, sections).

Fixtures under tests/fixtures/html/ are small pages written for these tests, shaped like the
detail pages of the newswires and IR platforms we read. The last test measures main-text
extraction on ../shared/html-benchmark and skips when that folder is absent.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from extractor.clean import clean, iso_date, normalize_chars
from extractor.errors import CleanError
from extractor.models import SECTIONS, Article, RawDocument

FIXTURES = Path(__file__).parent / "fixtures" / "html"
ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT.parent / "shared" / "html-benchmark"


def html_article(name: str, **meta: str) -> Article:
    path = FIXTURES / name
    return clean(RawDocument(source=str(path), content=path.read_text(encoding="utf-8"), kind="html", **meta))


def paragraphs(article: Article) -> list[str]:
    return [article.text[s:e] for s, e in article.paragraphs]


def section_text(article: Article, name: str) -> str:
    found = [s for s in article.sections if s.name == name]
    assert len(found) == 1, f"expected one {name} section, got {article.sections}"
    return article.text[found[0].start : found[0].end]


def section_heads(article: Article) -> list[tuple[str, str]]:
    """Each section's name and first line."""
    return [(s.name, article.text[s.start : s.end].split("\n", 1)[0]) for s in article.sections]


def assert_offsets_consistent(article: Article) -> None:
    text = article.text
    assert article.paragraphs, "an article has at least one paragraph"
    assert "\n\n".join(paragraphs(article)) == text
    previous_end = -2
    for start, end in article.paragraphs:
        assert start == previous_end + 2 and start < end
        chunk = text[start:end]
        assert chunk == chunk.strip() and "\n\n" not in chunk
        previous_end = end
    assert previous_end == len(text)
    starts = {s for s, _ in article.paragraphs}
    ends = {e for _, e in article.paragraphs}
    last_end = -1
    sections = article.sections
    for k, section in enumerate(sections):
        assert section.name in SECTIONS
        assert 0 <= section.start < section.end <= len(text)
        assert section.start >= last_end, "sections do not overlap"
        assert text[section.start : section.end] == text[section.start : section.end].strip()
        # a section starts a paragraph, or a sentence ("… NSCLC. This news release includes “forward-looking…")
        assert section.start in starts or text[section.start - 1] == " "
        # …and ends with a paragraph, or where the next one starts
        assert section.end in ends or (k + 1 < len(sections) and sections[k + 1].start - section.end <= 1)
        last_end = section.end


# ── a noisy news page ────────────────────────────────────────────────────────────────────────


def test_noisy_news_page_keeps_the_story_and_drops_the_furniture() -> None:
    article = html_article("noisy_news.html")
    assert article.title == "Harbor Town Opens Its First Tidal Library"
    assert article.published == "2024-02-29"  # JSON-LD datePublished
    paras = paragraphs(article)
    assert paras[0].startswith("Harbor Town unveiled a library on Thursday")
    assert paras[-1] == "Borrowers may keep a book for one full lunar cycle, after which a polite note arrives by boat."
    assert "Books that can get wet" in paras  # a subheading is a paragraph of its own
    assert "“People told us it was impractical, and they were right,”" in article.text
    noise = [
        "cookies", "Accept all", "Weather", "Sport", "The Daily Ledger", "By Mara Quill", "Share on Facebook",
        "Photo: Ledger staff", "Advertisement", "Recent Videos", "Seal pup rescued", "Mayor races a tractor",
        "Gull steals", "©", "All rights reserved", "Related articles", "Lighthouse keeper", "Ferry timetable",
        "comments", "Wavecaster99", "TideWatcher", "Most read", "Council approves", "Privacy", "dataLayer",
        "pageview", "position:fixed",
    ]  # fmt: skip
    for string in noise:
        assert string not in article.text, string
    assert article.sections == ()
    assert_offsets_consistent(article)


# ── newswire and IR-platform detail pages ────────────────────────────────────────────────────

TEMPLATE_CASES = {
    "globenewswire.html": {
        "title": "Fictio Therapeutics Reports Positive Phase 2 Data for FCT-221 in Nodular Fibrosis",
        "published": "2024-05-14",
        "first": "CAMBRIDGE, Mass., May 14, 2024 (GLOBE NEWSWIRE) -- Fictio Therapeutics, Inc. (Nasdaq: FCTO), a "
        "clinical-stage company working on scar-free healing, today announced that its Phase 2 study of "
        "FCT-221 met its primary endpoint.",
        "last": "media@fictio.example",
        "sections": ["about", "forward_looking", "contacts"],
        "about": "About Fictio Therapeutics\nFictio Therapeutics is a clinical-stage company developing cell "
        "therapies that help tissue heal without scars. Learn more at fictio.example.",
        "forward_looking": "Forward-Looking Statements\nThis press release contains forward-looking statements "
        "about the development of FCT-221. Actual results may differ materially.",
        "contacts": "Investor Contact:\nJamie Rowe\nir@fictio.example\n\nmedia@fictio.example",
    },
    "businesswire.html": {
        "title": "Quillon Bio Starts Dosing in First-in-Human Trial of QB-7",
        "published": "2024-03-05",  # <time datetime>: the dateline has no date
        "first": "SOUTH SAN FRANCISCO, Calif.--(BUSINESS WIRE)--Quillon Bio, Inc., a company building oral "
        "peptides for rare metabolic disease, today announced that the first participant has been dosed "
        "in its Phase 1 trial of QB-7.",
        "last": "Media:\nPriya Anand\npress@quillon.example",
        "sections": ["about", "forward_looking", "contacts"],
        "about": "About Quillon Bio\n\nQuillon Bio designs peptides that survive the gut. The company is based "
        "in South San Francisco.",
        "forward_looking": "Cautionary Note Regarding Forward-Looking Statements\n\nStatements in this release "
        "about future trials are forward-looking and involve risks.",
        "contacts": "Contacts\n\nMedia:\nPriya Anand\npress@quillon.example",
    },
    "prnewswire.html": {
        "title": "Orvane Pharma Receives FDA Fast Track Designation for OR-19",
        "published": "2025-01-08",  # the "/PRNewswire/" dateline
        "first": "BOSTON, Jan. 8, 2025 /PRNewswire/ -- Orvane Pharma today said the U.S. Food and Drug "
        "Administration granted Fast Track designation to OR-19 for chronic cough.",
        "last": "Media Contact: Theo Grant, 617-555-0100",  # "SOURCE Orvane Pharma" is dropped
        "sections": ["about", "contacts"],
        "about": "About Orvane Pharma\nOrvane Pharma develops medicines for airway disease.",
        "contacts": "Media Contact: Theo Grant, 617-555-0100",
    },
    "q4_ir.html": {
        "title": "Veltrix Oncology Presents Updated VX-310 Data at ASCO",  # " | Veltrix Oncology, Inc." stripped
        "published": "2024-06-03",  # the module_date-text element
        "first": "CHICAGO, June 03, 2024 (GLOBE NEWSWIRE) -- Veltrix Oncology, Inc. (Nasdaq: VLTX) today shared "
        "updated results for VX-310 in KRAS G12C mutant colorectal cancer.",
        "last": "Contacts\nInvestors: Dana Kim, ir@veltrix.example",
        "sections": ["about", "forward_looking", "contacts"],
        "about": "About VX-310\n\nVX-310 is an oral inhibitor of KRAS G12C.\n\nAbout Veltrix Oncology\n\n"
        "Veltrix Oncology builds targeted medicines for hard-to-treat cancers.",
        "forward_looking": "Safe Harbor Statement\n\nThis news release includes forward-looking statements that "
        "involve risks and uncertainties.",
        "contacts": "Contacts\nInvestors: Dana Kim, ir@veltrix.example",
    },
    "notified_ir.html": {
        "title": "Sollis Genetics Announces Enrollment Completion in LUMEN-2 Trial",
        "published": "2024-05-02",  # the date field of the article, not the list widget's date above it
        "first": "SAN DIEGO, May 02, 2024 (GLOBE NEWSWIRE) -- Sollis Genetics, Inc. (Nasdaq: SOLG) today announced "
        "that enrollment is complete in LUMEN-2, its Phase 3 trial of SG-04 in retinal dystrophy.",
        "last": "Media Contact\nRuth Bell\nmedia@sollis.example",
        "sections": ["about", "forward_looking", "contacts"],
        "about": "About Sollis Genetics\nSollis Genetics develops gene therapies for inherited eye disease.",
        "forward_looking": "Forward-Looking Statements\nStatements in this press release that are not historical "
        "facts are forward-looking statements.",
        "contacts": "Media Contact\nRuth Bell\nmedia@sollis.example",
    },
}


@pytest.mark.parametrize("name", sorted(TEMPLATE_CASES))
def test_detail_page_templates(name: str) -> None:
    want = TEMPLATE_CASES[name]
    article = html_article(name)
    assert article.title == want["title"]
    assert article.published == want["published"]
    paras = paragraphs(article)
    assert paras[0] == want["first"]
    assert paras[-1] == want["last"]
    assert [s.name for s in article.sections] == want["sections"]
    for section in want["sections"]:
        assert section_text(article, section) == want[section]
    # everything before the first section is body
    assert article.section_at(0) == "body"
    assert article.section_at(article.sections[0].start - 3) == "body"
    assert_offsets_consistent(article)
    for noise in (
        "Search", "Sign in", "Share", "Tags", "Related Links", "More News", "Recent News", "Copyright", "©",
        "Download PDF", "Download as PDF", "Also from this source", "Home", "SOURCE", "April 30", "to report first",
        "names new CFO", "R&D day",
    ):  # fmt: skip
        assert noise not in article.text, noise
    assert article.title not in article.text  # the headline is the title, not a paragraph


def test_superscript_exponent_and_footnote_marker() -> None:
    article = html_article("globenewswire.html")
    assert "Patients received 2 × 10^6 cells/kg in a single infusion" in paragraphs(article)  # <sup>1</sup> dropped


def test_metadata_from_the_record_wins() -> None:
    article = html_article(
        "globenewswire.html", title="Given title", published="2024-05-15", url="https://example.org/r/1"
    )
    assert (article.title, article.published, article.url) == ("Given title", "2024-05-15", "https://example.org/r/1")
    assert article.source.endswith("globenewswire.html")


@pytest.mark.parametrize(
    ("head", "title"),
    [
        ("<title>Acme Lands Big Deal | Acme News</title>", "Acme Lands Big Deal"),
        ('<meta property="og:site_name" content="Pharma Wire"><title>Acme Lands Big Deal - Pharma Wire</title>',
         "Acme Lands Big Deal"),  # fmt: skip
        ("<title>Acme - Lands Big Deal Today</title>", "Acme - Lands Big Deal Today"),  # a dash alone is kept
        ('<meta property="og:title" content="From og:title"><title>From title | Site</title>', "From og:title"),
    ],
)
def test_title_sources_and_site_suffix(head: str, title: str) -> None:
    page = f"<html><head>{head}</head><body><p>{'Some words of body text. ' * 30}</p></body></html>"
    assert clean(RawDocument(source="t.html", content=page, kind="html")).title == title


def test_h1_title_and_meta_date() -> None:
    page = (
        '<html><head><meta name="DC.date" content="2023/07/04"></head><body><div class="content">'
        f"<h1>Widget Maker Expands</h1><p>{'The widget maker expanded again this year. ' * 20}</p></div></body></html>"
    )
    article = clean(RawDocument(source="t.html", content=page, kind="html"))
    assert (article.title, article.published) == ("Widget Maker Expands", "2023-07-04")
    assert not article.text.startswith("Widget Maker Expands")  # the headline is the title, not body text


def test_br_lists_and_div_text() -> None:
    page = (
        "<html><body><div class='post'><div>First line of a long enough paragraph of words<br>second line of it</div>"
        "<ul><li>Item one is a list item</li><li>Item two is another one</li></ul>"
        f"<p>{'Closing paragraph with several words. ' * 15}</p></div></body></html>"
    )
    paras = paragraphs(clean(RawDocument(source="t.html", content=page, kind="html")))
    assert paras[:3] == [
        "First line of a long enough paragraph of words\nsecond line of it",
        "Item one is a list item",
        "Item two is another one",
    ]


@pytest.mark.parametrize(
    "page",
    [
        "",
        "   \n ",
        "<html><head><title>Nothing</title></head><body></body></html>",
        "<html><body><script>var a = 1;</script><style>p{}</style><!-- only a comment --></body></html>",
        "<html><body><nav><a href='/'>Home</a></nav><footer>© 2024 Somebody</footer></body></html>",
        "\x00\x01\x02 <<<>>> &&&",
    ],
)
def test_pages_without_text_raise_clean_error(page: str) -> None:
    with pytest.raises(CleanError):
        clean(RawDocument(source="bad.html", content=page, kind="html"))


@pytest.mark.parametrize("kind", ["text", "markdown"])
def test_empty_text_raises_clean_error(kind: str) -> None:
    with pytest.raises(CleanError):
        clean(RawDocument(source="empty", content="  \n\n  ", kind=kind))  # type: ignore[arg-type]


# ── Markdown and plain text ──────────────────────────────────────────────────────────────────

MARKDOWN = """# Nimbra Bio Doses First Patient in **NB-12** Study

BASEL, Switzerland, April 2, 2024 (GLOBE NEWSWIRE) -- Nimbra Bio today said the first patient
has been dosed in its Phase 1 study of [NB-12](https://nimbra.example/nb12), an antibody
against a fibrosis target.

Highlights:

* Dose escalation from 0.3 mg/kg to 10 mg/kg
 * Data expected in *late 2025*
- Study sites in 3 countries

![Logo](https://nimbra.example/logo.png)

## About Nimbra Bio

Nimbra Bio &amp; its partners build antibodies.
Visit __nimbra.example__ for more.

### Forward-Looking Statements

This press release contains forward-looking statements.

Media Contact:
Ola Berg
ola@nimbra.example

---

[Original/Source Press Release](https://wire.example/release/123)
"""


def test_markdown_release() -> None:
    article = clean(RawDocument(source="r.md", content=MARKDOWN, kind="markdown"))
    assert article.title == "Nimbra Bio Doses First Patient in NB-12 Study"
    assert article.published == "2024-04-02"  # from the dateline
    paras = paragraphs(article)
    assert paras[0] == (
        "BASEL, Switzerland, April 2, 2024 (GLOBE NEWSWIRE) -- Nimbra Bio today said the first patient has been "
        "dosed in its Phase 1 study of NB-12, an antibody against a fibrosis target."
    )  # hard wraps before a lowercase word are joined, the link keeps its text
    assert paras[1:5] == [
        "Highlights:",
        "Dose escalation from 0.3 mg/kg to 10 mg/kg",
        "Data expected in late 2025",
        "Study sites in 3 countries",
    ]
    assert "About Nimbra Bio" in paras
    assert "Nimbra Bio & its partners build antibodies.\nVisit nimbra.example for more." in paras
    assert paras[-1] == "Media Contact:\nOla Berg\nola@nimbra.example"  # a capitalised line keeps its newline
    for gone in ("#", "*", "](", "Logo", "Original/Source", "---", "__"):
        assert gone not in article.text, gone
    assert [s.name for s in article.sections] == ["about", "forward_looking", "contacts"]
    assert section_text(article, "about").startswith("About Nimbra Bio\n\nNimbra Bio & its partners")
    assert section_text(article, "forward_looking") == (
        "Forward-Looking Statements\n\nThis press release contains forward-looking statements."
    )
    assert_offsets_consistent(article)


def test_markdown_title_does_not_override_the_record() -> None:
    article = clean(RawDocument(source="r.md", content=MARKDOWN, kind="markdown", title="Record title"))
    assert article.title == "Record title"


def test_record_title_gets_the_character_contract() -> None:
    raw = RawDocument(source="r.jsonl#3", content="Body text of it.", kind="text", title="Lilly&#39;s Taltz® wins\u00a0again")
    assert clean(raw).title == "Lilly's Taltz wins again"


def test_text_entities_and_line_wraps() -> None:
    text = (
        "Zentra&#39;s trial of ZT-9 met its endpoint &amp; more.\nThe response rate was 42% in\n"
        "patients with 2 prior lines.\n\nA second paragraph.\nNew sentence on a new line."
    )
    article = clean(RawDocument(source="a.txt", content=text, kind="text"))
    assert paragraphs(article) == [
        "Zentra's trial of ZT-9 met its endpoint & more.\nThe response rate was 42% in patients with 2 prior lines.",
        "A second paragraph.\nNew sentence on a new line.",
    ]
    assert article.title is None and article.published is None


ONE_LINE_RECORD = (
    "Korvia&#39;s KV-5 Cuts Flares in Phase 3 Study March 3, 2024 * * * * * *KV-5 reduced flares by 48% versus "
    "placebo over 52 weeks* *The safety profile was consistent with earlier studies* INDIANAPOLIS,March 3, 2024// "
    "-- Korvia Inc. announced today that KV-5 met its primary endpoint in GUARD-3, a Phase 3 trial in adults with "
    "chronic hives. The study enrolled 612 participants. **About KV-5** KV-5 is an oral inhibitor given once daily. "
    "**About Korvia** Korvia makes medicines for allergy. **Cautionary Statement Regarding Forward-Looking "
    "Statements** This press release contains forward-looking statements about KV-5. **Refer to:** | Ada Lind; "
    '317-555-0199 | ")] SOURCE Korvia Inc. **To speak to customer support:** Call 555-0100'
)


def test_one_line_record_gets_paragraphs_and_sections() -> None:
    article = clean(
        RawDocument(
            source="r.jsonl#1",
            content=ONE_LINE_RECORD,
            kind="text",
            title="Korvia's KV-5 Cuts Flares in Phase 3 Study",
            published="2024-03-03",
        )
    )
    paras = paragraphs(article)
    assert paras[:3] == [
        "KV-5 reduced flares by 48% versus placebo over 52 weeks",
        "The safety profile was consistent with earlier studies",
        "INDIANAPOLIS,March 3, 2024// -- Korvia Inc. announced today that KV-5 met its primary endpoint in GUARD-3, "
        "a Phase 3 trial in adults with chronic hives. The study enrolled 612 participants.",
    ]  # the repeated title and date are gone
    assert [s.name for s in article.sections] == ["about", "forward_looking", "contacts"]
    assert section_text(article, "about") == (
        "About KV-5\n\nKV-5 is an oral inhibitor given once daily.\n\n"
        "About Korvia\n\nKorvia makes medicines for allergy."
    )
    assert section_text(article, "forward_looking").startswith("Cautionary Statement Regarding Forward-Looking")
    assert section_text(article, "contacts").startswith("Refer to:\n\n| Ada Lind; 317-555-0199")
    for gone in ("*", "&#39;", "customer support", "SOURCE Korvia"):
        assert gone not in article.text, gone
    assert_offsets_consistent(article)


def test_stray_tags_in_text_records() -> None:
    text = "First line<br>second line<p>Next paragraph with <b>bold</b> and glucose <54 mg/dL.</p></article></main>"
    article = clean(RawDocument(source="r.jsonl#2", content=text, kind="text"))
    assert paragraphs(article) == ["First line\nsecond line", "Next paragraph with bold and glucose <54 mg/dL."]


def test_pre_keeps_its_lines() -> None:
    page = (
        '<html><body><div id="main-body-container"><p>' + "Body words of the release. " * 20 + "</p>"
        "<pre>Media Contact:\nJane Doe\n+1 555 0100\n\njane@example.org\n</pre></div></body></html>"
    )
    article = clean(RawDocument(source="t.html", content=page, kind="html"))
    assert paragraphs(article)[1:] == ["Media Contact:\nJane Doe\n+1 555 0100", "jane@example.org"]
    assert [s.name for s in article.sections] == ["contacts"]


def test_about_needs_a_name() -> None:
    text = "Intro paragraph of the release.\n\nAbout 30% of patients responded.\n\nAbout Acme\nAcme makes drugs."
    article = clean(RawDocument(source="a.txt", content=text, kind="text"))
    assert [(s.name, article.text[s.start : s.end]) for s in article.sections] == [
        ("about", "About Acme\nAcme makes drugs.")
    ]


def test_about_the_title_case_heading_opens_an_about_section_and_ends_the_safety_text() -> None:
    text = (
        "Intro paragraph of the release.\n\nIMPORTANT SAFETY INFORMATION\n\nColitis occurred.\n\n"
        "About the Acme and Borex Strategic Collaboration\n\nIn 2018 Acme and Borex agreed to co-develop AB-101.\n\n"
        "About the same number of patients responded in each arm."
    )
    article = clean(RawDocument(source="a.txt", content=text, kind="text"))
    names = section_heads(article)
    assert ("about", "About the Acme and Borex Strategic Collaboration") in names
    assert not any(name == "about" and first.startswith("About the same") for name, first in names)


def test_an_about_heading_naming_a_drug_in_lower_case_ends_the_safety_text() -> None:
    text = (
        "Intro paragraph of the release.\n\nImportant Safety Information\n\nColitis occurred.\n\n"
        "About half\n\nof the patients had colitis.\n\nAbout one-fifth\n\nof them stopped.\n\nAbout double\n\nthe rate.\n\n"
        "About zorvumab\n\nZorvumab is being tested in the ACTIV-9 study."
    )
    article = clean(RawDocument(source="a.txt", content=text, kind="text"))
    # quantities, not names, stay in the safety text; the drug's heading opens its about section
    assert section_heads(article) == [("safety", "Important Safety Information"), ("about", "About zorvumab")]


def test_forward_looking_sentence_without_heading() -> None:
    text = (
        "Body paragraph about a trial.\n\nMore body. This news release includes “forward-looking statements” within "
        "the meaning of the safe harbor provisions. Risks apply."
    )
    article = clean(RawDocument(source="a.txt", content=text, kind="text"))
    (section,) = article.sections
    assert section.name == "forward_looking"
    assert article.text[section.start : section.end].startswith("This news release includes “forward-looking")


def test_forward_looking_disclaimer_glued_to_the_news_sentence() -> None:
    # a scrape that lost "This news release of … " glues the disclaimer's rest to the lead sentence: the news stays body
    text = (
        "Acme Wins Opinion\n\nBOSTON---- Acme today announced that the committee adopted a positive opinion for ZELTIX "
        "in gout includes “forward-looking statements” within the meaning of the safe harbor provisions. Risks apply."
    )
    article = clean(RawDocument(source="a.txt", content=text, kind="text"))
    (section,) = article.sections
    assert section.name == "forward_looking"
    assert article.text[section.start : section.end].startswith("includes “forward-looking")
    assert "positive opinion for ZELTIX in gout" in article.text[: section.start]


# ── character normalisation ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("raw", "clean_text"),
    [
        ("1.0 × 10⁶ cells/kg", "1.0 × 10^6 cells/kg"),
        ("2 x 10¹⁴ vg/kg", "2 x 10^14 vg/kg"),
        ("10⁻³ M", "10^-3 M"),
        ("100 mg/m² weekly", "100 mg/m2 weekly"),
        ("CD19⁺ B cells and CD19⁻BCMA⁺", "CD19+ B cells and CD19-BCMA+"),
        ("5·4 mg/kg or 6·4 mg/kg", "5.4 mg/kg or 6.4 mg/kg"),
        ("SLEDAI\u20112K and anti\u2010CD19 at \u22124.3%", "SLEDAI-2K and anti-CD19 at -4.3%"),
        ("a\u2012b", "a-b"),
        ("400\u00a0mg and 12\u202fweeks", "400 mg and 12 weeks"),
        ("CARVYKTI® and CASGEVY™ and mRESVIA(R)", "CARVYKTI and CASGEVY and mRESVIA"),
        ("0.42–0.77 — a range", "0.42–0.77 — a range"),  # en and em dashes are kept
        ("too    many   spaces", "too many spaces"),
        ("zero\u200bwidth", "zerowidth"),
    ],
)
def test_normalize_chars(raw: str, clean_text: str) -> None:
    assert normalize_chars(raw) == clean_text


def test_normalisation_applies_to_articles() -> None:
    page = (
        "<html><body><article><p>Patients got 1 × 10<sup>8</sup>\u00a0CAR\u2011T cells at 25 mg/m² "
        f"of KYMRIAH®.</p><p>{'Further text follows here. ' * 20}</p></article></body></html>"
    )
    article = clean(RawDocument(source="t.html", content=page, kind="html"))
    assert paragraphs(article)[0] == "Patients got 1 × 10^8 CAR-T cells at 25 mg/m2 of KYMRIAH."
    assert_offsets_consistent(article)


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2024-05-14T12:00:00Z", "2024-05-14"),
        ("2019/11/18", "2019-11-18"),
        ("20191118", "2019-11-18"),
        ("May 14, 2024 08:00 ET", "2024-05-14"),
        ("Sept. 4, 2024", "2024-09-04"),
        ("4 September 2024", "2024-09-04"),
        ("11/19/2019", "2019-11-19"),
        ("2024-02-30", None),
        ("not a date", None),
        ("", None),
    ],
)
def test_iso_date(value: str, iso: str | None) -> None:
    assert iso_date(value) == iso


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.html")))
def test_fixture_offsets(name: str) -> None:
    assert_offsets_consistent(html_article(name))


# ── the shared benchmark ─────────────────────────────────────────────────────────────────────


def _benchmark_module() -> ModuleType:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import html_benchmark
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return html_benchmark


def test_benchmark_script_skips_without_shared(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _benchmark_module()
    monkeypatch.setattr(bench, "BENCH_DIR", tmp_path / "absent")
    assert bench.main([]) == 0
    assert "skipped" in capsys.readouterr().out


def test_benchmark_metric() -> None:
    bench = _benchmark_module()
    assert bench.page_scores("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    # one shared 4-shingle, one extra, one missing; normalised so that a page weighs 1
    assert bench.page_scores("one two three four five", "one two three four six") == pytest.approx((1 / 3,) * 3)
    assert bench.page_scores("", "") == (0.0, 0.0, 0.0)
    assert bench.prf([(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)]) == (1.0, 0.5, 2 / 3)

#: F1 measured on the 181 pages (0.9806 when this floor was set), minus a margin for small changes.
BENCHMARK_F1_FLOOR = 0.975


@pytest.mark.shared
@pytest.mark.skipif(not (BENCH_DIR / "ground-truth.json").is_file(), reason="../shared/html-benchmark is absent")
def test_html_benchmark_f1() -> None:
    bench = _benchmark_module()
    pages = bench.load_pages(BENCH_DIR)
    scores = [bench.page_scores(truth, bench.ours(url, html)) for _, url, html, truth in pages]
    precision, recall, f1 = bench.prf(scores)
    assert f1 >= BENCHMARK_F1_FLOOR, (precision, recall, f1)
    truth = json.loads((BENCH_DIR / "ground-truth.json").read_text(encoding="utf-8"))
    assert len(pages) == len(truth)


# ── label sections: safety text, indications, references ─────────────────────────────────────


def test_label_sections_are_marked_from_headings_and_from_headings_run_into_prose():
    text = (
        "Zorvex cleared plaques in a Phase 3 study\n\n"
        "Zorvex (zorvumab) met its primary endpoint in adults with plaque psoriasis, the company said today.\n\n"
        "INDICATIONS AND USAGE\n\n"
        "Zorvex is a prescription medicine for adults with moderate plaque psoriasis.\n\n"
        "IMPORTANT SAFETY INFORMATION\n\n"
        "Serious infections, including tuberculosis, were reported in patients treated with Zorvex.\n\n"
        "About Zorvex\n\n"
        "Zorvex binds a cytokine. Selected Important Safety Information for Zorvex Pneumonitis occurred in "
        "some patients. Selected Zorvex Indications in the U.S. Psoriasis Zorvex is indicated for adults.\n\n"
        "References\n\n"
        "1. A made-up citation, 2024."
    )
    article = clean(RawDocument(source="zorvex.txt", content=text, kind="text"))
    names = [s.name for s in article.sections]
    assert names == ["indications", "safety", "about", "safety", "indications", "references"]
    by_name = {}
    for s in article.sections:
        by_name.setdefault(s.name, []).append(article.text[s.start : s.end])
    assert by_name["safety"][0].startswith("IMPORTANT SAFETY INFORMATION") and "tuberculosis" in by_name["safety"][0]
    assert by_name["safety"][1].startswith("Selected Important Safety Information for Zorvex Pneumonitis")
    assert by_name["indications"][1].startswith("Selected Zorvex Indications in the U.S.")
    assert "Zorvex binds a cytokine." in by_name["about"][0]
    assert_offsets_consistent(article)


def test_a_sentence_that_mentions_safety_information_opens_no_section():
    text = "Acme news\n\nSee Important Safety Information below. Warnings were few in the study overall."
    article = clean(RawDocument(source="acme.txt", content=text, kind="text"))
    assert [s.name for s in article.sections] == []


@pytest.mark.parametrize("kind", ["text", "markdown"])
def test_a_plain_files_first_line_is_its_headline_when_it_reads_as_one(kind: str) -> None:
    headline = "Acme Bio Doses First Patient in Phase 2 STAR Trial of AB-101"
    article = clean(RawDocument(source="a.txt", content=f"{headline}\n\nBOSTON -- Acme Bio said on Monday that the trial began.\n", kind=kind)).with_title()
    assert article.title == headline
    assert article.text.startswith(headline) and article.section_at(0) == "title"
    sentence_first = clean(RawDocument(source="b.txt", content="Acme Bio said the trial began.\n\nIt enrols 40 patients.\n", kind=kind))
    assert sentence_first.title is None  # a sentence, not a headline
    one_paragraph = clean(RawDocument(source="c.txt", content="Acme Bio Doses First Patient in Trial\n", kind=kind))
    assert one_paragraph.title is None  # nothing after it: it is the text, not its headline


def test_bold_glued_to_words_gets_its_spaces_back_italics_stay_glued() -> None:
    text = ("Adverse reactions in clinical trials of LYNPARZA in the**first-line maintenance setting**for**SOLO-1**were "
            "nausea and fatigue in patients with g*BRCA*m ovarian cancer.")
    article = clean(RawDocument(source="x.md", content=text, kind="markdown"))
    assert "in the first-line maintenance setting for SOLO-1 were nausea" in article.text
    assert "g BRCA" not in article.text and "BRCA m" not in article.text  # single stars: no space added


def test_a_bold_heading_is_split_off_but_text_running_into_bold_is_not() -> None:
    text = ("Label text follows. **ADVERSE REACTIONS** Most common adverse reactions in 20% of patients in**OlympiAD**were "
            "nausea and anemia. The rest follows here.")
    article = clean(RawDocument(source="x.txt", content=text, kind="text"))
    assert "\n\nADVERSE REACTIONS\n\n" in article.text
    assert "in 20% of patients in OlympiAD were nausea and anemia." in article.text


def test_a_trademark_sign_or_an_ordinal_glued_between_words_leaves_a_space() -> None:
    # markup that carried the spaces ("®<sup>79th</sup>") is gone from some feeds' text
    text = "Acme news\n\nData were shown at the Acme Society's®79thScientific Sessions®and published."
    article = clean(RawDocument(source="acme.txt", content=text, kind="text"))
    assert "Acme Society's 79th Scientific Sessions and published." in article.text
    assert "the 4th quarter" in clean(RawDocument(source="q.txt", content="Acme news\n\nIn the 4th quarter sales rose.", kind="text")).text


def test_a_small_word_run_into_the_capitalised_word_after_it_leaves_a_space() -> None:
    text = ("Acme news\n\nAcme received approval for AC-5 inJapan. inDecember 2009, Acme and Zorva signed a licence, "
            "saidJane Doe, of theUniversity of Leeds. InVivo Bio, toPD-1 and withKEYTRUDA stay as written.")
    article = clean(RawDocument(source="acme.txt", content=text, kind="text"))
    assert "approval for AC-5 in Japan. in December 2009, Acme" in article.text
    assert "said Jane Doe, of the University of Leeds." in article.text
    assert "InVivo Bio, toPD-1 and withKEYTRUDA stay as written." in article.text

def test_a_trademark_written_in_letters_and_run_into_the_next_word_leaves_a_space() -> None:
    text = "Acme news\n\nAcme markets ZorvexTMfor the treatment of Ebola. The ATM kinase and pTMB stay as written."
    article = clean(RawDocument(source="acme.txt", content=text, kind="text"))
    assert "Acme markets Zorvex for the treatment of Ebola." in article.text
    assert "The ATM kinase and pTMB stay as written." in article.text


def test_a_safety_section_ends_after_its_reporting_line_where_a_new_heading_follows():
    text = (
        "Zorvex met its endpoint\n\n"
        "Zorvex (zorvumab) met its primary endpoint, the company said today.\n\n"
        "IMPORTANT SAFETY INFORMATION\n\n"
        "Serious infections were reported in patients treated with Zorvex.\n\n"
        "Pregnancy\n\n"
        "Zorvex may harm an unborn baby. Report side effects to FDA at 1-800-FDA-1088.\n\n"
        "Please see full Prescribing Information.\n\n"
        "Acme and Borex Alliance\n\n"
        "In January 2011, Acme and Borex formed an alliance for diabetes medicines.\n\n"
        "About the Acme and Borex strategic collaboration\n\n"
        "In March 2018, Acme and Borex entered into a strategic collaboration for Zorvex."
    )
    article = clean(RawDocument(source="zorvex.txt", content=text, kind="text"))
    names = section_heads(article)
    assert names == [
        ("safety", "IMPORTANT SAFETY INFORMATION"),
        ("body", "Acme and Borex Alliance"),
        ("about", "About the Acme and Borex strategic collaboration"),
    ]
    # the label's own sub-heading before its reporting line stays inside the safety text
    assert "Pregnancy" in article.text[article.sections[0].start : article.sections[0].end]


def test_an_about_heading_whose_lower_case_words_end_in_collaboration_opens_an_about_section():
    # "About the AstraZeneca and Merck strategic oncology collaboration": lower-case words the fixed list lacks
    text = (
        "Zorvex met its endpoint\n\n"
        "Zorvex (zorvumab) met its primary endpoint, the company said today.\n\n"
        "Selected Safety Information for Zorvex\n\n"
        "Serious infections were reported in patients treated with Zorvex.\n\n"
        "About the Acme and Borex strategic oncology collaboration\n\n"
        "In July 2017, Acme and Borex announced a collaboration to co-develop Zorvex."
    )
    article = clean(RawDocument(source="zorvex.txt", content=text, kind="text"))
    assert section_heads(article)[-1] == ("about", "About the Acme and Borex strategic oncology collaboration")
    assert article.section_at(article.text.index("In July 2017")) == "about"


def test_an_about_heading_run_into_its_first_sentence_after_a_footnote_ends_the_safety_text():
    # "… cytokines.1 About ZORVEX ZORVEX is a once-daily …": a scraped page lost the heading's line breaks
    text = (
        "Zorvex met its endpoint\n\n"
        "Zorvex (zorvumab) met its primary endpoint, the company said today.\n\n"
        "IMPORTANT SAFETY INFORMATION\n\n"
        "Serious infections were reported in patients treated with Zorvex. Zorvex inhibits the release of "
        "cytokines.1 About ZORVEX ZORVEX is a once-daily oral JAK inhibitor approved for rheumatoid arthritis. "
        "About 30 percent of patients had psoriasis."
    )
    article = clean(RawDocument(source="zorvex.txt", content=text, kind="text"))
    assert article.section_at(article.text.index("Serious infections")) == "safety"
    assert article.section_at(article.text.index("ZORVEX is a once-daily")) == "about"
    assert [s.name for s in article.sections].count("about") == 1


def test_a_safety_heading_before_an_upper_case_warning_opens_a_safety_section_wherever_it_stands():
    # a bullet list that lost its full stops runs into the label's safety heading
    text = (
        "Zorvex approved\n\n"
        "Zorvex is approved for adults with type 2 diabetes. It comes in a pen. Limitations of Use:\n\n"
        "Has not been studied in patients with a history of pancreatitis\n\n"
        "Is not indicated for use in patients with type 1 diabetes mellitus Important Safety Information for Zorvex "
        "WARNING: RISK OF THYROID C-CELL TUMORS Zorvex causes thyroid tumors in rats."
    )
    article = clean(RawDocument(source="zorvex.txt", content=text, kind="text"))
    assert article.section_at(article.text.index("It comes in a pen")) == "body"
    assert article.section_at(article.text.index("WARNING: RISK")) == "safety"
    assert article.text[article.sections[0].start :].startswith("Important Safety Information for Zorvex WARNING")
    # without the upper-case warning after it, a sentence naming the heading opens nothing
    plain = clean(RawDocument(source="z.txt", content="Zorvex news\n\nAcme read the Important Safety Information for Zorvex today.", kind="text"))
    assert all(s.name != "safety" for s in plain.sections)


def test_an_emergency_use_authorizations_label_heading_opens_an_indications_section() -> None:
    text = (
        "Acme news\n\nZorvumab cut hospital stays in a Phase 3 study, Acme said today.\n\n"
        "Authorized Use of ZORVEX in the U.S.\n\n"
        "The FDA has issued an EUA for the emergency use of ZORVEX in adults with COVID-19."
    )
    article = clean(RawDocument(source="acme.txt", content=text, kind="text"))
    assert section_heads(article) == [
        ("indications", "Authorized Use of ZORVEX in the U.S.")
    ]
