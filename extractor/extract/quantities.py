"""Dose and response-rate parsing: the ``biotech_quantities`` spaCy component.

Works on sentences of ``doc.text`` after ``biotech_entities`` has run, so that each
dose and response can be attributed to the drug, trial and dose level the text names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from . import normalize as N
from .entities import DEFINED_AS_STUDY
from .rules import RuleSet
from ..models import section_at
from .roles import (
    BASES, CHOICE, COMPARISON, NOT_SUBJECT_SECTIONS, OTHER_EVIDENCE, UNNAMED_STUDY, Paragraphs, clause_bounds, quotations, roles_of, same_drug,
    same_series, sentence_basis, subject,
)
from .text import Cand, Sentences, doc_text, mask_clauses, paragraph_bounds

# --- doses ----------------------------------------------------------------------------------
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_EXP = r"(?:\d+(?:\.\d+)?\s?[x×*]\s?)?10\s?\^\s?-?\d{1,2}"
# "300x106 CAR+ T cells", "2.0 x 1014 vg/kg": the superscript was lost; repaired only before a cell or vector unit
_FLAT_EXP = r"\d+(?:\.\d+)?\s?[x×]\s?10\s?(?:[1-9]|1[0-5])(?=\s)"
_AMOUNT = rf"(?:{_EXP}|(?:{_NUM})(?:\s?(?:million|billion|thousand))?)"
_MASS = r"mg|g|µg|μg|ug|mcg|ng|IU|U|mL|milligrams?|micrograms?|nanograms?|units"
_BASIS = r"\s?/\s?(?:kg|m2|m²)\b|\s?per\s(?:kg|kilogram)\b"
_CELLS = (
    r"(?:(?:viable|total)\s)?(?:CAR[\s\-+]*(?:positive\s)?)?(?:T[\s\-]?cells?|NK[\s\-]?cells?)|(?:CAR[\s\-+]*)?T[\s\-]?cells?"
    r"|(?:viable\s)?cells"
)
_VG = r"vg|vector genomes|genome copies|GC"
_PFU = r"PFU|pfu|plaque[- ]forming units|TCID50|TCID₅₀|CCID50|IFU|viral particles|vp"
DOSE_RE = re.compile(
    rf"(?<![\w.,$€£])(?P<a>{_AMOUNT})(?:\s?(?:-|–|to)\s?(?P<b>{_AMOUNT}))?(?:-(?=(?:{_MASS})(?!\w))|\s?)"  # "a 4-mg dose"
    rf"(?:(?P<unit>{_MASS})(?P<basis>{_BASIS})?(?P<perday>\s?/\s?(?:day|d)\b|\s?per\sday\b)?(?![\w/.]|\.\w)"
    rf"|(?P<cells>{_CELLS})(?P<cbasis>{_BASIS})?(?![\w/])"
    rf"|(?P<vg>{_VG})(?P<vbasis>{_BASIS})?(?![\w/])"
    rf"|(?P<pfu>{_PFU})(?![\w/]))"
)
FLAT_DOSE_RE = re.compile(
    rf"(?<![\w.,$€£^])(?P<a>{_FLAT_EXP})\s?(?:(?P<cells>{_CELLS})(?P<cbasis>{_BASIS})?|(?P<vg>{_VG})(?P<vbasis>{_BASIS})?)(?![\w/])"
)
#: Plausible totals for repaired exponents (domain guide §1): outside them, the digits are left alone.
FLAT_WINDOWS = {"cells": (1e5, 1e10), "cells/kg": (1e4, 1e8), "vg": (1e11, 1e16), "vg/kg": (1e11, 1e15)}
DOSE_VETO_BEFORE = re.compile(
    r"(?i)(?:IC50|EC50|IC90|Cmax|Cmin|AUC|concentrations?|levels?\sof|threshold|titers?|count|clearance|weigh\w*|"
    r"[≥≤<>]|greater than|less than|at least|more than|up to \$|\$|USD|EUR|capacity|manufactur\w+|produce|supply|exceed\w*)\W{0,3}(?:\w+\W+){0,2}$"
)
DURATION_RE = re.compile(r"(?i)(?:for|over|x|×)\s(?P<d>(?:\d+|one|two|three|four|five|six|seven|eight|ten|twelve)\s(?:consecutive\s)?(?:days?|weeks?|months?|cycles?))\b")
DOSE_LEVEL_RE = re.compile(r"(?i)\b(?:dose[\s\-]level|DL)\s?-?\s?(?:\d+|one|two|three|four|five|six)\b")
REGIMEN_RE = re.compile(r"\b(?:FC\d{2,4}|Flu/Cy|FLU/CY|Cy/Flu)\b")

# --- responses --------------------------------------------------------------------------------
#: How far after a value the metric it names may start ("43% of patients in the higher-dose arm had a complete response").
AFTER_WINDOW = 70
#: Longer than any metric's name, so one that starts in the window is read whole ("EASI-75 response rates").
METRIC_SPAN = 40
#: A value's own verb right after it: "59% achieved", "43% of patients reached a".
ACHIEVED_AFTER = re.compile(r"(?i)\s+(?:of\s+(?:the\s+)?(?:patients|participants|subjects)\s+)?(?:achieved|achieving|reached|attained)\s+(?:an?\s+)?")
_CASE_SENSITIVE_METRICS = {"cr", "pr", "mmr", "mrd", "scr", "pcr", "orr", "dcr", "cbr", "crr", "vgpr"}
NN_AFTER = re.compile(r"^\s?[\(\[]\s?(?:n\s?=\s?)?(?P<n>\d+)\s?(?:/|of|out of)\s?(?P<N>\d+)(?:\s?(?:patients|pts|participants|evaluable))?\s?[\)\],;]")
NN_BEFORE = re.compile(r"(?i)(?P<n>\d+|[a-z]+(?:-[a-z]+)?)\s(?:of|out of)\s(?:the\s)?(?P<N>\d+|[a-z]+(?:-[a-z]+)?)\s(?:[\w\-]+\s){0,4}?\(\s?$")
NN_ONLY = re.compile(
    r"(?i)(?<![\w.])(?P<n>\d+|[a-z]+(?:-[a-z]+)?)\s(?:of|out of)\s(?:the\s)?(?P<N>\d+|[a-z]+(?:-[a-z]+)?)\s"
    r"(?:evaluable\s|efficacy-evaluable\s|treated\s)?(?:patients|participants|subjects|pts)\s(?:\w+\s){0,3}?"
    r"(?:achieved|had|showed|experienced|attained|demonstrated)\s(?:an?\s|a\s)?(?P<m>[\w\s\-]{3,40}?)(?=[,.;(]|\sand\s|$)"
)
RESPONSE_VETO = re.compile(
    r"(?i)\b(?:PFS|OS|EFS|DFS|RFS|survival|hazard|HR|p\s?[=<]|p-value|reduc\w+|risk|declin\w+|decreas\w+|increas\w+|"
    r"adverse|TEAEs?|AEs?|grade|CRS|cytokine release|ICANS|neutropenia|discontinu\w+|side effects?|shares?|stock|market|"
    r"revenue|royalt\w+|efficacy of|vaccine efficacy|effective|weight|body|prevalence|incidence|placebo-adjusted|"
    r"confidence|CI|relapse|mortality|death|died|hospitali[sz]\w+|events?|infections?|toxicit\w+|lower|rate of decline|"
    r"enrolled|randomi[sz]ed|expression|TPS|CPS|baseline|prior|of cases)\b"
)
FOLLOWING_ARM = re.compile(r"(?i)\s?(?:\([^)]{0,30}\)\s?)?(?:of\s(?:the\s)?(?:patients|participants|subjects)\s(?:(?:treated|dosed)\s)?)?"
                           r"(?:with|for|on|receiving|taking|in\sthe)\s(?:the\s)?(?:(?P<placebo>placebo|vehicle|sham)\b)?")
_HAS_PERCENT = re.compile(r"\d\s?(?:%|percent\b)")
VALUE_LIST = re.compile(r"(?i)[\s|†*‡§:]*(?:(?:of|was|were|is)?\s*[\d.]+\s?(?:%|percent)[\s†*‡§]*(?:\([^)]{0,20}\)\s*)?"
                        r"(?:(?:with|in|at|for|among|on)\s+[^,;%|]{1,30}?\s*)?(?:,|;|and|or|vs\.?|versus|\|)[\s|†*‡§]*)+")
PLANNED_STUDY = re.compile(r"(?i)\b(?:ongoing|planned|upcoming|future|confirmatory|will|expected|initiat\w*|recruit\w*|"
                           r"begin|start\w*|enrol(?:l|ling)\b)")
#: A trial said to be starting: "begins enrolling", "initiated", "first patient dosed", "will begin".
TRIAL_STARTING = re.compile(r"(?i)\b(?:begins?|began|initiat(?:es|ed|ing)|first\s+patient|will\s+(?:begin|start|initiate)|"
                            r"planned\s+to\s+(?:begin|start))\b")
#: "62% with TVS-801 versus 37% with bosutinib": the second value of a comparison shares the cue.
COMPARED_VALUE = re.compile(r"(?i)\d\s?(?:%|percent)\s*(?:\([^)]{0,20}\)\s*)?[^.;%]{0,60}?\b(?:versus|vs\.?|compared\s+(?:with|to)|than|whereas|while)\s*$")
#: A generic "response rate" qualified by another measure is not the objective response rate.
GENERIC_RESPONSE = frozenset({"response rate", "response rates", "response", "responses", "overall response", "overall response rate"})
QUALIFIED_RESPONSE_BEFORE = re.compile(
    r"(?i)\b(?:PSA|major|minor|hematologic|haematologic|cytogenetic|molecular|biochemical|serologic(?:al)?|virologic(?:al)?|"
    r"metabolic|ctDNA|endoscopic|histologic(?:al)?|symptomatic|pain|itch|seroprotection|antibody|immune|T[- ]cell|"
    r"renal|proteinuria|hormonal|radiographic|intracranial|CNS)[\s\-]+(?:(?:best|confirmed|overall|objective)\s+)?$"
)
#: A response's clause says it is another arm's: placebo, a historical benchmark, the control arm.
PLACEBO_CUE = re.compile(r"(?i)\b(?:placebo|vehicle|sham)\b(?![\s\-]controlled)")
BENCHMARK_CUE = re.compile(r"(?i)\b(?:historical(?:ly)?|benchmark|previously\s+reported|published\s+(?:data|rates?)|"
                           r"(?:the\s+)?standard\s+(?:[\w\-]+\s+){0,2}(?:therapy|therapies|treatment|regimen)|current\s+(?:therapies|treatments)|"
                           r"approved\s+(?:therapies|treatments|agents)|existing\s+(?:therapies|treatments)|literature)\b")
CONTROL_CUE = re.compile(r"(?i)[\s,]*(?:" + COMPARISON + r")\b|[^.;]{0,60}?\b(?:control\s+arm|"
                         r"comparator\s+arm|[\w\-]+\s+alone|standard[- ]of[- ]care(?:\s+arm)?|" + CHOICE + r")\b")
COMBINATION_WORD = re.compile(r"(?i)\b(?:combination|combined|regimen|doublet|triplet)\b")
#: After a dose: a product's strength, not a dose given ("100 mg/4 mL single-dose vial", "150 mg tablets", "2.5 mg
#: per 0.5 mL pen", the product named "Emgality 120 mg Injection"; not "a 120 mg injection").
PRODUCT_AFTER = re.compile(r"(?i)\s?(?:/\s?\d+(?:\.\d+)?\s?mL\b|per\s+(?:\d+(?:\.\d+)?\s?)?mL\b|\s*(?:\(\s*[\d.]+\s?mg/mL\s*\)\s*)?"
                           r"(?:single-dose\s+|multi-dose\s+|single-use\s+)?(?:vials?|tablets?|capsules?|pre-?filled|pens?\b|syringes?|"
                           r"autoinjectors?|packs?|bottles?|film-coated|strengths?|dosage\s+strengths?|(?-i:Injection)\b))")
PRODUCT_BEFORE = re.compile(r"(?i)\b(?:supplied\s+as|available\s+(?:as|in)|strengths?\s+of|vials?\s+(?:of|containing)|"
                            r"(?:pens?|syringes?|autoinjectors?|vials?|devices?)\s+(?:in|of|containing)|per|"
                            r"tablets?\s+(?:of|containing)|capsules?\s+(?:of|containing))\s+(?:an?\s+|the\s+)?$"
                            r"|\b(?:injection|capsules|tablets|oral\s+solution|for\s+injection)\s*,\s+"
                            r"(?:[\d.]+\s*(?:mg|mcg|g|mL)\s*(?:,|and|or|/)\s*)*$")  # "LENVIMA Capsules, 10 mg and 4 mg"
#: A dosage form in a product's name just before its strength: "LYFNUA® Tablets 45 mg".
PRODUCT_NAME_BEFORE = re.compile(r"\b(?:Tablets|Capsules|Injection|Oral\s+Solution)\s+$")
#: A sentence that lists a product's strengths: every amount after the cue, up to another clause, is one ("will be
#: available in four different dosages, including: 5 mg empagliflozin/2.5 mg linagliptin/1000 mg metformin …; 10 mg …").
STRENGTHS_REACH = 400  # how far before a dose the cue is looked for (bounds the cost in a very long sentence)
STRENGTHS_CUE = re.compile(r"(?i)\bavailable\s+in\s+(?:[\w\-]+\s+){0,3}?(?:dosages?|dosage\s+strengths|strengths|doses|formulations)\b")
#: What ends a strengths list's reach: another clause ("… two strengths and the recommended dose is 20 mg").
STRENGTHS_END = re.compile(r"(?i)\b(?:and\s+the|recommended|showed?|was|were|is|are|received|given|dosed|patients)\b")
LISTED_DOSE_GAP = re.compile(r"\s*(?:,|,?\s*or|,?\s*and)\s*")
TITRATION_AFTER = re.compile(r"(?i)\s*(?:decrements?|increments?|steps?)\b")
#: Before a dose: the size of a titration step, not a dose given ("was increased by 2.5 mg every four weeks").
TITRATION_BEFORE = re.compile(r"(?i)\b(?:(?:increased|decreased|reduced|escalated|titrated|raised|lowered)\s+by|"
                              r"(?:increments?|decrements?|steps?)\s+of)\s+$")
#: A titration phrase after a dose: the frequency after it is the titration's schedule, not the dose's ("The starting
#: dose of 2.5 mg was increased by 2.5 mg every four weeks"; not "300 mg reduced LDL-C … with once-monthly dosing").
TITRATION_VERB = re.compile(r"(?i)\b(?:(?:increased|decreased|reduced|escalated|raised|lowered)\s+(?:by|to|in\s+steps)\b|titrat\w*|escalat\w*)")
#: A volume after the slash of a strength ("250 mg/2 mL"): the product's concentration, not a dose of its own.
VOLUME_UNIT = re.compile(r"\s?(?:mL|ml)\b")
PER_BEFORE = re.compile(r"/\s?$")
#: Two drugs of one product before its total dose: "ceftolozane and tazobactam 1.5 g", "doravirine/islatravir".
COMBINED_PRODUCT = re.compile(r"\s*(?:/|and|-)\s*")
COMBINATION_GAP = re.compile(r"(?i)\s*(?:plus|\+|/|and|with|in combination with|combined with)\s*")
RESPONSE_AFTER_VETO = re.compile(
    r"(?i)^\s?(?:\([^)]{0,20}\)\s?)?(?:of\s(?:the\s)?(?:\w+\s){0,2}?(?:patients|participants|subjects)\s)?"
    r"(?:surviv\w*|died|relapsed|discontinued|experienced\s(?:an?\s)?(?:adverse|side|serious|grade)|were\s(?:alive|hospitali[sz]ed))"
    r"|^\s?(?:\([^)]{0,20}\)\s?)?of\s(?:the\s)?(?:\w+\s)?(?:responding\s(?:[\w\-]+\s){0,4}?(?:patients|participants)|responders)\b"  # a durability share
    r"|^\s?(?:\([^)]{0,20}\)\s?)?(?:of\s(?:the\s)?(?:[\w\-]+\s){0,3}?(?:patients|participants|subjects)\s)?"
    r"(?:had\s(?:been\s)?(?:previously\s|prior\s)?(?:received|treated|exposed)|were\s(?:previously\s)?(?:treated|exposed)|"
    r"having\s(?:previously\s)?(?:received|been\streated)|"
    r"had\s(?:received\s)?prior|(?:were|are)\s(?:male|female|white|asian|black))"  # baseline characteristics
    r"|^\s?or\s(?:less|more|fewer|greater|higher|lower)\b"  # "20% or less of scalp hair loss": a threshold, not a rate
)
#: More patients than any study enrols: an n/N beyond it is not a count of patients.
MAX_PATIENTS = 10_000_000
#: Words before a value that make it a bound ("more than 80%", "up to 60%") or one end of a span over several
#: endpoints ("response rates for major efficacy endpoints ranged from 63% to 85%"), not a rate.
BOUND_BEFORE = re.compile(r"(?i)\b(?:more\s+than|greater\s+than|over|at\s+least|up\s+to|fewer\s+than|less\s+than"
                          r"|endpoints?\s+(?:\w+\s+){0,2}?rang(?:ed|ing|es?)\s+from(?:\s+\d+(?:\.\d+)?\s?(?:%|percent)?\s*(?:to|-|–))?)\s*$")
#: What a label may say of the patients a value counts before the verb that names their metric: when ("at Week
#: 16"), who they were ("who were previously treated with dupilumab", "who were inadequate responders to
#: dupilumab") and further values counted the same way (", and 60 percent of patients at Week 24"): "57 percent of
#: patients at Week 16, and 60 percent of patients at Week 24 who were previously treated with dupilumab, achieved
#: EASI-75". Anything else between them is another clause, with a subject of its own.
_PATIENTS = r"of\s(?:the\s)?(?:[\w\-]+\s){0,2}?(?:patients|participants|people|subjects|pts)"
_ABOUT_PATIENTS = (r"(?:\s*,?\s*and\s+\d{1,3}(?:\.\d+)?\s?(?:%|percent)\s+" + _PATIENTS + r"\b"
                   r"|\s*,?\s*(?:at|by|through)\s+Week\s+\d+"
                   r"|\s*,?\s*who\s+were\s+(?:previously\s+treated\s+with|(?:inadequate\s+|non-|partial\s+)?responders\s+to)\s+[\w\-]+)")
#: The regimen the counted patients received, when every value of the sentence is one drug's: "85% of patients who
#: received lebrikizumab every four weeks and 77% of patients who received lebrikizumab every two weeks maintained
#: EASI-75" (a sentence that names another arm, "… and 12% of patients who received placebo", is read per arm elsewhere).
_REGIMEN_PATIENTS = (r"\s+(?:who\s+received|(?:who\s+were\s+)?treated\s+with)\s+[\w\-]+(?:\s+(?:every|once|twice|daily|weekly|"
                     r"monthly|\d+(?:\.\d+)?|mg(?:/kg)?|two|three|four|six|eight|weeks?|days?|months?|a|per|Q\dW))*")
#: The verb that names the metric; "maintained" only a score's response ("maintained EASI-75"), not "maintained a
#: complete response" (durability among responders, no rate of its own).
_COUNTED_VERB = r"\s*,?\s*(?:(?:achieved|reached|attained)\s+(?:an?\s+|the\s+)?|maintained\s+(?=(?:v?IGA|EASI|PASI|ACR|SALT|s?PGA)\b))"
COUNTED_PATIENTS_ACHIEVED = re.compile(r"(?i)\s?" + _PATIENTS + r"\b(?:" + _ABOUT_PATIENTS + r")*" + _COUNTED_VERB)
COUNTED_REGIMEN_ACHIEVED = re.compile(
    r"(?i)\s?" + _PATIENTS + r"\b(?:" + _ABOUT_PATIENTS + r"|" + _REGIMEN_PATIENTS + r")*" + _COUNTED_VERB
)
#: A sentence naming another arm than the drug's.
OTHER_ARM_WORD = re.compile(r"(?i)\b(?:placebo|vehicle|sham|control|comparator|versus|vs\.?|compared)\b")
PCT_SUBJECT_AFTER = re.compile(
    r"(?i)^\s?(?:\([^)]{0,20}\)\s?)?of\s(?:the\s)?(?:[\w\-]+\s){0,3}?(?:patients|participants|subjects|pts)\s(?:\w+\s){0,2}?"
    r"(?:achieved|reached|had|attained|showed|experienced|demonstrated|achieving|reaching|attaining|experiencing|having|showing)"
    r"\s(?:an?\s|the\s)?(?:(?:best|confirmed|overall)\s)?"
)
#: Two response categories counted together, joined by a slash right before a rate: "complete remission (CR)/marrow
#: complete remission (mCR) rate of 58%", "a CR/CRi rate of 40%" (one rate, "CR/mCR", not a CR rate); "CR/PR" is the ORR.
_RESPONSE_CATEGORY = r"(?:sCR|VGPR|CRi|CRh|CRp|mCR|MLFS|CR|PR|HI)"
COMPOSITE_METRIC_BEFORE = re.compile(
    r"(?<![\w\-])\(?(?P<a>" + _RESPONSE_CATEGORY + r")\)?\s*/\s*(?:[A-Za-z][A-Za-z ]{0,40}?\(\s*)?(?P<b>" + _RESPONSE_CATEGORY + r")\)?"
    r"\s+rates?\s+(?:of|was|were|is|reached|at|:)?\s*(?:approximately\s+|about\s+)?$"
)
#: "complete and partial response rates of 12% and 55%, respectively": two metrics, two values, in order.
RESPECTIVE_METRICS = re.compile(
    r"(?i)\b(?P<a>stringent\scomplete|complete|partial|objective|overall)\s(?:response\s)?(?:rates?\s)?and\s"
    r"(?P<b>complete|partial|objective|overall)\sresponse\s(?:rates?\s)?(?:of|were|was|at)\s"
    r"(?P<v1>\d+(?:\.\d+)?)\s?%\s?(?:,\s?)?(?:and\s)?(?P<v2>\d+(?:\.\d+)?)\s?%,?\s(?:respectively)"
)
RESPECTIVE_METRIC_NAMES = {"complete": "CR", "stringent complete": "sCR", "partial": "PR", "objective": "ORR", "overall": "ORR"}
NN_ANY = re.compile(r"(?i)(?<![\w.])(?P<n>\d+|[a-z]+(?:-[a-z]+)?)\s?(?:of|out of|/)\s?(?:the\s)?(?P<N>\d+|[a-z]+(?:-[a-z]+)?)(?![\w%])")
#: Responders counted among the patients assessed: "10 responders among 13 patients eligible", "three responses among six
#: patients" (used, like NN_ANY, only when the two counts give the sentence's percent).
NN_RESPONDERS = re.compile(
    r"(?i)(?<![\w.])(?P<n>\d+|[a-z]+(?:-[a-z]+)?)\s(?:objective\s)?(?:responders|responses)\s"  # not "two complete responses"
    r"(?:among|in|of|out\sof)\s(?:the\s)?(?P<N>\d+|[a-z]+(?:-[a-z]+)?)(?![\w%])(?!\s+(?:weeks?|months?|days?|years?|cycles?)\b)"
)
POPULATION_RE = re.compile(
    r"(?i)\b(?:among|in|for|of)\s(?:the\s|all\s)?(?:(?P<n>\d+|[a-z]+(?:-[a-z]+)?)\s)?(?:[\w\-]+\s){0,3}?"
    r"(?:patients|participants|subjects|pts|cohort|arm|group)\b[^,.;]{0,80}"
)


@dataclass
class DoseHit:
    start: int
    end: int
    amount: float
    amount_max: float | None
    unit: str
    frequency: str | None
    duration: str | None
    dose_level: str | None
    drug: str | None
    regimen: str | None
    arm: str | None = None
    basis: str | None = None


@dataclass
class ResponseHit:
    start: int
    end: int
    metric: str
    percent: float | None
    n: int | None
    total: int | None
    population: str | None
    dose_level: str | None
    drug: str | None
    trial: str | None
    arm: str | None = None
    partners: str | None = None
    basis: str | None = None


@dataclass
class Scene:
    """What one document offers for attribution, computed once: its drugs with their roles, its
    trials, paragraphs, and its subject drug and trial (see :mod:`.roles`)."""

    text: str
    sents: Sentences
    paras: Paragraphs
    drugs: list[Cand]  # every drug mention but lymphodepletion agents
    roles: dict[int, str | None]  # drug start -> role
    creditable: list[Cand]
    trials: list[Cand]
    subject_drug: Cand | None
    subject_trial: Cand | None
    trial_drugs: dict[str, set[str]]  # trial -> the creditable drugs named in its sentences (as ``same`` names them)
    same: dict[str, str]  # each name of a drug -> one name (see roles.same_drug)
    same_trial: dict[str, str]  # a trial series' short name -> the one trial of that series named ("LIBRETTO")
    sections: tuple
    planned_trials: frozenset[str] = frozenset()  # trials only starting: so says their headline, or every sentence naming them
    speech: tuple[tuple[int, int], ...] = ()  # spans of quoted speech (roles.quotations)

    def in_body(self, offset: int) -> bool:
        return section_at(self.sections, offset) not in NOT_SUBJECT_SECTIONS

    def new_study_since(self, lo: int, hi: int) -> bool:
        """Between ``lo`` and ``hi``, a sentence introducing a study it does not name ("is a Phase 1b/2,
        open-label trial", "in a separate study")."""
        for m in UNNAMED_STUDY.finditer(self.text, lo, hi):
            if PLANNED_STUDY.search(self.text, max(0, m.start() - 40), m.end() + 40):
                continue  # "an ongoing Phase 3 confirmatory study, with a readout in 2023": no results here yet
            sent = self.sents.span(m.start())
            if not any(sent[0] <= t.start < sent[1] for t in self.trials):
                return True
        return False

    def weaker(self, *bases: str | None) -> str | None:
        known = [b for b in bases if b]
        return max(known, key=BASES.index) if known else None


def _ext() -> None:
    for name in ("doses", "responses", "drug_roles"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


class QuantityParser:
    def __init__(self, rules: RuleSet) -> None:
        _ext()
        self.lymphodepletion = {t.lower() for t in rules.terms("LYMPHODEPLETION")}
        self.code_aliases = rules.gazetteers.get("drug_code_aliases.tsv", {})

    # -- shared context -----------------------------------------------------------------------
    def _drugs(self, doc: Doc) -> list[Cand]:
        return [c for c in doc._.cands or [] if c.label in ("DRUG_CODE", "DRUG_NAME")]

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        sents = Sentences(doc, text)
        drugs = self._drugs(doc)
        scene = self._scene(doc, text, sents, drugs)
        doc._.doses = self._doses(text, sents, drugs, scene)
        doc._.responses = self._responses(doc, text, sents, scene)
        return doc

    def _scene(self, doc: Doc, text: str, sents: Sentences, drugs: list[Cand]) -> Scene:
        sections = doc._.sections or ()
        active = [d for d in drugs if d.norm not in self.lymphodepletion]
        roles = roles_of(text, active, lambda at: sents.span(at)[0])
        creditable = [d for d in active if roles[d.start] is None]
        same = same_drug(text, active, self.code_aliases)
        doc._.drug_roles = (roles, same)  # read again by biotech_relations: computed once per document
        trials = [c for c in doc._.cands or [] if c.label == "TRIAL"]
        in_body = lambda c: section_at(sections, c.start) not in NOT_SUBJECT_SECTIONS  # noqa: E731
        title = next((x for x in sections if x.name == "title"), None)
        subject_drug = subject(creditable, title.start, title.end, same) if title else None
        body_drugs = [d for d in creditable if in_body(d)]
        if subject_drug is None:
            subject_drug = subject(body_drugs, 0, len(text), same)
        same_trial = same_series({t.norm for t in trials})
        subject_trial = subject([t for t in trials if in_body(t)], 0, len(text), same_trial)
        trial_drugs: dict[str, set[str]] = {}
        for trial in trials:
            span = sents.span(trial.start)
            trial_drugs.setdefault(same_trial.get(trial.norm, trial.norm), set()).update(
                same.get(d.norm, d.norm) for d in creditable if span[0] <= d.start < span[1])
        # a trial is only starting when its headline says so ("Begins Enrolling Patients in GLORA-4") or every
        # sentence naming it does; its name then carries no results
        starting: dict[str, bool] = {}
        headline: set[str] = set()
        for trial in trials:
            span = sents.span(trial.start)
            key = same_trial.get(trial.norm, trial.norm)
            says = bool(TRIAL_STARTING.search(text, span[0], span[1]))
            starting[key] = starting.get(key, True) and says
            if says and title is not None and title.start <= trial.start < title.end:
                headline.add(key)
        return Scene(text, sents, Paragraphs(paragraph_bounds(text)), active, roles, creditable, trials,
                     subject_drug, subject_trial, trial_drugs, same, same_trial, sections,
                     frozenset(headline | {k for k, all_starting in starting.items() if all_starting}),
                     tuple(quotations(text)))

    # -- doses --------------------------------------------------------------------------------
    def _doses(self, text: str, sents: Sentences, drugs: list[Cand], scene: Scene) -> list[DoseHit]:
        hits: list[DoseHit] = []
        matches = list(DOSE_RE.finditer(text))
        for fm in FLAT_DOSE_RE.finditer(text):
            overlapping = [m for m in matches if m.start() < fm.end() and fm.start() < m.end()]
            if any(self._plausible(m) for m in overlapping):
                continue  # "1x10^8 cells" read fine without repair
            matches = [m for m in matches if m not in overlapping] + [fm]
        matches.sort(key=lambda m: m.start())
        strengths = self._strength_lists(text, matches)
        for m in matches:
            if m.start() in strengths:
                continue  # "2.5 mg, 5 mg, … or 15 mg per 0.5 mL": every member of a list of strengths
            if text[max(0, m.start() - 1) : m.start()] in ("^", "E", "e") or text[max(0, m.start() - 2) : m.start()] == "**":
                continue  # "10^999999 cells": the digits are an exponent, not an amount
            if VOLUME_UNIT.match(text, m.end("a")) and PER_BEFORE.search(text, max(0, m.start() - 3), m.start()):
                continue  # "a 250 mg/2 mL injection": the volume a strength comes in, not a dose
            sent = sents.span(m.start())
            before = text[max(sent[0], m.start() - 40) : m.start()]
            if DOSE_VETO_BEFORE.search(before) or PRODUCT_BEFORE.search(before) or self._listed_strength(text, sent, m.start()):
                continue
            if PRODUCT_NAME_BEFORE.search(before) and not N.frequency_norm(text[m.end() : m.end() + 60]):
                continue  # "LYFNUA® Tablets 45 mg": a strength in the product's name (not "Injection 300 mg every four weeks")
            if TITRATION_AFTER.match(text, m.end()) or TITRATION_BEFORE.search(before):
                continue  # "reduce the dose in 50 mg decrements", "increased by 2.5 mg": a titration step
            if PRODUCT_AFTER.match(text, m.end()) and not N.frequency_norm(text[m.end() : m.end() + 60]):
                continue  # "a 100 mg/4 mL single-dose vial", "150 mg tablets": a product's strength
            amount = N.parse_amount(m.group("a"))
            flat = m.re is FLAT_DOSE_RE
            if flat:
                amount = N.parse_amount(re.sub(r"([x×])\s?10\s?(\d+)$", r"\g<1>10^\2", m.group("a")))
            if amount is None:
                continue
            amount_max = N.parse_amount(m.group("b")) if m.groupdict().get("b") else None
            if m.group("cells"):
                basis = (m.group("cbasis") or "").strip(" /").replace("per ", "").replace("kilogram", "kg")
                unit = "cells/kg" if basis else "cells"
                if amount < 1e4:
                    continue
            elif m.group("vg"):
                unit = "vg/kg" if m.group("vbasis") else "vg"
                if amount < 1e9:
                    continue
            elif m.groupdict().get("pfu"):
                raw = m.group("pfu").lower()
                unit = "TCID50" if raw.startswith(("tcid", "ccid")) else "vp" if raw in ("vp", "viral particles") else "IFU" if raw == "ifu" else "pfu"
                if amount < 100:
                    continue
            else:
                raw_unit = m.group("unit")
                basis = (m.group("basis") or "").strip(" /").replace("per ", "").replace("kilogram", "kg") or None
                unit_value = N.unit_norm(raw_unit, basis)
                if unit_value is None:
                    continue
                unit = unit_value
                if raw_unit in ("U", "IU", "units") and not basis and amount < 10:
                    continue
            if flat:
                low, high = FLAT_WINDOWS.get(unit, (0.0, float("inf")))
                if not low <= amount <= high:
                    continue
            after = text[m.end() : min(sent[1], m.end() + 60)]
            around = text[max(sent[0], m.start() - 30) : min(sent[1], m.end() + 40)]
            own = after[:40]
            if titrated := TITRATION_VERB.search(own):
                own = own[: titrated.start()]
            frequency = "daily" if m.groupdict().get("perday") else N.frequency_norm(own) or N.frequency_norm(before[-25:])
            dm = DURATION_RE.search(text[m.end() : sent[1]])
            duration = dm.group("d") if dm else None
            level = None
            levels = list(DOSE_LEVEL_RE.finditer(text[sent[0] : m.start()]))
            if levels:
                level = N.dose_level_norm(levels[-1].group(0))
            is_product = unit.startswith(("cells", "vg"))
            drug, arm, basis = self._dose_drug(scene, drugs, sent, m.start(), m.end(), product=is_product)
            regimen = None
            if drug in self.lymphodepletion:
                rm = REGIMEN_RE.search(text[max(0, sent[0] - 300) : sent[1]])
                regimen = rm.group(0) if rm else None
            if "dose" in around.lower() and re.search(r"(?i)\bdoses?\s(?:annually|per year|a year|manufactured|produced)", around):
                continue
            hits.append(DoseHit(m.start(), m.end(), amount, amount_max, unit, frequency, duration, level, drug, regimen, arm, basis))
        return self._scope_durations(text, sents, self._merge_ranges(text, hits))

    @staticmethod
    def _scope_durations(text: str, sents: Sentences, hits: list[DoseHit]) -> list[DoseHit]:
        """'80 million cells after fludarabine 30 mg/m2/day and cyclophosphamide 500 mg/m2/day for
        3 days': the duration belongs to the doses of its own kind, not to a dose of another unit before them."""
        for hit in hits:
            if hit.duration is None:
                continue
            sent_end = sents.span(hit.start)[1]
            dm = DURATION_RE.search(text, hit.end, sent_end)
            if dm is None:
                continue
            between = [h for h in hits if hit.end <= h.start < dm.start()]
            if any(h.unit != hit.unit for h in between):
                hit.duration = None
        return hits

    @staticmethod
    def _plausible(m: re.Match[str]) -> bool:
        amount = N.parse_amount(m.group("a")) or 0.0
        if m.groupdict().get("cells"):
            return amount >= 1e4
        if m.groupdict().get("vg"):
            return amount >= 1e9
        return False

    @staticmethod
    def _merge_ranges(text: str, hits: list[DoseHit]) -> list[DoseHit]:
        """'2 mg/kg to 8 mg/kg' is one dose range, not two doses."""
        merged: list[DoseHit] = []
        for hit in hits:
            prev = merged[-1] if merged else None
            if (
                prev is not None and prev.amount_max is None and prev.unit == hit.unit
                and re.fullmatch(r"\s?(?:to|-|–|through)\s?", text[prev.end : hit.start])
            ):
                prev.amount_max, prev.end = hit.amount, hit.end
                continue
            merged.append(hit)
        return merged

    def _dose_drug(
        self, scene: Scene, drugs: list[Cand], sent: tuple[int, int], start: int, end: int, *, product: bool
    ) -> tuple[str | None, str | None, str | None]:
        """(drug, arm, basis) of a dose; (None, None, None) when the text does not say whose it is."""
        text = scene.text
        # "30 mg/m2 of fludarabine", "200 mg pembrolizumab"
        following = [d for d in drugs if end <= d.start <= end + 15 and sent[0] <= d.start < sent[1]]
        if following and re.fullmatch(r"\s*(?:of\s|\)\s)?", text[end : following[0].start]):
            return following[0].norm, self._dose_arm(scene, following[0]), "clause"
        before = [d for d in drugs if sent[0] <= d.start < start and scene.roles.get(d.start) not in ("background", "example")]
        if product:
            before = [d for d in before if d.norm not in self.lymphodepletion]
        if before:
            drug = before[-1]
            if len(before) >= 2 and COMBINED_PRODUCT.fullmatch(text[before[-2].end : drug.start]) and re.fullmatch(r"[\s,(]*", text[drug.end : start]):
                return None, None, None  # "ceftolozane and tazobactam 1.5 g": the product's total, neither drug's
            return drug.norm, self._dose_arm(scene, drug), sentence_basis(text, drug.start, start)
        later = [d for d in drugs if start <= d.start < sent[1] and not (product and d.norm in self.lymphodepletion)]
        if later:
            # "picked the 50 ug dose after a study in which BWV-215 was given": the sentence's one drug
            free = {scene.same.get(d.norm, d.norm) for d in later if scene.roles.get(d.start) is None}
            if len(free) == 1 and all(scene.roles.get(d.start) is None for d in later):
                return later[0].norm, None, "sentence"
            return None, None, None
        found = subject(scene.creditable, scene.paras.passage_start(text, start), start, scene.same)
        if found is not None:
            return found.norm, None, "paragraph"
        if scene.subject_drug is not None:
            return scene.subject_drug.norm, None, "document"
        return None, None, None

    @staticmethod
    def _dose_arm(scene: Scene, drug: Cand) -> str | None:
        return "control" if scene.roles.get(drug.start) == "comparator" else None

    # -- responses ----------------------------------------------------------------------------
    def _responses(self, doc: Doc, text: str, sents: Sentences, scene: Scene) -> list[ResponseHit]:
        hits: list[ResponseHit] = []
        for s_start, s_end in sents.bounds:
            sentence = text[s_start:s_end]
            # the population a sentence opens with ("Among the 8 patients treated at dose level 2, ...") is
            # that sentence's; a later sentence may speak of a subgroup, so it is not carried on
            pm = POPULATION_RE.search(sentence)
            population = pm.group(0).strip() if pm and re.match(r"(?i)\s*(?:among|in|for)\b", sentence[: pm.start() + 6]) and (
                "," not in sentence[: pm.start()]) else None  # its opening clause's: not "In QX-2, the ORR was 40% among 25 …"
            masked = mask_clauses(sentence)
            found_spans: list[tuple[int, int]] = []
            for pm_ in N.PERCENT_VALUE.finditer(masked):
                p_start, p_end = pm_.start(), pm_.end()
                tail = masked[p_end : p_end + 12]
                if re.match(r"\s?(?:CI|confidence|C\.I\.)", tail) or re.search(r"(?:CI|confidence interval)[\s:,]*$", masked[max(0, p_start - 25) : p_start]):
                    continue
                if re.search(r"\bCI[\s,:]+[\d.\s%–\-]*$", masked[max(0, p_start - 30) : p_start]):
                    continue
                if BOUND_BEFORE.search(masked[max(0, p_start - 45) : p_start]):
                    continue  # "more than 80%", "up to 60%": a bound, not a rate
                if masked[max(0, p_start - 2) : p_start].strip()[-1:] in ("<", ">", "≤", "≥", "=", "~"):
                    continue  # "≥5% blasts": a threshold, not a rate
                if RESPONSE_AFTER_VETO.match(masked[p_end : p_end + 70]):
                    continue  # "49% of patients surviving"
                metric = self._metric_for(masked, p_start, p_end)
                if metric is None:
                    continue
                percent = float(pm_.group("p"))
                if percent > 100:
                    continue
                n = total = None
                nn = NN_AFTER.match(masked[p_end : p_end + 40])
                end = p_end
                if nn:
                    n, total = int(nn.group("n")), int(nn.group("N"))
                    end = p_end + nn.end()
                else:
                    nb = NN_BEFORE.search(masked[max(0, p_start - 60) : p_start])
                    if nb:
                        n, total = N.word_number(nb.group("n")), N.word_number(nb.group("N"))
                if n is not None and total:
                    if abs(percent - 100 * n / total) > 1.5:
                        n = total = None
                if n is None:
                    # "8 of 14 patients responded, for an ORR of 57%": any n of N in the sentence that agrees
                    for cm in [*NN_ANY.finditer(masked), *NN_RESPONDERS.finditer(masked)]:
                        cn, ct = N.word_number(cm.group("n")), N.word_number(cm.group("N"))
                        if cn is not None and ct and cn <= ct and abs(percent - 100 * cn / ct) <= 1.5:
                            n, total = cn, ct
                            break
                abs_start = s_start + p_start
                hits.append(self._response(
                    scene, (s_start, s_end), abs_start, s_start + end,
                    metric, percent, n, total, self._population_before(sentence, pm if population else None, p_start) or population,
                ))
                found_spans.append((p_start, end))
            for nm in NN_ONLY.finditer(masked):
                metric = N.metric_norm(re.sub(r"(?i)\b(?:best|confirmed|overall)\s", "", nm.group("m")).strip())
                if metric is None or any(a <= nm.start() < b for a, b in found_spans):
                    continue
                n, total = N.word_number(nm.group("n")), N.word_number(nm.group("N"))
                if n is None or not total or n > total:
                    continue
                if any(abs(h.start - (s_start + nm.start())) < 80 and h.metric == metric for h in hits):
                    continue
                hits.append(self._response(
                    scene, (s_start, s_end), s_start + nm.start(), s_start + nm.end(),
                    metric, None, n, total, population,
                ))
        # a headline restating "64% response rate" takes n/N from the body's "ORR was 64% (27/42)"
        for hit in hits:
            if hit.n is None and hit.percent is not None:
                twin = next((h for h in hits if h.n is not None and h.metric == hit.metric and h.percent == hit.percent), None)
                if twin is not None:
                    hit.n, hit.total = twin.n, twin.total
        return hits

    @staticmethod
    def _listed_strength(text: str, sent: tuple[int, int], start: int) -> bool:
        """A dose in the list a strengths cue opens ("available in four different dosages, including: 5 mg …; 10 mg …"),
        before any other clause of its sentence."""
        cue = None
        for cue in STRENGTHS_CUE.finditer(text, max(sent[0], start - STRENGTHS_REACH), start):
            pass
        return cue is not None and not STRENGTHS_END.search(text, cue.end(), start)

    @staticmethod
    def _strength_lists(text: str, matches: list[re.Match[str]]) -> set[int]:
        """Starts of doses listed before a product's strength ("2.5 mg, 5 mg or 15 mg per 0.5 mL") or after a
        strength's cue ("available in strengths of 50 mg, 100 mg and 150 mg"): the list is the product's strengths,
        not doses given."""
        out: set[int] = set()
        for k, m in enumerate(matches):
            if PRODUCT_BEFORE.search(text[max(0, m.start() - 40) : m.start()]):
                # "available in strengths of 50 mg, 100 mg, 150 mg, and 200 mg": the members after the first too
                j = k
                while j + 1 < len(matches) and LISTED_DOSE_GAP.fullmatch(text, matches[j].end(), matches[j + 1].start()):
                    j += 1
                    out.add(matches[j].start())
            if not (PRODUCT_AFTER.match(text, m.end()) and not N.frequency_norm(text[m.end() : m.end() + 60])):
                continue
            j = k
            while j > 0 and LISTED_DOSE_GAP.fullmatch(text, matches[j - 1].end(), matches[j].start()):
                j -= 1
                out.add(matches[j].start())
        return out

    @staticmethod
    def _population_before(sentence: str, opening: re.Match[str] | None, p_start: int) -> str | None:
        """A later population the sentence sets off by a comma before the value: "Among 247 patients …, the ORR was
        61.1% and among 69 treatment-naive patients, the ORR was 84.1%" (84.1% is the 69 patients'). It opens a clause
        (after a comma, a semicolon or "and") and counts only the first value after it: not one that follows a value
        ("30% among 24 patients"), nor a value after another ("…, the ORR was 38%, and the DCR for all was 80%")."""
        found = None
        for m in POPULATION_RE.finditer(sentence, opening.end() if opening else 0, p_start):
            opens = re.search(r"(?:^|[,;]|\band)\s*$", sentence[: m.start()])
            if (re.match(r"(?i)among\b", m.group(0)) and sentence[m.end() : m.end() + 1] == "," and opens
                    and not N.PERCENT_VALUE.search(sentence, m.end(), p_start) and ";" not in sentence[m.end() : p_start]):
                found = m.group(0).strip()
        return found

    def _metric_for(self, sentence: str, p_start: int, p_end: int) -> str | None:
        for m in RESPECTIVE_METRICS.finditer(sentence):
            for value, metric in (("v1", "a"), ("v2", "b")):
                if m.start(value) == p_start:
                    return RESPECTIVE_METRIC_NAMES[m.group(metric).lower()]
        composite = COMPOSITE_METRIC_BEFORE.search(sentence, max(0, p_start - 90), p_start)
        if composite and composite.group("a") != composite.group("b") and "respectively" not in sentence[p_end : p_end + 40]:
            pair = {composite.group("a"), composite.group("b")}
            return "ORR" if pair == {"CR", "PR"} else f"{composite.group('a')}/{composite.group('b')}"
        # "a 70% response rate", "67% Objective Response Rate (ORR)", "52% ORR": the metric right after
        direct = N.METRIC_RE.match(sentence, p_end + len(sentence[p_end:]) - len(sentence[p_end:].lstrip()))
        if direct and self._metric_ok(direct):
            return N.metric_norm(re.sub(r"(?i)^(?:best|confirmed|unconfirmed|overall|objective)\s", "", direct.group("m"))) or "ORR"
        # "57% (24/42) of patients reached a very good partial response": the cue after wins
        lead = PCT_SUBJECT_AFTER.match(sentence[p_end : p_end + 90])
        if lead:
            # "43% of patients had stable disease": the sentence says what they had, and it is no response
            return self._metric_at(sentence, p_end + lead.end())
        # "… achieved IGA 0/1 and 59% achieved EASI-75": a value whose own verb names its metric takes that one
        verb = ACHIEVED_AFTER.match(sentence, p_end)
        if verb:
            found = self._metric_at(sentence, verb.end())
            if found:
                return found
        # "57 percent of patients at Week 16, and 60 percent of patients at Week 24 who were previously treated with
        # dupilumab, achieved EASI-75": the patients the value counts are the subject of the verb that names the metric
        counted = COUNTED_PATIENTS_ACHIEVED.match(sentence, p_end) or (
            None if OTHER_ARM_WORD.search(sentence) else COUNTED_REGIMEN_ACHIEVED.match(sentence, p_end))
        if counted:
            found = self._metric_at(sentence, counted.end())
            if found:
                return found
        window_start = max(0, p_start - 110)
        before = sentence[window_start:p_start]
        candidates = [m for m in N.METRIC_RE.finditer(before) if self._metric_ok(m)]
        if candidates:
            cue = candidates[-1]
            between = before[cue.end() :]
            # a cue whose own value came first does not name the next one ("PR rate of 52%, a stable
            # disease rate of 38%"), unless the values are one list ("ORR of 50% and 60%")
            spent = bool(_HAS_PERCENT.search(between)) and not (VALUE_LIST.fullmatch(between) or COMPARED_VALUE.search(between))
            if not RESPONSE_VETO.search(between) and not spent:
                return N.metric_norm(re.sub(r"(?i)^(?:best|confirmed|unconfirmed|overall|objective)\s", "", cue.group("m"))) or (
                    "ORR" if "response" in cue.group(0).lower() else None
                )
        # the metric must start within AFTER_WINDOW characters, and is read whole ("EASI-75" is not "EASI-7")
        am = N.METRIC_RE.search(sentence, p_end, min(len(sentence), p_end + AFTER_WINDOW + METRIC_SPAN))
        if am and am.start() - p_end <= AFTER_WINDOW and self._metric_ok(am):
            between = sentence[p_end : am.start()]
            if re.search(r"(?i)\b(?:achiev|had|show|experienc|attain|demonstrat|reach|with)\w*\b", between) and not RESPONSE_VETO.search(between):
                return self._metric_name(am)
        return None

    def _metric_at(self, sentence: str, at: int) -> str | None:
        """The metric named right at ``at`` ("EASI-75", "a complete response"), or None."""
        am = N.METRIC_RE.match(sentence, at)
        return self._metric_name(am) if am and self._metric_ok(am) else None

    @staticmethod
    def _metric_name(m: re.Match[str]) -> str | None:
        """A matched metric's normal name; a bare "response" is the ORR."""
        return N.metric_norm(m.group("m")) or ("ORR" if "response" in m.group(0).lower() else None)

    @staticmethod
    def _metric_ok(m: re.Match[str]) -> bool:
        word = m.group("m")
        if word.lower() in GENERIC_RESPONSE and QUALIFIED_RESPONSE_BEFORE.search(m.string[max(0, m.start() - 30) : m.start()]):
            return False  # "PSA response rate", "major response rate": another measure, not the ORR
        if word.lower() in _CASE_SENSITIVE_METRICS and word.lower() != "pcr" and not word.isupper() and word != "sCR":
            return False
        follow = m.string[m.end() : m.end() + 12].lower()
        if word.lower() in ("complete response", "cr") and follow.startswith(" letter"):
            return False
        return True

    def _response(
        self, scene: Scene, sent: tuple[int, int], start: int, end: int, metric: str, percent: float | None,
        n: int | None, total: int | None, population: str | None,
    ) -> ResponseHit:
        text = scene.text
        sentence = text[sent[0] : sent[1]]
        if n is not None and (not total or total > MAX_PATIENTS or n > total):
            n = total = None  # "0/9999999999999999999": no study has that many patients
        level = self._level(sentence, population)
        table = sentence.count("|") >= 3  # a table row: which column (arm, drug) a cell is in is not read
        arm, drug, partners, drug_basis = (None, None, None, None) if table else self._response_drug(scene, sent, start, end)
        trial, trial_basis = self._response_trial(scene, sent, start, drug)
        if trial is not None and trial_basis != "clause" and trial in scene.planned_trials:
            trial, trial_basis = None, None  # a trial only starting or planned has no results to credit
        if trial is not None and drug is not None and {drug_basis, trial_basis} & {"paragraph", "document"}:
            # a tie beyond the sentence holds only when nothing says the trial is another drug's
            named = scene.trial_drugs.get(trial, set())
            if named and scene.same.get(drug, drug) not in named:
                if trial_basis in ("paragraph", "document"):
                    trial, trial_basis = None, None
                else:
                    drug, drug_basis, partners = None, None, None
        if arm is None and drug is not None:
            arm = "investigational"
        return ResponseHit(start, end, metric, percent, n, total, population, level, drug, trial, arm, partners,
                           scene.weaker(drug_basis if drug else None, trial_basis if trial else None))

    def _response_drug(
        self, scene: Scene, sent: tuple[int, int], start: int, end: int
    ) -> tuple[str | None, str | None, str | None, str | None]:
        """(arm, drug, partners, basis) of a response rate. A placebo, control or benchmark rate is never
        the investigational drug's; the drug comes from the value's clause, its sentence, the paragraph's
        one subject or the document's, in that order, and is left empty when the text does not say."""
        text = scene.text
        clause = clause_bounds(text, sent, start)
        clause_text = text[clause[0] : clause[1]]
        follow = FOLLOWING_ARM.match(text, end)
        if (follow and follow.group("placebo")) or PLACEBO_CUE.search(clause_text):
            return "placebo", None, None, None
        if BENCHMARK_CUE.search(clause_text):
            return "benchmark", None, None, None
        in_clause = [d for d in scene.drugs if clause[0] <= d.start < clause[1]]
        if CONTROL_CUE.match(text, clause[0], start) or any(scene.roles.get(d.start) == "comparator" for d in in_clause if d.start < start):
            comparator = next((d for d in in_clause if scene.roles.get(d.start) == "comparator"), None) or next(
                (d for d in in_clause if scene.roles.get(d.start) not in ("background", "example")), None)
            return "control", comparator.norm if comparator else None, None, "clause" if comparator else None
        usable = [d for d in in_clause if scene.roles.get(d.start) in (None, "partner")]
        if follow:
            named = next((d for d in usable if d.start == follow.end()), None)
            if named is not None:
                subject_drug = scene.subject_drug
                if subject_drug is not None and scene.same.get(named.norm, named.norm) != scene.same.get(subject_drug.norm, subject_drug.norm) and any(
                    scene.same.get(d.norm, d.norm) == scene.same.get(subject_drug.norm, subject_drug.norm) for d in scene.drugs if sent[0] <= d.start < sent[1]
                ):
                    return "control", named.norm, None, "clause"  # "34 percent of patients treated with Humira" beside Taltz
                return self._regimen(scene, named, usable, "clause")
        before = _first_of_combination(text, [d for d in usable if d.start < start])
        if before:
            if scene.roles.get(before[-1].start) == "partner":
                return None, None, None, None  # "eseba-vec/pembrolizumab": the regimen's own drug is not one we know
            return self._regimen(scene, before[-1], usable, "clause")
        after = [d for d in usable if d.start >= end and scene.roles.get(d.start) is None]
        if after:
            return self._regimen(scene, after[0], usable, "clause")
        in_sentence = [d for d in scene.drugs if sent[0] <= d.start < sent[1]]
        free = [d for d in in_sentence if scene.roles.get(d.start) is None]
        if free:
            if len({scene.same.get(d.norm, d.norm) for d in free}) == 1:
                return self._regimen(scene, free[0], [d for d in in_sentence if scene.roles.get(d.start) in (None, "partner")], "sentence")
            return None, None, None, None
        if in_sentence:
            return None, None, None, None  # only comparators, partners or background therapies here
        passage = scene.paras.passage_start(text, start)
        found = subject(scene.creditable, passage, start, scene.same)
        if found is not None:
            partners = None
            if COMBINATION_WORD.search(clause_text):  # "The combination produced an ORR of 52%"
                partners = ", ".join(sorted({d.norm for d in scene.drugs if passage <= d.start < start
                                             and scene.roles.get(d.start) == "partner"})) or None
            return None, found.norm, partners, "paragraph"
        if scene.subject_drug is not None:
            return None, scene.subject_drug.norm, None, "document"
        return None, None, None, None

    @staticmethod
    def _regimen(scene: Scene, drug: Cand, usable: list[Cand], basis: str) -> tuple[str | None, str | None, str | None, str | None]:
        """The investigational drug of a regimen and its partners: "SL-172154 plus azacitidine"."""
        partners = sorted({d.norm for d in usable if d.norm != drug.norm and scene.roles.get(d.start) == "partner"})
        return None, drug.norm, ", ".join(partners) or None, basis

    @staticmethod
    def _response_trial(scene: Scene, sent: tuple[int, int], start: int, drug: str | None) -> tuple[str | None, str | None]:
        """The trial a rate comes from: named in its sentence; else the passage's one trial; else the
        document's one trial; else the nearest trial named before it whose own sentences name the
        rate's drug. None when the sentence speaks of a study it does not name."""
        text = scene.text
        here = [t for t in scene.trials if sent[0] <= t.start < sent[1]]
        if here:
            prior = [t for t in here if t.start < start]
            if len({t.norm for t in here}) == 1:
                return here[0].norm, sentence_basis(text, here[0].start, start)
            if prior:
                return prior[-1].norm, sentence_basis(text, prior[-1].start, start)
            return None, None
        if UNNAMED_STUDY.search(text, sent[0], sent[1]):
            return None, None  # "In a Phase 2 study conducted in China, ...": not the document's named trial
        passage = scene.paras.passage_start(text, start)
        # a trial named only inside a quotation ("… together with results from the ADvocate studies") is no rival
        # (a rate inside the same quotation is the speaker's, and stays with the trial the speaker names)
        unquoted = [t for t in scene.trials
                    if not any(lo < t.start < hi and not lo < start < hi for lo, hi in scene.speech)]
        found = subject(unquoted, passage, start, scene.same_trial)
        if found is not None:
            if scene.new_study_since(found.end, start):
                return None, None
            return scene.same_trial.get(found.norm, found.norm), "paragraph"
        if any(passage <= t.start < start for t in unquoted):
            # the paragraph names several trials: which one is not said, unless the last one named is the subject of a
            # sentence that defines it ("LEAP-004 is a Phase 2, single-arm, open-label trial evaluating KEYTRUDA …"),
            # the description the rate then goes on with
            last = max((t for t in unquoted if t.start < start), key=lambda t: t.start)
            if (drug is not None and DEFINED_AS_STUDY.match(text, last.end) and not scene.new_study_since(last.end, start)
                    and scene.same.get(drug, drug) in scene.trial_drugs.get(scene.same_trial.get(last.norm, last.norm), set())):
                return scene.same_trial.get(last.norm, last.norm), "nearest"
            return None, None
        earlier = [t for t in scene.trials if t.start < start and scene.in_body(t.start)]
        if not earlier:
            # a headline or opening rate before the trial is named: the document's one trial, when its own
            # sentences name the rate's drug ("… showed an ORR of 44% …" ahead of "the LIBRETTO-001 trial of Retevmo")
            named = {scene.same_trial.get(t.norm, t.norm) for t in scene.trials if scene.in_body(t.start)}
            if (drug is not None and len(named) == 1 and scene.same.get(drug, drug) in scene.trial_drugs.get(next(iter(named)), set())
                    and not OTHER_EVIDENCE.search(text, sent[0], sent[1])):  # "in a pooled analysis of three studies"
                return next(iter(named)), "document"
            return None, None
        if scene.new_study_since(min(passage, earlier[-1].end), start):
            return None, None  # "... in a separate 121-patient study": results of a study not named
        if scene.subject_trial is not None:
            return scene.same_trial.get(scene.subject_trial.norm, scene.subject_trial.norm), "document"
        if drug is not None:
            nearest = scene.same_trial.get(earlier[-1].norm, earlier[-1].norm)
            if scene.same.get(drug, drug) in scene.trial_drugs.get(nearest, set()):
                return nearest, "nearest"
        return None, None

    @staticmethod
    def _level(sentence: str, population: str | None) -> str | None:
        found = list(DOSE_LEVEL_RE.finditer(sentence))
        if found:
            return N.dose_level_norm(found[-1].group(0))
        if population:
            pl = DOSE_LEVEL_RE.search(population)
            return N.dose_level_norm(pl.group(0)) if pl else None
        return None


def _first_of_combination(text: str, drugs: list[Cand]) -> list[Cand]:
    """'QRN-6120 plus cetuximab', 'SL-172154 in combination with azacitidine': the regimen is named
    by its first drug, so drop trailing partners joined to it."""
    while len(drugs) >= 2 and COMBINATION_GAP.fullmatch(re.sub(r"\s*\([^)]{1,15}\)", "", text[drugs[-2].end : drugs[-1].start])):
        drugs = drugs[:-1]
    return drugs


@Language.factory("biotech_quantities", default_config={"rules_dir": None})
def make_quantity_parser(nlp: Language, name: str, rules_dir: str | None) -> QuantityParser:
    from .rules import load_rules_cached

    return QuantityParser(load_rules_cached(rules_dir))
