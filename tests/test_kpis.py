"""KPIs judged against their targets from Settings, with intervals, changes and the firm as context."""

import math
import warnings

import pandas as pd
import pytest

from outstaff_analysis.config import Settings
from outstaff_analysis.exceptions import InsufficientDataWarning
from outstaff_analysis.kpis import (
    KPI_COLUMNS,
    KPIS,
    change_is_significant,
    client_kpis,
    firm_averages,
    judge,
    measured_vs_said,
)
from outstaff_analysis.reporting.summary import executive_summary

NAN = math.nan


@pytest.mark.parametrize(("value", "lower", "upper"), [(0.33, 0.06, 0.79), (0.45, 0.2, 0.7), (0.75, 0.3, 0.95)])
def test_approvals_per_cv_below_the_target_of_one_are_never_on_target(value, lower, upper):
    # the firm's average (0.32) used to be the yardstick: 0.33, 0.45 and 0.75 were "on target"
    assert judge(value, lower, upper, 1.0) == "bad"


def test_status_follows_the_interval_against_the_target():
    assert judge(0.97, 0.96, 0.99, 0.95) == "good"
    assert judge(1.0, 0.21, 1.0, 0.95) == "unclear"  # "100 % of 1": too few to judge
    assert judge(0.9, 0.8, 0.97, 0.95) == "unclear"
    assert judge(0.5, 0.1, 0.9, 0.95) == "bad"
    assert judge(NAN, NAN, NAN, 0.95) == "none"
    # fewer days is better: 21 days (14-31) against 30 is unclear, 12 (9-20) good, 45 (35-60) bad
    assert judge(21, 14, 31, 30, direction="lower") == "unclear"
    assert judge(12, 9, 20, 30, direction="lower") == "good"
    assert judge(45, 35, 60, 30, direction="lower") == "bad"
    # an unknown bound may reach anywhere
    assert judge(20, 15, NAN, 30, direction="lower") == "unclear"


def test_a_change_counts_only_when_larger_than_its_noise():
    row = {"kpi": "sla_message", "value": 0.0, "lower_95": 0.0, "upper_95": 0.79, "n": 1}
    before = {"kpi": "sla_message", "value": 1.0, "lower_95": 0.21, "upper_95": 1.0, "n": 1}
    assert not change_is_significant(pd.Series(row), pd.Series(before))  # 0 of 1 against 1 of 1: Fisher p = 1
    many = dict(row, value=0.5, lower_95=0.4, upper_95=0.6, n=100)
    assert change_is_significant(pd.Series(many), pd.Series(dict(before, value=0.9, n=100)))
    csi = {"kpi": "csi", "value": 70.0, "lower_95": 60.0, "upper_95": 80.0, "n": 20}
    assert change_is_significant(pd.Series(csi), pd.Series(dict(csi, value=40.0, lower_95=30.0, upper_95=50.0)))
    assert not change_is_significant(pd.Series(csi), pd.Series(dict(csi, value=65.0, lower_95=55.0, upper_95=75.0)))


@pytest.fixture(scope="module")
def demo_inputs(demo_data_dir):
    from outstaff_analysis.reporting.inputs import load_inputs

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsufficientDataWarning)
        return load_inputs(demo_data_dir, as_of="2024Q4", client_ids=["C002", "C007"])


