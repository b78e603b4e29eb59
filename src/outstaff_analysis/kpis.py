"""Headline KPIs of one client-quarter: a numeric, tidy frame judged against targets from Settings.

Every KPI is judged against its **target** (from :class:`~outstaff_analysis.config.Settings`); the
firm's average is context only.  With its 95% interval a value is

``good``
    on the right side of the target, and so is the whole interval;
``bad``
    on the wrong side, and so is the whole interval;
``unclear``
    the interval spans the target: too few observations to judge either way;
``none``
    nothing measured this quarter (never summarised as success).

Each row also holds the same KPI for the previous quarter, computed as of that quarter's end by
the same rules (so it is what last quarter's report showed), the change, and whether the change
is larger than its noise (the two intervals' normal approximations, 95%).

Rows (``kpi``): ``sla_message``, ``sla_bug``, ``sla_replacement`` (share of events within the SLA
target), ``north_star`` (approvals per CV shown, requests opened in the quarter),
``time_to_fill`` (median calendar days from request to the first specialist starting, requests
opened in the last four quarters, competing-risks estimate), ``retention_6m`` (Kaplan–Meier share
of the client's placements still running at 182 days) and ``csi`` (client-quarter CSI).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from . import funnel, sla, survival
from .config import DEFAULT_SETTINGS, Settings
from .periods import parse_quarter, quarter_bounds, resolve_as_of

KPIS = ("sla_message", "sla_bug", "sla_replacement", "north_star", "time_to_fill", "retention_6m", "csi")
KPI_COLUMNS = ("kpi", "value", "lower_95", "upper_95", "n", "n_missed", "worst", "target", "firm_average",
               "previous", "change", "change_significant", "status", "direction")
"""Columns of :func:`client_kpis`.  ``n`` counts what the value rests on (events, CVs shown,
requests, placements, scored sentences); ``n_missed`` how many of them missed the target (SLA
events late, CVs shown and not approved) and ``worst`` the longest SLA event in the target's unit."""

LOWER_IS_BETTER = {"time_to_fill"}
COUNTED = {"sla_message", "sla_bug", "sla_replacement", "north_star"}
SLA_KINDS = ("message", "bug", "replacement")
RETENTION_DAYS = 182
FILL_WINDOW_QUARTERS = 4
_Z = 1.959963984540054


def judge(value: float, lower: float, upper: float, target: float, *, direction: str = "higher") -> str:
    """Status of a value with its 95% interval against ``target`` (see the module docstring).

    Parameters
    ----------
    value, lower, upper : float
        Estimate and its interval (NaN bounds count as unknown: the interval may reach anywhere).
    target : float
    direction : {"higher", "lower"}
        Which way is better.

    Returns
    -------
    str
        ``good``, ``bad``, ``unclear`` or ``none``.
    """
    if value is None or math.isnan(value):
        return "none"
    sign = 1.0 if direction == "higher" else -1.0
    pessimistic, optimistic = (lower, upper) if sign > 0 else (upper, lower)
    meets = sign * (value - target) >= 0
    if meets and not math.isnan(pessimistic) and sign * (pessimistic - target) >= 0:
        return "good"
    if not meets and not math.isnan(optimistic) and sign * (optimistic - target) < 0:
        return "bad"
    return "unclear"


def change_is_significant(now: pd.Series, before: pd.Series) -> bool:
    """Whether the change from ``before`` to ``now`` (two KPI rows) is larger than its noise at 95%.

    Shares of counted events (SLA, approvals per CV shown) are compared with Fisher's exact test on
    the two quarters' counts; other KPIs with the normal approximation of both 95% intervals.
    """
    if not (np.isfinite(now["value"]) and np.isfinite(before["value"])):
        return False
    if now["kpi"] in COUNTED:
        hits = [round(now["value"] * now["n"]), round(before["value"] * before["n"])]
        table = [[hits[0], now["n"] - hits[0]], [hits[1], before["n"] - hits[1]]]
        return bool(stats.fisher_exact(table).pvalue < 0.05)
    spread = np.array([now["upper_95"] - now["lower_95"], before["upper_95"] - before["lower_95"]]) / (2 * _Z)
    if not np.isfinite(spread).all():
        return False
    return bool(abs(now["value"] - before["value"]) > _Z * math.sqrt(float((spread ** 2).sum())))


