"""Speed of closing: time from a request to its first started specialist (or first CV shown).

Open requests have not been filled *yet*: they are censored at ``as_of``.  A request closed without
reaching the milestone (cancelled) will never reach it: cancellation is a competing outcome, not
censoring (censoring would pretend it might still be filled, as fast as the others).  So the share
filled within t days is the cumulative incidence of filling (Aalen-Johansen) with cancellation
competing, and the median time to fill is where that incidence reaches one half, if it does.  A
mean over the filled requests only would look faster than the truth, because the slow ones are
exactly those still open.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import DEFAULT_SETTINGS, Settings
from ..periods import resolve_as_of
from ..survival import cumulative_incidence
from ..workdays import working_days_between
from .grouping import check_by, period_labels
from .stages import NEVER, PROGRESS, REQUEST_KEYS, check_tables, stage_time_matrix

UNITS = ("calendar", "working")
"""``calendar`` days (fractional) or ``working`` days on the production calendar (whole days)."""

MILESTONES = ("started", "shown")

HALF = 0.5 - 1e-12
"""One half, less rounding: an incidence summed to exactly 1/2 may land a hair below it."""

REACHED, CLOSED = "reached", "closed"
"""Outcomes of a request: it reached the milestone, or it was closed (cancelled) before reaching it."""

COMPETING = (REACHED, CLOSED)
"""The competing outcomes, reported even when no request has had one (none filled is a share of 0)."""


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
        ``opened_at``, ``reached_at`` (NaT if not reached), ``event`` (bool: reached), ``outcome`` (``"reached"``; ``"closed"`` when closed by ``as_of`` without
        reaching it; None while still open), ``duration`` and ``unit``.  Unreached requests end at
        ``closed_at`` when closed by ``as_of``, else at ``as_of``.
    """
    if milestone not in MILESTONES:
        raise ValueError(f"The value for `milestone` must be one of {list(MILESTONES)}, but {milestone!r} was passed")
    if unit not in UNITS:
        raise ValueError(f"The value for `unit` must be one of {list(UNITS)}, but {unit!r} was passed")
    check_tables(requests, submissions)
    by = check_by(by, REQUEST_KEYS, requests)
    as_of = resolve_as_of(as_of)
    reqs = requests[requests["opened_at"] <= as_of].reset_index(drop=True)
    pair_req, _, times = stage_time_matrix(reqs, submissions, as_of)
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
    out["outcome"] = np.where(event, REACHED, np.where(ends_early, CLOSED, None))
    out["duration"] = np.maximum(duration, 0.0)
    out["unit"] = unit
    return out


def _competing_frame(requests, submissions, **options) -> tuple[pd.DataFrame, list[str]]:
    """Durations of :func:`fill_durations` as a competing-risks frame (nobody enters late), and its keys."""
    durations = fill_durations(requests, submissions, **options)
    keys = [*check_by(options["by"], REQUEST_KEYS), "period"]
    frame = durations.assign(duration_days=durations["duration"], entry_days=0.0, event=durations["outcome"].notna())
    return frame, keys


