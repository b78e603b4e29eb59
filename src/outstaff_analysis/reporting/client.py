"""ReportData of one client-quarter: tidy frames and KPIs, nothing drawn yet.

Every frame here holds this client's rows only; the firm appears solely as aggregate benchmarks
(its survival curve, its funnel rate and time to fill), never as another client's data.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd

from .. import funnel, sla, survival
from ..csi import top_quotes
from ..i18n import fmt_number, fmt_percent, label
from ..periods import parse_quarter, quarter_bounds
from .actions import next_quarter_actions
from .inputs import ReportInputs
from .kpis import kpi_frame, rate_kpi, sla_kpis

HISTORY_QUARTERS = 8
"""Quarters of history shown in trend charts."""

AT_RISK_DAYS = (0, 91, 182, 365, 730)


@dataclasses.dataclass(frozen=True)
class ClientReportData:
    """Everything the client quarterly report shows."""

    client: dict
    quarter: str
    lang: str
    kpis: pd.DataFrame
    team: pd.DataFrame
    tenure_curve: pd.DataFrame
    benchmark_curve: pd.DataFrame
    at_risk: pd.DataFrame
    funnel_quarter: pd.DataFrame
    north_star: pd.DataFrame
    sla_quarters: pd.DataFrame
    csi_scores: pd.DataFrame
    quotes: pd.DataFrame
    ratings: pd.DataFrame
    red_flags: pd.DataFrame
    actions: list[str]


def client_report_data(inputs: ReportInputs, client_id: str, quarter: str, *, lang: str) -> ClientReportData:
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
    client = clients[clients["client_id"] == client_id].iloc[0].to_dict()
    history = [str(p) for p in pd.period_range(end=parse_quarter(quarter), periods=HISTORY_QUARTERS, freq="Q")]

    tenure = survival.tenure_frame(tables["placements"], as_of=as_of, settings=settings, clients=clients,
                                   specialists=tables["specialists"])
    own = tenure[tenure["client_id"] == client_id]
    firm_survival = survival.survival_at(tenure, settings=settings)
    own_survival = survival.survival_at(own, settings=settings) if len(own) else None

    requests = tables["requests"]
    own_requests = requests[requests["client_id"] == client_id]
    counts = funnel.funnel_counts(own_requests, tables["submissions"], as_of=as_of, by=("client_id",))
    rates = funnel.funnel_rates(counts)
    north_star = rates[(rates["rate"] == funnel.NORTH_STAR) & rates["period"].isin(history)].reset_index(drop=True)
    firm_rates = funnel.funnel_rates(funnel.funnel_counts(requests, tables["submissions"], as_of=as_of, by=()))
    firm_ns = firm_rates[(firm_rates["rate"] == funnel.NORTH_STAR) & (firm_rates["period"] == quarter)]

    year_ago = quarter_bounds(history[-4])[0]
    fill_own = _median_fill(own_requests[own_requests["opened_at"] >= year_ago], tables, as_of, settings)
    fill_firm = _median_fill(requests[requests["opened_at"] >= year_ago], tables, as_of, settings)

    events = tables["sla_events"]
    sla_all = sla.sla_compliance(events[events["client_id"] == client_id], as_of=as_of, settings=settings)
    sla_quarters = sla_all[sla_all["period"].isin(history[-2:])].reset_index(drop=True)

    scores = inputs.csi.client_quarters
    csi_scores = scores[(scores["client_id"] == client_id) & scores["quarter"].isin(history)].reset_index(drop=True)
    evidence = inputs.csi.evidence
    quarter_evidence = evidence[(evidence["client_id"] == client_id)
                                & (evidence["held_at"].dt.to_period("Q").astype(str) == quarter)]
    in_quarter = {"client_id": client_id, "quarter": quarter}
    ratings = _rows(inputs.ratings, **in_quarter)
    red_flags = _rows(inputs.red_flags, **in_quarter)

    kpis = kpi_frame(
        sla_kpis(sla_quarters[sla_quarters["period"] == quarter], settings=settings, lang=lang)
        + [
            rate_kpi("north_star", _one(north_star[north_star["period"] == quarter]),
                     _value(firm_ns), lang=lang,
                     target_text=label("report.north_star_target", lang,
                                       target=fmt_number(settings.north_star_target, lang, digits=1),
                                       firm=fmt_number(_value(firm_ns), lang, digits=2)),
                     value_text=fmt_number(_value(north_star[north_star["period"] == quarter]), lang, digits=2)),
            rate_kpi("time_to_fill", fill_own, _value(fill_firm), lang=lang, higher_is_better=False,
                     target_text=label("report.firm_days", lang, days=fmt_number(_value(fill_firm), lang)),
                     value_text=label("report.days", lang, days=fmt_number(_value(fill_own), lang))),
            rate_kpi("retention_6m", _at(own_survival, 182), _value(_at(firm_survival, 182)), lang=lang,
                     target_text=label("report.firm_share", lang,
                                       share=fmt_percent(_value(_at(firm_survival, 182)), lang))),
            _csi_kpi(csi_scores, quarter, settings, lang),
        ]
    )
    team = _team(own, tables["specialists"], as_of)
    return ClientReportData(
        client=client, quarter=quarter, lang=lang, kpis=kpis, team=team,
        tenure_curve=survival.km_curve(own) if len(own) else survival.km_curve(own.iloc[:0]),
        benchmark_curve=survival.km_curve(tenure),
        at_risk=survival.at_risk_table(own, times=AT_RISK_DAYS),
        funnel_quarter=counts[counts["period"] == quarter].reset_index(drop=True),
        north_star=north_star, sla_quarters=sla_quarters, csi_scores=csi_scores,
        quotes=top_quotes(quarter_evidence), ratings=ratings, red_flags=red_flags,
        actions=next_quarter_actions(kpis, csi_scores[csi_scores["quarter"] == quarter], red_flags, lang=lang),
    )


def _rows(frame: pd.DataFrame, **where) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    return frame[mask].reset_index(drop=True)


def _one(frame: pd.DataFrame):
    return frame.iloc[0] if len(frame) else None


def _value(frame) -> float:
    if frame is None:
        return math.nan
    if isinstance(frame, pd.Series):
        return float(frame["estimate"])
    return float(frame["estimate"].iloc[0]) if len(frame) else math.nan


def _at(survival_rows: pd.DataFrame | None, days: int):
    if survival_rows is None:
        return None
    return _one(survival_rows[survival_rows["time_days"] == days])


def _median_fill(requests, tables, as_of, settings):
    stats = funnel.time_to_fill(requests, tables["submissions"], as_of=as_of, settings=settings)
    return _one(stats[stats["statistic"] == "median_days"])


def _csi_kpi(scores: pd.DataFrame, quarter: str, settings, lang: str) -> dict:
    overall = scores[scores["factor"] == "csi"]
    now = _one(overall[overall["quarter"] == quarter])
    before = overall[(overall["quarter"] < quarter) & overall["estimate"].notna()]
    previous = _value(before.iloc[[-1]]) if len(before) else math.nan
    poor, good = settings.csi_bands
    row = rate_kpi("csi", now, good, lang=lang,
                   target_text=label("report.csi_target", lang, good=fmt_number(good, lang),
                                     previous=fmt_number(previous, lang)),
                   value_text=fmt_number(_value(now), lang))
    if row["status"] != "none" and row["upper_95"] < poor:
        row["status"] = "bad"
    return row


def _team(own: pd.DataFrame, specialists: pd.DataFrame, as_of) -> pd.DataFrame:
    active = own[~own["event"]]
    team = active.merge(specialists[["specialist_id", "full_name"]], on="specialist_id", how="left")
    team = team.assign(tenure_months=(as_of.normalize() - team["started_at"]).dt.days / survival.DAYS_PER_MONTH)
    columns = ["specialist_id", "full_name", "role", "grade", "stack", "started_at", "tenure_months"]
    return team.sort_values("started_at")[columns].reset_index(drop=True)
