"""Relation linking: the ``biotech_relations`` spaCy component.

No parser exists in a blank pipeline, so relations are read off sentences: two facts in
one sentence, with the cue phrases of the domain guide deciding which pairs count.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleSet
from .text import Cand, Sentences, paragraph_bounds

PHASE_TRIAL_GAP = re.compile(r"^[\s\-,]*(?:(?:pivotal|global|randomi[sz]ed|registrational|open-label|ongoing|clinical|basket|multicenter|confirmatory|dose-escalation|first-in-human)[\s,\-]+){0,3}$", re.I)
TRIAL_PHASE_APPOSITION = re.compile(r"^\s*(?:\([^)]{0,40}\)\s*)?,?\s*(?:is\s+|was\s+)?(?:a|an|the|our)\s+(?:[\w\-/]+\s+){0,4}?$", re.I)
POSSESSIVE = re.compile(r"^['’]s?\s+(?:[\w\-]+\s+){0,3}$")
ALIAS_GAP = re.compile(
    r"^\s*(?:[\(\[]\s*(?:(?:also\s+known\s+as|formerly(?:\s+known\s+as)?|previously(?:\s+known\s+as)?|now(?:\s+known\s+as)?|"
    r"aka|a\.k\.a\.|developmental\s+code:?|code(?:\s+name)?:?)\s+)?"
    r"|(?P<said>\)?,?\s*(?:(?:also|formerly|previously|now)\s+)?(?:known|referred\s+to|designated)\s+(?:[a-z]+\s+){0,3}?as\s+"
    r"|,?\s*formerly\s+))$",
    re.I,
)
COMPARATOR_BEFORE = re.compile(
    r"(?i)\b(?:against|versus|vs\.?|compared\s+(?:with|to)|relative\s+to|than|over|placebo\s+(?:and|or)|standard[- ]of[- ]care|"
    r"active\s+comparator|in\s+combination\s+with|plus|background)\b[^.;]*$"
)
DEAL_CUE = re.compile(
    r"(?i)\b(?:licen[cs]\w*|collaborat\w*|partner\w*|agreement|rights\s+to|acquir\w*|co-develop\w*|"
    r"commerciali[sz]\w*|option\s+to|in-licen\w*|out-licen\w*|sublicen\w*|royalt\w*|upfront)\b"
)
TARGET_DRUG_GAP = re.compile(r"^[\w\-]*(?:\s+(?:monoclonal|bispecific|small[- ]molecule|oral|selective|antibody|inhibitor|"
                             r"agonist|antagonist|degrader|ADC|antibody-drug|conjugate|T-cell|engager|therapy|candidate|drug|CAR[- ]?T?))*\s+$")
COMPANY_DRUG_CUE = re.compile(r"(?i)\b(?:developed|discovered|licensed|acquired|marketed|manufactured|sponsored|owned|partnered)\s+(?:by|from|with)\s*$")


@Language.factory("biotech_relations", default_config={"rules_dir": None})
def make_relation_linker(nlp: Language, name: str, rules_dir: str | None) -> RelationLinker:
    from .rules import load_rules_cached

    return RelationLinker(load_rules_cached(rules_dir))


class RelationLinker:
    def __init__(self, rules: RuleSet) -> None:
        if not Doc.has_extension("relations"):
            Doc.set_extension("relations", default=None)
        self.lymphodepletion = {t.lower() for t in rules.terms("LYMPHODEPLETION")}

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        cands: list[Cand] = doc._.cands or []
        sents = Sentences(doc)
        rels: list[tuple[str, str, str, int]] = []  # kind, head, tail, offset (for the sentence)
        by_sentence: dict[int, list[Cand]] = {}
        for cand in cands:
            by_sentence.setdefault(sents.index(cand.start), []).append(cand)
        issuer = self._issuer(text, cands)
        trials_in_doc = {c.norm for c in cands if c.label == "TRIAL"}
        all_drugs = [c for c in cands if c.label in ("DRUG_CODE", "DRUG_NAME") and c.norm not in self.lymphodepletion]
        recent_drug: str | None = None
        for index, group in sorted(by_sentence.items()):
            drugs = [c for c in group if c.label in ("DRUG_CODE", "DRUG_NAME") and c.norm not in self.lymphodepletion]
            targets = [c for c in group if c.label == "TARGET"]
            trials = [c for c in group if c.label == "TRIAL"]
            ncts = [c for c in group if c.label == "NCT_ID"]
            phases = [c for c in group if c.label == "PHASE"]
            indications = [c for c in group if c.label == "INDICATION"]
            companies = [c for c in group if c.label == "COMPANY"]
            at = group[0].start
            # drug–target: the nearest drug in the sentence, else the drug under discussion
            for target in targets:
                # "anti-CD38 monoclonal antibody daratumumab": the drug the target phrase modifies
                after = next((d for d in drugs if d.start >= target.end and TARGET_DRUG_GAP.match(text[target.end : d.start])), None)
                drug = after or _nearest(target, drugs) or (recent_drug if not drugs else None)
                if drug:
                    rels.append(("drug_target", drug.norm if isinstance(drug, Cand) else drug, target.norm, at))
            for trial in trials:
                for drug in drugs:
                    rels.append(("drug_trial", drug.norm, trial.norm, at))
                if not drugs:
                    # "KRONOS-301 compares the combination with chemotherapy": the drug under discussion
                    subject = recent_drug or next((d.norm for d in all_drugs if d.label == "DRUG_CODE"), None)
                    if subject:
                        rels.append(("drug_trial", subject, trial.norm, at))
                for indication in indications:
                    if _owner(indication, trials) is trial:
                        rels.append(("trial_indication", trial.norm, indication.norm, at))
            for nct in ncts:
                trial = _nearest_before(nct, trials) or _nearest(nct, trials)
                if trial is None and len(trials_in_doc) == 1:
                    rels.append(("trial_nct", next(iter(trials_in_doc)), nct.norm, at))
                elif trial is not None:
                    rels.append(("trial_nct", trial.norm, nct.norm, at))
            for phase in phases:
                trial = self._phase_trial(text, phase, trials)
                if trial is not None:
                    rels.append(("trial_phase", trial.norm, phase.norm, at))
            sentence_text = text[sents.bounds[index][0] : sents.bounds[index][1]] if sents.bounds else text
            deal = bool(DEAL_CUE.search(sentence_text))
            for drug in drugs:
                for indication in indications:
                    if _owner(indication, drugs) is drug:
                        rels.append(("drug_indication", drug.norm, indication.norm, at))
                company = self._company_for(text, drug, companies)
                if company is not None:
                    rels.append(("drug_company", drug.norm, company, at))
                if deal:
                    for partner in companies:
                        rels.append(("drug_company", drug.norm, partner.norm, at))
            if drugs:
                recent_drug = drugs[-1].norm
        companies_all = [c for c in cands if c.label == "COMPANY"]
        tickers = _tickers(text, companies_all)
        paragraphs = paragraph_bounds(text)
        opening = _opening_end(text)
        for cand in all_drugs:
            para = next(((a, b) for a, b in paragraphs if a <= cand.start < b), (0, len(text)))
            named_here = {c.norm for c in companies_all if para[0] <= c.start < para[1]}
            owner = None
            if cand.label == "DRUG_CODE":
                prefix = re.match(r"[A-Za-z]+", text[cand.start : cand.end])
                owner = next((name for tick, name in tickers if prefix and tick.startswith(prefix.group(0).upper())), None)
            if owner is None and cand.label == "DRUG_NAME":
                # a named drug (often a comparator) needs its company in the same sentence, and no comparator cue
                sent = sents.span(cand.start)
                named_here = {c.norm for c in companies_all if sent[0] <= c.start < sent[1]}
                if COMPARATOR_BEFORE.search(text[max(sent[0], cand.start - 40) : cand.start]):
                    named_here = set()
            if owner is None and len(named_here) == 1:
                owner = next(iter(named_here))  # a paragraph (sentence) about one company's drugs
            if owner is None and issuer and (not named_here - {issuer}) and (cand.label == "DRUG_CODE" or cand.start < opening):
                owner = issuer  # the issuer's codes, and what its headline and opening paragraph are about
            if owner is not None:
                rels.append(("drug_company", cand.norm, owner, cand.start))
        for a, b in zip(all_drugs, all_drugs[1:], strict=False):
            # "sotorasib (AMG 510)", "ALLO-316 (formerly ...)", "X, also known as Y"
            gap = ALIAS_GAP.match(text[a.end : b.start])
            if a.norm != b.norm and gap and (gap.group("said") or re.match(r"\s*[\)\],;]|\s*$", text[b.end : b.end + 2])):
                rels.append(("drug_alias", a.norm, b.norm, a.start))
        seen: set[tuple[str, str, str]] = set()
        out = []
        for kind, head, tail, offset in rels:
            if head == tail or (kind, head, tail) in seen:
                continue
            seen.add((kind, head, tail))
            out.append((kind, head, tail, offset))
        doc._.relations = out
        return doc

    @staticmethod
    def _issuer(text: str, cands: list[Cand]) -> str | None:
        """The company named with a stock ticker; failing that, the first company of the opening paragraph."""
        companies = [c for c in cands if c.label == "COMPANY"]
        for cand in companies:
            if re.match(r"\s*,?\s*(?:Inc\.|Ltd\.)?\s*\((?:NASDAQ|Nasdaq|NYSE|HKEX|TSX|ASX|OTC|LSE)", text[cand.end : cand.end + 30]):
                return cand.norm
        opening = _opening_end(text)
        first = next((c for c in companies if c.start < opening), None)
        return first.norm if first else None

    @staticmethod
    def _phase_trial(text: str, phase: Cand, trials: list[Cand]) -> Cand | None:
        for trial in trials:
            if trial.start >= phase.end and PHASE_TRIAL_GAP.match(text[phase.end : trial.start]):
                return trial
            if trial.end <= phase.start and TRIAL_PHASE_APPOSITION.match(text[trial.end : phase.start]):
                return trial
        return None

    @staticmethod
    def _company_for(text: str, drug: Cand, companies: list[Cand]) -> str | None:
        for company in companies:
            if company.end <= drug.start and POSSESSIVE.match(text[company.end : drug.start]):
                return company.norm
            if drug.end <= company.start:
                gap = text[drug.end : company.start]
                if COMPANY_DRUG_CUE.search(gap) or re.fullmatch(r"\s*\(\s*[\w\-® ]+,\s*", gap):
                    return company.norm
        return None


def _tickers(text: str, companies: list[Cand]) -> list[tuple[str, str]]:
    """(ticker, company norm) for every "Name (Nasdaq: TICK)" in the text."""
    out = []
    for company in companies:
        m = re.match(r"\s*,?\s*(?:Inc\.|Ltd\.)?\s*\((?:NASDAQ|Nasdaq|NYSE|TSX|ASX|OTC[A-Z]*|LSE)[^:)]{0,20}:\s*([A-Z]{2,6})", text[company.end : company.end + 50])
        if m:
            out.append((m.group(1), company.norm))
    return out


def _opening_end(text: str) -> int:
    """End of the headline plus the first body paragraph (the dateline paragraph of a release)."""
    first = text.find("\n\n")
    if first == -1:
        return min(len(text), 600)
    second = text.find("\n\n", first + 2)
    return min(second if second != -1 else len(text), first + 2 + 800)


def _owner(fact: Cand, heads: list[Cand]) -> Cand | None:
    """Which of a sentence's drugs (or trials) a disease belongs to: all of them when there is one,
    else the nearest named before it ('PL8177 for colitis, bremelanotide for obesity')."""
    if len(heads) == 1:
        return heads[0]
    return _nearest_before(fact, heads) or _nearest(fact, heads)


def _nearest(anchor: Cand, cands: list[Cand]) -> Cand | None:
    if not cands:
        return None
    return min(cands, key=lambda c: abs(c.start - anchor.start))


def _nearest_before(anchor: Cand, cands: list[Cand]) -> Cand | None:
    before = [c for c in cands if c.end <= anchor.start]
    return before[-1] if before else None
