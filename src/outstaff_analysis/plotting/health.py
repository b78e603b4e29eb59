"""Account health charts: one client's churn risk over time with its reasons, and the portfolio's
revenue x risk matrix.

Both take frames of :func:`outstaff_analysis.health.account_health` and ``ax=None``, draw with
labels in Russian or English (``lang=``) and return the Axes.  Risk is a probability of churn
within two quarters: higher is worse, and the status thresholds are drawn.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection

from ..health.view import AT_RISK, WATCH
from ..i18n import check_lang, label
from .layout import label_points, legend_below, points_below_axes, under_axes
from .theme import PALETTE, label_axes, new_axes, themed

STATUS_COLOURS = {"good": PALETTE["good"], "watch": PALETTE["warn"], "at_risk": PALETTE["bad"]}
LABELLED = 8
"""The matrix names this many clients: those with the most revenue at risk."""


@themed
def plot_risk_history(history: pd.DataFrame, *, client: str, reasons: list[str] = (), lang: str = "en", ax=None):
    """One client's churn risk by quarter with its 95% interval, the status thresholds and its reasons.

    Parameters
    ----------
    history : pandas.DataFrame
        ``AccountHealth.history`` rows of one client (``quarter``, ``risk``, ``lower_95``, ``upper_95``).
    client : str
        Name shown in the title.
    reasons : list of str
        The client's current reasons in words (:func:`~outstaff_analysis.health.reason_texts`), written
        under the chart.
    lang : {"en", "ru"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_lang(lang)
    if history.empty:
        raise ValueError("`history` is empty: pass the AccountHealth.history rows of one client")
    if history.duplicated("quarter").any():
        raise ValueError("`history` must have one row per quarter: filter it to one client")
    rows = history.sort_values("quarter")
    x = np.arange(len(rows))
    ax = new_axes(ax, figsize=(7.0, 5.5))  # the quarters, legend and reasons under it left the line a thin strip
    risk = 100 * rows["risk"].to_numpy(dtype=float)
    ax.plot(x, risk, marker="o", color=PALETTE["primary"], label=label("health.risk_line", lang))
    if rows["lower_95"].notna().any():
        ax.fill_between(x, 100 * rows["lower_95"].to_numpy(dtype=float), 100 * rows["upper_95"].to_numpy(dtype=float),
                        color=PALETTE["primary"], alpha=0.15, label=label("health.risk_band", lang))
    _thresholds(ax, lang, axis="y")
    ax.set_xticks(x, rows["quarter"].astype(str).tolist(), rotation=45, ha="right")
    ax.set_ylim(0, max(100 * AT_RISK * 1.6, float(np.nanmax(risk)) * 1.15))
    label_axes(ax, lang, title="health.risk_title", xlabel="health.risk_x", ylabel="health.risk_y", client=client)
    legend_below(ax)  # in the corner it covered the first quarters' risk
    if reasons:
        text = "\n".join(textwrap.fill(f"• {r}", 90) for r in reasons)
        # under the tick labels, the x label and the legend, however tall they are
        ax.text(0.0, 0.0, text, transform=under_axes(ax, points_below_axes(ax) + 4), va="top", ha="left", fontsize=9)
    return ax


@themed
def plot_revenue_risk(current: pd.DataFrame, *, fx_rates, names: pd.Series | None = None, lang: str = "en",
                      ax=None):
    """Every client by churn risk (x) and monthly revenue (y, roubles), sized by revenue at risk.

    Parameters
    ----------
    current : pandas.DataFrame
        ``AccountHealth.current``.
    fx_rates : mapping
        Roubles per unit of each currency (``settings.fx_rates``): revenue in other currencies is
        converted for the axis.
    names : pandas.Series, optional
        Client id -> name for the labels (ids otherwise).
    lang : {"en", "ru"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_lang(lang)
    frame = current[current["monthly_revenue"].notna()].copy()
    frame["revenue_rub"] = frame["monthly_revenue"] * frame["currency"].map(dict(fx_rates))
    at_risk = frame["revenue_at_risk_rub"].fillna(0.0)
    sizes = 30 + (400 * at_risk / at_risk.max() if at_risk.max() > 0 else 0 * at_risk)
    ax = new_axes(ax, figsize=(7.0, 5.5))  # tall enough to write the names of a crowded corner one above another
    for status, colour in STATUS_COLOURS.items():
        part = frame["status"] == status
        ax.scatter(100 * frame.loc[part, "risk"], frame.loc[part, "revenue_rub"] / 1e6, s=sizes[part], color=colour,
                   alpha=0.7, edgecolor="white", label=label(f"health.status_{status}", lang))
    _thresholds(ax, lang, axis="x")
    named = frame.sort_values("revenue_at_risk_rub", ascending=False, kind="stable").head(LABELLED)
    texts = named["client_id"] if names is None else [names.get(c, c) for c in named["client_id"]]
    label_points(ax, 100 * named["risk"], named["revenue_rub"] / 1e6, texts, radii=np.sqrt(sizes[named.index]) / 2,
                 avoid=np.column_stack([100 * frame["risk"], frame["revenue_rub"] / 1e6]),
                 avoid_radii=np.sqrt(sizes) / 2)
    ax.set_xlim(0, max(100 * AT_RISK * 1.6, 100 * float(frame["risk"].max()) * 1.1) if len(frame) else 100)
    label_axes(ax, lang, title="health.matrix_title", xlabel="health.matrix_x", ylabel="health.matrix_y")
    ax.plot([], [], linestyle="none", label=label("health.matrix_size", lang))
    legend_below(ax)  # in a corner it covered clients and their names
    for handle in ax.get_legend().legend_handles:  # one size: a status's marker sized like its first client misled
        if isinstance(handle, PathCollection):
            handle.set_sizes([40.0])
    return ax


def _thresholds(ax, lang: str, *, axis: str) -> None:
    for value, status in ((WATCH, "watch"), (AT_RISK, "at_risk")):
        line = ax.axhline if axis == "y" else ax.axvline
        line(100 * value, color=STATUS_COLOURS[status], linestyle="--", linewidth=1.0,
             label=label("health.threshold", lang, status=label(f"health.status_{status}", lang)))


__all__ = ["plot_revenue_risk", "plot_risk_history"]
