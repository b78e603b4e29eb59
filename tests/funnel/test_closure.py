"""Share of requests closed: filled / (filled + cancelled + open for more than 60 days)."""

import pandas as pd
import pytest

from outstaff_analysis.config import DEFAULT_SETTINGS
from outstaff_analysis.funnel import share_closed
from outstaff_analysis.funnel.closure import request_states


def test_states_as_of_a_date(hand_requests):
    states = request_states(hand_requests[hand_requests["opened_at"] <= "2024-06-30"], as_of="2024-06-30")
    # R1 filled 04-15; R2 cancelled 03-01; R3 open since 05-10 (51 days: not stale yet).
    assert states.tolist() == ["filled", "cancelled", "open"]
    before_fill = request_states(hand_requests.iloc[:1], as_of="2024-04-01")
    assert before_fill.tolist() == ["open"]  # closed after as_of: still open then


def test_share_closed_by_quarter(hand_requests):
    table = share_closed(hand_requests, as_of="2024-08-15").set_index("period")
    assert table.loc["2024Q1", ["filled", "cancelled", "stale", "too_recent"]].tolist() == [1, 1, 0, 0]
    assert table.loc["2024Q1", "estimate"] == pytest.approx(0.5)
    assert table.loc["2024Q2", ["stale", "too_recent"]].tolist() == [1, 0]  # open 97 days
    assert table.loc["2024Q2", "estimate"] == 0.0
    assert table.loc["2024Q3", ["stale", "too_recent"]].tolist() == [0, 1]  # open 44 days: not judged yet
    assert pd.isna(table.loc["2024Q3", "estimate"])


def test_young_requests_are_not_judged_even_when_filled(hand_requests):
    # as of 2024-04-20, R1 (opened 03-20, filled 04-15) is 31 days old: a quick fill of a young
    # cohort must not count while its slower requests cannot yet count as stale
    table = share_closed(hand_requests, as_of="2024-04-20").set_index("period")
    assert table.loc["2024Q1", ["filled", "cancelled", "stale", "too_recent"]].tolist() == [0, 1, 0, 1]
    assert table.loc["2024Q1", "estimate"] == 0.0


def test_stale_threshold_comes_from_settings(hand_requests):
    strict = DEFAULT_SETTINGS.replace(stale_request_days=30)
    table = share_closed(hand_requests, as_of="2024-06-30", settings=strict).set_index("period")
    assert table.loc["2024Q2", "stale"] == 1
