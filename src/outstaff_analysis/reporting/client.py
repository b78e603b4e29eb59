"""ReportData of one client-quarter: tidy frames and texts, nothing drawn yet.

Every frame here holds this client's rows only; the firm appears solely as aggregate benchmarks
(its survival curve, its averages and its time-to-fill curve), never as another client's data.
The numbers come from :func:`outstaff_analysis.kpis.client_kpis`; this module only selects and
words them.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from .. import funnel, sla, survival
from ..config import Settings
from ..csi import top_quotes
from ..funnel.open_requests import open_requests
from ..i18n import in_language
from ..kpis import client_kpis, measured_vs_said
from ..periods import parse_quarter, quarter_bounds
from .actions import commitments, review
from .definitions import client_definitions
from .firm_context import FirmContext, compute_firm_context
from .inputs import ReportInputs, settings_source
from .kpi_text import kpi_texts
from .summary import executive_summary

HISTORY_QUARTERS = 8
"""Quarters of history shown in trend charts."""

AT_RISK_DAYS = (0, 182, 365, 730, 1096, 1461)
"""Times of the at-risk table under the team's curve (0, 6, 12, 24, 36, 48 months): spaced so the
counts stay apart on a phone; those past the client's longest placement are left out."""


@dataclasses.dataclass(frozen=True)
class ClientReportData:
    """Everything the client quarterly report shows.

    ``client_name`` and ``manager`` are written in the report's language; ``kpis`` is the numeric
    KPI frame with its texts (:func:`~.kpi_text.kpi_texts`).
    """

    client: dict
    client_name: str
    manager: str
    quarter: str
    lang: str
    settings: Settings
    as_of: pd.Timestamp
    window_start: object
    kpis: pd.DataFrame
    summary: list[str]
    team: pd.DataFrame
    tenure_curve: pd.DataFrame
    benchmark_curve: pd.DataFrame
    at_risk: pd.DataFrame
    funnel_quarter: pd.DataFrame
    north_star: pd.DataFrame
    open_requests: pd.DataFrame
    sla_quarters: pd.DataFrame
    csi_scores: pd.DataFrame
    quotes: pd.DataFrame
    ratings: pd.DataFrame
    red_flags: pd.DataFrame
    measured_vs_said: pd.DataFrame
    actions: pd.DataFrame
    previous_actions: pd.DataFrame
    definitions: pd.DataFrame


