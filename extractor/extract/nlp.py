"""Build the spaCy pipeline once and turn articles into :class:`Facts`.

Nothing outside ``extractor.extract`` ever sees a spaCy object: :class:`Extractor`
takes :class:`Article` records and returns :class:`Facts` records.

Pipeline (``spacy.blank("en")``, no statistical model):

    tokenizer (adjusted for ALLO-329, mg/m2, CD19+, 1x10^8)
    → biotech_sentences  paragraph-aware sentence boundaries; run-together lists split by item
    → ruler_exact        SpanRuler, case-sensitive patterns from rules/*.jsonl
    → ruler_lower        SpanRuler, case-insensitive patterns + drug gazetteers
    → ruler_diseases     SpanRuler on each word's NORM (lower case, head nouns singular): diseases,
                         so "head and neck cancers" meets the vocabulary's "head and neck cancer"
    → biotech_entities   regex candidates, vetoes, trial scoring, resolution
    → biotech_quantities doses and response rates with their drug/trial/dose level
    → biotech_relations  drug–target, drug–trial, trial–NCT, … links
    → biotech_events     catalysts: IND clearances, designations, approvals, readouts, … with their dates
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.attrs import IDX, LENGTH, NORM, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from ..models import Article, Dose, Event, Facts, Mention, Relation, Response
from . import entities as _entities  # noqa: F401  (registers biotech_entities)
from . import events as _events  # registers biotech_events
from . import quantities as _quantities  # noqa: F401  (registers biotech_quantities)
from . import relations as _relations  # noqa: F401  (registers biotech_relations)
from .dates import period
from .rules import RuleSet, load_rules_cached
from .text import ABBREVIATIONS, Sentences, doc_text

if not Doc.has_extension("sections"):
    Doc.set_extension("sections", default=())  # the article's Section records, set by Extractor._doc
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)  # the article's ISO date, for relative dates ("this year")

# --- tokenizer -------------------------------------------------------------------------------
UNIT_TOKEN = re.compile(r"^(?:mg|µg|μg|ug|mcg|ng|g|IU|U|mL|cells|vg)/(?:kg|m2|m²)(?:/(?:day|d|dose))?$")
EXPONENT_TOKEN = re.compile(r"^(?:\d+(?:\.\d+)?[x×])?10\^-?\d{1,2}$")
UNIT_SUFFIX = r"(?<=[0-9])(?:mg|µg|μg|ug|mcg|ng|g|IU|U|mL)/(?:kg|m2|m²)(?:/(?:day|d))?"
#: A long run of punctuation with no space ("((((…" × 100,000) is one token: split one prefix at a time,
#: it would cost time quadratic in its length.
PUNCTUATION_RUN = re.compile(r"^[^\w\s]{64,}$")
#: A chunk the tokenizer keeps whole: one regex, so the tokenizer calls C, not a Python function, per chunk.
TOKEN_MATCH = re.compile("|".join(f"(?:{p.pattern})" for p in (UNIT_TOKEN, EXPONENT_TOKEN, PUNCTUATION_RUN)))
BULLETS = ("-", "•", "–")
#: Quotation marks that close a quoted sentence ("… for these patients.” These data …").
CLOSING_QUOTES = ("”", "\"", "’")
#: Plural head nouns of disease names, matched as their singular (see ``disease_norm_getter``): the
#: heads of named cancers ("head and neck cancers", "B-cell lymphomas"). Plurals of generic heads
#: ("infectious diseases", "solid tumors", "hematologic malignancies") name classes, not indications,
#: and stay unmatched.
DISEASE_PLURALS = {
    "cancers": "cancer", "carcinomas": "carcinoma", "adenocarcinomas": "adenocarcinoma", "lymphomas": "lymphoma",
    "leukemias": "leukemia", "leukaemias": "leukaemia", "sarcomas": "sarcoma", "melanomas": "melanoma",
    "myelomas": "myeloma", "gliomas": "glioma",
}

#: "D.C.", "N.J.", "U.K.": initials with full stops, which end a sentence only before a new one.
DOTTED_INITIALS = re.compile(r"(?:[A-Z]\.){2,}")
#: The capitalised end of a word a feed ran into the one before ("placeOct"): when it is a month (MONTH_WORDS) and a
#: day follows its full stop ("taking placeOct. 9-13"), the stop does not end the sentence ("PharmaMar." does).
GLUED_TAIL = re.compile(r"(?<=[a-z])[A-Z][a-z]{2,3}$")
MONTH_WORDS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})


def customize_tokenizer(nlp: Language) -> None:
    """Keep codes, unit expressions and exponents whole; split a unit off its number.

    Builds one new tokenizer with every setting at once: each setting changed on a built tokenizer
    reloads its special cases (a tenth of a second each)."""
    defaults = nlp.Defaults
    infixes = [p.replace(r"[+\-\*^]", r"[+\-\*]") for p in defaults.infixes]
    nlp.tokenizer = Tokenizer(
        nlp.vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(defaults.prefixes).search,
        suffix_search=compile_suffix_regex([*defaults.suffixes, UNIT_SUFFIX]).search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        token_match=TOKEN_MATCH.match,
        url_match=defaults.url_match,
    )


#: A phrase pattern of plain words ("insulin lispro", "Keytruda"): the tokenizer would give its words as they are.
PLAIN_PHRASE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")


class PhraseTokenizer:
    """The tokenizer for the rulers' phrase patterns while they are added: a phrase of plain words becomes its
    words directly (tens of thousands of vocabulary names, a second of affix searching saved on every build);
    any other phrase, and a word with a special case of its own ("im" → "i", "m"), goes to the real tokenizer.
    tests/test_extract.py checks every plain vocabulary phrase against the real tokenizer."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.special = frozenset(tokenizer.rules)

    def __call__(self, text: str) -> Doc:
        if PLAIN_PHRASE.fullmatch(text):
            words = text.split(" ")
            if not any(word in self.special for word in words):
                return Doc(self.tokenizer.vocab, words=words, spaces=[True] * (len(words) - 1) + [False])
        return self.tokenizer(text)


