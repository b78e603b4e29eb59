"""Health plots: risk history with its thresholds and reasons, the revenue x risk matrix."""

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

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


def test_risk_history_line_keeps_a_readable_height_in_the_report():
    # under eight slanted quarters, the legend and three reasons, the line had a quarter of the image
    quarters = [str(q) for q in pd.period_range("2023Q1", periods=8, freq="Q")]
    history = pd.DataFrame({"client_id": "C1", "quarter": quarters, "risk": np.linspace(0.05, 0.9, 8),
                            "lower_95": np.nan, "upper_95": np.nan})
    ax = plot_risk_history(history, client="ООО «ПолюсБанк»", lang="ru",
                           reasons=["на проекте нет специалистов уже 52 дн.", "команда: 15 → 0 человек за квартал",
                                    "запросов стало меньше: было 2,0 в квартал, теперь 0"])
    figure = ax.figure
    width, height = figure.get_size_inches()
    figure.set_size_inches(5.0, height * (0.5 + 0.5 * 5.0 / width))  # as the report resizes it
    figure.tight_layout()
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    assert ax.get_window_extent(renderer).height >= 0.4 * figure.get_tightbbox(renderer).height * figure.dpi


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


def _crowded_portfolio():
    """The demo firm's 2024Q4 matrix: eight named clients, two pairs of them almost on top of each other."""
    named = {"ПАО «СфераКапитал»": (0.10, 46e6, 4.6e6), "ПАО «АлтайКлиник»": (0.05, 43e6, 2.2e6),
             "Swift Med LLC": (0.04, 24.5e6, 1.0e6), "ООО «ВолгаМед»": (0.095, 20e6, 1.9e6),
             "ООО «ФениксПэй»": (0.31, 19e6, 29.4e6), "ПАО «АльфаПолис»": (0.06, 16e6, 0.96e6),
             "АО «МаякЛогистик»": (0.13, 5e6, 7.2e6), "ООО «ПолюсБанк»": (0.97, 6.5e6, 72.3e6)}
    rng = np.random.default_rng(7)
    risk = np.r_[[v[0] for v in named.values()], rng.uniform(0.02, 0.25, 22)]
    revenue = np.r_[[v[1] for v in named.values()], rng.uniform(0.2e6, 15e6, 22)]
    at_risk = np.r_[[v[2] for v in named.values()], rng.uniform(0.0, 0.9e6, 22)]
    ids = [f"C{i:03d}" for i in range(len(risk))]
    current = pd.DataFrame({"client_id": ids, "risk": risk, "currency": "RUB", "monthly_revenue": revenue,
                            "revenue_at_risk_rub": at_risk,
                            "status": np.where(risk >= 0.25, "at_risk", np.where(risk >= 0.1, "watch", "good"))})
    return current, pd.Series(list(named), index=ids[:len(named)])


@pytest.mark.parametrize("size", [(7.0, 4.0), (5.0, 4.71)])  # as drawn, as resized for the report
def test_revenue_risk_names_do_not_collide_and_stay_in_the_axes(size):
    # the names of clients close together were written over each other and over the frame
    current, names = _crowded_portfolio()
    ax = plot_revenue_risk(current, fx_rates={"RUB": 1.0}, names=names, lang="ru")
    ax.figure.set_size_inches(*size)  # the report resizes the figure after plotting
    ax.figure.tight_layout()
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = {t.get_text(): Text.get_window_extent(t, renderer) for t in ax.texts if t.get_visible()}
    assert set(boxes) == set(names)
    frame = ax.get_window_extent(renderer)
    for name, box in boxes.items():
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1, name
    for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2):
        assert not box_a.overlaps(box_b), (a, b)


def test_revenue_risk_legend_markers_share_one_size():
    # the legend showed the size of the first client of each status, as if it meant something
    current, names = _crowded_portfolio()
    ax = plot_revenue_risk(current, fx_rates={"RUB": 1.0}, names=names)
    sizes = {float(h.get_sizes()[0]) for h in ax.get_legend().legend_handles if hasattr(h, "get_sizes")}
    assert len(sizes) == 1


def test_risk_history_legend_is_off_the_line_and_the_reasons_under_it():
    # in the upper left corner the legend covered the first quarters' risk
    ax = plot_risk_history(_history(), client="x", reasons=["one", "two"], lang="ru")
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    reasons = next(t for t in ax.texts if t.get_text().startswith("•")).get_window_extent(renderer)
    assert legend.y1 <= ax.get_window_extent(renderer).y0 and reasons.y1 <= legend.y0


def test_health_plots_draw_in_the_package_theme():
    # they were the only charts drawn in matplotlib's default look (boxed legend, top and right spines)
    ax = plot_risk_history(_history(), client="x")
    assert not ax.spines["top"].get_visible() and ax.title.get_fontweight() == "bold"
    current, names = _crowded_portfolio()
    ax = plot_revenue_risk(current, fx_rates={"RUB": 1.0}, names=names)
    assert not ax.get_legend().get_frame_on()
