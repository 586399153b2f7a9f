"""Attribution: which drug, trial and arm a response or dose belongs to, and the evidence and basis
of every relation. Each test states a case from the relations issue's error classes; the texts are
our own, written in the shape of real releases."""

import sqlite3

import pytest

from extractor import pipeline
from extractor.models import RELATION_BASES


def _responses(facts):
    return {(r.metric, r.percent): r for r in facts.responses}


def _pairs(facts, kind: str) -> set[tuple[str, str]]:
    return {(r.head, r.tail) for r in facts.relations if r.kind == kind}


def test_placebo_and_control_rates_are_never_the_investigational_drugs(extract):
    facts = extract(
        "Solvane reports LUMEN-2 results\n\n"
        "In the Phase 2b LUMEN-2 trial, 71% of patients on SLV-2284 reached a PASI 75 response, compared with 6% "
        "with placebo. In a second cohort, the major molecular response rate was 62% with TVS-801 versus 37% "
        "with bosutinib."
    )
    rates = _responses(facts)
    assert (rates[("PASI75", 71.0)].drug, rates[("PASI75", 71.0)].arm) == ("SLV-2284", "investigational")
    assert (rates[("PASI75", 6.0)].drug, rates[("PASI75", 6.0)].arm) == (None, "placebo")
    assert (rates[("MMR", 62.0)].drug, rates[("MMR", 62.0)].arm) == ("TVS-801", "investigational")
    assert (rates[("MMR", 37.0)].drug, rates[("MMR", 37.0)].arm) == ("bosutinib", "control")


def test_a_historical_benchmark_keeps_its_arm_and_no_drug(extract):
    facts = extract(
        "Corvane updates CRV-88\n\n"
        "CRV-88 produced an objective response rate of 45%, compared with a historical response rate of 20% "
        "for approved therapies in this setting."
    )
    rates = _responses(facts)
    assert rates[("ORR", 45.0)].drug == "CRV-88"
    assert (rates[("ORR", 20.0)].drug, rates[("ORR", 20.0)].arm) == (None, "benchmark")


def test_a_combination_result_belongs_to_the_investigational_drug_with_its_partner(extract):
    facts = extract(
        "Quorient at ASCO\n\n"
        "Quorient presented data from the KRONOS-101 trial of QRN-6120.\n\n"
        "In 46 patients, QRN-6120 was combined with cetuximab. The combination produced an ORR of 52% (24/46)."
    )
    rate = _responses(facts)[("ORR", 52.0)]
    assert (rate.drug, rate.partners, rate.trial) == ("QRN-6120", "cetuximab", "KRONOS-101")
    assert rate.basis == "paragraph"


def test_a_rate_from_an_unnamed_study_is_not_credited_to_the_named_trial(extract):
    facts = extract(
        "Jiangyun licenses JY-112\n\n"
        "In a Phase 2 study conducted in China, JY-112 produced an ORR of 57% (26/46) in lung cancer.\n\n"
        "Jiangyun is also running ZENITH-Lung3, a Phase 3 trial of JY-112."
    )
    rate = _responses(facts)[("ORR", 57.0)]
    assert rate.drug == "JY-112" and rate.trial is None


def test_an_opening_rate_before_the_trial_is_named_is_the_documents_one_trial_of_that_drug(extract):
    facts = extract(
        "Zorlatinib approved across tumor types\n\n"
        "Tumor-agnostic data supporting approval showed that zorlatinib produced an overall response rate of 44% across "
        "multiple tumor types.\n\nThe approval is based on the Phase 1/2 ZEAL-001 trial of zorlatinib in solid tumors."
    )
    assert _responses(facts)[("ORR", 44.0)].trial == "ZEAL-001"
    # ... but not a trial of another drug, nor a rate whose sentence names a study of its own
    facts = extract(
        "Zorlatinib data\n\nZorlatinib produced an overall response rate of 44% in solid tumors.\n\n"
        "The company also runs the ZEAL-002 trial of AC-120 in lymphoma."
    )
    assert _responses(facts)[("ORR", 44.0)].trial is None


