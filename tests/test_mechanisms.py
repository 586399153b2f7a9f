"""Extraction mechanisms that decide what a mention means in its document: sections, context cues,
abbreviations defined in the text, vocabulary hygiene. Each test writes its own short release
(our words, shaped like the real ones) and runs it through the real cleaner and pipeline; where a
mechanism shows only in a long real release, the test reads that ../shared/corpus record and skips
when the corpus is absent."""

from __future__ import annotations

from pathlib import Path

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


def pairs_of(facts, kind: str) -> set[tuple[str, str]]:
    return {(r.head, r.tail) for r in facts.relations if r.kind == kind}


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


# ── abbreviations defined in the document ─────────────────────────────────────────────────────


def test_schwartz_hearst_pairs_both_orders_with_offsets():
    from extractor.extract.abbreviations import find_abbreviations

    text = ("Adults with Pulmonary Arterial Hypertension (PAH) enrolled. The agency NIAID (National Institute of "
            "Allergy and Infectious Diseases) paid. Objective response rate (ORR; 40%) rose. The CTCL study (NCT01234567).")
    found = find_abbreviations(text)
    assert found["PAH"].long == "Pulmonary Arterial Hypertension"
    assert found["NIAID"].long == "National Institute of Allergy and Infectious Diseases"
    assert found["ORR"].long == "Objective response rate"
    assert "NCT01234567" not in found and "CTCL" not in found
    for abbr in found.values():
        assert text[abbr.long_start : abbr.long_end] == abbr.long


def test_a_defined_disease_abbreviation_takes_its_long_form_not_a_broader_gazetteer_name(facts):
    f = facts(
        "Acme starts trial\n\n"
        "Acme dosed patients with Pulmonary Arterial Hypertension (PAH) with AC-204. AC-204 eased PAH symptoms. "
        "In cutaneous T-cell lymphoma (CTCL), AC-118 is a CTCL-directed antibody."
    )
    assert "pulmonary arterial hypertension" in norms(f, "INDICATION")
    assert "hypertension" not in norms(f, "INDICATION")
    assert "CTCL" not in texts(f, "TARGET")  # defined as a disease here, not the gene alias
    pah = [m for m in f.mentions if m.label == "INDICATION" and m.text == "PAH"]
    assert len(pah) == 2 and {m.norm for m in pah} == {"pulmonary arterial hypertension"}


def test_an_undefined_short_disease_alias_needs_a_disease_slot(facts):
    f = facts("Acme update\n\nAcme filed its ARVC report with BRCA1 results. Patients with ARVC received AC-77.")
    found = [(m.text, m.sentence) for m in f.mentions if m.label == "INDICATION"]
    assert found == [("ARVC", "Patients with ARVC received AC-77.")]


def test_a_diseases_undefined_initials_stand_for_it_where_the_document_names_it(facts):
    f = facts(
        "Acme approval\n\n"
        "Acme's AC-12 is approved for adults with severe alopecia areata. The approval was based on the ZEN-1 "
        "trial, evaluating AC-12 in 600 adults with severe AA.\n\n"
        "LK CON BS AA APP AC-12 is a trademark owned or licensed by Acme."
    )
    assert ("ZEN-1", "alopecia areata") in pairs_of(f, "trial_indication")
    assert [m.text for m in f.mentions if m.label == "INDICATION" and m.text.isupper()] == ["AA"]


@pytest.mark.parametrize(
    "text",
    [
        "AC-120 is in development for Parkinson's disease. The Phase 1 ZEN-1 trial measured safety, PK and PD of AC-120.",
        "AC-120 is in Phase 3 for ulcerative colitis. ZEN-1 data were presented by investigators from UC San Diego.",
        'AC-120 is in Phase 2 for multiple sclerosis. "AC-120 could change care," said Jane Smith, MS, of Acme.',
        "VANCOUVER, BC, March 3, 2025 -- Acme dosed the first patient in the ZEN-1 trial of AC-120 for breast cancer.",
        "Acme Therapeutics (Nasdaq: AA) said AC-120 met its primary endpoint in alopecia areata in the ZEN-1 trial.",
        "AC-130 is approved for endometrial cancer. The EC approved AC-130 in 2024 based on the ZEN-2 trial.",
        "AC-130 is approved for bladder cancer; in the ZEN-2 trial 60% of patients with BC responded. AC-140 is for breast cancer.",
        "AC-150 is approved for alopecia areata; the ZEN-3 trial in adults with AA-related hair loss goes on.",
    ],
)
def test_initials_outside_a_diseases_place_are_not_read(facts, text):
    f = facts("Acme news\n\n" + text)
    assert not [m.text for m in f.mentions if m.label == "INDICATION" and m.text.isupper()]


def test_initials_two_of_the_documents_diseases_share_stand_for_neither(facts):
    f = facts(
        "Acme update\n\n"
        "Acme studies AC-3 in atopic dermatitis and AC-4 in Alzheimer's disease. The ZEN-2 trial enrolls adults with AD."
    )
    assert not [m for m in f.mentions if m.label == "INDICATION" and m.text == "AD"]
    assert not pairs_of(f, "trial_indication")


def test_a_short_form_defined_as_an_organisation_or_a_measure_is_not_a_trial(facts):
    f = facts(
        "Acme funded\n\n"
        "The National Institute of Allergy and Infectious Diseases (NIAID) funds the NIAID program. "
        "Pre-exposure prophylaxis (PrEP) with AC-301 is studied in the PULSAR trial."
    )
    assert norms(f, "TRIAL") == {"PULSAR"}


def test_a_name_glued_to_a_longer_name_is_not_matched(facts):
    f = facts("Acme vaccine\n\nAcme's AC-55 vaccine protects against SARS-CoV-2 infection in adults.")
    assert "severe acute respiratory syndrome" not in norms(f, "INDICATION")


# ── context cues ─────────────────────────────────────────────────────────────────────────────


def test_prior_therapy_and_patient_selection_targets_are_not_the_drug_targets(facts):
    f = facts(
        "Acme data\n\n"
        "AC-900 is a KRAS G12C inhibitor studied in patients previously treated with an anti-PD-1 antibody "
        "and in HER2-negative disease."
    )
    assert norms(f, "TARGET") == {"KRAS"}


def test_a_tight_backward_cue_closes_the_nearer_mentions_phrase_only(facts):
    # "naive", "-negative" close the phrase they end, not a drug or disease before a verb or another mention
    f = facts("Acme data\n\nThe BRAVO-2 trial of AC-120, a KRAS G12C inhibitor, enrolled TNF inhibitor-naive patients. "
              "AC-120 may expand into other solid tumors including triple-negative breast cancer.")
    assert ("AC-120", "BRAVO-2") in pairs_of(f, "drug_trial")
    assert "solid tumor" in norms(f, "INDICATION")
    # ... but a slash pair or a class before a named drug the cue ends shares it: the prior therapy's targets
    f = facts("Acme data\n\nAC-900 is a KRAS G12C inhibitor studied in PD-1/PD-L1 inhibitor-naive patients.")
    assert norms(f, "TARGET") == {"KRAS"}
    f = facts("Acme data\n\nAC-900 is a KRAS G12C inhibitor studied in anti-PD-1 antibody pembrolizumab-refractory melanoma.")
    assert norms(f, "TARGET") == {"KRAS"}


def test_except_leaves_out_only_the_disease_right_after_it(facts):
    f = facts("Acme data\n\nThe Phase 3 trial of AC-120 met all secondary endpoints except PASI 100 in plaque psoriasis. "
              "The study enrolled adults with obesity, except type 2 diabetes.")
    assert ("AC-120", "plaque psoriasis") in pairs_of(f, "drug_indication")
    assert "type 2 diabetes mellitus" not in norms(f, "INDICATION")


def test_side_effects_history_and_exclusions_are_not_indications(facts):
    f = facts(
        "Acme data\n\n"
        "AC-12 was studied in adults with plaque psoriasis. Adverse events included pneumonitis in two patients "
        "treated with AC-12. Patients with a history of pancreatitis were excluded from the AC-12 study."
    )
    found = norms(f, "INDICATION")
    assert "psoriasis" in " ".join(found)
    assert not {"pneumonitis", "pancreatitis"} & found


def test_a_drug_name_with_an_everyday_sense_needs_a_drug_use(facts):
    f = facts(
        "Acme data\n\n"
        "Hemoglobin rose in patients on AC-3. Grapefruit juice should be avoided. "
        "Patients were treated with phosphorus 250 mg daily."
    )
    assert norms(f, "DRUG_NAME") == {"phosphorus"}


# ── vocabulary hygiene ───────────────────────────────────────────────────────────────────────


def test_a_disease_name_is_never_shortened_to_a_broader_one(facts):
    f = facts("Acme data\n\nAC-5 was studied in patients with gastroesophageal junction adenocarcinoma and with autoimmune disease.")
    found = norms(f, "INDICATION")
    assert "gastroesophageal junction adenocarcinoma" in found and "adenocarcinoma" not in found
    assert "autoimmune disease" in found


def test_a_rating_scale_named_after_a_disease_is_not_the_disease(facts):
    f = facts("Acme data\n\nAC-5 improved the Psoriasis Area and Severity Index in the study.")
    assert norms(f, "INDICATION") == set()


