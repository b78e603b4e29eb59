"""The grouped event table behind every estimate: one sort, grouped cumulative sums.

For each group and each distinct time (entry, end or censoring) it holds lifelines' event-table
columns (``entrance``, ``removed``, ``observed``, ``at_risk``) and the Kaplan-Meier estimate with its
Greenwood sum, computed exactly as :class:`lifelines.KaplanMeierFitter` does:
``at_risk(t) = #{entry <= t} - #{duration < t}``, the deaths at t are set against the risk set
without the entrants at t, and ``S = exp(cumsum(log(n - d) - log(n)))``.  Once every placement at
risk has ended (``d = n``) S is 0 and stays 0, even when left-truncated placements enter later.
Optionally it also holds deaths per cause (competing risks).  Every group is computed at once, so
a portfolio of thousands of clients costs one sort instead of thousands of fits.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..fields import require_values


@dataclasses.dataclass(frozen=True)
class EventTable:
    """Event table of several groups, rows sorted by (group, time).

    Attributes
    ----------
    keys : pandas.DataFrame
        One row per group (the ``by`` columns; no columns when ungrouped), index = group code.
    group, time, at_risk, observed, removed, entrance : numpy.ndarray
        Per row, lifelines' event-table columns (``at_risk`` counts the entrants at t).
    exposed : numpy.ndarray
        Per row, the risk set of the deaths at t: entrants at t are not in it, except on the group's
        first row (lifelines' convention, its issue 497).
    thinnest : numpy.ndarray
        Per row, the smallest risk set of any death so far in the group (inf before the first):
        every S(t) rests on all earlier risk sets, and with late entry an early one can be tiny.
    survival, greenwood : numpy.ndarray
        Kaplan-Meier S(t) after the row's deaths, and the cumulative Greenwood sum ``d / (n (n - d))``.
    entered, exited : numpy.ndarray
        Per row, the group's cumulative entrances and removals up to and including the row.
    cause_deaths : numpy.ndarray
        Deaths per cause, shape (rows, causes); zero columns when no causes were given.
    last_time : numpy.ndarray
        Per group, the largest duration (the end of follow-up).
    """

    keys: pd.DataFrame
    group: np.ndarray
    time: np.ndarray
    at_risk: np.ndarray
    observed: np.ndarray
    removed: np.ndarray
    entrance: np.ndarray
    exposed: np.ndarray
    thinnest: np.ndarray
    survival: np.ndarray
    greenwood: np.ndarray
    entered: np.ndarray
    exited: np.ndarray
    cause_deaths: np.ndarray
    last_time: np.ndarray

    @property
    def n_groups(self) -> int:
        """Number of groups."""
        return len(self.keys)


def group_codes(frame: pd.DataFrame, by: str | Sequence[str] | None) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer group code of each row and the frame of group keys (sorted)."""
    columns = [by] if isinstance(by, str) else list(by or [])
    if not columns:
        return np.zeros(len(frame), dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"The value for `by` must name columns of the frame, but {missing} are not among them"
        )
    require_values(frame, columns, analysis=f"grouping by {columns}")
    grouped = frame.groupby(columns, sort=True, dropna=False, observed=True)
    codes = grouped.ngroup().to_numpy(dtype=np.int64)
    keys = grouped.size().index.to_frame(index=False)
    return codes, keys


def grouped_cumsum(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Cumulative sum within consecutive groups (sequential, as a plain cumsum per group would be)."""
    return pd.DataFrame(values).groupby(group, sort=False).cumsum().to_numpy().reshape(values.shape)


def event_table(
    frame: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    causes: Sequence[int] = (),
    cause_column: str = "event_code",
) -> EventTable:
    """Build the grouped event table of a tenure or account frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        Has ``duration_days``, ``event`` and ``entry_days`` (and ``cause_column`` when ``causes``).
    by : str or list of str, optional
        Grouping columns.
    causes : sequence of int
        Event codes to count separately (competing risks).
    cause_column : str
        Column holding the event code of each row.
    """
    codes, keys = group_codes(frame, by)
    n_groups = len(keys)
    duration = frame["duration_days"].to_numpy(dtype=float)
    event = frame["event"].to_numpy(dtype=bool)
    entry = frame["entry_days"].to_numpy(dtype=float)
    late = (entry > duration) | (event & (entry > 0) & (entry == duration))
    if late.any():
        at = int(np.flatnonzero(late)[0])
        raise ValueError(
            f"Each row must end after it enters (`duration_days` > `entry_days`), but {int(late.sum())} "
            f"rows do not, the first at position {at}: entry_days={entry[at]:g}, duration_days={duration[at]:g}"
        )
    n = len(frame)
    zeros, ones = np.zeros(n), np.ones(n)
    counts = [
        np.concatenate([ones, zeros]),  # removed
        np.concatenate([event.astype(float), zeros]),  # observed
        np.concatenate([zeros, ones]),  # entrance
    ]
    if len(causes):
        code = frame[cause_column].to_numpy()
        counts += [np.concatenate([(event & (code == c)).astype(float), zeros]) for c in causes]
    all_group = np.concatenate([codes, codes])
    all_time = np.concatenate([duration, entry])
    order = np.lexsort((all_time, all_group))
    sorted_group, sorted_time = all_group[order], all_time[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (sorted_group[1:] != sorted_group[:-1]) | (sorted_time[1:] != sorted_time[:-1])
    starts = np.flatnonzero(new)
    if len(starts):
        summed = np.add.reduceat(np.column_stack(counts)[order], starts, axis=0)
    else:
        summed = np.zeros((0, len(counts)))
    group, time = sorted_group[starts], sorted_time[starts]
    removed, observed, entrance = summed[:, 0], summed[:, 1], summed[:, 2]
    cumulative = grouped_cumsum(np.column_stack([entrance, removed]), group)
    entered, exited = cumulative[:, 0], cumulative[:, 1]
    at_risk = entered - (exited - removed)
    first = np.ones(len(group), dtype=bool)
    first[1:] = group[1:] != group[:-1]
    exposed = np.where(first, at_risk, at_risk - entrance)  # entrants at t are not at risk of ending at t
    survives = (observed > 0) & (exposed > observed)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_step = np.where(survives, np.log(exposed - observed) - np.log(exposed), 0.0)
        green_step = np.where(survives, observed / (exposed * (exposed - observed)), 0.0)
    # -inf must not enter the cumulative sum (grouped sums are compensated: -inf + 0 gives NaN)
    ended_all = ((observed > 0) & ~survives).astype(float)
    cumulative = grouped_cumsum(np.column_stack([log_step, green_step, ended_all]), group)
    last_time = np.full(n_groups, -np.inf)
    np.maximum.at(last_time, codes, duration)
    return EventTable(
        keys=keys,
        group=group,
        time=time,
        at_risk=at_risk,
        observed=observed,
        removed=removed,
        entrance=entrance,
        exposed=exposed,
        thinnest=pd.Series(np.where(observed > 0, exposed, np.inf))
        .groupby(group, sort=False)
        .cummin()
        .to_numpy(),
        survival=np.where(cumulative[:, 2] > 0, 0.0, np.exp(cumulative[:, 0])),
        greenwood=cumulative[:, 1],
        entered=entered,
        exited=exited,
        cause_deaths=summed[:, 3:],
        last_time=np.where(np.isinf(last_time), np.nan, last_time),
    )


def locate(table: EventTable, times: Sequence[float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row of the table in force at each (group, time): the last row of the group at or before it.

    Returns
    -------
    group, time, row : numpy.ndarray
        One entry per group x time (groups outer); ``row`` is -1 when the time precedes the group's
        first row.
    """
    times = np.asarray(times, dtype=float)
    query_group = np.repeat(np.arange(table.n_groups), len(times))
    query_time = np.tile(times, table.n_groups)
    return query_group, query_time, locate_rows(table, query_group, query_time)


def locate_rows(table: EventTable, query_group: np.ndarray, query_time: np.ndarray) -> np.ndarray:
    """Row in force at each (group, time) pair: the group's last row at or before the time, else -1."""
    query_group = np.asarray(query_group, dtype=np.int64)
    query_time = np.asarray(query_time, dtype=float)
    n_rows = len(table.time)
    if n_rows == 0:
        return np.full(len(query_time), -1)
    kind = np.concatenate([np.zeros(n_rows, dtype=np.int8), np.ones(len(query_time), dtype=np.int8)])
    order = np.lexsort(
        (kind, np.concatenate([table.time, query_time]), np.concatenate([table.group, query_group]))
    )
    position = np.maximum.accumulate(np.where(kind == 0, np.arange(len(kind)), -1)[order])
    is_query = kind[order] == 1
    found = np.empty(len(query_time), dtype=np.int64)
    found[order[is_query] - n_rows] = position[is_query]
    valid = (found >= 0) & (table.group[np.clip(found, 0, None)] == query_group)
    return np.where(valid, found, -1)


def area_at(table: EventTable, query_group: np.ndarray, query_time: np.ndarray) -> np.ndarray:
    """``integral_0^t S(u) du`` under each group's Kaplan-Meier step curve at (group, time) pairs.

    S is 1 before the group's first row and constant between rows; past the group's last row the
    last value is carried on (the caller decides whether that is identified).
    """
    query_time = np.asarray(query_time, dtype=float)
    following = np.append(table.time[1:], np.nan)
    last = np.append(table.group[1:] != table.group[:-1], True)
    step = np.where(last, 0.0, table.survival * (following - table.time))
    before = grouped_cumsum(step, table.group) - step  # area from the group's first row to each row
    first_time = np.full(table.n_groups, np.nan)
    np.fmin.at(first_time, table.group, table.time)
    row = locate_rows(table, query_group, query_time)
    start = np.where(np.isnan(first_time), np.inf, first_time)[np.asarray(query_group, dtype=np.int64)]
    inside = take(before, row, 0.0) + take(table.survival, row, 1.0) * (query_time - take(table.time, row, 0.0))
    return np.where(row >= 0, start + inside, query_time)


def take(values: np.ndarray, row: np.ndarray, default: float) -> np.ndarray:
    """``values[row]`` (rows of a 1-D or 2-D array), ``default`` where ``row`` is -1 (no row yet)."""
    found = (row >= 0).reshape(row.shape + (1,) * (values.ndim - 1))
    if len(values) == 0:
        return np.full(row.shape + values.shape[1:], default, dtype=float)
    return np.where(found, values[np.clip(row, 0, None)], default)


def thin_at(table: EventTable, row: np.ndarray, n_at_risk: np.ndarray, minimum: int) -> np.ndarray:
    """Whether a figure at located rows rests on fewer than ``minimum`` at risk, now or at an earlier end.

    Once the curve has reached 0 nobody is left at risk, and none is needed: the figure is final.
    """
    earlier = take(table.thinnest, row, np.inf)
    open_curve = take(table.survival, row, 1.0) > 0
    return ((np.asarray(n_at_risk) < minimum) & open_curve) | (earlier < minimum)


def last_survival(table: EventTable) -> np.ndarray:
    """S at the last row of each group (1 for a group without rows)."""
    groups = np.arange(table.n_groups)
    last_row = np.searchsorted(table.group, groups, side="right") - 1
    if len(table.group) == 0:
        return np.ones(table.n_groups)
    valid = (last_row >= 0) & (table.group[np.clip(last_row, 0, None)] == groups)
    return take(table.survival, np.where(valid, last_row, -1), 1.0)


def beyond_follow_up(table: EventTable, group: np.ndarray, time: np.ndarray) -> np.ndarray:
    """Whether S(t) is unknown: t is past the group's last observation and the curve had not reached 0.

    A curve that ended on an event at 0 is known to stay 0; one whose last observation is censored
    says nothing about later times.
    """
    with np.errstate(invalid="ignore"):
        past = ~(np.asarray(time, dtype=float) <= table.last_time[group])
    return past & (last_survival(table)[group] > 0)


def at_risk_at(table: EventTable, row: np.ndarray, time: np.ndarray) -> np.ndarray:
    """``#{entry <= t <= duration}`` at located rows (lifelines' and R's convention: still there at t)."""
    ending_now = np.where(take(table.time, row, np.nan) == time, take(table.removed, row, 0.0), 0.0)
    return take(table.entered, row, 0.0) - take(table.exited, row, 0.0) + ending_now
