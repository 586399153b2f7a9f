"""The records passed from stage to stage.

    readers / fetch ──RawDocument──▶ clean ──Article──▶ extract ──Facts──▶ store

Plain dataclasses, standard library only: no stage ever hands another a
BeautifulSoup tag, a spaCy ``Doc`` or a database row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Literal

ContentKind = Literal["html", "text", "markdown"]

#: Section names an :class:`Article` may carry (anything else is body). Facts keep their section.
SECTIONS = ("title", "body", "about", "forward_looking", "contacts", "safety", "indications", "references")


@dataclass(frozen=True)
class RawDocument:
    """One article as read from disk or fetched from the web, before cleaning."""

    source: str  # path or URL as given; ``path#N`` for the Nth record of a JSONL/CSV file
    content: str  # decoded text of the file or record
    kind: ContentKind = "text"
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    fetched_at: str | None = None


@dataclass(frozen=True)
class Section:
    """A named character range of :attr:`Article.text`."""

    name: str
    start: int
    end: int


def section_at(sections: tuple[Section, ...], offset: int) -> str:
    """Name of the section in ``sections`` holding ``offset``; ``body`` when none does."""
    for section in sections:
        if section.start <= offset < section.end:
            return section.name
    return "body"


@dataclass(frozen=True)
class Article:
    """Clean text of one document. All offsets elsewhere refer to ``text``."""

    source: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    paragraphs: tuple[tuple[int, int], ...] = ()
    sections: tuple[Section, ...] = ()

    def with_title(self) -> Article:
        """The stored form: the headline as the first paragraph (section ``title``), then the body.

        Headlines state facts too ("… ALLO-316 … RMAT designation"); all offsets shift by the
        headline's length. An article whose text already starts with its title is returned as is.
        """
        title = (self.title or "").strip()
        if not title:
            return self
        if self.text.startswith(title):  # the headline is already the first line: mark it
            if any(s.name == "title" for s in self.sections):
                return self
            return replace(self, sections=(Section("title", 0, len(title)), *self.sections))
        shift = len(title) + 2
        return Article(
            source=self.source,
            text=f"{title}\n\n{self.text}",
            title=self.title,
            url=self.url,
            published=self.published,
            paragraphs=((0, len(title)), *((a + shift, b + shift) for a, b in self.paragraphs)),
            sections=(Section("title", 0, len(title)), *(Section(x.name, x.start + shift, x.end + shift) for x in self.sections)),
        )

    def section_at(self, offset: int) -> str:
        """Name of the section holding ``offset`` (``body`` when none is marked)."""
        return section_at(self.sections, offset)


@dataclass(frozen=True)
class Mention:
    """A fact's evidence: a labelled span of the article text."""

    label: str  # DRUG_CODE, DRUG_NAME, TARGET, TRIAL, NCT_ID, PHASE, INDICATION, COMPANY
    text: str
    norm: str
    start: int
    end: int
    sentence: str
    variant: str | None = None  # e.g. "G12C" for a KRAS G12C target
    section: str = "body"


@dataclass(frozen=True)
class Dose:
    amount: float
    unit: str
    text: str
    start: int
    end: int
    sentence: str = ""
    amount_max: float | None = None
    frequency: str | None = None
    duration: str | None = None
    dose_level: str | None = None
    drug: str | None = None
    regimen: str | None = None  # e.g. "FC500" for a lymphodepletion component
    section: str = "body"
    arm: str | None = None  # investigational | control | placebo, when the text says
    basis: str | None = None  # how ``drug`` is tied to the dose (see RELATION_BASES)


@dataclass(frozen=True)
class Response:
    metric: str
    percent: float | None
    text: str
    start: int
    end: int
    sentence: str = ""
    n: int | None = None
    total: int | None = None
    population: str | None = None
    dose_level: str | None = None
    drug: str | None = None
    trial: str | None = None
    section: str = "body"
    arm: str | None = None  # investigational | control | placebo | benchmark, when the text says
    partners: str | None = None  # a combination's other drugs, ", "-separated
    basis: str | None = None  # the weaker of how ``drug`` and ``trial`` are tied to the value


