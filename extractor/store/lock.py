"""One writer per database: ``<db>.lock``, held with ``fcntl.flock`` by ``run``, ``crawl`` and ``watch``.

A second writer gets :class:`~extractor.errors.LockError` at once (exit code 3 in the CLI) instead of
waiting out SQLite's busy timeout half-way through a batch. Readers (``query``, ``show``, ``serve``)
never take it: WAL lets them read while one writer writes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import LockError


@contextlib.contextmanager
def writer_lock(db_path: str | Path) -> Iterator[None]:
    """Hold ``<db>.lock`` exclusively or raise :class:`LockError`."""
    lock_path = Path(f"{db_path}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise LockError(f"{db_path}: another writer (run, crawl or watch) holds {lock_path}") from exc
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
