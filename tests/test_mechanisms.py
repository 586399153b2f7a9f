"""Extraction mechanisms that decide what a mention means in its document: sections, context cues,
abbreviations defined in the text, vocabulary hygiene. Each test writes its own short release
(our words, shaped like the real ones) and runs it through the real cleaner and pipeline."""

from __future__ import annotations

import pytest

from extractor.clean import clean
from extractor.models import RawDocument


@pytest.fixture(scope="module")
def facts(extractor):
    def run(text: str):
        article = clean(RawDocument(source="test.txt", content=text, kind="text")).with_title()
        return extractor.extract(article)

    return run


def norms(facts, label: str) -> set[str]:
    return {m.norm for m in facts.mentions if m.label == label}


def texts(facts, label: str) -> set[str]:
    return {m.text for m in facts.mentions if m.label == label}


# ── sections ─────────────────────────────────────────────────────────────────────────────────


def test_a_disease_named_only_in_safety_text_is_not_an_indication(facts):
    f = facts(
        "Zorvex approved for plaque psoriasis\n\n"
        "Zorvex (zorvumab) is approved for adults with plaque psoriasis, the company said.\n\n"
        "IMPORTANT SAFETY INFORMATION\n\n"
        "Pneumonitis and hepatitis occurred in patients treated with zorvumab. In rare cases zorvumab worsened plaque psoriasis.\n\n"
        "About Acme\n\nAcme makes medicines."
    )
    assert "psoriasis" in " ".join(norms(f, "INDICATION"))
    assert not {"pneumonitis", "hepatitis"} & norms(f, "INDICATION")
    # the indication found in the body is still found where the safety text names it
    assert {(m.text, m.section) for m in f.mentions if m.label == "INDICATION"} >= {("plaque psoriasis", "safety")}


def test_a_code_shaped_string_only_in_the_contacts_block_is_not_a_drug_code(facts):
    f = facts(
        "Acme doses first patient with AC-101\n\n"
        "Acme Therapeutics dosed the first patient with AC-101 in its Phase 1 study.\n\n"
        "Media Contact\n\nJane Roe, reference PR-US-104233, phone 555-0100"
    )
    assert norms(f, "DRUG_CODE") == {"AC-101"}
