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
from ..survival import cumulative_density, km_curve, median_tenure, survival_at
from ..workdays import working_days_between
from .grouping import check_by, period_labels
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
    by = check_by(by, REQUEST_KEYS, requests)
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


def _survival_frame(requests, submissions, **options) -> tuple[pd.DataFrame, list[str]]:
    """Durations of :func:`fill_durations` as a survival frame (nobody enters late), and its group keys."""
    durations = fill_durations(requests, submissions, **options)
    keys = [*check_by(options["by"], REQUEST_KEYS), "period"]
    return durations.assign(duration_days=durations["duration"], entry_days=0.0), keys


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
    frame, keys = _survival_frame(
        requests, submissions, as_of=as_of, milestone=milestone, unit=unit, by=by, freq=freq, settings=settings
    )
    curve = cumulative_density(km_curve(frame, by=keys))
    # One row per distinct duration: drop the rows of the entries at day 0 where nothing ended.
    curve = curve[(curve["n_events"] + curve["n_censored"]) > 0].reset_index(drop=True)
    out = curve[keys].copy()
    out["milestone"] = milestone
    out["unit"] = unit
    out["timeline"] = curve["time_days"]
    out["n_at_risk"] = curve["n_at_risk"].astype(np.int64)
    out["events"] = curve["n_events"].astype(np.int64)
    out["censored"] = curve["n_censored"].astype(np.int64)
    for column in ("estimate", "lower_95", "upper_95"):
        out[column] = curve[column]
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
    frame, keys = _survival_frame(
        requests, submissions, as_of=as_of, milestone=milestone, unit=unit, by=by, freq=freq, settings=settings
    )
    # Every group gets its figures (the funnel's notes are its own): survival's min_at_risk rule is off.
    every_group = settings.replace(min_at_risk=0)
    horizons = sorted(horizons)
    median = median_tenure(frame, by=keys, settings=every_group)
    median["statistic"] = "median_days"
    median["note"] = np.where(median[["estimate", "lower_95", "upper_95"]].isna().any(axis=1), "not_reached", None)
    shares = cumulative_density(survival_at(frame, times=horizons, by=keys, settings=every_group))
    shares["statistic"] = [f"within_{h:g}_days" for h in shares["time_days"]]
    shares["note"] = np.where(shares["estimate"].isna(), "beyond_follow_up", None)
    # Both are in the order of the sorted group keys (shares: groups outer, horizons inner).
    n_groups = len(median)
    group = np.concatenate([np.arange(n_groups), np.repeat(np.arange(n_groups), len(horizons))])
    order = np.argsort(group, kind="stable")
    values = ["statistic", "estimate", "lower_95", "upper_95"]
    stats = pd.concat([median[[*keys, *values, "note"]], shares[[*keys, *values, "note"]]], ignore_index=True)
    stats = stats.iloc[order]
    out = stats[keys].reset_index(drop=True)
    out["milestone"] = milestone
    out["unit"] = unit
    for column in values:
        out[column] = stats[column].to_numpy()
    counts = frame.groupby(keys, sort=True, dropna=False, observed=True)["event"].agg(["size", "sum"])
    out["n_requests"] = counts["size"].to_numpy()[group[order]].astype(np.int64)
    out["n_reached"] = counts["sum"].to_numpy()[group[order]].astype(np.int64)
    out["note"] = stats["note"].to_numpy()
    return out


__all__ = ["MILESTONES", "UNITS", "fill_durations", "time_to_fill", "time_to_fill_curve"]
