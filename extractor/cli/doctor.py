"""``extractor doctor``: check a database file and say what is wrong with it."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from ..query.doctor import diagnose
from . import EXIT_FAILED, EXIT_OK, cli, db_option, handle_errors, verbose_option


@cli.command(short_help="Check a database: integrity, full-text index, schema version, WAL, orphans.")
@verbose_option
@db_option()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per check.")
@handle_errors
def doctor(db_path: str, as_json: bool) -> int:
    """Check the database without changing it: SQLite's integrity check, facts whose document or
    sentence is gone, stored sentences no fact quotes, the full-text index against the documents,
    the schema version, and the size of the write-ahead log. Exits 1 when a check fails.

    Example:

    \b
        extractor doctor --db extractions.db
    """
    findings = diagnose(db_path)
    if as_json:
        for f in findings:
            click.echo(json.dumps({"check": f.check, "status": f.status, "detail": f.detail}))
    else:
        table = Table(title=f"extractor doctor: {db_path}")
        for column in ("check", "status", "detail"):
            table.add_column(column)
        for f in findings:
            table.add_row(f.check, f.status, f.detail)
        Console().print(table)
    return EXIT_FAILED if any(f.status == "fail" for f in findings) else EXIT_OK
