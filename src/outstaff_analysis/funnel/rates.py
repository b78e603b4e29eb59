"""Conversion rates of the funnel with Wilson intervals, and empirical-Bayes shrinkage for ranking.

A client with one CV shown and one approval is not at "100 %": the Wilson interval says how little
that shows, and :func:`shrink_rates` pulls small samples toward the firm-wide rate with a
beta-binomial prior fitted to all groups (empirical Bayes), which is what a ranking should use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, special
from scipy import stats as st

from ..stats import wilson_ci
from .stages import PROGRESS

RATES = (
    ("approved_per_shown", "approved", "shown"),
    ("interview_per_shown", "interview", "shown"),
    ("approved_per_interview", "approved", "interview"),
    ("started_per_approved", "started", "approved"),
)
"""Rate name, numerator stage and denominator stage.  ``approved_per_shown`` is the north star."""

NORTH_STAR = "approved_per_shown"

_RATE_VALUES = ("successes", "trials", "estimate", "lower_95", "upper_95")


def _group_columns(counts: pd.DataFrame) -> list[str]:
    return [c for c in counts.columns if c not in ("requests", *PROGRESS)]


def funnel_rates(counts: pd.DataFrame, *, level: float = 0.95) -> pd.DataFrame:
    """Conversion rates with Wilson confidence intervals from cohort funnel counts.

    Parameters
    ----------
    counts : DataFrame
        Output of :func:`~outstaff_analysis.funnel.funnel_counts` with ``view="cohort"``.
    level : float
        Confidence level of the interval (the columns keep the ``_95`` names only for 0.95).

    Returns
    -------
    DataFrame
        The group columns of ``counts`` plus ``rate`` (one of :data:`RATES`), ``successes``,
        ``trials``, ``estimate``, ``lower_95``, ``upper_95``; NaN where ``trials`` is 0.
    """
    if "view" in counts and (counts["view"] != "cohort").any():
        raise ValueError(
            "Rates need the cohort view: activity counts of different specialists are not proportions; "
            "call funnel_counts(..., view='cohort')"
        )
    groups = _group_columns(counts)
    frames = []
    for name, numerator, denominator in RATES:
        k = counts[numerator].to_numpy(dtype=float)
        n = counts[denominator].to_numpy(dtype=float)
        lower, upper = wilson_ci(k, n, level=level)
        with np.errstate(invalid="ignore", divide="ignore"):
            estimate = np.where(n > 0, k / n, np.nan)
        frame = counts[groups].copy()
        frame["rate"] = name
        frame["successes"] = k.astype(np.int64)
        frame["trials"] = n.astype(np.int64)
        frame["estimate"] = estimate
        frame["lower_95"] = lower
        frame["upper_95"] = upper
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _neg_loglik(params, k, n, weight):
    """Negative beta-binomial log likelihood in (logit mean, log strength), with its gradient."""
    mean = special.expit(params[0])
    strength = np.exp(params[1])
    a, b = mean * strength, (1 - mean) * strength
    value = -np.sum(weight * (special.betaln(k + a, n - k + b) - special.betaln(a, b)))
    common = special.digamma(n + strength) - special.digamma(strength)
    d_a = -np.sum(weight * (special.digamma(k + a) - special.digamma(a) - common))
    d_b = -np.sum(weight * (special.digamma(n - k + b) - special.digamma(b) - common))
    spread = strength * mean * (1 - mean)
    return value, np.array([spread * (d_a - d_b), a * d_a + b * d_b])


def fit_beta_prior(successes, trials) -> tuple[float, float]:
    """Fit a beta prior to binomial counts of many groups by maximum marginal likelihood.

    Parameters
    ----------
    successes, trials : array-like
        Counts per group; groups with no trials carry no information and are ignored.

    Returns
    -------
    alpha, beta : float
        Prior parameters; their sum (the prior's weight in pseudo-trials) is kept within
        [0.1, 1e6] so that identical groups give a strong but finite prior.
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    keep = n > 0
    if not keep.any():
        return np.nan, np.nan
    pairs, weight = np.unique(np.column_stack([k[keep], n[keep]]), axis=0, return_counts=True)
    k, n = pairs[:, 0], pairs[:, 1]
    pooled = np.clip(np.sum(weight * k) / np.sum(weight * n), 1e-4, 1 - 1e-4)
    start = np.array([special.logit(pooled), np.log(10.0)])
    bounds = [(-12.0, 12.0), (np.log(0.1), np.log(1e6))]
    result = optimize.minimize(_neg_loglik, start, args=(k, n, weight), method="TNC", jac=True, bounds=bounds)
    mean = special.expit(result.x[0])
    strength = np.exp(result.x[1])
    return float(mean * strength), float((1 - mean) * strength)


def shrink_rates(rates: pd.DataFrame, *, across: str = "client_id", level: float = 0.95) -> pd.DataFrame:
    """Empirical-Bayes (beta-binomial) shrunken rates, for ranking groups with small samples.

    Within each rate and each combination of the other group columns (for example each quarter),
    a beta prior is fitted to the groups in ``across``; each group's shrunken estimate is its
    posterior mean, with an equal-tailed posterior interval.

    Parameters
    ----------
    rates : DataFrame
        Output of :func:`funnel_rates`.
    across : str
        Column whose groups share a prior (the groups being ranked).
    level : float
        Level of the posterior interval.

    Returns
    -------
    DataFrame
        ``rates`` with ``prior_mean``, ``prior_strength`` (pseudo-trials), ``shrunk_estimate``,
        ``shrunk_lower_95`` and ``shrunk_upper_95``; NaN where ``trials`` is 0.
    """
    if across not in rates:
        raise ValueError(f"The value for `across` must be a column of `rates`, but {across!r} was passed")
    fixed = [c for c in rates.columns if c not in (across, *_RATE_VALUES)]
    out = rates.copy()
    alpha = np.full(len(out), np.nan)
    beta = np.full(len(out), np.nan)
    for index in out.groupby(fixed, sort=False).indices.values():
        a, b = fit_beta_prior(out["successes"].to_numpy()[index], out["trials"].to_numpy()[index])
        alpha[index], beta[index] = a, b
    k = out["successes"].to_numpy(dtype=float)
    n = out["trials"].to_numpy(dtype=float)
    post_a, post_b = alpha + k, beta + n - k
    has = n > 0
    out["prior_mean"] = alpha / (alpha + beta)
    out["prior_strength"] = alpha + beta
    out["shrunk_estimate"] = np.where(has, post_a / (post_a + post_b), np.nan)
    tail = (1 - level) / 2
    out["shrunk_lower_95"] = np.where(has, st.beta.ppf(tail, post_a, post_b), np.nan)
    out["shrunk_upper_95"] = np.where(has, st.beta.ppf(1 - tail, post_a, post_b), np.nan)
    return out


__all__ = ["NORTH_STAR", "RATES", "fit_beta_prior", "funnel_rates", "shrink_rates"]
