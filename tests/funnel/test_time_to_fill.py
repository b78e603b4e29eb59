"""Time to fill: against lifelines on censored data and scikit-survival with cancellations competing,
censoring, milestones, groups, working days.

The grouped core it rests on is tested in ``tests/survival/``.
"""

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from sksurv.nonparametric import cumulative_incidence_competing_risks

from outstaff_analysis.funnel import fill_durations, time_to_fill, time_to_fill_curve


def _lifelines(durations, events):
    return KaplanMeierFitter().fit(durations, events)


def _firm():
    """Ten requests opened 2024-01-01: six filled after 5..30 days, four still open at as_of (day 59)."""
    opened = pd.Timestamp("2024-01-01 09:00")
    fill_days = [5, 8, 10, 12, 20, 30]
    requests = pd.DataFrame(
        {
            "request_id": [f"R{i}" for i in range(10)],
            "client_id": ["A"] * 5 + ["B"] * 5,
            "opened_at": [opened] * 10,
            "role": "developer",
            "stack": None,
            "grade": "middle",
            "headcount": pd.array([1] * 10, dtype="Int64"),
            "status": ["filled"] * 6 + ["open"] * 4,
            "closed_at": [opened + pd.Timedelta(days=d) for d in fill_days] + [pd.NaT] * 4,
        }
    )
    rows = []
    for i, d in enumerate(fill_days):
        rows.append((f"R{i}", f"S{i}", "shown", opened + pd.Timedelta(days=1), None))
        rows.append((f"R{i}", f"S{i}", "started", opened + pd.Timedelta(days=d), None))
    rows.append(("R7", "S9", "shown", opened + pd.Timedelta(days=3), None))
    submissions = pd.DataFrame(rows, columns=["request_id", "specialist_id", "stage", "at", "reason"])
    return requests, submissions


AS_OF = "2024-02-29"


def test_time_to_fill_equals_lifelines_on_the_censored_data():
    requests, submissions = _firm()
    durations = fill_durations(requests, submissions, as_of=AS_OF)
    assert durations["event"].sum() == 6
    open_duration = (pd.Timestamp(AS_OF) + pd.Timedelta(days=1) - pd.Timedelta(1, "ns") - requests["opened_at"][0])
    assert durations["duration"].iloc[-1] == pytest.approx(open_duration / pd.Timedelta(days=1), abs=1e-9)
    kmf = _lifelines(durations["duration"], durations["event"])
    summary = time_to_fill(requests, submissions, as_of=AS_OF).set_index("statistic")
    assert summary.loc["median_days", "estimate"] == kmf.median_survival_time_ == 20.0
    for h in (7, 14, 30):
        expected = 1 - kmf.survival_function_at_times(h).iloc[0]
        assert summary.loc[f"within_{h}_days", "estimate"] == pytest.approx(expected, abs=1e-12)
    assert summary.loc["within_7_days", "estimate"] == pytest.approx(0.1, abs=1e-12)
    assert summary["n_requests"].unique().tolist() == [10] and summary["n_reached"].unique().tolist() == [6]


def test_curve_has_a_row_per_distinct_duration_and_equals_lifelines():
    requests, submissions = _firm()
    durations = fill_durations(requests, submissions, as_of=AS_OF)
    curve = time_to_fill_curve(requests, submissions, as_of=AS_OF)
    assert curve["timeline"].tolist() == sorted(durations["duration"].unique())  # no row for day 0
    kmf = _lifelines(durations["duration"], durations["event"])
    at = curve["timeline"].to_numpy()
    # without cancellations the incidence of filling is lifelines' 1 - S(t)
    np.testing.assert_allclose(curve["estimate"], kmf.cumulative_density_.loc[at].iloc[:, 0], rtol=0, atol=1e-12)
    events = kmf.event_table.loc[at]
    assert curve["n_at_risk"].tolist() == events["at_risk"].tolist()
    assert curve["events"].tolist() == events["observed"].tolist()
    assert curve["censored"].tolist() == events["censored"].tolist()


