"""Abbreviations a document defines: "long form (SHORT)" and "SHORT (long form)" pairs.

The Schwartz–Hearst algorithm (Schwartz & Hearst, PSB 2003), the one scispaCy's
AbbreviationDetector and the ``abbreviations`` package implement: a short form in parentheses
(or a short form followed by a parenthesised long form) is paired with the shortest run of
preceding words, within the same sentence, whose characters contain the short form's letters in
order, the first of them at the start of a word.

A definition decides what the short form means in that document, over any gazetteer: "cutaneous
T-cell lymphoma (CTCL)" makes every CTCL a disease there, not the gene alias CTCL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A short form: 2–10 characters, starting with a letter or digit, holding a capital letter.
SHORT_FORM = re.compile(r"^[A-Za-z0-9][\w\-‐./&+]{1,9}$")
PARENS = re.compile(r"\(([^()\n]{1,120})\)")
WORD = re.compile(r"[\w\-‐'’/+]+")
SENTENCE_START = re.compile(r"(?:[.!?;:]\s|\n)")


@dataclass(frozen=True)
class Abbreviation:
    short: str
    long: str
    long_start: int
    long_end: int
    short_start: int


def _best_long_form(short: str, candidate: str) -> int | None:
    """Offset in ``candidate`` where the long form for ``short`` starts (Schwartz–Hearst), or None."""
    s, c = len(short) - 1, len(candidate) - 1
    while s >= 0:
        ch = short[s].lower()
        if not ch.isalnum():
            s -= 1
            continue
        while c >= 0 and (candidate[c].lower() != ch or (s == 0 and c > 0 and candidate[c - 1].isalnum())):
            c -= 1
        if c < 0:
            return None
        c -= 1
        s -= 1
    start = c + 1  # the start of the word holding the first letter: back over letters, digits, hyphens
    while start > 0 and (candidate[start - 1].isalnum() or candidate[start - 1] in "-‐'’"):
        start -= 1
    return start


def _is_short_form(text: str) -> bool:
    return bool(SHORT_FORM.match(text)) and any(ch.isupper() for ch in text) and any(ch.isalpha() for ch in text)


def find_abbreviations(text: str) -> dict[str, Abbreviation]:
    """Short form → its first definition in ``text``."""
    found: dict[str, Abbreviation] = {}
    for m in PARENS.finditer(text):
        inner = re.split(r"[;,]\s", m.group(1).strip(), maxsplit=1)[0].strip(" “”\"'")
        inner_start = m.start(1) + m.group(1).find(inner) if inner else m.start(1)
        # the sentence before the parenthesis bounds the long form
        before_start = max(0, m.start() - 200)
        before = text[before_start : m.start()]
        cut = [x.end() for x in SENTENCE_START.finditer(before)]
        if cut:
            before_start += cut[-1]
            before = text[before_start : m.start()]
        if _is_short_form(inner) and len(inner.split()) == 1:
            words = list(WORD.finditer(before))
            limit = min(len(inner) + 5, len(inner) * 2)
            window = words[-limit:]
            if not window:
                continue
            offset = window[0].start()
            candidate = before[offset:].rstrip()
            start = _best_long_form(inner, candidate)
            if start is None:
                continue
            long = candidate[start:].strip(" ,")
            if len(long) <= len(inner) or inner.lower() in long.lower().split() or len(long.split()) > limit:
                continue
            ls = before_start + offset + start
            found.setdefault(inner, Abbreviation(inner, long, ls, ls + len(long), inner_start))
        elif len(inner.split()) >= 2:
            # "SHORT (long form)": the word before the parenthesis is the short form
            w = re.search(r"([A-Za-z0-9][\w\-‐./&+]{1,9})\s*$", before)
            if w and _is_short_form(w.group(1)) and _best_long_form(w.group(1), inner) == 0:
                short = w.group(1)
                found.setdefault(short, Abbreviation(short, inner, inner_start, inner_start + len(inner), before_start + w.start(1)))
    return found