def _incidence(frame: pd.DataFrame, keys: list[str], times=None) -> pd.DataFrame:
    """Cumulative incidence of reaching the milestone, closing competing (every group gets its figures)."""
    # the funnel's notes are its own: survival's min_at_risk rule is off
    every_group = DEFAULT_SETTINGS.replace(min_at_risk=0)
    curves = cumulative_incidence(frame, causes="outcome", levels=COMPETING, times=times, by=keys or None,
                                  settings=every_group)
    return curves[curves["cause"] == REACHED].reset_index(drop=True)


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
    """Share of requests that have reached the milestone, by days since opening, cancellation competing.

    The share is the Aalen-Johansen cumulative incidence of reaching the milestone, with closing
    unreached as the competing outcome; its 95% band is the log(-log) interval of the delta-method
    variance (scikit-survival's ``var_type="Dinse_Approx"``).

    Parameters are those of :func:`fill_durations`.

    Returns
    -------
    DataFrame
        Columns ``*by``, ``period``, ``milestone``, ``unit``, ``timeline`` (days), ``n_at_risk``,
        ``events`` (reached then), ``closed`` (closed unreached then), ``censored``, ``estimate``
        (share reached), ``lower_95``, ``upper_95``.
    """
    frame, keys = _competing_frame(
        requests, submissions, as_of=as_of, milestone=milestone, unit=unit, by=by, freq=freq, settings=settings
    )
    curve = _incidence(frame, keys)
    counts = (
        frame.assign(
            events=frame["outcome"] == REACHED,
            closed=frame["outcome"] == CLOSED,
            censored=frame["outcome"].isna(),
        )
        .groupby([*keys, "duration_days"], sort=True)[["events", "closed", "censored"]]
        .sum()
        .reset_index()
        .rename(columns={"duration_days": "time_days"})
    )
    # One row per distinct duration: the rows of the entries at day 0 where nothing ended go.
    curve = curve.merge(counts, on=[*keys, "time_days"], how="inner")
    out = curve[keys].copy()
    out["milestone"] = milestone
    out["unit"] = unit
    out["timeline"] = curve["time_days"]
    out["n_at_risk"] = curve["n_at_risk"].astype(np.int64)
    for column in ("events", "closed", "censored"):
        out[column] = curve[column].astype(np.int64)
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

    Both come from the cumulative incidence of reaching the milestone with cancellation competing
    (see :func:`time_to_fill_curve`): the share within h days is its value at h, the median is the
    first day it reaches one half, with bounds where its 95% band does.  Where fewer than half the
    requests will ever be filled (many cancelled) there is no median: NaN, ``not_reached``.

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
        ``n_reached``, ``n_closed`` and ``note`` (``not_reached`` when the incidence or a band never
        gets to one half, ``beyond_follow_up`` when a horizon is past the last observed time, else
        None).
    """
    frame, keys = _competing_frame(
        requests, submissions, as_of=as_of, milestone=milestone, unit=unit, by=by, freq=freq, settings=settings
    )
    horizons = sorted(horizons)
    curve = _incidence(frame, keys)
    median = _median(curve, keys)
    shares = _incidence(frame, keys, times=horizons)
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
    outcome = frame["outcome"]
    counts = frame.assign(reached=outcome == REACHED, closed=outcome == CLOSED).groupby(
        keys, sort=True, dropna=False, observed=True
    )
    counts = counts.agg(size=("event", "size"), reached=("reached", "sum"), closed=("closed", "sum"))
    for name, column in (("n_requests", "size"), ("n_reached", "reached"), ("n_closed", "closed")):
        out[name] = counts[column].to_numpy()[group[order]].astype(np.int64)
    out["note"] = stats["note"].to_numpy()
    return out


def _median(curve: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group, the first time the incidence (and each band) reaches one half; NaN where it never does."""
    if keys:
        grouped = curve.groupby(keys, sort=True, dropna=False, observed=True)
        group, out = grouped.ngroup().to_numpy(), grouped.size().index.to_frame(index=False)
    else:
        group, out = np.zeros(len(curve), dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    time = curve["time_days"].to_numpy()
    for name, column in (("estimate", "estimate"), ("lower_95", "upper_95"), ("upper_95", "lower_95")):
        rows = np.flatnonzero(curve[column].to_numpy() >= HALF)  # rows are in time order within a group
        found, first = np.unique(group[rows], return_index=True)
        values = np.full(len(out), np.nan)
        values[found] = time[rows[first]]
        out[name] = values
    out["statistic"] = "median_days"
    out["note"] = np.where(out[["estimate", "lower_95", "upper_95"]].isna().any(axis=1), "not_reached", None)
    return out


__all__ = ["CLOSED", "COMPETING", "MILESTONES", "REACHED", "UNITS", "fill_durations", "time_to_fill", "time_to_fill_curve"]