#: A sentence (as the rules above cut them) this many tokens long, with no sentence punctuation in it or at its
#: end, is a list whose separators the feed lost ("… for hard-to-treat tumor types Data on Verzenio continue to …").
RUN_ON_TOKENS = 30
#: Sentence punctuation: a sentence holding any (or a word that ends in a full stop: "U.S.", "Inc.") is prose.
SENTENCE_MARKS = frozenset({".", "!", "?", ";", ":", "…"})
#: Words after which a capitalised word is a name, not the first word of a new item ("the American …").
LIST_ITEM_NOT_AFTER = frozenset(
    "a an the of in on at to for with and or nor but by from as into onto than that this these those its their our "
    "his her is are was were be been being vs versus via per among between across after before during over under "
    "about against within without through including such".split()
)


@Language.factory("biotech_sentences", default_config={"rules_dir": None})
def make_sentence_splitter(nlp: Language, name: str, rules_dir: str | None):
    english = frozenset(load_rules_cached(rules_dir).gazetteers.get("english_words.tsv", {}))
    return lambda doc: biotech_sentences(doc, english)


def biotech_sentences(doc: Doc, english: frozenset[str] = frozenset()) -> Doc:
    """Sentences end at paragraph breaks and at . ! ? before a capital, not after 'Inc.' or 'vs.'; a
    run-together list (a long sentence without sentence punctuation, see RUN_ON_TOKENS) breaks where a capitalised common word
    opens a new item after a content word ("… tumor types Data on Verzenio …").

    Reads the tokens as strings cut from the text by their offsets: building a spaCy ``Token`` per
    token (and again for its neighbours) cost more than the whole rest of this component."""
    n = len(doc)
    starts = numpy.full(n, -1, dtype="int32")
    if not n:
        return doc
    text = doc_text(doc)
    cols = doc.to_array([IDX, LENGTH, SPACY]).tolist()
    words = [text[i : i + length] for i, length, _ in cols]
    spaced = [bool(s) for *_, s in cols]
    starts[0] = 1
    bulleted = words[0] in BULLETS  # the paragraph opens with "- " or "• ": a list run together on one line
    for i in range(1, n):
        word = words[i]
        if word.isspace():
            continue
        prev_text = words[i - 1]
        if "\n" in prev_text and prev_text.isspace():
            starts[i] = 1
            bulleted = word in BULLETS
            continue
        if bulleted and word in BULLETS and spaced[i - 1] and spaced[i] and i + 1 < n and (
            words[i + 1][:1].isupper() or words[i + 1][:1].isdigit()
        ):
            starts[i] = 1  # "- LIBRETTO-001 is … - 68 percent ORR …": each item its own sentence
        if prev_text in CLOSING_QUOTES and i >= 2 and words[i - 2] in (".", "!", "?") and not spaced[i - 2]:
            first = word[:1]
            if first.isupper() or first in "“\"":
                starts[i] = 1  # "… for these patients.” These data were presented": the quote ends the sentence
            continue
        if prev_text in (".", "!", "?", "…") or (prev_text.endswith(".") and len(prev_text) > 1):
            if prev_text.endswith(".") and prev_text[:-1].lower() in ABBREVIATIONS:
                continue
            if prev_text == "." and i >= 2 and words[i - 2].lower() in ABBREVIATIONS:
                continue
            if prev_text == "." and i >= 2 and word[:1].isdigit() and (tail := GLUED_TAIL.search(words[i - 2])) and tail.group(0).lower() in MONTH_WORDS:
                continue  # "taking placeOct. 9-13": a feed lost the space before "Oct."
            if DOTTED_INITIALS.fullmatch(prev_text) and word.lower().rstrip(".") in MONTH_WORDS:
                continue  # "held in Washington, D.C. November 14–19": a place's initials, then the date
            first = word[:1]
            if first.isupper() or first.isdigit() or first in "“\"'(•":
                starts[i] = 1
    if english:
        _split_run_on_lists(words, starts, english)
    doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
    return doc


