"""A planner in Chromium: runs the solver, watches it finish, publishes, opens a location's day, tries an
unqualified examiner and is refused with the reason; every page passes axe."""

from __future__ import annotations

import re

import pytest

from exams.models import Examiner, ExamSession

from ..exams.test_planning import vo_world  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_planner_runs_publishes_and_edits(live_server, phone, axe_violations, sign_in, vo_world, planner):
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
    for _ in range(30):  # the page refreshes itself until the run is done
        if "Dit rooster publiceren" in phone.content():
            break
        phone.wait_for_timeout(1000)
        phone.reload()
    assert phone.locator("progress").get_attribute("value") is not None
    assert axe_violations(phone) == []
    phone.get_by_role("button", name="Dit rooster publiceren").click()
    phone.wait_for_load_state()
    session = ExamSession.objects.order_by("starts_at").first()
    outsider = Examiner.objects.create(first_name="Zonder", last_name="Bevoegdheid", email="zb@example.org",
                                       home_location=session.room.location)
    phone.goto(f"{url}/planner/roster/?location=VO-AMF&date={session.local_starts_at.date().isoformat()}")
    assert phone.locator("svg.chart").first.is_visible()
    assert axe_violations(phone) == []
    card = phone.locator(f"#session-{session.pk}")
    card.locator("select[name=examiner]").first.select_option(str(outsider.pk))
    card.get_by_role("button", name="Vervangen").first.click()
    phone.wait_for_load_state()
    assert "Niet gewijzigd" in phone.content() or "Not changed" in phone.content()
    assert "not qualified" in phone.content()
