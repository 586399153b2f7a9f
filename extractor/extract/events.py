"""Catalysts: dated regulatory, clinical and business events ("the FDA cleared the IND for
ALLO-329", "TRAVERSE data will be presented at SITC in November 2024").

The component ``biotech_events`` runs last, over the other components' mentions and relations:

1. Cues from ``rules/events.jsonl`` are matched per sentence: ``EVENT`` cues name a kind (their
   ``id`` is ``kind`` or ``kind:detail``, as ``designation:Fast Track``), ``EVENT_CONGRESS`` and
   ``EVENT_AGENCY`` name congresses and agencies, ``EVENT_EXPECTED`` marks what is planned, and
   ``EVENT_VETO`` cues (id: the kind they cancel) remove a cue they cover ("if approved",
   "priority review voucher").
2. Each kind found in a sentence is one event, tied to what the same sentence names: the drug
   nearest its cue (a drug of its own, not a prior or background therapy), else the one drug of a
   trial the sentence names; its trial, indication, agency; the date nearest the cue
   (:mod:`.dates`).
3. Status: a date wholly before the release's date is ``occurred``, wholly after is ``expected``;
   otherwise an ``EVENT_EXPECTED`` cue in the clause before the cue decides.
4. Abstain: an occurred event with no date is undated status ("X has Fast Track designation")
   and is dropped, except in the headline and the lead, where the release itself is the news and
   its date is the event's; a presentation needs a named congress; nothing is read from
   forward-looking statements, contacts or references.
5. A document states an event once per (kind, drug, date): repeats are merged, and an undated
   mention of an event the document dates elsewhere is the same event.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from ..models import section_at
from .dates import MONTH_YEAR, DateHit, find_dates, parse_published, period
from .relations import DRUG_LABELS
from .roles import Paragraphs, is_product, issuer_of
from .rules import RuleSet
from .schedules import schedule_entries, schedule_span, status_on
from .text import ABBREVIATIONS, Cand, Sentences, doc_text, paragraph_bounds, sentence_token_bounds

#: Rule labels this component reads from rules/*.jsonl (the entity rulers skip them).
EVENT_LABELS = ("EVENT", "EVENT_CONGRESS", "EVENT_AGENCY", "EVENT_EXPECTED", "EVENT_HYPOTHETICAL", "EVENT_VETO")
#: Sections whose sentences state no events: boilerplate and addresses.
NO_EVENT_SECTIONS = frozenset({"forward_looking", "contacts", "references", "safety", "indications"})
#: Kinds credited to every drug of their sentence (a licence covering two candidates), not the nearest.
EVERY_DRUG_KINDS = frozenset({"deal"})
#: Kinds whose event belongs to every investigational drug its clause lists (data for several drugs at a congress).
LISTED_DRUG_KINDS = frozenset({"presentation"})
#: Kinds a combination shares with its branded or coded partner drugs.
COMBINATION_KINDS = frozenset({"approval", "presentation", "topline_data", "submission", "action_date"})
#: Kinds whose date is never the release's own: a PDUFA date or a committee's meeting is set, not announced.
NOT_DATED_BY_RELEASE = frozenset({"action_date"})
#: Kinds whose undated occurred events anywhere in the body's opening paragraph are the release's news.
NEWS_IN_OPENING_PARAGRAPH = frozenset({"topline_data"})
#: (a cue's full id, another kind): the cue takes that kind's date in its clause when the agency accepts the filing,
#: one act: "In August 2022, the FDA accepted the sNDA for priority review" grants the review as it accepts.
#: A company's own request ("submitted an sNDA and requested Priority Review") is no such act.
SAME_ACT = frozenset({("designation:Priority Review", "submission")})
ACCEPTED = re.compile(r"(?i)\baccept(?:ed|s|ance)\b")
#: Kinds that need the congress that gives them their name.
NEEDS_DETAIL = {"presentation": "EVENT_CONGRESS"}
#: Regulatory steps a release may open with; the results it restates afterwards are their basis.
REGULATORY_KINDS = frozenset({"approval", "submission", "designation", "action_date", "adcom", "crl"})
#: Words that make restated results news of their own: "today announced topline results".
READOUT_NEWS = re.compile(r"(?i)\b(?:today|topline|top-line|newly|new\s+data|first\s+time)\b")
#: A kind that another kind in its sentence makes the goal, not the news: "the sNDA seeks approval",
#: "the committee voted that the benefits support approval"; results a sentence presents at a named
#: congress are a presentation, not a readout of their own.
SUPPRESSED_BY = {"approval": frozenset({"adcom", "submission", "action_date", "crl"}),
                 "topline_data": frozenset({"presentation"})}
#: An approval stated as an act ("FDA Approves ZURZUVAE …", "granted Emergency Use Authorization"), not the bare
#: noun ("AB-101 approval in the U.S."), and words that make a clause no such act ("cannot approve the application",
#: "would be the first", "plans to seek approval").
AFFIRMED_APPROVAL = re.compile(r"(?i)(?!approvals?$|approve$).+")
HEDGED_CLAUSE = re.compile(r"(?i)\b(?:not|cannot|can't|would|could|may|might|seek|seeks|seeking|plans?|if|pending|upon|unless)\b")
#: An approval names who approved or where ("the FDA approved", "approved in Japan"); "approved
#: therapies" and "the first approval of a drug in the class" do not.
REGION = re.compile(r"\b(?:U\.?S\.?|United States|EU|European Union|Europe|Japan|China|Canada|UK|United Kingdom|Australia|Switzerland|Korea|Brazil)\b")
#: An approval the text dates in the passive, its history ("Verzenio was first approved in 2017"): an event without
#: naming who approved it, unlike "approved therapies".
APPROVED_IN_YEAR = re.compile(r"\b(?:was|were|has\s+been|have\s+been)\s+(?:first\s+|initially\s+|originally\s+)?approved\s+(?:in|on)\s+"
                              r"(?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2},?\s+)?(?:19|20)\d\d\b")
#: How far (characters) a veto reaches from its own span to the cue it cancels.
VETO_REACH = 40
#: A drug this far (characters) from the cue, or farther, is not the event's drug.
DRUG_REACH = 250
#: Filing types, as a submission's detail.
FILING = re.compile(
    r"(?i)\b(s?NDA|s?BLA|MAA|sNDS|NDS|JNDA|IND|CTA|new drug application|biologics? license application|"
    r"marketing authori[sz]ation application|supplemental new drug application|supplemental biologics license application|"
    r"EUA|emergency use authori[sz]ation)s?\b"
)  # "six supplemental Biologics License Applications", "sBLAs": the filing type, singular
FILING_NAMES = {
    "new drug application": "NDA", "biologics license application": "BLA", "biologic license application": "BLA",
    "marketing authorization application": "MAA", "marketing authorisation application": "MAA",
    "supplemental new drug application": "sNDA", "supplemental biologics license application": "sBLA",
    "emergency use authorization": "EUA", "emergency use authorisation": "EUA", "eua": "EUA",
}
#: A sentence that states a deal's terms: "Under the agreement, …", "Under the terms of the license, …".
DEAL_TERMS_SENTENCES = 5  # how many sentences after a deal's the terms are looked for
DEAL_TERMS = re.compile(r"\s*(?:Under|Pursuant\s+to)\s+(?:the\s+)?(?:terms\s+of\s+the\s+)?(?:agreement|collaboration|licen[cs]e|deal|contract)\b")
#: Money in a deal's sentence: "$50 million upfront", "up to €1.2 billion in milestones".
MONEY = re.compile(r"(?i)(?P<cur>US\$|\$|€|£|USD\s?|EUR\s?|CHF\s?)\s?(?P<num>\d{1,3}(?:[,.]\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)\s?(?P<scale>billion|million|bn|mm|m|b|k|thousand)?\b")
CURRENCIES = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "chf": "CHF"}
SCALES = {"billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "mm": 1e6, "m": 1e6, "k": 1e3, "thousand": 1e3}
UPFRONT = re.compile(r"(?i)up-?\s?front|initial payment|closing payment")
MILESTONE = re.compile(r"(?i)milestone")
TOTAL = re.compile(r"(?i)\btotal|aggregate|deal value|up to\b")
#: Results cited as the basis of something else ("approval is based on results from …", "given all the
#: positive results of its studies, it engaged a manufacturer"): earlier data, not a readout this sentence reports.
BASIS_OF = re.compile(r"(?i)\b(?:based\s+(?:up)?on|given|building\s+(?:up)?on|on\s+the\s+strength\s+of|supported\s+by)\s+(?:all\s+)?(?:the\s+)?"
                      r"(?:[\w\-]+\s+){0,3}?(?:results?|data(?!\s+(?:monitoring|safety))|findings|analys[ie]s|evidence)\b")
#: A meeting the text does not name: "at an upcoming medical meeting", "at a scientific congress in 2020".
UNNAMED_MEETING = re.compile(r"(?i)\b(?:at|during)\s+(?:an?|one\s+or\s+more)\s+(?:(?:future|upcoming|forthcoming|later|major|international)\s+)*"
                             r"(?:(?:medical|scientific|oncology|clinical|peer-reviewed)\s+(?:meetings?|congress(?:es)?|conferences?|forums?)"
                             r"|congress(?:es)?|symposi(?:um|a))\b(?!\s+(?:call|with)\b)")  # not "a conference call", "a meeting with investors"
#: A readout cue that states a result, not only that data exist: "met its primary endpoint", "demonstrated".
RESULT_STATED = re.compile(r"(?i)\b(?:met|meets?|missed|miss(?:es)?|achieved|achieves?|demonstrated|demonstrates|showed|shows|"
                           r"delivered|delivers|futility|positive|negative|superior|significant|topline|top-line)\b")
#: A cue in the progressive ("initiating", "submitting"): planned or under way, not done.
PROGRESSIVE = re.compile(r"(?i)\w+ing\b")
#: A date that dates the announcement, not what it announces: "today announced", "yesterday reported".
ANNOUNCED_ON = re.compile(r"(?i)(?:today|yesterday)\s*,?\s+(?:announced|announces|reported|reports|said|says|shared|"
                          r"highlighted|highlights|unveiled|provided|provides|issued)\b")
#: The same, the verb first: "announced today that the abstract … has been released".
ANNOUNCED_BEFORE = re.compile(r"(?i)\b(?:announced|announces|said|says)\s*,?\s*$")
#: Drug roles (see :mod:`.roles`) that never own an event: earlier or background treatment, examples.
NOT_OWN_ROLES = ("background", "example")
#: What follows a dateline's date: the wire's name or the dash that opens the story.
DATELINE_AFTER = re.compile(r"\s*(?:/\s*)?(?:\(?\s*(?:GLOBE\s*NEWSWIRE|PR\s*Newswire|BUSINESS\s*WIRE|NEWMEDIAWIRE|ACCESSWIRE|"
                            r"ACCESS\s*Newswire|EQS|Newsfile)|--|—|//|/PRNewswire)", re.I)
#: The date a data set was cut off, not a day anything happened: "utilized a cutoff date of March 18, 2024".
_DATA_CUTOFF = r"cut-?\s?off(?:\s+date)?(?:\s+of)?|as\s+of|data\s+through"
DATA_CUTOFF_BEFORE = re.compile(rf"(?i)(?:{_DATA_CUTOFF})\s*$")
#: Words before a date that make it a data cut-off or a reference point, not the event's date: a publication's
#: date, a law's year ("the Orphan Drug Act of 1983"), the year a market forecast names ("to reach $100 billion by 2030").
NOT_EVENT_DATE = re.compile(
    rf"(?i)(?:{_DATA_CUTOFF}|disease|COVID-?|published(?:\s+(?:in|on))?|\b(?-i:Act)\s+of"
    r"|[$€£]\s?[\d.,]+\s*(?:billion|million|trillion|bn|mn|[bmk]\b)?\s*(?:[a-z]+\s+){0,2}?by)\s*$"  # a market's "$100 billion by 2030"
)
#: Words that date an event before the release's news: "previously received", "had earlier granted".
EARLIER = re.compile(r"(?i)\b(?:previously|earlier|formerly|already|recently|in the past|prior)\b")
#: "As previously announced, the FDA has granted …" ("As we previously announced", "As announced previously"): the
#: release restates an event as a fact of its own (undated), not a history its "previously" dates before the news.
RESTATED_ANNOUNCEMENT = re.compile(
    r"(?i)\bas\s+(?:we\s+|the\s+company\s+|(?-i:[A-Z])\w+\s+)?(?:previously|earlier|recently|already)\s+(?:announced|reported|disclosed|communicated)\b"
    r"|\bas\s+(?:announced|reported|disclosed)\s+(?:previously|earlier)\b"
)


def _earlier(text: str, lo: int, hi: int) -> bool:
    """Whether a word between lo and hi dates an event before the release (EARLIER), other than a restated
    announcement (RESTATED_ANNOUNCEMENT)."""
    restated = [m.span() for m in RESTATED_ANNOUNCEMENT.finditer(text, lo, hi)]
    return any(not any(a <= m.start() < b for a, b in restated) for m in EARLIER.finditer(text, lo, hi))


#: An act the text says happened lately, without a date: "adherence data were recently presented at AHS", "the company
#: recently initiated a Phase 3 study". An event with no date (``date`` null), unlike "previously"/"earlier" (history the
#: release restates) or a status ("is approved").
RECENTLY_DONE = re.compile(
    r"(?i)\b(?:(?:has|have|was|were)\s+(?:also\s+)?recently\s+(?:been\s+)?|recently\s+)"
    r"(?:presented|initiated|started|completed|dosed|enrolled|randomi[sz]ed|submitted|filed|granted|received|signed|entered)\b"
)
#: "the recently completed Phase 3 trial": the participle as an adjective, not the act.
ARTICLE_BEFORE = re.compile(r"(?i)\b(?:the|a|an|this|its|our|their|his|her)\s+$")


def _recently_done(text: str, lo: int, hi: int) -> bool:
    m = RECENTLY_DONE.search(text, lo, hi)
    return m is not None and not ARTICLE_BEFORE.search(text, max(0, m.start() - 8), m.start())


#: A talk under way as the release goes out: "late-breaking results are being presented at DDW" (the release's day).
BEING_PRESENTED = re.compile(r"(?i)\b(?:is|are)\s+being\s+(?:presented|featured|shared)")
#: "the recent approval by the FDA": history when it qualifies the cue itself ("Highlights Recent … Data Presented at
#: ERA" is the release's news).
RECENT_BEFORE = re.compile(r"(?i)\brecent\s+(?:[\w\-]+\s+)?$")
#: A verb that states an undated event as the release's news ("the FDA has granted priority review", "has entered into
#: a licensing agreement"), unlike a status ("is approved in the U.S.") or history ("previously received", EARLIER).
STATED_EVENT = re.compile(
    r"(?i)\b(?:(?:has|have)\s+(?:(?:also|now)\s+)?(?:been\s+)?(?:fully\s+)?|(?:was|were)\s+(?:also\s+)?(?:fully\s+)?)"
    r"(?:granted|received|awarded|accepted|submitted|filed|entered|signed|completed|initiated|dosed|presented|obtained|earned|"
    r"licensed|acquired|formed|established|enrolled|randomi[sz]ed|reached|achieved|exceeded|secured)\b"
    r"|\bhad\s+been\s+fully\s+(?:enrolled|randomi[sz]ed)\b"  # "the study had been fully enrolled" (other pluperfects: history)
    # the simple past after its subject, a name or "we": "Lilly submitted marketing applications for mirikizumab"; not a
    # participle ("Documents filed with the SEC", "Papers submitted by investigators")
    r"|(?-i:\b[A-Z][\w&\-]+|\b[Ww]e|\bthe\s+[Cc]ompany)\s+(?:also\s+)?(?:submitted|filed|initiated|completed|signed|entered|acquired)\b"
    r"(?!\s+(?:by|to|with|for|in|on|at|under|from)\b)"
)
#: The other party of a deal the text names without the company recogniser's anchors (a legal suffix, a
#: ticker): "Lilly's partner Almirall", "a collaboration with ImmunoGenesis", "from USWM, LLC". A run of
#: capitalised words after the word that introduces the party, in the deal's clause.
NAMED_PARTY = re.compile(
    r"\b(?:with|from|partner(?:s|ed)?,?|licensee|licensor)\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w&'’\-]*(?:\s+(?:[A-Z][\w&'’\-]*|&|of|and)){0,7}(?:,?\s+(?:LLC|Inc|Ltd|Limited|S\.A|AG|plc|GmbH|B\.V|N\.V)\.?)?)"
)
#: Words that open a capitalised run but name no party: an agency, a region, a pronoun, a drug's class.
NOT_A_PARTY = frozenset({
    "The", "This", "These", "Its", "Our", "Their", "His", "Her", "A", "An", "FDA", "EMA", "U", "US", "U.S", "EU", "Europe", "European",
    "Japan", "China", "Phase", "Health", "Fast", "Orphan", "Breakthrough", "Priority", "I", "We", "It", "They",
})
#: Results in a journal: a publication of data read out before, not a readout.
PUBLISHED_IN = re.compile(r"(?i)\b(?:published|publication)\s+(?:(?:online|today|simultaneously)\s+)?(?:in|of\s+(?:detailed|full))\b"
                          r"|\bpublished\s+(?:the\s+)?(?:detailed|full)\s+results\b"
                          # "announced the publication of results", "Announces Publication of Results": the paper is the news
                          r"|\b(?:announce[ds]?|report(?:ed|s)?)\s+(?:the\s+)?publication\s+of\s+(?:the\s+)?(?:[\w\-]+\s+){0,2}?(?:results|data|findings)\b")
#: Participles that, right before an event's noun, say how it was set up, not that it is still to come.
ATTRIBUTIVE_PLANS = frozenset({"planned", "scheduled", "prespecified", "pre-specified"})
#: "per the pre-specified analysis plan": a document named "plan", not a plan for the future.
ANALYSIS_PLAN = re.compile(r"(?i)\b(?:analysis|analytical|statistical|protocol)\s+$")
#: An intensifier that makes an EVENT_EXPECTED word an adjective: "highly anticipated", "much-awaited".
ATTRIBUTIVE_BEFORE = re.compile(r"(?i)\b(?:highly|much|long|eagerly|keenly)[\s\-]$")
#: What says an event is done whatever plans share its clause: "designations already granted by the FDA".
ALREADY_DONE = re.compile(r"(?i)\balready\s+(?:been\s+|being\s+)?(?:granted|received|awarded|approved|submitted|filed|completed|"
                          r"initiated|enrolled|obtained|secured|cleared)\b|\b(?:has|have)\s+already\s+(?:been\s+)?\w+ed\b")
#: A clause break before the cue ends the reach of an EVENT_EXPECTED cue.
#: A full stop that ends a clause, not an abbreviation's ("the U.S. Food and Drug Administration", "Merck & Co. and").
FULL_STOP = "(?<!\\b[A-Z])" + "".join(f"(?i:(?<!\\b{re.escape(a)}))" for a in sorted(ABBREVIATIONS)) + r"\.\s"
CLAUSE_END = re.compile(r"[;:]|\s--\s|,\s(?:and|but|while|whereas|which|who|with)\b|" + FULL_STOP +
                        # "… Topline Results and are Initiating a Second Study in 2024": a second verb, a second clause
                        r"|(?i:\s(?:and|but)\s+(?:is|are|was|were|has|have|had|will|plans?|expects?)\s)"
                        # "… was awarded Breakthrough Therapy Designation and we aim to confirm …": a new subject
                        r"|(?i:\s(?:and|but)\s+(?:we|it|they)\s)"
                        # "… in early 2026, leveraging Fast Track designations already granted": a participle's own predicate
                        r"|(?i:,\s(?:leveraging|supporting|enabling|positioning|reflecting|underscoring|marking|building\s+on|bringing)\s)")


@dataclass(frozen=True)
class EventHit:
    kind: str
    start: int
    end: int
    status: str
    detail: str | None = None
    drug: str | None = None
    trial: str | None = None
    indication: str | None = None
    agency: str | None = None
    date: str | None = None
    date_text: str | None = None
    date_precision: str | None = None
    amount: float | None = None
    upfront: float | None = None
    milestones: float | None = None
    currency: str | None = None
    by_release: bool = False  # dated by the release's own date (headline or lead news), not by the text


@dataclass(frozen=True)
class Cue:
    label: str
    id: str
    start: int
    end: int
    reach: int = VETO_REACH  # a veto's: how far from it a cue of its kind is vetoed


class EventFinder:
    def __init__(self, rules: RuleSet, nlp: Language) -> None:
        for name in ("events", "published"):
            if not Doc.has_extension(name):
                Doc.set_extension(name, default=None)
        # token patterns, each with the words it cannot match without (see _required_words)
        self.token_rules: list[tuple[list[frozenset[int]], Matcher]] = []
        self.gap_bounds: dict[int, dict[int, int]] = {}  # token rule -> its rewritten gaps' bounds (see _long_gaps_unrolled)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab)
        self.keys: dict[int, tuple[str, str]] = {}
        self.reach: dict[int, int] = {}
        self.lymphodepletion = {t.lower() for t in rules.terms("LYMPHODEPLETION")}
        for entry in rules.patterns:
            label = entry["label"]
            if label not in EVENT_LABELS:
                continue
            ident = entry.get("id") or (entry["pattern"] if isinstance(entry["pattern"], str) else label)
            reach = entry.get("reach", VETO_REACH)
            key = f"{label}|{ident}|{reach}"
            key_id = nlp.vocab.strings.add(key)
            self.keys[key_id] = (label, ident)
            self.reach[key_id] = reach
            if isinstance(entry["pattern"], list):
                matcher = Matcher(nlp.vocab, validate=True)
                pattern, bounds = _long_gaps_unrolled(entry["pattern"])
                matcher.add(key, [pattern])
                if bounds:
                    self.gap_bounds[len(self.token_rules)] = bounds
                required = [frozenset(nlp.vocab.strings.add(w) for w in words) for words in _required_words(entry["pattern"])]
                self.token_rules.append((required, matcher))
            elif entry.get("case_sensitive"):
                self.exact.add(key, [nlp.make_doc(entry["pattern"])])
            else:
                self.phrases.add(key, [nlp.make_doc(entry["pattern"])])
        # word -> the token rules that need it (each rule indexed under its most selective required token)
        self.rule_index: dict[int, list[int]] = {}
        for i, (required, _) in enumerate(self.token_rules):
            for word in (min(required, key=len) if required else ()):
                self.rule_index.setdefault(word, []).append(i)
        self.unindexed = [i for i, (required, _) in enumerate(self.token_rules) if not required]

    def cues(self, doc: Doc) -> list[Cue]:
        found = []
        for matcher in (self.phrases, self.exact):
            for match_id, start, end in matcher(doc):
                label, ident = self.keys[match_id]
                span = doc[start:end]
                found.append(Cue(label, ident, span.start_char, span.end_char, self.reach[match_id]))
        # A token pattern runs only on the sentences holding every word it requires: spaCy's Matcher
        # calls back into Python for each ``IN`` set on every token, which over whole documents cost
        # more than the rest of the pipeline together.
        if not len(doc):
            return found
        lowers = doc.to_array([LOWER]).ravel().tolist()
        for s, e in sentence_token_bounds(doc):
            words = set(lowers[s:e])
            sent = None
            candidates = sorted({i for w in words & self.rule_index.keys() for i in self.rule_index[w]} | set(self.unindexed))
            for i in candidates:
                required, matcher = self.token_rules[i]
                if all(options & words for options in required):
                    sent = sent if sent is not None else doc[s:e]
                    bounds = self.gap_bounds.get(i)
                    matches = matcher(sent, with_alignments=True) if bounds else [(*m, None) for m in matcher(sent)]
                    for match_id, start, end, aligned in matches:
                        if bounds and not _within_gaps(aligned, bounds):
                            continue
                        label, ident = self.keys[match_id]
                        span = sent[start:end]
                        found.append(Cue(label, ident, span.start_char, span.end_char, self.reach[match_id]))
        text = doc_text(doc)
        found += _named_meetings(text, [c for c in found if c.label == "EVENT_CONGRESS"])
        return _joined_congresses(text, sorted(found, key=lambda c: (c.start, -c.end)))

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        cues = self.cues(doc)
        if not any(c.label == "EVENT" for c in cues):
            doc._.events = []
            return doc
        sections = doc._.sections or ()
        published = doc._.published
        pub = parse_published(published)
        sents = Sentences(doc, text)
        cands: list[Cand] = doc._.cands or []
        roles = doc._.drug_roles[0] if Doc.has_extension("drug_roles") and doc._.drug_roles else {}
        trial_drugs: dict[str, set[str]] = {}
        for link in doc._.relations or []:
            if link.kind == "drug_trial":
                trial_drugs.setdefault(link.tail, set()).add(link.head)
        issuer_cand = issuer_of(text, cands)
        issuer = issuer_cand.norm if issuer_cand else None
        lead = _lead(sents, sections, text)
        same = doc._.drug_roles[1] if Doc.has_extension("drug_roles") and doc._.drug_roles else {}
        own = [c for c in cands if c.label in DRUG_LABELS and c.norm.lower() not in self.lymphodepletion and roles.get(c.start) is None]
        paragraphs = Paragraphs(paragraph_bounds(text))
        main_drug = _document_subject(own, sections, same)
        by_sentence: dict[int, list[Cue]] = {}
        for cue in cues:
            by_sentence.setdefault(sents.index(cue.start), []).append(cue)
        cands_by_sentence: dict[int, list[Cand]] = {}
        for cand in cands:
            cands_by_sentence.setdefault(sents.index(cand.start), []).append(cand)
        dated: dict[int, list[DateHit]] = {}  # sentence index -> its dates, read once

        def dates_of(index: int) -> list[DateHit]:
            if index not in dated:
                lo, hi = sents.bounds[index] if sents.bounds else (0, len(text))
                dated[index] = find_dates(text, published, lo, hi)
            return dated[index]

        meeting_dates = self._meeting_dates(text, sents, by_sentence, dates_of)
        headline_congress = [c for c in cues if c.label == "EVENT_CONGRESS" and section_at(sections, c.start) == "title"]
        any_congress = any(c.label == "EVENT_CONGRESS" for c in cues)
        lead_end = max(lead, default=-1)
        # the paragraph that opens the body: a readout it reports is the release's news ("… today provided updates
        # on two trials. … an independent committee reviewed data from a planned interim analysis and determined …")
        lead_paragraph = paragraphs.span(sents.bounds[lead_end][0]) if sents.bounds and 0 <= lead_end < len(sents.bounds) else (0, 0)
        # a release whose opening reports a regulatory step ("the CHMP adopted a positive opinion …"): results it
        # restates further on are the basis of that step, not a readout ("In CLEAR, KEYTRUDA plus LENVIMA demonstrated …")
        lead_kinds = {kind for i in lead for kind in _standing_kinds(text, by_sentence.get(i, []))}
        headline_kinds = {c.id.partition(":")[0] for c in cues if c.label == "EVENT" and section_at(sections, c.start) == "title"}
        regulatory_news = bool(lead_kinds & REGULATORY_KINDS) and "topline_data" not in lead_kinds | headline_kinds
        events: list[EventHit] = []
        for index, group in sorted(by_sentence.items()):
            lo, hi = sents.bounds[index] if sents.bounds else (0, len(text))
            section = section_at(sections, lo)
            if section in NO_EVENT_SECTIONS:
                continue
            vetoes = [c for c in group if c.label == "EVENT_VETO"]
            group = group + _congress_cues(text, group, lo, hi)
            kinds: dict[str, list[Cue]] = {}
            for cue in group:
                if cue.label != "EVENT":
                    continue
                kind, _, detail = cue.id.partition(":")
                if any(v.id == kind and v.start - v.reach <= cue.start and cue.end <= v.end + v.reach for v in vetoes):
                    continue
                kinds.setdefault(kind, []).append(cue)
            if "topline_data" in kinds and "presentation" in kinds and any_congress and not any(
                    RESULT_STATED.search(text, c.start, c.end) for c in kinds["topline_data"]):
                # "In a late-breaking oral presentation, Lilly will report outcome data from postMONARCH" in a release
                # about ASCO: the data of a talk are its presentation; a readout needs the results stated ("met its
                # primary endpoint"). Data for "a medical meeting" the release never names: see the next rule.
                del kinds["topline_data"]
            if "topline_data" in kinds and "presentation" in kinds and UNNAMED_MEETING.search(text, lo, hi) and not any(
                    RESULT_STATED.search(text, c.start, c.end) for c in kinds["topline_data"]):
                # "Full results … will be presented at an upcoming medical meeting": the data of a talk the release
                # does not place, neither a readout nor a presentation it can date
                del kinds["topline_data"]
            if "presentation" in kinds and not any(c.label == "EVENT_CONGRESS" for c in group):
                # "The poster will be presented on September 9": the congress the sentence before named
                before = [c for c in by_sentence.get(index - 1, []) if c.label == "EVENT_CONGRESS"
                          and paragraphs.span(c.start) == paragraphs.span(lo)]
                if before and not NAMED_MEETING.search(text, lo, hi):
                    group = group + before[-1:]
                elif headline_congress and index <= lead_end and not NAMED_MEETING.search(text, lo, hi):
                    group = group + headline_congress[-1:]  # "Presentations include new data on …": the headline's congress
                else:  # a presentation names its congress; one at an investors' meeting is no data presentation
                    del kinds["presentation"]
            for kind, suppressors in SUPPRESSED_BY.items():
                if kind in kinds and suppressors & kinds.keys():
                    if kind == "approval":
                        # only in the suppressor's own clause: "FDA Approves ZURZUVAE for PPD, and Issues a Complete
                        # Response Letter for MDD" states an approval; "a CRL for the approval of X" does not
                        others = {_clause_of(text, c, lo, hi) for k in suppressors & kinds.keys() for c in kinds[k]}
                        apart = [c for c in kinds[kind] if (clause := _clause_of(text, c, lo, hi)) not in others
                                 and AFFIRMED_APPROVAL.fullmatch(text, c.start, c.end) and not HEDGED_CLAUSE.search(text, *clause)]
                        if apart:
                            kinds[kind] = apart
                            continue
                    del kinds[kind]
            if ("approval" in kinds and not any(c.label == "EVENT_AGENCY" for c in group) and not REGION.search(text, lo, hi)
                    and not APPROVED_IN_YEAR.search(text, lo, hi)):
                del kinds["approval"]
            if ("topline_data" in kinds and regulatory_news and index not in lead and not READOUT_NEWS.search(text, lo, hi)
                    and not any(c.label == "EVENT_EXPECTED" for c in group)):  # "plans to report initial data": to come
                del kinds["topline_data"]
            if "topline_data" in kinds and (BASIS_OF.search(text, lo, hi) or PUBLISHED_IN.search(text, lo, hi)):
                # "Approval is based on results from KEYNOTE-A39, which demonstrated …": cited, not read out;
                # "SURPASS-2 results published in The New England Journal of Medicine show …": a paper, not a readout
                del kinds["topline_data"]
            if not kinds:
                continue
            in_sentence = cands_by_sentence.get(index, [])
            drugs = [c for c in in_sentence if c.label in DRUG_LABELS and c.norm.lower() not in self.lymphodepletion
                     and roles.get(c.start) not in NOT_OWN_ROLES]
            deal_drugs = [c for c in in_sentence if c.label in DRUG_LABELS and c.norm.lower() not in self.lymphodepletion
                          and roles.get(c.start) != "background"]
            trials = [c for c in in_sentence if c.label == "TRIAL"]
            indications = [c for c in in_sentence if c.label == "INDICATION" and not c.context]
            companies = [c for c in in_sentence if c.label == "COMPANY"]
            # the dateline's date is the release's, not an event's ("Nov. 13, 2024 (GLOBE NEWSWIRE) --"); a dateline
            # names a day, so "Data Expected in Third Quarter of 2024 --" (a subtitle's end) keeps its date
            found = dates_of(index)
            not_dateline = [d for d in found if not (d.precision == "day" and DATELINE_AFTER.match(text, d.end, min(hi, d.end + 40)))]
            dates = [d for d in not_dateline if not NOT_EVENT_DATE.search(text, max(lo, d.start - 30), d.start)]
            # the headline, the first body sentence and the dateline's sentence carry the release's news
            headline = section == "title" or index in lead or len(not_dateline) < len(found)
            for kind, kind_cues in ((k, part) for k, every in kinds.items() for part in _by_clause(text, every, lo, hi)):
                cue = kind_cues[0]
                details = sorted({c.id.partition(":")[2] for c in kind_cues if ":" in c.id})
                detail = "; ".join(details) or None
                clause = _clause_of(text, cue, lo, hi)
                agencies = [c for c in group if c.label == "EVENT_AGENCY"]
                in_clause = [c for c in agencies if clause[0] <= c.start < clause[1]]
                # an agency belongs to its own clause ("… at ASCO and supported a designation granted by the FDA")
                agency = _nearest_id(cue, in_clause if in_clause or kind != "approval" else agencies)
                if kind in NEEDS_DETAIL:
                    detail = _nearest_id(cue, [c for c in group if c.label == NEEDS_DETAIL[kind]])
                    if detail is None:
                        continue
                elif kind == "approval":
                    detail = agency
                elif kind == "submission":
                    # the filing nearest the cue, in its clause first ("granted an EUA for X, and submitted a BLA for Y")
                    filings = list(FILING.finditer(text, clause[0], clause[1])) or list(FILING.finditer(text, lo, hi))
                    filing = min(filings, key=lambda f: abs(f.start() - cue.start), default=None)
                    detail = FILING_NAMES.get(filing.group(1).lower(), filing.group(1)) if filing else None
                elif kind == "deal":
                    partner = next((c.norm for c in companies if c.norm != issuer), None)
                    if partner is None:
                        partner = _named_party(text, clause, issuer, in_sentence)
                    if partner is None:
                        continue  # a deal names the other party ("licensed by GeoVax as …" is not one)
                    detail = partner
                by_release = False
                # a date belongs to its clause ("granted Fast Track, and we look forward to completing the
                # submission next year"): one in another clause is another event's
                # and a date another kind's cue stands nearer to is that event's ("priority review with a PDUFA
                # date of April 21": the action date's, not the designation's)
                others = [c for c in group if c.label == "EVENT" and c.id.partition(":")[0] != kind and c.id.partition(":")[0] in kinds
                          and clause[0] <= c.start < clause[1]  # another clause's cue has its own dates
                          and not ((cue.id, c.id.partition(":")[0]) in SAME_ACT and ACCEPTED.search(text, clause[0], clause[1]))]
                in_clause = [d for d in dates if clause[0] < d.end and d.start < clause[1]
                             and not any(_distance(o, d) < _distance(cue, d) for o in others)]
                own_date = _own_date(text, cue)  # "Orphan Drug Designation in February 2018"
                when = next((d for d in in_clause if own_date and own_date.start() <= d.start < own_date.end()), None) or _nearest_date(cue, in_clause)
                if kind == "presentation" and when is not None and _announcement_day(text, when):
                    when = None  # "today announced … presentations at AAAAI": the release's day, not the talk's
                if kind == "presentation" and detail and detail.casefold() in meeting_dates:
                    # the congress's dates, wherever the release gives them ("ASCO … held May 29-31"), however its
                    # name is capitalised there ("the OPTIONS XII … Conference" of a headline, "… conference" after)
                    better = meeting_dates[detail.casefold()]
                    if when is None or (when.value and better.value and _within(better.value, when.value)):
                        when = better
                status = self._status(text, cue, group, when, pub, lo, kind_cues)
                date, date_text, precision = (when.value, when.text, when.precision) if when else (None, None, None)
                # the release's news: its headline and lead, or the rest of its opening paragraph ("… today presented new
                # data. These data … were presented at the PNS Annual Meeting, taking place June 22–25")
                news_paragraph = headline or lead_paragraph[0] <= cue.start < lead_paragraph[1]
                if kind == "presentation" and status == "occurred" and headline and _during(when, pub):
                    date, precision = pub.isoformat(), "day"  # the news of a release dated in the congress's days: "presented at ESMO 2020"
                talk_now = kind == "presentation" and bool(BEING_PRESENTED.search(text, max(lo, cue.start - 30), cue.end))
                if kind == "presentation" and (news_paragraph or talk_now) and _under_way(when, pub) \
                        and not any(d.precision == "day" and d.start != when.start and d.value != pub.isoformat() for d in dates):
                    # "the upcoming presentation … at AAN, May 4-10" on May 6, "are being presented at UEGW, held
                    # October 12-15" on October 14: under way, the release's day's talk (unless the clause gives the
                    # talk's own day: "… in an oral session on October 15")
                    date, precision = pub.isoformat(), "day"
                if kind == "presentation" and pub is not None and when is not None and when.value == pub.isoformat():
                    status = "occurred"  # "will be presented today at SABCS": the talk is the release's own day's news
                if (talk_now and pub is not None
                        and when is not None and when.precision == "year" and when.value and _within(pub.isoformat(), when.value)):
                    # "results are being presented … at the SGO 2023 Annual Meeting": the talk is the release's day's (a
                    # meeting's own days, "held October 12-15", are the release's day while it runs, above)
                    date, precision, status = pub.isoformat(), "day", "occurred"
                announcement_day = when is not None and _announcement_day(text, when)
                if (date is None or announcement_day) and _hedged(text, cue, group):
                    continue  # "could lead to a conditional approval", "today announced … with the objective of gaining FDA approval"
                if date is None and status == "occurred":
                    opening = kind in NEWS_IN_OPENING_PARAGRAPH and lead_paragraph[0] <= cue.start < lead_paragraph[1]
                    news = (headline or opening or talk_now) and kind not in NOT_DATED_BY_RELEASE and not EARLIER.search(text, lo, cue.start) \
                        and not RECENT_BEFORE.search(text, max(lo, cue.start - 30), cue.start)
                    if news and pub is not None:
                        # a talk "being presented" is no plan the headline's "to Present" supersedes (see _merge)
                        date, precision, by_release = pub.isoformat(), "day", not talk_now
                    elif not news and not ((section != "about" or kind in EVERY_DRUG_KINDS) and not _earlier(text, lo, cue.start)
                                           and STATED_EVENT.search(text, max(clause[0], cue.start - 60), cue.end)) \
                            and not (section != "about" and _recently_done(text, max(clause[0], cue.start - 60), cue.end)):
                        continue  # undated status ("is approved in the U.S."), not an event the document states
                # a deal covers the products it lists, examples too ("products including LYNPARZA")
                scope = deal_drugs if kind in EVERY_DRUG_KINDS else _in_clause(drugs, clause)
                owners = self._drugs(text, cue, kind, scope, trials, trial_drugs, roles)
                if not owners and scope and kind in TRIAL_COURSE_KINDS and all(roles.get(d.start) == "comparator" for d in scope):
                    continue  # "one of two companies to have initiated a study of a biosimilar to Entyvio": the other arm's
                if len(owners) > 1:  # "MN-166 (ibudilast)": one drug under two names is one event
                    owners = list({same.get(o, o): o for o in reversed(owners)}.values())[::-1]
                if kind == "deal" and not owners and sents.bounds:
                    # "… entered into an agreement with the U.S. Government. … Under the agreement, Merck will supply
                    # doses of MK-7110": a later sentence of the paragraph that states the deal's terms names what it covers
                    para = paragraphs.span(cue.start)
                    for later in range(index + 1, min(len(sents.bounds), index + 1 + DEAL_TERMS_SENTENCES)):
                        if sents.bounds[later][0] >= para[1]:
                            break
                        if DEAL_TERMS.match(text, sents.bounds[later][0]):
                            owners = list(dict.fromkeys(c.norm for c in cands_by_sentence.get(later, [])
                                                        if c.label in DRUG_LABELS and roles.get(c.start) != "background"))
                            break
                if not owners and not drugs and kind not in EVERY_DRUG_KINDS:
                    # "The data will be presented at ASCO": the drug the paragraph, else the release, is about
                    para = paragraphs.span(cue.start)
                    before = {same.get(c.norm, c.norm): c.norm for c in own if para[0] <= c.start < cue.start}
                    recent = _recent_drug(own, sents, index, para, same)
                    studied = _study_drug(text, cue, kind, (lo, hi), cands, para, trial_drugs, roles)
                    if studied is not None:
                        owners = [studied]
                    elif len(before) == 1:
                        owners = list(before.values())
                    elif recent is not None:
                        owners = [recent]
                    elif main_drug and (not before or same.get(main_drug, main_drug) in before):
                        owners = [main_drug]
                trial = _nearest(cue, trials)
                indication = _nearest(cue, indications)
                money = _money(text, lo, hi) if kind == "deal" else {}
                for drug in owners or [None]:
                    events.append(EventHit(
                        kind=kind, start=cue.start, end=cue.end, status=status, detail=detail, drug=drug,
                        trial=trial.norm if trial else None, indication=indication.norm if indication else None,
                        agency=agency, date=date, date_text=date_text, date_precision=precision, by_release=by_release,
                        **money,
                    ))
        scheduled = self._scheduled(text, sections, sents, lead, own, events, published, pub, paragraphs, same)
        # a medicine the schedule gives its own day is presented that day, not on the days the news gives the congress
        # (a talk the release reports as given stays: its day is the news's)
        slotted = {(e.drug, e.detail) for e in scheduled if e.date_precision == "day" and e.date_text}
        events = [e for e in events if not (e.kind == "presentation" and e.status == "expected"
                                            and (e.drug, e.detail) in slotted)] + scheduled
        doc._.events = _merge(events)
        return doc

    @staticmethod
    def _scheduled(text: str, sections, sents: Sentences, lead: set[int], own: list[Cand], events: list[EventHit],
                   published: str | None, pub: date | None, paragraphs: Paragraphs, same: dict[str, str]) -> list[EventHit]:
        """A congress release's schedule (schedules.py): each medicine it lists is presented at the congress the
        release's news names, on the day its entry gives, else when the news says."""
        span = schedule_span(text, sections, lambda at: paragraphs.span(at)[0], published)
        if span is None:
            return []
        # the congress the schedule is for: the headline's or the lead's, else the first the body names before it
        # (a subtitle line can stand between the headline and the lead)
        presentations = [e for e in sorted(events, key=lambda e: e.start) if e.kind == "presentation" and e.detail
                         and e.start < span[0] and section_at(sections, e.start) in ("title", "body")]
        planned = [e for e in presentations if e.status == "expected"]  # not a talk given before ("previously presented")
        news = next((e for e in presentations if section_at(sections, e.start) == "title" or sents.index(e.start) in lead),
                    planned[0] if planned else None)
        if news is None:
            return []
        # the release's own medicines: a product (a code, a brand), or a name the news names before its schedule; not
        # an entry's comparator or payload ("… conjugated to a novel camptothecin payload", "versus letrozole")
        named = {same.get(c.norm, c.norm) for c in own if c.start < span[0]}
        out = []
        for cand, day in schedule_entries(text, span, sections, own, published):
            if not (is_product(text, cand) or same.get(cand.norm, cand.norm) in named):
                continue
            date_, text_, precision = (day.value, day.text, day.precision) if day else (news.date, news.date_text, news.date_precision)
            out.append(EventHit(kind="presentation", start=cand.start, end=cand.end, detail=news.detail, drug=cand.norm,
                                status=status_on(day.value if day else None, pub, news.status),
                                date=date_, date_text=text_, date_precision=precision))
        return out

    @staticmethod
    def _meeting_dates(text: str, sents: Sentences, by_sentence: dict[int, list[Cue]],
                       dates_of: Callable[[int], list[DateHit]]) -> dict[str, DateHit]:
        """Congress (its name case-folded) → the finest date a sentence naming it gives (month or day), the first such
        sentence's."""
        out: dict[str, DateHit] = {}
        for index, group in sorted(by_sentence.items()):
            congresses = [c for c in group if c.label == "EVENT_CONGRESS"]
            if not congresses:
                continue
            lo, hi = sents.bounds[index] if sents.bounds else (0, len(text))
            # not the dateline's date, nor "today" ("today announced the upcoming presentation … at ACR"): the release's day,
            # nor a data cut-off ("results presented at ASCO utilized a cutoff date of March 18")
            fine = [d for d in dates_of(index)
                    if d.value and d.precision in ("day", "month") and not DATELINE_AFTER.match(text, d.end, min(hi, d.end + 40))
                    and not _announcement_day(text, d) and not DATA_CUTOFF_BEFORE.search(text, max(lo, d.start - 30), d.start)]
            # a date another event's cue stands nearer to is that event's ("the advisory committee's recommendation on
            # Dec. 17 … and presented at the 2019 ASCO Annual Meeting"), not the meeting's
            others = [c for c in group if c.label == "EVENT" and not c.id.startswith("presentation")]
            for congress in congresses:
                own = [d for d in fine if not any(_distance(o, d) < _distance(congress, d) for o in others)]
                if own and congress.id.casefold() not in out:
                    out[congress.id.casefold()] = min(own, key=lambda d: abs(d.start - congress.start))
        return out

    @staticmethod
    def _status(text: str, cue: Cue, group: list[Cue], when: DateHit | None, pub, sentence_start: int,
                kind_cues: list[Cue] = ()) -> str:
        if when is not None and when.first_day and pub is not None and date.fromisoformat(when.first_day) > pub:
            return "expected"  # a meeting whose first day is after the release ("February 14-16")
        if when is not None and when.value and pub is not None:
            first, last = period(when.value)
            if last < pub:
                return "occurred"
            if first > pub:
                return "expected"
            if first < pub < last and PROGRESSIVE.match(text, cue.start, cue.end):
                return "expected"  # "are initiating a second Phase 3 study in 2024": under way within a period still open
        if ALREADY_DONE.search(text, max(sentence_start, cue.start - 40), cue.end + 40):
            return "occurred"  # "leveraging Fast Track and Breakthrough Therapy designations already granted by the FDA"
        foreign = [c for c in group if c.label == "EVENT" and c is not cue and c not in kind_cues]
        for other in group:
            if other.label != "EVENT_EXPECTED" or text[max(0, other.start - 4) : other.start].lower().endswith("pre-"):
                continue  # "a pre-planned analysis" happened as planned
            if text[other.start : other.end].lower().endswith("ed") and ATTRIBUTIVE_BEFORE.search(text, max(0, other.start - 12), other.start):
                continue  # "the highly anticipated data were presented": an adjective, not the event's status
            if text[other.start : other.end].lower() in ATTRIBUTIVE_PLANS and 0 <= cue.start - other.end <= 1:
                continue  # "crossed its boundary at a planned interim analysis": the analysis was planned, and done
            if text[other.start : other.end].lower() == "plan" and ANALYSIS_PLAN.search(text, max(0, other.start - 30), other.start):
                continue  # "per the pre-specified analysis plan": a document, not a plan for the future
            if any(c.start < other.end and other.start < c.end for c in foreign):
                continue  # part of another event's cue: "granted priority review with a PDUFA target action date",
                # "Clearance of IND Application to Initiate a Phase 3 Trial" (the start is expected, the clearance is not)
            lo, hi = sorted((other.end, cue.start))
            if other.start < cue.start and not CLAUSE_END.search(text, lo, hi):
                return "expected"
            if cue.start <= other.start < cue.end:
                return "expected"  # inside the cue: "New Drug Application to be submitted"
            if any(other.start <= c.start < other.end for c in kind_cues):
                return "expected"  # around another cue of the kind: "abstracts … accepted for presentation"
            if cue.end <= other.start and other.start - cue.end < 40 and not CLAUSE_END.search(text, cue.end, other.start):
                return "expected"  # "IND clearance expected", "data are anticipated"
        return "occurred"

    def _drugs(self, text: str, cue: Cue, kind: str, drugs: list[Cand], trials: list[Cand], trial_drugs: dict[str, set[str]],
               roles: dict[int, str | None]) -> list[str]:
        own = [d for d in drugs if roles.get(d.start) in (None, "example")]
        # a partner written as a code or a brand is a product of its own, not a generic backbone
        partners = [d for d in drugs if roles.get(d.start) == "partner"
                    and is_product(text, d)]
        # a combination's event is the investigational drug's, not its partner's; never the comparator's
        # ("Positive Opinion … Based on … Benefit Compared to Sunitinib"): without a drug of its own, abstain
        other_arm = {d.norm for d in drugs if roles.get(d.start) == "comparator"}
        # ... nor a generic partner's when the drug of its own goes unnamed ("Preclinical Results of FASN Inhibitor in
        # Combination with Semaglutide")
        drugs = own or [d for d in drugs if roles.get(d.start) != "comparator" and (roles.get(d.start) != "partner" or is_product(text, d))]
        if drugs:
            if kind in EVERY_DRUG_KINDS or (kind in LISTED_DRUG_KINDS and len(own) > 1):
                # "Presentations include new data on favezelimab, zilovertamab vedotin and nemtabrutinib": each one's
                return list(dict.fromkeys(d.norm for d in drugs))
            nearest = min(drugs, key=lambda d: _distance(cue, d))
            if _distance(cue, nearest) >= DRUG_REACH:
                # "Data from VICTORIA were presented at ACC … About VICTORIA: a study of vericiguat": the drug is
                # out of reach, the trial the cue names is not
                near = [t for t in trials if _distance(cue, t) < DRUG_REACH]
                owners = {d for t in near for d in trial_drugs.get(t.norm, ())}
                return sorted(owners) if len(owners) == 1 else []
            if kind in COMBINATION_KINDS and own and nearest.label != "DRUG_CODE":
                # "KEYTRUDA plus LENVIMA approved": two products' combination; a code's partner ("mRNA-4157 in
                # combination with KEYTRUDA") is the backbone of the investigational drug's event
                return list(dict.fromkeys([nearest.norm, *(p.norm for p in partners)]))
            return [nearest.norm]
        owners = {d for t in trials for d in trial_drugs.get(t.norm, ())} - other_arm  # the trial's drug, not its control
        return sorted(owners) if len(owners) == 1 else []


