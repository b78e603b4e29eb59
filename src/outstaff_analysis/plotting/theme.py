"""The one place where matplotlib's look is set: a style the package's plots use, as a context.

Every plot function runs inside :func:`theme` (the :func:`themed` decorator), which sets the
package's style with ``matplotlib.rc_context`` for that call only: a report and an analyst's
notebook look the same, and the analyst's own global matplotlib style is never changed.  An
analyst who wants the same look on their own figures writes ``with theme(): ...``.
"""

from __future__ import annotations

import contextlib
import functools

import matplotlib.pyplot as plt
import seaborn as sns
from cycler import cycler

from ..i18n import label

PALETTE = {
    "primary": "#1f5a96",
    "benchmark": "#8c8c8c",
    "good": "#2e8b57",
    "warn": "#e0a100",
    "bad": "#c0392b",
    "target": "#c0392b",
}
"""Named colours used across plots."""

CATEGORICAL = sns.color_palette("deep")

_RC = {
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "font.family": "DejaVu Sans",  # has Cyrillic glyphs
}


STYLE = {
    **sns.axes_style("whitegrid"),
    **sns.plotting_context("notebook"),
    "axes.prop_cycle": cycler(color=CATEGORICAL),
    **_RC,
}
"""The rc parameters of the package's plots: seaborn's whitegrid style, its notebook context, then ours."""


@contextlib.contextmanager
def theme():
    """Context in which matplotlib draws in the package's style; the previous style is restored after.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from outstaff_analysis.plotting.theme import theme
    >>> before = plt.rcParams["axes.spines.top"]
    >>> with theme():
    ...     plt.rcParams["axes.spines.top"]
    False
    >>> plt.rcParams["axes.spines.top"] == before
    True
    """
    with plt.rc_context(STYLE):
        yield


def themed(plot):
    """Decorator: run a plot function inside :func:`theme`."""

    @functools.wraps(plot)
    def wrapper(*args, **kwargs):
        with theme():
            return plot(*args, **kwargs)

    return wrapper


def new_axes(ax=None, *, figsize=(7.0, 4.0)):
    """Return ``ax`` or, if it is None, the Axes of a new figure (in the style of the calling plot)."""
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize)
    return ax


def label_axes(ax, lang: str, *, title: str, xlabel: str, ylabel: str, **fields):
    """Set the title and axis labels from locale keys (``"domain.name"``); ``fields`` fill the title.

    Every chart the package draws is labelled through here, so none goes out without a title or
    axis names in the report's language.
    """
    ax.set_title(label(title, lang, **fields))
    ax.set_xlabel(label(xlabel, lang))
    ax.set_ylabel(label(ylabel, lang))
    return ax


__all__ = ["CATEGORICAL", "PALETTE", "STYLE", "label_axes", "new_axes", "theme", "themed"]
