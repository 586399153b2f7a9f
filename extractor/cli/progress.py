"""Progress for long commands: a live line on a terminal (rich), plain log lines otherwise."""

from __future__ import annotations

import sys
from types import TracebackType

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class Reporter:
    """Call it with (source, outcome) per document, or with one line per finished step.

    On a terminal it is a live line; with ``total`` (the documents expected) a bar with the rate
    in documents per second and the time remaining."""

    def __init__(self, label: str, *, quiet: bool = False, total: int | None = None) -> None:
        self.label = label
        self.quiet = quiet
        self.total = total
        self.interactive = sys.stderr.isatty() and not quiet
        self.counts: dict[str, int] = {}
        self._progress: Progress | None = None
        self._task: int | None = None

    def __enter__(self) -> Reporter:
        if self.interactive:
            columns = [SpinnerColumn(), TextColumn("{task.description}")]
            if self.total:
                columns += [BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                            TextColumn("eta"), TimeRemainingColumn()]
            columns.append(TimeElapsedColumn())
            self._progress = Progress(*columns, console=Console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=self.total or None, rate="")
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
            task = self._progress.tasks[0]
            done = sum(self.counts.values())
            rate = f"{done / task.elapsed:.1f} docs/s" if task.elapsed and done else ""
            where = "" if self.total or not outcome else f"  {source[-70:]}"  # with a bar, the counts say enough
            self._progress.update(self._task, completed=done, rate=rate, description=f"{self.label} {summary}{where}")
        elif not self.quiet and outcome != "failed":  # failures are printed with their reason at the end
            click.echo(f"{outcome}\t{source}" if outcome else source, err=True)
