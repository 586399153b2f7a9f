"""Who a drug is in its sentence, and how far an attribution reaches: shared by the quantity and
relation components.

A value or a link is attributed only when the text ties it to a drug or trial. How it is tied is
its *basis*, from the strongest to the weakest:

* ``apposition`` — the two are one phrase ("anti-CD38 antibody daratumumab", "sotorasib (AMG 510)");
* ``clause`` — same clause of one sentence ("ALLO-316 reached an ORR of 38%");
* ``sentence`` — same sentence, another clause;
* ``paragraph`` — the paragraph's subject: the one drug (or trial) the paragraph has named so far;
* ``document`` — the document's subject: the one drug (or trial) its headline and body name;
* ``nearest`` — a rate's trial only: the nearest trial named before it, whose own sentences name
  the rate's drug;
* ``vocabulary`` — a vocabulary equates them (DrugBank lists a development code among a drug's synonyms).

A drug's *role* in its sentence decides whether it may be credited at all: a prior or background
therapy, a drug named as an example of a class, a comparator and a combination partner are never the
investigational drug a result, target or trial is credited to. The cue phrases are named data below.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable

from . import normalize as N
from .normalize import code_key
from .text import Cand

BASES = ("apposition", "clause", "sentence", "paragraph", "document", "nearest", "vocabulary")

#: Where a clause ends inside a sentence: the parts of "X reached 38%, compared with 12% for placebo".
CLAUSE_BREAK = re.compile(
    r"(?i);|:\s|\s[–—]\s|,\s(?=(?:while|whereas|but|compared|versus|vs\.?|relative|and\s(?:the|a|an|in|among|for)\b|"
    r"with\s(?:the\s)?(?:placebo|control)|respectively|including|which|where)\b)|\s(?=(?:versus|vs\.?|compared\s(?:with|to)|"
    r"whereas|while)\s)"
)
#: The words that set one arm against another; shared with the response arms of quantities.py.
COMPARISON = (r"versus|vs\.?|compared\s+(?:with|to)|relative\s+to|than|comparisons?\s+(?:with|to|against)|"
              # "superiority over placebo", not a duration ("infused over 30 minutes", "over time", "over a year")
              r"(?<!crossed\s)(?<!switched\s)over(?!\s+(?:\d|time|to\b|an?\s|(?:approximately|about|nearly|at\s+least|up\s+to|several|many)\b|"
              r"the\s+(?:course|past|next|last|first|following|entire|same)\b|(?:" + "|".join(N.WORD_NUMBERS) + r")\b))")
#: Another arm's choice of therapy: "investigator's choice", "physician's choice".
CHOICE = r"(?:investigator|physician)['’]?s['’]?\s+choice"
#: Before a drug: it is a comparator (the other arm), not the drug under study.
COMPARATOR_CUE = re.compile(
    r"(?i)\bcompar(?:es|ing|ed|e)\s+(?:[\w\-®()]+\s+){1,5}?(?:with|to|against)\s+(?:[\w\-]+\s+){0,2}$|"
    r"\b(?:" + COMPARISON + r"|active\s+comparator|control\s+arm\s+of|" + CHOICE + r"\s+of|standard[- ]of[- ]care|"
    r"switch(?:ed|ing)?\s+from(?!(?:\s+[\w\-]+){0,3}?\s+to\s+(?:[\w\-]+\s+){0,3}$)|against|"
    # a biosimilar's reference product: "a proposed biosimilar to Entyvio", "biosimilar candidate for Simponi"
    r"biosimilars?\s+(?:candidates?\s+|products?\s+|versions?\s+)?(?:to|for|of|referencing))\s+(?:[\w\-]+\s+){0,3}$"
)
#: Before a drug: a second comparator of the same verb after placebo or the standard of care ("compared the effects of
#: Mounjaro 15 mg to placebo and to injectable semaglutide"; not "compared with 2023 … and to support ZX-101 trials").
SECOND_COMPARATOR_CUE = re.compile(r"(?i)\bcompar(?:es|ing|ed|e)\b[^.;]{1,80}?\s(?:with|to|against)\s+(?:the\s+)?(?:matching\s+)?"
                                   r"(?:placebo|vehicle|standard[- ]of[- ]care|active\s+control)\s+(?:and|or)\s+(?:with|to|against)\s+"
                                   r"(?:[\w\-]+\s+){0,2}$")
#: After a drug: the text names it the comparator ("meropenem, the active comparator", "placebo (comparator arm)").
COMPARATOR_AFTER = re.compile(r"(?i)\s*(?:,\s*(?:the|an?)\s+|\(\s*(?:the\s+)?|\s+as\s+(?:the\s+|an?\s+)?)(?:active\s+)?(?:comparator|control|reference\s+product)\b")
#: Before a drug: it is named as an example of a class ("PD-1 inhibitors such as pembrolizumab").
EXAMPLE_CUE = re.compile(r"(?i)\b(?:such\s+as|e\.g\.,?|i\.e\.,?|like|including)\s+(?:[\w\-]+\s+){0,2}$")
#: Before a drug: a partner of the drug named before it ("QRN-6120 plus cetuximab").
PARTNER_GAP = re.compile(r"(?i)^\s*(?:\([^)]{0,25}\)\s*)?(?:,\s*)?(?:plus|\+|/|with|in\s+combination\s+with|combined\s+with|"
                         r"added\s+to|on\s+top\s+of|together\s+with|or\s+without)\s+(?:an?\s+|the\s+)?$")
#: Drugs joined by a hyphen name one regimen: "KEYTRUDA-pemetrexed-platinum chemotherapy".
REGIMEN_HYPHENS = frozenset({"-", "–", "‑"})
PARTNER_CUE = re.compile(r"(?i)\b(?:in\s+combination\s+with|combined\s+with|added\s+to|on\s+top\s+of|together\s+with|plus|with\s+or\s+without|"
                         r"(?:administered|given|co-?administered|dosed)\s+(?:together\s+)?with|"
                         r"in\s+addition\s+to|co-?administered\s+with|"
                         r"maintenance\s+(?:therapy\s+|treatment\s+)?with)\s+(?:(?:an?|the|their|its|respective|other|standard)\s+){0,3}"
                         r"(?:[\w\-]+\s+){0,3}$")
ALIAS_GAP = re.compile(
    r"^\s*(?:[\(\[]\s*(?:(?:also\s+known\s+as|formerly(?:\s+known\s+as)?|previously(?:\s+known\s+as)?|now(?:\s+known\s+as)?|"
    r"aka|a\.k\.a\.|developmental\s+code:?|code(?:\s+name)?:?)\s+)?"
    r"|(?P<said>\)?,?\s*(?:(?:also|formerly|previously|now)\s+)?(?:known|referred\s+to|designated)\s+(?:[a-z]+\s+){0,3}?as\s+"
    r"|,?\s*formerly\s+))$",
    re.I,
)
#: Evidence that is no trial's: "a real-world analysis", "a retrospective registry study", "pooled data".
OTHER_EVIDENCE = re.compile(r"(?i)\b(?:real[- ]world|retrospective|registry|pooled|integrated|post[- ]hoc|meta-analys[ie]s|historical(?:ly)?)\b")
#: A sentence about a study it does not name: its results are not a named trial's.
UNNAMED_STUDY = re.compile(r"(?i)\b(?:an?|another|a\s+separate|one|two|three|several|other)\s+(?:[\w\-/,]+\s+){0,5}?"
                           r"(?:study|studies|trials?)\b")
#: Two drugs in one list: "abiraterone and prednisone", "paclitaxel, carboplatin".
COORDINATION = re.compile(r"(?i)\s*(?:,|,?\s+and|,?\s+or|/)\s*")
#: Sections whose drug mentions are not the document's subject (labels, product lists, disclaimers).
NOT_SUBJECT_SECTIONS = frozenset({"about", "safety", "indications", "references", "forward_looking", "contacts"})


#: A paragraph that is a heading: one short line without a full stop at its end.
HEADING = re.compile(r"[^\n]{3,100}(?<![.:;,])")
#: How many paragraphs under a heading a passage may run.
PASSAGE_PARAGRAPHS = 3


def roles_of(text: str, drugs: list[Cand], sentence_start: Callable[[int], int]) -> dict[int, str | None]:
    """Each drug's role, keyed by its start: ``background``, ``example``, ``comparator``, ``partner``, or
    None for a drug that may be credited. One pass in text order, so a list of any length sharing
    its first drug's role costs one look at each drug."""
    ordered = sorted(drugs, key=lambda d: d.start)
    roles: dict[int, str | None] = {}
    for index, cand in enumerate(ordered):
        roles[cand.start] = _role(text, ordered, index, sentence_start(cand.start), roles)
    return roles


