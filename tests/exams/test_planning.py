"""Planning runs on the database: adapter, job, progress, validator, explanation, publish, commands, API."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from exams.errors import Conflict, RuleViolation
from exams.models import (
    Availability,
    Candidate,
    Examiner,
    ExamPart,
    PlacementRequest,
    PlanningRun,
    Qualification,
    Registration,
    StaffAssignment,
    Subject,
)
from exams.planning import runs
from exams.planning.adapter import Scope, scenario_from_db
from exams.seed.places import AMERSFOORT, upsert_location, upsert_room
from scheduling import model as sm

pytestmark = pytest.mark.django_db
START = date(2027, 6, 14)


@pytest.fixture
def vo_world(catalogue):
    """Amersfoort with oral rooms, four qualified examiners, six candidates with two orals each."""
    site = upsert_location(AMERSFOORT, [catalogue["vo"]])
    for number in (1, 2, 3):
        upsert_room(site, f"Mondeling {number}", seats=3, oral_room=True, wheelchair_accessible=True)
    english, dutch = Subject.objects.get(code="EN"), Subject.objects.get(code="NE")
    for i in range(4):
        examiner = Examiner.objects.create(first_name="Ex", last_name=f"Aminer {i}", email=f"ex{i}@example.org",
                                           home_location=site)
        for subject in (english, dutch):
            for role in ("examinator", "second_examiner"):
                Qualification.objects.create(examiner=examiner, role=role, family=catalogue["vo"], subject=subject,
                                             level="havo")
        for weekday in range(5):
            Availability.objects.create(examiner=examiner, weekday=weekday, starts=time(8), ends=time(17))
    parts = [ExamPart.objects.get(code="VO-HAVO-EN-MO"), ExamPart.objects.get(code="VO-HAVO-NE-MO")]
    for i in range(6):
        person = Candidate.objects.create(first_name="Kan", last_name=f"Didaat {i}", birth_date=date(2008, 1, 1),
                                          email=f"vo{i}@example.org", latitude=52.15, longitude=5.38)
        for part in parts:
            PlacementRequest.objects.create(candidate=person, part=part, source="state_exam", preferred_location=site,
                                            earliest=START, latest=START + timedelta(days=4))
    return Scope(date_from=START, date_to=START + timedelta(days=4), family="vo")


def test_adapter_builds_the_scenario_from_the_database(vo_world):
    scenario = scenario_from_db(vo_world)
    assert len(scenario.candidates) == 6 and sum(len(c.requests) for c in scenario.candidates) == 12
    assert {r.kind for r in scenario.rooms} == {"oral"}
    assert len(scenario.examiners) == 4 and "EN:havo" in scenario.examiners[0].qualifications
    assert len(scenario.slots) == 10  # five weekdays, morning and afternoon


def test_adapter_reads_when_qualifications_lapse_and_takes_subjects_from_examinator_rows(vo_world, catalogue):
    first, second, third, fourth = Examiner.objects.order_by("last_name")
    vo = Qualification.objects.filter(family=catalogue["vo"])
    vo.filter(examiner=first, subject__code="EN", role="examinator").update(valid_until=START + timedelta(days=1))
    vo.filter(examiner=second).update(valid_until=START - timedelta(days=1))  # lapsed before the scope
    vo.filter(examiner=third, role="examinator").update(valid_until=START + timedelta(days=30))  # after it
    vo.filter(examiner=fourth, role="examinator", subject__code="NE").delete()  # second examiner in Dutch only
    examiners = {e.id: e for e in scenario_from_db(vo_world).examiners}
    assert f"E{second.pk}" not in examiners
    assert examiners[f"E{first.pk}"].expires == (sm.Expiry("EN:havo", (START + timedelta(days=1)).isoformat()),)
    assert examiners[f"E{first.pk}"].holds("EN:havo", START.isoformat())
    assert not examiners[f"E{first.pk}"].holds("EN:havo", (START + timedelta(days=2)).isoformat())
    assert examiners[f"E{third.pk}"].expires == ()
    assert examiners[f"E{fourth.pk}"].qualifications == ("EN:havo",)


def test_a_run_places_everyone_validates_and_publishes_once(vo_world):
    run = runs.run_create(scope=vo_world, time_limit=10, seed=1)
    run = runs.run_execute(run_id=run.pk)
    assert run.status == "done", run.error
    assert run.summary["placed"] == 12 and run.summary["unplaced"] == 0
    assert run.summary["hard_violations"] == 0
    assert run.objective is not None and run.bound is not None and run.objective >= run.bound - 1e-6
    assert json.loads(run.snapshot)["format"] == "examlogistics-scenario"
    explanation = runs.run_explanation(run)
    assert set(explanation) == {"unplaced", "uncovered", "penalties", "breakdown", "vacancies",
                                "nothing_to_plan", "repair"}
    assert run.summary["vacancies"] == explanation["vacancies"] == 0
    assert explanation["repair"] is False  # nothing was published in the scope yet: planned from scratch
    outcome = runs.run_publish(run=run)
    assert outcome["added"] == 12 and outcome["moved"] == outcome["removed"] == 0
    assert Registration.objects.filter(status="confirmed").count() == 12
    assert PlacementRequest.objects.filter(status="placed").count() == 12
    assert StaffAssignment.objects.exists()
    with pytest.raises(Exception, match="already been published"):
        runs.run_publish(run=run)
    assert runs.run_execute(run_id=run.pk).status == "done"  # a re-delivered job changes nothing


def test_a_queued_run_can_be_cancelled(vo_world):
    run = runs.run_create(scope=vo_world, time_limit=10)
    assert runs.run_cancel(run=run).status == "cancelled"
    assert runs.run_execute(run_id=run.pk).status == "cancelled"


def test_api_starts_polls_and_explains_a_run(vo_world, planner, candidate, api_for, django_capture_on_commit_callbacks):
    body = {"time_limit": 5, "family": "vo", "date_from": str(vo_world.date_from), "date_to": str(vo_world.date_to)}
    assert api_for(candidate.user).post("/api/v1/scheduling/runs", body).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(planner).post("/api/v1/scheduling/runs", body)
    assert response.status_code == 202
    run_id = response.json()["id"]
    state = api_for(planner).get(f"/api/v1/scheduling/runs/{run_id}").json()
    assert state["status"] == "done" and state["progress"]["elapsed"] > 0 and state["objective"] is not None
    assert api_for(planner).get(f"/api/v1/scheduling/runs/{run_id}/explanation").status_code == 200
    assert api_for(planner).get(f"/api/v1/scheduling/runs/{run_id}/result").json()["format"] == "examlogistics-solution"
    assert api_for(planner).post(f"/api/v1/scheduling/runs/{run_id}/cancel", {}).status_code == 409
    assert api_for(planner).post("/api/v1/scheduling/runs", {**body, "time_limit": 0}).status_code == 422
    assert api_for(planner).post("/api/v1/scheduling/runs", {**body, "family": "xx"}).status_code == 422


def test_the_api_starts_a_repair_within_the_notice_only_when_asked(catalogue, planner, api_for,
                                                                    evening_of_7_december):
    """Tomorrow lies within every family's notice: a plain run is refused, a repair starts there."""
    body = {"time_limit": 5, "family": "vo", "date_from": "2026-12-08", "date_to": "2026-12-09"}
    refused = api_for(planner).post("/api/v1/scheduling/runs", body)
    assert refused.status_code == 422 and refused.json()["code"] == "period_within_notice"
    started = api_for(planner).post("/api/v1/scheduling/runs", {**body, "repair": True})
    assert started.status_code == 202
    assert PlanningRun.objects.get(pk=started.json()["id"]).date_from == date(2026, 12, 8)


