"""Planning a VO written period's national dates on the database (exams.planning.written, plan_written)."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import CommandError, call_command

from exams.models import Booking, Candidate, ExamPart, FixedExamDate, PlacementRequest, Registration
from exams.planning import written
from exams.seed.places import seed_vo_sites
from exams.seed.sessions import vo_written_sessions
from scheduling.examtt import kernel

pytestmark = pytest.mark.django_db
FROM, TO = date(2027, 8, 16), date(2027, 8, 27)
WINDOW = ["--from", FROM.isoformat(), "--to", TO.isoformat()]
TODAY = date(2027, 1, 10)


@pytest.fixture(scope="module", autouse=True)
def compiled_kernels():
    """Compile the numba kernels once (cold cache in a fresh clone) outside the timed solves."""
    kernel.warm_up()


@pytest.fixture(autouse=True)
def first_timetable(monkeypatch):
    """These tests need a timetable, not the best one: each plan stops at its first, with a minute to find
    it. With the short limits the commands are given, a busy machine (the suite's passes side by side on two
    cores) could spend it all on the first construction and end without a timetable, which is what the
    command then says, but not what these tests are about."""
    real = written.plan_written

    def stop_at_the_first(problem, *, time_limit, on_progress=None, should_stop=None, **kwargs):
        found = []

        def heard(*args) -> None:
            found.append(args)
            if on_progress is not None:
                on_progress(*args)

        return real(problem, time_limit=max(time_limit, 60), on_progress=heard,
                    should_stop=lambda: bool(found) or (should_stop is not None and should_stop()), **kwargs)

    monkeypatch.setattr(written, "plan_written", stop_at_the_first)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """The seeded catalogue is the 2027 season: plan it as if it were January 2027."""
    monkeypatch.setattr(written, "today", lambda: TODAY)


@pytest.fixture
def vo_written_world(catalogue):
    """Amersfoort's Aula (200) and Bonaire's Examenzaal (30) hold the first period's sittings; 40
    candidates wait for three to five written parts of one level each."""
    sites = seed_vo_sites(catalogue["vo"], schools=0, rng=random.Random(1))
    sittings = vo_written_sessions(sites, period="first")
    rng = random.Random(7)
    written_parts = list(ExamPart.objects.filter(programme__family__code="vo", mode="paper"))
    for i in range(40):
        person = Candidate.objects.create(first_name="Kan", last_name=f"Didaat {i}", birth_date=date(2008, 1, 1),
                                          email=f"ce{i}@example.org")
        level = ("VMBO", "HAVO", "VWO")[i % 3]
        mine = [p for p in written_parts if p.code.startswith(f"VO-{level}-")]
        for part in rng.sample(mine, rng.randint(3, 5)):
            PlacementRequest.objects.create(candidate=person, part=part, source="state_exam")
    return sittings


def period_rows(period: str) -> dict[str, tuple[datetime, datetime]]:
    return {f.part.code: (f.starts_at, f.ends_at)
            for f in FixedExamDate.objects.filter(period=period).select_related("part")}


def test_the_command_plans_the_period_and_no_candidate_has_a_clash(vo_written_world, capsys):
    first_before = period_rows("first")
    call_command("plan_written", "--period", "resit-august", *WINDOW, "--time-limit", "2", "--seed", "1")
    out = capsys.readouterr().out
    rows = FixedExamDate.objects.filter(period="resit-august").select_related("part")
    assert rows.count() == ExamPart.objects.filter(programme__family__code="vo", mode="paper").count()
    for row in rows:
        local = row.starts_at.astimezone(written.NATIONAL_CLOCK)
        assert FROM <= local.date() <= TO and local.weekday() < 5
        assert local.time() in (time(9, 0), time(13, 30))
        assert row.ends_at - row.starts_at == timedelta(minutes=row.part.duration_minutes)
    by_part = {row.part_id: row for row in rows}
    for person in Candidate.objects.filter(placement_requests__isnull=False).distinct():
        mine = [by_part[r.part_id] for r in person.placement_requests.all()]
        assert not any(a.clashes_with(b) for i, a in enumerate(mine) for b in mine[i + 1:])
    assert period_rows("first") == first_before
    assert "Mon 16 Aug 2027" in out and "09:00" in out and "Penalty" in out
    assert "times a candidate has two exams" in out


def test_json_output_names_every_part_and_the_penalty(vo_written_world, capsys):
    call_command("plan_written", "--period", "resit-june", "--from", "2027-06-14", "--to", "2027-06-25",
                 "--time-limit", "2", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["feasible"] and data["written"] and data["seats"] == 230
    assert len(data["timetable"]) == ExamPart.objects.filter(programme__family__code="vo", mode="paper").count()
    assert {"part", "name", "starts_at", "ends_at"} <= set(data["timetable"][0])
    assert data["penalty"] == sum(rule["penalty"] for rule in data["breakdown"])


def test_a_dry_run_writes_nothing(vo_written_world, capsys):
    before = period_rows("resit-august")
    call_command("plan_written", "--period", "resit-august", *WINDOW, "--time-limit", "1", "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert period_rows("resit-august") == before


@pytest.fixture
def second_write_fails(monkeypatch) -> list[str]:
    """Writing a period's second date raises ("disk full"); the list names the parts written or tried."""
    real, calls = written.write_date, []

    def fail_on_the_second(part, period, slot):
        calls.append(part.code)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(part, period, slot)

    monkeypatch.setattr(written, "write_date", fail_on_the_second)
    return calls


