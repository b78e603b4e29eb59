"""What a report run leaves in its output folder: the report, or the evidence of its failure.

A report that fails keeps its partially executed notebook as ``<name>.failed.ipynb`` (papermill's
record of the cell that raised, with the traceback) and removes the report of an earlier run for
the same client and quarter, so that nobody reads a stale report as the current one.  A successful
run removes the failure record.  Temporary files of runs that were killed (``.render-*`` folders,
``.<name>.<random>.tmp`` files) are removed at the start of the next run of that folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..io.atomic import remove_temp_files

RENDER_PREFIX = ".render-"
"""Prefix of the temporary folder a report is rendered in, beside its output."""

FAILED_SUFFIX = ".failed.ipynb"


def failed_notebook(output_html: Path) -> Path:
    """Where the partial notebook of a failed report is kept: ``<name>.failed.ipynb`` beside the HTML."""
    return output_html.with_name(output_html.stem + FAILED_SUFFIX)


def keep_failure(partial: Path, output_html: Path) -> None:
    """Keep ``partial`` (the notebook as far as it ran) as the failure record and remove the stale report.

    Parameters
    ----------
    partial : Path
        The executed notebook left by the failed run (it may be missing if the kernel never started).
    output_html : Path
        The report's HTML; it and its executed notebook from an earlier run are removed.
    """
    if partial.is_file():
        partial.replace(failed_notebook(output_html))
    output_html.unlink(missing_ok=True)
    output_html.with_suffix(".ipynb").unlink(missing_ok=True)


def clear_failure(output_html: Path) -> None:
    """Remove the failure record of a report that has now rendered."""
    failed_notebook(output_html).unlink(missing_ok=True)


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove what killed runs left below ``folder`` (``.render-*`` folders, temporary files); returns them.

    Call it only while holding the folder (:func:`~outstaff_analysis.io.atomic.folder_lock`): a run
    in progress has the same kind of files.
    """
    if not folder.is_dir():
        return []
    folders = sorted(p for p in folder.rglob(f"{RENDER_PREFIX}*") if p.is_dir())
    for path in folders:
        shutil.rmtree(path, ignore_errors=True)
    return folders + remove_temp_files(folder)


__all__ = ["FAILED_SUFFIX", "RENDER_PREFIX", "clean_leftovers", "clear_failure", "failed_notebook", "keep_failure"]
