"""Grouping keys shared by the funnel and SLA tables: the ``by`` columns and the ``period`` label."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..fields import require_values

FREQS = {"quarter": "Q", "month": "M", "year": "Y", None: None}
"""Accepted values of ``freq`` and their pandas period codes (None: one period, ``"all"``)."""


def check_by(by, available, frame: pd.DataFrame | None = None) -> list[str]:
    """Return ``by`` as a list of column names after checking each is in ``available``.

    Parameters
    ----------
    by : str or sequence of str
        Grouping columns.
    available : iterable of str
        Columns that may be used.
    frame : pandas.DataFrame, optional
        The table grouped: each ``by`` column must hold a value in some row (columns such as
        ``grade`` are optional at ingest).

    Returns
    -------
    list of str
    """
    columns = [by] if isinstance(by, str) else list(by or ())
    allowed = list(available)
    bad = [c for c in columns if c not in allowed]
    if bad:
        raise ValueError(f"The values of `by` must be among {allowed}, but {bad} were passed")
    if frame is not None:
        require_values(frame, columns, analysis=f"grouping by {columns}")
    return columns


def period_labels(stamps, freq: str | None) -> np.ndarray:
    """Label each timestamp with its period (``"2024Q3"``, ``"2024-07"``, ``"2024"`` or ``"all"``).

    Parameters
    ----------
    stamps : array-like of datetime-like
        Timestamps to label (NaT gives None).
    freq : {"quarter", "month", "year", None}
        Period length; None puts everything in one period called ``"all"``.

    Returns
    -------
    numpy.ndarray of str (object)
    """
    if freq not in FREQS:
        raise ValueError(f"The value for `freq` must be one of {list(FREQS)}, but {freq!r} was passed")
    values = np.asarray(stamps).ravel()
    if values.dtype.kind != "M":
        values = pd.to_datetime(pd.Series(values), format="mixed").to_numpy(dtype="datetime64[ns]")
    stamps = pd.DatetimeIndex(values)
    if FREQS[freq] is None:
        return np.where(stamps.isna(), None, "all").astype(object)
    periods = stamps.to_period(FREQS[freq])
    codes, uniques = pd.factorize(periods)
    labels = np.array([str(p) for p in uniques] + [None], dtype=object)
    return labels[codes]


__all__ = ["FREQS", "check_by", "period_labels"]
