"""Open requests as of a date: age, furthest stage, and the expected fill date from the time-to-fill curve."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import DEFAULT_SETTINGS, Settings
from ..periods import resolve_as_of
from .stages import PROGRESS, stage_times
from .time_to_fill import fill_durations, time_to_fill_curve

OPEN_COLUMNS = ("request_id", "role", "grade", "stack", "opened_at", "age_days", "stage", "expected_fill_at")


def expected_fill_days(curve: pd.DataFrame, age_days: float) -> float:
    """Days since opening by which a request still open at ``age_days`` is filled with probability one half.

    With ``F`` the share filled by day ``t`` (``curve``: ``timeline``, ``estimate``), the answer is the
    first ``t`` where ``(F(t) - F(age)) / (1 - F(age)) >= 0.5``; NaN when the curve never gets there
    (most requests that old were never filled in the data).
    """
    times, shares = curve["timeline"].to_numpy(float), curve["estimate"].to_numpy(float)
    before = shares[times <= age_days]
    filled = before[-1] if len(before) else 0.0
    if filled >= 1.0:
        return np.nan
    conditional = (shares - filled) / (1.0 - filled)
    reached = np.flatnonzero((times > age_days) & (conditional >= 0.5 - 1e-12))  # exact halves count
    return float(times[reached[0]]) if len(reached) else np.nan


def open_requests(requests: pd.DataFrame, submissions: pd.DataFrame, *, as_of, reference: pd.DataFrame | None = None,
                  settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Requests still open at ``as_of``, oldest first, each with its expected fill date.

    Parameters
    ----------
    requests : DataFrame
        The requests to list (for example one client's).
    submissions : DataFrame
        Processed ``submissions``.
    as_of : date-like
    reference : DataFrame, optional
        Requests whose time-to-fill curve predicts the fill dates (default ``requests``; pass the
        firm's to predict a small client's from the firm's experience).
    settings : Settings

    Returns
    -------
    DataFrame
        :data:`OPEN_COLUMNS`: ``age_days`` since opening, ``stage`` the furthest stage any
        candidate reached (``none`` before a CV was shown) and ``expected_fill_at`` (NaT when the
        curve gives no estimate).
    """
    as_of = resolve_as_of(as_of)
    durations = fill_durations(requests, submissions, as_of=as_of, settings=settings)
    out = requests.set_index("request_id").loc[durations["request_id"]].reset_index()
    closed = out["closed_at"].notna() & (out["closed_at"] <= as_of)
    out = out.loc[~durations["event"].to_numpy() & ~closed.to_numpy(),
                  ["request_id", "role", "grade", "stack", "opened_at"]].reset_index(drop=True)
    out["age_days"] = ((as_of - out["opened_at"]).dt.total_seconds() / 86400).to_numpy()
    stages = stage_times(requests[requests["request_id"].isin(out["request_id"])], submissions, as_of=as_of)
    order = {s: i for i, s in enumerate(PROGRESS)}
    furthest = stages.assign(rank=stages["furthest_stage"].map(order)).groupby("request_id")["rank"].max()
    out["stage"] = out["request_id"].map(furthest).map(lambda r: "none" if pd.isna(r) else PROGRESS[int(r)])
    curve = time_to_fill_curve(requests if reference is None else reference, submissions, as_of=as_of,
                               settings=settings)
    days = [expected_fill_days(curve, age) for age in out["age_days"]]
    out["expected_fill_at"] = (out["opened_at"] + pd.to_timedelta(days, unit="D")).dt.normalize()
    return out.sort_values("opened_at").reset_index(drop=True)[list(OPEN_COLUMNS)]
