"""How well factor scores and the CSI, with their 95% intervals, recover known true values.

For data with a known generating truth, such as the demo firm (``truth.json``): coverage of the
intervals (the share that holds the true value; 0.95 is right, 0.99 is too wide, 0.90 too
narrow), their median width, the rank correlation and the mean error of the estimates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as st

from ..config import DEFAULT_SETTINGS, FACTORS, Settings

COVERAGE_COLUMNS = ["factor", "n", "coverage", "median_width", "spearman", "mean_error"]


def _true_csi(merged: pd.DataFrame, keys: list[str], settings: Settings) -> pd.DataFrame:
    """The weighted true satisfaction over the factors that have an estimate, as the CSI does."""
    weights = dict(settings.csi_weights)
    used = merged[merged["factor"].isin(FACTORS) & merged["estimate"].notna() & merged["truth"].notna()]
    used = used.assign(w=used["factor"].map(weights).fillna(0.0))
    used = used.assign(wt=used["w"] * used["truth"])
    total = used.groupby(keys)[["w", "wt"]].sum()
    return (total["wt"] / total["w"].where(total["w"] > 0)).rename("csi_truth").reset_index()


def interval_coverage(scores: pd.DataFrame, truth: pd.DataFrame, *,
                      settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Coverage and width of the 95% intervals against true values, per factor and for the CSI.

    Parameters
    ----------
    scores : pandas.DataFrame
        :func:`~outstaff_analysis.csi.scores.client_quarter_scores` (or interview scores): columns
        ``factor, estimate, lower_95, upper_95`` and the keys shared with ``truth``.
    truth : pandas.DataFrame
        The same keys, ``factor`` (one of the five factors) and ``truth`` (0-100).  The CSI's true
        value is the ``settings.csi_weights``-weighted mean of the true values of the factors that
        have an estimate in that row, the way the CSI is built.
    settings : Settings

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COVERAGE_COLUMNS`, one row per factor then ``"csi"``; rows without an
        estimate or a true value are left out.
    """
    keys = [c for c in truth.columns if c not in ("factor", "truth")]
    merged = scores.merge(truth, on=[*keys, "factor"], how="left")
    merged = merged.merge(_true_csi(merged, keys, settings), on=keys, how="left")
    merged["truth"] = np.where(merged["factor"] == "csi", merged["csi_truth"], merged["truth"])
    merged = merged.dropna(subset=["estimate", "truth"])
    rows = []
    for factor in [*FACTORS, "csi"]:
        part = merged[merged["factor"] == factor]
        if part.empty:
            continue
        inside = (part["lower_95"] <= part["truth"]) & (part["truth"] <= part["upper_95"])
        rho = st.spearmanr(part["estimate"], part["truth"]).statistic if len(part) > 2 else np.nan
        rows.append({"factor": factor, "n": len(part), "coverage": float(inside.mean()),
                     "median_width": float((part["upper_95"] - part["lower_95"]).median()),
                     "spearman": float(rho), "mean_error": float((part["estimate"] - part["truth"]).mean())})
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


__all__ = ["COVERAGE_COLUMNS", "interval_coverage"]