def _split_run_on_lists(words: list[str], starts, english: frozenset[str]) -> None:
    """Start a sentence at each new item of a run-together list (see RUN_ON_TOKENS)."""
    bounds = [i for i in range(len(words)) if starts[i] == 1] + [len(words)]
    for lo, hi in zip(bounds, bounds[1:]):
        tokens = [w for w in words[lo:hi] if not w.isspace()]
        if len(tokens) < RUN_ON_TOKENS or any(w in SENTENCE_MARKS or (len(w) > 1 and w.endswith(".")) for w in tokens):
            continue
        for i in range(lo + 1, hi - 1):
            before, word, after = words[i - 1], words[i], words[i + 1]
            if (word[:1].isupper() and word[1:].islower() and word.isalpha() and word.lower() in english
                    and before.isalpha() and before.islower() and before not in LIST_ITEM_NOT_AFTER
                    and after.isalpha() and after.islower()):
                starts[i] = 1


#: Rule labels the components read as lookup tables rather than match as spans.
LOOKUP_LABELS = ("CODE_PREFIX", "NOT_CODE_PREFIX", "NOT_DRUG_CODE", "NOT_TRIAL", "TRIAL_SERIES", "TARGET", "NOT_TARGET",
                 "NOT_COMPANY_WORD", "LYMPHODEPLETION")

# --- building ----------------------------------------------------------------------------------
def _package_version() -> str:
    try:
        return version("extractor")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def disease_norm_getter(base):
    """A word's NORM: spaCy's (lower case, unified quotes and dashes), with disease head nouns singular."""

    def norm(text: str) -> str:
        value = base(text)
        return DISEASE_PLURALS.get(value, value)

    return norm