#: Data "at" a congress is a presentation however the sentence says it: "results reported at AACR and ASCO".
AT_CONGRESS = re.compile(r"(?i)\b(?:at|during)\s+(?:the\s+)?(?:\d+\s*(?:st|nd|rd|th)\s*)?(?:annual\s+)?(?:\w+\s+)?$")
#: Results announced at a congress: "… announced today at the American Academy of Dermatology Annual Meeting".
ANNOUNCED_AT_CONGRESS = re.compile(r"(?i)\b(?:announced|reported|shared|unveiled)\s+(?:today\s+)?(?:at|during)\s+(?:the\s+)?"
                                   r"(?:\d+\s*(?:st|nd|rd|th)\s*)?(?:annual\s+)?(?:\w+\s+)?$")
RESULTS_WORD = re.compile(r"(?i)\b(?:data|results|findings|analys[ie]s|abstracts?|posters?)\b")


#: A meeting named in full, beyond the congresses rules/events.jsonl lists: "the World Vaccine Congress",
#: "the International Conference on Alzheimer's and Parkinson's Diseases".
NAMED_MEETING = re.compile(
    # the topic after the head: "the International Symposium on Pneumococci and Pneumococcal Diseases", "the 63rd
    # Annual Meeting of the Society of Toxicology"
    r"\b(?:[A-Z][\w&'’\-]*\s+){0,3}(?:Congress|Conference|Symposium|Symposia|Summit|Meeting)\s+(?:on|of)\s+(?:the\s+)?"
    # on its line, not the next line's words; a name wrapped after a connective ("Alzheimer's and\nParkinson's") goes on
    r"[A-Z][\w'’\-]*(?:[ \t]+(?:(?:and|of|for|&)\s+)?[A-Z][\w'’\-]*){0,6}"
    r"|\b(?:[A-Z][\w&'’\-]*\s+(?:(?:of|on|for|and|in|&)\s+(?:the\s+)?)?(?:\d{1,3}(?:st|nd|rd|th)\s+)?){1,7}"  # "… Toxicology 63rd Annual Meeting"
    r"(?:Congress|Conference|Symposium|Symposia|Summit|Scientific\s+Sessions|Meeting|congress|conference|symposium)\b"
)
#: A digit that is not part of an ordinal ("63rd Annual Meeting" numbers the meeting; "SURMOUNT-2 Symposium" names a study).
ORDINAL_FREE_DIGIT = re.compile(r"\d(?!\d*(?:st|nd|rd|th)\b)")
MEETING_HEADS = frozenset({"congress", "conference", "symposium", "symposia", "summit", "sessions", "meeting"})
#: A Title Case headline run into a meeting's name ("KEYNOTE-716 Selected for Presentation During Presidential
#: Symposium", "For Drug To Fight DLB At International Conference"): capitalised small words and verbs.
HEADLINE_WORDS = frozenset({"At", "To", "During", "For", "With", "From", "By", "In", "On", "Of", "And", "Selected", "Accepted",
                            "Presentation", "Presented", "Presents", "Present", "Announces", "Data", "Results", "Trial", "Study"})
