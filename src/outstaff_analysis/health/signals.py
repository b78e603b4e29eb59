"""Account health signals: one row per client and quarter, each computed as of the quarter's last day.

:func:`quarter_signals` measures every client still with the firm at a quarter's end (it has a
placement active then, or its last one ended less than ``settings.churn_gap_days`` ago: the account
has not churned by the 60-day rule) from what is known on that day; :func:`signal_panel` does so for
many quarters in one pass over the tables (each table row is set against every quarter's window at
once), with the numbers each quarter measured alone would give.  Nothing dated after a row's
``as_of`` is seen: placements ending later are active, later requests, events, interviews and scores
do not exist.  The columns:

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

import dataclasses

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

    Every quarter is measured as of its own last day, as :func:`quarter_signals` would measure it
    alone, but the tables are read once for all quarters: each row of a table is set against every
    quarter's window at once, and the account lives, the funnel's stage times and the time to fill
    are computed once (or, where a figure depends on its as-of day, once per quarter on that
    quarter's rows only).

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
        Columns :data:`SIGNAL_COLUMNS`, in the order of ``quarters`` and by client within each.
    """
    grid = _Quarters.of(quarters)
    frame = _accounts(tables["placements"], tables["clients"], grid, settings) if grid.size else pd.DataFrame()
    if frame.empty:
        return _empty()
    cells = _Cells(frame, grid)
    frame = frame.join(_team(cells, tables["placements"]))
    frame = frame.join(_requests(cells, tables["requests"]))
    frame = frame.join(_csi(cells, csi_scores))
    frame["red_flags"] = _red_flags(cells, red_flags)
    frame = frame.join(_funnel(cells, tables["requests"], tables["submissions"]))
    frame = frame.join(_sla(cells, tables.get("sla_events"), settings))
    frame = frame.join(_interviews(cells, tables.get("interviews")))
    frame["quarter"] = np.array([str(p) for p in grid.periods], dtype=object)[cells.quarter]
    frame["as_of"] = grid.day[cells.quarter]
    return frame[list(SIGNAL_COLUMNS)]


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
    return signal_panel(tables, quarters=[quarter], csi_scores=csi_scores, red_flags=red_flags, settings=settings)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object if c in ("client_id", "quarter", "csi_quarter") else float)
                         for c in SIGNAL_COLUMNS})


@dataclasses.dataclass(frozen=True)
class _Quarters:
    """The panel's quarters, in the order asked, with their bounds as ``datetime64[ns]`` arrays."""

    periods: tuple[pd.Period, ...]
    start: np.ndarray
    """First day of each quarter (midnight)."""
    as_of: np.ndarray
    """Last instant seen in each quarter (:func:`~outstaff_analysis.periods.resolve_as_of`)."""
    day: np.ndarray
    """Last day of each quarter (midnight): the day counts run to it."""

    @classmethod
    def of(cls, quarters) -> _Quarters:
        periods = tuple(parse_quarter(q) for q in quarters)
        as_of = [resolve_as_of(p) for p in periods]
        return cls(periods=periods, start=_stamps([p.start_time.normalize() for p in periods]),
                   as_of=_stamps(as_of), day=_stamps([a.normalize() for a in as_of]))

    @property
    def size(self) -> int:
        return len(self.periods)

    def start_before(self, quarters: int) -> np.ndarray:
        """First day of the quarter ``quarters`` quarters before each."""
        return _stamps([(p - quarters).start_time for p in self.periods])


class _Cells:
    """The panel's rows as (client, quarter) cells: per-row counts and latest dates of table rows.

    A table's rows are set against the quarters through a boolean matrix (row x quarter: the row
    falls in that quarter's window); the rows of clients not in the panel are not counted.
    """

    def __init__(self, frame: pd.DataFrame, grid: _Quarters):
        self.grid = grid
        self.clients = pd.Index(frame["client_id"].unique())
        self.client = self.clients.get_indexer(frame["client_id"])
        self.quarter = frame["_k"].to_numpy()
        self.index = frame.index

    def alive(self, client_ids) -> np.ndarray:
        """Row x quarter: the row's client is in the panel in that quarter."""
        known = np.zeros((len(self.clients), self.grid.size), dtype=bool)
        known[self.client, self.quarter] = True
        code = self.clients.get_indexer(np.asarray(client_ids, dtype=object))
        return np.where((code >= 0)[:, None], known[code], False)

    def count(self, client_ids, within: np.ndarray) -> np.ndarray:
        """Per panel row, the table rows of its client that fall ``within`` its quarter."""
        code = self.clients.get_indexer(np.asarray(client_ids, dtype=object))
        known = code >= 0
        table = np.stack([np.bincount(code[known & column], minlength=len(self.clients))
                          for column in within.T])
        return table[self.quarter, self.client].astype(float)

    def latest(self, client_ids, times, within: np.ndarray) -> pd.Series:
        """Per panel row, the latest of ``times`` of its client's table rows ``within`` its quarter (NaT if none)."""
        code = self.clients.get_indexer(np.asarray(client_ids, dtype=object))
        stamps = _stamps(times).view(np.int64)
        table = np.full((self.grid.size, len(self.clients)), np.datetime64("NaT", "ns").view(np.int64))
        for k, column in enumerate(within.T):
            take = column & (code >= 0)
            np.maximum.at(table[k], code[take], stamps[take])
        return pd.Series(table[self.quarter, self.client].view("datetime64[ns]"), index=self.index)

    def days_to_end(self, stamps: pd.Series) -> pd.Series:
        """Whole days from ``stamps`` to each row's quarter's last day (NaN where NaT)."""
        return (pd.Series(self.grid.day[self.quarter], index=self.index) - stamps).dt.days.astype(float)


