"""``extractor show``, ``search``, ``query``, ``export`` and ``serve``: the read path.

Every command opens the database read-only (see :mod:`extractor.query`).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .. import query as q
from ..models import EVENT_KINDS
from . import EXIT_FAILED, cli, db_option, handle_errors, verbose_option


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _where(fact: q.Fact) -> str:
    return f"{fact.published or 'undated'}  {fact.source}"


#: Evidence sentences in the one-screen profile are cut to this many characters.
EVIDENCE_CHARS = 160


def _print_summary(console: Console, profile: q.Profile, limit: int, no_evidence: bool) -> None:
    """Per section: the values most documents state, how many and the newest, one evidence line each."""
    for section, facts in profile.sections.items():
        if section in q.DATED_SECTIONS:
            _print_timeline(console, section, facts, limit, no_evidence)
            continue
        summary = q.summarize(facts)
        if not summary:
            console.print(f"[bold]{section}[/bold]: [dim]none found[/dim]")
            continue
        documents = len({f.document_id for f in facts})
        console.print(f"[bold]{section}[/bold] [dim]({len(summary)} value{'s' if len(summary) != 1 else ''}, "
                      f"{documents} document{'s' if documents != 1 else ''})[/dim]")
        for item in summary[:limit]:
            detail = f" [cyan]({escape(item.detail)})[/cyan]" if item.detail else ""
            basis = item.example.basis
            tie = f" [yellow]\\[{escape(basis)}][/yellow]" if basis and basis not in q.SAME_SENTENCE_BASES else ""
            times = f"{item.documents} doc{'s' if item.documents != 1 else ''}"
            where = item.example.source.rsplit("/", 1)[-1]
            console.print(f"  {escape(item.value)}{detail}{tie}  [dim]{times}, newest {item.newest or 'undated'} {escape(where)}[/dim]")
            sentence = item.example.sentence
            if sentence and not no_evidence:
                cut = sentence if len(sentence) <= EVIDENCE_CHARS else sentence[: EVIDENCE_CHARS - 1].rstrip() + "…"
                console.print(f"      [italic]“{escape(cut)}”[/italic]")
        if len(summary) > limit:
            console.print(f"  [dim]… {len(summary) - limit} more (--limit N, or --all for every fact)[/dim]")


def _print_timeline(console: Console, section: str, facts: list[q.Fact], limit: int, no_evidence: bool) -> None:
    """A dated section in date order: the events, one line each, with the newest release's evidence."""
    if not facts:
        console.print(f"[bold]{section}[/bold]: [dim]none found[/dim]")
        return
    console.print(f"[bold]{section}[/bold] [dim]({len(facts)} event{'s' if len(facts) != 1 else ''})[/dim]")
    shown = facts if len(facts) <= limit * 2 else facts[-limit * 2 :]  # the latest, and what is coming
    if len(shown) < len(facts):
        console.print(f"  [dim]… {len(facts) - len(shown)} earlier (--all for every event)[/dim]")
    for fact in shown:
        detail = f" [cyan]({escape(fact.detail)})[/cyan]" if fact.detail else ""
        where = fact.source.rsplit("/", 1)[-1]
        console.print(f"  {escape(fact.value)}{detail}  [dim]{fact.published or 'undated'} {escape(where)}[/dim]")
        if fact.sentence and not no_evidence:
            cut = fact.sentence if len(fact.sentence) <= EVIDENCE_CHARS else fact.sentence[: EVIDENCE_CHARS - 1].rstrip() + "…"
            console.print(f"      [italic]“{escape(cut)}”[/italic]")