def test_schedule_command_prints_a_json_summary(vo_world, capsys):
    call_command("schedule", "--family", "vo", "--from", str(vo_world.date_from), "--to", str(vo_world.date_to),
                 "--time-limit", "5", "--json")
    summary = json.loads(capsys.readouterr().out)
    assert summary["placed"] == 12 and summary["hard_violations"] == 0
    assert {"objective", "bound", "seconds", "unplaced"} <= set(summary)
    assert PlanningRun.objects.count() == 1


def test_scenario_export_and_solve_round_trip(vo_world, tmp_path, capsys):
    scenario_file, solution_file = tmp_path / "scenario.json", tmp_path / "solution.json"
    call_command("scenario", "export", str(scenario_file), "--family", "vo", "--from", str(vo_world.date_from),
                 "--to", str(vo_world.date_to))
    call_command("scenario", "solve", str(scenario_file), "--time-limit", "5", "--out", str(solution_file))
    assert "0 hard violations" in capsys.readouterr().out
    assert len(json.loads(solution_file.read_text())["solution"]["placements"]) == 12
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "something else"}')
    with pytest.raises(CommandError, match="not a valid scenario"):
        call_command("scenario", "solve", str(broken), "--time-limit", "1", "--out", str(tmp_path / "x.json"))


def test_adapter_keeps_a_role_to_the_families_it_is_held_in(vo_world, catalogue):
    """In a run over every family, a role held in some families only is one token per family; held in all
    of them until the same day, it stays one bare role. In a one-family run it is always bare."""
    first, second, third, _ = Examiner.objects.order_by("last_name")
    for family in ("nt2", "inburgering", "vo", "wft"):
        Qualification.objects.create(examiner=first, role="invigilator", family=catalogue[family])
    Qualification.objects.create(examiner=second, role="invigilator", family=catalogue["nt2"],
                                 valid_until=START + timedelta(days=1))
    Qualification.objects.create(examiner=third, role="invigilator", family=catalogue["nt2"])
    Qualification.objects.create(examiner=third, role="invigilator", family=catalogue["inburgering"],
                                 valid_until=START + timedelta(days=2))
    everything = {e.id: e for e in scenario_from_db(Scope(date_from=START, date_to=vo_world.date_to)).examiners}
    assert "invigilator" in everything[f"E{first.pk}"].roles
    assert "invigilator@NT2" in everything[f"E{second.pk}"].roles
    assert sm.Expiry("invigilator@NT2", (START + timedelta(days=1)).isoformat()) in everything[f"E{second.pk}"].expires
    assert {"invigilator@NT2", "invigilator@INB"} <= set(everything[f"E{third.pk}"].roles)
    day = START.isoformat()
    assert everything[f"E{second.pk}"].holds_role("invigilator", sm.NT2, day)
    assert not everything[f"E{second.pk}"].holds_role("invigilator", sm.INBURGERING, day)
    assert not everything[f"E{second.pk}"].holds_role("invigilator", sm.NT2, (START + timedelta(days=2)).isoformat())
    assert everything[f"E{first.pk}"].holds_role("invigilator", sm.WFT, day)
    nt2 = {e.id: e for e in scenario_from_db(Scope(date_from=START, date_to=vo_world.date_to, family="nt2")).examiners}
    assert nt2[f"E{second.pk}"].roles == ("invigilator",)


AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def evening_of_7_december(monkeypatch):
    """The planner starts runs at 18:15 on Monday 7 December 2026."""
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 7, 18, 15, tzinfo=AMS))


def test_a_run_places_nobody_within_the_notice_nor_on_public_holidays(catalogue, evening_of_7_december):
    # NT2 candidates get their summons 14 days ahead: 21 December from 18:15, so 22 December is the first day.
    run = runs.run_create(scope=Scope(date_from=date(2026, 12, 7), date_to=date(2027, 1, 8), family="nt2"),
                          time_limit=5)
    assert run.date_from == date(2026, 12, 22)
    days = {slot.date for slot in scenario_from_db(runs.scope_of(run)).slots}
    assert min(days) == "2026-12-22" and "2026-12-25" not in days and "2027-01-01" not in days
    assert "2026-12-24" in days and "2026-12-28" in days
    # A family with a week's notice (VO) may start a week earlier.
    assert runs.run_create(scope=Scope(date_from=date(2026, 12, 7), date_to=date(2027, 1, 8), family="vo"),
                           time_limit=5).date_from == date(2026, 12, 15)


@pytest.mark.parametrize("window, code", [
    ((date(2025, 3, 3), date(2025, 3, 14)), "period_past"),
    ((date(2026, 12, 7), date(2026, 12, 14)), "period_within_notice"),
    ((date(2027, 1, 2), date(2027, 1, 3)), "window_no_weekday"),
    ((date(2026, 12, 25), date(2026, 12, 27)), "window_no_exam_day"),
])
def test_a_run_over_a_window_without_plannable_days_is_refused(catalogue, evening_of_7_december, window,
                                                               code):
    with pytest.raises(RuleViolation) as refused:
        runs.run_create(scope=Scope(date_from=window[0], date_to=window[1], family="vo"), time_limit=5)
    assert refused.value.code == code
    assert not PlanningRun.objects.exists()