def _stamps(values) -> np.ndarray:
    """Dates (a column, a list of timestamps) as ``datetime64[ns]``."""
    return np.asarray(values, dtype="datetime64[ns]")


def _between(times, lower: np.ndarray | None = None, upper: np.ndarray | None = None) -> np.ndarray:
    """Row x quarter: ``lower[k] <= time <= upper[k]`` (a missing time is in no window)."""
    t = _stamps(times)[:, None]
    inside = ~np.isnat(t)
    if lower is not None:
        inside = inside & (t >= lower[None, :])
    if upper is not None:
        inside = inside & (t <= upper[None, :])
    return inside


def _accounts(placements, clients, grid: _Quarters, settings) -> pd.DataFrame:
    """Per quarter, the clients whose latest account life has not churned by its end, with its number and age.

    Lives are cut once, as of the last quarter: a life's placements, start and number are the same
    as of any earlier day it had begun by (a life only grows by placements that start within the
    churn gap of its end), and it had churned by an earlier quarter's end exactly when it ended the
    churn gap or more before that day.
    """
    lives = survival.account_lives(placements, as_of=pd.Timestamp(grid.as_of.max()),
                                   settings=settings.replace(data_window_start=None))
    life_row, k = np.nonzero(_between(lives["started_at"], upper=grid.as_of))
    candidates = pd.DataFrame({"_k": k, "client_id": lives["client_id"].to_numpy()[life_row],
                               "life": lives["life"].to_numpy()[life_row],
                               "started_at": lives["started_at"].to_numpy()[life_row],
                               "ended_at": lives["ended_at"].to_numpy()[life_row]})
    latest = candidates.sort_values(["_k", "client_id", "life"]).drop_duplicates(["_k", "client_id"], keep="last")
    day = pd.Series(grid.day[latest["_k"].to_numpy()], index=latest.index)
    churned = latest["ended_at"].notna() & ((day - latest["ended_at"]).dt.days >= settings.churn_gap_days)
    latest, day = latest[~churned], day[~churned]
    began = latest["started_at"]
    if clients is not None and "signed_at" in clients:
        signed = latest["client_id"].map(clients.set_index("client_id")["signed_at"])
        began = began.where((latest["life"] > 1) | signed.isna() | (signed > began), signed)
    return pd.DataFrame({
        "_k": latest["_k"].to_numpy(),
        "client_id": latest["client_id"].to_numpy(),
        "life": latest["life"].to_numpy(dtype=float),
        "account_age_days": (day - began).dt.days.to_numpy(dtype=float),
    })


def _team(cells: _Cells, placements: pd.DataFrame) -> pd.DataFrame:
    grid, client = cells.grid, placements["client_id"]
    started, ended = _stamps(placements["started_at"])[:, None], _stamps(placements["ended_at"])[:, None]
    seen = started <= grid.as_of
    ended_by = seen & (ended <= grid.as_of)
    previous_end = grid.start - np.timedelta64(1, "D")
    active_before = (started <= previous_end) & (np.isnat(ended) | (ended > previous_end))
    ended_now = ended_by & (ended >= grid.start)
    reason = placements["end_reason"]
    out = pd.DataFrame(index=cells.index)
    out["headcount"] = cells.count(client, seen & ~ended_by)
    out["headcount_change"] = out["headcount"] - cells.count(client, active_before)
    gap = cells.days_to_end(cells.latest(client, placements["ended_at"], ended_by))
    out["days_without_team"] = np.where(out["headcount"] > 0, 0.0, gap)
    out["started"] = cells.count(client, seen & (started >= grid.start))
    out["ended_client"] = cells.count(client, ended_now & reason.isin(CLIENT_ENDS).to_numpy()[:, None])
    out["ended_our_side"] = cells.count(client, ended_now & reason.isin(OUR_SIDE_ENDS).to_numpy()[:, None])
    out["ended_planned"] = cells.count(client, ended_now) - out["ended_client"] - out["ended_our_side"]
    return out