def test_client_kpis_take_their_targets_from_settings(demo_inputs):
    settings = Settings(sla_goal=0.9, north_star_target=0.8, time_to_fill_target_days=21.0,
                        retention_6m_target=0.7, csi_bands=(55.0, 75.0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsufficientDataWarning)
        kpis = client_kpis(demo_inputs.tables, demo_inputs.csi.client_quarters, "C002", "2024Q4", settings=settings)
    assert list(kpis.columns) == list(KPI_COLUMNS)
    assert list(kpis["kpi"]) == list(KPIS)
    rows = kpis.set_index("kpi")
    assert rows["target"].to_dict() == {"sla_message": 0.9, "sla_bug": 0.9, "sla_replacement": 0.9,
                                        "north_star": 0.8, "time_to_fill": 21.0, "retention_6m": 0.7, "csi": 75.0}
    assert rows.loc["time_to_fill", "direction"] == "lower" and rows.loc["csi", "direction"] == "higher"
    for kpi, r in rows.iterrows():
        assert r["status"] == judge(r["value"], r["lower_95"], r["upper_95"], r["target"], direction=r["direction"])
        assert r["change"] == pytest.approx(r["value"] - r["previous"], nan_ok=True)
    # the previous quarter is computed as of its own end, by the same rules
    before = client_kpis(demo_inputs.tables, demo_inputs.csi.client_quarters, "C002", "2024Q3", settings=settings)
    assert rows["previous"].to_numpy() == pytest.approx(before["value"].to_numpy(), nan_ok=True)


def test_no_data_is_never_summarised_as_success():
    kpis = pd.DataFrame({"kpi": list(KPIS), "name": list(KPIS), "value": [NAN] * 6 + [80.0],
                         "previous": [NAN] * 7, "change": [NAN] * 7, "change_significant": [False] * 7,
                         "target": [0.95] * 6 + [70.0], "direction": ["higher"] * 7,
                         "status": ["none"] * 6 + ["good"]})
    factors = pd.DataFrame({"factor": ["csi"], "estimate": [80.0], "insufficient_evidence": [False]})
    actions = pd.DataFrame(columns=["text"])
    text = " ".join(executive_summary(kpis, factors, actions, quarter="2024Q4", lang="en"))
    assert "Of 7 measures in 2024Q4: 1 met the target, 0 missed it, 0 had too few data to judge and 6 had no data." \
        in text
    assert "everything" not in text


def test_measured_and_said_disagree_when_one_side_is_good_and_the_other_bad():
    kpis = pd.DataFrame({"kpi": ["sla_message", "sla_bug", "time_to_fill", "retention_6m"],
                         "status": ["good", "none", "bad", "unclear"]})
    factors = pd.DataFrame({"factor": ["service", "speed", "team"], "estimate": [30.0, 80.0, 60.0],
                            "insufficient_evidence": [False, False, True]})
    out = measured_vs_said(kpis, factors, settings=Settings(csi_bands=(50.0, 70.0))).set_index("factor")
    assert out["measured"].to_dict() == {"service": "good", "speed": "bad", "team": "unclear"}
    assert out["said"].to_dict() == {"service": "bad", "speed": "good", "team": "none"}
    assert out["disagree"].to_dict() == {"service": True, "speed": True, "team": False}


def test_firm_averages_pool_every_client_and_can_be_passed_in(demo_inputs):
    tables, scores = demo_inputs.tables, demo_inputs.csi.client_quarters
    firm = firm_averages(tables, "2024Q4")
    # approvals per CV shown, pooled over every client's requests opened in the quarter: a hand count
    requests = tables["requests"]
    opened = requests[requests["opened_at"].dt.to_period("Q").astype(str) == "2024Q4"]
    # a specialist seen at any stage by the quarter's end was shown; at approved or started, approved
    seen = tables["submissions"]
    seen = seen[seen["request_id"].isin(opened["request_id"]) & (seen["at"] <= pd.Timestamp("2024-12-31 23:59:59"))]

    def pairs(stages):
        return set(map(tuple, seen.loc[seen["stage"].isin(stages), ["request_id", "specialist_id"]].values))

    shown = pairs(["shown", "interview", "approved", "started"])
    approved = pairs(["approved", "started"])
    assert firm["north_star"] == pytest.approx(len(approved) / len(shown))
    assert set(firm) == set(KPIS) - {"csi"}
    computed = client_kpis(tables, scores, "C002", "2024Q4")
    given = client_kpis(tables, scores, "C002", "2024Q4",
                        firm={"2024Q4": firm, "2024Q3": firm_averages(tables, "2024Q3")})
    pd.testing.assert_frame_equal(given, computed)
    planted = client_kpis(tables, scores, "C002", "2024Q4", firm={"2024Q4": dict.fromkeys(firm, 0.123)})
    assert (planted.set_index("kpi").loc[list(firm), "firm_average"] == 0.123).all()