def _role(text: str, drugs: list[Cand], index: int, sentence_start: int, known: dict[int, str | None]) -> str | None:
    cand = drugs[index]
    if "CONTEXT_PRIOR" in cand.context:
        return "background"
    previous = next((drugs[i] for i in range(index - 1, -1, -1) if drugs[i].end <= cand.start), None)
    if previous is not None and previous.start >= sentence_start and re.fullmatch(r"[®™\s]*[(\[]\s*", text[previous.end : cand.start]):
        return known[previous.start]  # "ERBITUX® (cetuximab)": one drug, one role
    if previous is not None and previous.start >= sentence_start and COORDINATION.fullmatch(text[previous.end : cand.start]):
        shared = known[previous.start]
        if shared is not None:
            return shared  # "with abiraterone and prednisone": a list shares its role
    before = text[max(sentence_start, cand.start - 60) : cand.start]
    if re.search(r"[\w\-]{3,}\s?[/+]\s?$", before):
        return "partner"  # "eseba-vec/pembrolizumab": joined to a drug the lexicon does not know
    if _in_both_arms(text, cand, sentence_start):
        return "background"
    if EXAMPLE_CUE.search(before):
        return "example"
    if COMPARATOR_CUE.search(before) or COMPARATOR_AFTER.match(text, cand.end) or SECOND_COMPARATOR_CUE.search(text, max(sentence_start, cand.start - 200), cand.start):
        return "comparator"
    earlier = next((drugs[i] for i in range(index - 1, -1, -1)
                    if drugs[i].end <= cand.start and drugs[i].norm != cand.norm), None)
    if earlier is not None and earlier.end >= sentence_start and PARTNER_GAP.match(re.sub(r"\s*\([^)]{1,25}\)", "", text[earlier.end : cand.start])):
        return "partner"
    if earlier is not None and text[earlier.end : cand.start] in REGIMEN_HYPHENS:
        return "partner"  # "the sintilimab-pemetrexed-platinum combination": a regimen named by its drugs, the first leading
    if PARTNER_CUE.search(before):
        return "partner"
    return None


