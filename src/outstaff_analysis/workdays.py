"""Working days on a national production calendar (Russian by default).

The calendar comes from the ``holidays`` package: its country classes list the public holidays,
the days off moved by government decree ("Day off (substituted from ...)") and, in
``weekend_workdays``, the Saturdays that became working days by the same decrees (for Russia,
e.g. 27 April, 2 November and 28 December 2024).  Counting is vectorised with numpy's business-day
functions: the weekmask and the holidays falling on weekdays go into a
:class:`numpy.busdaycalendar`; the transferred working weekend days, which numpy cannot express,
are added with a binary search.
"""

from __future__ import annotations

import dataclasses
import functools

import holidays
import numpy as np
import pandas as pd


@dataclasses.dataclass(frozen=True)
class ProductionCalendar:
    """Working-day calendar for a range of years.

    Attributes
    ----------
    country : str
        Country code as understood by :func:`holidays.country_holidays`.
    years : tuple of int
        Years covered; days outside them follow the plain weekmask.
    busdaycal : numpy.busdaycalendar
        Weekmask plus the days off falling on weekdays.
    extra_workdays : numpy.ndarray
        Sorted ``datetime64[D]`` weekend days that are working days (transferred working days).
    """

    country: str
    years: tuple[int, ...]
    busdaycal: np.busdaycalendar
    extra_workdays: np.ndarray


@functools.lru_cache(maxsize=32)
def production_calendar(country: str, first_year: int, last_year: int) -> ProductionCalendar:
    """Build the production calendar of ``country`` for ``first_year..last_year``.

    Parameters
    ----------
    country : str
        Country code, e.g. ``"RU"`` (``settings.calendar``).
    first_year, last_year : int
        Inclusive range of years to cover.

    Returns
    -------
    ProductionCalendar
    """
    years = tuple(range(int(first_year), int(last_year) + 1))
    table = holidays.country_holidays(country, years=years)
    weekend = set(table.weekend)
    weekmask = [0 if day in weekend else 1 for day in range(7)]
    days_off = np.array(sorted(table.keys()), dtype="datetime64[D]")
    extra = np.array(sorted(table.weekend_workdays), dtype="datetime64[D]")
    return ProductionCalendar(country, years, np.busdaycalendar(weekmask=weekmask, holidays=days_off), extra)


def _days(values) -> np.ndarray:
    values = np.asarray(values).ravel()
    if values.dtype.kind != "M":
        values = pd.to_datetime(pd.Series(values), format="mixed").to_numpy(dtype="datetime64[ns]")
    return values.astype("datetime64[D]")


def calendar_for(starts, ends, *, country: str = "RU") -> ProductionCalendar:
    """The production calendar covering every date in ``starts`` and ``ends``.

    Parameters
    ----------
    starts, ends : array-like of datetime-like
        Dates the calendar must cover (NaT ignored).
    country : str
        Country code.

    Returns
    -------
    ProductionCalendar
    """
    days = np.concatenate([_days(starts), _days(ends)])
    days = days[~np.isnat(days)]
    if days.size == 0:
        return production_calendar(country, 2000, 2000)
    years = days.astype("datetime64[Y]").astype(int) + 1970
    return production_calendar(country, int(years.min()), int(years.max()))


def working_days_between(starts, ends, *, country: str = "RU", calendar: ProductionCalendar | None = None):
    """Working days elapsed from ``starts`` to ``ends`` (vectorised).

    The clock starts on the start day, or on the next working day when the start falls on a day
    off (a request made on a Saturday is taken up on Monday).  A working day counts when it lies
    after that day and up to and including the end day.  So a replacement asked for on a Friday
    and done on the following Wednesday took 3 working days (Monday, Tuesday, Wednesday); one
    asked for on a Saturday and done on Thursday also took 3 (Tuesday, Wednesday, Thursday); and
    anything done by the end of the day the clock started took 0.  This is
    ``numpy.busday_offset``'s convention: the end is ``start + n`` working days, rolled forward.

    Parameters
    ----------
    starts, ends : array-like of datetime-like
        Start and end instants (the time of day is ignored).  NaT, or an end before its start,
        gives NaN.
    country : str
        Country code of the production calendar (``settings.calendar``).
    calendar : ProductionCalendar, optional
        A calendar built with :func:`production_calendar`; built from the data when None.

    Returns
    -------
    numpy.ndarray of float
        Working days elapsed (whole days, at least 0).
    """
    first = _days(starts)
    last = _days(ends)
    if first.shape != last.shape:
        raise ValueError("`starts` and `ends` must have the same length")
    if calendar is None:
        calendar = calendar_for(first, last, country=country)
    invalid = np.isnat(first) | np.isnat(last) | (last < first)
    placeholder = np.datetime64("2000-01-03", "D")
    first = np.where(invalid, placeholder, first)
    last = np.where(invalid, placeholder, last)
    extra = calendar.extra_workdays
    rolled = np.busday_offset(first, 0, roll="forward", busdaycal=calendar.busdaycal)
    if extra.size:
        following = extra[np.minimum(np.searchsorted(extra, first, side="left"), extra.size - 1)]
        rolled = np.where((following >= first) & (following < rolled), following, rolled)
    lo = rolled + np.timedelta64(1, "D")
    hi = np.maximum(last + np.timedelta64(1, "D"), lo)
    count = np.busday_count(lo, hi, busdaycal=calendar.busdaycal) + (
        np.searchsorted(extra, hi, side="left") - np.searchsorted(extra, lo, side="left")
    )
    count = count.astype(float)
    count[invalid] = np.nan
    return count


def is_working_day(days, *, country: str = "RU") -> np.ndarray:
    """Whether each day is a working day on the production calendar.

    Parameters
    ----------
    days : array-like of datetime-like
    country : str
        Country code.

    Returns
    -------
    numpy.ndarray of bool
    """
    values = _days(days)
    calendar = calendar_for(values, values, country=country)
    return np.is_busday(values, busdaycal=calendar.busdaycal) | np.isin(values, calendar.extra_workdays)


__all__ = ["ProductionCalendar", "calendar_for", "is_working_day", "production_calendar", "working_days_between"]