def build_nlp(rules: RuleSet, rules_dir: str | None = None, *, fresh_tokenizer: bool = True) -> Language:
    nlp = spacy.blank("en")
    nlp.vocab.lex_attr_getters[NORM] = disease_norm_getter(nlp.vocab.lex_attr_getters[NORM])
    customize_tokenizer(nlp)
    nlp.add_pipe("biotech_sentences", config={"rules_dir": rules_dir})
    exact = nlp.add_pipe(
        "span_ruler", name="ruler_exact",
        config={"spans_key": "ruler", "validate": True, "overwrite": False, "phrase_matcher_attr": None},
    )
    lower = nlp.add_pipe(
        "span_ruler", name="ruler_lower",
        config={"spans_key": "ruler", "validate": True, "overwrite": False, "phrase_matcher_attr": "LOWER"},
    )
    diseases = nlp.add_pipe(
        "span_ruler", name="ruler_diseases",
        config={"spans_key": "ruler", "validate": True, "overwrite": False, "phrase_matcher_attr": "NORM"},
    )
    exact_patterns: list[dict[str, Any]] = []
    lower_patterns: list[dict[str, Any]] = []
    disease_patterns: list[dict[str, Any]] = []
    for entry in rules.patterns:
        if entry["label"] in LOOKUP_LABELS or entry["label"] in _events.EVENT_LABELS or "direction" in entry:
            continue  # lookup tables and context cues for the components, not matched as spans
        pattern = {"label": entry["label"], "pattern": entry["pattern"]}
        if "id" in entry:
            pattern["id"] = entry["id"]
        if isinstance(entry["pattern"], list) or entry.get("case_sensitive"):
            exact_patterns.append(pattern)
        elif entry["label"] == "INDICATION":
            disease_patterns.append(pattern)
        else:
            lower_patterns.append(pattern)
    # a curated rule names its surface over the generated vocabulary ("lupus" is SLE, not the class)
    curated = {(p["label"], p["pattern"].lower()) for p in (*lower_patterns, *disease_patterns) if isinstance(p["pattern"], str)}
    for name, label in (("drug_names.tsv", "DRUG_NAME"), ("drug_names_contextual.tsv", "DRUG_NAME_CONTEXTUAL"),
                        ("diseases.tsv", "INDICATION"), ("trial_acronyms.tsv", "TRIAL_NAME")):
        table = rules.gazetteers.get(name, {})
        target = exact_patterns if label == "TRIAL_NAME" else disease_patterns if label == "INDICATION" else lower_patterns
        target.extend(
            {"label": label, "pattern": surface, "id": norm}
            for surface, norm in table.items()
            if (label, surface.lower()) not in curated
        )
    # SpanRuler tokenizes phrase patterns by running every pipe before it: with the others off, a
    # pattern is only tokenized (the sentence splitter and earlier rulers need not see 100k phrases)
    # Each pattern's (label, id) is a key the PhraseMatcher makes a lexeme of, and a lexeme computes its
    # attributes (shape, like_num, …): made beforehand without them, tens of thousands of keys cost nothing.
    # Nothing reads a key's attributes; should SpanRuler name its keys otherwise, they are simply made as before.
    getters, nlp.vocab.lex_attr_getters = nlp.vocab.lex_attr_getters, {}
    try:
        for pattern in (*lower_patterns, *disease_patterns):
            nlp.vocab[repr((pattern["label"], pattern.get("id", "")))]
    finally:
        nlp.vocab.lex_attr_getters = getters
    tokenizer, nlp.tokenizer = nlp.tokenizer, PhraseTokenizer(nlp.tokenizer)
    try:
        for ruler, patterns in ((exact, exact_patterns), (lower, lower_patterns), (diseases, disease_patterns)):
            with nlp.select_pipes(enable=[ruler.name]):
                ruler.add_patterns(patterns)
    finally:
        nlp.tokenizer = tokenizer
    config = {"rules_dir": rules_dir}
    nlp.add_pipe("biotech_entities", config=config)
    nlp.add_pipe("biotech_quantities", config=config)
    nlp.add_pipe("biotech_relations", config=config)
    nlp.add_pipe("biotech_events", config=config)
    if fresh_tokenizer:
        # The tokenizer slows down ~5x after tokenizing thousands of phrase patterns: start afresh.
        customize_tokenizer(nlp)
    return nlp


