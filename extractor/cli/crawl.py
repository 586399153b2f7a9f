"""``extractor fetch``, ``discover``, ``crawl``, ``watch`` and ``status``: the web path."""

from __future__ import annotations

import signal
import sys
import threading

import click
from rich.console import Console
from rich.table import Table

from . import EXIT_ALL_FAILED, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, cli, db_option, handle_errors, verbose_option
from .progress import Reporter

sources_option = click.option(
    "--sources", "sources_path", type=click.Path(dir_okay=False), required=True,
    help="sources.toml: [settings] and one [[source]] per newsroom (docs/crawling.md).",
)


@cli.command(name="fetch", short_help="Fetch article pages and store their facts.")
@verbose_option
@click.argument("urls", nargs=-1, required=True)
@db_option()
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False), default=None,
              help="Read [settings] (contact, limits) from this sources.toml.")
@click.option("--contact", default=None, help="E-mail or URL for the User-Agent (overrides [settings] contact).")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None, help="Rules folder.")
@handle_errors
def fetch_(urls: tuple[str, ...], db_path: str, sources_path: str | None, contact: str | None, rules_dir: str | None) -> None:
    """Fetch article pages, extract their facts and store them.

    A page whose title and date match a stored document (the same release on a wire) is
    linked to it, not stored twice. Exit code 0 when every page was stored or linked, 1 otherwise.

    Example:

    \b
        extractor fetch https://ir.example.com/news/news-details/2026/x/default.aspx --contact me@example.com --db news.db
    """
    from .. import crawl as crawling  # imported here: `extractor --help` stays fast

    settings = crawling.load_settings(sources_path, contact)
    report, run = crawling.fetch_urls(list(urls), db_path, settings, rules_dir=rules_dir)
    for failure in run.failures:
        click.echo(f"failed: {failure.source}: {failure.stage}: {failure.error}", err=True)
    click.echo(report.line())
    sys.exit(EXIT_OK if not report.failed and not run.failed else EXIT_FAILED)


@cli.command(short_help="Suggest a [[source]] entry for a newsroom page.")
@verbose_option
@click.argument("url")
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False), default=None,
              help="Read [settings] (contact, limits) from this sources.toml.")
@click.option("--contact", default=None, help="E-mail or URL for the User-Agent.")
@click.option("--every", default="30m", show_default=True, help="Interval written into the entry.")
@handle_errors
def discover(url: str, sources_path: str | None, contact: str | None, every: str) -> None:
    """Look at a newsroom page and print a [[source]] entry for sources.toml.

    Detects Q4 and Notified IR sites, RSS/Atom feeds (also when linked from the page),
    sitemaps, and falls back to an html listing with a guessed link selector.

    Example:

    \b
        extractor discover https://ir.example.com/news-releases --contact me@example.com >> sources.toml
    """
    from .. import crawl as crawling  # imported here: `extractor --help` stays fast

    crawling.parse_duration(every, "--every")
    found = crawling.discover_url(url, crawling.load_settings(sources_path, contact))
    click.echo(found.toml(every))


@cli.command(name="crawl", short_help="One pass over the sources that are due.")
@verbose_option
@sources_option
@db_option()
@click.option("--dry-run", is_flag=True, help="Read listings and print what would be fetched; write nothing.")
@click.option("--force", is_flag=True, help="Crawl every source now, due or not.")
@click.option("--source", "only", multiple=True, help="Only this source (repeatable).")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None, help="Rules folder.")
@click.option("--since", metavar="YYYY-MM-DD", default=None,
              help="Backfill: page each source's listing back to this date (with --force: every source now).")
@handle_errors
def crawl_(sources_path: str, db_path: str, dry_run: bool, force: bool, only: tuple[str, ...], rules_dir: str | None,
           since: str | None) -> None:
    """One idempotent pass over the sources that are due.

    --since DATE backfills a source's history: its listing is paged back to DATE, past pages
    already stored, at most max_items new pages per source per pass (run it again to go on);
    `since = "YYYY-MM-DD"` in a [[source]] does the same on its first pass.

    Exit codes: 0 the pass ran (per-source failures are recorded, see `extractor status`),
    1 a usage or configuration error, 2 every due source failed, 3 another crawl holds the lock.

    Example:

    \b
        extractor crawl --sources sources.toml --db news.db
    """
    from .. import crawl as crawling  # imported here: `extractor --help` stays fast

    config = crawling.load_config(sources_path)
    for name in only:
        config.source(name)
    with Reporter("crawling") as progress:
        report = crawling.crawl(config, db_path, dry_run=dry_run, force=force, only=only, rules_dir=rules_dir, progress=progress,
                                since=since)
    for source in report.sources:
        click.echo(source.line())
        for url in source.planned:
            click.echo(f"  would fetch {url}")
    for failure in report.run.failures:
        click.echo(f"failed: {failure.source}: {failure.stage}: {failure.error}", err=True)
    if not report.due:
        click.echo("no source is due")
    sys.exit(EXIT_ALL_FAILED if report.all_failed else EXIT_OK)


@cli.command(short_help="Crawl again and again until stopped.")
@verbose_option
@sources_option
@db_option()
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None, help="Rules folder.")
@handle_errors
def watch(sources_path: str, db_path: str, rules_dir: str | None) -> None:
    """Crawl again and again, sleeping until the next source is due; stop on SIGTERM or Ctrl-C.

    Holds the database lock while it runs (a concurrent `extractor crawl` exits with code 3).

    Example:

    \b
        extractor watch --sources sources.toml --db news.db
    """
    from .. import crawl as crawling  # imported here: `extractor --help` stays fast

    config = crawling.load_config(sources_path)
    stop = threading.Event()
    with crawling.stop_on_signals(stop) as received:
        passes = crawling.watch(config, db_path, stop=stop, rules_dir=rules_dir, progress=click.echo)
    click.echo(f"stopped after {passes} passes", err=True)
    if signal.SIGINT in received:
        sys.exit(EXIT_INTERRUPTED)  # Ctrl-C; SIGTERM (a service manager's stop) is a normal end


@cli.command(short_help="Per source: last outcome, failures, next due.")
@verbose_option
@db_option()
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False), default=None,
              help="Also list configured sources that never ran (and use their intervals).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@handle_errors
def status(db_path: str, sources_path: str | None, as_json: bool) -> None:
    """Per source: last outcome, last success, consecutive failures, next due, newest item, STALE.

    A source is STALE when it has not succeeded within three intervals (at least 6 hours).

    Example:

    \b
        extractor status --db news.db
    """
    from .. import crawl as crawling  # imported here: `extractor --help` stays fast

    import json

    config = crawling.load_config(sources_path) if sources_path else None
    rows = crawling.status(db_path, config)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row))
        if not rows:
            click.echo("no sources yet: `extractor crawl --sources FILE` adds them", err=True)
        return
    if not rows:
        click.echo(f"{db_path}: no sources yet (`extractor crawl --sources FILE` adds them)")
        return
    table = Table(title="sources", header_style="bold")
    for column in ("source", "kind", "last outcome", "last success", "failures", "next due", "newest item", ""):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["name"], row["kind"] or "", row["last_outcome"], row["last_success"] or "never",
            str(row["consecutive_failures"]), row["next_due"] or "now", row["newest_item"] or "",
            "STALE" if row["stale"] else "",
        )
    Console(highlight=False, width=200).print(table)
    for row in rows:
        if row["last_error"] and row["consecutive_failures"]:
            click.echo(f"{row['name']}: {row['last_error']}")