def test_generated_vocabularies_keep_one_label_and_set_aside_everyday_names():
    from extractor.extract import load_rules

    rules = load_rules()
    diseases = rules.disease_table()
    assert diseases["urinary tract infection"] == "urinary tract infection"  # not "acute cystitis"
    assert diseases["autoimmune disease"] == "autoimmune disease"
    labels = set(diseases.values())
    folded = {}
    for label in labels:
        folded.setdefault(label.lower().replace("’", "'"), set()).add(label)
    assert [v for v in folded.values() if len(v) > 1] == []
    contextual = rules.gazetteers["drug_names_contextual.tsv"]
    plain = rules.gazetteers["drug_names.tsv"]
    for name in ("hemoglobin", "grapefruit", "phosphorus", "alkaline phosphatase"):
        assert name in contextual and name not in plain
    for name in ("pembrolizumab", "paclitaxel", "aspirin", "keytruda"):
        assert name in plain


# ── targets from mechanism phrases ─────────────────────────────────────────────────────────────


def test_a_receptor_agonist_targets_the_receptor(facts):
    f = facts(
        "Acme data\n\n"
        "AC-40 is a dual GIP/GLP-1 receptor agonist. AC-41 activates three receptors: FGF21, glucagon and GLP-1 receptors."
    )
    assert norms(f, "TARGET") == {"GIPR", "GLP1R", "GCGR", "FGF21 receptor"}
    assert {m.text for m in f.mentions if m.norm == "GCGR"} == {"glucagon"}  # the surface form, not a fragment


def test_a_receptor_named_without_a_drug_acting_on_it_is_not_a_target(facts):
    f = facts("Acme data\n\nThe GLP-1 receptor is expressed in the pancreas, the company said of AC-40.")
    assert norms(f, "TARGET") == set()


def test_descriptive_and_listed_targets_after_a_targeting_verb(facts):
    f = facts(
        "Acme data\n\n"
        "AC-7 inhibits sphingosine kinase 2 and AC-8 targets both CD19 and CD20. "
        "AC-9 eliminates CD19+ B cells. AC-10 blocks the viral terminase complex."
    )
    found = norms(f, "TARGET")
    assert {"SPHK2", "CD19", "MS4A1", "viral terminase complex"} <= found


def test_a_numbered_family_names_each_member(facts):
    f = facts(
        "Acme data\n\n"
        "AC-11 inhibits several kinases, including fibroblast growth factor receptors FGFR1-4, "
        "the platelet derived growth factor receptor alpha, KIT and RET. AC-12 is a CDK4/6 inhibitor."
    )
    found = norms(f, "TARGET")
    assert {"FGFR1", "FGFR2", "FGFR3", "FGFR4", "PDGFRA", "KIT", "RET"} <= found
    assert {m.text for m in f.mentions if m.norm == "FGFR3"} == {"FGFR1-4"}  # one surface, one row per member
    pairs = pairs_of(f, "drug_target")
    assert {("AC-11", "FGFR4"), ("AC-11", "PDGFRA"), ("AC-11", "RET")} <= pairs


def test_a_numbered_family_written_with_a_space_and_a_pathogens_surface_protein(facts):
    f = facts(
        "Acme data\n\n"
        "AC-15 is an investigational MEK 1/2 inhibitor in a Phase 1/2 study. AC-16 is a neutralizing antibody "
        "directed against the spike protein of SARS-CoV-2. AC-17 is directed against the SARS-CoV-2 surface spike protein."
    )
    assert norms(f, "TARGET") == {"MAP2K1", "MAP2K2", "spike protein"}  # one protein, whatever virus it is written with
    g = facts("Acme data\n\nAC-18 targets the spike glycoprotein. AC-19 is an AAV gene therapy; patients with antibodies "
              "directed against the AAV capsid protein were excluded.")
    assert norms(g, "TARGET") == {"spike protein"}  # not the vector's capsid
    assert {("AC-15", "MAP2K1"), ("AC-15", "MAP2K2"), ("AC-16", "spike protein"), ("AC-17", "spike protein")} <= pairs_of(f, "drug_target")


def test_a_class_before_a_plain_list_names_each_drug_and_an_apposition_its_own_drug(facts):
    f = facts(
        "Acme data\n\n"
        "The SGLT2 medications canagliflozin, dapagliflozin and empagliflozin are approved. Acme presents data on "
        "OPDIVO, its anti-PD-1 therapy, LYNPARZA and LENVIMA."
    )
    pairs = pairs_of(f, "drug_target")
    assert {d for d, t in pairs if t == "SLC5A2"} == {"canagliflozin", "dapagliflozin", "empagliflozin"}
    assert {d for d, t in pairs if t == "PDCD1"} == {"nivolumab"}


def test_targets_coordinated_in_a_drugs_apposition_are_each_that_drugs(facts):
    f = facts(
        "Acme dosing\n\n"
        "The first patient was dosed with AC-44, Acme Bio and Company's investigational dual GIP and GLP-1 receptor agonist. "
        "AC-45, an oral JAK1 and TYK2 inhibitor, is in a Phase 2 study. AC-46, Acme Bio and Company's once-daily oral "
        "JAK1/JAK2 inhibitor, is approved."
    )
    pairs = pairs_of(f, "drug_target")
    assert {("AC-44", "GIPR"), ("AC-44", "GLP1R"), ("AC-45", "JAK1"), ("AC-45", "TYK2"), ("AC-46", "JAK2")} <= pairs
    # not classes of earlier therapies after the apposition
    g = facts("Acme data\n\nAC-47, a non-covalent BTK inhibitor, for CLL after BTK and BCL2 inhibitors, showed durable responses.")
    assert ("AC-47", "BCL2") not in pairs_of(g, "drug_target")


def test_other_members_of_a_class_make_the_drug_one_of_them(facts):
    f = facts(
        "Acme label update\n\n"
        "AC-48 is approved for rheumatoid arthritis. Limitation of Use: not recommended in combination with other JAK "
        "inhibitors or with cyclosporine. Use of AC-49 with other BTK inhibitors was not studied. Unlike other TNF "
        "inhibitors, AC-50 is taken once a month."
    )
    pairs = pairs_of(f, "drug_target")
    assert {("AC-48", "JAK"), ("AC-49", "BTK"), ("AC-50", "TNF")} <= pairs  # "unlike other …" still one of them
    # a comparison or a switch names other drugs' class
    g = facts("Acme data\n\nSKYRIZI (risankizumab) is an IL-23 inhibitor. Skin clearance was higher than reported for "
              "other IL-17 inhibitors. Patients who stopped Cosentyx often switched to other TNF inhibitors. AB-101 is "
              "a CD19 antibody. Response rates compared favorably with other CD20 antibodies. ACM-201, a TIGIT "
              "antibody, is being evaluated in combination with KEYTRUDA and other PD-1 inhibitors in lung cancer.")
    assert not {(d, t) for d, t in pairs_of(g, "drug_target") if t in ("IL17A", "TNF", "MS4A1")}
    assert ("ACM-201", "PDCD1") not in pairs_of(g, "drug_target")  # the partner's class, not the investigational drug's


def test_a_class_of_the_parties_own_unnamed_medicines_names_no_target(facts):
    f = facts(
        "Acme and Bigco collaborate\n\n"
        "AC-47 is a PARP inhibitor. Independently, the companies will develop AC-47 in combination with their "
        "respective PD-L1 and PD-1 medicines."
    )
    assert norms(f, "TARGET") == {"PARP"}
    # a partner's own product the text names keeps its target, and so do the products a "respective" class names
    g = facts("Acme and Bigco collaborate\n\nBigco will evaluate AC-47 in combination with its own PD-1 inhibitor, "
              "sasanlimab, in bladder cancer. The companies will supply their respective PD-1 inhibitors, Libtayo and "
              "Keytruda, for the trial.")
    assert {("sasanlimab", "PDCD1"), ("cemiplimab", "PDCD1")} <= pairs_of(g, "drug_target")


@pytest.mark.parametrize("sentence, drug, target", [
    # a singular class names its own drug, not the partner listed after it
    ("Patients received the PD-1 inhibitor nivolumab and ipilimumab in melanoma.", "ipilimumab", "PDCD1"),
    # a class named for contrast is not the next drug's
    ("Unlike GLP-1 drugs, AC-31 is an amylin analogue for obesity.", "AC-31", "GLP1R"),
    ("In contrast to injectable GLP-1 medications, AC-31 preserves muscle mass.", "AC-31", "GLP1R"),
    # a second apposition: the phrase between two drugs is the second's when the second is no list's next item
    ("Beyond LYNPARZA, its anti-PD-1 therapy, OPDIVO, is approved in many indications.", "olaparib", "PDCD1"),
    # "anti-X/Y": the class of drugs against either, not a drug against both
    ("KEYTRUDA is the first anti-PD-1/PD-L1 therapy to show this benefit.", "pembrolizumab", "CD274"),
])
def test_a_class_or_apposition_is_not_credited_to_another_drug(facts, sentence, drug, target):
    assert (drug, target) not in pairs_of(facts("Acme update\n\n" + sentence), "drug_target")


def test_targets_bound_edited_or_listed_in_brackets_after_the_verb(facts):
    f = facts(
        "Acme data\n\n"
        "AC-13 is an antibody that binds selectively to VEGFR-2. AC-14 binds to the p19 subunit of interleukin 23. "
        "AC-15 works through inhibition of three enzymes in human cells (SPHK2, DES1 and SPHK1). "
        "AC-16 lowers blood pressure by editing angiotensinogen (AGT). AC-17 is a THRβ agonist."
    )
    pairs = pairs_of(f, "drug_target")
    assert {("AC-13", "KDR"), ("AC-14", "IL23A"), ("AC-15", "SPHK2"), ("AC-15", "DEGS1"), ("AC-15", "SPHK1"),
            ("AC-16", "AGT"), ("AC-17", "THRB")} <= pairs


