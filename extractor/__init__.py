"""extractor: biotech and pharma news → a queryable SQLite database of drugs, targets, trials,
doses and response rates, each fact with its evidence.

    >>> from extractor import run
    >>> report = run(["samples/articles"], "extractions.db")
"""

import logging

from .errors import (
    BlockedError,
    CleanError,
    ConfigError,
    ExtractorError,
    FetchError,
    InputError,
    LockError,
    QueryError,
    RuleError,
    StoreError,
)
from .models import Article, Dose, Facts, Failure, Mention, RawDocument, Relation, Response, RunReport

logging.getLogger(__name__).addHandler(logging.NullHandler())


#: Names loaded on first use (PEP 562): importing ``extractor`` (and ``extractor --help``) does not load spaCy.
_LAZY = ("Pipeline", "run")


def __getattr__(name: str):
    if name in _LAZY:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")

__all__ = [
    "Article",
    "BlockedError",
    "CleanError",
    "ConfigError",
    "Dose",
    "ExtractorError",
    "Facts",
    "Failure",
    "FetchError",
    "InputError",
    "LockError",
    "Mention",
    "Pipeline",
    "QueryError",
    "RawDocument",
    "Relation",
    "Response",
    "RuleError",
    "RunReport",
    "StoreError",
    "run",
]
