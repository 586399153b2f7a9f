"""One test per rule file: it loads, validates, and its example cases hold (tests/rule_cases/)."""

import json
from pathlib import Path

import pytest

from extractor.errors import RuleError
from extractor.extract.rules import DEFAULT_RULES_DIR, load_rules, validate_entry

RULE_FILES = sorted(DEFAULT_RULES_DIR.glob("*.jsonl"))
CASES = Path(__file__).parent / "rule_cases"


def test_every_rule_file_has_cases():
    missing = [p.name for p in RULE_FILES if not (CASES / p.name).is_file()]
    assert missing == [], f"add tests/rule_cases/ examples for {missing}"


@pytest.mark.parametrize("rule_file", RULE_FILES, ids=lambda p: p.name)
def test_rule_file_cases(rule_file, extractor):
    from extractor.models import Article

    labels = json.loads((DEFAULT_RULES_DIR / "labels.json").read_text())
    for line_no, line in enumerate(rule_file.read_text().splitlines(), start=1):
        validate_entry(json.loads(line), labels, str(rule_file), line_no)
    for case in map(json.loads, (CASES / rule_file.name).read_text().splitlines()):
        facts = extractor.extract(Article(source="test", text=case["text"], published=case.get("published")))
        events = {(e.kind, e.drug, e.date, e.status) for e in facts.events}
        for kind, drug, date, status in case.get("events", []):
            assert (kind, drug, date, status) in events, f"{case['text']!r}: expected event {kind} {drug} {date} {status}; found {sorted(events, key=str)}"
        for kind in case.get("no_events", []):
            assert not [e for e in facts.events if e.kind == kind], f"{case['text']!r}: no {kind} event expected; found {sorted(events, key=str)}"
        for drug in case.get("no_events_for", []):
            assert not [e for e in facts.events if e.drug == drug], f"{case['text']!r}: no event of {drug} expected; found {sorted(events, key=str)}"
        found = {(m.text, m.label, m.norm) for m in facts.mentions}
        for surface, label, norm in case.get("expect", []):
            assert (surface, label, norm) in found, f"{case['text']!r}: expected {surface} {label} {norm}; found {sorted(found)}"
        for reject in case.get("reject", []):
            # "text" is never extracted; ["text", "LABEL"] is never extracted with that label
            surface, label = (reject, None) if isinstance(reject, str) else reject
            hits = [m for m in facts.mentions if m.text == surface and label in (None, m.label)]
            assert hits == [], f"{case['text']!r}: {surface!r} should not be extracted as {label or 'anything'}"


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"label": "DRUG_NAME"', "invalid JSON"),
        ('{"label": "NOPE", "pattern": "x"}', "unknown label 'NOPE'"),
        ('{"label": "DRUG_NAME", "pattern": ""}', "empty pattern"),
        ('{"label": "DRUG_NAME", "pattern": [{"LOWR": "x"}]}', "unknown attribute(s) LOWR"),
        ('{"label": "DRUG_NAME", "pattern": "x", "extra": 1}', "unknown key(s) extra"),
        ('{"label": "DRUG_NAME", "pattern": "x", "id": 5}', "id must be a non-empty string"),
        ('{"label": "CONTEXT_PRIOR", "pattern": "prior"}', 'needs "direction"'),
        ('{"label": "CONTEXT_PRIOR", "pattern": "prior", "direction": "sideways"}', 'needs "direction"'),
        ('{"label": "DRUG_NAME", "pattern": "x", "direction": "forward"}', "direction is only for"),
        ('{"label": "CONTEXT_PRIOR", "pattern": "x", "direction": "forward", "scope": "paragraph"}', "scope is only for"),
        ('{"label": "DRUG_NAME", "pattern": "x", "scope": "sentence"}', "scope is only for"),
        ('{"label": "EVENT_VETO", "pattern": "x", "id": "approval", "reach": -1}', "reach is only for"),
        ('{"label": "EVENT", "pattern": "x", "id": "approval", "reach": 0}', "reach is only for"),
        ('{"label": "DRUG_NAME", "pattern": [{"LOWER": 5}]}', "token 0: LOWER must be a string or an object"),
        ('{"label": "DRUG_NAME", "pattern": [{"IS_ALPHA": "yes"}]}', "token 0: IS_ALPHA must be true or false"),
        ('{"label": "DRUG_NAME", "pattern": [{"TEXT": {"REGEX": "(unclosed"}}]}', "REGEX does not compile"),
        ('{"label": "DRUG_NAME", "pattern": [{"TEXT": {"REGEX": "^(a+)+$"}}]}', "catastrophic backtracking"),
        ('{"label": "DRUG_NAME", "pattern": "ok", "id": "other"}', "pattern already on line 1 with id None"),
        ('{"label": "EVENT", "pattern": "cleared", "id": "ind_clearence"}', "EVENT id must name an event kind"),
        ('{"label": "EVENT_VETO", "pattern": "if approved"}', "EVENT_VETO id must name an event kind"),
    ],
)
def test_malformed_rule_names_file_and_line(tmp_path, line, message):
    (tmp_path / "labels.json").write_text('{"DRUG_NAME": "a drug", "CONTEXT_PRIOR": "a cue", "EVENT": "a cue", "EVENT_VETO": "a veto"}')
    (tmp_path / "a.jsonl").write_text('{"label": "DRUG_NAME", "pattern": "ok"}\n' + line + "\n")
    with pytest.raises(RuleError) as info:
        load_rules(tmp_path)
    assert str(info.value).startswith(f"{tmp_path / 'a.jsonl'}:2: ")
    assert message in str(info.value)


def test_undecodable_and_overlong_rule_lines_name_file_and_line(tmp_path):
    (tmp_path / "labels.json").write_text('{"DRUG_NAME": "a drug"}')
    rule_file = tmp_path / "a.jsonl"
    rule_file.write_bytes(b'{"label": "DRUG_NAME", "pattern": "ok"}\n{"label": "DRUG_NAME", "pattern": "\xff"}\n')
    with pytest.raises(RuleError, match=r"a.jsonl:2: not UTF-8 \(byte 36\)"):
        load_rules(tmp_path)
    rule_file.write_text('{"label": "DRUG_NAME", "pattern": "ok"}\n{"label": "DRUG_NAME", "pattern": "' + "x" * 10_000_000 + '"}\n')
    with pytest.raises(RuleError, match=r"a.jsonl:2: line of 10,000,037 bytes"):
        load_rules(tmp_path)


def test_bad_gazetteer_line_is_reported(tmp_path):
    (tmp_path / "labels.json").write_text('{"DRUG_NAME": "a drug"}')
    (tmp_path / "a.jsonl").write_text('{"label": "DRUG_NAME", "pattern": "ok"}\n')
    (tmp_path / "gazetteers").mkdir()
    (tmp_path / "gazetteers" / "drug_names.tsv").write_text("# header\nkeytruda\tpembrolizumab\nbroken line\n")
    with pytest.raises(RuleError, match=r"drug_names.tsv:3: expected two tab-separated columns"):
        load_rules(tmp_path)


def test_rules_version_changes_with_any_rule_file(tmp_path):
    (tmp_path / "labels.json").write_text('{"DRUG_NAME": "a drug"}')
    (tmp_path / "a.jsonl").write_text('{"label": "DRUG_NAME", "pattern": "ok"}\n')
    first = load_rules(tmp_path).version
    (tmp_path / "a.jsonl").write_text('{"label": "DRUG_NAME", "pattern": "ok2"}\n')
    assert load_rules(tmp_path).version != first
