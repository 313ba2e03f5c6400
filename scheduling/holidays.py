"""The Dutch public holidays on which no exam is held: the one calendar the placement runs and the VO
written-period planner read their exam days from.

Computed, not listed, so every year works: Easter by the Gregorian computus (the anonymous algorithm,
as published by Meeus), the movable feasts from it. Which days count:

- New Year's Day (1 January);
- Easter Monday (Easter + 1), Ascension Day (Easter + 39), Whit Monday (Easter + 50); Easter Sunday and
  Whit Sunday fall on a Sunday, which has no exams anyway, but are listed for completeness;
- King's Day: 27 April, or Saturday 26 April when the 27th is a Sunday;
- Liberation Day (5 May): a national day off every fifth year (2025, 2030, ...), but the agency plans no
  exams on it in any year (``liberation_every_year``);
- Christmas Day and Boxing Day (25 and 26 December);
- Good Friday is a working day for the government and the agency, so it is not in the list unless
  ``good_friday`` asks for it.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter(year: int) -> date:
    """Easter Sunday of ``year`` in the Gregorian calendar."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def holidays(year: int, *, good_friday: bool = False, liberation_every_year: bool = True) -> dict[date, str]:
    """The year's public holidays on which no exam is held, each with its English name."""
    sunday = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = date(year, 4, 26)
    days = {
        date(year, 1, 1): "New Year's Day",
        sunday: "Easter Sunday",
        sunday + timedelta(days=1): "Easter Monday",
        kings_day: "King's Day",
        sunday + timedelta(days=39): "Ascension Day",
        sunday + timedelta(days=49): "Whit Sunday",
        sunday + timedelta(days=50): "Whit Monday",
        date(year, 12, 25): "Christmas Day",
        date(year, 12, 26): "Boxing Day",
    }
    if liberation_every_year or year % 5 == 0:
        days[date(year, 5, 5)] = "Liberation Day"
    if good_friday:
        days[sunday - timedelta(days=2)] = "Good Friday"
    return days


def is_holiday(day: date) -> bool:
    return day in holidays(day.year)


def is_exam_day(day: date) -> bool:
    """A weekday that is no public holiday."""
    return day.weekday() < 5 and not is_holiday(day)
