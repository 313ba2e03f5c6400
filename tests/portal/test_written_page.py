"""The planner's page for the VO written timetable: a checked form, planning in a task with its progress on
the row, a preview that writes nothing, and applying it all or nothing (exams.planning.written_runs)."""

from __future__ import annotations

import re
import time as clock

import pytest
from django.test import Client

from exams.models import Booking, Candidate, ExamPart, FixedExamDate, Registration, WrittenPlanRun
from exams.planning import written, written_runs

from ..exams.test_written_timetable import (  # noqa: F401  (fixtures: the kernels, January 2027, the world)
    compiled_kernels,
    fixed_today,
    period_rows,
    second_write_fails,
    vo_written_world,
)

pytestmark = pytest.mark.django_db
# A minute each: the plans stop at their first timetable (``first_timetable``), however busy the machine.
AUGUST = {"period": "resit-august", "from": "2027-08-16", "to": "2027-08-27", "time_limit": "60", "seed": "1"}
MAY = {"period": "first", "from": "2027-05-10", "to": "2027-05-28", "time_limit": "60", "seed": "0"}


@pytest.fixture(autouse=True)
def first_timetable(monkeypatch):
    """The pages need a timetable, not the best one: a plan stops as soon as it has one. With a short time
    limit instead, a busy machine (a batch run on two shared cores) could use it all on the first
    construction and leave the plan without a timetable."""
    real = written.plan_written_period

    def stop_at_the_first(**kwargs):
        found, progress, stop = [], kwargs.get("on_progress"), kwargs.get("should_stop")

        def heard(*args) -> None:
            found.append(args)
            if progress is not None:
                progress(*args)

        return real(**{**kwargs, "on_progress": heard,
                       "should_stop": lambda: bool(found) or (stop is not None and stop())})

    monkeypatch.setattr(written, "plan_written_period", stop_at_the_first)


def client_for(user, language: str = "nl") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def place_a_candidate(sitting) -> Registration:
    """A candidate placed in one of the period's written sittings (their exam can no longer move)."""
    person = Candidate.objects.first()
    booking = Booking.objects.create(candidate=person, status="confirmed", amount=0)
    return Registration.objects.create(booking=booking, candidate=person, session=sitting,
                                       part=sitting.parts.first(), status="confirmed", fee=0)


def planned(client: Client, form: dict, capture) -> WrittenPlanRun:
    """Send the form with the task running in-process (as without a broker) and follow to the plan."""
    with capture(execute=True):
        response = client.post("/planner/written/", form)
    plan = WrittenPlanRun.objects.get()
    assert response.status_code == 302 and response.url == f"/planner/written/{plan.pk}/"
    return WrittenPlanRun.objects.get(pk=plan.pk)


@pytest.mark.parametrize("change, says", [
    ({"from": "16-08-2027"}, "Geef de datums als jjjj-mm-dd."),
    ({"from": "2026-08-17", "to": "2026-08-28"}, "Het datumvenster begint in het verleden."),
    ({"from": "2027-08-27", "to": "2027-08-16"}, "Het datumvenster eindigt voordat het begint."),
    ({"from": "2027-08-21", "to": "2027-08-22"}, "Het datumvenster heeft geen werkdag."),
    ({"from": "2027-08-16", "to": "2027-08-16"}, "Er is geen rooster mogelijk: Kandidaat "),
    ({"time_limit": "0"}, "De tijdslimiet moet tussen 1 en 3600 seconden liggen."),
    ({"seed": "-1"}, "Geef de variant als geheel getal, 0 of meer."),
    ({"period": "september"}, "Kies een van de perioden van de schriftelijke examens."),
])
def test_a_refused_form_plans_nothing_says_why_in_dutch_and_keeps_what_was_typed(
        vo_written_world, planner, change, says):
    form = {**AUGUST, "time_limit": "17", "seed": "3", **change}
    response = client_for(planner).post("/planner/written/", form)
    page = response.content.decode()
    assert response.status_code == 200 and WrittenPlanRun.objects.count() == 0
    assert says in page
    assert f'value="{form["from"]}"' in page and f'value="{form["to"]}"' in page
    assert f'value="{form["time_limit"]}"' in page and f'value="{form["seed"]}"' in page
    if form["period"] == "resit-august":
        assert '<option value="resit-august" selected>' in page


