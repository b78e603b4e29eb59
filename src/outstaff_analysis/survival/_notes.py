"""Blanking figures that the data cannot support, with the reason in a ``note`` column."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..config import Settings
from ..exceptions import InsufficientDataWarning

BEYOND_FOLLOW_UP = "beyond follow-up"
VALUE_COLUMNS = ("estimate", "lower_95", "upper_95")


def few_at_risk(settings: Settings) -> str:
    """Note for a figure resting on fewer than ``settings.min_at_risk`` at risk."""
    return f"fewer than {settings.min_at_risk} at risk"


def blank(
    frame: pd.DataFrame,
    *,
    beyond: np.ndarray,
    few: np.ndarray,
    settings: Settings,
    what: str,
    columns: tuple[str, ...] = VALUE_COLUMNS,
) -> pd.DataFrame:
    """Set the value columns to NaN where a figure is beyond follow-up or rests on too few, with the reason.

    Rows that already carry a note keep it.  Issues one :class:`InsufficientDataWarning` if any figure
    was blanked for too few at risk.
    """
    beyond = np.asarray(beyond, dtype=bool)
    few = np.asarray(few, dtype=bool) & ~beyond
    if "note" not in frame.columns:
        frame["note"] = ""
    notes = frame["note"].to_numpy(dtype=object)
    frame["note"] = np.where(beyond, BEYOND_FOLLOW_UP, np.where(few, few_at_risk(settings), notes))
    frame.loc[beyond | few, list(columns)] = np.nan
    if few.any():
        warnings.warn(
            f"{int(few.sum())} of {len(frame)} {what} are NaN: {few_at_risk(settings)} "
            f"(settings.min_at_risk = {settings.min_at_risk})",
            InsufficientDataWarning,
            stacklevel=3,
        )
    return frame