class Extractor:
    """Articles in, facts out. Build once (``build_extractor``), use for many articles."""

    def __init__(self, nlp: Language, rules: RuleSet) -> None:
        self.nlp = nlp
        self.rules = rules
        self.rules_version = f"{_package_version()}+{rules.version}"

    def _doc(self, article: Article) -> Doc:
        """The article's tokens, carrying its sections for the components that read them."""
        doc = self.nlp.make_doc(article.text)
        doc._.source_text = article.text
        doc._.sections = article.sections
        doc._.published = article.published
        return doc

    def extract(self, article: Article) -> Facts:
        return self.to_facts(article, self.nlp(self._doc(article)))

    def extract_many(self, articles: Sequence[Article], batch_size: int = 16) -> list[Facts | Exception]:
        """Extract every article; an article that breaks the pipeline yields its exception."""
        try:
            docs = list(self.nlp.pipe((self._doc(a) for a in articles), batch_size=batch_size))
        except Exception:  # noqa: BLE001 - isolate the culprit below
            results: list[Facts | Exception] = []
            for article in articles:
                try:
                    results.append(self.extract(article))
                except Exception as exc:  # noqa: BLE001 - reported per document
                    results.append(exc)
            return results
        results = []
        for article, doc in zip(articles, docs, strict=True):
            try:
                results.append(self.to_facts(article, doc))
            except Exception as exc:  # noqa: BLE001 - reported per document
                results.append(exc)
        return results

    @staticmethod
    def to_facts(article: Article, doc: Doc) -> Facts:
        text = doc_text(doc)
        sents = Sentences(doc, text)
        facts = Facts()
        for cand in doc._.cands or []:
            facts.mentions.append(Mention(
                label=cand.label, text=text[cand.start : cand.end], norm=cand.norm, start=cand.start,
                end=cand.end, sentence=sents.sentence(cand.start), variant=cand.variant,
                section=article.section_at(cand.start),
            ))
        for d in doc._.doses or []:
            facts.doses.append(Dose(
                amount=d.amount, unit=d.unit, text=text[d.start : d.end], start=d.start, end=d.end,
                sentence=sents.sentence(d.start), amount_max=d.amount_max, frequency=d.frequency,
                duration=d.duration, dose_level=d.dose_level, drug=d.drug, regimen=d.regimen,
                section=article.section_at(d.start), arm=d.arm, basis=d.basis,
            ))
        for r in doc._.responses or []:
            facts.responses.append(Response(
                metric=r.metric, percent=r.percent, text=text[r.start : r.end], start=r.start, end=r.end,
                sentence=sents.sentence(r.start), n=r.n, total=r.total, population=r.population,
                dose_level=r.dose_level, drug=r.drug, trial=r.trial, section=article.section_at(r.start),
                arm=r.arm, partners=r.partners, basis=r.basis,
            ))
        for link in doc._.relations or []:
            spans = [s for s in (link.head_span, link.tail_span) if s is not None]
            facts.relations.append(Relation(
                kind=link.kind, head=link.head, tail=link.tail, sentence=_evidence(sents, spans),
                section=article.section_at(spans[-1][0]), basis=link.basis,
                head_start=link.head_span[0] if link.head_span else None, head_end=link.head_span[1] if link.head_span else None,
                tail_start=link.tail_span[0] if link.tail_span else None, tail_end=link.tail_span[1] if link.tail_span else None,
            ))
        for e in doc._.events or []:
            first, last = period(e.date) if e.date else (None, None)
            facts.events.append(Event(
                kind=e.kind, status=e.status, text=text[e.start : e.end], start=e.start, end=e.end,
                sentence=sents.sentence(e.start), detail=e.detail, drug=e.drug, trial=e.trial, indication=e.indication,
                agency=e.agency, date=e.date, date_text=e.date_text, date_precision=e.date_precision,
                date_start=first.isoformat() if first else None, date_end=last.isoformat() if last else None, amount=e.amount,
                upfront=e.upfront, milestones=e.milestones, currency=e.currency, section=article.section_at(e.start),
            ))
        return facts


def _evidence(sents: Sentences, spans: list[tuple[int, int]]) -> str:
    """The sentence naming both ends of a relation; two sentences, in text order, when each names one."""
    indexes = sorted({sents.index(start) for start, _ in spans})
    return " … ".join(sents.sentence(sents.starts[i] if sents.starts else 0) for i in indexes)


_EXTRACTORS: dict[str, Extractor] = {}


def build_extractor(rules_dir: str | Path | None = None) -> Extractor:
    """Load and validate the rules (``RuleError`` on a bad file), build the pipeline once."""
    key = str(Path(rules_dir).resolve()) if rules_dir else ""
    if key not in _EXTRACTORS:
        rules = load_rules_cached(rules_dir)
        _EXTRACTORS[key] = Extractor(build_nlp(rules, key or None), rules)
    return _EXTRACTORS[key]
