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
