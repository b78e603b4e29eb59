"""Churn-risk points: each rule fires on its own signal, unknown signals add nothing."""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.health.points import churn_risk


def signals(**overrides):
    base = {"client_id": "C1", "csi": 80.0, "csi_change": 0.0, "red_flags": 0, "sla_share": 0.99, "sla_upper_95": 1.0,
            "ended_share": 0.0, "north_star": 0.5, "firm_north_star": 0.5}
    base.update(overrides)
    return pd.DataFrame([base])


@pytest.mark.parametrize(
    "overrides, points, reasons",
    [
        ({}, 0, ""),
        ({"csi": 40.0}, 3, "csi_poor"),
        ({"csi": 60.0}, 1, "csi_below_good"),
        ({"csi_change": -12.0}, 2, "csi_falling"),
        ({"red_flags": 5}, 3, "red_flags"),
        ({"sla_share": 0.8, "sla_upper_95": 0.9}, 1, "sla_missed"),
        ({"sla_share": 0.8, "sla_upper_95": 0.97}, 0, ""),
        ({"ended_share": 0.5}, 2, "team_leaving"),
        ({"north_star": 0.2}, 1, "weak_funnel"),
        ({"csi": np.nan, "sla_upper_95": np.nan, "north_star": np.nan}, 0, ""),
        ({"csi": 40.0, "csi_change": -20.0, "red_flags": 1}, 6, "csi_poor;csi_falling;red_flags"),
    ],
)
def test_each_rule(overrides, points, reasons):
    row = churn_risk(signals(**overrides)).iloc[0]
    assert row["risk_points"] == points
    assert row["reasons"] == reasons
    assert row["risk"] == ("high" if points >= 5 else "medium" if points >= 3 else "low")


def test_sorted_highest_risk_first_and_missing_columns_named():
    frame = pd.concat([signals(client_id="A"), signals(client_id="B", csi=30.0)], ignore_index=True)
    assert churn_risk(frame)["client_id"].tolist() == ["B", "A"]
    with pytest.raises(ValueError, match=r"missing \['north_star', 'firm_north_star'\]"):
        churn_risk(frame.drop(columns=["north_star", "firm_north_star"]))