#: Words of a meeting's name that do not say which meeting it is ("the Annual Meeting").
GENERIC_MEETING_WORDS = frozenset({"Annual", "International", "Scientific", "Virtual", "Global", "Medical", "Clinical", "The",
                                   "Summer", "Winter", "Spring", "Fall", "Autumn", "Joint", "Biennial", "Special", "Upcoming",
                                   "Presidential", "Plenary", "Investigator", "Investigators", "Industry", "European", "World",
                                   "American", "National", "Live", "Regional", "Major", "Key", "Leading"})
#: Meetings for investors and business, where a company presents itself, not data.
BUSINESS_MEETING = re.compile(r"(?i)\b(?:investors?|investment|growth|shareholders?|stockholders?|general|earnings|capital|"
                              r"fireside|webcast|partnering|business|financ\w*|securities|equity|banking|healthcare\s+conference|"
                              r"bio\s+international|town\s+hall|advisory|board)\b")


def _joined_congresses(text: str, cues: list[Cue]) -> list[Cue]:
    """Two congress names written as one ("American Society of Clinical Oncology Genitourinary Cancers
    Symposium"): the society's meeting named last is the one meant, over the whole span."""
    out: list[Cue] = []
    last = -1  # where in ``out`` the last congress cue stands
    for cue in cues:
        if cue.label != "EVENT_CONGRESS":
            out.append(cue)
            continue
        prev = out[last] if last >= 0 else None
        if prev is not None and prev.id != cue.id and prev.end <= cue.start and re.fullmatch(r"[\s’'s]*", text[prev.end : cue.start]):
            out[last] = Cue("EVENT_CONGRESS", cue.id, prev.start, cue.end)
            continue
        last = len(out)
        out.append(cue)
    return out