def test_a_rate_in_a_passage_about_two_drugs_is_left_unattributed(extract):
    facts = extract(
        "Two programmes\n\n"
        "The company develops AB-101 and XR-202 in lymphoma. The ORR was 40% at the recommended dose."
    )
    rate = _responses(facts)[("ORR", 40.0)]
    assert rate.drug is None and rate.arm is None and rate.basis is None


def test_product_strengths_are_not_doses(extract):
    facts = extract(
        "KEYTRUDA label update\n\n"
        "KEYTRUDA is supplied as a 100 mg/4 mL single-dose vial. Verzenio is available as 150 mg tablets. "
        "The recommended dose of KEYTRUDA is 200 mg every three weeks."
    )
    assert [(d.amount, d.unit) for d in facts.doses] == [(200.0, "mg")]


def test_a_partners_target_class_is_not_the_drugs_target(extract):
    facts = extract(
        "Alliance news\n\n"
        "The companies will study olaparib in combination with their respective PD-L1 and PD-1 medicines. "
        "Olaparib is a PARP inhibitor."
    )
    targets = _pairs(facts, "drug_target")
    assert ("olaparib", "PARP") in targets
    assert not any(tail in ("CD274", "PDCD1", "PD-L1", "PD-1") for _, tail in targets)


def test_every_relation_keeps_spans_of_its_ends_and_a_basis(extract):
    text = (
        "Allogene update\n\n"
        "ALLO-316 is a CD70-directed CAR T candidate. The company presented results from the TRAVERSE trial.\n\n"
        "TRAVERSE enrolled patients with renal cell carcinoma."
    )
    facts = extract(text)
    assert facts.relations
    for rel in facts.relations:
        assert rel.basis in RELATION_BASES
        assert text[rel.head_start : rel.head_end]  # the head is named in the text
        if rel.basis != "vocabulary":
            assert text[rel.tail_start : rel.tail_end]
            for start, end in ((rel.head_start, rel.head_end), (rel.tail_start, rel.tail_end)):
                assert text[start:end] in rel.sentence, "the evidence names both ends"
    trial = next(r for r in facts.relations if r.kind == "drug_trial" and r.tail == "TRAVERSE")
    assert trial.head == "ALLO-316" and trial.basis == "paragraph" and " … " in trial.sentence


def test_a_development_code_joins_its_inn_through_the_vocabulary(extract):
    facts = extract("Pipeline note\n\nThe company reported a Phase 2 update for ABC294640 in cholangiocarcinoma.")
    aliases = {(r.head, r.tail, r.basis) for r in facts.relations if r.kind == "drug_alias"}
    assert ("ABC294640", "opaganib", "vocabulary") in aliases


def test_stored_relations_can_be_limited_to_one_sentence(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Allogene update\n\nALLO-316 is a CD70-directed CAR T candidate.\n\n"
        "TRAVERSE, a Phase 1 trial, enrolled patients with renal cell carcinoma.\n", encoding="utf-8")
    db = tmp_path / "x.db"
    assert pipeline.run([folder], db).failed == 0
    conn = sqlite3.connect(db)
    rows = conn.execute("select kind, head, tail, basis from relations").fetchall()
    same_sentence = conn.execute(
        "select kind, head, tail from relations where basis in ('apposition', 'clause', 'sentence')").fetchall()
    conn.close()
    assert ("drug_trial", "ALLO-316", "TRAVERSE", "paragraph") in rows
    assert ("drug_target", "ALLO-316", "CD70") in same_sentence
    assert ("drug_trial", "ALLO-316", "TRAVERSE") not in same_sentence


def test_show_joins_a_code_and_its_inn_across_documents_through_the_vocabulary(tmp_path):
    from extractor import query as q

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "code.txt").write_text("RedHill update\n\nABC294640 entered a Phase 2 study in cholangiocarcinoma.\n", encoding="utf-8")
    (folder / "inn.txt").write_text("RedHill funding\n\nOpaganib received government funding for a Phase 2/3 study.\n", encoding="utf-8")
    db = tmp_path / "x.db"
    assert pipeline.run([folder], db).failed == 0
    profile = q.profile(db, "opaganib")
    assert profile.name == "opaganib" and "ABC294640" in profile.aliases and profile.documents == 2


