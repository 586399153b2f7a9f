"""Relation linking: the ``biotech_relations`` spaCy component.

No parser exists in a blank pipeline, so relations are read off sentences: two facts in
one sentence, with the cue phrases of the domain guide deciding which pairs count, and the
roles of :mod:`.roles` keeping prior, background, example and comparator drugs out. A link
beyond one sentence needs the paragraph's or the document's one subject. Every link keeps the
spans of both ends and its basis, so its evidence can be shown and checked.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ..models import section_at
from .context import POPULATION_HEADING
from .entities import trial_population
from .normalize import broader_disease, code_key
from .roles import (BASES, OTHER_EVIDENCE, TICKER_AFTER, UNNAMED_STUDY, Paragraphs, alias_pairs, is_product, issuer_of, numbered_by_stem, opening_end, roles_of, same_clause, same_drug,
                    same_series, sentence_basis, subject)
from .rules import RuleSet
from .text import NAME_LIST_GAP, Cand, Sentences, doc_text, paragraph_bounds

#: A drug a study's own words name as what it tests: "RELAY trial of CYRAMZA", "KEYNOTE-189 study of the ALIMTA".
TRIAL_OF_GAP = re.compile(r"^\s*(?:(?:phase\s+\S+|pivotal|registrational|clinical)\s+){0,2}(?:trial|study)\s+(?:of|evaluating|examining|testing)\s+(?:the\s+)?$", re.I)
#: Drugs of one combination, written together: "ALIMTA-KEYTRUDA-platinum", "X plus Y", "X in combination with Y".
WRITTEN_COMBINATION_GAP = re.compile(r"^\s*(?:[-‐+/]|plus|and|with|in\s+combination\s+with|combined\s+with)\s*$", re.I)
PHASE_TRIAL_GAP = re.compile(r"^[\s\-,]*(?:(?:pivotal|global|randomi[sz]ed|registrational|open-label|ongoing|clinical|basket|multicenter|confirmatory|dose-escalation|first-in-human)[\s,\-]+){0,3}$", re.I)
#: "the Phase 1/2 Study ONCT-808-101", "in phase I study JVDF", "a Phase 3 trial, KEYNOTE-189", "a Phase 2 trial
#: (AdPNP-203)": the study word, then the study's name.
PHASE_STUDY_NAME_GAP = re.compile(r"^[\s\-,]*(?:(?:pivotal|global|randomi[sz]ed|registrational|open-label|clinical)\s+){0,2}"
                                  r"(?:(?:trial|study)\s*[,(]?|(?:trials|studies))\s*$", re.I)  # "the Phase 2 trials KEYNOTE-199 and …"
#: "two monotherapy Phase 3 trials, ADvocate 1 and ADvocate 2": a plural study word, a comma, then a list of at least
#: two ("Following two Phase 2 studies, HERON-3, a Phase 3 trial, began" names one trial of another phase).
PHASE_STUDIES_COMMA_GAP = re.compile(r"^\s+(?:[\w\-]+\s+){0,2}?(?:trials|studies)\s*,\s*$", re.I)
#: "four Phase 3 trials in RCC, including LITESPARK-011 and LITESPARK-012", "two Phase 3 trials: FASCINATE-3,
#: ...": a plural study word, then the trials it lists.
PHASE_TRIALS_LISTED_GAP = re.compile(
    r"^\s+(?:[\w\-]+\s+){0,2}?(?:trials|studies)\b(?:\s+(?:in|of|for)\s+[\w\-]+(?:\s+[\w\-]+){0,3}?"
    # "multiple Phase 3 clinical studies evaluating V116 in … populations, including STRIDE-3, STRIDE-4 …"
    r"|\s+(?:evaluating|assessing|investigating|studying|testing)\s+(?:(?!\b(?:[Pp]hase|trials?|stud(?:y|ies))\b)[^.;:()]){1,120}?)?"
    r"\s*(?:,\s*(?:including|namely)|:)\s*$", re.I)
#: "GLORA-4, a global registrational Phase III study", "GLORA-4 study (NCT06641414), a ... Phase III
#: study", "GLORA-4 is a multi-region, randomized, double-blind Phase III trial": the trial, then its phase.
TRIAL_PHASE_APPOSITION = re.compile(
    r"^\s*(?:(?:trial|study)\s*)?(?:\([^)]{0,40}\)\s*)?[,:]?\s*(?:is\s+|was\s+)?(?:a|an|the|our|its|their)\s+(?:[\w\-/]+,?\s+){0,5}?$", re.I
)
#: "BREEZE-AD1 and BREEZE-AD2, two Phase 3 studies", "ADvocate 1 and 2 are both Phase 3 trials": a list of
#: trials, then the phase they share.
TRIALS_PHASE_APPOSITION = re.compile(
    r"^\s*(?:(?:trials|studies)\s*)?,?\s*(?:are\s+|were\s+)?(?:both|two|three|four|five|twin|identical|the\s+two)\s+(?:[\w\-/]+,?\s+){0,4}?$", re.I
)
#: "the GLORA-4 Phase III Trial", "the EASE phase III program": the phase written right after the trial's
#: name, as part of what the study is called (the word after the phase says it is a study).
TRIAL_THEN_PHASE_GAP = re.compile(r"^[\s\-–,]*$")
STUDY_WORD_AFTER = re.compile(r"\s+(?:\w+\s+){0,3}?(?:trials?|stud(?:y|ies)|program(?:me)?s?|portion)\b", re.I)
#: "These studies will evaluate …", "The trial enrolled …", "In these double-blind, placebo-controlled Phase 3
#: trials, …": a sentence that opens by pointing back at the study (or studies) the sentence before, or the
#: heading above, named. Group 1 is the determiner (its number must agree), group 2 the study word; "the study
#: drug" is no reference to a study.
STUDY_ANAPHOR = re.compile(
    r"[^\w]*(?:in\s+)?(the\s+two|the\s+three|each\s+of\s+these|this|these|both|the)\s+"
    r"(?:(?!(?:a|an|the|has|have|had|is|are|was|were|also|will|which|that)\b)[\w\-/]+,?\s+){0,5}?(trials?|stud(?:y|ies))\b"
    r"(?![\-’'])(?!\s+(?:drug|treatment|medication|product)s?\b)",
    re.I,
)
PLURAL_ANAPHOR = frozenset({"these", "both", "the two", "the three", "each of these"})
#: A phase inside the reference is the trials' own only after a demonstrative ("In these Phase 3 trials"); "The
#: Phase 1 study was designed to …" after "SPRINT is a Phase 1/2 study" names a part of the trial.
DEMONSTRATIVE_ANAPHOR = frozenset({"this", "these", "both", "each of these"})
#: A phase that names a series' programme: "the SURPASS phase 3 global clinical development program".
PROGRAM_AFTER = re.compile(r"\s+(?:[\w\-]+\s+){0,3}?program(?:me)?s?\b", re.I)
#: A phase of the studies of a programme: "five Phase 3 studies that make up the BREEZE-AD program" (every study of
#: it: its numbered trials share the phase), "two Phase 1 studies in the ZEPHYR program" (some: the programme only).
PHASE_PROGRAM_GAP = re.compile(r"\s+(?:[\w\-]+\s+){0,2}?(?:studies|trials)\s+(?P<all>that\s+(?:make\s+up|comprise|form)\s+)?(?:(?:in|of|within|from)\s+)?the\s+", re.I)
POSSESSIVE = re.compile(r"^['’]s?\s+(?:\([^)]{0,30}\)\s+)?(?:[\w\-]+\s+){0,3}$")
DEAL_CUE = re.compile(
    r"(?i)\b(?:licen[cs]\w*|collaborat\w*|partner\w*|agreement|rights\s+to|acquir\w*|co-develop\w*|"
    r"commerciali[sz]\w*|option\s+to|in-licen\w*|out-licen\w*|sublicen\w*|royalt\w*|upfront)\b"
)
TARGET_DRUG_GAP = re.compile(r"^[\w\-]*(?:[\s,]+(?:monoclonal|bispecific|small[- ]molecule|oral|selective|antibody|inhibitors?|"
                             r"agonists?|antagonists?|blockers?|degraders?|ADC|antibody-drug|conjugates?|T-cell|engagers?|therapy|"
                             r"candidate|drug|CAR[- ]?T?))*(?:[\s,(]+|\s+(?:drugs|medicines|medications)\s+)$")
#: A sentence about side effects: its diseases are not what a drug or trial treats.
ADVERSE_SENTENCE = re.compile(r"(?i)\b(?:adverse\s+(?:reactions?|events?)|side\s+effects?|most\s+common(?:ly\s+reported)?|"
                              r"contraindicat\w+|warnings?\s+and\s+precautions|boxed\s+warning|"
                              # "the incidence of new or worsening hypertension was higher", not "reduced the incidence of RSV"
                              r"(?<!reduced\sthe\s)(?<!reduces\sthe\s)(?<!lowered\sthe\s)(?<!lowers\sthe\s)incidences?\s+of)\b")
#: The release's own company named as the drug's owner without its name: "Gedeptin, the Company's
#: gene-directed enzyme prodrug therapy", "our lead candidate, ABC-123" (the issuer, see roles.issuer_of).
ISSUER_APPOSITION_AFTER = re.compile(r"(?i)\s*[®™]?\s*(?:\([^)]{0,40}\)\s*)?,\s*(?:the\s+company['’]s|our)\s")
ISSUER_POSSESSIVE_BEFORE = re.compile(r"(?i)\b(?:the\s+company['’]s|our)\s+(?:(?:lead|novel|investigational|proprietary|clinical-stage|"
                                      r"product|drug|therapeutic|vaccine|gene|cell|therapy|candidate|program|asset)[\s,\-]+){0,4}$")
#: Context cues saying a disease mention is not something treated (see rules/context.jsonl).
NOT_TREATED = frozenset({"CONTEXT_ADVERSE", "CONTEXT_HISTORY", "CONTEXT_NEGATED"})
#: Patients described by a therapy they are on: "adults with type 2 diabetes treated with metformin".
BACKGROUND_POPULATION = re.compile(
    r"(?i)\b(?:patients|adults|people|participants|subjects|children|adolescents)\b[^.;:]{0,140}?\b(?:treated\s+with|on|taking|"
    r"receiving|using|controlled\s+(?:with|on))\s+(?:stable\s+|background\s+|a\s+stable\s+dose\s+of\s+)?(?:[\w\-]+\s+){0,2}$"
)
#: How much of an about section's opening is its heading ("About GeoVax Labs, Inc." or a heading run into its text).
MAX_ABOUT_HEADING = 60
#: A therapy the trial's patients stay on, right before its name: "on stable doses of metformin", "on a background of".
STABLE_BACKGROUND_BEFORE = re.compile(r"(?i)\b(?:on|with|receiving|taking)\s+(?:a\s+)?(?:stable|background|maximally\s+tolerated)\s+"
                                      r"(?:doses?\s+of\s+|therapy\s+with\s+)?$")
#: Sections of label text: the trials they list are the label's evidence, their partners the backbone.
LABEL_SECTIONS = frozenset({"safety", "indications"})
BACKBONE_CUE = re.compile(r"(?i)\b(?:chemotherapy|platinum|standard[- ]of[- ]care|background\s+therapy|backbone)\b")
#: A partner that supplies a drug or helps run a study is no owner: "under a supply agreement", "the cohort,
#: which was conducted in collaboration with Pfizer and Astellas".
SUPPLY_CUE = re.compile(r"(?i)\bsuppl(?:y|ies|ied|ying)\b|\b(?:conducted|run|performed|carried\s+out)\s+(?:\w+\s+){0,2}?in\s+collaboration\s+with\b")
COMPANY_DRUG_CUE = re.compile(r"(?i)\b(?:developed|discovered|licensed|acquired|marketed|manufactured|sponsored|owned|partnered)\s+(?:by|from|with)\s*$")
#: A regulatory step that says what it rests on: "This sBLA is based on data from the pivotal Phase 3 KEYNOTE-590
#: trial", "The approval was based on results from the Phase 3 OlympiA trial".
REGULATORY_BASIS = re.compile(
    r"(?i)\b(?:approvals?|applications?|s?NDAs?|s?BLAs?|MAAs?|opinions?|submissions?|acceptance|authori[sz]ations?|"
    r"recommendations?|filings?)\b[^.;]{0,60}?\b(?:is|was|are|were)\s+(?:primarily\s+|also\s+)?(?:based\s+(?:up)?on|supported\s+by)\b"
)
#: A label's limitation: "safety and effectiveness … in pediatric patients with MSI-H CNS cancers have not been established".
NOT_ESTABLISHED = re.compile(r"(?i)\bnot\s+(?:been\s+)?established\b|\bnot\s+(?:indicated|recommended)\b")
#: How many sentences back a regulatory step's population is looked for.
STEP_REACH = 3


@Language.factory("biotech_relations", default_config={"rules_dir": None})
def make_relation_linker(nlp: Language, name: str, rules_dir: str | None) -> RelationLinker:
    from .rules import load_rules_cached

    return RelationLinker(load_rules_cached(rules_dir))


@dataclass(frozen=True)
class Link:
    """One relation with its evidence: the spans naming each end (None for an end only a
    vocabulary names) and its basis (see :mod:`.roles`)."""

    kind: str
    head: str
    tail: str
    head_span: tuple[int, int] | None
    tail_span: tuple[int, int] | None
    basis: str


DRUG_LABELS = ("DRUG_CODE", "DRUG_NAME")
#: A "sentence" longer than this is text run together without full stops (headline bullets, a list of
#: abstracts): its ends pair only within RUN_ON_REACH characters and one clause.
RUN_ON_CHARS = 600
RUN_ON_REACH = 150
#: A sentence naming more drugs, trials, targets or diseases than this pairs none of them: it is a
#: list, and pairing every member with every other grew as the product of their counts.
MAX_SENTENCE_ENDS = 40
#: What separates two drugs of one list: "cisplatin, gemcitabine or carboplatin", "doxorubicin/prednisone".
LIST_GAP = re.compile(r"\s*(?:,|,?\s*(?:and|or|plus)|/|\+)\s*")
#: Sections whose diseases are warnings and side effects, not what a drug or trial treats.
NO_INDICATION_SECTIONS = frozenset({"safety"})
#: A target phrase that names a class of drugs: "PD-1 inhibitor", "CD20 antibodies", "PD-L1 medicines".
CLASS_AFTER = re.compile(r"(?i)^[\w\-]*(?:\s*(?:,|and|or|/)\s*[\w\-]+)*\s*(?:-|\s)?(?:targeted\s+|directed\s+|blocking\s+)?"
                         r"(?:monoclonal\s+|bispecific\s+|small[- ]molecule\s+|checkpoint\s+)?(?:inhibitors?|antibod(?:y|ies)|"
                         r"medicines?|medications?|therap(?:y|ies)|agonists?|antagonists?|blockers?|agents?|drugs?|treatments?|degraders?)\b")
#: "with/and other" before a class phrase makes the drug it is said of one of the class: "OLUMIANT in combination with
#: other JAK inhibitors", "Verzenio and other CDK4/6 inhibitors"; not a switch ("switched to other TNF inhibitors") nor,
#: by COMPARISON_BEFORE, a comparison ("milder than with other GLP-1 receptor agonists").
OTHER_MEMBERS_BEFORE = re.compile(r"(?i)\b(?P<link>in\s+combination\s+with|with|and|plus)\s+other\s+$")
#: Between a drug and "and other …": nothing but a comma ("Verzenio and other CDK4/6 inhibitors").
OTHER_LIST_GAP = re.compile(r"\s*,?\s*")
#: ... nor after a comparison's word in the clause: "response rates compared favorably with other CD20 antibodies".
COMPARISON_BEFORE = re.compile(r"(?i)\b(?:than|compared?|comparable|comparison|versus|vs\.?|relative|similar|superior|inferior|unlike|"
                               r"against|over|on\s+top\s+of|added\s+to)\b[^.;:]{0,40}$")
#: Drug, then the target phrase that describes it: "daratumumab, an anti-CD38 antibody", "ALLO-316 (a CD70 CAR T)".
DRUG_TARGET_APPOSITION = re.compile(
    r"(?i)^\)?\s*(?:\([^)]{0,30}\)\s*)?(?:\d[\d.,]*\s?(?:mg|mcg|µg|ug|g|mL)\b\s*)?(?:,|\(|\bis\b|\bwas\b|\bas\b)\s*(?:an?|the|our|its|first|potential)?\s*"
    r"(?:[\w\-/®,'’]+\s+){0,6}?(?:(?:targeting|directed\s+(?:against|at|to)|against|that\s+targets|which\s+targets|"
    r"inhibitor\s+of|antagonist\s+of|agonist\s+of)\s+(?:the\s+)?)?(?:anti-?\s*)?$"
)


class RelationLinker:
    def __init__(self, rules: RuleSet) -> None:
        if not Doc.has_extension("relations"):
            Doc.set_extension("relations", default=None)
        self.lymphodepletion = {t.lower() for t in rules.terms("LYMPHODEPLETION")}
        self.code_aliases = rules.gazetteers.get("drug_code_aliases.tsv", {})

    @staticmethod
    def _step_population(text: str, sents: Sentences, paras: Paragraphs, sections, by_sentence: dict[int, list[Cand]],
                         index: int) -> list[Cand]:
        """The diseases of the regulatory step a sentence says rests on a trial: those of the nearest sentence
        before it, in its paragraph and at most STEP_REACH sentences back, that names one (not a label's
        limitation of use or a side effect)."""
        para = paras.span(sents.bounds[index][0]) if sents.bounds else None
        for back in range(index - 1, max(-1, index - 1 - STEP_REACH), -1):
            if para is None or sents.bounds[back][0] < para[0]:
                break
            lo, hi = sents.bounds[back]
            if section_at(sections, lo) in NO_INDICATION_SECTIONS or ADVERSE_SENTENCE.search(text, lo, hi) or NOT_ESTABLISHED.search(text, lo, hi):
                continue
            found = [c for c in by_sentence.get(back, ()) if c.label == "INDICATION" and not c.context & NOT_TREATED]
            if found:
                return found
        return []

    @staticmethod
    def _heading_population(text: str, paras: Paragraphs, sent: tuple[int, int], cands: list[Cand]) -> list[Cand]:
        """The diseases a label's adverse-reactions heading names for the paragraph under it, when the
        sentence opens that paragraph."""
        index = paras.index(sent[0])
        if index == 0 or paras.bounds[index][0] != sent[0]:
            return []
        lo, hi = paras.bounds[index - 1]
        if not POPULATION_HEADING.match(text, lo, hi):
            return []
        return [c for c in cands if c.label == "INDICATION" and lo <= c.start < hi]

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        cands: list[Cand] = doc._.cands or []
        sections = doc._.sections or ()
        sents = Sentences(doc, text)
        paras = Paragraphs(paragraph_bounds(text))
        links: list[Link] = []

        # "LIBRETTO" -> "LIBRETTO-001", but not a name the text calls a programme ("the KEYFORM program")
        programmes = {c.norm for c in cands if c.label == "TRIAL" and PROGRAM_AFTER.match(text, c.end)}
        series = {short: member for short, member in same_series({c.norm for c in cands if c.label == "TRIAL"}).items()
                  if short not in programmes}

        def norm(end: Cand | str) -> str:
            if isinstance(end, str):
                return end
            return series.get(end.norm, end.norm) if end.label == "TRIAL" else end.norm

        def add(kind: str, head: Cand | str, tail: Cand | str, basis: str, head_at: Cand | None = None) -> None:
            head_cand = head if isinstance(head, Cand) else head_at
            links.append(Link(
                kind, norm(head), norm(tail),
                (head_cand.start, head_cand.end) if head_cand else None,
                (tail.start, tail.end) if isinstance(tail, Cand) else None, basis,
            ))

        by_sentence: dict[int, list[Cand]] = {}
        for cand in cands:
            by_sentence.setdefault(sents.index(cand.start), []).append(cand)
        all_drugs = [c for c in cands if c.label in DRUG_LABELS and c.norm not in self.lymphodepletion]
        shared = Doc.has_extension("drug_roles") and doc._.drug_roles  # set by biotech_quantities: the same drugs
        roles = shared[0] if shared else roles_of(text, all_drugs, lambda at: sents.span(at)[0])
        creditable = [c for c in all_drugs if roles[c.start] is None]
        same = shared[1] if shared else same_drug(text, all_drugs, self.code_aliases)
        own = {same.get(c.norm, c.norm) for c in creditable}  # drugs the document names as drugs of their own
        trials_all = [c for c in cands if c.label == "TRIAL"]
        trial_starts = sorted(c.start for c in trials_all)
        doc_subject = self._document_subject(creditable, sections, text, same)
        # (drug, trial) where a sentence says every arm of the trial gets the drug ("Verzenio plus fulvestrant
        # vs fulvestrant in MONARCH 2"): background, not what the trial tests, wherever else the two meet
        given_to_all: set[tuple[str, str]] = set()
        for index, group in sorted(by_sentence.items()):
            sent = sents.bounds[index] if sents.bounds else (0, len(text))
            section = section_at(sections, sent[0])
            drugs = [c for c in group if c.label in DRUG_LABELS and c.norm not in self.lymphodepletion]
            free = [d for d in drugs if roles[d.start] is None]
            # a partner defines the combination a trial tests ("QRN-6120 with cetuximab"), except in label text
            # ("when KEYTRUDA was administered with pemetrexed") and beside a chemotherapy backbone
            adverse = bool(ADVERSE_SENTENCE.search(text, sent[0], sent[1]))
            backbone = section in LABEL_SECTIONS or bool(BACKBONE_CUE.search(text, sent[0], sent[1]))
            tested = [d for d in drugs if (roles[d.start] in (None, "comparator") and not self._background_population(text, d, sent, doc_subject, same))
                      or (roles[d.start] == "partner" and not adverse and (not backbone or same.get(d.norm, d.norm) in own))]
            targets = [c for c in group if c.label == "TARGET"]
            trials = [c for c in group if c.label == "TRIAL"]
            for drug in drugs:
                if roles[drug.start] == "background" and "CONTEXT_PRIOR" not in drug.context:  # every arm's, not a prior therapy
                    given_to_all.update((same.get(drug.norm, drug.norm), norm(t)) for t in trials)
            ncts = [c for c in group if c.label == "NCT_ID"]
            phases = [c for c in group if c.label == "PHASE"]
            indications = [c for c in group if c.label == "INDICATION" and not c.context & NOT_TREATED]
            studied = indications  # what the sentence's trial enrolled
            enrolled: list[Cand] = []  # ... when only that is said: the disease the trial's own drug was studied in
            if section in NO_INDICATION_SECTIONS or ADVERSE_SENTENCE.search(text, sent[0], sent[1]):
                indications = []  # side effects and warnings, not what the drug or trial treats
                # "In KEYNOTE-006, ... adverse reactions in 9% of 555 patients with advanced melanoma": safety
                # text still says whom the trial enrolled
                studied = [c for c in studied if trial_population(text, c.start, sent[0], trial_starts)]
                enrolled = studied
                if trials and not studied and section in NO_INDICATION_SECTIONS:
                    # "ADVERSE REACTIONS—Maintenance gBRCAm Recurrent Ovarian Cancer ¶ Most common adverse reactions
                    # … in the maintenance setting for SOLO-2 were: …": the label's heading names whom the trial enrolled
                    for indication in self._heading_population(text, paras, sent, cands):
                        for trial in trials:
                            add("trial_indication", trial, indication, "paragraph")
            companies = [c for c in group if c.label == "COMPANY"]
            if max(len(drugs), len(trials), len(targets), len(indications)) > MAX_SENTENCE_ENDS:
                continue  # a listing run together (a pipeline table), not a statement of what goes with what
            # a "sentence" this long is headlines or an abstract list run together: only neighbours go together
            run_on = sent[1] - sent[0] > RUN_ON_CHARS

            def near(a: Cand, b: Cand) -> bool:
                return not run_on or (abs(a.start - b.start) <= RUN_ON_REACH and same_clause(text, a.start, b.start))
            previous_tie: tuple[Cand, Cand] | None = None  # (target, drug) of the last target a drug's apposition described
            for target in targets:
                tie = self._target_drug(text, target, drugs, free, roles)
                if (tie is None and previous_tie is not None and (gap := TARGET_COORDINATION.fullmatch(text, previous_tie[0].end, target.start))
                        and not (gap.group(0) == "/" and ANTI_BEFORE.search(text, max(0, previous_tie[0].start - 6), previous_tie[0].start))
                        and not EARLIER_CLASSES_BEFORE.search(text, max(0, previous_tie[0].start - 30), previous_tie[0].start)):
                    # "tirzepatide, Lilly's dual GIP and GLP-1 receptor agonist": the apposition describes the drug by both
                    tie = (previous_tie[1], "apposition")
                previous_tie = (target, tie[0]) if tie is not None and tie[1] == "apposition" else None
                if tie is not None:
                    add("drug_target", tie[0], target, tie[1])
                    if tie[1] == "apposition" and tie[0].start > target.start and PLURAL_CLASS_GAP.match(text, target.end, tie[0].start):
                        # "the SGLT2 medications canagliflozin, dapagliflozin and empagliflozin": the class names each
                        # (not "the PD-1 inhibitor nivolumab and ipilimumab": one class, then a partner)
                        for listed in _coordinated(text, tie[0], drugs, roles):
                            add("drug_target", listed, target, "apposition")
                    continue
                # "Not recommended for use with other JAK inhibitors or cyclosporine": the paragraph's drug is one of the
                # class (a label's "with other …" only; "X and other …" names its own X)
                other = _one_of_class(text, target)
                one_of_class = bool(other) and other.group("link").lower() not in ("and", "plus") and not any(d.end <= target.start for d in drugs)
                if not drugs or one_of_class:
                    # "It is a KRAS G12C inhibitor": the one drug the paragraph is about
                    drug = subject(creditable, paras.passage_start(text, target.start), target.start, same)
                    if drug is not None and (one_of_class or not CLASS_AFTER.match(text[target.end : target.end + 30])):
                        add("drug_target", drug, target, "paragraph")
            # one drug tested in the sentence: every trial it lists is that drug's ("studies donanemab in multiple
            # trials, including TRAILBLAZER-ALZ 3, …; TRAILBLAZER-ALZ 5, …; and TRAILBLAZER-ALZ 6, …")
            one_drug = len({same.get(d.norm, d.norm) for d in tested}) == 1
            owners_of = {id(i): _trial_owners(text, i, trials, studied) for i in studied} if trials else {}
            bound = _bound_to_trial(text, trials, drugs)
            for trial in trials:
                for drug in tested:
                    if bound.get(drug.start, trial) is not trial and any(t is trial for t in bound.values()):
                        continue  # "RELAY trial of CYRAMZA … and KEYNOTE-189 study of ALIMTA": each study's own drug
                    nearest = min(trials, key=lambda t: abs(t.start - drug.start))
                    apart = ";" in text[min(drug.start, trial.start) : max(drug.start, trial.start)]  # another item of a list
                    if (len(trials) == 1 or one_drug or (nearest is trial and not apart) or same_clause(text, drug.start, trial.start)) and near(drug, trial):
                        add("drug_trial", drug, trial, sentence_basis(text, drug.start, trial.start))
                if not drugs:
                    # "KRONOS-301 compares the combination with chemotherapy": the drug under discussion
                    drug = subject(creditable, paras.passage_start(text, trial.start), trial.start, same)
                    if drug is not None:
                        add("drug_trial", drug, trial, "paragraph")
                    elif doc_subject is not None:
                        add("drug_trial", doc_subject, trial, "document")
                for indication in studied:
                    if trial in owners_of[id(indication)] and near(trial, indication):
                        add("trial_indication", trial, indication, sentence_basis(text, trial.start, indication.start))
            basis = (REGULATORY_BASIS.search(text, sent[0], sent[1])
                     if len({t.norm for t in trials}) == 1 and not studied and section not in NO_INDICATION_SECTIONS else None)
            if basis is not None:
                # "FDA accepted an sBLA … for patients with esophageal cancer. This sBLA is based on data from the
                # Phase 3 KEYNOTE-590 trial": the trial enrolled those the application is for
                for indication in self._step_population(text, sents, paras, sections, by_sentence, index):
                    for trial in trials:
                        if trial.start >= basis.end():
                            add("trial_indication", trial, indication, "paragraph")
            if not trials:
                # "These studies will evaluate empagliflozin in adults with chronic heart failure": the trials
                # the sentence before named
                pointed, reference_end = self._anaphor_trials(text, sent, by_sentence.get(index - 1, ()), norm)
                for trial in pointed:
                    for indication in studied:
                        add("trial_indication", trial, indication, "paragraph")
                    for phase in phases:
                        if phase.end <= reference_end:
                            add("trial_phase", trial, phase, "paragraph")
            for nct in ncts:
                trial = _nearest_before(nct, trials) or _nearest(nct, trials)
                if trial is not None:
                    add("trial_nct", trial, nct, sentence_basis(text, trial.start, nct.start))
                elif len({t.norm for t in trials_all}) == 1:
                    add("trial_nct", trials_all[0], nct, "document")
            for phase in phases:
                for trial in self._phase_trials(text, phase, trials):
                    add("trial_phase", trial, phase, "apposition")
                    if PROGRAM_AFTER.match(text, phase.end):
                        # "the SURPASS phase 3 clinical development program": its numbered trials (SURPASS-1 …)
                        for member in _series_members(trial, trials_all):
                            add("trial_phase", member, phase, "document")
                # "the third of five Phase 3 studies that make up the BREEZE-AD program": the programme and its trials
                gap = next(((t, m) for t in trials if t.start >= phase.end and (m := PHASE_PROGRAM_GAP.fullmatch(text, phase.end, t.start))
                            and PROGRAM_AFTER.match(text, t.end)), None)
                if gap is not None:
                    program, words = gap
                    add("trial_phase", program, phase, "apposition")
                    if words.group("all"):
                        for member in _series_members(program, trials_all):
                            add("trial_phase", member, phase, "document")
            sentence_text = text[sent[0] : sent[1]]
            deal = bool(DEAL_CUE.search(sentence_text)) and not SUPPLY_CUE.search(sentence_text)
            # a disease belongs to the drug named nearest before it, and to the sentence's investigational drug
            # too: in "KEYTRUDA plus pemetrexed for NSCLC" the nearest is the partner, the news is KEYTRUDA's
            treating = [d for d in drugs if roles[d.start] is None] or [d for d in drugs if roles[d.start] not in ("background", "example", "comparator")]
            for drug in drugs:
                if roles[drug.start] in ("background", "example"):
                    continue
                # a partner is credited with the disease only as a product of its own (a brand, a code: "with
                # LENVIMA"), not as a generic backbone ("in combination with pemetrexed and platinum chemotherapy")
                product = is_product(text, drug)
                # "canagliflozin, dapagliflozin and empagliflozin are approved for type 2 diabetes": a disease owned
                # by one drug of a plain list is the whole list's
                listed = _coordinated(text, drug, drugs, roles)
                if roles[drug.start] == "partner" and not product:
                    listed = []  # a generic partner owns no disease, whatever the sentence's other drugs do
                for indication in indications:
                    # ... but not a disease said of the list's last drug alone ("A and B, a Phase 2 candidate for NASH"),
                    # nor beside a list of diseases or "respectively": those pair in ways the text does not spell out
                    owners = listed if len(listed) <= 1 or not self._said_of_last(text, sent, listed, indication, indications) else [drug]
                    if (_owner(indication, treating, text) in owners
                            or (_owner(indication, drugs, text) in owners and roles[drug.start] != "comparator")) and near(drug, indication):
                        add("drug_indication", drug, indication, sentence_basis(text, drug.start, indication.start))
                if roles[drug.start] is None:  # not "with cisplatin and fluorouracil": the partners'
                    for indication in enrolled:
                        add("drug_indication", drug, indication, sentence_basis(text, drug.start, indication.start))
                if roles[drug.start] == "comparator":
                    continue
                company = self._company_for(text, drug, companies, drugs)
                if company is not None:
                    add("drug_company", drug, company, "apposition")
                if deal and roles[drug.start] is None:
                    for partner in companies:
                        add("drug_company", drug, partner, sentence_basis(text, drug.start, partner.start))
        # drugs the document introduces as what its own is compared against ("Lilly's tirzepatide … compared to insulin
        # degludec" in the headline): a company's only where the text says so, though later mentions ("11% for insulin
        # degludec") lose the cue
        first: dict[str, Cand] = {}
        for d in sorted(all_drugs, key=lambda c: c.start):
            first.setdefault(same.get(d.norm, d.norm), d)
        compared = {n for n, d in first.items() if roles[d.start] == "comparator"}
        self._owners(text, cands, creditable, sents, paras, add, sections, compared)
        self._aliases(text, all_drugs, add)
        links = [k for k in links if not (k.kind == "drug_trial" and (same.get(k.head, k.head), k.tail) in given_to_all)]
        links = _series_phases(links, {(c.start, c.end): c.norm for c in trials_all})
        doc._.relations = _most_specific(_strongest(links))
        if len({norm(t) for t in trials_all}) > 1 and Doc.has_extension("responses") and doc._.responses:
            _responses_by_disease(text, doc._.responses, doc._.relations, cands, sents, same)
        return doc

    @staticmethod
    def _said_of_last(text: str, sent: tuple[int, int], listed: list[Cand], indication: Cand, indications: list[Cand]) -> bool:
        """Whether a disease after a plain list of drugs is said of its last drug alone (an apposition or relative
        clause after it), or the sentence pairs lists ("respectively", a list of diseases)."""
        if RESPECTIVELY.search(text, sent[0], sent[1]) or _in_plain_list(text, indication, indications):
            return True
        return indication.start > listed[-1].end and bool(LAST_ITEM_DESCRIBED.match(text, listed[-1].end))

    @staticmethod
    def _target_drug(text: str, target: Cand, drugs: list[Cand], free: list[Cand], roles: dict[int, str | None]) -> tuple[Cand, str] | None:
        """The drug a target mention belongs to, or None. A target phrase modifying a drug or describing it
        in apposition belongs to that drug; a class phrase ("BTK inhibitors", "their PD-1 medicines")
        anywhere else names other drugs; otherwise the nearest creditable drug of the sentence."""
        after = next((d for d in drugs if d.start >= target.end and TARGET_DRUG_GAP.match(text[target.end : d.start])), None)
        before = [d for d in drugs if d.end <= target.start]
        described = bool(before) and bool(DRUG_TARGET_APPOSITION.match(text[before[-1].end : target.start])) and len(text[before[-1].end : target.start]) < 90
        continues_list = after is not None and any(PLAIN_LIST_GAP.fullmatch(text, after.end, d.start) for d in drugs if d.start > after.end)
        if after is not None and not (described and continues_list and "," in text[target.end : after.start]):
            # ("KEYTRUDA, Merck's anti-PD-1 therapy, LYNPARZA and LENVIMA": the phrase describes the drug before it, and
            # the drug after it opens the next items of a list; in "LYNPARZA, Merck's anti-PD-1 therapy, KEYTRUDA, is …"
            # it is KEYTRUDA's)
            return (after, "apposition") if roles[after.start] != "background" else None
        if described:
            drug = before[-1]
            return (drug, "apposition") if roles[drug.start] not in ("background", "example") else None
        if CLASS_AFTER.match(text[target.end : target.end + 40]):
            other = _one_of_class(text, target)
            # "OLUMIANT in combination with other JAK inhibitors": the drug the phrase is said of; "X and other …": X itself,
            # when creditable (not "in combination with KEYTRUDA and other PD-1 inhibitors", a partner's class)
            member = (before[-1] if before and before[-1] in free else None) if other else None
            if member is not None and other.group("link").lower() in ("and", "plus") and not OTHER_LIST_GAP.fullmatch(text, member.end, other.start()):
                member = None
            if member is not None:
                # "Use of OLUMIANT in combination with other JAK inhibitors is not recommended": one of the class
                return (member, sentence_basis(text, member.start, target.start))
            return None  # "covalent BTK inhibitors and venetoclax", "with an anti-PD-1 therapy": a class, not this drug
        if not free:
            return None
        drug = _nearest(target, free)
        return (drug, sentence_basis(text, drug.start, target.start)) if drug is not None else None

    @staticmethod
    def _background_population(text: str, drug: Cand, sent: tuple[int, int], subject_drug: Cand | None, same: dict[str, str]) -> bool:
        """"in adults with type 2 diabetes treated with metformin": a therapy the trial's patients were already
        on, unless it is the drug the document is about."""
        if subject_drug is not None and same.get(drug.norm, drug.norm) == same.get(subject_drug.norm, subject_drug.norm):
            return False
        if text[drug.start : drug.end].lower() != drug.norm:
            return False  # a brand (KEYTRUDA) names a sponsor's product, not a background generic
        return bool(BACKGROUND_POPULATION.search(text[max(sent[0], drug.start - 200) : drug.start]))

    @staticmethod
    def _document_subject(creditable: list[Cand], sections: tuple, text: str, same: dict[str, str]) -> Cand | None:
        """The drug the headline (or, without one, the opening paragraph) is about, when it names one."""
        title = next((s for s in sections if s.name == "title"), None)
        if title is not None:
            found = subject(creditable, title.start, title.end, same)
            if found is not None:
                return found
        return subject(creditable, 0, opening_end(text), same)

    def _owners(self, text: str, cands: list[Cand], creditable: list[Cand], sents: Sentences, paras: Paragraphs, add,
                sections: tuple = (), compared: set[str] | frozenset[str] = frozenset()) -> None:
        """Whose drug it is when no sentence says so: the company whose ticker prefixes the code, the one
        company of the paragraph (of the sentence, for a named drug), else the issuer for its codes and
        for what its headline and opening paragraph are about. Comparators, partners, examples and
        background therapies are nobody's here."""
        companies_all = [c for c in cands if c.label == "COMPANY"]
        issuer = issuer_of(text, cands)
        tickers = _tickers(text, companies_all)
        opening = opening_end(text)
        # "Lilly's ALIMTA … with KEYTRUDA (pembrolizumab)": a company whose possessive names one drug is that
        # drug's, not every drug of its sentence
        possessed = _possessed(text, companies_all, [c for c in cands if c.label in DRUG_LABELS])
        for cand in creditable:
            para = paras.span(cand.start)
            here = [c for c in companies_all if para[0] <= c.start < para[1]]
            others: set[str] = set()
            basis = "paragraph"
            owner: Cand | None = None
            generic = cand.label == "DRUG_NAME" and text[cand.start : cand.end].lower() == cand.norm
            generic_in_list = generic and self._listed(text, cand, creditable)
            if cand.label == "DRUG_CODE":
                prefix = re.match(r"[A-Za-z]+", text[cand.start : cand.end])
                owner = next((c for tick, c in tickers if prefix and tick.startswith(prefix.group(0).upper())), None)
                basis = "document"
            if owner is None and cand.label == "DRUG_NAME":
                sent = sents.span(cand.start)
                here = [c for c in companies_all if sent[0] <= c.start < sent[1]]
                # a company whose possessive names another drug of the sentence owns that one, not this one
                others = {c.norm for c in here if possessed.get(c.start, cand.norm) != cand.norm}
                # the company's possessive in apposition says so ("Truvada, Gilead's once-daily oral PrEP medication"),
                # else a comparator the release introduces is not its sentence's company's
                named = next((c for c in here if APPOSITIVE_GAP.fullmatch(text, cand.end, c.start)
                              and text[c.end : c.end + 2] in ("'s", "’s")), None)
                if named is not None:
                    here = [named]
                elif cand.norm in compared:
                    here = []
                else:
                    here = [c for c in here if c.norm not in others]
                basis = "sentence"
                if generic:
                    # a generic name (gemcitabine, prednisone) is a company's only in the company's own clause,
                    # and not when it is one of a list of drugs ("R-CHP (rituximab, cyclophosphamide, …, prednisone)")
                    here = [] if generic_in_list else [c for c in here if same_clause(text, c.start, cand.start)]
                    basis = "clause"
            if owner is None and issuer is not None and (
                ISSUER_APPOSITION_AFTER.match(text, cand.end) or ISSUER_POSSESSIVE_BEFORE.search(text, max(0, cand.start - 60), cand.start)
            ):
                owner, basis = issuer, "apposition"  # "Gedeptin, the Company's gene-directed enzyme prodrug therapy"
            if owner is None and len({c.norm for c in here}) == 1:
                owner = here[0]
            elif owner is None and not (cand.label == "DRUG_NAME" and cand.norm in compared):
                basis = "document"
                if issuer is not None and issuer.norm not in others and not {c.norm for c in here} - {issuer.norm} and (
                    cand.label == "DRUG_CODE" or (cand.start < opening and not generic_in_list)
                ):
                    owner = issuer
                elif issuer is not None and not generic_in_list and section_at(sections, cand.start) == "about" and {
                    c.norm for c in companies_all if para[0] <= c.start < para[1]
                } == {issuer.norm} and not STABLE_BACKGROUND_BEFORE.search(text, max(0, cand.start - 40), cand.start) \
                        and _about_the_issuer(text, sections, cand, issuer):
                    # "About GeoVax": the issuer's boilerplate lists its own programmes (not the therapy the trial's
                    # patients were on: "adults with type 2 diabetes on stable doses of metformin")
                    owner, basis = issuer, "paragraph"
            if owner is not None:
                add("drug_company", cand, owner, basis)

    @staticmethod
    def _listed(text: str, drug: Cand, drugs: list[Cand]) -> bool:
        """Whether a drug stands in a list of drugs ("cisplatin, gemcitabine or carboplatin")."""
        return any(d is not drug and LIST_GAP.fullmatch(text, min(d.end, drug.end), max(d.start, drug.start)) for d in drugs)

    def _aliases(self, text: str, drugs: list[Cand], add) -> None:
        for a, b in alias_pairs(text, drugs):
            add("drug_alias", a, b, "apposition")
        for cand in drugs:
            if cand.label == "DRUG_CODE":
                inn = self.code_aliases.get(code_key(cand.norm))
                if inn and inn != cand.norm.lower():
                    add("drug_alias", cand, inn, "vocabulary")

    @staticmethod
    def _anaphor_trials(text: str, sent: tuple[int, int], before: Iterable[Cand], norm: Callable[[Cand], str]) -> tuple[list[Cand], int]:
        """The trials a sentence opening "This study" / "These trials" points back to: the one trial the
        sentence before names (singular), or every trial it names (plural). None when the number does not
        agree or the sentence before names no trial: "The study" after a sentence about two trials is
        ambiguous, and abstaining is cheaper than guessing. Also returns where the reference ends when a
        demonstrative opens it ("In these Phase 3 trials"), else the sentence's start: a phase inside it is
        the trials' own, "The Phase 1 study was designed …" after "SPRINT is a Phase 1/2 study" names a part."""
        match = STUDY_ANAPHOR.match(text, sent[0], sent[1])
        if not match:
            return [], sent[0]
        determiner = " ".join(match.group(1).lower().split())
        reference_end = match.end() if determiner in DEMONSTRATIVE_ANAPHOR else sent[0]
        named = [c for c in before if c.label == "TRIAL"]
        distinct = {norm(c) for c in named}
        plural = determiner in PLURAL_ANAPHOR or match.group(2).lower() in ("trials", "studies")
        if not distinct or (plural and len(distinct) < 2) or (not plural and len(distinct) != 1):
            return [], reference_end
        firsts: dict[str, Cand] = {}
        for c in named:
            firsts.setdefault(norm(c), c)
        return list(firsts.values()), reference_end

    @staticmethod
    def _phase_trials(text: str, phase: Cand, trials: list[Cand]) -> list[Cand]:
        """The trials a phase is written with: "the Phase 3 GLORA-4 trial", "GLORA-4, a Phase 3 study",
        "the GLORA-4 Phase III Trial"; a list shares it ("the Phase 3 EASE-2 and EASE-3 trials", "the
        ADvocate 1 and 2 Phase 3 studies")."""
        ordered = sorted(trials, key=lambda t: t.start)
        for i, trial in enumerate(ordered):
            if trial.start >= phase.end and PHASE_TRIAL_GAP.match(text[phase.end : trial.start]):
                return _trial_list(text, ordered, i, +1)
            if trial.start >= phase.end and (
                PHASE_STUDY_NAME_GAP.match(text[phase.end : trial.start])
                or PHASE_TRIALS_LISTED_GAP.match(text[phase.end : trial.start])
            ):
                return _trial_list(text, ordered, i, +1)
            if trial.start >= phase.end and PHASE_STUDIES_COMMA_GAP.match(text[phase.end : trial.start]):
                listed = _trial_list(text, ordered, i, +1)
                if len(listed) >= 2:
                    return listed
            if trial.end <= phase.start and TRIAL_PHASE_APPOSITION.match(text[trial.end : phase.start]):
                return [trial]
            if trial.end <= phase.start and TRIALS_PHASE_APPOSITION.match(text[trial.end : phase.start]):
                return _trial_list(text, ordered, i, -1)
            if (
                trial.end <= phase.start and TRIAL_THEN_PHASE_GAP.match(text[trial.end : phase.start])
                and STUDY_WORD_AFTER.match(text, phase.end)
            ):
                return _trial_list(text, ordered, i, -1)
        return []

    @staticmethod
    def _company_for(text: str, drug: Cand, companies: list[Cand], drugs: list[Cand]) -> Cand | None:
        """"Merck's KEYTRUDA", "alectinib (marketed by Roche)": the company the drug's own phrase names."""
        for company in companies:
            if company.end <= drug.start and _possessive_before(text, company, drug.start):
                return company
            if drug.end <= company.start and not any(drug.end <= d.start < company.start and d.norm != drug.norm for d in drugs):
                gap = text[drug.end : company.start]
                if (COMPANY_DRUG_CUE.search(gap) and len(gap) <= 60 and not re.search(r"[;)]", gap)) or re.fullmatch(r"\s*\(\s*[\w\-® ]+,\s*", gap):
                    return company
        return None


