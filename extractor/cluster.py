"""Extraction on a Dask cluster: the home of ``dask.distributed`` (an optional extra:
``pip install 'extractor[dask]'``).

:class:`DaskPool` stands where :func:`extractor.pipeline.worker_pool`'s process pool stands:
``Pipeline`` hands it batches with ``apply_async`` and commits the results in input order, so
the cluster only cleans and extracts while this process reads inputs and is the one writer. Each
Dask worker process builds the pipeline once (``build_extractor`` caches it) and returns plain
records; nothing spaCy crosses the network. The database is the same as a one-process run's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import ExtractorError

__all__ = ["DaskPool", "DaskUnavailable"]


class DaskUnavailable(ExtractorError):
    """``--dask`` was given but dask.distributed is not installed, or the scheduler cannot be reached."""


def _on_worker(name: str, rules_dir: str | None, batch: Any) -> Any:
    """Run the pipeline's worker function ``name`` on a Dask worker, its extractor built once per process."""
    from . import pipeline
    from .extract import build_extractor

    if pipeline._worker_extractor is None:
        pipeline._worker_extractor = build_extractor(rules_dir)
    return getattr(pipeline, name)(batch)


class _Result:
    """``AsyncResult.get()`` over a Dask future."""

    def __init__(self, future: Any) -> None:
        self.future = future

    def get(self) -> Any:
        return self.future.result()


class DaskPool:
    """A ``multiprocessing.Pool``-shaped front for a Dask scheduler at ``address``."""

    def __init__(self, address: str, rules_dir: str | Path | None = None, *, timeout: float = 30.0) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise DaskUnavailable("--dask needs dask.distributed: pip install 'extractor[dask]'") from None
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise DaskUnavailable(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.rules_dir = str(rules_dir) if rules_dir else None
        # how many batches to keep in flight: one per worker thread, like the local pool's processes
        self._processes = max(1, sum(self.client.nthreads().values()))

    def apply_async(self, func: Callable[[Any], Any], args: tuple[Any, ...]) -> _Result:
        (batch,) = args
        return _Result(self.client.submit(_on_worker, func.__name__, self.rules_dir, batch, pure=False))

    def terminate(self) -> None:
        self.client.close()

    def join(self) -> None:
        pass