def _named_meetings(text: str, known: list[Cue]) -> list[Cue]:
    """EVENT_CONGRESS cues for meetings the text names in full and the rules do not list (id: the name)."""
    out = []
    for m in NAMED_MEETING.finditer(text):
        words = m.group(0).split()
        if words[-1].lower() in MEETING_HEADS:
            words = words[:-1]  # the head; a name with its topic after the head keeps every word
        if m.group(0).endswith("Scientific Sessions"):
            words = words[:-1]
        if not any(w not in GENERIC_MEETING_WORDS and w[:1].isupper() for w in words) or BUSINESS_MEETING.search(m.group(0)):
            continue
        # "… Association for the Study of Diabetes": a word after "the" is the name's, not a headline's
        if any(w in HEADLINE_WORDS and (i == 0 or words[i - 1] != "the") for i, w in enumerate(words)) or ORDINAL_FREE_DIGIT.search(m.group(0)):
            continue  # a headline's words, or a study's ("SURMOUNT-2 Symposium")
        if any(c.start < m.end() and m.start() < c.end for c in known):
            continue  # "the ASCO Annual Meeting": the listed congress already names it
        out.append(Cue("EVENT_CONGRESS", " ".join(m.group(0).split()), m.start(), m.end()))  # one line, however wrapped
    return out


