"""Funnel counts against a hand count (see the fixture's docstring for the worked counts)."""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.funnel import funnel_counts, stage_times

AS_OF = "2024-06-30"


def _row(frame, **keys):
    mask = np.logical_and.reduce([frame[k] == v for k, v in keys.items()])
    assert mask.sum() == 1
    return frame[mask].iloc[0]


def test_cohort_counts_equal_hand_count(hand_requests, hand_submissions):
    counts = funnel_counts(hand_requests, hand_submissions, as_of=AS_OF)
    assert list(counts.columns) == ["client_id", "period", "view", "requests", "shown", "interview", "approved",
                                    "started"]
    a_q1 = _row(counts, client_id="A", period="2024Q1")
    assert a_q1[["requests", "shown", "interview", "approved", "started"]].tolist() == [1, 3, 2, 2, 1]
    b_q1 = _row(counts, client_id="B", period="2024Q1")
    assert b_q1[["requests", "shown", "interview", "approved", "started"]].tolist() == [1, 2, 1, 0, 0]
    a_q2 = _row(counts, client_id="A", period="2024Q2")
    assert a_q2[["requests", "shown", "interview", "approved", "started"]].tolist() == [1, 1, 0, 0, 0]
    assert len(counts) == 3  # R4 was opened after as_of


def test_filled_next_quarter_stays_in_its_cohort(hand_requests, hand_submissions):
    counts = funnel_counts(hand_requests, hand_submissions, as_of=AS_OF, by=())
    q1 = _row(counts, period="2024Q1")
    assert q1["started"] == 1  # R1 opened in Q1, its specialist started in Q2
    assert _row(counts, period="2024Q2")["started"] == 0


def test_events_after_as_of_are_not_seen(hand_requests, hand_submissions):
    early = funnel_counts(hand_requests, hand_submissions, as_of="2024-03-31", by=())
    q1 = _row(early, period="2024Q1")
    # By 2024-03-31: R1 S1 shown+interview, S2 shown; R2 S5, S6 shown, S6 interview. S3's approval is 04-01.
    assert q1[["shown", "interview", "approved", "started"]].tolist() == [4, 2, 0, 0]
    later = funnel_counts(hand_requests, hand_submissions, as_of="2024-07-31", by=())
    assert _row(later, period="2024Q2")[["shown", "interview"]].tolist() == [2, 1]  # S7's interview implies shown


def test_activity_view_counts_events_in_their_own_period(hand_requests, hand_submissions):
    counts = funnel_counts(hand_requests, hand_submissions, as_of=AS_OF, by=(), view="activity")
    assert set(counts["view"]) == {"activity"}
    q1 = _row(counts, period="2024Q1")
    q2 = _row(counts, period="2024Q2")
    # S3 reached shown/interview (implied) at its approval on 04-01, in Q2.
    assert q1[["requests", "shown", "interview", "approved", "started"]].tolist() == [2, 4, 2, 0, 0]
    assert q2[["requests", "shown", "interview", "approved", "started"]].tolist() == [1, 2, 1, 2, 1]


def test_stage_times_fill_skipped_stages(hand_requests, hand_submissions):
    times = stage_times(hand_requests, hand_submissions, as_of=AS_OF).set_index(["request_id", "specialist_id"])
    s3 = times.loc[("R1", "S3")]
    assert s3["shown_at"] == s3["interview_at"] == s3["approved_at"] == pd.Timestamp("2024-04-01 11:00")
    assert pd.isna(s3["started_at"]) and s3["furthest_stage"] == "approved"
    assert times.loc[("R1", "S1"), "shown_at"] == pd.Timestamp("2024-03-21 10:00")  # first of the duplicates
    assert ("R1", "S4") not in times.index  # withdrawn before being shown: no stage reached


def test_grouping_by_request_columns_and_one_period(hand_requests, hand_submissions):
    counts = funnel_counts(hand_requests, hand_submissions, as_of=AS_OF, by=["role", "stack"], freq=None)
    dev_python = _row(counts, role="developer", stack="python")
    assert dev_python[["period", "shown", "approved"]].tolist() == ["all", 3, 2]
    assert _row(counts, role="qa", stack="unknown")["shown"] == 2


def test_bad_arguments_are_named(hand_requests, hand_submissions):
    with pytest.raises(ValueError, match="`view` must be one of"):
        funnel_counts(hand_requests, hand_submissions, as_of=AS_OF, view="weekly")
    with pytest.raises(ValueError, match=r"`by` must be among .*\['salary'\]"):
        funnel_counts(hand_requests, hand_submissions, as_of=AS_OF, by="salary")
    with pytest.raises(ValueError, match="`freq` must be one of"):
        funnel_counts(hand_requests, hand_submissions, as_of=AS_OF, freq="week")


def test_every_funnel_function_takes_requests_then_submissions(hand_requests, hand_submissions):
    from outstaff_analysis.funnel import fill_durations, rejection_reasons, time_to_fill

    for function in (stage_times, funnel_counts, fill_durations, rejection_reasons, time_to_fill):
        function(hand_requests, hand_submissions, as_of=AS_OF)  # one order everywhere
        with pytest.raises(ValueError, match=r"`requests` argument must be the processed requests table .* "
                                             r"lacks \['opened_at'\] \(funnel functions take requests first"):
            function(hand_submissions, hand_requests, as_of=AS_OF)
