"""End reasons as competing risks: Aalen-Johansen cumulative incidence per reason.

The cumulative incidence of reason k is ``F_k(t) = sum_{t_i <= t} S(t_i-) d_k(t_i) / n(t_i)`` with S
the all-cause Kaplan-Meier curve.  Day-level data has many tied end days; this is the exact,
tie-aware form of the estimator (several reasons may end placements on the same day), so it is
deterministic and ``S(t) + sum_k F_k(t) = 1`` holds to rounding.  lifelines'
``AalenJohansenFitter`` instead jitters tied times at random, which makes its figures depend on
the seed and on row order; on data without ties the two agree (tests hold them within 1e-12).

Intervals use lifelines' variance (Collett's delta-method formula) on the log(-log) scale; lifelines
labels them the wrong way round (its "upper" column holds the lower bound): here ``lower_95`` is the
lower bound.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..config import DEFAULT_SETTINGS, Settings
from ..schema import END_REASONS
from ._notes import blank
from ._table import at_risk_at, beyond_follow_up, event_table, grouped_cumsum, locate, take, thin_at
from .estimates import Z95, By, loglog_bounds
from .tenure import DAYS_PER_MONTH, REASON_GROUPS

STILL_PLACED = "still_placed"
"""Cause label of the rows holding S(t), the share with no ending yet."""

CAUSE_LEVELS = {
    "end_reason": tuple(END_REASONS),
    "reason_group": tuple(dict.fromkeys(REASON_GROUPS.values())),
}
"""The causes reported for each way of naming them."""


def cumulative_incidence(
    frame: pd.DataFrame,
    *,
    causes: str = "end_reason",
    levels: Sequence | None = None,
    times: Sequence[float] | None = None,
    by: By = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Cumulative incidence of each end reason (Aalen-Johansen) with 95% CIs, plus S(t).

    Parameters
    ----------
    frame : pandas.DataFrame
        Tenure frame (``duration_days``, ``event``, ``entry_days`` and the ``causes`` column).
    causes : str
        Column naming the cause of each ended row: ``"end_reason"`` (each reason),
        ``"reason_group"`` (client side / our side / natural end / other), or any other column with
        any codes (strings or integers, as lifelines' ``event_col``); its causes are then the
        distinct values of the ended rows, in sorted order.
    levels : sequence, optional
        The causes to report, for a column of your own: a cause no row ended of yet is reported
        too (an incidence of 0, not a missing row).  Default: as said under ``causes``.
    times : sequence of float, optional
        Days to report at; default every distinct time of each group (the whole curve).
    by : str or list of str, optional
        Grouping columns.
    settings : Settings
        ``min_at_risk``.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``time_days``, ``time_months``, ``cause`` (each cause, then
        ``"still_placed"`` for S(t)), ``estimate``, ``lower_95``, ``upper_95``, ``n_at_risk``, ``note``.
        At each time the estimates of one group sum to 1.

    Warns
    -----
    InsufficientDataWarning
        When a figure at a requested time rests on fewer than ``settings.min_at_risk`` at risk.
    """
    levels = cause_levels(frame, causes, levels)
    code = pd.Categorical(frame[causes], categories=levels).codes + 1
    table = event_table(
        frame.assign(_cause=code), by=by, causes=range(1, len(levels) + 1), cause_column="_cause"
    )
    incidence, variance = _aalen_johansen(table)
    curves = np.column_stack([incidence, table.survival])
    # every row ended, all of this one cause: F = 1 with no variance, a point.  In floats the sum falls a few ulp
    # short of 1 and the variance keeps rounding noise above eps, which the log(-log) scale blew up to [0, 1]
    certain = (table.survival == 0)[:, None] & (incidence > 0) & ((incidence > 0).sum(axis=1) == 1)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        log_f = np.log(incidence)
        # no variance: the interval is the point, as scikit-survival
        no_variance = (variance <= np.finfo(float).eps) | certain
        se = np.where(no_variance, 0.0, np.sqrt(variance) / (incidence * np.abs(log_f)))
        lower = np.where(incidence > 0, np.exp(-np.exp(np.log(-log_f) + Z95 * se)), 0.0)
        upper = np.where(incidence > 0, np.exp(-np.exp(np.log(-log_f) - Z95 * se)), 0.0)
    s_lower, s_upper = loglog_bounds(table.survival, table.greenwood)
    bounds = (np.column_stack([lower, s_lower]), np.column_stack([upper, s_upper]))
    if times is None:
        group, time, row = table.group, table.time, np.arange(len(table.time))
        n_at_risk = table.at_risk
    else:
        group, time, row = locate(table, times)
        n_at_risk = at_risk_at(table, row, time)
    labels = [*levels, STILL_PLACED]
    before = np.array([0.0] * len(levels) + [1.0])  # before a group's first row nothing has ended
    k = len(labels)
    out = table.keys.iloc[np.repeat(group, k)].reset_index(drop=True)
    out["time_days"] = np.repeat(np.asarray(time, dtype=float), k)
    out["time_months"] = out["time_days"] / DAYS_PER_MONTH
    out["cause"] = np.tile(np.array(labels, dtype=object), len(row))
    for name, values in (("estimate", curves), ("lower_95", bounds[0]), ("upper_95", bounds[1])):
        out[name] = np.where((row >= 0)[:, None], take(values, row, 0.0), before).ravel()
    out["n_at_risk"] = np.repeat(n_at_risk, k).astype(int)
    out["note"] = ""
    beyond = np.repeat(beyond_follow_up(table, group, time), k)
    few = (
        np.repeat(thin_at(table, row, n_at_risk, settings.min_at_risk), k)
        if times is not None
        else np.zeros(len(out), bool)
    )
    return blank(out, beyond=beyond, few=few, settings=settings, what="cumulative incidences")


