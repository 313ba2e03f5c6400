"""The planner's workspace: overview, solver runs with progress and explanations, roster, hand edits,
exports."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from exams.models import Candidate, Examiner, ExamSession, PlanningRun, Qualification, StaffAssignment

from ..exams.test_planning import vo_world  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_overview_shows_figures_and_charts(planner, make_session):
    make_session(capacity=10)
    page = logged_in(planner).get("/planner/").content.decode()
    assert "seats filled" in page and "<svg" in page and "Demand and capacity per location and week" in page


def test_overview_lists_qualifications_that_lapse_with_the_duties_after(planner, make_session, catalogue):
    """Two invigilation duties (days 10 and 20) for someone whose qualification ends on day 15, in the
    six weeks shown; a qualification ending on day 60 is outside them."""
    today = timezone.localdate()
    person = Examiner.objects.create(first_name="Lies", last_name="Verloop", email="lies@example.org")
    Qualification.objects.create(examiner=person, role="invigilator", family=catalogue["nt2"],
                                 valid_until=today + timedelta(days=15))
    later = Examiner.objects.create(first_name="Later", last_name="Pas", email="later@example.org")
    Qualification.objects.create(examiner=later, role="invigilator", family=catalogue["nt2"],
                                 valid_until=today + timedelta(days=60))
    for days in (10, 20):
        StaffAssignment.objects.create(session=make_session(days=days), examiner=person, role="invigilator")
    page = logged_in(planner).get("/planner/").content.decode()
    section = page[page.index('id="lapsing"'):page.index("Workload of examiners</h2>")]
    assert "Lies Verloop" in section and "Later Pas" not in section
    row = re.search(r"Lies Verloop</a></td>(.*?)</tr>", section, re.S).group(1)
    assert (today + timedelta(days=15)).strftime("%b") in row and "<strong>1</strong>" in row
    assert "/planner/repair/" in section
    assert "No qualification lapses" in logged_in(planner).get("/planner/", {"family": "vo"}).content.decode()


def test_any_examiner_can_be_reported_unavailable_also_past_the_first_500(planner):
    Examiner.objects.bulk_create([Examiner(first_name="Eva", last_name=f"Aa{i:04d}", email=f"aa{i}@example.org")
                                  for i in range(600)])
    last = Examiner.objects.create(first_name="Zeno", last_name="Zwart", email="zeno@example.org")
    client = logged_in(planner)
    own_page = client.get(f"/planner/examiners/{last.pk}/").content.decode()
    link = re.search(r'href="(/planner/repair/\?examiner=\d+[^"]*)"', own_page).group(1).replace("&amp;", "&")
    form = client.get(link).content.decode()
    select = re.search(r'<select id="examiner".*?</select>', form, re.S).group(0)
    assert select.count("<option") == 1 + 601  # "Choose" and everyone
    assert f'<option value="{last.pk}" selected>Zwart, Zeno</option>' in select
    client.post("/planner/repair/", {"action": "examiner", "examiner": last.pk, "from": str(timezone.localdate()),
                                     "to": str(timezone.localdate()), "reason": "ill"})
    assert last.availability.filter(available=False).exists()


def test_only_planners_get_in(candidate):
    assert logged_in(candidate.user).get("/planner/").status_code == 302


def test_run_from_the_page_publish_and_see_the_roster(vo_world, planner, django_capture_on_commit_callbacks):
    client = logged_in(planner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/planner/runs/", {"family": "vo", "from": str(vo_world.date_from),
                                                  "to": str(vo_world.date_to), "time_limit": "5"})
    run = PlanningRun.objects.get()
    assert response.url == f"/planner/runs/{run.pk}/"
    page = client.get(response.url).content.decode()
    assert "<progress" in page and "Penalty per rule" in page and "hard rules broken" in page
    client.post(f"/planner/runs/{run.pk}/publish/", {"confirm": "1"})
    session = ExamSession.objects.order_by("starts_at").first()
    day = session.local_starts_at.date().isoformat()
    roster = client.get("/planner/roster/", {"location": "VO-AMF", "date": day}).content.decode()
    assert "<svg" in roster and f'id="session-{session.pk}"' in roster
    assert client.get(f"/planner/sessions/{session.pk}/attendance.pdf").content.startswith(b"%PDF")
    csv = client.get("/planner/roster.csv", {"location": "VO-AMF", "from": day}).content.decode("utf-8-sig")
    assert csv.startswith("Session;Starts at;Room") and "Candidate" in csv


def replaceable_duty() -> StaffAssignment:
    """The first duty (by id) of the published roster that at least one other examiner may take over: which
    duties those are depends on the roster the time-limited run found."""
    from exams.planning import workspace

    return next(duty for duty in StaffAssignment.objects.order_by("pk").select_related("session")
                if workspace.fitting_examiners(session=duty.session, role=duty.role, exclude=(duty.examiner_id,)))


def published_duty_and_an_unqualified_examiner(scope, name: tuple[str, str]):
    """A duty of a solved and published roster of ``scope`` that someone else could take over, and a person
    at its location without any qualification."""
    from exams.planning import runs

    runs.run_publish(run=runs.run_execute(run_id=runs.run_create(scope=scope, time_limit=5).pk))
    assignment = replaceable_duty()
    unqualified = Examiner.objects.create(first_name=name[0], last_name=name[1], email="nq@example.org",
                                          home_location=assignment.session.room.location)
    return assignment, unqualified


def test_replacing_an_examiner_is_checked_against_the_hard_rules(vo_world, planner, django_capture_on_commit_callbacks):
    assignment, unqualified = published_duty_and_an_unqualified_examiner(vo_world, ("Not", "Qualified"))
    session = assignment.session
    client = logged_in(planner)
    page = client.post(f"/planner/assignments/{assignment.pk}/replace/",
                       {"examiner": unqualified.pk, "version": session.version}, follow=True).content.decode()
    assert "Not changed:" in page and "not qualified" in page
    assignment.refresh_from_db()
    assert assignment.examiner_id != unqualified.pk
    colleague = Examiner.objects.exclude(pk__in=StaffAssignment.objects.filter(
        session__starts_at__lt=session.ends_at, session__ends_at__gt=session.starts_at).values("examiner")).filter(
        qualifications__role="examinator").first()
    if colleague is not None:
        stale = client.post(f"/planner/assignments/{assignment.pk}/replace/",
                            {"examiner": colleague.pk, "version": session.version - 1}, follow=True).content.decode()
        assert "Someone changed this session" in stale
        client.post(f"/planner/assignments/{assignment.pk}/replace/", {"examiner": colleague.pk,
                                                                      "version": session.version})
        assignment.refresh_from_db()
        assert assignment.examiner_id == colleague.pk
        assert ExamSession.objects.get(pk=session.pk).version == session.version + 1


def test_the_replace_picker_offers_the_free_and_qualified_first(vo_world, planner):
    from exams.planning import workspace

    assignment, unqualified = published_duty_and_an_unqualified_examiner(vo_world, ("Not", "Qualified"))
    session = assignment.session
    fits = workspace.fitting_examiners(session=session, role=assignment.role, exclude=(assignment.examiner_id,))
    page = logged_in(planner).get("/planner/roster/", {"location": "VO-AMF",
                                                       "date": session.local_starts_at.date()}).content.decode()
    picker = re.search(rf'<select id="replace-{assignment.pk}".*?</select>', page, re.S).group(0)
    suggested, _label, others = picker.partition("Others nearby")
    offered = re.findall(r'<option value="(\d+)"', suggested)
    assert offered == [str(fit.examiner.pk) for fit in fits] and offered  # all of them, in order
    assert "duty that day" in suggested or "duties that day" in suggested
    # Below them the rest of the family's examiners, nearest first; nobody outside the family, nobody twice.
    family = {str(pk) for pk in Examiner.objects.filter(qualifications__family__code="vo").values_list("pk", flat=True)}
    listed = re.findall(r'<option value="(\d+)"', others)
    assert set(listed) == family - set(offered) - {str(assignment.examiner_id)}
    assert f'value="{unqualified.pk}"' not in picker  # no qualification in the family at all
    assert f'value="{assignment.examiner_id}"' not in picker  # not offered to replace themself
    # The timeline names the parts in words; the code stays out of the picture.
    timeline = re.search(r'<svg class="chart".*?</svg>', page, re.S).group(0)
    part = session.parts.get()
    assert part.code not in timeline and escape(part.full_name) in timeline


def test_an_ill_examiner_leaves_holes_with_valid_replacements(vo_world, planner):
    from exams.planning import runs, workspace

    run = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk)
    runs.run_publish(run=run)
    assignment = StaffAssignment.objects.select_related("session__room__location", "examiner").first()
    day = assignment.session.local_starts_at.date()
    client = logged_in(planner)
    client.post("/planner/repair/", {"action": "examiner", "examiner": assignment.examiner_id, "from": str(day),
                                     "to": str(day), "reason": "ill"})
    holes = workspace.holes(start=day, days=1)
    affected = {h.assignment.pk for h in holes}
    assert assignment.pk in affected
    assert all(h.assignment.examiner_id == assignment.examiner_id for h in holes)  # nobody else is touched
    for hole in holes:
        for suggestion in hole.suggestions:
            assert not workspace.examiner_problems(examiner=suggestion, session=hole.assignment.session,
                                                   role=hole.assignment.role)
    page = client.get("/planner/repair/", {"from": str(day)}).content.decode()
    assert "is not available on" in page


def test_closing_a_location_cancels_its_sittings_and_frees_the_candidates(make_session, candidate, planner):
    from exams.services.bookings import SeatRequest, booking_confirm, booking_create

    session = make_session(days=20)
    booking_confirm(booking=booking_create(candidate=candidate, requests=[SeatRequest(session.pk)]))
    day = session.local_starts_at.date()
    logged_in(planner).post("/planner/repair/", {"action": "location", "location": "AMS", "from": str(day),
                                                 "to": str(day), "reason": "fire alarm", "confirm": "1"})
    session.refresh_from_db()
    assert session.status == "cancelled"
    from exams.models import PlacementRequest

    assert PlacementRequest.objects.filter(candidate=candidate, source="disruption").exists()


def test_planner_moves_a_candidate_and_the_candidate_sees_the_new_time(make_session, candidate, planner,
                                                                      django_capture_on_commit_callbacks):
    from exams.services.bookings import SeatRequest, booking_confirm, booking_create

    first, later = make_session("NT2-II-LZ", days=20, hour=9), make_session("NT2-II-LZ", days=22, hour=13)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(first.pk)])
    booking_confirm(booking=booking)
    registration = booking.registrations.get()
    client = logged_in(planner)
    roster = client.get("/planner/roster/", {"location": "AMS", "date": first.local_starts_at.date().isoformat()})
    assert f'id="move-{registration.pk}"' in roster.content.decode()
    stale = client.post(f"/planner/registrations/{registration.pk}/move/", {"session": later.pk, "version": "0"},
                        follow=True).content.decode()
    assert "someone changed this session" in stale
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/planner/registrations/{registration.pk}/move/", {"session": later.pk,
                                                                       "version": first.version})
    moved = booking.registrations.get(status="confirmed")
    assert moved.session_id == later.pk
    from django.core import mail

    told = [m for m in mail.outbox if m.to == [candidate.email]]
    assert len(told) == 1 and later.local_starts_at.strftime("%H:%M") in told[0].body
    ics = told[0].attachments[0][1]  # the booked calendar entry moves: its UID, a higher SEQUENCE
    assert f"UID:registration-{registration.pk}@exams" in ics and "SEQUENCE:1" in ics
    assert ics.count("BEGIN:VEVENT") == 1
    mine = Client(HTTP_ACCEPT_LANGUAGE="en")
    mine.force_login(candidate.user)
    assert later.local_starts_at.strftime("%H:%M") in mine.get("/my/").content.decode()


def test_a_dutch_move_check_names_every_score_line_in_dutch(make_session, candidate, planner):
    from exams.services.bookings import SeatRequest, booking_confirm, booking_create

    first, later = make_session("NT2-II-LZ", days=20, hour=9), make_session("NT2-II-LZ", days=22, hour=13)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(first.pk)])
    booking_confirm(booking=booking)
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(planner)
    page = client.post(f"/planner/registrations/{booking.registrations.get().pk}/move/",
                       {"session": later.pk, "preview": "1"}, follow=True).content.decode()
    assert "Examens op dezelfde dag: andere examens die dag" in page
    assert "Exams on the same day" not in page


def test_compare_publish_and_undo_from_the_pages(vo_world, planner, django_capture_on_commit_callbacks):
    from exams.models import RosterVersion
    from exams.planning import runs

    run = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk)
    client = logged_in(planner)
    page = client.get(f"/planner/runs/{run.pk}/").content.decode()
    assert "Compared with the published roster" in page and "Kan Didaat 0" in page and "change-added" in page
    assert "(second examiner / reporter)" in page and "second_examiner" not in page  # roles in words
    table = page[page.index('<table class="changes">'):]
    assert "State exam havo – English oral exam" in table and "VO-HAVO-EN-MO" not in table  # parts by name
    run_rows = client.get(f"/planner/runs/{run.pk}/changes.csv").content.decode("utf-8-sig").splitlines()
    assert run_rows[0] == "Change;Who;Role;Code;Exam part;Before;After"
    duties = [row.split(";") for row in run_rows if row.startswith("duty added;")]
    assert duties and {row[2] for row in duties} <= {"invigilator", "examiner", "second examiner / reporter"}
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(f"/planner/runs/{run.pk}/publish/", {"confirm": "1"}, follow=True)
    version = RosterVersion.objects.get()
    assert published.redirect_chain[-1][0] == f"/planner/versions/{version.pk}/"
    assert "Published as version" in published.content.decode() and "12 added" in published.content.decode()
    listing = client.get("/planner/versions/").content.decode()
    assert f'href="/planner/versions/{version.pk}/"' in listing
    with django_capture_on_commit_callbacks(execute=True):
        undone = client.post(f"/planner/versions/{version.pk}/undo/", {"confirm": "1"}, follow=True)
    undone = undone.content.decode()
    assert "is undone by version" in undone
    again = client.post(f"/planner/versions/{version.pk}/undo/", {"confirm": "1"}, follow=True)
    again = again.content.decode()
    assert "Not undone:" in again and RosterVersion.objects.count() == 2
    rows = client.get(f"/planner/versions/{version.pk}/changes.csv").content.decode("utf-8-sig").splitlines()
    assert rows[0] == "Change;Who;Role;Code;Exam part;Before;After" and len(rows) == 1 + len(version.changes)
    assert rows[1].startswith("added;Kan Didaat")
    rows = client.get(f"/planner/versions/{version.pk}/changes.csv", HTTP_ACCEPT_LANGUAGE="nl").content.decode(
        "utf-8-sig").splitlines()
    assert rows[0] == "Wijziging;Wie;Rol;Code;Examenonderdeel;Voor;Na", rows[0]
    assert client.get(f"/planner/runs/{run.pk}/changes.csv").status_code == 404  # published: nothing to compare


def test_a_long_list_of_changes_can_be_narrowed_and_downloaded_whole(planner, candidate):
    from exams.models import RosterVersion

    def change(kind: str, i: int) -> dict:
        return {"kind": kind, "person": f"Persoon {kind} {i}", "candidate_id": i, "part": "NT2-II-LZ",
                "before": "" if kind == "added" else "ma 7 dec 09:00", "after": "di 8 dec 09:00"}

    changes = [change("added", i) for i in range(301)] + [change("moved", i) for i in range(2)]
    version = RosterVersion.objects.create(scenario="{}", before="{}", after="{}", changes=changes,
                                           counts={"added": 301, "moved": 2, "kept": 0})
    client = logged_in(planner)
    page = client.get(f"/planner/versions/{version.pk}/").content.decode()
    assert page.count('<tr class="change-') == 300 and "The first 300 of 303 are shown." in page
    assert "all (303)" in page and "?changes=moved#compare" in page and "moved (2)" in page
    moved = client.get(f"/planner/versions/{version.pk}/", {"changes": "moved"}).content.decode()
    assert moved.count('<tr class="change-moved">') == 2 and "change-added" not in moved
    assert "are shown" not in moved and 'href="?#compare"' in moved
    assert client.get(f"/planner/versions/{version.pk}/", {"changes": "bogus"}).content.decode().count(
        '<tr class="change-') == 300
    csv = client.get(f"/planner/versions/{version.pk}/changes.csv")
    assert csv["Content-Disposition"] == f'attachment; filename="version-{version.pk}-changes.csv"'
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 304 and lines[-1].startswith("moved;Persoon moved 1;;NT2-II-LZ;")
    assert logged_in(planner).get("/planner/versions/999999/changes.csv").status_code == 404
    assert logged_in(candidate.user).get(f"/planner/versions/{version.pk}/changes.csv").status_code == 302


def test_check_before_saving_shows_the_soft_score_or_the_broken_rule(make_session, candidate, planner):
    from exams.services.bookings import SeatRequest, booking_confirm, booking_create

    first, later = make_session("NT2-II-LZ", days=20, hour=9), make_session("NT2-II-LZ", days=22, hour=13)
    other = make_session("NT2-II-SC", days=22, hour=13)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(first.pk)])
    booking_confirm(booking=booking)
    registration = booking.registrations.get()
    client = logged_in(planner)
    checked = client.post(f"/planner/registrations/{registration.pk}/move/",
                          {"session": later.pk, "version": first.version, "preview": "1"}, follow=True).content.decode()
    assert "Check: allowed. Soft score" in checked and "Nothing is saved yet." in checked
    assert booking.registrations.get(status="confirmed").session_id == first.pk  # nothing moved
    refused = client.post(f"/planner/registrations/{registration.pk}/move/",
                          {"session": other.pk, "version": first.version, "preview": "1"}, follow=True).content.decode()
    assert "Check: not allowed:" in refused and "another exam part" in refused


def test_replace_preview_names_the_soft_rules(vo_world, planner, django_capture_on_commit_callbacks):
    from exams.planning import runs, workspace

    run = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk)
    with django_capture_on_commit_callbacks(execute=True):
        runs.run_publish(run=run)
    duty = StaffAssignment.objects.select_related("session__room__location", "examiner__home_location").first()
    idle = Examiner.objects.exclude(pk=duty.examiner_id).exclude(assignments__session=duty.session).first()
    preview = workspace.replace_preview(assignment=duty, examiner=idle)
    rules = {line.rule for line in preview.lines}
    assert {"Staff travel distance", "Fair workload (spread)", "Change to published roster"} <= rules
    assert preview.change >= 5000  # changing a published duty costs what the solver's change rule costs


def test_pin_and_open_close_from_the_roster(vo_world, planner, django_capture_on_commit_callbacks):
    from exams.models import PlacementRequest
    from exams.planning import runs

    run = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk)
    with django_capture_on_commit_callbacks(execute=True):
        runs.run_publish(run=run)
    request = PlacementRequest.objects.filter(status="placed").select_related("registration__session").first()
    session = request.registration.session
    duty = session.staff.first()
    client = logged_in(planner)
    day = session.local_starts_at.date().isoformat()
    page = client.get("/planner/roster/", {"location": "VO-AMF", "date": day}).content.decode()
    assert f"/planner/registrations/{request.registration_id}/pin/" in page and "Check" in page
    client.post(f"/planner/registrations/{request.registration_id}/pin/", {"pinned": "1"})
    client.post(f"/planner/assignments/{duty.pk}/pin/", {"pinned": "1"})
    request.refresh_from_db()
    duty.refresh_from_db()
    assert request.pinned and duty.pinned
    assert "Unpin" in client.get("/planner/roster/", {"location": "VO-AMF", "date": day}).content.decode()
    stale = client.post(f"/planner/sessions/{session.pk}/open/", {"open": "1", "version": session.version - 1},
                        follow=True).content.decode()
    assert "Someone changed this session" in stale
    client.post(f"/planner/sessions/{session.pk}/open/", {"open": "1", "version": session.version})
    session.refresh_from_db()
    assert session.status == "open"


def test_examiner_schedules_as_pdf_and_csv(vo_world, planner, django_capture_on_commit_callbacks):
    from exams.planning import runs

    run = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk)
    with django_capture_on_commit_callbacks(execute=True):
        runs.run_publish(run=run)
    duty = StaffAssignment.objects.select_related("examiner", "session").first()
    client = logged_in(planner)
    start = vo_world.date_from.isoformat()
    pdf = client.get(f"/planner/examiners/{duty.examiner_id}/schedule.pdf", {"from": start})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    csv = client.get("/planner/examiners.csv", {"from": start}).content.decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0].startswith("Examiner;E-mail address;Starts at")  # headers in the reader's language
    assert len(lines) == 1 + StaffAssignment.objects.count()
    from exams.models import User

    user = User.objects.create_user(email="ex.own@example.org", password="x-Pass-12345")
    Examiner.objects.filter(pk=duty.examiner_id).update(user=user)
    own = logged_in(user)
    mine = own.get("/examiner/schedule.csv", {"from": start}).content.decode("utf-8-sig").splitlines()
    assert len(mine) == 1 + StaffAssignment.objects.filter(examiner_id=duty.examiner_id).count()
    assert own.get("/examiner/schedule.pdf", {"from": start}).content.startswith(b"%PDF")
    assert own.get(f"/planner/examiners/{duty.examiner_id}/schedule.pdf").status_code in (302, 403)


def test_find_a_person_and_see_their_part_of_the_roster(vo_world, planner, django_capture_on_commit_callbacks):
    from exams.models import Candidate, PlacementRequest
    from exams.planning import runs

    run = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk)
    with django_capture_on_commit_callbacks(execute=True):
        runs.run_publish(run=run)
    client = logged_in(planner)
    found = client.get("/planner/people/", {"q": "didaat 1"}).content.decode()
    person = Candidate.objects.get(email="vo1@example.org")
    assert f"/planner/candidates/{person.pk}/" in found and "Didaat 2" not in found
    page = client.get(f"/planner/candidates/{person.pk}/").content.decode()
    session = PlacementRequest.objects.filter(candidate=person).first().registration.session
    assert f"#session-{session.pk}" in page and "Nothing waiting." in page
    duty = StaffAssignment.objects.select_related("examiner").first()
    page = client.get(f"/planner/examiners/{duty.examiner_id}/", {"from": str(vo_world.date_from)}).content.decode()
    assert f"#session-{duty.session_id}" in page and "schedule (PDF)" in page


def test_the_people_search_says_when_it_is_too_short_and_how_many_more_there_are(planner):
    from exams.models import Candidate

    for i in range(30):
        Candidate.objects.create(first_name="Sam", last_name=f"Jansen {i:02d}", birth_date="2000-01-01",
                                 email=f"sam{i}@example.org")
    client = logged_in(planner)
    short = client.get("/planner/people/", {"q": "j"}).content.decode()
    assert "Type at least two letters" in short and "Nobody found." not in short
    page = client.get("/planner/people/", {"q": "jansen"}).content.decode()
    assert "Candidates (30)" in page and "Examiners (0)" in page
    assert page.count("/planner/candidates/") == 25 and "The first 25 of 30; add a word" in page
    narrowed = client.get("/planner/people/", {"q": "jansen 01"}).content.decode()
    assert "Candidates (1)" in narrowed and "The first" not in narrowed
    assert "De eerste 25 van 30" in dutch(planner).get("/planner/people/", {"q": "jansen"}).content.decode()


def test_a_runs_gap_shows_in_percent_and_a_finished_runs_bar_is_full(planner):
    run = PlanningRun.objects.create(family="vo", date_from="2027-06-14", date_to="2027-06-18", time_limit=600,
                                     status=PlanningRun.Status.DONE, elapsed=571.6, objective=18_265_282,
                                     bound=17_921_711, gap=0.0188)
    page = logged_in(planner).get(f"/planner/runs/{run.pk}/").content.decode()
    assert "State exams secondary education (VO), 14 June – 18 June 2027" in page
    assert 'value="100"' in page and "in 571.6 s (limit 600 s)" in page
    assert "Penalty points: 18,265,282 (lower is better)." in page
    assert ("No roster of this scope can score below 17,921,711 (the solver proved it); this one is at most "
            "1.88 %") in page
    assert "18.265.282" in dutch(planner).get(f"/planner/runs/{run.pk}/").content.decode()
    # A bound of nothing proves nothing: no gap is shown (it would always say 100 %).
    PlanningRun.objects.filter(pk=run.pk).update(bound=0, gap=1.0)
    page = logged_in(planner).get(f"/planner/runs/{run.pk}/").content.decode()
    assert "Penalty points: 18,265,282" in page and "score below" not in page and "100.00 %" not in page
    PlanningRun.objects.filter(pk=run.pk).update(status=PlanningRun.Status.RUNNING, elapsed=150.0)
    page = logged_in(planner).get(f"/planner/runs/{run.pk}/").content.decode()
    assert 'value="25"' in page and "150.0 / 600 s" in page


def test_a_long_chart_label_wraps_onto_a_second_line_instead_of_being_cut():
    from portal.charts import Bar, bar_chart, label_lines

    assert label_lines("Staff cost") == ["Staff cost"]
    assert label_lines("Session cost (fewer, fuller sessions)") == ["Session cost (fewer, fuller", "sessions)"]
    longest = label_lines("Place every request, provision priority and deadline priority together")
    assert len(longest) == 2 and longest[1].endswith("…")
    svg = bar_chart([Bar("Session cost (fewer, fuller sessions)", 200), Bar("Staff cost", 6)], title="Penalty")
    assert ">sessions)</tspan>" in svg


def test_a_form_sent_without_a_pick_says_so_and_changes_nothing(make_session, candidate, planner):
    from exams.services.bookings import SeatRequest, booking_confirm, booking_create

    session = make_session(days=20)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
    booking_confirm(booking=booking)
    registration = booking.registrations.get()
    examiner = Examiner.objects.create(first_name="On", last_name="Duty", email="on.duty@example.org",
                                       home_location=session.room.location)
    assignment = StaffAssignment.objects.create(session=session, examiner=examiner, role="invigilator")
    day = str(session.local_starts_at.date())
    client = logged_in(planner)
    sent = [
        (f"/planner/assignments/{assignment.pk}/replace/", {"examiner": "", "version": session.version}),
        (f"/planner/assignments/{assignment.pk}/replace/", {"examiner": "a1", "version": session.version}),
        (f"/planner/assignments/{assignment.pk}/replace/", {"examiner": examiner.pk, "version": "x"}),
        (f"/planner/registrations/{registration.pk}/move/", {"session": "", "version": session.version}),
        ("/planner/repair/", {"action": "examiner", "examiner": "", "from": day, "to": day}),
        ("/planner/repair/", {"action": "location", "location": "NOWHERE", "from": day, "to": day}),
        (f"/planner/sessions/{session.pk}/open/", {"open": "0", "version": "x"}),
    ]
    for url, data in sent:
        response = client.post(url, data, follow=True)
        page = response.content.decode()
        assert response.status_code == 200, (url, data, response.status_code)
        assert "Choose" in page or "choose" in page or "Someone changed" in page, (url, data)
    assignment.refresh_from_db()
    session.refresh_from_db()
    assert assignment.examiner_id == examiner.pk and session.status != "cancelled"
    assert booking.registrations.get().status == "confirmed"


def dutch(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(user)
    return client


def test_refusals_of_runs_and_versions_are_in_the_pages_language(planner):
    client = dutch(planner)
    page = client.post("/planner/runs/", {"family": "vo", "from": "2027-06-18", "to": "2027-06-14",
                                          "time_limit": "5"}, follow=True).content.decode()
    assert "De periode eindigt voordat hij begint." in page and PlanningRun.objects.count() == 0
    page = client.post("/planner/runs/", {"family": "vo", "from": "2027-06-14", "to": "2027-06-18",
                                          "time_limit": "0"}, follow=True).content.decode()
    assert "De tijdslimiet moet tussen 1 en 3600 seconden liggen." in page
    queued = PlanningRun.objects.create(family="vo", date_from="2027-06-14", date_to="2027-06-18", time_limit=5)
    page = client.post(f"/planner/runs/{queued.pk}/publish/", {"confirm": "1"}, follow=True).content.decode()
    assert "Alleen een afgeronde berekening kan worden gepubliceerd." in page
    PlanningRun.objects.filter(pk=queued.pk).update(status=PlanningRun.Status.DONE)
    page = client.post(f"/planner/runs/{queued.pk}/cancel/", follow=True).content.decode()
    assert "Deze berekening is al klaar." in page


def test_a_run_form_with_an_unreadable_date_starts_nothing_and_keeps_what_was_typed(planner, catalogue):
    client = dutch(planner)
    response = client.post("/planner/runs/", {"family": "vo", "from": "14-06-2027", "to": "2027-06-18",
                                              "time_limit": "17", "locations": ["AMS"]}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and PlanningRun.objects.count() == 0
    assert "Geef de datums als jjjj-mm-dd." in page
    assert 'value="17"' in page and '<option value="vo" selected>' in page and 'value="2027-06-18"' in page


def test_the_run_forms_locations_are_labelled_tick_boxes_that_keep_what_was_ticked(planner, location, catalogue):
    from exams.seed.places import AGENCY_CENTRES, upsert_location

    upsert_location(AGENCY_CENTRES[1], [catalogue["nt2"]])
    client = dutch(planner)
    boxes = re.findall(r'<label class="choice"><input type="checkbox" name="locations" value="(\w+)"( checked)?> '
                       r'([^<]+)</label>', client.get("/planner/runs/").content.decode())
    assert [(code, name) for code, _checked, name in boxes] == [("AMS", "Examencentrum Amsterdam"),
                                                               ("EHV", "Examencentrum Eindhoven")]
    assert not any(checked for _code, checked, _name in boxes)  # none ticked: every location
    page = client.post("/planner/runs/", {"family": "nt2", "from": "morgen", "to": "", "time_limit": "30",
                                          "locations": ["EHV"]}).content.decode()
    assert PlanningRun.objects.count() == 0
    assert 'value="EHV" checked' in page and 'value="AMS" checked' not in page
    assert "Vink er geen aan om alle locaties te plannen." in page


def test_a_refused_disruption_keeps_what_was_typed(planner, make_session):
    session = make_session(days=20)
    examiner = Examiner.objects.create(first_name="Zie", last_name="Kenhuis", email="zk@example.org",
                                       home_location=session.room.location)
    page = dutch(planner).post("/planner/repair/", {"action": "examiner", "examiner": examiner.pk,
                                                   "from": "2027-06-18", "to": "2027-06-14",
                                                   "reason": "griep"}).content.decode()
    assert "De periode eindigt voordat hij begint." in page
    assert 'value="griep"' in page and 'value="2027-06-18"' in page and 'value="2027-06-14"' in page
    assert f'<option value="{examiner.pk}" selected>' in page


def test_closing_a_location_needs_a_confirmation(make_session, planner):
    session = make_session(days=20)
    day = str(session.local_starts_at.date())
    page = dutch(planner).post("/planner/repair/", {"action": "location", "location": "AMS", "from": day,
                                                   "to": day, "reason": "brand"}).content.decode()
    session.refresh_from_db()
    assert session.status == "open" and "Vink aan dat" in page and 'value="brand"' in page


def test_pickers_for_changes_start_without_a_choice(make_session, candidate, planner):
    from exams.services.bookings import SeatRequest, booking_confirm, booking_create

    session = make_session(days=20)
    make_session(days=22)
    booking_confirm(booking=booking_create(candidate=candidate, requests=[SeatRequest(session.pk)]))
    examiner = Examiner.objects.create(first_name="On", last_name="Duty", email="on.duty@example.org",
                                       home_location=session.room.location)
    StaffAssignment.objects.create(session=session, examiner=examiner, role="invigilator")
    client = dutch(planner)
    roster = client.get("/planner/roster/", {"location": "AMS", "date": str(session.local_starts_at.date())})
    page = roster.content.decode()
    assert len(re.findall(r'name="examiner"[^>]*><option value="">', page)) == 1  # the replace picker
    assert len(re.findall(r'name="session"[^>]*><option value="">', page)) == 1  # the move picker
    assert "plaatsen vrij" in page  # a target says what its number is
    repair = client.get("/planner/repair/").content.decode()
    assert re.search(r'name="examiner"[^>]*><option value="">', repair)
    assert re.search(r'name="location"[^>]*><option value="">', repair)


def test_staff_pages_count_in_dutch_and_leave_out_what_is_unknown(planner, candidate, catalogue):
    from exams.models import Provision

    Provision.objects.create(candidate=candidate, family=catalogue["nt2"], kind="separate_room")
    Provision.objects.create(candidate=candidate, family=catalogue["nt2"], kind="large_print", status="approved")
    client = dutch(planner)
    page = client.get("/staff/provisions/").content.decode()
    assert "1 aanvraag wacht" in page and "None" not in page
    page = client.get("/staff/print/").content.decode()
    assert "0 geldige documenten zijn nog niet geprint." in page


def test_chart_values_are_grouped_in_the_pages_language():
    from django.utils import translation

    from portal.charts import Bar, bar_chart

    with translation.override("nl"):
        svg = bar_chart([Bar("Staff coverage", 93_000_000), Bar("Staff cost", 83)], title="t")
    assert "93.000.000" in svg and "e+" not in svg
    with translation.override("en"):
        assert "93,000,000" in bar_chart([Bar("Staff coverage", 93_000_000)], title="t")


def test_a_run_names_its_exam_in_the_pages_language(planner, catalogue):
    run = PlanningRun.objects.create(family="nt2", date_from="2027-06-14", date_to="2027-06-18", time_limit=5)
    english = logged_in(planner)
    assert "State exam Dutch as a second language (NT2), 14 June" in english.get(f"/planner/runs/{run.pk}/").content.decode()
    assert "State exam Dutch as a second language (NT2), 14 Jun" in english.get("/planner/runs/").content.decode()


def test_the_overview_says_waiting_in_dutch(planner, candidate, location, catalogue):
    from exams.models import ExamPart, PlacementRequest

    PlacementRequest.objects.create(candidate=candidate, part=ExamPart.objects.get(code="NT2-II-LZ"),
                                    source="state_exam", preferred_location=location)
    page = dutch(planner).get("/planner/").content.decode()
    words = " ".join(re.sub(r"<[^>]+>", " ", page).split())  # a long chart label wraps over two lines
    assert "Examencentrum Amsterdam: wachtend" in words and "waiting" not in page


def test_a_dutch_run_page_names_the_rules_and_changes_in_dutch(vo_world, planner):
    from exams.planning import runs

    run = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk)
    page = dutch(planner).get(f"/planner/runs/{run.pk}/").content.decode()
    assert ">Personeelskosten<" in page and ">Staff cost<" not in page
    assert '<th scope="col">Wijziging</th>' in page  # the noun, not the verb on the candidate's button


def finished_run_with_explanations(scope) -> PlanningRun:
    """A finished run of ``scope`` whose roster seats one candidate in one oral without staff: every other
    request is explained as not placed, the oral as short of staff, and the open session costs points."""
    from exams.planning.adapter import scenario_from_db
    from scheduling import explain, scenario_io
    from scheduling import model as sm
    from scheduling.context import Index
    from scheduling.validator import validate

    scenario = scenario_from_db(scope)
    index = Index(scenario)
    request = scenario.candidates[0].requests[0]
    sid = sm.session_id(request.part_id, scenario.rooms[0].id, scenario.slots[0].id)
    solution = sm.Solution((sid,), (sm.Placement(request.id, sid),))
    report = validate(scenario, solution)
    result = sm.Result(sm.FEASIBLE, solution, report.total(), 0, 1, 1.0,
                       unplaced=explain.explain_all_unplaced(index, solution),
                       uncovered=explain.explain_all_uncovered(index, solution),
                       penalties=tuple(report.penalties), breakdown=tuple(report.breakdown().items()))
    return PlanningRun.objects.create(
        family=scope.family, date_from=scope.date_from, date_to=scope.date_to, time_limit=5,
        status=PlanningRun.Status.DONE, published_at="2027-01-01T00:00Z", snapshot=scenario_io.scenario_to_json(scenario),
        result=scenario_io.solution_to_json(solution, result), summary={"placed": 1, "unplaced": 11})


def test_the_solvers_reasons_are_in_the_pages_language(vo_world, planner):
    from django.utils import translation

    from exams.models import ExamPart, Room

    run = finished_run_with_explanations(vo_world)
    part = ExamPart.objects.get(code="VO-HAVO-NE-MO")
    room = Room.objects.filter(location__code="VO-AMF").order_by("pk").first()
    page = dutch(planner).get(f"/planner/runs/{run.pk}/").content.decode()
    with translation.override("nl"):
        assert f"kon niet worden ingepland voor {escape(part.full_name)}: van de " in page
    assert "mogelijke zittingen:" in page and "zijn binnen de tijdslimiet niet gekozen" in page
    assert "ontbreekt 1 examinator;" in page and "ontbreekt 1 tweede examinator" in page
    assert f"Zitting {room.location.name}, {room.name}, " in page and "ochtend (" in page
    assert not re.search(r"could not be placed|lacks \d|is opened|morning|\broom\d", page)
    # Candidates by name, with a link to their page; one of something in the singular.
    first = Candidate.objects.get(email="vo0@example.org")
    assert "Kandidaat Kan Didaat 0 kon niet" in page and not re.search(r"Kandidaat C\d", page)
    assert f'href="/planner/candidates/{first.pk}/"' in page
    assert not re.search(r"\b1 (zijn|hebben|hadden|waren|liggen|vallen|werken|wonen|zitten) ", page)
    page = logged_in(planner).get(f"/planner/runs/{run.pk}/").content.decode()
    with translation.override("en"):
        assert f"could not be placed for {escape(part.full_name)}: of " in page
    assert "lacks 1 examiner:" in page and "still had room but were not chosen" in page
    assert f"Session {room.location.name}, {room.name}, " in page and "morning (" in page
    assert "Candidate Kan Didaat 0 could not" in page and "(s)" not in page
    assert "ingepland" not in page and "ontbreekt" not in page


def test_a_run_stored_before_reasons_had_wording_shows_its_english_sentences(vo_world, planner):
    run = finished_run_with_explanations(vo_world)
    PlanningRun.objects.filter(pk=run.pk).update(result=_without_wording(run.result))
    page = dutch(planner).get(f"/planner/runs/{run.pk}/").content.decode()
    assert "could not be placed for" in page and "lacks 1 examinator:" in page and "is opened." in page


def _without_wording(text: str) -> str:
    import json

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "wording"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return json.dumps(strip(json.loads(text)))


def test_the_explanation_api_adds_the_readers_sentence_and_keeps_the_stored_ones(vo_world, planner):
    run = finished_run_with_explanations(vo_world)
    client = dutch(planner)
    body = client.get(f"/api/v1/scheduling/runs/{run.pk}/explanation").json()
    unplaced = body["unplaced"][0]
    assert unplaced["reasons"][0].startswith("Candidate ") and unplaced["text"].startswith("Kandidaat ")
    opened = next(p for p in body["penalties"] if p["rule"].startswith("Session cost"))
    assert body["uncovered"][0]["text"].startswith("Bij ") and opened["text"].startswith("Zitting ")
    assert opened["sentence"].startswith("Session ") and opened["wording"]["template"] == "Session %(where)s is opened."
    english = logged_in(planner).get(f"/api/v1/scheduling/runs/{run.pk}/explanation").json()
    assert "could not be placed for" in english["unplaced"][0]["text"]
    assert english["unplaced"][0]["reasons"] == unplaced["reasons"] and "wording" in english["unplaced"][0]


def test_a_refused_replacement_says_why_in_dutch(vo_world, planner):
    assignment, unqualified = published_duty_and_an_unqualified_examiner(vo_world, ("Niet", "Bevoegd"))
    session = assignment.session
    page = dutch(planner).post(f"/planner/assignments/{assignment.pk}/replace/",
                               {"examiner": unqualified.pk, "version": session.version}, follow=True).content.decode()
    assert "Niet gewijzigd: Niet Bevoegd is niet bevoegd " in page and "not qualified" not in page
    page = dutch(planner).post(f"/planner/assignments/{assignment.pk}/replace/",
                               {"examiner": unqualified.pk, "version": session.version, "preview": "1"},
                               follow=True).content.decode()
    assert "Controle: niet toegestaan: Niet Bevoegd is niet bevoegd " in page


def test_a_failed_run_says_why_in_the_pages_language_without_the_exception(planner, catalogue):
    from exams.planning import runs

    run = PlanningRun.objects.create(family="vo", date_from="2027-06-14", date_to="2027-06-18", time_limit=5,
                                     status=PlanningRun.Status.FAILED, error=runs.RUN_CRASHED)
    page = dutch(planner).get(f"/planner/runs/{run.pk}/").content.decode()
    assert "De berekening is gestopt door een onverwachte fout" in page and "unexpected" not in page


def test_a_run_with_vacancies_shows_them_and_publishes_only_when_the_planner_ticks_them(vo_world, planner):
    from exams.models import Registration
    from exams.planning import runs

    Examiner.objects.exclude(pk=Examiner.objects.order_by("pk").first().pk).update(active=False)
    run = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5, seed=1).pk)
    vacancies = run.summary["vacancies"]
    client = dutch(planner)
    page = client.get(f"/planner/runs/{run.pk}/").content.decode()
    assert re.search(rf'<li class="warning" id="vacancies"><strong>{vacancies}</strong>', page)
    assert f"Publiceren met {vacancies} vacatures" in page and 'name="confirm_vacancies"' in page
    page = client.post(f"/planner/runs/{run.pk}/publish/", {"confirm": "1"}, follow=True).content.decode()
    assert "Dit rooster laat plaatsen voor personeel leeg" in page and not Registration.objects.exists()
    response = client.post(f"/planner/runs/{run.pk}/publish/", {"confirm": "1", "confirm_vacancies": "1"})
    assert response.status_code == 302 and "/planner/versions/" in response.url
    assert Registration.objects.count() == 12


def test_a_run_with_nothing_to_plan_says_so_and_offers_no_publishing(planner, catalogue):
    from exams.planning import runs
    from exams.planning.adapter import Scope

    scope = Scope(date_from=date(2027, 6, 14), date_to=date(2027, 6, 18), family="nt2")
    run = runs.run_execute(run_id=runs.run_create(scope=scope, time_limit=5).pk)
    page = dutch(planner).get(f"/planner/runs/{run.pk}/").content.decode()
    assert "Er was niets te plannen" in page and "Iedereen is geplaatst." not in page
    assert "Dit rooster publiceren" not in page


@pytest.mark.parametrize("stage, dutch_label", [
    ("first roster", "eerste rooster"), ("lower bound", "ondergrens"),
    ("staff 2027-06-14", "personeel inplannen voor 2027-06-14"),
    ("block AMS 2027-W24", "kandidaten plaatsen (block AMS 2027-W24)"),
])
def test_a_live_runs_stage_is_named_in_the_pages_language(planner, catalogue, stage, dutch_label):
    run = PlanningRun.objects.create(family="vo", date_from="2027-06-14", date_to="2027-06-18", time_limit=5,
                                     status=PlanningRun.Status.RUNNING, stage=stage)
    page = dutch(planner).get(f"/planner/runs/{run.pk}/").content.decode()
    assert f"· {dutch_label}</p>" in page


def test_the_solver_reports_its_named_stages_as_the_portal_names_them():
    from exams.planning.progress import STAGE_NAMES
    from scheduling import solve

    assert set(STAGE_NAMES) == {solve.FIRST_ROSTER, solve.LOWER_BOUND}


def test_a_duty_on_a_sitting_of_several_parts_names_every_part(planner, catalogue):
    """A staff change on a Wft sitting of two modules (the solver codes it WFT-BASIS+WFT-VERMOGEN) names
    both modules, on the page and in the spreadsheet."""
    from django.utils import translation

    from exams.models import ExamPart, RosterVersion

    with translation.override("en"):
        basis, vermogen = (ExamPart.objects.get(code=code).full_name for code in ("WFT-BASIS", "WFT-VERMOGEN"))
    change = {"kind": "staff_added", "person": "Sur Veillant", "role": "invigilator",
              "part": "WFT-BASIS+WFT-VERMOGEN", "before": "", "after": "di 8 dec 09:00"}
    version = RosterVersion.objects.create(scenario="{}", before="{}", after="{}", changes=[change],
                                           counts={"added": 0, "moved": 0, "kept": 0})
    client = logged_in(planner)
    page = client.get(f"/planner/versions/{version.pk}/").content.decode()
    table = page[page.index('<table class="changes">'):]
    assert escape(f"{basis} + {vermogen}") in table and "WFT-BASIS+WFT-VERMOGEN" not in table
    rows = client.get(f"/planner/versions/{version.pk}/changes.csv").content.decode("utf-8-sig").splitlines()
    assert f";{basis} + {vermogen};" in rows[1]


def test_the_roster_opens_on_the_first_day_with_sittings_and_their_location(make_session, planner, catalogue):
    """Amsterdam (first in the list) has a cancelled sitting in 2 days and one in 9; Amersfoort one in 5:
    the roster opens on Amersfoort in 5 days, unless the planner asks for a location or a day."""
    from exams.seed.places import AMERSFOORT, upsert_location, upsert_room

    def opened(**asked) -> tuple[str, str]:
        page = logged_in(planner).get("/planner/roster/", asked).content.decode()
        return (re.search(r'<option value="([^"]+)" selected>', page).group(1),
                re.search(r'id="date" name="date" value="([^"]+)"', page).group(1))

    def day(days: int) -> str:
        return (timezone.localdate() + timedelta(days=days)).isoformat()

    make_session(days=-3)
    make_session(days=2, status="cancelled")
    make_session(days=9)
    amersfoort = upsert_location(AMERSFOORT, [catalogue["nt2"]])
    upsert_room(amersfoort, "Computerzaal 1", seats=30, computer_seats=30)
    elsewhere = make_session(days=5)
    elsewhere.room = amersfoort.rooms.get()
    elsewhere.save()
    assert opened() == ("VO-AMF", day(5))
    assert opened(location="AMS") == ("AMS", day(9))
    assert opened(date=day(9)) == ("AMS", day(9))
    assert opened(location="AMS", date=day(1)) == ("AMS", day(1))
    assert opened(location="VO-AMF", date=day(9)) == ("VO-AMF", day(9))


def test_every_change_kind_has_one_label_in_both_languages_on_the_page_and_in_the_csv(planner, monkeypatch):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from exams.models import RosterVersion
    from exams.planning import roster
    from portal import planner as planner_views

    kinds = (roster.ADDED, roster.MOVED, roster.REMOVED, roster.STAFF_ADDED, roster.STAFF_REMOVED)
    assert set(planner_views.CHANGE_KIND_NAMES) == set(kinds)
    for kind, label in planner_views.CHANGE_KIND_NAMES.items():
        with translation.override("nl"):
            dutch = str(label)
        with translation.override("en"):
            assert dutch != str(label), kind  # translated
    changes = [{"kind": kind, "person": f"Persoon {i}", "candidate_id": i, "part": "NT2-II-LZ",
                "before": "ma 7 dec 09:00", "after": "di 8 dec 09:00"} for i, kind in enumerate(kinds)]
    version = RosterVersion.objects.create(scenario="{}", before="{}", after="{}", changes=changes,
                                           counts={kind: 1 for kind in kinds})
    # The page takes its labels from the one list: a label changed there is the label on the page.
    monkeypatch.setitem(planner_views.CHANGE_KIND_NAMES, roster.MOVED, gettext_lazy("moved here"))
    for language in ("en", "nl"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(planner)
        page = client.get(f"/planner/versions/{version.pk}/").content.decode()
        rows = client.get(f"/planner/versions/{version.pk}/changes.csv").content.decode("utf-8-sig")
        with translation.override(language):
            for kind, label in planner_views.CHANGE_KIND_NAMES.items():
                assert f"<td>{label}</td>" in page and f">{label} (1)</a>" in page, (language, kind)
                assert f"\n{label};" in rows, (language, kind)
