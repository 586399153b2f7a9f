"""The precision audit (benchmarks/audit.py): a fixed-seed sample, committed files without texts,
precision with a Wilson interval."""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import audit  # noqa: E402


def test_sample_is_fixed_by_seed_and_holds_each_fact_once(samples_db, tmp_path):
    audit.sample(samples_db, tmp_path / "a", ["DRUG_CODE", "drug_target"], 5, seed=3)
    audit.sample(samples_db, tmp_path / "b", ["DRUG_CODE", "drug_target"], 5, seed=3)
    first = (tmp_path / "a" / "items.jsonl").read_text()
    assert first == (tmp_path / "b" / "items.jsonl").read_text()
    items = [json.loads(line) for line in first.splitlines()]
    codes = [i for i in items if i["kind"] == "DRUG_CODE"]
    assert len(codes) == 5 and len({(i["document_id"], i["norm"]) for i in codes}) == 5
    for item in codes:  # the offsets point at the stored surface form in the dumped document
        text = (tmp_path / "a" / "docs" / f"{item['document_id']}.txt").read_text()
        assert text[item["start"] : item["end"]] == item["text"]
    assert {i["kind"] for i in items} == {"DRUG_CODE", "drug_target"}


def test_strip_keeps_facts_and_verdicts_but_no_sentences(tmp_path):
    judged = tmp_path / "judged.jsonl"
    judged.write_text(json.dumps({"id": "TRIAL-01", "kind": "TRIAL", "text": "TRAVERSE", "norm": "TRAVERSE",
                                  "sentence": "A whole sentence from a release.", "document_id": 4,
                                  "verdict": "correct", "why": "named study"}) + "\n")
    audit.strip(judged, tmp_path / "out.jsonl")
    kept = json.loads((tmp_path / "out.jsonl").read_text())
    assert "sentence" not in kept and kept["verdict"] == "correct" and kept["norm"] == "TRAVERSE"


def test_wilson_interval():
    lo, hi = audit.wilson(36, 40)
    assert round(lo, 2) == 0.77 and round(hi, 2) == 0.96
    assert audit.wilson(0, 0) == (0.0, 1.0)


def test_committed_audits_are_judged_and_hold_no_sentences():
    files = sorted((ROOT / "benchmarks" / "audit").glob("*.jsonl"))
    assert files
    for path in files:
        for line in path.read_text().splitlines():
            item = json.loads(line)
            assert item["verdict"] in ("correct", "wrong") and "sentence" not in item


def test_dose_and_response_rows_are_sampled_with_their_attributes(samples_db, tmp_path):
    audit.sample(samples_db, tmp_path / "rows", ["DOSE", "RESPONSE"], 3, seed=5)
    items = [json.loads(line) for line in (tmp_path / "rows" / "items.jsonl").read_text().splitlines()]
    assert {i["kind"] for i in items} == {"DOSE", "RESPONSE"}
    for item in items:
        text = (tmp_path / "rows" / "docs" / f"{item['document_id']}.txt").read_text()
        assert text[item["start"] : item["end"]] == item["text"]
        assert ("unit" in item and "amount" in item) if item["kind"] == "DOSE" else "metric" in item
