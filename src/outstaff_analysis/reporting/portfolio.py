"""ReportData of the internal portfolio report: every client's churn risk, the funnel by quarter, survival.

The portfolio report is for the firm only: it ranks clients to call first, shows the staffing
funnel's quarterly dynamics and how long placements and accounts last by segment, grade and stack.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from .. import funnel, survival
from ..health import AccountHealth, account_health
from ..i18n import in_language
from ..periods import parse_quarter
from .definitions import portfolio_definitions
from .inputs import ReportInputs, settings_source

HISTORY_QUARTERS = 8
SURVIVAL_GROUPS = ("segment", "grade", "stack")
CALL_FIRST = 10


@dataclasses.dataclass(frozen=True)
class PortfolioReportData:
    """Everything the portfolio report shows."""

    quarter: str
    lang: str
    as_of: pd.Timestamp
    window_start: object
    risk: pd.DataFrame
    health: AccountHealth
    csi_trend: pd.DataFrame
    funnel_counts: pd.DataFrame
    north_star: pd.DataFrame
    share_closed: pd.DataFrame
    hazard: pd.DataFrame
    survival_by_group: pd.DataFrame
    km_by_grade: pd.DataFrame
    incidence: pd.DataFrame
    account_curve: pd.DataFrame
    ltv: pd.DataFrame
    definitions: pd.DataFrame
    north_star_target: float

    @property
    def call_first(self) -> pd.DataFrame:
        """The clients to call first: not in good health, by expected revenue lost, at most ten."""
        return self.risk[self.risk["status"] != "good"].head(CALL_FIRST).reset_index(drop=True)


def portfolio_report_data(inputs: ReportInputs, quarter: str, *, lang: str) -> PortfolioReportData:
    """Build the portfolio report's data for ``quarter`` (inputs loaded as of its last day)."""
    tables, settings, as_of = inputs.tables, inputs.settings, inputs.as_of
    quarter = str(parse_quarter(quarter))
    history = [str(p) for p in pd.period_range(end=parse_quarter(quarter), periods=HISTORY_QUARTERS, freq="Q")]
    tenure = survival.tenure_frame(tables["placements"], as_of=as_of, settings=settings, clients=tables["clients"],
                                   specialists=tables["specialists"])
    counts = funnel.funnel_counts(tables["requests"], tables["submissions"], as_of=as_of, by=())
    rates = funnel.funnel_rates(counts)
    north_star = rates[(rates["rate"] == funnel.NORTH_STAR) & rates["period"].isin(history)].reset_index(drop=True)
    accounts = survival.account_lives(tables["placements"], as_of=as_of, settings=settings, clients=tables["clients"])
    # the lifetime is estimated on every account life, churned or not (active accounts alone would
    # show no churn at all); LTV is that of an account of each segment, with a bootstrap interval
    ltv = survival.account_ltv(accounts, survival.monthly_revenue(tables["placements"], as_of=as_of),
                               by="segment", settings=settings)
    health = account_health(tables, as_of=quarter, csi_scores=inputs.csi.client_quarters,
                            red_flags=inputs.red_flags, settings=settings)
    risk = health_table(health, tables["clients"], lang=lang)
    scores = inputs.csi.client_quarters
    top = risk.head(5)["client_id"]
    return PortfolioReportData(
        quarter=quarter, lang=lang, as_of=as_of, window_start=settings.data_window_start, risk=risk, health=health,
        csi_trend=scores[scores["client_id"].isin(top) & scores["quarter"].isin(history)].merge(
            risk[["client_id", "client_name"]], on="client_id", how="left"),
        funnel_counts=counts[counts["period"].isin(history)].reset_index(drop=True),
        north_star=north_star,
        share_closed=funnel.share_closed(tables["requests"], as_of=as_of, settings=settings).query(
            "period in @history").reset_index(drop=True),
        hazard=survival.hazard_bands(tenure, settings=settings),
        survival_by_group=pd.concat(
            [survival.survival_at(tenure, by=g, settings=settings).rename(columns={g: "group"}).assign(by=g)
             for g in SURVIVAL_GROUPS], ignore_index=True),
        km_by_grade=survival.km_curve(tenure, by="grade"),
        incidence=survival.cumulative_incidence(tenure, causes="reason_group", settings=settings),
        account_curve=survival.km_curve(accounts, by="segment"),
        ltv=ltv,
        definitions=portfolio_definitions(as_of=as_of, settings=settings, settings_file=settings_source(inputs),
                                          lang=lang),
        north_star_target=settings.north_star_target,
    )


def health_table(health: AccountHealth, clients: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """Every client's health (riskiest revenue first) with its name, segment and manager and the
    portfolio table's signals: ``active_placements`` and ``sla_share`` (share of this quarter's SLA
    events within target)."""
    current = health.current
    events = current["sla_events"].where(current["sla_events"] > 0)
    out = current.assign(active_placements=current["headcount"].astype(int),
                         sla_share=1.0 - current["sla_breaches"] / events)
    named = clients.reindex(columns=["client_id", "client_name", "client_name_latin", "segment", "account_manager"])
    named["client_name"] = [in_language(name, lang, latin=latin)
                            for name, latin in zip(named["client_name"], named.pop("client_name_latin"))]
    return out.merge(named, on="client_id", how="left")
