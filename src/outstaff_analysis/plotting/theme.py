"""The one place where matplotlib's look is set.

Plot functions call :func:`apply_theme` through :func:`new_axes`, never ``plt.rcParams`` directly,
so a report and an analyst's notebook look the same.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns

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


def apply_theme() -> None:
    """Apply the package's seaborn/matplotlib style (idempotent)."""
    sns.set_theme(style="whitegrid", rc=_RC)


def new_axes(ax=None, *, figsize=(7.0, 4.0)):
    """Return ``ax`` or, if it is None, the Axes of a new themed figure."""
    if ax is not None:
        return ax
    apply_theme()
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


__all__ = ["CATEGORICAL", "PALETTE", "apply_theme", "label_axes", "new_axes"]
