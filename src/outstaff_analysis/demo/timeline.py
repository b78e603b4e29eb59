"""The demo firm's clock: the data window, working days and working hours.

The simulation counts time in float days since the first day of the data window (day 0 is
``start_year-01-01 00:00``).  :class:`Window` turns those numbers into working-day datetimes and
pandas columns, using the Russian production calendar of the ``holidays`` package.
"""

from __future__ import annotations

import dataclasses
import functools

import holidays as public_holidays
import numpy as np
import pandas as pd

WORKDAY_START_HOURS = 9.0
"""Earliest hour of a working-hours event."""

WORKDAY_SPAN_HOURS = 9.5
"""Working-hours events fall in ``[09:00, 18:30)``."""

HISTORY_YEARS = 6
"""How far before the window the calendar (and the firm's history) reaches."""


@dataclasses.dataclass(frozen=True)
class Window:
    """The data window ``[start, end]`` of a demo firm.

    Parameters
    ----------
    start_year : int
        First calendar year of the window.
    years : int
        Number of calendar years covered.
    """

    start_year: int
    years: int

    @property
    def start(self) -> pd.Timestamp:
        """First day of the window (midnight)."""
        return pd.Timestamp(year=self.start_year, month=1, day=1)

    @property
    def end(self) -> pd.Timestamp:
        """Last day of the window (midnight); the export date, or "as of"."""
        return pd.Timestamp(year=self.start_year + self.years - 1, month=12, day=31)

    @property
    def days(self) -> int:
        """Length in days: events at day ``>= days`` happen after the export and are not seen."""
        return int((self.end - self.start).days) + 1

    @functools.cached_property
    def holidays(self) -> np.ndarray:
        """Public holidays (``datetime64[D]``) from the history start to a year after the window."""
        years = range(self.start_year - HISTORY_YEARS, self.start_year + self.years + 1)
        return np.array(sorted(public_holidays.country_holidays("RU", years=years)), dtype="datetime64[D]")

    def day_zero(self) -> np.datetime64:
        """Day 0 as ``datetime64[D]``."""
        return np.datetime64(self.start.date(), "D")

    def next_workday(self, days: np.ndarray) -> np.ndarray:
        """Integer day of the first working day on or after each (float) day."""
        base = self.day_zero()
        dates = base + np.floor(days).astype("int64").astype("timedelta64[D]")
        rolled = np.busday_offset(dates, 0, roll="forward", holidays=self.holidays)
        return (rolled - base).astype("int64")

    def add_workdays(self, days: np.ndarray, n: np.ndarray) -> np.ndarray:
        """Integer day ``n`` working days after each (integer) day, rolled forward first."""
        base = self.day_zero()
        dates = base + np.asarray(days, dtype="int64").astype("timedelta64[D]")
        moved = np.busday_offset(dates, np.asarray(n, dtype="int64"), roll="forward", holidays=self.holidays)
        return (moved - base).astype("int64")

    def working_time(self, rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
        """Move each float day to a random working-hours moment of its next working day."""
        hours = WORKDAY_START_HOURS + rng.random(len(days)) * WORKDAY_SPAN_HOURS
        return self.next_workday(days) + hours / 24.0

    def to_datetime(self, days: np.ndarray) -> np.ndarray:
        """Float days -> ``datetime64[ns]`` rounded to the second (NaN -> NaT)."""
        days = np.asarray(days, dtype=float)
        seconds = np.round(np.nan_to_num(days, nan=0.0) * 86400.0).astype("int64")
        out = np.datetime64(self.start, "s") + seconds.astype("timedelta64[s]")
        out = out.astype("datetime64[ns]")
        out[np.isnan(days)] = np.datetime64("NaT")
        return out

    def to_date(self, days: np.ndarray) -> np.ndarray:
        """Float days -> ``datetime64[ns]`` at midnight of that day (NaN -> NaT)."""
        days = np.asarray(days, dtype=float)
        return self.to_datetime(np.floor(days))


def uniform_in_active(
    rng: np.random.Generator,
    owner: np.ndarray,
    start: np.ndarray,
    pause_from: np.ndarray,
    pause_to: np.ndarray,
    end: float,
) -> np.ndarray:
    """Draw one time per row, uniform over its owner's active span with a pause cut out.

    The active span of owner ``k`` is ``[start[k], pause_from[k]) + [pause_to[k], end)``; use
    ``pause_from = pause_to = end`` for owners without a pause.
    """
    first = np.maximum(pause_from - start, 0.0)
    second = np.maximum(end - pause_to, 0.0)
    x = rng.random(len(owner)) * (first + second)[owner]
    return np.where(x < first[owner], start[owner] + x, pause_to[owner] + (x - first[owner]))


def active_days(start: np.ndarray, pause_from: np.ndarray, pause_to: np.ndarray, end: float) -> np.ndarray:
    """Length in days of each owner's active span (see :func:`uniform_in_active`)."""
    return np.maximum(pause_from - start, 0.0) + np.maximum(end - pause_to, 0.0)