#: How far before a drug "placebo plus <drug>" is looked for (bounds the cost in a very long sentence).
ARMS_WINDOW = 1000


#: The shapes of a drug every arm gets, for one drug's surface ({name}); each compiled once per surface.
ARM_SHAPES = {
    "versus": r"(?i)(?:plus|\+|with)\s+(?:\w+\s+){{0,3}}?{name}\b(?:[^.;]|\.\d){{0,120}}?\b(?:vs\.?|versus|compared\s+(?:with|to)|in\s+comparison\s+(?:with|to))"
              r"\s+(?:\w+\s+){{0,3}}?{name}\b",
    # "evaluated ALIMTA in combination with KEYTRUDA … compared with ALIMTA in combination with placebo": the drug
    # that leads both arms
    "leads": r"(?i)(?<![\w\-]){name}\s+(?:plus|\+|with|in\s+combination\s+with)\b(?:[^.;]|\.\d){{0,120}}?\b(?:vs\.?|versus|"
             r"compared\s+(?:with|to)|in\s+comparison\s+(?:with|to))\s+(?:the\s+)?{name}\s+(?:plus|\+|with|in\s+combination\s+with)\b",
    "placebo_plus": r"(?i)\b(?:placebo|vehicle)\s+(?:plus|with|\+|in\s+combination\s+with)\s+(?:\w+\s+){{0,3}}?{name}",
    "or_placebo": r"(?i)\bor\s+(?:matching\s+)?(?:placebo|vehicle)\b[^.;]{{0,120}}?\bin\s+combination\s+with\s+(?:\w+\s+){{0,4}}?{name}",
    # "KEYTRUDA plus 5-FU and cisplatin … versus … patients treated with 5-FU and cisplatin alone"
    "alone": r"(?i)(?:plus|\+|with)\s+(?:[\w\-]+\s+){{0,3}}?{name}\b(?:[^.;]|\.\d){{0,200}}?\b{name}\s+alone\b",
}
PLACEBO_WORD = re.compile(r"(?i)\b(?:placebo|vehicle)\b")
VERSUS_WORD = re.compile(r"(?i)\b(?:vs|versus|compared|comparison)\b")


@functools.lru_cache(maxsize=4096)
def _arm_shape(shape: str, name: str) -> re.Pattern[str]:
    return re.compile(ARM_SHAPES[shape].format(name=re.escape(name)))


def _in_both_arms(text: str, cand: Cand, sentence_start: int) -> bool:
    """A drug every arm gets: "KEYTRUDA plus enzalutamide versus placebo plus enzalutamide", "Verzenio plus
    fulvestrant vs fulvestrant", "Verzenio or placebo … given in combination with either anastrozole or letrozole"."""
    window = text[max(sentence_start, cand.start - ARMS_WINDOW) : cand.end + 200]
    name = text[cand.start : cand.end]
    twice = window.lower().count(name.lower()) > 1
    if twice and VERSUS_WORD.search(window) and (_arm_shape("versus", name).search(window) or _arm_shape("leads", name).search(window)):
        return True
    if twice and _arm_shape("alone", name).search(window):
        return True  # "… combining V940 with KEYTRUDA may provide a benefit over KEYTRUDA alone": no comparison word needed
    if not PLACEBO_WORD.search(window):
        return False
    return bool(_arm_shape("placebo_plus", name).search(window) or _arm_shape("or_placebo", name).search(window))


