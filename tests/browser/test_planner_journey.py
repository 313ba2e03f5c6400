"""A planner in Chromium: runs the solver, watches it finish, compares and publishes, opens a location's day,
tries an unqualified examiner and is refused with the reason, checks and moves a candidate, and the candidate's
"My exams" shows the new time; every page passes axe."""

from __future__ import annotations

import re

import pytest

from datetime import timedelta

from exams.models import ExamFamily, Examiner, ExamSession, Qualification, User

from ..browser_support import reload_until
from ..exams.test_planning import vo_world  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_planner_runs_publishes_and_edits(live_server, browser, phone, axe_violations, sign_in, vo_world, planner):
    sign_in(phone, planner)
    url = live_server.url
    phone.goto(url + "/planner/")
    assert axe_violations(phone) == []
    phone.goto(url + "/planner/runs/")
    assert axe_violations(phone) == []
    phone.select_option("#family", "vo")
    phone.fill("#from", str(vo_world.date_from))
    phone.fill("#to", str(vo_world.date_to))
    phone.fill("#time_limit", "5")
    phone.get_by_role("button", name="Starten").click()
    phone.wait_for_url(re.compile(r".*/planner/runs/\d+/$"))
    reload_until(phone, "Dit rooster publiceren")  # the page refreshes itself until the run is done
    assert phone.locator("progress").get_attribute("value") is not None
    assert axe_violations(phone) == []
    assert "Vergeleken met het gepubliceerde rooster" in phone.content()
    phone.get_by_label("Ik heb de wijzigingen gecontroleerd", exact=False).check()  # confirmed first
    phone.get_by_role("button", name="Dit rooster publiceren").click()
    phone.wait_for_url(re.compile(r".*/planner/versions/\d+/$"))
    assert "Gepubliceerd als versie" in phone.content()
    assert axe_violations(phone) == []
    session = ExamSession.objects.order_by("starts_at").first()
    outsider = Examiner.objects.create(first_name="Zonder", last_name="Bevoegdheid", email="zb@example.org",
                                       home_location=session.room.location)
    # An invigilator of the family: listed among the others nearby, but no examiner for an oral.
    Qualification.objects.create(examiner=outsider, role="invigilator", family=ExamFamily.objects.get(code="vo"))
    phone.goto(f"{url}/planner/roster/?location=VO-AMF&date={session.local_starts_at.date().isoformat()}")
    assert phone.locator("svg.chart").first.is_visible()
    assert axe_violations(phone) == []
    card = phone.locator(f"#session-{session.pk}")
    card.locator("select[name=examiner]").first.select_option(str(outsider.pk))
    card.get_by_role("button", name="Vervangen").first.click()
    phone.wait_for_load_state()
    assert "Niet gewijzigd" in phone.content()
    assert "niet bevoegd" in phone.content()  # the refusal in the page's language

    # Move a candidate to a session the planner added later that week: check first, then move.
    registration = session.registrations.filter(status="confirmed").select_related("candidate", "part").first()
    target = ExamSession.objects.create(room=session.room, starts_at=session.starts_at + timedelta(days=2),
                                        ends_at=session.ends_at + timedelta(days=2), capacity=3, status="closed")
    target.parts.set([registration.part])
    person = registration.candidate
    person.user = User.objects.create_user(email=person.email, password="Kandidaat-12345")
    person.save(update_fields=["user"])
    phone.goto(f"{url}/planner/roster/?location=VO-AMF&date={session.local_starts_at.date().isoformat()}")
    card = phone.locator(f"#session-{session.pk}")
    card.locator(f"#move-{registration.pk}").select_option(str(target.pk))
    card.get_by_role("button", name="Controleren").first.click()
    phone.wait_for_load_state()
    assert "Controle: toegestaan" in phone.content() and "Er is nog niets opgeslagen" in phone.content()
    assert axe_violations(phone) == []
    card = phone.locator(f"#session-{session.pk}")
    card.locator(f"#move-{registration.pk}").select_option(str(target.pk))
    card.get_by_role("button", name="Verplaatsen").first.click()
    phone.wait_for_load_state()
    assert registration.booking.registrations.get(status="confirmed").session_id == target.pk
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    mine = context.new_page()
    sign_in(mine, person.user)
    mine.goto(url + "/my/")
    assert target.local_starts_at.strftime("%H:%M") in mine.content()
    assert f"{target.local_starts_at.day}" in mine.content()
    context.close()
