"""The real spaCy pipeline on the project's seed example and on tokenizer edge cases."""

import sqlite3
from pathlib import Path

import pytest

from extractor.extract import load_rules
from extractor.extract.nlp import Extractor, build_nlp
from extractor.models import Article

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "articles"


def _rows(db, sql, *params):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _allogene(db, sql, *params):
    return _rows(db, sql.replace("{doc}", "(select id from documents where source like '%allogene-allo-329-allo-316.html')"), *params)


def test_allogene_entities_come_out(samples_db):
    found = set(_allogene(samples_db, "select label, norm from mentions where document_id = {doc}"))
    expected = {
        ("DRUG_CODE", "ALLO-329"), ("DRUG_CODE", "ALLO-316"), ("TARGET", "CD19"), ("TARGET", "CD70"),
        ("TRIAL", "RESOLUTION"), ("TRIAL", "TRAVERSE"), ("NCT_ID", "NCT04696731"), ("PHASE", "1"),
        ("INDICATION", "renal cell carcinoma"), ("INDICATION", "systemic lupus erythematosus"),
        ("INDICATION", "lupus nephritis"), ("INDICATION", "systemic scleroderma"),
        ("DRUG_NAME", "fludarabine"), ("DRUG_NAME", "cyclophosphamide"), ("COMPANY", "Allogene Therapeutics"),
    }
    assert expected <= found, expected - found


def test_allogene_doses_responses_and_relations(samples_db):
    doses = set(_allogene(samples_db, "select drug, amount, unit, frequency, duration, dose_level, regimen from doses where document_id = {doc}"))
    assert ("ALLO-316", 80_000_000.0, "cells", None, None, "DL2", None) in doses
    assert ("fludarabine", 30.0, "mg/m2", "daily", "3 days", "DL2", "FC500") in doses
    assert ("cyclophosphamide", 500.0, "mg/m2", "daily", "3 days", "DL2", "FC500") in doses
    assert all(amount != 60_000 for _, amount, *_ in doses), "manufacturing capacity is not a dose"
    responses = _allogene(samples_db, "select metric, percent, n, total, drug, trial, dose_level from responses where document_id = {doc}")
    assert ("ORR", 38.0, 3, 8, "ALLO-316", "TRAVERSE", "DL2") in responses
    assert all(metric != "CR" for metric, *_ in responses), "CRS is not a complete response"
    relations = set(_allogene(samples_db, "select kind, head, tail from relations where document_id = {doc}"))
    for rel in [
        ("drug_target", "ALLO-329", "CD19"), ("drug_target", "ALLO-329", "CD70"), ("drug_target", "ALLO-316", "CD70"),
        ("drug_trial", "ALLO-329", "RESOLUTION"), ("drug_trial", "ALLO-316", "TRAVERSE"),
        ("trial_nct", "TRAVERSE", "NCT04696731"), ("trial_phase", "TRAVERSE", "1"), ("trial_phase", "RESOLUTION", "1"),
        ("trial_indication", "TRAVERSE", "renal cell carcinoma"), ("trial_indication", "RESOLUTION", "lupus nephritis"),
        ("drug_company", "ALLO-316", "Allogene Therapeutics"),
    ]:
        assert rel in relations, rel


def test_allogene_page_noise_is_not_extracted(samples_db):
    text = _allogene(samples_db, "select text from documents where id = {doc}")[0][0]
    assert "Recent Videos" not in text and "©" not in text
    not_trials = {n for (n,) in _allogene(samples_db, "select norm from mentions where document_id = {doc} and label = 'TRIAL'")}
    assert not_trials <= {"RESOLUTION", "TRAVERSE"}, not_trials


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("ALLO-316 and NCT04696731", ["ALLO-316", "and", "NCT04696731"]),
        ("30 mg/m2/day", ["30", "mg/m2/day"]),
        ("0.1mg/kg", ["0.1", "mg/kg"]),
        ("1x10^8 cells", ["1x10^8", "cells"]),
        ("CD19+ B cells", ["CD19", "+", "B", "cells"]),
        ("ORR 38% (3/8)", ["ORR", "38", "%", "(", "3/8", ")"]),
        ("CD70-directed", ["CD70", "-", "directed"]),
    ],
)
def test_tokenizer_keeps_codes_units_and_exponents(extractor, text, tokens):
    assert [t.text for t in extractor.nlp.make_doc(text)] == tokens