def test_an_impossible_period_names_the_candidate_and_the_slots_in_english(vo_written_world, planner):
    page = client_for(planner, "en").post("/planner/written/", {**AUGUST, "to": "2027-08-16"}).content.decode()
    assert re.search(r"No timetable is possible: Candidate \d+ sits \d parts but the period has only 2 slots\.",
                     page)


def test_a_period_with_candidates_placed_is_refused_before_planning(vo_written_world, planner):
    place_a_candidate(vo_written_world[0])
    page = client_for(planner).post("/planner/written/", MAY).content.decode()
    assert "Deze periode heeft al zittingen met geplaatste kandidaten" in page
    assert WrittenPlanRun.objects.count() == 0 and 'value="2027-05-10"' in page


def test_the_plan_page_shows_progress_and_reloads_itself_while_the_task_waits(vo_written_world, planner):
    client = client_for(planner)
    client.post("/planner/written/", AUGUST)  # the task is queued after the commit, which never comes here
    plan = WrittenPlanRun.objects.get()
    assert plan.status == WrittenPlanRun.Status.QUEUED
    page = client.get(f"/planner/written/{plan.pk}/").content.decode()
    assert '<meta http-equiv="refresh"' in page and '<progress id="progress" max="100" value="0">' in page
    assert "Datums toepassen" not in page


@pytest.mark.django_db(transaction=True)
def test_the_task_writes_its_progress_to_the_plan_while_it_plans(vo_written_world, planner, monkeypatch,
                                                                 django_capture_on_commit_callbacks):
    """The page polls the row: while the core still runs, the row has the time used and the best penalty
    (written by the reporter's own connection, so the plan is committed: a transactional test)."""
    real, seen = written.plan_written_period, []

    def and_look_at_the_row(**kwargs):
        plan = real(**kwargs)
        clock.sleep(0.7)  # the reporter writes twice a second; the solve is still "running" here
        seen.append(WrittenPlanRun.objects.values("status", "elapsed", "best_penalty").get())
        return plan

    monkeypatch.setattr(written, "plan_written_period", and_look_at_the_row)
    plan = planned(client_for(planner), AUGUST, django_capture_on_commit_callbacks)
    assert seen[0]["status"] == "running" and seen[0]["elapsed"] > 0 and seen[0]["best_penalty"] is not None
    assert plan.status == "done" and plan.penalty <= seen[0]["best_penalty"]


@pytest.mark.django_db(transaction=True)
def test_stopping_a_plan_ends_it_early_with_the_best_timetable_so_far(vo_written_world, planner, monkeypatch):
    """A planner who gave an hour stops the plan: the worker hears of it through the row (a transactional
    test: the reporter reads it on its own connection) and the plan ends at once as a preview."""
    monkeypatch.setattr(written_runs, "enqueue", lambda *args: None)  # queued; the worker comes later
    client = client_for(planner)
    client.post("/planner/written/", AUGUST)
    plan = WrittenPlanRun.objects.get()
    assert "Stoppen en het beste rooster houden" in client.get(f"/planner/written/{plan.pk}/").content.decode()
    page = client.post(f"/planner/written/{plan.pk}/stop/", follow=True).content.decode()
    assert "De planning stopt en houdt het beste rooster tot nu toe." in page
    assert "Bezig met stoppen" in page and "Stoppen en het beste rooster houden" not in page
    started = clock.monotonic()
    plan = written_runs.plan_execute(plan_id=plan.pk)
    assert clock.monotonic() - started < 30  # not the minute it was given
    assert plan.status == "done" and plan.timetable and plan.elapsed < 30
    page = client.post(f"/planner/written/{plan.pk}/stop/", follow=True).content.decode()
    assert "Deze planning is al klaar." in page


def test_the_preview_shows_the_calendar_the_rules_and_the_dates_now_and_writes_nothing(
        vo_written_world, planner, django_capture_on_commit_callbacks):
    first_before, august_before = period_rows("first"), period_rows("resit-august")
    client = client_for(planner, "en")
    plan = planned(client, AUGUST, django_capture_on_commit_callbacks)
    assert plan.status == "done" and plan.timetable and plan.applied_at is None
    assert period_rows("first") == first_before and period_rows("resit-august") == august_before
    page = client.get(f"/planner/written/{plan.pk}/").content.decode()
    assert '<meta http-equiv="refresh"' not in page and "Apply dates" in page
    assert "Monday 16 August" in page and "Friday 27 August" in page and "Morning 09:00" in page
    code = next(iter(plan.timetable))
    part = ExamPart.objects.select_related("programme").get(code=code)
    assert part.full_name in page and code not in page
    assert re.search(rf"{re.escape(part.full_name)}</span> <span class=\"count\">{plan.enrolled[code]} candidates?",
                     page)
    assert "times a candidate has two exams back to back on one day" in page
    now = FixedExamDate.objects.filter(period="resit-august", part=part).first()
    if now is not None:  # what the period has now, beside the plan
        assert f"{now.starts_at.astimezone(written.NATIONAL_CLOCK):%a %-d %b %H:%M}" in page


