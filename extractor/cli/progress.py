"""Progress for long commands: a live line on a terminal (rich), plain log lines otherwise."""

from __future__ import annotations

import sys
from types import TracebackType

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


class Reporter:
    """Call it with (source, outcome) per document, or with one line per finished step."""

    def __init__(self, label: str, *, quiet: bool = False) -> None:
        self.label = label
        self.quiet = quiet
        self.interactive = sys.stderr.isatty() and not quiet
        self.counts: dict[str, int] = {}
        self._progress: Progress | None = None
        self._task: int | None = None

    def __enter__(self) -> Reporter:
        if self.interactive:
            self._progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                console=Console(stderr=True), transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=None)
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()

    def __call__(self, source: str, outcome: str = "") -> None:
        """One document (``outcome`` stored/unchanged/failed) or, without outcome, one line."""
        if outcome:
            self.counts[outcome] = self.counts.get(outcome, 0) + 1
        if self._progress is not None and self._task is not None:
            if not outcome:
                self._progress.console.print(source, highlight=False)
            summary = " · ".join(f"{n} {k}" for k, n in self.counts.items())
            self._progress.update(self._task, description=f"{self.label} {summary}  {source[-70:] if outcome else ''}")
        elif not self.quiet and outcome != "failed":  # failures are printed with their reason at the end
            click.echo(f"{outcome}\t{source}" if outcome else source, err=True)
