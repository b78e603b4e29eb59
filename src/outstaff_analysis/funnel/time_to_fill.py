"""Speed of closing: time from a request to its first started specialist (or first CV shown).

Open requests have not been filled *yet*: they are censored at ``as_of`` (cancelled requests at
their cancellation), so time to fill is a survival estimate.  A mean over the filled requests only
would look faster than the truth, because the slow ones are exactly those still open.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import DEFAULT_SETTINGS, Settings
from ..periods import resolve_as_of
from ..workdays import working_days_between
from .grouping import check_by, period_labels
from .km import km_at, km_quantile, km_table
from .stages import NEVER, PROGRESS, REQUEST_KEYS, stage_time_matrix

UNITS = ("calendar", "working")
"""``calendar`` days (fractional) or ``working`` days on the production calendar (whole days)."""

MILESTONES = ("started", "shown")


def fill_durations(
    requests: pd.DataFrame,
    submissions: pd.DataFrame,
    *,
    as_of,
    milestone: str = "started",
    unit: str = "calendar",
    by=(),
    freq: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Duration from opening to the milestone for each request, with censoring.

    Parameters
    ----------
    requests, submissions : DataFrame
        Processed ``requests`` and ``submissions`` tables.
    as_of : date-like
        Nothing after this day is seen; requests not reached by then are censored.
    milestone : {"started", "shown"}
        ``started``: first specialist started (time to fill).  ``shown``: first CV shown.
    unit : {"calendar", "working"}
        Calendar days (fractional) or working days on ``settings.calendar`` (see
        :func:`~outstaff_analysis.workdays.working_days_between`).
    by : str or sequence of str
        Request columns kept for grouping.
    freq : {"quarter", "month", "year", None}
        Cohort period of ``opened_at`` in the ``period`` column.
    settings : Settings
        Uses ``calendar``.

    Returns
    -------
    DataFrame
        One row per request opened by ``as_of``: ``request_id``, ``*by``, ``period``,
        ``opened_at``, ``reached_at`` (NaT if not reached), ``event`` (bool) and ``duration``.
        Unreached requests end at ``closed_at`` when cancelled or closed by ``as_of``, else at
        ``as_of``.
    """
    if milestone not in MILESTONES:
        raise ValueError(f"The value for `milestone` must be one of {list(MILESTONES)}, but {milestone!r} was passed")
    if unit not in UNITS:
        raise ValueError(f"The value for `unit` must be one of {list(UNITS)}, but {unit!r} was passed")
    by = check_by(by, REQUEST_KEYS)
    as_of = resolve_as_of(as_of)
    reqs = requests[requests["opened_at"] <= as_of].reset_index(drop=True)
    pair_req, _, times = stage_time_matrix(submissions, reqs, as_of)
    first = np.full(len(reqs), NEVER, dtype=np.int64)
    np.minimum.at(first, pair_req, times[:, PROGRESS.index(milestone)])
    event = first != NEVER
    reached = np.where(event, first, 0).astype("datetime64[ns]")
    closed = reqs["closed_at"].to_numpy(dtype="datetime64[ns]")
    ends_early = ~np.isnat(closed) & (closed <= np.datetime64(as_of))
    censor = np.where(ends_early, closed, np.datetime64(as_of, "ns"))
    end = np.where(event, reached, censor)
    opened = reqs["opened_at"].to_numpy(dtype="datetime64[ns]")
    if unit == "calendar":
        duration = (end - opened) / np.timedelta64(1, "D")
    else:
        duration = working_days_between(opened, end, country=settings.calendar)
    out = reqs[["request_id", *by]].astype(object)
    out[by] = out[by].where(out[by].notna(), "unknown")
    out["period"] = period_labels(opened, freq)
    out["opened_at"] = opened
    out["reached_at"] = pd.Series(reached).where(event).to_numpy()
    out["event"] = event
    out["duration"] = np.maximum(duration, 0.0)
    return out


def _km_by_group(requests, submissions, **options):
    """Durations of :func:`fill_durations`, each row's group code, the group labels and the KM table."""
    durations = fill_durations(requests, submissions, **options)
    keys = [*check_by(options["by"], REQUEST_KEYS), "period"]
    codes = durations.groupby(keys, sort=True).ngroup().to_numpy()
    labels = durations[keys].drop_duplicates().sort_values(keys).reset_index(drop=True)
    return durations, codes, labels, km_table(durations["duration"], durations["event"], codes)


