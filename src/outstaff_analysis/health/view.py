"""Account health as of a quarter: churn risk with reasons, status, its history and revenue at risk.

:func:`account_health` measures the signals of every quarter up to ``as_of`` (:mod:`.signals`),
fits the churn model on the quarters whose outcome is known by then (:mod:`.model`) and scores
every client still with the firm.  Risk is the probability that the account churns (60-day rule)
within the next two quarters: **higher is worse**.  Status:

============  =====================================
status        risk
============  =====================================
``good``      below :data:`WATCH` (10%)
``watch``     from 10% to below :data:`AT_RISK` (25%)
``at_risk``   25% or more
============  =====================================

*Days in poor health* count from the start of the unbroken run of quarters (ending now) in which
the client's status was ``watch`` or ``at_risk`` (each past quarter scored from its own signals by
the model fitted as of ``as_of``).

*Revenue at risk* is risk x monthly revenue x the months the account may still be expected to stay
within :data:`REVENUE_HORIZON_MONTHS` given its age: the remaining LTV of
:func:`outstaff_analysis.survival.remaining_ltv` (the conditional RMST ``integral_a^{a+h} S(u) du / S(a)``
on the firm's account lives).  Where the firm's follow-up does not reach ``a + h`` the window is cut
there and the figure is a lower bound (``remaining_note``).  The call-first list is ordered by it, converted to roubles with
``settings.fx_rates`` only for the ordering.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd

from .. import survival
from ..config import DEFAULT_SETTINGS, Settings
from ..exceptions import InsufficientDataWarning
from ..periods import parse_quarter
from .features import churn_labels
from .model import REASONS, ChurnModel
from .signals import panel_quarters, signal_panel

WATCH, AT_RISK = 0.10, 0.25
"""Risk thresholds of the ``watch`` and ``at_risk`` statuses."""

STATUSES = ("good", "watch", "at_risk")

TOP_REASONS = 3
"""Reasons kept per client: those that raise its risk most (contribution above :data:`MIN_CONTRIBUTION`)."""

MIN_CONTRIBUTION = 0.1
"""Smallest contribution to the log-odds (about +10% of the odds) that is named as a reason."""

REVENUE_HORIZON_MONTHS = 12.0
REVENUE_BOOTSTRAP = 20
"""Bootstrap samples of the remaining LTV: only its point estimate is used here."""
"""Horizon of the remaining lifetime in revenue at risk."""


@dataclasses.dataclass(frozen=True)
class AccountHealth:
    """What :func:`account_health` computes.

    Attributes
    ----------
    current : pandas.DataFrame
        One row per client still with the firm at ``as_of``, riskiest revenue first (see
        :func:`account_health`).
    history : pandas.DataFrame
        Every client-quarter up to ``as_of``: ``client_id``, ``quarter``, ``risk``, ``lower_95``,
        ``upper_95``, ``status`` and the ``contribution_<reason>`` columns.
    signals : pandas.DataFrame
        The signal panel the scores come from (:func:`~.signals.signal_panel`).
    model : ChurnModel
        The fitted model (``model.summary``: its weights; ``model.kind_``: fitted or rules).
    """

    current: pd.DataFrame
    history: pd.DataFrame
    signals: pd.DataFrame
    model: ChurnModel

    @property
    def call_first(self) -> pd.DataFrame:
        """Clients not in good health, by expected revenue lost (the order of ``current``)."""
        return self.current[self.current["status"] != "good"].reset_index(drop=True)


def account_health(
    tables: dict,
    *,
    as_of,
    csi_scores: pd.DataFrame | None = None,
    red_flags: pd.DataFrame | None = None,
    model: ChurnModel | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> AccountHealth:
    """Churn risk, reasons, status, days in poor health and revenue at risk of every client.

    Parameters
    ----------
    tables : dict of DataFrame
        Processed tables (whole: nothing after ``as_of`` is seen).
    as_of : str or Period
        The quarter (``"2024Q4"``) whose last day the health is measured on.
    csi_scores, red_flags : pandas.DataFrame, optional
        CSI per client-quarter and red flags (see :func:`~.signals.quarter_signals`).
    model : ChurnModel, optional
        Unfitted model to use (default :class:`ChurnModel` with its defaults).
    settings : Settings
        Churn gap, SLA targets, ``fx_rates``.

    Returns
    -------
    AccountHealth
        ``current`` has ``client_id``, ``quarter``, ``risk``, ``lower_95``, ``upper_95``,
        ``model``, ``status``, ``risk_change`` (against the client's previous quarter),
        ``days_in_poor_health``, ``reasons`` (codes of the top reasons, ``;``-separated),
        ``currency``, ``monthly_revenue``, ``remaining_months``, ``remaining_note``,
        ``revenue_at_risk`` (in ``currency``), ``revenue_at_risk_rub`` (for ordering), the
        ``contribution_<reason>`` columns and every signal of the quarter.
    """
    period = parse_quarter(as_of)
    placements = tables["placements"]
    if placements.empty:
        raise ValueError("`tables['placements']` is empty: there are no accounts to score")
    panel = signal_panel(tables, quarters=panel_quarters(tables, period, settings=settings), csi_scores=csi_scores, red_flags=red_flags, settings=settings)
    model = model or ChurnModel()
    model.fit(panel, churn_labels(placements, panel, as_of=period, horizon_quarters=model.horizon_quarters,
                                  settings=settings))
    history = model.predict(panel)
    history["status"] = risk_status(history["risk"])
    now = panel["quarter"] == str(period)
    current = history[now.to_numpy()].reset_index(drop=True)
    current = current.merge(panel[now].drop(columns="quarter"), on="client_id", how="left")
    current["risk_change"] = current["risk"] - current["client_id"].map(_previous(history, period))
    current["days_in_poor_health"] = current["client_id"].map(_days_poor(history, period)).fillna(0.0)
    current["reasons"] = top_reasons(current)
    current = current.merge(_revenue(placements, current, period, settings), on="client_id", how="left")
    current = current.sort_values(["revenue_at_risk_rub", "risk"], ascending=False, na_position="last",
                                  kind="stable").reset_index(drop=True)
    return AccountHealth(current=current, history=history, signals=panel, model=model)


def risk_status(risk: pd.Series) -> pd.Series:
    """``good`` / ``watch`` / ``at_risk`` of each risk (thresholds :data:`WATCH` and :data:`AT_RISK`)."""
    values = np.select([risk >= AT_RISK, risk >= WATCH], ["at_risk", "watch"], "good")
    return pd.Series(values, index=risk.index, dtype=object)


def top_reasons(scored: pd.DataFrame, *, n: int = TOP_REASONS) -> pd.Series:
    """Codes of the reasons raising each row's risk most (``;``-separated, strongest first)."""
    columns = [f"contribution_{r}" for r in REASONS]
    values = scored[columns].to_numpy()
    order = np.argsort(-values, axis=1, kind="stable")[:, :n]
    out = []
    for row, picks in zip(values, order):
        out.append(";".join(REASONS[k] for k in picks if row[k] >= MIN_CONTRIBUTION))
    return pd.Series(out, index=scored.index, dtype=object)


def _previous(history: pd.DataFrame, period: pd.Period) -> pd.Series:
    last = history[history["quarter"] == str(period - 1)]
    return last.set_index("client_id")["risk"]


def _days_poor(history: pd.DataFrame, period: pd.Period) -> pd.Series:
    """Days from the start of each client's current unbroken run of poor quarters to the as-of day."""
    poor = history.assign(poor=history["status"] != "good").sort_values(["client_id", "quarter"])
    out = {}
    end = period.end_time.normalize()
    for client, rows in poor.groupby("client_id", sort=False):
        if rows["quarter"].iloc[-1] != str(period) or not rows["poor"].iloc[-1]:
            continue
        flags = rows["poor"].to_numpy()
        quarters = rows["quarter"].to_numpy()
        k = len(flags) - 1
        while k > 0 and flags[k - 1] and parse_quarter(quarters[k - 1]) == parse_quarter(quarters[k]) - 1:
            k -= 1
        began = parse_quarter(quarters[k]).start_time.normalize()
        out[client] = float((end - began).days + 1)
    return pd.Series(out, dtype=float)


def _revenue(placements, current, period, settings) -> pd.DataFrame:
    """Monthly revenue, remaining months given the account's age, and revenue at risk per client."""
    as_of = period.end_time.normalize()
    revenue = survival.monthly_revenue(placements, as_of=as_of)
    lives = survival.account_lives(placements, as_of=as_of, settings=settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsufficientDataWarning)
        remaining = survival.remaining_ltv(lives, revenue, horizon_days=REVENUE_HORIZON_MONTHS * survival.DAYS_PER_MONTH,
                                           n_boot=REVENUE_BOOTSTRAP, settings=settings)
    remaining = remaining[remaining["client_id"].isin(current["client_id"]) & remaining["monthly_revenue"].notna()]
    out = remaining.sort_values("monthly_revenue", ascending=False).drop_duplicates("client_id")
    out = out[["client_id", "currency", "monthly_revenue", "remaining_days", "estimate", "note"]].copy()
    out["remaining_months"] = out.pop("remaining_days") / survival.DAYS_PER_MONTH
    out["remaining_note"] = out.pop("note")
    risk = out["client_id"].map(current.set_index("client_id")["risk"])
    out["revenue_at_risk"] = risk * out.pop("estimate")
    rates = out["currency"].map(dict(settings.fx_rates))
    out["revenue_at_risk_rub"] = out["revenue_at_risk"] * rates
    return out.reset_index(drop=True)