def test_fresh_tokenizer_changes_no_output(extractor):
    """The tokenizer is swapped for a fresh one after the rulers are built (speed); output must not change."""
    rules = load_rules()
    slow = Extractor(build_nlp(rules, fresh_tokenizer=False), rules)
    for path in sorted(SAMPLES.glob("*.txt")):
        article = Article(source=path.name, text=path.read_text(encoding="utf-8"))
        assert [t.text for t in slow.nlp.make_doc(article.text)] == [t.text for t in extractor.nlp.make_doc(article.text)]
        assert slow.extract(article) == extractor.extract(article)


def test_plain_vocabulary_phrases_are_split_as_the_tokenizer_splits_them():
    import spacy

    from extractor.extract.nlp import PLAIN_PHRASE, PhraseTokenizer, customize_tokenizer

    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    fast = PhraseTokenizer(nlp.tokenizer)
    rules = load_rules()
    phrases = [p for name in ("drug_names.tsv", "drug_names_contextual.tsv", "diseases.tsv") for p in rules.gazetteers[name]]
    plain = [p for p in phrases if PLAIN_PHRASE.fullmatch(p)]
    assert len(plain) > 10_000
    differ = [p for p in plain if [t.text for t in fast(p)] != [t.text for t in nlp.tokenizer(p)]]
    assert differ == []
    assert [t.text for t in fast("baci im")] == ["baci", "i", "m"]  # a word with a special case of its own


def test_sentences_do_not_break_after_abbreviations(extractor):
    doc = extractor.nlp("Allogene Therapeutics, Inc. announced data vs. placebo on Nov. 12. The ORR was 38%.")
    assert [s.text for s in doc.sents] == [
        "Allogene Therapeutics, Inc. announced data vs. placebo on Nov. 12.",
        "The ORR was 38%.",
    ]


def test_a_month_a_feed_glued_to_the_word_before_does_not_end_the_sentence(extractor):
    doc = extractor.nlp("Acme will present data at the congress taking placeOct. 9-13 in Madrid. The ORR was 38%.")
    assert [s.text for s in doc.sents] == [
        "Acme will present data at the congress taking placeOct. 9-13 in Madrid.",
        "The ORR was 38%.",
    ]
    # a company whose name ends like a month still ends its sentence
    doc = extractor.nlp("Acme signed a licence agreement with PharmaMar. The deal includes an upfront payment.")
    assert len(list(doc.sents)) == 2


def test_a_quoted_sentence_ends_at_its_closing_quote(extractor):
    doc = extractor.nlp("Dr. Lee said, “It is an important step toward a new option.” These data were presented at ASCO.")
    assert [s.text.strip() for s in doc.sents] == [
        "Dr. Lee said, “It is an important step toward a new option.”",
        "These data were presented at ASCO.",
    ]


def test_a_bulleted_paragraph_breaks_at_each_dash_item_and_a_dash_elsewhere_does_not(extractor):
    doc = extractor.nlp("- AC-1 met its endpoint - 40 percent ORR - First in class\n\nAC-1 - our lead - is oral.")
    assert [s.text.strip() for s in doc.sents] == [
        "- AC-1 met its endpoint",
        "- 40 percent ORR",
        "- First in class",
        "AC-1 - our lead - is oral.",
    ]


def test_aliases_the_text_states_are_linked(extract):
    facts = extract(
        "The agency cleared VANTIRA (vonsetamig-kpzt), known during development as AUR-821. "
        "Sotorasib (AMG 510) is a KRAS G12C inhibitor. KEYTRUDA (pembrolizumab) plus olomorasib."
    )
    aliases = {(r.head, r.tail) for r in facts.relations if r.kind == "drug_alias"}
    assert ("vonsetamig", "AUR-821") in aliases and ("sotorasib", "AMG 510") in aliases
    assert not any("olomorasib" in pair for pair in aliases), "a combination is not an alias"


