"""Comparison keys for facts, shared by evaluation and lookups: two spellings of one fact
('AMG 510' / 'AMG-510', 'KEYTRUDA' / 'pembrolizumab', 'BCMA' / 'TNFRSF17') get one key."""

from __future__ import annotations

import re

from . import normalize as N
from .rules import RuleSet


#: Stage and course words leading a disease's name ("advanced", "relapsed or refractory", "stage III"): two
#: spellings of one disease compare equal with or without them, as annotators write them either way.
STAGE_LEAD = re.compile(
    r"^(?:(?:stage\s+[0-4IV]+[a-c]?|early-stage|late-stage|symptomatic|asymptomatic|preclinical|prodromal|"
    + "|".join(sorted(map(re.escape, N.DISEASE_STATE_WORDS), key=len, reverse=True))
    + r")(?:\s*(?:,|/|\bor\b|\band\b|\bto\b)\s*|\s+))+",
    re.I,
)


class FactKeys:
    def __init__(self, rules: RuleSet) -> None:
        self.drugs = rules.drug_table()
        self.targets = rules.target_table()
        self.squashed_targets = rules.spelled_target_table()
        self.diseases = rules.disease_table()
        self.companies = {k.lower(): v for k, v in rules.terms("COMPANY").items()}

    def key(self, kind: str, value: str) -> str:
        value = str(value).strip()
        if kind in ("DRUG_CODE", "TRIAL"):
            return N.code_key(value)
        if kind == "DRUG_NAME":
            return N.inn_norm(self.drugs.get(value.lower(), value))
        if kind == "DRUG":
            return self.key("DRUG_CODE" if re.search(r"\d", value) else "DRUG_NAME", value)
        if kind == "TARGET":
            latin = N.latin_letters(value).upper()
            for form in (value, value.upper(), value.replace("-", ""), value.upper().replace("-", ""), latin, latin.replace("-", "")):
                if form in self.targets:
                    return self.targets[form].upper()
            return self.squashed_targets.get(N.squash(value), value).upper()
        if kind == "NCT_ID":
            return value.upper()
        if kind == "PHASE":
            return N.phase_norm("phase " + value) or value.lower()
        if kind == "INDICATION":
            return N.disease_norm(STAGE_LEAD.sub("", value) or value, self.diseases)
        if kind == "COMPANY":
            low = N.company_norm(value).lower()
            return self.companies.get(low, low).lower()
        return value.lower()
