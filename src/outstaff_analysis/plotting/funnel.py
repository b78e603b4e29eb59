"""Funnel charts: stage bars with step conversions, the quarterly north star, time to fill.

Each function takes a tidy frame from :mod:`outstaff_analysis.funnel` and ``ax=None``, draws with
labels in Russian or English (``lang=``) and returns the Axes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..funnel import NORTH_STAR, PROGRESS
from ..i18n import check_lang, fmt_number, fmt_percent, label
from .layout import category_ticks, legend_below, quarter_positions, set_quarter_ticks
from .theme import CATEGORICAL, PALETTE, label_axes, new_axes, themed


@themed
def plot_funnel(counts: pd.DataFrame, *, lang: str = "en", ax=None):
    """Bars of specialists per funnel stage, labelled with the conversion from the previous stage.

    Parameters
    ----------
    counts : pandas.DataFrame
        :func:`~outstaff_analysis.funnel.funnel_counts` output; its rows are added up, so pass the
        rows of the client and periods to show.  The title says which view it is.
    lang : {"en", "ru"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_lang(lang)
    views = set(counts["view"])
    if len(views) != 1:
        raise ValueError(f"`counts` must hold one view (cohort or activity), but {sorted(views)} were passed")
    view = views.pop()
    totals = counts[list(PROGRESS)].sum().to_numpy(dtype=float)
    ax = new_axes(ax)
    x = np.arange(len(PROGRESS))
    ax.bar(x, totals, color=PALETTE["primary"], width=0.65, label=label("funnel.funnel_bars", lang))
    top = max(totals.max(), 1.0)
    for i, value in enumerate(totals):
        ax.annotate(fmt_number(value, lang), (x[i], value), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=9)
        if i and view == "cohort" and totals[i - 1] > 0:
            # over the bar's count: in the gap between two bars it was wider than the gap and ran onto them
            share = fmt_percent(value / totals[i - 1], lang)
            ax.annotate(label("funnel.step_conversion", lang, share=share), (x[i], value), xytext=(0, 15),
                        textcoords="offset points", ha="center", va="bottom", fontsize=9, color=PALETTE["benchmark"])
    if view == "cohort":
        ax.plot([], [], linestyle="none", label=label("funnel.step_note", lang))
    category_ticks(ax, x, [label(f"funnel.stage_{stage}", lang) for stage in PROGRESS])
    ax.set_ylim(0, top * 1.3)  # room for a count and a conversion over a bar as tall as the first
    label_axes(ax, lang, title=f"funnel.funnel_title_{view}",
               xlabel="funnel.funnel_xlabel", ylabel="funnel.funnel_ylabel")
    legend_below(ax, ncol=1)  # in the corner it covered the conversion labels between the bars
    return ax


@themed
def plot_north_star_trend(
    rates: pd.DataFrame,
    *,
    hue: str | None = None,
    target: float | None = None,
    lang: str = "en",
    ax=None,
):
    """Approved per CV shown by period, with its 95% band and the target line.

    Parameters
    ----------
    rates : pandas.DataFrame
        :func:`~outstaff_analysis.funnel.funnel_rates` output; only the north-star rows are drawn,
        one line per value of ``hue`` (or a single line: then pass one group's rows).
    hue : str, optional
        Column separating the lines (e.g. ``client_id``).
    target : float, optional
        Approvals per CV shown the firm aims at (``settings.north_star_target``), drawn as a
        dashed line.
    lang : {"en", "ru"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_lang(lang)
    north = rates[rates["rate"] == NORTH_STAR]
    position = quarter_positions(north["period"])
    groups = [(label("funnel.north_star_line", lang), north)] if hue is None else list(north.groupby(hue, sort=True))
    if hue is None and north["period"].duplicated().any():
        raise ValueError("`rates` has several rows per period: pass `hue=` or filter to one group")
    ax = new_axes(ax)
    for i, (name, part) in enumerate(groups):
        part = part.set_index("period").reindex(list(position))  # a quarter without data is a gap
        x = np.arange(len(position))
        color = PALETTE["primary"] if hue is None else CATEGORICAL[i % len(CATEGORICAL)]
        ax.plot(x, part["estimate"], marker="o", color=color, label=str(name))
        ax.fill_between(x, part["lower_95"], part["upper_95"], color=color, alpha=0.18,
                        label=label("funnel.ci_band", lang) if i == 0 else None)
    if target is not None:
        ax.axhline(target, color=PALETTE["target"], linestyle="--", linewidth=1.2,
                   label=label("funnel.target", lang, value=fmt_number(target, lang, digits=1)))
    set_quarter_ticks(ax, position)
    ax.set_ylim(0, max(1.05, (target or 0.0) * 1.1))
    label_axes(ax, lang, title="funnel.north_star_title",
               xlabel="funnel.north_star_xlabel", ylabel="funnel.north_star_ylabel")
    legend_below(ax)
    return ax


@themed
def plot_time_to_fill(curve: pd.DataFrame, *, hue: str | None = None, lang: str = "en", ax=None):
    """Share of requests filled (or with a first CV shown) by days since opening, with 95% band.

    Parameters
    ----------
    curve : pandas.DataFrame
        :func:`~outstaff_analysis.funnel.time_to_fill_curve` output, of one milestone and unit.
    hue : str, optional
        Column separating the curves.
    lang : {"en", "ru"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_lang(lang)
    for column in ("milestone", "unit"):
        if curve[column].nunique() != 1:
            raise ValueError(f"`curve` must hold one `{column}`, but {sorted(curve[column].unique())} were passed")
    milestone, unit = curve["milestone"].iloc[0], curve["unit"].iloc[0]
    groups = [(label("funnel.ttf_line", lang), curve)] if hue is None else list(curve.groupby(hue, sort=True))
    ax = new_axes(ax)
    for i, (name, part) in enumerate(groups):
        color = PALETTE["primary"] if hue is None else CATEGORICAL[i % len(CATEGORICAL)]
        x = np.r_[0.0, part["timeline"].to_numpy()]
        ax.step(x, np.r_[0.0, part["estimate"]], where="post", color=color, label=str(name))
        ax.fill_between(x, np.r_[0.0, part["lower_95"]], np.r_[0.0, part["upper_95"]], step="post", color=color,
                        alpha=0.18, label=label("funnel.ci_band", lang) if i == 0 else None)
    ax.set_ylim(0, 1)
    last_event = curve.loc[curve["events"] > 0, "timeline"].max()
    ax.set_xlim(0, 1.25 * last_event if last_event > 0 else None)
    label_axes(ax, lang, title=f"funnel.ttf_title_{milestone}",
               xlabel=f"funnel.ttf_xlabel_{unit}", ylabel="funnel.ttf_ylabel")
    ax.legend(loc="lower right")
    return ax


__all__ = ["plot_funnel", "plot_north_star_trend", "plot_time_to_fill"]
