"""SLA chart: bar heights, error bars, target labels, goal line."""

import itertools

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.plotting.sla import plot_sla_compliance


def _compliance():
    return pd.DataFrame(
        {"client_id": "A", "period": "2024Q2", "kind": ["replacement", "message"], "unit": ["working_days", "minutes"],
         "target": [3.0, 30.0], "n_events": [4, 20], "n_within": [2, 18], "n_breached": [2, 2], "n_pending": [0, 1],
         "estimate": [0.5, 0.9], "lower_95": [0.15, 0.7], "upper_95": [0.85, 0.97]}
    )


def test_bars_in_kind_order_with_targets_in_labels():
    ax = plot_sla_compliance(_compliance(), target=0.95)
    np.testing.assert_allclose([p.get_height() for p in ax.patches], [90, 50])
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["Reply to a\nmessage\n≤ 30 min", "Replacement\n≤ 3 working\ndays"]  # wrapped for phones
    assert ax.get_lines()[-1].get_ydata()[0] == pytest.approx(95)
    assert ax.get_ylabel() == "Share within target, %"
    assert "Goal: 95%" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_russian_labels_and_one_row_per_kind():
    ax = plot_sla_compliance(_compliance(), lang="ru")
    assert ax.get_title() == "Соблюдение SLA"
    assert "n = 20" in "".join(t.get_text() for t in ax.texts)
    with pytest.raises(ValueError, match="one row per"):
        plot_sla_compliance(pd.concat([_compliance(), _compliance()]))
    ax = plot_sla_compliance(pd.concat([_compliance(), _compliance().assign(period="2024Q3")]), hue="period")
    assert len(ax.patches) == 4


def _two_quarters():
    """2024Q3 had messages and bugs, 2024Q4 messages only."""
    q3 = _compliance().assign(period="2024Q3", kind=["bug", "message"], unit=["hours", "minutes"])
    return pd.concat([q3, _compliance().iloc[[1]].assign(period="2024Q4")], ignore_index=True)


def test_a_kind_without_requests_in_a_quarter_reads_in_words_without_a_bar():
    # the report showed "—" and "n = —" over an empty bar for a kind the client did not ask for that quarter
    ax = plot_sla_compliance(_two_quarters(), hue="period")
    texts = [t.get_text() for t in ax.texts]
    assert not any("—" in t for t in texts)
    notes = [t for t in ax.texts if t.get_text() == "no requests"]
    assert len(notes) == 1 and notes[0].get_rotation() == 90
    q4_bug_slot = 1 - 0.4 + 0.4 * 1.5  # bug is the second kind (after messages), 2024Q4 the second of two bars
    assert notes[0].xy[0] == pytest.approx(q4_bug_slot)
    assert sorted(p.get_height() for p in ax.patches if p.get_height() > 0) == [50, 90, 90]


def test_a_quarter_without_requests_is_named_and_said_in_russian():
    compliance = _compliance().assign(period="2024Q4")
    ax = plot_sla_compliance(compliance, hue="period", hue_order=["2024Q3", "2024Q4"], lang="ru")
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["2024Q3", "2024Q4"]
    assert [t.get_text() for t in ax.texts].count("обращений не было") == 2  # one per kind of 2024Q3
    assert not any("—" in t.get_text() for t in ax.texts)


def test_events_all_still_open_are_not_called_missing():
    compliance = _compliance().assign(n_events=[0, 20], n_within=[0, 18], n_breached=[0, 2], n_pending=[3, 1],
                                      estimate=[np.nan, 0.9], lower_95=[np.nan, 0.7], upper_95=[np.nan, 0.97])
    ax = plot_sla_compliance(compliance)
    assert "all still open" in [t.get_text() for t in ax.texts]
    assert not any("—" in t.get_text() for t in ax.texts)


def test_kind_names_do_not_run_into_each_other_and_no_grid_line_reads_as_an_error_bar():
    # at the report's width the Russian kinds overlapped, and a vertical grid line ran through each bar
    three = pd.concat([_compliance(), _compliance().iloc[[0]].assign(kind="bug", unit="hours", target=3.0)])
    ax = plot_sla_compliance(pd.concat([three, three.assign(period="2024Q3")]), hue="period", lang="ru")
    ax.figure.set_size_inches(5.0, 3.43)
    ax.figure.tight_layout()
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels()]
    assert len(boxes) == 3 and not any(a.overlaps(b) for a, b in itertools.pairwise(boxes))
    assert not any(line.get_visible() for line in ax.get_xgridlines())


def test_a_label_above_a_short_bar_is_written_over_the_goal_line_on_white():
    compliance = _compliance().assign(n_within=[0, 18], estimate=[0.0, 0.9], lower_95=[0.0, 0.7],
                                      upper_95=[0.79, 0.97])
    ax = plot_sla_compliance(compliance, target=0.95)
    above = next(t for t in ax.texts if t.get_text().startswith("0%"))
    goal = ax.get_lines()[-1]
    assert above.get_bbox_patch() is not None and above.get_bbox_patch().get_facecolor()[:3] == (1.0, 1.0, 1.0)
    assert above.get_zorder() > goal.get_zorder()
