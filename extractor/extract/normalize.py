"""Pure functions that turn surface forms into normalised values. Standard library only."""

from __future__ import annotations

import math
import re

# --- drug codes ------------------------------------------------------------------------



def drug_code_norm(text: str) -> str:
    """A code as its sponsor writes it ('AMG 510', 'LY3537982', 'mRNA-4157'): only dash variants and runs of
    spaces are unified. Comparisons go through :func:`code_key`, which ignores case, spaces and hyphens."""
    return re.sub(r"[‐‑‒–]", "-", re.sub(r"\s+", " ", text.strip()))


def disease_label(name: str) -> str:
    """The one spelling of a disease name: lower case, one apostrophe, single spaces (as the gazetteer builder writes them)."""
    return re.sub(r"\s+", " ", name.strip().lower().replace("’", "'").replace("`", "'"))


def disease_singular(label: str) -> str:
    """'myelodysplastic syndromes' → 'myelodysplastic syndrome': a disease's norm names it in the singular."""
    return re.sub(
        r"(disorder|disease|cancer|tumou?r|infection|syndrome|deficienc(?=ies))(s|ies)$",
        lambda m: m.group(1) + ("y" if m.group(2) == "ies" else ""),
        label,
    )


#: One qualifying word, then "forms of" and the disease: the qualified disease ("severe forms of asthma").
FORMS_OF = re.compile(r"^([a-z][\w\-]*) forms? of ")


def disease_norm(name: str, table: dict[str, str]) -> str:
    """A disease's norm: the vocabulary's preferred label for its spelling (singular or as written), else
    its own words in the singular. The extractor and the eval both name diseases through this."""
    label = disease_label(name)
    if label in table:
        return table[label]
    label = FORMS_OF.sub(r"\1 ", label)  # "relapsing forms of multiple sclerosis" is relapsing multiple sclerosis
    if label in table:
        return table[label]
    singular = disease_singular(label)
    if singular in table:
        return table[singular]
    spelled = by_spelling(table).get(spelling_key(singular))
    if spelled is not None:  # "metabolic-dysfunction associated steatohepatitis": the vocabulary's name, hyphened apart
        return spelled
    return _modified_disease(singular, table) or singular


def spelling_key(label: str) -> str:
    """A name with hyphens and spaces alike: 'metabolic-dysfunction associated' and 'metabolic dysfunction-associated'
    are one spelling."""
    return re.sub(r"[\s\-‐‑–]+", " ", label)


_SPELLINGS: list[tuple[dict[str, str], dict[str, str]]] = []  # (table, its names by spelling key); one per table


def by_spelling(table: dict[str, str]) -> dict[str, str]:
    for known, index in _SPELLINGS:
        if known is table:
            return index
    index: dict[str, str] = {}
    for name, norm in table.items():
        index.setdefault(spelling_key(name), norm)
    _SPELLINGS[:] = [*_SPELLINGS[-3:], (table, index)]
    return index


#: Generic heads a modifier never narrows into a named disease by this route ("rare disease").
GENERIC_DISEASE_HEADS = frozenset({"cancer", "disease", "diseases", "tumor", "tumors", "syndrome", "disorder", "infection",
                                   "condition", "conditions", "illness", "carcinoma", "neoplasm"})


#: Words that are a fragment of a longer name, never a modifier on their own ("cell" of "clear cell RCC").
PREFIX_FRAGMENTS = frozenset({"cell", "cells", "type", "grade", "stage", "phase", "and", "or", "of", "the"})


def _modified_disease(label: str, table: dict[str, str]) -> str | None:
    """A known disease behind one or two modifiers, under its norm: "squamous NSCLC" and "squamous
    non-small cell lung cancer" are both "squamous lung non-small cell carcinoma"."""
    words = label.split()
    for i in (1, 2):
        rest = " ".join(words[i:])
        if len(words) > i and rest in table and rest not in GENERIC_DISEASE_HEADS and not PREFIX_FRAGMENTS & set(words[:i]):
            return " ".join(MODIFIER_SPELLINGS.get(w, w) for w in words[:i]) + " " + table[rest]
    return None


#: One spelling per modifier in a disease's norm.
MODIFIER_SPELLINGS = {"non-squamous": "nonsquamous", "non-small-cell": "non-small cell"}


#: Spellings of one disease word: "carcinoma" and "cancer" name one thing in a disease's words.
DISEASE_WORD_FORMS = {"carcinoma": "cancer", "carcinomas": "cancer", "cancers": "cancer", "neoplasm": "cancer",
                      "tumour": "tumor", "tumors": "tumor", "tumours": "tumor", "leukaemia": "leukemia",
                      "haematologic": "hematologic", "oesophageal": "esophageal"}