def firm_averages(tables: dict, quarter: str, *, settings: Settings = DEFAULT_SETTINGS) -> dict[str, float]:
    """The firm's value of each measured KPI of ``quarter``, all clients pooled (context for a client's).

    The same for every client of the quarter, so a batch of reports computes it once (see
    :mod:`outstaff_analysis.reporting.inputs`).  Parameters are those of :func:`quarter_kpis`; CSI
    is not in it (its firm average comes with the client-quarter scores).

    Returns
    -------
    dict
        KPI name -> firm value (NaN when the firm has nothing measured).
    """
    quarter = str(parse_quarter(quarter))
    as_of = resolve_as_of(quarter)
    compliance = _sla_quarter(tables["sla_events"], quarter, as_of, settings)
    averages = {}
    for kind in SLA_KINDS:
        of_kind = compliance[(compliance["kind"] == kind) & (compliance["n_events"] > 0)]
        averages[f"sla_{kind}"] = of_kind["n_within"].sum() / of_kind["n_events"].sum() if len(of_kind) else math.nan
    counts = _funnel_quarter(tables, quarter, as_of)
    shown = counts["shown"].sum()
    averages["north_star"] = counts["approved"].sum() / shown if shown else math.nan
    firm = _median_fill(_recent_requests(tables["requests"], quarter, as_of), tables, as_of, settings)
    averages["time_to_fill"] = firm["estimate"] if firm is not None else math.nan
    firm = _at_six_months(_tenure(tables, as_of, settings), settings)
    averages["retention_6m"] = firm["estimate"] if firm is not None else math.nan
    return {kpi: float(value) for kpi, value in averages.items()}


def quarter_kpis(tables: dict, csi_quarters: pd.DataFrame, client_id: str, quarter: str, *,
                 settings: Settings = DEFAULT_SETTINGS, firm: dict[str, float] | None = None) -> pd.DataFrame:
    """The client's KPIs of one quarter, as of its last day, with targets, firm averages and statuses.

    Parameters
    ----------
    tables : dict of DataFrame
        Processed tables (``placements``, ``requests``, ``submissions``, ``sla_events``); whole, as of
        any date at or after the quarter's end: nothing after the quarter's last day is used.
    csi_quarters : DataFrame
        Client-quarter CSI scores (``CSIResult.client_quarters``).
    client_id : str
    quarter : str
        ``YYYYQn``.
    settings : Settings
    firm : dict, optional
        :func:`firm_averages` of the quarter, when already computed.

    Returns
    -------
    DataFrame
        One row per KPI with ``kpi, value, lower_95, upper_95, n, n_missed, worst, target,
        firm_average, status, direction``.
    """
    quarter = str(parse_quarter(quarter))
    as_of = resolve_as_of(quarter)
    firm = firm_averages(tables, quarter, settings=settings) if firm is None else firm
    own = {name: frame[frame["client_id"] == client_id] for name, frame in tables.items()
           if name in ("sla_events", "requests", "placements")}
    rows = _sla_rows(own["sla_events"], quarter, as_of, settings, firm)
    rows.append(_north_star_row({**tables, "requests": own["requests"]}, quarter, as_of, settings, firm))
    rows.append(_time_to_fill_row({**tables, "requests": own["requests"]}, quarter, as_of, settings, firm))
    rows.append(_retention_row({**tables, "placements": own["placements"]}, as_of, settings, firm))
    rows.append(_csi_row(csi_quarters, client_id, quarter, settings))
    frame = pd.DataFrame(rows)
    frame["direction"] = np.where(frame["kpi"].isin(LOWER_IS_BETTER), "lower", "higher")
    frame["status"] = [judge(r.value, r.lower_95, r.upper_95, r.target, direction=r.direction)
                       for r in frame.itertuples()]
    return frame


