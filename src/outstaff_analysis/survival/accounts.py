"""Client account lifetime, restricted mean lifetime (RMST) and LTV.

An account life runs from the start of a client's first placement to the end of its last one.  A
gap of ``settings.churn_gap_days`` (60) or more without any active placement is churn: the life
ends at the end of the last placement, and a later placement starts a new life; a shorter gap is
part of the same life.  As of a date, a life is censored while a placement is active (at ``as_of``)
or while its gap is still shorter than the churn gap (censored at the end of its last placement,
since it may yet resume).  Lives that began before ``settings.data_window_start`` are left-truncated.

LTV = monthly revenue x RMST up to ``settings.ltv_horizon_months``.  The RMST variance is the
Greenwood-based sampling variance (as R's survRM2), not lifelines' ``return_variance`` (the variance
of min(T, tau) for one account, which is not the estimator's).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..config import DEFAULT_SETTINGS, Settings
from ..periods import resolve_as_of
from ._notes import blank
from ._table import event_table, grouped_cumsum, take
from .estimates import Z95, By
from .tenure import DAYS_PER_MONTH, join_attributes


def account_lives(
    placements: pd.DataFrame,
    *,
    as_of,
    settings: Settings = DEFAULT_SETTINGS,
    clients: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Client account lives as of a date, with the churn-gap rule.

    Parameters
    ----------
    placements : pandas.DataFrame
        Processed placements table.
    as_of : str, date or quarter
        Last day seen; later starts are ignored and later ends are unknown.
    settings : Settings
        ``churn_gap_days`` and ``data_window_start``.
    clients : pandas.DataFrame, optional
        Processed clients table; its ``segment``, ``source`` and ``industry`` are joined.

    Returns
    -------
    pandas.DataFrame
        One row per client and life: ``client_id``, ``life`` (1, 2, ...), ``started_at``,
        ``ended_at`` (end of the last placement; NaT while a placement is active), ``n_placements``,
        ``active`` (a placement active at ``as_of``), ``duration_days``, ``duration_months``,
        ``event`` (churned), ``entry_days``, ``segment``, ``source``, ``industry``.
    """
    cutoff = resolve_as_of(as_of)
    day = cutoff.normalize()
    seen = placements.loc[placements["started_at"] <= cutoff, ["client_id", "started_at", "ended_at"]]
    seen = seen.assign(open=seen["ended_at"].isna() | (seen["ended_at"] > cutoff))
    seen = seen.assign(stop=seen["ended_at"].where(~seen["open"], day)).sort_values(
        ["client_id", "started_at"]
    )
    reach = seen.groupby("client_id", sort=False)["stop"].cummax()
    previous = reach.groupby(seen["client_id"], sort=False).shift()
    gap_days = (seen["started_at"] - previous).dt.days
    seen["life"] = (gap_days.isna() | (gap_days >= settings.churn_gap_days)).astype(int)
    seen["life"] = seen.groupby("client_id", sort=False)["life"].cumsum()
    lives = (
        seen.groupby(["client_id", "life"], sort=True)
        .agg(
            started_at=("started_at", "min"),
            stop=("stop", "max"),
            active=("open", "any"),
            n_placements=("started_at", "size"),
        )
        .reset_index()
    )
    churned = ~lives["active"] & ((day - lives["stop"]).dt.days >= settings.churn_gap_days)
    lives["ended_at"] = lives["stop"].where(~lives["active"])
    lives["duration_days"] = (lives["stop"] - lives["started_at"]).dt.days.astype(float)
    lives["event"] = churned.to_numpy(dtype=bool)
    window = settings.data_window_start
    if window is not None:
        lives = lives[lives["stop"] >= pd.Timestamp(window)].reset_index(drop=True)
        lives["entry_days"] = (pd.Timestamp(window) - lives["started_at"]).dt.days.clip(lower=0).astype(float)
    else:
        lives["entry_days"] = 0.0
    lives["duration_months"] = lives["duration_days"] / DAYS_PER_MONTH
    columns = [
        "client_id",
        "life",
        "started_at",
        "ended_at",
        "n_placements",
        "active",
        "duration_days",
        "duration_months",
        "event",
        "entry_days",
    ]
    return join_attributes(lives[columns], clients, "client_id", ("segment", "source", "industry"))