#: Words for a disease's stage or course, not a kind of it: "refractory multiple myeloma" is multiple myeloma.
DISEASE_STATE_WORDS = frozenset({
    "relapsed", "refractory", "recurrent", "metastatic", "advanced", "unresectable", "resectable", "locally",
    "early", "late", "stage", "newly", "diagnosed", "previously", "treated", "untreated", "progressive", "persistent",
    "severe", "moderate", "mild", "moderate-to-severe", "high-risk", "higher-risk", "lower-risk",
})


def disease_words(norm: str) -> list[str]:
    """A disease norm's words, one spelling each ("lung non-small cell carcinoma" → lung, non-small, cell, cancer)."""
    return [DISEASE_WORD_FORMS.get(w, w) for w in re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", norm.lower().replace("'s", ""))]


def broader_disease(a: str, b: str) -> bool:
    """Whether disease ``a`` is a broader name of disease ``b``: its words are some of b's, with the same head
    ("lung cancer" of "non-small cell lung cancer", "macroglobulinemia" of "waldenstrom's macroglobulinemia")."""
    wa, wb = disease_words(a), disease_words(b)
    return bool(wa) and bool(wb) and wa[-1] == wb[-1] and set(wa) < set(wb) and bool(set(wb) - set(wa) - DISEASE_STATE_WORDS)


def squash(name: str) -> str:
    """Spelling-free key for multi-word names: case, spaces and hyphens do not count."""
    return re.sub(r"[^a-z0-9α-ω]", "", name.lower())


def code_key(text: str) -> str:
    """Spelling-free key for comparing codes and trial names: 'AMG 510' == 'AMG-510' == 'amg510'."""
    return re.sub(r"[\s\-‐‑‒–—_.]", "", text).upper()


# --- trials, phases, companies -----------------------------------------------------------


def trial_norm(text: str) -> str:
    """'CheckMate 227' → 'CHECKMATE-227'; 'DESTINY-Breast03' → 'DESTINY-BREAST03'."""
    text = re.sub(r"[\s\-‐‑‒–—]+", "-", text.strip())
    return text.upper()


_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}


def phase_norm(text: str) -> str | None:
    """'Phase I/II' → '1/2'; 'phase 1b' → '1b'; 'Phase 2/Phase 3' → '2/3'; 'Ph1b/2' → '1b/2'."""
    body = re.sub(r"(?i)\bph(?:ase)?\.?", " ", text)
    parts = re.findall(r"(?i)\b(iv|iii|ii|i|[1-4])([ab])?\b", body.replace("/", " / ").replace("-", " / "))
    if not parts:
        return None
    values = [(_ROMAN.get(num.lower(), num) + (sub or "").lower()) for num, sub in parts[:2]]
    if len(values) == 2 and values[0] == values[1]:
        values = values[:1]
    return "/".join(values)


#: A company's legal form ("Inc", "S.A", "GmbH", "Co., Ltd"), without its closing full stop.
LEGAL_FORM = (r"(?:Inc|Incorporated|Corp|Corporation|Co|Ltd|Limited|LLC|L\.L\.C|plc|PLC|AG|SE|S\.A|SA|N\.V|NV|"
              r"GmbH|AB|ASA|A/S|BV|B\.V|Oy|SpA|S\.p\.A|K\.K|KK|Holdings|Company|Co\.,\s*Ltd)")
_LEGAL_SUFFIX = re.compile(r"(?:,?\s+" + LEGAL_FORM + r"\.?)+$")


def company_norm(text: str) -> str:
    """'Allogene Therapeutics, Inc.' → 'Allogene Therapeutics'."""
    text = re.sub(r"\s+", " ", text.strip().rstrip(",")).replace("’", "'")
    text = re.sub(r"'s?$", "", text)  # "Bristol Myers Squibb's" → "Bristol Myers Squibb"
    previous = None
    while previous != text:
        previous = text
        text = _LEGAL_SUFFIX.sub("", text).strip().rstrip(",")
    return re.sub(r"^The\s+", "", text)


def inn_norm(text: str) -> str:
    """'fam-trastuzumab deruxtecan-nxki' → 'trastuzumab deruxtecan'."""
    text = re.sub(r"\s+", " ", text.strip().lower())
    text = re.sub(r"^fam-", "", text)
    return re.sub(r"-[a-z]{4}$", "", text)


# --- numbers -----------------------------------------------------------------------------

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100,
}
SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def word_number(text: str) -> int | None:
    """'Twenty-nine' → 29; 'eight' → 8; '12' → 12."""
    text = text.strip().lower().replace(",", "")
    if text.isdigit():
        return int(text)
    total = 0
    for part in re.split(r"[\s\-]+", text):
        if part not in WORD_NUMBERS:
            return None
        total += WORD_NUMBERS[part]
    return total or None


