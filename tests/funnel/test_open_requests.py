"""Open requests: age, furthest stage and the expected fill date from the time-to-fill curve."""

import math

import pandas as pd
import pytest

from outstaff_analysis.funnel.open_requests import expected_fill_days, open_requests


@pytest.mark.parametrize(("age", "expected"), [(0, 30.0), (15, 30.0), (25, 40.0), (35, 40.0), (45, math.nan)])
def test_expected_fill_is_the_conditional_median_given_still_open(age, expected):
    curve = pd.DataFrame({"timeline": [10.0, 20.0, 30.0, 40.0], "estimate": [0.2, 0.4, 0.6, 0.8]})
    assert expected_fill_days(curve, age) == pytest.approx(expected, nan_ok=True)


def test_open_requests_list_age_stage_and_expected_date():
    requests = pd.DataFrame({
        "request_id": ["R1", "R2", "R3", "R4"], "client_id": "C1", "role": "developer", "grade": "senior",
        "stack": "go", "headcount": 1,
        "opened_at": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-12-01", "2024-12-20"]),
        "status": ["filled", "filled", "open", "open"],
        "closed_at": pd.to_datetime(["2024-01-11", "2024-01-21", None, None]),
    })
    submissions = pd.DataFrame({
        "request_id": ["R1", "R1", "R2", "R2", "R3", "R3"], "specialist_id": ["S1", "S1", "S2", "S2", "S3", "S3"],
        "stage": ["shown", "started", "shown", "started", "shown", "interview"],
        "at": pd.to_datetime(["2024-01-05", "2024-01-11", "2024-01-10", "2024-01-21", "2024-12-05", "2024-12-10"]),
        "reason": None,
    })
    out = open_requests(requests, submissions, as_of="2024-12-31")
    assert list(out["request_id"]) == ["R3", "R4"]
    assert list(out["stage"]) == ["interview", "none"]
    assert out["age_days"].round().tolist() == [31.0, 12.0]
    # half the filled requests started by day 10, all by day 20: R4 (12 days open) by day 20, R3 (31) never
    assert out["expected_fill_at"].iloc[1] == pd.Timestamp("2025-01-09")
    assert pd.isna(out["expected_fill_at"].iloc[0])
