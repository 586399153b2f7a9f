"""Small text helpers shared by the components: candidates, sentence lookup, windows."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc

if not Doc.has_extension("source_text"):
    Doc.set_extension("source_text", default=None)  # the article's text, set once by Extractor._doc


def doc_text(doc: Doc) -> str:
    """The doc's text. ``Doc.text`` joins every token anew on each access (seven accesses per document
    were two fifths of extraction time); the extractor stores the text once and components read it here."""
    text = doc._.source_text
    return doc.text if text is None else text


@dataclass
class Cand:
    """A candidate fact with exact character offsets in ``doc.text``."""

    label: str
    start: int
    end: int
    norm: str
    priority: int = 0
    variant: str | None = None
    context: frozenset[str] = frozenset()  # CONTEXT_* cue labels that modify it (see context.py)
    also: tuple[str, ...] = ()  # further norms one surface names: "FGFR1-4" is FGFR1 and also FGFR2, FGFR3, FGFR4

    def overlaps(self, other: Cand) -> bool:
        return self.start < other.end and other.start < self.end


class Sentences:
    """Character ranges of a doc's sentences, for fast offset → sentence lookups."""

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        # from arrays, not ``doc.sents``: building a Span and its Tokens per sentence cost more than the lookups
        self.bounds = sentence_char_bounds(doc)
        self.starts = [b[0] for b in self.bounds]
        self.text = doc_text(doc) if text is None else text
        self._strings: dict[int, str] = {}  # one string per sentence, however many facts quote it

    def index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def span(self, offset: int) -> tuple[int, int]:
        return self.bounds[self.index(offset)] if self.bounds else (0, len(self.text))

    def sentence(self, offset: int) -> str:
        index = self.index(offset)
        found = self._strings.get(index)
        if found is None:
            start, end = self.span(offset)
            found = self._strings[index] = self.text[start:end].strip()
        return found


def sentence_token_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of the doc's sentences (the same as ``doc.sents``)."""
    if not len(doc):
        return []
    flags = doc.to_array([SENT_START]).ravel().tolist()
    starts = [i for i, flag in enumerate(flags) if flag == 1 or i == 0]
    return list(zip(starts, [*starts[1:], len(doc)], strict=True))


def sentence_char_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of the doc's sentences: each from its first token's start to its last token's end."""
    if not len(doc):
        return []
    columns = doc.to_array([IDX, LENGTH])
    idx, length = columns[:, 0].tolist(), columns[:, 1].tolist()
    return [(idx[s], idx[e - 1] + length[e - 1]) for s, e in sentence_token_bounds(doc)]


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Paragraph ranges split on blank lines."""
    bounds = []
    start = 0
    while True:
        idx = text.find("\n\n", start)
        if idx == -1:
            bounds.append((start, len(text)))
            return bounds
        bounds.append((start, idx))
        start = idx + 2


#: Between two names of one list: ", ", " and ", ", and ", " or ", " & " ("EASE-2 and EASE-3", "ADvocate 1 & 2",
#: "KEYNOTE-867, KEYLYNK-012 and KEYVIBE-006"); matched whole on the stretch between the names.
NAME_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*)", re.I)

#: Words a full stop follows without ending a sentence ("Inc.", "Jan.", "U.S.").
ABBREVIATIONS = {
    "inc", "ltd", "co", "corp", "vs", "no", "nos", "dr", "mr", "ms", "mrs", "st", "approx", "e.g", "i.e", "al",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "fig", "ph.d",
    "m.d", "nasdaq", "n.v", "s.a", "est",
}

#: Relative and appositive clauses that separate a cue from its value:
#: "the confirmed ORR, which required confirmation of a complete response, was 25%".
_ASIDE_OPENERS = ("which", "that", "who", "defined as", "unlike", "where", "when")


def _aside(openers: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r",\s(?:" + "|".join(openers) + r")\b[^,;()]{0,160},")


MASK_CLAUSE = _aside((*_ASIDE_OPENERS, "including"))
#: The same asides without ", including …,": there the list is the point ("inhibits kinases, including FGFR1-4, KIT").
MASK_RELATIVE_CLAUSE = _aside(_ASIDE_OPENERS)


_HAS_VALUE = re.compile(r"\d\s?(?:%|percent\b)")


def mask_clauses(text: str, *, keep_lists: bool = False) -> str:
    """Blank out relative clauses, keeping every offset where it was. A clause that holds a
    value itself (", which demonstrated an ORR of 29.8%,") is the statement, not an aside: kept.
    ``keep_lists`` keeps ", including …," asides."""
    pattern = MASK_RELATIVE_CLAUSE if keep_lists else MASK_CLAUSE
    return pattern.sub(lambda m: m.group(0) if _HAS_VALUE.search(m.group(0)) else " " * len(m.group(0)), text)
