"""SLA chart: share of events within target per kind, with 95% intervals.

Takes the tidy frame of :func:`outstaff_analysis.sla.sla_compliance` and ``ax=None``, draws with
labels in Russian or English (``lang=``) and returns the Axes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..i18n import check_lang, fmt_number, fmt_percent, label
from .layout import category_ticks, legend_below, note_in_place
from .theme import CATEGORICAL, PALETTE, label_axes, new_axes, themed

KIND_ORDER = ("message", "bug", "replacement")
INSIDE_BAR = 0.15
"""Shares below this are labelled above their bar, not inside it."""


@themed
def plot_sla_compliance(
    compliance: pd.DataFrame,
    *,
    hue: str | None = None,
    hue_order=None,
    target: float | None = None,
    lang: str = "en",
    ax=None,
):
    """Bars of the share of events within their SLA target, per kind, with 95% error bars.

    A kind with no judged event in a group has no bar: in its place a note says in words that there
    were no requests of that kind (or that they are all still open), never a share or an ``n`` of "—".

    Parameters
    ----------
    compliance : pandas.DataFrame
        :func:`~outstaff_analysis.sla.sla_compliance` output: one row per kind, or per kind and
        value of ``hue``.
    hue : str, optional
        Column drawn as side-by-side bars (e.g. ``period``).
    hue_order : sequence, optional
        Values of ``hue`` to draw, in this order (default: those in ``compliance``, sorted); a value
        without rows, such as a quarter without requests, is drawn as notes.
    target : float, optional
        Share within SLA the firm aims at (``settings.sla_goal``, e.g. 0.95), drawn as a dashed line.
    lang : {"en", "ru"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_lang(lang)
    keys = ["kind"] if hue is None else ["kind", hue]
    if compliance.duplicated(keys).any():
        raise ValueError(f"`compliance` must have one row per {keys}: filter it to one client and period")
    kinds = [k for k in KIND_ORDER if k in set(compliance["kind"])]
    if hue is None:
        groups = [(label("sla.share_within", lang), compliance)]
    else:
        order = sorted(compliance[hue].unique()) if hue_order is None else list(hue_order)
        groups = [(value, compliance[compliance[hue] == value]) for value in order]
    ax = new_axes(ax)
    width = 0.8 / len(groups)
    for i, (name, part) in enumerate(groups):
        part = part.set_index("kind").reindex(kinds)
        x = np.arange(len(kinds)) - 0.4 + width * (i + 0.5)
        judged = part["n_events"].fillna(0).to_numpy() > 0
        part, empty, x, x_empty = part[judged], part[~judged], x[judged], x[~judged]
        err = 100 * np.vstack([part["estimate"] - part["lower_95"], part["upper_95"] - part["estimate"]])
        color = PALETTE["primary"] if hue is None else CATEGORICAL[i % len(CATEGORICAL)]
        ax.bar(x, 100 * part["estimate"].to_numpy(dtype=float), width=width * 0.9, color=color, label=str(name),
               yerr=err, capsize=3, ecolor=PALETTE["benchmark"])
        for xi, value in zip(x, part["estimate"]):
            if value == 0:  # a 0 % bar has no height: draw its base so the bar is seen
                ax.plot([xi - width * 0.45, xi + width * 0.45], [0, 0], color=color, linewidth=4,
                        solid_capstyle="butt", clip_on=False)
        for xi, value, upper, n in zip(x, part["estimate"], part["upper_95"], part["n_events"]):
            text = f"{fmt_percent(value, lang)}\n{label('sla.n_events', lang, n=fmt_number(n, lang))}"
            inside = value >= INSIDE_BAR  # a short bar has no room: write above its error bar, in ink
            ax.annotate(text, (xi, 2 if inside else 100 * upper + 2), ha="center", va="bottom",
                        fontsize=9, color="white" if inside else "#333333", zorder=4,
                        # above the bar, on white: the goal line ran through "0 %"
                        bbox=None if inside else {"boxstyle": "round,pad=0.15", "facecolor": "white",
                                                  "edgecolor": "none", "alpha": 0.9})
        for xi, pending in zip(x_empty, empty["n_pending"].fillna(0).to_numpy() > 0):
            # in its colour: which group (quarter) it speaks of is plain
            note_in_place(ax, (xi, 2), label("sla.all_pending" if pending else "sla.no_events", lang), color=color,
                          upright=True)
    if target is not None:
        ax.axhline(100 * target, color=PALETTE["target"], linestyle="--", linewidth=1.2,
                   label=label("sla.goal", lang, value=fmt_percent(target, lang)))
    targets = compliance.drop_duplicates("kind").set_index("kind")["target"]
    category_ticks(ax, range(len(kinds)),
                   [label(f"sla.kind_{k}", lang, target=fmt_number(targets[k], lang, digits=0)) for k in kinds])
    ax.set_ylim(0, 118)  # room for the labels above a full bar; the scale itself stops at 100 %
    ax.set_yticks(range(0, 101, 20))
    ax.spines["left"].set_bounds(0, 100)
    label_axes(ax, lang, title="sla.title", xlabel="sla.xlabel", ylabel="sla.ylabel")
    legend_below(ax)
    return ax


__all__ = ["plot_sla_compliance"]
