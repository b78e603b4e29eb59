"""Fixtures of the survival tests: hand-built tables and a synthetic firm with known hazards."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

PLACEMENT_COLUMNS = [
    "placement_id",
    "specialist_id",
    "client_id",
    "request_id",
    "started_at",
    "ended_at",
    "end_reason",
    "monthly_rate",
    "currency",
]

TRUE_BAND_EDGES = (0.0, 3.0, 6.0, 12.0)
TRUE_HAZARDS = (4.0, 2.0, 1.5, 1.0)
"""Synthetic truth: endings per 100 placement-months in [0,3), [3,6), [6,12), [12,inf)."""


def placements_frame(rows) -> pd.DataFrame:
    """A placements table with the processed dtypes, from rows of PLACEMENT_COLUMNS or a column dict."""
    frame = (
        pd.DataFrame(rows)[PLACEMENT_COLUMNS]
        if isinstance(rows, dict)
        else pd.DataFrame(rows, columns=PLACEMENT_COLUMNS)
    )
    for column in ("started_at", "ended_at"):
        frame[column] = pd.to_datetime(frame[column])
    frame["monthly_rate"] = frame["monthly_rate"].astype(float)
    for column in ("placement_id", "specialist_id", "client_id", "request_id", "end_reason", "currency"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def draw_piecewise(rng: np.random.Generator, n: int, edges=TRUE_BAND_EDGES, rates=TRUE_HAZARDS) -> np.ndarray:
    """Tenures in months from a piecewise-constant hazard (``rates`` per 100 months from ``edges``)."""
    ends = np.append(edges[1:], np.inf)
    tenure = np.full(n, np.inf)
    alive = np.ones(n, dtype=bool)
    for a, b, rate in zip(edges, ends, rates):
        draw = a + rng.exponential(100.0 / rate, n)
        ending = alive & (draw < b)
        tenure[ending] = draw[ending]
        alive &= ~ending
    return tenure


@pytest.fixture(scope="session")
def synthetic_firm():
    """Placements, clients and specialists of a firm whose placements end at TRUE_HAZARDS.

    Starts are spread over 2019-2024; the records begin 2022-01-01 (left truncation) and the
    analysis runs as of 2024-12-31.  Ends are whole days, so there are many ties.
    """
    rng = np.random.default_rng(20240101)
    n = 6000
    start = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 6 * 365, n), unit="D")
    tenure_days = np.ceil(draw_piecewise(rng, n) * 30.4375)
    ended = start + pd.to_timedelta(np.where(np.isfinite(tenure_days), tenure_days, 0), unit="D")
    ended = ended.where(np.isfinite(tenure_days) & (ended <= pd.Timestamp("2026-12-31")))
    clients = [f"C{i:03d}" for i in range(12)]
    reasons = np.array(
        ["client_ended", "specialist_left", "replaced", "project_completed", "hired_by_client"]
    )
    placements = placements_frame(
        {
            "placement_id": [f"P{i:05d}" for i in range(n)],
            "specialist_id": [f"S{i:05d}" for i in range(n)],
            "client_id": rng.choice(clients, n),
            "request_id": None,
            "started_at": start,
            "ended_at": ended,
            "end_reason": np.where(
                ended.notna(), rng.choice(reasons, n, p=[0.3, 0.3, 0.2, 0.15, 0.05]), None
            ),
            "monthly_rate": rng.choice([3000.0, 4000.0, 5000.0], n),
            "currency": rng.choice(["USD", "RUB"], n),
        }
    )
    client_table = pd.DataFrame(
        {
            "client_id": clients,
            "client_name": clients,
            "segment": ["fintech", "retail", "telecom"] * 4,
            "source": ["referral", "inbound", "outbound", "partner"] * 3,
            "industry": None,
            "signed_at": pd.NaT,
            "account_manager": None,
        }
    )
    specialists = pd.DataFrame(
        {
            "specialist_id": placements["specialist_id"],
            "full_name": "X",
            "role": rng.choice(["developer", "qa", "analyst"], n),
            "stack": rng.choice(["python", "java"], n),
            "grade": rng.choice(["junior", "middle", "senior"], n),
            "hired_at": pd.NaT,
        }
    )
    return {
        "placements": placements,
        "clients": client_table,
        "specialists": specialists,
        "true_hazards": TRUE_HAZARDS,
    }


@pytest.fixture(scope="session")
def make_placements():
    """Builder of placements tables with processed dtypes (see :func:`placements_frame`)."""
    return placements_frame
