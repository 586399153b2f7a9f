"""Precision audit: judge a fixed-seed random sample of stored facts against their documents.

    python benchmarks/audit.py sample --db corpus.db --out /tmp/audit [--per-kind 40] [--seed 7]
    python benchmarks/audit.py score benchmarks/audit/<run>.jsonl [...]
    python benchmarks/audit.py evidence --db corpus.db     # relation rows whose evidence names both ends

``sample`` draws, per kind, ``--per-kind`` distinct stored facts — a fact is one
(document, kind, norm) for entities and one (document, kind, head, tail) for relations — with a
fixed seed, and writes ``items.jsonl`` (each fact with its first mention's offsets and sentence)
and ``docs/<document id>.txt`` (the stored text) under ``--out`` for a judge to read. The judge
adds ``"verdict": "correct"`` or ``"wrong"`` (and a few words of ``why``) to each item; the judged
file is committed under ``benchmarks/audit/`` with the sentences stripped (facts and verdicts
only: ``strip`` does it), and ``score`` prints precision with a 95 % Wilson interval per kind.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

ENTITY_KINDS = ("DRUG_CODE", "DRUG_NAME", "TARGET", "TRIAL", "INDICATION", "COMPANY")
RELATION_KINDS = ("drug_target", "drug_trial", "drug_indication", "drug_company", "trial_indication", "trial_phase")
#: Row kinds: one stored row is one fact, judged with every attribute it sets.
ROW_KINDS = {
    "DOSE": ("doses", ("drug", "amount", "amount_max", "unit", "frequency", "duration", "dose_level", "regimen", "arm")),
    "RESPONSE": ("responses", ("metric", "percent", "n", "total", "drug", "trial", "arm", "partners", "dose_level", "population")),
    "EVENT": ("events", ("kind", "status", "drug", "trial", "detail", "agency", "date", "date_text", "date_precision")),
}
KEPT_KEYS = ("id", "kind", "source", "text", "norm", "head", "tail", "basis", "start", "end", "verdict", "why",
             *sorted({c for _, cols in ROW_KINDS.values() for c in cols}))


def wilson(correct: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion."""
    if n == 0:
        return (0.0, 1.0)
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def _entity_facts(con: sqlite3.Connection, kind: str) -> list[dict]:
    rows = con.execute(
        "select m.document_id, d.source, m.label, m.norm, min(m.start) as start from mentions m "
        "join documents d on d.id = m.document_id where m.label = ? group by m.document_id, m.norm "
        "order by m.document_id, m.norm",
        [kind],
    ).fetchall()
    out = []
    for doc_id, source, label, norm, start in rows:
        text, end, sentence = con.execute(
            "select text, end, sentence from mentions where document_id = ? and label = ? and norm = ? and start = ?",
            [doc_id, label, norm, start],
        ).fetchone()
        out.append({"document_id": doc_id, "kind": kind, "source": source, "text": text, "norm": norm,
                    "start": start, "end": end, "sentence": sentence})
    return out


def _relation_facts(con: sqlite3.Connection, kind: str) -> list[dict]:
    has_basis = any(row[1] == "basis" for row in con.execute("pragma table_info(relations)"))
    rows = con.execute(
        f"select r.document_id, d.source, r.head, r.tail, min(r.sentence), {'min(r.basis)' if has_basis else 'null'} from relations r "
        "join documents d on d.id = r.document_id where r.kind = ? group by r.document_id, r.head, r.tail "
        "order by r.document_id, r.head, r.tail",
        [kind],
    ).fetchall()
    return [{"document_id": doc_id, "kind": kind, "source": source, "head": head, "tail": tail, "sentence": sentence,
             **({"basis": basis} if basis else {})}
            for doc_id, source, head, tail, sentence, basis in rows]


def _row_facts(con: sqlite3.Connection, kind: str) -> list[dict]:
    table, wanted = ROW_KINDS[kind]
    present = {row[1] for row in con.execute(f"pragma table_info({table})")}
    columns = [c for c in wanted if c in present]
    rows = con.execute(
        f"select t.document_id, d.source, d.published, t.text, t.start, t.end, t.sentence, {', '.join('t.' + c for c in columns)} "
        f"from {table} t join documents d on d.id = t.document_id order by t.document_id, t.start, t.id"
    ).fetchall()
    out = []
    for doc_id, source, published, text, start, end, sentence, *values in rows:
        fact = {"document_id": doc_id, "kind": kind, "source": source, "published": published, "text": text, "start": start,
                "end": end, "sentence": sentence}
        fact.update({c: v for c, v in zip(columns, values, strict=True) if v is not None})
        out.append(fact)
    return out


