"""The client quarterly report, section by section: each function displays one section.

The template ``reporting/notebooks/client_quarterly.ipynb`` validates its parameters, calls
:func:`build` once and then one function per cell, so the notebook holds no logic and every word
comes from the locale files.
"""

from __future__ import annotations

import warnings

import pandas as pd
from IPython.display import display

from ..exceptions import InsufficientDataWarning
from ..i18n import LANGS, fmt_date, fmt_number, in_language, label, quoted
from ..periods import parse_quarter, quarter_bounds
from ..plotting.csi import plot_factor_scores
from ..plotting.funnel import plot_funnel, plot_north_star_trend
from ..plotting.sla import plot_sla_compliance
from ..plotting.survival import plot_km
from . import display as show
from .client import ClientReportData, client_report_data
from .firm_context import firm_context
from .inputs import load_inputs
from .kpi_text import kpi_name
from .params import ReportParams


def setup() -> None:
    """Prepare a report kernel: no analyst warnings on the page (the plots bring their own style).

    Figures that rest on too little data already say so where they are shown, so the
    :class:`InsufficientDataWarning` meant for interactive use would only clutter a report.
    """
    warnings.filterwarnings("ignore", category=InsufficientDataWarning)


def build(params: ReportParams) -> ClientReportData:
    """Prepare the kernel, load the data directory as of the quarter's end and build the client's report data."""
    setup()
    inputs = load_inputs(params.data_dir, as_of=params.quarter, client_ids=[params.client_id])
    return client_report_data(inputs, params.client_id, params.quarter, lang=params.lang,
                              firm=firm_context(inputs, params.quarter))


def header(data: ClientReportData) -> None:
    """Title and the line saying what the report covers."""
    lang = data.lang
    start, end = quarter_bounds(data.quarter)
    subtitle = label("report.client_subtitle", lang, start=fmt_date(start, lang), end=fmt_date(end, lang),
                     manager=data.manager)
    display(show.header(label("report.client_title", lang, client=data.client_name, quarter=data.quarter),
                        subtitle))


def summary(data: ClientReportData) -> None:
    """The executive summary: what improved, what slipped, what we do about it."""
    display(show.heading(label("summary.section", data.lang)), show.paragraphs(data.summary))


def last_commitments(data: ClientReportData) -> None:
    """Last quarter's commitments and whether each target was met this quarter."""
    lang = data.lang
    previous = str(parse_quarter(data.quarter) - 1)
    display(show.heading(label("commitments.section_review", lang),
                         label("commitments.lead_review", lang, quarter=previous)))
    if data.previous_actions.empty:
        display(show.note(label("commitments.nothing_promised", lang, quarter=previous)))
        return
    rows = data.previous_actions.assign(
        commitment=data.previous_actions["evidence"] + " " + data.previous_actions["text"],
        result=data.previous_actions["met"].map(lambda s: label(f"commitments.met_{s}", lang)))
    columns = {"commitment": label("report.col_commitment", lang), "owner": label("report.col_owner", lang),
               "result": label("report.col_result", lang), "now": label("report.col_now", lang)}
    display(show.table(rows, columns, lang, status_column="met"))


def kpis(data: ClientReportData) -> None:
    """Headline KPIs against their targets, with intervals and the change since last quarter."""
    display(show.heading(label("report.section_kpis", data.lang), label("kpi.lead", data.lang)),
            show.kpi_cards(data.kpis))


def verdict_key(measured: str, said: str) -> str:
    """``agree`` only when both sides are clearly good or clearly bad, ``disagree`` when one is good and the
    other bad, else ``open`` (no data or too few to judge on either side)."""
    if {measured, said} == {"good", "bad"}:
        return "disagree"
    return "agree" if measured == said and said in ("good", "bad") else "open"


def measured_vs_said(data: ClientReportData) -> None:
    """Delivery side against client side, factor by factor."""
    lang = data.lang
    display(show.section("measured_vs_said", lang))
    names = data.kpis.set_index("kpi")
    frame = data.measured_vs_said

    def measured(row):
        return "; ".join(f"{names.loc[k, 'name']}: {names.loc[k, 'value_text']}" for k in row["kpis"].split(";"))

    def verdict(row):
        return label(f"report.verdict_{verdict_key(row['measured'], row['said'])}", lang)

    rows = frame.assign(
        topic=frame["factor"].map(lambda f: label(f"report.factor_{f}", lang)),
        measured_text=[measured(r) + f" ({label(f'kpi.status_{r.measured}', lang)})" for _, r in frame.iterrows()],
        said_text=[label(f"report.said_{r.said}", lang) + ("" if r.said == "none" else
                                                           f" ({fmt_number(r.said_estimate, lang)})")
                   for r in frame.itertuples()],
        verdict=[verdict(r) for _, r in frame.iterrows()],
        flag=frame["disagree"].map({True: "bad", False: "none"}),
    )
    columns = {"topic": label("report.col_topic", lang), "measured_text": label("report.col_measured", lang),
               "said_text": label("report.col_said", lang), "verdict": label("report.col_verdict", lang)}
    display(show.table(rows, columns, lang, status_column="flag"))


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
        name = label("report.this_client", lang)
        plot_km(data.tenure_curve.assign(client=name), hue="client", at_risk=data.at_risk.assign(client=name),
                benchmark=data.benchmark_curve, lang=lang)
        show.show_figure()


