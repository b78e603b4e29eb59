"""Reasons in plain language: each reason code worded with the client's own signal values.

The wording lives in ``locale/health.yaml`` (Russian and English); this module fills in the numbers
("requests fell from 6 to 1 a quarter", "CSI down 20 points, beyond its noise").
"""

from __future__ import annotations

import pandas as pd

from ..i18n import fmt_number, fmt_percent, label

Z_NOISE = 1.96
"""A CSI change larger than this many standard errors is beyond its noise."""


def reason_text(code: str, row: pd.Series, lang: str) -> str:
    """One reason of a client, in words, from its signal row (:func:`~.view.account_health`'s ``current``).

    Parameters
    ----------
    code : str
        A reason code (:data:`~.model.REASONS`).
    row : pandas.Series
        The client's signals.
    lang : {"ru", "en"}

    Returns
    -------
    str
    """
    def n(value, digits=0):
        return fmt_number(value, lang, digits=digits)

    if code == "young":
        return label("health.reason_young", lang, months=n(row["account_age_days"] / 30.4375))
    if code == "no_team":
        return label("health.reason_no_team", lang, days=n(row["days_without_team"]))
    if code == "team":
        return label("health.reason_team", lang, before=n(row["headcount"] - row["headcount_change"]),
                     now=n(row["headcount"]))
    if code == "client_ends":
        return label("health.reason_client_ends", lang, n=n(row["ended_client"]))
    if code == "requests":
        return label("health.reason_requests", lang, before=n(row["requests_before"], 1), now=n(row["requests"]))
    if code == "silence":
        days = row["days_since_request"]
        return label("health.reason_silence", lang, days=n(row["account_age_days"] if pd.isna(days) else days))
    if code == "cancelled":
        return label("health.reason_cancelled", lang, n=n(row["requests_cancelled"]))
    if code == "csi":
        if pd.isna(row["csi_year"]):
            return label("health.reason_csi_unknown", lang)
        return label("health.reason_csi", lang, csi=n(row["csi_year"]))
    if code == "csi_change":
        key = "reason_csi_change" if abs(row["csi_change_z"]) > Z_NOISE else "reason_csi_change_noise"
        return label(f"health.{key}", lang, points=n(abs(row["csi_change"])))
    if code == "red_flags":
        return label("health.reason_red_flags", lang, n=n(row["red_flags"]))
    if code == "funnel":
        return label("health.reason_funnel", lang, north_star=fmt_percent(row["north_star"], lang),
                     fill=fmt_percent(row["fill_within_30"], lang))
    if code == "sla":
        return label("health.reason_sla", lang, n=n(row["sla_breaches"]), m=n(row["sla_events"]))
    if code == "dark":
        if pd.isna(row["days_since_interview"]):
            return label("health.reason_dark_never", lang)
        return label("health.reason_dark", lang, days=n(row["days_since_interview"]))
    raise ValueError(f"The value for `code` must be a reason code, but {code!r} was passed")


def reason_texts(scored: pd.DataFrame, lang: str, *, separator: str = "; ") -> pd.Series:
    """Every row's ``reasons`` codes in words, joined (``"—"`` when none is strong enough)."""
    texts = [separator.join(reason_text(code, row, lang) for code in str(row["reasons"]).split(";") if code)
             for _, row in scored.iterrows()]
    return pd.Series([t or "—" for t in texts], index=scored.index, dtype=object)


__all__ = ["Z_NOISE", "reason_text", "reason_texts"]
