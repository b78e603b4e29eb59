"""The tables as they stood at the end of the as-of day: the one place where data is cut at ``as_of``.

A row that begins after the as-of day (a placement started, a request opened, a call held later)
is dropped; a fact learned later (an end, a close, a resolution) is blanked, so the row reads as it
did then: still running, still open, still unresolved.  The domain functions give the same figures
on the cut tables as on the whole tables with the same ``as_of`` (a test holds that), so an
analyst who looks at ``dataset.placements`` sees exactly what the analyses see.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..periods import resolve_as_of, seen_by

BEGINS = {
    "requests": "opened_at",
    "submissions": "at",
    "placements": "started_at",
    "interviews": "held_at",
    "sla_events": "opened_at",
}
"""Table -> the column that dates each row: rows dated after ``as_of`` are not seen."""

LEARNED_LATER = {
    "requests": ("closed_at", {"status": "open"}),
    "placements": ("ended_at", {"end_reason": None}),
    "sla_events": ("resolved_at", {}),
}
"""Table -> (date of a later fact, what the row said before it): a fact after ``as_of`` is undone."""


def snapshot(tables: Mapping[str, pd.DataFrame], as_of) -> dict[str, pd.DataFrame]:
    """Cut every table at the end of the as-of day.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Processed tables by name; tables without dated rows (clients, specialists) are kept whole.
    as_of : str, date, Timestamp or quarter
        See :func:`outstaff_analysis.periods.resolve_as_of`.

    Returns
    -------
    dict of str to DataFrame
        New frames (the inputs are not changed).

    Examples
    --------
    >>> placements = pd.DataFrame({
    ...     "placement_id": ["P1", "P2"],
    ...     "started_at": pd.to_datetime(["2024-01-10", "2025-02-01"]),
    ...     "ended_at": pd.to_datetime(["2025-01-15", None]),
    ...     "end_reason": ["client_ended", None]})
    >>> snapshot({"placements": placements}, "2024-12-31")["placements"]
      placement_id started_at ended_at end_reason
    0           P1 2024-01-10      NaT       None
    """
    cutoff = resolve_as_of(as_of)
    out = {}
    for name, frame in tables.items():
        if name in BEGINS:
            frame = seen_by(frame, BEGINS[name], cutoff).reset_index(drop=True)
        else:
            frame = frame.copy()
        if name in LEARNED_LATER:
            column, before = LEARNED_LATER[name]
            later = frame[column] > cutoff
            frame = frame.assign(**{column: frame[column].mask(later)})
            for other, value in before.items():
                frame[other] = frame[other].astype(object).mask(later, value)
        out[name] = frame
    return out


def latest_date(tables: Mapping[str, pd.DataFrame]) -> pd.Timestamp | None:
    """The latest date recorded in any table's dated columns (``None`` when nothing is dated).

    It is the as-of date of a data set loaded without one: the day its export was taken, as far
    as the data can tell.
    """
    stamps = [frame[column].max() for name, frame in tables.items()
              for column in (BEGINS.get(name), LEARNED_LATER.get(name, (None,))[0])
              if column is not None and column in frame and frame[column].notna().any()]
    return max(stamps) if stamps else None


__all__ = ["BEGINS", "LEARNED_LATER", "latest_date", "snapshot"]