#: Relation kinds, in the order the README documents them.
RELATION_KINDS = (
    "drug_target",
    "drug_trial",
    "trial_nct",
    "trial_phase",
    "trial_indication",
    "drug_indication",
    "drug_company",
    "drug_alias",  # an extension: two names of one drug the text equates ("sotorasib (AMG 510)")
)


#: How a relation (or a value's drug or trial) is tied to the text, strongest first.
RELATION_BASES = ("apposition", "clause", "sentence", "paragraph", "document", "nearest", "vocabulary")


@dataclass(frozen=True)
class Relation:
    kind: str  # one of RELATION_KINDS
    head: str  # norm of the head fact
    tail: str  # norm of the tail fact
    sentence: str  # the evidence: the sentence naming both ends, or the two sentences naming each
    section: str = "body"
    head_start: int | None = None  # the span naming the head
    head_end: int | None = None
    tail_start: int | None = None  # the span naming the tail (None when only a vocabulary does)
    tail_end: int | None = None
    basis: str = "sentence"  # one of RELATION_BASES


@dataclass(frozen=True)
class Event:
    """A catalyst: a dated regulatory, clinical or business event (see ``extract/events.py``)."""

    kind: str  # one of EVENT_KINDS
    status: str  # occurred | expected
    text: str  # the cue as written ("IND clearance", "PDUFA")
    start: int
    end: int
    sentence: str = ""
    detail: str | None = None  # the designation, agency, filing type, congress or deal partner
    drug: str | None = None
    trial: str | None = None
    indication: str | None = None
    agency: str | None = None
    date: str | None = None  # at its precision: 2024-11-05, 2024-11, 2025-Q2, 2026-H1, 2025
    date_text: str | None = None  # as written: "mid-2025", "the first half of 2026"
    date_precision: str | None = None  # day | month | quarter | half | year
    date_start: str | None = None  # the first and last day the date covers (ISO), for ordering and ranges
    date_end: str | None = None
    amount: float | None = None  # a deal's total (or upfront plus milestones)
    upfront: float | None = None
    milestones: float | None = None
    currency: str | None = None
    section: str = "body"


#: Event kinds, in the order the README documents them (other tools and the eval rely on the names).
EVENT_KINDS = (
    "ind_clearance", "designation", "submission", "action_date", "adcom", "approval", "crl", "trial_start",
    "enrollment_complete", "topline_data", "presentation", "deal",
)


@dataclass
class Facts:
    """Everything extracted from one article."""

    mentions: list[Mention] = field(default_factory=list)
    doses: list[Dose] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        counts: Counter[str] = Counter(m.label for m in self.mentions)
        counts["DOSE"] += len(self.doses)
        counts["RESPONSE"] += len(self.responses)
        counts["RELATION"] += len(self.relations)
        counts["EVENT"] += len(self.events)
        return +counts


@dataclass(frozen=True)
class Failure:
    """An input that could not be processed; the batch goes on without it."""

    source: str
    stage: str  # read, clean, extract, timeout (over its time budget), store, fetch (crawler)
    error: str


@dataclass
class RunReport:
    """What one run did, for the summary and the exit code."""

    read: int = 0
    stored: int = 0
    unchanged: int = 0
    duplicates: int = 0  # new names for content already stored (the same file by another path, a mirror)
    skipped: Counter[str] = field(default_factory=Counter)  # files in a folder of a type not read, by suffix
    failed: int = 0
    facts: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False  # stopped by Ctrl-C: what is counted was stored, the batch in hand was not

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def merge(self, other: RunReport) -> None:
        """Add the counts of ``other`` (one committed batch) to these."""
        self.read += other.read
        self.stored += other.stored
        self.unchanged += other.unchanged
        self.duplicates += other.duplicates
        self.failed += other.failed
        self.facts.update(other.facts)
        self.failures.extend(other.failures)
        self.skipped.update(other.skipped)