def client_kpis(tables: dict, csi_quarters: pd.DataFrame, client_id: str, quarter: str, *,
                settings: Settings = DEFAULT_SETTINGS, firm: dict[str, dict[str, float]] | None = None
                ) -> pd.DataFrame:
    """The client's KPIs of ``quarter`` beside the previous quarter's, with the change and its significance.

    Parameters are those of :func:`quarter_kpis`, except ``firm``: quarter -> :func:`firm_averages`
    of that quarter, for ``quarter`` and the one before (computed when missing).

    Returns
    -------
    DataFrame
        :data:`KPI_COLUMNS`, one row per KPI in :data:`KPIS` order.

    Examples
    --------
    >>> kpis = client_kpis(tables, csi.client_quarters, "C007", "2024Q4")  # doctest: +SKIP
    >>> kpis.set_index("kpi").loc["sla_message", ["value", "target", "status"]]  # doctest: +SKIP
    """
    quarter = str(parse_quarter(quarter))
    previous = str(parse_quarter(quarter) - 1)
    firm = firm or {}
    now = quarter_kpis(tables, csi_quarters, client_id, quarter, settings=settings, firm=firm.get(quarter))
    before = quarter_kpis(tables, csi_quarters, client_id, previous, settings=settings, firm=firm.get(previous))
    before = before.set_index("kpi").reindex(now["kpi"])
    now["previous"] = before["value"].to_numpy()
    now["change"] = now["value"] - now["previous"]
    now["change_significant"] = [change_is_significant(now.loc[i], before.iloc[i]) for i in range(len(now))]
    return now[list(KPI_COLUMNS)]


def _row(kpi, value=math.nan, lower=math.nan, upper=math.nan, n=0, *, target, firm, n_missed=math.nan,
         worst=math.nan) -> dict:
    return {"kpi": kpi, "value": float(value), "lower_95": float(lower), "upper_95": float(upper), "n": int(n),
            "n_missed": float(n_missed), "worst": float(worst), "target": float(target), "firm_average": float(firm)}


def _sla_quarter(events: pd.DataFrame, quarter: str, as_of, settings: Settings) -> pd.DataFrame:
    # a quarter's compliance is that of the events opened in it: the others need not be timed
    events = events[events["opened_at"] >= quarter_bounds(quarter)[0]]
    compliance = sla.sla_compliance(events, as_of=as_of, by=("client_id",), settings=settings)
    return compliance[compliance["period"] == quarter]


def _sla_rows(events: pd.DataFrame, quarter: str, as_of, settings: Settings, firm: dict) -> list[dict]:
    compliance = _sla_quarter(events, quarter, as_of, settings)
    rows = []
    for kind in SLA_KINDS:
        own = compliance[(compliance["kind"] == kind) & (compliance["n_events"] > 0)]
        if own.empty:
            rows.append(_row(f"sla_{kind}", target=settings.sla_goal, firm=firm[f"sla_{kind}"]))
            continue
        r = own.iloc[0]
        worst = r["target"] + r["worst_overdue"] if pd.notna(r["worst_overdue"]) else r["median_elapsed"]
        rows.append(_row(f"sla_{kind}", r["estimate"], r["lower_95"], r["upper_95"], r["n_events"],
                         target=settings.sla_goal, firm=firm[f"sla_{kind}"], n_missed=r["n_breached"], worst=worst))
    return rows


def _funnel_quarter(tables, quarter, as_of) -> pd.DataFrame:
    counts = funnel.funnel_counts(tables["requests"], tables["submissions"], as_of=as_of, by=("client_id",))
    return counts[counts["period"] == quarter]


def _north_star_row(tables, quarter, as_of, settings, firm) -> dict:
    rates = funnel.funnel_rates(_funnel_quarter(tables, quarter, as_of))
    own = rates[(rates["rate"] == funnel.NORTH_STAR) & (rates["trials"] > 0)]
    if own.empty:
        return _row("north_star", target=settings.north_star_target, firm=firm["north_star"])
    r = own.iloc[0]
    return _row("north_star", r["estimate"], r["lower_95"], r["upper_95"], r["trials"],
                target=settings.north_star_target, firm=firm["north_star"], n_missed=r["trials"] - r["successes"])


def _recent_requests(requests: pd.DataFrame, quarter: str, as_of) -> pd.DataFrame:
    start = quarter_bounds(parse_quarter(quarter) - (FILL_WINDOW_QUARTERS - 1))[0]
    return requests[(requests["opened_at"] >= start) & (requests["opened_at"] <= as_of)]


