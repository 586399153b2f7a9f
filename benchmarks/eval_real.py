"""Evaluate on the hand-annotated real releases (benchmarks/gold/real-*.jsonl).

    python benchmarks/eval_real.py [--errors]        # the dev part: read it, tune on it
    python benchmarks/eval_real.py --set test         # the test part: scored, never read error by error
    python benchmarks/eval_real.py --set holdout      # the older held-out set
    python benchmarks/eval_real.py --agreement        # second annotator vs first on the test part's overlap

The test part (`gold/test.jsonl`, 60 random releases) is scored once at the start and once at the
end of a piece of extraction work; `--errors` refuses it. Only the gold documents are run through the pipeline: their files are read from ../shared/corpus
(the gold holds facts only, never texts) into a temporary database, then scored like
`extractor eval`. Skips, with a message, when ../shared is absent.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from extractor.evaluate import ALL_KINDS, Evaluator, load_gold
from extractor.extract import build_extractor
from extractor.models import Failure
from extractor.pipeline import Pipeline
from extractor.readers import iter_inputs
from extractor.store import open_store

ROOT = Path(__file__).resolve().parents[1]
#: Resolved: a run stores a file under its resolved path, so a symlinked ../shared must be compared resolved too.
SHARED = (ROOT.parent / "shared").resolve()
GOLD_DIR = ROOT / "benchmarks" / "gold"
GOLD = sorted(GOLD_DIR.glob("real-*.jsonl"))
SETS = {"dev": GOLD, "holdout": [GOLD_DIR / "holdout.jsonl"], "test": [GOLD_DIR / "test.jsonl", GOLD_DIR / "test-attributions.jsonl", GOLD_DIR / "test-events.jsonl"]}
SECOND_ANNOTATOR = GOLD_DIR / "test-second-annotator.jsonl"


def build_and_score(db_path: Path, gold_files: list[Path] | None = None):
    gold = load_gold(gold_files or GOLD)
    wanted = {g["source"] for g in gold}
    files = sorted({SHARED / g["source"].split("#")[0] for g in gold})

    def items():
        for item in iter_inputs(files):
            source = item.source
            rel = source.split(str(SHARED) + "/", 1)[-1]
            if rel in wanted or isinstance(item, Failure):
                yield item

    store = open_store(db_path)
    try:
        Pipeline(store, build_extractor()).ingest(items())
        evaluator = Evaluator()
        report = evaluator.evaluate(store, gold)
        # a document the run failed on is scored as found empty: a crash must cost F1, not hide from it
        for record in gold:
            if record["source"] in report.missing:
                print(f"not stored (failed): {record['source']}", file=sys.stderr)
                evaluator.miss(report, record)
        return report
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list false positives and negatives")
    parser.add_argument("--set", choices=sorted(SETS), default="dev", help="which annotated part to score (default: dev)")
    parser.add_argument("--gold", type=Path, nargs="+", help="gold files (overrides --set)")
    parser.add_argument("--agreement", action="store_true", help="score the second annotator against the first")
    args = parser.parse_args()
    if args.agreement:
        return agreement()
    gold_files = args.gold or SETS[args.set]
    if args.errors and any(p.resolve() in {t.resolve() for t in SETS["test"]} for p in gold_files):
        parser.error("the test part is scored, not read error by error: use --set dev")
    if not (SHARED / "corpus").is_dir():
        print(f"skipped: {SHARED / 'corpus'} is absent")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        report = build_and_score(Path(tmp) / "real.db", gold_files)
    print(f"{report.documents} real documents ({', '.join(p.name for p in gold_files)})")
    print_report(report)
    if args.errors:
        for kind in ALL_KINDS:
            for line in report.scores[kind].errors:
                print(f"{kind}\t{line}")
    return 0


def print_report(report) -> None:
    print(f"{'kind':<18}{'gold':>6}{'found':>7}{'P':>8}{'R':>8}{'F1':>8}")
    for kind in ALL_KINDS:
        s = report.scores[kind]
        if s.tp + s.fp + s.fn:
            print(f"{kind:<18}{s.tp + s.fn:>6}{s.tp + s.fp:>7}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}")
    print("response attributions (found responses the gold holds): field, responses, set, right, precision, coverage")
    for name, a in report.attributions.items():
        print(f"  {name:<8}{a.responses:>6}{a.set:>6}{a.right:>6}{a.precision:>8.3f}{a.coverage:>8.3f}")


def agreement() -> int:
    """Inter-annotator F1 on the documents both annotators did: the ceiling for the extractor."""
    second = {g["source"]: g for g in load_gold([SECOND_ANNOTATOR])}
    first = [g for g in load_gold(SETS["test"]) if g["source"] in second]
    report = Evaluator().compare(first, [second[g["source"]] for g in first])
    print(f"{report.documents} documents annotated twice (first annotator as gold, second as prediction)")
    print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
