"""The client quarterly report, section by section: each function displays one section.

The template ``notebooks/reports/client_quarterly.ipynb`` calls :func:`build` once and then one
function per cell, so the notebook holds no logic and every word comes from the locale files.
"""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
from IPython.display import display

from ..exceptions import InsufficientDataWarning
from ..i18n import fmt_date, label
from ..periods import quarter_bounds
from ..plotting.csi import plot_factor_scores
from ..plotting.funnel import plot_funnel, plot_north_star_trend
from ..plotting.sla import plot_sla_compliance
from ..plotting.survival import plot_km
from . import display as show
from .client import ClientReportData, client_report_data
from .inputs import load_inputs
from .params import ReportParams


def setup() -> None:
    """Prepare a report kernel: no analyst warnings on the page (the plots bring their own style).

    Figures that rest on too little data already say so where they are shown, so the
    :class:`InsufficientDataWarning` meant for interactive use would only clutter a report.
    """
    warnings.filterwarnings("ignore", category=InsufficientDataWarning)


def build(params: ReportParams) -> ClientReportData:
    """Load the data directory as of the quarter's end and build the client's report data."""
    inputs = load_inputs(params.data_dir, as_of=params.quarter, client_ids=[params.client_id])
    return client_report_data(inputs, params.client_id, params.quarter, lang=params.lang)


def header(data: ClientReportData) -> None:
    """Page style, title and the line saying what the report covers."""
    lang = data.lang
    start, end = quarter_bounds(data.quarter)
    subtitle = label("report.client_subtitle", lang, start=fmt_date(start, lang), end=fmt_date(end, lang),
                     manager=data.client.get("account_manager") or "—")
    display(show.page_style(), show.header(label("report.client_title", lang, client=data.client["client_name"],
                                                 quarter=data.quarter), subtitle))


def kpis(data: ClientReportData) -> None:
    """Headline KPIs against their targets."""
    display(show.section("kpis", data.lang), show.kpi_cards(data.kpis, data.lang))


def team(data: ClientReportData) -> None:
    """Who is on the project, and how long placements last against the firm's curve."""
    lang = data.lang
    display(show.section("team", lang, n=len(data.team)))
    if data.team.empty:
        display(show.note(label("report.no_team", lang)))
    else:
        frame = data.team.assign(
            role=data.team["role"].map(lambda v: label(f"report.role_{v}", lang)),
            grade=data.team["grade"].map(lambda v: label(f"report.grade_{v}", lang)),
        )
        shown = ("full_name", "role", "grade", "stack", "started_at", "tenure_months")
        display(show.table(frame, {c: label(f"report.col_{c}", lang) for c in shown}, lang))
    if len(data.tenure_curve):
        name = data.client["client_name"]
        plot_km(data.tenure_curve.assign(client=name), hue="client", at_risk=data.at_risk.assign(client=name),
                benchmark=data.benchmark_curve, lang=lang)
        plt.show()


def staffing(data: ClientReportData) -> None:
    """This quarter's funnel and the north star over the last quarters."""
    lang = data.lang
    display(show.section("funnel", lang))
    if data.funnel_quarter.empty or data.funnel_quarter["shown"].sum() == 0:
        display(show.note(label("report.no_funnel", lang)))
    else:
        plot_funnel(data.funnel_quarter, lang=lang)
        plt.show()
    if len(data.north_star):
        plot_north_star_trend(data.north_star, target=data.kpis.set_index("kpi").loc["north_star", "target"],
                              lang=lang)
        plt.show()


def service(data: ClientReportData) -> None:
    """SLA compliance this quarter against the previous one."""
    lang = data.lang
    display(show.section("sla", lang))
    if data.sla_quarters.empty:
        display(show.note(label("report.no_events_quarter", lang)))
        return
    plot_sla_compliance(data.sla_quarters, hue="period", target=data.kpis["target"].iloc[0], lang=lang)
    plt.show()


def satisfaction(data: ClientReportData) -> None:
    """CSI by factor with what the client said."""
    lang = data.lang
    display(show.section("csi", lang))
    current = data.csi_scores[data.csi_scores["quarter"] == data.quarter]
    if current.empty:
        display(show.note(label("report.no_interviews", lang)))
        return
    plot_factor_scores(data.csi_scores, quarter=data.quarter, lang=lang)
    plt.show()
    if len(data.ratings):
        said = ", ".join(f"«{q}»" for q in data.ratings["quote"])
        display(show.note(label("report.spoken_ratings", lang, ratings=said)))
    if len(data.quotes):
        display(show.quotes(data.quotes, lang))


def next_quarter(data: ClientReportData) -> None:
    """What changes next quarter."""
    display(show.section("next", data.lang), show.bullets(data.actions))
