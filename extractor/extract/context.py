"""Context of a mention, in the manner of ConText (Harkema et al. 2009; medspaCy's ``context``):
cue phrases from ``rules/context.jsonl`` modify the mentions in their scope.

A cue's ``direction`` says where its scope lies: ``forward`` (the mentions after it, to the end of
the sentence or a CONTEXT_TERMINATE cue, and for a prior therapy at a predicate about outcomes
(PRIOR_SCOPE_END) — only the sentence for a cue with ``"scope": "sentence"``,
such as "contraindicated", whose "in patients with …" lists are all in scope — at most FORWARD_SCOPE
characters), ``backward`` (the
mention just before it), or ``both``. Backward scope is tight for CONTEXT_PRIOR and
CONTEXT_BIOMARKER — the cue must close the mention's own phrase ("TNF inhibitor-naive",
"HER2-negative"), so "CD19-directed CAR T in relapsed/refractory lymphoma" is not a prior therapy —
and BACKWARD_SCOPE characters for the others ("Pneumonitis occurred in 3% of patients"), the whole sentence
before it for a cue with ``"scope": "sentence"`` ("Patients with an autoimmune disease that required systemic
therapy … were ineligible"), unless a CONTEXT_TERMINATE cue stands between ("patients with multiple myeloma …
who were ineligible for transplant" are the population).

A cue with ``"scope": "adjacent"`` modifies only the mention right beside it, with nothing but spaces and
the mention's qualifiers between (ADJACENT_GAP): words that make a disease a measure of outcome rather than what is treated ("hypoglycemia rates",
"time in hypoglycemia") mean that only when they touch it.

The categories (labels) and what the components do with them:

* CONTEXT_PRIOR — prior or background therapy: not the drug's target (or, for relations, its trial).
* CONTEXT_BIOMARKER — patient selection: "PD-L1-positive" is not a target.
* CONTEXT_ADVERSE, CONTEXT_HISTORY, CONTEXT_NEGATED — a disease so modified is not an indication.
* DRUG_USE — a name with an everyday sense (rules/gazetteers/drug_names_contextual.tsv) counts as a
  drug only inside such a cue's scope.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .rules import RuleSet
from .text import doc_text

FORWARD_SCOPE = 150
BACKWARD_SCOPE = 80
#: A side-effect, history or negation cue's forward scope runs on through a list (LIST_ITEMS), up to LIST_SCOPE
#: characters: "the most common adverse reactions were peripheral neuropathy, alopecia, …, vomiting, urinary tract
#: infection, rash, leukopenia, hypothyroidism" names side effects to its end.
LIST_SCOPE = 600
#: The text from such a cue to a mention in its list: the list opens within LIST_OPENING characters ("the most
#: common adverse reactions or laboratory abnormalities leading to interruption were thrombocytopenia,") and goes on
#: in items of at most eight words separated by commas ("alopecia, anemia, fatigue/asthenia, …"), not clauses
#: ("… and Acme, together with its partners in the United States, Europe and Japan, plans to expand development of
#: AC-12 into several tumor types including melanoma").
LIST_OPENING = 250
#: The cues whose scope runs on through a list: what a label lists (side effects, history, exclusions), not a prior
#: therapy's cue, whose scope in a run-on subtitle would reach the drug under study.
LIST_LABELS = frozenset({"CONTEXT_ADVERSE", "CONTEXT_HISTORY", "CONTEXT_NEGATED"})
_LIST_ITEM = r"[^\s,;.:()]+(?:\s+[^\s,;.:()]+){0,7}"
LIST_ITEMS = re.compile(
    rf"[^,;.:()]{{0,{LIST_OPENING}}},(?:\s*(?:and\s+|or\s+)?{_LIST_ITEM}\s*,)*\s*(?:{_LIST_ITEM}\s+)?(?:and\s+|or\s+)?"
)
#: A label's heading over one indication's adverse reactions, a line of its own: "ADVERSE REACTIONS—Maintenance gBRCAm
#: Recurrent Ovarian Cancer", "Adverse Reactions in Metastatic Breast Cancer" name whom the trials under it enrolled,
#: not a side effect (entities and relations read the same heading).
POPULATION_HEADING = re.compile(r"(?i)(?:(?<=\n)|^)[ \t]*adverse\s+reactions\s*(?:—|–|:|\bin\b)\s*(?=[^\n.;]{5,160}(?:\n|$))")
#: How far before its cue a heading's line may start (indentation, a bullet).
HEADING_INDENT = 8
#: A prior therapy's forward scope is the therapies the cue's phrase names; the predicate after them speaks of
#: the drug under study: "46 percent of patients who were inadequate responders to dupilumab achieved EASI-75
#: response with EBGLYSS".
PRIOR_SCOPE_END = re.compile(r"(?i)\b(?:achieved|achieve|achieving|showed|shows|experienced|demonstrated|presented)\b")
#: What may stand between an adjacent cue and its mention: spaces and the mention's own qualifiers ("fewer events of
#: severe hypoglycemia", "less time in nocturnal hypoglycemia").
ADJACENT_GAP = re.compile(
    r"\s*(?:(?:severe|serious|nocturnal|mild|moderate|documented|symptomatic|clinically\s+significant|overall|level\s+[1-3])\s+)*"
)
TIGHT_BACKWARD = {"CONTEXT_PRIOR", "CONTEXT_BIOMARKER", "DRUG_USE"}
#: A drug-use cue covers only the name right after it ("treated with phosphorus"), not a list further on.
DRUG_USE_FORWARD_SCOPE = 20
#: What may stand between a mention and a tight backward cue: the rest of the mention's own phrase.
TIGHT_GAP = re.compile(r"^[\s\-‐/]*(?:[\w\-‐/]+[\s\-‐/]+){0,3}?$")
#: What joins two mentions a tight backward cue closes together: "PD-1/PD-L1 inhibitor-naive", "anti-PD-1 antibody
#: pembrolizumab-refractory".
TIGHT_LIST = re.compile(r"(?:[,/]|\b(?:inhibitors?|antibod(?:y|ies)|agonists?|antagonists?|blockers?))[\s\-‐]*$")
TIGHT_GAP_STOP = re.compile(r"(?i)\b(?:in|with|for|and|or|of|to|by|after|before|during|from|on|at|the|a|an|who|which|that)\b")
SENTENCE_BREAK = re.compile(r"[.;!?]\s|\n")
#: Words before a disease that make it the population a study enrolled ("adverse reactions in 9% of 555
#: patients with advanced melanoma", label text's "when KEYTRUDA was administered with pemetrexed … in metastatic
#: nonsquamous NSCLC"); not the patients' history. A cue after such a disease ("… patients
#: with cervical cancer, X was discontinued due to adverse reactions") says what happened to them, not
#: that their disease is a side effect; an exclusion or a prior therapy after it still applies.
POPULATION_BEFORE = re.compile(
    r"(?i)\b(?:(?:patients|adults|participants|subjects)\s+with|(?:was|were|is|are|when|if)\s+(?:administered|given)\b[^.;:]{0,60}?\bin)"
    r"\s+(?:(?!history\b)[\w\-,/]+\s+){0,6}$"
)


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets of the document's sentence starts, read from the token arrays (no Span objects)."""
    if not doc.has_annotation("SENT_START"):
        return []
    flags = doc.to_array([SENT_START]).ravel()
    offsets = doc.to_array([IDX]).ravel()
    return offsets[flags == 1].tolist()