def cause_levels(frame: pd.DataFrame, causes: str, levels: Sequence | None = None) -> tuple:
    """The causes reported for a cause column: ``levels`` if given, the package's names for its own columns,
    else the codes seen."""
    if causes not in frame.columns:
        raise ValueError(
            f"The value for `causes` must name a column of the frame, but {causes!r} is not among "
            f"{sorted(map(str, frame.columns))}"
        )
    ended = frame.loc[frame["event"].to_numpy(dtype=bool), causes]
    if ended.isna().any():
        at = ended.index[ended.isna()][0]
        raise ValueError(f"Every ended row must have a cause in `{causes}`, but row {at} has none")
    if levels is not None:
        unknown = ~ended.isin(levels)
        if unknown.any():
            at = ended.index[unknown][0]
            raise ValueError(f"The causes in `{causes}` must be among {list(levels)}, but row {at} has "
                             f"{ended[at]!r}")
        return tuple(levels)
    if causes in CAUSE_LEVELS:
        return CAUSE_LEVELS[causes]
    return tuple(sorted(ended.unique()))


def _aalen_johansen(table) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative incidence and its variance per row and cause (Collett's formula, as lifelines)."""
    n, d, d_k = table.exposed, table.observed, table.cause_deaths
    first = np.ones(len(n), dtype=bool)
    first[1:] = table.group[1:] != table.group[:-1]
    lag_survival = np.where(first, 1.0, np.roll(table.survival, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        step = np.where(d_k > 0, lag_survival[:, None] * d_k / n[:, None], 0.0)
        a = np.where((d > 0) & (n > d), d / (n * (n - d)), 0.0)[:, None]
        b = np.where(d_k > 0, lag_survival[:, None] ** 2 * d_k * (n[:, None] - d_k) / n[:, None] ** 3, 0.0)
        c = np.where(d_k > 0, lag_survival[:, None] * d_k / n[:, None] ** 2, 0.0)
    incidence = grouped_cumsum(step, table.group)
    sums = grouped_cumsum(
        np.column_stack([a, a * incidence, a * incidence**2, b, c, c * incidence]), table.group
    )
    k = d_k.shape[1]
    a0, a1, a2, b0, c0, c1 = np.split(sums, [1, 1 + k, 1 + 2 * k, 1 + 3 * k, 1 + 4 * k], axis=1)
    variance = incidence**2 * a0 - 2 * incidence * a1 + a2 + b0 - 2 * (incidence * c0 - c1)
    return incidence, np.clip(variance, 0, None)