def test_a_bulleted_list_run_together_is_one_sentence_per_item(facts):
    f = facts(
        "Acme data\n\n"
        "- AC-18 is in the largest trial in RET-altered cancer - 60 percent ORR in patients who had previously received "
        "chemotherapy - First and only RET inhibitor with intracranial responses - Well tolerated\n\n"
        "Acme presented data on AC-18."
    )
    assert "RET" in norms(f, "TARGET")  # the prior-therapy cue of the item before does not reach it


def test_target_text_is_the_surface_form_before_a_drug(facts):
    f = facts("Acme data\n\nTumors express PD-L1\n\nKEYTRUDA is the first anti-PD-1 therapy. MC4R bremelanotide plus GLP-1/GIP tirzepatide.")
    found = sorted((m.text, m.norm) for m in f.mentions if m.label == "TARGET")
    assert found == [("GIP", "GIPR"), ("GLP-1", "GLP1R"), ("MC4R", "MC4R"), ("PD-1", "PDCD1")]


def test_a_disease_keeps_the_words_that_narrow_it(facts):
    f = facts(
        "Acme data\n\n"
        "Pembrolizumab is studied in patients with classical Hodgkin lymphoma. Empagliflozin is approved for adults "
        "with heart failure with reduced ejection fraction."
    )
    # the narrowing word stays, before the vocabulary's name of the disease it narrows
    assert {"classical hodgkin's lymphoma", "heart failure with reduced ejection fraction"} <= norms(f, "INDICATION")
    assert not norms(f, "INDICATION") & {"hodgkin's lymphoma", "heart failure"}


def test_the_disease_of_people_vaccinated_is_not_the_vaccines_indication(facts):
    f = facts(
        "Acme data\n\n"
        "AC-CM04 is tested as a COVID-19 booster vaccine in immunocompromised patients, such as those with chronic "
        "lymphocytic leukemia. AC-ELI is a cancer vaccine studied in patients with pancreatic cancer."
    )
    assert norms(f, "INDICATION") == {"covid-19", "pancreatic cancer"}


def test_qualifiers_joined_by_or_share_the_disease_head(facts):
    f = facts(
        "Acme data\n\n"
        "Olaparib is approved for gastric or gastroesophageal junction (GEJ) adenocarcinoma and studied in breast or "
        "ovarian cancer, in classic and endemic Kaposi sarcoma, in diabetes and heart disease, and in head and neck "
        "squamous cell carcinoma. A second trial enrols patients with GEJ adenocarcinoma."
    )
    found = norms(f, "INDICATION")
    assert {"gastric adenocarcinoma", "gastroesophageal junction adenocarcinoma", "breast cancer", "ovarian cancer",
            "classic kaposi's sarcoma", "endemic kaposi's sarcoma", "heart disease",
            "head and neck squamous cell carcinoma"} <= found
    assert not found & {"adenocarcinoma", "diabetes disease", "head cancer", "gej adenocarcinoma"}


def test_a_slash_names_two_diseases_only_when_each_side_is_one(facts):
    f = facts(
        "Acme data\n\n"
        "Olaparib is approved for adults with chronic lymphocytic leukemia/small lymphocytic lymphoma (CLL/SLL). "
        "The GLIDE trial enrols patients with CLL/SLL. Atomoxetine is studied in attention-deficit/hyperactivity disorder."
    )
    found = norms(f, "INDICATION")
    assert {"chronic lymphocytic leukemia", "small lymphocytic lymphoma"} <= found
    assert not any("/" in n and "lymph" in n for n in found)
    assert any("hyperactivity disorder" in n for n in found)


def test_a_short_form_inside_a_disease_name_is_spelled_out_where_defined(facts):
    f = facts(
        "Acme data\n\n"
        "Non-small cell lung cancer (NSCLC) is common. Olaparib is approved for squamous NSCLC."
    )
    assert "squamous lung non-small cell carcinoma" in norms(f, "INDICATION")  # as NSCLC alone is named
    assert "squamous nsclc" not in norms(f, "INDICATION")


def test_plural_cancer_names_meet_the_vocabulary_but_plural_classes_do_not(facts):
    f = facts(
        "Acme data\n\n"
        "Olaparib is studied in advanced head and neck cancers and in B-cell lymphomas. Acme also develops vaccines "
        "against infectious diseases with olaparib."
    )
    found = norms(f, "INDICATION")
    assert "head and neck cancer" in found
    assert "disease by infectious agent" not in found


def test_a_vaccines_population_stays_a_population_when_the_infection_is_named_elsewhere(facts):
    f = facts(
        "Acme data\n\n"
        "AC-CM04 is a COVID-19 vaccine in Phase 2.\n\n"
        "In a randomized trial comparing AC-CM04 to an approved vaccine in patients with chronic lymphocytic leukemia "
        "(CLL), AC-CM04 raised T cell responses. AC-ELI is a cancer vaccine studied in patients with pancreatic cancer."
    )
    assert "chronic lymphocytic leukemia" not in norms(f, "INDICATION")
    assert "pancreatic cancer" in norms(f, "INDICATION")


def test_a_long_form_starts_at_its_word_after_a_dash_and_curated_names_beat_the_vocabulary(facts):
    f = facts(
        "Acme data\n\n"
        "Exagamglogene autotemcel treats two blood disorders—sickle cell disease (SCD) and beta thalassemia. "
        "Acme studies olaparib in patients with lupus."
    )
    found = norms(f, "INDICATION")
    assert "sickle cell disease" in found and not any("disorders" in n for n in found)
    assert "systemic lupus erythematosus" in found and "lupus erythematosus" not in found


# ── trials named by their population ─────────────────────────────────────────────────────────


def test_a_study_named_by_its_patients_is_a_trial_but_an_analysis_set_is_not(facts):
    found = facts("Most common adverse reactions in at least 20% of patients in OlympiAD were nausea and anemia. "
                  "The response rate in patients in the MITT population was 40%.")
    assert norms(found, "TRIAL") == {"OLYMPIAD"}


def test_a_code_before_a_phase_and_study_word_is_the_drug_the_study_tests(facts):
    found = facts("Qurna Bio dosed the first participants in the QRN-612 Phase 1 study in adults. "
                  "The company plans to start the QRN-640 Adult Phase 3 Pivotal, Non-Inferiority Study next year.")
    assert norms(found, "DRUG_CODE") == {"QRN-612", "QRN-640"}
    assert norms(found, "TRIAL") == set()
    # a two-digit code with one study cue is not sure enough to make its siblings studies
    found = facts("Pneumo Co doses first participants in the ongoing ZV-31 Phase 1/2 Study. "
                  "It plans to initiate the ZV-24 Adult Phase 3 Pivotal, Non-Inferiority Study in 2025.")
    assert norms(found, "DRUG_CODE") == {"ZV-31", "ZV-24"}


def test_a_code_shaped_name_called_a_study_twice_is_a_study_though_once_its_subject(facts):
    found = facts("The AWARD-11 trial tested higher doses of Trulicity. AWARD-11, a phase 3 randomized study, "
                  "enrolled 1,842 adults. AWARD-11 showed further reductions in A1C.")
    assert "AWARD-11" in norms(found, "TRIAL")
    assert "AWARD-11" not in norms(found, "DRUG_CODE")


def test_a_code_titled_as_a_study_or_joined_to_a_trials_name_is_that_study_in_every_mention(facts):
    # one sense per name: the slash or the title word says what the name is, and the other mentions follow
    found = facts("Results from the Phase 1b/2 QX-103 clinical trial were shown. Earlier data from QX-103/KEYNOTE-869 "
                  "supported the work; AC-5 plus pembrolizumab was tested in cisplatin-ineligible patients in QX-103.")
    assert "QX-103" in norms(found, "TRIAL") and "QX-103" not in norms(found, "DRUG_CODE")
    found = facts("Poster 12 | Study QX-201 Cohort K: outcome of AC-5 in urothelial carcinoma. Study A4091059 was a "
                  "randomized trial. QX-201 enrolled 89 patients.")
    assert {"QX-201", "A4091059"} <= norms(found, "TRIAL")
    assert not {"QX-201", "A4091059"} & norms(found, "DRUG_CODE")
    # a heading run into its paragraph or a headline's "Pivotal Trial" does not make the drug a study
    found = facts("Acme Bio Initiates Pivotal Trial QX-101 in Psoriasis\n\nAcme Bio started the pivotal trial of QX-101, an "
                  "oral TYK2 inhibitor.\n\n**About the Study** QX-101 is being evaluated in 200 patients with psoriasis.")
    assert "QX-101" in norms(found, "DRUG_CODE") and "QX-101" not in norms(found, "TRIAL")
    # a drug the patients cannot receive is not a drug the trial tests
    found = facts("The Phase 2 RESOLVE-3 trial of AC-120 enrolled cisplatin-ineligible patients with urothelial carcinoma.")
    assert ("AC-120", "RESOLVE-3") in pairs_of(found, "drug_trial")
    assert ("cisplatin", "RESOLVE-3") not in pairs_of(found, "drug_trial")



