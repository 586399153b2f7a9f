"""``extractor serve`` in a real headless Chromium: the drug_profile canned query renders
the ALLO-316 rows, and a screenshot is saved under the test's tmp dir."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor import pipeline

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "articles"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)),
        reason=f"needs Chromium at {CHROMIUM} (apt-get install -y chromium)",
    ),
]

SERVE = "from extractor.cli import cli; cli(prog_name='extractor')"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"extractor serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"extractor serve did not answer at {url} within {timeout:g} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("serve")
    db = folder / "samples.db"
    pipeline.run([str(SAMPLES)], db)
    port = free_port()
    log = (folder / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/-/versions.json", proc)
        yield f"{base}/{db.stem}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_drug_profile_in_chromium(server: str, tmp_path: Path) -> None:
    url = f"{server}/drug_profile?drug=ALLO-316"
    dom = chromium(tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert "Drug profile" in html
    for expected in ("CD70", "TRAVERSE", "NCT04696731", "ORR 38%", "Allogene Therapeutics", "renal cell carcinoma"):
        assert expected in html, expected

    screenshot = tmp_path / "profile.png"
    shot = chromium(tmp_path, f"--screenshot={screenshot}", "--window-size=1280,900", url)
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.is_file() and screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 10_000


def test_tables_views_and_facets_in_chromium(server: str, tmp_path: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", f"{server}/mentions?_facet=label")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "DRUG_CODE" in dom.stdout and "TARGET" in dom.stdout
    assert "Labelled spans" in dom.stdout  # the table description from the metadata


def test_serve_is_read_only(server: str) -> None:
    # Datasette refuses writes through its SQL page; the file is opened mode=ro anyway.
    url = f"{server}.json?sql=" + urllib.request.quote("drop table mentions")
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read().decode()
    except urllib.error.HTTPError as exc:
        body = exc.read().decode()
    assert '"ok": false' in body.replace(":false", ": false")
    with urllib.request.urlopen(f"{server}/mentions.json?_size=0", timeout=10) as response:
        assert response.status == 200



def test_index_lists_the_views_and_drug_summary_is_largest_first_in_chromium(server: str, tmp_path: Path) -> None:
    index = chromium(tmp_path, "--dump-dom", server.rsplit("/", 1)[0] + "/")
    assert index.returncode == 0, index.stderr[-2000:]
    for view in ("drug_summary", "drug_targets", "response_rates", "trials"):
        assert f"/{view}\"" in index.stdout, view
    page = chromium(tmp_path, "--dump-dom", f"{server}/drug_summary?_size=50")
    assert page.returncode == 0, page.stderr[-2000:]
    counts = [int(n) for n in re.findall(r'<td class="col-documents type-int">(\d+)</td>', page.stdout)]
    assert len(counts) > 3 and counts == sorted(counts, reverse=True)
    assert "sorted by documents descending" in page.stdout


def test_upcoming_catalysts_query_and_events_facets_in_chromium(server: str, tmp_path: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", f"{server}/upcoming_catalysts?from=2025-01-01")
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert "Upcoming catalysts" in html
    assert "ALLO-329" in html and "trial_start" in html and "RESOLUTION" in html  # the seed example's expected start
    assert "ind_clearance" not in html  # occurred, not upcoming
    later = chromium(tmp_path, "--dump-dom", f"{server}/upcoming_catalysts?from=2030-01-01")
    assert later.returncode == 0, later.stderr[-2000:]
    assert "Upcoming catalysts" in later.stdout and "RESOLUTION" not in later.stdout  # dated before the day: gone
    facets = chromium(tmp_path, "--dump-dom", f"{server}/events")
    assert facets.returncode == 0, facets.stderr[-2000:]
    for facet in ("kind", "agency", "status"):
        assert f'data-column="{facet}"' in facets.stdout, facet
    assert "Catalysts" in facets.stdout  # the table description
