"""Plot functions: a tidy frame in, a labelled matplotlib Axes out (``oa.plot``).

Each takes the frame an analysis returns, ``lang="en"`` or ``"ru"`` for the labels and ``ax=None``
(a new figure) or an Axes to draw on, and returns the Axes.
"""

from .csi import plot_csi_trend, plot_factor_scores, plot_importance_performance, quotes_table
from .funnel import plot_funnel, plot_north_star_trend, plot_time_to_fill
from .sla import plot_sla_compliance
from .survival import plot_account_survival, plot_cumulative_incidence, plot_hazard_bands, plot_km

__all__ = [
    "plot_account_survival",
    "plot_csi_trend",
    "plot_cumulative_incidence",
    "plot_factor_scores",
    "plot_funnel",
    "plot_hazard_bands",
    "plot_importance_performance",
    "plot_km",
    "plot_north_star_trend",
    "plot_sla_compliance",
    "plot_time_to_fill",
    "quotes_table",
]
