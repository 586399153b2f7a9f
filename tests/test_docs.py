"""Docs that tests check: the README names every command, table, column and rule label, and its
SQL examples run against the samples database."""

import json
import re
import sqlite3
from pathlib import Path

import pytest

from extractor.cli import cli
from extractor.store.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_documented_and_has_help(name):
    assert f"extractor {name}" in README
    assert (cli.commands[name].help or "").strip()


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_and_column_is_documented(table):
    row = next((line for line in README.splitlines() if line.startswith(f"| `{table}` |")), None)
    assert row is not None, f"README has no row for {table}"
    for column in TABLES[table]:
        assert f"`{column}`" in row, f"{table}.{column} is not documented"


def test_every_rule_label_is_documented():
    labels = json.loads((ROOT / "rules" / "labels.json").read_text(encoding="utf-8"))
    missing = [label for label in labels if f"`{label}`" not in README]
    assert missing == []


def _sql_blocks():
    for block in re.findall(r"```sql\n(.*?)```", README, re.S):
        for statement in block.split(";"):
            lines = [line for line in statement.strip().splitlines() if not line.startswith("--")]
            if lines:
                yield "\n".join(lines)


#: A value each README query must return from the samples, in the order the queries appear.
EXPECTED = ["ALLO-316", "ORR", "NCT04696731", "ALLO-316", "TRAVERSE", "RESOLUTION", "Allogene"]


def test_readme_has_the_expected_queries():
    assert len(list(_sql_blocks())) == len(EXPECTED)


@pytest.mark.parametrize("sql, expected", list(zip(_sql_blocks(), EXPECTED, strict=False)))
def test_readme_queries_return_what_they_say(samples_db, sql, expected):
    conn = sqlite3.connect(samples_db)
    try:
        rows = conn.execute(sql).fetchall()
    finally:
        conn.close()
    assert any(expected in str(value) for row in rows for value in row), f"{expected!r} not in the rows of:\n{sql}"


def test_readme_example_outputs_are_what_the_commands_print():
    """The generated README blocks are regenerated from their commands and compared (no drift)."""
    import subprocess
    import sys

    script = Path(__file__).parents[1] / "scripts" / "readme_examples.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, "README examples are stale; run `python scripts/readme_examples.py`:\n" + done.stdout[-3000:]
