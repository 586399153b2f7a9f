"""``extractor doctor`` on real database files: healthy ones pass, each kind of damage is named."""

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.store.schema import SCHEMA_VERSION


def _doctor(db):
    result = CliRunner().invoke(cli, ["doctor", "--db", str(db), "--json"])
    return result.exit_code, {f["check"]: f for f in map(json.loads, result.stdout.splitlines())}


@pytest.fixture
def copy(samples_db, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(samples_db, db)
    return db


def test_a_healthy_database_passes_every_check(copy):
    code, findings = _doctor(copy)
    assert code == 0
    assert {c: f["status"] for c, f in findings.items()} == {
        "schema version": "ok", "integrity": "ok", "orphaned rows": "ok", "unused sentences": "ok",
        "full-text index": "ok", "write-ahead log": "ok",
    }


def test_orphaned_facts_and_unused_sentences_fail(copy):
    conn = sqlite3.connect(copy)
    conn.execute("pragma foreign_keys = off")
    conn.execute("delete from documents where id = (select min(id) from documents)")  # its facts stay behind
    conn.execute("insert into sentences (document_id, text) values ((select max(id) from documents), 'quoted by nobody')")
    conn.commit()
    conn.close()
    code, findings = _doctor(copy)
    assert code == 1
    assert findings["orphaned rows"]["status"] == "fail" and "mentions_data" in findings["orphaned rows"]["detail"]
    assert findings["unused sentences"]["status"] == "fail"


def test_a_full_text_index_out_of_step_fails(copy):
    conn = sqlite3.connect(copy)
    conn.execute("drop trigger documents_au")  # updates no longer reach the index
    conn.execute("update documents set text = 'nothing of the kind' where id = (select min(id) from documents)")
    conn.commit()
    conn.close()
    code, findings = _doctor(copy)
    assert code == 1 and findings["full-text index"]["status"] == "fail"
    assert findings["integrity"]["status"] == "ok"


def test_schema_versions_older_warn_newer_fail(copy, tmp_path):
    old = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "schema-v4.db", old)
    before = old.read_bytes()
    code, findings = _doctor(old)
    assert code == 0 and findings["schema version"]["status"] == "warn"
    assert old.read_bytes() == before  # checking never migrates or writes
    conn = sqlite3.connect(copy)
    conn.execute(f"pragma user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    code, findings = _doctor(copy)
    assert code == 1 and findings["schema version"]["status"] == "fail"


def test_a_file_that_is_not_a_database_is_one_line(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("not sqlite at all " * 100, encoding="utf-8")
    result = CliRunner().invoke(cli, ["doctor", "--db", str(bogus)])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "notes.db" in result.stderr
    result = CliRunner().invoke(cli, ["doctor", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 1 and "no such database" in result.stderr
