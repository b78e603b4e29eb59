"""Comparing groups: log-rank tests (overall and pairwise, Holm-adjusted) and a Cox model.

The log-rank tests take left truncation into account (a placement is at risk from its entry), and
reduce to lifelines' ``logrank_test`` / ``multivariate_logrank_test`` when there is none.
p-values are also given as log10, because for large differences they underflow to 0.0: use
:func:`format_p` to print them ("< 1e-300").
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter
from lifelines.statistics import proportional_hazard_test
from scipy import stats

from ..stats import log_chi2_sf
from ._table import group_codes
from .estimates import By

LN10 = math.log(10.0)
PH_ALPHA = 0.05
"""A proportional-hazards test below this p-value flags the covariate."""


def format_p(log10_p: float) -> str:
    """Print a p-value from its log10: ``"0.032"``, ``"2.1e-12"`` or ``"< 1e-300"``."""
    if np.isnan(log10_p):
        return "—"
    if log10_p < -300:
        return "< 1e-300"
    p = 10.0**log10_p
    return f"{p:.2g}" if p < 0.001 else f"{p:.3f}"


def logrank(frame: pd.DataFrame, *, by: By) -> pd.DataFrame:
    """Log-rank test that all groups share one survival curve.

    Returns
    -------
    pandas.DataFrame
        One row: ``n_groups``, ``test_statistic`` (chi-squared, ``n_groups - 1`` df), ``df``,
        ``p_value``, ``log10_p``.
    """
    codes, keys = group_codes(frame, by)
    statistic, df = _logrank(frame, codes, len(keys))
    log10_p = log10_chi2_sf(statistic, df) if df else np.nan
    return pd.DataFrame(
        {
            "n_groups": [len(keys)],
            "test_statistic": [statistic],
            "df": [df],
            "p_value": [10.0**log10_p],
            "log10_p": [log10_p],
        }
    )


def pairwise_logrank(frame: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Log-rank test of every pair of groups, with Holm-adjusted p-values.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tenure or account frame.
    by : str
        The grouping column.

    Returns
    -------
    pandas.DataFrame
        ``group_a``, ``group_b``, ``n_a``, ``n_b``, ``events_a``, ``events_b``, ``test_statistic``,
        ``p_value``, ``log10_p``, ``p_adjusted``, ``log10_p_adjusted`` (Holm, controls the
        family-wise error rate).
    """
    codes, keys = group_codes(frame, by)
    names = keys[by].tolist()
    event = frame["event"].to_numpy(dtype=bool)
    rows = []
    for a, b in itertools.combinations(range(len(names)), 2):
        mask = (codes == a) | (codes == b)
        statistic, _ = _logrank(frame.loc[mask], (codes[mask] == b).astype(np.int64), 2)
        rows.append(
            {
                "group_a": names[a],
                "group_b": names[b],
                "n_a": int((codes == a).sum()),
                "n_b": int((codes == b).sum()),
                "events_a": int(event[codes == a].sum()),
                "events_b": int(event[codes == b].sum()),
                "test_statistic": statistic,
                "log10_p": log10_chi2_sf(statistic, 1),
            }
        )
    out = pd.DataFrame(
        rows,
        columns=["group_a", "group_b", "n_a", "n_b", "events_a", "events_b", "test_statistic", "log10_p"],
    )
    out.insert(7, "p_value", 10.0 ** out["log10_p"])
    out["log10_p_adjusted"] = holm_log10(out["log10_p"].to_numpy())
    out.insert(9, "p_adjusted", 10.0 ** out["log10_p_adjusted"])
    return out


def log10_chi2_sf(statistic: float, df: int) -> float:
    """log10 of the chi-squared upper tail, exact (1e-12 relative) where the p-value itself underflows to 0."""
    return float(log_chi2_sf(statistic, df) / LN10)


