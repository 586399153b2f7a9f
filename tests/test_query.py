"""The read path: the read-only SQL guard, show, search, export, views and Datasette metadata.

Runs on a real database built from samples/articles by the real pipeline.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import time
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from extractor import pipeline
from extractor import query as q
from extractor.cli import cli
from extractor.errors import QueryError, StoreError
from extractor.store.views import VIEWS, ensure_views

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "articles"


@pytest.fixture(scope="session")
def samples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("query") / "samples.db"
    report = pipeline.run([str(SAMPLES)], path)
    assert report.stored > 0
    ensure_views(sqlite_utils.Database(path))  # idempotent if Store.ensure_schema already did
    return path


def fingerprint(path: Path) -> tuple[int, ...]:
    conn = sqlite3.connect(path)
    try:
        counts = tuple(conn.execute(f"select count(*) from [{t}]").fetchone()[0] for t in (*q.EXPORT_TABLES, "failures"))
        schema = conn.execute("select count(*) from sqlite_master").fetchone()[0]
        return (*counts, schema)
    finally:
        conn.close()


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# -- the guard -----------------------------------------------------------------------------
HOSTILE = [
    "INSERT INTO documents (source, text, content_hash) VALUES ('x', 'y', 'z')",
    "insert or replace into failures (source, stage, error, at) values ('a', 'b', 'c', 'd')",
    "REPLACE INTO failures (source, stage, error, at) VALUES ('a', 'b', 'c', 'd')",
    "UPDATE documents SET title = 'pwned'",
    "DELETE FROM mentions",
    "DROP TABLE mentions",
    "CREATE TABLE evil (x)",
    "ALTER TABLE documents ADD COLUMN evil",
    "ATTACH DATABASE '/tmp/evil.db' AS evil",
    "DETACH DATABASE main",
    "PRAGMA writable_schema=1",
    "pragma journal_mode=delete",
    "SELECT * FROM pragma_table_info('documents')",
    "SELECT load_extension('x')",
    "select LOAD_EXTENSION('/tmp/evil.so', 'init')",
    "VACUUM",
    "VACUUM INTO '/tmp/copy.db'",
    "WITH x AS (SELECT 1) INSERT INTO failures (source, stage, error, at) SELECT 'a', 'b', 'c', 'd' FROM x",
    "WITH x AS (SELECT 1) DELETE FROM mentions WHERE id IN (SELECT * FROM x)",
    "WITH x AS (SELECT 1) UPDATE documents SET title = 'x'",
    "SELECT 1; DROP TABLE documents",
    "SELECT 1; SELECT 2",
    "SELECT 1;; ATTACH 'x' AS y",
    "select 1 /* unterminated",
    "select 'unterminated",
    "BEGIN; DELETE FROM mentions; COMMIT",
    "EXPLAIN SELECT 1",
    "",
]


@pytest.mark.parametrize("sql", HOSTILE)
def test_guard_refuses_hostile_statements(samples_db: Path, sql: str) -> None:
    before = fingerprint(samples_db)
    with pytest.raises(QueryError) as info:
        q.run_query(samples_db, sql)
    assert "\n" not in str(info.value)
    assert fingerprint(samples_db) == before


@pytest.mark.parametrize(
    "sql",
    [
        "ATTACH DATABASE '/tmp/evil.db' AS evil",
        "PRAGMA writable_schema=1",
        "SELECT load_extension('x')",
        "INSERT INTO failures (source, stage, error, at) VALUES ('a', 'b', 'c', 'd')",
        "WITH x AS (SELECT 1) INSERT INTO failures (source, stage, error, at) SELECT 'a', 'b', 'c', 'd' FROM x",
        "CREATE TEMP TABLE t (x)",
        "BEGIN",
    ],
)
def test_authorizer_refuses_even_when_the_text_check_is_bypassed(
    samples_db: Path, sql: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extractor.query import guard

    monkeypatch.setattr(guard, "check_sql", lambda s: s)
    before = fingerprint(samples_db)
    with pytest.raises(QueryError, match="not allowed|not authorized|readonly|read-only"):
        q.run_query(samples_db, sql)
    assert fingerprint(samples_db) == before


def test_runaway_recursive_cte_stops_at_the_time_limit(samples_db: Path) -> None:
    sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"
    started = time.monotonic()
    with pytest.raises(QueryError, match="time limit"):
        q.run_query(samples_db, sql, time_limit=0.3)
    assert time.monotonic() - started < 3


def test_keywords_inside_strings_comments_and_names_are_fine(samples_db: Path) -> None:
    result = q.run_query(
        samples_db,
        "select 'drop table x; insert' as \"delete\", replace('a;b', ';', ',') as r -- ; attach\n",
    )
    assert result.rows == [("drop table x; insert", "a,b")]
    assert q.run_query(samples_db, "select 1;").rows == [(1,)]


def test_select_with_named_parameter(samples_db: Path) -> None:
    result = q.run_query(
        samples_db,
        "select drug, trial, metric, percent, n, total from responses where drug = :drug",
        {"drug": "ALLO-316"},
    )
    assert result.columns == ["drug", "trial", "metric", "percent", "n", "total"]
    assert ("ALLO-316", "TRAVERSE", "ORR", 38.0, 3, 8) in result.rows
    assert not result.truncated


def test_full_text_search_works_through_the_guard(samples_db: Path) -> None:
    result = q.run_query(
        samples_db,
        "select d.source from documents_fts f join documents d on d.id = f.rowid where documents_fts match :q",
        {"q": "TRAVERSE"},
    )
    assert [r[0].rsplit("/", 1)[-1] for r in result.rows] == ["allogene-allo-329-allo-316.html"]


def test_missing_parameter_is_a_query_error(samples_db: Path) -> None:
    with pytest.raises(QueryError, match="drug"):
        q.run_query(samples_db, "select * from responses where drug = :drug")


def test_row_cap_truncates(samples_db: Path) -> None:
    result = q.run_query(samples_db, "select id from mentions", limit=5)
    assert len(result.rows) == 5
    assert result.truncated
    default = q.run_query(samples_db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c")
    assert len(default.rows) == q.DEFAULT_ROW_LIMIT and default.truncated


def test_query_cli_formats_and_exit_codes(samples_db: Path) -> None:
    db = str(samples_db)
    result = invoke("query", "select drug, percent from responses where drug = :d", "-p", "d=ALLO-316", "--format", "json", "--db", db)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"drug": "ALLO-316", "percent": 38.0}]
    result = invoke("query", "select id from mentions order by id", "--limit", "3", "--format", "csv", "--db", db)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["id", "1", "2", "3"]
    assert "truncated" in result.stderr
    result = invoke("query", "DROP TABLE mentions", "--db", db)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:") and len(result.stderr.strip().splitlines()) == 1
    result = invoke("query", "select 1", "--db", str(samples_db.parent / "missing.db"))
    assert result.exit_code == 1


def test_query_limits_hold_and_every_option_is_validated(samples_db: Path) -> None:
    """Issue 9, item 5: --timeout nan disabled the limit, --limit 1e23 crashed, 49 MB strings ran past it."""
    db = str(samples_db)
    for option, value in (("--timeout", "nan"), ("--timeout", "inf"), ("--limit", "100000000000000000000000")):
        result = invoke("query", "select 1", option, value, "--db", db)
        assert result.exit_code == 1, (option, value, result.output)
        assert "Error:" in result.stderr and "Traceback" not in result.output
    with pytest.raises(QueryError, match="--timeout"):
        q.run_query(samples_db, "select 1", time_limit=float("nan"))
    # one value is at most MAX_VALUE_BYTES: SQLite refuses to build a longer one instead of building it
    with pytest.raises(QueryError, match="too big"):
        q.run_query(samples_db, "select zeroblob(:n)", {"n": q.MAX_VALUE_BYTES + 1})
    # a whole result is at most MAX_RESULT_BYTES, checked as rows arrive
    with pytest.raises(QueryError, match="larger than"):
        q.run_query(samples_db, "with r(i) as (select 1 union all select i + 1 from r limit 30) "
                    "select zeroblob(:n) from r", {"n": q.MAX_VALUE_BYTES}, limit=30)


# -- show ----------------------------------------------------------------------------------
def test_show_drug_code(samples_db: Path) -> None:
    result = invoke("show", "ALLO-316", "--db", str(samples_db))
    assert result.exit_code == 0, result.output
    out = result.stdout
    for expected in ("CD70", "TRAVERSE", "NCT04696731", "38%", "3/8", "Allogene Therapeutics", "renal cell carcinoma", "2025-01-16"):
        assert expected in out, expected
    assert "allogene-allo-329-allo-316.html" in out
    assert "objective response rate (ORR) was 38% (3/8)" in out  # evidence sentence


def test_show_marks_relations_beyond_a_sentence_and_can_leave_them_out(samples_db: Path) -> None:
    full = q.profile(samples_db, "ALLO-316")
    strict = q.profile(samples_db, "ALLO-316", same_sentence=True)
    company = full.sections["company"]
    assert [f.basis for f in company] == ["document"]  # the issuer, tied by the release as a whole
    assert strict.sections["company"] == [] and strict.values("targets") == ["CD70"]
    out = invoke("show", "ALLO-316", "--db", str(samples_db)).stdout
    assert "Allogene Therapeutics [document]" in out
    out = invoke("show", "ALLO-316", "--db", str(samples_db), "--same-sentence").stdout
    assert "Allogene Therapeutics" not in out and "CD70" in out


@pytest.mark.parametrize("name", ["allo316", "ALLO 316", "allo-316"])
def test_show_resolves_spellings(samples_db: Path, name: str) -> None:
    result = invoke("show", name, "--db", str(samples_db))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ALLO-316")
    assert "TRAVERSE" in result.stdout


def test_show_code_alias_brand_target_and_trial(samples_db: Path) -> None:
    amg = q.profile(samples_db, "amg510")
    assert (amg.kind, amg.name) == ("drug", "AMG 510")  # the code as the release writes it
    brand = q.profile(samples_db, "Lumakras")
    assert (brand.kind, brand.name) == ("drug", "sotorasib")
    assert "KRAS" in brand.values("targets")
    for name in ("BCMA", "TNFRSF17"):
        target = q.profile(samples_db, name)
        assert (target.kind, target.name) == ("target", "TNFRSF17")
        assert "BCMA" in target.aliases
        assert "CDM-401" in target.values("drugs")
    trial = q.profile(samples_db, "traverse")
    assert (trial.kind, trial.name) == ("trial", "TRAVERSE")
    assert "NCT04696731" in trial.values("NCT ids")
    assert "ALLO-316" in trial.values("drugs")


def test_show_unknown_name_suggests_and_exits_1(samples_db: Path) -> None:
    result = invoke("show", "ALLO-3166", "--db", str(samples_db))
    assert result.exit_code == 1
    assert "No drug, target, trial, company or disease called 'ALLO-3166'" in result.stderr
    assert "ALLO-316" in result.stderr
    with pytest.raises(q.UnknownName) as info:
        q.profile(samples_db, "sotorasibb")
    assert info.value.suggestions[0] == "sotorasib"


def test_show_json(samples_db: Path) -> None:
    result = invoke("show", "ALLO-316", "--json", "--db", str(samples_db))
    data = json.loads(result.stdout)
    assert data["name"] == "ALLO-316"
    assert "CD70" in [f["value"] for f in data["sections"]["targets"]]


# -- search --------------------------------------------------------------------------------
def test_search_lists_hits_with_facts(samples_db: Path) -> None:
    result = invoke("search", "CD70 renal", "--db", str(samples_db))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Allogene" in out and "2025-01-16" in out
    assert "allogene-allo-329-allo-316.html" in out
    assert "ALLO-316" in out and "TRAVERSE" in out
    hits = q.search(samples_db, "CD70 renal")
    assert "allogene-allo-329-allo-316.html" in hits[0].source
    assert "CD70" in hits[0].facts["TARGET"]


def test_search_is_safe_with_fts_syntax(samples_db: Path) -> None:
    # FTS syntax in a user's words is quoted away, not executed: the Allogene article is still found
    assert q.fts_query('ALLO-316 "(* NEAR') == '"ALLO-316" "NEAR"'
    hits = q.search(samples_db, 'ALLO-316 "(*')
    assert [h.source.rsplit("/", 1)[-1] for h in hits] == ["allogene-allo-329-allo-316.html"]
    result = invoke("search", "nosuchwordanywhere", "--db", str(samples_db))
    assert result.exit_code == 0 and "No documents match" in result.stdout


# -- export --------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_row_counts(samples_db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "export"
    result = invoke("export", "--db", str(samples_db), "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(samples_db)
    for table in q.EXPORT_TABLES:
        expected = conn.execute(f"select count(*) from [{table}]").fetchone()[0]
        path = out / f"{table}.{fmt}"
        with path.open(encoding="utf-8", newline="") as fh:
            if fmt == "jsonl":
                rows = [json.loads(line) for line in fh]
            else:
                rows = list(csv.DictReader(fh))
        assert len(rows) == expected > 0, table
        assert f"{table}: {expected} rows" in result.stderr  # plain progress lines off a terminal
    assert not (out / f"failures.{fmt}").exists()
    conn.close()


def test_export_missing_db_leaves_no_output_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        q.export(tmp_path / "nope.db", tmp_path / "out")
    assert not (tmp_path / "out").exists()
    result = invoke("export", "--db", str(tmp_path / "nope.db"), "--out", str(tmp_path / "out2"))
    assert result.exit_code == 1 and "no such database" in result.stderr
    assert not (tmp_path / "out2").exists()


def test_export_one_table_to_stdout(samples_db: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("export", "--db", str(samples_db), "--table", "responses", "--format", "csv", "--out", "-")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.stdout.splitlines()))
    conn = sqlite3.connect(samples_db)
    assert len(rows) == conn.execute("select count(*) from responses").fetchone()[0] > 0
    conn.close()
    assert not (tmp_path / "-").exists()  # no folder named "-"
    refused = invoke("export", "--db", str(samples_db), "--out", "-")
    assert refused.exit_code == 1 and "--table" in refused.stderr and not (tmp_path / "-").exists()


def test_export_selected_tables(samples_db: Path, tmp_path: Path) -> None:
    result = invoke("export", "--db", str(samples_db), "--table", "doses", "--out", str(tmp_path / "x"))
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["doses.jsonl"]


def test_serve_on_a_busy_port_fails_at_once_with_one_line(samples_db: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = invoke("serve", "--db", str(samples_db), "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: cannot serve on 127.0.0.1:{port}: Address already in use"]
    assert "Serving" not in result.output


def test_status_and_eval_refuse_what_they_cannot_report_on(samples_db: Path, tmp_path: Path) -> None:
    missing = invoke("status", "--db", str(tmp_path / "missing.db"))
    assert missing.exit_code == 1 and "no such database" in missing.stderr
    empty = invoke("status", "--db", str(samples_db))
    assert empty.exit_code == 0 and "no sources yet" in empty.stdout
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"source": "not-stored.txt", "DRUG_CODE": ["AB-123"]}) + "\n", encoding="utf-8")
    nothing = invoke("eval", str(gold), "--db", str(samples_db))
    assert nothing.exit_code == 1 and "none of the 1 gold documents is in the database" in nothing.stderr


# -- views and Datasette metadata ----------------------------------------------------------
def test_views(samples_db: Path) -> None:
    assert set(VIEWS) == set(q.VIEW_DESCRIPTIONS) == {"drug_names", "drug_summary", "drug_targets", "response_rates", "relation_evidence", "trials", "catalysts"}
    rows = q.run_query(samples_db, "select * from drug_summary where drug = 'ALLO-316'").as_dicts()
    assert "CD70" in rows[0]["targets"].split(", ") and "TRAVERSE" in rows[0]["trials"].split(", ")
    assert "Allogene Therapeutics" in rows[0]["company"] and rows[0]["latest"] == "2025-01-16"
    rows = q.run_query(samples_db, "select * from drug_targets where target = 'TNFRSF17'").as_dicts()
    assert rows[0]["drug"] == "CDM-401" and "BCMA" in rows[0]["target_text"]
    rows = q.run_query(samples_db, "select * from response_rates where drug = 'ALLO-316'").as_dicts()
    assert (rows[0]["percent"], rows[0]["n"], rows[0]["total"], rows[0]["dose_level"]) == (38.0, 3, 8, "DL2")
    assert rows[0]["arm"] == "investigational" and rows[0]["basis"] in ("clause", "sentence", "paragraph")
    rows = q.run_query(samples_db, "select * from relation_evidence where kind = 'drug_target' and head = 'ALLO-316'").as_dicts()
    assert rows and all(r["head_text"] in r["evidence"] and r["tail_text"] in r["evidence"] for r in rows)
    assert {r["same_sentence"] for r in rows} <= {0, 1} and any(r["tail_text"] == "CD70" for r in rows)
    rows = q.run_query(samples_db, "select * from trials where trial = 'TRAVERSE'").as_dicts()
    assert "NCT04696731" in rows[0]["nct_ids"] and "ALLO-316" in rows[0]["drugs"] and "1" in rows[0]["phases"].split(", ")
    ensure_views(sqlite_utils.Database(samples_db))  # idempotent


def test_datasette_metadata_and_canned_queries(samples_db: Path) -> None:
    meta = q.datasette_metadata(samples_db)
    json.dumps(meta)
    database = meta["databases"][samples_db.stem]
    assert set(database["queries"]) == {"drug_profile", "assets_by_target", "responses_by_drug", "upcoming_catalysts"}
    assert database["tables"]["mentions"]["facets"] == ["label", "section", "norm"]
    assert database["tables"]["relations"]["facets"] == ["kind", "section"]
    assert database["tables"]["drug_summary"]["sort_desc"] == "documents"
    assert database["tables"]["trials"]["facets"] == ["phases"]
    assert f'href="/{samples_db.stem}/drug_summary"' in meta["description_html"]
    assert "metric" in database["tables"]["responses"]["facets"]
    assert "drug_summary" in database["tables"]
    profile_rows = q.run_query(samples_db, q.CANNED_QUERIES["drug_profile"]["sql"], {"drug": "allo316"}).as_dicts()
    values = {r["value"] for r in profile_rows}
    assert {"CD70", "TRAVERSE", "NCT04696731", "ORR 38%", "Allogene Therapeutics"} <= values
    assets = q.run_query(samples_db, q.CANNED_QUERIES["assets_by_target"]["sql"], {"target": "BCMA"}).as_dicts()
    assert ("TNFRSF17", "CDM-401") in [(r["target"], r["drug"]) for r in assets]
    responses = q.run_query(samples_db, q.CANNED_QUERIES["responses_by_drug"]["sql"], {"drug": "VYR-1802"}).as_dicts()
    assert responses[0]["dose_level"] == "DL2"


def test_every_sql_example_in_the_docs_runs(samples_db: Path) -> None:
    import re

    text = (ROOT / "docs" / "querying.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", text, re.DOTALL)
    assert len(blocks) >= 5
    for sql in blocks:
        result = q.run_query(samples_db, sql)
        assert result.rows, sql
    for name in VIEWS:
        assert f"### {name}" in text
    for name in q.CANNED_QUERIES:
        assert f"`{name}`" in text


def test_reads_beside_an_open_write_transaction(samples_db: Path) -> None:
    writer = sqlite3.connect(samples_db, timeout=5)
    try:
        writer.execute("begin immediate")
        writer.execute("insert into failures (source, stage, error, at) values ('x', 'read', 'e', 'now')")
        result = q.run_query(samples_db, "select count(*) from failures")
        assert result.rows == [(0,)]  # the uncommitted row is invisible, and nothing blocks
        assert q.profile(samples_db, "ALLO-316").name == "ALLO-316"
    finally:
        writer.rollback()
        writer.close()


# -- drug aliases: names drug_alias relations equate are one drug ---------------------------
ALIAS_ARTICLES = {
    "lumakras.txt": "FDA Approves LUMAKRAS for Lung Cancer\n\n"
    "THOUSAND OAKS, Calif., May 28, 2021 -- Amgen (NASDAQ: AMGN) today announced that the FDA approved "
    "LUMAKRAS (sotorasib) for adults with KRAS G12C-mutated non-small cell lung cancer.\n",
    "codebreak.txt": "Amgen Presents CodeBreaK 100 Data\n\n"
    "THOUSAND OAKS, Calif., June 4, 2021 -- Amgen (NASDAQ: AMGN) today presented new data. "
    "Sotorasib (AMG 510) is a KRAS G12C inhibitor tested in the CodeBreaK 100 trial. "
    "The objective response rate was 37% (46/124).\n",
    "dosing.txt": "Amgen Doses First Patient in New Study\n\n"
    "THOUSAND OAKS, Calif., July 1, 2021 -- Amgen (NASDAQ: AMGN) today announced that the first patient "
    "received AMG 510 at 960 mg daily in a new combination study.\n",
}


@pytest.fixture(scope="module")
def alias_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("alias_articles")
    for name, text in ALIAS_ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = folder.parent / "alias.db"
    report = pipeline.run([str(folder)], path)
    assert report.stored == len(ALIAS_ARTICLES)
    conn = sqlite3.connect(path)
    try:
        aliases = conn.execute("select head, tail from relations where kind = 'drug_alias'").fetchall()
        doses = conn.execute("select drug, amount, unit from doses").fetchall()
    finally:
        conn.close()
    # the premise: one document equates the INN and the code; the others use one name each
    assert aliases == [("sotorasib", "AMG 510")]
    assert ("AMG 510", 960.0, "mg") in doses
    return path


def test_alias_groups_are_transitive_and_cross_documents(alias_db: Path) -> None:
    conn = q.connect_readonly(alias_db)
    try:
        assert q.drug_groups(conn) == {"sotorasib": ["AMG 510", "sotorasib"], "AMG 510": ["AMG 510", "sotorasib"]}
        assert q.drug_group(conn, "AMG 510") == ["sotorasib", "AMG 510"]  # the INN is shown first
        assert q.drug_group(conn, "NOT-A-DRUG") == ["NOT-A-DRUG"]
        for name in ("AMG 510", "amg-510", "sotorasib", "LUMAKRAS", "lumakras"):
            assert q.resolve(conn, name) == [q.Entity("drug", "sotorasib")], name
    finally:
        conn.close()
    # a chain a-b, b-c across documents is one drug of three names
    chain = sqlite3.connect(":memory:")
    chain.execute("create table relations (kind, head, tail)")
    chain.execute("create table mentions (label, norm, text, document_id)")
    chain.executemany(
        "insert into relations values ('drug_alias', ?, ?)",
        [("vonsetamig", "AUR-821"), ("XYZ-9", "AUR-821"), ("ABC-1", "ABC-2")],
    )
    groups = q.drug_groups(chain)
    assert groups["vonsetamig"] == groups["XYZ-9"] == ["AUR-821", "XYZ-9", "vonsetamig"]
    assert groups["ABC-1"] == ["ABC-1", "ABC-2"]
    chain.executemany(
        "insert into mentions values (?, ?, ?, ?)",
        [("DRUG_NAME", "vonsetamig", "vonsetamig", 1), ("DRUG_CODE", "ABC-2", "ABC 2", 1), ("DRUG_CODE", "ABC-2", "ABC 2", 2)],
    )
    assert q.drug_group(chain, "XYZ-9", groups)[0] == "vonsetamig"  # an INN before any code
    assert q.drug_group(chain, "ABC-1", groups)[0] == "ABC-2"  # then the most mentioned


def test_show_merges_every_name_of_a_drug(alias_db: Path) -> None:
    db = str(alias_db)
    result = invoke("show", "AMG-510", "--db", db)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("sotorasib  (drug, 3 documents)")
    for expected in ("KRAS", "CODEBREAK-100", "960 mg", "daily", "ORR 37%", "46/124", "Amgen", "lung non-small cell carcinoma"):
        assert expected in out, expected
    aliases_line = next(line for line in out.splitlines() if line.startswith("aliases:"))
    for alias in ("AMG 510", "LUMAKRAS", "Sotorasib"):
        assert alias in aliases_line, alias
    assert "also a drug" not in out  # the other names are not listed as other drugs
    for name in ("lumakras", "sotorasib", "AMG 510", "amg510"):
        other = invoke("show", name, "--db", db)
        assert other.exit_code == 0, other.output
        assert other.stdout == out, name  # one profile, whichever name is asked for

    p = q.profile(alias_db, "LUMAKRAS")
    assert (p.kind, p.name, p.documents) == ("drug", "sotorasib", 3)
    assert p.values("targets") == ["KRAS"] and p.values("trials") == ["CODEBREAK-100"]
    assert p.values("doses") == ["960 mg"] and p.values("responses") == ["ORR 37%"]
    assert len(p.values("company")) == 3  # Amgen once per document, though recorded under both names
    assert p.also == []


def test_unknown_names_targets_and_trials_are_unchanged_by_aliases(alias_db: Path) -> None:
    with pytest.raises(q.UnknownName):
        q.profile(alias_db, "AMG-511x")
    target = q.profile(alias_db, "KRAS")
    assert (target.kind, target.name) == ("target", "KRAS") and "AMG 510" in target.values("drugs")
    trial = q.profile(alias_db, "CodeBreaK 100")
    assert (trial.kind, trial.name) == ("trial", "CODEBREAK-100")


def test_canned_queries_and_drug_summary_count_an_alias_group_once(alias_db: Path) -> None:
    for name in ("lumakras", "AMG 510", "sotorasib"):
        rows = q.run_query(alias_db, q.CANNED_QUERIES["drug_profile"]["sql"], {"drug": name}).as_dicts()
        facts = {(r["fact"], r["value"]) for r in rows}
        assert {("target", "KRAS"), ("trial", "CODEBREAK-100"), ("dose", "960 mg"), ("response", "ORR 37%"),
                ("company", "Amgen"), ("alias", "AMG 510")} <= facts, name
        responses = q.run_query(alias_db, q.CANNED_QUERIES["responses_by_drug"]["sql"], {"drug": name}).as_dicts()
        assert [(r["metric"], r["percent"], r["drug"]) for r in responses] == [("ORR", 37.0, "AMG 510")], name
    rows = q.run_query(alias_db, "select * from drug_summary").as_dicts()
    assert len(rows) == 1
    row = rows[0]
    assert (row["drug"], row["label"], row["documents"], row["aliases"]) == ("sotorasib", "DRUG_NAME", 3, "AMG 510")
    assert (row["targets"], row["trials"], row["company"], row["latest"]) == ("KRAS", "CODEBREAK-100", "Amgen", "2021-07-01")
    assert row["indications"] == "lung cancer, lung non-small cell carcinoma"


def test_query_reads_sql_from_a_file_or_stdin_and_prints_every_format(samples_db: Path, tmp_path: Path) -> None:
    sql = "select label, count(*) as n from mentions group by label order by label"
    expected = sqlite3.connect(samples_db).execute(sql).fetchall()
    (tmp_path / "q.sql").write_text(sql, encoding="utf-8")
    runner = CliRunner()
    tsv = runner.invoke(cli, ["query", f"@{tmp_path / 'q.sql'}", "--db", str(samples_db), "--format", "tsv", "--no-headers"])
    assert tsv.exit_code == 0, tsv.output
    assert [tuple(line.split("\t")) for line in tsv.stdout.splitlines()] == [(label, str(n)) for label, n in expected]
    piped = runner.invoke(cli, ["query", "-", "--format", "jsonl"], input=sql, env={"EXTRACTOR_DB": str(samples_db)})
    assert piped.exit_code == 0, piped.output
    assert [(r["label"], r["n"]) for r in map(json.loads, piped.stdout.splitlines())] == expected
    missing = runner.invoke(cli, ["query", f"@{tmp_path / 'nope.sql'}", "--db", str(samples_db)])
    assert missing.exit_code == 1 and "cannot read" in missing.stderr


def test_every_command_takes_the_database_from_extractor_db(samples_db: Path) -> None:
    runner = CliRunner(env={"EXTRACTOR_DB": str(samples_db)})
    assert runner.invoke(cli, ["show", "ALLO-316"]).exit_code == 0
    assert runner.invoke(cli, ["status"]).exit_code == 0
    assert "EXTRACTOR_DB" in runner.invoke(cli, ["crawl", "--help"]).output


def test_help_keeps_examples_whole_and_summaries_complete(tmp_path: Path) -> None:
    runner = CliRunner()
    listing = runner.invoke(cli, ["--help"], terminal_width=80).output
    assert "query      Run one read-only SELECT statement." in listing
    assert "..." not in listing.split("Commands:")[1]  # no summary cut short
    fetch = runner.invoke(cli, ["fetch", "--help"], terminal_width=80).output
    assert "https://ir.example.com/news/news-details/2026/x/default.aspx" in fetch  # not wrapped mid-URL
    assert "``" not in runner.invoke(cli, ["serve", "--help"], terminal_width=80).output


def test_verbose_after_the_command_logs_the_run(tmp_path: Path, caplog) -> None:
    src = Path(__file__).parents[1] / "samples" / "articles" / "corvane-crv-3110-attr-cm-phase3-start.txt"
    result = CliRunner().invoke(cli, ["run", str(src), "--db", str(tmp_path / "x.db"), "-q", "-v", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "pipeline built in" in caplog.text and "batch written: 1 stored" in caplog.text  # pytest holds the log handler


def test_show_is_one_screen_by_default_and_every_fact_with_all(samples_db: Path) -> None:
    top = sqlite3.connect(samples_db).execute(
        "select head, count(*) n from relations where kind = 'drug_trial' group by head order by n desc limit 1"
    ).fetchone()[0]
    profile = invoke("show", top, "--db", str(samples_db), "--limit", "1", "--no-evidence").stdout
    every = invoke("show", top, "--db", str(samples_db), "--all", "--no-evidence").stdout
    sections = [line for line in profile.splitlines() if not line.startswith((" ", top))]
    values = [line for line in profile.splitlines() if line.startswith("  ") and not line.startswith("  …")]
    assert len(values) <= len(sections)  # at most one value per section with --limit 1
    assert len(every.splitlines()) > len(profile.splitlines())
    later = invoke("show", top, "--db", str(samples_db), "--since", "2100-01-01").stdout
    assert "none found" in later and "doc," not in later


def test_a_fact_a_document_states_twice_is_listed_once() -> None:
    headline = q.Fact("ORR 38%", "3/8", "a.html", "2025-01-16", "Headline: ORR of 38%", 1)
    body = q.Fact("ORR 38%", "3/8", "a.html", "2025-01-16", "In the body, ORR was 38% (3/8).", 1)
    other = q.Fact("ORR 38%", "3/8", "b.html", "2025-02-01", "Another release repeats it.", 2)
    from extractor.query.profiles import _newest_first

    assert len(_newest_first([headline, body, other])) == 2
    (summary,) = q.summarize([headline, body, other])
    assert (summary.documents, summary.newest) == (2, "2025-02-01")


def test_show_a_company_lists_its_pipeline_and_a_disease_its_drugs_and_trials(samples_db: Path) -> None:
    company = q.profile(samples_db, "Allogene")
    assert (company.kind, company.name) == ("company", "Allogene Therapeutics")
    assert {"ALLO-316", "ALLO-329"} <= set(company.values("pipeline"))
    assert {"TRAVERSE", "RESOLUTION"} <= set(company.values("trials"))
    disease = q.profile(samples_db, "renal cell carcinoma")
    assert disease.kind == "indication" and "ALLO-316" in disease.values("drugs")
    assert "TRAVERSE" in disease.values("trials")
    assert any(f.value == "ORR 38%" for f in disease.sections["responses"])  # the rate of its trial
    out = invoke("show", "Allogene", "--db", str(samples_db), "--no-evidence").stdout
    assert "(company," in out and "pipeline" in out and "ALLO-329 (CD19, CD70)" in out


def test_a_profile_shows_a_target_as_its_own_document_writes_it(tmp_path: Path) -> None:
    """Issue 10: `show sotorasib` listed another document's "KRAS G12D" spelling of KRAS."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Acme Bio doses first patient\n\nAcme Bio dosed the first patient with AB-101, a KRAS G12C "
                                  "inhibitor, in lung cancer.", encoding="utf-8")
    (folder / "b.txt").write_text("Brill Pharma starts study\n\nBrill Pharma began a study of ZZ-202, a KRAS G12D inhibitor, "
                                  "in pancreatic cancer.", encoding="utf-8")
    db = tmp_path / "x.db"
    pipeline.run([str(folder)], db)
    result = invoke("show", "AB-101", "--db", str(db))
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.strip().startswith("KRAS"))
    assert "G12C" in line and "G12D" not in line


def test_views_merge_a_drugs_aliases_for_facets(alias_db: Path) -> None:
    """Issue 10: aliases merged in Datasette facets: AMG 510 and sotorasib are one drug in every view."""
    names = q.run_query(alias_db, "select norm, drug from drug_names order by norm").rows
    assert names == [("AMG 510", "sotorasib"), ("sotorasib", "sotorasib")]
    targets = q.run_query(alias_db, "select drug, target from drug_targets where target = 'KRAS'").rows
    assert targets == [("sotorasib", "KRAS")]
    rates = q.run_query(alias_db, "select distinct drug, drug_as_written from response_rates where drug_as_written is not null").rows
    assert all(drug == "sotorasib" for drug, _ in rates) and ("sotorasib", "AMG 510") in rates
