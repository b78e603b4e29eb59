"""The internal portfolio report, section by section (see :mod:`.client_sections`)."""

from __future__ import annotations

import pandas as pd
from IPython.display import display

from ..health import reason_text, reason_texts
from ..i18n import fmt_date, fmt_number, fmt_percent, label
from ..periods import quarter_bounds
from ..plotting.csi import plot_csi_trend
from ..plotting.funnel import plot_funnel, plot_north_star_trend
from ..plotting.health import plot_revenue_risk, plot_risk_history
from ..plotting.survival import plot_account_survival, plot_cumulative_incidence, plot_hazard_bands, plot_km
from ..survival import DAYS_PER_MONTH
from ..survival.accounts import NO_CHURN
from . import display as show
from .client_sections import setup
from .inputs import load_inputs
from .params import ReportParams
from .portfolio import HISTORY_QUARTERS, PortfolioReportData, portfolio_report_data

__all__ = ["accounts", "build", "call_first", "definitions", "funnel", "header", "portfolio", "record", "setup",
           "survival"]


RISK_LEVELS = {"at_risk": "high", "watch": "medium", "good": "low"}
"""Health status -> the churn-risk level the index page shows."""


def build(params: ReportParams) -> PortfolioReportData:
    """Prepare the kernel, load the data directory as of the quarter's end and build the portfolio report's data."""
    setup()
    inputs = load_inputs(params.data_dir, as_of=params.quarter)
    return portfolio_report_data(inputs, params.quarter, lang=params.lang)


def header(data: PortfolioReportData) -> None:
    """Page style and title."""
    lang = data.lang
    start, end = quarter_bounds(data.quarter)
    subtitle = label("report.portfolio_subtitle", lang, start=fmt_date(start, lang), end=fmt_date(end, lang),
                     n=len(data.risk))
    display(show.header(label("report.portfolio_title", lang, quarter=data.quarter), subtitle))


def call_first(data: PortfolioReportData) -> None:
    """The clients to call first, by expected revenue lost: risk with its interval, reasons, the
    revenue x risk matrix and the risk history of the first three."""
    lang = data.lang
    model = data.health.model
    display(show.section("call_first", lang))
    minimum = model.min_events
    display(show.note(label("health.scale", lang) + ". " + label(f"health.model_{model.kind_}", lang,
                                                                  events=model.n_events_, minimum=minimum) + "."))
    top = data.call_first
    if top.empty:
        display(show.note(label("report.nobody_to_call", lang)))
    else:
        display(show.table(_call_rows(top, lang), _call_columns(lang, intervals=top["lower_95"].notna().any()), lang))
    names = data.risk.set_index("client_id")["client_name"]
    plot_revenue_risk(data.health.current, fx_rates=data.health.settings.fx_rates, names=names, lang=lang)
    show.show_figure()
    history = data.health.history
    for _, row in top.head(3).iterrows():
        own = history[history["client_id"] == row["client_id"]].tail(HISTORY_QUARTERS)
        plot_risk_history(own, client=row["client_name"], reasons=_reason_list(row, lang), lang=lang)
        show.show_figure()


def portfolio(data: PortfolioReportData) -> None:
    """Every client's CSI, its change, risk and signals; CSI trend of the five riskiest."""
    lang = data.lang
    display(show.section("portfolio", lang))
    display(show.table(_risk_rows(data.risk, lang), _risk_columns(lang), lang))
    if data.csi_trend["estimate"].notna().any():
        plot_csi_trend(data.csi_trend, hue="client_name", lang=lang)  # the legend names the clients
        show.show_figure()


def funnel(data: PortfolioReportData) -> None:
    """Funnel dynamics by quarter: north star, volumes and share of requests closed."""
    lang = data.lang
    display(show.section("funnel_dynamics", lang))
    plot_north_star_trend(data.north_star, target=data.north_star_target, lang=lang)
    show.show_figure()
    plot_funnel(data.funnel_counts[data.funnel_counts["period"] == data.quarter], lang=lang)
    show.show_figure()
    closed = data.share_closed.assign(share=data.share_closed["estimate"].map(lambda v: fmt_percent(v, lang)))
    display(show.table(closed, {c: label(f"report.col_{c}", lang)
                                for c in ("period", "filled", "cancelled", "stale", "too_recent", "share")}, lang))


def survival(data: PortfolioReportData) -> None:
    """How long placements last: valley of death, by grade, end reasons, by segment/grade/stack."""
    lang = data.lang
    display(show.section("survival", lang))
    plot_hazard_bands(data.hazard, lang=lang)
    show.show_figure()
    plot_km(data.km_by_grade, hue="grade", lang=lang)
    show.show_figure()
    plot_cumulative_incidence(data.incidence, lang=lang)
    show.show_figure()
    wide = data.survival_by_group.assign(
        share=data.survival_by_group["estimate"].map(lambda v: fmt_percent(v, lang)),
        months=data.survival_by_group["time_days"].map({91: 3, 182: 6, 365: 12}),
    ).pivot_table(index=["by", "group"], columns="months", values="share", aggfunc="first").reset_index()
    wide.columns = [str(c) for c in wide.columns]
    wide["by"] = wide["by"].map(lambda v: label(f"report.col_{v}", lang))
    columns = {"by": label("report.col_by", lang), "group": label("report.col_group", lang)}
    columns.update({m: label("report.col_survival_m", lang, months=m) for m in ("3", "6", "12") if m in wide})
    display(show.table(wide, columns, lang))


