"""The points rule the portfolio used to rank "clients to call first", kept as a backtest baseline.

It is a triage heuristic, not a fitted model: each signal adds points.  :mod:`.backtest` scores it
beside the churn model (:mod:`.model`), which replaced it, so its track record is measured in the
same run.  The signals and their points:

=========================================================  ======
signal                                                     points
=========================================================  ======
CSI below the poor band (``settings.csi_bands[0]``)         3
CSI below the good band (``settings.csi_bands[1]``)         1
CSI down 10 points or more on the previous scored quarter   2
each red flag in client speech this quarter (at most 3)     1
SLA compliance this quarter surely below ``sla_goal``       1
a third or more of the team's placements ended this quarter 2
approvals per CV shown (last 4 quarters) under half the
firm's                                                      1
=========================================================  ======

High risk from 5 points, medium from 3.  "Surely below" means the upper end of the 95% (Wilson)
interval of the quarter's compliance is below the goal, so one late answer out of three does not
count as a pattern.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import DEFAULT_SETTINGS, Settings

SIGNAL_COLUMNS = ("client_id", "csi", "csi_change", "red_flags", "sla_share", "sla_upper_95", "ended_share",
                  "north_star", "firm_north_star")
HIGH, MEDIUM = 5, 3
CSI_DROP = -10.0


def churn_risk(signals: pd.DataFrame, *, settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Score churn risk from per-client signals.

    Parameters
    ----------
    signals : pandas.DataFrame
        One row per client with :data:`SIGNAL_COLUMNS` (NaN where a signal is unknown: an unknown
        signal adds no points).
    settings : Settings
        ``csi_bands`` and ``sla_goal``.

    Returns
    -------
    pandas.DataFrame
        ``signals`` plus ``risk_points``, ``risk`` (``high``/``medium``/``low``) and ``reasons`` (the
        codes of the signals that fired, ``;``-separated), highest risk first.
    """
    missing = [c for c in SIGNAL_COLUMNS if c not in signals]
    if missing:
        raise ValueError(f"`signals` must have the columns {list(SIGNAL_COLUMNS)}; missing {missing}")
    poor, good = settings.csi_bands
    rules = {
        "csi_poor": (signals["csi"] < poor, 3),
        "csi_below_good": ((signals["csi"] >= poor) & (signals["csi"] < good), 1),
        "csi_falling": (signals["csi_change"] <= CSI_DROP, 2),
        "red_flags": (signals["red_flags"] > 0, signals["red_flags"].clip(upper=3)),
        "sla_missed": (signals["sla_upper_95"] < settings.sla_goal, 1),
        "team_leaving": (signals["ended_share"] >= 1 / 3, 2),
        "weak_funnel": (signals["north_star"] < 0.5 * signals["firm_north_star"], 1),
    }
    points = pd.Series(0.0, index=signals.index)
    reasons = pd.Series("", index=signals.index)
    for code, (fired, value) in rules.items():
        fired = fired.fillna(False).astype(bool)
        points += np.where(fired, value, 0)
        reasons = reasons.where(~fired, reasons + np.where(reasons == "", "", ";") + code)
    out = signals.assign(risk_points=points.astype(int), reasons=reasons)
    out["risk"] = np.select([out["risk_points"] >= HIGH, out["risk_points"] >= MEDIUM], ["high", "medium"], "low")
    return out.sort_values(["risk_points", "csi"], ascending=[False, True], kind="stable").reset_index(drop=True)
