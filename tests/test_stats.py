"""Binomial and Poisson intervals against textbook values; exact log p-values against mpmath."""

import mpmath
import numpy as np
import pytest

from outstaff_analysis.stats import log_chi2_sf, poisson_rate_ci, wilson_ci


def _mp_log_chi2_sf(x: float, df: float) -> float:
    with mpmath.workdps(60):
        return float(mpmath.log(mpmath.gammainc(mpmath.mpf(df) / 2, mpmath.mpf(x) / 2, mpmath.inf, regularized=True)))


@pytest.mark.parametrize("df", [1, 2, 3, 7, 20])
@pytest.mark.parametrize("statistic", [0.5, 30.0, 700.0, 1420.0, 1460.0, 1550.0, 5000.0, 1e5])
def test_log_chi2_sf_is_exact_to_1e12_even_where_p_underflows(statistic, df):
    # 1420-1480: p is a subnormal double and log(p) has lost digits; beyond it is 0 and logsf -inf
    assert log_chi2_sf(statistic, df) == pytest.approx(_mp_log_chi2_sf(statistic, df), rel=1e-12)


def test_log_chi2_sf_is_vectorised_and_keeps_nan():
    out = log_chi2_sf([1550.0, np.nan, 3.0], [1, 1, 2])
    assert out[0] == pytest.approx(_mp_log_chi2_sf(1550.0, 1), rel=1e-12)
    assert np.isnan(out[1]) and out[2] == pytest.approx(-1.5, rel=1e-15)


def test_wilson_matches_newcombe_1998_table():
    # Newcombe (1998), Stat Med 17:857, Table I, method 3 (Wilson score without continuity correction)
    lower, upper = wilson_ci([81, 15, 0, 1], [263, 148, 20, 29])
    np.testing.assert_allclose(lower, [0.2553, 0.0624, 0.0, 0.0061], atol=1e-4)
    np.testing.assert_allclose(upper, [0.3662, 0.1605, 0.1611, 0.1718], atol=1e-4)


def test_wilson_bounds_are_exact_at_zero_and_all_successes():
    # without care, 0 of 6 gives a lower bound of 5.6e-17 and the estimate falls outside its interval
    lower, upper = wilson_ci([0, 6, 3], [6, 6, 6])
    assert lower[0] == 0.0 and upper[1] == 1.0
    assert np.all(lower <= np.array([0, 1, 0.5])) and np.all(upper >= np.array([0, 1, 0.5]))


def test_wilson_with_no_trials_is_nan_and_one_of_one_is_wide():
    lower, upper = wilson_ci([0, 1], [0, 1])
    assert np.isnan(lower[0]) and np.isnan(upper[0])
    assert lower[1] == pytest.approx(0.2065, abs=1e-4) and upper[1] == 1.0


def test_poisson_exact_interval_textbook_values():
    # Garwood exact limits for counts 0 and 10 (e.g. Ulm 1990 table): 0 -> (0, 3.689); 10 -> (4.795, 18.390)
    lower, upper = poisson_rate_ci([0, 10, 10], [1, 1, 100])
    np.testing.assert_allclose(lower, [0.0, 4.7954, 0.047954], rtol=1e-4)
    np.testing.assert_allclose(upper, [3.6889, 18.3904, 0.183904], rtol=1e-4)
    lower, upper = poisson_rate_ci([3], [0])
    assert np.isnan(lower[0]) and np.isnan(upper[0])