def _congress_cues(text: str, group: list[Cue], lo: int, hi: int) -> list[Cue]:
    """A presentation cue for each congress the sentence has data "at", when no presentation cue is there already: data
    the sentence names, or results it states and announces there."""
    if any(c.label == "EVENT" and c.id == "presentation" for c in group):
        return []
    if RESULTS_WORD.search(text, lo, hi):
        return [Cue("EVENT", "presentation", c.start, c.end) for c in group
                if c.label == "EVENT_CONGRESS" and AT_CONGRESS.search(text[max(lo, c.start - 40) : c.start])]
    if any(c.label == "EVENT" and c.id.startswith("topline_data") for c in group):
        # results stated, then announced at the congress ("… achieved significant hair regrowth, Lilly announced today
        # at the AAD Annual Meeting"), not an investor call or a booth there
        return [Cue("EVENT", "presentation", c.start, c.end) for c in group
                if c.label == "EVENT_CONGRESS" and ANNOUNCED_AT_CONGRESS.search(text[max(lo, c.start - 60) : c.start])]
    return []


def _named_party(text: str, clause: tuple[int, int], issuer: str | None, cands: list[Cand]) -> str | None:
    """The other party of a deal named in its clause though not recognised as a company (NAMED_PARTY): not
    the issuer, not a drug, trial or disease the sentence names, not a word of NOT_A_PARTY."""
    taken = sorted(c.start for c in cands if c.label != "COMPANY")
    for m in NAMED_PARTY.finditer(text, clause[0], clause[1]):
        end = min([s for s in taken if m.start("name") <= s < m.end("name")], default=m.end("name"))  # up to a drug's name
        name = re.sub(r"(?:\s+(?:&|of|and))+$", "", text[m.start("name") : end].rstrip(",. "))
        if not name:
            continue
        first = name.split()[0].rstrip(".,")
        if first in NOT_A_PARTY or (issuer and (name in issuer or issuer in name)):
            continue
        return name
    return None