#: Evidence that is no trial's: "a real-world analysis", "a retrospective registry study", "pooled data".
#: After a list's last drug, words that describe it alone: "ACM-202, a Phase 2 candidate for NASH", "…, which is in Phase 2".
LAST_ITEM_DESCRIBED = re.compile(r"(?i)\s*(?:[®™]\s*)?(?:\(|,\s*(?:an?|the|which|who|our|its|their|currently|now|being)\b)")
RESPECTIVELY = re.compile(r"(?i)\brespectively\b")
#: A class noun in the plural right before a list: "the SGLT2 medications canagliflozin, dapagliflozin and …" names each.
PLURAL_CLASS_GAP = re.compile(r"(?i)[\w\-]*\s+(?:[\w\-]+\s+)?(?:medications|medicines|drugs|inhibitors|agonists|antagonists|antibodies|"
                              r"blockers|agents|therapies)\s+$")
#: Between two drugs of a plain list: "canagliflozin, dapagliflozin and empagliflozin" (not "plus", "+" or "/":
#: those join a combination's partners).
PLAIN_LIST_GAP = re.compile(r"\s*(?:,|,?\s+(?:and|or))\s+")
#: Between two targets that one phrase names together: "GIP and GLP-1", "JAK1, JAK2 and TYK2", "JAK1/JAK2" (not "a PD-1
#: or PD-L1 inhibitor": either target, a class).
TARGET_COORDINATION = re.compile(r"\s*(?:,|,?\s+and)\s+|/")
#: ... nor a slash after "anti-": "the first anti-PD-1/PD-L1 therapy" is the class of drugs against either.
ANTI_BEFORE = re.compile(r"(?i)\banti[-‐ ]?$")
#: ... nor classes of earlier or background therapies: "for CLL after BTK and BCL2 inhibitors", "added to SGLT2 and DPP-4
#: inhibitors".
EARLIER_CLASSES_BEFORE = re.compile(r"(?i)\b(?:after|following|prior|previous(?:ly)?|failed|failure\s+of|on\s+top\s+of|"
                                    r"added\s+to|add-on\s+to|despite|beyond)\s+(?:\w+\s+){0,2}$")


