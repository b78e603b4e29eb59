"""Account lives with the churn gap, RMST with a correct variance, revenue per currency and LTV."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from lifelines.utils import restricted_mean_survival_time

from outstaff_analysis.config import DEFAULT_SETTINGS
from outstaff_analysis.survival import account_lives, account_ltv, monthly_revenue, remaining_ltv, rmst
from outstaff_analysis.survival.accounts import NO_CHURN, SHORT_FOLLOW_UP

M = 30.4375
AS_OF = "2024-12-31"

ROWS = [
    # client A: gap of 59 days (same life), then a gap of 60 days (churn, new life) that is still running
    ["a1", "s1", "A", None, "2023-01-01", "2023-03-01", "client_ended", 100.0, "USD"],
    ["a2", "s2", "A", None, "2023-04-29", "2023-06-01", "client_ended", 100.0, "USD"],
    ["a3", "s3", "A", None, "2023-07-31", None, None, 150.0, "USD"],
    ["a4", "s4", "A", None, "2024-01-01", "2025-03-01", "replaced", 50.0, "RUB"],  # ends after as_of
    # client B: a long placement covering a short one; ended 31 days before as_of: not yet churned
    ["b1", "s5", "B", None, "2022-06-01", "2024-11-30", "project_completed", 200.0, "RUB"],
    ["b2", "s6", "B", None, "2022-07-01", "2022-08-01", "replaced", 30.0, "RUB"],
    # client C: ended 61 days before as_of: churned; started before the data window
    ["c1", "s7", "C", None, "2021-06-01", "2024-10-31", "client_ended", 10.0, "EUR"],
    ["c2", "s8", "C", None, "2025-02-01", None, None, 10.0, "EUR"],  # starts after as_of: unseen
]


@pytest.fixture
def placements(make_placements):
    return make_placements(ROWS)


@pytest.fixture
def lives(placements):
    settings = DEFAULT_SETTINGS.replace(data_window_start=dt.date(2022, 1, 1))
    clients = pd.DataFrame({"client_id": ["A", "B", "C"], "segment": ["fintech", "retail", "retail"]})
    return account_lives(placements, as_of=AS_OF, settings=settings, clients=clients).set_index(
        ["client_id", "life"]
    )


def test_gap_rule(lives):
    assert list(lives.index) == [("A", 1), ("A", 2), ("B", 1), ("C", 1)]
    first = lives.loc[("A", 1)]
    assert first["n_placements"] == 2 and first["event"]  # 59-day gap bridged; 60-day gap is churn
    assert first["duration_days"] == (pd.Timestamp("2023-06-01") - pd.Timestamp("2023-01-01")).days
    assert first["ended_at"] == pd.Timestamp("2023-06-01")


def test_censoring_states(lives):
    running = lives.loc[("A", 2)]
    assert running["active"] and not running["event"] and pd.isna(running["ended_at"])
    assert running["duration_days"] == (pd.Timestamp(AS_OF) - pd.Timestamp("2023-07-31")).days
    recent = lives.loc[("B", 1)]  # no placement for 31 days: may resume, censored at its last end
    assert not recent["active"] and not recent["event"] and recent["n_placements"] == 2
    assert recent["duration_days"] == (pd.Timestamp("2024-11-30") - pd.Timestamp("2022-06-01")).days
    churned = lives.loc[("C", 1)]
    assert churned["event"] and churned["n_placements"] == 1
    assert churned["entry_days"] == (pd.Timestamp("2022-01-01") - pd.Timestamp("2021-06-01")).days
    assert lives.loc[("A", 1), "entry_days"] == 0 and lives.loc[("C", 1), "segment"] == "retail"


def test_gap_setting_is_used(placements):
    longer = account_lives(placements, as_of=AS_OF, settings=DEFAULT_SETTINGS.replace(churn_gap_days=62))
    assert longer.groupby("client_id").size().to_dict() == {"A": 1, "B": 1, "C": 1}
    assert not longer.set_index("client_id").loc["C", "event"]  # 61 days without a placement: not yet 62


def test_monthly_revenue_keeps_currencies_apart(placements):
    revenue = monthly_revenue(placements, as_of=AS_OF).set_index(["client_id", "currency"])
    assert revenue.loc[("A", "USD"), "monthly_revenue"] == 150.0  # a3 active at as_of
    assert revenue.loc[("A", "RUB"), "monthly_revenue"] == 50.0  # a4 ends later: active
    assert revenue.loc[("B", "RUB"), "monthly_revenue"] == 200.0  # run rate on its last day
    assert revenue.loc[("B", "RUB"), "reference_date"] == pd.Timestamp("2024-11-30")
    assert revenue.loc[("C", "EUR"), "monthly_revenue"] == 10.0
    assert len(revenue) == 4


def _exponential_sample(rng, n, groups=1):
    t = np.ceil(rng.exponential(400.0, (groups, n)))
    c = np.ceil(rng.uniform(200.0, 1500.0, (groups, n)))
    return pd.DataFrame(
        {
            "duration_days": np.minimum(t, c).ravel(),
            "event": (t <= c).ravel(),
            "entry_days": 0.0,
            "replicate": np.repeat(np.arange(groups), n),
        }
    )


def test_rmst_equals_lifelines(rng):
    frame = _exponential_sample(rng, 300)
    ours = rmst(frame, horizon_days=24 * M).iloc[0]
    kmf = KaplanMeierFitter().fit(frame["duration_days"], frame["event"])
    assert ours["horizon_days"] == 24 * M
    assert ours["estimate"] == pytest.approx(restricted_mean_survival_time(kmf, t=24 * M), rel=1e-12)
    assert ours["n"] == 300 and ours["n_events"] == frame["event"].sum()


# lifelines integrates the variance numerically and warns (the trap: slow, noisy and the wrong quantity)
@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
def test_rmst_variance_matches_simulation_and_lifelines_does_not(rng):
    n, replicates = 200, 600
    sample = _exponential_sample(rng, n, replicates)
    out = rmst(sample, horizon_days=24 * M, by="replicate")
    empirical_sd = out["estimate"].std(ddof=1)
    assert out["std_error"].mean() == pytest.approx(empirical_sd, rel=0.08)
    # true RMST of Exp(mean 400 days) up to tau: 400 (1 - exp(-tau / 400)); the 95% CIs cover it
    truth = 400.0 * (1 - np.exp(-24 * M / 400.0))
    coverage = ((out["lower_95"] <= truth) & (truth <= out["upper_95"])).mean()
    assert 0.92 <= coverage <= 0.98
    # lifelines' return_variance is the variance of min(T, tau) for one account: about n times too big
    first = sample[sample["replicate"] == 0]
    kmf = KaplanMeierFitter().fit(first["duration_days"], first["event"])
    _, variance = restricted_mean_survival_time(kmf, t=24 * M, return_variance=True)
    assert np.sqrt(variance) > 5 * empirical_sd


def test_rmst_beyond_follow_up_is_nan():
    frame = pd.DataFrame({"duration_days": [100.0, 200.0] * 5, "event": [True, False] * 5, "entry_days": 0.0})
    out = rmst(frame, horizon_days=365)
    assert out["estimate"].isna().all() and out["note"].iloc[0] == "beyond follow-up"


def _accounts(rng, n, segments=("x", "y")):
    """Account lives (one per client) of an exponential lifetime sample, split evenly into segments."""
    return _exponential_sample(rng, n).assign(
        client_id=[f"K{i:03d}" for i in range(n)], life=1, segment=np.repeat(segments, n // len(segments)),
        active=lambda f: ~f["event"],
    )


def test_ltv_is_mean_revenue_times_rmst_of_lifelines(rng):
    accounts = _accounts(rng, 60)
    revenue = pd.DataFrame(
        {
            "client_id": ["K000", "K000", "K001", "K045"],
            "currency": ["USD", "RUB", "USD", "RUB"],
            "monthly_revenue": [1000.0, 90000.0, 3000.0, 50000.0],
        }
    )
    ltv = account_ltv(accounts, revenue, by="segment", horizon_days=24 * M, n_boot=200).set_index(
        ["segment", "currency"]
    )
    x = accounts[accounts["segment"] == "x"]
    kmf = KaplanMeierFitter().fit(x["duration_days"], x["event"])
    lifetime = restricted_mean_survival_time(kmf, t=24 * M)
    row = ltv.loc[("x", "USD")]
    assert row["n_accounts"] == 2 and row["monthly_revenue"] == 2000.0
    assert row["rmst_days"] == pytest.approx(lifetime, rel=1e-12)
    assert row["estimate"] == pytest.approx(2000.0 * lifetime / M, rel=1e-12)
    assert row["lower_95"] < row["estimate"] < row["upper_95"] and row["note"] == ""
    assert ltv.loc[("y", "RUB"), "n_accounts"] == 1 and ("y", "USD") not in ltv.index
    converted = account_ltv(accounts, revenue, fx_rates={"USD": 90.0, "RUB": 1.0}, horizon_days=24 * M, n_boot=50)
    assert converted["currency"].tolist() == ["RUB"]
    assert converted["monthly_revenue"].iloc[0] == pytest.approx((180000.0 + 270000.0 + 50000.0) / 3)
    with pytest.raises(ValueError, match=r"`fx_rates` must give a rate for every currency, but \['USD'\]"):
        account_ltv(accounts, revenue, fx_rates={"RUB": 1.0})


def test_ltv_bootstrap_matches_greenwood_when_revenue_is_constant(rng):
    accounts = _accounts(rng, 400, segments=("x",))
    revenue = pd.DataFrame({"client_id": accounts["client_id"], "currency": "USD", "monthly_revenue": 1.0})
    ltv = account_ltv(accounts, revenue, horizon_days=24 * M, n_boot=1000).iloc[0]
    lifetime = rmst(accounts, horizon_days=24 * M).iloc[0]
    # with one revenue for all, the bootstrap interval is the lifetime's: about RMST +/- 1.96 SE
    assert (ltv["upper_95"] - ltv["lower_95"]) * M == pytest.approx(
        lifetime["upper_95"] - lifetime["lower_95"], rel=0.12
    )
    again = account_ltv(accounts, revenue, horizon_days=24 * M, n_boot=1000).iloc[0]
    assert (again["lower_95"], again["upper_95"]) == (ltv["lower_95"], ltv["upper_95"])  # seeded


def test_ltv_interval_carries_revenue_variation(rng):
    accounts = _accounts(rng, 200, segments=("x",))
    flat = pd.DataFrame({"client_id": accounts["client_id"], "currency": "USD", "monthly_revenue": 5000.0})
    varied = flat.assign(monthly_revenue=rng.choice([1000.0, 9000.0], len(flat)))
    varied["monthly_revenue"] *= 5000.0 / varied["monthly_revenue"].mean()
    rows = [account_ltv(accounts, rev, horizon_days=24 * M).iloc[0] for rev in (flat, varied)]
    width = [row["upper_95"] - row["lower_95"] for row in rows]
    assert width[1] > 1.3 * width[0]


def test_ltv_without_churn_is_a_lower_bound_not_a_zero_width_interval():
    # the case: a segment where no account churned used to read 36.0 [36.0-36.0]
    accounts = pd.DataFrame(
        {
            "client_id": [f"K{i}" for i in range(8)],
            "life": 1,
            "duration_days": [1200.0, 1300.0, 900.0, 1500.0, 700.0, 1100.0, 1250.0, 1400.0],
            "event": False,
            "entry_days": 0.0,
        }
    )
    revenue = pd.DataFrame(
        {"client_id": accounts["client_id"], "currency": "USD", "monthly_revenue": np.arange(1.0, 9.0) * 1000}
    )
    row = account_ltv(accounts, revenue, horizon_days=36 * M).iloc[0]
    assert row["note"] == NO_CHURN and row["rmst_days"] == 36 * M
    assert row["estimate"] == pytest.approx(4500.0 * 36)
    assert row["lower_95"] < row["estimate"] and np.isnan(row["upper_95"])
    short = account_ltv(accounts, revenue, horizon_days=60 * M).iloc[0]  # follow-up ends at 1500 days
    assert short["rmst_days"] == 1500.0 and short["note"] == NO_CHURN


def _lifelines_remaining(frame, age, horizon):
    kmf = KaplanMeierFitter().fit(frame["duration_days"], frame["event"])
    area = restricted_mean_survival_time(kmf, t=age + horizon) - restricted_mean_survival_time(kmf, t=age)
    return area / kmf.predict(age)


def test_remaining_ltv_is_conditional_rmst_of_lifelines(rng):
    accounts = _accounts(rng, 300)
    revenue = pd.DataFrame({"client_id": accounts["client_id"], "currency": "USD", "monthly_revenue": 3000.0})
    out = remaining_ltv(accounts, revenue, by="segment", horizon_days=365, n_boot=200)
    assert set(out["client_id"]) == set(accounts.loc[~accounts["event"], "client_id"])  # churned: none left
    covered = out[out["note"] == ""]
    assert len(covered) > 30
    for _, row in covered.sample(20, random_state=1).iterrows():
        group = accounts[accounts["segment"] == row["segment"]]
        expected = _lifelines_remaining(group, row["age_days"], 365.0)
        assert row["remaining_days"] == pytest.approx(expected, rel=1e-10)
        assert row["estimate"] == pytest.approx(3000.0 * expected / M, rel=1e-10)
        assert row["lower_95"] <= row["estimate"] <= row["upper_95"]
    assert (covered["window_days"] == 365).all()


def test_remaining_ltv_past_follow_up_is_a_lower_bound(rng):
    accounts = _accounts(rng, 300, segments=("x",))
    revenue = pd.DataFrame({"client_id": accounts["client_id"], "currency": "USD", "monthly_revenue": 1.0})
    out = remaining_ltv(accounts, revenue, n_boot=100)  # default horizon: the next year
    assert DEFAULT_SETTINGS.remaining_ltv_horizon_days == 365 and (out["horizon_days"] == 365).all()
    last = accounts["duration_days"].max()
    cut = out[out["age_days"] + 365 > last]
    assert len(cut) and (cut["note"] == SHORT_FOLLOW_UP).all() and cut["upper_95"].isna().all()
    assert np.allclose(cut["window_days"], last - cut["age_days"])
    row = cut.iloc[0]
    expected = _lifelines_remaining(accounts, row["age_days"], row["window_days"])
    assert row["remaining_days"] == pytest.approx(expected, rel=1e-10)