def holm_log10(log10_p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment on log10 p-values (so tiny p-values do not underflow)."""
    m = len(log10_p)
    order = np.argsort(log10_p, kind="stable")
    stepped = np.log10(m - np.arange(m)) + log10_p[order]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(np.maximum.accumulate(stepped), 0.0)
    return adjusted


def cox_model(frame: pd.DataFrame, *, covariates: list[str]) -> pd.DataFrame:
    """Cox proportional-hazards model with hazard ratios and a proportional-hazards check.

    Categorical covariates are one-hot encoded against their first level (alphabetical), which is
    named in ``reference``.  Fitted by :class:`lifelines.CoxPHFitter` with the entry times; the
    check is lifelines' ``proportional_hazard_test`` (rank time transform) per term.  lifelines has
    no Schoenfeld residuals with entry times, so with left truncation the check is made on the
    placements observed from their start (``entry_days == 0``): chosen by start date, not by
    survival, they are a fair sample of the same hazards.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tenure or account frame.
    covariates : list of str
        Columns to adjust for (for example ``["grade", "segment"]``).

    Returns
    -------
    pandas.DataFrame
        ``term``, ``reference``, ``estimate`` (hazard ratio), ``lower_95``, ``upper_95``,
        ``p_value``, ``log10_p``, ``ph_p_value``, ``ph_ok`` and ``note`` (says when proportional
        hazards are doubtful: then the hazard ratio is an average over time).
    """
    missing = [c for c in covariates if c not in frame.columns]
    if missing:
        raise ValueError(
            f"The value for `covariates` must name columns of the frame, but {missing} are not among them"
        )
    design, references = _design(frame, covariates)
    entry = "entry_days" if (frame["entry_days"] > 0).any() else None
    data = pd.concat([frame[["duration_days", "event", "entry_days"]].astype(float), design], axis=1)
    if entry is None:
        data = data.drop(columns="entry_days")
    model = CoxPHFitter().fit(data, duration_col="duration_days", event_col="event", entry_col=entry)
    summary = model.summary
    if entry is None:
        checked, check_data = model, data
    else:
        check_data = data[data["entry_days"] == 0].drop(columns="entry_days")
        checked = CoxPHFitter().fit(check_data, duration_col="duration_days", event_col="event")
    ph = proportional_hazard_test(checked, check_data, time_transform="rank").summary["p"]
    z = summary["z"].to_numpy()
    out = pd.DataFrame(
        {
            "term": summary.index.astype(str),
            "reference": [references.get(term) for term in summary.index],
            "estimate": summary["exp(coef)"].to_numpy(),
            "lower_95": summary["exp(coef) lower 95%"].to_numpy(),
            "upper_95": summary["exp(coef) upper 95%"].to_numpy(),
            "log10_p": (stats.norm.logsf(np.abs(z)) + math.log(2.0)) / LN10,
            "ph_p_value": ph.reindex(summary.index).to_numpy(),
        }
    )
    out.insert(5, "p_value", 10.0 ** out["log10_p"])
    out["ph_ok"] = out["ph_p_value"] >= PH_ALPHA
    out["note"] = np.where(out["ph_ok"], "", "proportional hazards doubtful: hazard ratio varies over time")
    return out


def _design(frame: pd.DataFrame, covariates: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    parts, references = [], {}
    for column in covariates:
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            parts.append(values.astype(float).rename(column))
            continue
        levels = sorted(values.dropna().astype(str).unique())
        dummies = pd.get_dummies(values.astype(str), prefix=column, prefix_sep="=", dtype=float)
        dummies = dummies[[f"{column}={level}" for level in levels[1:]]]
        references.update({name: f"{column}={levels[0]}" for name in dummies.columns})
        parts.append(dummies)
    return pd.concat(parts, axis=1), references


def _logrank(frame: pd.DataFrame, codes: np.ndarray, n_groups: int) -> tuple[float, int]:
    """Chi-squared statistic and degrees of freedom of the K-sample log-rank test with entry times."""
    duration = frame["duration_days"].to_numpy(dtype=float)
    entry = frame["entry_days"].to_numpy(dtype=float)
    event = frame["event"].to_numpy(dtype=bool)
    times = np.unique(duration[event])
    if n_groups < 2 or len(times) == 0:
        return np.nan, max(n_groups - 1, 0)
    start = min(entry.min(), duration.min())
    at_risk = np.empty((len(times), n_groups))
    deaths = np.empty((len(times), n_groups))
    for k in range(n_groups):
        member = codes == k
        entries = np.sort(entry[member])
        # entrants at t are at risk from t only at the very first time (lifelines' convention)
        at_risk[:, k] = (
            np.searchsorted(entries, times, "left")
            - np.searchsorted(np.sort(duration[member]), times, "left")
            + np.where(
                times == start,
                np.searchsorted(entries, times, "right") - np.searchsorted(entries, times, "left"),
                0,
            )
        )
        ends = np.sort(duration[member & event])
        deaths[:, k] = np.searchsorted(ends, times, "right") - np.searchsorted(ends, times, "left")
    n, d = at_risk.sum(axis=1), deaths.sum(axis=1)
    observed_minus_expected = (deaths - at_risk * (d / n)[:, None]).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        weight = np.where(n > 1, d * (n - d) / (n - 1) / n**2, 0.0)
    weighted = at_risk * weight[:, None]
    covariance = np.diag((weighted * n[:, None]).sum(axis=0)) - weighted.T @ at_risk
    u, v = observed_minus_expected[:-1], covariance[:-1, :-1]
    return float(u @ np.linalg.pinv(v) @ u), n_groups - 1
