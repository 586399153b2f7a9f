"""``extractor eval``: precision, recall and F1 of a database against a gold file.

Per document and per kind, the gold facts and the extracted facts are reduced to sets of
comparison keys (see :mod:`extractor.extract.keys`), so a fact counts once per document
however often the text repeats it. Counts are summed over documents (micro average).
The gold format is documented in docs/gold-format.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .extract import load_rules
from .extract.keys import FactKeys
from .models import RELATION_KINDS
from .store import Store

ENTITY_KINDS = ("DRUG_CODE", "DRUG_NAME", "TARGET", "TRIAL", "NCT_ID", "PHASE", "INDICATION", "COMPANY")
QUANTITY_KINDS = ("DOSE", "DOSE+drug", "RESPONSE", "RESPONSE+n/N", "RESPONSE+drug", "RESPONSE+trial", "RESPONSE+arm",
                  "RESPONSE+drug+trial")
#: Attribution kinds scored only on gold records that annotate that attribute for every response.
ATTRIBUTE_KINDS = {"RESPONSE+arm": "arm"}
RELATION_SIDES = {
    "drug_target": ("DRUG", "TARGET"), "drug_trial": ("DRUG", "TRIAL"), "trial_nct": ("TRIAL", "NCT_ID"),
    "trial_phase": ("TRIAL", "PHASE"), "trial_indication": ("TRIAL", "INDICATION"),
    "drug_indication": ("DRUG", "INDICATION"), "drug_company": ("DRUG", "COMPANY"),
}
DRUG_SLOTS = {"DOSE+drug", "RESPONSE+drug", "RESPONSE+drug+trial", *(k for k, (head, _) in RELATION_SIDES.items() if head == "DRUG")}
#: Catalysts, scored on gold records that carry an ``EVENT`` list: (kind, drug), with the date at its
#: precision, and with the status.
EVENT_SCORES = ("EVENT", "EVENT+date", "EVENT+status")
ALL_KINDS = (*ENTITY_KINDS, *QUANTITY_KINDS, *(k for k in RELATION_KINDS if k in RELATION_SIDES), *EVENT_SCORES)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Attribution:
    """How often a response's ``drug``, ``trial`` or ``arm`` is set, and set right, among the responses
    whose metric and percent the gold holds: the precision an analyst sees, apart from recall."""

    responses: int = 0  # found responses whose (metric, percent) the gold holds
    set: int = 0  # of those, with the field set
    right: int = 0  # of those, set to a value the gold gives that response

    @property
    def precision(self) -> float:
        return self.right / self.set if self.set else 1.0

    @property
    def coverage(self) -> float:
        return self.set / self.responses if self.responses else 0.0


ATTRIBUTED_FIELDS = ("drug", "trial", "arm")


@dataclass
class EvalReport:
    documents: int = 0
    missing: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)  # documents counted once, however many gold records name them
    scores: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in ALL_KINDS})
    attributions: dict[str, Attribution] = field(default_factory=lambda: {f: Attribution() for f in ATTRIBUTED_FIELDS})

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "missing": self.missing,
            "kinds": {
                k: {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4), "f1": round(s.f1, 4)}
                for k, s in self.scores.items() if s.tp + s.fp + s.fn
            },
        }


def load_gold(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    records = []
    for path in paths:
        path = Path(path)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InputError(str(path), f"cannot read gold file: {exc.strerror}") from None
        for line_no, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{line_no}", f"invalid JSON: {exc.msg}") from None
            if not isinstance(record, dict) or not isinstance(record.get("source"), str):
                raise InputError(f"{path}:{line_no}", 'each line needs a "source" string')
            records.append(record)
    return records


def _annotated(responses: list[dict[str, Any]], attribute: str) -> bool:
    """Whether the gold gives ``attribute`` for every response (an arm is scored only where annotated)."""
    return all(attribute in r for r in responses)


def _round(value: float | None) -> float | None:
    if value is None:
        return None
    return float(f"{float(value):.3g}")


def _pct(value: float | None) -> int | None:
    return None if value is None else int(float(value) + 0.5)


class Evaluator:
    def __init__(self, rules_dir: str | Path | None = None) -> None:
        self.keys = FactKeys(load_rules(rules_dir))

    def gold_sets(self, record: dict[str, Any]) -> dict[str, set[Any]]:
        k = self.keys
        sets: dict[str, set[Any]] = {}
        for kind in ENTITY_KINDS:
            sets[kind] = {k.key(kind, v) for v in record.get(kind, []) or []}
        doses = record.get("DOSE", []) or []
        sets["DOSE"] = {self._dose_key(d) for d in doses}
        sets["DOSE+drug"] = {(self._dose_key(d), k.key("DRUG", d["drug"]) if d.get("drug") else None) for d in doses}
        responses = record.get("RESPONSE", []) or []
        sets["RESPONSE"] = {self._response_key(r) for r in responses}
        sets["RESPONSE+n/N"] = {(self._response_key(r), r.get("n"), r.get("total")) for r in responses}
        sets["RESPONSE+drug"] = {(self._response_key(r), k.key("DRUG", r["drug"]) if r.get("drug") else None) for r in responses}
        self._attributions(sets, responses)
        for kind, (head, tail) in RELATION_SIDES.items():
            sets[kind] = {(k.key(head, h), k.key(tail, t)) for h, t in record.get(kind, []) or []}
        self._events(sets, record.get("EVENT", []) or [])
        return sets

    def _events(self, sets: dict[str, set[Any]], events: Iterable[Any]) -> None:
        k = self.keys
        sets["EVENT"], sets["EVENT+date"], sets["EVENT+status"] = set(), set(), set()
        for e in map(dict, events):
            kind = str(e.get("kind") or "").strip().lower()
            drug = k.key("DRUG", e["drug"]) if e.get("drug") else None
            date = str(e["date"]).strip().upper() if e.get("date") else None
            sets["EVENT"].add((kind, drug))
            sets["EVENT+date"].add((kind, drug, date))
            sets["EVENT+status"].add((kind, drug, e.get("status")))

    def predicted_sets(self, store: Store, document_id: int) -> dict[str, set[Any]]:
        k = self.keys
        sets: dict[str, set[Any]] = {kind: set() for kind in ALL_KINDS}
        for row in store.rows("select label, norm from mentions where document_id = ?", [document_id]):
            if row["label"] in sets:
                sets[row["label"]].add(k.key(row["label"], row["norm"]))
        for d in store.rows("select * from doses where document_id = ?", [document_id]):
            key = self._dose_key(d)
            sets["DOSE"].add(key)
            sets["DOSE+drug"].add((key, k.key("DRUG", d["drug"]) if d["drug"] else None))
        responses = store.rows("select * from responses where document_id = ?", [document_id])
        for r in responses:
            key = self._response_key(r)
            sets["RESPONSE"].add(key)
            sets["RESPONSE+n/N"].add((key, r["n"], r["total"]))
            sets["RESPONSE+drug"].add((key, k.key("DRUG", r["drug"]) if r["drug"] else None))
        self._attributions(sets, responses)
        self._events(sets, store.rows("select kind, drug, date, status from events where document_id = ?", [document_id]))
        for rel in store.rows("select kind, head, tail from relations where document_id = ?", [document_id]):
            if rel["kind"] in RELATION_SIDES:
                head, tail = RELATION_SIDES[rel["kind"]]
                sets[rel["kind"]].add((k.key(head, rel["head"]), k.key(tail, rel["tail"])))
        return sets

    def _attributions(self, sets: dict[str, set[Any]], responses: Iterable[Any]) -> None:
        """Response tuples with their trial, arm, and (drug, trial): the attributions an analyst cites."""
        k = self.keys
        sets["RESPONSE+trial"], sets["RESPONSE+arm"], sets["RESPONSE+drug+trial"] = set(), set(), set()
        for r in map(dict, responses):
            key = self._response_key(r)
            trial = k.key("TRIAL", r["trial"]) if r.get("trial") else None
            drug = k.key("DRUG", r["drug"]) if r.get("drug") else None
            sets["RESPONSE+trial"].add((key, trial))
            sets["RESPONSE+arm"].add((key, r.get("arm") or None))
            sets["RESPONSE+drug+trial"].add((key, (drug, trial)))

    def _aliases(self, store: Store, document_id: int) -> dict[str, str]:
        """drug key → one canonical key, from the drug_alias relations the document states and the
        brands it names under their INN."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.get(x, x) != x:
                x = parent[x]
            return x

        pairs = store.rows("select head, tail from relations where document_id = ? and kind = 'drug_alias'", [document_id])
        # a brand the text equates with its INN ("BRIUMVI (ublituximab-xiiy)") is stored under the INN's norm:
        # the brand as written names the same drug (brand and INN count as both)
        pairs += store.rows("select distinct text as head, norm as tail from mentions where document_id = ? "
                            "and label = 'DRUG_NAME' and lower(text) != norm", [document_id])
        for row in pairs:
            a, b = find(self.keys.key("DRUG", row["head"])), find(self.keys.key("DRUG", row["tail"]))
            if a != b:
                parent[max(a, b)] = min(a, b)
        return {x: find(x) for x in parent}

    @staticmethod
    def _unify(sets: dict[str, set[Any]], aliases: dict[str, str]) -> dict[str, set[Any]]:
        """Count a drug named by its code in one place and by its INN in another as one drug."""
        if not aliases:
            return sets

        def canon(value: Any) -> Any:
            if not isinstance(value, str):
                return value
            if value not in aliases and "/" in value:
                # "mRNA-4157/V940": one drug written by both its codes (codes only: a key spells a code upper case),
                # the same drug when the document equates the two
                parts = value.split("/")
                roots = {aliases.get(part, part) for part in parts}
                if len(roots) == 1 and any(part in aliases for part in parts):
                    return roots.pop()
            return aliases.get(value, value)

        out = dict(sets)
        for kind in DRUG_SLOTS:
            if kind in out:
                out[kind] = {(canon(h), t) if kind in RELATION_SIDES else (h, canon(t)) for h, t in out[kind]}
        for kind in EVENT_SCORES:
            if kind in out:
                out[kind] = {(kind_, canon(drug), *rest) for kind_, drug, *rest in out[kind]}
        if "RESPONSE+drug+trial" in out:
            out["RESPONSE+drug+trial"] = {(key, (canon(d), t)) for key, (d, t) in out["RESPONSE+drug+trial"]}
        return out

    @staticmethod
    def _dose_key(d: dict[str, Any]) -> tuple[Any, ...]:
        unit = str(d.get("unit") or "").replace("µg", "ug").replace("μg", "ug")
        return (_round(d.get("amount")), _round(d.get("amount_max")), unit)

    @staticmethod
    def _response_key(r: dict[str, Any]) -> tuple[Any, ...]:
        metric = str(r.get("metric") or "").upper().replace(" ", "")
        if r.get("percent") is None:
            return (metric, f"{r.get('n')}/{r.get('total')}")
        return (metric, _pct(r.get("percent")))

    def evaluate(self, store: Store, gold: list[dict[str, Any]]) -> EvalReport:
        report = EvalReport()
        sources = store.rows("select id, source from documents")
        for record in gold:
            wanted = record["source"]
            match = [d for d in sources if d["source"] == wanted or d["source"].endswith("/" + wanted.lstrip("/"))]
            if not match:
                report.missing.append(wanted)
                continue
            doc_id = int(match[0]["id"])
            aliases = self._aliases(store, doc_id)
            expected = self._unify(self.gold_sets(record), aliases)
            found = self._unify(self.predicted_sets(store, doc_id), aliases)
            self._tally(report, record, expected, found)
            if record.get("complete") is not False or "RESPONSE" in (record.get("kinds") or []):
                responses = store.rows("select * from responses where document_id = ?", [doc_id])
                self._attribution(report, record.get("RESPONSE", []) or [], responses, aliases)
        return report

    def _attribution(self, report: EvalReport, gold: list[dict[str, Any]], found: list[Any], aliases: dict[str, str]) -> None:
        k = self.keys

        def value(fieldname: str, row: dict[str, Any]) -> Any:
            raw = row.get(fieldname)
            if not raw:
                return None
            if fieldname == "drug":
                key = k.key("DRUG", raw)
                return aliases.get(key, key)
            return k.key("TRIAL", raw) if fieldname == "trial" else raw

        by_key: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for row in gold:
            by_key.setdefault(self._response_key(row), []).append(row)
        for row in map(dict, found):
            rows = by_key.get(self._response_key(row))
            if not rows:
                continue
            for fieldname, tally in report.attributions.items():
                if fieldname in ATTRIBUTE_KINDS.values() and not _annotated(rows, fieldname):
                    continue
                tally.responses += 1
                mine = value(fieldname, row)
                if mine is not None:
                    tally.set += 1
                    tally.right += mine in {value(fieldname, g) for g in rows}

    def miss(self, report: EvalReport, record: dict[str, Any]) -> None:
        """Tally a gold document the run did not store (it failed) as one whose every fact was missed."""
        self._tally(report, record, self.gold_sets(record), {})

    def compare(self, gold: list[dict[str, Any]], other: list[dict[str, Any]]) -> EvalReport:
        """Score one annotator's records against another's, document by document (same order)."""
        report = EvalReport()
        for record, second in zip(gold, other, strict=True):
            self._tally(report, record, self.gold_sets(record), self.gold_sets(second))
        return report

    @staticmethod
    def _tally(report: EvalReport, record: dict[str, Any], expected: dict[str, set[Any]], found: dict[str, set[Any]]) -> None:
        wanted = record["source"]
        if wanted not in report.sources:
            report.sources.add(wanted)
            report.documents += 1
        kinds = record.get("kinds") if record.get("complete") is False else None
        for kind in ALL_KINDS:
            if kinds is not None and kind.split("+")[0] not in kinds:
                continue
            if kind in EVENT_SCORES and "EVENT" not in record:
                continue  # a record written before events were annotated says nothing about them
            attribute = ATTRIBUTE_KINDS.get(kind)
            if attribute and not _annotated(record.get("RESPONSE", []) or [], attribute):
                continue
            score = report.scores[kind]
            gold_set, pred_set = expected.get(kind, set()), found.get(kind, set())
            score.tp += len(gold_set & pred_set)
            score.fp += len(pred_set - gold_set)
            score.fn += len(gold_set - pred_set)
            for item in sorted(map(str, pred_set - gold_set)):
                score.errors.append(f"FP {wanted}: {item}")
            for item in sorted(map(str, gold_set - pred_set)):
                score.errors.append(f"FN {wanted}: {item}")


def evaluate(db_path: str | Path, gold_paths: Iterable[str | Path], rules_dir: str | Path | None = None) -> EvalReport:
    from .store import open_store

    store = open_store(db_path, create=False)
    try:
        return Evaluator(rules_dir).evaluate(store, load_gold(gold_paths))
    finally:
        store.close()
