"""Kaplan-Meier figures: equal to lifelines, textbook values, follow-up and small-sample rules."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from lifelines.exceptions import StatError
from lifelines.utils import median_survival_times

from outstaff_analysis.config import DEFAULT_SETTINGS
from outstaff_analysis.exceptions import InsufficientDataWarning
from outstaff_analysis.survival import (
    at_risk_table,
    conditional_survival,
    cumulative_density,
    km_curve,
    lifelines_km,
    median_tenure,
    survival_at,
    tenure_frame,
)

WINDOW = DEFAULT_SETTINGS.replace(data_window_start=dt.date(2022, 1, 1))

# Textbook case: ties (two ends on day 2), censoring (day 3, day 5) and late entry (day 1, day 3).
# Risk sets (entry < t <= duration): day 2: A B C D E -> S = 3/5; day 4: D E F -> S = 3/5 * 2/3;
# day 5: E F -> S = 0.4 * 1/2.  Greenwood sums: 2/(5*3); + 1/(3*2); + 1/(2*1).
TEXTBOOK = pd.DataFrame(
    {
        "id": list("ABCDEF"),
        "duration_days": [2.0, 2.0, 3.0, 4.0, 5.0, 5.0],
        "event": [True, True, False, True, True, False],
        "entry_days": [0.0, 0.0, 0.0, 1.0, 0.0, 3.0],
    }
)


@pytest.fixture(scope="module")
def tenure(synthetic_firm):
    return tenure_frame(
        synthetic_firm["placements"],
        as_of="2024-12-31",
        settings=WINDOW,
        clients=synthetic_firm["clients"],
        specialists=synthetic_firm["specialists"],
    )


def _lifelines(frame):
    return KaplanMeierFitter().fit(frame["duration_days"], frame["event"], entry=frame["entry_days"])


def test_textbook_values():
    out = survival_at(TEXTBOOK, times=[1, 2, 3, 4, 5], settings=DEFAULT_SETTINGS.replace(min_at_risk=1))
    np.testing.assert_allclose(out["estimate"], [1.0, 0.6, 0.6, 0.4, 0.2], atol=1e-15)
    assert out["n_at_risk"].tolist() == [5, 5, 4, 3, 2]  # #{entry <= t <= duration}
    table = km_curve(TEXTBOOK).set_index("time_days")
    v = np.log(0.2)
    lower = np.exp(-np.exp(np.log(-v) - 1.959963984540054 * np.sqrt(2 / 15 + 1 / 6 + 1 / 2) / v))
    assert table.loc[5.0, "lower_95"] == pytest.approx(lower, abs=1e-12)
    median = median_tenure(TEXTBOOK, settings=DEFAULT_SETTINGS.replace(min_at_risk=1))
    assert median["estimate"].iloc[0] == 4.0 and median["n_at_risk"].iloc[0] == 3


def test_equal_to_lifelines_per_group(tenure):
    horizons = [30, 91, 182, 365, 500]
    ours = survival_at(tenure, times=horizons, by="client_id", settings=WINDOW.replace(min_at_risk=0))
    for client, part in tenure.groupby("client_id"):
        kmf = _lifelines(part)
        mine = ours[ours["client_id"] == client]
        np.testing.assert_allclose(
            mine["estimate"], kmf.survival_function_at_times(horizons), rtol=0, atol=1e-12
        )
        band = kmf.confidence_interval_.loc[:500]
        expected = np.array([band.loc[:t].iloc[-1].to_numpy() for t in horizons])
        np.testing.assert_allclose(mine[["lower_95", "upper_95"]], expected, rtol=0, atol=1e-12)
        at_risk = [((part["entry_days"] <= t) & (part["duration_days"] >= t)).sum() for t in horizons]
        assert mine["n_at_risk"].tolist() == at_risk


def test_curve_equals_lifelines_event_table(tenure):
    part = tenure[tenure["segment"] == "retail"]
    kmf = _lifelines(part)
    curve = km_curve(part)
    np.testing.assert_array_equal(curve["time_days"], kmf.event_table.index)
    np.testing.assert_array_equal(curve["n_at_risk"], kmf.event_table["at_risk"])
    np.testing.assert_allclose(curve["estimate"], kmf.survival_function_.iloc[:, 0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(curve[["lower_95", "upper_95"]], kmf.confidence_interval_, rtol=0, atol=1e-12)
    fitted = lifelines_km(part)
    assert fitted.median_survival_time_ == kmf.median_survival_time_


def test_median_and_its_interval_equal_lifelines(tenure):
    ours = median_tenure(tenure, by="grade").set_index("grade")
    for grade, part in tenure.groupby("grade"):
        kmf = _lifelines(part)
        bounds = median_survival_times(kmf.confidence_interval_).to_numpy().ravel()
        assert ours.loc[grade, "estimate"] == kmf.median_survival_time_
        np.testing.assert_array_equal(ours.loc[grade, ["lower_95", "upper_95"]].astype(float), bounds)


def _no_entry(durations, events, groups=None) -> pd.DataFrame:
    frame = pd.DataFrame({"duration_days": durations, "event": events, "entry_days": 0.0})
    return frame if groups is None else frame.assign(group=groups)


EVERY_GROUP = DEFAULT_SETTINGS.replace(min_at_risk=0)


def test_grouped_curve_and_median_equal_lifelines_without_entry(rng):
    durations = np.round(rng.exponential(20.0, size=600), 0)  # ties on purpose
    events = rng.random(600) < 0.7
    groups = rng.choice(["a", "b", "c"], size=600)
    frame = _no_entry(durations, events, groups)
    curve = km_curve(frame, by="group")
    medians = median_tenure(frame, by="group", settings=EVERY_GROUP).set_index("group")
    for group in ("a", "b", "c"):
        mine = curve[curve["group"] == group].set_index("time_days")
        kmf = KaplanMeierFitter().fit(durations[groups == group], events[groups == group])
        ci = kmf.confidence_interval_
        np.testing.assert_allclose(mine["estimate"], kmf.survival_function_.loc[mine.index].iloc[:, 0], atol=1e-12)
        np.testing.assert_allclose(mine["lower_95"], ci.loc[mine.index].iloc[:, 0], atol=1e-12)
        np.testing.assert_allclose(mine["upper_95"], ci.loc[mine.index].iloc[:, 1], atol=1e-12)
        np.testing.assert_array_equal(mine["n_at_risk"], kmf.event_table.loc[mine.index, "at_risk"])
        np.testing.assert_array_equal(mine["n_events"], kmf.event_table.loc[mine.index, "observed"])
        np.testing.assert_array_equal(mine["n_censored"], kmf.event_table.loc[mine.index, "censored"])
        median = medians.loc[group]
        reference = median_survival_times(ci)
        assert median["estimate"] == kmf.median_survival_time_
        for mine_bound, theirs in zip((median["lower_95"], median["upper_95"]), reference.iloc[0]):
            assert (np.isnan(mine_bound) and np.isinf(theirs)) or mine_bound == theirs


def test_reads_no_value_past_follow_up_without_entry():
    frame = _no_entry([2.0, 5.0, 9.0], [True, False, False])
    read = survival_at(frame, times=[1.0, 5.0, 9.0, 30.0], settings=EVERY_GROUP)
    assert read["estimate"].tolist()[:3] == pytest.approx([1.0, 2 / 3, 2 / 3])
    assert np.isnan(read["estimate"].iloc[3]) and read["note"].iloc[3] == "beyond follow-up"
    counts = at_risk_table(frame, times=[1.0, 5.0, 9.0])
    still_followed = len(frame) - counts["n_events"] - counts["n_censored"]  # after the day's ends
    assert still_followed.tolist() == [3, 1, 0]


def test_properties_on_random_groups_without_entry(rng):
    durations = rng.gamma(2.0, 10.0, size=2000)
    events = rng.random(2000) < 0.6
    groups = rng.integers(0, 40, size=2000)
    table = km_curve(_no_entry(durations, events, groups), by="group")
    assert table["estimate"].between(0, 1).all()
    assert (table["lower_95"] <= table["estimate"] + 1e-15).all()
    assert (table["estimate"] <= table["upper_95"] + 1e-15).all()
    steps = table.groupby("group")["estimate"].diff().dropna()
    assert (steps <= 0).all()
    assert table.groupby("group")["n_at_risk"].first().sum() == 2000


def test_cumulative_density_equals_lifelines(tenure):
    part = tenure[tenure["segment"] == "retail"]
    kmf = _lifelines(part)
    curve = cumulative_density(km_curve(part))
    np.testing.assert_allclose(curve["estimate"], kmf.cumulative_density_.iloc[:, 0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        curve[["lower_95", "upper_95"]], kmf.confidence_interval_cumulative_density_, rtol=0, atol=1e-12
    )
    horizons = [30, 91, 182, 100_000]
    survival = survival_at(part, times=horizons, settings=WINDOW.replace(min_at_risk=0))
    shares = cumulative_density(survival)
    np.testing.assert_allclose(
        shares["estimate"].iloc[:3], kmf.cumulative_density_at_times(horizons[:3]), rtol=0, atol=1e-12
    )
    assert np.isnan(shares.loc[3, ["estimate", "lower_95", "upper_95"]].astype(float)).all()
    assert shares["note"].iloc[3] == "beyond follow-up"
    assert list(shares.columns) == list(survival.columns)
    np.testing.assert_allclose(survival["estimate"].iloc[:3], 1 - shares["estimate"].iloc[:3], rtol=0, atol=1e-15)
    assert ((shares["lower_95"] <= shares["estimate"]) & (shares["estimate"] <= shares["upper_95"])).iloc[:3].all()


def test_at_risk_table_counts(tenure):
    part = tenure[tenure["client_id"] == "C003"]
    table = at_risk_table(part, times=[0, 91, 365])
    for _, row in table.iterrows():
        t = row["time_days"]
        assert row["n_at_risk"] == ((part["entry_days"] <= t) & (part["duration_days"] >= t)).sum()
        assert row["n_events"] == (part["event"] & (part["duration_days"] <= t)).sum()
        assert row["n_censored"] == (~part["event"] & (part["duration_days"] <= t)).sum()


def test_properties(tenure):
    curve = km_curve(tenure, by="client_id")
    assert curve["estimate"].between(0, 1).all()
    assert (curve.groupby("client_id")["estimate"].diff().fillna(0) <= 1e-15).all()
    assert (curve["lower_95"] <= curve["estimate"] + 1e-15).all() and (
        curve["estimate"] <= curve["upper_95"] + 1e-15
    ).all()
    last = tenure.groupby("client_id")["duration_days"].max()
    assert (curve.groupby("client_id")["time_days"].max() == last).all()


def test_beyond_follow_up_is_nan_not_carried_forward():
    out = survival_at(TEXTBOOK, times=[5, 6], settings=DEFAULT_SETTINGS.replace(min_at_risk=1))
    assert out["estimate"].iloc[0] == pytest.approx(0.2, abs=1e-15)
    assert np.isnan(out.loc[1, ["estimate", "lower_95", "upper_95"]].astype(float)).all()
    assert out["note"].tolist() == ["", "beyond follow-up"]
    assert _lifelines(TEXTBOOK).survival_function_at_times(6).iloc[0] == pytest.approx(
        0.2
    )  # lifelines carries it


def test_too_few_at_risk_is_nan_with_warning():
    with pytest.warns(InsufficientDataWarning, match="1 of 2 survival figures are NaN: fewer than 5 at risk"):
        out = survival_at(TEXTBOOK, times=[2, 4])
    assert out["note"].tolist() == ["", "fewer than 5 at risk"]
    assert out["estimate"].iloc[0] == pytest.approx(0.6) and np.isnan(out["estimate"].iloc[1])
    assert list(out.columns) == [
        "time_days",
        "time_months",
        "estimate",
        "lower_95",
        "upper_95",
        "n_at_risk",
        "note",
    ]


def test_median_reached_with_few_at_risk_is_flagged():
    with pytest.warns(InsufficientDataWarning, match="medians"):
        out = median_tenure(TEXTBOOK)
    assert np.isnan(out["estimate"].iloc[0]) and out["note"].iloc[0] == "fewer than 5 at risk"
    assert out["n_at_risk"].iloc[0] == 3


def test_median_not_reached():
    frame = pd.DataFrame(
        {"duration_days": [5.0] * 2 + [30.0] * 8, "event": [True] * 2 + [False] * 8, "entry_days": 0.0}
    )
    out = median_tenure(frame)
    assert np.isnan(out["estimate"].iloc[0]) and out["note"].iloc[0] == "not reached in follow-up"


def test_conditional_survival(tenure):
    full = survival_at(tenure, times=[90, 365], by="segment").set_index("segment")
    cond = conditional_survival(tenure, given_days=90, times=[365], by="segment").set_index("segment")
    ratio = full.loc[full["time_days"] == 365, "estimate"] / full.loc[full["time_days"] == 90, "estimate"]
    np.testing.assert_allclose(cond["estimate"], ratio, rtol=0, atol=1e-12)
    assert (cond["given_days"] == 90).all()
    # and it is lifelines on those still there after 90 days, entering at 90
    part = tenure[(tenure["segment"] == "fintech") & (tenure["duration_days"] > 90)]
    kmf = KaplanMeierFitter().fit(
        part["duration_days"], part["event"], entry=part["entry_days"].clip(lower=90)
    )
    assert cond.loc["fintech", "estimate"] == pytest.approx(
        kmf.survival_function_at_times(365).iloc[0], abs=1e-12
    )
    band = kmf.confidence_interval_.loc[:365].iloc[-1].to_numpy()
    np.testing.assert_allclose(cond.loc["fintech", ["lower_95", "upper_95"]].astype(float), band, atol=1e-12)
    with pytest.raises(ValueError, match="must be later than `given_days`"):
        conditional_survival(tenure, given_days=90, times=[30])


def test_unknown_group_column(tenure):
    with pytest.raises(ValueError, match=r"must name columns of the frame, but \['sgment'\]"):
        survival_at(tenure, by="sgment")


def test_tiny_early_risk_set_under_late_entry_is_flagged():
    # one placement observed from its start ends on day 5; twenty more enter the records on day 100
    frame = pd.DataFrame(
        {
            "duration_days": [5.0] + [300.0 + i for i in range(20)],
            "event": [True] + [i % 2 == 0 for i in range(20)],
            "entry_days": [0.0] + [100.0] * 20,
        }
    )
    with pytest.raises(StatError, match="too few early truncation times"):
        _lifelines(frame)
    with pytest.warns(InsufficientDataWarning, match="fewer than 5 at risk"):
        out = survival_at(frame, times=[200, 305])
    assert out["n_at_risk"].tolist() == [
        20,
        15,
    ]  # plenty at risk now, but S(t) rests on the risk set of day 5
    assert out["estimate"].isna().all() and out["note"].eq("fewer than 5 at risk").all()


def test_empty_frame_keeps_the_shape():
    empty = TEXTBOOK.iloc[:0]
    out = survival_at(empty)
    assert list(out.columns) == [
        "time_days",
        "time_months",
        "estimate",
        "lower_95",
        "upper_95",
        "n_at_risk",
        "note",
    ]
    assert out["estimate"].isna().all() and out["note"].eq("beyond follow-up").all()
    assert median_tenure(empty)["note"].tolist() == ["not reached in follow-up"]
