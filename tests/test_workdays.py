"""Working days on the Russian production calendar, including transferred working Saturdays."""

import numpy as np
import pytest

from outstaff_analysis.workdays import is_working_day, production_calendar, working_days_between


def test_friday_before_the_may_holidays_with_a_working_saturday():
    # 2024: Sat 27 April was a working day (transferred from Mon 29 April); 29 April - 1 May off.
    friday = "2024-04-26 17:30"
    ends = ["2024-04-27 12:00", "2024-05-01 12:00", "2024-05-02 09:00", "2024-05-03 18:00", "2024-05-06 10:00"]
    counted = working_days_between([friday] * len(ends), ends)
    assert counted.tolist() == [1.0, 1.0, 2.0, 3.0, 4.0]


def test_friday_before_unity_day_weekend():
    # 2024: Sat 2 November was a working day; Mon 4 November (Unity Day) off.
    counted = working_days_between(["2024-11-01"] * 3, ["2024-11-04", "2024-11-05", "2024-11-06"])
    assert counted.tolist() == [1.0, 2.0, 3.0]


def test_new_year_holidays_and_same_day():
    counted = working_days_between(["2023-12-29", "2024-03-05"], ["2024-01-09", "2024-03-05 23:00"])
    # 2023-12-30/31 weekend, 2024-01-01..08 holidays: the 9th is the first working day.
    assert counted.tolist() == [1.0, 0.0]


def test_clock_starts_on_the_next_working_day():
    # Sun 28 April 2024: the next working day is Thu 2 May (29 April - 1 May off), which is day 0.
    counted = working_days_between(["2024-04-28"] * 3, ["2024-04-29", "2024-05-02", "2024-05-03"])
    assert counted.tolist() == [0.0, 0.0, 1.0]
    # Sat 2 November 2024 was a working day itself: the clock starts that day.
    assert working_days_between(["2024-11-02"], ["2024-11-05"]).tolist() == [1.0]
    # Sat 9 November 2024 was not: the clock starts on Monday the 11th, so Thursday the 14th is day 3.
    assert working_days_between(["2024-11-09 14:00"], ["2024-11-14 09:00"]).tolist() == [3.0]


def test_missing_and_reversed_dates_give_nan():
    counted = working_days_between(["2024-05-06", None], ["2024-04-26", "2024-05-01"])
    assert np.isnan(counted).all()


def test_is_working_day_knows_transfers():
    flags = is_working_day(["2024-04-27", "2024-04-28", "2024-04-29", "2024-12-28", "2024-12-30", "2024-12-27"])
    assert flags.tolist() == [True, False, False, True, False, True]


def test_calendar_comes_from_the_holidays_package():
    calendar = production_calendar("RU", 2024, 2024)
    assert np.datetime64("2024-04-27") in calendar.extra_workdays
    assert np.datetime64("2024-05-10") in calendar.busdaycal.holidays  # day off moved from 6 January


def test_unequal_lengths_are_refused():
    with pytest.raises(ValueError, match="same length"):
        working_days_between(["2024-01-09"], ["2024-01-10", "2024-01-11"])
