"""What a planner reads on the workspace's pages: the run result in words (names, counts, scores), lists
summarised with the rest one click away, outdated runs and versions that say so instead of offering a
button that is always refused."""

from __future__ import annotations

import re

import pytest

from exams.models import ExamSession, PlanningRun, RosterVersion

from ..exams.test_planning import vo_world  # noqa: F401  (a fixture)
from .test_planner_pages import dutch, finished_run_with_explanations, logged_in, replaceable_duty

pytestmark = pytest.mark.django_db


def test_penalty_chart_shows_small_penalties_beside_a_huge_one_and_never_cuts_a_value():
    """One unplaced request costs 100,000,000 points; on a linear scale the 40 points of travel were no bar
    at all and the big value's label ran past the picture ('100.000.00')."""
    from portal.charts import Bar, bar_chart

    svg = bar_chart([Bar("Place every request", 100_000_000), Bar("Travel distance", 40)], title="Penalty",
                    log=True)
    width = float(re.search(r'viewBox="0 0 (\d+)', svg).group(1))
    big, small = (float(w) for w in re.findall(r'width="([\d.]+)" height="12"', svg))
    assert small > big / 5  # the small one is a visible bar
    for x, text in re.findall(r'<text x="([\d.]+)" y="\d+" class="chart-value">([^<]+)</text>', svg):
        assert float(x) + len(text) * 7.5 <= width, text
    assert ">100,000,000<" in svg or ">100.000.000<" in svg


def test_long_explanations_show_the_first_ten_and_the_rest_behind_a_click(vo_world, planner):  # noqa: F811
    run = finished_run_with_explanations(vo_world)  # eleven requests not placed
    page = logged_in(planner).get(f"/planner/runs/{run.pk}/").content.decode()
    section = page[page.index("Not placed (11)"):page.index("Sessions without enough staff")]
    shown, hidden = section.split("<details>")
    assert shown.count("<li>") == 10 and hidden.count("<li>") == 1 and "Show 1 more</summary>" in hidden
    assert "Toon nog 1</summary>" in dutch(planner).get(f"/planner/runs/{run.pk}/").content.decode()


def test_the_score_of_a_repair_run_says_its_gap_means_nothing(
        vo_world, planner, django_capture_on_commit_callbacks):  # noqa: F811
    from exams.planning import runs

    with django_capture_on_commit_callbacks(execute=True):
        runs.run_publish(run=runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk))
    repair = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk)
    PlanningRun.objects.filter(pk=repair.pk).update(bound=1, gap=1.0)
    page = logged_in(planner).get(f"/planner/runs/{repair.pk}/").content.decode()
    assert "This run repairs the published roster" in page and "100.00 %" not in page


