"""KPI wording on the client report's cards."""

import math

import pytest

from outstaff_analysis.reporting.kpi_text import interval_text

NAN = math.nan


@pytest.mark.parametrize("lower, upper, lang, expected", [
    (16.0, 40.0, "ru", "95% интервал: 16 дн.–40 дн."),
    # the median time to fill with an unbounded upper end read "95% интервал: 16 дн.–—" on C005's card
    (16.0, NAN, "ru", "95% интервал: от 16 дн."),
    (16.0, NAN, "en", "95% interval: 16 days or more"),
    (NAN, 40.0, "en", "95% interval: up to 40 days"),
    (NAN, NAN, "ru", "95% интервал: данных мало, чтобы его оценить"),
])
def test_an_open_interval_end_is_said_in_words(lower, upper, lang, expected):
    assert interval_text("time_to_fill", lower, upper, lang) == expected
    assert "—" not in interval_text("time_to_fill", lower, upper, lang)


def test_a_quarter_without_data_still_shows_what_the_previous_one_was():
    # C001's "message answered within 30 min" had no message this quarter and 100 % the quarter before; its
    # card said "nothing to compare with in 2024Q3"
    import pandas as pd

    from outstaff_analysis.config import DEFAULT_SETTINGS
    from outstaff_analysis.reporting.kpi_text import kpi_texts

    row = {"kpi": "sla_message", "value": NAN, "lower_95": NAN, "upper_95": NAN, "n": 0, "n_missed": 0, "worst": NAN,
           "target": 0.95, "firm_average": 0.89, "previous": 1.0, "change": NAN, "change_significant": False,
           "status": "none", "direction": "higher"}
    texts = kpi_texts(pd.DataFrame([row]), quarter="2024Q4", settings=DEFAULT_SETTINGS, lang="en")
    assert texts["change_text"].iloc[0] == "in 2024Q3: 100%"
    texts = kpi_texts(pd.DataFrame([{**row, "previous": NAN}]), quarter="2024Q4", settings=DEFAULT_SETTINGS, lang="ru")
    assert texts["change_text"].iloc[0] == "сравнить с 2024Q3 не с чем"
