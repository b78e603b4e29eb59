"""CSI charts: factor scores against the previous quarter, CSI trend, importance x performance,
and the quotes table.

Each function takes a tidy frame from :mod:`outstaff_analysis.csi` and ``ax=None``, draws with
labels in Russian or English (``lang=``) and returns the Axes (the quotes table returns a pandas
Styler).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import FACTORS
from ..csi.weights import QUADRANTS
from ..i18n import check_lang, label
from .layout import legend_below, note_in_place, quarter_positions, set_quarter_ticks
from .theme import PALETTE, label_axes, new_axes, themed


def _factor_label(factor: str, lang: str) -> str:
    return label(f"csi.factor_{factor}", lang)


@themed
def plot_factor_scores(scores: pd.DataFrame, *, quarter: str | None = None, lang: str = "en", ax=None):
    """Factor scores with 95% intervals for a quarter, against the previous quarter.

    Parameters
    ----------
    scores : pandas.DataFrame
        :func:`~outstaff_analysis.csi.scores.client_quarter_scores` rows of one client.
    quarter : str, optional
        Quarter to show (``"2024Q4"``); default the latest in ``scores``.  The previous quarter is
        drawn beside it when present.
    lang : {"en", "ru"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_lang(lang)
    if scores["client_id"].nunique() > 1:
        raise ValueError("`scores` must hold one client's rows; filter on `client_id` first")
    quarter = quarter or max(scores["quarter"])
    previous = str(pd.Period(quarter, freq="Q") - 1)
    order = [*FACTORS, "csi"]
    ax = new_axes(ax, figsize=(7.0, 4.5))
    y = np.arange(len(order))[::-1].astype(float)
    shown = [(quarter, 0.15, PALETTE["primary"]), (previous, -0.15, PALETTE["benchmark"])]
    for q, offset, colour in shown:
        rows = scores.loc[scores["quarter"] == q].set_index("factor").reindex(order)
        if rows["n_evidence"].isna().all():
            continue
        est = rows["estimate"].to_numpy(dtype=float)
        err = np.vstack([est - rows["lower_95"].to_numpy(dtype=float), rows["upper_95"].to_numpy(dtype=float) - est])
        ax.errorbar(est, y + offset, xerr=err, fmt="o", color=colour, capsize=3, label=q)
        if q == quarter:
            for yi, missing in zip(y + offset, rows["insufficient_evidence"].fillna(True).to_numpy(dtype=bool)):
                if missing:
                    note_in_place(ax, (50, yi), label("csi.insufficient", lang), color=PALETTE["warn"])
    has_previous = (scores["quarter"] == previous).any()
    title = "csi.scores_title" if has_previous else "csi.scores_title_single"
    label_axes(ax, lang, title=title, xlabel="csi.scores_xlabel", ylabel="csi.scores_ylabel", quarter=quarter,
               previous=previous)
    ax.set_yticks(y, [_factor_label(f, lang) for f in order])
    ax.set_ylim(-0.6, len(order) - 0.4)  # every row whole: a note on the top row fell outside and was not drawn
    ax.set_xlim(0, 100)
    legend_below(ax)  # inside the axes its marker sat on a factor's row and read as an estimate
    return ax


@themed
def plot_csi_trend(scores: pd.DataFrame, *, hue: str | None = None, lang: str = "en", ax=None):
    """CSI by quarter with its 95% band.

    Parameters
    ----------
    scores : pandas.DataFrame
        :func:`~outstaff_analysis.csi.scores.client_quarter_scores` output; only the ``csi`` rows
        are drawn.  One line per value of ``hue`` (e.g. ``client_id``), or a single line: then
        pass one client's rows.
    hue : str, optional
    lang : {"en", "ru"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_lang(lang)
    rows = scores.loc[scores["factor"] == "csi"].sort_values("quarter")
    if hue is None and rows["client_id"].nunique() > 1:
        raise ValueError("`scores` holds several clients: pass `hue='client_id'` or filter to one client")
    position = quarter_positions(rows["quarter"])
    ax = new_axes(ax)
    groups = rows.groupby(hue, sort=True) if hue else [(label("csi.factor_csi", lang), rows)]
    for name, group in groups:
        group = group.set_index("quarter").reindex(list(position))  # a quarter without data is a gap
        x = np.arange(len(position), dtype=float)
        line, = ax.plot(x, group["estimate"], marker="o", label=str(name))
        ax.fill_between(x, group["lower_95"], group["upper_95"], color=line.get_color(), alpha=0.15)
    ax.fill_between([], [], [], color=PALETTE["benchmark"], alpha=0.15, label=label("csi.band", lang))
    set_quarter_ticks(ax, position)
    ax.set_ylim(0, 100)
    label_axes(ax, lang, title="csi.trend_title", xlabel="csi.trend_xlabel", ylabel="csi.trend_ylabel")
    legend_below(ax, ncol=3)
    return ax


@themed
def plot_importance_performance(table: pd.DataFrame, *, lang: str = "en", ax=None):
    """Importance x performance quadrant: one point per factor, the cuts at the averages.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~outstaff_analysis.csi.weights.importance_performance` output.
    lang : {"en", "ru"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_lang(lang)
    ax = new_axes(ax, figsize=(6.5, 5.0))
    colours = dict(zip(QUADRANTS, (PALETTE["bad"], PALETTE["good"], PALETTE["benchmark"], PALETTE["warn"])))
    for quadrant in QUADRANTS:
        rows = table.loc[table["quadrant"] == quadrant]
        if len(rows):
            ax.scatter(rows["importance"], rows["performance"], s=60, color=colours[quadrant],
                       label=label(f"csi.quadrant_{quadrant}", lang), zorder=3)
    for row in table.itertuples(index=False):
        if not np.isnan(row.performance):
            ax.annotate(_factor_label(row.factor, lang), (row.importance, row.performance), xytext=(5, 4),
                        textcoords="offset points", fontsize=9)
    ax.axvline(table["importance_cut"].iloc[0], color=PALETTE["benchmark"], linestyle="--",
               label=label("csi.quadrant_cuts", lang))
    ax.axhline(table["performance_cut"].iloc[0], color=PALETTE["benchmark"], linestyle="--")
    ax.set_xlim(0, max(table["importance"].max() * 1.2, 0.05))
    ax.set_ylim(0, 100)
    label_axes(ax, lang, title="csi.quadrant_title",
               xlabel="csi.quadrant_xlabel", ylabel="csi.quadrant_ylabel")
    ax.legend(loc="lower right", fontsize=9)
    return ax


def _clock(seconds: float) -> str:
    if seconds is None or np.isnan(seconds):
        return "—"
    seconds = int(seconds)
    return f"{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def quotes_table(quotes: pd.DataFrame, *, lang: str = "en"):
    """The quotes table per factor, positive and negative, as a styled DataFrame.

    Parameters
    ----------
    quotes : pandas.DataFrame
        :func:`~outstaff_analysis.csi.scores.top_quotes` output.
    lang : {"en", "ru"}

    Returns
    -------
    pandas.io.formats.style.Styler
        Columns labelled in ``lang``: factor, tone, quote, speaker, time (h:mm:ss into the call),
        interview; negative rows tinted.
    """
    check_lang(lang)
    frame = pd.DataFrame({
        label("csi.quotes_factor", lang): [_factor_label(f, lang) for f in quotes["factor"]],
        label("csi.quotes_polarity", lang): [label(f"csi.polarity_{p}", lang) for p in quotes["polarity"]],
        label("csi.quotes_quote", lang): quotes["quote"].to_numpy(),
        label("csi.quotes_speaker", lang): quotes["speaker"].to_numpy(),
        label("csi.quotes_time", lang): [_clock(s) for s in quotes["start"].astype(float)],
        label("csi.quotes_interview", lang): quotes["interview_id"].to_numpy(),
    })
    negative = quotes["polarity"].to_numpy() == "negative"
    tone = label("csi.quotes_polarity", lang)

    def tint(row):
        colour = "#fbeaea" if negative[row.name] else "#eaf5ee"
        return [f"background-color: {colour}" if col == tone else "" for col in row.index]

    return frame.style.apply(tint, axis=1).hide(axis="index")


__all__ = ["plot_csi_trend", "plot_factor_scores", "plot_importance_performance", "quotes_table"]
