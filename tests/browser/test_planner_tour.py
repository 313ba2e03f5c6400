"""The planner's and staff pages on a 375-pixel phone: nothing scrolls the page sideways, every table cell that
is only a value says what it is, and the charts keep their text readable."""

from __future__ import annotations

from datetime import timedelta

import pytest

from exams.models import Candidate, ExamSession, Provision, StaffAssignment

from ..browser_support import fits_screen
from ..exams.test_planning import vo_world  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = {"width": 375, "height": 812}
UNLABELLED_CELLS = "td:not(:first-child):not([colspan]):not([data-label])"


@pytest.fixture
def narrow_phone(phone):
    """The phone, at the width of the narrowest phones in use."""
    phone.set_viewport_size(NARROW)
    return phone


def published_world(vo_world, planner):
    """A published roster of the VO world, a later session to move to, a long e-mail address and a
    provision request: each planner page has something in its tables."""
    from exams.planning import runs

    run = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5, created_by=planner).pk)
    runs.run_publish(run=run, actor=planner)
    runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5, created_by=planner).pk)
    session = ExamSession.objects.filter(registrations__status="confirmed").order_by("starts_at").first()
    later = ExamSession.objects.create(room=session.room, starts_at=session.starts_at + timedelta(days=2),
                                       ends_at=session.ends_at + timedelta(days=2), capacity=3, status="closed")
    later.parts.set(session.parts.all())
    person = Candidate.objects.get(email="vo1@example.org")
    Candidate.objects.filter(pk=person.pk).update(email="kan.didaat.with.a.rather.long.address@example.org")
    Provision.objects.create(candidate=person, family=session.parts.first().programme.family, kind="separate_room")
    return run, session, person


def test_planner_pages_fit_a_phone_and_label_their_cells(live_server, narrow_phone, sign_in, vo_world, planner):
    run, session, person = published_world(vo_world, planner)
    duty = StaffAssignment.objects.first()
    day = session.local_starts_at.date().isoformat()
    sign_in(narrow_phone, planner)
    pages = ["/planner/", "/planner/runs/", f"/planner/runs/{run.pk + 1}/", f"/planner/runs/{run.pk}/",
             f"/planner/roster/?location=VO-AMF&date={day}", "/planner/repair/", "/planner/people/?q=didaat",
             "/planner/versions/", f"/planner/versions/{run.versions.get().pk}/",
             f"/planner/examiners/{duty.examiner_id}/?from={vo_world.date_from}", f"/planner/candidates/{person.pk}/",
             "/staff/provisions/", "/staff/print/"]
    for path in pages:
        narrow_phone.goto(live_server.url + path)
        assert fits_screen(narrow_phone), path
        assert narrow_phone.locator(UNLABELLED_CELLS).count() == 0, path


def test_charts_keep_readable_text_on_a_phone(live_server, narrow_phone, sign_in, vo_world, planner):
    run, _session, _person = published_world(vo_world, planner)
    sign_in(narrow_phone, planner)
    for path in ("/planner/", f"/planner/runs/{run.pk}/"):
        narrow_phone.goto(live_server.url + path)
        label = narrow_phone.locator("svg.chart .chart-label").first
        assert label.bounding_box()["height"] >= 11, path  # 12-pixel text, not shrunk to fit 375 pixels
        assert fits_screen(narrow_phone), path
