"""``run --dask`` / ``reprocess --dask`` on a real Dask ``LocalCluster`` on 127.0.0.1: the cluster
cleans and extracts, this process writes, and the database equals a one-process run's."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import pipeline
from extractor.cli import cli

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed (pip install 'extractor[dask]')")

SAMPLES = Path(__file__).parents[1] / "samples" / "articles"
TABLES = ("documents", "mentions", "doses", "responses", "relations", "events", "failures")


def _rows(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        out = {}
        for table in TABLES:
            columns = [r[1] for r in conn.execute(f"pragma table_info([{table}])") if r[1] not in ("id", "extracted_at", "at")]
            out[table] = conn.execute(f"select {', '.join(f'[{c}]' for c in columns)} from [{table}] order by rowid").fetchall()
        return out
    finally:
        conn.close()


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=40) as local:
        yield local.scheduler_address


def test_a_dask_cluster_stores_the_same_database_as_one_process(tmp_path, cluster):
    src = tmp_path / "in"
    shutil.copytree(SAMPLES, src)
    (src / "broken.html").write_bytes(b"\x00\x01\x02" * 10)
    local, remote = tmp_path / "local.db", tmp_path / "dask.db"
    one = pipeline.run([src], local, workers=1)
    report = pipeline.run([src], remote, dask=cluster)
    assert (report.read, report.stored, report.failed) == (one.read, one.stored, one.failed) == (20, 19, 1)
    assert _rows(remote) == _rows(local)
    assert sum(len(rows) for rows in _rows(remote).values()) > 500  # the samples hold hundreds of facts
    again = pipeline.reprocess(remote, every=True, dask=cluster)  # re-extraction from the stored text, on the cluster
    assert (again.read, again.stored) == (19, 19)
    assert _rows(remote)["events"] == _rows(local)["events"]


def test_the_cli_runs_on_the_cluster(tmp_path, cluster):
    db = tmp_path / "x.db"
    result = CliRunner().invoke(cli, ["run", str(SAMPLES), "--db", str(db), "--dask", cluster, "-q"])
    assert result.exit_code == 0, result.output
    assert "19" in result.output
    assert sqlite3.connect(db).execute("select count(*) from documents").fetchone() == (19,)


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["run", str(SAMPLES), "--db", str(tmp_path / "x.db"), "--dask", "tcp://127.0.0.1:9", "-q"])
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert not sqlite3.connect(tmp_path / "x.db").execute("select count(*) from documents").fetchone()[0]