def test_deal_sentences_link_partners_to_drugs(extract):
    facts = extract(
        "Corvane Therapeutics, Inc. (Nasdaq: CRVN) today announced first dosing with CRV-3110.\n\n"
        "Under a 2022 license agreement, Meridal Pharma holds rights to commercialize CRV-3110 in Japan."
    )
    companies = {r.tail for r in facts.relations if r.kind == "drug_company" and r.head == "CRV-3110"}
    assert companies == {"Corvane Therapeutics", "Meridal Pharma"}


def test_a_deal_names_its_other_party_even_when_it_is_no_recognised_company(extract):
    facts = extract(
        "Corvane Therapeutics, Inc. (Nasdaq: CRVN) today announced a research collaboration with Quillgen for CRV-3110.\n\n"
        "Corvane also signed an agreement with the FDA on CRV-3110's trial design."
    )
    deals = [(e.drug, e.detail) for e in facts.events if e.kind == "deal"]
    assert deals == [("CRV-3110", "Quillgen")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Patients received 80 million CAR T-cells.", [(80_000_000, None, "cells")]),
        ("Patients received 300x106 CAR+ T cells.", [(300_000_000, None, "cells")]),
        ("A dose of 2.0 x 1014 vg/kg was infused.", [(2e14, None, "vg/kg")]),
        ("Dosed at 1x10^8 cells and 0.75x106 CAR+ T cells/kg.", [(1e8, None, "cells"), (750_000, None, "cells/kg")]),
        ("KEYTRUDA 200 mg every three weeks.", [(200, None, "mg")]),
        ("LNT-207 at 2 mg/kg to 8 mg/kg intravenously.", [(2, 8, "mg/kg")]),
        ("The vaccine contains 30 μg of mRNA.", [(30, None, "ug")]),
        ("fludarabine 30 mg/m2/day for 3 days", [(30, None, "mg/m2")]),
        ("GEO-MVA was given at 1x10^7 pfu.", [(1e7, None, "pfu")]),
        ("Adults received once-daily AB-101 2-mg or 4-mg doses.", [(2, None, "mg"), (4, None, "mg")]),
        ("The plant can make 60,000 doses annually.", []),
        ("It showed an IC50 of 47.9 nM and Cmax of 32 ng/mL.", []),
        ("Eligibility required hemoglobin of at least 8 g/dL and creatinine clearance of 50 mL/min.", []),
        ("The new site covers more than 800 m2.", []),
        ("The company raised $5.0 million; patients weighed 90.2 kg.", []),
        ("Participants received two doses 21 days apart.", []),
        # a product named with its strength is no dose; an injection of an amount is
        ("Indications and Usage for Zelvora 120 mg Injection. Patients then received a 240 mg injection.", [(240, None, "mg")]),
    ],
)
def test_doses(extract, text, expected):
    assert [(d.amount, d.amount_max, d.unit) for d in extract(text).doses] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The ORR was 38% (3/8).", [("ORR", 38, 3, 8)]),
        ("Eight of 14 patients responded, for an ORR of 57%.", [("ORR", 57, 8, 14)]),
        ("With AB-101, 57 percent of patients at Week 16, and 60 percent of patients at Week 24 who were previously treated "
         "with dupilumab, achieved EASI-75.", [("EASI75", 57, None, None), ("EASI75", 60, None, None)]),
        ("In ADvocate 2, 85% of patients who received lebrikizumab every four weeks and 77% of patients who received "
         "lebrikizumab every two weeks maintained EASI-75 response.", [("EASI75", 85, None, None), ("EASI75", 77, None, None)]),
        ("RYONCIL demonstrated a 70% response rate.", [("ORR", 70, None, None)]),
        # durability among responders is no rate of its own; a sentence naming another arm is not read by the regimen
        ("Among complete responders, 88% of patients maintained a complete response at 12 months.", []),
        ("The complete response rate was 31% (13/42), and 57% (24/42) of patients reached a very good partial response.",
         [("CR", 31, 13, 42), ("VGPR", 57, 24, 42)]),
        ("The PASI 75 response rate was 44% with 5 mg and 68% with 15 mg.", [("PASI75", 44, None, None), ("PASI75", 68, None, None)]),
        ("Median progression-free survival was 5.0 months and the hazard ratio 0.56 (95% CI, 0.43-0.73).", []),
        ("Cytokine release syndrome (CRS) occurred in 20% of patients.", []),
        ("Shares fell as much as 12.1% after the ORR data.", []),
        ("About 80% of all cases are clear cell RCC.", []),
        # a word read whole, not the "CR" its first letters spell (CRPC starts 68 characters after the value)
        ("Some 10-20% of patients with advanced prostate cancer are estimated to develop CRPC within five years.", []),
        ("The FDA issued a complete response letter; 40% of staff were cut.", []),
        ("Complete remission was seen in 42% of patients with ≥5% blasts.", [("CR", 42, None, None)]),
        ("At week 16, 43% of patients achieved IGA 0/1 and 59% achieved EASI-75.", [("IGA01", 43, None, None), ("EASI75", 59, None, None)]),
        ("In the study, 69% of patients achieved sPGA 0,1 at week 16.", [("SPGA01", 69, None, None)]),
        # IGA 0/1 written out, and alopecia's SALT score, whose own definition's threshold is no rate
        ("41 percent of patients achieved clear or almost clear skin at 16 weeks.", [("IGA01", 41, None, None)]),
        ("In the second study, 73% achieved clear or almost clear skin (PASI 90).", [("PASI90", 73, None, None)]),
        ("The endpoint was SALT ≤20, defined as 20% or less of scalp hair loss; 35% of patients achieved SALT ≤20.",
         [("SALT20", 35, None, None)]),
        ("There were 10 responders among 13 patients eligible for assessment, resulting in a 77% ORR.", [("ORR", 77, 10, 13)]),
        ("There were three responses among six evaluable patients, for a 50% ORR.", [("ORR", 50, 3, 6)]),
        ("The ORR was 50%, with three responses among six.", [("ORR", 50, 3, 6)]),
        ("There were 4 responses among 13 patients; the ORR in the second cohort was 77%.", [("ORR", 77, None, None)]),
        ("The ORR was 75%, with 3 responses in 4 weeks.", [("ORR", 75, None, None)]),  # a duration, not patients
        ("The ORR was 50%, including two complete responses in the four patients.", [("ORR", 50, None, None)]),
        ("52% overall response rate in mantle cell lymphoma patients 83% of responding mantle cell lymphoma patients remain "
         "in response and on therapy.", [("ORR", 52, None, None)]),  # a durability share
        ("Among remitters, response rates for major efficacy endpoints ranged from 63% to 85%.", []),  # a span of endpoints
    ],
)
def test_response_rates(extract, text, expected):
    got = [(r.metric, r.percent, r.n, r.total) for r in extract(text).responses]
    assert got == [(m, float(p), n, t) for m, p, n, t in expected]


def test_a_relative_clause_holding_the_value_is_read(extract):
    facts = extract("The drug was studied in 225 patients, which demonstrated an objective response rate of 29.8% , including one complete response.")
    assert [(r.metric, r.percent) for r in facts.responses] == [("ORR", 29.8)]
    aside = extract("The confirmed ORR, which required confirmation of a complete response at a later scan, was 25% (2/8).")
    assert [(r.metric, r.percent, r.n, r.total) for r in aside.responses] == [("ORR", 25.0, 2, 8)]


def test_each_company_gets_the_drugs_of_its_own_paragraph(extract):
    facts = extract(
        "Three stocks to watch in MASH\n\n"
        "Viking Therapeutics (Nasdaq: VKTX) is testing VK2809 in a Phase 2b trial.\n\n"
        "Akero Therapeutics reported Phase 2b results for AKR-001 against placebo and semaglutide."
    )
    pairs = {(r.head, r.tail) for r in facts.relations if r.kind == "drug_company"}
    assert ("VK2809", "Viking Therapeutics") in pairs
    assert ("AKR-001", "Akero Therapeutics") in pairs
    assert not any(head == "semaglutide" for head, _ in pairs), "a comparator is not the company's drug"
