"""Extraction quality may not fall silently: per-kind F1 stays at or above benchmarks/eval_floors.json."""

import json
from pathlib import Path

import pytest

from extractor.evaluate import Evaluator, evaluate, load_gold
from extractor.store import open_store

ROOT = Path(__file__).resolve().parents[1]
FLOORS = json.loads((ROOT / "benchmarks" / "eval_floors.json").read_text())
SHARED = ROOT.parent / "shared"


def _below(scores, floors):
    return {k: (round(scores[k].f1, 3), f) for k, f in floors.items() if scores[k].f1 < f}


def test_samples_f1_at_or_above_floors(samples_db):
    report = evaluate(samples_db, [ROOT / "samples" / "gold.jsonl"])
    assert report.missing == []
    assert report.documents == sum(1 for _ in (ROOT / "samples" / "gold.jsonl").open())
    assert _below(report.scores, FLOORS["samples"]) == {}


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus is absent")
def test_real_releases_f1_at_or_above_floors(tmp_path, extractor):
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from eval_real import build_and_score

    from eval_gate import gated

    report = build_and_score(tmp_path / "real.db")
    assert report.missing == []
    now = gated(report)
    assert {k: (now.get(k, 0.0), floor) for k, floor in FLOORS["real"].items() if now.get(k, 0.0) < floor} == {}


def test_gate_catches_a_regression(samples_db, tmp_path):
    """The gate is not vacuous: removing a document's drug codes drops DRUG_CODE F1 below its floor."""
    copy = tmp_path / "copy.db"
    copy.write_bytes(Path(samples_db).read_bytes())
    store = open_store(copy)
    store.db.execute("delete from mentions_data where label = 'DRUG_CODE' and document_id in (select id from documents limit 6)")
    store.db.conn.commit()
    report = Evaluator().evaluate(store, load_gold([ROOT / "samples" / "gold.jsonl"]))
    store.close()
    assert "DRUG_CODE" in _below(report.scores, FLOORS["samples"])


def test_response_attribution_is_scored_as_a_tuple():
    """A response with the right metric and percent but another trial is a hit for RESPONSE and a miss
    for RESPONSE+trial and RESPONSE+drug+trial; RESPONSE+arm counts only where the gold annotates arms."""
    evaluator = Evaluator()
    gold = {"source": "a", "RESPONSE": [{"metric": "ORR", "percent": 38, "drug": "ALLO-316", "trial": "TRAVERSE"}]}
    other = {"source": "a", "RESPONSE": [{"metric": "ORR", "percent": 38, "drug": "ALLO-316", "trial": "RESOLUTION"}]}
    scores = evaluator.compare([gold], [other]).scores
    assert scores["RESPONSE"].tp == 1 and scores["RESPONSE+drug"].tp == 1
    assert (scores["RESPONSE+trial"].tp, scores["RESPONSE+trial"].fp) == (0, 1)
    assert (scores["RESPONSE+drug+trial"].tp, scores["RESPONSE+drug+trial"].fn) == (0, 1)
    assert scores["RESPONSE+arm"].tp + scores["RESPONSE+arm"].fp + scores["RESPONSE+arm"].fn == 0
    with_arm = {**gold, "RESPONSE": [{**gold["RESPONSE"][0], "arm": "placebo"}]}
    scores = evaluator.compare([with_arm], [{**with_arm, "RESPONSE": [{**gold["RESPONSE"][0], "arm": "investigational"}]}]).scores
    assert (scores["RESPONSE+arm"].tp, scores["RESPONSE+arm"].fp) == (0, 1)


def test_a_disease_compares_equal_with_or_without_its_stage_words():
    """Annotators write "advanced renal cell carcinoma" or "renal cell carcinoma" for one disease; a different
    disease ("renal cell carcinoma" against "urothelial carcinoma") still differs."""
    evaluator = Evaluator()
    gold = {"source": "a", "INDICATION": ["advanced renal cell carcinoma", "relapsed or refractory multiple myeloma",
                                          "symptomatic Alzheimer's disease"],
            "trial_indication": [["LITESPARK-005", "advanced renal cell carcinoma"]]}
    other = {"source": "a", "INDICATION": ["renal cell carcinoma", "multiple myeloma", "Alzheimer's disease"],
             "trial_indication": [["LITESPARK-005", "renal cell carcinoma"]]}
    scores = evaluator.compare([gold], [other]).scores
    assert (scores["INDICATION"].tp, scores["INDICATION"].fp) == (3, 0)
    assert scores["trial_indication"].tp == 1
    wrong = {**other, "INDICATION": ["urothelial carcinoma", "multiple myeloma", "Alzheimer's disease"]}
    assert evaluator.compare([gold], [wrong]).scores["INDICATION"].fp == 1


def _event_score(tmp_path, extractor, source: str, content: str, event: dict) -> tuple[int, int]:
    """(true positives, misses) of one gold event against the pipeline's run over one short release."""
    from extractor.models import RawDocument
    from extractor.pipeline import Pipeline

    store = open_store(tmp_path / "x.db")
    Pipeline(store, extractor).ingest([RawDocument(source=source, kind="text", content=content, published="2025-03-03")])
    report = Evaluator().evaluate(store, [{"source": source, "EVENT": [event]}])
    store.close()
    return report.scores["EVENT"].tp, report.scores["EVENT"].fn


def test_a_brand_the_text_equates_with_its_inn_scores_as_that_drug(tmp_path, extractor):
    """'BRIUMVI (ublituximab-xiiy)': the extractor stores the brand under the INN's norm, and gold
    written with the brand (an event's drug) is matched through the document's own mention."""
    content = "Acme Bio today announced that the FDA approved BRIUMVI (ublituximab-xiiy) for relapsing multiple sclerosis."
    event = {"kind": "approval", "drug": "BRIUMVI", "date": "2025-03-03", "status": "occurred"}
    assert _event_score(tmp_path, extractor, "briumvi.txt", content, event) == (1, 0)


def test_gold_naming_a_drug_by_both_its_codes_scores_as_that_drug(tmp_path, extractor):
    """Gold written 'AB-4157/V940' names the one drug the document equates under both codes (drug_alias)."""
    content = "Acme Bio today announced that the FDA granted Breakthrough Therapy designation to AB-4157/V940 for melanoma."
    event = {"kind": "designation", "drug": "AB-4157/V940", "date": "2025-03-03", "status": "occurred"}
    assert _event_score(tmp_path, extractor, "codes.txt", content, event) == (1, 0)


def test_a_gold_document_the_run_failed_on_counts_every_fact_as_missed():
    evaluator = Evaluator()
    report = evaluator.compare([], [])
    evaluator.miss(report, {"source": "a", "TRIAL": ["TRAVERSE"], "drug_trial": [["ALLO-316", "TRAVERSE"]]})
    assert (report.scores["TRIAL"].fn, report.scores["drug_trial"].fn, report.documents) == (1, 1, 1)
