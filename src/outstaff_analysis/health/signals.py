"""Account health signals: one row per client and quarter, each computed as of the quarter's last day.

:func:`quarter_signals` measures every client still with the firm at a quarter's end (it has a
placement active then, or its last one ended less than ``settings.churn_gap_days`` ago: the account
has not churned by the 60-day rule) from what is known on that day; :func:`signal_panel` stacks
quarters.  Nothing dated after a row's ``as_of`` is seen: placements ending later are active, later
requests, events, interviews and scores do not exist.  The columns:

========================  ==============================================================================
column                    meaning (as of the quarter's last day)
========================  ==============================================================================
``client_id``             the client
``quarter``               ``"2024Q2"``; ``as_of`` is its last day
``account_age_days``      days since the account's current life began (the contract's signing, if
                          earlier, for a first life): young accounts are scored too
``life``                  1 for the first life, 2 once the client came back after churning
``headcount``             placements active at ``as_of``
``headcount_change``      ``headcount`` minus the headcount a quarter earlier
``days_without_team``     days since the last placement ended when none is active (0 otherwise)
``started``               placements started in the quarter
``ended_client``          placements ended in the quarter by the client (``client_ended``, ``hired_by_client``)
``ended_our_side``        ended because the specialist left or was replaced
``ended_planned``         ended as planned (``project_completed``) or for another reason
``requests``              requests opened in the quarter
``requests_before``       mean requests opened per quarter in the three quarters before
``requests_change``       ``requests`` minus ``requests_before`` (a falling request flow is the silent signal)
``requests_year``         requests opened in the last four quarters (this one included)
``days_since_request``    days since the last request was opened (NaN if none ever)
``requests_cancelled``    requests the client cancelled this quarter (closed as cancelled by ``as_of``)
``csi``                   the latest CSI of the last four quarters (0-100), with ``csi_lower_95`` and
                          ``csi_upper_95``; ``csi_quarter`` is the quarter it was scored in
``csi_change``            ``csi`` minus the CSI of the scored quarter before it (within a year)
``csi_change_z``          ``csi_change`` over its standard error (both CSIs' intervals): beyond +/-1.96
                          the change is beyond the noise
``csi_year``              mean CSI of the scored quarters among the last four (steadier than ``csi``)
``csi_<factor>``          the latest score of each factor (quality, service, price, speed, team)
``red_flags``             red flags in the client's speech this quarter
``north_star``            approved / shown of the requests opened in the last four quarters
``fill_within_30``        share of those requests with a specialist started within 30 days
                          (competing-risks estimate; NaN with too few requests)
``sla_events``            SLA events judged this quarter; ``sla_breaches`` of them outside the target
``interviews``            client interviews (calls, meetings) held this quarter
``days_since_interview``  days since the last one ever held ("account dark"; NaN if none)
========================  ==============================================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .. import funnel, sla, survival
from ..config import DEFAULT_SETTINGS, FACTORS, Settings
from ..periods import parse_quarter, resolve_as_of

CLIENT_ENDS = ("client_ended", "hired_by_client")
OUR_SIDE_ENDS = ("specialist_left", "replaced")
"""End reasons counted as the client's decision and as the firm's side; the rest are planned ends."""

TREND_QUARTERS = 3
"""Quarters before the current one whose mean request count is the baseline of ``requests_change``."""

LOOKBACK_QUARTERS = 4
"""A CSI, north star or time to fill older than this many quarters is not today's signal."""

SIGNAL_COLUMNS = (
    "client_id", "quarter", "as_of", "account_age_days", "life", "headcount", "headcount_change",
    "days_without_team", "started", "ended_client", "ended_our_side", "ended_planned", "requests",
    "requests_before", "requests_change", "requests_year", "days_since_request", "requests_cancelled", "csi", "csi_lower_95", "csi_upper_95", "csi_quarter", "csi_change",
    "csi_change_z", "csi_year", *(f"csi_{f}" for f in FACTORS), "red_flags", "north_star", "fill_within_30", "sla_events",
    "sla_breaches", "interviews", "days_since_interview",
)
"""Columns of :func:`quarter_signals`, in order."""