def _by_clause(text: str, cues: list[Cue], lo: int, hi: int) -> list[list[Cue]]:
    """One kind's cues of a sentence, by clause: "Topline Data Expected in Third Quarter of 2024; … Initiation of
    VAX-24 …; Topline Data Expected in Second Half of 2025" states two readouts, one per clause."""
    parts: dict[tuple[int, int], list[Cue]] = {}
    for cue in cues:
        parts.setdefault(_clause_of(text, cue, lo, hi), []).append(cue)
    return [group for part in parts.values() for group in _by_own_date(text, part)]


#: A date right after an event's cue, its own: "Breakthrough Therapy Designation in April 2019".
OWN_DATE_AFTER = re.compile(rf"(?i)(?:\s+(?:designation|status))?\s+(?:in|on)\s+{MONTH_YEAR}\b")


def _own_date(text: str, cue: Cue) -> re.Match[str] | None:
    """The date right after a cue, its own ("Orphan Drug Designation in February 2018"); a cue that spans a date
    ("began recruitment in December 2021 and completed enrollment") has another event's after it."""
    return OWN_DATE_AFTER.match(text, cue.end) if not re.search(r"\d", text[cue.start : cue.end]) else None


def _by_own_date(text: str, cues: list[Cue]) -> list[list[Cue]]:
    """A list of one kind's events, each with its own date ("granted Breakthrough Therapy Designation in April 2019,
    Rare Pediatric Disease Designation in December 2019, Orphan Drug Designation in February 2018"): one group per
    dated cue, an undated cue staying with the one before it."""
    def dated(cue: Cue) -> bool:
        return _own_date(text, cue) is not None

    if sum(dated(c) for c in cues) < 2:
        return [cues]
    groups: list[list[Cue]] = []
    for cue in sorted(cues, key=lambda c: (c.start, c.end)):
        if not groups or (dated(cue) and any(dated(c) for c in groups[-1])):
            groups.append([cue])
        else:
            groups[-1].append(cue)
    return groups