def client_report_data(inputs: ReportInputs, client_id: str, quarter: str, *, lang: str,
                       firm: FirmContext | None = None) -> ClientReportData:
    """Build the data of one client's quarterly report.

    Parameters
    ----------
    inputs : ReportInputs
        Loaded with ``as_of`` = the quarter's last day.
    client_id : str
        The client.
    quarter : str
        ``YYYYQn``.
    lang : {"ru", "en"}
    firm : FirmContext, optional
        The firm's figures of the quarter (:func:`.firm_context.firm_context`, cached); computed
        here when not given.

    Raises
    ------
    ValueError
        If the client is not in the clients table.
    """
    tables, settings, as_of = inputs.tables, inputs.settings, inputs.as_of
    clients = tables["clients"]
    if client_id not in set(clients["client_id"]):
        raise ValueError(f"The value for `client_id` must be a client of the clients table, but {client_id!r} was passed")
    quarter = str(parse_quarter(quarter))
    previous = str(parse_quarter(quarter) - 1)
    client = clients[clients["client_id"] == client_id].iloc[0].to_dict()
    history = [str(p) for p in pd.period_range(end=parse_quarter(quarter), periods=HISTORY_QUARTERS, freq="Q")]

    firm = compute_firm_context(inputs, quarter) if firm is None else firm
    placements = tables["placements"]
    own = survival.tenure_frame(placements[placements["client_id"] == client_id], as_of=as_of, settings=settings,
                                clients=clients, specialists=tables["specialists"])
    requests = tables["requests"]
    own_requests = requests[requests["client_id"] == client_id]
    counts = funnel.funnel_counts(own_requests, tables["submissions"], as_of=as_of, by=("client_id",))
    rates = funnel.funnel_rates(counts)
    north_star = rates[(rates["rate"] == funnel.NORTH_STAR) & rates["period"].isin(history)].reset_index(drop=True)
    events = tables["sla_events"]
    sla_all = sla.sla_compliance(events[events["client_id"] == client_id], as_of=as_of, settings=settings)
    sla_quarters = sla_all[sla_all["period"].isin(history[-2:])].reset_index(drop=True)

    scores = inputs.csi.client_quarters
    csi_scores = scores[(scores["client_id"] == client_id) & scores["quarter"].isin(history)].reset_index(drop=True)
    evidence = inputs.csi.evidence
    quarter_evidence = evidence[(evidence["client_id"] == client_id)
                                & (evidence["held_at"].dt.to_period("Q").astype(str) == quarter)]
    ratings = _rows(inputs.ratings, client_id=client_id, quarter=quarter)
    red_flags = _rows(inputs.red_flags, client_id=client_id, quarter=quarter)
    factors = csi_scores[csi_scores["quarter"] == quarter]

    numbers = client_kpis(tables, scores, client_id, quarter, settings=settings, firm=firm.averages)
    if inputs.transcript_clients is not None:  # only these clients' interviews were scored: no firm CSI to compare
        numbers.loc[numbers["kpi"] == "csi", "firm_average"] = float("nan")
    kpis = kpi_texts(numbers, quarter=quarter, settings=settings, lang=lang)
    actions = commitments(numbers, factors, red_flags, settings=settings, lang=lang)
    earlier = commitments(numbers, csi_scores[csi_scores["quarter"] == previous],
                          _rows(inputs.red_flags, client_id=client_id, quarter=previous),
                          settings=settings, lang=lang, values="previous")
    year_ago = quarter_bounds(history[-4])[0]
    return ClientReportData(
        client=client, quarter=quarter, lang=lang, settings=settings, as_of=as_of, window_start=settings.data_window_start, kpis=kpis,
        client_name=in_language(client["client_name"], lang, latin=client.get("client_name_latin")),
        manager=in_language(client.get("account_manager"), lang, latin=client.get("account_manager_latin")),
        summary=executive_summary(kpis, factors, actions, quarter=quarter, lang=lang),
        team=_team(own, tables["specialists"], as_of, lang),
        tenure_curve=survival.km_curve(own),
        benchmark_curve=firm.tenure_curve,
        at_risk=survival.at_risk_table(own, times=[t for t in AT_RISK_DAYS
                                                   if t == 0 or t <= own["duration_days"].max()]),
        funnel_quarter=counts[counts["period"] == quarter].reset_index(drop=True),
        north_star=north_star,
        open_requests=open_requests(own_requests, tables["submissions"], as_of=as_of,
                                    reference=requests[requests["opened_at"] >= year_ago], settings=settings),
        sla_quarters=sla_quarters, csi_scores=csi_scores,
        quotes=top_quotes(quarter_evidence), ratings=ratings, red_flags=red_flags,
        measured_vs_said=measured_vs_said(numbers, factors, settings=settings),
        actions=actions,
        previous_actions=review(earlier, numbers, factors, red_flags, settings=settings, lang=lang),
        definitions=client_definitions(numbers, quarter=quarter, as_of=as_of, settings=settings,
                                       settings_file=settings_source(inputs), lang=lang),
    )


def _rows(frame: pd.DataFrame, **where) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    return frame[mask].reset_index(drop=True)


def _team(own: pd.DataFrame, specialists: pd.DataFrame, as_of, lang: str) -> pd.DataFrame:
    active = own[~own["event"]]
    names = specialists.reindex(columns=["specialist_id", "full_name", "full_name_latin"])
    team = active.merge(names, on="specialist_id", how="left")
    team = team.assign(tenure_months=(as_of.normalize() - team["started_at"]).dt.days / survival.DAYS_PER_MONTH,
                       full_name=[in_language(n, lang, latin=latin)
                                  for n, latin in zip(team["full_name"], team["full_name_latin"])])
    columns = ["specialist_id", "full_name", "role", "grade", "stack", "started_at", "tenure_months"]
    return team.sort_values("started_at")[columns].reset_index(drop=True)
