"""My exams: results with the period for questions about them, and past sittings known by their result."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from exams.models import ExamPart, Result

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def result(candidate, code: str, released_days_ago: int) -> Result:
    part = ExamPart.objects.get(code=code)
    return Result.objects.create(
        candidate=candidate,
        part=part,
        score=Decimal("470"),
        passed=False,
        taken_on=timezone.localdate() - timedelta(days=released_days_ago + 35),
        released_at=timezone.now() - timedelta(days=released_days_ago),
        source="partner",
    )


def test_the_objection_link_shows_its_deadline_and_goes_once_it_has_passed(catalogue, candidate):
    fresh, old = result(candidate, "NT2-II-LZ", 2), result(candidate, "NT2-II-LU", 30)  # NT2: 21 days
    page = logged_in(candidate.user).get("/my/").content.decode()
    until = timezone.localtime(fresh.released_at + timedelta(days=21))
    assert f"/my/results/{fresh.pk}/request/" in page and f"until {until:%-d %B %Y}" in page
    assert f"/my/results/{old.pk}/request/" not in page and "Period ended on" in page
    late = logged_in(candidate.user).get(f"/my/results/{old.pk}/request/", follow=True).content.decode()
    assert "The period for questions about this result ended on" in late and 'name="reason"' not in late


def test_past_sittings_known_only_by_their_result_are_listed(catalogue, candidate):
    earlier = result(candidate, "NT2-II-LZ", 10)
    page = logged_in(candidate.user).get("/my/").content.decode()
    past = page[page.index("Past and cancelled") :]
    assert f"{earlier.taken_on:%-d %B %Y}: result known" in past and "Nothing yet." not in past
