"""What changes next quarter, and whether last quarter's commitments were met.

Rules, not a model: every KPI whose value misses its target, every CSI factor scored below the
poor band (``settings.csi_bands[0]``, with enough evidence) and every red flag the client raised
maps to one commitment, which states the client's own numbers, the step (``locale/report.yaml``,
``action_*``) and the owner role.  Last quarter's commitments are derived by the same rules from
last quarter's data, so nothing is stored by hand; each is then checked against this quarter.
"""

from __future__ import annotations

import math

import pandas as pd

from ..config import Settings
from ..i18n import fmt_number, label, quoted
from .kpi_text import fmt_kpi, kpi_name

KPI_OWNERS = {"sla_message": "account_manager", "sla_bug": "tech_lead", "sla_replacement": "delivery_manager",
              "north_star": "recruitment_lead", "time_to_fill": "recruitment_lead",
              "retention_6m": "delivery_manager"}
FACTOR_OWNERS = {"quality": "tech_lead", "service": "account_manager", "price": "account_manager",
                 "speed": "delivery_manager", "team": "delivery_manager"}
FLAG_ACTIONS = {
    "slow_answers": "sla_message",
    "no_clarifying_questions": "flag_no_clarifying_questions",
    "template_replies": "flag_template_replies",
    "non_technical_contact": "flag_non_technical_contact",
    "fewer_meetings": "flag_fewer_meetings",
    "no_reports": "flag_no_reports",
    "missed_deadlines": "flag_missed_deadlines",
    "specialist_turnover": "retention_6m",
    "hurry_to_sign": "flag_hurry_to_sign",
}
FLAG_OWNERS = {"flag_no_clarifying_questions": "tech_lead", "flag_template_replies": "account_manager",
               "flag_non_technical_contact": "tech_lead", "flag_fewer_meetings": "account_manager",
               "flag_no_reports": "account_manager", "flag_missed_deadlines": "delivery_manager",
               "flag_hurry_to_sign": "account_manager"}
COMMITMENT_COLUMNS = ("action", "source", "subject", "evidence", "text", "owner")


def misses(value: float, target: float, direction: str) -> bool:
    """Whether a value is on the wrong side of its target (NaN never misses: it is unknown)."""
    if value is None or math.isnan(value):
        return False
    return value < target if direction == "higher" else value > target


def commitments(kpis: pd.DataFrame, factors: pd.DataFrame, red_flags: pd.DataFrame, *, settings: Settings,
                lang: str, values: str = "value") -> pd.DataFrame:
    """Commitments for the quarter after the one ``kpis``, ``factors`` and ``red_flags`` describe.

    Parameters
    ----------
    kpis : DataFrame
        :func:`outstaff_analysis.kpis.client_kpis` rows.
    factors : DataFrame
        The quarter's client-quarter CSI rows (``factor``, ``estimate``, ``insufficient_evidence``).
    red_flags : DataFrame
        The quarter's red flags (``flag``, ``quote``).
    settings : Settings
        ``csi_bands`` and the SLA limits.
    lang : {"ru", "en"}
    values : {"value", "previous"}
        Which quarter of ``kpis`` to judge: the report's quarter or the one before.

    Returns
    -------
    DataFrame
        :data:`COMMITMENT_COLUMNS`, most important first, one row per action: ``action`` the
        step's code, ``source`` (``kpi``, ``factor`` or ``flag``), ``subject`` its code,
        ``evidence`` the client's numbers, ``text`` the step and ``owner`` the role.
    """
    rows: dict[str, dict] = {}
    for r in kpis.itertuples(index=False):
        value = getattr(r, values)
        if r.kpi in KPI_OWNERS and misses(value, r.target, r.direction):
            rows.setdefault(r.kpi, _row(r.kpi, "kpi", r.kpi, _kpi_evidence(r, value, values, settings, lang),
                                        KPI_OWNERS[r.kpi], lang))
    poor = settings.csi_bands[0]
    weak = factors[(factors["factor"] != "csi") & ~factors["insufficient_evidence"].astype(bool)
                   & (factors["estimate"] < poor)].sort_values("estimate")
    for r in weak.itertuples(index=False):
        evidence = label("commitments.evidence_factor", lang, factor=label(f"report.factor_{r.factor}", lang),
                         score=fmt_number(r.estimate, lang))
        rows.setdefault(f"factor_{r.factor}", _row(f"factor_{r.factor}", "factor", r.factor, evidence,
                                                   FACTOR_OWNERS[r.factor], lang))
    for r in red_flags.itertuples(index=False):
        action = FLAG_ACTIONS.get(r.flag)
        if action is None:
            continue
        evidence = label("commitments.evidence_flag", lang, quote=quoted(r.quote, lang))
        owner = KPI_OWNERS.get(action) or FLAG_OWNERS[action]
        rows.setdefault(action, _row(action, "flag", r.flag, evidence, owner, lang))
    return pd.DataFrame(list(rows.values()), columns=list(COMMITMENT_COLUMNS))


