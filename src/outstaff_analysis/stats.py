"""Small statistical helpers shared by the domain modules: binomial and Poisson intervals, exact log p-values."""

from __future__ import annotations

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


_CHI2 = _st.make_distribution(_st.chi2)
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
            out[deep] = _CHI2(df=k[deep]).logccdf(x[deep])
    return out
