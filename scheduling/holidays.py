"""The public holidays on which no exam is held, per region: the calendar the placement runs and the VO
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

Holidays follow the location: the islands of the Caribbean Netherlands (Bonaire, Sint Eustatius, Saba;
``region`` is the ISO 3166-2 code, :data:`REGIONS`) keep the public holidays of their own labour law (the
Arbeidsregeling 2000 BES, as listed by the Rijksdienst Caribisch Nederland under "Officiële feestdagen"):
New Year's Day, Good Friday, Easter Sunday and Monday, King's Day (26 April when the 27th is a Sunday),
Labour Day (1 May), Ascension Day, Whit Sunday, Christmas Day and Boxing Day; no Whit Monday and no
Liberation Day. Each island adds its own:

- Bonaire: Dia di Rincon (30 April) and Dia di Boneiru, Bonaire Day (6 September);
- Sint Eustatius: Emancipation Day (1 July, since 2022) and Statia Day (16 November);
- Saba: Saba Day (first Friday of December) and the day after the carnival parade (*assumed* the second
  Monday of July: the island sets it each year, e.g. 3 August 2020 and 6 September 2021; a planner closes
  the location when it moves).
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


#: Where a location keeps its public holidays: "" is the European Netherlands; the islands of the Caribbean
#: Netherlands by their ISO 3166-2 code.
NETHERLANDS, BONAIRE, SINT_EUSTATIUS, SABA = "", "BQ-BO", "BQ-SE", "BQ-SA"
REGIONS = {NETHERLANDS: "Netherlands", BONAIRE: "Bonaire", SINT_EUSTATIUS: "Sint Eustatius", SABA: "Saba"}
CARIBBEAN = (BONAIRE, SINT_EUSTATIUS, SABA)


@lru_cache(maxsize=256)
def holidays(year: int, region: str = NETHERLANDS, *, good_friday: bool = False,
             liberation_every_year: bool = True) -> dict[date, str]:
    """The year's public holidays on which no exam is held in ``region`` (:data:`REGIONS`), each with its
    English name. ``good_friday`` and ``liberation_every_year`` concern the European Netherlands only."""
    if region not in REGIONS:
        raise ValueError(f"Unknown holiday region {region!r}; known: {sorted(REGIONS)}")
    if region in CARIBBEAN:
        return _caribbean(year, region)
    sunday = easter(year)
    days = {
        date(year, 1, 1): "New Year's Day",
        sunday: "Easter Sunday",
        sunday + timedelta(days=1): "Easter Monday",
        _kings_day(year): "King's Day",
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


def _kings_day(year: int) -> date:
    """27 April, or Saturday 26 April when the 27th is a Sunday."""
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


def _caribbean(year: int, island: str) -> dict[date, str]:
    sunday = easter(year)
    days = {
        date(year, 1, 1): "New Year's Day",
        sunday - timedelta(days=2): "Good Friday",
        sunday: "Easter Sunday",
        sunday + timedelta(days=1): "Easter Monday",
        _kings_day(year): "King's Day",
        date(year, 5, 1): "Labour Day",
        sunday + timedelta(days=39): "Ascension Day",
        sunday + timedelta(days=49): "Whit Sunday",
        date(year, 12, 25): "Christmas Day",
        date(year, 12, 26): "Boxing Day",
    }
    if island == BONAIRE:
        days[date(year, 4, 30)] = "Rincon Day"
        days[date(year, 9, 6)] = "Bonaire Day"
    elif island == SINT_EUSTATIUS:
        if year >= 2022:
            days[date(year, 7, 1)] = "Emancipation Day"
        days[date(year, 11, 16)] = "Statia Day"
    elif island == SABA:
        july = date(year, 7, 1)
        days[july + timedelta(days=(7 - july.weekday()) % 7 + 7)] = "Saba Carnival Monday"
        december = date(year, 12, 1)
        days[december + timedelta(days=(4 - december.weekday()) % 7)] = "Saba Day"
    return days


def is_holiday(day: date, region: str = NETHERLANDS) -> bool:
    return day in holidays(day.year, region)


def is_exam_day(day: date, region: str = NETHERLANDS) -> bool:
    """A weekday that is no public holiday in ``region``."""
    return day.weekday() < 5 and not is_holiday(day, region)