def test_a_run_made_before_a_newer_publish_says_it_is_outdated_and_offers_to_run_again(
        vo_world, planner, django_capture_on_commit_callbacks):  # noqa: F811
    from exams.planning import runs

    older = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk)
    newer = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk)
    client = logged_in(planner)
    assert "Publish this roster" in client.get(f"/planner/runs/{older.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        runs.run_publish(run=newer)
    version = RosterVersion.objects.get()
    page = client.get(f"/planner/runs/{older.pk}/").content.decode()
    assert "This run is outdated" in page and f"Version {version.pk} was published after this run" in page
    assert "Publish this roster" not in page and f'action="/planner/runs/{older.pk}/publish/"' not in page
    again = re.search(r'<form method="post" action="/planner/runs/"[^>]*>(.*?)</form>', page, re.S).group(1)
    assert 'name="family" value="vo"' in again and 'name="from" value="2027-06-14"' in again
    assert "Run again with the same scope" in again
    assert "Deze berekening is verouderd" in dutch(planner).get(f"/planner/runs/{older.pk}/").content.decode()


def _booked(candidate, session):
    from exams.services.bookings import SeatRequest, booking_confirm, booking_create

    booking = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
    booking_confirm(booking=booking)
    return booking.registrations.get()


def _roster_of(client, session) -> str:
    day = session.local_starts_at.date().isoformat()
    return client.get("/planner/roster/", {"location": "AMS", "date": day}).content.decode()


def test_the_outcome_of_a_check_shows_at_the_form_with_the_choice_kept(make_session, candidate, planner):
    """The redirect went to the session while the message stood at the top of the page, off screen, and the
    picker was reset: the outcome now stands beside the form it came from, the chosen session still chosen."""
    first, later = make_session("NT2-II-LZ", days=20, hour=9), make_session("NT2-II-LZ", days=22, hour=13)
    registration = _booked(candidate, first)
    client = logged_in(planner)
    response = client.post(f"/planner/registrations/{registration.pk}/move/",
                           {"session": later.pk, "version": first.version, "preview": "1"})
    assert response.url.endswith("#outcome")
    page = _roster_of(client, first)
    row = page[page.index(f'id="move-{registration.pk}"'):]
    row = row[:row.index("</li>")]
    assert 'id="outcome"' in row and "Check: allowed." in row
    assert f'<option value="{later.pk}" selected>' in row
    assert 'class="messages"' not in page  # not at the top as well
    assert 'id="outcome"' not in _roster_of(client, first)  # shown once


def test_check_and_move_give_the_same_reasons_and_only_open_future_sessions_with_room_are_offered(
        make_session, candidate, planner):
    first = make_session("NT2-II-LZ", days=20, hour=9)
    target = make_session("NT2-II-LZ", days=22, hour=13, capacity=1)
    past = make_session("NT2-II-LZ", days=-3, hour=9)
    free = make_session("NT2-II-LZ", days=24, hour=9)
    registration = _booked(candidate, first)
    _booked(candidate, make_session("NT2-II-SC", days=22, hour=13, room="Computerzaal 2"))  # the same time
    ExamSession.objects.filter(pk=target.pk).update(seats_booked=1)  # and full
    client = logged_in(planner)
    offered = _roster_of(client, first)
    picker = offered[offered.index(f'id="move-{registration.pk}"'):]
    picker = picker[:picker.index("</select>")]
    assert f'value="{free.pk}"' in picker
    assert f'value="{target.pk}"' not in picker and f'value="{past.pk}"' not in picker

    def reason(**extra) -> str:
        client.post(f"/planner/registrations/{registration.pk}/move/",
                    {"session": target.pk, "version": first.version, **extra})
        page = _roster_of(client, first)
        return re.search(r'id="outcome"[^>]*>(?:Check: not allowed|Not changed): ([^<]*)</p>', page).group(1)

    checked, moved = reason(preview="1"), reason()
    assert checked == moved and "Reading clashes with Writing" in checked and checked.endswith("That session is full.")
    assert registration.__class__.objects.get(pk=registration.pk).session_id == first.pk


def test_publish_undo_and_apply_need_a_ticked_confirmation(
        vo_world, planner, django_capture_on_commit_callbacks):  # noqa: F811
    from exams.models import WrittenPlanRun
    from exams.planning import runs

    run = runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk)
    client = logged_in(planner)
    page = client.get(f"/planner/runs/{run.pk}/").content.decode()
    assert 'name="confirm" value="1" required' in page and 'class="busy-on-submit"' in page
    assert "portal/busy.js" in page
    refused = client.post(f"/planner/runs/{run.pk}/publish/", follow=True).content.decode()
    assert "Not published: tick that you have checked the changes." in refused
    assert not RosterVersion.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/planner/runs/{run.pk}/publish/", {"confirm": "1"})
    version = RosterVersion.objects.get()
    refused = client.post(f"/planner/versions/{version.pk}/undo/", follow=True).content.decode()
    assert "Not undone: tick that you want to undo this version." in refused
    assert RosterVersion.objects.count() == 1
    plan = WrittenPlanRun.objects.create(period="first", date_from="2027-06-14", date_to="2027-06-25",
                                         time_limit=30)
    refused = client.post(f"/planner/written/{plan.pk}/apply/", follow=True).content.decode()
    assert "Not applied: tick that you have checked the dates." in refused