def test_a_failure_after_the_first_write_leaves_every_date_as_it_was(vo_written_world, second_write_fails):
    before = period_rows("resit-august")
    with pytest.raises(RuntimeError, match="disk full"):
        call_command("plan_written", "--period", "resit-august", *WINDOW, "--time-limit", "1")
    assert len(second_write_fails) == 2
    assert period_rows("resit-august") == before


@pytest.mark.parametrize("args, message", [
    (["--from", "2026-08-17", "--to", "2026-08-28"], "in the past"),
    (["--from", "2027-08-27", "--to", "2027-08-16"], "ends before it starts"),
    (["--from", "2027-08-21", "--to", "2027-08-22"], "no weekday"),
    (["--from", "2027-08-16", "--to", "2027-08-16"], "only 2 slots"),
    (["--from", "16-08-2027", "--to", "2027-08-27"], r"'16-08-2027' is not a date \(YYYY-MM-DD\)"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_written(vo_written_world, args, message):
    before = period_rows("resit-august")
    with pytest.raises(CommandError, match=message):
        call_command("plan_written", "--period", "resit-august", *args, "--time-limit", "1")
    assert period_rows("resit-august") == before


def test_an_unknown_period_is_refused(vo_written_world):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("plan_written", "--period", "september", *WINDOW)


def test_a_period_with_candidates_placed_in_its_sittings_is_refused(vo_written_world):
    sitting = vo_written_world[0]
    person = Candidate.objects.first()
    booking = Booking.objects.create(candidate=person, status="confirmed", amount=0)
    Registration.objects.create(booking=booking, candidate=person, session=sitting, part=sitting.parts.first(),
                                status="confirmed", fee=0)
    before = period_rows("first")
    with pytest.raises(CommandError, match="already has sittings with candidates placed"):
        call_command("plan_written", "--period", "first", "--from", "2027-05-10", "--to", "2027-05-28",
                     "--time-limit", "1")
    assert period_rows("first") == before


def test_without_a_hall_for_written_sittings_nothing_is_planned(catalogue):
    with pytest.raises(CommandError, match="No hall"):
        call_command("plan_written", "--period", "resit-august", *WINDOW, "--time-limit", "1")


def test_the_written_window_skips_public_holidays(catalogue):
    """The May 2027 window holds Ascension Day (6 May) and Whit Monday (17 May): no exam slot on either."""
    scope = written.Scope(date_from=date(2027, 5, 3), date_to=date(2027, 5, 21), family="vo")
    days = {slot.day for slot in written.slots(scope, written.written_parts())}
    assert date(2027, 5, 17) not in days and date(2027, 5, 6) not in days and date(2027, 5, 5) not in days
    assert len(days) == 12 and date(2027, 5, 18) in days


def test_without_candidates_no_timetable_is_offered(catalogue):
    """Nobody waits: nothing keeps the 34 exams apart, and 'all at once' must not be offered as a
    timetable."""
    sites = seed_vo_sites(catalogue["vo"], schools=0, rng=random.Random(1))
    vo_written_sessions(sites, period="first")
    before = period_rows("resit-august")
    with pytest.raises(written.RuleViolation) as refused:
        written.check_period(period="resit-august", date_from=FROM, date_to=TO)
    assert refused.value.code == "written_no_candidates"
    with pytest.raises(CommandError, match="No candidate waits"):
        call_command("plan_written", "--period", "resit-august", *WINDOW, "--time-limit", "1")
    assert period_rows("resit-august") == before
