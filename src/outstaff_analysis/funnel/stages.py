"""Funnel stages reached per specialist per request, and funnel counts in two views.

A specialist proposed for a request moves through ``shown -> interview -> approved -> started``.
Each stage counts once per specialist per request, at the first time it was reached, and a
specialist seen at a later stage has passed the earlier ones (a skipped ``interview`` record
does not lose the interview).  ``rejected`` and ``withdrawn`` are outcomes, not stages.

Two views of the same events:

* **cohort** (the default, for conversion): requests opened in a period, and everything that
  happened to them up to ``as_of``.  Rates are proportions of the same specialists.
* **activity** (for operations): stage events that happened in the period, whatever the
  request's cohort.  Counts of work done; their ratios are not conversion rates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..periods import resolve_as_of
from .grouping import check_by, period_labels

PROGRESS = ("shown", "interview", "approved", "started")
"""Funnel stages in order."""

OUTCOMES = ("rejected", "withdrawn")
"""Submission outcomes that end a specialist's way through a request."""

REQUEST_KEYS = ("client_id", "role", "grade", "stack")
"""Request columns a funnel may be grouped by."""

VIEWS = ("cohort", "activity")

NEVER = np.iinfo(np.int64).max


TABLE_COLUMNS = {"requests": ("request_id", "opened_at"), "submissions": ("request_id", "specialist_id", "stage", "at")}
"""Columns that tell the two funnel tables apart (every funnel function takes requests, then submissions)."""


def check_tables(requests: pd.DataFrame, submissions: pd.DataFrame) -> None:
    """Raise a clear error when the requests and submissions tables are missing columns or swapped."""
    for name, table in (("requests", requests), ("submissions", submissions)):
        missing = [c for c in TABLE_COLUMNS[name] if c not in table.columns]
        if missing:
            raise ValueError(
                f"The `{name}` argument must be the processed {name} table with columns "
                f"{list(TABLE_COLUMNS[name])}, but it lacks {missing} (funnel functions take "
                f"requests first, then submissions)"
            )


def stage_time_matrix(requests: pd.DataFrame, submissions: pd.DataFrame, as_of: pd.Timestamp):
    """First time (int64 ns, ``NEVER`` if not reached) each pair reached each stage, implied stages filled.

    Returns the row in ``requests`` and the specialist id of each (request, specialist) pair, and an
    (n_pairs, 4) matrix of times.  Submissions to requests not in ``requests`` are ignored.
    """
    stage_code, stage_names = pd.factorize(submissions["stage"])
    rank_of = np.array([PROGRESS.index(s) if s in PROGRESS else -1 for s in stage_names] + [-1], dtype=np.int64)
    rank = rank_of[stage_code]
    at = submissions["at"].to_numpy(dtype="datetime64[ns]")
    seen = (rank >= 0) & ~np.isnat(at) & (at <= np.datetime64(as_of, "ns"))
    rank, at = rank[seen], at[seen].view(np.int64)
    req_code = pd.Index(requests["request_id"]).get_indexer(submissions["request_id"].to_numpy()[seen])
    spec_code, specialists = pd.factorize(submissions["specialist_id"].to_numpy()[seen])
    req_code = req_code.astype(np.int64)
    keep = req_code >= 0
    n_spec = max(len(specialists), 1)
    pair = req_code[keep] * n_spec + spec_code[keep]
    pairs, pair_row = np.unique(pair, return_inverse=True)
    times = np.full((pairs.size, len(PROGRESS)), NEVER, dtype=np.int64)
    np.minimum.at(times, (pair_row, rank[keep]), at[keep])
    # A later stage implies the earlier ones, reached no later than it.
    times = np.minimum.accumulate(times[:, ::-1], axis=1)[:, ::-1]
    return pairs // n_spec, np.asarray(specialists, dtype=object)[pairs % n_spec], times