def test_a_run_over_a_weekend_fails_with_its_reason_not_a_crash(catalogue):
    """A run stored over a weekend (as the API accepted before it was refused up front) says why it failed."""
    run = PlanningRun.objects.create(family="vo", date_from=date(2027, 6, 12), date_to=date(2027, 6, 13),
                                     time_limit=5)
    run = runs.run_execute(run_id=run.pk)
    assert run.status == "failed" and run.error == "The window 2027-06-12 to 2027-06-13 has no weekday."


def test_a_crashed_run_shows_a_readable_reason_and_logs_the_exception(vo_world, monkeypatch, caplog):
    def crash(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(runs, "scenario_from_db", crash)
    run = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk)
    assert run.status == "failed" and run.error == runs.RUN_CRASHED
    assert "IndexError" not in run.error and "list index out of range" in caplog.text


@pytest.fixture
def one_examiner(vo_world):
    """Only one of vo_world's examiners is active: every oral lacks its second examiner."""
    Examiner.objects.exclude(pk=Examiner.objects.order_by("pk").first().pk).update(active=False)
    return vo_world


def test_sessions_left_without_staff_count_as_vacancies_and_publishing_needs_a_confirmation(one_examiner):
    run = runs.run_execute(run_id=runs.run_create(scope=one_examiner, time_limit=5, seed=1).pk)
    assert run.status == "done" and run.summary["unplaced"] == 0 and run.summary["hard_violations"] == 0
    explanation = runs.run_explanation(run)
    missing = sum(u["missing"] for u in explanation["uncovered"])
    assert run.summary["vacancies"] == explanation["vacancies"] == missing
    assert run.summary["vacancies"] >= run.summary["short_sessions"] > 0
    with pytest.raises(Conflict) as refused:
        runs.run_publish(run=run)
    assert refused.value.code == "vacancies_unconfirmed"
    assert refused.value.details == {"vacancies": run.summary["vacancies"]}
    assert not Registration.objects.exists()
    assert runs.run_publish(run=run, confirm_vacancies=True)["added"] == 12


def test_the_api_publishes_a_roster_with_vacancies_only_when_confirmed(one_examiner, planner, api_for):
    run = runs.run_execute(run_id=runs.run_create(scope=one_examiner, time_limit=5, seed=1).pk)
    refused = api_for(planner).post(f"/api/v1/scheduling/runs/{run.pk}/publish", {})
    assert refused.status_code == 409 and refused.json()["code"] == "vacancies_unconfirmed"
    assert refused.json()["details"] == {"vacancies": run.summary["vacancies"]}
    published = api_for(planner).post(f"/api/v1/scheduling/runs/{run.pk}/publish?confirm_vacancies=true", {})
    assert published.status_code == 200, published.json()


def test_a_run_with_nothing_to_plan_says_so_and_publishes_nothing(catalogue):
    scope = Scope(date_from=START, date_to=START + timedelta(days=4), family="nt2")
    run = runs.run_execute(run_id=runs.run_create(scope=scope, time_limit=5).pk)
    assert run.status == "done" and runs.run_explanation(run)["nothing_to_plan"]
    with pytest.raises(Conflict) as refused:
        runs.run_publish(run=run)
    assert refused.value.code == "nothing_to_publish"


