"""Headline KPIs of a client report, each judged against its target or the firm's benchmark.

A KPI row says what was measured, its value with a 95% interval, what it is compared with, and a
status: ``good`` (meets the target), ``watch`` (misses it, but the interval still reaches it:
too little data to say) or ``bad`` (the whole interval misses it); ``none`` when there is no
data this quarter.
"""

from __future__ import annotations

import math

import pandas as pd

from ..config import Settings
from ..i18n import fmt_number, fmt_percent, label

KPI_COLUMNS = ("kpi", "name", "value", "lower_95", "upper_95", "target", "value_text", "target_text", "status")


def judge(value: float, lower: float, upper: float, target: float, *, higher_is_better: bool = True) -> str:
    """Status of a value with its interval against a target (see the module docstring)."""
    if value is None or math.isnan(value):
        return "none"
    if not higher_is_better:
        value, lower, upper, target = -value, -upper, -lower, -target
    if value >= target:
        return "good"
    if not math.isnan(upper) and upper >= target:
        return "watch"
    return "bad"


def sla_kpis(compliance: pd.DataFrame, *, settings: Settings, lang: str) -> list[dict]:
    """One KPI per SLA kind from this quarter's :func:`~outstaff_analysis.sla.sla_compliance` rows."""
    rows = []
    targets = {"message": settings.sla.message_minutes, "bug": settings.sla.bug_hours,
               "replacement": settings.sla.replacement_working_days}
    for kind, target in targets.items():
        found = compliance[compliance["kind"] == kind]
        if found.empty or found["n_events"].sum() == 0:
            value = lower = upper = math.nan
            n = 0
        else:
            row = found.iloc[0]
            value, lower, upper, n = row["estimate"], row["lower_95"], row["upper_95"], int(row["n_events"])
        rows.append({
            "kpi": f"sla_{kind}",
            "name": label(f"report.kpi_sla_{kind}", lang, target=fmt_number(target, lang)),
            "value": value, "lower_95": lower, "upper_95": upper, "target": settings.sla_goal,
            "value_text": label("report.share_of_n", lang, share=fmt_percent(value, lang), n=n) if n else
            label("report.no_events", lang),
            "target_text": label("report.goal", lang, goal=fmt_percent(settings.sla_goal, lang)),
            "status": judge(value, lower, upper, settings.sla_goal),
        })
    return rows


def rate_kpi(kpi: str, estimate: pd.Series | None, benchmark: float, *, lang: str, target_text: str,
             value_text: str | None = None, higher_is_better: bool = True) -> dict:
    """A KPI from one row with ``estimate``, ``lower_95``, ``upper_95`` compared with ``benchmark``."""
    if estimate is None:
        value = lower = upper = math.nan
    else:
        value, lower, upper = (float(estimate[c]) for c in ("estimate", "lower_95", "upper_95"))
    return {
        "kpi": kpi, "name": label(f"report.kpi_{kpi}", lang), "value": value, "lower_95": lower, "upper_95": upper,
        "target": benchmark,
        "value_text": value_text if value_text is not None else fmt_percent(value, lang),
        "target_text": target_text,
        "status": judge(value, lower, upper, benchmark, higher_is_better=higher_is_better),
    }


def kpi_frame(rows: list[dict]) -> pd.DataFrame:
    """KPI rows as a frame with :data:`KPI_COLUMNS`."""
    return pd.DataFrame(rows, columns=list(KPI_COLUMNS))