def clause_bounds(text: str, sentence: tuple[int, int], offset: int) -> tuple[int, int]:
    """The clause of ``sentence`` that holds ``offset``."""
    start, end = sentence
    starts, ends = _clause_breaks(text)
    before = bisect.bisect_right(ends, offset) - 1  # the last break ending at or before offset
    if before >= 0 and ends[before] > start:
        start = ends[before]
    after = bisect.bisect_left(starts, offset)  # the first break starting at or after offset
    if after < len(starts) and starts[after] < end and ends[after] <= end:
        end = starts[after]
    return start, end


def same_clause(text: str, a: int, b: int) -> bool:
    """No clause break between offsets ``a`` and ``b`` (one sentence)."""
    lo, hi = min(a, b), max(a, b)
    starts, ends = _clause_breaks(text)
    first = bisect.bisect_left(starts, lo)
    return not (first < len(starts) and ends[first] <= hi)


@functools.lru_cache(maxsize=4)
def _clause_breaks(text: str) -> tuple[list[int], list[int]]:
    """Where the text's clause breaks start and end, found once per document (the components ask
    about many pairs of offsets; searching the stretch between them each time grew with its length)."""
    matches = list(CLAUSE_BREAK.finditer(text))
    return [m.start() for m in matches], [m.end() for m in matches]


def sentence_basis(text: str, a: int, b: int) -> str:
    return "clause" if same_clause(text, a, b) else "sentence"


class Paragraphs:
    """Paragraph lookups by offset (paragraphs split on blank lines)."""

    def __init__(self, bounds: list[tuple[int, int]]) -> None:
        self.bounds = bounds
        self.starts = [a for a, _ in bounds]

    def index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def span(self, offset: int) -> tuple[int, int]:
        return self.bounds[self.index(offset)] if self.bounds else (0, offset + 1)

    def passage_start(self, text: str, offset: int) -> int:
        """Start of the passage ``offset`` belongs to: the heading above it ("ALLO-316 in renal cell
        carcinoma") when one stands at most PASSAGE_PARAGRAPHS paragraphs up, else the paragraph before
        its own (a release introduces a trial, then reports its results)."""
        if not self.bounds:
            return 0
        index = self.index(offset)
        for back in range(index - 1, max(-1, index - PASSAGE_PARAGRAPHS - 1), -1):
            a, b = self.bounds[back]
            if HEADING.fullmatch(text[a:b].strip()):
                return a
        return self.bounds[max(0, index - 1)][0]


#: Quoted speech within a paragraph: “…” or "…", said by someone (a speech verb just before or after it). What an
#: investigator says in passing ("Today's ADhere data, together with results from the ADvocate studies, …," said
#: Dr. Roe) does not make the paragraph about a trial.
QUOTATION = re.compile(r"“[^“”\n]{10,1500}”|\"[^\"\n]{10,1500}\"")
SPEECH_AFTER = re.compile(r"\s*(?:[,.]\s*)?(?:said|says|commented|added|noted|stated|explained|according\s+to)\b", re.I)
SPEECH_BEFORE = re.compile(r"\b(?:said|says|commented|added|noted|stated|explained)\s*[,:]?\s*$", re.I)


def quotations(text: str) -> list[tuple[int, int]]:
    """The spans of quoted speech: a quotation with a speech verb beside it (not a quoted title)."""
    return [(m.start(), m.end()) for m in QUOTATION.finditer(text)
            if SPEECH_AFTER.match(text, m.end()) or SPEECH_BEFORE.search(text, max(0, m.start() - 30), m.start())]


def subject(cands: list[Cand], lo: int, hi: int, same: dict[str, str] | None = None) -> Cand | None:
    """The one thing named in ``[lo, hi)``: its last mention when every candidate there has one norm
    (``same`` maps each of a drug's names to one, so "sotorasib (AMG 510)" names one drug)."""
    inside = [c for c in cands if lo <= c.start < hi]
    if inside and len({(same or {}).get(c.norm, c.norm) for c in inside}) == 1:
        return inside[-1]
    return None


