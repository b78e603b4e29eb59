"""Small hand-built requests and submissions for the funnel tests (counts are worked out by hand)."""

import pandas as pd
import pytest


def _requests(rows):
    frame = pd.DataFrame(
        rows, columns=["request_id", "client_id", "opened_at", "role", "stack", "grade", "headcount", "status",
                       "closed_at"]
    )
    for column in ("opened_at", "closed_at"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    frame["headcount"] = frame["headcount"].astype("Int64")
    return frame


def _submissions(rows):
    frame = pd.DataFrame(rows, columns=["request_id", "specialist_id", "stage", "at", "reason"])
    frame["at"] = pd.to_datetime(frame["at"]).astype("datetime64[ns]")
    return frame


@pytest.fixture
def hand_requests():
    """Four requests: R1, R2 opened in 2024Q1 (client A, B), R3 in 2024Q2 (A), R4 in 2024Q3 (A, after
    the tests' as_of of 2024-06-30 for some checks)."""
    return _requests(
        [
            ("R1", "A", "2024-03-20 10:00", "developer", "python", "senior", 1, "filled", "2024-04-15 12:00"),
            ("R2", "B", "2024-02-01 09:00", "qa", None, "middle", 1, "cancelled", "2024-03-01 09:00"),
            ("R3", "A", "2024-05-10 09:00", "developer", "java", "middle", 1, "open", None),
            ("R4", "A", "2024-07-02 09:00", "analyst", None, "junior", 1, "open", None),
        ]
    )


@pytest.fixture
def hand_submissions():
    """Duplicates, skipped stages, withdrawals, and a request opened in Q1 and filled in Q2.

    By hand, cohort view, as of 2024-06-30:
    R1 (2024Q1): S1 shown twice (duplicate) -> interview -> approved -> started (2024-04-15, Q2);
                 S2 shown -> rejected; S3 approved without shown/interview records (skipped stages);
                 S4 withdrawn before being shown.   shown 3, interview 2, approved 2, started 1.
    R2 (2024Q1): S5 shown -> withdrawn (candidate declined); S6 shown, interview -> rejected.
                 shown 2, interview 1, approved 0, started 0.
    R3 (2024Q2): S1 shown; S7 interview on 2024-07-05 (after as_of, not seen).  shown 1.
    """
    return _submissions(
        [
            ("R1", "S1", "shown", "2024-03-21 10:00", None),
            ("R1", "S1", "shown", "2024-03-22 10:00", None),
            ("R1", "S1", "interview", "2024-03-28 10:00", None),
            ("R1", "S1", "approved", "2024-04-02 10:00", None),
            ("R1", "S1", "started", "2024-04-15 10:00", None),
            ("R1", "S2", "shown", "2024-03-21 11:00", None),
            ("R1", "S2", "rejected", "2024-03-25 11:00", "weak english"),
            ("R1", "S3", "approved", "2024-04-01 11:00", None),
            ("R1", "S4", "withdrawn", "2024-03-21 12:00", "candidate declined"),
            ("R2", "S5", "shown", "2024-02-05 10:00", None),
            ("R2", "S5", "withdrawn", "2024-02-07 10:00", "candidate declined"),
            ("R2", "S6", "shown", "2024-02-05 11:00", None),
            ("R2", "S6", "interview", "2024-02-12 11:00", None),
            ("R2", "S6", "rejected", "2024-02-13 11:00", "weak skills"),
            ("R3", "S1", "shown", "2024-05-15 10:00", None),
            ("R3", "S7", "interview", "2024-07-05 10:00", None),
        ]
    )
