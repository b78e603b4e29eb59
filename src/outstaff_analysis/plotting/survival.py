"""Survival charts: Kaplan-Meier with at-risk table, valley-of-death bands, end reasons, accounts.

Each function takes a tidy frame from :mod:`outstaff_analysis.survival` and ``ax=None``, draws with
labels in Russian or English (``lang=``) and returns the Axes.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from ..i18n import check_lang, fmt_number, label
from .layout import category_ticks, legend_below, points_below_axes, under_axes
from .theme import CATEGORICAL, PALETTE, label_axes, new_axes, themed


@themed
def plot_km(
    curve: pd.DataFrame,
    *,
    hue: str | None = None,
    at_risk: pd.DataFrame | None = None,
    benchmark: pd.DataFrame | None = None,
    lang: str = "en",
    ax=None,
):
    """Kaplan-Meier curve(s) of placements with a 95% band, an at-risk table and a benchmark.

    Parameters
    ----------
    curve : pandas.DataFrame
        :func:`~outstaff_analysis.survival.km_curve` output (one line per ``hue`` value).
    hue : str, optional
        Column of ``curve`` (and ``at_risk``) separating the lines.
    at_risk : pandas.DataFrame, optional
        :func:`~outstaff_analysis.survival.at_risk_table` output, drawn as rows beneath the axes
        at its ``time_months``; the number at risk is the number still placed at the start of the day.
    benchmark : pandas.DataFrame, optional
        ``km_curve`` of the whole firm, overlaid (dashed, grey) to compare a single client with it.
    lang : {"en", "ru"}
        Language of the labels.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = new_axes(ax, figsize=(7.5, 4.8))
    _draw_curves(ax, curve, hue=hue, default=label("survival.all_placements", lang), lang=lang)
    if benchmark is not None:
        ax.step(
            benchmark["time_months"],
            benchmark["estimate"],
            where="post",
            color=PALETTE["benchmark"],
            linestyle="--",
            linewidth=1.5,
            label=label("survival.benchmark", lang),
        )
    _finish(ax, "km", lang)
    if at_risk is not None:
        _at_risk_rows(ax, at_risk, hue=hue, lang=lang)
    return ax


