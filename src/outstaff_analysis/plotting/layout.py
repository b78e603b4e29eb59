"""Layout helpers shared by the plots: quarter axes with every quarter in place, legends below the axes, and
point labels that do not collide."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib import transforms
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import IdentityTransform


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


def category_ticks(ax, positions, labels, *, width: int = 12) -> None:
    """Label a categorical x axis (bars per kind or stage): each line wrapped at ``width`` characters,
    and no vertical grid, which through a bar read as its error bar.

    On a phone-width chart longer names ran into each other (the Russian SLA kinds, the funnel stages).
    """
    ax.set_xticks(list(positions), ["\n".join(textwrap.fill(line, width) for line in str(text).split("\n"))
                                    for text in labels])
    ax.grid(False, axis="x")


def points_below_axes(ax) -> float:
    """Height in points of what hangs under the axes: tick labels, the x label (rotated or wrapped ones too)
    and a legend put under them (:func:`legend_below`), so what is written next goes under all of it."""
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    bottom = ax.xaxis.get_tightbbox(renderer).y0
    legend = ax.get_legend()
    if legend is not None and legend.get_window_extent(renderer).y1 <= frame.y0:
        bottom = min(bottom, legend.get_window_extent(renderer).y0)
    return max(frame.y0 - bottom, 0.0) * 72 / ax.figure.dpi


def under_axes(ax, points: float, *, x: str = "axes"):
    """Transform placing y = 0 ``points`` under the axes' bottom edge, x in axes (or data) coordinates.

    Offsets in points keep their distance however the figure is resized later.
    """
    base = ax.transAxes if x == "axes" else transforms.blended_transform_factory(ax.transData, ax.transAxes)
    return base + transforms.ScaledTranslation(0, -points / 72, ax.figure.dpi_scale_trans)


LEGEND_MAX_POINTS = 250.0
"""Widest legend put under the axes, in points: it fits under the axes of a chart 5 inches wide (a report's)."""


def legend_below(ax, *, ncol: int = 2) -> None:
    """Put the legend under the axes, their tick labels and x label, so it never sits on the data.

    It takes up to ``ncol`` columns, fewer where it would be wider than :data:`LEGEND_MAX_POINTS`
    (two columns of long Russian labels made a report's chart wider than the page, so it was shrunk).
    """
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    renderer = ax.figure.canvas.get_renderer()
    below = under_axes(ax, points_below_axes(ax) + 4)
    for columns in range(min(ncol, len(handles)), 0, -1):
        legend = ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0), bbox_transform=below,
                           ncol=columns, fontsize=9)
        if legend.get_window_extent(renderer).width * 72 / ax.figure.dpi <= LEGEND_MAX_POINTS:
            break


def note_in_place(ax, xy, text: str, *, color: str, upright: bool = False):
    """Say in words, where a value would be drawn, why it is not (no requests, too little evidence).

    The place is kept, as a quarter without data keeps its place on a quarter axis, so a missing value
    reads as missing instead of as a zero or a "—".  ``upright`` writes it upwards from ``xy``, for a bar's place.
    """
    return ax.annotate(text, xy, ha="center", va="bottom" if upright else "center", rotation=90 if upright else 0,
                       fontsize=9, color=color)


