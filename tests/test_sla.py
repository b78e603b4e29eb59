"""SLA compliance: targets from settings, working days for replacements, pending versus breach."""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.config import DEFAULT_SETTINGS, SLATargets
from outstaff_analysis.sla import sla_breaches, sla_compliance, sla_elapsed

AS_OF = "2024-06-30"
EVERY_BUG = DEFAULT_SETTINGS.replace(sla=SLATargets(bug_severities=None))


@pytest.fixture
def events():
    rows = [
        ("A", "message", "2024-04-26 10:00", "2024-04-26 10:20", None),  # 20 min: within
        ("A", "message", "2024-04-26 11:00", "2024-04-26 12:00", None),  # 60 min: 30 over
        ("A", "message", "2024-05-06 11:00", "2024-05-06 11:30", None),  # exactly 30: within
        ("A", "replacement", "2024-04-26 18:00", "2024-05-03 10:00", None),  # 3 working days (Sat 27th works)
        ("A", "replacement", "2024-04-26 18:00", "2024-05-06 10:00", None),  # 4 working days: 1 over
        ("B", "bug", "2024-05-02 10:00", "2024-05-02 12:00", "critical"),  # 2 h: within
        ("B", "bug", "2024-06-30 22:00", None, "critical"),  # open, not late yet: pending
        ("B", "bug", "2024-06-20 09:00", "2024-07-02 09:00", "major"),  # resolved after as_of: open, late
        ("B", "message", "2024-07-01 09:00", "2024-07-01 09:05", None),  # after as_of: unseen
    ]
    frame = pd.DataFrame(rows, columns=["client_id", "kind", "opened_at", "resolved_at", "severity"])
    for column in ("opened_at", "resolved_at"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    return frame


def test_elapsed_in_each_kinds_unit(events):
    table = sla_elapsed(events, as_of=AS_OF, settings=EVERY_BUG)
    assert len(table) == 8
    assert table["elapsed"].iloc[:6].tolist() == pytest.approx([20, 60, 30, 3, 4, 2], abs=1e-9)
    assert table["unit"].iloc[[0, 3, 5]].tolist() == ["minutes", "working_days", "hours"]
    assert table["status"].tolist() == ["within", "breach", "within", "within", "breach", "within", "pending", "breach"]
    late_open = table.iloc[7]
    assert not late_open["resolved"] and pd.isna(late_open["resolved_at"])
    assert late_open["overdue"] == pytest.approx(10 * 24 + 15 - 3, abs=1e-6)  # 20 June 09:00 to the end of 30 June


def test_compliance_with_wilson_and_overdue(events):
    table = sla_compliance(events, as_of=AS_OF, freq=None, settings=EVERY_BUG).set_index(["client_id", "kind"])
    message = table.loc[("A", "message")]
    assert message[["n_events", "n_within", "n_breached", "n_pending"]].tolist() == [3, 2, 1, 0]
    assert message["estimate"] == pytest.approx(2 / 3)
    assert message["lower_95"] == pytest.approx(0.2077, abs=1e-4)  # Wilson 2/3
    assert message["median_overdue"] == message["worst_overdue"] == pytest.approx(30)
    assert message["median_elapsed"] == pytest.approx(30)
    bug = table.loc[("B", "bug")]
    assert bug[["n_events", "n_within", "n_breached", "n_pending"]].tolist() == [2, 1, 1, 1]
    assert bug["target"] == 3.0 and bug["unit"] == "hours"


def test_only_production_bugs_are_held_to_the_bug_target_by_default(events):
    table = sla_elapsed(events, as_of=AS_OF)
    assert "major" not in set(table["severity"].dropna())
    assert len(table[table["kind"] == "bug"]) == 2
    unlabelled = events.assign(severity=None)
    assert len(sla_elapsed(unlabelled, as_of=AS_OF).query("kind == 'bug'")) == 3


def test_targets_come_from_settings(events):
    lenient = DEFAULT_SETTINGS.replace(sla=SLATargets(message_minutes=90, bug_hours=3, replacement_working_days=4))
    table = sla_compliance(events, as_of=AS_OF, freq=None, settings=lenient).set_index(["client_id", "kind"])
    assert table.loc[("A", "message"), "estimate"] == 1.0
    assert table.loc[("A", "replacement"), "estimate"] == 1.0
    assert np.isnan(table.loc[("A", "replacement"), "worst_overdue"])


def test_breach_list_worst_first(events):
    breaches = sla_breaches(events, as_of=AS_OF, settings=EVERY_BUG)
    assert breaches["kind"].tolist() == ["bug", "message", "replacement"]
    assert (breaches["overdue"] > 0).all()


def test_grouping_by_period_and_severity(events):
    table = sla_compliance(events, as_of=AS_OF, by="severity", settings=EVERY_BUG)
    bugs = table[table["kind"] == "bug"].set_index("severity")
    assert bugs.loc["critical", ["period", "n_within", "n_pending"]].tolist() == ["2024Q2", 1, 1]
    assert bugs.loc["major", "n_breached"] == 1
    with pytest.raises(ValueError, match="`by` must be among"):
        sla_compliance(events, as_of=AS_OF, by="role")


def test_demo_compliance_intervals_cover_the_true_probabilities(demo_firm):
    truth = demo_firm.truth["sla_true_compliance"]
    table = sla_compliance(demo_firm.tables["sla_events"], as_of="2024-12-31", by="severity", freq=None,
                           settings=EVERY_BUG)
    bugs = table[table["kind"] == "bug"].set_index("severity")
    for severity, p in truth["bug"].items():
        assert bugs.loc[severity, "lower_95"] <= p <= bugs.loc[severity, "upper_95"]
    replacement = table[table["kind"] == "replacement"].iloc[0]
    assert replacement["lower_95"] <= truth["replacement"] <= replacement["upper_95"]
    per_client = sla_compliance(demo_firm.tables["sla_events"], as_of="2024-12-31", freq=None)
    messages = per_client[per_client["kind"] == "message"].set_index("client_id")
    unhappy = demo_firm.truth["special_clients"]["unhappy_service"]
    assert messages["estimate"].idxmin() == unhappy
    assert messages.loc[unhappy, "upper_95"] < truth["message"]["ordinary"]