# -- show ---------------------------------------------------------------------------------
@cli.command(short_help="Profile of a drug, target, trial, company or disease.")
@verbose_option
@click.argument("name")
@db_option(required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the profile as JSON.")
@click.option("--no-evidence", is_flag=True, help="Leave out the evidence sentences.")
@click.option("--same-sentence", is_flag=True, help="Only relations one sentence states (basis apposition, clause or sentence).")
@click.option("--all", "show_all", is_flag=True, help="Every fact with its evidence, newest first (not the one-screen profile).")
@click.option("--limit", type=click.IntRange(1, 10_000), default=5, show_default=True, help="Values per section in the profile.")
@click.option("--since", metavar="YYYY-MM-DD", default=None, help="Only facts from documents published on or after this date.")
@handle_errors
def show(name: str, db_path: str, as_json: bool, no_evidence: bool, same_sentence: bool, show_all: bool, limit: int,
         since: str | None) -> None:
    """Everything known about a drug, target, trial, company or disease NAME, on one screen.

    NAME may be a drug code in any spelling ("AMG 510", "amg510"), an INN or brand
    name, a target as written ("BCMA") or as HGNC symbol ("TNFRSF17"), a trial name, a
    company (its pipeline) or a disease (its drugs and trials).
    Each section lists the values most documents state (how many, the newest date, one
    evidence sentence); --all lists every fact. Exit code 1 (with the closest known names)
    when nothing matches. A relation tied beyond one sentence says how (paragraph,
    document, vocabulary).

    Example:

    \b
        extractor show ALLO-316 --db extractions.db
    """
    try:
        profile = q.profile(db_path, name, same_sentence=same_sentence)
    except q.UnknownName as exc:
        click.echo(f"No drug, target, trial, company or disease called {name!r} in {db_path}.", err=True)
        if exc.suggestions:
            click.echo(f"Closest known names: {', '.join(exc.suggestions)}", err=True)
        sys.exit(EXIT_FAILED)
    if as_json:
        click.echo(json.dumps(profile.as_dict(), indent=2, ensure_ascii=False))
        return
    console = _console()
    plural = "s" if profile.documents != 1 else ""
    console.print(f"[bold]{escape(profile.name)}[/bold]  ({profile.kind}, {profile.documents} document{plural})")
    if profile.aliases:
        console.print(f"[bold]aliases[/bold]: {escape(', '.join(profile.aliases))}")
    for other in profile.also:
        console.print(f"[dim]also a {other.kind}: {escape(other.norm)} (extractor show {escape(other.norm)!r})[/dim]")
    if since:
        profile.sections = {k: [f for f in v if (f.published or "") >= since] for k, v in profile.sections.items()}
    if not show_all:
        _print_summary(console, profile, limit, no_evidence)
        return
    for section, facts in profile.sections.items():
        if not facts:
            console.print(f"[bold]{section}[/bold]: [dim]none found[/dim]")
            continue
        console.print(f"[bold]{section}[/bold]")
        for fact in facts:
            detail = f" [cyan]({escape(fact.detail)})[/cyan]" if fact.detail else ""
            basis = f" [yellow]\\[{escape(fact.basis)}][/yellow]" if fact.basis and fact.basis not in q.SAME_SENTENCE_BASES else ""
            console.print(f"  {escape(fact.value)}{detail}{basis}  [dim]{escape(_where(fact))}[/dim]")
            if fact.sentence and not no_evidence:
                console.print(f"      [italic]“{escape(fact.sentence)}”[/italic]")


# -- calendar -----------------------------------------------------------------------------
@cli.command(short_help="Expected catalysts in date order; --ics writes an iCalendar file.")
@verbose_option
@db_option(required=False)
@click.option("--from", "start", metavar="DATE", default=None, help="Only events whose date reaches this day or later (YYYY-MM-DD, YYYY-MM, YYYY).")
@click.option("--to", "end", metavar="DATE", default=None, help="Only events whose date starts on or before this day.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(EVENT_KINDS), help="Only this kind of event; repeatable.")
@click.option("--drug", "drugs", multiple=True, metavar="NAME", help="Only this drug (any code, INN or brand); repeatable.")
@click.option("--occurred", is_flag=True, help="Also list events that have happened (a dated history), not only expected ones.")
@click.option("--no-undated", is_flag=True, help="Leave out expected events the text gives no date for.")
@click.option("--ics", "ics_path", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Also write the dated events to this iCalendar file ('-' for stdout), for a calendar app.")
@click.option("--json", "as_json", is_flag=True, help="Print the events as JSON.")
@click.option("--no-evidence", is_flag=True, help="Leave out the evidence sentences.")
@handle_errors
def calendar(db_path: str, start: str | None, end: str | None, kinds: tuple[str, ...], drugs: tuple[str, ...],
             occurred: bool, no_undated: bool, ics_path: str | None, as_json: bool, no_evidence: bool) -> None:
    """Expected events (IND clearances, trial starts, readouts, PDUFA dates, presentations, …)
    in date order, each with its source and evidence.

    A date keeps the precision the release gives ("2025-Q2", "2026-H1"); --from and --to keep
    an event whose period overlaps the range. Expected events with no stated date come last
    (--no-undated leaves them out); they never get a day the text did not give.

    Examples:

    \b
        extractor calendar --db extractions.db --from 2025-01-01 --to 2025-12-31
        extractor calendar --db extractions.db --kind action_date --kind topline_data
        extractor calendar --db extractions.db --drug ALLO-329 --occurred
        extractor calendar --db extractions.db --ics catalysts.ics
    """
    try:
        first = q.parse_day(start, "--from")
        last = q.parse_day(end, "--to", last=True)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    entries = q.calendar(db_path, start=first, end=last, kinds=kinds, drugs=drugs, include_occurred=occurred,
                         undated=not no_undated)
    if ics_path:
        from ..query.ics import to_ics

        data = to_ics(entries)
        if ics_path == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        with open(ics_path, "wb") as handle:
            handle.write(data)
        dated = sum(1 for e in entries if e.date_start)
        click.echo(f"wrote {dated} dated event{'s' if dated != 1 else ''} to {ics_path}", err=True)
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(e) for e in entries], indent=2, ensure_ascii=False))
        return
    console = _console()
    if not entries:
        console.print("[dim]no events in this range[/dim]")
        return
    for entry in entries:
        when = entry.date or "undated"
        written = f" [dim](“{escape(entry.date_text)}”)[/dim]" if entry.date_text and entry.date_text != entry.date else ""
        status = "" if entry.status == "expected" else f" [yellow]\\[{entry.status}][/yellow]"
        console.print(f"[bold]{escape(when)}[/bold]{written}  {escape(entry.what)}{status}  "
                      f"[dim]{entry.published or 'undated'} {escape(entry.source.rsplit('/', 1)[-1])}[/dim]")
        if entry.sentence and not no_evidence:
            cut = entry.sentence if len(entry.sentence) <= EVIDENCE_CHARS else entry.sentence[: EVIDENCE_CHARS - 1].rstrip() + "…"
            console.print(f"      [italic]“{escape(cut)}”[/italic]")


