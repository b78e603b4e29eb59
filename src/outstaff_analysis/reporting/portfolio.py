"""ReportData of the internal portfolio report: every client's risk, the funnel by quarter, survival.

The portfolio report is for the firm only: it ranks clients to call first, shows the staffing
funnel's quarterly dynamics and how long placements and accounts last by segment, grade and stack.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from .. import funnel, sla, survival
from ..health.points import churn_risk
from ..i18n import in_language
from ..periods import parse_quarter, quarter_bounds
from ..stats import wilson_ci
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
        """The clients to call first: high and medium risk, at most ten."""
        return self.risk[self.risk["risk"] != "low"].head(CALL_FIRST)


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
    signals = client_signals(inputs, tenure, quarter, history)
    clients = tables["clients"].reindex(columns=["client_id", "client_name", "client_name_latin", "segment"])
    clients["client_name"] = [in_language(n, lang, latin=latin)
                              for n, latin in zip(clients["client_name"], clients["client_name_latin"])]
    risk = churn_risk(signals, settings=settings).merge(clients.drop(columns="client_name_latin"), on="client_id",
                                                        how="left")
    scores = inputs.csi.client_quarters
    top = risk.head(5)["client_id"]
    return PortfolioReportData(
        quarter=quarter, lang=lang, as_of=as_of, window_start=settings.data_window_start, risk=risk,
        csi_trend=scores[scores["client_id"].isin(top) & scores["quarter"].isin(history)].reset_index(drop=True),
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


def client_signals(inputs: ReportInputs, tenure: pd.DataFrame, quarter: str, history: list[str]) -> pd.DataFrame:
    """Per-client churn-risk signals of :func:`outstaff_analysis.health.points.churn_risk` for ``quarter``.

    Only clients with a placement active at the quarter's start or later are scored.
    """
    tables, settings, as_of = inputs.tables, inputs.settings, inputs.as_of
    start, _ = quarter_bounds(quarter)
    present = tenure[tenure["ended_at"].isna() | (tenure["ended_at"] >= start)]
    at_start = present[present["started_at"] < start]
    ended = at_start.groupby("client_id")["event"].agg(["sum", "size"])
    frame = pd.DataFrame({"client_id": sorted(set(present["client_id"]))})

    scores = inputs.csi.client_quarters
    recent = history[-4:]  # the last year: a score from two years ago is not today's signal
    overall = scores[(scores["factor"] == "csi") & scores["estimate"].notna() & scores["quarter"].isin(recent)]
    overall = overall.sort_values("quarter")
    latest = overall.groupby("client_id").tail(1).set_index("client_id")["estimate"]
    previous = overall.groupby("client_id")["estimate"].apply(lambda s: s.iloc[-1] - s.iloc[-2] if len(s) > 1 else np.nan)

    flags = inputs.red_flags[inputs.red_flags["quarter"] == quarter].groupby("client_id").size()
    compliance = sla.sla_compliance(tables["sla_events"], as_of=as_of, by=("client_id",), freq="quarter",
                                    settings=settings)
    compliance = compliance[compliance["period"] == quarter].groupby("client_id")[["n_within", "n_events"]].sum()
    counts = funnel.funnel_counts(tables["requests"], tables["submissions"], as_of=as_of, by=("client_id",))
    recent = counts[counts["period"].isin(history[-4:])]
    pooled = recent.groupby("client_id")[["approved", "shown"]].sum()
    firm = pooled["approved"].sum() / max(pooled["shown"].sum(), 1)

    ids = frame["client_id"]
    return frame.assign(
        csi=ids.map(latest),
        csi_change=ids.map(previous),
        red_flags=ids.map(flags).fillna(0).astype(int),
        sla_share=ids.map(compliance["n_within"] / compliance["n_events"].replace(0, np.nan)),
        sla_upper_95=ids.map(pd.Series(wilson_ci(compliance["n_within"], compliance["n_events"])[1],
                                       index=compliance.index)),
        ended_share=ids.map(ended["sum"] / ended["size"]),
        north_star=ids.map(pooled["approved"] / pooled["shown"].replace(0, np.nan)),
        firm_north_star=firm,
        active_placements=ids.map(present[present["ended_at"].isna()].groupby("client_id").size()).fillna(0).astype(int),
    )
