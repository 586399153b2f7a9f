"""Issue 9: kill -9 in the middle of ``extractor run``, at 20 and more points; each time, running
again to completion gives the database of a run that was never interrupted, row for row.

The corpus is samples/articles plus edited copies of its files (about 100 inputs: two batches of
writes), two exact copies (duplicates) and one unreadable file (a failure row). The uninterrupted
run is timed first: from the moment its database file appears to its first commit, and from that
commit to its exit; the kills are spread over both spans. A kill counts as landed when the process died of SIGKILL, not by exiting.
"""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from extractor.cli import cli
from extractor.store.schema import FACT_TABLES, TABLES

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles"
KILL_POINTS = 20  # landed kills required
MAX_ATTEMPTS = 34  # a kill that comes after the run's exit does not count; try again at another point
COPIES = 6  # edited copies of each single-article sample: 19 + 13 * 6 + 3 = 100 inputs
SEARCH_TERMS = ("CAR", "phase", "inhibitor", "approval")


def _corpus(folder: Path) -> int:
    """samples/articles, edited copies, exact copies and one bad file; returns the number of files."""
    shutil.copytree(SAMPLES, folder)
    singles = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md", ".html"))
    for copy in range(1, COPIES + 1):
        note = f"This is reprint {copy} of the release, issued again for the record."
        for path in singles:
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".html" and "</body>" in text:
                text = text.replace("</body>", f"<p>{note}</p></body>", 1)
            else:
                text = text.rstrip("\n") + f"\n\n{note}\n"
            (folder / f"reprint-{copy:02d}-{path.name}").write_text(text, encoding="utf-8")
    for path in singles[:2]:
        shutil.copy(path, folder / f"zz-copy-{path.name}")  # the same content by another name: a duplicate
    (folder / "zz-bad.txt").write_bytes(b"\xff\xfe\xfa not text")  # a read failure
    return sum(1 for _ in folder.iterdir())


def _command(corpus: Path, db: Path) -> list[str]:
    # not -q: with stderr not a terminal, each committed document is a line "stored<TAB>source"
    return [sys.executable, "-m", "extractor", "run", str(corpus), "--db", str(db), "-w", "1"]


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 120.0) -> float | None:
    """When ``path`` appeared (perf_counter), or None if the process ended first."""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if path.exists():
            return time.perf_counter()
        if proc.poll() is not None:
            return None
        time.sleep(0.002)
    raise AssertionError(f"{path} did not appear within {timeout} s")


