"""Roster versions: compare a run with the published roster, publish only the differences, tell exactly the
people affected (in their language, with a calendar update), repair a disruption keeping everyone else, pin,
refuse stale publishes, and undo a publish by publishing the roster before it."""

from __future__ import annotations

from datetime import time

import pytest
from django.core import mail
from django.utils import translation

from exams.errors import Conflict, RuleViolation
from exams.models import (
    Availability,
    Candidate,
    PlacementRequest,
    Registration,
    RosterVersion,
    StaffAssignment,
)
from exams.planning import roster, runs, workspace

from .test_planning import START, vo_world  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def solved(scope, seed=1):
    run = runs.run_execute(run_id=runs.run_create(scope=scope, time_limit=10, seed=seed).pk)
    assert run.status == "done", run.error
    return run


def publish(run, capture, confirm_vacancies=False):
    with capture(execute=True):
        return roster.publish_run(run=run, confirm_vacancies=confirm_vacancies)


def placements():
    return {r.pk: r.registration.session_id for r in PlacementRequest.objects.filter(status="placed")
            .select_related("registration")}


def duties():
    return set(StaffAssignment.objects.filter(status__in=["proposed", "published", "accepted"])
               .values_list("examiner_id", "session_id", "role"))


def test_first_publish_adds_everyone_and_tells_each_person_once(vo_world, django_capture_on_commit_callbacks):
    run = solved(vo_world)
    comparison = roster.compare_run(run)
    assert comparison.counts()["added"] == 12 and comparison.counts()["moved"] == 0
    Candidate.objects.filter(email="vo0@example.org").update(language="en")
    version = publish(run, django_capture_on_commit_callbacks)
    assert version.counts["added"] == 12 and version.counts["staff_added"] == StaffAssignment.objects.count()
    assert Registration.objects.filter(status="confirmed").count() == 12
    examiners = StaffAssignment.objects.values("examiner").distinct().count()
    assert len(mail.outbox) == 6 + examiners  # one message per candidate and per examiner on duty
    english = next(m for m in mail.outbox if m.to == ["vo0@example.org"])
    dutch = next(m for m in mail.outbox if m.to == ["vo1@example.org"])
    assert english.subject == "Your exam schedule has changed" and dutch.subject == "Je examenrooster is gewijzigd"
    calendar = english.attachments[0][1]
    assert calendar.count("BEGIN:VEVENT") == 2 and "STATUS:CONFIRMED" in calendar
    version.refresh_from_db()
    assert version.notified == len(mail.outbox)
    roster._queue_notify(version.pk)  # a redelivered job sends nothing again
    assert len(mail.outbox) == 6 + examiners