@pytest.fixture
def wft_sitting(catalogue):
    """A Wft Basis sitting opened for booking at 10:00 (no half-day slot's time) in a room of 20 computers,
    four candidates booked in it themselves, eight more waiting to be placed that day, one invigilator."""
    from exams.models import Booking, ExamSession, Location
    from exams.seed.places import AGENCY_CENTRES

    site = Location.objects.get(pk=upsert_location(AGENCY_CENTRES[0], [catalogue["wft"]]).pk)
    room = upsert_room(site, "Computerzaal 1", seats=20, computer_seats=20)
    basis = ExamPart.objects.get(code="WFT-BASIS")
    starts = datetime.combine(START, time(10), tzinfo=AMS)
    sitting = ExamSession.objects.create(room=room, starts_at=starts, ends_at=starts + timedelta(minutes=120),
                                         capacity=20, status="open")
    sitting.parts.set([basis])
    people = [Candidate.objects.create(first_name="Wft", last_name=f"Adviseur {i}",
                                       birth_date=date(1990, 1, 1), email=f"wft{i}@example.org",
                                       latitude=52.07, longitude=4.30) for i in range(12)]
    for person in people[:4]:
        booking = Booking.objects.create(candidate=person, status="confirmed", amount=159)
        Registration.objects.create(booking=booking, candidate=person, session=sitting, part=basis,
                                    status="confirmed", fee=159)
    for person in people[4:]:
        PlacementRequest.objects.create(candidate=person, part=basis, source="state_exam",
                                        preferred_location=site, earliest=START, latest=START)
    examiner = Examiner.objects.create(first_name="Sur", last_name="Veillant", email="inv@example.org",
                                       home_location=site)
    Qualification.objects.create(examiner=examiner, role="invigilator", family=catalogue["wft"])
    return sitting


def test_a_run_fills_an_existing_sitting_at_any_time_before_opening_new_ones(wft_sitting):
    from exams.models import ExamSession

    scope = Scope(date_from=START, date_to=START + timedelta(days=4), family="wft")
    run = runs.run_execute(run_id=runs.run_create(scope=scope, time_limit=5, seed=1).pk)
    assert run.status == "done", run.error
    assert run.summary["requests"] == run.summary["placed"] == 8 and run.summary["unplaced"] == 0
    _scenario, solution, _result = runs.run_solution(run)
    sitting = f"WFT-BASIS@room{wft_sitting.room_id}@{START.isoformat()}-1000-1200"
    assert {p.session_id for p in solution.placements} == {sitting}
    assert solution.sessions == (sitting,)
    outcome = runs.run_publish(run=run)
    assert outcome["added"] == 8 and outcome["removed"] == 0
    assert ExamSession.objects.count() == 1
    wft_sitting.refresh_from_db()
    assert wft_sitting.registrations.filter(status="confirmed").count() == wft_sitting.seats_booked == 12
    # The four who booked themselves are no part of the roster's changes, and a second run keeps everyone.
    again = runs.run_execute(run_id=runs.run_create(scope=scope, time_limit=5, seed=2).pk)
    assert again.summary["placed"] == 8 and again.summary["requests"] == 8


def test_a_roster_never_overfills_a_sitting_candidates_booked_meanwhile(wft_sitting):
    """Candidates' own bookings after the run do not make its roster stale; when they take the seats the
    roster counted on, publishing it is refused and writes nothing."""
    from exams.models import Booking, ExamSession

    scope = Scope(date_from=START, date_to=START + timedelta(days=4), family="wft")
    run = runs.run_execute(run_id=runs.run_create(scope=scope, time_limit=5, seed=1).pk)
    assert run.summary["placed"] == 8
    basis = ExamPart.objects.get(code="WFT-BASIS")
    for i in range(10):  # 4 + 10 booked themselves: 6 seats left for the roster's 8
        person = Candidate.objects.create(first_name="Late", last_name=f"Booker {i}", birth_date=date(1990, 1, 1),
                                          email=f"late{i}@example.org")
        booking = Booking.objects.create(candidate=person, status="confirmed", amount=159)
        Registration.objects.create(booking=booking, candidate=person, session=wft_sitting, part=basis,
                                    status="confirmed", fee=159)
    with pytest.raises(Conflict) as refused:
        runs.run_publish(run=run)
    assert refused.value.code == "seats_taken_meanwhile"
    assert refused.value.details == {"session": wft_sitting.pk, "seats": 20, "taken": 22}
    wft_sitting.refresh_from_db()
    assert wft_sitting.capacity == 20
    assert wft_sitting.registrations.count() == 14 and ExamSession.objects.count() == 1