def test_a_therapy_patients_cannot_receive_is_not_a_drug_the_trial_tests(facts):
    found = facts("In the Phase 2 RESOLVE-4 trial, AC-120 was given with AC-5 to patients with urothelial carcinoma who are not "
                  "eligible for cisplatin-based chemotherapy.")
    assert ("AC-120", "RESOLVE-4") in pairs_of(found, "drug_trial")
    assert not {p for p in pairs_of(found, "drug_trial") | pairs_of(found, "drug_indication") if p[0] == "cisplatin"}
    # only the therapy right after the cue: the drug the ineligible patients then receive is the trial's
    found = facts("Patients not eligible for intensive chemotherapy received AC-101 in the Phase 2 RESOLVE-5 trial in "
                  "acute myeloid leukemia.")
    assert ("AC-101", "RESOLVE-5") in pairs_of(found, "drug_trial")


def test_a_reason_to_stop_a_drug_is_no_indication_and_a_receptors_ligands_are_not_the_receptor(facts):
    found = facts("AC-9 is approved for the treatment of HIV-1 infection in adults. Discontinue AC-9 in patients who develop decreases in "
                  "renal function or evidence of Fanconi syndrome.")
    assert "fanconi syndrome" not in norms(found, "INDICATION")
    assert "hiv-1 infection" in norms(found, "INDICATION")
    found = facts("AC-11 is a cell therapy candidate engineered to target NKG2D ligands on cancer cells. "
                  "AC-12 is an antibody that targets NKG2D.")
    assert pairs_of(found, "drug_target") == {("AC-12", "KLRK1")}

# ── trial phases ─────────────────────────────────────────────────────────────────────────────


def test_a_phase_written_after_the_trial_name_or_shared_by_a_list_belongs_to_each_trial(facts):
    f = facts(
        "Acme begins the VEXOR-4 Phase III trial\n\n"
        "Acme said the first patient was dosed in the VEXOR-4 Phase III trial of zorvumab. "
        "Results of the Phase 3 DAWN-2 and DAWN-3 trials, and of the SPARK-1 and SPARK-2 Phase 2 studies, were positive. "
        "KESTREL is a multi-region, randomized, double-blind Phase 2b trial of zorvumab. "
        "The ORCA-1 study (NCT01234567), a global Phase 1 study, enrolled."
    )
    pairs = pairs_of(f, "trial_phase")
    assert {("VEXOR-4", "3"), ("DAWN-2", "3"), ("DAWN-3", "3"), ("KESTREL", "2b"), ("ORCA-1", "1")} <= pairs
    assert {("SPARK-1", "2"), ("SPARK-2", "2")} <= pairs


def test_a_phase_shared_by_a_plural_apposition_or_listed_after_a_study_word_belongs_to_each_trial(facts):
    f = facts(
        "Acme reports VEXOR data\n\n"
        "Zorvumab met the primary endpoint in VEXOR-1 and VEXOR-2, two Phase 3 studies in psoriasis. "
        "The KESTREL-1 study and the KESTREL-2 study enrol adults. "
        "The programme comprises four Phase 2 trials in asthma, including KESTREL-1 and KESTREL-2, evaluating zorvumab. "
        "Acme updated the status of its Phase 1/2 Study ORCA-101, evaluating zorvumab in lymphoma."
    )
    pairs = pairs_of(f, "trial_phase")
    assert {("VEXOR-1", "3"), ("VEXOR-2", "3"), ("KESTREL-1", "2"), ("KESTREL-2", "2"), ("ORCA-101", "1/2")} <= pairs


def test_a_phase_before_a_plural_study_word_or_a_participle_belongs_to_each_trial_listed(facts):
    f = facts(
        "Acme reports HERON data\n\n"
        "The HERON-1 study and the HERON-2 study enrol adults. The TERN-1 trial and the TERN-2 trial are ongoing. "
        "Acme evaluates zorvumab in the Phase 2 trials HERON-1 and HERON-2. "
        "The filing rests on several Phase 3 clinical studies evaluating zorvumab in adults and children, "
        "including TERN-1 and TERN-2."
    )
    pairs = pairs_of(f, "trial_phase")
    assert {("HERON-1", "2"), ("HERON-2", "2"), ("TERN-1", "3"), ("TERN-2", "3")} <= pairs
    f = facts("Acme reports HERON-3 news\n\nFollowing two Phase 2 studies, HERON-3, a Phase 3 trial of zorvumab, began.")
    assert ("HERON-3", "2") not in pairs_of(f, "trial_phase") and ("HERON-3", "3") in pairs_of(f, "trial_phase")


def test_a_series_programmes_phase_belongs_to_its_numbered_trials(facts):
    f = facts(
        "Acme reports VEXOR data\n\n"
        "The VEXOR phase 3 global clinical development program for zorvumab began in 2022. "
        "VEXOR-1 compared zorvumab with placebo, and VEXOR-2 compared it with insulin. "
        "KESTREL-1, a separate study of zorvumab, is ongoing."
    )
    pairs = pairs_of(f, "trial_phase")
    assert {("VEXOR", "3"), ("VEXOR-1", "3"), ("VEXOR-2", "3")} <= pairs
    assert not any(trial == "KESTREL-1" for trial, _ in pairs)


def test_a_series_short_name_keeps_a_phase_its_numbered_trial_does_not_have(facts):
    f = facts(
        "Acme reports EMBAR-3 results\n\n"
        "Results from the Phase 1 EMBAR study of zorvumab supported EMBAR-3. "
        "EMBAR-3 is a Phase 3 trial of zorvumab in breast cancer."
    )
    pairs = pairs_of(f, "trial_phase")
    assert ("EMBAR-3", "3") in pairs and ("EMBAR-3", "1") not in pairs
    assert ("EMBAR", "1") in pairs


@pytest.mark.parametrize("text, trial, phase", [
    # one trial: the numbered name in brackets, its phase unwritten
    ("Acme update\n\nThe Phase 3 KEYSTONE trial (KEYSTONE-1) of ABC-101 met its primary endpoint in gout.", "KEYSTONE-1", "3"),
    # one trial: phases that share a number
    ("Acme update\n\nThe Phase 2/3 VISTA trial of ABC-101 is enrolling. VISTA-2, the Phase 3 portion, will follow.", "VISTA-2", "3"),
])
def test_a_series_short_name_is_its_numbered_trial_when_the_phases_do_not_disagree(facts, text, trial, phase):
    f = facts(text)
    assert ("ABC-101", trial) in pairs_of(f, "drug_trial")
    assert ("ABC-101", trial.split("-")[0]) not in pairs_of(f, "drug_trial")


def test_a_programme_is_its_own_trial_beside_its_one_numbered_trial_but_a_short_name_is_not(facts):
    f = facts(
        "Acme updates the PELTA program\n\n"
        "Acme's zorvumab is being evaluated with pembrolizumab in the PELTA clinical development program. "
        "Acme will stop enrollment in the Phase 3 PELTA-008 trial of zorvumab.\n\n"
        "In the LARKIN study, ditumab improved survival; LARKIN-001 enrolled 300 patients given ditumab."
    )
    pairs = pairs_of(f, "drug_trial")
    assert {("zorvumab", "PELTA"), ("zorvumab", "PELTA-008")} <= pairs
    # without the word "program", a series name is the short name of the one numbered trial named
    assert ("ditumab", "LARKIN-001") in pairs and ("ditumab", "LARKIN") not in pairs


def test_every_trial_a_sentence_lists_for_its_one_drug_is_that_drugs(facts):
    f = facts(
        "Acme updates zorvumab\n\n"
        "Acme continues to study zorvumab in multiple clinical trials, including VEXOR-3, which is focused on "
        "preventing symptomatic disease in people at risk; VEXOR-5, a registration trial for early disease; and "
        "VEXOR-6, which studies new dosing regimens."
    )
    assert {("zorvumab", f"VEXOR-{n}") for n in (3, 5, 6)} <= pairs_of(f, "drug_trial")


def test_a_phase_after_a_trial_name_without_a_study_word_is_not_its_phase(facts):
    f = facts("Acme reports data\n\nThe VEXOR-4 results were strong, and Phase 3 plans for zorvumab are under way.")
    assert not any(trial == "VEXOR-4" for trial, _ in pairs_of(f, "trial_phase"))


def test_a_trials_population_in_safety_text_is_what_the_trial_studied_and_its_side_effects_are_not(facts):
    f = facts(
        "Zorvex approved in melanoma\n\n"
        "Zorvex (zorvumab) is approved for adults with advanced melanoma and is studied in the DAWN-8 trial.\n\n"
        "IMPORTANT SAFETY INFORMATION\n\n"
        "In the DAWN-6 trial, zorvumab was discontinued due to adverse reactions in 9% of 555 patients with advanced melanoma; "
        "adverse reactions leading to discontinuation were colitis and hepatitis.\n\n"
        "In DAWN-8, when zorvumab was administered with cisplatin to patients with cervical cancer, zorvumab was "
        "discontinued due to adverse reactions in 12% of patients.\n\n"
        "Based on safety data from DAWN-9, in patients with liver cirrhosis, hepatic encephalopathy was more frequent.\n\n"
        "About Acme\n\nAcme makes medicines."
    )
    pairs = pairs_of(f, "trial_indication")
    assert {("DAWN-6", "melanoma"), ("DAWN-8", "cervical cancer")} <= pairs
    assert not {t for _, t in pairs} & {"colitis", "hepatitis", "liver cirrhosis"}
    # a disease named only as the population of the trial a label sentence opens with is an indication ...
    assert ("cervical cancer", "safety") in {(m.norm, m.section) for m in f.mentions if m.label == "INDICATION"}
    # ... of that trial's own drug, not of its partner; a subgroup's condition under a cited trial is none
    drug_pairs = pairs_of(f, "drug_indication")
    assert ("zorvumab", "cervical cancer") in drug_pairs and ("cisplatin", "cervical cancer") not in drug_pairs
    assert "liver cirrhosis" not in norms(f, "INDICATION")
    assert not any(r.kind == "drug_indication" and r.tail in {"colitis", "hepatitis"} for r in f.relations)


