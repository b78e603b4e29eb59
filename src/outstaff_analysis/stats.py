"""Small statistical helpers shared by the domain modules: binomial and Poisson intervals, exact log p-values."""

from __future__ import annotations

import functools

import numpy as np
from scipy import stats as _st


def wilson_ci(successes, trials, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion (vectorised).

    Parameters
    ----------
    successes, trials : array-like
        Counts; where ``trials == 0`` both bounds are NaN.
    level : float
        Confidence level.

    Returns
    -------
    lower, upper : numpy.ndarray
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    z = _st.norm.ppf(0.5 + level / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        # at k = 0 and k = n the bound is exactly 0 or 1: no rounding residue that would put the
        # point estimate outside its own interval
        lower = np.where(n > 0, np.where(k == 0, 0.0, np.clip(centre - half, 0, 1)), np.nan)
        upper = np.where(n > 0, np.where(k == n, 1.0, np.clip(centre + half, 0, 1)), np.nan)
    return lower, upper


def poisson_rate_ci(events, exposure, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) confidence interval for a Poisson rate ``events / exposure`` (vectorised).

    Parameters
    ----------
    events : array-like
        Event counts.
    exposure : array-like
        Exposure (for example placement-months); where it is 0 both bounds are NaN.
    level : float
        Confidence level.

    Returns
    -------
    lower, upper : numpy.ndarray
        Bounds of the rate, in events per unit of exposure.
    """
    k = np.asarray(events, dtype=float)
    t = np.asarray(exposure, dtype=float)
    alpha = 1 - level
    lower_count = np.where(k > 0, _st.chi2.ppf(alpha / 2, 2 * k) / 2, 0.0)
    upper_count = _st.chi2.ppf(1 - alpha / 2, 2 * (k + 1)) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = np.where(t > 0, lower_count / t, np.nan)
        upper = np.where(t > 0, upper_count / t, np.nan)
    return lower, upper


@functools.cache
def _chi2_family():
    """scipy's chi-squared distribution family in its log-space infrastructure (built on first use:
    0.2 s that every process importing this module paid, though only underflowing p-values need it)."""
    return _st.make_distribution(_st.chi2)


_SUBNORMAL_LOG = float(np.log(np.finfo(float).tiny))
"""Below this log survival, ``log(sf)`` is taken of a subnormal or zero ``sf`` and loses digits."""


def log_chi2_sf(statistic, df) -> np.ndarray:
    """Natural log of the chi-squared upper tail probability, exact where the p-value underflows.

    ``scipy.stats.chi2.logsf`` is ``log(sf)``: exact while ``sf`` is a normal double, digits lost
    once it is subnormal, ``-inf`` beyond.  There scipy's distribution infrastructure evaluates the
    log complementary CDF in log space; the result is exact to about 1e-15 relative at any size.

    Parameters
    ----------
    statistic : array-like
        Chi-squared statistics (NaN stays NaN).
    df : array-like
        Degrees of freedom (broadcast against ``statistic``).

    Returns
    -------
    numpy.ndarray
        ``log P(X >= statistic)``, same shape as the broadcast inputs.
    """
    x, k = np.broadcast_arrays(np.asarray(statistic, dtype=float), np.asarray(df, dtype=float))
    out = np.array(_st.chi2.logsf(x, k), dtype=float)
    deep = ~(out > _SUBNORMAL_LOG) & np.isfinite(x) & (x > 0) & (k > 0)
    if deep.any():
        with np.errstate(divide="ignore", invalid="ignore"):
            out[deep] = _chi2_family()(df=k[deep]).logccdf(x[deep])
    return out


def poisson_rate_ratio(events, exposure, ref_events, ref_exposure, *, level: float = 0.95):
    """Ratio of two Poisson rates with an exact conditional interval and test (vectorised).

    Given the total ``n = events + ref_events``, ``events`` is binomial with
    ``p = exposure r / (exposure r + ref_exposure)`` where r is the rate ratio: the interval is the
    Clopper-Pearson interval of p mapped to r (as R's ``poisson.test``), and the test of r = 1 is
    the two-sided central binomial test, ``2 min(P(X <= k), P(X >= k))``, which rejects exactly
    when 1 lies outside the interval.

    Parameters
    ----------
    events, exposure : array-like
        Events and exposure of the rate compared.
    ref_events, ref_exposure : array-like
        Events and exposure of the reference rate.
    level : float
        Confidence level.

    Returns
    -------
    ratio, lower, upper, log10_p : numpy.ndarray
        NaN where either exposure is 0, or where no event was seen in either (nothing to compare).
    """
    arrays = (np.asarray(v, dtype=float) for v in (events, exposure, ref_events, ref_exposure))
    k, t, k0, t0 = np.broadcast_arrays(*arrays)
    n = k + k0
    valid = (t > 0) & (t0 > 0) & (n > 0)
    alpha = 1 - level
    with np.errstate(invalid="ignore", divide="ignore"):
        p_low = np.where(k > 0, _st.beta.ppf(alpha / 2, k, n - k + 1), 0.0)
        p_high = np.where(k < n, _st.beta.ppf(1 - alpha / 2, k + 1, n - k), 1.0)
        scale = t0 / t
        ratio = np.where(valid, (k / t) / (k0 / t0), np.nan)
        lower = np.where(valid, p_low / (1 - p_low) * scale, np.nan)
        upper = np.where(valid, np.where(p_high < 1, p_high / (1 - p_high) * scale, np.inf), np.nan)
        p0 = t / (t + t0)
        tail = np.minimum(_st.binom.logcdf(k, n, p0), _st.binom.logsf(k - 1, n, p0))
        log10_p = np.where(valid, np.minimum(tail + np.log(2.0), 0.0) / np.log(10.0), np.nan)
    return ratio, lower, upper, log10_p
