"""Kaplan-Meier estimates of tenure: S(t) with CIs, medians, at-risk tables, conditional survival, 1 - S(t).

Every function takes a frame with ``duration_days``, ``event`` and ``entry_days`` (a
:func:`~outstaff_analysis.survival.tenure.tenure_frame` or an
:func:`~outstaff_analysis.survival.accounts.account_lives` frame) and an optional ``by`` grouping,
and computes all groups at once from one grouped event table (:mod:`._table`).  The numbers are
those of :class:`lifelines.KaplanMeierFitter` fitted with ``entry=`` on each group (tests hold
them equal within 1e-12), including its exponential-Greenwood ("log-log") 95% intervals.

Unlike lifelines, a figure past the group's follow-up is NaN with the note ``"beyond follow-up"``
(not the carried-forward value) when the last observation was censored; a curve that ended on an
event is 0 from then on (with the interval [0, 0]).  A figure a figure resting on fewer than ``settings.min_at_risk``
placements at risk -- at t, or at any earlier end, which with late entry can be a tiny risk set
(where lifelines raises "too few early truncation times") -- is NaN with a note and an
:class:`~outstaff_analysis.InsufficientDataWarning`.
At-risk counts are ``#{entry <= t <= duration}``: still there at the start of day t.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from scipy import stats

from ..config import DEFAULT_SETTINGS, Settings
from ._notes import blank
from ._table import (
    EventTable,
    at_risk_at,
    beyond_follow_up,
    event_table,
    grouped_cumsum,
    locate,
    take,
    thin_at,
)
from .tenure import DAYS_PER_MONTH

Z95 = float(stats.norm.ppf(0.975))
NOT_REACHED = "not reached in follow-up"
UPPER_NOT_REACHED = "upper bound not reached in follow-up"

By = str | Sequence[str] | None


def loglog_bounds(survival: np.ndarray, variance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """95% exponential-Greenwood bounds of S(t) from its Greenwood sum (lifelines' formula; 1 where S = 1)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.log(survival)
        spread = Z95 * np.sqrt(variance) / v
        lower = np.exp(-np.exp(np.log(-v) - spread))
        upper = np.exp(-np.exp(np.log(-v) + spread))
    ended = np.asarray(survival) == 0  # a curve at 0 is known to be 0: [0, 0], as lifelines
    lower = np.where(ended, 0.0, np.where(np.isnan(lower), 1.0, lower))
    upper = np.where(ended, 0.0, np.where(np.isnan(upper), 1.0, upper))
    return lower, upper


def survival_at(
    frame: pd.DataFrame,
    *,
    times: Sequence[float] | None = None,
    by: By = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Kaplan-Meier S(t) with 95% CIs at given days, per group.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tenure or account frame.
    times : sequence of float, optional
        Days; default ``settings.survival_horizons_days`` (91, 182, 365).
    by : str or list of str, optional
        Columns to group by (for example ``"client_id"`` or ``["segment", "grade"]``).
    settings : Settings
        ``min_at_risk`` and the default horizons.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``time_days``, ``time_months``, ``estimate``, ``lower_95``, ``upper_95``,
        ``n_at_risk`` (still there at the start of the day) and ``note``.

    Warns
    -----
    InsufficientDataWarning
        When a figure is NaN because fewer than ``settings.min_at_risk`` are at risk.
    """
    times = settings.survival_horizons_days if times is None else times
    return _survival_rows(event_table(frame, by=by), times, settings)


def conditional_survival(
    frame: pd.DataFrame,
    *,
    given_days: float,
    times: Sequence[float] | None = None,
    by: By = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Chance of reaching each of ``times`` given ``given_days`` survived: S(t) / S(given).

    It is the Kaplan-Meier estimate on those still there after ``given_days``, entering at
    ``given_days``; its interval is the exponential-Greenwood one of that estimate.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tenure or account frame.
    given_days : float
        Days already survived (for example 90).
    times : sequence of float, optional
        Target days, each later than ``given_days``; default the settings' horizons past it.
    by : str or list of str, optional
        Grouping columns.
    settings : Settings
        ``min_at_risk`` and the default horizons.

    Returns
    -------
    pandas.DataFrame
        As :func:`survival_at`, with ``given_days`` after the ``by`` columns.
    """
    if times is None:
        times = [t for t in settings.survival_horizons_days if t > given_days]
    if any(t <= given_days for t in times):
        raise ValueError(
            f"The values of `times` must be later than `given_days` ({given_days}), "
            f"but {list(times)} were passed"
        )
    duration = frame["duration_days"]
    past = duration > given_days
    survivors = frame.assign(
        duration_days=duration.where(past, given_days),
        event=frame["event"] & past,
        entry_days=frame["entry_days"].clip(lower=given_days),
    )
    out = _survival_rows(event_table(survivors, by=by), times, settings)
    out.insert(len(out.columns) - 7, "given_days", float(given_days))
    return out


def median_tenure(
    frame: pd.DataFrame, *, by: By = None, settings: Settings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """Median duration (days) with a 95% CI, per group.

    The median is the first time S(t) <= 0.5 and its bounds are where the CI band crosses 0.5
    (lifelines' ``median_survival_times`` on the curve and its interval).  A median that is not
    reached, or that is reached with fewer than ``settings.min_at_risk`` at risk (a median resting on
    one or two placements is not a median to quote), is NaN with a note.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``estimate``, ``lower_95``, ``upper_95`` (days), ``n_at_risk`` at the
        median, and ``note``.
    """
    table = event_table(frame, by=by)
    lower, upper = loglog_bounds(table.survival, table.greenwood)
    rows = [_first_row(table, curve <= 0.5) for curve in (table.survival, lower, upper)]
    times = [take(table.time, r, np.nan) for r in rows]
    out = table.keys.reset_index(drop=True)
    out["estimate"], out["lower_95"], out["upper_95"] = times
    out["n_at_risk"] = take(table.at_risk, rows[0], np.nan)
    out["note"] = np.where(rows[0] < 0, NOT_REACHED, np.where(rows[2] < 0, UPPER_NOT_REACHED, ""))
    few = thin_at(table, rows[0], out["n_at_risk"].fillna(np.inf).to_numpy(), settings.min_at_risk) & (
        rows[0] >= 0
    )
    return blank(out, beyond=np.zeros(len(out), bool), few=few, settings=settings, what="medians")


def at_risk_table(frame: pd.DataFrame, *, times: Sequence[float], by: By = None) -> pd.DataFrame:
    """Number at risk, cumulative events and cumulative censored at given days, per group.

    ``n_at_risk`` is ``#{entry <= t <= duration}``: still placed at the start of day t (R's and
    lifelines' convention).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``time_days``, ``time_months``, ``n_at_risk``, ``n_events``, ``n_censored``.
    """
    table = event_table(frame, by=by)
    group, time, row = locate(table, times)
    cumulative = grouped_cumsum(table.observed, table.group)
    out = _keyed(table, group, time)
    out["n_at_risk"] = at_risk_at(table, row, time).astype(int)
    out["n_events"] = take(cumulative, row, 0.0).astype(int)
    out["n_censored"] = take(table.exited, row, 0.0).astype(int) - out["n_events"]
    return out


def km_curve(frame: pd.DataFrame, *, by: By = None) -> pd.DataFrame:
    """The whole Kaplan-Meier step curve with its 95% band, per group, for plotting.

    Returns
    -------
    pandas.DataFrame
        One row per group and distinct time (entries, ends, censorings) up to the group's last
        duration: the ``by`` columns, ``time_days``, ``time_months``, ``estimate``, ``lower_95``,
        ``upper_95``, ``n_at_risk``, ``n_events`` and ``n_censored`` (ends and censorings at that
        time; a row where both are 0 is an entry only).  Nothing is drawn past the follow-up.
    """
    table = event_table(frame, by=by)
    lower, upper = loglog_bounds(table.survival, table.greenwood)
    out = _keyed(table, table.group, table.time)
    out["estimate"], out["lower_95"], out["upper_95"] = table.survival, lower, upper
    out["n_at_risk"] = table.at_risk.astype(int)
    out["n_events"] = table.observed.astype(int)
    out["n_censored"] = (table.removed - table.observed).astype(int)
    return out


def cumulative_density(estimates: pd.DataFrame) -> pd.DataFrame:
    """The share that has had the event by t, 1 - S(t), with its 95% band.

    Lifelines' ``cumulative_density_`` and ``confidence_interval_cumulative_density_``: the estimate
    is ``1 - S(t)`` and the band is the survival band turned over (``lower_95 = 1 - upper_95`` of
    S(t), ``upper_95 = 1 - lower_95``).  Used where reaching the event is the good outcome, for
    example the share of staffing requests filled within t days.

    Parameters
    ----------
    estimates : pandas.DataFrame
        Output of :func:`survival_at`, :func:`conditional_survival` or :func:`km_curve`.

    Returns
    -------
    pandas.DataFrame
        A copy with the same columns and rows; ``estimate``, ``lower_95`` and ``upper_95`` refer to
        1 - S(t).  Figures blanked with a note (beyond follow-up, too few at risk) stay NaN.
    """
    out = estimates.copy()
    survival, lower, upper = (estimates[c].to_numpy(dtype=float) for c in ("estimate", "lower_95", "upper_95"))
    out["estimate"], out["lower_95"], out["upper_95"] = 1 - survival, 1 - upper, 1 - lower
    return out


def lifelines_km(frame: pd.DataFrame, *, label: str | None = None) -> KaplanMeierFitter:
    """A :class:`lifelines.KaplanMeierFitter` fitted on the frame, with its entry times.

    For analysts who want lifelines' own methods (plots, ``predict``); the figures of this module
    equal it.
    """
    entry = frame["entry_days"] if (frame["entry_days"] > 0).any() else None
    return KaplanMeierFitter(label=label).fit(frame["duration_days"], frame["event"], entry=entry)


def _survival_rows(table: EventTable, times: Sequence[float], settings: Settings) -> pd.DataFrame:
    group, time, row = locate(table, times)
    survival = take(table.survival, row, 1.0)
    lower, upper = loglog_bounds(survival, take(table.greenwood, row, 0.0))
    out = _keyed(table, group, time)
    out["estimate"], out["lower_95"], out["upper_95"] = survival, lower, upper
    out["n_at_risk"] = at_risk_at(table, row, time).astype(int)
    out["note"] = ""
    return blank(
        out,
        beyond=beyond_follow_up(table, group, time),
        few=thin_at(table, row, out["n_at_risk"].to_numpy(), settings.min_at_risk),
        settings=settings,
        what="survival figures",
    )


def _keyed(table: EventTable, group: np.ndarray, time: np.ndarray) -> pd.DataFrame:
    out = table.keys.iloc[group].reset_index(drop=True)
    out["time_days"] = np.asarray(time, dtype=float)
    out["time_months"] = out["time_days"] / DAYS_PER_MONTH
    return out


def _first_row(table: EventTable, mask: np.ndarray) -> np.ndarray:
    """Per group, the first row where ``mask`` holds (-1 if none)."""
    rows = np.flatnonzero(mask)
    groups, position = np.unique(table.group[rows], return_index=True)
    first = np.full(table.n_groups, -1, dtype=np.int64)
    first[groups] = rows[position]
    return first
