"""Checks of what a person says about themselves: birth date, citizen service number (BSN), phone number.

Plain functions the portal's forms and the API share; each returns the cleaned value or raises
``ValueError`` with a message for the person who typed it.
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def youngest_age() -> int:
    """The age below which nobody can sit any exam here: the lowest of the families' minimum ages."""
    return min(settings.EXAMS["MIN_AGE_YEARS"].values())


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def birth_date_check(birth_date: date, *, today: date) -> date:
    if birth_date > today:
        raise ValueError(_("A date of birth cannot lie in the future."))
    if birth_date < EARLIEST_BIRTH_DATE:
        raise ValueError(_("Check the year: a date of birth before 1900 is not possible."))
    youngest = youngest_age()
    if age_on(birth_date, today) < youngest:
        raise ValueError(_("You must be at least %(years)d years old to sit an exam here.") % {"years": youngest})
    return birth_date


def bsn_valid(value: str) -> bool:
    """The Dutch 11-test: 9 digits (8 get a leading zero), weighted 9 … 2 and -1, sum divisible by 11."""
    if not value.isdigit() or len(value) not in (8, 9):
        return False
    digits = [int(d) for d in value.zfill(9)]
    total = sum(d * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total != 0 and total % 11 == 0


def bsn_check(value: str) -> str:
    value = re.sub(r"[\s.]", "", value)
    if not (value.isdigit() and len(value) in (8, 9)):
        raise ValueError(_("A citizen service number has 8 or 9 digits."))
    if not bsn_valid(value):
        raise ValueError(_("This is not a valid citizen service number: check the digits."))
    return value.zfill(9)


_SEPARATORS = re.compile(r"[\s\-().]")


def phone_check(value: str) -> str:
    """A phone number in international form: ``+31 6 12345678``, ``0031 …`` or a Dutch ``06 12345678``
    become ``+31612345678`` (E.164: a country code and at most 15 digits in all)."""
    number = _SEPARATORS.sub("", value)
    if number.startswith("00"):
        number = "+" + number[2:]
    elif re.fullmatch(r"0[1-9][0-9]{8}", number):
        number = "+31" + number[1:]
    if not re.fullmatch(r"\+[1-9][0-9]{7,14}", number):
        raise ValueError(_("Give the phone number with its country code, for example +31 6 12345678."))
    return number