def test_a_metric_whose_value_came_first_does_not_name_the_next_value(extract):
    facts = extract(
        "Merck update\n\nIn KEYNOTE-146, the ORR was 52%, with a partial response rate of 52%, a stable disease rate "
        "of 38% and a progressive disease rate of 6%. The PASI 75 response rate was 44% with 5 mg and 68% with 15 mg."
    )
    found = {(r.metric, r.percent) for r in facts.responses}
    assert {("ORR", 52.0), ("PR", 52.0), ("PASI75", 44.0), ("PASI75", 68.0)} <= found
    assert not found & {("PR", 38.0), ("PR", 6.0)}


def test_each_arm_of_a_head_to_head_sentence_gets_its_own_drug(extract):
    facts = extract(
        "Lilly SPIRIT-H2H\n\nACR70: 35 percent of patients treated with Taltz and 34 percent of patients treated with Humira "
        "achieved ACR70 at Week 52."
    )
    drugs = {r.percent: r.drug for r in facts.responses}
    assert drugs == {35.0: "ixekizumab", 34.0: "adalimumab"}


@pytest.mark.parametrize("text, trial, tested, every_arms", [
    ("Merck update\n\nKEYNOTE-991 evaluated KEYTRUDA plus enzalutamide versus placebo plus enzalutamide in "
     "metastatic hormone-sensitive prostate cancer.", "KEYNOTE-991", "pembrolizumab", "enzalutamide"),
    # a drug that leads both arms is every arm's too
    ("Lilly update\n\nThe Phase 3 KEYNOTE-189 study evaluated ALIMTA in combination with KEYTRUDA compared with ALIMTA "
     "in combination with placebo in nonsquamous NSCLC.", "KEYNOTE-189", "pembrolizumab", "pemetrexed"),
    # "over X alone" says X is the other arm's whole treatment, with no comparison word
    ("Acme update\n\nData from the Phase 2b ZEPHYR-942 trial in melanoma suggest that combining AC-940 with KEYTRUDA "
     "may provide a meaningful benefit over KEYTRUDA alone.", "ZEPHYR-942", "AC-940", "pembrolizumab"),
])
def test_a_drug_both_arms_receive_is_not_the_trials_drug(extract, text, trial, tested, every_arms):
    pairs = _pairs(extract(text), "drug_trial")
    assert (tested, trial) in pairs
    assert (every_arms, trial) not in pairs


def test_products_endpoints_datelines_and_acronym_words_are_not_trials(extract):
    facts = extract(
        "Merck and Lilly news\n\n"
        "INDIANAPOLIS,March 8, 2023// -- Lilly announced results of the SURMOUNT-1 trial. Merck Receives Positive CHMP "
        "Opinion for VAXNEUVANCE (Pneumococcal 15-valent Conjugate Vaccine). VAQTA is Merck's vaccine for hepatitis A. "
        "Secondary endpoints were IDFS in patients with high Ki-67. About DINAMO: DIabetes study of liNAgliptin and "
        "eMpagliflozin in children. The ADhere trial met its endpoints. The VERTIS CV trial evaluated ertugliflozin. "
        "DELSTRIGO is indicated for HIV-1. Discontinue DELSTRIGO in patients who develop lactic acidosis."
    )
    trials = {m.norm for m in facts.mentions if m.label == "TRIAL"}
    assert {"SURMOUNT-1", "ADHERE", "VERTIS-CV"} <= trials
    assert not trials & {"INDIANAPOLIS", "VAXNEUVANCE", "VAQTA", "IDFS", "DIABETES", "DELSTRIGO"}


def test_standard_therapy_rates_bounds_and_durability_shares_are_kept_apart(extract):
    facts = extract(
        "Ascentage Begins Enrolling Patients in GLORA-4\n\n"
        "As the standard first-line therapy, HMAs offer an overall response rate (ORR) of just 35%. "
        "Lisaftoclax plus azacitidine showed an ORR of 75%, much higher than HMAs alone. "
        "Disease control was sustained in more than 80% of patients, and 94% of responding patients remain in response."
    )
    rates = _responses(facts)
    assert (rates[("ORR", 35.0)].arm, rates[("ORR", 35.0)].drug) == ("benchmark", None)
    assert rates[("ORR", 75.0)].drug == "lisaftoclax" and rates[("ORR", 75.0)].trial is None  # GLORA-4 is only starting
    assert not [r for r in facts.responses if r.percent in (80.0, 94.0)]