def accounts(data: PortfolioReportData) -> None:
    """Account survival by segment and LTV."""
    lang = data.lang
    display(show.section("accounts", lang))
    plot_account_survival(data.account_curve, hue="segment", lang=lang)
    show.show_figure()
    ltv = data.ltv.assign(
        accounts=data.ltv["n_accounts"],
        rmst_months=data.ltv["rmst_days"] / DAYS_PER_MONTH,
        ltv=[_ltv_text(row, lang) for row in data.ltv.itertuples()],
    )
    display(show.table(ltv, {c: label(f"report.col_{c}", lang)
                             for c in ("segment", "currency", "accounts", "rmst_months", "ltv")}, lang))


def _ltv_text(row, lang: str) -> str:
    """LTV in millions with its interval; "≥ x" when no churn was observed (a lower bound)."""
    if pd.isna(row.estimate):
        return "—"
    value = fmt_number(row.estimate / 1e6, lang, digits=1)
    if row.note == NO_CHURN:
        return f"≥ {value}"
    bounds = (fmt_number(v / 1e6, lang, digits=1) for v in (row.lower_95, row.upper_95))
    return f"{value} ({'–'.join(bounds)})"


def _risk_columns(lang: str) -> dict[str, str]:
    names = ("client_name", "segment", "active_placements", "csi_text", "change_text", "red_flags", "sla_text")
    columns = {c: label(f"report.col_{c}", lang) for c in names}
    columns.update(status_text=label("health.col_status", lang), reasons_text=label("health.col_reasons", lang))
    return columns


def _risk_rows(frame, lang: str):
    def change(value):
        if pd.isna(value):
            return "—"
        arrow = "▲" if value > 0 else "▼" if value < 0 else "="
        return f"{arrow} {fmt_number(abs(value), lang)}"

    return frame.assign(
        csi_text=frame["csi"].map(lambda v: fmt_number(v, lang)),
        change_text=frame["csi_change"].map(change),
        sla_text=frame["sla_share"].map(lambda v: fmt_percent(v, lang)),
        status_text=frame["status"].map(lambda v: label(f"health.status_{v}", lang)),
        reasons_text=reason_texts(frame, lang),
    )


def _call_columns(lang: str, *, intervals: bool) -> dict[str, str]:
    """Columns of the "call first" table; the risk's header names its interval only when there is one
    (the rule used below 30 churn events gives none)."""
    columns = {"client_name": label("report.col_client_name", lang), "segment": label("report.col_segment", lang)}
    for name, key in (("risk_text", "col_risk" if intervals else "col_risk_no_interval"), ("status_text", "col_status"), ("change_text", "col_risk_change"),
                      ("days_poor", "col_days_poor"), ("revenue_text", "col_revenue_at_risk"),
                      ("reasons_text", "col_reasons")):
        columns[name] = label(f"health.{key}", lang)
    return columns


def _call_rows(frame, lang: str):
    def interval(row):
        text = fmt_percent(row["risk"], lang)
        if pd.notna(row["lower_95"]):
            text += f" ({fmt_percent(row['lower_95'], lang)}–{fmt_percent(row['upper_95'], lang)})"
        return text

    return frame.assign(
        risk_text=frame.apply(interval, axis=1),
        status_text=frame["status"].map(lambda v: label(f"health.status_{v}", lang)),
        change_text=frame["risk_change"].map(lambda v: "—" if pd.isna(v) else f"{100 * v:+.0f}"),
        days_poor=frame["days_in_poor_health"].map(lambda v: fmt_number(v, lang)),
        revenue_text=[_millions(v, c, lang) for v, c in zip(frame["revenue_at_risk"], frame["currency"])],
        reasons_text=reason_texts(frame, lang),
    )


def _millions(value, currency, lang: str) -> str:
    if pd.isna(value):
        return "—"
    return f"{fmt_number(value / 1e6, lang, digits=1)} {label('health.million', lang)} {currency}"


def _reason_list(row, lang: str) -> list[str]:
    return [reason_text(code, row, lang) for code in str(row["reasons"]).split(";") if code]
def definitions(data: PortfolioReportData) -> None:
    """The definitions appendix."""
    display(show.definitions(data.definitions, as_of=data.as_of, window_start=data.window_start, lang=data.lang))


def record(data: PortfolioReportData) -> None:
    """The report's machine-readable record for the index page: every client's health as a risk level.

    ``at_risk`` is shown as a high, ``watch`` as a medium and ``good`` as a low churn risk, with the
    model's probability (internal: the client reports never carry it).
    """
    display(show.record({
        "kind": "portfolio", "quarter": data.quarter, "lang": data.lang,
        "risk": {r.client_id: {"risk": RISK_LEVELS[r.status], "probability": float(r.risk)}
                 for r in data.risk.itertuples()},
    }), raw=True)