def _clause_of(text: str, cue: Cue, lo: int, hi: int) -> tuple[int, int]:
    """The clause around ``cue`` within its sentence ``[lo, hi)``: from the last clause break before it
    to the first after it ("…, while a Phase 2 trial of Gedeptin is advancing" is another clause)."""
    start = lo
    for m in CLAUSE_END.finditer(text, lo, cue.start):
        start = m.end()
    after = CLAUSE_END.search(text, cue.end, hi)
    return start, after.start() if after else hi


#: How many sentences back an event without a drug looks for the drug the text was just about.
RECENT_SENTENCES = 2


#: "the study", "this Phase 3 trial": a sentence speaking of the trial its paragraph named.
THE_STUDY = re.compile(r"(?i)\b(?:the|this)\s+(?:[\w/-]+\s+){0,2}?(?:study|trial)\b")
#: Kinds of a trial's own course: started, enrolled, read out.
TRIAL_COURSE_KINDS = frozenset({"trial_start", "enrollment_complete", "topline_data"})


def _study_drug(text: str, cue: Cue, kind: str, sentence: tuple[int, int], cands: list[Cand], para: tuple[int, int],
                trial_drugs: dict[str, set[str]], roles: dict[int, str | None]) -> str | None:
    """The drug of the trial a sentence calls "the study" ("RELAY is a trial of CYRAMZA plus erlotinib. …
    Initiated in 2015, the study randomized 449 patients"): the one drug the relations give the one trial
    the paragraph named before (its partners aside), rather than the drug its last sentence happened to name."""
    if kind not in TRIAL_COURSE_KINDS or not THE_STUDY.search(text, sentence[0], min(sentence[1], cue.end + 40)):
        return None
    named = [c for c in cands if c.label == "TRIAL" and para[0] <= c.start < cue.start]
    if len({c.norm for c in named}) != 1:
        return None
    if any(c.label in DRUG_LABELS and named[-1].end <= c.start < cue.start and c.norm not in trial_drugs.get(named[0].norm, ())
           for c in cands):
        return None  # "Joining the NIAID study … Lilly will advance LY3127804 … This trial will begin": another drug's trial
    partners = {c.norm for c in cands if para[0] <= c.start < cue.start and roles.get(c.start) in ("partner", "comparator", "background")}
    drugs = trial_drugs.get(named[0].norm, set()) - partners  # the trial's own drug, not its backbone
    return next(iter(drugs)) if len(drugs) == 1 else None


def _recent_drug(own: list[Cand], sents: Sentences, index: int, para: tuple[int, int], same: dict[str, str]) -> str | None:
    """The drug the last sentences of the paragraph were about ("Phase 3 trials are ongoing for mirikizumab
    in ulcerative colitis … Lilly expects topline results in 2021"): the one drug of the nearest of the
    RECENT_SENTENCES sentences before that names any, if it names one."""
    for back in range(index - 1, max(-1, index - RECENT_SENTENCES - 1), -1):
        lo, hi = sents.bounds[back] if sents.bounds else (0, 0)
        if lo < para[0]:
            break
        named = {same.get(c.norm, c.norm): c.norm for c in own if lo <= c.start < hi}
        if named:
            return next(iter(named.values())) if len(named) == 1 else None
    return None


def _in_clause(items: list, clause: tuple[int, int]) -> list:
    """The items inside the clause, else all of them (a fact named elsewhere in the sentence)."""
    inside = [x for x in items if clause[0] <= x.start < clause[1]]
    return inside or items


#: How long a meeting runs at most, for a release dated within a range given by its first day ("May 31-June 3").
MEETING_DAYS = 6
MEETING_RANGE = re.compile(r"\d\s*(?:-|–|—|to|through)\s*(?:[A-Z][a-z]+\.?\s+)?\d")


def _during(when: DateHit | None, pub: date | None) -> bool:
    """The release is dated within the span ``when`` gives: the year or month of a congress ("ESMO 2020"), or a
    meeting's days ("May 31-June 3"), so the day it reports a presentation held is its own."""
    if when is None or not when.value or pub is None:
        return False
    if when.last_day is not None:
        return _under_way(when, pub)  # a meeting's days ("June 12-15"): not after its last ("released June 17")
    first, last = period(when.value)
    if when.precision != "day":
        return first <= pub <= last
    start = date.fromisoformat(when.first_day) if when.first_day else first
    return 0 < (pub - start).days <= MEETING_DAYS and bool(MEETING_RANGE.search(when.text))


def _under_way(when: DateHit | None, pub: date | None) -> bool:
    """The release is dated between a meeting's first and last day ("May 4-10" and May 6)."""
    if when is None or when.last_day is None or pub is None:
        return False
    return date.fromisoformat(when.first_day) <= pub <= date.fromisoformat(when.last_day)


def _announcement_day(text: str, when: DateHit) -> bool:
    """``when`` dates the announcement ("today announced", "announced today"), not what it announces."""
    if ANNOUNCED_ON.match(text, when.start):
        return True
    return when.text.lower() in ("today", "yesterday") and bool(ANNOUNCED_BEFORE.search(text, max(0, when.start - 25), when.start))


def _standing_kinds(text: str, group: list[Cue]) -> set[str]:
    """The event kinds a sentence's cues state once its vetoes and hedges apply ("…, which, if approved, would
    be …" states no approval)."""
    vetoes = [c for c in group if c.label == "EVENT_VETO"]
    kinds = set()
    for cue in group:
        if cue.label != "EVENT" or _hedged(text, cue, group):
            continue
        kind = cue.id.partition(":")[0]
        if not any(v.id == kind and v.start - v.reach <= cue.start and cue.end <= v.end + v.reach for v in vetoes):
            kinds.add(kind)
    return kinds


