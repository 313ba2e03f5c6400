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


def test_the_caribbean_netherlands_keep_their_own_holidays_island_by_island():
    from scheduling.holidays import BONAIRE, SABA, SINT_EUSTATIUS

    bonaire = holidays(2027, BONAIRE)
    assert bonaire[date(2027, 4, 30)] == "Rincon Day" and bonaire[date(2027, 9, 6)] == "Bonaire Day"
    assert bonaire[date(2027, 3, 26)] == "Good Friday" and bonaire[date(2027, 5, 1)] == "Labour Day"
    assert date(2027, 5, 17) not in bonaire and date(2027, 5, 5) not in bonaire  # no Whit Monday, no 5 May
    assert not is_exam_day(date(2027, 4, 30), BONAIRE) and is_exam_day(date(2027, 4, 30))
    assert is_exam_day(date(2027, 5, 17), BONAIRE) and not is_exam_day(date(2027, 5, 17))
    statia = holidays(2027, SINT_EUSTATIUS)
    assert statia[date(2027, 7, 1)] == "Emancipation Day" and statia[date(2027, 11, 16)] == "Statia Day"
    assert date(2021, 7, 1) not in holidays(2021, SINT_EUSTATIUS)  # a public holiday since 2022
    assert date(2027, 9, 6) not in statia and date(2027, 4, 30) not in statia
    saba = holidays(2027, SABA)
    assert saba[date(2027, 12, 3)] == "Saba Day"  # the first Friday of December
    assert holidays(2026, SABA)[date(2026, 12, 4)] == "Saba Day"
    assert saba[date(2027, 7, 12)] == "Saba Carnival Monday"
    with pytest.raises(ValueError):
        holidays(2027, "BQ-XX")
