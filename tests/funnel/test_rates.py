"""Rates with Wilson intervals (textbook values) and empirical-Bayes shrinkage."""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.funnel import fit_beta_prior, funnel_counts, funnel_rates, shrink_rates


def _counts(rows):
    frame = pd.DataFrame(rows, columns=["client_id", "shown", "interview", "approved", "started"])
    frame.insert(1, "period", "all")
    frame.insert(2, "view", "cohort")
    frame.insert(3, "requests", 1)
    return frame


@pytest.mark.parametrize(
    ("k", "n", "lower", "upper"),
    # Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (Wilson score, no continuity correction).
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_north_star_interval_equals_textbook_wilson(k, n, lower, upper):
    rates = funnel_rates(_counts([("A", n, n, k, 0)]))
    north = rates[rates["rate"] == "approved_per_shown"].iloc[0]
    assert north["estimate"] == pytest.approx(k / n, abs=1e-12)
    assert north["lower_95"] == pytest.approx(lower, abs=1e-4)
    assert north["upper_95"] == pytest.approx(upper, abs=1e-4)


def test_all_four_rates_use_their_own_denominators():
    rates = funnel_rates(_counts([("A", 10, 6, 4, 3)])).set_index("rate")
    assert rates.loc["approved_per_shown", ["successes", "trials"]].tolist() == [4, 10]
    assert rates.loc["interview_per_shown", ["successes", "trials"]].tolist() == [6, 10]
    assert rates.loc["approved_per_interview", ["successes", "trials"]].tolist() == [4, 6]
    assert rates.loc["started_per_approved", ["successes", "trials"]].tolist() == [3, 4]


def test_no_trials_gives_nan_not_zero():
    rates = funnel_rates(_counts([("A", 0, 0, 0, 0)]))
    assert rates[["estimate", "lower_95", "upper_95"]].isna().all().all()


def test_activity_counts_are_refused(hand_requests, hand_submissions):
    activity = funnel_counts(hand_requests, hand_submissions, as_of="2024-06-30", view="activity")
    with pytest.raises(ValueError, match="Rates need the cohort view"):
        funnel_rates(activity)


def test_one_of_one_is_not_a_hundred_percent_after_shrinkage():
    rows = [("tiny", 1, 1, 1, 1)] + [(f"C{i}", 40, 20, 12 + i % 5, 10) for i in range(12)]
    rates = shrink_rates(funnel_rates(_counts(rows)), across="client_id")
    north = rates[rates["rate"] == "approved_per_shown"].set_index("client_id")
    tiny = north.loc["tiny"]
    assert tiny["estimate"] == 1.0
    assert tiny["lower_95"] < 0.25  # Wilson for 1/1 says little
    assert tiny["prior_mean"] < tiny["shrunk_estimate"] < 0.5  # pulled most of the way to the firm's ~0.35
    big = north.loc["C0"]
    assert abs(big["shrunk_estimate"] - big["estimate"]) < abs(tiny["shrunk_estimate"] - tiny["estimate"])
    assert north["shrunk_estimate"].idxmax() != "tiny"
    # posterior mean (k + a) / (n + a + b)
    a = tiny["prior_mean"] * tiny["prior_strength"]
    assert tiny["shrunk_estimate"] == pytest.approx((1 + a) / (1 + tiny["prior_strength"]), abs=1e-12)


def test_prior_fits_known_beta_binomial(rng):
    p = rng.beta(6.0, 14.0, size=3000)
    n = rng.integers(5, 60, size=3000)
    k = rng.binomial(n, p)
    alpha, beta = fit_beta_prior(k, n)
    assert alpha / (alpha + beta) == pytest.approx(0.3, abs=0.01)
    assert alpha + beta == pytest.approx(20.0, rel=0.25)


def test_shrinkage_skips_groups_without_trials():
    rows = [("A", 10, 5, 3, 1), ("B", 0, 0, 0, 0), ("C", 12, 6, 5, 2)]
    rates = shrink_rates(funnel_rates(_counts(rows)))
    b = rates[(rates["client_id"] == "B") & (rates["rate"] == "approved_per_shown")].iloc[0]
    assert np.isnan(b["shrunk_estimate"]) and np.isnan(b["shrunk_lower_95"])
    with pytest.raises(ValueError, match="`across` must be a column"):
        shrink_rates(rates, across="segment")