@themed
def plot_hazard_bands(bands: pd.DataFrame, *, hue: str | None = None, lang: str = "en", ax=None):
    """Ending rate per 100 placement-months by tenure band, as bars with 95% error bars.

    Parameters
    ----------
    bands : pandas.DataFrame
        :func:`~outstaff_analysis.survival.hazard_bands` output.
    hue : str, optional
        Grouping column drawn as side-by-side bars.
    lang : {"en", "ru"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_lang(lang)
    ax = new_axes(ax)
    labels = list(dict.fromkeys(bands["band"]))
    groups = (
        [(label("survival.hazard_rate", lang), bands)] if hue is None else list(bands.groupby(hue, sort=True))
    )
    width = 0.8 / len(groups)
    for i, (name, part) in enumerate(groups):
        part = part.set_index("band").reindex(labels)
        x = np.arange(len(labels)) + (i - (len(groups) - 1) / 2) * width
        error = np.vstack([part["estimate"] - part["lower_95"], part["upper_95"] - part["estimate"]])
        ax.bar(
            x,
            part["estimate"],
            width=width * 0.9,
            yerr=error,
            capsize=4,
            label=str(name),
            color=PALETTE["primary"] if hue is None else CATEGORICAL[i % len(CATEGORICAL)],
            error_kw={"ecolor": "#333333", "elinewidth": 1},
        )
    ends = bands.drop_duplicates("band").set_index("band").reindex(labels)
    category_ticks(ax, np.arange(len(labels)), [_band_text(a, b, lang) for a, b in zip(ends["start_months"],
                                                                                      ends["end_months"])])
    _finish(ax, "hazard", lang)
    return ax


@themed
def plot_cumulative_incidence(incidence: pd.DataFrame, *, lang: str = "en", ax=None):
    """Stacked cumulative incidence of the end reasons, with the share still placed on top.

    Parameters
    ----------
    incidence : pandas.DataFrame
        :func:`~outstaff_analysis.survival.cumulative_incidence` output for one group, over the
        whole curve (``times=None``).  The layers sum to 1 at every time.
    lang : {"en", "ru"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_lang(lang)
    ax = new_axes(ax)
    if incidence.duplicated(["time_days", "cause"]).any():
        raise ValueError("`incidence` must hold one group's curve: select one group before plotting")
    wide = incidence.pivot(index="time_months", columns="cause", values="estimate")
    causes = list(dict.fromkeys(incidence["cause"]))
    wide = wide[causes]
    colours = [*CATEGORICAL[: len(causes) - 1], "#e8e8e8"]
    ax.stackplot(
        wide.index,
        wide.to_numpy().T,
        labels=[label(f"survival.{c}", lang) for c in causes],
        colors=colours,
        step="post",
    )
    ax.set_ylim(0, 1)
    ax.set_xlim(0, wide.index.max())
    _finish(ax, "cif", lang, ylabel="cif_ylabel", xlabel="km_xlabel")
    return ax


@themed
def plot_account_survival(curve: pd.DataFrame, *, hue: str | None = None, lang: str = "en", ax=None):
    """Kaplan-Meier survival of client accounts with 95% bands, by ``hue`` (segment, source...).

    Parameters
    ----------
    curve : pandas.DataFrame
        :func:`~outstaff_analysis.survival.km_curve` of an account frame.
    hue : str, optional
        Column separating the lines.
    lang : {"en", "ru"}
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = new_axes(ax)
    _draw_curves(ax, curve, hue=hue, default=label("survival.all_accounts", lang), lang=lang)
    _finish(ax, "account", lang)
    return ax


def _band_text(start: float, end: float, lang: str) -> str:
    """``0–3``, ..., ``12+`` (months, named in the x label): the data's ``[12,inf)`` is not for readers."""
    def months(value: float) -> str:
        return fmt_number(value, lang, digits=0 if float(value).is_integer() else 1)

    return f"{months(start)}+" if np.isinf(end) else f"{months(start)}–{months(end)}"


def _draw_curves(ax, curve: pd.DataFrame, *, hue: str | None, default: str, lang: str) -> None:
    groups = [(default, curve)] if hue is None else list(curve.groupby(hue, sort=True))
    for i, (name, part) in enumerate(groups):
        colour = PALETTE["primary"] if hue is None else CATEGORICAL[i % len(CATEGORICAL)]
        ax.step(
            part["time_months"], part["estimate"], where="post", color=colour, linewidth=2, label=str(name)
        )
        ax.fill_between(
            part["time_months"],
            part["lower_95"],
            part["upper_95"],
            step="post",
            color=colour,
            alpha=0.18,
            linewidth=0,
            label=label("survival.ci_band", lang) if len(groups) == 1 else None,
        )
    if len(groups) > 1:  # one grey entry after the lines: between them it read as one of the groups
        ax.fill_between([], [], [], color=PALETTE["benchmark"], alpha=0.18, linewidth=0,
                        label=label("survival.ci_band", lang))
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)


def _at_risk_rows(ax, at_risk: pd.DataFrame, *, hue: str | None, lang: str) -> None:
    """Write the at-risk table beneath the axes' x label and legend: a heading, the times in months, then
    for each line its name on a row of its own and its counts, aligned with the x data.  Rows are placed
    in points under the axes, so they keep clear of the x label whatever the figure's size."""
    groups = [(None, at_risk)] if hue is None else list(at_risk.groupby(hue, sort=True))
    times = at_risk.drop_duplicates("time_months")["time_months"]
    top = points_below_axes(ax) + 6
    row = 13.0
    ax.text(0, 0, textwrap.fill(label("survival.at_risk_label", lang), 48), transform=under_axes(ax, top),
            fontsize=9, fontweight="bold", ha="left", va="top")
    y = top + 2.3 * row
    for t in times:
        ax.text(t, 0, fmt_number(t, lang), transform=under_axes(ax, y, x="data"), fontsize=9, ha="center", va="top",
                color="#555555")
    for name, part in groups:
        if name is not None:
            y += row
            ax.text(0, 0, str(name), transform=under_axes(ax, y), fontsize=9, fontstyle="italic", ha="left", va="top")
        y += row
        for t, n in zip(part["time_months"], part["n_at_risk"]):
            ax.text(t, 0, fmt_number(n, lang), transform=under_axes(ax, y, x="data"), fontsize=9, ha="center",
                    va="top")


def _finish(ax, kind: str, lang: str, *, xlabel: str | None = None, ylabel: str | None = None) -> None:
    label_axes(ax, lang, title=f"survival.{kind}_title",
               xlabel=f"survival.{xlabel or kind + '_xlabel'}",
               ylabel=f"survival.{ylabel or kind + '_ylabel'}")
    legend_below(ax)  # inside, "best" still sat on curves and bands (account survival by segment)