def test_a_roster_published_too_late_for_its_candidates_notice_is_refused(vo_world, monkeypatch):
    run = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5, seed=1).pk)
    # Published on 10 June: VO candidates get a week's notice, so nobody may be placed before 18 June.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 6, 10, 12, tzinfo=AMS))
    with pytest.raises(Conflict) as refused:
        runs.run_publish(run=run)
    assert refused.value.code == "placement_within_notice"
    assert refused.value.details == {"first_day": "2027-06-18"}
    assert not Registration.objects.exists()


@pytest.fixture
def wft_shared_sitting(catalogue):
    """A Wft sitting at 10:00 holding two modules at once (Basis and Vermogen, as an exam institute's room
    holds every module) in a room of 20 computers: 14 seats booked (7 per module); waiting to be placed that
    day: 4 for Basis and 2 for Vermogen, one invigilator."""
    from exams.models import Booking, ExamSession, Location
    from exams.seed.places import AGENCY_CENTRES

    site = Location.objects.get(pk=upsert_location(AGENCY_CENTRES[0], [catalogue["wft"]]).pk)
    room = upsert_room(site, "Computerzaal 1", seats=20, computer_seats=20)
    basis, vermogen = ExamPart.objects.get(code="WFT-BASIS"), ExamPart.objects.get(code="WFT-VERMOGEN")
    starts = datetime.combine(START, time(10), tzinfo=AMS)
    sitting = ExamSession.objects.create(room=room, starts_at=starts, ends_at=starts + timedelta(minutes=135),
                                         capacity=20, status="open")
    sitting.parts.set([basis, vermogen])
    people = [Candidate.objects.create(first_name="Wft", last_name=f"Adviseur {i}",
                                       birth_date=date(1990, 1, 1), email=f"wft{i}@example.org",
                                       latitude=52.07, longitude=4.30) for i in range(20)]
    for i, person in enumerate(people[:14]):
        booking = Booking.objects.create(candidate=person, status="confirmed", amount=159)
        Registration.objects.create(booking=booking, candidate=person, session=sitting,
                                    part=basis if i % 2 else vermogen, status="confirmed", fee=159)
    for i, person in enumerate(people[14:]):
        PlacementRequest.objects.create(candidate=person, part=basis if i < 4 else vermogen,
                                        source="state_exam", preferred_location=site, earliest=START,
                                        latest=START)
    examiner = Examiner.objects.create(first_name="Sur", last_name="Veillant", email="inv@example.org",
                                       home_location=site)
    Qualification.objects.create(examiner=examiner, role="invigilator", family=catalogue["wft"])
    return sitting


def test_a_sitting_of_several_modules_counts_its_room_and_seats_and_takes_each_candidate_for_their_module(
        wft_shared_sitting):
    from exams.models import ExamSession

    scope = Scope(date_from=START, date_to=START + timedelta(days=4), family="wft")
    scenario = scenario_from_db(scope)
    sitting = f"WFT-BASIS+WFT-VERMOGEN@room{wft_shared_sitting.room_id}@{START.isoformat()}-1000-1215"
    assert scenario.published is not None and sitting in scenario.published.sessions
    assert sum(1 for c in scenario.candidates if c.id.startswith("B")) == 14  # its booked seats count
    run = runs.run_execute(run_id=runs.run_create(scope=scope, time_limit=5, seed=1).pk)
    assert run.status == "done", run.error
    assert run.summary["requests"] == run.summary["placed"] == 6 and run.summary["hard_violations"] == 0
    _scenario, solution, _result = runs.run_solution(run)
    # The six seats left in the sitting take all six; no second session is opened in its room.
    assert {p.session_id for p in solution.placements if p.request_id.startswith("R")} == {sitting}
    assert solution.sessions == (sitting,)
    outcome = runs.run_publish(run=run)
    assert outcome["added"] == 6 and outcome["removed"] == 0
    assert ExamSession.objects.count() == 1
    wft_shared_sitting.refresh_from_db()
    assert wft_shared_sitting.seats_booked == 20
    placed = Registration.objects.filter(session=wft_shared_sitting, booking__amount=0)
    assert sorted(r.part.code for r in placed) == ["WFT-BASIS"] * 4 + ["WFT-VERMOGEN"] * 2
    requests = PlacementRequest.objects.filter(registration__in=placed)
    assert requests.count() == 6 and all(r.part_id == r.registration.part_id for r in requests)