def sample(db: Path, out: Path, kinds: list[str], per_kind: int, seed: int) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / "docs").mkdir(exist_ok=True)
    items = []
    for kind in kinds:
        if kind in ROW_KINDS:
            facts = _row_facts(con, kind)
        elif kind in RELATION_KINDS:
            facts = _relation_facts(con, kind)
        else:
            facts = _entity_facts(con, kind)
        rng = random.Random(f"{seed}:{kind}")
        chosen = rng.sample(facts, min(per_kind, len(facts)))
        for n, fact in enumerate(chosen, start=1):
            items.append({"id": f"{kind}-{n:02d}", **fact})
    for doc_id in sorted({i["document_id"] for i in items}):
        (text,) = con.execute("select text from documents where id = ?", [doc_id]).fetchone()
        (out / "docs" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    with (out / "items.jsonl").open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(items)} facts from {len({i['document_id'] for i in items})} documents -> {out / 'items.jsonl'}")
    return 0


def evidence(db: Path) -> int:
    """Share of relation rows whose stored evidence names both ends: some surface form the document
    gives each end (a mention with that norm, or the norm itself) occurs in the row's ``sentence``.
    Rows a vocabulary alone ties (basis ``vocabulary``) are counted apart: their tail is not in the text."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    has_basis = any(row[1] == "basis" for row in con.execute("pragma table_info(relations)"))
    surfaces: dict[tuple[int, str], set[str]] = defaultdict(set)
    for doc_id, norm, text in con.execute("select document_id, norm, text from mentions"):
        surfaces[(doc_id, norm)].add(text.lower())
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # both, head only missing, rows
    vocabulary = 0
    basis_sql = "basis" if has_basis else "null"
    for doc_id, kind, head, tail, sentence, basis in con.execute(f"select document_id, kind, head, tail, sentence, {basis_sql} from relations"):
        if basis == "vocabulary":
            vocabulary += 1
            continue
        low = (sentence or "").lower()
        named = [any(s in low for s in surfaces.get((doc_id, end), set()) | {end.lower()}) for end in (head, tail)]
        tally[kind][2] += 1
        tally[kind][0] += all(named)
        tally[kind][1] += not named[0]
    print(f"  {'kind':<18}{'rows':>7}{'both ends':>11}{'share':>8}{'no head':>9}")
    total = [0, 0]
    for kind in sorted(tally):
        both, headless, rows = tally[kind]
        total[0] += both
        total[1] += rows
        print(f"  {kind:<18}{rows:>7}{both:>11}{both / rows:>8.3f}{headless / rows:>9.3f}")
    print(f"  {'all':<18}{total[1]:>7}{total[0]:>11}{total[0] / max(1, total[1]):>8.3f}")
    if vocabulary:
        print(f"  ({vocabulary} drug_alias rows tied by the vocabulary alone)")
    return 0


def strip(src: Path, dst: Path) -> int:
    """Keep facts and verdicts only (no sentences from the releases) for committing."""
    with src.open(encoding="utf-8") as fh, dst.open("w", encoding="utf-8") as out:
        for line in fh:
            if line.strip():
                item = json.loads(line)
                out.write(json.dumps({k: item[k] for k in KEPT_KEYS if k in item}, ensure_ascii=False) + "\n")
    return 0


def score(paths: list[Path]) -> int:
    for path in paths:
        tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        unjudged = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            verdict = item.get("verdict")
            if verdict not in ("correct", "wrong"):
                unjudged += 1
                continue
            tally[item["kind"]][0] += verdict == "correct"
            tally[item["kind"]][1] += 1
        print(f"{path.name}")
        print(f"  {'kind':<18}{'n':>4}{'correct':>9}{'precision':>11}   95% interval")
        for kind in sorted(tally, key=lambda k: (k not in ENTITY_KINDS, k)):
            ok, n = tally[kind]
            lo, hi = wilson(ok, n)
            print(f"  {kind:<18}{n:>4}{ok:>9}{ok / n:>11.2f}   {lo:.2f}-{hi:.2f}")
        if unjudged:
            print(f"  ({unjudged} items without a verdict)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample", help="draw facts to judge")
    s.add_argument("--db", type=Path, required=True)
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--kinds", nargs="+", default=list(ENTITY_KINDS))
    s.add_argument("--per-kind", type=int, default=40)
    s.add_argument("--seed", type=int, default=7)
    e = sub.add_parser("evidence", help="share of relation rows whose evidence names both ends")
    e.add_argument("--db", type=Path, required=True)
    t = sub.add_parser("strip", help="drop sentences from a judged file before committing it")
    t.add_argument("src", type=Path)
    t.add_argument("dst", type=Path)
    c = sub.add_parser("score", help="precision with a 95%% interval per kind")
    c.add_argument("paths", type=Path, nargs="+")
    args = parser.parse_args()
    if args.command == "sample":
        return sample(args.db, args.out, args.kinds, args.per_kind, args.seed)
    if args.command == "strip":
        return strip(args.src, args.dst)
    if args.command == "evidence":
        return evidence(args.db)
    return score(args.paths)


if __name__ == "__main__":
    sys.exit(main())
