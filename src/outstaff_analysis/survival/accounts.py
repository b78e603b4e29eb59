"""Client account lifetime, restricted mean lifetime (RMST) and LTV.

An account life runs from the start of a client's first placement to the end of its last one.  A
gap of ``settings.churn_gap_days`` (60) or more without any active placement is churn: the life
ends at the end of the last placement, and a later placement starts a new life; a shorter gap is
part of the same life.  As of a date, a life is censored while a placement is active (at ``as_of``)
or while its gap is still shorter than the churn gap (censored at the end of its last placement,
since it may yet resume).  Lives that began before ``settings.data_window_start`` are left-truncated.

LTV = mean monthly revenue x RMST up to ``settings.ltv_horizon_days``, with a percentile interval
from a bootstrap over accounts (each account's lives and revenue drawn together, so the interval
carries both the lifetime's and the revenue's variation).  The remaining LTV of an account still
with the firm is conditional on its age: its revenue x the expected months it still has within a
horizon, ``integral_a^{a+h} S(u) du / S(a)`` (a conditional RMST).  All times are in days.

The RMST variance is the Greenwood-based sampling variance (as R's survRM2), not lifelines'
``return_variance`` (the variance of min(T, tau) for one account, which is not the estimator's).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..config import DEFAULT_SETTINGS, Settings
from ..periods import resolve_as_of
from ._bootstrap import percentile_bounds, resample_clusters, stacked_replicates
from ._notes import blank
from ._table import area_at, beyond_follow_up, event_table, group_codes, last_survival, locate_rows, take
from .estimates import Z95, By
from .tenure import DAYS_PER_MONTH, join_attributes

NO_CHURN = "at least: no churn observed"
"""Note of an LTV whose group has no churned account: the lifetime is a lower bound."""

SHORT_FOLLOW_UP = "at least: follow-up ends before the horizon"
"""Note of a remaining LTV whose horizon runs past the group's follow-up (the window is cut there)."""


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
        window = pd.Timestamp(window)
        lives = lives[(lives["stop"] > window) | (lives["started_at"] >= window)].reset_index(drop=True)
        lives["entry_days"] = (window - lives["started_at"]).dt.days.clip(lower=0).astype(float)
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
    horizon_days: float | None = None,
    by: By = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Restricted mean survival time up to a horizon, in days, with a Greenwood-based 95% CI.

    ``RMST = integral_0^tau S(u) du`` under the Kaplan-Meier curve; its variance is
    ``sum_{t_i <= tau} A_i^2 d_i / (n_i (n_i - d_i))`` with ``A_i = integral_{t_i}^tau S(u) du``
    (survRM2's formula), and the interval is RMST +/- 1.96 SE.  When the follow-up of a group ends
    before the horizon with the curve above zero, the RMST is not identified: NaN, ``"beyond follow-up"``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Account (or tenure) frame.
    horizon_days : float, optional
        Horizon tau in days; default ``settings.ltv_horizon_days`` (three years).
    by : str or list of str, optional
        Grouping columns.
    settings : Settings
        Default horizon and ``min_at_risk`` (groups with fewer rows give NaN).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``horizon_days``, ``estimate``, ``lower_95``, ``upper_95``,
        ``std_error`` (days), ``n``, ``n_events``, ``note``.
    """
    tau = float(settings.ltv_horizon_days if horizon_days is None else horizon_days)
    table = event_table(frame, by=by)
    groups = np.arange(table.n_groups)
    total = area_at(table, groups, np.full(table.n_groups, tau))
    after = total[table.group] - area_at(table, table.group, table.time)  # area from each row to tau
    exposed, deaths = table.exposed, table.observed
    with np.errstate(divide="ignore", invalid="ignore"):
        green = np.where(
            (deaths > 0) & (exposed > deaths) & (table.time <= tau),
            deaths / (exposed * (exposed - deaths)),
            0.0,
        )
    variance = np.bincount(table.group, weights=after**2 * green, minlength=table.n_groups)
    out = table.keys.reset_index(drop=True)
    out["horizon_days"] = tau
    out["estimate"] = total
    out["std_error"] = np.sqrt(variance)
    out["lower_95"] = out["estimate"] - Z95 * out["std_error"]
    out["upper_95"] = out["estimate"] + Z95 * out["std_error"]
    out["n"] = np.bincount(table.group, weights=table.removed, minlength=table.n_groups).astype(int)
    out["n_events"] = np.bincount(table.group, weights=deaths, minlength=table.n_groups).astype(int)
    out["note"] = ""
    out = out[
        [
            *table.keys.columns,
            "horizon_days",
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
        beyond=beyond_follow_up(table, np.arange(table.n_groups), np.full(table.n_groups, tau)),
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
    horizon_days: float | None = None,
    fx_rates: Mapping[str, float] | None = None,
    n_boot: int | None = None,
    seed: int = 0,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """LTV of an account of each group: mean monthly revenue x RMST of account lifetime, with a bootstrap CI.

    The interval is the 2.5 and 97.5 percentiles over ``n_boot`` bootstrap samples of the group's
    accounts, each account drawn with all its lives and its revenue, so it carries the variation of
    both the lifetime and the revenue.  A group in which no account has churned has an RMST equal to
    its follow-up (at most the horizon): its LTV is a lower bound, noted ``"at least: no churn
    observed"``, with no upper bound.

    Parameters
    ----------
    accounts : pandas.DataFrame
        Output of :func:`account_lives`.
    revenue : pandas.DataFrame
        Output of :func:`monthly_revenue`.
    by : str or list of str, optional
        Groups (``"segment"``...); default the whole portfolio.
    horizon_days : float, optional
        RMST horizon; default ``settings.ltv_horizon_days``.
    fx_rates : mapping, optional
        Currency -> RUB rate; when given, revenue is converted and summed per client in RUB.
    n_boot : int, optional
        Bootstrap samples; default ``settings.bootstrap_samples``.
    seed : int
        Seed of the bootstrap (the same seed gives the same interval).
    settings : Settings
        Default horizon, bootstrap samples and ``min_at_risk``.

    Returns
    -------
    pandas.DataFrame
        One row per group and currency: the ``by`` columns, ``currency``, ``n_accounts`` (with
        revenue in the currency), ``monthly_revenue`` (their mean), ``rmst_days``, ``estimate``,
        ``lower_95``, ``upper_95`` (in the currency) and ``note``.
    """
    tau = float(settings.ltv_horizon_days if horizon_days is None else horizon_days)
    n_boot = settings.bootstrap_samples if n_boot is None else n_boot
    revenue = _in_rub(revenue, fx_rates)
    codes, keys = group_codes(accounts, by)
    clients = accounts["client_id"].to_numpy()
    lifetime = rmst(accounts, horizon_days=tau, by=by, settings=settings)
    last_time = pd.Series(accounts["duration_days"].to_numpy(dtype=float)).groupby(codes).max()
    no_churn = lifetime["n_events"].to_numpy() == 0
    point_life = np.where(no_churn, np.minimum(last_time.reindex(range(len(keys))).to_numpy(), tau),
                          lifetime["estimate"].to_numpy())
    units = pd.DataFrame({"group": codes, "client_id": clients}).drop_duplicates()
    point_revenue = _mean_revenue(units.assign(replicate=0), revenue)

    draw = resample_clusters(codes, clients, n_boot=n_boot, seed=seed)
    stacked = stacked_replicates(accounts, codes, draw, n_boot)
    quiet = settings.replace(min_at_risk=0)
    boot_life = rmst(stacked, horizon_days=tau, by="_replicate", settings=quiet).set_index("_replicate")["estimate"]
    boot_life = boot_life.reindex(range(len(keys) * n_boot)).to_numpy().reshape(len(keys), n_boot)
    boot_life = np.where(no_churn[:, None], point_life[:, None], boot_life)
    drawn = pd.DataFrame({"group": draw.cluster_group, "client_id": draw.clusters, "replicate": draw.cluster_replicate})
    boot_revenue = _mean_revenue(drawn, revenue)

    out = point_revenue.drop(columns="replicate").reset_index(drop=True)
    group = out["group"].to_numpy()
    wide = (
        boot_revenue.pivot_table(index=["group", "currency"], columns="replicate", values="monthly_revenue")
        .reindex(index=pd.MultiIndex.from_frame(out[["group", "currency"]]), columns=range(n_boot))
        .to_numpy()
    )
    lower, upper = percentile_bounds(wide * boot_life[group] / DAYS_PER_MONTH)
    out["rmst_days"] = point_life[group]
    out["estimate"] = out["monthly_revenue"] * out["rmst_days"] / DAYS_PER_MONTH
    out["lower_95"] = lower
    out["upper_95"] = np.where(no_churn[group], np.nan, upper)
    out["note"] = np.where(no_churn[group], NO_CHURN, lifetime["note"].to_numpy()[group])
    blanked = np.isnan(lifetime["estimate"].to_numpy()[group]) & ~no_churn[group]
    out.loc[blanked, ["rmst_days", "estimate", "lower_95", "upper_95"]] = np.nan
    columns = list(keys.columns)
    out = pd.concat([keys.iloc[group].reset_index(drop=True), out.drop(columns="group")], axis=1)
    return out[[*columns, "currency", "n_accounts", "monthly_revenue", "rmst_days", "estimate", "lower_95",
                "upper_95", "note"]]


def remaining_ltv(
    accounts: pd.DataFrame,
    revenue: pd.DataFrame,
    *,
    by: By = None,
    horizon_days: float | None = None,
    fx_rates: Mapping[str, float] | None = None,
    n_boot: int | None = None,
    seed: int = 0,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Revenue each account still with the firm is expected to bring within a horizon, given its age.

    For an account whose current life has lasted ``a`` days (and has not churned), the expected
    days it still has within the next ``h`` days is the conditional RMST
    ``integral_a^{a+h} S(u) du / S(a)`` on the Kaplan-Meier curve of account lives of its group;
    its remaining LTV is its monthly revenue x those days / 30.4375.  This is the revenue at risk if
    the account churns now.  The 95% interval is a bootstrap over the group's accounts (the curve
    is re-estimated on each sample; the account's own revenue is its run rate, not resampled).
    When the group's follow-up ends before ``a + h`` with the curve above zero, the window is cut
    at the end of follow-up and the figure is a lower bound, noted ``"at least: follow-up ends
    before the horizon"``, with no upper bound; ``window_days`` says how much of the horizon was
    covered.

    Parameters
    ----------
    accounts : pandas.DataFrame
        Output of :func:`account_lives` (all lives, churned or not: the curve is estimated on all).
    revenue : pandas.DataFrame
        Output of :func:`monthly_revenue`.
    by : str or list of str, optional
        Whose curve an account is judged by: the portfolio's (default) or its group's (``"segment"``).
    horizon_days : float, optional
        Horizon h from today; default ``settings.remaining_ltv_horizon_days`` (a year).
    fx_rates : mapping, optional
        Currency -> RUB rate; when given, revenue is converted and summed per client in RUB.
    n_boot : int, optional
        Bootstrap samples; default ``settings.bootstrap_samples``.
    seed : int
        Seed of the bootstrap.
    settings : Settings
        Default horizon and bootstrap samples.

    Returns
    -------
    pandas.DataFrame
        One row per account (its latest life, not churned) and currency: ``client_id``, ``life``,
        the ``by`` columns, ``active`` (a placement active as of the date), ``age_days``,
        ``currency``, ``monthly_revenue``, ``horizon_days``, ``window_days``, ``survival_at_age``
        (S(a) of its group), ``remaining_days``, ``estimate``, ``lower_95``, ``upper_95`` (remaining
        revenue in the currency) and ``note``.

    Examples
    --------
    >>> import pandas as pd
    >>> from outstaff_analysis.survival import account_lives, monthly_revenue, remaining_ltv
    >>> placements = pd.DataFrame({
    ...     "placement_id": ["p1", "p2", "p3"], "client_id": ["A", "B", "C"],
    ...     "started_at": pd.to_datetime(["2023-01-01", "2023-06-01", "2024-01-01"]),
    ...     "ended_at": pd.to_datetime(["2023-09-01", None, None]),
    ...     "monthly_rate": [100.0, 200.0, 300.0], "currency": ["USD"] * 3})
    >>> lives = account_lives(placements, as_of="2024-12-31")
    >>> revenue = monthly_revenue(placements, as_of="2024-12-31")
    >>> out = remaining_ltv(lives, revenue, horizon_days=365, n_boot=50)
    >>> out[["client_id", "age_days", "window_days", "remaining_days", "estimate"]].round(1)
      client_id  age_days  window_days  remaining_days  estimate
    0         B     579.0          0.0             0.0       0.0
    1         C     365.0        214.0           214.0    2109.2

    Both figures are lower bounds (``note``): no account has been followed past 579 days.
    """
    h = float(settings.remaining_ltv_horizon_days if horizon_days is None else horizon_days)
    n_boot = settings.bootstrap_samples if n_boot is None else n_boot
    revenue = _in_rub(revenue, fx_rates)
    codes, keys = group_codes(accounts, by)
    clients = accounts["client_id"].to_numpy()
    latest = accounts.assign(_group=codes).sort_values(["client_id", "life"]).drop_duplicates("client_id", keep="last")
    current = latest[~latest["event"].to_numpy(dtype=bool)]
    group = current["_group"].to_numpy()
    age = current["duration_days"].to_numpy(dtype=float)

    table = event_table(accounts, by=by)
    open_ended = last_survival(table) > 0
    window_end = np.where(open_ended[group], np.minimum(age + h, table.last_time[group]), age + h)
    survival = take(table.survival, locate_rows(table, group, age), 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        remaining = (area_at(table, group, window_end) - area_at(table, group, age)) / survival

    draw = resample_clusters(codes, clients, n_boot=n_boot, seed=seed)
    stacked = stacked_replicates(accounts, codes, draw, n_boot)
    boot = event_table(stacked, by="_replicate")
    query = (group[:, None] * n_boot + np.arange(n_boot)[None, :]).ravel()
    ages, ends = np.repeat(age, n_boot), np.repeat(window_end, n_boot)
    with np.errstate(divide="ignore", invalid="ignore"):
        boot_remaining = (area_at(boot, query, ends) - area_at(boot, query, ages)) / take(
            boot.survival, locate_rows(boot, query, ages), 1.0
        )
    lower, upper = percentile_bounds(boot_remaining.reshape(len(current), n_boot))

    out = current[["client_id", "life", *keys.columns, "active"]].reset_index(drop=True)
    out["age_days"] = age
    out["horizon_days"] = h
    out["window_days"] = window_end - age
    out["survival_at_age"] = survival
    out["remaining_days"] = remaining
    out["_lower"], out["_upper"] = lower, upper
    out["note"] = np.where(window_end < age + h, SHORT_FOLLOW_UP, "")
    out = out.merge(revenue[["client_id", "currency", "monthly_revenue"]], on="client_id", how="left")
    per_day = out["monthly_revenue"] / DAYS_PER_MONTH
    out["estimate"] = per_day * out["remaining_days"]
    out["lower_95"] = per_day * out.pop("_lower")
    out["upper_95"] = (per_day * out.pop("_upper")).where(out["note"] == "")
    return out[["client_id", "life", *keys.columns, "active", "age_days", "currency", "monthly_revenue",
                "horizon_days", "window_days", "survival_at_age", "remaining_days", "estimate", "lower_95",
                "upper_95", "note"]]


def _in_rub(revenue: pd.DataFrame, fx_rates: Mapping[str, float] | None) -> pd.DataFrame:
    """Revenue converted to RUB and summed per client (unchanged when ``fx_rates`` is None)."""
    if fx_rates is None:
        return revenue
    unknown = sorted(set(revenue["currency"].dropna()) - set(fx_rates))
    if unknown:
        raise ValueError(
            f"The value for `fx_rates` must give a rate for every currency, but {unknown} are missing"
        )
    return (
        revenue.assign(
            monthly_revenue=revenue["monthly_revenue"] * revenue["currency"].map(fx_rates),
            currency=revenue["currency"].where(revenue["currency"].isna(), "RUB"),
        )
        .groupby(["client_id", "currency"], dropna=False, as_index=False)["monthly_revenue"]
        .sum(min_count=1)
    )


def _mean_revenue(units: pd.DataFrame, revenue: pd.DataFrame) -> pd.DataFrame:
    """Mean monthly revenue and account count per group, currency and replicate of drawn accounts."""
    priced = units.merge(revenue[["client_id", "currency", "monthly_revenue"]], on="client_id")
    priced = priced[priced["currency"].notna() & priced["monthly_revenue"].notna()]
    return (
        priced.groupby(["group", "currency", "replicate"], sort=True)["monthly_revenue"]
        .agg(n_accounts="size", monthly_revenue="mean")
        .reset_index()
    )