def _about_the_issuer(text: str, sections: tuple, drug: Cand, issuer: Cand) -> bool:
    """Whether the about paragraph holding a drug is the issuer's own ("About GeoVax") or its product's, named as a
    product ("About KEYTRUDA"), not one about another's medicine or a study ("About semaglutide", "About the DUSK-3
    study")."""
    at = drug.start
    section = next((s for s in sections if s.name == "about" and s.start <= at < s.end), None)
    if section is None:
        return False
    # the last "About …" heading before it: one section holds every about paragraph in a row
    last = text.rfind("\nAbout ", section.start, at)
    start = last + 1 if last != -1 else section.start
    newline = text.find("\n", start, section.end)
    heading = text[start : newline if newline != -1 else section.end][:MAX_ABOUT_HEADING].lower()
    if text[issuer.start : issuer.end].split()[0].lower() in heading:
        return True
    return is_product(text, drug) and text[drug.start : drug.end].lower() in heading


def _one_of_class(text: str, target: Cand) -> re.Match[str] | None:
    """The "with/and other" before a class phrase that makes the drug it is said of one of the class
    (OTHER_MEMBERS_BEFORE), when no comparison says otherwise (COMPARISON_BEFORE); else None."""
    other = OTHER_MEMBERS_BEFORE.search(text, max(0, target.start - 40), target.start)
    if other is None or COMPARISON_BEFORE.search(text, max(0, other.start() - 60), other.start()):
        return None
    return other


