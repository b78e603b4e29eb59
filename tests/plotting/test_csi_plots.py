"""CSI charts and the quotes table, read from the drawn artists."""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.config import FACTORS
from outstaff_analysis.csi.scores import client_quarter_scores, evidence_table, top_quotes
from outstaff_analysis.csi.weights import importance_performance
from outstaff_analysis.plotting.csi import (
    plot_csi_trend,
    plot_factor_scores,
    plot_importance_performance,
    quotes_table,
)


def _sentences():
    rows = []
    plan = {("C1", "2024-02-01"): {"quality": [1, 1, 1], "speed": [-1, -1, 0.5], "team": [1]},
            ("C1", "2024-05-01"): {"quality": [1, -1, 1], "speed": [1, 1, 1]},
            ("C2", "2024-05-01"): {"price": [-1, -1, -1]}}
    for (client, day), factors in plan.items():
        for factor, values in factors.items():
            for value in values:
                k = len(rows)
                rows.append({"interview_id": f"{client}-{day}", "utterance_no": k, "sentence_no": 0,
                             "client_id": client, "held_at": pd.Timestamp(day), "speaker": "Анна",
                             "start": 61.0 * k, "text": f"Фраза {k}.", **{f: np.nan for f in FACTORS},
                             factor: float(value)})
    return pd.DataFrame(rows)


@pytest.fixture
def scores():
    return client_quarter_scores(_sentences())


def test_factor_scores_against_previous_quarter(scores):
    one = scores.loc[scores["client_id"] == "C1"]
    ax = plot_factor_scores(one, lang="ru")
    assert ax.get_title() == "Оценки по факторам: 2024Q2 против 2024Q1"
    assert ax.get_xlabel() == "Оценка, 0–100 (интервал 95 %)"
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == ["Качество работы", "Сервис и коммуникация"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["2024Q2", "2024Q1"]
    current = one.loc[one["quarter"] == "2024Q2"].set_index("factor").reindex([*FACTORS, "csi"])
    points = ax.lines[0].get_xdata()
    np.testing.assert_allclose(points, current["estimate"].to_numpy(), atol=1e-12, equal_nan=True)
    assert "мало данных" in [t.get_text() for t in ax.texts]


def test_factor_scores_single_quarter_and_one_client_only(scores):
    ax = plot_factor_scores(scores.loc[scores["client_id"] == "C2"])
    assert ax.get_title() == "Factor scores, 2024Q2"
    with pytest.raises(ValueError, match="one client's rows"):
        plot_factor_scores(scores)


def test_csi_trend_lines_per_client(scores):
    ax = plot_csi_trend(scores, hue="client_id")
    assert ax.get_title() == "Customer satisfaction index (CSI) by quarter"
    assert ax.get_ylabel() == "CSI, 0–100"
    c1 = scores.loc[(scores["client_id"] == "C1") & (scores["factor"] == "csi")].sort_values("quarter")
    np.testing.assert_allclose(ax.lines[0].get_ydata(), c1["estimate"], atol=1e-12)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024Q1", "2024Q2"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["C1", "C2", "95% interval"]
    with pytest.raises(ValueError, match="hue='client_id'"):
        plot_csi_trend(scores)


def test_importance_performance_quadrant(scores):
    importance = pd.DataFrame({"factor": list(FACTORS), "estimate": [0.4, 0.1, 0.1, 0.3, 0.1]})
    table = importance_performance(importance, scores.loc[(scores["client_id"] == "C1") & (scores["quarter"] == "2024Q1")])
    ax = plot_importance_performance(table, lang="ru")
    assert ax.get_title() == "Важность и оценка факторов"
    assert ax.get_xlabel() == "Важность, доля (сумма = 1)"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Так держать" in legend and "Сосредоточиться здесь" in legend
    drawn = np.vstack([c.get_offsets() for c in ax.collections])
    expected = table.dropna(subset=["performance"])[["importance", "performance"]].to_numpy()
    assert sorted(map(tuple, drawn)) == sorted(map(tuple, expected))
    assert {t.get_text() for t in ax.texts} == {"Качество работы", "Скорость"}


def test_quotes_table_in_russian():
    quotes = top_quotes(evidence_table(_sentences()), n=1)
    styler = quotes_table(quotes, lang="ru")
    data = styler.data
    assert list(data.columns) == ["Фактор", "Тон", "Цитата", "Кто", "Время", "Интервью"]
    assert data["Тон"].tolist()[:3] == ["хорошо", "плохо", "плохо"]
    assert data["Фактор"].tolist()[:3] == ["Качество работы", "Качество работы", "Цена"]
    assert data["Время"].iloc[0] == "0:00:00"
    assert "background-color" in styler.to_html()


def test_insufficient_evidence_is_said_on_every_row_even_the_top_one():
    # C001's 2024Q4 report: quality (the top row) had no evidence and its row was left blank
    rows = [{"client_id": "A", "quarter": "2024Q4", "factor": f, "n_evidence": n, "estimate": e, "lower_95": e,
             "upper_95": e, "insufficient_evidence": n == 0}
            for f, n, e in (("quality", 0, np.nan), ("service", 4, 56.0), ("price", 0, np.nan), ("speed", 0, np.nan),
                            ("team", 3, 74.0), ("csi", 7, 63.0))]
    ax = plot_factor_scores(pd.DataFrame(rows))
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    drawn = [t for t in ax.texts if t.get_text() == "insufficient evidence" and t.get_window_extent(renderer).width > 0]
    assert sorted(round(t.xy[1]) for t in drawn) == [2, 3, 5]  # speed, price, quality rows
    low, high = ax.get_ylim()
    assert all(low <= t.xy[1] <= high for t in drawn)
