"""On the demo firm, the valley-of-death bands recover the generator's true hazards.

One draw of a 95% interval misses its truth 5% of the time, so four bands all covering their truths
fails about one draw in five by chance alone.  The check is therefore made with exact Poisson
intervals at 99.9% on the same events and exposure (family-wise error below 0.5% over the bands),
and the reported 95% bounds are checked to be those exact intervals.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from outstaff_analysis.config import DEFAULT_SETTINGS
from outstaff_analysis.stats import poisson_rate_ci
from outstaff_analysis.survival import hazard_bands, subset, tenure_frame


@pytest.fixture(scope="module")
def demo_tenure(demo_firm):
    truth = demo_firm.truth
    settings = DEFAULT_SETTINGS.replace(data_window_start=dt.date.fromisoformat(truth["data_window_start"]))
    tenure = tenure_frame(demo_firm.tables["placements"], as_of=truth["as_of"], settings=settings)
    return tenure, settings, truth


def _covers(bands, truth: dict) -> np.ndarray:
    assert bands["band"].tolist() == list(truth)
    lower, upper = poisson_rate_ci(bands["events"], bands["exposure_months"], level=0.999)
    expected = np.array(list(truth.values())) / 100
    return (lower <= expected) & (expected <= upper)


def test_ordinary_hazards_recovered(demo_tenure):
    tenure, settings, truth = demo_tenure
    churny = truth["special_clients"]["churny"]
    bands = hazard_bands(
        subset(tenure, client_id=sorted(set(tenure["client_id"]) - {churny})), settings=settings
    )
    assert _covers(bands, truth["hazard_per_100_months"]["all"]).all()
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
    assert _covers(bands, churny_truth).all()
    spike = bands.set_index("band").loc["[1,3)"]
    assert spike["lower_95"] > bands.loc[bands["band"] != "[1,3)", "upper_95"].max()
