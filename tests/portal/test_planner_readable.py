"""What a planner reads on the workspace's pages: the run result in words (names, counts, scores), lists
summarised with the rest one click away, outdated runs and versions that say so instead of offering a
button that is always refused."""

from __future__ import annotations

import re

import pytest

from exams.models import ExamSession, PlanningRun, RosterVersion

from ..exams.test_planning import vo_world  # noqa: F401  (a fixture)
from .test_planner_pages import dutch, finished_run_with_explanations, logged_in

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
    assert "Deze run is verouderd" in dutch(planner).get(f"/planner/runs/{older.pk}/").content.decode()


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
    assert checked == moved and "It clashes with" in checked and checked.endswith("That session is full.")
    assert registration.__class__.objects.get(pk=registration.pk).session_id == first.pk
