"""Batch progress: counts and times a person can read, on a terminal and in a log."""

import io

from rich.console import Console

from outstaff_analysis.reporting.progress import BatchProgress


def _console(*, terminal: bool) -> Console:
    return Console(file=io.StringIO(), force_terminal=terminal, width=80, color_system=None)


def test_a_log_gets_one_whole_line_per_finished_report():
    # in a redirected run the rich bar came out as one line cut to "3… 0 running ... elapsed 0… left 0:…"
    console = _console(terminal=False)
    with BatchProgress(3, skipped=2, console=console) as progress:
        for name, failed in (("C001", False), ("C002", True)):
            progress.started()
        for name, failed in (("C001", False), ("C002", True)):
            progress.finished(name, failed=failed)
    lines = console.file.getvalue().splitlines()
    assert len(lines) == 2 and "…" not in console.file.getvalue()
    assert lines[0].startswith("C001 rendered: 1/3 done, 1 running, 0 failed, 2 up to date; elapsed 0:00, left 0:00")
    assert lines[1].startswith("C002 FAILED: 2/3 done, 0 running, 1 failed, 2 up to date; elapsed 0:00, left 0:00")


def test_time_left_is_the_time_per_report_so_far_times_the_reports_left():
    progress = BatchProgress(10, show=False)
    assert progress.left() is None
    progress._start -= 30  # 30 s in, three reports done
    for _ in range(3):
        progress.started()
        progress.finished("C", failed=False)
    assert abs(progress.left() - 70) < 1
    assert "left 1:10" in progress.status() and "elapsed 0:30" in progress.status()


def test_the_terminal_line_fits_80_columns():
    console = _console(terminal=True)
    with BatchProgress(32, skipped=3, console=console) as progress:
        progress.started()
        progress.finished("C039", failed=False)
    shown = console.file.getvalue().replace("\r", "\n").splitlines()
    last = [line for line in shown if "done" in line][-1]
    assert "1/32 done, 0 running, 0 failed, 3 up to date; elapsed" in last and "…" not in last
