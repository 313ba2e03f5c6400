"""The disruptions page: what a planner reports (an examiner absent, a location or one room closed) is kept
with its reason, listed newest first, and leads to a repair run or the duties it left empty."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from exams.models import Disruption, Examiner, PlanningRun

pytestmark = pytest.mark.django_db


def logged_in(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _weekday(days: int):
    """The first Monday to Friday at least ``days`` from today."""
    day = timezone.localdate() + timedelta(days=days)
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() > 4 else 0)


def test_closing_one_room_cancels_only_that_rooms_sittings(make_session, planner):
    closed = make_session(days=20, room="Computerzaal 1")
    open_ = make_session(days=20, room="Computerzaal 2")
    day = str(closed.local_starts_at.date())
    response = logged_in(planner).post("/planner/repair/", {
        "action": "location", "location": closed.room.location.code, "room": closed.room.pk, "from": day,
        "to": day, "reason": "leaking roof", "confirm": "1"}, follow=True)
    closed.refresh_from_db()
    open_.refresh_from_db()
    assert closed.status == "cancelled" and open_.status == "open"
    disruption = Disruption.objects.get()
    assert (disruption.kind, disruption.room, disruption.location) == ("room", closed.room, closed.room.location)
    assert closed.room.closures.filter(reason="leaking roof").exists()
    page = response.content.decode()
    assert "Computerzaal 1, " in page
    # Each of the two report forms says what it reports.
    assert "<h3>An examiner is absent</h3>" in page and "<h3>A location or room is closed</h3>" in page


def test_a_room_of_another_location_is_refused(make_session, planner, catalogue):
    from exams.seed.places import AGENCY_CENTRES, upsert_location, upsert_room

    session = make_session(days=20)
    elsewhere = upsert_room(upsert_location(AGENCY_CENTRES[1], [catalogue["nt2"]]), "Zaal 9", seats=10,
                            computer_seats=0, wheelchair_accessible=True)
    day = str(session.local_starts_at.date())
    page = logged_in(planner).post("/planner/repair/", {
        "action": "location", "location": session.room.location.code, "room": elsewhere.pk, "from": day,
        "to": day, "reason": "x", "confirm": "1"}).content.decode()
    session.refresh_from_db()
    assert session.status == "open" and not Disruption.objects.exists() and "Choose a room of" in page


def test_reported_disruptions_are_listed_newest_first_with_reason_and_reporter(make_session, planner):
    session = make_session(days=20)
    person = Examiner.objects.create(first_name="Ada", last_name="Ziek", email="ada@example.org")
    day = str(session.local_starts_at.date())
    client = logged_in(planner)
    client.post("/planner/repair/", {"action": "examiner", "examiner": person.pk, "from": day, "to": day,
                                     "reason": "flu"})
    client.post("/planner/repair/", {"action": "location", "location": session.room.location.code, "from": day,
                                     "to": day, "reason": "power cut", "confirm": "1"})
    assert [d.reason for d in Disruption.objects.all()] == ["power cut", "flu"]
    page = client.get("/planner/repair/").content.decode()
    listed = page[page.index('id="reported"'):]
    assert listed.index("power cut") < listed.index("flu")
    assert "Examiner absent: Ada Ziek" in listed and f"Location closed: {session.room.location.name}" in listed
    assert listed.count(planner.email) == 2
    dutch = logged_in(planner, "nl").get("/planner/repair/").content.decode()
    assert "Examinator afwezig: Ada Ziek" in dutch and "Gemeld door" in dutch


def test_a_listed_disruption_starts_a_repair_run_over_its_period_and_place(make_session, planner):
    session = make_session(days=40)
    day = _weekday(40)
    client = logged_in(planner)
    client.post("/planner/repair/", {"action": "location", "location": session.room.location.code,
                                     "from": str(day), "to": str(day + timedelta(days=2)), "reason": "works",
                                     "confirm": "1"})
    disruption = Disruption.objects.get()
    page = client.get("/planner/repair/").content.decode()
    assert f"/planner/disruptions/{disruption.pk}/repair/" in page and f"?from={day}#holes" in page
    response = client.post(f"/planner/disruptions/{disruption.pk}/repair/")
    run = PlanningRun.objects.get()
    assert response.url == f"/planner/runs/{run.pk}/"
    assert run.location_codes == [session.room.location.code] and run.date_to == day + timedelta(days=2)
    assert run.created_by == planner


def test_a_repair_that_cannot_start_says_why_in_the_pages_language(make_session, planner):
    person = Examiner.objects.create(first_name="Bo", last_name="Weg", email="bo@example.org")
    past = timezone.localdate() - timedelta(days=10)
    disruption = Disruption.objects.create(kind="examiner", examiner=person, starts_on=past, ends_on=past,
                                           reason="ill")
    response = logged_in(planner, "nl").post(f"/planner/disruptions/{disruption.pk}/repair/", follow=True)
    assert not PlanningRun.objects.exists() and "Geen herstel gestart" in response.content.decode()
