"""Staffing funnel: stages, conversion rates, rejections, share of requests closed, time to fill."""

from .closure import share_closed
from .rates import NORTH_STAR, RATES, fit_beta_prior, funnel_rates, shrink_rates
from .rejections import rejection_reasons
from .stages import OUTCOMES, PROGRESS, REQUEST_KEYS, funnel_counts, stage_times
from .time_to_fill import COMPETING, REACHED, fill_durations, time_to_fill, time_to_fill_curve

__all__ = [
    "COMPETING",
    "NORTH_STAR",
    "OUTCOMES",
    "PROGRESS",
    "RATES",
    "REACHED",
    "REQUEST_KEYS",
    "fill_durations",
    "fit_beta_prior",
    "funnel_counts",
    "funnel_rates",
    "rejection_reasons",
    "share_closed",
    "shrink_rates",
    "stage_times",
    "time_to_fill",
    "time_to_fill_curve",
]
