"""Paging and date filters for the API's lists: ``limit``/``offset`` in the query, the number of rows in all
the pages in the ``X-Total-Count`` header (the body stays a plain list, as ``/sessions`` has always been)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from exams.errors import RuleViolation
from exams.selectors import start_of

from .fields import IsoDate

TOTAL_HEADER = "X-Total-Count"

#: For operations answering a page: the header in the schema.
PAGED = {"responses": {200: {"headers": {TOTAL_HEADER: {
    "description": "How many rows all the pages hold together.", "schema": {"type": "integer"}}}}}}


class Page(Schema):
    limit: int = Field(100, ge=1, le=500, description="At most this many rows (default 100, at most 500).")
    offset: int = Field(0, ge=0, le=2**31 - 1, description="Skip this many rows first.")


class DatedPage(Page):
    date_from: IsoDate | None = Field(None, description="Only from this day on (YYYY-MM-DD).")
    date_to: IsoDate | None = Field(None, description="Only up to and including this day (YYYY-MM-DD).")


def check_date_range(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise RuleViolation(_("date_from lies after date_to."), code="invalid_date_range",
                            details={"date_from": date_from.isoformat(), "date_to": date_to.isoformat()})


def on_days(queryset: QuerySet, field: str, page: DatedPage) -> QuerySet:
    """``queryset`` narrowed to the days of ``page`` by the moment ``field``."""
    check_date_range(page.date_from, page.date_to)
    if page.date_from:
        queryset = queryset.filter(**{f"{field}__gte": start_of(page.date_from)})
    if page.date_to:
        queryset = queryset.filter(**{f"{field}__lt": start_of(page.date_to, next_day=True)})
    return queryset


def page_of(queryset: QuerySet, page: Page, response: HttpResponse) -> list:
    """One page of ``queryset``, with the total in ``response``'s header."""
    response[TOTAL_HEADER] = str(queryset.count())
    return list(queryset[page.offset : page.offset + page.limit])
