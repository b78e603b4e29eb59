"""SLA compliance: first answer to a message, production bug fix, replacement of a specialist.

Each event's elapsed time is measured in the unit of its target (``settings.sla``): minutes for
messages, hours for bugs, working days on the production calendar (``settings.calendar``) for
replacements.  As of a date, an event resolved within its target is ``within``; one resolved late,
or still unresolved and already past its target, is a ``breach``; one still unresolved but inside
its target is ``pending`` and is not judged yet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import DEFAULT_SETTINGS, Settings
from .funnel.grouping import check_by, period_labels
from .periods import resolve_as_of
from .stats import wilson_ci
from .workdays import working_days_between

UNITS = {"message": "minutes", "bug": "hours", "replacement": "working_days"}
"""Unit in which each kind of event is measured against its target."""

SLA_KEYS = ("client_id", "severity")
"""Event columns an SLA table may be grouped by (besides ``kind``)."""


def sla_targets(settings: Settings = DEFAULT_SETTINGS) -> dict[str, float]:
    """Target of each kind of event, in its unit (see :data:`UNITS`)."""
    return {
        "message": settings.sla.message_minutes,
        "bug": settings.sla.bug_hours,
        "replacement": settings.sla.replacement_working_days,
    }


def held_to_target(sla_events: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> pd.Series:
    """Which events have an SLA: all but bugs of a severity outside ``settings.sla.bug_severities``."""
    severities = settings.sla.bug_severities
    if severities is None:
        return pd.Series(True, index=sla_events.index)
    severity = sla_events["severity"].str.lower()
    return (sla_events["kind"] != "bug") | severity.isna() | severity.isin([s.lower() for s in severities])


def sla_elapsed(sla_events: pd.DataFrame, *, as_of, settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Elapsed time of each SLA event against its target, as of a date.

    Parameters
    ----------
    sla_events : DataFrame
        Processed ``sla_events`` table (client_id, kind, opened_at, resolved_at, severity).
    as_of : date-like
        Events opened later are dropped; a resolution after it is not seen yet.
    settings : Settings
        Uses ``sla`` and ``calendar``; bugs of a severity outside ``sla.bug_severities`` have no
        SLA and are dropped.

    Returns
    -------
    DataFrame
        The events opened by ``as_of`` and held to a target with ``resolved_at`` (NaT when not resolved by then),
        ``resolved`` (bool), ``unit``, ``target``, ``elapsed`` (up to ``as_of`` when unresolved),
        ``overdue`` (``elapsed - target``, positive for breaches) and ``status`` (``within``,
        ``breach`` or ``pending``).
    """
    as_of = resolve_as_of(as_of)
    events = sla_events[(sla_events["opened_at"] <= as_of) & held_to_target(sla_events, settings)]
    events = events.reset_index(drop=True).copy()
    resolved_at = events["resolved_at"].where(events["resolved_at"] <= as_of)
    events["resolved_at"] = resolved_at.astype("datetime64[ns]")
    events["resolved"] = resolved_at.notna().to_numpy()
    end = resolved_at.fillna(as_of)
    kind = events["kind"].to_numpy()
    elapsed = np.full(len(events), np.nan)
    minutes = ((end - events["opened_at"]) / pd.Timedelta(minutes=1)).to_numpy(dtype=float)
    elapsed[kind == "message"] = minutes[kind == "message"]
    elapsed[kind == "bug"] = minutes[kind == "bug"] / 60
    replacement = kind == "replacement"
    elapsed[replacement] = working_days_between(
        events["opened_at"].to_numpy()[replacement], end.to_numpy()[replacement], country=settings.calendar
    )
    targets = sla_targets(settings)
    events["unit"] = events["kind"].map(UNITS)
    events["target"] = events["kind"].map(targets).astype(float)
    events["elapsed"] = elapsed
    events["overdue"] = elapsed - events["target"].to_numpy()
    late = events["overdue"].to_numpy() > 0
    events["status"] = np.where(late, "breach", np.where(events["resolved"], "within", "pending"))
    return events


def sla_compliance(
    sla_events: pd.DataFrame,
    *,
    as_of,
    by=("client_id",),
    freq: str | None = "quarter",
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Share of SLA events within target per group, kind and period, with Wilson intervals.

    Parameters
    ----------
    sla_events : DataFrame
        Processed ``sla_events`` table.
    as_of : date-like
        Nothing after this day is seen.
    by : str or sequence of str
        Event columns to group by, among ``client_id`` and ``severity``; ``()`` for the firm.
    freq : {"quarter", "month", "year", None}
        Period of ``opened_at``.
    settings : Settings
        Uses ``sla`` and ``calendar``.

    Returns
    -------
    DataFrame
        Columns ``*by``, ``period``, ``kind``, ``unit``, ``target``, ``n_events`` (judged events),
        ``n_within``, ``n_breached``, ``n_pending``, ``estimate`` (share within target),
        ``lower_95``, ``upper_95``, ``median_elapsed``, ``median_overdue`` and ``worst_overdue``
        (over breaches; NaN when there are none).
    """
    by = check_by(by, SLA_KEYS, sla_events)
    events = sla_elapsed(sla_events, as_of=as_of, settings=settings)
    events[by] = events[by].astype(object).where(events[by].notna(), "unknown")
    events["period"] = period_labels(events["opened_at"], freq)
    keys = [*by, "period", "kind"]
    judged = events["status"] != "pending"
    breach = events["status"] == "breach"
    events["_within"] = (events["status"] == "within").astype(np.int64)
    events["_breach"] = breach.astype(np.int64)
    events["_pending"] = (~judged).astype(np.int64)
    events["_elapsed"] = events["elapsed"].where(judged)
    events["_overdue"] = events["overdue"].where(breach)
    grouped = events.groupby(keys, sort=True)
    out = grouped.agg(
        unit=("unit", "first"),
        target=("target", "first"),
        n_within=("_within", "sum"),
        n_breached=("_breach", "sum"),
        n_pending=("_pending", "sum"),
        median_elapsed=("_elapsed", "median"),
        median_overdue=("_overdue", "median"),
        worst_overdue=("_overdue", "max"),
    ).reset_index()
    n = (out["n_within"] + out["n_breached"]).to_numpy(dtype=float)
    out.insert(len(keys) + 2, "n_events", n.astype(np.int64))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, out["n_within"].to_numpy() / n, np.nan)
    lower, upper = wilson_ci(out["n_within"].to_numpy(), n)
    position = out.columns.get_loc("median_elapsed")
    out.insert(position, "upper_95", upper)
    out.insert(position, "lower_95", lower)
    out.insert(position, "estimate", share)
    return out


def sla_breaches(sla_events: pd.DataFrame, *, as_of, settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """The list of SLA breaches as of a date, worst first within each kind.

    Parameters
    ----------
    sla_events : DataFrame
        Processed ``sla_events`` table.
    as_of : date-like
        Nothing after this day is seen; unresolved events past their target are breaches.
    settings : Settings
        Uses ``sla`` and ``calendar``.

    Returns
    -------
    DataFrame
        The breaching rows of :func:`sla_elapsed`, sorted by kind and decreasing ``overdue``.
    """
    events = sla_elapsed(sla_events, as_of=as_of, settings=settings)
    breaches = events[events["status"] == "breach"]
    return breaches.sort_values(["kind", "overdue"], ascending=[True, False], kind="stable").reset_index(drop=True)


__all__ = ["SLA_KEYS", "UNITS", "sla_breaches", "sla_compliance", "sla_elapsed", "sla_targets"]
