"""Rejection reasons by side and stage, against the hand-built data."""

import pytest

from outstaff_analysis.funnel import rejection_reasons


def test_reasons_split_by_side_and_stage(hand_requests, hand_submissions):
    table = rejection_reasons(hand_requests, hand_submissions, as_of="2024-06-30")
    rows = {tuple(r) for r in table[["client_id", "period", "side", "stage", "reason", "count"]].itertuples(index=False)}
    assert rows == {
        ("A", "2024Q1", "client", "shown", "weak english", 1),
        ("A", "2024Q1", "ours", "not_shown", "candidate declined", 1),
        ("B", "2024Q1", "client", "interview", "weak skills", 1),
        ("B", "2024Q1", "ours", "shown", "candidate declined", 1),
    }
    assert (table["share"] == 1.0).all()


def test_shares_within_side_and_stage(hand_requests, hand_submissions):
    table = rejection_reasons(hand_requests, hand_submissions, as_of="2024-06-30", by=(), freq=None)
    ours = table[table["side"] == "ours"]
    assert ours["count"].sum() == 2
    client = table[table["side"] == "client"].set_index("stage")
    assert client.loc["shown", "share"] == pytest.approx(1.0)
    assert client.loc["interview", "reason"] == "weak skills"


def test_rejections_after_as_of_are_not_seen(hand_requests, hand_submissions):
    table = rejection_reasons(hand_requests, hand_submissions, as_of="2024-02-10", by=())
    assert table[["side", "stage", "count"]].values.tolist() == [["ours", "shown", 1]]