class Run:
    """One ``extractor run`` subprocess. Its progress lines are read as they come (when the database
    appeared, when each document was told stored); with ``kill=(after, delay)`` it gets SIGKILL
    ``delay`` seconds after its database appeared (``after`` 0) or after its ``after``-th stored line."""

    def __init__(self, corpus: Path, db: Path, kill: tuple[int, float] | None = None) -> None:
        self.db, self.kill = db, kill
        self.appeared: float | None = None
        self.stored_at: list[float] = []
        self.timer: threading.Timer | None = None
        self.proc = subprocess.Popen(_command(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.watcher = threading.Thread(target=self._watch_database, daemon=True)
        self.reader = threading.Thread(target=self._read_progress, daemon=True)
        self.watcher.start()
        self.reader.start()

    def _sigkill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)  # no effect once the process has exited (it is reaped only in wait)

    def _arm(self, delay: float) -> None:
        self.timer = threading.Timer(delay, self._sigkill)
        self.timer.start()

    def _watch_database(self) -> None:
        self.appeared = _wait_for(self.db, self.proc)
        if self.kill and self.kill[0] == 0 and self.appeared is not None:
            self._arm(self.kill[1])

    def _read_progress(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            if line.startswith(b"stored\t"):
                self.stored_at.append(time.perf_counter())
                if self.kill and len(self.stored_at) == self.kill[0]:
                    self._arm(self.kill[1])

    def wait(self) -> int:
        self.watcher.join()
        self.reader.join()  # end of stderr: the process has exited or was killed
        if self.timer is not None:
            self.timer.cancel()
        return self.proc.wait()

    def landed(self) -> bool:
        """Killed before it ended by itself."""
        return self.wait() == -signal.SIGKILL


def snapshot(db: Path) -> dict[str, object]:
    """The database's contents without row ids and timestamps, after checking it is sound and has no duplicates."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
        assert conn.execute("pragma foreign_key_check").fetchall() == []
        conn.execute("insert into documents_fts(documents_fts, rank) values ('integrity-check', 1)")
        conn.rollback()
        doc_columns = [c for c in TABLES["documents"] if c not in ("id", "extracted_at")]
        documents = conn.execute(f"select {', '.join(doc_columns)} from documents order by source").fetchall()
        sources = dict(conn.execute("select id, source from documents").fetchall())
        assert len(set(sources.values())) == len(sources), "a source stored twice"
        hashes = [r for (r,) in conn.execute("select content_hash from documents")]
        assert len(set(hashes)) == len(hashes), "the same content stored twice"
        out: dict[str, object] = {"documents": documents}
        for table in FACT_TABLES:
            columns = [c for c in TABLES[table] if c != "id"]
            rows = conn.execute(f"select {', '.join(f'[{c}]' for c in columns)} from [{table}]").fetchall()
            at = columns.index("document_id")
            out[table] = Counter(tuple(sources[v] if i == at else v for i, v in enumerate(row)) for row in rows)
        failures = conn.execute("select source, stage, error from failures order by source").fetchall()
        assert len({f[0] for f in failures}) == len(failures), "a failure recorded twice"
        out["failures"] = failures
        out["search"] = {
            term: sorted(sources[r] for (r,) in conn.execute("select rowid from documents_fts where documents_fts match ?", [term]))
            for term in SEARCH_TERMS
        }
        return out
    finally:
        conn.close()


def _converges(db: Path, corpus: Path, reference: dict[str, object]) -> int:
    """Run again to completion (the CLI, in this process) and compare with the reference; the documents stored before."""
    before = 0
    if db.exists():
        conn = sqlite3.connect(db)
        try:
            before = conn.execute("select count(*) from documents").fetchone()[0] if conn.execute(
                "select 1 from sqlite_master where name = 'documents'").fetchone() else 0
        finally:
            conn.close()
    result = CliRunner().invoke(cli, ["run", str(corpus), "--db", str(db), "-w", "1", "-q"])
    assert result.exit_code == 1, result.output  # 1: the bad file failed, as in the reference run
    got = snapshot(db)
    for key, want in reference.items():
        assert got[key] == want, f"{db.name}: {key} differs from the uninterrupted run's"
    return before


def test_kill_9_at_20_points_then_a_rerun_gives_the_uninterrupted_database(tmp_path, extractor):
    corpus = tmp_path / "corpus"
    files = _corpus(corpus)

    ref_db = tmp_path / "reference.db"
    ref = Run(corpus, ref_db)
    assert ref.wait() == 1  # 1: the bad file failed
    ended = time.perf_counter()
    reference = snapshot(ref_db)
    total = len(reference["documents"])  # type: ignore[arg-type]
    assert total >= 90 and len(reference["failures"]) == 1
    assert sum(len(reference[t]) for t in FACT_TABLES) > 1000  # type: ignore[arg-type]
    assert ref.appeared is not None and len(ref.stored_at) == total
    # the first batch's documents are told together once it commits, the rest at the end
    first = sum(1 for t in ref.stored_at if t - ref.stored_at[0] < 0.05)
    assert first < total, "one batch only: no point between two commits to kill at"
    spans = {0: ref.stored_at[0] - ref.appeared, first: ended - ref.stored_at[first - 1]}

    # Even attempts: a delay after the database appeared (schema, first batch being extracted or
    # committed); odd ones: a delay after the first commit (second batch). Delays follow a
    # low-discrepancy sequence over each span. The next subprocess starts (spaCy takes seconds to
    # load) while this process re-runs the one just killed to completion.
    def point(attempt: int) -> tuple[int, float]:
        after = 0 if attempt % 2 == 0 else first
        return after, ((attempt // 2 * 0.6180339887) % 1) * 0.9 * spans[after]

    landed = partial = empty = 0
    stored_at_kill: list[int] = []
    attempt = 0
    running: Run | None = Run(corpus, tmp_path / "k00.db", point(0))
    while running is not None:
        current = running
        done = current.landed()
        attempt += 1
        enough = landed + done >= KILL_POINTS and partial >= 2
        running = None if enough or attempt >= MAX_ATTEMPTS else Run(corpus, tmp_path / f"k{attempt:02d}.db", point(attempt))
        before = _converges(current.db, corpus, reference)
        if done:
            landed += 1
            stored_at_kill.append(before)
            partial += 0 < before < total
            empty += before == 0
    print(f"\ncrash test: {files} files, {total} documents; uninterrupted run: first commit {spans[0]:.1f} s after its database appeared, then {spans[first]:.1f} s to its end; "
          f"{attempt} kills, {landed} landed mid-run ({empty} before the first commit, {partial} between commits, "
          f"{landed - empty - partial} after the last); documents stored at each kill: {stored_at_kill}")
    assert landed >= KILL_POINTS, f"only {landed} of {attempt} kills landed before the run ended"
    assert partial >= 2, f"no kill landed between two commits: {stored_at_kill}"