def test_undoing_an_older_version_says_which_newer_one_to_undo_first(
        vo_world, planner, django_capture_on_commit_callbacks):  # noqa: F811
    from exams.models import PlacementRequest
    from exams.planning import runs

    with django_capture_on_commit_callbacks(execute=True):
        runs.run_publish(run=runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk))
    first = RosterVersion.objects.get()
    # A second version changes the same roster: one candidate is taken off it (a pin elsewhere would do too).
    from exams.planning.roster import _publish, scope_from_json
    from scheduling import model as sm
    from scheduling import scenario_io

    after = scenario_io.solution_from_json(first.after)
    fewer = sm.Solution(after.sessions, after.placements[1:], after.staff)
    with django_capture_on_commit_callbacks(execute=True):
        second = _publish(scenario=scenario_io.scenario_from_json(first.scenario),
                          scope=scope_from_json(first.scope), expected=after, target=fewer,
                          kind=RosterVersion.Kind.PUBLISH, run=None, reverts=None, actor=None)
    assert PlacementRequest.objects.filter(status="waiting").count() == 1
    client = logged_in(planner)
    page = client.get(f"/planner/versions/{first.pk}/").content.decode()
    assert f"Version {second.pk} was published after this one and changed the same roster; undo version " \
           f"{second.pk} first." in page
    assert f'action="/planner/versions/{first.pk}/undo/"' not in page  # no button that is always refused
    refused = client.post(f"/planner/versions/{first.pk}/undo/", {"confirm": "1"}, follow=True)
    refused = refused.content.decode()
    assert f"Not undone: Version {second.pk} was published after this one" in refused
    assert f"draai eerst versie {second.pk} terug" in dutch(planner).post(
        f"/planner/versions/{first.pk}/undo/", {"confirm": "1"}, follow=True).content.decode()
    assert f'action="/planner/versions/{second.pk}/undo/"' in client.get(f"/planner/versions/{second.pk}/"
                                                                         ).content.decode()


def test_a_hand_replacement_is_audited_and_both_examiners_are_told(
        vo_world, planner, django_capture_on_commit_callbacks):  # noqa: F811
    from django.core import mail

    from exams.models import AuditEvent
    from exams.planning import runs, workspace

    with django_capture_on_commit_callbacks(execute=True):
        runs.run_publish(run=runs.run_execute(run_id=runs.run_create(scope=vo_world, time_limit=5).pk))
    duty = replaceable_duty()
    fit = workspace.fitting_examiners(session=duty.session, role=duty.role, exclude=(duty.examiner_id,))[0]
    leaving, taking = duty.examiner, fit.examiner
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(planner).post(f"/planner/assignments/{duty.pk}/replace/",
                                {"examiner": taking.pk, "version": duty.session.version})
    entry = AuditEvent.objects.get(action="duty_replaced")
    assert entry.object_id == str(duty.pk) and entry.details["before"] == leaving.pk
    assert entry.details["after"] == taking.pk and entry.actor_id == planner.pk
    told = {m.to[0]: m for m in mail.outbox}
    assert set(told) == {leaving.email, taking.email}
    assert "Dienst vervallen" in told[leaving.email].body or "Duty withdrawn" in told[leaving.email].body
    assert "STATUS:CANCELLED" in told[leaving.email].attachments[0][1]
    assert "STATUS:CANCELLED" not in told[taking.email].attachments[0][1]


def test_a_session_is_named_by_its_locations_clock_not_utc(make_session):
    """The admin titled a 09:00 sitting '... 08:00' (UTC in winter)."""
    session = ExamSession.objects.get(pk=make_session(days=30, hour=9).pk)  # read back: stored in UTC
    assert str(session).endswith(session.local_starts_at.strftime("%Y-%m-%d 09:00"))