def review(previous: pd.DataFrame, kpis: pd.DataFrame, factors: pd.DataFrame, red_flags: pd.DataFrame, *,
           settings: Settings, lang: str) -> pd.DataFrame:
    """Last quarter's commitments, each with whether its target was met this quarter.

    Parameters
    ----------
    previous : DataFrame
        :func:`commitments` of the previous quarter.
    kpis, factors, red_flags : DataFrame
        This quarter's (see :func:`commitments`).

    Returns
    -------
    DataFrame
        ``previous`` plus ``met`` (``good``, ``bad``, ``unclear`` or ``none``) and ``now`` (what
        this quarter shows).
    """
    by_kpi = kpis.set_index("kpi")
    factor_rows = factors.set_index("factor")
    raised = set(red_flags["flag"])
    met, now = [], []
    for r in previous.itertuples(index=False):
        if r.source == "kpi" or r.action in by_kpi.index:
            k = by_kpi.loc[r.action]
            met.append(k["status"])
            now.append(fmt_kpi(r.action, k["value"], lang))
        elif r.source == "factor":
            f = factor_rows.loc[r.subject] if r.subject in factor_rows.index else None
            if f is None or bool(f["insufficient_evidence"]) or math.isnan(f["estimate"]):
                met.append("none")
                now.append("—")
            else:
                met.append("good" if f["estimate"] >= settings.csi_bands[0] else "bad")
                now.append(fmt_number(f["estimate"], lang))
        else:
            again = r.subject in raised
            met.append("bad" if again else "good")
            now.append(label("commitments.flag_again" if again else "commitments.flag_gone", lang))
    return previous.assign(met=met, now=now)


def _row(action: str, source: str, subject: str, evidence: str, owner: str, lang: str) -> dict:
    return {"action": action, "source": source, "subject": subject, "evidence": evidence,
            "text": label(f"report.action_{action}", lang), "owner": label(f"commitments.owner_{owner}", lang)}


def _kpi_evidence(r, value: float, values: str, settings: Settings, lang: str) -> str:
    key = f"commitments.evidence_{r.kpi}"
    if r.kpi.startswith("sla_") and values == "value" and r.n:
        limit = {"sla_message": settings.sla.message_minutes, "sla_bug": settings.sla.bug_hours,
                 "sla_replacement": settings.sla.replacement_working_days}[r.kpi]
        return label(key, lang, missed=int(r.n_missed), n=r.n, target=fmt_number(limit, lang),
                     worst=fmt_number(r.worst, lang, digits=0 if r.worst >= 10 else 1))
    if r.kpi == "north_star" and values == "value" and r.n:
        return label(key, lang, missed=int(r.n_missed), n=r.n)
    if r.kpi in ("time_to_fill", "retention_6m"):
        return label(key, lang, value=fmt_kpi(r.kpi, value, lang), target=fmt_kpi(r.kpi, r.target, lang))
    return f"{kpi_name(r.kpi, settings, lang)}: {fmt_kpi(r.kpi, value, lang)} ({label('kpi.target', lang, target=fmt_kpi(r.kpi, r.target, lang))})"
