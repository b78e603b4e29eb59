"""Columns that are optional at ingest but needed by some analyses: the check those analyses make.

An ATS export may have candidates without a role or grade; ingest accepts them, and an analysis
that groups by ``grade`` says clearly that it needs it (instead of one group called "unknown").
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .exceptions import MissingFieldError
from .schema import TABLES


def require_values(frame: pd.DataFrame, columns: Iterable[str], *, analysis: str) -> None:
    """Raise if a non-empty ``frame`` has one of ``columns`` without a value in every row.

    Parameters
    ----------
    frame : pandas.DataFrame
        The analysis input.
    columns : iterable of str
        Columns the analysis needs (already known to exist in ``frame``, or absent).
    analysis : str
        What needs them, for the message (``"grouping by `grade`"``).

    Raises
    ------
    MissingFieldError
        Naming the column and the tables of the data model that hold it.

    Examples
    --------
    >>> require_values(pd.DataFrame({"grade": [None, None]}), ["grade"], analysis="grouping by `grade`")
    Traceback (most recent call last):
    ...
    outstaff_analysis.exceptions.MissingFieldError: grouping by `grade` needs `grade`, but it holds no value in any row; it is optional at ingest, so add it to the export of `specialists` or `requests` (or map it in a mapping file) and run `outstaff ingest`
    """
    if frame.empty:
        return
    for column in columns:
        if column not in frame or frame[column].isna().all():
            tables = [spec.name for spec in TABLES.values() if column in spec.names and column not in spec.key]
            raise MissingFieldError(column, analysis, tables)


__all__ = ["require_values"]
