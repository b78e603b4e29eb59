"""The valley of death: placement-ending rates per 100 placement-months by tenure band.

A placement contributes to a band the months it spent in it (from its entry, so left-truncated
placements only count the months the records cover) and, if it ended inside the band, one ending.
The rate is endings / exposure with an exact (Garwood) Poisson 95% interval.  Whether the valley is
real is answered by the rate ratio of each band against the last, open-ended band (months 12+ by
default): its exact conditional 95% interval and the test that it is 1 (as R's ``poisson.test``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import DEFAULT_SETTINGS, Settings
from ..stats import poisson_rate_ci, poisson_rate_ratio
from ._notes import blank
from ._table import group_codes
from .estimates import By
from .tenure import DAYS_PER_MONTH

PER_MONTHS = 100.0
"""Rates are per this many placement-months."""


def band_labels(edges_months) -> list[str]:
    """Labels ``"[0,3)"``, ..., ``"[12,inf)"`` of the bands starting at ``edges_months``."""
    ends = [*edges_months[1:], np.inf]
    return [f"[{_fmt(a)},{_fmt(b)})" for a, b in zip(edges_months, ends)]


def hazard_bands(
    frame: pd.DataFrame, *, by: By = None, settings: Settings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """Ending rate per 100 placement-months in each tenure band, with exact Poisson 95% CIs.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tenure frame (``duration_days``, ``event``, ``entry_days``).
    by : str or list of str, optional
        Grouping columns.  For the rate of one end reason, see :func:`cause_hazard_bands`.
    settings : Settings
        ``hazard_band_edges_months`` (default 0, 3, 6, 12) and ``min_at_risk``.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``band``, ``start_months``, ``end_months``, ``events``,
        ``exposure_months``, ``n_at_risk`` (placements with time in the band), ``estimate``,
        ``lower_95``, ``upper_95`` (per 100 placement-months), ``rate_ratio``,
        ``rate_ratio_lower_95``, ``rate_ratio_upper_95`` (the band's rate over the last band's, its
        exact conditional interval), ``p_value`` and ``log10_p`` (test that the ratio is 1; NaN
        on the reference band itself) and ``note``.

    Warns
    -----
    InsufficientDataWarning
        When a band has fewer than ``settings.min_at_risk`` placements in it.
    """
    return _bands(frame, frame["event"].to_numpy(dtype=bool), by=by, settings=settings)


def cause_hazard_bands(
    frame: pd.DataFrame,
    *,
    reason: str,
    column: str = "end_reason",
    by: By = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Cause-specific ending rate by band: endings for ``reason`` only, same exposure.

    Parameters
    ----------
    reason : str
        Value of ``column`` (an end reason such as ``"client_ended"``, or a reason group such as
        ``"our_side"`` with ``column="reason_group"``).

    Returns
    -------
    pandas.DataFrame
        As :func:`hazard_bands`, with a ``reason`` column first.
    """
    events = frame["event"].to_numpy(dtype=bool) & (frame[column] == reason).to_numpy()
    out = _bands(frame, events, by=by, settings=settings)
    out.insert(0, "reason", reason)
    return out


def _bands(frame: pd.DataFrame, events: np.ndarray, *, by: By, settings: Settings) -> pd.DataFrame:
    codes, keys = group_codes(frame, by)
    edges = np.asarray(settings.hazard_band_edges_months, dtype=float)
    ends = np.append(edges[1:], np.inf)
    start = frame["entry_days"].to_numpy(dtype=float) / DAYS_PER_MONTH
    stop = frame["duration_days"].to_numpy(dtype=float) / DAYS_PER_MONTH
    n_groups = len(keys)
    columns = {"events": [], "exposure_months": [], "n_at_risk": []}
    for a, b in zip(edges, ends):
        overlap = np.clip(np.minimum(stop, b) - np.maximum(start, a), 0, None)
        inside = (stop >= a) & (stop < b)
        present = (overlap > 0) | (inside & (stop >= start))
        columns["events"].append(
            np.bincount(codes, weights=(events & inside).astype(float), minlength=n_groups)
        )
        columns["exposure_months"].append(np.bincount(codes, weights=overlap, minlength=n_groups))
        columns["n_at_risk"].append(np.bincount(codes, weights=present.astype(float), minlength=n_groups))
    n_bands = len(edges)
    out = keys.iloc[np.repeat(np.arange(n_groups), n_bands)].reset_index(drop=True)
    out["band"] = np.tile(band_labels(list(edges)), n_groups)
    out["start_months"] = np.tile(edges, n_groups)
    out["end_months"] = np.tile(ends, n_groups)
    for name, values in columns.items():
        out[name] = np.column_stack(values).ravel()
    out["events"] = out["events"].astype(int)
    out["n_at_risk"] = out["n_at_risk"].astype(int)
    exposure = out["exposure_months"].to_numpy()
    lower, upper = poisson_rate_ci(out["events"].to_numpy(), exposure)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["estimate"] = np.where(exposure > 0, PER_MONTHS * out["events"] / exposure, np.nan)
    out["lower_95"], out["upper_95"] = PER_MONTHS * lower, PER_MONTHS * upper
    out["note"] = ""
    out = blank(
        out,
        beyond=exposure <= 0,
        few=out["n_at_risk"].to_numpy() < settings.min_at_risk,
        settings=settings,
        what="hazard bands",
    )
    return _against_last_band(out, n_bands)


RATIO_COLUMNS = ("rate_ratio", "rate_ratio_lower_95", "rate_ratio_upper_95", "p_value", "log10_p")


def _against_last_band(bands: pd.DataFrame, n_bands: int) -> pd.DataFrame:
    """Add each band's rate ratio against its group's last band, with exact interval and test."""
    reference = np.repeat(np.arange(len(bands) // n_bands) * n_bands + n_bands - 1, n_bands)
    events = bands["events"].to_numpy(dtype=float)
    exposure = bands["exposure_months"].to_numpy(dtype=float)
    ratio, lower, upper, log10_p = poisson_rate_ratio(events, exposure, events[reference], exposure[reference])
    shown = bands["estimate"].notna().to_numpy()
    usable = shown & shown[reference] & (np.arange(len(bands)) != reference)
    is_reference = np.arange(len(bands)) == reference
    bands["rate_ratio"] = np.where(usable, ratio, np.where(shown & is_reference, 1.0, np.nan))
    bands["rate_ratio_lower_95"] = np.where(usable, lower, np.nan)
    bands["rate_ratio_upper_95"] = np.where(usable, upper, np.nan)
    bands["log10_p"] = np.where(usable, log10_p, np.nan)
    bands["p_value"] = 10.0 ** bands["log10_p"]
    note = bands.pop("note")
    bands["note"] = note
    return bands


def _fmt(value: float) -> str:
    return "inf" if np.isinf(value) else f"{value:g}"