class LabelPlacer(Artist):
    """Invisible artist that, each time the axes are drawn, moves its point labels where they collide with nothing.

    Each label (an :class:`~matplotlib.text.Annotation` of a point, offset in points) is tried, in the
    order given, first right beside its point (eight places around the marker), then further away on a
    grid of offsets, nearest first, with a thin leader line to its point.  It takes the first place
    inside the axes that overlaps no label placed before it and no point, else the first clear of
    labels only; a label with no such place is not drawn (so the first given are the last to go).
    Text extents come from the renderer at draw time, so the placement holds however the figure is
    resized or laid out after plotting.  Deterministic: the same figure gives the same placement.
    """

    GAP = 2.0
    """Points between a label and its marker, and between two labels."""
    STEP, REACH = 8.0, 120.0
    """Grid of the places further away: offsets in points, up to this far on each axis."""

    def __init__(self, labels, radii, obstacles, obstacle_radii):
        super().__init__()
        self.labels = list(labels)
        self.radii = np.asarray(radii, dtype=float)
        self.obstacles = np.asarray(obstacles, dtype=float).reshape(-1, 2)
        self.obstacle_radii = np.asarray(obstacle_radii, dtype=float)
        self.set_zorder(min((t.get_zorder() for t in self.labels), default=3) - 0.01)  # placed, then drawn
        self.set_in_layout(False)  # it has no extent of its own

    def draw(self, renderer):
        ax = self.axes
        pt = ax.figure.dpi / 72
        frame = ax.get_window_extent(renderer)
        centres = ax.transData.transform(self.obstacles).reshape(-1, 2)
        half = (self.obstacle_radii * pt)[:, None]
        markers = np.hstack([centres - half, centres + half])
        placed = np.empty((0, 4))
        far = self._grid()
        for text, radius in zip(self.labels, self.radii):
            near = (radius + self.GAP) * np.array(
                [(1, 1), (-1, 1), (1, -1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)], dtype=float)
            offsets = np.vstack([near, far[np.abs(far).max(axis=1) > radius + self.GAP]])
            boxes = self._boxes(text, offsets, pt, renderer)
            inside = ((boxes[:, :2] >= [frame.x0, frame.y0]) & (boxes[:, 2:] <= [frame.x1, frame.y1])).all(axis=1)
            clear = inside & ~_overlaps(boxes, placed, self.GAP * pt)
            free = clear & ~_overlaps(boxes, markers, 0.0)
            choice = np.flatnonzero(free if free.any() else clear)
            text.set_visible(len(choice) > 0)
            if len(choice):
                i = choice[0]
                self._put(text, offsets[i])
                placed = np.vstack([placed, boxes[i]])
                if i >= len(near):
                    self._leader(renderer, ax.transData.transform(text.xy), boxes[i], offsets[i], radius * pt)
        self.stale = False

    def _leader(self, renderer, point, box, offset, radius):
        """A thin line from the marker's edge to the label's side or corner nearest it."""
        dx, dy = np.sign(offset)
        end = np.array([(box[0], (box[0] + box[2]) / 2, box[2])[int(1 - dx)],
                        (box[1], (box[1] + box[3]) / 2, box[3])[int(1 - dy)]])
        start = point + (end - point) * radius / max(np.hypot(*(end - point)), 1e-9)
        line = Line2D([start[0], end[0]], [start[1], end[1]], transform=IdentityTransform(), color="#777777",
                      linewidth=0.6)
        line.set_figure(self.figure)
        line.draw(renderer)

    def _grid(self):
        """Offsets further from the point, nearest first (ties in a fixed order)."""
        steps = np.arange(-self.REACH, self.REACH + self.STEP, self.STEP)
        grid = np.array([(dx, dy) for dy in steps for dx in steps])
        return grid[np.argsort(np.hypot(grid[:, 0], grid[:, 1]), kind="stable")]

    @staticmethod
    def _put(text, offset):
        """Offset ``text`` (points), aligned by its side or corner nearest its point."""
        dx, dy = np.sign(offset)
        text.xyann = tuple(offset)
        text.set_horizontalalignment({1: "left", -1: "right", 0: "center"}[dx])
        text.set_verticalalignment({1: "bottom", -1: "top", 0: "center"}[dy])

    def _boxes(self, text, offsets, pt, renderer):
        """Display boxes (x0, y0, x1, y1) ``text`` would take at each of ``offsets``: measured once."""
        self._put(text, (0.0, 0.0))
        text.update_positions(renderer)  # the text's transform follows its offset only once updated
        box = Text.get_window_extent(text, renderer)  # the text alone, without its leader line
        shift = np.sign(offsets)
        x0 = box.x0 + offsets[:, 0] * pt - (1 - shift[:, 0]) * box.width / 2 + box.width / 2
        y0 = box.y0 + offsets[:, 1] * pt - (1 - shift[:, 1]) * box.height / 2 + box.height / 2
        return np.column_stack([x0, y0, x0 + box.width, y0 + box.height])


def _overlaps(boxes: np.ndarray, others: np.ndarray, pad: float) -> np.ndarray:
    """Whether each of ``boxes`` (grown by ``pad`` on every side) overlaps any of ``others`` (n x 4 arrays)."""
    if not len(others):
        return np.zeros(len(boxes), dtype=bool)
    b, o = boxes[:, None, :], others[None, :, :]
    return ((b[..., 0] - pad < o[..., 2]) & (o[..., 0] < b[..., 2] + pad)
            & (b[..., 1] - pad < o[..., 3]) & (o[..., 1] < b[..., 3] + pad)).any(axis=1)


def label_points(ax, x, y, texts, *, radii=None, avoid=None, avoid_radii=None, fontsize: float = 9):
    """Name points with labels that do not collide: a :class:`LabelPlacer` places them at draw time.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x, y : array-like
        Data coordinates of the points to name, the most important first (it is placed first).
    texts : sequence of str
    radii : array-like, optional
        Marker radius of each named point in points (``sqrt(s) / 2`` of a scatter's size ``s``); 3 by default.
    avoid, avoid_radii : array-like, optional
        Data coordinates (n x 2) and marker radii of every point a label should not cover.
    fontsize : float

    Returns
    -------
    list of matplotlib.text.Annotation
    """
    radii = np.full(len(texts), 3.0) if radii is None else np.asarray(radii, dtype=float)
    labels = [ax.annotate(str(t), (xi, yi), xytext=(0, 0), textcoords="offset points", fontsize=fontsize)
              for xi, yi, t in zip(x, y, texts)]
    avoid = np.empty((0, 2)) if avoid is None else np.asarray(avoid, dtype=float)
    avoid_radii = np.full(len(avoid), 3.0) if avoid_radii is None else avoid_radii
    ax.add_artist(LabelPlacer(labels, radii, avoid, avoid_radii))
    return labels
