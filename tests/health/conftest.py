"""Hand-made tables for the health tests: a few clients whose every signal is known."""

from __future__ import annotations

import pandas as pd
import pytest

from outstaff_analysis.schema import TABLES

KINDS = {"date": "datetime64[ns]", "datetime": "datetime64[ns]", "float": "float64", "int": "Int64"}


def table(name: str, rows: list[dict]) -> pd.DataFrame:
    """A processed table of ``rows`` (missing columns empty), with the schema's dtypes."""
    spec = TABLES[name]
    frame = pd.DataFrame(rows, columns=list(spec.names))
    return frame.astype({c.name: KINDS[c.kind] for c in spec.columns if c.kind in KINDS})


@pytest.fixture
def small_tables():
    """C1: old, steady (three people, requests every quarter); C2: a young account (started 2024-05);
    C3: its last placement ended 2024-05-15 (churned by 2024Q2's end, 47 days: not yet; by 2024Q3: yes)."""
    placements = [
        {"placement_id": f"P{i}", "specialist_id": "S1", "client_id": "C1", "started_at": "2023-01-10",
         "ended_at": None, "monthly_rate": 300_000.0, "currency": "RUB"} for i in range(3)
    ] + [
        {"placement_id": "P10", "specialist_id": "S1", "client_id": "C1", "started_at": "2023-02-01",
         "ended_at": "2024-05-20", "end_reason": "client_ended", "monthly_rate": 300_000.0, "currency": "RUB"},
        {"placement_id": "P11", "specialist_id": "S1", "client_id": "C1", "started_at": "2023-02-01",
         "ended_at": "2024-06-20", "end_reason": "specialist_left", "monthly_rate": 300_000.0, "currency": "RUB"},
        {"placement_id": "P12", "specialist_id": "S1", "client_id": "C1", "started_at": "2023-02-01",
         "ended_at": "2024-09-20", "end_reason": "client_ended", "monthly_rate": 300_000.0, "currency": "RUB"},
        {"placement_id": "P20", "specialist_id": "S1", "client_id": "C2", "started_at": "2024-05-02",
         "ended_at": None, "monthly_rate": 250_000.0, "currency": "RUB"},
        {"placement_id": "P30", "specialist_id": "S1", "client_id": "C3", "started_at": "2023-03-01",
         "ended_at": "2024-05-15", "end_reason": "project_completed", "monthly_rate": 4_000.0, "currency": "USD"},
    ]
    requests = [
        {"request_id": f"R{q}{k}", "client_id": "C1", "opened_at": f"2024-{m:02d}-0{k + 1}", "role": "developer",
         "status": "filled"}
        for q, (m, count) in enumerate(((1, 5), (4, 7), (7, 1))) for k in range(count)
    ] + [
        {"request_id": "RX", "client_id": "C1", "opened_at": "2024-03-01", "role": "developer",
         "status": "cancelled", "closed_at": "2024-05-05"},
        {"request_id": "R2", "client_id": "C2", "opened_at": "2024-04-10", "role": "developer", "status": "filled"},
    ]
    interviews = [
        {"interview_id": "I1", "client_id": "C1", "held_at": "2024-02-10 10:00", "transcript": "a.txt"},
        {"interview_id": "I2", "client_id": "C1", "held_at": "2024-05-11 10:00", "transcript": "b.txt"},
        {"interview_id": "I3", "client_id": "C1", "held_at": "2024-08-11 10:00", "transcript": "c.txt"},
    ]
    return {
        "clients": table("clients", [{"client_id": c, "client_name": c} for c in ("C1", "C2", "C3")]),
        "specialists": table("specialists", [{"specialist_id": "S1", "full_name": "A", "role": "developer",
                                              "grade": "senior"}]),
        "requests": table("requests", requests),
        "submissions": table("submissions", []),
        "placements": table("placements", placements),
        "interviews": table("interviews", interviews),
        "sla_events": table("sla_events", []),
    }