_EXP = re.compile(
    r"^(?P<mant>\d+(?:\.\d+)?)?\s*(?:[x×*]\s*)?10\s*(?:\^|\*\*|E)\s*(?P<exp>[-−]?\d{1,2})$", re.I
)


#: The largest amount a dose can be (cells and vector genomes reach 10^16): beyond it a number is not a fact.
MAX_AMOUNT = 1e18


def parse_amount(text: str) -> float | None:
    """'80 million' → 8e7; '1x10^8' → 1e8; '2.0 x 10^14' → 2e14; '1,000' → 1000; '0.5' → 0.5.
    None when the text is no number or one outside any plausible dose (0 < amount ≤ MAX_AMOUNT)."""
    value = _parse_amount(text)
    if value is None or not math.isfinite(value) or not 0 < value <= MAX_AMOUNT:
        return None
    return value


def _parse_amount(text: str) -> float | None:
    if len(text) > 60:
        return None  # "9999…" (hundreds of digits): no dose is written so
    text = text.strip().replace("−", "-")
    match = _EXP.match(text)
    if match:
        mant = float(match.group("mant")) if match.group("mant") else 1.0
        return mant * 10 ** int(match.group("exp").replace("−", "-"))
    match = re.match(r"^(\d+(?:,\d{3})*(?:\.\d+)?)\s*(thousand|million|billion|trillion)?$", text, re.I)
    if match:
        value = float(match.group(1).replace(",", ""))
        if match.group(2):
            value *= SCALE_WORDS[match.group(2).lower()]
        return value
    number = word_number(text)
    return float(number) if number is not None else None


# --- units, frequencies, metrics -------------------------------------------------------------

UNITS = {
    "mg": "mg", "milligram": "mg", "milligrams": "mg", "g": "g", "gram": "g", "grams": "g",
    "ug": "ug", "µg": "ug", "μg": "ug", "mcg": "ug", "microgram": "ug", "micrograms": "ug",
    "ng": "ng", "nanogram": "ng", "nanograms": "ng",
    "ml": "mL", "mL": "mL", "iu": "IU", "IU": "IU", "u": "U", "U": "U", "units": "U",
    "cells": "cells", "vg": "vg", "vector genomes": "vg", "gc": "vg", "genome copies": "vg",
}
BASIS = {"kg": "kg", "kilogram": "kg", "m2": "m2", "m²": "m2"}


def unit_norm(unit: str, basis: str | None = None) -> str | None:
    base = UNITS.get(unit) or UNITS.get(unit.lower())
    if base is None:
        return None
    if basis:
        b = BASIS.get(basis.lower())
        if b is None:
            return None
        return f"{base}/{b}"
    return base


FREQUENCIES = [
    (r"\b(?:once[ -]daily|once a day|daily|QD|per day|/day|/d|a day|each day|every day)\b", "daily"),
    (r"\b(?:twice[ -]daily|twice a day|BID|b\.i\.d\.)\b", "twice daily"),
    (r"\b(?:three times daily|TID)\b", "three times daily"),
    (r"\b(?:once[ -]weekly|weekly|QW|Q1W|every week|once a week)\b", "weekly"),
    (r"\b(?:every two weeks|every 2 weeks|Q2W|biweekly)\b", "Q2W"),
    (r"\b(?:every three weeks|every 3 weeks|Q3W)\b", "Q3W"),
    (r"\b(?:every four weeks|every 4 weeks|Q4W|monthly|once a month|once-monthly)\b", "Q4W"),
    (r"\b(?:every six weeks|every 6 weeks|Q6W)\b", "Q6W"),
    (r"\b(?:every eight weeks|every 8 weeks|Q8W)\b", "Q8W"),
    (r"\b(?:every 12 weeks|every twelve weeks|Q12W|quarterly)\b", "Q12W"),
    (r"\b(?:single dose|one-time|once)\b", "single dose"),
]
_FREQUENCY_RES = [(re.compile(pattern, re.I), value) for pattern, value in FREQUENCIES]


def frequency_norm(text: str) -> str | None:
    """The first frequency ``text`` states; of two starting together, the longer ("twice daily", not "daily")."""
    found = []
    for pattern, value in _FREQUENCY_RES:
        m = pattern.search(text)
        if m:
            found.append((m.start(), -len(m.group(0)), value))
    return min(found)[2] if found else None


