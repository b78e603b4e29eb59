"""Progress of a batch: done, running, failed and up to date; elapsed and time left.

On a terminal it is one live line with a short bar, 80 columns wide at most; in a log (cron,
Airflow, a redirected run: anything that is not a terminal) it is one plain line per finished
report, so the log says which report ended how and when, with nothing cut short.
"""

from __future__ import annotations

import time
from typing import Self

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task
from rich.text import Text


def clock(seconds: float | None) -> str:
    """``m:ss`` (or ``h:mm:ss``) of a duration; ``?`` when unknown.

    Examples
    --------
    >>> clock(75.4), clock(3725), clock(None)
    ('1:15', '1:02:05', '?')
    """
    if seconds is None:
        return "?"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class BatchProgress:
    """Progress over the reports to render (reports already up to date are only counted).

    Use as a context manager; :meth:`started` and :meth:`finished` as reports start and end.

    Parameters
    ----------
    total : int
        Reports to render.
    skipped : int
        Reports found up to date (not rendered).
    show : bool
        Show anything at all.
    console : rich.console.Console, optional
        Where to show it (default: standard output).
    """

    def __init__(self, total: int, *, skipped: int = 0, show: bool = True, console: Console | None = None):
        self.total, self.skipped = total, skipped
        self.done = self.running = self.failed = 0
        self._show = show
        self._console = console or Console()
        self._start = time.perf_counter()
        self._live = show and self._console.is_terminal
        self._progress = Progress(BarColumn(bar_width=12), _StatusColumn(self), console=self._console,
                                  disable=not self._live)
        self._task = self._progress.add_task("reports", total=total)

    def __enter__(self) -> Self:
        self._start = time.perf_counter()
        self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.stop()

    def elapsed(self) -> float:
        """Seconds since the batch started."""
        return time.perf_counter() - self._start

    def left(self) -> float | None:
        """Estimated seconds left: the time per finished report so far times the reports not finished."""
        if not self.done:
            return None
        return self.elapsed() / self.done * (self.total - self.done)

    def status(self) -> str:
        """The counts and times in one line.

        Examples
        --------
        >>> progress = BatchProgress(32, skipped=3, show=False)
        >>> progress.status().startswith("0/32 done, 0 running, 0 failed, 3 up to date; elapsed 0:00, left ?")
        True
        """
        return (f"{self.done}/{self.total} done, {self.running} running, {self.failed} failed, "
                f"{self.skipped} up to date; elapsed {clock(self.elapsed())}, left {clock(self.left())}")

    def started(self) -> None:
        """A report started rendering."""
        self.running += 1

    def finished(self, name: str, *, failed: bool) -> None:
        """Report ``name`` is done (``failed`` or rendered)."""
        self.running -= 1
        self.done += 1
        self.failed += failed
        self._progress.update(self._task, completed=self.done)
        if self._show and not self._live:
            self._console.print(f"{name} {'FAILED' if failed else 'rendered'}: {self.status()}",
                                highlight=False, soft_wrap=True)


class _StatusColumn(ProgressColumn):
    """The live line's text, read from the batch at every refresh (so the clock runs between reports)."""

    def __init__(self, batch: BatchProgress):
        super().__init__()
        self._batch = batch

    def render(self, task: Task) -> Text:
        return Text(self._batch.status())