@dataclass(frozen=True)
class Cue:
    label: str
    start: int
    end: int
    direction: str
    sentence_scope: bool = False  # only the sentence's end ends its scope, not a CONTEXT_TERMINATE cue
    adjacent: bool = False  # only the mention right beside it (ADJACENT_GAP between): "hypoglycemia rates"


class ContextRules:
    """Cue phrases as spaCy PhraseMatchers, on lower-cased tokens (and, for a ``case_sensitive`` rule such
    as "ARs", on the tokens as written: "ARS Pharmaceuticals" is no cue); ``cues(doc)`` finds them once
    per document."""

    def __init__(self, rules: RuleSet, nlp: Language) -> None:
        self.meaning: dict[str, tuple[str, str, str | None]] = {}
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        for entry in rules.patterns:
            if entry["label"].startswith("CONTEXT_") or entry["label"] == "DRUG_USE":
                exact = bool(entry.get("case_sensitive"))
                phrase = entry["pattern"] if exact else entry["pattern"].lower()
                if phrase not in self.meaning:
                    self.meaning[phrase] = (entry["label"], entry.get("direction", "both"), entry.get("scope"))
                    (self.exact if exact else self.matcher).add(phrase, [nlp.make_doc(phrase)])

    def cues(self, doc: Doc) -> DocumentContext:
        found = []
        end = -1
        # longest first where two cues overlap ("prior treatment with" over "treatment")
        matched = self.matcher(doc, as_spans=True) + (self.exact(doc, as_spans=True) if len(self.exact) else [])
        spans = sorted(matched, key=lambda s: (s.start, -(s.end - s.start)))
        for span in spans:
            label, direction, scope = self.meaning[doc.vocab.strings[span.label]]
            if span.start_char < end and scope != "adjacent":
                continue  # an adjacent cue stands beside a longer one: "hypoglycemia rates of 0.5" (rates / rates of)
            found.append(Cue(label, span.start_char, span.end_char, direction, scope == "sentence", scope == "adjacent"))
            end = max(end, span.end_char)
        return DocumentContext(doc_text(doc), found, sentence_starts(doc))