def test_a_labels_adverse_reactions_heading_names_the_population_of_the_trial_under_it(facts):
    f = facts(
        "Zorvex approved in ovarian cancer\n\n"
        "Zorvex (zorvaparib) is approved for adults with advanced ovarian cancer and pancreatic adenocarcinoma.\n\n"
        "IMPORTANT SAFETY INFORMATION\n\n"
        "ADVERSE REACTIONS—Maintenance Recurrent Ovarian Cancer\n\n"
        "Most common adverse reactions in at least 20% of patients who received zorvaparib in the maintenance setting "
        "for DAWN-2 were nausea, fatigue and anemia.\n\n"
        "ADVERSE REACTIONS—First-Line Maintenance Metastatic Pancreatic Adenocarcinoma\n\n"
        "Most common adverse reactions in at least 10% of patients who received zorvaparib for DAWN-5 were fatigue, "
        "nausea and diarrhea.\n\n"
        "Immune-Mediated Pneumonitis\n\n"
        "Pneumonitis occurred in 3% of patients who received zorvaparib in DAWN-7.\n\n"
        "About Acme\n\nAcme makes medicines."
    )
    pairs = pairs_of(f, "trial_indication")
    assert {("DAWN-2", "ovarian cancer"), ("DAWN-5", "pancreatic adenocarcinoma")} <= pairs
    assert not {t for _, t in pairs} & {"pneumonitis", "nausea", "anemia"}
    written_in = facts(
        "Zorvex approved in breast cancer\n\nZorvex (zorvaparib) is approved for adults with metastatic breast cancer.\n\n"
        "IMPORTANT SAFETY INFORMATION\n\nAdverse Reactions in Metastatic Breast Cancer\n\n"
        "Most common adverse reactions in at least 20% of patients who received zorvaparib for DAWN-3 were nausea and anemia.\n\n"
        "About Acme\n\nAcme makes medicines."
    )
    assert ("DAWN-3", "breast cancer") in pairs_of(written_in, "trial_indication")


def test_a_regulatory_step_based_on_a_trial_gives_the_trial_its_population(facts):
    f = facts(
        "FDA accepts application for Zorvex\n\n"
        "Acme today announced that the FDA accepted an sBLA for Zorvex (zorvaparib) for the first-line treatment of "
        "patients with esophageal and GEJ cancer. This sBLA is based on data from the pivotal Phase 3 DAWN-9 trial, "
        "in which zorvaparib improved overall survival in these patients.\n\n"
        "The safety of zorvaparib in children with glioma has not been established. The approval was based on "
        "data from the DAWN-4 trial.\n\n"
        "About Acme\n\nAcme makes medicines."
    )
    pairs = pairs_of(f, "trial_indication")
    assert {("DAWN-9", "esophageal cancer"), ("DAWN-9", "gastroesophageal junction cancer")} <= pairs
    assert not [p for p in pairs if p[0] == "DAWN-4"]  # a limitation of use is no population


def test_a_disease_before_including_belongs_to_the_trials_it_lists(facts):
    f = facts(
        "Acme reports DAWN-5 results\n\nThe Phase 3 DAWN-5 trial met its primary endpoint. DAWN-5 is part of a "
        "programme for zorvaparib of four Phase 3 trials in renal cell carcinoma, including DAWN-11 and DAWN-12, "
        "evaluating zorvaparib in earlier settings.\n\nAbout Acme\n\nAcme makes medicines."
    )
    pairs = pairs_of(f, "trial_indication")
    assert {("DAWN-11", "renal cell carcinoma"), ("DAWN-12", "renal cell carcinoma")} <= pairs


def test_a_disease_before_in_the_trial_belongs_to_that_trial(facts):
    f = facts(
        "Acme programmes\n\nAcme is investigating zorvaparib for obesity in the DAWN phase 3 clinical program and for "
        "type 2 diabetes in the DUSK phase 3 clinical program.\n\nAbout Acme\n\nAcme makes medicines."
    )
    pairs = pairs_of(f, "trial_indication")
    assert ("DUSK", "type 2 diabetes mellitus") in pairs
    assert ("DAWN", "type 2 diabetes mellitus") not in pairs


def test_a_recent_act_is_an_undated_event_but_not_in_an_about_section(facts):
    f = facts(
        "Acme Update\n\nAcme reported revenue today. Adherence data for zorvaparib were recently presented at AHS.\n\n"
        "About Acme\n\nAcme recently initiated a Phase 3 study of AB-101."
    )
    events = {(e.kind, e.drug, e.date) for e in f.events}
    assert ("presentation", "zorvaparib", None) in events
    assert not [e for e in f.events if e.drug == "AB-101"]


def test_a_phase_every_study_of_a_programme_shares_reaches_its_numbered_trials(facts):
    f = facts(
        "Acme Update\n\nAcme reported revenue.\n\n"
        "ZEPHYR-AD7 is the third of five Phase 3 studies that make up the ZEPHYR-AD program of AB-101. "
        "Acme previously announced results for ZEPHYR-AD1 and ZEPHYR-AD2 earlier this year.\n\n"
        "About Acme\n\nAcme makes medicines."
    )
    pairs = pairs_of(f, "trial_phase")
    assert {("ZEPHYR-AD", "3"), ("ZEPHYR-AD1", "3"), ("ZEPHYR-AD2", "3")} <= pairs
    # a phase some studies of a programme have is the programme's, not every member's
    some = pairs_of(facts("Acme Update\n\nAcme reported revenue.\n\nAcme completed two Phase 1 studies in the ZEPHYR program "
                          "of AB-101 in 2022. ZEPHYR-3 is a Phase 3 trial of AB-101 in psoriasis.\n\nAbout Acme\n\nAcme makes medicines."),
                    "trial_phase")
    assert ("ZEPHYR-3", "3") in some and ("ZEPHYR-3", "1") not in some


def test_a_comparators_disease_is_the_trials_not_an_indication_of_the_comparator(facts):
    f = facts(
        "Zorvex Meets Primary Endpoint\n\n"
        "Acme announced that the Phase 3 DAWN-5 trial showed a significant improvement in progression-free survival "
        "for zorvumab compared to everolimus in patients with advanced renal cell carcinoma.\n\n"
        "About Acme\n\nAcme makes medicines."
    )
    pairs = pairs_of(f, "drug_indication")
    assert ("zorvumab", "renal cell carcinoma") in pairs
    assert ("everolimus", "renal cell carcinoma") not in pairs


def test_a_disease_said_of_a_plain_list_of_drugs_is_each_listed_drugs(facts):
    f = facts(
        "Acme comments on a study\n\n"
        "The SGLT2 medications canagliflozin, dapagliflozin and empagliflozin are approved for the treatment of "
        "type 2 diabetes. Patients then received zorvumab plus pemetrexed and carboplatin for pancreatic cancer."
    )
    pairs = pairs_of(f, "drug_indication")
    assert {d for d, t in pairs if t == "type 2 diabetes mellitus"} == {"canagliflozin", "dapagliflozin", "empagliflozin"}
    # partners joined by "plus" are a combination, and a generic backbone list gets no disease of its own
    assert ("zorvumab", "pancreatic cancer") in pairs
    assert not any(d in ("pemetrexed", "carboplatin") for d, _ in pairs)


@pytest.mark.parametrize("sentence, alone, disease", [
    # an apposition or relative clause after the last drug describes that drug alone
    ("Acme acquired rights to AC-101 and AC-202, a Phase 2 candidate for psoriasis.", "AC-101", "psoriasis"),
    ("Acme's programs include AC-101, AC-202 and AC-303, which is in Phase 2 for psoriasis.", "AC-202", "psoriasis"),
    # "respectively" pairs two lists in order, which is not read here
    ("AC-101 and AC-202 are in Phase 2 for psoriasis and in Phase 1 for obesity, respectively.", "AC-101", "obesity"),
])
def test_a_disease_said_of_a_lists_last_drug_alone_is_not_the_lists(facts, sentence, alone, disease):
    pairs = pairs_of(facts("Acme update\n\n" + sentence), "drug_indication")
    assert (alone, disease) not in pairs


def test_a_comparator_owns_no_disease_even_alone_and_a_duration_is_no_comparison(facts):
    f = facts(
        "The Only PARP Inhibitor to Improve Survival Versus Enzalutamide or Abiraterone in Prostate Cancer\n\n"
        "Acme seeks approval of a 400 mg dose infused over 30 minutes for KEYTRUDA indications in melanoma and gastric cancer."
    )
    pairs = pairs_of(f, "drug_indication")
    assert not any(d in ("enzalutamide", "abiraterone") for d, _ in pairs)
    assert {("pembrolizumab", "melanoma"), ("pembrolizumab", "gastric cancer")} <= pairs
    for duration in ("over time", "over a year of", "over twelve weeks of"):
        g = facts(f"Acme update\n\nResponses deepened {duration} treatment with KEYTRUDA in melanoma.")
        assert ("pembrolizumab", "melanoma") in pairs_of(g, "drug_indication"), duration


