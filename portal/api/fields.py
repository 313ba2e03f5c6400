"""Field types shared by the API's input schemas."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, Strict


def _iso_date_only(value: Any) -> Any:
    """Pydantic would also read a number as seconds since 1970 ("0" is 1 January 1970): a date is YYYY-MM-DD."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(_("A date is written as YYYY-MM-DD."))
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]


#: An integer in a JSON body: not ``true``, not ``"7"`` and not ``7.0``, which Pydantic would otherwise turn into one.
JsonInt = Annotated[int, Strict()]

#: The id of a stored object in a JSON body: a positive integer that fits the database.
ObjectId = Annotated[int, Strict(), Field(ge=1, le=2**63 - 1)]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Text cannot contain the NUL character."))
    return value


#: Text from a query or path that reaches a database query: PostgreSQL refuses the NUL character outright.
Text = Annotated[str, AfterValidator(_no_nul)]


#: An amount of money in an answer: a string with two decimals ("0.00", "50.00"), as every amount is shown.
Money = Annotated[Decimal, PlainSerializer(lambda value: f"{Decimal(value):.2f}", return_type=str)]


def choice_of(choices: Any) -> Any:
    """The values of a model's ``TextChoices`` as a ``Literal``: the schema lists them as an enum."""
    return Literal[tuple(choices.values)]
