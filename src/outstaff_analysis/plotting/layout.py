"""Layout helpers shared by the plots: quarter axes with every quarter in place, and legends below the axes."""

from __future__ import annotations

import pandas as pd
from matplotlib import transforms


def quarter_positions(periods) -> dict[str, int]:
    """Position on a quarter axis of every quarter from the earliest to the latest of ``periods``.

    A quarter without data keeps its place (a gap in the line), so time is spaced evenly and a
    missing quarter is visible instead of silently dropped.

    Examples
    --------
    >>> quarter_positions(["2024Q1", "2024Q3"])
    {'2024Q1': 0, '2024Q2': 1, '2024Q3': 2}
    """
    quarters = sorted({str(p) for p in periods})
    if not quarters:
        return {}
    full = pd.period_range(quarters[0], quarters[-1], freq="Q")
    return {str(q): i for i, q in enumerate(full)}


def set_quarter_ticks(ax, positions: dict[str, int]) -> None:
    """Label a quarter axis with every quarter, slanted when there are many."""
    many = len(positions) > 6
    ax.set_xticks(list(positions.values()), list(positions), rotation=45 if many else 0,
                  ha="right" if many else "center")
    ax.set_xlim(-0.5, max(len(positions) - 0.5, 0.5))


def points_below_axes(ax) -> float:
    """Height in points of what hangs under the axes: tick labels and the x label (rotated or wrapped ones too)."""
    renderer = ax.figure.canvas.get_renderer()
    below = ax.get_window_extent(renderer).y0 - ax.xaxis.get_tightbbox(renderer).y0
    return max(below, 0.0) * 72 / ax.figure.dpi


def under_axes(ax, points: float, *, x: str = "axes"):
    """Transform placing y = 0 ``points`` under the axes' bottom edge, x in axes (or data) coordinates.

    Offsets in points keep their distance however the figure is resized later.
    """
    base = ax.transAxes if x == "axes" else transforms.blended_transform_factory(ax.transData, ax.transAxes)
    return base + transforms.ScaledTranslation(0, -points / 72, ax.figure.dpi_scale_trans)


def legend_below(ax, *, ncol: int = 2) -> None:
    """Put the legend under the axes, their tick labels and x label, so it never sits on the data."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0),
              bbox_transform=under_axes(ax, points_below_axes(ax) + 4), ncol=ncol, fontsize=9)
