"""SLA chart: bar heights, error bars, target labels, goal line."""

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
    assert ticks == ["Reply to a message\n≤ 30 min", "Replacement\n≤ 3 working days"]
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
