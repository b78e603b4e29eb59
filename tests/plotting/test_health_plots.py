"""Health plots: risk history with its thresholds and reasons, the revenue x risk matrix."""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.plotting.health import plot_revenue_risk, plot_risk_history


def _history():
    return pd.DataFrame({"client_id": "C1", "quarter": ["2024Q1", "2024Q2", "2024Q3"], "risk": [0.05, 0.12, 0.31],
                         "lower_95": [0.02, 0.07, 0.2], "upper_95": [0.09, 0.2, 0.45]})


def test_risk_history_draws_percent_thresholds_labels_and_reasons():
    ax = plot_risk_history(_history(), client="Ромашка", reasons=["requests fell from 6 to 1 a quarter"], lang="en")
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), [5, 12, 31])
    assert {round(l.get_ydata()[0], 6) for l in ax.get_lines()[1:]} == {10.0, 25.0}
    assert ax.get_title() == "Ромашка: churn risk by quarter"
    assert ax.get_ylabel() == "Probability of churn within 2 quarters, %"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024Q1", "2024Q2", "2024Q3"]
    assert "• requests fell from 6 to 1 a quarter" in [t.get_text() for t in ax.texts]


def test_risk_history_reasons_sit_under_the_x_label():
    # eight rotated quarter labels, as in the portfolio report, at its width: the reasons ran over the x label
    quarters = [str(q) for q in pd.period_range("2023Q1", periods=8, freq="Q")]
    history = pd.DataFrame({"client_id": "C1", "quarter": quarters, "risk": np.linspace(0.05, 0.9, 8),
                            "lower_95": np.nan, "upper_95": np.nan})
    ax = plot_risk_history(history, client="x", reasons=["one", "two", "three"], lang="ru")
    ax.figure.set_size_inches(4.9, 3.0)
    ax.figure.tight_layout()
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    reasons = next(t for t in ax.texts if t.get_text().startswith("•")).get_window_extent(renderer)
    below = [ax.xaxis.label.get_window_extent(renderer), *(t.get_window_extent(renderer) for t in ax.get_xticklabels())]
    assert all(reasons.y1 <= box.y0 for box in below)


def test_risk_history_needs_one_client():
    with pytest.raises(ValueError, match="one row per quarter"):
        plot_risk_history(pd.concat([_history(), _history()]), client="x")


def test_revenue_risk_matrix_converts_currencies_and_names_the_largest_risks():
    current = pd.DataFrame({
        "client_id": ["A", "B", "C"], "risk": [0.05, 0.3, 0.15], "status": ["good", "at_risk", "watch"],
        "currency": ["RUB", "USD", "RUB"], "monthly_revenue": [2e6, 10_000.0, 5e6],
        "revenue_at_risk_rub": [1e6, 2.7e6, 9e6]})
    ax = plot_revenue_risk(current, fx_rates={"RUB": 1.0, "USD": 90.0}, names=pd.Series({"C": "Лютик"}), lang="ru")
    points = {tuple(np.round(o.get_offsets()[0], 6)) for o in ax.collections if len(o.get_offsets())}
    assert points == {(5.0, 2.0), (30.0, 0.9), (15.0, 5.0)}
    assert ax.get_xlabel() == "Вероятность ухода за 2 квартала, %"
    assert ax.get_ylabel() == "Выручка в месяц, млн ₽"
    assert "Лютик" in [t.get_text() for t in ax.texts]


def test_revenue_risk_legend_is_under_the_axes():
    # in the upper right corner it covered the firm's largest clients and their names
    current = pd.DataFrame({"client_id": ["A", "B"], "risk": [0.05, 0.95], "status": ["good", "at_risk"],
                            "currency": "RUB", "monthly_revenue": [40e6, 39e6], "revenue_at_risk_rub": [1e6, 30e6]})
    ax = plot_revenue_risk(current, fx_rates={"RUB": 1.0}, names=pd.Series({"A": "ПАО «СфераКапитал»"}), lang="ru")
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    assert ax.get_legend().get_window_extent(renderer).y1 <= ax.get_window_extent(renderer).y0
