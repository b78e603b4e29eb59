"""Words for the numeric KPI frame of :func:`outstaff_analysis.kpis.client_kpis`: formatting only.

Every number shown on a KPI card comes from that frame; this module only turns it into text in
the report's language (labels in ``locale/kpi.yaml``).
"""

from __future__ import annotations

import math

import pandas as pd

from ..config import Settings
from ..i18n import fmt_number, fmt_percent, label
from ..kpis import COUNTED

SHARES = {"sla_message", "sla_bug", "sla_replacement", "retention_6m"}
STATUS_COLOURS = {"good": "#1e7b4a", "unclear": "#a36a00", "bad": "#b3261e", "none": "#6b6b6b"}


def fmt_kpi(kpi: str, value: float, lang: str) -> str:
    """One KPI value in its unit: a percentage, a ratio, days or CSI points."""
    if value is None or math.isnan(value):
        return "—"
    if kpi in SHARES:
        return fmt_percent(value, lang)
    if kpi == "north_star":
        return fmt_number(value, lang, digits=2)
    if kpi == "time_to_fill":
        return label("kpi.days", lang, days=fmt_number(value, lang))
    return fmt_number(value, lang)


def interval_text(kpi: str, lower: float, upper: float, lang: str) -> str:
    """A KPI's 95% interval in words; an open end (a median time the data cannot bound) reads "from" / "up to".

    Examples
    --------
    >>> interval_text("time_to_fill", 16.0, float("nan"), "ru")
    '95% интервал: от 16 дн.'
    >>> interval_text("time_to_fill", 16.0, float("nan"), "en")
    '95% interval: 16 days or more'
    """
    if math.isnan(lower) and math.isnan(upper):
        return label("kpi.interval_unknown", lang)
    if math.isnan(upper):
        return label("kpi.interval_from", lang, lower=fmt_kpi(kpi, lower, lang))
    if math.isnan(lower):
        return label("kpi.interval_to", lang, upper=fmt_kpi(kpi, upper, lang))
    return label("kpi.interval", lang, lower=fmt_kpi(kpi, lower, lang), upper=fmt_kpi(kpi, upper, lang))


def shown_change(kpi: str, change: float) -> float:
    """The change as the page shows it: rounded to the KPI's digits (so a sign is never put on a zero)."""
    if kpi in SHARES:
        return round(change * 100) / 100
    return round(change, 2 if kpi == "north_star" else 0)


def fmt_change(kpi: str, change: float, lang: str) -> str:
    """A signed change in the KPI's unit (percentage points for shares)."""
    change = shown_change(kpi, change)
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    if kpi in SHARES:
        return f"{sign}{label('kpi.points', lang, n=fmt_number(abs(change) * 100, lang))}"
    if kpi == "north_star":
        return f"{sign}{fmt_number(abs(change), lang, digits=2)}"
    if kpi == "time_to_fill":
        return f"{sign}{label('kpi.days', lang, days=fmt_number(abs(change), lang))}"
    return f"{sign}{label('kpi.points', lang, n=fmt_number(abs(change), lang))}"


def kpi_name(kpi: str, settings: Settings, lang: str) -> str:
    """The KPI's name; SLA names carry their time limit from ``settings``."""
    limits = {"sla_message": settings.sla.message_minutes, "sla_bug": settings.sla.bug_hours,
              "sla_replacement": settings.sla.replacement_working_days}
    if kpi in limits:
        return label(f"kpi.name_{kpi}", lang, target=fmt_number(limits[kpi], lang))
    return label(f"kpi.name_{kpi}", lang)


def kpi_texts(kpis: pd.DataFrame, *, quarter: str, settings: Settings, lang: str) -> pd.DataFrame:
    """Text columns for each KPI row, beside the numbers.

    Parameters
    ----------
    kpis : DataFrame
        :func:`outstaff_analysis.kpis.client_kpis` rows.
    quarter : str
        The report's quarter (the change is against the one before).
    settings : Settings
    lang : {"ru", "en"}

    Returns
    -------
    DataFrame
        ``kpis`` plus ``name``, ``value_text``, ``interval_text``, ``target_text``, ``direction_text``,
        ``change_text``, ``change_arrow``, ``status_text`` and ``colour``.
    """
    previous = str(pd.Period(quarter, freq="Q") - 1)
    rows = []
    for r in kpis.itertuples(index=False):
        unit = label(f"kpi.unit_{r.kpi}", lang, n=r.n)
        value = fmt_kpi(r.kpi, r.value, lang)
        if math.isnan(r.value) and r.n:
            value_text = label("kpi.too_few_to_estimate", lang, n=r.n, unit=unit)
        elif r.kpi in COUNTED and r.n:
            value_text = label("kpi.of_n", lang, value=value, n=r.n, unit=unit)
        else:
            value_text = value
        interval = "" if math.isnan(r.value) else interval_text(r.kpi, r.lower_95, r.upper_95, lang)
        target = label("kpi.target", lang, target=fmt_kpi(r.kpi, r.target, lang))
        firm = "" if math.isnan(r.firm_average) else " · " + label(
            "kpi.firm", lang, firm=fmt_kpi(r.kpi, r.firm_average, lang))
        direction = label(f"kpi.lower_{r.kpi}" if r.direction == "lower" else "kpi.higher", lang)
        if math.isnan(r.change):
            arrow, change = "", label("kpi.change_none", lang, quarter=previous)
        else:
            shown = shown_change(r.kpi, r.change)
            arrow = "▲" if shown > 0 else "▼" if shown < 0 else "="
            noise = label("kpi.change_real" if r.change_significant else "kpi.change_noise", lang)
            change = label("kpi.change", lang, arrow=arrow, change=fmt_change(r.kpi, r.change, lang),
                           quarter=previous) + f" ({noise})"
        rows.append({"name": kpi_name(r.kpi, settings, lang), "value_text": value_text, "interval_text": interval,
                     "target_text": target + firm, "direction_text": direction, "change_text": change,
                     "change_arrow": arrow, "status_text": label(f"kpi.status_{r.status}", lang),
                     "colour": STATUS_COLOURS[r.status]})
    return pd.concat([kpis.reset_index(drop=True), pd.DataFrame(rows)], axis=1)