def _assert_equals_sksurv(curve, durations):
    """Incidence and 95% band equal scikit-survival's Aalen-Johansen with log-log, delta-method band."""
    code = durations["outcome"].map({"reached": 1, "closed": 2}).fillna(0).astype(int).to_numpy()
    times = durations["duration"].to_numpy()
    x, incidence, band = cumulative_incidence_competing_risks(
        code, times, conf_type="log-log", var_type="Dinse_Approx"
    )
    keep = np.isin(x, curve["timeline"].to_numpy())
    theirs = pd.DataFrame({"estimate": incidence[1], "lower_95": band[1, 0], "upper_95": band[1, 1]}, index=x)[keep]
    mine = curve.set_index("timeline")[["estimate", "lower_95", "upper_95"]].loc[theirs.index]
    finite = np.isfinite(theirs.to_numpy())  # scikit-survival's variance is NaN once n = d
    np.testing.assert_allclose(mine.to_numpy()[finite], theirs.to_numpy()[finite], rtol=0, atol=1e-12)


def _cancelled_firm():
    """The issue's four requests: filled on days 10 and 20, cancelled on days 3 and 5."""
    opened = pd.Timestamp("2024-01-01")
    days = [10, 20, 3, 5]
    requests = pd.DataFrame(
        {
            "request_id": ["R0", "R1", "R2", "R3"],
            "client_id": "A",
            "opened_at": opened,
            "role": "developer",
            "stack": None,
            "grade": "middle",
            "headcount": pd.array([1] * 4, dtype="Int64"),
            "status": ["filled", "filled", "cancelled", "cancelled"],
            "closed_at": [opened + pd.Timedelta(days=d) for d in days],
        }
    )
    submissions = pd.DataFrame(
        [(f"R{i}", f"S{i}", "started", opened + pd.Timedelta(days=d), None) for i, d in enumerate(days[:2])],
        columns=["request_id", "specialist_id", "stage", "at", "reason"],
    )
    return requests, submissions


def test_cancellation_competes_with_filling():
    requests, submissions = _cancelled_firm()
    summary = time_to_fill(requests, submissions, as_of="2024-06-30", horizons=(14, 30)).set_index("statistic")
    # censoring the cancellations said 50 % within 14 days and a median of 10: only 1 of 4 was filled by then
    assert summary.loc["within_14_days", "estimate"] == pytest.approx(0.25, abs=1e-12)
    assert summary.loc["within_30_days", "estimate"] == pytest.approx(0.5, abs=1e-12)
    assert summary.loc["median_days", "estimate"] == 20.0
    assert summary["n_reached"].iloc[0] == 2 and summary["n_closed"].iloc[0] == 2
    durations = fill_durations(requests, submissions, as_of="2024-06-30")
    assert durations["outcome"].tolist() == ["reached", "reached", "closed", "closed"]
    curve = time_to_fill_curve(requests, submissions, as_of="2024-06-30")
    assert curve["closed"].tolist() == [1, 1, 0, 0] and curve["events"].tolist() == [0, 0, 1, 1]


def test_incidence_and_band_equal_scikit_survival(rng):
    # many requests, tied days, cancellations and some still open (scikit-survival's variance is NaN
    # once everyone at risk ends on one day, so the longest request is left open)
    n = 200
    opened = pd.Timestamp("2024-01-01")
    days = rng.integers(1, 60, n)
    status = rng.choice(["filled", "cancelled", "open"], n, p=[0.5, 0.3, 0.2])
    status[np.argmax(days)] = "open"
    requests = pd.DataFrame(
        {
            "request_id": [f"R{i:03d}" for i in range(n)],
            "client_id": "A",
            "opened_at": opened,
            "role": "developer",
            "stack": None,
            "grade": "middle",
            "headcount": pd.array([1] * n, dtype="Int64"),
            "status": status,
            "closed_at": np.where(status == "open", pd.NaT, opened + pd.to_timedelta(days, unit="D")),
        }
    )
    requests["closed_at"] = pd.to_datetime(requests["closed_at"])
    filled = np.flatnonzero(status == "filled")
    submissions = pd.DataFrame(
        {
            "request_id": requests["request_id"].iloc[filled].to_numpy(),
            "specialist_id": [f"S{i}" for i in filled],
            "stage": "started",
            "at": opened + pd.to_timedelta(days[filled], unit="D"),
            "reason": None,
        }
    )
    as_of = "2024-12-31"
    curve = time_to_fill_curve(requests, submissions, as_of=as_of)
    _assert_equals_sksurv(curve, fill_durations(requests, submissions, as_of=as_of))