def _coordinated(text: str, drug: Cand, drugs: list[Cand], roles: dict[int, str | None]) -> list[Cand]:
    """A drug and the drugs listed with it in one plain list of the same role (``drugs`` in text order)."""
    i = next(k for k, d in enumerate(drugs) if d is drug)
    lo = hi = i
    while lo > 0 and roles[drugs[lo - 1].start] == roles[drug.start] and PLAIN_LIST_GAP.fullmatch(text, drugs[lo - 1].end, drugs[lo].start):
        lo -= 1
    while hi + 1 < len(drugs) and roles[drugs[hi + 1].start] == roles[drug.start] and PLAIN_LIST_GAP.fullmatch(text, drugs[hi].end, drugs[hi + 1].start):
        hi += 1
    return drugs[lo : hi + 1]


def _responses_by_disease(text: str, responses: list, links: list[Link], cands: list[Cand], sents: Sentences, same: dict[str, str]) -> None:
    """Fill in the trial of the quantities component's response rows (``doc._.responses``, changed in place): a rate
    whose sentence names one disease and no trial ("For patients with colorectal cancer, the ORR was 34%") comes
    from the one trial the document says, in that trial's own sentence, enrolled that disease ("KEYNOTE-164
    enrolled patients with colorectal cancer"), unless the sentence speaks of another study ("In a separate Phase 1
    study", "a real-world analysis") or the trial is another drug's."""
    trials_of: dict[str, set[str]] = {}
    for link in links:
        if link.kind == "trial_indication" and link.basis in ("apposition", "clause", "sentence"):
            trials_of.setdefault(link.tail, set()).add(link.head)
    drugs_of: dict[str, set[str]] = {}
    for link in links:
        if link.kind == "drug_trial":
            drugs_of.setdefault(link.tail, set()).add(same.get(link.head, link.head))
    diseases = [c for c in cands if c.label == "INDICATION"]
    for hit in responses:
        if hit.trial is not None or hit.arm == "benchmark":
            continue  # a historical benchmark is no trial's result
        lo = sents.span(hit.start)[0]
        if UNNAMED_STUDY.search(text, lo, hit.start) or OTHER_EVIDENCE.search(text, lo, hit.start):
            continue
        diseases_before = {d.norm for d in diseases if lo <= d.start < hit.start}
        if len(diseases_before) != 1:
            continue
        trials = trials_of.get(next(iter(diseases_before)), set())
        if len(trials) != 1:
            continue
        trial = next(iter(trials))
        if hit.drug is not None and drugs_of.get(trial) and same.get(hit.drug, hit.drug) not in drugs_of[trial]:
            continue  # the trial of another drug
        hit.trial = trial
        hit.basis = max((b for b in (hit.basis, "document") if b), key=BASES.index)


