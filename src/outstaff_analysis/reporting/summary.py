"""Executive summary of a client report: three to five plain sentences generated from the numbers.

What was met and what was not (never counting "no data" as success), what clearly improved, what
slipped, what the client said, and what we do about it.
"""

from __future__ import annotations

import math

import pandas as pd

from ..i18n import fmt_number, label
from .kpi_text import fmt_kpi


def executive_summary(kpis: pd.DataFrame, factors: pd.DataFrame, actions: pd.DataFrame, *, quarter: str,
                      lang: str) -> list[str]:
    """Summary sentences of one client-quarter.

    Parameters
    ----------
    kpis : DataFrame
        :func:`~.kpi_text.kpi_texts` rows (numbers and ``name``).
    factors : DataFrame
        The quarter's client-quarter CSI rows (``factor`` including ``csi``, ``estimate``,
        ``insufficient_evidence``).
    actions : DataFrame
        :func:`~.actions.commitments` for next quarter.
    quarter : str
    lang : {"ru", "en"}

    Returns
    -------
    list of str
        Four or five sentences.
    """
    previous = str(pd.Period(quarter, freq="Q") - 1)
    counts = kpis["status"].value_counts()
    sentences = [label("summary.counts", lang, total=len(kpis), quarter=quarter,
                       **{s: int(counts.get(s, 0)) for s in ("good", "bad", "unclear", "none")})]
    sign = kpis["direction"].map({"higher": 1, "lower": -1})
    better = kpis[kpis["change_significant"] & (sign * kpis["change"] > 0)]
    if len(better):
        items = "; ".join(label("summary.item", lang, name=r.name, before=fmt_kpi(r.kpi, r.previous, lang),
                                now=fmt_kpi(r.kpi, r.value, lang)) for r in better.itertuples())
        sentences.append(label("summary.improved", lang, quarter=previous, items=items))
    else:
        sentences.append(label("summary.no_clear_change", lang, quarter=previous))
    worse = kpis[kpis["status"] == "bad"]
    if len(worse):
        items = "; ".join(label("summary.item_target", lang, name=r.name, now=fmt_kpi(r.kpi, r.value, lang),
                                target=fmt_kpi(r.kpi, r.target, lang)) for r in worse.itertuples())
        sentences.append(label("summary.slipped", lang, items=items))
    sentences.append(_csi_sentence(factors, lang))
    if actions.empty:
        sentences.append(label("summary.keep", lang))
    else:
        more = label("summary.more", lang, n=len(actions) - 1) if len(actions) > 1 else ""
        first = f"{actions['text'].iloc[0].rstrip('.')}{more}" if more else actions["text"].iloc[0]
        sentences.append(label("summary.actions", lang, first=first, more=""))
    return sentences


def _csi_sentence(factors: pd.DataFrame, lang: str) -> str:
    overall = factors[factors["factor"] == "csi"]
    if overall.empty or math.isnan(overall["estimate"].iloc[0]):
        return label("summary.no_csi", lang)
    scored = factors[(factors["factor"] != "csi") & ~factors["insufficient_evidence"].astype(bool)
                     & factors["estimate"].notna()].sort_values("estimate")
    extremes = ""
    if len(scored) >= 2:
        extremes = label("summary.extremes", lang,
                         best=label(f"report.factor_{scored['factor'].iloc[-1]}", lang).lower(),
                         worst=label(f"report.factor_{scored['factor'].iloc[0]}", lang).lower())
    return label("summary.csi", lang, csi=fmt_number(overall["estimate"].iloc[0], lang), extremes=extremes)
