"""How much each factor matters: importance from overall ratings or from retention.

* :func:`shapley_importance` decomposes the R^2 of a linear model of the clients' overall ratings
  on the factor scores into one share per factor (Shapley values / LMG relative importance:
  each factor's average gain in R^2 over all orders of entry), pooled across clients, with
  bootstrap CIs;
* :func:`retention_importance` fits a logistic regression of account churn on standardised
  factor scores: a factor whose higher score goes with less churn is important;
* :func:`importance_performance` crosses importance with the current factor scores into the
  classic quadrant ("concentrate here", "keep up the good work", ...);
* :func:`weights_from_importance` turns importance into CSI weights for ``Settings``.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from ..config import FACTORS

QUADRANTS = ("concentrate_here", "keep_up", "low_priority", "possible_overkill")


def wide_scores(scores: pd.DataFrame, *, index: str | list[str] = "interview_id") -> pd.DataFrame:
    """Factor scores as one column per factor (``estimate``; NaN where evidence is insufficient).

    Parameters
    ----------
    scores : pandas.DataFrame
        :func:`~outstaff_analysis.csi.scores.interview_scores` or ``client_quarter_scores``.
    index : str or list of str
        Key column(s) of the rows.
    """
    index = [index] if isinstance(index, str) else list(index)
    rows = scores.loc[scores["factor"].isin(FACTORS)]
    wide = rows.pivot_table(index=index, columns="factor", values="estimate", aggfunc="first", dropna=False)
    return wide.reindex(columns=list(FACTORS)).reset_index().rename_axis(columns=None)


def rating_frame(scores: pd.DataFrame, interviews: pd.DataFrame) -> pd.DataFrame:
    """Interview factor scores beside the overall rating the client gave: the input of
    :func:`shapley_importance`.

    Parameters
    ----------
    scores : pandas.DataFrame
        :func:`~outstaff_analysis.csi.scores.interview_scores` output.
    interviews : pandas.DataFrame
        Processed interviews table (``interview_id``, ``overall_rating``).

    Returns
    -------
    pandas.DataFrame
        ``interview_id``, one column per factor, ``overall_rating`` (NaN where none was given).
    """
    return wide_scores(scores).merge(interviews[["interview_id", "overall_rating"]], on="interview_id", how="left")


def retention_frame(client_quarters: pd.DataFrame, lives: pd.DataFrame) -> pd.DataFrame:
    """Each client's mean factor scores over its quarters beside whether its account churned: the
    input of :func:`retention_importance`.

    Parameters
    ----------
    client_quarters : pandas.DataFrame
        :func:`~outstaff_analysis.csi.scores.client_quarter_scores` output.
    lives : pandas.DataFrame
        :func:`outstaff_analysis.survival.account_lives` output (``client_id``, ``life``, ``event``);
        a client counts as churned when its last account life ended in churn.

    Returns
    -------
    pandas.DataFrame
        ``client_id``, one column per factor, ``churned`` (bool).
    """
    scores = wide_scores(client_quarters, index=["client_id", "quarter"])
    means = scores.groupby("client_id", as_index=False)[list(FACTORS)].mean()
    last = lives.sort_values(["client_id", "life"]).groupby("client_id", as_index=False)["event"].last()
    out = means.merge(last.rename(columns={"event": "churned"}), on="client_id", how="inner")
    out["churned"] = out["churned"].astype(bool)
    return out


def _prepare(data: pd.DataFrame, factors, target: str) -> tuple[np.ndarray, np.ndarray]:
    frame = data.loc[data[target].notna(), [*factors, target]]
    x = frame[list(factors)].to_numpy(dtype=float)
    means = np.nanmean(x, axis=0) if len(x) else np.zeros(len(factors))
    x = np.where(np.isnan(x), np.nan_to_num(means), x)  # a factor nobody spoke of in an interview: its mean
    return x, frame[target].to_numpy(dtype=float)


def _subset_r2(x: np.ndarray, y: np.ndarray) -> dict[frozenset, float]:
    """R^2 of the OLS fit (with intercept) of y on every subset of the columns of x."""
    xc = x - x.mean(axis=0)
    yc = y - y.mean()
    sxx, sxy, syy = xc.T @ xc, xc.T @ yc, float(yc @ yc)
    out = {frozenset(): 0.0}
    for size in range(1, x.shape[1] + 1):
        for subset in itertools.combinations(range(x.shape[1]), size):
            idx = list(subset)
            beta = np.linalg.lstsq(sxx[np.ix_(idx, idx)], sxy[idx], rcond=None)[0]
            out[frozenset(subset)] = float(sxy[idx] @ beta / syy) if syy > 0 else np.nan
    return out


def shapley_r2(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Shapley decomposition of the R^2 of y on the columns of x (sums to the full R^2).

    Parameters
    ----------
    x : numpy.ndarray
        ``(n, p)`` predictors.
    y : numpy.ndarray
        ``(n,)`` response.

    Returns
    -------
    numpy.ndarray
        ``(p,)`` shares of R^2.
    """
    p = x.shape[1]
    r2 = _subset_r2(x, y)
    values = np.zeros(p)
    for j in range(p):
        others = [k for k in range(p) if k != j]
        for size in range(p):
            weight = math.factorial(size) * math.factorial(p - size - 1) / math.factorial(p)
            for subset in itertools.combinations(others, size):
                s = frozenset(subset)
                values[j] += weight * (r2[s | {j}] - r2[s])
    return values


