"""From health signals to the churn model's features, and the churn labels it learns from.

Each feature is a fixed transform of :mod:`.signals` columns (no statistic of the data enters it, so
a feature never carries information from other rows or later dates), and belongs to one *reason*:
the plain-language signal it stands for (:data:`REASON_OF`).  Missing signals take a neutral value
and, for the CSI, an indicator that it is missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import survival
from ..config import DEFAULT_SETTINGS, Settings
from ..periods import parse_quarter, resolve_as_of

CSI_CENTRE = 70.0
"""CSI at which ``csi_level`` is 0 (the good band's lower edge)."""

DARK_DAYS = 90.0
"""``dark`` counts quarters (of this many days) since the last interview, at most 4."""

FEATURES = {
    "young": ("account_age_days", "the account is less than a year old"),
    "log_age_years": ("account_age_days", "log(1 + account age in years)"),
    "no_team": ("days_without_team", "no specialist is on the project"),
    "log_headcount": ("headcount", "log(1 + placements active)"),
    "team_shrink": ("headcount_change", "share of last quarter's team lost over the quarter (0 if it grew)"),
    "client_ends": ("ended_client", "placements the client ended this quarter, per person of last quarter's team"),
    "log_requests": ("requests", "log(1 + requests opened this quarter)"),
    "log_requests_before": ("requests_before", "log(1 + mean requests per quarter in the three before)"),
    "silence": ("days_since_request",
                ("requests the client would have opened since its last one, at its rate of the last year "
                 "(at most 8)")),
    "cancelled": ("requests_cancelled", "requests cancelled this quarter, per request opened in the last year"),
    "csi_level": ("csi_year", "(mean CSI of the last year - 70) / 10; 0 when unknown"),
    "csi_missing": ("csi", "no CSI in the last four quarters"),
    "csi_change_z": ("csi_change_z", "CSI change over its standard error, within [-4, 4]; 0 when unknown"),
    "red_flags": ("red_flags", "a red flag was spoken this quarter"),
    "north_star_gap": ("north_star", "1 - approved per CV shown (last year); 0.5 when unknown"),
    "slow_fill": ("fill_within_30", "1 - share filled within 30 days (last year); 0.5 when unknown"),
    "sla_breach_share": ("sla_breaches", "share of this quarter's SLA events outside the target"),
    "dark": ("days_since_interview", "quarters since the last interview, at most 4"),
}
"""Feature -> (the signal it is built from, what it means)."""

REASON_OF = {
    "young": "young", "log_age_years": "young", "no_team": "no_team", "log_headcount": "team",
    "team_shrink": "team", "client_ends": "client_ends", "log_requests": "requests",
    "log_requests_before": "requests", "silence": "silence", "cancelled": "cancelled", "csi_level": "csi", "csi_missing": "csi", "csi_change_z": "csi_change",
    "red_flags": "red_flags", "north_star_gap": "funnel", "slow_fill": "funnel", "sla_breach_share": "sla",
    "dark": "dark",
}
"""Feature -> the reason it speaks for (reasons are worded in ``locale/health.yaml``)."""


def design_matrix(signals: pd.DataFrame) -> pd.DataFrame:
    """The model's features (columns :data:`FEATURES`) of each row of a signal frame.

    Parameters
    ----------
    signals : pandas.DataFrame
        Rows of :func:`~outstaff_analysis.health.signals.signal_panel`.

    Returns
    -------
    pandas.DataFrame
        Same index, one float column per feature, no missing values.
    """
    s = signals
    before = (s["headcount"] - s["headcount_change"]).clip(lower=1.0)
    events = s["sla_events"]
    x = pd.DataFrame(index=s.index)
    x["young"] = (s["account_age_days"] < 365.25).astype(float)
    x["log_age_years"] = np.log1p(s["account_age_days"].clip(lower=0) / 365.25)
    x["no_team"] = (s["headcount"] == 0).astype(float)
    x["log_headcount"] = np.log1p(s["headcount"])
    x["team_shrink"] = (-s["headcount_change"]).clip(lower=0) / before
    x["client_ends"] = s["ended_client"] / before
    x["log_requests"] = np.log1p(s["requests"])
    x["log_requests_before"] = np.log1p(s["requests_before"])
    rate = (s["requests_year"] + 1.0) / (4 * DARK_DAYS)
    x["silence"] = (s["days_since_request"].fillna(s["account_age_days"]) * rate).clip(upper=8.0)
    x["cancelled"] = s["requests_cancelled"] / (s["requests_year"] + 1.0)
    x["csi_level"] = ((s["csi_year"] - CSI_CENTRE) / 10.0).fillna(0.0)
    x["csi_missing"] = s["csi_year"].isna().astype(float)
    x["csi_change_z"] = s["csi_change_z"].clip(-4, 4).fillna(0.0)
    x["red_flags"] = (s["red_flags"] > 0).astype(float)
    x["north_star_gap"] = (1.0 - s["north_star"].clip(0, 1)).fillna(0.5)
    x["slow_fill"] = (1.0 - s["fill_within_30"].clip(0, 1)).fillna(0.5)
    x["sla_breach_share"] = (s["sla_breaches"] / events.where(events > 0)).fillna(0.0)
    x["dark"] = (s["days_since_interview"] / DARK_DAYS).clip(upper=4.0).fillna(4.0)
    return x[list(FEATURES)].astype(float)


def churn_labels(
    placements: pd.DataFrame,
    signals: pd.DataFrame,
    *,
    as_of,
    horizon_quarters: int = 2,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.Series:
    """Whether each client-quarter's account churned within the next quarters, as known on ``as_of``.

    A row is 1 when the account life alive at the row's quarter end ended (and was confirmed
    churned by the churn gap) by the end of the ``horizon_quarters``-th quarter after, 0 when it
    did not; NaN until ``as_of`` reaches the horizon's end plus the churn gap, whatever happened
    (an early churn alone would be known sooner than the rows that stayed, and bias the training).  Only the placements known on ``as_of`` are used.

    Parameters
    ----------
    placements : pandas.DataFrame
        Processed placements table.
    signals : pandas.DataFrame
        ``client_id`` and ``quarter`` of the rows to label.
    as_of : date-like or quarter
        What is known.
    horizon_quarters : int
        Quarters ahead.
    settings : Settings
        ``churn_gap_days``.

    Returns
    -------
    pandas.Series of float
        1.0, 0.0 or NaN, aligned with ``signals``.
    """
    lives = survival.account_lives(placements, as_of=as_of, settings=settings.replace(data_window_start=None))
    cutoff = resolve_as_of(as_of).normalize()
    quarters = {q: parse_quarter(q) for q in signals["quarter"].unique()}  # a panel has few quarters, many rows
    quarter_end = signals["quarter"].map({q: p.end_time.normalize() for q, p in quarters.items()})
    horizon_end = signals["quarter"].map({q: (p + horizon_quarters).end_time.normalize() for q, p in quarters.items()})
    rows = pd.DataFrame({"client_id": signals["client_id"].to_numpy(), "quarter_end": quarter_end.to_numpy(),
                         "horizon_end": horizon_end.to_numpy(), "row": np.arange(len(signals))})
    rows = rows.sort_values("quarter_end")
    lives = lives.sort_values("started_at")
    # the life alive at the quarter's end is the latest one begun by then
    matched = pd.merge_asof(rows, lives[["client_id", "started_at", "ended_at", "event"]],
                            left_on="quarter_end", right_on="started_at", by="client_id", direction="backward")
    churned = matched["event"].eq(True) & (matched["ended_at"] <= matched["horizon_end"])
    resolved = cutoff >= matched["horizon_end"] + pd.Timedelta(days=settings.churn_gap_days)
    # a row counts only once its whole horizon is known: labelling the quick churns of recent rows
    # before their quiet neighbours are known would teach the model too much churn
    label = np.where(resolved, churned.astype(float), np.nan)
    out = np.empty(len(signals))
    out[matched["row"].to_numpy()] = label
    return pd.Series(out, index=signals.index, name="churned")