def staffing(data: ClientReportData) -> None:
    """This quarter's funnel and the north star over the last quarters."""
    lang = data.lang
    display(show.section("funnel", lang))
    if data.funnel_quarter.empty or data.funnel_quarter["shown"].sum() == 0:
        display(show.note(label("report.no_funnel", lang)))
    else:
        plot_funnel(data.funnel_quarter, lang=lang)
        show.show_figure()
    if len(data.north_star):
        plot_north_star_trend(data.north_star, target=data.kpis.set_index("kpi").loc["north_star", "target"],
                              lang=lang)
        show.show_figure()


def open_requests(data: ClientReportData) -> None:
    """Each open request with its age, stage and expected start date."""
    lang = data.lang
    display(show.section("open", lang))
    if data.open_requests.empty:
        display(show.note(label("report.no_open", lang)))
        return
    frame = data.open_requests.assign(
        role=data.open_requests["role"].map(lambda v: label(f"report.role_{v}", lang)),
        grade=data.open_requests["grade"].map(lambda v: label(f"report.grade_{v}", lang), na_action="ignore"),
        stage=data.open_requests["stage"].map(lambda v: label(f"report.stage_{v}", lang)),
        age_days=data.open_requests["age_days"].round(),
        expected_fill_at=[label("report.no_expected", lang) if pd.isna(d) else fmt_date(d, lang)
                          for d in data.open_requests["expected_fill_at"]],
    )
    shown = ("role", "grade", "stack", "opened_at", "age_days", "stage", "expected_fill_at")
    display(show.table(frame, {c: label(f"report.col_{c}", lang) for c in shown}, lang, digits=0))


def service(data: ClientReportData) -> None:
    """SLA compliance this quarter against the previous one."""
    lang = data.lang
    display(show.section("sla", lang))
    if data.sla_quarters.empty:
        display(show.note(label("report.no_events_quarter", lang)))
        return
    plot_sla_compliance(data.sla_quarters, hue="period", target=data.kpis["target"].iloc[0], lang=lang)
    show.show_figure()


def satisfaction(data: ClientReportData) -> None:
    """CSI by factor with what the client said."""
    lang = data.lang
    display(show.section("csi", lang))
    current = data.csi_scores[data.csi_scores["quarter"] == data.quarter]
    if current.empty:
        display(show.note(label("report.no_interviews", lang)))
        return
    plot_factor_scores(data.csi_scores, quarter=data.quarter, lang=lang)
    show.show_figure()
    if len(data.ratings):
        said = ", ".join(quoted(q, lang) for q in data.ratings["quote"])
        display(show.note(label("report.spoken_ratings", lang, ratings=said)))
    if len(data.quotes):
        speakers = {s: in_language(s, lang) for s in data.quotes["speaker"].unique()}
        display(show.quotes(data.quotes, lang, speakers=speakers))


def next_quarter(data: ClientReportData) -> None:
    """What changes next quarter: the client's numbers, the step and its owner."""
    lang = data.lang
    display(show.section("next", lang))
    if data.actions.empty:
        display(show.note(label("commitments.keep", lang)))
        return
    frame = data.actions
    columns = {"evidence": label("report.col_why", lang), "text": label("report.col_step", lang),
               "owner": label("report.col_owner", lang)}
    display(show.table(frame, columns, lang))


def definitions(data: ClientReportData) -> None:
    """The definitions appendix."""
    display(show.definitions(data.definitions, as_of=data.as_of, window_start=data.window_start, lang=data.lang))


def record(data: ClientReportData) -> None:
    """The report's machine-readable record for the index page: headline KPIs, statuses and changes.

    Names are given in every report language, so an index in either language stays in one language.
    """
    kpis, client = data.kpis, data.client
    display(show.record({
        "kind": "client", "client_id": client["client_id"], "quarter": data.quarter, "lang": data.lang,
        "client_name": data.client_name,
        "client_names": {lang: in_language(client["client_name"], lang, latin=client.get("client_name_latin"))
                         for lang in LANGS},
        "kpis": [{"kpi": r.kpi, "value": None if pd.isna(r.value) else float(r.value), "status": r.status,
                  "names": {lang: kpi_name(r.kpi, data.settings, lang) for lang in LANGS},
                  "change_arrow": r.change_arrow, "change_significant": bool(r.change_significant)}
                 for r in kpis.itertuples()],
        "actions": len(data.actions),
    }), raw=True)