def test_a_regimen_whose_own_drug_is_unknown_is_not_credited_to_its_partner(extract):
    facts = extract("Candel update\n\nA Phase 2 trial of the eseba-vec/pembrolizumab combination resulted in a 52% ORR.")
    assert _responses(facts)[("ORR", 52.0)].drug is None


def test_pen_strengths_titration_steps_and_limits_are_not_doses(extract):
    facts = extract(
        "Label notes\n\nZepbound is supplied as 2.5 mg per 0.5 mL single-dose pen. Reduce the Verzenio dose in 50 mg "
        "decrements. Do not exceed 350 mg/kg daily. The recommended Verzenio dose is 150 mg twice daily."
    )
    assert [(d.amount, d.unit) for d in facts.doses] == [(150.0, "mg")]


def test_background_therapies_of_the_population_and_label_partners_are_not_the_trials_drugs(extract):
    facts = extract(
        "Mounjaro update\n\nSURPASS-3 compared Mounjaro with insulin degludec in adults with type 2 diabetes treated with "
        "metformin. In KEYNOTE-826, when KEYTRUDA was administered with paclitaxel and cisplatin, adverse reactions "
        "occurred in 20% of patients."
    )
    pairs = _pairs(facts, "drug_trial")
    assert {("tirzepatide", "SURPASS-3"), ("pembrolizumab", "KEYNOTE-826")} <= pairs
    assert not pairs & {("metformin", "SURPASS-3"), ("paclitaxel", "KEYNOTE-826"), ("cisplatin", "KEYNOTE-826")}


def test_baseline_shares_and_other_outcomes_are_not_response_rates(extract):
    facts = extract(
        "Lilly update\n\nIn previously treated patients, the ORR was 41%, with 63% having received a KRAS G12C inhibitor "
        "as their last therapy. The confirmed ORR in the second cohort was 28%; all responses were partial responses, "
        "and 43% of patients had stable disease."
    )
    assert {(r.metric, r.percent) for r in facts.responses} == {("ORR", 41.0), ("ORR", 28.0)}


def test_metrics_named_after_their_values_or_listed_respectively(extract):
    facts = extract(
        "Acme update\n\nAC-5 showed a 45% confirmed ORR, with 4% of patients experiencing a complete response and 41% of "
        "patients experiencing a partial response. With AC-6 the complete and partial response rates were 12% and 55%, "
        "respectively."
    )
    found = {(r.metric, r.percent) for r in facts.responses}
    assert {("ORR", 45.0), ("CR", 4.0), ("PR", 41.0), ("CR", 12.0), ("PR", 55.0)} <= found
    assert not found & {("ORR", 4.0), ("CR", 41.0), ("PR", 12.0)}


def test_a_list_of_strengths_before_a_volume_is_no_dose(extract):
    facts = extract(
        "Label notes\n\nZepbound is available as a pre-filled single-dose pen in 2.5 mg, 5 mg, 10 mg, or 15 mg per 0.5 mL "
        "injection. In the trial, patients received Zepbound 5 mg or 10 mg once weekly."
    )
    assert sorted((d.amount, d.unit) for d in facts.doses) == [(5.0, "mg"), (10.0, "mg")]


def test_generic_drugs_listed_in_a_regimen_are_not_the_issuers(extract):
    facts = extract(
        "Merck news\n\nRAHWAY, N.J.--Merck today shared early data from a study of zilovertamab vedotin, "
        "Merck's antibody drug conjugate, given with R-CHP (rituximab, cyclophosphamide, doxorubicin, prednisone)."
    )
    owned = _pairs(facts, "drug_company")
    assert ("zilovertamab vedotin", "Merck") in owned
    assert not any(head in ("prednisone", "doxorubicin", "cyclophosphamide") for head, _ in owned)


