"""The Dutch public holidays no exam is held on (scheduling.holidays)."""

from __future__ import annotations

from datetime import date

import pytest

from scheduling.holidays import easter, holidays, is_exam_day


@pytest.mark.parametrize("year, sunday", [
    (2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)),
    (2027, date(2027, 3, 28)), (2038, date(2038, 4, 25)), (2285, date(2285, 3, 22)),
    (2008, date(2008, 3, 23)), (2019, date(2019, 4, 21)),
])
def test_easter_is_computed_for_any_year(year, sunday):
    assert easter(year) == sunday


def test_the_weekday_holidays_of_2027():
    # Christmas 2027 falls on the weekend (Saturday 25, Sunday 26 December).
    assert {day: name for day, name in holidays(2027).items() if day.weekday() < 5} == {
        date(2027, 1, 1): "New Year's Day",
        date(2027, 3, 29): "Easter Monday",
        date(2027, 4, 27): "King's Day",
        date(2027, 5, 5): "Liberation Day",
        date(2027, 5, 6): "Ascension Day",
        date(2027, 5, 17): "Whit Monday",
    }


def test_christmas_kings_day_on_a_sunday_and_good_friday():
    assert not is_exam_day(date(2026, 12, 25)) and not is_exam_day(date(2026, 12, 26))
    assert is_exam_day(date(2026, 12, 24)) and is_exam_day(date(2026, 12, 28))
    assert date(2025, 4, 26) in holidays(2025) and date(2025, 4, 27) not in holidays(2025)  # 27 April a Sunday
    assert is_exam_day(date(2027, 3, 26))  # Good Friday is a working day
    assert date(2027, 3, 26) in holidays(2027, good_friday=True)
    assert date(2026, 5, 5) not in holidays(2026, liberation_every_year=False)
    assert date(2030, 5, 5) in holidays(2030, liberation_every_year=False)
    assert not is_exam_day(date(2027, 5, 15))  # a Saturday