def _in_plain_list(text: str, cand: Cand, cands: list[Cand]) -> bool:
    """Whether a mention stands in a plain list with another of ``cands`` ("psoriatic arthritis and lupus")."""
    return any(c is not cand and PLAIN_LIST_GAP.fullmatch(text, min(c.end, cand.end), max(c.start, cand.start)) for c in cands)


def _trial_list(text: str, ordered: list[Cand], i: int, step: int) -> list[Cand]:
    """The trial at ``i`` and those listed with it, walking away from the phase (``step`` -1: back)."""
    out = [ordered[i]]
    j = i + step
    while 0 <= j < len(ordered):
        a, b = (ordered[j], out[-1]) if step < 0 else (out[-1], ordered[j])
        if not NAME_LIST_GAP.fullmatch(text, a.end, b.start):
            break
        out.append(ordered[j])
        j += step
    return out


#: Relation kinds linked to the most specific disease name the text gives. Not drug_indication: a drug
#: approved for psoriasis and studied in plaque psoriasis holds both, one study enrols one population.
DISEASE_TAILS = ("trial_indication",)


def _most_specific(links: list[Link]) -> list[Link]:
    """Drop a disease linked to a trial when the same trial is also linked to a narrower name of it:
    KEYNOTE-189 in "non-small cell lung cancer" is not also a "lung cancer" trial (a reader checking the
    broader row finds a different disease in the text)."""
    tails: dict[tuple[str, str], list[str]] = {}
    for link in links:
        if link.kind in DISEASE_TAILS:
            tails.setdefault((link.kind, link.head), []).append(link.tail)
    return [
        link for link in links
        if link.kind not in DISEASE_TAILS
        or not any(broader_disease(link.tail, other) for other in tails[(link.kind, link.head)] if other != link.tail)
    ]