def _requests(cells: _Cells, requests: pd.DataFrame) -> pd.DataFrame:
    grid, client = cells.grid, requests["client_id"]
    opened = _stamps(requests["opened_at"])[:, None]
    seen = opened <= grid.as_of
    out = pd.DataFrame(index=cells.index)
    out["requests"] = cells.count(client, seen & (opened >= grid.start))
    trend_start = grid.start_before(TREND_QUARTERS)
    out["requests_before"] = cells.count(client, seen & (opened >= trend_start) & (opened < grid.start)) / TREND_QUARTERS
    out["requests_change"] = out["requests"] - out["requests_before"]
    out["requests_year"] = cells.count(client, seen & (opened >= grid.start_before(LOOKBACK_QUARTERS - 1)))
    out["days_since_request"] = cells.days_to_end(cells.latest(client, requests["opened_at"], seen).dt.normalize())
    cancelled = (requests["status"] == "cancelled").to_numpy()[:, None]
    out["requests_cancelled"] = cells.count(client, cancelled & _between(requests["closed_at"], grid.start, grid.as_of))
    return out


def _csi(cells: _Cells, scores: pd.DataFrame | None) -> pd.DataFrame:
    """The CSI signals of each row from the scores of its quarter and the three before it."""
    columns = ["csi", "csi_lower_95", "csi_upper_95", "csi_quarter", "csi_change", "csi_change_z", "csi_year",
               *(f"csi_{f}" for f in FACTORS)]
    out = pd.DataFrame(np.nan, index=cells.index, columns=columns).astype({"csi_quarter": object})
    if scores is None or scores.empty:
        return out
    # each score is seen by the panel quarters it is one of the last LOOKBACK_QUARTERS of
    seen_by = pd.DataFrame([{"quarter": str(p - lag), "_k": k} for k, p in enumerate(cells.grid.periods)
                            for lag in range(LOOKBACK_QUARTERS)])
    known = scores[scores["estimate"].notna()].merge(seen_by, on="quarter")
    known = known[cells.alive(known["client_id"])[np.arange(len(known)), known["_k"].to_numpy()]]
    known = known.sort_values(["_k", "client_id", "quarter"], kind="stable")
    cell = ["_k", "client_id"]
    overall = known[known["factor"] == "csi"]
    latest = overall.groupby(cell).tail(1).set_index(cell)
    before = overall.groupby(cell).nth(-2).set_index(cell)
    where = pd.MultiIndex.from_arrays([cells.quarter, cells.clients[cells.client]])

    def at(frame: pd.DataFrame, column: str) -> np.ndarray:
        return frame[column].reindex(where).to_numpy()

    out["csi"] = at(latest, "estimate")
    out["csi_lower_95"] = at(latest, "lower_95")
    out["csi_upper_95"] = at(latest, "upper_95")
    out["csi_quarter"] = at(latest, "quarter")
    out["csi_change"] = out["csi"] - at(before, "estimate")
    se = np.sqrt(_se(latest).pow(2).reindex(where).to_numpy() + _se(before).pow(2).reindex(where).to_numpy())
    out["csi_change_z"] = out["csi_change"] / np.where(se > 0, se, np.nan)
    out["csi_year"] = overall.groupby(cell)["estimate"].mean().reindex(where).to_numpy()
    factors = known[known["factor"] != "csi"].groupby([*cell, "factor"]).tail(1)
    for factor in FACTORS:
        out[f"csi_{factor}"] = at(factors[factors["factor"] == factor].set_index(cell), "estimate")
    return out


def _se(rows: pd.DataFrame) -> pd.Series:
    """Standard error of a score from its 95% interval."""
    return (rows["upper_95"] - rows["lower_95"]) / (2 * _Z95)


def _red_flags(cells: _Cells, flags: pd.DataFrame | None) -> np.ndarray:
    if flags is None or flags.empty:
        return np.zeros(len(cells.index))
    return cells.count(flags["client_id"], _between(flags["held_at"], cells.grid.start, cells.grid.as_of))