def rmst(
    frame: pd.DataFrame,
    *,
    horizon_months: float | None = None,
    by: By = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Restricted mean survival time up to a horizon, in months, with a Greenwood-based 95% CI.

    ``RMST = integral_0^tau S(u) du`` under the Kaplan-Meier curve; its variance is
    ``sum_{t_i <= tau} A_i^2 d_i / (n_i (n_i - d_i))`` with ``A_i = integral_{t_i}^tau S(u) du``
    (survRM2's formula), and the interval is RMST +/- 1.96 SE.  When the follow-up of a group ends
    before the horizon with the curve above zero, the RMST is not identified: NaN, ``"beyond follow-up"``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Account (or tenure) frame.
    horizon_months : float, optional
        Horizon tau; default ``settings.ltv_horizon_months`` (36).
    by : str or list of str, optional
        Grouping columns.
    settings : Settings
        Default horizon and ``min_at_risk`` (groups with fewer rows give NaN).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``horizon_months``, ``estimate``, ``lower_95``, ``upper_95``,
        ``std_error`` (months), ``n``, ``n_events``, ``note``.
    """
    horizon_months = settings.ltv_horizon_months if horizon_months is None else horizon_months
    tau = horizon_months * DAYS_PER_MONTH
    table = event_table(frame, by=by)
    inside = table.time < tau
    following = np.append(table.time[1:], np.inf)
    following[np.append(table.group[1:] != table.group[:-1], True)] = np.inf
    area = np.where(inside, table.survival * (np.minimum(following, tau) - table.time), 0.0)
    first_time = np.full(table.n_groups, np.inf)
    np.minimum.at(first_time, table.group, table.time)
    total = np.bincount(table.group, weights=area, minlength=table.n_groups) + np.minimum(first_time, tau)
    after = grouped_cumsum(area[::-1], table.group[::-1])[::-1]  # area from each row to tau
    exposed, deaths = table.exposed, table.observed
    with np.errstate(divide="ignore", invalid="ignore"):
        green = np.where(
            (deaths > 0) & (exposed > deaths) & (table.time <= tau),
            deaths / (exposed * (exposed - deaths)),
            0.0,
        )
    variance = np.bincount(table.group, weights=after**2 * green, minlength=table.n_groups)
    out = table.keys.reset_index(drop=True)
    out["horizon_months"] = float(horizon_months)
    out["estimate"] = total / DAYS_PER_MONTH
    out["std_error"] = np.sqrt(variance) / DAYS_PER_MONTH
    out["lower_95"] = out["estimate"] - Z95 * out["std_error"]
    out["upper_95"] = out["estimate"] + Z95 * out["std_error"]
    out["n"] = np.bincount(table.group, weights=table.removed, minlength=table.n_groups).astype(int)
    out["n_events"] = np.bincount(table.group, weights=deaths, minlength=table.n_groups).astype(int)
    last_row = np.searchsorted(table.group, np.arange(table.n_groups), side="right") - 1
    last_survival = take(table.survival, last_row, 1.0)
    out["note"] = ""
    out = out[
        [
            *table.keys.columns,
            "horizon_months",
            "estimate",
            "lower_95",
            "upper_95",
            "std_error",
            "n",
            "n_events",
            "note",
        ]
    ]
    return blank(
        out,
        beyond=(table.last_time < tau) & (last_survival > 0),
        few=out["n"].to_numpy() < settings.min_at_risk,
        settings=settings,
        what="RMSTs",
        columns=("estimate", "lower_95", "upper_95", "std_error"),
    )


def monthly_revenue(placements: pd.DataFrame, *, as_of) -> pd.DataFrame:
    """Monthly revenue of each client's account per currency.

    It is the sum of ``monthly_rate`` of the placements active at ``as_of``; for an account with no
    active placement, of those active on the last day of its last placement (its run rate when it
    stopped).  Currencies are never added together.

    Returns
    -------
    pandas.DataFrame
        ``client_id``, ``currency``, ``monthly_revenue``, ``reference_date``, ``n_placements``
        (active on the reference date), ``n_unpriced`` (of them, without rate or currency).
    """
    cutoff = resolve_as_of(as_of)
    day = cutoff.normalize()
    seen = placements.loc[placements["started_at"] <= cutoff].copy()
    seen["stop"] = seen["ended_at"].where(seen["ended_at"].notna() & (seen["ended_at"] <= cutoff), day)
    seen["reference_date"] = seen.groupby("client_id")["stop"].transform("max")
    active = seen[(seen["started_at"] <= seen["reference_date"]) & (seen["stop"] >= seen["reference_date"])]
    priced = active["monthly_rate"].notna() & active["currency"].notna()
    counts = (
        active.groupby("client_id")
        .agg(
            reference_date=("reference_date", "first"),
            n_placements=("placement_id", "size"),
        )
        .assign(n_unpriced=(~priced).groupby(active["client_id"]).sum())
    )
    revenue = (
        active[priced]
        .groupby(["client_id", "currency"])["monthly_rate"]
        .sum()
        .rename("monthly_revenue")
        .reset_index()
    )
    out = counts.reset_index().merge(revenue, on="client_id", how="left")
    return out[["client_id", "currency", "monthly_revenue", "reference_date", "n_placements", "n_unpriced"]]


def account_ltv(
    accounts: pd.DataFrame,
    revenue: pd.DataFrame,
    *,
    by: By = None,
    horizon_months: float | None = None,
    fx_rates: Mapping[str, float] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """LTV of each account: monthly revenue x RMST of account lifetime (of its group) up to a horizon.

    Parameters
    ----------
    accounts : pandas.DataFrame
        Output of :func:`account_lives`.
    revenue : pandas.DataFrame
        Output of :func:`monthly_revenue`.
    by : str or list of str, optional
        Whose RMST each account gets: the portfolio's (default) or its group's (``"segment"``...).
    horizon_months : float, optional
        Default ``settings.ltv_horizon_months``.
    fx_rates : mapping, optional
        Currency -> RUB rate; when given, revenue is converted and summed per client in RUB.
    settings : Settings
        Default horizon and ``min_at_risk``.

    Returns
    -------
    pandas.DataFrame
        ``client_id``, the ``by`` columns, ``currency``, ``monthly_revenue``, ``rmst_months``,
        ``estimate``, ``lower_95``, ``upper_95`` (in the currency) and ``note``.  The interval treats
        the revenue as known and carries the RMST's sampling uncertainty.
    """
    if fx_rates is not None:
        unknown = sorted(set(revenue["currency"].dropna()) - set(fx_rates))
        if unknown:
            raise ValueError(
                f"The value for `fx_rates` must give a rate for every currency, but {unknown} are missing"
            )
        revenue = (
            revenue.assign(
                monthly_revenue=revenue["monthly_revenue"] * revenue["currency"].map(fx_rates),
                currency=revenue["currency"].where(revenue["currency"].isna(), "RUB"),
            )
            .groupby(["client_id", "currency"], dropna=False, as_index=False)["monthly_revenue"]
            .sum(min_count=1)
        )
    lifetime = rmst(accounts, horizon_months=horizon_months, by=by, settings=settings)
    columns = [by] if isinstance(by, str) else list(by or [])
    groups = accounts.sort_values(["client_id", "life"]).drop_duplicates("client_id", keep="last")
    out = revenue[["client_id", "currency", "monthly_revenue"]].merge(
        groups[["client_id", *columns]], on="client_id"
    )
    out = out.merge(lifetime, on=columns, how="left") if columns else out.assign(**lifetime.iloc[0].to_dict())
    out["rmst_months"] = out["estimate"]
    for name in ("estimate", "lower_95", "upper_95"):
        out[name] = out["monthly_revenue"] * out[name]
    return out[
        [
            "client_id",
            *columns,
            "currency",
            "monthly_revenue",
            "rmst_months",
            "estimate",
            "lower_95",
            "upper_95",
            "note",
        ]
    ]


def ltv_totals(ltv: pd.DataFrame, *, by="segment") -> pd.DataFrame:
    """Sum the LTV of accounts by group and currency.

    Parameters
    ----------
    ltv : pandas.DataFrame
        :func:`account_ltv` rows (for example of the active accounts only).
    by : str or sequence of str
        Grouping columns of ``ltv``.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``currency``, ``accounts`` (count), ``rmst_months`` (the group's restricted
        mean lifetime) and ``ltv`` (the sum of the accounts' LTV, in the currency).
    """
    keys = [by] if isinstance(by, str) else list(by)
    return ltv.groupby([*keys, "currency"], as_index=False).agg(
        accounts=("client_id", "size"), rmst_months=("rmst_months", "first"), ltv=("estimate", "sum"))