METRICS = {
    "orr": "ORR", "overall response rate": "ORR", "objective response rate": "ORR",
    "response rate": "ORR", "overall response": "ORR", "objective response": "ORR",
    "cr": "CR", "complete response": "CR", "complete response rate": "CR", "complete remission": "CR",
    "crr": "CR", "cr rate": "CR", "pr": "PR", "partial response": "PR",
    "dcr": "DCR", "disease control rate": "DCR", "disease control": "DCR",
    "cbr": "CBR", "clinical benefit rate": "CBR",
    "mrd": "MRD", "mrd negativity": "MRD", "mrd-negative": "MRD", "mrd negative": "MRD",
    "minimal residual disease": "MRD", "measurable residual disease": "MRD",
    "vgpr": "VGPR", "very good partial response": "VGPR",
    "scr": "sCR", "stringent complete response": "sCR",
    "mmr": "MMR", "major molecular response": "MMR",
    "pcr": "PCR", "pathologic complete response": "PCR", "pathological complete response": "PCR",
    # a dermatology trial's primary measure written out: IGA 0 or 1
    "clear or almost clear skin": "IGA01",
}

#: A rate as a value: "34%", "51 percent", "12 per cent".
PERCENT_VALUE = re.compile(r"(?<![\w.])(?P<p>\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b|per\scent\b)")
#: A response metric as written: "ORR", "complete response", "EASI-75", "IGA 0/1".
_METRIC_WORDS = sorted(METRICS, key=len, reverse=True)
METRIC_RE = re.compile(
    r"(?<![\w\-])(?:(?:best|confirmed|unconfirmed|overall|objective)\s)?"
    r"(?P<m>(?:v?IGA(?:-AD)?|s?PGA)\s?0\s?(?:/|,|or)\s?1(?![\d.])|"  # "IGA 0/1", "sPGA 0,1": clear or almost clear
    r"(?:ACR|PASI|EASI|SRI|BVAS|IGA)[\s\-]?\d{1,3}(?:\s(?:response|remission)(?:\srates?)?)?|"
    r"SALT\s?(?:≤|<=|<)?\s?\d{1,2}(?!\d)|"  # alopecia: "SALT ≤20", a score of at most 20
    # written out, with the score it stands for when one follows: "clear or almost clear skin (PASI 90)"
    r"clear\sor\salmost\sclear\sskin(?:\s?\(\s?(?:PASI[\s\-]?\d{2,3}|(?:v?IGA|s?PGA)\s?0\s?(?:/|,|or)\s?1)\s?\))?|"
    + "|".join(re.escape(w) for w in _METRIC_WORDS if len(w) > 3)
    + r"|ORR|CRR|DCR|CBR|MRD|VGPR|sCR|MMR|pCR|CR|PR)(?-i:(?<=[a-z])s)?(?![\w])",
    re.I,
)


def metric_norm(text: str) -> str | None:
    """'objective response rate' → 'ORR'; 'PASI 90' → 'PASI90'; 'ACR20' → 'ACR20'; 'IGA 0/1' → 'IGA01'."""
    key = re.sub(r"\s+", " ", text.strip().lower().replace("-", " ").replace("  ", " "))
    key = key.replace("mrd negative", "mrd-negative")
    score = re.fullmatch(r"clear or almost clear skin\s?\((.+)\)", key)
    if score:  # "clear or almost clear skin (PASI 90)": the score named
        return metric_norm(score.group(1))
    if key in METRICS:
        return METRICS[key]
    clear = re.fullmatch(r"v?(iga)(?: ad)?\s?0\s?(?:/|,|or)\s?1|(s?pga)\s?0\s?(?:/|,|or)\s?1", key)
    if clear:  # "IGA 0/1", "vIGA-AD 0,1", "sPGA 0 or 1": clear or almost clear skin
        return f"{(clear.group(1) or clear.group(2)).upper()}01"
    match = re.fullmatch(r"(acr|pasi|easi|sri|iga|hi|bvas|dlqi|salt)\s*-?\s*(?:≤|<=|<)?\s*(\d{1,3})(?:\s(?:response|remission)(?:\srates?)?)?", key)
    if match:
        return f"{match.group(1).upper()}{match.group(2)}"
    return None


def dose_level_norm(text: str) -> str | None:
    """'dose level 2' / 'dose-level 2' / 'DL2' / 'DL 2' → 'DL2'."""
    match = re.search(r"(?i)(?:dose[\s\-]level|\bDL)\s*-?\s*(\d+|[A-Z]\b|one|two|three|four|five|six)", text)
    if not match:
        return None
    value = match.group(1)
    number = word_number(value)
    return f"DL{number if number is not None else value.upper()}"


GREEK_LETTERS = str.maketrans({"α": "A", "β": "B", "γ": "G", "δ": "D", "ε": "E", "κ": "K", "Α": "A", "Β": "B"})


def latin_letters(symbol: str) -> str:
    """'PDGFRα' → 'PDGFRA', 'THRβ' → 'THRB': HGNC writes a symbol's Greek letters in Latin."""
    return symbol.translate(GREEK_LETTERS)