def test_no_median_where_fewer_than_half_will_ever_be_filled():
    requests, submissions = _cancelled_firm()
    requests.loc[1, "status"] = "cancelled"  # R1 cancelled on day 20 instead of filled
    summary = time_to_fill(requests, submissions.iloc[:1], as_of="2024-06-30").set_index("statistic")
    assert np.isnan(summary.loc["median_days", "estimate"]) and summary.loc["median_days", "note"] == "not_reached"
    assert summary.loc["within_30_days", "estimate"] == pytest.approx(0.25, abs=1e-12)


def test_requests_none_of_which_was_filled_have_none_filled_not_no_figures():
    requests, submissions = _firm()
    summary = time_to_fill(requests, submissions.iloc[:0], as_of=AS_OF, by="client_id")
    within = summary[summary["statistic"] != "median_days"]
    assert sorted(set(within["client_id"])) == ["A", "B"] and len(within) == 6
    assert (within["estimate"] == 0).all() and (within["lower_95"] == 0).all() and (within["upper_95"] == 0).all()
    assert (within["n_requests"] == 5).all() and (within["n_reached"] == 0).all()
    median = summary[summary["statistic"] == "median_days"]
    assert median["estimate"].isna().all() and (median["note"] == "not_reached").all()
    curve = time_to_fill_curve(requests, submissions.iloc[:0], as_of=AS_OF)
    # the six closed without a start compete with filling; the four open are censored
    assert (curve["estimate"] == 0).all() and (curve["closed"].sum(), curve["censored"].sum()) == (6, 4)


def test_censoring_makes_filling_look_slower_than_the_filled_alone():
    requests, submissions = _firm()
    summary = time_to_fill(requests, submissions, as_of=AS_OF).set_index("statistic")
    filled_only = (pd.Series([5, 8, 10, 12, 20, 30]) <= 14).mean()
    assert summary.loc["within_14_days", "estimate"] == pytest.approx(0.4, abs=1e-12)
    assert summary.loc["within_14_days", "estimate"] < filled_only
    naive_median = np.median([5, 8, 10, 12, 20, 30])
    assert summary.loc["median_days", "estimate"] > naive_median
    assert summary.loc["median_days", "note"] == "not_reached"  # upper bound never gets to one half


def test_time_to_first_cv_and_groups():
    requests, submissions = _firm()
    shown = time_to_fill(requests, submissions, as_of=AS_OF, milestone="shown", by="client_id")
    median = shown[shown["statistic"] == "median_days"].set_index("client_id")["estimate"]
    assert median.loc["A"] == 1.0  # all five of A's requests had a CV on day 1
    assert np.isnan(median.loc["B"])  # only R5 (day 1) and R7 (day 3) of five: fewer than half
    assert set(shown["milestone"]) == {"shown"}


def test_working_days_count_the_production_calendar():
    requests, submissions = _firm()
    durations = fill_durations(requests, submissions, as_of=AS_OF, unit="working")
    # Opened Mon 2024-01-01 in the New Year holidays (1-8 January): the clock starts on Tue Jan 9.
    # Filled Jan 6 (before the clock) and Jan 9: 0; Jan 11: 2; Sat Jan 13: 3; Sun Jan 21: 3 + 5;
    # Wed Jan 31: 8 + 5 + 3.
    assert durations["duration"].iloc[:6].tolist() == [0.0, 0.0, 2.0, 3.0, 8.0, 16.0]
    curve = time_to_fill_curve(requests, submissions, as_of=AS_OF, unit="working")
    assert set(curve["unit"]) == {"working"}
    assert curve["estimate"].is_monotonic_increasing
    assert ((curve["lower_95"] <= curve["estimate"]) & (curve["estimate"] <= curve["upper_95"])).all()


def test_bad_options_are_named():
    requests, submissions = _firm()
    with pytest.raises(ValueError, match="`milestone` must be one of"):
        fill_durations(requests, submissions, as_of=AS_OF, milestone="approved")
    with pytest.raises(ValueError, match="`unit` must be one of"):
        fill_durations(requests, submissions, as_of=AS_OF, unit="hours")