def test_companies_that_help_run_a_study_do_not_own_its_drug(extract):
    facts = extract(
        "Acme news\n\nKEYTRUDA plus enfortumab vedotin reduced the risk of death in Cohort A, which was conducted in "
        "collaboration with Pfizer and Astellas. Acme entered into a collaboration with Borex Pharma to co-develop zorvumab."
    )
    owned = _pairs(facts, "drug_company")
    assert not {("pembrolizumab", "Pfizer"), ("pembrolizumab", "Astellas")} & owned
    assert ("zorvumab", "Borex Pharma") in owned


def test_a_prior_therapys_scope_ends_where_the_predicate_about_the_patients_begins(extract):
    facts = extract("In addition, 46 percent of patients who were inadequate responders to dupilumab achieved "
                    "EASI-75 response with lebrikizumab at Week 16.")
    assert [(r.metric, r.percent, r.drug) for r in facts.responses] == [("EASI75", 46, "lebrikizumab")]


def test_a_trial_named_only_in_quoted_speech_does_not_take_a_paragraphs_rates(extract):
    """The lead names ADHERE-X; an investigator's quote mentions ADVOCATE-X in passing. The rates later in the
    paragraph are ADHERE-X's: quoted speech is no rival subject. Without the quote, two trials leave it open."""
    lead = ("Acme Reports Results\n\nBOSTON, April 11, 2022 -- At 16 weeks, 70 percent of patients receiving zorbamab "
            "improved in the ADHERE-X trial, Acme said. ")
    quote = "\"Today's ADHERE-X data, together with results from the ADVOCATE-X studies, show promise,\" said Dr. Roe. "
    rates = "At 16 weeks, 70 percent of patients taking zorbamab achieved an EASI-75 response compared to 42 percent taking placebo."
    quoted = _responses(extract(lead + quote + rates))
    assert quoted[("EASI75", 70.0)].trial == "ADHERE-X"
    plain = _responses(extract(lead + quote.replace('"', "").replace(", said Dr. Roe", ". Dr. Roe agreed") + rates))
    assert plain[("EASI75", 70.0)].trial is None


def test_a_biosimilars_reference_product_is_not_the_developers_drug(extract):
    facts = extract(
        "Acme news\n\nAcme Bio announced topline results from a study of AB-05, a proposed biosimilar for Simponi "
        "(golimumab). Acme Bio also develops AB-16, a biosimilar candidate to Entyvio."
    )
    owned = _pairs(facts, "drug_company")
    assert ("AB-05", "Acme Bio") in owned and ("AB-16", "Acme Bio") in owned
    assert not {("golimumab", "Acme Bio"), ("vedolizumab", "Acme Bio")} & owned


def test_a_titration_step_is_no_dose_and_its_schedule_is_not_the_doses_frequency(extract):
    facts = extract(
        "Acme news\n\nThe starting dose of 2.5 mg Zorvex was increased by 2.5 mg every four weeks until the target dose "
        "was reached. Zorvex Duo will be available in three different dosages, including: 5 mg zorvastatin/1000 mg "
        "metformin; and 10 mg zorvastatin/1000 mg metformin. Patients then received 10 mg Zorvex once weekly."
    )
    assert [(d.amount, d.frequency) for d in facts.doses] == [(2.5, None), (10.0, "weekly")]
    assert facts.doses[0].text == "2.5 mg" and "starting dose" in facts.doses[0].sentence


def test_a_comparator_the_release_introduces_and_a_prior_therapy_are_not_the_issuers_drugs(extract):
    facts = extract(
        "Lilly's tirzepatide cut liver fat more than insulin degludec in SURPASS-3\n\nEli Lilly and Company "
        "(NYSE: LLY) announced results. Participants taking tirzepatide had a 47% reduction in liver fat content "
        "compared to 11% for insulin degludec. CYRAMZA is approved for patients with hepatocellular carcinoma who "
        "have an alpha-fetoprotein of 400 ng/mL or more and have been treated with sorafenib."
    )
    pairs = _pairs(facts, "drug_company")
    assert {("tirzepatide", "Eli Lilly"), ("ramucirumab", "Eli Lilly")} <= pairs
    assert not pairs & {("insulin degludec", "Eli Lilly"), ("sorafenib", "Eli Lilly")}