def test_a_full_sitting_of_several_modules_keeps_its_room_busy(wft_shared_sitting):
    """With every seat of the shared sitting booked, nobody is added to it and no session of another module is
    put in its room while it runs."""
    from exams.models import Booking

    basis = ExamPart.objects.get(code="WFT-BASIS")
    for i in range(6):
        person = Candidate.objects.create(first_name="Vol", last_name=f"Boeker {i}",
                                          birth_date=date(1990, 1, 1), email=f"full{i}@example.org")
        booking = Booking.objects.create(candidate=person, status="confirmed", amount=159)
        Registration.objects.create(booking=booking, candidate=person, session=wft_shared_sitting, part=basis,
                                    status="confirmed", fee=159)
    scope = Scope(date_from=START, date_to=START + timedelta(days=4), family="wft")
    run = runs.run_execute(run_id=runs.run_create(scope=scope, time_limit=5, seed=1).pk)
    assert run.status == "done", run.error
    assert run.summary["hard_violations"] == 0
    _scenario, solution, _result = runs.run_solution(run)
    sitting = f"WFT-BASIS+WFT-VERMOGEN@room{wft_shared_sitting.room_id}@{START.isoformat()}-1000-1215"
    booked = [p for p in solution.placements if p.request_id.startswith("B")]
    assert len(booked) == 20 and {p.session_id for p in booked} == {sitting}
    morning = {s for s in solution.sessions if f"@{START.isoformat()}-am" in s}
    assert not morning  # the morning overlaps the sitting in the only room
    assert all(p.session_id != sitting for p in solution.placements if p.request_id.startswith("R"))


@pytest.fixture
def wft_and_nt2(catalogue):
    """One centre for Wft and NT2 with one invigilator, a Wft candidate (until 11 December) and an NT2
    candidate waiting: (the Wft request, the NT2 request)."""
    from exams.models import Location
    from exams.seed.places import AGENCY_CENTRES

    site = Location.objects.get(pk=upsert_location(AGENCY_CENTRES[0], [catalogue["wft"], catalogue["nt2"]]).pk)
    upsert_room(site, "Computerzaal 1", seats=20, computer_seats=20)
    examiner = Examiner.objects.create(first_name="Sur", last_name="Veillant", email="inv@example.org",
                                       home_location=site)
    for family in ("wft", "nt2"):
        Qualification.objects.create(examiner=examiner, role="invigilator", family=catalogue[family])
    adviser, newcomer = (Candidate.objects.create(first_name="Kan", last_name=name, birth_date=date(1990, 1, 1),
                                                  email=f"{name}@example.org", latitude=52.37, longitude=4.9)
                         for name in ("adviser", "newcomer"))
    wft = PlacementRequest.objects.create(candidate=adviser, part=ExamPart.objects.get(code="WFT-BASIS"),
                                          source="state_exam", preferred_location=site, latest=date(2026, 12, 11))
    nt2 = PlacementRequest.objects.create(candidate=newcomer, part=ExamPart.objects.get(code="NT2-I-LZ"),
                                          source="state_exam", preferred_location=site)
    return wft, nt2


