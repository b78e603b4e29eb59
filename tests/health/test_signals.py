"""Signals per client-quarter, checked against hand counts of small tables."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.config import Settings
from outstaff_analysis.health import SIGNAL_COLUMNS, quarter_signals, reason_text, signal_panel
from outstaff_analysis.health.signals import panel_quarters


def test_hand_counted_signals_at_the_end_of_2024q3(small_tables):
    rows = quarter_signals(small_tables, "2024Q3").set_index("client_id")
    assert list(rows.reset_index().columns) == list(SIGNAL_COLUMNS)
    assert sorted(rows.index) == ["C1", "C2"]  # C3 had no placement for 138 days: churned, not scored
    c1 = rows.loc["C1"]
    assert (c1["headcount"], c1["headcount_change"], c1["days_without_team"]) == (3, -1, 0)
    assert (c1["ended_client"], c1["ended_our_side"], c1["ended_planned"]) == (1, 0, 0)
    assert c1["requests"] == 1
    assert c1["requests_before"] == pytest.approx((0 + 6 + 7) / 3)
    assert c1["requests_year"] == 14
    assert c1["days_since_request"] == (pd.Timestamp("2024-09-30") - pd.Timestamp("2024-07-01")).days
    assert (c1["interviews"], c1["days_since_interview"]) == (1, 50)
    assert c1["requests_cancelled"] == 0
    assert rows.loc["C2", "account_age_days"] == (pd.Timestamp("2024-09-30") - pd.Timestamp("2024-05-02")).days
    assert np.isnan(rows.loc["C2", "days_since_interview"])


def test_requests_none_of_which_was_filled_have_a_share_filled_of_zero(small_tables):
    # no request of any client was filled: each client with recent requests has filled none of them in 30 days
    rows = quarter_signals(small_tables, "2024Q3").set_index("client_id")
    assert rows["fill_within_30"].to_dict() == {"C1": 0.0, "C2": 0.0}
    assert np.isnan(quarter_signals(small_tables, "2024Q2").set_index("client_id").loc["C3", "fill_within_30"])
    # another client's fill does not change C1's share
    tables = dict(small_tables)
    tables["submissions"] = pd.DataFrame({"request_id": ["R2"], "specialist_id": ["S1"], "stage": ["started"],
                                          "at": [pd.Timestamp("2024-04-20")], "reason": [None]})
    rows = quarter_signals(tables, "2024Q3").set_index("client_id")
    assert rows["fill_within_30"].to_dict() == {"C1": 0.0, "C2": 1.0}


def test_a_quiet_account_is_still_scored_until_the_churn_gap_passes(small_tables):
    rows = quarter_signals(small_tables, "2024Q2").set_index("client_id")
    assert rows.loc["C3", "headcount"] == 0
    assert rows.loc["C3", "days_without_team"] == (pd.Timestamp("2024-06-30") - pd.Timestamp("2024-05-15")).days
    assert rows.loc["C1", "requests_cancelled"] == 1
    assert rows.loc["C1", "ended_client"] == 1 and rows.loc["C1", "ended_our_side"] == 1


def test_nothing_after_the_quarter_is_seen(small_tables):
    before = quarter_signals(small_tables, "2024Q2")
    later = {name: frame.copy() for name, frame in small_tables.items()}
    placements = later["placements"]
    placements.loc[placements["ended_at"] > "2024-06-30", "end_reason"] = "other"
    placements.loc[placements["ended_at"] > "2024-06-30", "ended_at"] = pd.Timestamp("2024-07-02")
    later["requests"] = later["requests"][later["requests"]["opened_at"] <= "2024-06-30"]
    later["interviews"] = later["interviews"][later["interviews"]["held_at"] <= "2024-06-30"]
    pd.testing.assert_frame_equal(quarter_signals(later, "2024Q2"), before)


def test_a_csi_fall_inside_its_noise_is_said_to_be_inside_it(small_tables):
    scores = pd.DataFrame({
        "client_id": ["C1", "C1"], "quarter": ["2024Q1", "2024Q2"], "factor": ["csi", "csi"],
        "estimate": [70.0, 60.0], "lower_95": [45.0, 35.0], "upper_95": [95.0, 85.0]})
    row = quarter_signals(small_tables, "2024Q2", csi_scores=scores).set_index("client_id").loc["C1"]
    assert row["csi_change"] == -10.0
    assert row["csi_change_z"] == pytest.approx(-10 / np.sqrt(2 * (25 / 1.959964) ** 2), rel=1e-6)
    assert row["csi_year"] == 65.0
    assert reason_text("csi_change", row, "en") == "CSI down 10 points (within its noise)"
    sharp = scores.assign(lower_95=[66.0, 56.0], upper_95=[74.0, 64.0])
    row = quarter_signals(small_tables, "2024Q2", csi_scores=sharp).set_index("client_id").loc["C1"]
    assert reason_text("csi_change", row, "ru") == "CSI снизился на 10 п., больше своей погрешности"


def test_panel_starts_where_the_records_do(small_tables):
    # placements since 2023Q1, but requests only from 2024Q1: earlier quarters would look requestless
    assert panel_quarters(small_tables, "2024Q3") == ["2024Q1", "2024Q2", "2024Q3"]
    window = Settings(data_window_start=dt.date(2024, 4, 1))
    assert panel_quarters(small_tables, "2024Q3", settings=window) == ["2024Q2", "2024Q3"]
    panel = signal_panel(small_tables, quarters=["2024Q2", "2024Q3"])
    assert panel.groupby("quarter").size().to_dict() == {"2024Q2": 3, "2024Q3": 2}
