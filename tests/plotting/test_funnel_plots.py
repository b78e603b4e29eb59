"""Funnel charts: drawn bars, lines, labels and titles (read from the artists)."""

import itertools

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.plotting.funnel import plot_funnel, plot_north_star_trend, plot_time_to_fill


def _counts(view="cohort"):
    return pd.DataFrame(
        {"client_id": ["A", "A"], "period": ["2024Q1", "2024Q2"], "view": view, "requests": [2, 3],
         "shown": [6, 4], "interview": [3, 2], "approved": [2, 1], "started": [1, 1]}
    )


def _rates():
    return pd.DataFrame(
        {"period": ["2024Q2", "2024Q1", "2024Q1"], "rate": ["approved_per_shown", "approved_per_shown",
                                                            "interview_per_shown"],
         "estimate": [0.5, 0.25, 0.9], "lower_95": [0.2, 0.1, 0.6], "upper_95": [0.8, 0.5, 1.0]}
    )


def test_funnel_bars_sum_rows_and_label_step_conversions():
    ax = plot_funnel(_counts())
    assert [p.get_height() for p in ax.patches] == [10, 5, 3, 2]
    texts = [t.get_text() for t in ax.texts]
    assert "→ 50%" in texts and "→ 60%" in texts and "→ 67%" in texts
    assert [t.get_text() for t in ax.get_xticklabels()] == ["CV shown", "Interview", "Approved", "Started"]
    assert not any(line.get_visible() for line in ax.get_xgridlines())  # it ran through the bars' counts
    assert ax.get_title() == "Staffing funnel: requests opened in the period"
    assert ax.get_ylabel() == "Specialists, people"
    assert ax.get_legend() is not None


def test_funnel_legend_covers_no_bar_or_label():
    # a demo client's funnel, in Russian (longer labels), at the report's width
    counts = _counts().iloc[:1].assign(shown=20, interview=16, approved=11, started=6)
    ax = plot_funnel(counts, lang="ru")
    ax.figure.set_size_inches(4.9, 3.4)
    ax.figure.tight_layout()
    renderer = ax.figure.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    for artist in [*ax.texts, *ax.patches]:  # it sat in the upper right corner, on the conversion labels
        assert not legend.overlaps(artist.get_window_extent(renderer)), artist


def test_activity_funnel_is_labelled_and_has_no_conversions():
    ax = plot_funnel(_counts("activity"), lang="ru")
    assert "не конверсия" in ax.get_title()
    assert not any(t.get_text().startswith("→") for t in ax.texts)
    with pytest.raises(ValueError, match="one view"):
        plot_funnel(pd.concat([_counts(), _counts("activity")]))


def test_north_star_trend_line_band_and_target():
    ax = plot_north_star_trend(_rates(), target=0.8, lang="ru")
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), [0.25, 0.5])  # periods in order, north star only
    target = ax.get_lines()[-1]
    assert target.get_ydata()[0] == 0.8
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024Q1", "2024Q2"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Цель: 0,8" in legend and "95% доверительный интервал" in legend
    assert ax.get_xlabel() == "Квартал открытия запроса"


def test_north_star_trend_needs_hue_for_several_groups():
    rates = pd.concat([_rates().assign(client_id="A"), _rates().assign(client_id="B")])
    with pytest.raises(ValueError, match="pass `hue=`"):
        plot_north_star_trend(rates)
    ax = plot_north_star_trend(rates, hue="client_id", target=1.0)
    assert len(ax.get_lines()) == 3  # A, B, target
    assert len(plot_north_star_trend(rates, hue="client_id").get_lines()) == 2  # no target: no line


def test_time_to_fill_curve_starts_at_zero():
    curve = pd.DataFrame({"period": "all", "milestone": "started", "unit": "working", "timeline": [3.0, 7.0, 20.0],
                          "n_at_risk": [10, 8, 4], "events": [2, 2, 0], "censored": [0, 2, 4],
                          "estimate": [0.2, 0.4, 0.4], "lower_95": [0.05, 0.15, 0.15],
                          "upper_95": [0.5, 0.7, 0.7]})
    ax = plot_time_to_fill(curve)
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_xdata(), [0, 3, 7, 20])
    np.testing.assert_allclose(line.get_ydata(), [0, 0.2, 0.4, 0.4])
    assert ax.get_xlabel() == "Working days since the request was opened"
    assert ax.get_title() == "Speed of filling requests"
    assert ax.get_xlim()[1] == pytest.approx(7 * 1.25)
    with pytest.raises(ValueError, match="one `unit`"):
        plot_time_to_fill(pd.concat([curve, curve.assign(unit="calendar")]))


def test_step_conversions_sit_on_no_bar_and_inside_the_axes():
    # between the bars "→ 51 %" was wider than the gap: its arrow hid behind the bar on its left
    counts = _counts().iloc[:1].assign(shown=363, interview=186, approved=124, started=58)
    for lang in ("ru", "en"):
        ax = plot_funnel(counts, lang=lang)
        ax.figure.set_size_inches(5.0, 3.43)  # the report's size
        ax.figure.tight_layout()
        ax.figure.canvas.draw()
        renderer = ax.figure.canvas.get_renderer()
        frame = ax.get_window_extent(renderer)
        labels = [t.get_window_extent(renderer) for t in ax.texts]
        bars = [p.get_window_extent(renderer) for p in ax.patches]
        conversions = [box for t, box in zip(ax.texts, labels) if t.get_text().startswith("→")]
        assert len(conversions) == 3
        for box in conversions:
            assert not any(box.overlaps(bar) for bar in bars)
            assert box.y1 <= frame.y1
        for a, b in itertools.combinations(labels, 2):
            assert not a.overlaps(b)