_Z95 = float(stats.norm.ppf(0.975))


def panel_quarters(tables: dict, until, *, settings: Settings = DEFAULT_SETTINGS) -> list[str]:
    """Quarters from the first the records fully cover up to ``until``.

    That is the latest of: the quarter of the first request, of the first placement start and of
    ``settings.data_window_start``.  Quarters before it would look like clients without requests.
    """
    starts = [tables["requests"]["opened_at"].min(), tables["placements"]["started_at"].min()]
    if settings.data_window_start is not None:
        starts.append(pd.Timestamp(settings.data_window_start))
    known = [pd.Period(s, freq="Q") for s in starts if pd.notna(s)]
    last = parse_quarter(until)
    first = min(max(known), last) if known else last
    return [str(q) for q in pd.period_range(first, last, freq="Q")]


def signal_panel(
    tables: dict,
    *,
    quarters,
    csi_scores: pd.DataFrame | None = None,
    red_flags: pd.DataFrame | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Signals of every client still with the firm at the end of each quarter, stacked.

    Parameters
    ----------
    tables : dict of DataFrame
        Processed tables (``clients``, ``requests``, ``submissions``, ``placements``,
        ``interviews``, ``sla_events``), whole: each quarter cuts them at its own end.
    quarters : iterable of str or Period
        Quarters to measure.
    csi_scores, red_flags, settings
        As in :func:`quarter_signals`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SIGNAL_COLUMNS`, sorted by quarter and client.
    """
    frames = [quarter_signals(tables, q, csi_scores=csi_scores, red_flags=red_flags, settings=settings)
              for q in quarters]
    return pd.concat(frames, ignore_index=True) if frames else _empty()


def quarter_signals(
    tables: dict,
    quarter,
    *,
    csi_scores: pd.DataFrame | None = None,
    red_flags: pd.DataFrame | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Signals of every client still with the firm at the end of ``quarter``, as of that day.

    Parameters
    ----------
    tables : dict of DataFrame
        Processed tables; rows dated after the quarter's end are not seen.
    quarter : str or Period
        The quarter; its last day is ``as_of``.
    csi_scores : pandas.DataFrame, optional
        CSI per client-quarter (``CSIResult.client_quarters``: ``client_id``, ``quarter``,
        ``factor``, ``estimate``, ``lower_95``, ``upper_95``); scores of later quarters are ignored.
        Without it the CSI columns are NaN.
    red_flags : pandas.DataFrame, optional
        Red flags with ``client_id`` and ``held_at`` (:func:`~outstaff_analysis.csi.detect_red_flags`
        joined to the interviews); without it ``red_flags`` is 0.
    settings : Settings
        ``churn_gap_days`` (which accounts are still with the firm), SLA targets.

    Returns
    -------
    pandas.DataFrame
        One row per client, columns :data:`SIGNAL_COLUMNS` (documented in the module).
    """
    period = parse_quarter(quarter)
    as_of = resolve_as_of(period)
    day = as_of.normalize()
    start = period.start_time.normalize()
    placements = tables["placements"]
    placements = placements[placements["started_at"] <= as_of]
    frame = _accounts(placements, tables["clients"], as_of, settings)
    ids = frame["client_id"]
    if frame.empty:
        return _empty()

    ends = placements["ended_at"].where(placements["ended_at"] <= as_of)
    active = ends.isna()
    previous_end = start - pd.Timedelta(days=1)
    active_before = (placements["started_at"] <= previous_end) & (ends.isna() | (ends > previous_end))
    ended_now = ends.notna() & (ends >= start)
    reason = placements["end_reason"].where(ended_now)
    by_client = placements["client_id"]
    last_end = ends.groupby(by_client).max()
    frame["headcount"] = _count(ids, by_client[active])
    frame["headcount_change"] = frame["headcount"] - _count(ids, by_client[active_before])
    gap = (day - ids.map(last_end)).dt.days.astype(float)
    frame["days_without_team"] = np.where(frame["headcount"] > 0, 0.0, gap)
    frame["started"] = _count(ids, by_client[placements["started_at"] >= start])
    frame["ended_client"] = _count(ids, by_client[reason.isin(CLIENT_ENDS)])
    frame["ended_our_side"] = _count(ids, by_client[reason.isin(OUR_SIDE_ENDS)])
    frame["ended_planned"] = _count(ids, by_client[ended_now]) - frame["ended_client"] - frame["ended_our_side"]

    requests = tables["requests"]
    opened = requests.loc[requests["opened_at"] <= as_of, ["client_id", "opened_at"]]
    trend_start = (period - TREND_QUARTERS).start_time
    frame["requests"] = _count(ids, opened.loc[opened["opened_at"] >= start, "client_id"])
    earlier = opened.loc[(opened["opened_at"] >= trend_start) & (opened["opened_at"] < start), "client_id"]
    frame["requests_before"] = _count(ids, earlier) / TREND_QUARTERS
    frame["requests_change"] = frame["requests"] - frame["requests_before"]
    year_start = (period - (LOOKBACK_QUARTERS - 1)).start_time
    frame["requests_year"] = _count(ids, opened.loc[opened["opened_at"] >= year_start, "client_id"])
    last_request = opened.groupby("client_id")["opened_at"].max()
    frame["days_since_request"] = (day - ids.map(last_request).dt.normalize()).dt.days.astype(float)
    cancelled = requests[(requests["status"] == "cancelled") & (requests["closed_at"] >= start)
                         & (requests["closed_at"] <= as_of)]
    frame["requests_cancelled"] = _count(ids, cancelled["client_id"])

    frame = frame.join(_csi(ids, csi_scores, period))
    frame["red_flags"] = _red_flags(ids, red_flags, start, as_of)
    frame = frame.join(_funnel(ids, tables, period, as_of, settings))
    frame = frame.join(_sla(ids, tables.get("sla_events"), period, as_of, settings))
    frame = frame.join(_interviews(ids, tables.get("interviews"), start, as_of))
    frame["quarter"] = str(period)
    frame["as_of"] = day
    return frame[list(SIGNAL_COLUMNS)].sort_values("client_id").reset_index(drop=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object if c in ("client_id", "quarter", "csi_quarter") else float)
                         for c in SIGNAL_COLUMNS})


def _count(ids: pd.Series, owners: pd.Series) -> np.ndarray:
    return ids.map(owners.value_counts()).fillna(0).to_numpy(dtype=float)


def _accounts(placements, clients, as_of, settings) -> pd.DataFrame:
    """Clients whose latest account life has not churned by ``as_of``, with its number and age."""
    lives = survival.account_lives(placements, as_of=as_of, settings=settings.replace(data_window_start=None))
    latest = lives.sort_values(["client_id", "life"]).drop_duplicates("client_id", keep="last")
    latest = latest[~latest["event"]]
    began = latest["started_at"]
    if clients is not None and "signed_at" in clients:
        signed = latest["client_id"].map(clients.set_index("client_id")["signed_at"])
        began = began.where((latest["life"] > 1) | signed.isna() | (signed > began), signed)
    return pd.DataFrame({
        "client_id": latest["client_id"].to_numpy(),
        "life": latest["life"].to_numpy(dtype=float),
        "account_age_days": (as_of.normalize() - began).dt.days.to_numpy(dtype=float),
    })


def _csi(ids: pd.Series, scores: pd.DataFrame | None, period: pd.Period) -> pd.DataFrame:
    columns = ["csi", "csi_lower_95", "csi_upper_95", "csi_quarter", "csi_change", "csi_change_z", "csi_year",
               *(f"csi_{f}" for f in FACTORS)]
    out = pd.DataFrame(np.nan, index=ids.index, columns=columns).astype({"csi_quarter": object})
    if scores is None or scores.empty:
        return out
    recent = [str(period - k) for k in range(LOOKBACK_QUARTERS)]
    known = scores[scores["quarter"].isin(recent) & scores["estimate"].notna() & scores["client_id"].isin(ids)]
    known = known.sort_values("quarter")
    overall = known[known["factor"] == "csi"]
    latest = overall.groupby("client_id").tail(1).set_index("client_id")
    before = overall.groupby("client_id").nth(-2).set_index("client_id")
    out["csi"] = ids.map(latest["estimate"])
    out["csi_lower_95"] = ids.map(latest["lower_95"])
    out["csi_upper_95"] = ids.map(latest["upper_95"])
    out["csi_quarter"] = ids.map(latest["quarter"])
    out["csi_change"] = out["csi"] - ids.map(before["estimate"])
    se = np.sqrt(_se(latest).pow(2).reindex(ids).to_numpy() + _se(before).pow(2).reindex(ids).to_numpy())
    out["csi_change_z"] = out["csi_change"] / np.where(se > 0, se, np.nan)
    out["csi_year"] = ids.map(overall.groupby("client_id")["estimate"].mean())
    factors = known[known["factor"] != "csi"].groupby(["client_id", "factor"]).tail(1)
    for factor in FACTORS:
        out[f"csi_{factor}"] = ids.map(factors[factors["factor"] == factor].set_index("client_id")["estimate"])
    return out


def _se(rows: pd.DataFrame) -> pd.Series:
    """Standard error of a score from its 95% interval."""
    return (rows["upper_95"] - rows["lower_95"]) / (2 * _Z95)


def _red_flags(ids, flags, start, as_of) -> np.ndarray:
    if flags is None or flags.empty:
        return np.zeros(len(ids))
    now = flags[(flags["held_at"] >= start) & (flags["held_at"] <= as_of)]
    return _count(ids, now["client_id"])


def _funnel(ids, tables, period, as_of, settings) -> pd.DataFrame:
    since = (period - (LOOKBACK_QUARTERS - 1)).start_time
    requests = tables["requests"]
    recent = requests[(requests["opened_at"] >= since) & (requests["opened_at"] <= as_of)
                      & requests["client_id"].isin(ids)]
    submissions = tables["submissions"]
    submissions = submissions[submissions["request_id"].isin(recent["request_id"])]
    counts = funnel.funnel_counts(recent, submissions, as_of=as_of, by=("client_id",), freq=None)
    counts = counts.set_index("client_id")
    out = pd.DataFrame(index=ids.index)
    out["north_star"] = ids.map(counts["approved"] / counts["shown"].replace(0, np.nan)).astype(float)
    out["fill_within_30"] = np.nan
    if len(recent):
        fill = funnel.time_to_fill(recent, submissions, as_of=as_of, by=("client_id",), horizons=(30,),
                                   settings=settings)
        fill = fill[fill["statistic"] == "within_30_days"].set_index("client_id")["estimate"]
        out["fill_within_30"] = ids.map(fill).astype(float)
    return out


def _sla(ids, events, period, as_of, settings) -> pd.DataFrame:
    out = pd.DataFrame({"sla_events": 0.0, "sla_breaches": 0.0}, index=ids.index)
    if events is None or events.empty:
        return out
    start = period.start_time
    events = events[(events["opened_at"] >= start) & (events["opened_at"] <= as_of) & events["client_id"].isin(ids)]
    if events.empty:
        return out
    judged = sla.sla_compliance(events, as_of=as_of, by=("client_id",), freq=None, settings=settings)
    totals = judged.groupby("client_id")[["n_events", "n_breached"]].sum()
    out["sla_events"] = ids.map(totals["n_events"]).fillna(0).to_numpy(dtype=float)
    out["sla_breaches"] = ids.map(totals["n_breached"]).fillna(0).to_numpy(dtype=float)
    return out


def _interviews(ids, interviews, start, as_of) -> pd.DataFrame:
    out = pd.DataFrame({"interviews": 0.0, "days_since_interview": np.nan}, index=ids.index)
    if interviews is None or interviews.empty:
        return out
    held = interviews.loc[interviews["held_at"] <= as_of, ["client_id", "held_at"]]
    out["interviews"] = _count(ids, held.loc[held["held_at"] >= start, "client_id"])
    last = held.groupby("client_id")["held_at"].max()
    out["days_since_interview"] = (as_of.normalize() - ids.map(last).dt.normalize()).dt.days.astype(float)
    return out