class DocumentContext:
    """The cues of one document; ``of(start, end)`` gives the labels that modify a mention."""

    def __init__(self, text: str, cues: list[Cue], sentences: list[int] | None = None) -> None:
        self.text = text
        self.sentences = sentences or []  # character offsets where the document's sentences start
        self.cues = [c for c in cues if c.label != "CONTEXT_TERMINATE"]
        self.starts = [c.start for c in self.cues]
        self.terminators = sorted(c.start for c in cues if c.label == "CONTEXT_TERMINATE")

    def _terminated(self, a: int, b: int, by_cues: bool = True) -> bool:
        i = bisect.bisect_left(self.terminators, a)
        if by_cues and i < len(self.terminators) and self.terminators[i] < b:
            return True
        j = bisect.bisect_right(self.sentences, a)
        return (j < len(self.sentences) and self.sentences[j] < b) or bool(SENTENCE_BREAK.search(self.text, a, b))

    def _population_heading(self, cue: Cue) -> bool:
        """Whether the cue opens a line that is a label's population heading (POPULATION_HEADING). The line's
        start is looked for only just before the cue, so a document without line breaks costs no scan back."""
        line = self.text.rfind("\n", max(0, cue.start - HEADING_INDENT), cue.start) + 1
        return (line > 0 or cue.start <= HEADING_INDENT) and bool(POPULATION_HEADING.match(self.text, line))

    def of(self, start: int, end: int, next_start: int | None = None) -> set[str]:
        """The labels of the cues whose scope holds the mention at ``start``–``end``; ``next_start`` is where the
        next mention after it starts, past which a tight backward cue closes that mention's phrase, not this one's."""
        labels: set[str] = set()
        lo = bisect.bisect_left(self.starts, start - LIST_SCOPE)
        hi = bisect.bisect_right(self.starts, end + LIST_SCOPE)
        for cue in self.cues[lo:hi]:
            if cue.adjacent:
                if (cue.end <= start and cue.direction in ("forward", "both") and ADJACENT_GAP.fullmatch(self.text, cue.end, start)) or (
                    cue.start >= end and cue.direction in ("backward", "both") and ADJACENT_GAP.fullmatch(self.text, end, cue.start)
                ):
                    labels.add(cue.label)
                continue
            if cue.end <= start and cue.direction in ("forward", "both"):
                if start - cue.start > FORWARD_SCOPE and not (cue.label in LIST_LABELS and LIST_ITEMS.fullmatch(self.text, cue.end, start)):
                    continue
                if cue.label == "DRUG_USE" and (start - cue.end > DRUG_USE_FORWARD_SCOPE or ":" in self.text[cue.end : start]):
                    continue
                if cue.label == "CONTEXT_ADVERSE" and self._population_heading(cue):
                    continue
                if cue.label == "CONTEXT_PRIOR" and PRIOR_SCOPE_END.search(self.text, cue.end, start):
                    continue
                if not self._terminated(cue.end, start, not cue.sentence_scope):
                    labels.add(cue.label)
            elif cue.start >= end and cue.direction in ("backward", "both"):
                if cue.start - end > BACKWARD_SCOPE:
                    # "Patients with an autoimmune disease that required … were ineligible": a sentence-scoped cue
                    # reaches back to its sentence's start
                    if cue.sentence_scope and cue.label not in TIGHT_BACKWARD and not self._terminated(end, cue.start):
                        labels.add(cue.label)
                    continue
                gap = self.text[end : cue.start]
                if cue.label in TIGHT_BACKWARD:
                    # "AC-120 enrolled cisplatin-ineligible patients": the cue closes the nearer mention's phrase
                    # (but "PD-1/PD-L1 inhibitor-naive" is said of both)
                    nearer = next_start is not None and end <= next_start < cue.start and not TIGHT_LIST.search(self.text, end, next_start)
                    if TIGHT_GAP.match(gap) and not TIGHT_GAP_STOP.search(gap) and not nearer:
                        labels.add(cue.label)
                elif self._terminated(end, cue.start):
                    continue
                elif cue.label != "CONTEXT_ADVERSE" or not POPULATION_BEFORE.search(self.text, max(0, start - 80), start):
                    labels.add(cue.label)
        return labels