def test_a_combinations_disease_is_credited_to_the_investigational_drug_not_only_the_nearest_partner(facts):
    f = facts(
        "Acme reports DAWN-2 results\n\n"
        "The DAWN-2 trial evaluated zorvumab in combination with pemetrexed in patients with pancreatic cancer."
    )
    pairs = pairs_of(f, "drug_indication")
    assert ("zorvumab", "pancreatic cancer") in pairs


def test_a_generic_backbone_partner_gets_no_indication_but_a_partner_product_does(facts):
    f = facts(
        "Acme reports approvals\n\n"
        "KEYTRUDA, in combination with pemetrexed and platinum chemotherapy, is indicated for patients with "
        "metastatic nonsquamous non-small cell lung cancer. KEYTRUDA, in combination with LENVIMA, is indicated "
        "for patients with advanced renal cell carcinoma."
    )
    pairs = pairs_of(f, "drug_indication")
    assert ("pembrolizumab", "renal cell carcinoma") in pairs and ("lenvatinib", "renal cell carcinoma") in pairs
    assert any(d == "pembrolizumab" and "non-small cell" in t for d, t in pairs)
    assert not any(d == "pemetrexed" for d, _ in pairs)


@pytest.mark.parametrize(
    "sentence, lead, disease, backbone",
    [
        # a regimen named by hyphenated drugs belongs to its first drug
        ("The zorvumab-pemetrexed-platinum regimen is indicated for patients with metastatic nonsquamous non-small cell "
         "lung cancer.", "zorvumab", "non-small cell", "pemetrexed"),
        # a generic partner spelled with a prefix is still a backbone, not a product of its own
        ("KEYTRUDA, in combination with platinum and 5-fluorouracil chemotherapy, is indicated for patients with head and "
         "neck squamous cell carcinoma.", "pembrolizumab", "head and neck squamous cell carcinoma", "fluorouracil"),
    ],
)
def test_a_regimens_disease_is_its_lead_drugs_not_its_backbones(facts, sentence, lead, disease, backbone):
    pairs = pairs_of(facts("Acme reports approvals\n\n" + sentence), "drug_indication")
    assert any(d == lead and disease in t for d, t in pairs)
    assert not any(d == backbone for d, _ in pairs)


def test_a_sentence_opening_with_these_studies_speaks_of_the_trials_the_sentence_before_named(facts):
    f = facts(
        "Acme reports VEXOR news\n\n"
        "The programme consists of the VEXOR-1 and VEXOR-2 studies. "
        "These studies will evaluate zorvumab in adults with chronic kidney disease.\n\n"
        "About KESTREL-1 and KESTREL-2\n\n"
        "In these double-blind Phase 3 trials, 900 patients with severe alopecia areata were randomized.\n\n"
        "Acme also runs the ORCA-1 trial and the ORCA-2 trial. The study enrolled patients with asthma."
    )
    indications = pairs_of(f, "trial_indication")
    assert {("VEXOR-1", "chronic kidney disease"), ("VEXOR-2", "chronic kidney disease")} <= indications
    assert {("KESTREL-1", "alopecia areata"), ("KESTREL-2", "alopecia areata")} <= indications
    assert {("KESTREL-1", "3"), ("KESTREL-2", "3")} <= pairs_of(f, "trial_phase")
    # "The study" after a sentence naming two trials: which one is not said
    assert not any(disease == "asthma" for _, disease in indications)
    g = facts("Acme news\n\nThe SPRINT-3 trial is a Phase 1/2 study of zorvumab. The Phase 1 study was designed to find the dose.")
    assert ("SPRINT-3", "1") not in pairs_of(g, "trial_phase")  # "The Phase 1 study": a part of the trial


def test_a_disease_written_beside_a_list_of_trials_belongs_to_every_trial_of_the_list(facts):
    f = facts(
        "Acme reports VEXOR news\n\n"
        "The VEXOR-1 study, the VEXOR-2 study and the VEXOR-3 study began in 2024. "
        "Key studies in psoriasis include VEXOR-1, VEXOR-2 and VEXOR-3. "
        "Zorvumab met the primary endpoint in KESTREL-1 and KESTREL-2, two Phase 3 studies evaluating zorvumab "
        "in adults with moderate to severe atopic dermatitis. "
        "The ORCA-1 trial enrolled patients with asthma, and the company also runs ORCA-2 and ORCA-3. "
        "Key studies in gout and lupus include ORCA-4, ORCA-5 and ORCA-6."
    )
    indications = pairs_of(f, "trial_indication")
    # a list beside two diseases does not say which trial studies which
    assert not {pair for pair in indications if pair[0] in ("ORCA-5", "ORCA-6")}
    g = facts(
        "Acme news\n\nThe ORCA-7 study and the ORCA-8 study began in 2018. "
        "The ORCA-7 and ORCA-8 trials of zorvumab were completed in 2019, and Acme then began a new programme in adults with asthma."
    )
    assert ("ORCA-7", "asthma") not in pairs_of(g, "trial_indication")  # the clause after ", and" is not the list's
    assert {("VEXOR-1", "psoriasis"), ("VEXOR-2", "psoriasis"), ("VEXOR-3", "psoriasis")} <= indications
    assert {("KESTREL-1", "atopic dermatitis"), ("KESTREL-2", "atopic dermatitis")} <= indications
    # a list further on, not tied to the disease, does not share it
    assert ("ORCA-1", "asthma") in indications and ("ORCA-3", "asthma") not in indications


def test_two_codes_joined_by_a_slash_name_one_drug(facts):
    f = facts("Acme and Beta report data\n\nAcme and Beta said ACM-4157/BX940, an individualized neoantigen therapy, reduced recurrence in melanoma.")
    assert ("ACM-4157", "BX940") in pairs_of(f, "drug_alias")
    g = facts("Acme reports data\n\nAcme tested ACM-123/ACM-124 in patients with melanoma.")
    assert not pairs_of(g, "drug_alias")  # one company's two codes: a combination, not one drug


def test_a_drug_in_another_item_of_a_semicolon_list_is_not_the_nearest_trials(facts):
    f = facts(
        "Acme at IAS\n\n"
        "Presentations include data from the VEXOR-1 and VEXOR-2 trials that evaluated zorvumab in adults; "
        "data on the safety of raltegravir in pregnancy; and a pharmacokinetic study of islatravir."
    )
    pairs = pairs_of(f, "drug_trial")
    assert ("zorvumab", "VEXOR-2") in pairs
    assert not {pair for pair in pairs if pair[0] in ("raltegravir", "islatravir")}


# ── owners ───────────────────────────────────────────────────────────────────────────────────


def test_the_issuers_own_products_are_its_own_in_its_boilerplate_and_by_self_reference(facts):
    f = facts(
        "Acme Biologics to present at a conference\n\n"
        "BOSTON, July 10, 2025 - Acme Biologics, Inc. (Nasdaq: ACMB) today announced a webcast.\n\n"
        "Tebentafusp, the Company's bispecific therapy for uveal melanoma, will be discussed.\n\n"
        "About Acme Biologics\n\n"
        "Acme Biologics, Inc. is a clinical-stage company. In oncology its lead program is Velmora, an oncolytic therapy."
    )
    assert {("tebentafusp", "Acme Biologics"), ("velmora", "Acme Biologics")} <= pairs_of(f, "drug_company")


def test_the_background_therapy_of_a_trial_in_the_issuers_about_text_is_not_its_own(facts):
    f = facts(
        "Acme Biologics reports DUSK-3 results\n\n"
        "BOSTON, July 10, 2025 - Acme Biologics, Inc. (Nasdaq: ACMB) today announced results.\n\n"
        "About the DUSK-3 study\n\n"
        "DUSK-3 is a 52-week trial of AB-101 in adults with type 2 diabetes who have inadequate glycemic control on "
        "stable doses of metformin. Acme Biologics designed two sub-studies of it."
    )
    pairs = pairs_of(f, "drug_company")
    assert ("AB-101", "Acme Biologics") in pairs and ("metformin", "Acme Biologics") not in pairs
    g = facts("Zentiva news\n\nZentiva today announced a webcast.\n\nAbout Zentiva\n\nZentiva is a specialty company. It "
              "supports children with growth hormone deficiency receiving somatrogon, its once-weekly therapy.")
    assert ("somatrogon", "Zentiva") in pairs_of(g, "drug_company")
    # an about paragraph on another company's product is not the issuer's boilerplate
    h = facts("Acme Reports Data\n\nAcme today announced results.\n\nAbout semaglutide\n\nSemaglutide is a GLP-1 receptor "
              "agonist. Acme is evaluating ACM-1001 in combination with semaglutide.")
    assert ("semaglutide", "Acme") not in pairs_of(h, "drug_company")


def test_a_drug_in_a_partners_boilerplate_paragraph_is_not_credited_to_the_issuer(facts):
    f = facts(
        "Acme Biologics signs supply agreement\n\n"
        "BOSTON, July 10, 2025 - Acme Biologics, Inc. (Nasdaq: ACMB) today announced a supply agreement with Borex Pharma.\n\n"
        "About Borex Pharma\n\n"
        "Borex Pharma makes Velmora, an approved oncolytic therapy, with Acme Biologics as a supplier."
    )
    assert ("velmora", "Acme Biologics") not in pairs_of(f, "drug_company")


