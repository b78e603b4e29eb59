"""Tenure as of a date: censoring, exclusion, left truncation, reason codes, joins, filters."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.config import DEFAULT_SETTINGS
from outstaff_analysis.survival import subset, tenure_frame
from outstaff_analysis.survival.tenure import REASON_CODES

ROWS = [
    ["p1", "s1", "A", None, "2024-01-01", "2024-03-01", "client_ended", 100.0, "USD"],  # ended before as_of
    ["p2", "s2", "A", None, "2024-02-01", "2025-02-01", "replaced", 100.0, "USD"],  # ends after as_of
    ["p3", "s3", "B", None, "2024-06-01", None, None, 100.0, "RUB"],  # still running
    ["p4", "s4", "B", None, "2025-01-05", None, None, 100.0, "RUB"],  # starts after as_of
    ["p5", "s5", "B", None, "2021-10-01", "2024-06-30", None, 100.0, "RUB"],  # before the window, no reason
    ["p6", "s6", "A", None, "2021-01-01", "2021-06-01", "replaced", 100.0, "RUB"],  # wholly before the window
]


@pytest.fixture
def tenure(make_placements):
    settings = DEFAULT_SETTINGS.replace(data_window_start=dt.date(2022, 1, 1))
    clients = pd.DataFrame(
        {"client_id": ["A", "B"], "segment": ["fintech", "retail"], "source": ["referral", None]}
    )
    specialists = pd.DataFrame(
        {
            "specialist_id": [f"s{i}" for i in range(1, 7)],
            "role": "developer",
            "grade": ["junior", "senior"] * 3,
            "stack": "python",
        }
    )
    return tenure_frame(
        make_placements(ROWS), as_of="2024-12-31", settings=settings, clients=clients, specialists=specialists
    ).set_index("placement_id")


def test_events_censoring_and_exclusion(tenure):
    assert list(tenure.index) == ["p1", "p2", "p3", "p5"]
    assert tenure.loc["p1", "duration_days"] == 60 and tenure.loc["p1", "event"]
    # ended after as_of: censored at as_of, the later end is not seen
    assert not tenure.loc["p2", "event"] and pd.isna(tenure.loc["p2", "ended_at"])
    assert tenure.loc["p2", "duration_days"] == (pd.Timestamp("2024-12-31") - pd.Timestamp("2024-02-01")).days
    assert tenure.loc["p2", "end_reason"] is None and tenure.loc["p2", "event_code"] == 0
    assert tenure.loc["p3", "duration_days"] == 213 and not tenure.loc["p3", "event"]
    assert tenure.loc["p3", "duration_months"] == pytest.approx(213 / 30.4375, abs=1e-12)


def test_left_truncation_and_missing_reason(tenure):
    assert tenure.loc["p5", "entry_days"] == (pd.Timestamp("2022-01-01") - pd.Timestamp("2021-10-01")).days
    assert tenure.loc[["p1", "p2", "p3"], "entry_days"].eq(0).all()
    assert (
        tenure.loc["p5", "end_reason"] == "other" and tenure.loc["p5", "event_code"] == REASON_CODES["other"]
    )
    assert tenure.loc["p1", "reason_group"] == "client_side" and tenure.loc["p5", "reason_group"] == "other"


def test_joined_columns_and_cohort(tenure):
    assert tenure.loc["p1", "segment"] == "fintech" and tenure.loc["p3", "segment"] == "retail"
    assert tenure.loc["p2", "grade"] == "senior" and tenure.loc["p1", "role"] == "developer"
    assert tenure.loc["p1", "start_cohort"] == "2024Q1" and tenure.loc["p5", "start_cohort"] == "2021Q4"
    assert tenure["industry"].isna().all()


def test_without_joins_the_columns_exist(make_placements):
    frame = tenure_frame(make_placements(ROWS), as_of="2024Q4")
    assert {"segment", "role", "grade", "stack"} <= set(frame.columns)
    assert frame["entry_days"].eq(0).all() and len(frame) == 5


def test_subset_filters_in_one_call(tenure):
    frame = tenure.reset_index()
    assert subset(frame, client_id="A", grade=["junior", "senior"])["placement_id"].tolist() == ["p1", "p2"]
    assert subset(frame, segment="retail", start_cohort="2024Q2")["placement_id"].tolist() == ["p3"]
    with pytest.raises(ValueError, match="The criterion `sgment` must be a column"):
        subset(frame, sgment="retail")


def test_as_of_is_required(make_placements):
    with pytest.raises(ValueError, match="`as_of` is required"):
        tenure_frame(make_placements(ROWS), as_of=None)


def test_nothing_after_as_of_is_seen(make_placements):
    early = tenure_frame(make_placements(ROWS), as_of="2024-02-15").set_index("placement_id")
    assert list(early.index) == ["p1", "p2", "p5", "p6"]
    assert not early["event"].loc[["p1", "p2", "p5"]].any()
    np.testing.assert_array_equal(early.loc["p1", "duration_days"], 45)