def test_a_strength_in_a_products_name_or_its_volume_is_no_dose(extract):
    facts = extract("Acme news\n\nLast week, Japan approved ZORVYX® Tablets 45 mg for adults with chronic cough; it "
                    "is also sold as a 250 mg/2 mL injection prefilled pen. In the COUGH-1 trial, patients received gefapixant 45 mg "
                    "twice daily.")
    assert [(d.amount, d.frequency) for d in facts.doses] == [(45.0, "twice daily")]
    assert "COUGH-1" in facts.doses[0].sentence


def test_a_company_whose_possessive_names_one_drug_does_not_own_its_partner(extract):
    facts = extract(
        "FDA Expands Lilly's ALIMTA (pemetrexed) Label with Combination of KEYTRUDA (pembrolizumab) in Lung Cancer\n\n"
        "Eli Lilly and Company (NYSE: LLY) announced the label update."
    )
    pairs = _pairs(facts, "drug_company")
    assert ("pemetrexed", "Eli Lilly") in pairs
    assert ("pembrolizumab", "Eli Lilly") not in pairs


@pytest.mark.parametrize("text, drug, company", [
    # the drug taken up after placebo is the company's own, not a comparator
    ("Acme Bio update\n\nAcme Bio (Nasdaq: ACMB) announced that patients who switched from placebo to ACM-101 achieved "
     "PASI 75. ACM-101 is an oral TYK2 inhibitor.", "ACM-101", "Acme Bio"),
    ("Acme Bio update\n\nAcme Bio (Nasdaq: ACMB) said placebo-treated patients crossed over to ACM-101 at week 16.",
     "ACM-101", "Acme Bio"),
    # a comparator named by "a comparison to" is nobody's here, the company's own drug still its
    ("AEON update\n\nAEON Biopharma (Nasdaq: AEON) plans a head-to-head comparison to BOTOX in a cervical dystonia "
     "Phase 3 study of ABP-450.", "ABP-450", "AEON Biopharma"),
    # a comparator the text itself calls the company's
    ("Gilead Announces Phase 3 Results\n\nGilead Sciences, Inc. (Nasdaq: GILD) today announced that lenacapavir was "
     "superior compared with daily Truvada (emtricitabine) in the trial. Truvada, Gilead's once-daily oral PrEP "
     "medication, has been approved since 2012.", "emtricitabine", "Gilead Sciences"),
])
def test_a_drug_taken_up_or_called_the_companys_keeps_its_owner(extract, text, drug, company):
    assert (drug, company) in _pairs(extract(text), "drug_company")


def test_a_comparison_to_a_drug_names_a_comparator(extract):
    facts = extract("AEON update\n\nAEON Biopharma (Nasdaq: AEON) plans a head-to-head comparison to BOTOX in a cervical "
                    "dystonia Phase 3 study of ABP-450.")
    assert "onabotulinumtoxina" in {m.norm for m in facts.mentions if m.label == "DRUG_NAME"}  # BOTOX is read, as a drug
    assert not {p for p in _pairs(facts, "drug_company") if p[0] == "onabotulinumtoxina"}


def test_the_companys_own_patients_treated_with_its_drug_are_no_prior_therapy(extract):
    facts = extract("Acme Bio update\n\nAcme Bio (Nasdaq: ACMB) reported data. Among the 60 patients who have been "
                    "treated with ACM-101 to date, the overall response rate was 52%.")
    assert _responses(facts)[("ORR", 52.0)].drug == "ACM-101"


@pytest.mark.parametrize("text, amount, frequency", [
    ("Acme news\n\nZORVYX will be available in two strengths and the recommended dose is 20 mg once daily.", 20.0, "daily"),
    ("Acme news\n\nIn the trial, ACM-101 300 mg reduced LDL-C by 62% with once-monthly dosing.", 300.0, "Q4W"),
    ("Acme news\n\nPatients received ZORVYX Injection 300 mg every four weeks after a loading dose.", 300.0, "Q4W"),
])
def test_a_dose_after_a_strengths_cue_a_results_verb_or_a_products_name_keeps_its_frequency(extract, text, amount, frequency):
    assert [(d.amount, d.frequency) for d in extract(text).doses] == [(amount, frequency)]


