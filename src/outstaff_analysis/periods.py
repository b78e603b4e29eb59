"""Quarters and the "as of" date, resolved in one place.

Every analysis runs "as of" a date: nothing after it is seen.  :func:`resolve_as_of` turns what a
user passes (a date, a timestamp, ``"2024-12-31"`` or a quarter ``"2024Q4"``) into the last
instant that counts.  There is no default of "today": a report must be reproducible.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


def parse_quarter(quarter: str | pd.Period) -> pd.Period:
    """Parse ``"2024Q3"``, ``"2024-Q3"`` or a Period into a quarterly :class:`pandas.Period`."""
    if isinstance(quarter, pd.Period):
        return quarter.asfreq("Q")
    match = _QUARTER.match(str(quarter))
    if not match:
        raise ValueError(f"The value for `quarter` must look like '2024Q3', but {quarter!r} was passed")
    return pd.Period(year=int(match.group(1)), quarter=int(match.group(2)), freq="Q")


def quarter_bounds(quarter: str | pd.Period) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day (midnight timestamps) of a quarter."""
    period = parse_quarter(quarter)
    return period.start_time.normalize(), period.end_time.normalize()


def resolve_as_of(as_of) -> pd.Timestamp:
    """Resolve an as-of argument into the last instant that is seen (end of that day).

    Parameters
    ----------
    as_of : str, datetime.date, pandas.Timestamp or pandas.Period
        A date (the whole day is seen) or a quarter (its last day).

    Returns
    -------
    pandas.Timestamp
        ``23:59:59.999999999`` of the as-of day.
    """
    if as_of is None:
        raise ValueError("`as_of` is required: pass a date such as '2024-12-31' or a quarter such as '2024Q4'")
    if isinstance(as_of, pd.Period) or (isinstance(as_of, str) and _QUARTER.match(as_of)):
        day = parse_quarter(as_of).end_time.normalize()
    elif isinstance(as_of, (dt.date, pd.Timestamp, str)):
        try:
            day = pd.Timestamp(as_of).normalize()
        except ValueError as exc:
            raise ValueError(f"The value for `as_of` must be a date or a quarter, but {as_of!r} was passed") from exc
    else:
        raise TypeError(f"The value for `as_of` must be a date or a quarter, but {type(as_of).__name__} was passed")
    return day + pd.Timedelta(days=1) - pd.Timedelta(1, "ns")


def seen_by(frame: pd.DataFrame, column: str, as_of) -> pd.DataFrame:
    """Rows of ``frame`` whose ``column`` falls on or before the as-of day (its whole day is seen).

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table with a datetime column.
    column : str
        The column that dates each row (``held_at``, ``opened_at``...).
    as_of : str, datetime.date, pandas.Timestamp or pandas.Period
        See :func:`resolve_as_of`.

    Returns
    -------
    pandas.DataFrame
        The rows seen by the end of the as-of day (a view: copy before changing it).

    Examples
    --------
    >>> calls = pd.DataFrame({"held_at": pd.to_datetime(["2024-12-31 15:00", "2025-01-01 09:00"])})
    >>> len(seen_by(calls, "held_at", "2024-12-31"))
    1
    """
    return frame[frame[column] <= resolve_as_of(as_of)]