def test_a_trial_is_linked_to_the_most_specific_name_of_its_disease(facts):
    f = facts(
        "Acme reports DAWN-2 results\n\n"
        "The DAWN-2 trial enrolled patients with metastatic non-small cell lung cancer. "
        "DAWN-2 is part of Acme's lung cancer program, the DAWN-2 trial in lung cancer, and of its work in melanoma."
    )
    pairs = pairs_of(f, "trial_indication")
    assert any(t.endswith("non-small cell carcinoma") or "non-small cell" in t for h, t in pairs if h == "DAWN-2")
    assert ("DAWN-2", "lung cancer") not in pairs


def test_broader_disease_needs_the_same_head_and_fewer_words():
    from extractor.extract.normalize import broader_disease

    assert broader_disease("lung cancer", "lung non-small cell carcinoma")
    assert broader_disease("heart failure", "acute heart failure")
    assert not broader_disease("lung cancer", "lung cancer")
    assert not broader_disease("breast cancer", "lung cancer")
    assert not broader_disease("heart failure", "heart failure with reduced ejection fraction")
    assert not broader_disease("multiple myeloma", "refractory multiple myeloma")  # a stage, not a kind


def test_a_background_therapy_the_patients_keep_is_not_what_the_trial_tests(facts):
    f = facts(
        "Acme reports HERON-2 results\n\n"
        "HERON-2 was a 40-week, randomized trial comparing ZV-101 to semaglutide as an add-on to metformin "
        "in adults with type 2 diabetes. HERON-3 enrolled adults inadequately controlled with metformin alone "
        "and tested ZV-101."
    )
    pairs = pairs_of(f, "drug_trial")
    assert ("ZV-101", "HERON-2") in pairs
    assert ("metformin", "HERON-2") not in pairs
    assert ("metformin", "HERON-3") not in pairs


def test_a_drug_the_control_arm_gets_alone_is_every_arms(facts):
    f = facts(
        "Acme reports PLOVER-5 results\n\n"
        "In a pre-specified analysis of the Phase 3 PLOVER-5 trial, ZV-101 plus 5-FU and cisplatin showed a median OS of 13.5 months "
        "versus 9.4 months for patients treated with 5-FU and cisplatin alone."
    )
    pairs = pairs_of(f, "drug_trial")
    assert ("ZV-101", "PLOVER-5") in pairs
    assert ("cisplatin", "PLOVER-5") not in pairs


def test_a_drug_every_arm_gets_is_not_what_the_trial_tests_anywhere_in_the_document(facts):
    f = facts(
        "Acme reports KESTREL-2 results\n\n"
        "The Phase 3 KESTREL-2 trial evaluated zorvumab plus fulvestrant in breast cancer. "
        "In the KESTREL-2 trial, the most common adverse reactions for zorvumab plus fulvestrant vs fulvestrant were diarrhea. "
        "The Phase 3 KESTREL-3 trial compared zorvumab with placebo and secukinumab."
    )
    pairs = pairs_of(f, "drug_trial")
    assert ("zorvumab", "KESTREL-2") in pairs
    assert ("fulvestrant", "KESTREL-2") not in pairs
    assert ("secukinumab", "KESTREL-3") in pairs  # "placebo and secukinumab": two comparator arms, not a backbone


def test_a_combination_compared_with_its_partner_alone_gives_the_partner_to_every_arm(facts):
    f = facts(
        "Acme reports ORBIT-2 results\n\n"
        "In the ORBIT-2 trial, zorvumab in combination with remdesivir shortened the time to recovery in "
        "comparison to remdesivir alone."
    )
    pairs = pairs_of(f, "drug_trial")
    assert ("zorvumab", "ORBIT-2") in pairs and ("remdesivir", "ORBIT-2") not in pairs


# ── run-together text and sentence ends ─────────────────────────────────────────────────────


def test_a_listing_run_together_without_full_stops_pairs_only_neighbours(facts):
    entries = [
        ("Zorvumab in the VEXOR-2 trial in patients with melanoma", "Melanoma"),
        ("Efficacy and safety of ditumab with carboplatin", "Lung Cancer"),
        ("Long-term outcomes of the KESTREL-3 study of ditumab in patients with gastric cancer", "Gastrointestinal Cancer"),
        ("Real-world use of pemetrexed across community oncology practices in the United States", "Health Services"),
        ("Biomarker analysis of circulating tumor DNA in patients treated with zorvumab", "Developmental Therapeutics"),
    ]
    listing = " ".join(f"Abstract {100 + i}: {title} Session: {session} Poster: {20 + i}" for i, (title, session) in enumerate(entries))
    assert len(listing) > 600 and "." not in listing
    f = facts("Acme at ASCO\n\nAcme will present the following abstracts at the meeting.\n\n" + listing + "\n\nAbout Acme\n\nAcme makes medicines.")
    pairs = pairs_of(f, "drug_trial")
    assert ("zorvumab", "VEXOR-2") in pairs and ("ditumab", "KESTREL-3") in pairs
    # far apart in the run-together text: nothing says they go together
    assert ("pemetrexed", "KESTREL-3") not in pairs and ("ditumab", "VEXOR-2") not in pairs
    assert ("KESTREL-3", "melanoma") not in pairs_of(f, "trial_indication")


def test_an_ellipsis_before_a_capital_ends_a_sentence(facts):
    f = facts(
        "Acme updates its pipeline\n\n"
        "Acme will report data from the Phase 1b study of ACM-511 around the end of 2025. … Meanwhile, the "
        "KOASTAL-2 Phase 3 trial of pembrolizumab resumed enrollment."
    )
    pairs = pairs_of(f, "drug_trial")
    assert ("pembrolizumab", "KOASTAL-2") in pairs and ("ACM-511", "KOASTAL-2") not in pairs


# ── companies ────────────────────────────────────────────────────────────────────────────────


def test_a_name_with_only_a_legal_form_is_a_company_and_anchors_its_short_name(facts):
    f = facts(
        "Acme reports zorvumab data\n\n"
        "Acme Therapeutics, Inc. (Nasdaq: ACME) reported data for zorvumab. Dr. Lee, Norvalis S.A.'s chief scientific "
        "officer, commented. Norvalis has licensed the rights to develop and commercialize zorvumab in Europe. "
        "Manufacturing is done by Merck Sharp & Dohme LLC and by Diagnostics, Inc.\n\n"
        "References\n\n1. Data on File. Kestrivo, LLC. 2024."
    )
    companies = {m.text: m.norm for m in f.mentions if m.label == "COMPANY"}
    assert companies.get("Norvalis S.A.") == "Norvalis" and companies.get("Norvalis") == "Norvalis"
    # not the tail of a longer name, not a generic word, not a publisher named only in the references
    assert not {"Dohme", "Diagnostics", "Kestrivo"} & set(norms(f, "COMPANY"))
    assert ("zorvumab", "Norvalis") in pairs_of(f, "drug_company")


def test_a_headline_subject_that_announces_is_the_issuer_under_its_whole_name(facts):
    f = facts(
        "Zorvax Announces Positive Data for ZVX-101\n\n"
        "SAN DIEGO, May 1, 2025 -- Zorvax Labs, Inc. (Nasdaq: ZVX) today announced data for ZVX-101 in melanoma."
    )
    companies = {m.text: m.norm for m in f.mentions if m.label == "COMPANY"}
    assert companies.get("Zorvax") == "Zorvax Labs"  # the headline's short form, under the name the lead gives whole
    assert norms(f, "COMPANY") == {"Zorvax Labs"}
    g = facts(
        "Zorvax Announces Data\n\n"
        "About Zorvax Labs Zorvax Labs, Inc. (Nasdaq: ZVX) and Zorvax Animal Health, Inc. (NYSE: ZAH) today announced data."
    )
    shorts = {m.text: m.norm for m in g.mentions if m.label == "COMPANY"}
    assert shorts.get("Zorvax") == "Zorvax"  # two whole names fit: which one is not said
    assert "Zorvax Labs Zorvax Labs" not in norms(g, "COMPANY")  # a heading glued twice to the name


# ── events ───────────────────────────────────────────────────────────────────────────────────


SHARED_PHARMA = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pharma-releases.jsonl"


@pytest.mark.skipif(not SHARED_PHARMA.is_file(), reason="../shared/corpus is absent")
def test_results_a_regulatory_release_restates_are_the_basis_of_its_step_not_a_readout(extractor):
    """A CHMP-opinion release (shared corpus, record 419) restates the CLEAR results the opinion rests on."""
    from extractor.readers import iter_inputs

    doc = next(d for d in iter_inputs([SHARED_PHARMA]) if d.source.endswith("#419"))
    events = extractor.extract(clean(doc).with_title()).events
    assert any(e.kind == "approval" and e.drug == "pembrolizumab" for e in events)
    assert not [e for e in events if e.kind == "topline_data"]


