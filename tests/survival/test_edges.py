"""Statistics at the edges of the data: a curve that reaches 0, ends on the window's first day,
reads past the last observation; property tests over random left-truncated data against lifelines."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lifelines import AalenJohansenFitter, KaplanMeierFitter
from lifelines.exceptions import StatError
from lifelines.utils import restricted_mean_survival_time

from outstaff_analysis.config import DEFAULT_SETTINGS
from outstaff_analysis.survival import (
    account_lives,
    cumulative_incidence,
    km_curve,
    median_tenure,
    rmst,
    survival_at,
    tenure_frame,
)

WINDOW = DEFAULT_SETTINGS.replace(data_window_start=dt.date(2022, 1, 1), min_at_risk=0)


@pytest.fixture
def reaches_zero(make_placements):
    """The issue's case: two placements end together inside the window, a left-truncated one is still open."""
    placements = make_placements(
        [
            ["p1", "s1", "A", None, "2022-01-10", "2022-02-09", "client_ended", 1.0, "USD"],
            ["p2", "s2", "A", None, "2022-01-10", "2022-02-09", "replaced", 1.0, "USD"],
            ["p3", "s3", "A", None, "2021-01-01", None, None, 1.0, "USD"],
        ]
    )
    return tenure_frame(placements, as_of="2022-06-30", settings=WINDOW)


def test_km_stays_zero_once_it_reaches_zero(reaches_zero):
    curve = km_curve(reaches_zero).set_index("time_days")
    assert curve.loc[30.0, "estimate"] == 0.0
    # p3 enters at day 365, after everybody at risk has ended: S stays 0 with the interval [0, 0]
    for day in (365.0, 545.0):
        assert curve.loc[day, ["estimate", "lower_95", "upper_95"]].tolist() == [0.0, 0.0, 0.0]
    read = survival_at(reaches_zero, times=[365, 545, 600], settings=WINDOW)
    assert read["estimate"].tolist() == [0.0, 0.0, 0.0] and (read["note"] == "").all()


def test_cumulative_incidence_keeps_still_placed_after_zero(reaches_zero):
    incidence = cumulative_incidence(reaches_zero, causes="reason_group", times=[365, 545], settings=WINDOW)
    wide = incidence.pivot(index="time_days", columns="cause", values="estimate")
    assert wide["still_placed"].tolist() == [0.0, 0.0]
    assert wide["client_side"].tolist() == [0.5, 0.5] and wide["our_side"].tolist() == [0.5, 0.5]
    assert np.allclose(wide.sum(axis=1), 1.0)
    assert incidence[["lower_95", "upper_95"]].notna().all().all()


def test_placement_ending_on_the_window_start_is_not_counted(make_placements):
    # ended on 2022-01-01: entry == duration; its end used to be set against a risk set without it
    placements = make_placements(
        [
            ["p1", "s1", "A", None, "2021-06-01", "2022-01-01", "client_ended", 1.0, "USD"],
            ["p2", "s2", "A", None, "2021-09-01", "2022-03-01", "client_ended", 1.0, "USD"],
            ["p3", "s3", "A", None, "2022-01-01", "2022-01-01", "replaced", 1.0, "USD"],
        ]
    )
    tenure = tenure_frame(placements, as_of="2022-06-30", settings=WINDOW)
    assert tenure["placement_id"].tolist() == ["p2", "p3"]  # p3 began in the window: seen for its one day
    alone = tenure_frame(placements.iloc[:1], as_of="2022-06-30", settings=WINDOW)
    assert alone.empty
    lives = account_lives(placements.iloc[:1], as_of="2022-06-30", settings=WINDOW)
    assert lives.empty


def test_row_ending_where_it_enters_is_a_clear_error():
    frame = pd.DataFrame({"duration_days": [10.0, 20.0], "event": [True, True], "entry_days": [10.0, 0.0]})
    with pytest.raises(ValueError, match=r"must end after it enters .* first at position 0: entry_days=10"):
        km_curve(frame)


def test_after_the_last_event_survival_is_zero_and_agrees_with_rmst():
    ended = pd.DataFrame({"duration_days": [100.0, 200.0, 300.0] * 3, "event": True, "entry_days": 0.0})
    read = survival_at(ended, times=[400.0], settings=WINDOW).iloc[0]
    assert read["estimate"] == 0.0 and read["note"] == ""
    area = rmst(ended, horizon_days=500.0, settings=WINDOW).iloc[0]
    assert area["estimate"] == pytest.approx(200.0) and area["note"] == ""
    censored_last = ended.assign(event=[True, True, False] * 3)
    read = survival_at(censored_last, times=[400.0], settings=WINDOW).iloc[0]
    assert np.isnan(read["estimate"]) and read["note"] == "beyond follow-up"
    area = rmst(censored_last, horizon_days=500.0, settings=WINDOW).iloc[0]
    assert np.isnan(area["estimate"]) and area["note"] == "beyond follow-up"


