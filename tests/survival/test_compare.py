"""Group comparisons: log-rank equal to lifelines, Holm on log10 p, underflow, Cox with PH check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test, pairwise_logrank_test

from outstaff_analysis.survival import cox_model, format_p, logrank, pairwise_logrank
from outstaff_analysis.survival.compare import holm_log10, log10_chi2_sf


@pytest.fixture
def three_groups(rng):
    n = 600
    group = rng.choice(["junior", "middle", "senior"], n)
    scale = np.select([group == "junior", group == "middle"], [200.0, 300.0], 320.0)
    return pd.DataFrame(
        {
            "duration_days": np.ceil(rng.exponential(scale)),
            "event": rng.random(n) < 0.7,
            "entry_days": 0.0,
            "grade": group,
            "rate": rng.normal(size=n),
        }
    )


def test_overall_equals_lifelines(three_groups):
    ours = logrank(three_groups, by="grade").iloc[0]
    ref = multivariate_logrank_test(
        three_groups["duration_days"], three_groups["grade"], three_groups["event"]
    )
    assert ours["test_statistic"] == pytest.approx(ref.test_statistic, rel=1e-10)
    assert ours["p_value"] == pytest.approx(ref.p_value, rel=1e-9)
    assert ours["df"] == 2 and ours["n_groups"] == 3


def test_pairwise_equals_lifelines_and_holm(three_groups):
    ours = pairwise_logrank(three_groups, by="grade")
    ref = pairwise_logrank_test(
        three_groups["duration_days"], three_groups["grade"], three_groups["event"]
    ).summary
    np.testing.assert_allclose(ours["test_statistic"], ref["test_statistic"], rtol=1e-10)
    np.testing.assert_allclose(ours["p_value"], ref["p"], rtol=1e-9)
    # Holm by hand: sort, multiply by m, m-1, ..., running max, cap at 1
    p = ours["p_value"].to_numpy()
    order = np.argsort(p)
    expected = np.empty(3)
    expected[order] = np.minimum(np.maximum.accumulate(p[order] * [3, 2, 1]), 1)
    np.testing.assert_allclose(ours["p_adjusted"], expected, rtol=1e-12)


def test_holm_on_log10():
    adjusted = holm_log10(np.log10([0.01, 0.04, 0.03, 0.5]))
    np.testing.assert_allclose(10**adjusted, [0.04, 0.09, 0.09, 0.5], rtol=1e-12)


def test_left_truncation_is_used(three_groups):
    # with entry = 0 the truncated test is the plain test; moving entries changes the risk sets
    late = three_groups.assign(
        entry_days=np.minimum(three_groups["duration_days"], 50.0) * (three_groups.index % 3 == 0)
    )
    plain = logrank(three_groups, by="grade")["test_statistic"].iloc[0]
    truncated = logrank(late, by="grade")["test_statistic"].iloc[0]
    assert truncated != pytest.approx(plain, rel=1e-6)


def test_underflowing_p_values_keep_their_log():
    n = 3000
    frame = pd.DataFrame(
        {
            "duration_days": np.r_[np.ones(n), np.full(n, 1000.0)],
            "event": True,
            "entry_days": 0.0,
            "team": ["a"] * n + ["b"] * n,
        }
    )
    ours = pairwise_logrank(frame, by="team").iloc[0]
    ref = logrank_test(frame["duration_days"][:n], frame["duration_days"][n:])
    assert ref.p_value == 0.0 and ours["p_value"] == 0.0  # the trap: p underflows
    assert np.isfinite(ours["log10_p"]) and ours["log10_p"] < -300
    assert format_p(ours["log10_p"]) == "< 1e-300"
    assert format_p(np.log10(0.0321)) == "0.032" and format_p(np.log10(2.1e-12)) == "2.1e-12"


def test_log10_chi2_sf_continues_past_underflow():
    from scipy import stats

    assert log10_chi2_sf(1000.0, 3) == pytest.approx(stats.chi2.logsf(1000.0, 3) / np.log(10), rel=1e-12)
    # df = 1: compare with the normal tail, which scipy computes in log space without underflow
    exact = (np.log(2) + stats.norm.logsf(np.sqrt(3000.0))) / np.log(10)
    assert log10_chi2_sf(3000.0, 1) == pytest.approx(exact, rel=1e-12)
    # the case: chi2 = 1550 used to be off by 1.7e-9 in log10 p
    assert log10_chi2_sf(1550.0, 1) == pytest.approx(
        (np.log(2) + stats.norm.logsf(np.sqrt(1550.0))) / np.log(10), rel=1e-12
    )


def test_cox_equals_lifelines(three_groups):
    ours = cox_model(three_groups, covariates=["grade", "rate"]).set_index("term")
    design = pd.get_dummies(three_groups["grade"], dtype=float).drop(columns="junior").add_prefix("grade=")
    data = pd.concat([three_groups[["duration_days", "event", "rate"]], design], axis=1)
    ref = CoxPHFitter().fit(data, "duration_days", "event").summary
    for term in ("grade=middle", "grade=senior", "rate"):
        assert ours.loc[term, "estimate"] == pytest.approx(ref.loc[term, "exp(coef)"], rel=1e-8)
        assert ours.loc[term, "lower_95"] == pytest.approx(ref.loc[term, "exp(coef) lower 95%"], rel=1e-8)
        assert ours.loc[term, "p_value"] == pytest.approx(ref.loc[term, "p"], rel=1e-6)
    assert ours.loc["grade=middle", "reference"] == "grade=junior"
    assert ours["ph_p_value"].between(0, 1).all()


def test_cox_flags_non_proportional_hazards(rng):
    n = 1500
    group = rng.choice(["a", "b"], n)
    # group b: high hazard early, low late -> crossing hazards
    early = rng.exponential(np.where(group == "b", 30.0, 200.0))
    late = 100 + rng.exponential(np.where(group == "b", 2000.0, 150.0))
    duration = np.where(early < 100, early, late)
    frame = pd.DataFrame(
        {"duration_days": np.ceil(duration), "event": True, "entry_days": 0.0, "team": group}
    )
    out = cox_model(frame, covariates=["team"])
    assert not out["ph_ok"].iloc[0] and out["note"].iloc[0].startswith("proportional hazards doubtful")


def test_cox_unknown_covariate(three_groups):
    with pytest.raises(ValueError, match=r"`covariates` must name columns of the frame, but \['grad'\]"):
        cox_model(three_groups, covariates=["grad"])


def test_cox_with_left_truncation_equals_lifelines(three_groups):
    frame = three_groups.assign(
        entry_days=np.where(
            three_groups.index % 4 == 0, np.minimum(30.0, three_groups["duration_days"] - 1), 0.0
        )
    )
    ours = cox_model(frame, covariates=["rate"]).set_index("term")
    ref = (
        CoxPHFitter()
        .fit(
            frame[["duration_days", "event", "entry_days", "rate"]],
            "duration_days",
            "event",
            entry_col="entry_days",
        )
        .summary
    )
    assert ours.loc["rate", "estimate"] == pytest.approx(ref.loc["rate", "exp(coef)"], rel=1e-8)
    assert 0 <= ours.loc["rate", "ph_p_value"] <= 1  # checked on the placements observed from their start