def test_a_presentation_listing_drugs_is_each_drugs_and_takes_the_headlines_congress(facts):
    f = facts(
        "Acme to Present Data at the American Society of Hematology (ASH) Annual Meeting\n\n"
        "Presentations include new data on zorvumab, ditumab and veltinib.\n\n"
        "RAHWAY, N.J., Dec. 1, 2022 -- Acme today announced presentations at the upcoming ASH Annual Meeting "
        "from Dec. 10-13, 2022, in New Orleans.\n\n"
        "About Acme\n\nAcme makes medicines."
    )
    found = {(e.kind, e.drug, e.date, e.status) for e in f.events if e.kind == "presentation"}
    assert {("presentation", d, "2022-12", "expected") for d in ("zorvumab", "ditumab", "veltinib")} <= found


# ── run-together lists and a study's own drug ────────────────────────────────────────────────


def test_a_run_together_subtitle_list_is_read_item_by_item(facts):
    # the feed lost the bullets between the subtitle's items: each item is its own sentence, so one item's
    # drug is not paired with another item's trial
    f = facts(
        "Acme Showcases Oncology Research at ASCO 2024\n\n"
        "Latest Phase 1/2 ZENITH-001 registrational trial data examining AC-101 demonstrate progress for hard to treat "
        "tumor types Data on AC-202 continue to reinforce its role in treating people with advanced breast cancer "
        "Updated results from the VEXOR-2 study highlight durable benefit for patients with lung cancer\n\n"
        "Acme will present data from 23 studies at ASCO."
    )
    pairs = pairs_of(f, "drug_trial")
    assert ("AC-101", "ZENITH-001") in pairs
    assert not {("AC-202", "ZENITH-001"), ("AC-101", "VEXOR-2"), ("AC-202", "VEXOR-2")} & pairs


def test_a_drug_a_study_names_as_its_own_is_not_another_studys(facts):
    f = facts(
        "Acme Reports Lung Cancer Data\n\n"
        "Acme reported new data today.\n\n"
        "Data from the Phase 3 VEXOR-3 trial of AC-101 in EGFR-mutated NSCLC and final results from the ZENITH-189 study "
        "of AC-202 plus chemotherapy strengthen the portfolio."
    )
    pairs = pairs_of(f, "drug_trial")
    assert {("AC-101", "VEXOR-3"), ("AC-202", "ZENITH-189")} <= pairs
    assert not {("AC-202", "VEXOR-3"), ("AC-101", "ZENITH-189")} & pairs


def test_a_code_the_text_defines_as_a_drug_is_a_code_at_each_mention(facts):
    f = facts(
        "Acme Reports Progress\n\n"
        "Acme is developing IGC-AD1, a treatment for agitation. IGC-AD1 is an investigational drug that targets CB1.\n\n"
        "In the Phase 2 trial, IGC-AD1 reduced agitation."
    )
    assert [m.text for m in f.mentions if m.label == "DRUG_CODE"] == ["IGC-AD1", "IGC-AD1", "IGC-AD1"]


def test_a_prior_therapy_cue_does_not_run_on_through_a_subtitle_to_the_drug_under_study(facts):
    # a subtitle whose bullets lost their full stops: "previously treated with …" covers its own words, not the
    # head-to-head trial of the drug under study named at the end of the run
    f = facts(
        "Acme Announces Updated Data for AC-305 in CLL\n\n"
        "62% overall response rate in pretreated CLL patients; similar rates observed in patients previously treated "
        "with all classes of available therapy 94% of responding patients remain in response Phase 3 program to be "
        "initiated in 2021, including a head-to-head trial comparing AC-305 vs. ibrutinib\n\n"
        "Acme today announced updated data for AC-305 in CLL."
    )
    assert [(r.percent, r.drug) for r in f.responses] == [(62.0, "AC-305")]


def test_an_about_sections_deal_stated_as_an_act_counts_without_a_date(facts):
    """'Zeta Pharma and Acme Bio entered into a global collaboration …' under an About heading is a deal the
    document states; undated About status ('is approved in several countries') is not an event."""
    found = facts(
        "Acme Reports Data\n\nBOSTON, March 4, 2024 -- Acme Bio today reported data from a trial of AB-501.\n\n"
        "About the Acme and Zeta Collaboration\n\nZeta Pharma and Acme Bio entered into a global collaboration to "
        "jointly develop and commercialize AB-501 and AB-502. AB-502 is approved in several countries."
    )
    about = [e for e in found.events if e.section == "about"]
    assert {(e.kind, e.drug, e.date) for e in about} == {("deal", "AB-501", None), ("deal", "AB-502", None)}


def test_a_disease_before_a_product_noun_belongs_to_the_drug_that_noun_names(facts):
    f = facts(
        "Acme update\n\n"
        "Acme reviewed its programs, including its influenza vaccine (AC-101), its cancer immunotherapy (AC-202), "
        "its Mpox/smallpox vaccine (AC-303) and its manufacturing process."
    )
    pairs = pairs_of(f, "drug_indication")
    assert ("AC-303", "mpox") in pairs and ("AC-303", "smallpox") in pairs
    assert not {p for p in pairs if p[0] == "AC-202"}
    # only the product's own words stand between: a disease before a prior therapy's noun stays the drug's
    f = facts("Acme news\n\nAC-101 is being evaluated in melanoma following anti-PD-1 therapy (pembrolizumab or nivolumab).")
    assert pairs_of(f, "drug_indication") == {("AC-101", "melanoma")}


def test_a_brand_learned_beside_its_ingredients_is_the_drug_wherever_the_document_names_it(facts):
    f = facts(
        "Acme news\n\n"
        "The FDA accepted an sNDA for ZOLVARA (imipenem, cilastatin, and relebactam) for hospital-acquired bacterial "
        "pneumonia. ZOLVARA was first approved by the FDA in July 2019 for complicated urinary tract infections."
    )
    assert [m.norm for m in f.mentions if m.text == "ZOLVARA"] == ["imipenem", "imipenem"]
    # a name after a drug in parentheses may be its partner company: it is not spread
    g = facts("Acme news\n\nIn the ZEN-1 trial, AC-120 was combined with pembrolizumab (Vantis). Vantis Bio is a biotechnology company.")
    assert len([m for m in g.mentions if m.text == "Vantis" and m.label == "DRUG_NAME"]) <= 1
    assert ("approval", "imipenem", "2019-07") in {(e.kind, e.drug, e.date) for e in f.events}


def test_a_code_joined_by_a_slash_to_a_trial_is_the_same_studys_other_name(facts):
    f = facts(
        "Acme news\n\n"
        "Acme and Borex are studying AC-101 in Phase 3 studies, including AB-302/KEYNOTE-Z39 in untreated disease."
    )
    assert {"AB-302", "KEYNOTE-Z39"} <= texts(f, "TRIAL")
    assert "AB-302" not in texts(f, "DRUG_CODE")


def test_a_background_therapy_cue_reaches_only_the_class_beside_it(facts):
    f = facts("Acme news\n\nThe Phase 3 ZEN-1 trial randomized adults with type 2 diabetes not using insulin to AC-120 or placebo.")
    assert ("AC-120", "ZEN-1") in pairs_of(f, "drug_trial")
    assert ("AC-120", "type 2 diabetes mellitus") in pairs_of(f, "drug_indication")


def test_a_rate_said_of_one_disease_comes_from_the_trial_that_enrolled_it(facts):
    f = facts(
        "Acme results\n\n"
        "AC-20 was studied in two trials. The DAWN-1 trial enrolled patients with colorectal cancer. The DAWN-2 trial "
        "enrolled patients with gastric cancer. Results from the DAWN-1 and DAWN-2 trials are summarized below.\n\n"
        "Melanoma, the ORR was 40%. Colorectal cancer, the ORR was 34%. Gastric cancer, the ORR was 41%. Historically, "
        "chemotherapy in colorectal cancer has had an ORR of 10%."
    )
    # a disease in a sentence that reports a response rate is a disease studied, with no drug or trial beside it
    assert "melanoma" in norms(f, "INDICATION")
    trials = {r.percent: r.trial for r in f.responses}
    assert trials[34.0] == "DAWN-1" and trials[41.0] == "DAWN-2"
    assert trials[40.0] is None  # no trial enrolled melanoma
    assert trials.get(10.0) is None  # a historical benchmark is no trial's result
    g = facts(
        "Acme results\n\n"
        "The DAWN-1 trial of AC-20 enrolled patients with colorectal cancer. The DAWN-2 trial of AC-21 enrolled patients "
        "with gastric cancer.\n\n"
        "In a separate Phase 1 study, patients with colorectal cancer had an ORR of 20%. Gastric cancer, the ORR with "
        "AC-20 was 12%. Similar to results seen in melanoma, the ORR was 30%."
    )
    trials = {r.percent: r.trial for r in g.responses}
    assert trials[20.0] is None  # another study's result
    assert trials[12.0] is None  # DAWN-2 is AC-21's trial, not AC-20's
    assert "melanoma" not in norms(g, "INDICATION")  # a disease the rate is set beside


def test_a_partner_named_in_a_trials_safety_incidence_is_not_what_the_trial_tests(facts):
    f = facts(
        "Acme update\n\n"
        "In 221 patients receiving KEYTRUDA in combination with erlotinib in the DAWN-5 study, the incidence of new or "
        "worsening hypertension was higher. AC-40 reduced the incidence of RSV disease in the DAWN-6 trial."
    )
    pairs = pairs_of(f, "drug_trial")
    assert ("pembrolizumab", "DAWN-5") in pairs and ("erlotinib", "DAWN-5") not in pairs
    assert ("AC-40", "DAWN-6") in pairs  # an efficacy outcome, not a safety incidence
