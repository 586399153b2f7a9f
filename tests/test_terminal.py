"""Commands in a real terminal: Ctrl-C typed into a tmux pane, as a user would stop a long run.

Skipped where tmux is not installed. Each test runs the installed ``extractor`` (``python -m
extractor``) in its own tmux server, waits for real progress, types Ctrl-C and reads the exit code
and what the terminal shows.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


class Pane:
    """One tmux server with one pane running one shell command."""

    def __init__(self, tmp_path: Path, command: str) -> None:
        self.socket = f"extractor-test-{os.getpid()}-{time.monotonic_ns()}"
        self.rc_file = tmp_path / "exit-code"
        script = f"cd {shlex.quote(str(tmp_path))}; {command}; echo $? > {shlex.quote(str(self.rc_file))}; sleep 60"
        self._tmux("new-session", "-d", "-s", "t", "-x", "160", "-y", "60", script)

    def _tmux(self, *args: str) -> str:
        done = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, check=True)
        return done.stdout

    def ctrl_c(self) -> None:
        self._tmux("send-keys", "-t", "t", "C-c")

    def exit_code(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.rc_file.exists() and self.rc_file.read_text().strip():
                return int(self.rc_file.read_text())
            time.sleep(0.2)
        raise AssertionError(f"the command did not end within {timeout} s:\n{self.screen()}")

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t", "-S", "-200")

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def pane(tmp_path):
    panes: list[Pane] = []

    def start(command: str) -> Pane:
        panes.append(Pane(tmp_path, command))
        return panes[-1]

    yield start
    for p in panes:
        p.close()


def extractor_command(*args: str) -> str:
    return " ".join(shlex.quote(a) for a in (sys.executable, "-m", "extractor", *args))


def documents(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return int(conn.execute("select count(*) from documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # the schema is not written yet
    finally:
        conn.close()


def test_ctrl_c_stops_run_with_130_and_a_summary_of_what_was_stored(tmp_path, pane):
    folder = tmp_path / "releases"
    folder.mkdir()
    for i in range(1500):
        (folder / f"release-{i:04d}.txt").write_text(
            f"Acme Bio reports update {i}\n\nAcme Bio said ACM-{100 + i} reached an objective response rate of "
            f"{i % 90}% in the Phase 2 STAR-{i} trial in patients with renal cell carcinoma.\n",
            encoding="utf-8",
        )
    db = tmp_path / "out.db"
    p = pane(extractor_command("run", "releases", "--db", "out.db"))
    deadline = time.monotonic() + 90
    while documents(db) < 64 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert documents(db) >= 64, p.screen()
    time.sleep(0.5)
    live = p.screen()  # the progress bar on a terminal: done of total, rate and time remaining
    assert "/1500" in live and "docs/s" in live and "eta" in live, live
    p.ctrl_c()
    assert p.exit_code() == 130, p.screen()
    screen = p.screen()
    stored = documents(db)
    assert stored < 1500  # stopped part way
    assert f"interrupted: {stored} documents stored so far" in screen
    assert "facts stored" in screen  # the summary table


def test_ctrl_c_stops_watch_with_130(tmp_path, pane):
    with socket.socket() as s:  # a port nobody listens on: the source fails fast, watch then sleeps
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "sources.toml").write_text(
        '[settings]\ncontact = "tests@example.com"\nallow_private_addresses = true\nretries = 0\ntimeout = "2s"\n\n'
        f'[[source]]\nname = "down"\nkind = "rss"\nurl = "http://127.0.0.1:{port}/feed.xml"\nevery = "30m"\n',
        encoding="utf-8",
    )
    p = pane(extractor_command("watch", "--sources", "sources.toml", "--db", "news.db"))
    deadline = time.monotonic() + 60
    while "down" not in p.screen() and time.monotonic() < deadline:
        time.sleep(0.2)
    p.ctrl_c()
    assert p.exit_code() == 130, p.screen()
    assert "stopped after 1 passes" in p.screen()
