"""On the demo firm, the valley-of-death bands recover the generator's true hazards within their 95% CIs.

The generator ends every placement still active when a client terminates its contract on that day
(``truth["account_terminations"]``); those ends are the contract's, not draws from the placement
hazards, so, as the truth's notes say, the exact check censors them at the termination date.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.config import DEFAULT_SETTINGS
from outstaff_analysis.stats import poisson_rate_ci
from outstaff_analysis.survival import hazard_bands, subset, tenure_frame


@pytest.fixture(scope="module")
def demo_tenure(demo_firm):
    truth = demo_firm.truth
    settings = DEFAULT_SETTINGS.replace(data_window_start=dt.date.fromisoformat(truth["data_window_start"]))
    placements = demo_firm.tables["placements"]
    tenure = tenure_frame(placements, as_of=truth["as_of"], settings=settings)
    terminated = pd.to_datetime(placements["client_id"].map(truth["account_terminations"]))
    by_contract = set(placements.loc[terminated.notna() & (placements["ended_at"] == terminated), "placement_id"])
    censor = tenure["placement_id"].isin(by_contract).to_numpy()
    assert 0 < censor.sum() < len(tenure) / 10
    tenure.loc[censor, ["event", "event_code"]] = [False, 0]
    return tenure, settings, truth


def _covers(bands, truth: dict) -> np.ndarray:
    expected = np.array([truth[band] for band in bands["band"]])
    return (bands["lower_95"] <= expected) & (expected <= bands["upper_95"])


def test_ordinary_hazards_recovered(demo_tenure):
    tenure, settings, truth = demo_tenure
    churny = truth["special_clients"]["churny"]
    bands = hazard_bands(
        subset(tenure, client_id=sorted(set(tenure["client_id"]) - {churny})), settings=settings
    )
    expected = {band: truth["hazard_per_100_months"]["all"][band] for band in bands["band"]}
    assert _covers(bands, expected).all()
    lower, upper = poisson_rate_ci(bands["events"], bands["exposure_months"], level=0.95)
    np.testing.assert_allclose(bands["lower_95"], 100 * lower, rtol=1e-12)
    np.testing.assert_allclose(bands["upper_95"], 100 * upper, rtol=1e-12)
    assert bands["lower_95"].iloc[0] > bands["upper_95"].iloc[2:].max()  # the valley of death shows


def test_churny_client_month_two_spike(demo_tenure):
    tenure, settings, truth = demo_tenure
    churny_truth = truth["hazard_per_100_months_churny"]["all"]
    edges = tuple(float(label.split(",")[0][1:]) for label in churny_truth)
    bands = hazard_bands(
        subset(tenure, client_id=truth["special_clients"]["churny"]),
        settings=settings.replace(hazard_band_edges_months=edges, min_at_risk=1),
    )
    expected = {band: churny_truth[band] for band in bands["band"]}
    assert _covers(bands, expected).all()
    spike = bands.set_index("band").loc["[1,3)"]
    assert spike["lower_95"] > bands.loc[bands["band"] != "[1,3)", "upper_95"].max()