def _lifelines(frame):
    """lifelines' KM on the frame, or None where it refuses (S reached 0 before a late entry)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return KaplanMeierFitter().fit(frame["duration_days"], frame["event"], entry=frame["entry_days"])
    except StatError:
        return None


@st.composite
def truncated_samples(draw):
    n = draw(st.integers(1, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    entry = np.where(rng.random(n) < 0.5, rng.integers(0, 30, n), 0).astype(float)
    duration = entry + rng.integers(1, 60, n)
    event = rng.random(n) < draw(st.floats(0.2, 1.0))
    cause = np.where(event, rng.integers(1, 4, n), 0)
    return pd.DataFrame({"duration_days": duration, "event": event, "entry_days": entry, "cause": cause})


@hypothesis_settings(max_examples=150, deadline=None, database=None)
@given(truncated_samples())
def test_properties_on_random_left_truncated_data(frame):
    curve = km_curve(frame)
    s = curve["estimate"].to_numpy()
    assert np.all((s >= 0) & (s <= 1)) and np.all(np.diff(s) <= 1e-15)
    assert np.all(curve["lower_95"] <= s + 1e-12) and np.all(s <= curve["upper_95"] + 1e-12)
    after_zero = np.maximum.accumulate(s == 0)
    assert np.all(s[after_zero] == 0)
    reference = _lifelines(frame)
    if reference is not None:
        theirs = reference.survival_function_.iloc[:, 0].reindex(curve["time_days"]).to_numpy()
        np.testing.assert_allclose(s, theirs, atol=1e-12)
        band = reference.confidence_interval_.reindex(curve["time_days"]).to_numpy()
        np.testing.assert_allclose(curve[["lower_95", "upper_95"]].to_numpy(), band, atol=1e-12)
    incidence = cumulative_incidence(frame, causes="cause", settings=WINDOW)
    totals = incidence.groupby("time_days")["estimate"].sum()
    np.testing.assert_allclose(totals, 1.0, atol=1e-12)
    still = incidence[incidence["cause"] == "still_placed"]["estimate"].to_numpy()
    np.testing.assert_allclose(still, s, atol=0)
    for cause, rows in incidence[incidence["cause"] != "still_placed"].groupby("cause"):
        f = rows["estimate"].to_numpy()
        assert np.all((f >= 0) & (f <= 1 + 1e-12)) and np.all(np.diff(f) >= -1e-15)
        assert np.all(rows["lower_95"] <= f + 1e-12) and np.all(f <= rows["upper_95"] + 1e-12)


def test_cumulative_incidence_equals_lifelines_on_left_truncated_data_without_ties(rng):
    for _ in range(20):
        n = 60
        entry = np.where(rng.random(n) < 0.4, rng.uniform(0, 20, n), 0.0)
        duration = entry + rng.exponential(30.0, n)
        event = rng.random(n) < 0.8
        cause = np.where(event, rng.integers(1, 3, n), 0)
        frame = pd.DataFrame({"duration_days": duration, "event": event, "entry_days": entry, "cause": cause})
        ours = cumulative_incidence(frame, causes="cause", settings=WINDOW)
        if _lifelines(frame) is None:
            continue
        for code in (1, 2):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ajf = AalenJohansenFitter(calculate_variance=False).fit(
                    frame["duration_days"], frame["cause"], event_of_interest=code, entry=frame["entry_days"]
                )
            mine = ours[ours["cause"] == code].set_index("time_days")["estimate"]
            theirs = ajf.cumulative_density_.iloc[:, 0]
            common = theirs.index[theirs.index.isin(mine.index)]
            np.testing.assert_allclose(mine.loc[common], theirs.loc[common], atol=1e-12)


def test_median_and_rmst_on_a_curve_that_reached_zero(reaches_zero):
    assert median_tenure(reaches_zero, settings=WINDOW)["estimate"].iloc[0] == 30.0
    kmf = KaplanMeierFitter().fit([30.0, 30.0], [True, True])
    expected = restricted_mean_survival_time(kmf, t=400.0)
    assert rmst(reaches_zero, horizon_days=400.0, settings=WINDOW)["estimate"].iloc[0] == pytest.approx(expected)