def shapley_importance(data: pd.DataFrame, *, target: str = "overall_rating", factors=FACTORS,
                       n_boot: int = 200, level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Relative importance of the factors for the overall rating (Shapley / LMG).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per interview (pooled across clients): a score column per factor (as from
        :func:`wide_scores`) and ``target``.  Rows without a target are dropped; a missing factor
        score is replaced by that factor's mean.
    target : str
        Column of the overall rating.
    factors : sequence of str
    n_boot : int
        Bootstrap resamples of the rows for the intervals.
    level : float
        Confidence level of the percentile intervals.
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        One row per factor: ``factor, r2_share`` (its part of R^2), ``estimate`` (share of the
        explained R^2, the factors' estimates sum to 1), ``lower_95, upper_95`` (of
        ``estimate``), ``r2`` (full model), ``n``.
    """
    x, y = _prepare(data, factors, target)
    if len(y) < len(factors) + 2:
        raise ValueError(f"Shapley importance needs at least {len(factors) + 2} rated interviews, got {len(y)}")
    values = shapley_r2(x, y)
    rng = np.random.default_rng(seed)
    boot = np.empty((n_boot, len(factors)))
    for b in range(n_boot):
        rows = rng.integers(0, len(y), len(y))
        v = shapley_r2(x[rows], y[rows])
        boot[b] = v / v.sum() if v.sum() > 0 else np.nan
    tail = (1 - level) / 2
    return pd.DataFrame({
        "factor": list(factors),
        "r2_share": values,
        "estimate": values / values.sum(),
        "lower_95": np.nanquantile(boot, tail, axis=0),
        "upper_95": np.nanquantile(boot, 1 - tail, axis=0),
        "r2": values.sum(),
        "n": len(y),
    })


def _logit_coef(x: np.ndarray, y: np.ndarray, c: float) -> np.ndarray:
    sd = x.std(axis=0)
    z = (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    return LogisticRegression(C=c).fit(z, y).coef_[0]


def retention_importance(data: pd.DataFrame, *, target: str = "churned", factors=FACTORS, n_boot: int = 200,
                         level: float = 0.95, c: float = 1.0, seed: int = 0) -> pd.DataFrame:
    """Which factor scores predict account churn (L2 logistic regression on standardised scores).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per client: a score column per factor (for example the mean of its quarters) and
        a boolean ``target`` (the account churned).  A missing score is replaced by the mean.
    target : str
    factors : sequence of str
    n_boot : int
        Bootstrap resamples of the clients for the intervals.
    level : float
    c : float
        Inverse L2 penalty of the logistic regression.
    seed : int

    Returns
    -------
    pandas.DataFrame
        One row per factor: ``factor, coef`` (change in the log-odds of churn per standard deviation
        of the score; negative = protective), ``lower_95, upper_95`` (of ``coef``), ``estimate``
        (importance: the protective part ``max(0, -coef)`` as a share summing to 1), ``n``,
        ``n_churned``.
    """
    x, y = _prepare(data, factors, target)
    y = y.astype(int)
    if y.min() == y.max():
        raise ValueError("retention importance needs both churned and retained accounts")
    coef = _logit_coef(x, y, c)
    rng = np.random.default_rng(seed)
    boot = []
    while len(boot) < n_boot:
        rows = rng.integers(0, len(y), len(y))
        if y[rows].min() != y[rows].max():
            boot.append(_logit_coef(x[rows], y[rows], c))
    tail = (1 - level) / 2
    protective = np.clip(-coef, 0, None)
    return pd.DataFrame({
        "factor": list(factors),
        "coef": coef,
        "lower_95": np.quantile(boot, tail, axis=0),
        "upper_95": np.quantile(boot, 1 - tail, axis=0),
        "estimate": protective / protective.sum() if protective.sum() > 0 else np.nan,
        "n": len(y),
        "n_churned": int(y.sum()),
    })


def importance_performance(importance: pd.DataFrame, performance: pd.DataFrame) -> pd.DataFrame:
    """Importance x performance quadrant table.

    Parameters
    ----------
    importance : pandas.DataFrame
        ``factor, estimate`` (from :func:`shapley_importance` or :func:`retention_importance`).
    performance : pandas.DataFrame
        ``factor, estimate`` factor scores 0-100 (for example one client-quarter's rows of
        ``client_quarter_scores``); other factors (``csi``) are ignored.

    Returns
    -------
    pandas.DataFrame
        ``factor, importance, performance, quadrant, importance_cut, performance_cut``; the cuts
        are the means over the factors, and ``quadrant`` is one of :data:`QUADRANTS`
        (``concentrate_here``: important and weak; ``keep_up``: important and strong;
        ``low_priority``: neither; ``possible_overkill``: strong where it matters little).
    """
    table = importance[["factor", "estimate"]].rename(columns={"estimate": "importance"}).merge(
        performance.loc[performance["factor"].isin(FACTORS), ["factor", "estimate"]].rename(
            columns={"estimate": "performance"}), on="factor", how="inner")
    imp_cut, perf_cut = table["importance"].mean(), table["performance"].mean()
    high_imp = table["importance"] >= imp_cut
    high_perf = table["performance"] >= perf_cut
    table["quadrant"] = np.select([high_imp & ~high_perf, high_imp & high_perf, ~high_imp & ~high_perf],
                                  QUADRANTS[:3], QUADRANTS[3])
    table.loc[table["performance"].isna(), "quadrant"] = None
    table["importance_cut"] = imp_cut
    table["performance_cut"] = perf_cut
    return table


def weights_from_importance(importance: pd.DataFrame) -> dict[str, float]:
    """CSI weights (summing to 1) from an importance table, for ``settings.replace(csi_weights=...)``."""
    values = importance.set_index("factor")["estimate"].clip(lower=0).fillna(0.0)
    if values.sum() <= 0:
        raise ValueError("importance is zero for every factor; cannot derive weights")
    return {f: float(v) for f, v in (values / values.sum()).items()}


__all__ = ["QUADRANTS", "importance_performance", "rating_frame", "retention_frame", "retention_importance",
           "shapley_importance", "shapley_r2", "weights_from_importance", "wide_scores"]
