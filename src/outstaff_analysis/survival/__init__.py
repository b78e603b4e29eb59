"""How long placements and client accounts last, and why they end.

Typical use::

    from outstaff_analysis import survival as sv

    tenure = sv.tenure_frame(tables["placements"], as_of="2024-12-31",
                             clients=tables["clients"], specialists=tables["specialists"])
    sv.survival_at(tenure, by="grade")            # S(91), S(182), S(365) with 95% CIs
    sv.median_tenure(tenure)                      # median with CI, flagged when too few at risk
    sv.hazard_bands(tenure)                       # the valley of death, per 100 placement-months
    sv.cumulative_incidence(tenure, causes="reason_group")
    accounts = sv.account_lives(tables["placements"], as_of="2024-12-31", clients=tables["clients"])
    revenue = sv.monthly_revenue(tables["placements"], as_of="2024-12-31")
    sv.account_ltv(accounts, revenue, by="segment")   # LTV of an account, bootstrap 95% CI
    sv.remaining_ltv(accounts, revenue)               # revenue still expected from each account, given its age

Every estimator takes a frame with ``duration_days``, ``event`` and ``entry_days`` and an optional
``by`` grouping, and returns a tidy frame with ``estimate``, ``lower_95``, ``upper_95``, a count and a
``note`` saying why a figure is NaN.
"""

from .accounts import account_lives, account_ltv, monthly_revenue, remaining_ltv, rmst
from .compare import cox_model, format_p, logrank, pairwise_logrank
from .competing import cumulative_incidence
from .estimates import (
    at_risk_table,
    conditional_survival,
    cumulative_density,
    km_curve,
    lifelines_km,
    median_tenure,
    survival_at,
)
from .hazards import cause_hazard_bands, hazard_bands
from .tenure import DAYS_PER_MONTH, REASON_GROUPS, subset, tenure_frame

__all__ = [
    "DAYS_PER_MONTH",
    "REASON_GROUPS",
    "account_lives",
    "account_ltv",
    "at_risk_table",
    "cause_hazard_bands",
    "conditional_survival",
    "cox_model",
    "cumulative_density",
    "cumulative_incidence",
    "format_p",
    "hazard_bands",
    "km_curve",
    "lifelines_km",
    "logrank",
    "ltv_totals",
    "median_tenure",
    "monthly_revenue",
    "pairwise_logrank",
    "remaining_ltv",
    "rmst",
    "subset",
    "survival_at",
    "tenure_frame",
]
