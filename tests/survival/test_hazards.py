"""Valley of death: hand counts, exact Poisson CIs, and recovery of known hazards."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from outstaff_analysis.config import DEFAULT_SETTINGS
from outstaff_analysis.exceptions import InsufficientDataWarning
from outstaff_analysis.survival import cause_hazard_bands, hazard_bands, tenure_frame

M = 30.4375
WINDOW = DEFAULT_SETTINGS.replace(data_window_start=dt.date(2022, 1, 1))


def test_hand_count():
    # one ends at 1 month, one censored at 4 months, one enters at 5 and ends at 13 months
    frame = pd.DataFrame(
        {
            "duration_days": [1 * M, 4 * M, 13 * M],
            "event": [True, False, True],
            "entry_days": [0.0, 0.0, 5 * M],
        }
    )
    out = hazard_bands(frame, settings=DEFAULT_SETTINGS.replace(min_at_risk=1)).set_index("band")
    np.testing.assert_allclose(out["exposure_months"], [1 + 3, 1 + 1, 6, 1], atol=1e-12)
    assert out["events"].tolist() == [1, 0, 0, 1]
    assert out["n_at_risk"].tolist() == [2, 2, 1, 1]
    np.testing.assert_allclose(out["estimate"], [25.0, 0.0, 0.0, 100.0], atol=1e-12)
    # exact Garwood bounds for 1 event in 4 months, per 100 months
    assert out.loc["[0,3)", "lower_95"] == pytest.approx(100 * stats.chi2.ppf(0.025, 2) / 2 / 4, abs=1e-12)
    assert out.loc["[0,3)", "upper_95"] == pytest.approx(100 * stats.chi2.ppf(0.975, 4) / 2 / 4, abs=1e-12)
    assert out.loc["[3,6)", "lower_95"] == 0.0


def test_no_exposure_and_few_at_risk_are_nan():
    frame = pd.DataFrame({"duration_days": [20.0, 40.0], "event": [True, False], "entry_days": 0.0})
    with pytest.warns(InsufficientDataWarning, match="1 of 4 hazard bands are NaN"):
        out = hazard_bands(frame).set_index("band")
    assert out["note"].tolist() == [
        "fewer than 5 at risk",
        "beyond follow-up",
        "beyond follow-up",
        "beyond follow-up",
    ]
    assert out["estimate"].isna().all()


def test_recovers_known_piecewise_hazards(synthetic_firm):
    tenure = tenure_frame(synthetic_firm["placements"], as_of="2024-12-31", settings=WINDOW)
    out = hazard_bands(tenure, settings=WINDOW)
    truth = np.array(synthetic_firm["true_hazards"])
    assert ((out["lower_95"] <= truth) & (truth <= out["upper_95"])).all()
    assert out["estimate"].iloc[0] > out["upper_95"].iloc[1:].max()  # the valley of death shows


def test_per_group_and_per_cause_add_up(synthetic_firm):
    tenure = tenure_frame(
        synthetic_firm["placements"], as_of="2024-12-31", settings=WINDOW, clients=synthetic_firm["clients"]
    )
    overall = hazard_bands(tenure, settings=WINDOW)
    by_segment = hazard_bands(tenure, by="segment", settings=WINDOW)
    assert by_segment.groupby("band", sort=False)["events"].sum().tolist() == overall["events"].tolist()
    np.testing.assert_allclose(
        by_segment.groupby("band", sort=False)["exposure_months"].sum(),
        overall["exposure_months"],
        rtol=1e-12,
    )
    groups = ["client_side", "our_side", "natural_end", "other"]
    parts = [cause_hazard_bands(tenure, reason=g, column="reason_group", settings=WINDOW) for g in groups]
    assert sum(p["events"].to_numpy() for p in parts).tolist() == overall["events"].tolist()
    np.testing.assert_allclose(sum(p["estimate"].to_numpy() for p in parts), overall["estimate"], rtol=1e-12)
    assert parts[0]["reason"].eq("client_side").all()


def test_rate_ratio_against_months_12_plus_is_exact_conditional():
    # 1 ending in 4 months in [0,3) against 1 in 1 month in [12,inf): the hand-count frame above
    frame = pd.DataFrame(
        {"duration_days": [1 * M, 4 * M, 13 * M], "event": [True, False, True], "entry_days": [0.0, 0.0, 5 * M]}
    )
    out = hazard_bands(frame, settings=DEFAULT_SETTINGS.replace(min_at_risk=1)).set_index("band")
    first = out.loc["[0,3)"]
    assert first["rate_ratio"] == pytest.approx(0.25, rel=1e-12)
    # scipy's exact binomial interval of the share of the 2 endings that fell in [0,3), p0 = 4 / (4 + 1)
    reference = stats.binomtest(1, 2, 4 / 5)
    ci = reference.proportion_ci(method="exact")
    assert first["rate_ratio_lower_95"] == pytest.approx(ci.low / (1 - ci.low) * (1 / 4), rel=1e-10)
    assert first["rate_ratio_upper_95"] == pytest.approx(ci.high / (1 - ci.high) * (1 / 4), rel=1e-10)
    central = 2 * min(stats.binom.cdf(1, 2, 0.8), stats.binom.sf(0, 2, 0.8))
    assert first["p_value"] == pytest.approx(min(central, 1.0), rel=1e-12)
    last = out.loc["[12,inf)"]
    assert last["rate_ratio"] == 1.0 and np.isnan(last["p_value"]) and np.isnan(last["rate_ratio_lower_95"])


def test_rate_ratios_find_the_valley_and_cover_the_truth(synthetic_firm):
    tenure = tenure_frame(synthetic_firm["placements"], as_of="2024-12-31", settings=WINDOW)
    out = hazard_bands(tenure, settings=WINDOW)
    truth = np.array(synthetic_firm["true_hazards"]) / synthetic_firm["true_hazards"][-1]
    assert ((out["rate_ratio_lower_95"] <= truth) | np.isnan(out["rate_ratio_lower_95"])).all()
    assert ((truth <= out["rate_ratio_upper_95"]) | np.isnan(out["rate_ratio_upper_95"])).all()
    assert out["log10_p"].iloc[0] < -10  # 4 against 1 per 100 months on thousands of placements
    # the test and the interval agree: p < 0.05 exactly when 1 lies outside the interval
    tested = out.dropna(subset=["p_value"])
    outside = (tested["rate_ratio_lower_95"] > 1) | (tested["rate_ratio_upper_95"] < 1)
    assert ((tested["p_value"] < 0.05) == outside).all()


def test_rate_ratio_of_a_blanked_band_is_nan():
    frame = pd.DataFrame({"duration_days": [20.0, 40.0], "event": [True, False], "entry_days": 0.0})
    with pytest.warns(InsufficientDataWarning):
        out = hazard_bands(frame)
    assert out[["rate_ratio", "rate_ratio_lower_95", "p_value"]].isna().all().all()
