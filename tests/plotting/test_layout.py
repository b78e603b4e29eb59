"""Chart layout that a phone reader sees: quarters evenly in time, legends off the data, SLA on a 0-100 scale."""

import numpy as np
import pandas as pd

from outstaff_analysis.plotting.csi import plot_csi_trend, plot_factor_scores
from outstaff_analysis.plotting.funnel import plot_north_star_trend
from outstaff_analysis.plotting.layout import quarter_positions
from outstaff_analysis.plotting.sla import plot_sla_compliance


def test_quarter_axes_keep_empty_quarters_in_their_place():
    assert quarter_positions(["2024Q3", "2023Q4"]) == {"2023Q4": 0, "2024Q1": 1, "2024Q2": 2, "2024Q3": 3}
    rates = pd.DataFrame({"period": ["2024Q1", "2024Q3"], "rate": "approved_per_shown", "estimate": [0.5, 0.7],
                          "lower_95": [0.3, 0.5], "upper_95": [0.7, 0.9]})
    ax = plot_north_star_trend(rates)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024Q1", "2024Q2", "2024Q3"]
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [0.5, np.nan, 0.7])
    scores = pd.DataFrame({"client_id": "A", "quarter": ["2023Q1", "2024Q1"], "factor": "csi",
                           "estimate": [60.0, 70.0], "lower_95": [50.0, 60.0], "upper_95": [70.0, 80.0]})
    ax = plot_csi_trend(scores)
    assert len(ax.get_xticklabels()) == 5
    np.testing.assert_allclose(ax.get_lines()[0].get_xdata(), [0, 1, 2, 3, 4])


def _below_the_axes(ax) -> bool:
    ax.figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    return legend.y1 <= ax.get_window_extent().y0


def test_factor_scores_legend_sits_below_the_axes_not_on_a_row():
    rows = []
    for quarter, shift in (("2024Q3", 0.0), ("2024Q4", 5.0)):
        for factor in ("quality", "service", "price", "speed", "team", "csi"):
            rows.append({"client_id": "A", "quarter": quarter, "factor": factor, "n_evidence": 5,
                         "estimate": 60.0 + shift, "lower_95": 50.0, "upper_95": 75.0,
                         "insufficient_evidence": False})
    ax = plot_factor_scores(pd.DataFrame(rows), quarter="2024Q4")
    assert _below_the_axes(ax)


def test_sla_scale_stops_at_100_and_a_zero_bar_is_drawn():
    compliance = pd.DataFrame(
        {"client_id": "A", "period": "2024Q2", "kind": ["replacement", "message"], "unit": ["working_days", "minutes"],
         "target": [3.0, 30.0], "n_events": [4, 20], "n_within": [0, 20], "n_breached": [4, 0], "n_pending": [0, 0],
         "estimate": [0.0, 1.0], "lower_95": [0.0, 0.83], "upper_95": [0.49, 1.0]})
    ax = plot_sla_compliance(compliance, target=0.95)
    assert max(ax.get_yticks()) == 100 and ax.get_ylim()[1] < 120
    zero_bar = [line for line in ax.get_lines() if np.allclose(line.get_ydata(), 0) and line.get_linewidth() >= 3]
    assert len(zero_bar) == 1 and np.mean(zero_bar[0].get_xdata()) == ax.patches[1].get_x() + ax.patches[1].get_width() / 2
    assert _below_the_axes(ax)