def test_a_candidate_whose_notice_leaves_no_day_in_the_window_is_told_so(wft_and_nt2, evening_of_7_december):
    """A run over every family until 18 December: the NT2 candidate's fortnight of notice starts them on 22
    December, so the page says that notice is why, not the candidate's availability."""
    from django.utils import translation

    run = runs.run_create(scope=Scope(date_from=date(2026, 12, 7), date_to=date(2026, 12, 18)), time_limit=5,
                          seed=1)
    run = runs.run_execute(run_id=run.pk)
    assert run.status == "done", run.error
    with translation.override("en"):
        [english] = [u["text"] for u in runs.run_explanation(run)["unplaced"]]
    with translation.override("nl"):
        [dutch] = [u["text"] for u in runs.run_explanation(run)["unplaced"]]
    assert english == ("Candidate Kan newcomer could not be placed for NT2 state exam programme I – Reading: "
                       "candidates for State exam Dutch as a second language (NT2) can be placed from 22 "
                       "December (14 days' notice); the run's window ends before that."), english
    assert "availability" not in english
    assert "kunnen pas vanaf 22 december worden ingepland (oproeptermijn 14 dagen)" in dutch, dutch
    assert "het datumvenster van de berekening eindigt eerder" in dutch


def test_a_run_over_all_families_gives_each_family_its_own_notice(wft_and_nt2, evening_of_7_december):
    """Wft candidates are told a day ahead, NT2 candidates get their summons 14 days ahead: a run over every
    family places the Wft candidate this week and the NT2 candidate no earlier than 22 December."""
    wft, nt2 = wft_and_nt2
    run = runs.run_create(scope=Scope(date_from=date(2026, 12, 7), date_to=date(2027, 1, 8)), time_limit=5, seed=1)
    assert run.date_from == date(2026, 12, 9)  # the first day the family with the shortest notice can sit
    run = runs.run_execute(run_id=run.pk)
    assert run.status == "done", run.error
    assert run.summary["placed"] == 2 and run.summary["hard_violations"] == 0
    _scenario, solution, _result = runs.run_solution(run)
    day = {p.request_id: sm.parse_session_id(p.session_id).slot_id[:10] for p in solution.placements}
    assert "2026-12-09" <= day[f"R{wft.pk}"] <= "2026-12-11"
    assert day[f"R{nt2.pk}"] >= "2026-12-22"


def test_each_location_keeps_the_public_holidays_of_its_own_island(catalogue):
    """Whit Monday (17 May 2027) is a holiday in the Netherlands, not on Bonaire; Dia di Rincon (30 April)
    only on Bonaire: a run over both plans each location on its own working days."""
    from exams.models import Location
    from exams.seed.places import BONAIRE
    from scheduling.holidays import REGIONS

    assert {code for code, _label in Location._meta.get_field("region").choices} == set(REGIONS)
    amersfoort = upsert_location(AMERSFOORT, [catalogue["vo"]])
    bonaire = upsert_location(BONAIRE, [catalogue["vo"]])
    assert bonaire.region == "BQ-BO" and amersfoort.region == ""
    scope = Scope(date_from=date(2027, 4, 26), date_to=date(2027, 5, 21), family="vo")
    days = {d.isoformat() for d in scope.dates()}
    assert {"2027-04-30", "2027-05-17"} <= days  # someone can sit on each of them
    assert "2027-04-27" not in days and "2027-05-06" not in days  # King's Day, Ascension Day everywhere
    closed = {loc.id: set(loc.closed_dates) for loc in scenario_from_db(scope).locations}
    assert "2027-05-17" in closed[AMERSFOORT.code] and "2027-05-17" not in closed[BONAIRE.code]
    assert "2027-04-30" in closed[BONAIRE.code] and "2027-04-30" not in closed[AMERSFOORT.code]
    assert "2027-05-05" in closed[AMERSFOORT.code]  # no exams on Liberation Day; Bonaire works
    assert "2027-05-05" not in closed[BONAIRE.code]
    # A national timetable (the VO written exams) keeps to the days every location works.
    national = {d.isoformat() for d in scope.dates(every_region=True)}
    assert not {"2027-04-30", "2027-05-17", "2027-05-05"} & national and "2027-05-18" in national
