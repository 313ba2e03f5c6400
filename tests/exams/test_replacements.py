"""Who may replace an examiner: the bulk reading of the hard rules equals the one-person check, rule by rule."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exams.models import (
    Availability,
    Booking,
    Candidate,
    ConflictOfInterest,
    Examiner,
    ExamPart,
    ExamSession,
    Qualification,
    Registration,
    StaffAssignment,
    Subject,
)
from exams.planning import workspace
from exams.seed.places import AMERSFOORT, AGENCY_CENTRES, upsert_location, upsert_room
from scheduling import model as sm

pytestmark = pytest.mark.django_db


@pytest.fixture
def oral(catalogue):
    """An English havo oral in Amersfoort next Tuesday 10:00-10:30, one candidate from 'Het Lyceum' seated."""
    site = upsert_location(AMERSFOORT, [catalogue["vo"]])
    room = upsert_room(site, "Mondeling 1", seats=3, oral_room=True)
    day = timezone.localdate() + timedelta(days=14)
    day += timedelta(days=(1 - day.weekday()) % 7)
    starts = datetime.combine(day, time(10), tzinfo=site.zone)
    session = ExamSession.objects.create(room=room, starts_at=starts, ends_at=starts + timedelta(minutes=30),
                                         capacity=3, status="closed")
    session.parts.set([ExamPart.objects.get(code="VO-HAVO-EN-MO")])
    person = Candidate.objects.create(first_name="Kan", last_name="Didaat", birth_date=date(2008, 1, 1),
                                      email="kan@example.org", school="Het Lyceum")
    booking = Booking.objects.create(candidate=person, status="confirmed", amount=0)
    Registration.objects.create(booking=booking, candidate=person, session=session, part=session.parts.get(),
                                status="confirmed", fee=0)
    return session


def _examiner(name: str, catalogue, *, home=None, subject: str = "EN", level: str = "havo", weekly=True,
              **fields) -> Examiner:
    person = Examiner.objects.create(first_name=name, last_name="Test", email=f"{name}@example.org",
                                     home_location=home, **fields)
    Qualification.objects.create(examiner=person, role="examinator", family=catalogue["vo"],
                                 subject=Subject.objects.get(code=subject), level=level)
    Qualification.objects.create(examiner=person, role="invigilator", family=catalogue["vo"])
    if weekly:
        for weekday in range(5):
            Availability.objects.create(examiner=person, weekday=weekday, starts=time(8), ends=time(17))
    return person


def _other_session(oral: ExamSession, hour: int) -> ExamSession:
    starts = oral.starts_at.replace(hour=hour)
    other = ExamSession.objects.create(room=oral.room, starts_at=starts, ends_at=starts + timedelta(minutes=30),
                                       capacity=3, status="closed")
    other.parts.set(oral.parts.all())
    return other


@pytest.fixture
def staff(oral, catalogue):
    """One examiner per hard rule broken, and some who break none (near, far, busy that day, no windows)."""
    site = oral.room.location
    far = upsert_location(AGENCY_CENTRES[5], [catalogue["vo"]])  # Groningen
    people = {
        "near": _examiner("near", catalogue, home=site),
        "far": _examiner("far", catalogue, home=far, max_travel_km=200),
        "too_far": _examiner("toofar", catalogue, home=far),  # at most 60 km, the default
        "elsewhere": _examiner("elsewhere", catalogue, home=site),
        "week_full": _examiner("weekfull", catalogue, home=site, max_sessions_per_week=1),
        "busy_earlier": _examiner("busyearlier", catalogue, home=site),
        "no_windows": _examiner("nowindows", catalogue, home=site, weekly=False),
        "declined_overlap": _examiner("declined", catalogue, home=site),
        "wrong_subject": _examiner("wrongsubject", catalogue, home=site, subject="NE"),
        "wrong_level": _examiner("wronglevel", catalogue, home=site, level="vwo"),
        "on_leave": _examiner("onleave", catalogue, home=site),
        "outside_hours": _examiner("outsidehours", catalogue, home=site, weekly=False),
        "overlapping": _examiner("overlapping", catalogue, home=site),
        "day_full": _examiner("dayfull", catalogue, home=site, max_sessions_per_day=1),
        "conflict_candidate": _examiner("conflictcandidate", catalogue, home=site),
        "conflict_school": _examiner("conflictschool", catalogue, home=site),
        "inactive": _examiner("inactive", catalogue, home=site, active=False),
        "lapsed": _examiner("lapsed", catalogue, home=site),
        "last_day": _examiner("lastday", catalogue, home=site),
    }
    day = site.local(oral.starts_at).date()
    # Qualified up to and including a date: the day before the oral is too early, the day itself is not.
    Qualification.objects.filter(examiner=people["lapsed"]).update(valid_until=day - timedelta(days=1))
    Qualification.objects.filter(examiner=people["last_day"]).update(valid_until=day)
    # Had offered the day, then fell ill: the day's 'unavailable' window overrules its offer.
    Availability.objects.create(examiner=people["on_leave"], on_date=day, starts=time(8), ends=time(17))
    Availability.objects.create(examiner=people["on_leave"], on_date=day, starts=time(0), ends=time(23, 59),
                                available=False)
    Availability.objects.create(examiner=people["outside_hours"], weekday=day.weekday(), starts=time(8),
                                ends=time(10, 15))
    overlap, earlier = _other_session(oral, 10), _other_session(oral, 8)
    StaffAssignment.objects.create(session=overlap, examiner=people["overlapping"], role="invigilator")
    StaffAssignment.objects.create(session=overlap, examiner=people["declined_overlap"], role="invigilator",
                                   status="declined")
    StaffAssignment.objects.create(session=earlier, examiner=people["day_full"], role="invigilator")
    StaffAssignment.objects.create(session=earlier, examiner=people["busy_earlier"], role="invigilator")
    away = _other_session(oral, 14)
    away.room = upsert_room(far, "Zaal 1", seats=10)
    away.save()
    StaffAssignment.objects.create(session=away, examiner=people["elsewhere"], role="invigilator")
    yesterday = _other_session(oral, 10)
    yesterday.starts_at -= timedelta(days=1)
    yesterday.ends_at -= timedelta(days=1)
    yesterday.save()  # a Monday: the same week
    StaffAssignment.objects.create(session=yesterday, examiner=people["week_full"], role="invigilator")
    seated = oral.registrations.get().candidate
    ConflictOfInterest.objects.create(examiner=people["conflict_candidate"], candidate=seated, reason="neighbour")
    ConflictOfInterest.objects.create(examiner=people["conflict_school"], school="Het Lyceum", reason="teaches there")
    return people


def _one_by_one(session: ExamSession, role: str) -> set[int]:
    pool = Examiner.objects.filter(active=True, qualifications__family__code="vo").distinct()
    return {e.pk for e in pool if not workspace.examiner_problems(examiner=e, session=session, role=role)}


def test_the_fitting_examiners_are_exactly_those_the_one_person_check_allows(oral, staff):
    fits = workspace.fitting_examiners(session=oral, role="examinator")
    assert {f.examiner.pk for f in fits} == _one_by_one(oral, "examinator")
    assert [f.examiner.first_name for f in fits] == ["declined", "lastday", "near", "nowindows", "busyearlier", "far"]
    busy = next(f for f in fits if f.examiner.first_name == "busyearlier")
    assert busy.duties_that_day == 1 and fits[0].duties_that_day == 0
    assert fits[-1].distance_km > 100  # Groningen is far from Amersfoort


def test_every_broken_rule_keeps_its_examiner_out(oral, staff):
    chosen = {f.examiner.pk for f in workspace.fitting_examiners(session=oral, role="examinator")}
    for name in ("wrong_subject", "wrong_level", "on_leave", "outside_hours", "overlapping", "day_full",
                 "conflict_candidate", "conflict_school", "inactive", "too_far", "elsewhere", "week_full",
                 "lapsed"):
        assert staff[name].pk not in chosen, name


def test_a_second_examiner_needs_the_role_not_the_subject(oral, staff, catalogue):
    """As the solver reads it: the reporter of an oral holds the second examiner (or examinator) role in the
    family, for any subject; an invigilator only does not."""
    only_invigilator = Examiner.objects.create(first_name="onlyinvigilator", last_name="Test",
                                               email="oi@example.org", home_location=oral.room.location)
    Qualification.objects.create(examiner=only_invigilator, role="invigilator", family=catalogue["vo"])
    reporter = Examiner.objects.create(first_name="reporter", last_name="Test", email="rep@example.org",
                                       home_location=oral.room.location)
    Qualification.objects.create(examiner=reporter, role="second_examiner", family=catalogue["vo"])
    fits = workspace.fitting_examiners(session=oral, role="second_examiner")
    chosen = {f.examiner.pk for f in fits}
    assert chosen == _one_by_one(oral, "second_examiner")
    assert {staff["wrong_subject"].pk, staff["wrong_level"].pk, reporter.pk} <= chosen
    assert only_invigilator.pk not in chosen and staff["lapsed"].pk not in chosen
    assert workspace.examiner_problems(examiner=only_invigilator, session=oral, role="second_examiner") == [
        "onlyinvigilator Test is niet bevoegd als tweede examinator voor dit examen."]
    [lapsed] = workspace.examiner_problems(examiner=staff["lapsed"], session=oral, role="second_examiner")
    assert "voor verslaglegging geldt niet meer" in lapsed


def test_invigilators_need_only_the_family_and_the_one_replaced_is_left_out(oral, staff):
    fits = workspace.fitting_examiners(session=oral, role="invigilator", exclude=(staff["near"].pk,))
    chosen = {f.examiner.pk for f in fits}
    assert chosen == _one_by_one(oral, "invigilator") - {staff["near"].pk}
    assert staff["wrong_subject"].pk in chosen and staff["wrong_level"].pk in chosen


def test_the_number_of_queries_does_not_grow_with_the_examiners(oral, staff, catalogue):
    with CaptureQueriesContext(connection) as before:
        workspace.fitting_examiners(session=oral, role="examinator")
    for i in range(20):
        _examiner(f"extra{i}", catalogue, home=oral.room.location)
    with CaptureQueriesContext(connection) as after:
        fits = workspace.fitting_examiners(session=oral, role="examinator")
    assert len(fits) == 26
    assert len(after) == len(before)


def test_the_duties_to_replace_are_found_in_queries_that_do_not_grow_with_the_roster(oral, staff):
    """The disruption page reads every duty of six weeks: an examiner off that day makes a hole, the others'
    duties cost no query each (a VO season has 15,000 of them)."""
    ill = StaffAssignment.objects.create(session=oral, examiner=staff["on_leave"], role="second_examiner")
    day = oral.room.location.local(oral.starts_at).date()

    def holes() -> tuple[list, int]:
        with CaptureQueriesContext(connection) as queries:
            found = workspace.holes(start=day, days=1)
        return found, len(queries)

    found, before = holes()
    declined = StaffAssignment.objects.get(status="declined")  # the fixture's declined duty is a hole too
    assert {h.assignment.pk for h in found} == {ill.pk, declined.pk}
    suggested = next(h.suggestions for h in found if h.assignment.pk == ill.pk)
    assert staff["near"] in suggested and staff["on_leave"] not in suggested
    for hour in (13, 14, 15, 16):
        other = _other_session(oral, hour)
        for name in ("near", "far", "no_windows"):
            StaffAssignment.objects.create(session=other, examiner=staff[name], role="invigilator")
    found, after = holes()
    assert {h.assignment.pk for h in found} == {ill.pk, declined.pk}
    assert after == before


def test_a_lapsed_qualification_is_named_with_its_day(oral, staff):
    [problem] = workspace.examiner_problems(examiner=staff["lapsed"], session=oral, role="examinator")
    day = oral.room.location.local(oral.starts_at)
    assert problem == f"De bevoegdheid van lapsed Test voor Engels mondeling geldt niet meer op {day:%d-%m-%Y}."
    [problem] = workspace.examiner_problems(examiner=staff["lapsed"], session=oral, role="invigilator")
    assert "voor surveillance geldt niet meer" in problem
    assert workspace.examiner_problems(examiner=staff["last_day"], session=oral, role="examinator") == []


def test_duties_after_a_qualification_lapsed_are_holes(oral, staff):
    day = oral.room.location.local(oral.starts_at).date()
    lapsed = StaffAssignment.objects.create(session=oral, examiner=staff["lapsed"], role="examinator")
    on_last_day = StaffAssignment.objects.create(session=oral, examiner=staff["last_day"], role="invigilator")
    tomorrow = _other_session(oral, 10)
    tomorrow.starts_at += timedelta(days=1)
    tomorrow.ends_at += timedelta(days=1)
    tomorrow.save()
    after_last_day = StaffAssignment.objects.create(session=tomorrow, examiner=staff["last_day"], role="invigilator")
    found = {h.assignment.pk: h for h in workspace.holes(start=day, days=2)}
    assert lapsed.pk in found and after_last_day.pk in found and on_last_day.pk not in found
    assert found[lapsed.pk].why == (f"De bevoegdheid van lapsed Test voor Engels mondeling geldt niet meer op "
                                    f"{day:%d-%m-%Y}.")
    assert "voor surveillance geldt niet meer" in found[after_last_day.pk].why
    assert staff["lapsed"] not in found[lapsed.pk].suggestions and found[lapsed.pk].suggestions


@pytest.mark.parametrize("family", ["vo", ""])
def test_the_hand_edit_check_reads_qualifications_as_the_solver_does(oral, staff, catalogue, family):
    """For every examiner of the fixture and every role, on the oral's day: the solver's qualification rule,
    on the scenario the adapter reads from the database for VO or for every family, agrees with the
    hand-edit check. Among them one who invigilates NT2 and second-examines VO."""
    from exams.planning.adapter import ROLE_FROM_DB, Scope, scenario_from_db
    from scheduling.constraints import examiner_qualification

    site = oral.room.location
    other_family = Examiner.objects.create(first_name="nt2", last_name="Test", email="nt2@example.org",
                                           home_location=site)
    Qualification.objects.create(examiner=other_family, role="invigilator", family=catalogue["nt2"])
    Qualification.objects.create(examiner=other_family, role="second_examiner", family=catalogue["vo"])
    day = site.local(oral.starts_at).date()
    scenario = scenario_from_db(Scope(date_from=day - timedelta(days=1), date_to=day + timedelta(days=1),
                                      family=family))
    part = oral.parts.get()
    qualification = f"{part.subject.code}:{part.programme.level}"
    solver_view = {int(ex.id[1:]): ex for ex in scenario.examiners}
    assert other_family.pk in solver_view
    compared = 0
    for examiner in Examiner.objects.filter(pk__in=solver_view):
        for role, solver_role in ROLE_FROM_DB.items():
            by_solver = examiner_qualification.qualified(solver_view[examiner.pk], solver_role, qualification,
                                                         sm.VO, day.isoformat())
            by_hand_check = not workspace._qualification_problems(examiner, oral, role, day)
            assert by_solver == by_hand_check, (examiner.first_name, role)
            compared += 1
    assert compared >= 3 * 15


def test_an_examiner_already_on_the_session_is_not_offered_for_another_of_its_roles(oral, staff, catalogue):
    """One duty per examiner and session (the database holds that too): the committee's second examiner is
    no candidate for its examinator, whatever state their duty is in."""
    second = _examiner("second", catalogue, home=oral.room.location)
    Qualification.objects.create(examiner=second, role="second_examiner", family=catalogue["vo"])
    assert second.pk in {f.examiner.pk for f in workspace.fitting_examiners(session=oral, role="examinator")}
    StaffAssignment.objects.create(session=oral, examiner=second, role="second_examiner", status="declined")
    fits = workspace.fitting_examiners(session=oral, role="examinator")
    assert second.pk not in {f.examiner.pk for f in fits}
    assert {f.examiner.pk for f in fits} == _one_by_one(oral, "examinator")
    assert workspace.examiner_problems(examiner=second, session=oral, role="examinator") == [
        "second Test heeft al een taak in deze zitting."]
