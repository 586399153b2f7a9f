"""`make bench`: throughput and peak memory of each stage, beside baselines measured in the same run.

    python benchmarks/run_bench.py [--docs N]

Each measurement runs in its own subprocess so its peak RSS is its own. Input: the real
releases in ../shared/corpus when present (the first N records of each shape), else samples/.

| stage    | ours                                   | baseline(s) in the same run                         |
|----------|----------------------------------------|-----------------------------------------------------|
| clean    | extractor.clean on HTML pages          | trafilatura.extract on the same pages               |
| extract  | the pipeline (fresh tokenizer)         | the same pipeline without the tokenizer swap;       |
|          |                                        | spaCy's bare tokenizer over the same texts (floor)  |
| store    | Store.save, one transaction per batch  | the same writes committed document by document      |
| total    | extractor run over the inputs, with 2  | the same run in one process                         |
|          | worker processes                       |                                                     |
| rerun    | the same run again, nothing changed    | —                                                   |

Then the pipeline's build time and `extractor --help`'s wall time (median of five).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _inputs(n: int) -> list[Path | str]:
    corpus = SHARED / "corpus"
    if corpus.is_dir():
        return [corpus]
    return [ROOT / "samples" / "articles"]


def _raw_docs(n: int):
    from extractor.models import RawDocument
    from extractor.readers import iter_inputs

    docs = [d for d in iter_inputs(_inputs(n)) if isinstance(d, RawDocument)]
    if len(docs) > n:  # an even spread over the three shapes
        step = len(docs) / n
        docs = [docs[int(i * step)] for i in range(n)]
    return docs


def _html_pages(n: int) -> list[str]:
    pages = sorted((SHARED / "html-benchmark" / "html").glob("*.html.gz"))[:n]
    if pages:
        return [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in pages]
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples" / "articles").glob("*.html"))]


def stage(name: str, n: int) -> dict:
    """Run one measurement in this process and return its figures."""
    if name in ("clean", "clean-trafilatura"):
        pages = _html_pages(n)
        if name == "clean":
            from extractor.clean import clean
            from extractor.models import RawDocument

            raws = [RawDocument(source=f"p{i}", content=html, kind="html") for i, html in enumerate(pages)]
            start = time.perf_counter()
            for raw in raws:
                clean(raw)
        else:
            import trafilatura

            start = time.perf_counter()
            for html in pages:
                trafilatura.extract(html)
        seconds = time.perf_counter() - start
        return {"items": len(pages), "unit": "pages", "seconds": seconds, "peak_mb": _peak_mb()}
    if name == "events-cost":  # the same articles with and without biotech_events, alternated in one process
        from extractor.clean import clean
        from extractor.extract import build_extractor

        articles = [clean(r).with_title() for r in _raw_docs(n)]
        extractor = build_extractor()
        timings: dict[str, list[float]] = {"with": [], "without": []}
        for _ in range(3):
            for label, disabled in (("with", []), ("without", ["biotech_events"])):
                start = time.perf_counter()
                with extractor.nlp.select_pipes(disable=disabled):
                    for _doc in extractor.nlp.pipe(extractor._doc(a) for a in articles):
                        pass
                timings[label].append(time.perf_counter() - start)
        best = {k: min(v) for k, v in timings.items()}
        return {"items": len(articles), "unit": "docs", "seconds": best["with"], "without": best["without"], "peak_mb": _peak_mb()}
    if name in ("extract", "extract-no-swap", "extract-no-events", "tokenize-only"):
        from extractor.clean import clean
        from extractor.extract import load_rules
        from extractor.extract.nlp import Extractor, build_nlp

        articles = [clean(r).with_title() for r in _raw_docs(n)]
        rules = load_rules()
        extractor = Extractor(build_nlp(rules, fresh_tokenizer=name != "extract-no-swap"), rules)
        if name == "extract-no-events":  # the pipeline without its last component: what catalysts cost
            extractor.nlp.remove_pipe("biotech_events")
        start = time.perf_counter()
        if name == "tokenize-only":
            for article in articles:
                extractor.nlp.make_doc(article.text)
        else:
            extractor.extract_many(articles)
        seconds = time.perf_counter() - start
        chars = sum(len(a.text) for a in articles)
        return {"items": len(articles), "unit": "docs", "seconds": seconds, "peak_mb": _peak_mb(), "chars": chars}
    if name in ("store", "store-autocommit"):
        from extractor.clean import clean
        from extractor.extract import build_extractor
        from extractor.store import open_store

        extractor = build_extractor()
        articles = [clean(r).with_title() for r in _raw_docs(n)]
        facts = extractor.extract_many(articles)
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(Path(tmp) / "bench.db")
            start = time.perf_counter()
            if name == "store":
                with store.transaction():
                    for i, (article, fact) in enumerate(zip(articles, facts, strict=True)):
                        store.save(article, fact, str(i), "bench")
            else:
                for i, (article, fact) in enumerate(zip(articles, facts, strict=True)):
                    with store.transaction():
                        store.save(article, fact, str(i), "bench")
            seconds = time.perf_counter() - start
            rows = sum(store.count(t) for t in ("mentions", "doses", "responses", "relations"))
            store.close()
        return {"items": len(articles), "unit": "docs", "seconds": seconds, "peak_mb": _peak_mb(), "rows": rows}
    if name in ("total", "total-2-workers", "rerun"):
        from extractor import pipeline

        workers = 2 if name == "total-2-workers" else 1
        with tempfile.TemporaryDirectory() as tmp:
            if name == "rerun":  # the same inputs again: every document unchanged
                pipeline.run(_inputs(n), Path(tmp) / "all.db")
            start = time.perf_counter()
            report = pipeline.run(_inputs(n), Path(tmp) / "all.db", workers=workers)
            seconds = time.perf_counter() - start
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return {"items": report.read, "unit": "docs", "seconds": seconds, "peak_mb": max(_peak_mb(), children),
                "failed": report.failed}
    if name.startswith("memory-"):  # a corpus of N documents: the shared one repeated under new names
        from extractor import pipeline

        count = int(name.split("-", 1)[1])
        raws = _raw_docs(10**9)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "corpus"
            folder.mkdir()
            for i in range(count):
                raw = raws[i % len(raws)]
                suffix = ".html" if raw.kind == "html" else ".txt"
                marker = f"<!-- copy {i} -->" if suffix == ".html" else f"\n\nCopy {i}."
                (folder / f"doc-{i:06d}{suffix}").write_text(raw.content + marker, encoding="utf-8")
            start = time.perf_counter()
            report = pipeline.run([folder], Path(tmp) / "all.db", workers=2)
            seconds = time.perf_counter() - start
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return {"items": report.read, "unit": "docs", "seconds": seconds, "peak_mb": max(_peak_mb(), children),
                "parent_mb": _peak_mb(), "worker_mb": children}
    if name == "build":
        from extractor.extract import build_extractor

        start = time.perf_counter()
        build_extractor()
        return {"items": 1, "unit": "builds", "seconds": time.perf_counter() - start, "peak_mb": _peak_mb()}
    raise SystemExit(f"unknown stage {name}")


def help_seconds(runs: int = 5) -> float:
    """Median wall time of `extractor --help` in a fresh interpreter."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "extractor", "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def measure(name: str, n: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--stage", name, "--docs", str(n)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300, help="documents (or pages) per stage measurement")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage, args.docs)))
        return 0
    source = "../shared" if (SHARED / "corpus").is_dir() else "samples/ (../shared absent)"
    print(f"input: {source}; up to {args.docs} documents or pages per stage; each stage in its own process\n")
    rows = [
        ("clean", "clean-trafilatura"),
        ("extract", "extract-no-swap"),
        ("tokenize-only", None),
        ("store", "store-autocommit"),
        ("total-2-workers", "total"),
        ("rerun", None),
    ]
    print(f"{'stage':<20}{'items':>7}{'seconds':>10}{'per second':>12}{'peak MB':>9}   vs baseline")
    seconds: dict[str, float] = {}
    for ours, baseline in rows:
        r = measure(ours, args.docs)
        seconds[ours] = r["seconds"]
        rate = r["items"] / r["seconds"] if r["seconds"] else float("inf")
        note = ""
        if baseline:
            b = measure(baseline, args.docs)
            b_rate = b["items"] / b["seconds"] if b["seconds"] else float("inf")
            note = f"{rate / b_rate:.2f}x the speed of {baseline} ({b_rate:.1f} {b['unit']}/s, {b['peak_mb']:.0f} MB)"
        print(f"{ours:<20}{r['items']:>7}{r['seconds']:>10.2f}{rate:>9.1f} {r['unit'][:3]}{r['peak_mb']:>8.0f}   {note}")
    cost = measure("events-cost", args.docs)
    share = 1 - cost["without"] / cost["seconds"]
    print(f"\nbiotech_events (catalysts): {share:.0%} of the pipeline's time ({cost['items']} documents, best of 3 "
          f"alternated runs in one process: {cost['seconds']:.2f} s with it, {cost['without']:.2f} s without)")
    small, large = measure("memory-1000", args.docs), measure("memory-10000", args.docs)
    print(f"peak RSS, 2 workers: 1,000 documents {small['peak_mb']:.0f} MB (writer {small['parent_mb']:.0f}, worker "
          f"{small['worker_mb']:.0f}); 10,000 documents {large['peak_mb']:.0f} MB (writer {large['parent_mb']:.0f}, worker "
          f"{large['worker_mb']:.0f}): {large['peak_mb'] / small['peak_mb']:.2f}x "
          f"({large['items'] / large['seconds']:.1f} docs/s)")
    build = measure("build", args.docs)
    print(f"\npipeline build: {build['seconds']:.2f} s (peak {build['peak_mb']:.0f} MB)")
    print(f"extractor --help: {help_seconds():.2f} s (median of 5, fresh interpreter)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