def test_the_preview_speaks_dutch_and_shows_the_current_dates(vo_written_world, planner,
                                                              django_capture_on_commit_callbacks):
    client = client_for(planner)
    plan = planned(client, MAY, django_capture_on_commit_callbacks)
    page = client.get(f"/planner/written/{plan.pk}/").content.decode()
    assert "keer heeft een kandidaat twee examens direct na elkaar op één dag" in page
    assert "Ochtend 09:00" in page and "maandag 10 mei" in page
    assert "Datums nu en gepland" in page and "Datums toepassen" in page


def test_applying_writes_every_date_of_the_plan(vo_written_world, planner, django_capture_on_commit_callbacks):
    client = client_for(planner, "en")
    plan = planned(client, AUGUST, django_capture_on_commit_callbacks)
    page = client.post(f"/planner/written/{plan.pk}/apply/", {"confirm": "1"}, follow=True).content.decode()
    rows = period_rows("resit-august")
    assert rows == {code: (written.starts_at(slot),
                           written.starts_at(slot) + (rows[code][1] - rows[code][0]))
                    for code, slot in written_runs.stored_timetable(plan).items()}
    assert set(rows) == set(written.written_parts()) and len(rows) == len(plan.timetable)
    assert f"The national dates are written: {len(rows)} exams, re-sit August." in page
    assert WrittenPlanRun.objects.get().applied_by == planner
    again = client.post(f"/planner/written/{plan.pk}/apply/", {"confirm": "1"}, follow=True).content.decode()
    assert "Not applied: This timetable has already been applied." in again


def test_a_failure_halfway_through_applying_leaves_every_date_as_it_was(
        vo_written_world, planner, django_capture_on_commit_callbacks, second_write_fails):
    client = client_for(planner)
    plan = planned(client, MAY, django_capture_on_commit_callbacks)
    before = period_rows("first")
    with pytest.raises(RuntimeError, match="disk full"):
        client.post(f"/planner/written/{plan.pk}/apply/", {"confirm": "1"})
    assert len(second_write_fails) == 2
    assert period_rows("first") == before
    assert WrittenPlanRun.objects.get().applied_at is None


def test_applying_is_refused_when_candidates_were_placed_meanwhile(vo_written_world, planner,
                                                                  django_capture_on_commit_callbacks):
    client = client_for(planner)
    plan = planned(client, MAY, django_capture_on_commit_callbacks)
    before = period_rows("first")
    place_a_candidate(vo_written_world[0])
    page = client.post(f"/planner/written/{plan.pk}/apply/", {"confirm": "1"}, follow=True).content.decode()
    assert "Niet toegepast: Deze periode heeft al zittingen met geplaatste kandidaten" in page
    assert period_rows("first") == before and WrittenPlanRun.objects.get().applied_at is None


def test_only_planners_get_in(vo_written_world, candidate, planner, django_capture_on_commit_callbacks):
    plan = planned(client_for(planner), AUGUST, django_capture_on_commit_callbacks)
    before = period_rows("resit-august")
    outsider = client_for(candidate.user)
    for response in (outsider.get("/planner/written/"), outsider.get(f"/planner/written/{plan.pk}/"),
                     outsider.post("/planner/written/", AUGUST),
                     outsider.post(f"/planner/written/{plan.pk}/apply/", {"confirm": "1"})):
        assert response.status_code == 302 and "/login/" in response.url
    assert WrittenPlanRun.objects.count() == 1 and period_rows("resit-august") == before


def test_the_dutch_page_names_a_plan_as_a_noun_and_its_button_as_a_verb(planner):
    page = client_for(planner).get("/planner/written/").content.decode()
    assert '<th scope="col">Planning</th>' in page and '<button type="submit">Plannen</button>' in page