def _strongest(links: list[Link]) -> list[Link]:
    """One link per (kind, head, tail), the one with the strongest basis; the first of equals."""
    best: dict[tuple[str, str, str], Link] = {}
    for link in links:
        if link.head == link.tail:
            continue
        key = (link.kind, link.head, link.tail)
        if link.kind == "drug_alias" and (link.kind, link.tail, link.head) in best:
            key = (link.kind, link.tail, link.head)
        old = best.get(key)
        if old is None or BASES.index(link.basis) < BASES.index(old.basis):
            best[key] = link
    return list(best.values())


#: Between a drug and the company whose possessive describes it: "Truvada, Gilead's …", "KEYTRUDA (pembrolizumab), Merck's …".
APPOSITIVE_GAP = re.compile(r"\s*[®™]?\s*(?:\([^)]{0,60}\)\s*)?,\s*")


def _possessed(text: str, companies: list[Cand], drugs: list[Cand]) -> dict[int, str]:
    """Company start → the drug its possessive names ("Lilly's ALIMTA", "Merck’s anti-PD-1 therapy KEYTRUDA")."""
    starts = sorted(drugs, key=lambda d: d.start)
    at = [d.start for d in starts]
    out: dict[int, str] = {}
    for company in companies:
        i = bisect.bisect_left(at, company.end)
        if i < len(starts) and starts[i].start - company.end <= 60 and _possessive_before(text, company, starts[i].start):
            out[company.start] = starts[i].norm
    return out


