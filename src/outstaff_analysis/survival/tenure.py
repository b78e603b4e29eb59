"""Placement tenure as of a date: durations, events, entry times and end-reason codes.

Everything after ``as_of`` is unseen: a placement that ended after it is censored at ``as_of`` and
one that started after it is excluded.  A placement that began before ``settings.data_window_start``
is left-truncated: it enters the risk set at the window start (``entry_days``), it is not dropped.
Placements that ended before the window start, or on its first day, lie outside the records (they
are never seen at risk) and are left out.

Time is in days; months are ``days / 30.4375``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..config import DEFAULT_SETTINGS, Settings
from ..periods import resolve_as_of
from ..schema import END_REASONS

DAYS_PER_MONTH = 30.4375
"""Average month length in days (365.25 / 12)."""

REASON_CODES = {reason: code for code, reason in enumerate(END_REASONS, start=1)}
"""Integer code of each end reason (0 = censored), as lifelines' competing-risks fitters expect."""

REASON_GROUPS = {
    "client_ended": "client_side",
    "hired_by_client": "client_side",
    "specialist_left": "our_side",
    "replaced": "our_side",
    "project_completed": "natural_end",
    "other": "other",
}
"""Who ended the placement: the client, the firm (its specialist left or was replaced), or the work itself."""

def tenure_frame(
    placements: pd.DataFrame,
    *,
    as_of,
    settings: Settings = DEFAULT_SETTINGS,
    clients: pd.DataFrame | None = None,
    specialists: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Placement durations as of a date, ready for survival analysis.

    Parameters
    ----------
    placements : pandas.DataFrame
        Processed placements table.
    as_of : str, date or quarter
        Last day that is seen (see :func:`outstaff_analysis.periods.resolve_as_of`).
    settings : Settings
        ``data_window_start`` sets the left truncation.
    clients, specialists : pandas.DataFrame, optional
        Processed tables whose ``segment``, ``source``, ``industry`` and ``role``, ``grade``, ``stack``
        are joined so that a group or filter is one call.

    Returns
    -------
    pandas.DataFrame
        One row per placement started on or before ``as_of``: ``placement_id``, ``specialist_id``,
        ``client_id``, ``started_at``, ``ended_at`` (NaT when not ended by ``as_of``),
        ``duration_days``, ``duration_months``, ``event`` (bool), ``entry_days``, ``end_reason``
        (None when censored; an ended placement without a reason counts as ``"other"``),
        ``event_code`` (0 censored, else :data:`REASON_CODES`), ``reason_group``, ``start_cohort``
        (``"2023Q1"``), ``monthly_rate``, ``currency`` and the joined columns (None when not joined).
    """
    cutoff = resolve_as_of(as_of)
    day = cutoff.normalize()
    frame = placements.loc[placements["started_at"] <= cutoff].copy()
    ended = frame["ended_at"].notna() & (frame["ended_at"] <= cutoff)
    frame["ended_at"] = frame["ended_at"].where(ended)
    stop = frame["ended_at"].fillna(day)
    window = settings.data_window_start
    if window is not None:
        window = pd.Timestamp(window)
        # begun earlier and ended by the window's first day: nothing of it is seen at risk
        inside = (stop > window) | (frame["started_at"] >= window)
        frame, stop, ended = frame[inside], stop[inside], ended[inside]
        entry = (window - frame["started_at"]).dt.days.clip(lower=0).astype(float)
    else:
        entry = pd.Series(0.0, index=frame.index)
    reason = frame["end_reason"].where(ended).mask(ended & frame["end_reason"].isna(), "other")
    out = pd.DataFrame(
        {
            "placement_id": frame["placement_id"],
            "specialist_id": frame["specialist_id"],
            "client_id": frame["client_id"],
            "started_at": frame["started_at"],
            "ended_at": frame["ended_at"],
            "duration_days": (stop - frame["started_at"]).dt.days.astype(float),
            "event": ended.to_numpy(dtype=bool),
            "entry_days": entry,
            "end_reason": reason.astype(object).where(ended, None),
            "event_code": reason.map(REASON_CODES).fillna(0).astype(int),
            "reason_group": reason.map(REASON_GROUPS).astype(object).where(ended, None),
            "start_cohort": frame["started_at"].dt.to_period("Q").astype(str),
            "monthly_rate": frame["monthly_rate"],
            "currency": frame["currency"],
        }
    )
    out["duration_months"] = out["duration_days"] / DAYS_PER_MONTH
    out = join_attributes(out, clients, "client_id", ("segment", "source", "industry"))
    out = join_attributes(out, specialists, "specialist_id", ("role", "grade", "stack"))
    return out.reset_index(drop=True)


def subset(tenure: pd.DataFrame, **where) -> pd.DataFrame:
    """Rows of a tenure (or account) frame matching every criterion.

    Parameters
    ----------
    tenure : pandas.DataFrame
        Output of :func:`tenure_frame` or :func:`~outstaff_analysis.survival.accounts.account_lives`.
    **where
        ``column=value`` or ``column=[values]``, for example ``segment="fintech", grade=["senior", "lead"]``.

    Returns
    -------
    pandas.DataFrame
    """
    mask = np.ones(len(tenure), dtype=bool)
    for column, value in where.items():
        if column not in tenure.columns:
            raise ValueError(
                f"The criterion `{column}` must be a column of the frame, one of {sorted(tenure.columns)}"
            )
        values = list(value) if isinstance(value, Iterable) and not isinstance(value, str) else [value]
        mask &= tenure[column].isin(values).to_numpy()
    return tenure.loc[mask].reset_index(drop=True)


def join_attributes(
    frame: pd.DataFrame, table: pd.DataFrame | None, key: str, columns: tuple[str, ...]
) -> pd.DataFrame:
    """Left-join ``columns`` of ``table`` on ``key``; a column the table lacks (or no table) is all None."""
    if table is None:
        for column in columns:
            frame[column] = None
        return frame
    present = [c for c in columns if c in table.columns]
    joined = frame.merge(
        table[[key, *present]].drop_duplicates(key), on=key, how="left", validate="many_to_one"
    )
    for column in columns:
        if column not in present:
            joined[column] = None
    joined.index = frame.index
    return joined