def _funnel(cells: _Cells, requests: pd.DataFrame, submissions: pd.DataFrame) -> pd.DataFrame:
    """North star and share filled within 30 days of the requests of each row's last year."""
    grid = cells.grid
    out = pd.DataFrame({"north_star": np.nan, "fill_within_30": np.nan}, index=cells.index)
    recent = _between(requests["opened_at"], grid.start_before(LOOKBACK_QUARTERS - 1), grid.as_of)
    recent &= cells.alive(requests["client_id"])
    if not recent.any():
        return out
    requests = requests[recent.any(axis=1)].reset_index(drop=True)
    recent = recent[recent.any(axis=1)]
    submissions = submissions[submissions["request_id"].isin(requests["request_id"])]
    # a stage reached by an earlier day is reached by the last one at the same time, so the stage
    # times as of the last quarter's end say what each quarter had seen
    stages = funnel.stage_times(requests, submissions, as_of=pd.Timestamp(grid.as_of.max()))
    pair = pd.Index(requests["request_id"]).get_indexer(stages["request_id"])
    owner = requests["client_id"].to_numpy()[pair]
    shown = cells.count(owner, recent[pair] & (_stamps(stages["shown_at"])[:, None] <= grid.as_of))
    approved = cells.count(owner, recent[pair] & (_stamps(stages["approved_at"])[:, None] <= grid.as_of))
    out["north_star"] = np.where(shown > 0, approved / np.where(shown > 0, shown, 1.0), np.nan)
    # a request is filled at its first specialist's start: no other stage moves its time to fill
    starts = submissions[submissions["stage"] == "started"]
    out["fill_within_30"] = _fill_within_30(cells, requests, starts, recent)
    return out


def _fill_within_30(cells: _Cells, requests, starts, recent: np.ndarray) -> np.ndarray:
    """Share of each row's recent requests filled within 30 days (cumulative incidence, cancelling competing).

    The durations are those of :func:`~outstaff_analysis.funnel.fill_durations` as of each quarter's
    end (from the ``started`` submissions); the incidences of every quarter and client come from
    one call.  A quarter in which none of the recent requests was filled has no share filled (NaN),
    as ``funnel.time_to_fill`` says.
    """
    frames = []
    for k in range(cells.grid.size):
        window = requests[recent[:, k]]
        if len(window):
            durations = funnel.fill_durations(window, starts, as_of=pd.Timestamp(cells.grid.as_of[k]),
                                              by=("client_id",))
            frames.append(durations.assign(_k=k))
    durations = pd.concat(frames, ignore_index=True)
    frame = durations.assign(duration_days=durations["duration"], entry_days=0.0,
                             event=durations["outcome"].notna())
    incidence = survival.cumulative_incidence(frame, causes="outcome", times=(30,), by=["_k", "client_id"],
                                              settings=DEFAULT_SETTINGS.replace(min_at_risk=0))
    filled = incidence[incidence["cause"] == "reached"].set_index(["_k", "client_id"])["estimate"]
    any_filled = frame[frame["outcome"] == "reached"].groupby("_k").size().reindex(range(cells.grid.size))
    share = filled.reindex(pd.MultiIndex.from_arrays([cells.quarter, cells.clients[cells.client]])).to_numpy()
    return np.where(any_filled.notna().to_numpy()[cells.quarter], share, np.nan)


def _sla(cells: _Cells, events: pd.DataFrame | None, settings) -> pd.DataFrame:
    """SLA events opened in each row's quarter, judged as of its end, and those outside the target."""
    out = pd.DataFrame({"sla_events": 0.0, "sla_breaches": 0.0}, index=cells.index)
    if events is None or events.empty:
        return out
    grid = cells.grid
    now = _between(events["opened_at"], grid.start, grid.as_of) & cells.alive(events["client_id"])
    judged = []
    for k in range(grid.size):
        if now[:, k].any():
            status = sla.sla_elapsed(events[now[:, k]], as_of=pd.Timestamp(grid.as_of[k]), settings=settings)
            judged.append(status[["client_id", "status"]].assign(_k=k))
    if not judged:
        return out
    judged = pd.concat(judged, ignore_index=True)
    in_quarter = judged["_k"].to_numpy()[:, None] == np.arange(grid.size)
    status = judged["status"].to_numpy()[:, None]
    out["sla_events"] = cells.count(judged["client_id"], in_quarter & (status != "pending"))
    out["sla_breaches"] = cells.count(judged["client_id"], in_quarter & (status == "breach"))
    return out


def _interviews(cells: _Cells, interviews: pd.DataFrame | None) -> pd.DataFrame:
    out = pd.DataFrame({"interviews": 0.0, "days_since_interview": np.nan}, index=cells.index)
    if interviews is None or interviews.empty:
        return out
    grid, client = cells.grid, interviews["client_id"]
    out["interviews"] = cells.count(client, _between(interviews["held_at"], grid.start, grid.as_of))
    last = cells.latest(client, interviews["held_at"], _between(interviews["held_at"], upper=grid.as_of))
    out["days_since_interview"] = cells.days_to_end(last.dt.normalize())
    return out
