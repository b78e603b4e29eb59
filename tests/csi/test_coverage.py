"""Interval coverage against known truth, and the demo's true satisfaction per client-quarter."""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.config import DEFAULT_SETTINGS
from outstaff_analysis.csi.coverage import COVERAGE_COLUMNS, interval_coverage
from outstaff_analysis.demo.truth import client_quarter_satisfaction


def _scores():
    rows = [  # client, factor, estimate, lower, upper
        ("C1", "quality", 60.0, 40.0, 80.0), ("C1", "price", 30.0, 10.0, 50.0), ("C1", "csi", 50.0, 35.0, 65.0),
        ("C2", "quality", 90.0, 80.0, 95.0), ("C2", "price", np.nan, np.nan, np.nan), ("C2", "csi", 90.0, 80.0, 95.0),
    ]
    frame = pd.DataFrame(rows, columns=["client_id", "factor", "estimate", "lower_95", "upper_95"])
    return frame.assign(quarter="2024Q1")


def test_coverage_width_and_error_per_factor_and_for_the_csi():
    truth = pd.DataFrame({"client_id": ["C1", "C1", "C2", "C2"], "quarter": "2024Q1",
                          "factor": ["quality", "price", "quality", "price"], "truth": [70.0, 60.0, 70.0, 10.0]})
    table = interval_coverage(_scores(), truth).set_index("factor")
    assert list(table.reset_index().columns) == COVERAGE_COLUMNS
    assert list(table.index) == ["quality", "price", "csi"]
    assert table.loc["quality", "coverage"] == 0.5 and table.loc["quality", "median_width"] == 27.5
    assert table.loc["price", "n"] == 1 and table.loc["price", "coverage"] == 0.0  # C2 has no price estimate
    w = DEFAULT_SETTINGS.csi_weights
    c1 = (w["quality"] * 70 + w["price"] * 60) / (w["quality"] + w["price"])  # the factors the CSI was built from
    assert table.loc["csi", "mean_error"] == pytest.approx(((50 - c1) + (90 - 70)) / 2, abs=1e-12)
    assert table.loc["csi", "coverage"] == 0.0


def test_demo_truth_is_the_mean_satisfaction_of_the_calls_that_discussed_the_factor():
    truth = {"interviews": {
        "I1": {"satisfaction": {"quality": 0.5, "price": 0.2}, "discussed": ["quality", "price"]},
        "I2": {"satisfaction": {"quality": 0.7, "price": 0.9}, "discussed": ["quality"]},
        "I3": {"satisfaction": {"quality": 0.1, "price": 0.1}, "discussed": ["quality"]},
    }}
    interviews = pd.DataFrame({"interview_id": ["I1", "I2", "I3"], "client_id": ["C1", "C1", "C1"],
                               "held_at": pd.to_datetime(["2024-01-10", "2024-03-01", "2024-04-01"])})
    frame = client_quarter_satisfaction(truth, interviews)
    assert frame.values.tolist() == [["C1", "2024Q1", "price", 20.0], ["C1", "2024Q1", "quality", 60.0],
                                     ["C1", "2024Q2", "quality", 10.0]]
