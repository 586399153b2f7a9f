"""``extractor run`` and ``extractor eval``: the batch path."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ..errors import ExtractorError
from ..models import RunReport
from ..readers import DEFAULT_MAX_BYTES, count_inputs
from . import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, cli, db_option, handle_errors, verbose_option
from .progress import Reporter

FACT_ORDER = ("DRUG_CODE", "DRUG_NAME", "TARGET", "TRIAL", "NCT_ID", "PHASE", "INDICATION", "COMPANY", "DOSE", "RESPONSE", "RELATION", "EVENT")


def print_summary(report: RunReport, console: Console) -> None:
    table = Table(title="extractor run", show_header=True, header_style="bold")
    table.add_column("documents")
    table.add_column("count", justify="right")
    for name, value in (
        ("read", report.read), ("stored", report.stored), ("unchanged", report.unchanged),
        ("duplicate", report.duplicates), ("failed", report.failed),
    ):
        table.add_row(name, str(value))
    facts = Table(title="facts stored", show_header=True, header_style="bold")
    facts.add_column("kind")
    facts.add_column("count", justify="right")
    for kind in FACT_ORDER:
        facts.add_row(kind, str(report.facts.get(kind, 0)))
    console.print(table)
    console.print(facts)
    if report.skipped:
        kinds = ", ".join(f"{n} {suffix}" for suffix, n in sorted(report.skipped.items()))
        console.print(f"not read (file types extractor does not read): {kinds}")
    console.print(f"{report.seconds:.1f} s")


@contextlib.contextmanager
def _reported(report: RunReport, done: str) -> Iterator[None]:
    """After a run or reprocess: its failures, its summary and the exit code (130 after Ctrl-C,
    with what was ``done`` so far)."""
    try:
        yield
    except KeyboardInterrupt:
        click.echo(f"interrupted: {report.stored} documents {done} so far (run again to go on)", err=True)
        print_summary(report, Console(highlight=False))
        sys.exit(EXIT_INTERRUPTED)
    for failure in report.failures:
        click.echo(f"failed: {failure.source}: {failure.stage}: {failure.error}", err=True)
    print_summary(report, Console(highlight=False))
    sys.exit(EXIT_OK if report.ok else EXIT_FAILED)


@cli.command(short_help="Extract facts from files and folders into the database.")
@verbose_option
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option(required=False)
@click.option("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, show_default=True, help="Skip (and record) files larger than this.")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None, help="Rules folder (default: the packaged rules/).")
@click.option("-q", "--quiet", is_flag=True, help="No per-document progress.")
@click.option("-w", "--workers", type=click.IntRange(1, 64), default=None,
              help="Processes that clean and extract (default: the number of cores); one writes.")
@click.option("--dask", "dask", metavar="ADDRESS", default=None,
              help="Clean and extract on the Dask cluster at ADDRESS (tcp://host:8786) instead; this process writes.")
@click.option("--timeout", "budget", type=click.FloatRange(0, 86400), default=10.0, show_default=True,
              help="Seconds one document may take to clean and extract; then it is recorded as failed (0: no limit).")
@handle_errors
def run(paths: tuple[str, ...], db_path: str, max_bytes: int, rules_dir: str | None, quiet: bool, workers: int | None,
        dask: str | None, budget: float) -> None:
    """Extract facts from article files and folders into a SQLite database.

    PATHS are files or folders (searched recursively) of .html/.htm, .txt, .md, and
    .jsonl/.csv record files. Exit code 0 when every input succeeded, 1 when any failed.

    Example:

    \b
        extractor run samples/articles --db extractions.db
    """
    from .. import pipeline  # imported here: `extractor --help` does not load spaCy

    report = RunReport()
    total = count_inputs(paths) if sys.stderr.isatty() and not quiet else None  # for the bar's rate and ETA
    with _reported(report, "stored"), Reporter("extracting", quiet=quiet, total=total) as progress:
        pipeline.run(paths, db_path, max_bytes=max_bytes, rules_dir=rules_dir, progress=progress, report=report,
                     workers=workers or os.cpu_count() or 1, dask=dask, budget=budget)


@cli.command(short_help="Re-extract stored documents after the rules changed.")
@verbose_option
@db_option(required=False)
@click.option("--all", "every", is_flag=True, help="Every document, not only those stored under older rules.")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None, help="Rules folder (default: the packaged rules/).")
@click.option("-q", "--quiet", is_flag=True, help="No per-document progress.")
@click.option("-w", "--workers", type=click.IntRange(1, 64), default=None,
              help="Processes that extract (default: the number of cores); one writes.")
@click.option("--dask", "dask", metavar="ADDRESS", default=None, help="Extract on the Dask cluster at ADDRESS instead.")
@click.option("--timeout", "budget", type=click.FloatRange(0, 86400), default=10.0, show_default=True,
              help="Seconds one document may take to extract; then it is recorded as failed (0: no limit).")
@handle_errors
def reprocess(db_path: str, every: bool, rules_dir: str | None, quiet: bool, workers: int | None, dask: str | None,
              budget: float) -> None:
    """Extract stored documents again from their stored text, after the rules changed.

    Documents stored under another rules version are re-extracted (all of them with --all); the
    original files are not needed. Exit code 0 when every document succeeded, 1 when any failed.

    Example:

    \b
        extractor reprocess --db extractions.db
    """
    from .. import pipeline

    report = RunReport()
    with _reported(report, "re-extracted"), Reporter("re-extracting", quiet=quiet) as progress:
        pipeline.reprocess(db_path, every=every, rules_dir=rules_dir, progress=progress, report=report,
                           workers=workers or os.cpu_count() or 1, dask=dask, budget=budget)


@cli.command(name="eval", short_help="Score the database against gold files (P, R, F1).")
@verbose_option
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@db_option()
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None, help="Rules folder used for normalising keys.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--errors", "show_errors", is_flag=True, help="List every false positive and false negative.")
@handle_errors
def eval_(gold: tuple[str, ...], db_path: str, rules_dir: str | None, as_json: bool, show_errors: bool) -> None:
    """Print precision, recall and F1 per fact kind against GOLD files (docs/gold-format.md).

    Example:

    \b
        extractor eval samples/gold.jsonl --db extractions.db
    """
    from ..evaluate import ALL_KINDS, evaluate

    report = evaluate(db_path, gold, rules_dir)
    if not report.documents:
        raise ExtractorError(
            f"{db_path}: none of the {len(report.missing)} gold documents is in the database (run `extractor run` on them first)"
        )
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
        return
    console = Console(highlight=False)
    table = Table(title=f"eval: {report.documents} documents ({', '.join(Path(g).name for g in gold)})", header_style="bold")
    for column in ("kind", "gold", "found", "tp", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind in ALL_KINDS:
        s = report.scores[kind]
        if not s.tp + s.fp + s.fn:
            continue
        table.add_row(kind, str(s.tp + s.fn), str(s.tp + s.fp), str(s.tp), f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
    console.print(table)
    if report.missing:
        console.print(f"not in the database: {', '.join(report.missing)}")
    if show_errors:
        for kind in ALL_KINDS:
            for line in report.scores[kind].errors:
                click.echo(f"{kind}\t{line}")
