"""Factor importance: Shapley decomposition of R^2, retention logistic regression, quadrant."""

import itertools

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from outstaff_analysis.config import DEFAULT_SETTINGS, FACTORS
from outstaff_analysis.csi.weights import (
    importance_performance,
    rating_frame,
    retention_frame,
    retention_importance,
    shapley_importance,
    shapley_r2,
    weights_from_importance,
    wide_scores,
)


def _r2(x, y, columns):
    if not columns:
        return 0.0
    return LinearRegression().fit(x[:, columns], y).score(x[:, columns], y)


def _shapley_by_permutations(x, y):
    """Independent reference: average marginal R^2 gain over every order of entry (sklearn fits)."""
    p = x.shape[1]
    totals = np.zeros(p)
    orders = list(itertools.permutations(range(p)))
    for order in orders:
        for k, j in enumerate(order):
            totals[j] += _r2(x, y, list(order[:k + 1])) - _r2(x, y, list(order[:k]))
    return totals / len(orders)


def test_shapley_r2_matches_the_permutation_definition_and_sums_to_r2(rng):
    x = rng.normal(size=(60, 4))
    x[:, 1] += 0.8 * x[:, 0]  # correlated predictors: where Shapley differs from squared correlations
    y = 2 * x[:, 0] + x[:, 1] - 0.5 * x[:, 3] + rng.normal(size=60)
    values = shapley_r2(x, y)
    np.testing.assert_allclose(values, _shapley_by_permutations(x, y), atol=1e-12)
    assert values.sum() == pytest.approx(_r2(x, y, [0, 1, 2, 3]), abs=1e-12)


def test_two_predictor_shapley_is_the_textbook_lmg_formula(rng):
    x = rng.normal(size=(40, 2))
    y = x[:, 0] + 0.3 * x[:, 1] + rng.normal(size=40)
    full, r1, r2 = _r2(x, y, [0, 1]), _r2(x, y, [0]), _r2(x, y, [1])
    np.testing.assert_allclose(shapley_r2(x, y), [(r1 + full - r2) / 2, (r2 + full - r1) / 2], atol=1e-12)


def _ratings(rng, n=150):
    scores = rng.uniform(0, 100, size=(n, len(FACTORS)))
    rating = 0.06 * scores[:, 0] + 0.03 * scores[:, 1] + rng.normal(0, 0.8, n)
    frame = pd.DataFrame(scores, columns=list(FACTORS))
    frame["overall_rating"] = rating
    return frame


def test_shapley_importance_ranks_the_factors_that_drive_the_rating(rng):
    data = _ratings(rng)
    data.loc[:4, "team"] = np.nan  # missing scores are replaced by the factor mean
    data.loc[5, "overall_rating"] = np.nan  # unrated interviews are dropped
    table = shapley_importance(data, n_boot=50, seed=1)
    assert table["factor"].tolist() == list(FACTORS)
    assert table["estimate"].sum() == pytest.approx(1.0, abs=1e-12)
    assert table.set_index("factor")["estimate"].idxmax() == "quality"
    assert (table["lower_95"] <= table["upper_95"]).all()
    assert table["n"].iloc[0] == len(data) - 1
    again = shapley_importance(data, n_boot=50, seed=1)
    pd.testing.assert_frame_equal(table, again)


def test_shapley_importance_needs_enough_rated_interviews(rng):
    with pytest.raises(ValueError, match="needs at least 7 rated interviews, got 3"):
        shapley_importance(_ratings(rng, n=3))


def test_retention_importance_finds_the_protective_factor(rng):
    n = 400
    scores = rng.uniform(0, 100, size=(n, len(FACTORS)))
    churn_probability = 1 / (1 + np.exp(0.08 * (scores[:, 1] - 50)))
    data = pd.DataFrame(scores, columns=list(FACTORS)).assign(churned=rng.random(n) < churn_probability)
    table = retention_importance(data, n_boot=50).set_index("factor")
    assert table["coef"].idxmin() == "service" and table.loc["service", "upper_95"] < 0
    assert table["estimate"].idxmax() == "service"
    assert table["estimate"].sum() == pytest.approx(1.0, abs=1e-12)
    assert table["n_churned"].iloc[0] == data["churned"].sum()


def test_retention_importance_needs_both_outcomes(rng):
    data = pd.DataFrame(rng.uniform(0, 100, size=(20, 5)), columns=list(FACTORS)).assign(churned=False)
    with pytest.raises(ValueError, match="needs both churned and retained accounts"):
        retention_importance(data)


def test_importance_performance_quadrants():
    importance = pd.DataFrame({"factor": list(FACTORS), "estimate": [0.4, 0.3, 0.1, 0.1, 0.1]})
    performance = pd.DataFrame({"factor": [*FACTORS, "csi"], "estimate": [80, 30, 20, 90, np.nan, 55]})
    table = importance_performance(importance, performance).set_index("factor")
    assert table["importance_cut"].iloc[0] == pytest.approx(0.2, abs=1e-12)
    assert table["performance_cut"].iloc[0] == pytest.approx(55.0, abs=1e-12)
    assert table["quadrant"].to_dict() == {"quality": "keep_up", "service": "concentrate_here",
                                           "price": "low_priority", "speed": "possible_overkill", "team": None}


def test_weights_from_importance_feed_settings():
    importance = pd.DataFrame({"factor": list(FACTORS), "estimate": [2.0, 1.0, 1.0, 0.0, -0.5]})
    weights = weights_from_importance(importance)
    assert weights == {"quality": 0.5, "service": 0.25, "price": 0.25, "speed": 0.0, "team": 0.0}
    assert DEFAULT_SETTINGS.replace(csi_weights=weights).csi_weights["quality"] == 0.5
    with pytest.raises(ValueError, match="importance is zero for every factor"):
        weights_from_importance(importance.assign(estimate=0.0))


def test_wide_scores_pivots_estimates():
    scores = pd.DataFrame({"interview_id": ["I1"] * 6, "factor": [*FACTORS, "csi"],
                           "estimate": [10.0, 20.0, np.nan, 40.0, 50.0, 30.0]})
    wide = wide_scores(scores)
    assert list(wide.columns) == ["interview_id", *FACTORS]
    assert wide.iloc[0, 1:].tolist()[:2] == [10.0, 20.0] and np.isnan(wide.loc[0, "price"])


def test_rating_frame_joins_the_overall_rating():
    scores = pd.DataFrame({"interview_id": ["I1"] * 6 + ["I2"] * 6, "factor": [*FACTORS, "csi"] * 2,
                           "estimate": np.arange(12.0)})
    interviews = pd.DataFrame({"interview_id": ["I2", "I1"], "overall_rating": [7.0, np.nan]})
    frame = rating_frame(scores, interviews)
    assert frame["overall_rating"].tolist()[1] == 7.0 and np.isnan(frame["overall_rating"].iloc[0])
    assert frame.loc[1, "quality"] == 6.0


def test_retention_frame_averages_quarters_and_takes_the_last_life():
    rows = []
    for quarter, value in (("2024Q1", 40.0), ("2024Q2", 60.0)):
        rows += [{"client_id": "C1", "quarter": quarter, "factor": f, "estimate": value} for f in [*FACTORS, "csi"]]
    lives = pd.DataFrame({"client_id": ["C1", "C1"], "life": [2, 1], "event": [False, True]})
    frame = retention_frame(pd.DataFrame(rows), lives)
    assert frame.loc[0, "quality"] == 50.0 and not frame.loc[0, "churned"]
