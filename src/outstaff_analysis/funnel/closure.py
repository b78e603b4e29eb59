"""Share of requests closed: filled / (filled + cancelled + open for too long)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import DEFAULT_SETTINGS, Settings
from ..periods import resolve_as_of
from ..stats import wilson_ci
from .grouping import check_by, period_labels
from .stages import REQUEST_KEYS


def request_states(requests: pd.DataFrame, *, as_of, settings: Settings = DEFAULT_SETTINGS) -> pd.Series:
    """State of each request as of a date: filled, cancelled, stale (open too long) or open.

    A request closed after ``as_of`` was still open then.  ``on_hold`` counts as open.  A filled or
    cancelled request without ``closed_at`` is taken as closed (the date is unknown, the outcome is
    not).  An open request is ``stale`` once it has been open more than
    ``settings.stale_request_days`` days.

    Parameters
    ----------
    requests : DataFrame
        Processed ``requests`` table, already limited to requests opened by ``as_of``.
    as_of : date-like
        Nothing after this day is seen.
    settings : Settings
        Uses ``stale_request_days``.

    Returns
    -------
    Series of str
        Indexed like ``requests``.
    """
    as_of = resolve_as_of(as_of)
    closed_by_then = requests["closed_at"].isna() | (requests["closed_at"] <= as_of)
    status = requests["status"].where(closed_by_then & requests["status"].isin(["filled", "cancelled"]), "open")
    age_days = (as_of - requests["opened_at"]) / pd.Timedelta(days=1)
    stale = (status == "open") & (age_days > settings.stale_request_days)
    return status.where(~stale, "stale")


def share_closed(
    requests: pd.DataFrame,
    *,
    as_of,
    by=(),
    freq: str | None = "quarter",
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Share of requests closed, per request cohort: filled / (filled + cancelled + stale).

    Only requests at least ``settings.stale_request_days`` old at ``as_of`` are judged, whatever
    their state: the younger ones are counted in ``too_recent`` and left out of both numerator and
    denominator.  Judging the quick fills of a young cohort while its slow requests are not yet
    "stale" would select on the outcome and flatter the latest quarter.

    Parameters
    ----------
    requests : DataFrame
        Processed ``requests`` table.
    as_of : date-like
        Nothing after this day is seen.
    by : str or sequence of str
        Request columns to group by (see :data:`~outstaff_analysis.funnel.REQUEST_KEYS`).
    freq : {"quarter", "month", "year", None}
        Period of the cohort (by ``opened_at``).
    settings : Settings
        Uses ``stale_request_days``.

    Returns
    -------
    DataFrame
        Columns ``*by``, ``period``, ``filled``, ``cancelled``, ``stale``, ``too_recent``,
        ``estimate``, ``lower_95``, ``upper_95`` (Wilson).
    """
    by = check_by(by, REQUEST_KEYS, requests)
    as_of = resolve_as_of(as_of)
    reqs = requests[requests["opened_at"] <= as_of]
    keys = reqs[by].astype(object).where(reqs[by].notna(), "unknown")
    keys["period"] = period_labels(reqs["opened_at"], freq)
    state = request_states(reqs, as_of=as_of, settings=settings)
    age_days = (as_of - reqs["opened_at"]) / pd.Timedelta(days=1)
    keys["_state"] = state.where(age_days > settings.stale_request_days, "too_recent").to_numpy()
    states = ["filled", "cancelled", "stale", "too_recent"]
    table = keys.groupby([*by, "period", "_state"], sort=True).size().unstack("_state", fill_value=0)
    table = table.reindex(columns=states, fill_value=0).astype("int64").reset_index()
    table.columns.name = None
    judged = (table["filled"] + table["cancelled"] + table["stale"]).to_numpy(dtype=float)
    filled = table["filled"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["estimate"] = np.where(judged > 0, filled / judged, np.nan)
    table["lower_95"], table["upper_95"] = wilson_ci(filled, judged)
    return table


__all__ = ["request_states", "share_closed"]
