"""Exam staff: assignments with a calendar feed, and grades for their own oral committees only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from exams.models import Candidate, Examiner, ExamSession, Qualification, Result, StaffAssignment, Subject
from exams.services.bookings import SeatRequest, booking_create

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def oral(make_session, examiner, candidate, other_candidate):
    """An oral session with two candidates that took place yesterday, with ``examiner`` as examinator."""
    session = make_session("VO-HAVO-EN-MO", days=3, capacity=5)
    for person in (candidate, other_candidate):
        booking_create(candidate=person, requests=[SeatRequest(session.pk)], placed_by_agency=True)
    ExamSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(days=1),
                                                     ends_at=timezone.now() - timedelta(days=1) + timedelta(hours=2))
    StaffAssignment.objects.create(session=session, examiner=examiner, role="examinator", status="published")
    session.refresh_from_db()
    return session


def test_assignments_page_and_calendar_feed(oral, examiner):
    client = logged_in(examiner.user)
    page = client.get("/examiner/").content.decode()
    assert "Grades to enter" in page and f"/examiner/sessions/{oral.pk}/grades/" in page
    feed = re.search(r'href="webcal://testserver(/examiner/feed/[^"]+\.ics)"', page).group(1)
    assert feed in client.get("/examiner/").content.decode()  # the same link on every visit
    ics = Client().get(feed)
    assert ics.status_code == 200 and "BEGIN:VEVENT" in ics.content.decode()
    assert Client().get("/examiner/feed/forged.ics").status_code == 404


def test_the_feed_gives_address_room_arrival_colleagues_and_sequence_in_the_examiners_language(
        examiner, make_session):
    from exams.models import User

    session = make_session("NT2-II-LZ", days=5, hour=9)
    ExamSession.objects.filter(pk=session.pk).update(version=4)
    StaffAssignment.objects.create(session=session, examiner=examiner, role="invigilator", status="published")
    other = Examiner.objects.create(first_name="Petra", last_name="Smit", email="p@example.org")
    StaffAssignment.objects.create(session=session, examiner=other, role="invigilator", status="accepted")
    User.objects.filter(pk=examiner.user_id).update(language="nl")
    logged_in(examiner.user).get("/examiner/")
    examiner.refresh_from_db()
    ics = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/examiner/feed/{examiner.feed_key}.ics").content.decode()
    unfolded = ics.replace("\r\n ", "")
    location = session.room.location
    where = f"{location.name}\\, Computerzaal 1\\, {location.street}\\, {location.postcode}"
    assert f"LOCATION:{where}" in unfolded
    assert "SEQUENCE:4" in unfolded and "SUMMARY:surveillant: Lezen" in unfolded
    assert "Lokaal: Computerzaal 1" in unfolded and "Aanwezig om 08:15" in unfolded  # staff before candidates
    assert "Kandidaten komen om 08:30" in unfolded
    assert "Met: Petra Smit (surveillant)" in unfolded


def test_a_new_feed_link_makes_the_old_one_stop_working(examiner):
    from django.core import signing

    client = logged_in(examiner.user)
    old = re.search(r'href="webcal://testserver(/examiner/feed/[^"]+\.ics)"',
                    client.get("/examiner/").content.decode()).group(1)
    page = client.post("/examiner/feed/new/", follow=True).content.decode()
    new = re.search(r'href="webcal://testserver(/examiner/feed/[^"]+\.ics)"', page).group(1)
    assert "Your calendar link is new" in page and new != old
    assert Client().get(old).status_code == 404 and Client().get(new).status_code == 200
    signed = signing.dumps(examiner.pk, salt="exams.examiner-feed")  # the links of before stored keys
    assert Client().get(f"/examiner/feed/{signed}.ics").status_code == 404


def test_committee_enters_grades_and_bad_ones_are_refused(oral, examiner, candidate, other_candidate):
    client = logged_in(examiner.user)
    regs = {r.candidate_id: r for r in oral.registrations.all()}
    page = client.post(f"/examiner/sessions/{oral.pk}/grades/", {f"grade-{regs[candidate.pk].pk}": "11",
                                                                  f"grade-{regs[other_candidate.pk].pk}": "7"})
    assert "A grade lies between 1 and 10." in page.content.decode()
    assert 'value="11"' in page.content.decode() and 'value="7"' in page.content.decode()  # kept as typed
    assert not Result.objects.exists()
    client.post(f"/examiner/sessions/{oral.pk}/grades/", {f"grade-{regs[candidate.pk].pk}": "6,5",
                                                           f"grade-{regs[other_candidate.pk].pk}": "4"})
    results = {r.candidate_id: r for r in Result.objects.all()}
    assert results[candidate.pk].passed and results[candidate.pk].score == 6.5
    assert not results[other_candidate.pk].passed


def test_other_examiners_cannot_grade_this_committee(oral, db):
    from exams.models import User

    user = User.objects.create_user("other.examiner@example.org", "pw-long-enough", role="examiner")
    Examiner.objects.create(user=user, first_name="O", last_name="Ther", email=user.email)
    assert logged_in(user).get(f"/examiner/sessions/{oral.pk}/grades/").status_code == 404


def test_examiner_sets_weekly_availability_days_off_and_limits(examiner, location):
    from exams.models import Availability

    client = logged_in(examiner.user)
    day = timezone.localdate() + timedelta(days=30)
    page = client.get("/examiner/availability/").content.decode()
    assert "morning (08:00–12:30)" in page and "afternoon (12:30–17:30)" in page
    client.post("/examiner/availability/", {"w0-am": "1", "w0-pm": "1", "w3-am": "1",
                                            "off_from": day.isoformat(), "locations": ["AMS"],
                                            "max_per_day": "3", "max_per_week": "9"})
    examiner.refresh_from_db()
    assert (examiner.max_sessions_per_day, examiner.max_sessions_per_week) == (3, 9)
    assert Availability.objects.filter(examiner=examiner, weekday__isnull=False).count() == 3
    assert Availability.objects.get(examiner=examiner, on_date__isnull=False).available is False
    assert list(examiner.willing_locations.values_list("code", flat=True)) == ["AMS"]
    later = (day + timedelta(days=3)).isoformat()
    bad = client.post("/examiner/availability/", {"w4-pm": "1", "day_off": [day.isoformat()],
                                                  "off_from": later, "max_per_day": "40",
                                                  "max_per_week": "0"}).content.decode()
    assert '<p class="error" id="max_per_day-error">Give a whole number from 1 to 12.</p>' in bad
    assert '<p class="error" id="max_per_week-error">Give a whole number from 1 to 60.</p>' in bad
    # what was typed stays, so it can be corrected
    assert 'value="40"' in bad and f'value="{later}"' in bad
    assert 'id="w4-pm" name="w4-pm" value="1" checked' in bad and 'id="w0-am" name="w0-am" value="1">' in bad
    assert Availability.objects.filter(examiner=examiner, on_date__isnull=False).count() == 1  # nothing saved
    examiner.availability_locked = True
    examiner.save()
    client.post("/examiner/availability/", {"max_per_day": "5", "max_per_week": "9"})
    examiner.refresh_from_db()
    assert examiner.max_sessions_per_day == 3  # locked: unchanged


def test_days_off_come_as_a_range_once_each_never_in_the_past(examiner):
    from exams.models import Availability

    client = logged_in(examiner.user)
    today = timezone.localdate()
    limits = {"max_per_day": "3", "max_per_week": "9"}
    url, iso = "/examiner/availability/", lambda days: (today + timedelta(days=days)).isoformat()
    past = client.post(url, {**limits, "off_from": iso(-1)})
    assert "A day off cannot lie in the past." in past.content.decode()
    backwards = client.post(url, {**limits, "off_from": iso(9), "off_to": iso(8)})
    assert "The last day off lies before the first." in backwards.content.decode()
    assert not Availability.objects.exists()
    first, last = today + timedelta(days=10), today + timedelta(days=14)
    client.post(url, {**limits, "off_from": first.isoformat(), "off_to": last.isoformat()})
    days = sorted(Availability.objects.filter(examiner=examiner, available=False)
                  .values_list("on_date", flat=True))
    assert days == [first + timedelta(days=n) for n in range(5)]
    # the five ticked again, one of them added again: each day is stored once
    client.post(url, {**limits, "day_off": [d.isoformat() for d in days] + [first.isoformat()],
                      "off_from": first.isoformat()})
    assert Availability.objects.filter(examiner=examiner, available=False).count() == 5
    client.post(url, {**limits, "day_off": [first.isoformat()]})  # four unticked
    assert list(Availability.objects.filter(examiner=examiner).values_list("on_date", flat=True)) == [first]


def test_a_day_off_on_a_duty_is_saved_with_a_warning_and_the_planners_see_the_hole(examiner, make_session):
    from exams.planning import workspace

    session = make_session(days=12)
    duty = StaffAssignment.objects.create(session=session, examiner=examiner, role="invigilator",
                                          status="accepted")
    day = session.room.location.local(session.starts_at).date()
    page = logged_in(examiner.user).post("/examiner/availability/", {
        "max_per_day": "3", "max_per_week": "9", "off_from": (day - timedelta(days=1)).isoformat(),
        "off_to": (day + timedelta(days=1)).isoformat()}, follow=True).content.decode()
    assert "Your availability is saved." in page
    where = session.room.location.name
    assert f"You have duties on your days off: {day.day} {day:%B} {day.year}, 09:00 {where} (invigilator)" \
        in page
    holes = workspace.holes(start=timezone.localdate(), days=30)
    assert [h.assignment for h in holes] == [duty]


def test_accept_decline_with_reason_and_report_sick_after_confirming(examiner, make_session):
    from exams.models import Availability

    assignment = StaffAssignment.objects.create(session=make_session(days=5), examiner=examiner,
                                                role="invigilator", status="published")
    url = f"/examiner/assignments/{assignment.pk}/answer/"
    client = logged_in(examiner.user)
    page = client.post(url, {"answer": "decline"}, follow=True)
    assert "Say why you decline" in page.content.decode()
    confirm = client.post(url, {"answer": "sick", "reason": "flu"}).content.decode()
    assert "Yes, report sick" in confirm and 'name="confirm" value="1"' in confirm
    assignment.refresh_from_db()
    assert assignment.status == "published" and not Availability.objects.exists()  # not before confirming
    client.post(url, {"answer": "sick", "reason": "flu", "confirm": "1"})
    assignment.refresh_from_db()
    assert assignment.status == "declined" and assignment.decline_reason == "flu"
    assert Availability.objects.filter(examiner=examiner, available=False).count() == 1


def test_report_sick_until_a_last_day_gives_up_every_duty_up_to_it(examiner, make_session):
    from exams.models import Availability

    first, later, after = (StaffAssignment.objects.create(session=make_session(days=days), examiner=examiner,
                                                          role="invigilator", status="published")
                           for days in (5, 7, 12))
    day = first.session.local_starts_at.date()
    url = f"/examiner/assignments/{first.pk}/answer/"
    client = logged_in(examiner.user)
    confirm = client.post(url, {"answer": "sick"}).content.decode()
    assert 'name="until"' in confirm and f'min="{day:%Y-%m-%d}"' in confirm
    wrong = client.post(url, {"answer": "sick", "confirm": "1", "until": str(day - timedelta(days=1)),
                              "reason": "flu"})
    assert wrong.status_code == 422 and "ends before it starts" in wrong.content.decode()
    assert 'value="flu"' in wrong.content.decode()  # what was typed stays
    first.refresh_from_db()
    assert first.status == "published"  # nothing given up on a refused report
    last = later.session.local_starts_at.date()
    page = client.post(url, {"answer": "sick", "confirm": "1", "until": str(last), "reason": "flu"}, follow=True)
    assert "Get well soon" in page.content.decode() and "2 duties" in page.content.decode()
    assert [StaffAssignment.objects.get(pk=a.pk).status for a in (first, later, after)] == [
        "declined", "declined", "published"]
    off = set(Availability.objects.filter(examiner=examiner, available=False).values_list("on_date", flat=True))
    assert {day, last} <= off and after.session.local_starts_at.date() not in off


@pytest.mark.parametrize(("status", "days", "answer"), [
    ("withdrawn", 5, "accept"), ("declined", 5, "accept"), ("declined", 5, "sick"),
    ("accepted", 5, "decline"), ("accepted", 5, "accept"), ("published", -2, "accept"),
    ("published", -2, "sick"), ("accepted", -2, "sick"),
])
def test_a_duty_takes_only_the_answers_its_status_and_time_allow(examiner, make_session, status, days,
                                                                  answer):
    assignment = StaffAssignment.objects.create(session=make_session(days=days), examiner=examiner,
                                                role="invigilator", status=status)
    page = logged_in(examiner.user).post(f"/examiner/assignments/{assignment.pk}/answer/",
                                         {"answer": answer, "reason": "busy", "confirm": "1"}, follow=True)
    assert "This duty can no longer be answered that way" in page.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == status


def test_the_dashboard_offers_only_the_answers_that_apply_and_the_day_details(examiner, make_session):
    other = Examiner.objects.create(first_name="Petra", last_name="Smit", email="p@example.org")
    published = make_session(days=5)
    duty = StaffAssignment.objects.create
    duty(session=published, examiner=examiner, role="invigilator", status="published")
    duty(session=published, examiner=other, role="invigilator", status="accepted")
    accepted = duty(session=make_session(days=6), examiner=examiner, role="invigilator", status="accepted")
    declined = duty(session=make_session(days=7), examiner=examiner, role="invigilator", status="declined",
                    decline_reason="holiday")
    page = logged_in(examiner.user).get("/examiner/").content.decode()
    rows = {pk: page.count(f"/examiner/assignments/{pk}/answer/")  # forms per duty
            for pk in re.findall(r'action="/examiner/assignments/(\d+)/answer/"', page)}
    mine = StaffAssignment.objects.get(session=published, examiner=examiner)
    assert rows[str(mine.pk)] == 2 and rows[str(accepted.pk)] == 1 and str(declined.pk) not in rows
    assert 'value="accept"' in page and page.count('value="accept"') == 1
    assert "with Petra Smit (invigilator)" in page
    location = published.room.location
    assert f"{location.street}, {location.postcode} {location.city}" in page
    starts = location.local(published.starts_at)
    assert f"arrive by {starts - timedelta(minutes=45):%H:%M}, candidates at {starts - timedelta(minutes=30):%H:%M}" in page
    assert 'data-label="Status"' in page and "<details" in page


def test_conflicts_of_interest_name_a_known_school_and_can_be_withdrawn(examiner, candidate):
    Candidate.objects.filter(pk=candidate.pk).update(school="Taalschool Noord")
    client = logged_in(examiner.user)
    page = client.get("/examiner/conflicts/").content.decode()
    assert '<option value="Taalschool Noord">' in page and "School or person" not in page
    declared = client.post("/examiner/conflicts/", {"school": " taalschool  NOORD", "reason": "I teach there"},
                           follow=True).content.decode()
    assert examiner.conflicts.get().school == "Taalschool Noord"  # as candidates spell it
    assert "New plannings will not give you sessions with candidates from Taalschool Noord." in declared
    refused = client.post("/examiner/conflicts/", {"school": "Het Lyceum", "reason": ""}).content.decode()
    assert "We know no candidates from “Het Lyceum”" in refused and 'value="Het Lyceum"' in refused
    assert 'id="reason-error"' in refused
    again = client.post("/examiner/conflicts/", {"school": "Taalschool Noord", "reason": "twice"}).content.decode()
    assert "You already declared this school." in again and examiner.conflicts.count() == 1
    conflict = examiner.conflicts.get()
    other = Examiner.objects.create(first_name="O", last_name="Ther", email="o@example.org")
    foreign = other.conflicts.create(school="Taalschool Noord", reason="mine")
    client.post("/examiner/conflicts/", {"withdraw": foreign.pk})  # someone else's: untouched
    assert client.post("/examiner/conflicts/", {"withdraw": "99999999999999999999"}).status_code == 404
    withdrawn = client.post("/examiner/conflicts/", {"withdraw": conflict.pk}, follow=True).content.decode()
    assert not examiner.conflicts.exists() and other.conflicts.get() == foreign
    assert "Withdrawn: you may again be planned for Taalschool Noord." in withdrawn


def test_an_examiner_is_offered_no_candidate_profile_and_cannot_become_a_candidate(examiner):
    client = logged_in(examiner.user)
    assert "/my/profile/" not in client.get("/examiner/").content.decode()
    response = client.post("/my/profile/", {"first_name": "A", "last_name": "B", "email": "a@example.org"})
    assert response.status_code == 302 and response["Location"] == "/examiner/"
    assert not Candidate.objects.filter(user=examiner.user).exists()


def test_qualifications_show_until_when_they_hold(examiner, catalogue):
    today = timezone.localdate()
    vo = catalogue["vo"]
    Qualification.objects.create(examiner=examiner, role="invigilator", family=vo,
                                 valid_until=today - timedelta(days=1))
    Qualification.objects.create(examiner=examiner, role="examinator", family=vo, level="havo",
                                 subject=Subject.objects.get(code="EN"), valid_until=today)
    Qualification.objects.create(examiner=examiner, role="second_examiner", family=vo, level="havo",
                                 subject=Subject.objects.get(code="EN"))
    page = logged_in(examiner.user).get("/examiner/").content.decode()
    yesterday, now = (f"{d.day} {d:%b} {d.year}" for d in (today - timedelta(days=1), today))
    assert f"(lapsed after {yesterday})" in page
    assert f"(valid until {now})" in page
    assert page.count("valid until") == 1 and page.count("lapsed after") == 1


def test_a_qualification_ending_soon_is_announced_with_the_duties_after_it(examiner, catalogue, make_session):
    today = timezone.localdate()
    Qualification.objects.create(examiner=examiner, role="invigilator", family=catalogue["nt2"],
                                 valid_until=today + timedelta(days=20))
    Qualification.objects.create(examiner=examiner, role="examinator", family=catalogue["vo"], level="havo",
                                 subject=Subject.objects.get(code="EN"), valid_until=today + timedelta(days=90))
    for days in (10, 30, 40):
        StaffAssignment.objects.create(session=make_session(days=days), examiner=examiner, role="invigilator")
    page = logged_in(examiner.user).get("/examiner/").content.decode()
    notices = re.findall(r'<div class="notice">(.*?)</div>', page, re.S)
    day = today + timedelta(days=20)
    assert len(notices) == 1  # the examinator licence ends after the 60 days of the reminder
    assert f"Your qualification as invigilator holds until {day.day} {day:%B} {day.year}." in notices[0]
    assert "You have 2 duties after that day" in notices[0]


@pytest.mark.parametrize("typed", ["NaN", "sNaN", "-nan", "Infinity", "-Infinity", "inf"])
def test_a_grade_that_is_not_a_number_is_refused_at_its_field(oral, examiner, candidate, typed):
    registration = oral.registrations.get(candidate=candidate)
    page = logged_in(examiner.user).post(f"/examiner/sessions/{oral.pk}/grades/",
                                         {f"grade-{registration.pk}": typed})
    assert page.status_code == 200 and 'id="err-' in page.content.decode()
    assert not Result.objects.exists()


def test_ids_and_dates_past_what_the_database_holds_give_404_or_a_clamped_period(examiner):
    client = logged_in(examiner.user)
    assert client.get("/examiner/sessions/99999999999999999999/grades/").status_code == 404
    assert client.post("/examiner/assignments/99999999999999999999/answer/", {"answer": "accept"}).status_code == 404
    for url in ("/examiner/schedule.pdf", "/examiner/schedule.csv"):
        for period in ("?from=9999-12-31", "?from=0001-01-01&to=9999-12-31", "?from=9999-12-30&to=2020-01-01"):
            assert client.get(url + period).status_code == 200, url + period


def test_the_schedule_csv_speaks_the_readers_language_with_names_and_local_times(examiner, make_session):
    session = make_session("NT2-II-LZ", days=5, hour=9)
    StaffAssignment.objects.create(session=session, examiner=examiner, role="invigilator", status="published")
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(examiner.user)
    raw = client.get("/examiner/schedule.csv").content.decode("utf-8")
    assert raw.startswith("\ufeff")
    header, row = [line.split(";") for line in raw[1:].splitlines()]
    assert header[:6] == ["Examinator", "E-mailadres", "Begin", "Einde", "Aanwezig om", "Kandidaten komen om"]
    assert len(row) == len(header)
    local = session.room.location.local(session.starts_at)
    assert row[2] == f"{local:%Y-%m-%d} 09:00" and row[9:11] == ["surveillant", "Lezen"]
    assert row[-1] == "gepubliceerd"


def test_the_schedule_pdf_names_the_parts_in_the_readers_language(examiner, make_session, tmp_path):
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    StaffAssignment.objects.create(session=make_session("NT2-II-LZ", days=5), examiner=examiner,
                                   role="second_examiner", status="published")
    (tmp_path / "s.pdf").write_bytes(logged_in(examiner.user).get("/examiner/schedule.pdf").content)
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "s.pdf"), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "Reading" in text and "NT2-II-LZ" not in text and "second examiner / reporter" in text


def test_the_examinator_role_is_an_examiner_in_english_and_an_examinator_in_dutch():
    from django.utils import translation

    from exams.models.staff import StaffRole

    with translation.override("en"):
        assert str(StaffRole.EXAMINATOR.label) == "examiner"
    with translation.override("nl"):
        assert str(StaffRole.EXAMINATOR.label) == "examinator"


def test_an_examiner_logs_in_to_their_assignments_and_is_offered_no_booking(examiner, candidate):
    login = {"username": examiner.user.email, "password": "a-long-test-password"}
    assert Client().post("/login/", login)["Location"] == "/examiner/"
    assert Client().post("/login/?next=/examiner/availability/", login)["Location"] == "/examiner/availability/"
    assert Client().post("/login/", {"username": candidate.user.email,
                                     "password": "a-long-test-password"})["Location"] == "/"
    assert logged_in(examiner.user).get("/my/")["Location"] == "/examiner/"


@pytest.mark.parametrize(("part", "staff", "candidates"), [
    ("NT2-II-LZ", 45, 30),  # candidates 30 minutes early: staff at the settings' least, 45
    ("INB-WI2021-LZ", 60, 45),  # candidates 45 minutes early: staff a quarter of an hour before them
])
def test_staff_arrive_before_the_candidates_on_the_page_in_the_pdf_the_csv_the_feed_and_the_api(
        examiner, make_session, api_for, tmp_path, part, staff, candidates):
    import shutil
    import subprocess

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    session = make_session(part, days=5, hour=9)
    mine = StaffAssignment.objects.create(session=session, examiner=examiner, role="invigilator",
                                          status="published")
    starts = session.room.location.local(session.starts_at)
    assert session.parts.get().programme.family.arrival_minutes_before == candidates
    at = lambda minutes: f"{starts - timedelta(minutes=minutes):%H:%M}"  # noqa: E731
    client = logged_in(examiner.user)
    assert f"arrive by {at(staff)}, candidates at {at(candidates)}" in client.get("/examiner/").content.decode()
    examiner.refresh_from_db()
    feed = Client().get(f"/examiner/feed/{examiner.feed_key}.ics").content.decode().replace("\r\n ", "")
    assert f"Aanwezig om {at(staff)}" in feed and f"Kandidaten komen om {at(candidates)}" in feed
    path = tmp_path / "schedule.pdf"
    path.write_bytes(client.get("/examiner/schedule.pdf").content)
    text = " ".join(subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True).stdout.split())
    assert f"arrive by {at(staff)}" in text and f"candidates at {at(candidates)}" in text
    header, row = [line.split(";") for line in
                   client.get("/examiner/schedule.csv").content.decode("utf-8-sig").splitlines()]
    arrival = dict(zip(header, row, strict=True))
    assert arrival["Arrive by"] == at(staff) and arrival["Candidates arrive at"] == at(candidates)
    row = api_for(examiner.user).get(f"/api/v1/assignments/{mine.pk}").json()
    assert row["arrive_at"].startswith(f"{starts - timedelta(minutes=staff):%Y-%m-%dT%H:%M}")
    assert row["candidates_arrive_at"].startswith(f"{starts - timedelta(minutes=candidates):%Y-%m-%dT%H:%M}")


def test_the_staff_arrival_is_a_setting(examiner, make_session, settings):
    settings.EXAMS = {**settings.EXAMS, "STAFF_ARRIVAL_MINUTES_BEFORE": 90, "STAFF_AHEAD_OF_CANDIDATES_MINUTES": 5}
    session = make_session("NT2-II-LZ", days=5, hour=9)
    StaffAssignment.objects.create(session=session, examiner=examiner, role="invigilator", status="published")
    starts = session.room.location.local(session.starts_at)
    page = logged_in(examiner.user).get("/examiner/").content.decode()
    assert f"arrive by {starts - timedelta(minutes=90):%H:%M}" in page
    settings.EXAMS = {**settings.EXAMS, "STAFF_ARRIVAL_MINUTES_BEFORE": 0, "STAFF_AHEAD_OF_CANDIDATES_MINUTES": 20}
    page = logged_in(examiner.user).get("/examiner/").content.decode()
    assert f"arrive by {starts - timedelta(minutes=50):%H:%M}" in page


def test_in_dutch_a_declined_duty_is_afgezegd_and_the_answer_says_afzeggen_as_its_button(examiner, make_session):
    StaffAssignment.objects.create(session=make_session(days=5), examiner=examiner, role="invigilator",
                                              status="declined", decline_reason="vakantie")
    StaffAssignment.objects.create(session=make_session(days=6), examiner=examiner, role="invigilator",
                                   status="published")
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(examiner.user)
    page = client.get("/examiner/").content.decode()
    assert "afgezegd (vakantie)" in page and "afgewezen" not in page  # the examiner said no; nobody rejected them
    assert "Afzeggen of ziek melden" in page and ">Afzeggen</button>" in page and "Weigeren" not in page


def test_reporting_sick_for_one_duty_until_its_own_day_says_one_duty(examiner, make_session):
    duty = StaffAssignment.objects.create(session=make_session(days=5), examiner=examiner, role="invigilator",
                                          status="published")
    day = duty.session.local_starts_at.date()
    page = logged_in(examiner.user).post(f"/examiner/assignments/{duty.pk}/answer/",
                                         {"answer": "sick", "confirm": "1", "until": str(day)}, follow=True)
    assert "someone else for 1 duty." in page.content.decode()


def test_locations_are_ticked_one_by_one_and_stay_ticked_after_a_refused_save(examiner, location):
    """A list of boxes, not a multiple select where one click without Ctrl drops every other location."""
    client = logged_in(examiner.user)
    client.post("/examiner/availability/", {"locations": [location.code], "max_per_day": "3", "max_per_week": "9"})
    page = client.get("/examiner/availability/").content.decode()
    assert f'<input type="checkbox" name="locations" value="{location.code}" checked>' in page
    assert "<select" not in page
    refused = client.post("/examiner/availability/", {"locations": [location.code], "max_per_day": "99",
                                                      "max_per_week": "9"}).content.decode()
    assert f'<input type="checkbox" name="locations" value="{location.code}" checked>' in refused


def _feed_event(examiner, assignment) -> dict[str, str]:
    """The feed's fields of one duty's event."""
    ics = Client().get(f"/examiner/feed/{examiner.feed_key}.ics").content.decode().replace("\r\n ", "")
    for block in ics.split("BEGIN:VEVENT")[1:]:
        fields = dict(line.split(":", 1) for line in block.split("END:VEVENT")[0].strip().splitlines())
        if fields["UID"] == f"assignment-{assignment.pk}@exams":
            return fields
    return {}


@pytest.mark.parametrize("answer", ["decline", "sick", "cancelled by the agency"])
def test_every_change_the_feed_shows_raises_the_duty_sequence(examiner, make_session, answer):
    from exams.services.bookings import session_cancel_by_agency

    session = make_session("NT2-II-LZ", days=5, hour=9)
    duty = StaffAssignment.objects.create(session=session, examiner=examiner, role="invigilator",
                                          status="published")
    examiner.feed_key_renew()
    before = _feed_event(examiner, duty)
    assert before["STATUS"] == "CONFIRMED"
    if answer == "cancelled by the agency":
        session_cancel_by_agency(session=session, reason="room closed")
    else:
        logged_in(examiner.user).post(f"/examiner/assignments/{duty.pk}/answer/",
                                      {"answer": answer, "reason": "on holiday", "confirm": "1"})
    after = _feed_event(examiner, duty)
    assert after["STATUS"] == "CANCELLED" and int(after["SEQUENCE"]) > int(before["SEQUENCE"])