def time_to_fill_curve(
    requests: pd.DataFrame,
    submissions: pd.DataFrame,
    *,
    as_of,
    milestone: str = "started",
    unit: str = "calendar",
    by=(),
    freq: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Share of requests that have reached the milestone, by days since opening (Kaplan-Meier).

    Parameters are those of :func:`fill_durations`.

    Returns
    -------
    DataFrame
        Columns ``*by``, ``period``, ``milestone``, ``unit``, ``timeline`` (days), ``n_at_risk``,
        ``events``, ``censored``, ``estimate`` (share reached, 1 - S(t)), ``lower_95``, ``upper_95``.
    """
    _, _, labels, table = _km_by_group(
        requests, submissions, as_of=as_of, milestone=milestone, unit=unit, by=by, freq=freq, settings=settings
    )
    out = labels.iloc[table["group"].to_numpy()].reset_index(drop=True)
    out["milestone"] = milestone
    out["unit"] = unit
    for column in ("timeline", "n_at_risk", "events", "censored"):
        out[column] = table[column].to_numpy()
    out["estimate"] = 1 - table["estimate"].to_numpy()
    out["lower_95"] = 1 - table["upper_95"].to_numpy()
    out["upper_95"] = 1 - table["lower_95"].to_numpy()
    return out


def time_to_fill(
    requests: pd.DataFrame,
    submissions: pd.DataFrame,
    *,
    as_of,
    milestone: str = "started",
    unit: str = "calendar",
    by=(),
    freq: str | None = None,
    horizons=(7, 14, 30),
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Median time to fill with its interval, and the share filled within given horizons.

    Parameters
    ----------
    requests, submissions, as_of, milestone, unit, by, freq, settings
        As in :func:`fill_durations`.
    horizons : sequence of float
        Days (in ``unit``) at which to report the share of requests that reached the milestone.

    Returns
    -------
    DataFrame
        Columns ``*by``, ``period``, ``milestone``, ``unit``, ``statistic`` (``median_days`` or
        ``within_<h>_days``), ``estimate``, ``lower_95``, ``upper_95``, ``n_requests``,
        ``n_reached`` and ``note`` (``not_reached`` when the curve or a band never gets to one
        half, ``beyond_follow_up`` when a horizon is past the last observed time, else None).
    """
    durations, codes, labels, table = _km_by_group(
        requests, submissions, as_of=as_of, milestone=milestone, unit=unit, by=by, freq=freq, settings=settings
    )
    median = km_quantile(table, 0.5)
    median["statistic"] = "median_days"
    median["note"] = np.where(median[["estimate", "lower_95", "upper_95"]].isna().any(axis=1), "not_reached", None)
    shares = km_at(table, list(horizons))
    shares["statistic"] = [f"within_{h:g}_days" for h in shares["time"]]
    shares["estimate"], shares["lower_95"], shares["upper_95"] = (
        1 - shares["estimate"],
        1 - shares["upper_95"],
        1 - shares["lower_95"],
    )
    shares["note"] = np.where(shares["estimate"].isna(), "beyond_follow_up", None)
    columns = ["group", "statistic", "estimate", "lower_95", "upper_95", "note"]
    stats = pd.concat([median[columns], shares[columns]], ignore_index=True)
    stats = stats.sort_values("group", kind="stable").reset_index(drop=True)
    out = labels.iloc[stats["group"].to_numpy()].reset_index(drop=True)
    out["milestone"] = milestone
    out["unit"] = unit
    for column in columns[1:-1]:
        out[column] = stats[column].to_numpy()
    counts = pd.DataFrame({"g": codes, "e": durations["event"].to_numpy()}).groupby("g")["e"].agg(["size", "sum"])
    out["n_requests"] = counts["size"].to_numpy()[stats["group"].to_numpy()].astype(np.int64)
    out["n_reached"] = counts["sum"].to_numpy()[stats["group"].to_numpy()].astype(np.int64)
    out["note"] = stats["note"].to_numpy()
    return out


__all__ = ["MILESTONES", "UNITS", "fill_durations", "time_to_fill", "time_to_fill_curve"]
