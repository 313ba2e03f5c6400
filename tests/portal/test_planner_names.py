"""The planner's pages name people, locations and exam parts in words, not by their codes or ids."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from exams.models import Examiner, PlanningRun, StaffAssignment

from .test_planner_pages import logged_in

pytestmark = pytest.mark.django_db


def test_the_overviews_demand_chart_names_the_location_and_week(make_session, planner):
    session = make_session(days=10, capacity=12)
    page = logged_in(planner).get("/planner/").content.decode()
    week = session.local_starts_at.isocalendar().week
    chart = re.search(r'<svg class="chart".*?</svg>', page, re.S).group(0)
    chart = " ".join(re.sub(r"<[^>]+>", " ", chart).split())  # a long label wraps over two lines
    assert f"Examencentrum Amsterdam, week {week}" in chart and "AMS" not in chart


def test_runs_name_the_locations_they_cover(planner, location):
    today = timezone.localdate()
    run = PlanningRun.objects.create(family="nt2", date_from=today, date_to=today + timedelta(days=7),
                                     location_codes=["AMS"], time_limit=5)
    client = logged_in(planner)
    assert "Examencentrum Amsterdam" in client.get("/planner/runs/").content.decode()
    assert "Examencentrum Amsterdam" in client.get(f"/planner/runs/{run.pk}/").content.decode()


def test_an_examiners_duties_name_the_exam_parts(make_session, planner):
    session = make_session(days=10)
    person = Examiner.objects.create(first_name="Ida", last_name="Dienst", email="ida@example.org")
    StaffAssignment.objects.create(session=session, examiner=person, role="invigilator")
    page = logged_in(planner).get(f"/planner/examiners/{person.pk}/").content.decode()
    part = session.parts.get()
    assert part.full_name in page and f">{part.code}<" not in page and f"{part.code}," not in page


def test_waiting_requests_show_without_a_capacity_of_nothing(planner, candidate, location, catalogue):
    from exams.models import ExamPart, PlacementRequest

    PlacementRequest.objects.create(candidate=candidate, part=ExamPart.objects.get(code="NT2-II-LZ"),
                                    source="state_exam", preferred_location=location)
    page = logged_in(planner).get("/planner/").content.decode()
    chart = " ".join(re.sub(r"<[^>]+>", " ", re.search(r'<svg class="chart".*?</svg>', page, re.S).group(0)).split())
    assert "Examencentrum Amsterdam: waiting 1 " in chart and "1 / 0" not in chart