def _median_fill(requests: pd.DataFrame, tables, as_of, settings):
    if requests.empty:
        return None
    found = funnel.time_to_fill(requests, tables["submissions"], as_of=as_of, settings=settings)
    found = found[found["statistic"] == "median_days"]
    return found.iloc[0] if len(found) else None


def _time_to_fill_row(tables, quarter, as_of, settings, firm) -> dict:
    own = _median_fill(_recent_requests(tables["requests"], quarter, as_of), tables, as_of, settings)
    if own is None:
        return _row("time_to_fill", target=settings.time_to_fill_target_days, firm=firm["time_to_fill"])
    return _row("time_to_fill", own["estimate"], own["lower_95"], own["upper_95"], own["n_requests"],
                target=settings.time_to_fill_target_days, firm=firm["time_to_fill"])


def _tenure(tables, as_of, settings) -> pd.DataFrame:
    tenure = survival.tenure_frame(tables["placements"], as_of=as_of, settings=settings)
    return tenure[tenure["started_at"] <= as_of]


def _at_six_months(tenure: pd.DataFrame, settings):
    if tenure.empty:
        return None
    return survival.survival_at(tenure, times=(RETENTION_DAYS,), settings=settings).iloc[0]


def _retention_row(tables, as_of, settings, firm) -> dict:
    tenure = _tenure(tables, as_of, settings)
    own = _at_six_months(tenure, settings)
    if own is None:
        return _row("retention_6m", target=settings.retention_6m_target, firm=firm["retention_6m"])
    return _row("retention_6m", own["estimate"], own["lower_95"], own["upper_95"], len(tenure),
                target=settings.retention_6m_target, firm=firm["retention_6m"])


def _csi_row(scores: pd.DataFrame, client_id: str, quarter: str, settings: Settings) -> dict:
    overall = scores[(scores["factor"] == "csi") & (scores["quarter"] == quarter) & scores["estimate"].notna()]
    firm = overall["estimate"].mean() if len(overall) else math.nan
    own = overall[overall["client_id"] == client_id]
    if own.empty:
        return _row("csi", target=settings.csi_bands[1], firm=firm)
    r = own.iloc[0]
    return _row("csi", r["estimate"], r["lower_95"], r["upper_95"], r["n_evidence"], target=settings.csi_bands[1],
                firm=firm)


MEASURED_VS_SAID = {"service": ("sla_message", "sla_bug"), "speed": ("time_to_fill",), "team": ("retention_6m",)}
"""Which measured KPIs stand for what the client says about a CSI factor."""


def measured_vs_said(kpis: pd.DataFrame, factors: pd.DataFrame, *, settings: Settings = DEFAULT_SETTINGS
                     ) -> pd.DataFrame:
    """Delivery side against client side: what we measured beside what the client said on the same factor.

    Parameters
    ----------
    kpis : DataFrame
        :func:`client_kpis` rows.
    factors : DataFrame
        The quarter's client-quarter CSI rows (``factor``, ``estimate``, ``insufficient_evidence``).
    settings : Settings
        ``csi_bands``: a factor below the first band is negative, from the second positive.

    Returns
    -------
    DataFrame
        One row per factor of :data:`MEASURED_VS_SAID`: ``factor``, ``kpis`` (``;``-separated),
        ``measured`` (the worst status among its KPIs with data: ``good``, ``bad``, ``unclear`` or
        ``none``), ``said_estimate``, ``said`` (``good``, ``bad``, ``unclear`` between the bands, or
        ``none`` without enough evidence) and ``disagree`` (one side good, the other bad).
    """
    status = kpis.set_index("kpi")["status"]
    scores = factors.set_index("factor")
    poor, good = settings.csi_bands
    rows = []
    for factor, names in MEASURED_VS_SAID.items():
        known = [status[k] for k in names if status[k] != "none"]
        measured = next((s for s in ("bad", "unclear", "good") if s in known), "none")
        estimate = math.nan
        said = "none"
        if factor in scores.index and not bool(scores.loc[factor, "insufficient_evidence"]):
            estimate = float(scores.loc[factor, "estimate"])
            said = "good" if estimate >= good else "bad" if estimate < poor else "unclear"
        rows.append({"factor": factor, "kpis": ";".join(names), "measured": measured, "said_estimate": estimate,
                     "said": said, "disagree": {measured, said} == {"good", "bad"}})
    return pd.DataFrame(rows)