def _hedged(text: str, cue: Cue, group: list[Cue]) -> bool:
    """An EVENT_HYPOTHETICAL cue before ``cue`` in its clause."""
    return any(
        other.label == "EVENT_HYPOTHETICAL" and other.start < cue.start and not CLAUSE_END.search(text, other.end, cue.start)
        for other in group
    )


LONG_GAP = 10
"""A bounded gap ``{0,n}`` of this many tokens or more is matched as ``*`` and held to its bound afterwards.

spaCy's Matcher unrolls ``{0,n}`` into n optional tokens and follows every way of skipping them:
one pattern with a ``{0,20}`` gap cost more than all other event rules together."""


def _long_gaps_unrolled(pattern: list[dict]) -> tuple[list[dict], dict[int, int]]:
    """The pattern with each long ``{0,n}`` gap as ``*``, and each rewritten token's index -> n (empty when
    nothing was rewritten). The Matcher's alignments say how many tokens each gap took (_within_gaps), so the
    matches kept are exactly the original pattern's."""
    out, bounds = [], {}
    for index, token in enumerate(pattern):
        op = token.get("OP", "")
        if op.startswith("{"):
            low, comma, high = op.strip("{}").partition(",")
            if comma and high and low in ("", "0") and int(high) >= LONG_GAP:
                token, bounds[index] = {**token, "OP": "*"}, int(high)
        out.append(token)
    return (out, bounds) if bounds else (pattern, {})


def _within_gaps(aligned: list[int], bounds: dict[int, int]) -> bool:
    """Whether a match's tokens (each aligned to its pattern token) fill no rewritten gap past its bound."""
    taken: dict[int, int] = {}
    for index in aligned:
        if index in bounds:
            taken[index] = taken.get(index, 0) + 1
    return all(count <= bounds[index] for index, count in taken.items())


def _required_words(pattern: list[dict]) -> list[set[str]]:
    """For each token a match cannot skip (no ``?``, ``*`` or ``{0,n}``), the lower-case words it accepts;
    tokens that accept any word, or words not given as LOWER, add no requirement."""
    out = []
    for token in pattern:
        op = token.get("OP", "")
        if op in ("?", "*", "!") or op.startswith("{0"):
            continue
        value = token.get("LOWER")
        if isinstance(value, str):
            out.append({value})
        elif isinstance(value, dict) and set(value) == {"IN"}:
            out.append(set(value["IN"]))
    return out


def _distance(cue: Cue, span: Cand | DateHit | Cue) -> int:
    """Characters between a cue and a candidate, a date or another cue (0 when they overlap)."""
    if span.end <= cue.start:
        return cue.start - span.end
    if cue.end <= span.start:
        return span.start - cue.end
    return 0


def _nearest(cue: Cue, cands: list[Cand]) -> Cand | None:
    return min(cands, key=lambda c: _distance(cue, c)) if cands else None


def _nearest_id(cue: Cue, others: list[Cue]) -> str | None:
    if not others:
        return None
    return min(others, key=lambda o: abs(o.start - cue.start)).id


def _nearest_date(cue: Cue, dates: list[DateHit]) -> DateHit | None:
    """The date nearest the cue; one after it wins a tie ("presented at SITC in November 2024")."""
    if not dates:
        return None
    nearest = min(dates, key=lambda d: (d.start - cue.end) if d.start >= cue.end else (cue.start - d.end) + 1)
    if nearest.precision == "year" and nearest.value:
        # "at EHA 2024 in June", "in January of this year": the month the sentence also gives is the same date, more
        # precise; a relative year elsewhere in the sentence is not ("completed last quarter with regulatory action
        # expected by the end of the year")
        finer = [d for d in dates if d.value and d.value.startswith(nearest.value) and d.value != nearest.value
                 and (re.search(r"\d", nearest.text) or max(d.start - nearest.end, nearest.start - d.end) < 12)]
        if finer:
            return min(finer, key=lambda d: abs(d.start - cue.start))
    return nearest


def _document_subject(own: list[Cand], sections, same: dict[str, str]) -> str | None:
    """The drug the release is about: the one its headline names, else its only drug, else the one it names far
    more than any other."""
    def one(cands: list[Cand]) -> str | None:
        names = {same.get(c.norm, c.norm): c.norm for c in cands}
        return next(iter(names.values())) if len(names) == 1 else None

    headline = [c for c in own if section_at(sections, c.start) == "title"]
    if headline:
        return one(headline)
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    for c in own:
        key = same.get(c.norm, c.norm)
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, c.norm)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(ranked) == 1 or (ranked and ranked[0][1] >= 3 and ranked[0][1] >= 2 * ranked[1][1]):
        return first[ranked[0][0]]
    return None


def _lead(sents: Sentences, sections, text: str = "") -> set[int]:
    """The lead: the first body sentence after the headline ("CITY, date -- X today announced that …"), not a
    dateline the page broke off on its own ("RAHWAY, N.J. &")."""
    for index, (lo, hi) in enumerate(sents.bounds):
        fragment = bool(text) and len(text[lo:hi].split()) < LEAD_MIN_WORDS and not text[lo:hi].rstrip().endswith((".", "!", "?"))
        if section_at(sections, lo) == "body" and not fragment:
            return {index}
    return set()


#: The fewest words of a lead sentence that does not end as one (a dateline alone: "RAHWAY, N.J. &").
LEAD_MIN_WORDS = 6


def _money(text: str, lo: int, hi: int) -> dict[str, float | str | None]:
    """A deal's amounts: the upfront, the milestones and the total, each where the sentence says."""
    found: dict[str, float | str | None] = {}
    for m in MONEY.finditer(text, lo, hi):
        try:
            value = float(m.group("num").replace(",", "")) * SCALES.get((m.group("scale") or "").lower(), 1.0)
        except ValueError:
            continue
        if value < 1e4 or value > 1e12:
            continue  # a share price or a typo, not deal terms
        around = text[max(lo, m.start() - 60) : min(hi, m.end() + 60)]
        near_after = text[m.end() : min(hi, m.end() + 40)]
        near_before = text[max(lo, m.start() - 40) : m.start()]
        found.setdefault("currency", CURRENCIES.get(m.group("cur").strip().lower(), None))
        if UPFRONT.search(near_after) or UPFRONT.search(near_before):
            found.setdefault("upfront", value)
        elif MILESTONE.search(near_after) or MILESTONE.search(near_before):
            found.setdefault("milestones", value)
        elif TOTAL.search(around):
            found.setdefault("amount", value)
    if "amount" not in found and ("upfront" in found or "milestones" in found):
        found["amount"] = (found.get("upfront") or 0.0) + (found.get("milestones") or 0.0)
    return found if any(k in found for k in ("amount", "upfront", "milestones")) else {}


def _within(inner: str, outer: str) -> bool:
    """``inner`` is a finer date inside ``outer``'s period ("2024-09" within "2024" or "2024-Q3")."""
    if inner == outer:
        return False
    a, b = period(inner), period(outer)
    return b[0] <= a[0] and a[1] <= b[1] and (a[1] - a[0]) < (b[1] - b[0])


def _merge(events: list[EventHit]) -> list[EventHit]:
    """One event per (kind, drug, date); an undated repeat of a dated event is that event."""
    # "ASCO 2025" in one sentence and "ASCO, June 2, 2025" in another are one presentation: the finer date stands
    finer: dict[tuple[str, str | None], list[str]] = {}
    for e in events:
        if e.date:
            finer.setdefault((e.kind, e.drug), []).append(e.date)
    events = [e for e in events if not (e.date and any(_within(other, e.date) for other in finer[(e.kind, e.drug)]))]
    # "X to Present at EASL" in the headline and a sub-headline about the poster: one expected presentation,
    # not also one that occurred on the release's day
    planned = {(e.kind, e.drug) for e in events if e.status == "expected" and e.kind == "presentation"}
    events = [e for e in events if not (e.by_release and (e.kind, e.drug) in planned)]
    dated = {(e.kind, e.drug) for e in events if e.date}
    owned: dict[str, set[str | None]] = {}
    for e in events:
        if e.drug:
            owned.setdefault(e.kind, set()).add(e.date)
    # the same event, its drug named elsewhere (on the same date, or on a day within it: "AACR, April 2023" and its
    # schedule's "Monday, April 17")
    events = [e for e in events if e.drug or not (e.date in owned.get(e.kind, ()) or (
        e.date and any(d and _within(d, e.date) for d in owned.get(e.kind, ()))))]
    seen: dict[tuple[str, str | None, str | None], EventHit] = {}
    for event in events:
        if event.date is None and (event.kind, event.drug) in dated:
            continue
        key = (event.kind, event.drug, event.date)
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = event
        else:  # keep the first evidence; fill what it lacks from the repeat
            fill = {f: getattr(event, f) for f in ("detail", "trial", "indication", "agency", "amount", "upfront", "milestones", "currency")
                    if getattr(earlier, f) is None and getattr(event, f) is not None}
            if fill:
                seen[key] = replace(earlier, **fill)
    return list(seen.values())


@Language.factory("biotech_events", default_config={"rules_dir": None})
def make_event_finder(nlp: Language, name: str, rules_dir: str | None) -> EventFinder:
    from .rules import load_rules_cached

    return EventFinder(load_rules_cached(rules_dir), nlp)
