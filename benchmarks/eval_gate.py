"""The evaluation gate: per-kind F1 floors that extraction changes may not fall below.

    python benchmarks/eval_gate.py            # print current F1 beside the floors
    python benchmarks/eval_gate.py --update   # raise floors to (current F1 - MARGIN); never lowers them
    python benchmarks/eval_gate.py --update --allow-regression   # also lower them (say why in the commit)

Floors live in benchmarks/eval_floors.json: "samples" (samples/gold.jsonl) and "real" (the
hand-annotated real releases; measured only when ../shared is present). tests/test_eval_gate.py
fails when any F1 is below its floor.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_real import SHARED, build_and_score  # noqa: E402

from extractor import pipeline  # noqa: E402
from extractor.evaluate import evaluate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "benchmarks" / "eval_floors.json"
MARGIN = 0.02  # room for harmless wobble; a real regression is larger


def gated(report) -> dict[str, float]:
    """Per-kind F1, and the precision of each response attribution (``attribution:drug``): abstaining
    costs F1, so precision is gated on its own and may not fall silently either."""
    out = {k: round(s.f1, 4) for k, s in report.scores.items() if s.tp + s.fp + s.fn}
    out.update({f"attribution:{name}": round(a.precision, 4) for name, a in report.attributions.items() if a.set})
    return out


def current() -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "samples.db"
        pipeline.run([ROOT / "samples" / "articles"], db)
        report = evaluate(db, [ROOT / "samples" / "gold.jsonl"])
        out["samples"] = {k: round(s.f1, 4) for k, s in report.scores.items() if s.tp + s.fp + s.fn}
        if (SHARED / "corpus").is_dir():
            real = build_and_score(Path(tmp) / "real.db")
            out["real"] = gated(real)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--allow-regression", action="store_true")
    args = parser.parse_args()
    floors = json.loads(FLOORS.read_text()) if FLOORS.exists() else {}
    now = current()
    failed = False
    for dataset, scores in now.items():
        for kind, f1 in scores.items():
            floor = floors.get(dataset, {}).get(kind)
            flag = "" if floor is None or f1 >= floor else "  BELOW FLOOR"
            failed |= bool(flag)
            print(f"{dataset:<8}{kind:<18}F1 {f1:.3f}   floor {'-' if floor is None else f'{floor:.3f}'}{flag}")
            if args.update:
                target = round(max(0.0, f1 - MARGIN), 3)
                if floor is None or target > floor or args.allow_regression:
                    floors.setdefault(dataset, {})[kind] = target
    if args.update:
        FLOORS.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n")
        print(f"wrote {FLOORS.relative_to(ROOT)}")
    return 1 if failed and not args.update else 0


if __name__ == "__main__":
    sys.exit(main())
