"""Rejection reasons by side and stage, against the hand-built data."""

import pandas as pd
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


def test_sides_come_from_the_settings_with_a_neutral_side(hand_requests, hand_submissions):
    from outstaff_analysis.config import DEFAULT_SETTINGS, load_settings

    # S3 (approved) withdrawn because another candidate started; R2's S5 because the client cancelled
    extra = hand_submissions.iloc[:2].assign(
        request_id=["R1", "R2"], specialist_id=["S3", "S8"], stage="withdrawn",
        at=pd.to_datetime(["2024-04-16 10:00", "2024-02-20 10:00"]), reason=["Position filled", " request cancelled"],
    )
    submissions = pd.concat([hand_submissions, extra], ignore_index=True)
    table = rejection_reasons(hand_requests, submissions, as_of="2024-06-30", by=(), freq=None)
    sides = table.groupby("reason")["side"].first()
    assert sides["Position filled"] == "neutral"  # used to count as "ours"
    assert sides[" request cancelled"] == "client"  # the client's decision, not ours
    assert sides["candidate declined"] == "ours" and sides["weak english"] == "client"
    # the mapping is data: a firm can move a reason to another side
    moved = DEFAULT_SETTINGS.replace(rejection_sides={"candidate declined": "neutral"})
    table = rejection_reasons(hand_requests, submissions, as_of="2024-06-30", by=(), freq=None, settings=moved)
    sides = table.groupby("reason")["side"].first()
    assert sides["candidate declined"] == "neutral" and sides["Position filled"] == "ours"
    with pytest.raises(ValueError, match=r"`rejection_sides` must be one of \['client', 'ours', 'neutral'\]"):
        DEFAULT_SETTINGS.replace(rejection_sides={"position filled": "nobody"})
    assert load_settings(None).rejection_sides["request on hold"] == "client"
