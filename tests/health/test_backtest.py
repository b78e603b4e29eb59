"""Rolling-origin backtest: metrics by hand on tiny data, and a run on the demo firm with its oracle."""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.demo import truth as demo_truth
from outstaff_analysis.health import calibration_table, rolling_backtest, score_metrics


def test_metrics_of_a_perfect_a_reversed_and_a_constant_score():
    frame = pd.DataFrame({"client_id": list("ABCDEFGH"), "churned": [0, 0, 0, 0, 0, 0, 1, 1],
                          "model": [0.1] * 6 + [0.9, 0.9], "oracle": [0.2] * 8,
                          "points": [1, 1, 1, 1, 1, 1, 0, 0]})
    metrics = score_metrics(frame, ["model", "oracle", "points"], n_bootstrap=200).set_index("score")
    assert metrics.loc["model", "auc"] == 1.0
    assert metrics.loc["points", "auc"] == 0.0
    assert metrics.loc["oracle", "auc"] == 0.5
    assert metrics.loc["model", "brier"] == pytest.approx((6 * 0.01 + 2 * 0.01) / 8)
    assert metrics.loc["oracle", "brier"] == pytest.approx((6 * 0.04 + 2 * 0.64) / 8)
    assert np.isnan(metrics.loc["points", "brier"])  # points are not a probability
    assert metrics.loc["points", "auc_vs_model"] == -1.0
    assert metrics.loc["points", "auc_vs_model_upper_95"] == -1.0


def test_calibration_table_by_hand():
    table = calibration_table(pd.Series([0.1, 0.1, 0.3, 0.3, 0.5, 0.5]), pd.Series([0, 0, 0, 1, 1, 1]), bins=3)
    assert table["n"].tolist() == [2, 2, 2]
    assert table["events"].tolist() == [0, 1, 2]
    np.testing.assert_allclose(table["gap"], [-0.1, 0.2, 0.5])


@pytest.fixture(scope="module")
def demo_backtest(demo_firm):
    origins = [str(q) for q in pd.period_range("2023Q1", "2024Q1", freq="Q")]
    return rolling_backtest(demo_firm.tables, origins=origins, n_bootstrap=200,
                            oracle=lambda q: demo_truth.oracle_churn_probability(demo_firm.truth, q))


def test_demo_backtest_scores_every_baseline_on_the_same_rows(demo_backtest):
    result = demo_backtest
    metrics = result.metrics.set_index("score")
    assert list(metrics.index) == ["model", "points", "csi", "requests", "random", "oracle"]
    assert set(metrics["n"]) == {len(result.predictions)}
    assert result.predictions["churned"].isin([0, 1]).all()
    assert 0 < result.predictions["churned"].sum() < 30
    # 40 clients give too few churn events to fit: the stated rule scores them
    assert set(result.predictions["model_kind"]) == {"rules"}
    assert metrics.loc["oracle", "auc"] > metrics.loc["random", "auc"] + 0.1
    assert metrics.loc["model", "auc"] > 0.6
    assert (metrics["auc_lower_95"] <= metrics["auc"]).all() and (metrics["auc"] <= metrics["auc_upper_95"]).all()
    assert result.calibration["n"].sum() == len(result.predictions)


def test_origins_whose_outcome_is_not_known_yet_are_refused(demo_firm):
    with pytest.raises(ValueError, match=r"The origins \['2024Q3'\] are too late"):
        rolling_backtest(demo_firm.tables, origins=["2024Q3"], n_bootstrap=0)
