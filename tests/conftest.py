"""Shared fixtures. The spaCy pipeline is built once per test session (~5 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles"
GOLD = ROOT / "samples" / "gold.jsonl"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def extractor():
    from extractor.extract import build_extractor

    return build_extractor()


@pytest.fixture(scope="session")
def samples_db(tmp_path_factory, extractor):
    """A database built from samples/articles by the real pipeline."""
    from extractor import pipeline

    path = tmp_path_factory.mktemp("samples") / "samples.db"
    report = pipeline.run([SAMPLES], path)
    assert report.failed == 0, report.failures
    return path


@pytest.fixture(scope="session")
def extract(extractor):
    """extract(text) -> Facts, through the real pipeline."""
    from extractor.models import Article

    return lambda text: extractor.extract(Article(source="test", text=text))
