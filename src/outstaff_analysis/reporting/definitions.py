"""The definitions appendix: each number's meaning, formula, unit, period and target with its source.

Texts live in ``locale/definitions.yaml``; every target and limit is read from the report's
:class:`~outstaff_analysis.config.Settings`, and the source says whether it came from the data
folder's ``settings.yaml`` or the package's defaults.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..config import Settings
from ..i18n import fmt_date, fmt_number, label
from ..kpis import KPIS
from ..survival import DAYS_PER_MONTH
from .kpi_text import fmt_kpi, kpi_name

DEFINITION_COLUMNS = ("name", "meaning", "unit", "period", "target")
_UNITS = {"sla_message": "share", "sla_bug": "share", "sla_replacement": "share", "north_star": "ratio",
          "time_to_fill": "days", "retention_6m": "share", "csi": "points"}
_PERIODS = {"north_star": "cohort", "time_to_fill": "year", "retention_6m": "all"}
_TARGET_KEYS = {"sla_message": "sla_goal", "sla_bug": "sla_goal", "sla_replacement": "sla_goal",
                "north_star": "north_star_target", "time_to_fill": "time_to_fill_target_days",
                "retention_6m": "retention_6m_target", "csi": "csi_bands"}


def _source(settings_file, lang: str) -> str:
    if settings_file is None:
        return label("definitions.source_default", lang)
    return label("definitions.source_file", lang, path=Path(settings_file).name)


def _meaning(kpi: str, settings: Settings, lang: str) -> str:
    weights = ", ".join(f"{label(f'report.factor_{f}', lang).lower()} {fmt_number(w, lang, digits=2)}"
                        for f, w in settings.csi_weights.items())
    return label(f"definitions.meaning_{kpi}", lang, limit=fmt_number(
        {"sla_message": settings.sla.message_minutes, "sla_bug": settings.sla.bug_hours,
         "sla_replacement": settings.sla.replacement_working_days}.get(kpi, 0), lang),
        calendar=settings.calendar, weights=weights)


def client_definitions(kpis: pd.DataFrame, *, quarter: str, as_of, settings: Settings, settings_file,
                       lang: str) -> pd.DataFrame:
    """Definitions of the client report's KPIs, the firm average and the statuses.

    Parameters
    ----------
    kpis : DataFrame
        :func:`outstaff_analysis.kpis.client_kpis` rows (their targets are shown).
    quarter : str
    as_of : Timestamp
    settings : Settings
    settings_file : path or None
        The ``settings.yaml`` the settings came from (None: the package's defaults).
    lang : {"ru", "en"}

    Returns
    -------
    DataFrame
        :data:`DEFINITION_COLUMNS`, one row per KPI in :data:`~outstaff_analysis.kpis.KPIS` order, then
        the firm average and the status rule.
    """
    targets = kpis.set_index("kpi")["target"]
    source = _source(settings_file, lang)
    day = fmt_date(as_of, lang)
    rows = []
    for kpi in KPIS:
        period = _PERIODS.get(kpi, "quarter")
        rows.append({
            "name": kpi_name(kpi, settings, lang),
            "meaning": _meaning(kpi, settings, lang),
            "unit": label(f"definitions.unit_{_UNITS[kpi]}", lang),
            "period": label(f"definitions.period_{period}", lang, quarter=quarter, as_of=day),
            "target": label("definitions.target_from", lang, target=fmt_kpi(kpi, targets[kpi], lang),
                            setting=_TARGET_KEYS[kpi], source=source),
        })
    for name in ("firm_average", "status"):
        rows.append({"name": label(f"definitions.name_{name}", lang),
                     "meaning": label(f"definitions.meaning_{name}", lang), "unit": "", "period": "",
                     "target": ""})
    return pd.DataFrame(rows, columns=list(DEFINITION_COLUMNS))


def portfolio_definitions(*, as_of, settings: Settings, settings_file, lang: str) -> pd.DataFrame:
    """Definitions of the portfolio report's figures (see :func:`client_definitions`)."""
    source = _source(settings_file, lang)
    day = fmt_date(as_of, lang)
    window = fmt_date(settings.data_window_start, lang) if settings.data_window_start else "—"
    period = label("definitions.period_portfolio", lang, as_of=day)
    none = label("definitions.no_target", lang)
    rows = [
        {"name": label("kpi.name_csi", lang), "meaning": _meaning("csi", settings, lang),
         "unit": label("definitions.unit_points", lang), "period": period,
         "target": label("definitions.target_from", lang, target=fmt_number(settings.csi_bands[1], lang),
                         setting="csi_bands", source=source)},
        {"name": label("definitions.name_risk", lang), "meaning": label("definitions.meaning_risk", lang),
         "unit": "", "period": period, "target": none},
        {"name": kpi_name("north_star", settings, lang), "meaning": _meaning("north_star", settings, lang),
         "unit": label("definitions.unit_ratio", lang), "period": period,
         "target": label("definitions.target_from", lang, target=fmt_number(settings.north_star_target, lang,
                                                                            digits=1),
                         setting="north_star_target", source=source)},
        {"name": label("definitions.name_share_closed", lang),
         "meaning": label("definitions.meaning_share_closed", lang, days=settings.stale_request_days),
         "unit": label("definitions.unit_share", lang), "period": period, "target": none},
        {"name": label("definitions.name_hazard", lang), "meaning": label("definitions.meaning_hazard", lang),
         "unit": label("definitions.unit_per_100", lang), "period": period, "target": none},
        {"name": label("definitions.name_survival", lang),
         "meaning": label("definitions.meaning_survival", lang, window=window),
         "unit": label("definitions.unit_share", lang), "period": period, "target": none},
        {"name": label("definitions.name_ltv", lang),
         "meaning": label("definitions.meaning_ltv", lang, horizon=fmt_number(settings.ltv_horizon_days / DAYS_PER_MONTH, lang),
                          gap=settings.churn_gap_days),
         "unit": label("definitions.unit_months", lang), "period": period, "target": none},
    ]
    return pd.DataFrame(rows, columns=list(DEFINITION_COLUMNS))