def stage_times(requests: pd.DataFrame, submissions: pd.DataFrame, *, as_of) -> pd.DataFrame:
    """First time each specialist reached each stage of each request, as of a date.

    Parameters
    ----------
    requests : DataFrame
        Processed ``requests`` table; submissions to unknown requests are ignored.
    submissions : DataFrame
        Processed ``submissions`` table (request_id, specialist_id, stage, at, reason).
    as_of : date-like
        Events after this day are not seen.

    Returns
    -------
    DataFrame
        One row per (request_id, specialist_id) that reached at least ``shown`` with columns
        ``request_id``, ``specialist_id``, ``shown_at``, ``interview_at``, ``approved_at``,
        ``started_at`` (NaT when not reached) and ``furthest_stage``.
    """
    check_tables(requests, submissions)
    as_of = resolve_as_of(as_of)
    pair_req, pair_spec, times = stage_time_matrix(requests, submissions, as_of)
    out = pd.DataFrame({"request_id": requests["request_id"].to_numpy()[pair_req], "specialist_id": pair_spec})
    for k, stage in enumerate(PROGRESS):
        column = np.where(times[:, k] == NEVER, np.datetime64("NaT"), times[:, k].astype("datetime64[ns]"))
        out[f"{stage}_at"] = column.astype("datetime64[ns]")
    reached = (times != NEVER).sum(axis=1)
    out["furthest_stage"] = np.array(PROGRESS, dtype=object)[reached - 1]
    return out


def funnel_counts(
    requests: pd.DataFrame,
    submissions: pd.DataFrame,
    *,
    as_of,
    by=("client_id",),
    freq: str | None = "quarter",
    view: str = "cohort",
) -> pd.DataFrame:
    """Counts of specialists shown, interviewed, approved and started, per group and period.

    Parameters
    ----------
    requests, submissions : DataFrame
        Processed ``requests`` and ``submissions`` tables.
    as_of : date-like
        Nothing after this day is seen: later requests and events are ignored.
    by : str or sequence of str
        Request columns to group by, among ``client_id``, ``role``, ``grade``, ``stack``;
        ``()`` for the whole firm.
    freq : {"quarter", "month", "year", None}
        Period of the ``period`` column (None: one period ``"all"``).
    view : {"cohort", "activity"}
        ``cohort``: requests opened in the period and their specialists' stages up to ``as_of``
        (use for conversion rates).  ``activity``: stages reached in the period, whatever the
        request's cohort (operations volume; ratios of these counts are not rates).

    Returns
    -------
    DataFrame
        Columns ``*by``, ``period``, ``view``, ``requests`` (requests opened in the period),
        ``shown``, ``interview``, ``approved``, ``started``; one row per group and period with
        any request or event, sorted.
    """
    if view not in VIEWS:
        raise ValueError(f"The value for `view` must be one of {list(VIEWS)}, but {view!r} was passed")
    check_tables(requests, submissions)
    by = check_by(by, REQUEST_KEYS, requests)
    as_of = resolve_as_of(as_of)
    reqs = requests[requests["opened_at"] <= as_of].reset_index(drop=True)
    pair_req, _, times = stage_time_matrix(reqs, submissions, as_of)

    keys = reqs[by].astype(object).where(reqs[by].notna(), "unknown") if by else pd.DataFrame(index=reqs.index)
    opened_period = period_labels(reqs["opened_at"], freq)
    frames = [keys.assign(period=opened_period, _stage="requests")]
    for k, stage in enumerate(PROGRESS):
        hit = times[:, k] != NEVER
        rows = pair_req[hit]
        if view == "cohort":
            period = opened_period[rows]
        else:
            period = period_labels(times[hit, k].astype("datetime64[ns]"), freq)
        frames.append(keys.iloc[rows].assign(period=period, _stage=stage))
    events = pd.concat(frames, ignore_index=True)
    table = events.groupby([*by, "period", "_stage"], sort=True).size().unstack("_stage", fill_value=0)
    table = table.reindex(columns=["requests", *PROGRESS], fill_value=0).astype("int64")
    table.columns.name = None
    out = table.reset_index()
    out.insert(len(by) + 1, "view", view)
    return out


__all__ = ["OUTCOMES", "PROGRESS", "REQUEST_KEYS", "VIEWS", "check_tables", "funnel_counts", "stage_times"]