def _possessive_before(text: str, company: Cand, start: int) -> bool:
    """The company's possessive, and at most a few words, before ``start``: "Merck's KEYTRUDA", "Bristol Myers Squibb’s
    (NYSE: BMY) drug …" (the company's span may have taken the possessive)."""
    gap = text[company.end : start]
    if text[company.end - 2 : company.end] in ("'s", "’s"):
        gap = "’s" + gap
    return bool(POSSESSIVE.match(gap))


def _tickers(text: str, companies: list[Cand]) -> list[tuple[str, Cand]]:
    """(ticker, company mention) for every "Name (Nasdaq: TICK)" in the text."""
    out = []
    for company in companies:
        m = TICKER_AFTER.match(text, company.end)
        if m:
            out.append((m.group("ticker"), company))
    return out


def _series_phases(links: list[Link], written: dict[tuple[int, int], str]) -> list[Link]:
    """A series' short name stands for its one numbered trial ("LIBRETTO" for LIBRETTO-001), but not for
    a phase the numbered trial has otherwise: "the Phase 1 EMBER study" is not EMBER-3, "a Phase 3
    trial" elsewhere. Such a phase stays with the name as written."""
    own: dict[str, set[str]] = {}
    for k in links:
        if k.kind == "trial_phase" and written.get(k.head_span) == k.head:
            own.setdefault(k.head, set()).add(k.tail)
    out = []
    for k in links:
        as_written = written.get(k.head_span) if k.kind == "trial_phase" else None
        if as_written and as_written != k.head and own.get(k.head) and k.tail not in own[k.head]:
            k = Link(k.kind, as_written, k.tail, k.head_span, k.tail_span, k.basis)
        out.append(k)
    return out