def test_a_real_world_rate_is_not_the_documents_one_trial(extract):
    facts = extract("Acmetinib update\n\nIn a real-world analysis of 300 patients, acmetinib achieved an overall "
                    "response rate of 61%. Acmetinib was approved based on the ACCEL-1 trial of acmetinib.")
    rate = _responses(facts)[("ORR", 61.0)]
    assert rate.drug == "acmetinib" and rate.trial is None  # the drug is known; only its trial is withheld


def test_every_strength_a_product_is_available_in_is_no_dose(extract):
    facts = extract(
        "Acme news\n\nZorvex is an oral tablet taken twice daily and available in strengths of 50 mg, 100 mg, "
        "150 mg, and 200 mg. Zorvex is also available as 4-mg, 2-mg and 1-mg tablets. In the ZEAL trial, "
        "patients received Zorvex 150 mg twice daily."
    )
    assert [(d.amount, d.text) for d in facts.doses] == [(150.0, "150 mg")]
    assert "ZEAL" in facts.doses[0].sentence  # the trial's dose, not a strength


def test_two_response_categories_counted_together_and_a_later_population_keep_their_own_names(extract):
    facts = extract("AC-172 showed a 67% objective response rate (ORR) in frontline HR-MDS patients; the complete remission "
                    "(CR)/marrow complete remission (mCR) rate was 58%. The CR/CRi rate was 40%, and the CR rate was 30%.")
    assert {(r.metric, r.percent) for r in facts.responses} == {("ORR", 67.0), ("CR/mCR", 58.0), ("CR/CRi", 40.0), ("CR", 30.0)}
    facts = extract("In the QX-1 study of AC-172, among 247 patients previously treated with chemotherapy, the ORR was 61.1% "
                    "and among 69 treatment-naive patients, the ORR was 84.1%.")
    population = {r.percent: r.population for r in facts.responses}
    assert population[61.1].startswith("among 247 patients") and population[84.1].startswith("among 69 treatment-naive")


def test_a_rate_after_a_trials_definition_in_a_paragraph_of_several_trials_is_that_trials(extract):
    text = ("Acme update\n\nIn the Phase 2 ZEPHYR-5 trial, AC-120 showed activity in several tumors. ZEPHYR-4 is a Phase 2, "
            "single-arm, open-label trial evaluating AC-120 in patients with melanoma. The primary endpoint is ORR. At data "
            "cutoff, 103 patients were treated. AC-120 demonstrated an ORR of 21.4%.")
    assert {(r.percent, r.trial) for r in extract(text).responses} == {(21.4, "ZEPHYR-4")}
    # without the definition the paragraph does not say which trial the rate is from
    text = text.replace("ZEPHYR-4 is a Phase 2, single-arm, open-label trial evaluating AC-120 in patients with melanoma.",
                        "ZEPHYR-4 also enrolled patients with melanoma.")
    assert {(r.percent, r.trial) for r in extract(text).responses} == {(21.4, None)}


def test_cr_pr_together_is_the_orr_and_a_population_counts_for_the_first_value_after_it(extract):
    facts = extract("AC-1 achieved an overall response (CR/PR) rate of 45%.")
    assert {(r.metric, r.percent) for r in facts.responses} == {("ORR", 45.0)}
    facts = extract("In QX-2, the ORR was 40% among 25 patients in the high-dose arm; the ORR was 30% among 24 patients in the "
                    "low-dose arm, and the ORR was 10% among 23 patients receiving placebo. Among 100 treated patients, the ORR "
                    "was 45%; among 40 patients with liver metastases, the ORR was 38%, and the DCR for all 100 patients was 80%.")
    population = {r.percent: r.population for r in facts.responses}
    assert population[10.0] is None and population[38.0] == "among 40 patients with liver metastases"
    assert population[80.0] != "among 40 patients with liver metastases"
