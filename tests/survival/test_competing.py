"""End reasons as competing risks: exact tie-aware Aalen-Johansen, equal to lifelines without ties."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from lifelines import AalenJohansenFitter

from outstaff_analysis.config import DEFAULT_SETTINGS
from outstaff_analysis.schema import END_REASONS
from outstaff_analysis.survival import cumulative_incidence, survival_at, tenure_frame
from outstaff_analysis.survival.tenure import REASON_CODES, REASON_GROUPS

WINDOW = DEFAULT_SETTINGS.replace(data_window_start=dt.date(2022, 1, 1))
ANY = DEFAULT_SETTINGS.replace(min_at_risk=0)

# Ties of different reasons on day 2, censoring on days 3 and 5, late entry on days 1 and 3.
# Risk sets: day 2 n=5 (S- = 1), day 4 n=3 (S- = 0.6), day 5 n=2 (S- = 0.4).
TEXTBOOK = pd.DataFrame(
    {
        "duration_days": [2.0, 2.0, 3.0, 4.0, 5.0, 5.0],
        "event": [True, True, False, True, True, False],
        "entry_days": [0.0, 0.0, 0.0, 1.0, 0.0, 3.0],
        "end_reason": ["client_ended", "replaced", None, "client_ended", "replaced", None],
    }
)


@pytest.fixture(scope="module")
def tenure(synthetic_firm):
    return tenure_frame(
        synthetic_firm["placements"], as_of="2024-12-31", settings=WINDOW, clients=synthetic_firm["clients"]
    )


def _wide(out):
    return out.pivot_table(index="time_days", columns="cause", values="estimate", sort=False)


def _offset_ties(frame):
    """Deterministic tie-breaking for lifelines: an end of reason k moves (7 - k) * 1e-6 day earlier."""
    code = frame["end_reason"].map(REASON_CODES).fillna(0).astype(int).where(frame["event"], 0)
    durations = frame["duration_days"] - np.where(code > 0, (len(END_REASONS) + 1 - code) * 1e-6, 0.0)
    return durations, code


def test_textbook_values_with_ties():
    wide = _wide(cumulative_incidence(TEXTBOOK, times=[2, 4, 5], settings=ANY))
    np.testing.assert_allclose(wide["client_ended"], [0.2, 0.2 + 0.6 / 3, 0.4], atol=1e-15)
    np.testing.assert_allclose(wide["replaced"], [0.2, 0.2, 0.2 + 0.4 / 2], atol=1e-15)
    np.testing.assert_allclose(wide["still_placed"], [0.6, 0.4, 0.2], atol=1e-15)


def test_equal_to_lifelines_without_ties(rng):
    n = 300
    frame = pd.DataFrame(
        {
            "duration_days": rng.uniform(1, 700, n),
            "event": rng.random(n) < 0.75,
            "entry_days": np.where(rng.random(n) < 0.2, rng.uniform(0, 0.9, n), 0.0),
        }
    )
    frame["end_reason"] = np.where(
        frame["event"], rng.choice(["client_ended", "specialist_left", "replaced"], n), None
    )
    curve = cumulative_incidence(frame)
    code = frame["end_reason"].map(REASON_CODES).fillna(0).astype(int)
    for reason in ("client_ended", "specialist_left"):
        aj = AalenJohansenFitter().fit(
            frame["duration_days"], code, event_of_interest=REASON_CODES[reason], entry=frame["entry_days"]
        )
        mine = curve[curve["cause"] == reason].set_index("time_days").reindex(aj.cumulative_density_.index)
        np.testing.assert_allclose(mine["estimate"], aj.cumulative_density_.iloc[:, 0], rtol=0, atol=1e-12)
        # lifelines' "upper" column holds the lower bound; ours are named right
        upper_named, lower_named = aj.confidence_interval_.columns
        assert "upper" in upper_named
        # lifelines leaves F = 0 without a band, and its variance is infinite where the last one at risk
        # ends (n = d); elsewhere the bands agree
        ok = (mine["estimate"].to_numpy() > 0) & aj.confidence_interval_.notna().all(axis=1).to_numpy()
        assert ok.sum() > 100
        np.testing.assert_allclose(
            mine["lower_95"][ok], aj.confidence_interval_[upper_named][ok], rtol=0, atol=1e-12
        )
        np.testing.assert_allclose(
            mine["upper_95"][ok], aj.confidence_interval_[lower_named][ok], rtol=0, atol=1e-12
        )
        assert (mine["lower_95"] <= mine["estimate"]).all() and (mine["estimate"] <= mine["upper_95"]).all()


def test_ties_equal_lifelines_with_deterministic_offsets(tenure):
    part = tenure[tenure["client_id"] == "C005"]
    assert part.loc[part["event"], "duration_days"].duplicated().any()  # day-level data: ties
    horizons = [30, 91, 182, 365, 700]
    ours = _wide(cumulative_incidence(part, times=horizons, settings=ANY))
    durations, code = _offset_ties(part)
    for reason in ("client_ended", "specialist_left", "replaced"):
        aj = AalenJohansenFitter(calculate_variance=False).fit(
            durations, code, event_of_interest=REASON_CODES[reason], entry=part["entry_days"]
        )
        expected = [aj.cumulative_density_.loc[:t].iloc[-1, 0] for t in horizons]
        np.testing.assert_allclose(ours[reason], expected, rtol=0, atol=1e-12)


@pytest.mark.filterwarnings(
    "ignore:Tied event times were detected"
)  # lifelines' own jitter warning, the trap shown
def test_lifelines_jitter_depends_on_the_seed_ours_does_not(tenure, rng):
    part = tenure[tenure["client_id"] == "C005"]
    code = part["end_reason"].map(REASON_CODES).fillna(0).astype(int)
    fits = [
        AalenJohansenFitter(seed=seed, calculate_variance=False).fit(
            part["duration_days"], code, event_of_interest=1, entry=part["entry_days"]
        )
        for seed in (1, 2)
    ]
    at = [f.cumulative_density_.loc[:365].iloc[-1, 0] for f in fits]
    assert at[0] != at[1]
    shuffled = part.sample(frac=1, random_state=7)
    pd.testing.assert_frame_equal(cumulative_incidence(part), cumulative_incidence(shuffled))


def test_incidences_plus_survival_sum_to_one(tenure):
    out = cumulative_incidence(tenure, by="segment")
    totals = out.groupby(["segment", "time_days"])["estimate"].sum()
    assert np.abs(totals - 1).max() <= 1e-12
    cif = out[out["cause"] != "still_placed"]
    assert (cif.groupby(["segment", "cause"])["estimate"].diff().fillna(0) >= -1e-15).all()
    survival = survival_at(tenure, times=[365], by="segment")
    still = out[(out["cause"] == "still_placed")]
    at_365 = still[still["time_days"] <= 365].groupby("segment")["estimate"].last()
    np.testing.assert_allclose(at_365, survival["estimate"], rtol=0, atol=1e-12)


def test_reason_groups_are_sums_of_reasons(tenure):
    reasons = _wide(cumulative_incidence(tenure, times=[91, 365]))
    groups = _wide(cumulative_incidence(tenure, causes="reason_group", times=[91, 365]))
    for group in ("client_side", "our_side", "natural_end"):
        members = [r for r, g in REASON_GROUPS.items() if g == group]
        np.testing.assert_allclose(groups[group], reasons[members].sum(axis=1), rtol=0, atol=1e-12)
    assert list(groups.columns) == ["client_side", "our_side", "natural_end", "other", "still_placed"]


def test_nothing_reported_beyond_follow_up():
    out = cumulative_incidence(TEXTBOOK, times=[5, 8], settings=ANY)
    late = out[out["time_days"] == 8]
    assert late["estimate"].isna().all() and late["note"].eq("beyond follow-up").all()


def test_unknown_causes_argument():
    with pytest.raises(ValueError, match=r"`causes` must name a column of the frame, but 'reason' is not among"):
        cumulative_incidence(TEXTBOOK, causes="reason")


def test_any_cause_codes_are_accepted():
    # lifelines-style integer codes (and any labels) give the same curves as the package's reason names
    named = cumulative_incidence(TEXTBOOK, times=[2, 4, 5], settings=ANY)
    codes = TEXTBOOK["end_reason"].map({"client_ended": 7, "replaced": 3}).fillna(0).astype(int)  # 0 censored
    coded = cumulative_incidence(TEXTBOOK.assign(code=codes), causes="code", times=[2, 4, 5], settings=ANY)
    assert list(dict.fromkeys(coded["cause"])) == [3, 7, "still_placed"]
    for name, code in (("client_ended", 7), ("replaced", 3), ("still_placed", "still_placed")):
        np.testing.assert_array_equal(
            named.loc[named["cause"] == name, "estimate"], coded.loc[coded["cause"] == code, "estimate"]
        )
    with pytest.raises(ValueError, match=r"Every ended row must have a cause in `code`, but row 0 has none"):
        cumulative_incidence(TEXTBOOK.assign(code=codes.where(codes != 7).astype(object)), causes="code")


def test_an_incidence_that_reaches_one_is_certain_without_overflow():
    # every placement ended, all of one reason: F = 1 exactly (summed to 1 - 3e-16) with no variance (Collett's
    # formula in exact fractions gives 0; the float sum leaves ~3e-16 of noise, whose log(-log) interval overflowed)
    ended = [True, False, False, True, False, False, False, True, True]
    frame = pd.DataFrame({"duration_days": np.arange(1.0, 10.0), "event": ended, "entry_days": 0.0,
                          "end_reason": ["client_ended" if e else None for e in ended]})
    out = cumulative_incidence(frame, times=[8, 9], settings=ANY)
    client = out[out["cause"] == "client_ended"].set_index("time_days")
    np.testing.assert_allclose(client.loc[9.0, ["estimate", "lower_95", "upper_95"]].astype(float), 1.0,
                               rtol=0, atol=1e-12)
    assert client.loc[9.0, "lower_95"] == client.loc[9.0, "estimate"] == client.loc[9.0, "upper_95"]
    # before that, lifelines' interval (its columns labelled the wrong way round); at day 9 its variance is NaN
    fitter = AalenJohansenFitter(calculate_variance=True).fit(
        frame["duration_days"], frame["event"].astype(int), event_of_interest=1
    )
    upper_labelled, lower_labelled = fitter.confidence_interval_.loc[8.0]
    np.testing.assert_allclose(client.loc[8.0, ["lower_95", "upper_95"]].astype(float),
                               [upper_labelled, lower_labelled], rtol=0, atol=1e-12)


def test_declared_levels_report_a_cause_nobody_ended_of_yet():
    codes = TEXTBOOK.assign(code=TEXTBOOK["end_reason"].map({"client_ended": "a", "replaced": "b"}))
    out = cumulative_incidence(codes, causes="code", levels=("a", "b", "c"), times=[2, 5], settings=ANY)
    assert list(dict.fromkeys(out["cause"])) == ["a", "b", "c", "still_placed"]
    unseen = out[out["cause"] == "c"]
    assert (unseen[["estimate", "lower_95", "upper_95"]] == 0).all().all()
    seen = cumulative_incidence(codes, causes="code", times=[2, 5], settings=ANY)
    pd.testing.assert_frame_equal(out[out["cause"] != "c"].reset_index(drop=True), seen)
    with pytest.raises(ValueError, match=r"The causes in `code` must be among \['a'\], but row 1 has 'b'"):
        cumulative_incidence(codes, causes="code", levels=("a",))