def _series_members(base: Cand, trials: list[Cand]) -> list[Cand]:
    """The numbered trials of the series ``base`` names ("SURPASS" → SURPASS-1, SURPASS-2), one mention each."""
    stem = code_key(base.norm)
    if not stem or stem[-1:].isdigit():
        return []
    members = set(numbered_by_stem({t.norm for t in trials}).get(stem, ()))
    first = {}
    for t in trials:
        if t.norm in members:
            first.setdefault(t.norm, t)
    return list(first.values())


#: Between a disease and the drug its product noun names: "Mpox/smallpox vaccine (GEO-MVA)", "our RSV vaccine
#: candidate, AC-45": the disease is that product's, not the drug named before it in a list of programmes. Only the
#: product's own words stand between ("melanoma following anti-PD-1 therapy (pembrolizumab)" is not pembrolizumab's).
PRODUCT_NOUN_GAP = re.compile(
    r"[\s\-‐/]*(?:(?!(?:following|after|as|with|versus|vs|plus|on|to|than|prior|for|in|of|and|or|the|an?|its|their|our)\b)[\w/\-‐]+\s+){0,2}?"
    r"(?:vaccines?|immunotherapy|therapy|therapeutic|antibody|program(?:me)?)(?:\s+candidate)?\s*(?:\(|,)\s*$", re.I)


def _owner(fact: Cand, heads: list[Cand], text: str) -> Cand | None:
    """Which of a sentence's drugs (or trials) a disease belongs to: all of them when there is one, the one
    its product noun names after it (PRODUCT_NOUN_GAP), else the nearest named before it ('PL8177 for
    colitis, bremelanotide for obesity')."""
    if len(heads) == 1:
        return heads[0]
    named = next((h for h in heads if fact.end <= h.start <= fact.end + 60 and PRODUCT_NOUN_GAP.fullmatch(text, fact.end, h.start)), None)
    return named or _nearest_before(fact, heads) or _nearest(fact, heads)


#: How far a disease may stand from a list of trials and still be the whole list's ("studies in NSCLC include
#: KEYNOTE-671, …"): a disease further away is said of the list's nearest member at most.
LIST_DISEASE_REACH = 40
#: ... or what the list's own apposition says further on: "BREEZE-AD1 and BREEZE-AD2, two Phase 3 studies
#: evaluating baricitinib … in adults with atopic dermatitis", "COUGH-1 and COUGH-2 are … trials in patients with …".
LIST_SPOKEN_OF_AFTER = re.compile(r"\s*(?:(?:trials|studies)\b|(?:are|were)\s|,\s*(?:both|two|three|four|five|twin|identical)\s)", re.I)
#: A disease, then the trial it is studied in: "for type 2 diabetes in the ACHIEVE phase 3 clinical program".
IN_TRIAL_GAP = re.compile(r"\s+(?:in|from)\s+(?:the|our|its)\s+(?:(?:pivotal|global|registrational|ongoing|Phase\s+\S+)\s+)*", re.I)
#: A disease, then the trials it is said of: "trials in RCC, including LITESPARK-011 and …", "in NSCLC, such as …".
INCLUDING_GAP = re.compile(r"\s*,?\s*(?:including|such\s+as|namely)\s+(?:the\s+)?(?:(?:Phase\s+\S+|pivotal)\s+)?")
#: ... as far as its own clause goes: ", and Acme then began a programme in asthma" is another statement.
CLAUSE_JOIN = re.compile(r",\s+(?:and|but|while|whereas|then)\s|;|\s[–—]\s")


def _bound_to_trial(text: str, trials: list[Cand], drugs: list[Cand]) -> dict[int, Cand]:
    """Drug start → the trial whose own words name it ("RELAY trial of CYRAMZA"), with the drugs written in
    one combination with it ("the ALIMTA-KEYTRUDA-platinum combination")."""
    bound: dict[int, Cand] = {}
    ordered = sorted(drugs, key=lambda d: d.start)
    for trial in trials:
        drug = next((d for d in ordered if d.start >= trial.end and TRIAL_OF_GAP.match(text[trial.end : d.start])), None)
        while drug is not None:
            bound[drug.start] = trial
            last = drug
            drug = next((d for d in ordered if d.start >= last.end and WRITTEN_COMBINATION_GAP.match(text[last.end : d.start])), None)
    return bound


def _trial_owners(text: str, disease: Cand, trials: list[Cand], diseases: list[Cand]) -> list[Cand]:
    """The trials of a sentence a disease belongs to: its owner (see :func:`_owner`) and, when the owner
    stands in a list of trials the disease is written right before or after, the whole list ("Key studies in earlier stages of
    NSCLC include KEYNOTE-671, KEYNOTE-091 and KEYNOTE-867"; "KEYNOTE-189 and KEYNOTE-407 in NSCLC"). A list
    written beside two diseases ("studies in NSCLC and small cell lung cancer include …") does not say
    which trial studies which: each keeps only what it owns on its own."""
    owner = _owner(disease, trials, text)
    if owner is None or len(trials) == 1:
        return [owner] if owner is not None else []
    ordered = sorted(trials, key=lambda t: t.start)
    study = next((t for t in ordered if t.start >= disease.end and IN_TRIAL_GAP.fullmatch(text, disease.end, t.start)), None)
    if study is not None:
        return [study]  # "… for type 2 diabetes in the ACHIEVE phase 3 program": the trial named right after it
    named = next((j for j, t in enumerate(ordered) if t.start >= disease.end and INCLUDING_GAP.fullmatch(text, disease.end, t.start)), None)
    if named is not None:
        # "four Phase 3 trials in RCC, including LITESPARK-011 and LITESPARK-012": the trials the disease's own list names
        listed = _trial_list(text, ordered, named, +1)
        return [owner, *(t for t in listed if t is not owner)]
    i = ordered.index(owner)
    run = _trial_list(text, ordered, i, -1)[::-1] + _trial_list(text, ordered, i, +1)[1:]
    before = 0 <= run[0].start - disease.end <= LIST_DISEASE_REACH
    after = disease.start >= run[-1].end and (
        disease.start - run[-1].end <= LIST_DISEASE_REACH
        or (LIST_SPOKEN_OF_AFTER.match(text, run[-1].end) and not CLAUSE_JOIN.search(text, run[-1].end, disease.start))
    )
    side = [d for d in diseases if (d.end <= run[0].start) == (disease.end <= run[0].start) and d.norm != disease.norm]
    return run if len(run) > 1 and (before or after) and not side else [owner]


def _nearest(anchor: Cand, cands: list[Cand]) -> Cand | None:
    if not cands:
        return None
    return min(cands, key=lambda c: abs(c.start - anchor.start))


def _nearest_before(anchor: Cand, cands: list[Cand]) -> Cand | None:
    before = [c for c in cands if c.end <= anchor.start]
    return before[-1] if before else None