def is_product(text: str, drug: Cand) -> bool:
    """Whether a drug mention names a product of its own: a development code or a brand ("LENVIMA"), not
    a generic name written as its INN ("pemetrexed") — a combination's partner that is a product shares
    the regimen's disease and events; a generic backbone does not. A generic keeps its name inside a longer
    spelling ("5-fluorouracil", "nab-paclitaxel", "insulin lispro-aabc"); a brand does not."""
    return drug.label == "DRUG_CODE" or drug.norm not in text[drug.start : drug.end].lower()


def numbered_by_stem(trials: set[str]) -> dict[str, list[str]]:
    """Each trial under every stem it extends by 1-4 digits and an optional letter ("LIBRETTO001" under
    "LIBRETTO", "LIBRETTO0", "LIBRETTO00"), stems as :func:`code_key` spells them: one pass, not a
    comparison of every pair."""
    by_stem: dict[str, list[str]] = {}
    for trial in trials:
        key = code_key(trial)
        body = key[:-1] if key[-1:].isalpha() and key[-2:-1].isdigit() else key
        for cut in range(1, 5):
            if len(body) > cut and body[-cut:].isdigit():
                by_stem.setdefault(body[:-cut], []).append(trial)
    return by_stem


def same_series(trials: set[str]) -> dict[str, str]:
    """A trial series' short name -> the one numbered trial of it the document names: "LIBRETTO" ->
    "LIBRETTO-001" (a number only: "BRUIN MCL-321" is another trial than BRUIN). A series with two
    numbered trials stays itself."""
    by_stem = numbered_by_stem(trials)
    out = {}
    for short in trials:
        longer = [t for t in dict.fromkeys(by_stem.get(code_key(short), [])) if t != short]
        if len(longer) == 1:
            out[short] = longer[0]
    return out


def _code_prefix(code: str) -> str:
    return re.match(r"[A-Za-z]*", code).group(0).upper()


def alias_pairs(text: str, drugs: list[Cand]) -> list[tuple[Cand, Cand]]:
    """Neighbouring drug mentions the text equates: "sotorasib (AMG 510)", "X, also known as Y", "mRNA-4157/V940"."""
    pairs = []
    for a, b in zip(drugs, drugs[1:], strict=False):
        if a.label == b.label == "DRUG_CODE" and text[a.end : b.start] == "/" and a.norm != b.norm:
            # "mRNA-4157/V940": one drug under its two companies' codes (different prefixes); "ABC-123/ABC-124" are
            # one company's two drugs, given together
            if _code_prefix(a.norm) != _code_prefix(b.norm):
                pairs.append((a, b))
            continue
        gap = ALIAS_GAP.match(text[a.end : b.start])
        if a.norm != b.norm and gap and (gap.group("said") or re.match(r"\s*[\)\],;]|\s*$", text[b.end : b.end + 2])):
            pairs.append((a, b))
    return pairs


def same_drug(text: str, drugs: list[Cand], code_aliases: dict[str, str]) -> dict[str, str]:
    """norm -> one name for every name of a drug: the text's equations, and DrugBank's codes."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for a, b in alias_pairs(text, drugs):
        union(a.norm, b.norm)
    for cand in drugs:
        if cand.label == "DRUG_CODE":
            inn = code_aliases.get(code_key(cand.norm))
            if inn:
                union(cand.norm, inn)
    return {x: find(x) for x in parent}


def opening_end(text: str) -> int:
    """End of the headline plus the first body paragraph (the dateline paragraph of a release)."""
    first = text.find("\n\n")
    if first == -1:
        return min(len(text), 600)
    second = text.find("\n\n", first + 2)
    return min(second if second != -1 else len(text), first + 2 + 800)


#: A company's stock ticker after its name: "Allogene Therapeutics, Inc. (Nasdaq: ALLO)", "Nuvectis Pharma’s (NASDAQ:
#: NVCT)" (a possessive may stand between), "Akeso (HKEX: 9926)".
TICKER_AFTER = re.compile(r"(?:['’]s?)?\s*,?\s*(?:Inc\.|Ltd\.)?\s*\((?:NASDAQ|Nasdaq|NYSE|HKEX|TSX|ASX|OTC[A-Z]*|LSE)[^:)]{0,20}:\s*(?P<ticker>[A-Z0-9]{1,6})")


def issuer_of(text: str, cands: list[Cand]) -> Cand | None:
    """The company a release is from: the one named with a stock ticker; failing that, the first
    company of the opening paragraph."""
    companies = [c for c in cands if c.label == "COMPANY"]
    for cand in companies:
        if TICKER_AFTER.match(text, cand.end):
            return cand
    opening = opening_end(text)
    return next((c for c in companies if c.start < opening), None)