def test_repair_after_an_examiner_falls_ill_changes_only_that_examiners_duties(
        vo_world, django_capture_on_commit_callbacks):
    publish(solved(vo_world), django_capture_on_commit_callbacks)
    before_places, before_duties = placements(), duties()
    ill = StaffAssignment.objects.select_related("session__room__location").first()
    day = ill.session.local_starts_at.date()
    workspace.examiner_unavailable(examiner=ill.examiner, start=day, end=day, reason="ill")
    repair_run = solved(vo_world, seed=2)
    change = roster.compare_run(repair_run)
    assert change.counts()["moved"] == change.counts()["added"] == change.counts()["removed"] == 0
    lost = {d for d in before_duties if d[0] == ill.examiner_id and
            StaffAssignment.objects.get(examiner_id=d[0], session_id=d[1]).session.local_starts_at.date() == day}
    assert {c.examiner_id for c in change.changes if c.kind == "staff_removed"} == {ill.examiner_id}
    assert change.counts()["staff_removed"] == len(lost)
    # Nobody else can take the ill examiner's place in one oral that afternoon: the repair leaves a vacancy,
    # published knowingly.
    (vacancy,) = runs.run_explanation(repair_run)["uncovered"]
    assert repair_run.summary["vacancies"] == 1 and vacancy["role"] in ("examinator", "second")
    with pytest.raises(Conflict, match="staff places empty"):
        publish(repair_run, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    version = publish(repair_run, django_capture_on_commit_callbacks, confirm_vacancies=True)
    assert placements() == before_places  # every candidate stays where they were
    assert duties() == (before_duties - lost) | {d for d in duties() if d not in before_duties}
    assert all(d[0] != ill.examiner_id for d in duties() - before_duties)
    told = {m.to[0] for m in mail.outbox}
    affected = {c.examiner_id for c in change.changes}
    assert len(mail.outbox) == len(affected) and not any(t.startswith("vo") for t in told)
    assert version.counts["kept"] > 0
    # The disruptions page still lists the vacancy: the withdrawn duty nobody took over, with who may.
    with translation.override("en"):
        (hole,) = [h for h in workspace.holes(start=day, days=1) if h.assignment.status == "withdrawn"]
    assert hole.assignment.examiner_id == ill.examiner_id
    assert hole.assignment.role == {"examinator": "examinator", "second": "second_examiner"}[vacancy["role"]]
    assert "Nobody took over from" in hole.why


def test_a_run_made_before_another_publish_is_refused_as_stale(vo_world, django_capture_on_commit_callbacks):
    first, second = solved(vo_world, seed=1), solved(vo_world, seed=2)
    publish(first, django_capture_on_commit_callbacks)
    with pytest.raises(Conflict, match="changed after this roster was made"):
        publish(second, django_capture_on_commit_callbacks)
    assert RosterVersion.objects.count() == 1


def test_undo_publishes_the_roster_before_and_tells_everyone_again(vo_world, django_capture_on_commit_callbacks):
    version = publish(solved(vo_world), django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        undo = roster.undo(version=version)
    assert undo.kind == "undo" and undo.reverts == version and undo.counts["removed"] == 12
    assert not Registration.objects.filter(status="confirmed").exists()
    assert PlacementRequest.objects.filter(status="waiting").count() == 12
    assert not duties()
    version.refresh_from_db()
    assert len(mail.outbox) == version.notified
    with pytest.raises(Conflict, match="already been undone"):
        roster.undo(version=version)
    again = solved(vo_world, seed=3)  # the requests can be placed again
    assert roster.compare_run(again).counts()["added"] == 12


def test_undo_is_refused_when_the_old_roster_breaks_a_hard_rule_now(vo_world, django_capture_on_commit_callbacks):
    publish(solved(vo_world), django_capture_on_commit_callbacks)
    ill = StaffAssignment.objects.select_related("session__room__location").first()
    day = ill.session.local_starts_at.date()
    workspace.examiner_unavailable(examiner=ill.examiner, start=day, end=day, reason="ill")
    repaired = publish(solved(vo_world, seed=2), django_capture_on_commit_callbacks, confirm_vacancies=True)
    with translation.override("en"), pytest.raises(RuleViolation, match="no longer holds: .* not available on"):
        roster.undo(version=repaired)
    with translation.override("nl"), pytest.raises(RuleViolation, match="klopt niet meer: .* niet beschikbaar op"):
        roster.undo(version=repaired)
    Availability.objects.filter(examiner=ill.examiner, on_date=day).delete()
    Availability.objects.get_or_create(examiner=ill.examiner, weekday=day.weekday(),
                                       defaults={"starts": time(8), "ends": time(17)})
    assert roster.undo(version=repaired).kind == "undo"


def test_pinned_placements_and_duties_survive_a_repair(vo_world, django_capture_on_commit_callbacks):
    publish(solved(vo_world), django_capture_on_commit_callbacks)
    request = PlacementRequest.objects.filter(status="placed").select_related("registration").first()
    duty = StaffAssignment.objects.exclude(session=request.registration.session).first()
    workspace.pin_set(obj=request, pinned=True, actor=None)
    workspace.pin_set(obj=duty, pinned=True, actor=None)
    scenario = runs.scenario_from_db(vo_world)
    assert {(p.request_id, p.examiner_id) for p in scenario.pins} == {(f"R{request.pk}", ""),
                                                                       ("", f"E{duty.examiner_id}")}
    assert scenario.published is not None and len(scenario.published.placements) == 12
    change = roster.compare_run(solved(vo_world, seed=5))
    assert f"R{request.pk}" not in {c.ref for c in change.changes}
    assert not [c for c in change.changes if c.examiner_id == duty.examiner_id and c.kind == "staff_removed"]


def test_a_closed_room_is_repaired_by_moving_only_its_candidates(vo_world, django_capture_on_commit_callbacks):
    from exams.models import ExamSession, Location

    publish(solved(vo_world), django_capture_on_commit_callbacks)
    before = placements()
    session = ExamSession.objects.filter(registrations__status="confirmed").select_related("room__location").first()
    day = session.local_starts_at.date()
    workspace.location_closed(location=Location.objects.get(code="VO-AMF"), room=session.room, start=day, end=day,
                              reason="water damage", actor=None)
    session.refresh_from_db()
    assert session.status == "closed"  # placed by the agency: left for the solver's repair
    change = roster.compare_run(solved(vo_world, seed=4))
    hit = {pk for pk, sid in before.items() if sid == session.pk}
    moved = {int(c.ref[1:]) for c in change.changes if c.kind == "moved"}
    assert hit and hit <= moved
    same_day = {pk for pk, sid in before.items()
                if ExamSession.objects.get(pk=sid).room_id == session.room_id and
                ExamSession.objects.get(pk=sid).local_starts_at.date() == day}
    assert moved <= same_day | {r.pk for r in PlacementRequest.objects.filter(
        candidate__in=PlacementRequest.objects.filter(pk__in=hit).values("candidate"))}


def test_compare_publish_and_undo_through_the_api(vo_world, planner, api_for, django_capture_on_commit_callbacks):
    api = api_for(planner)
    run = solved(vo_world)
    compared = api.get(f"/api/v1/scheduling/runs/{run.pk}/compare").json()
    assert compared["counts"]["added"] == 12 and compared["changes"][0]["kind"] == "added"
    with django_capture_on_commit_callbacks(execute=True):
        version = api.post(f"/api/v1/scheduling/runs/{run.pk}/publish", {}).json()
    assert version["counts"]["added"] == 12 and version["kind"] == "publish"
    assert api.post(f"/api/v1/scheduling/runs/{run.pk}/publish", {}).json()["code"] == "already_published"
    assert [v["id"] for v in api.get("/api/v1/scheduling/versions").json()] == [version["id"]]
    with django_capture_on_commit_callbacks(execute=True):
        undo = api.post(f"/api/v1/scheduling/versions/{version['id']}/undo", {})
    assert undo.status_code == 200 and undo.json()["reverts_id"] == version["id"]
    again = api.post(f"/api/v1/scheduling/versions/{version['id']}/undo", {})
    assert again.status_code == 409 and again.json()["code"] == "already_undone"


def test_a_duty_reported_sick_is_filled_by_the_next_repair(vo_world, django_capture_on_commit_callbacks):
    from django.test import Client

    from exams.models import User

    publish(solved(vo_world), django_capture_on_commit_callbacks)
    duty = StaffAssignment.objects.select_related("examiner", "session").first()
    user = User.objects.create_user(email="sick.examiner@example.org", password="Examiner-12345")
    duty.examiner.user = user
    duty.examiner.save(update_fields=["user"])
    client = Client()
    client.force_login(user)
    client.post(f"/examiner/assignments/{duty.pk}/answer/", {"answer": "sick", "confirm": "1"})
    duty.refresh_from_db()
    assert duty.status == "declined"
    _reserve_examiner(duty)  # someone is free to step in, whatever the first roster looked like
    change = roster.compare_run(solved(vo_world, seed=6))
    added = [c for c in change.changes if c.kind == "staff_added"]
    assert added and all(c.examiner_id != duty.examiner_id for c in added)
    assert not [c for c in change.changes if c.kind in ("moved", "added", "removed")]
    publish(solved(vo_world, seed=6), django_capture_on_commit_callbacks)
    duty.refresh_from_db()
    assert duty.status == "declined"  # the answer stays on record
    covering = StaffAssignment.objects.filter(session=duty.session, role=duty.role, status="published")
    assert covering.exclude(examiner=duty.examiner).exists()


def _reserve_examiner(duty):
    """A fifth examiner, qualified for every role and subject of the world and free every weekday."""
    from exams.models import Examiner, Qualification

    reserve = Examiner.objects.create(first_name="Re", last_name="Serve", email="reserve@example.org",
                                      home_location=duty.session.room.location)
    for q in Qualification.objects.filter(examiner=duty.examiner):
        Qualification.objects.create(examiner=reserve, role=q.role, family=q.family, subject=q.subject, level=q.level)
    for weekday in range(5):
        Availability.objects.create(examiner=reserve, weekday=weekday, starts=time(8), ends=time(17))
    return reserve


def test_an_examiner_ill_tomorrow_is_replaced_by_a_repair_within_the_notice(
        vo_world, django_capture_on_commit_callbacks, monkeypatch):
    """The roster is published; the evening before a sitting day (well within the candidates' week of notice)
    an examiner falls ill. An ordinary run may not start before the notice ends; a repair may, and changes the
    staff only: every candidate stays where they were summoned to."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from exams.planning.adapter import Scope

    publish(solved(vo_world), django_capture_on_commit_callbacks)
    before_places = placements()
    ill = StaffAssignment.objects.select_related("session__room__location", "examiner").first()
    day = ill.session.local_starts_at.date()
    _reserve_examiner(ill)
    evening_before = datetime.combine(day - timedelta(days=1), time(19), tzinfo=ZoneInfo("Europe/Amsterdam"))
    monkeypatch.setattr(timezone, "now", lambda: evening_before)
    workspace.examiner_unavailable(examiner=ill.examiner, start=day, end=day, reason="ill")
    scope = Scope(date_from=day, date_to=day, family="vo")
    with pytest.raises(RuleViolation) as refused:
        runs.run_create(scope=scope, time_limit=10)
    assert refused.value.code == "period_within_notice"
    repair = runs.run_execute(run_id=runs.run_create(scope=scope, time_limit=10, seed=3, repair=True).pk)
    assert repair.status == "done", repair.error
    assert repair.date_from == day
    change = roster.compare_run(repair)
    assert not [c for c in change.changes if c.kind in ("moved", "added", "removed")]
    assert {c.examiner_id for c in change.changes if c.kind == "staff_removed"} == {ill.examiner_id}
    assert [c for c in change.changes if c.kind == "staff_added"]
    publish(repair, django_capture_on_commit_callbacks, confirm_vacancies=True)
    assert placements() == before_places
    on_that_day = StaffAssignment.objects.filter(session__starts_at__date=day,
                                                 status__in=["proposed", "published", "accepted"])
    assert not on_that_day.filter(examiner=ill.examiner).exists()


def _event(calendar: str, uid: str) -> dict[str, str]:
    for block in calendar.replace("\r\n ", "").split("BEGIN:VEVENT")[1:]:
        fields = dict(line.split(":", 1) for line in block.split("END:VEVENT")[0].strip().splitlines())
        if fields["UID"] == uid:
            return fields
    return {}


def test_a_withdrawn_duty_is_cancelled_in_the_feed_and_the_e_mail_with_a_higher_sequence(
        vo_world, django_capture_on_commit_callbacks):
    from django.test import Client

    publish(solved(vo_world), django_capture_on_commit_callbacks)
    ill = StaffAssignment.objects.select_related("session__room__location", "examiner").first()
    uid, key = f"assignment-{ill.pk}@exams", ill.examiner.feed_key_renew()
    added = _event(next(m for m in mail.outbox if m.to == [ill.examiner.email]).attachments[0][1], uid)
    feed = lambda: _event(Client().get(f"/examiner/feed/{key}.ics").content.decode(), uid)  # noqa: E731
    before = feed()
    assert before["STATUS"] == added["STATUS"] == "CONFIRMED" and before["SEQUENCE"] == added["SEQUENCE"]
    day = ill.session.local_starts_at.date()
    workspace.examiner_unavailable(examiner=ill.examiner, start=day, end=day, reason="ill")
    mail.outbox.clear()
    publish(solved(vo_world, seed=2), django_capture_on_commit_callbacks, confirm_vacancies=True)
    assert StaffAssignment.objects.get(pk=ill.pk).status == "withdrawn"
    removed = _event(next(m for m in mail.outbox if m.to == [ill.examiner.email]).attachments[0][1], uid)
    after = feed()
    assert after["STATUS"] == removed["STATUS"] == "CANCELLED"
    assert int(after["SEQUENCE"]) == int(removed["SEQUENCE"]) > int(before["SEQUENCE"])
