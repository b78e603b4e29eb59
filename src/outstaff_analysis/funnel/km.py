"""Kaplan-Meier for many groups at once: one sort and grouped cumulative sums.

The estimate and its exponential-Greenwood interval follow lifelines' ``KaplanMeierFitter``
formula for formula (``S = exp(cumsum(log(n - d) - log(n)))``, ``var = cumsum(d / (n (n - d)))``
with the last term 0 when everyone at risk has the event), so the two agree to rounding; the tests
hold them equal within 1e-12.  This is the fast path used for portfolio-wide tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as st


def km_table(durations, events, groups=None, *, level: float = 0.95) -> pd.DataFrame:
    """Kaplan-Meier survival curves, one per group, with exponential-Greenwood intervals.

    Parameters
    ----------
    durations : array-like of float
        Time to the event or to censoring.
    events : array-like of bool
        True where the event was observed.
    groups : array-like, optional
        Group label of each observation; None for a single curve (group 0).
    level : float
        Confidence level.

    Returns
    -------
    DataFrame
        One row per group and distinct observed time, sorted: ``group``, ``timeline``,
        ``n_at_risk``, ``events``, ``censored``, ``estimate``, ``lower_95``, ``upper_95``.
    """
    t = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=bool)
    g = np.zeros(t.size, dtype=np.int64) if groups is None else np.asarray(groups)
    gcode, glabels = pd.factorize(g, sort=True)
    order = np.lexsort((t, gcode))
    t, e, gcode = t[order], e[order], gcode[order]
    new = np.ones(t.size, dtype=bool)
    new[1:] = (t[1:] != t[:-1]) | (gcode[1:] != gcode[:-1])
    starts = np.flatnonzero(new)
    tick = np.cumsum(new) - 1
    total = np.bincount(tick, minlength=starts.size).astype(float)
    deaths = np.bincount(tick, weights=e, minlength=starts.size)
    row_g = gcode[starts]
    group_size = np.bincount(gcode, minlength=len(glabels)).astype(float)
    before = pd.Series(total).groupby(row_g).cumsum().to_numpy() - total
    at_risk = group_size[row_g] - before
    with np.errstate(divide="ignore", invalid="ignore"):
        log_step = np.log(at_risk - deaths) - np.log(at_risk)
        var_step = deaths / (at_risk * (at_risk - deaths))
    var_step[np.isinf(var_step)] = 0.0
    estimate = np.exp(pd.Series(log_step).groupby(row_g).cumsum().to_numpy())
    variance = pd.Series(var_step).groupby(row_g).cumsum().to_numpy()
    z = st.norm.ppf(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.log(estimate)
        lower = np.exp(-np.exp(np.log(-v) - z * np.sqrt(variance) / v))
        upper = np.exp(-np.exp(np.log(-v) + z * np.sqrt(variance) / v))
    return pd.DataFrame(
        {
            "group": np.asarray(glabels)[row_g],
            "timeline": t[starts],
            "n_at_risk": at_risk.astype(np.int64),
            "events": deaths.astype(np.int64),
            "censored": (total - deaths).astype(np.int64),
            "estimate": estimate,
            "lower_95": np.nan_to_num(lower, nan=1.0),
            "upper_95": np.nan_to_num(upper, nan=1.0),
        }
    )


def km_at(table: pd.DataFrame, times) -> pd.DataFrame:
    """Read Kaplan-Meier curves at given times, without extrapolating.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`km_table`.
    times : sequence of float
        Times to read.

    Returns
    -------
    DataFrame
        One row per group and time: ``group``, ``time``, ``n_at_risk`` (still at risk just after
        ``time``), ``estimate``, ``lower_95``, ``upper_95``.  Values past the group's last
        observed time are NaN (follow-up too short), not the carried-forward value.
    """
    groups = table["group"].drop_duplicates().to_numpy()
    grid = pd.DataFrame(
        {"group": np.repeat(groups, len(times)), "time": np.tile(np.asarray(times, dtype=float), len(groups))}
    )
    curve = table.sort_values("timeline")
    merged = pd.merge_asof(
        grid.sort_values("time"), curve, left_on="time", right_on="timeline", by="group", direction="backward"
    )
    for column in ("estimate", "lower_95", "upper_95"):
        merged[column] = merged[column].fillna(1.0)
    last = table.groupby("group")["timeline"].max()
    size = table.groupby("group")["n_at_risk"].first()
    beyond = merged["time"].to_numpy() > last.loc[merged["group"]].to_numpy()
    merged.loc[beyond, ["estimate", "lower_95", "upper_95"]] = np.nan
    left = merged["n_at_risk"] - merged["events"] - merged["censored"]
    merged["n_at_risk"] = left.fillna(size.loc[merged["group"]].set_axis(merged.index)).astype(np.int64)
    out = merged[["group", "time", "n_at_risk", "estimate", "lower_95", "upper_95"]]
    return out.sort_values(["group", "time"], kind="stable").reset_index(drop=True)


def km_quantile(table: pd.DataFrame, q: float = 0.5) -> pd.DataFrame:
    """Time at which each curve first falls to ``q`` or below, with its interval (as lifelines).

    Parameters
    ----------
    table : DataFrame
        Output of :func:`km_table`.
    q : float
        Survival level; 0.5 gives the median.

    Returns
    -------
    DataFrame
        One row per group: ``group``, ``estimate``, ``lower_95`` (where the lower band of the
        curve crosses ``q``), ``upper_95`` (where its upper band crosses it); NaN where a curve
        or band never reaches ``q`` within the follow-up.
    """
    groups = table["group"].drop_duplicates()
    out = pd.DataFrame({"group": groups.to_numpy()})
    for target, column in (("estimate", "estimate"), ("lower_95", "lower_95"), ("upper_95", "upper_95")):
        crossed = table.loc[table[column] <= q].groupby("group")["timeline"].first()
        out[target] = crossed.reindex(out["group"]).to_numpy()
    return out


__all__ = ["km_at", "km_quantile", "km_table"]
