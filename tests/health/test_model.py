"""The churn model: fitted or the stated rule, reasons and intervals, and blind to the future."""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.health import ChurnModel, account_health, churn_labels, design_matrix, signal_panel
from outstaff_analysis.health.model import RULE_COEFFICIENTS, RULE_INTERCEPT

AS_OF = "2023Q4"


@pytest.fixture(scope="module")
def demo_panel(demo_firm):
    tables = demo_firm.tables
    panel = signal_panel(tables, quarters=[str(q) for q in pd.period_range("2022Q1", "2024Q4", freq="Q")])
    labels = churn_labels(tables["placements"], panel, as_of="2024-12-31")
    return panel, labels, tables["placements"]


def test_too_few_churn_events_use_the_stated_rule(demo_panel):
    panel, labels, _ = demo_panel
    model = ChurnModel(min_events=int(labels.sum()) + 1).fit(panel, labels)
    assert model.kind_ == "rules"
    assert model.intercept_ == RULE_INTERCEPT
    assert model.coef_.to_dict() == RULE_COEFFICIENTS
    scored = model.predict(panel)
    x = design_matrix(panel)
    expected = 1 / (1 + np.exp(-(RULE_INTERCEPT + x @ pd.Series(RULE_COEFFICIENTS)[x.columns])))
    np.testing.assert_allclose(scored["risk"], expected, rtol=1e-12)
    assert scored["lower_95"].isna().all()


def test_enough_events_fit_a_model_with_intervals_and_contributions(demo_panel):
    panel, labels, _ = demo_panel
    model = ChurnModel(min_events=5, n_bootstrap=20).fit(panel, labels)
    assert model.kind_ == "logistic" and model.n_events_ == int(labels.sum())
    scored = model.predict(panel)
    assert ((scored["lower_95"] <= scored["risk"] + 1e-9) & (scored["risk"] <= scored["upper_95"] + 1e-9)).mean() > 0.9
    # contributions add up to the log-odds against the training average
    logit = np.log(scored["risk"] / (1 - scored["risk"]))
    centre = model.intercept_ + model.mean_ @ model.coef_
    parts = scored.filter(like="contribution_").sum(axis=1)
    np.testing.assert_allclose(logit, centre + parts, atol=1e-9)
    # in-sample, churned quarters score higher than the others
    known = labels.notna().to_numpy()
    assert scored["risk"][known & (labels == 1).to_numpy()].mean() > 2 * scored["risk"][known & (labels == 0).to_numpy()].mean()


def test_labels_wait_for_the_whole_horizon(demo_panel):
    panel, final, placements = demo_panel
    labels = churn_labels(placements, panel, as_of="2023-12-31")
    quarters = panel["quarter"]
    # 2023Q2 + two quarters ends 2023-12-31: its outcome is known only 60 days later, churned or not
    assert labels[quarters >= "2023Q2"].isna().all()
    early = quarters <= "2022Q4"
    assert labels[early].notna().all()
    pd.testing.assert_series_equal(labels[early], final[early])


def _scramble_after(tables: dict, cutoff: pd.Timestamp, rng) -> dict:
    """Change or shuffle every row (or value) dated after ``cutoff``."""
    out = {name: frame.copy() for name, frame in tables.items()}
    p = out["placements"]
    late_start = p["started_at"] > cutoff
    p.loc[late_start, "client_id"] = rng.permutation(p.loc[late_start, "client_id"].to_numpy())
    late_end = p["ended_at"] > cutoff
    p.loc[late_end, "ended_at"] = cutoff + pd.to_timedelta(rng.integers(1, 400, late_end.sum()), unit="D")
    p.loc[late_end, "end_reason"] = rng.choice(["client_ended", "other"], late_end.sum())
    r = out["requests"]
    late = r["opened_at"] > cutoff
    r.loc[late, "client_id"] = rng.permutation(r.loc[late, "client_id"].to_numpy())
    closed = r["closed_at"] > cutoff
    r.loc[closed, "status"] = "cancelled"
    out["submissions"] = out["submissions"][out["submissions"]["at"] <= cutoff]
    i = out["interviews"]
    late = i["held_at"] > cutoff
    i.loc[late, "client_id"] = rng.permutation(i.loc[late, "client_id"].to_numpy())
    s = out["sla_events"]
    late = s["opened_at"] > cutoff
    s.loc[late, "client_id"] = rng.permutation(s.loc[late, "client_id"].to_numpy())
    resolved = s["resolved_at"] > cutoff
    s.loc[resolved, "resolved_at"] = s.loc[resolved, "resolved_at"] + pd.Timedelta(days=30)
    return out


def test_no_quarters_of_signals_give_no_labels(demo_firm):
    tables = demo_firm.tables
    panel = signal_panel(tables, quarters=[])
    labels = churn_labels(tables["placements"], panel, as_of="2024-12-31")
    pd.testing.assert_series_equal(labels, pd.Series([], index=panel.index, dtype=float, name="churned"))
    labelled = panel.assign(churned=labels)
    assert labelled.empty and list(labelled.columns) == [*panel.columns, "churned"]
    # no placements either: still no labels, not an error
    assert churn_labels(tables["placements"].iloc[:0], panel, as_of="2024-12-31").empty


def test_the_prediction_does_not_move_when_the_future_changes(demo_firm, rng):
    tables = demo_firm.tables
    cutoff = pd.Timestamp("2023-12-31 23:59:59")
    model = ChurnModel(min_events=3, n_bootstrap=10)
    before = account_health(tables, as_of=AS_OF, model=model).current
    after = account_health(_scramble_after(tables, cutoff, rng), as_of=AS_OF,
                           model=ChurnModel(min_events=3, n_bootstrap=10)).current
    assert before["model"].iloc[0] == "logistic"
    pd.testing.assert_frame_equal(after, before)


def test_young_accounts_are_scored_and_reasons_name_their_signal(demo_firm):
    result = account_health(demo_firm.tables, as_of="2024Q2")
    current = result.current
    assert current["risk"].notna().all()
    young = current[current["account_age_days"] < 365]
    assert len(young) > 0
    assert current["status"].isin(["good", "watch", "at_risk"]).all()
    assert (current["status"] == "at_risk").eq(current["risk"] >= 0.25).all()
    first = current["revenue_at_risk_rub"].to_numpy()
    assert (np.diff(first[~np.isnan(first)]) <= 0).all()  # riskiest revenue first


def test_an_unfitted_model_says_so(demo_panel):
    with pytest.raises(ValueError, match=r"not fitted yet: call fit\(signals, labels\) first"):
        ChurnModel().predict(demo_panel[0])
    with pytest.raises(ValueError, match=r"`labels` must have one value per row of `signals`"):
        ChurnModel().fit(demo_panel[0], demo_panel[1].iloc[:3])