# -- search -------------------------------------------------------------------------------
@cli.command(short_help="Full-text search over documents.")
@verbose_option
@click.argument("text")
@db_option(required=False)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Most hits to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@handle_errors
def search(text: str, db_path: str, limit: int, as_json: bool) -> None:
    """Full-text search over document titles and text; lists hits with their facts.

    Every word of TEXT must occur (stemmed: "responses" finds "response").

    Example:

    \b
        extractor search "CD70 renal" --db extractions.db
    """
    hits = q.search(db_path, text, limit=limit)
    if as_json:
        click.echo(json.dumps([h.__dict__ for h in hits], indent=2, ensure_ascii=False))
        return
    console = _console()
    if not hits:
        console.print(f"No documents match {text!r}.")
        return
    for i, hit in enumerate(hits, 1):
        console.print(f"[bold]{i}. {escape(hit.title or hit.source)}[/bold]")
        console.print(f"   [dim]{escape(hit.published or 'undated')}  {escape(hit.url or hit.source)}[/dim]")
        if hit.snippet:
            console.print(f"   {escape(hit.snippet)}")
        for kind, values in hit.facts.items():
            console.print(f"   [cyan]{kind}[/cyan]: {escape(', '.join(values))}")
    console.print(f"[dim]{len(hits)} document{'s' if len(hits) != 1 else ''}[/dim]")


# -- query --------------------------------------------------------------------------------
def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for value in values:
        name, sep, val = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not name=value", param_hint="-p/--param")
        params[name.strip().lstrip(":@$")] = val
    return params


