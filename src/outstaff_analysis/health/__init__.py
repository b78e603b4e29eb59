"""Account health and churn early warning: signals, an interpretable churn model, its reasons and its track record.

Typical use::

    from outstaff_analysis import health

    result = health.account_health(tables, as_of="2024Q4", csi_scores=scored.client_quarters,
                                   red_flags=flags)
    result.current          # risk (probability of churn within two quarters; higher is worse),
                            # interval, status, reasons, days in poor health, revenue at risk
    result.call_first       # not in good health, by expected revenue lost
    result.model.summary    # the model's weights, or the stated rule when history is too short
    health.reason_texts(result.current, "en")
    health.rolling_backtest(tables, origins=["2023Q4", "2024Q1"], ...)  # its track record

Modules: :mod:`.signals` (one row per client-quarter as of its end), :mod:`.features` (the model's
features and churn labels), :mod:`.model` (:class:`ChurnModel`), :mod:`.view` (status, history,
revenue at risk), :mod:`.reasons` (plain language), :mod:`.backtest`, and :mod:`.points` (the old
points rule, a backtest baseline).
"""

from .backtest import BacktestResult, calibration_table, rolling_backtest, score_metrics
from .features import FEATURES, churn_labels, design_matrix
from .model import MIN_EVENTS, ChurnModel
from .reasons import reason_text, reason_texts
from .signals import SIGNAL_COLUMNS, quarter_signals, signal_panel
from .view import AT_RISK, STATUSES, WATCH, AccountHealth, account_health, risk_status

__all__ = [
    "AT_RISK",
    "FEATURES",
    "MIN_EVENTS",
    "SIGNAL_COLUMNS",
    "STATUSES",
    "WATCH",
    "AccountHealth",
    "BacktestResult",
    "ChurnModel",
    "account_health",
    "calibration_table",
    "churn_labels",
    "design_matrix",
    "quarter_signals",
    "reason_text",
    "reason_texts",
    "risk_status",
    "rolling_backtest",
    "score_metrics",
    "signal_panel",
]
