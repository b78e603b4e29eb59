"""What changes next quarter: plain-language commitments derived from the quarter's weak spots.

Rules, not a model: every KPI that misses its target, every CSI factor scored poor and every red
flag the client raised maps to one commitment (texts in ``locale/report.yaml``, keys
``action_*``).  When nothing needs fixing, the report says the team and cadence stay.
"""

from __future__ import annotations

import pandas as pd

from ..i18n import label

KPI_ACTIONS = {"sla_message", "sla_bug", "sla_replacement", "north_star", "time_to_fill", "retention_6m"}
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


def next_quarter_actions(kpis: pd.DataFrame, csi_factors: pd.DataFrame, red_flags: pd.DataFrame, *,
                         lang: str, csi_poor: float = 60.0) -> list[str]:
    """Commitments for next quarter, most important first, without repeats.

    Parameters
    ----------
    kpis : DataFrame
        The report's KPI rows (``kpi``, ``status``).
    csi_factors : DataFrame
        This quarter's client-quarter CSI rows (``factor``, ``estimate``, ``insufficient_evidence``).
    red_flags : DataFrame
        This quarter's red flags (``flag``).
    lang : {"ru", "en"}
    csi_poor : float
        A factor scored below this (with enough evidence) gets a commitment.

    Returns
    -------
    list of str
    """
    keys: list[str] = []
    missed = kpis[kpis["status"].isin(["bad", "watch"]) & kpis["kpi"].isin(KPI_ACTIONS)]
    keys += list(missed["kpi"])
    factors = csi_factors[(csi_factors["factor"] != "csi") & ~csi_factors["insufficient_evidence"].astype(bool)
                          & (csi_factors["estimate"] < csi_poor)]
    keys += [f"factor_{f}" for f in factors.sort_values("estimate")["factor"]]
    keys += [FLAG_ACTIONS[f] for f in red_flags["flag"] if f in FLAG_ACTIONS]
    unique = list(dict.fromkeys(keys))
    if not unique:
        return [label("report.action_keep", lang)]
    return [label(f"report.action_{key}", lang) for key in unique]
