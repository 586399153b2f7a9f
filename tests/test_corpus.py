"""All of ../shared/corpus (the three shapes users have: a folder of Markdown files, a JSONL dump,
a CSV export) goes through the real pipeline without a crash or a failure."""

import sqlite3
from pathlib import Path

import pytest

from extractor import pipeline

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus is absent")
def test_whole_shared_corpus_runs_through(tmp_path, extractor):
    db = tmp_path / "corpus.db"
    report = pipeline.run([SHARED / "corpus"], db)
    assert report.failures == []
    assert report.read == report.stored > 1400
    conn = sqlite3.connect(db)
    (bad,) = conn.execute(
        "select count(*) from mentions m join documents d on d.id = m.document_id where substr(d.text, m.start + 1, m.end - m.start) != m.text"
    ).fetchone()
    assert bad == 0, "every mention's offsets point at its text"
    # a second pass over the same corpus stores nothing
    again = pipeline.run([SHARED / "corpus"], db)
    assert (again.stored, again.unchanged) == (0, report.stored)
