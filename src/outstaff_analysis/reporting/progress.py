"""Progress of a batch on the terminal: done, running, failed and up to date; elapsed and time left."""

from __future__ import annotations

from typing import Self

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class BatchProgress:
    """A rich progress bar over the reports to render (reports already up to date are only counted).

    Use as a context manager; :meth:`started` and :meth:`finished` as reports start and end.
    """

    def __init__(self, total: int, *, skipped: int = 0, show: bool = True):
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[running]} running, {task.fields[failed]} failed, "
                       "{task.fields[skipped]} up to date"),
            TextColumn("elapsed"), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
            disable=not show,
        )
        self._task = self._progress.add_task("reports", total=total, running=0, failed=0, skipped=skipped)
        self.running = self.failed = 0

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.stop()

    def started(self) -> None:
        """A report started rendering."""
        self.running += 1
        self._progress.update(self._task, running=self.running)

    def finished(self, name: str, *, failed: bool) -> None:
        """Report ``name`` is done (``failed`` or rendered)."""
        self.running -= 1
        self.failed += failed
        self._progress.update(self._task, advance=1, running=self.running, failed=self.failed,
                              description=f"reports (last: {name})")