@cli.command(name="query", short_help="Run one read-only SELECT statement.")
@verbose_option
@click.argument("sql")
@db_option(required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Named parameter (:NAME in SQL); repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "jsonl"]), default="table", show_default=True)
@click.option("--no-headers", is_flag=True, help="Leave out the header row (csv, tsv).")
@click.option("--limit", type=click.IntRange(1, q.MAX_ROW_LIMIT), default=q.DEFAULT_ROW_LIMIT, show_default=True, help="Most rows to print.")
@click.option("--timeout", type=click.FloatRange(0.01, q.MAX_TIME_LIMIT), default=q.DEFAULT_TIME_LIMIT, show_default=True, help="Seconds before the statement is stopped.")
@handle_errors
def query_cmd(sql: str, db_path: str, params: tuple[str, ...], fmt: str, no_headers: bool, limit: int, timeout: float) -> None:
    """Run one read-only SELECT (or WITH ... SELECT) statement.

    SQL is the statement, @FILE reads it from a file, and - from stdin. The file is opened
    read-only; anything but a single SELECT is refused (exit code 1). Views: drug_summary,
    drug_targets, response_rates, trials (docs/querying.md).

    Examples:

    \b
        extractor query "select * from response_rates where drug = :drug" -p drug=ALLO-316
        extractor query @top-targets.sql --format csv
        echo "select count(*) from documents" | extractor query - --format tsv --no-headers
    """
    result = q.run_query(db_path, _read_sql(sql), _parse_params(params), limit=limit, time_limit=timeout)
    if fmt == "json":
        click.echo(json.dumps(result.as_dicts(), indent=2, ensure_ascii=False, default=str))
    elif fmt == "jsonl":
        for record in result.as_dicts():
            click.echo(json.dumps(record, ensure_ascii=False, default=str))
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(sys.stdout, delimiter="\t" if fmt == "tsv" else ",")
        if not no_headers:
            writer.writerow(result.columns)
        writer.writerows(["" if v is None else v for v in row] for row in result.rows)
    else:
        table = Table(show_header=True, header_style="bold")
        for column in result.columns:
            table.add_column(column, overflow="fold")
        for row in result.rows:
            table.add_row(*("" if v is None else escape(str(v)) for v in row))
        _console().print(table)
    if result.truncated:
        click.echo(f"(truncated: showing the first {result.limit} rows; use --limit to see more)", err=True)
    elif fmt == "table":
        click.echo(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}", err=True)


def _read_sql(sql: str) -> str:
    """The statement itself, or read from @FILE, or from stdin for -."""
    if sql == "-":
        return sys.stdin.read()
    if sql.startswith("@"):
        try:
            with open(sql[1:], encoding="utf-8") as fh:
                return fh.read()
        except OSError as exc:
            raise click.BadParameter(f"cannot read {sql[1:]}: {exc.strerror}", param_hint="SQL") from None
    return sql


# -- export -------------------------------------------------------------------------------
@cli.command(short_help="Write tables to JSONL or CSV files (or stdout).")
@verbose_option
@db_option(required=False)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, allow_dash=True), required=True,
              help="Folder for one file per table, or - to write the one --table to stdout.")
@click.option("--table", "tables", multiple=True, type=click.Choice(q.EXPORT_TABLES),
              help="Export only this table (repeatable). Default: all of them.")
@handle_errors
def export(db_path: str, fmt: str, out_dir: str, tables: tuple[str, ...]) -> None:
    """Write documents, mentions, doses, responses and relations to OUT, one file per table.

    Examples:

    \b
        extractor export --db extractions.db --format csv --out export/

        extractor export --db extractions.db --table responses --format csv --out - | head
    """
    if out_dir == "-":
        if len(tables) != 1:
            raise click.UsageError("--out - writes one table to stdout: name it with --table")
        q.export_table(db_path, tables[0], sys.stdout, fmt)
        return
    selected = tables or q.EXPORT_TABLES
    counts: dict[str, int]
    if sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), console=Console(stderr=True)) as bar:
            tasks: dict[str, Any] = {}

            def progress(table: str, done: int, total: int) -> None:
                if table not in tasks:
                    tasks[table] = bar.add_task(table, total=total or 1)
                bar.update(tasks[table], completed=done if total else 1)

            counts = q.export(db_path, out_dir, fmt, tables=selected, progress=progress)
    else:

        def progress(table: str, done: int, total: int) -> None:
            if done == total:
                click.echo(f"{table}: {done} rows", err=True)

        counts = q.export(db_path, out_dir, fmt, tables=selected, progress=progress)
    for table, n in counts.items():
        click.echo(f"{out_dir.rstrip('/')}/{table}.{fmt}\t{n}")
