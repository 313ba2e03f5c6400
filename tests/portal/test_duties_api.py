"""An examiner's duties through the API: everything a client shows in one call, and accepting or declining
a proposed duty by the same rules as the examiner's page."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.test import Client

from exams.models import Availability, Examiner, ExamSession, StaffAssignment

from .test_api import assert_error

pytestmark = pytest.mark.django_db


def duty(session, examiner, status="proposed", role="invigilator"):
    return StaffAssignment.objects.create(session=session, examiner=examiner, role=role, status=status)


def test_a_duty_carries_times_place_parts_colleagues_and_links(make_session, examiner, api_for):
    session = make_session("NT2-II-LZ", days=5, hour=9)
    mine = duty(session, examiner, status="published")
    petra = Examiner.objects.create(first_name="Petra", last_name="Smit", email="p@example.org")
    duty(session, petra, status="accepted", role="examinator")
    gone = Examiner.objects.create(first_name="Kees", last_name="Vos", email="k@example.org")
    duty(session, gone, status="declined")
    client = api_for(examiner.user)
    row = client.client.get(f"/api/v1/assignments/{mine.pk}", HTTP_AUTHORIZATION=f"Bearer {client.token}",
                            HTTP_ACCEPT_LANGUAGE="en").json()
    location = session.room.location
    starts = datetime.fromisoformat(row["starts_at"])
    assert starts == session.starts_at and starts.utcoffset() == location.local(session.starts_at).utcoffset()
    assert datetime.fromisoformat(row["ends_at"]) == session.ends_at
    assert row["day"] == location.local(session.starts_at).date().isoformat()
    assert datetime.fromisoformat(row["arrive_at"]) < starts
    assert (row["location"], row["location_name"], row["room"]) == (location.code, location.name, "Computerzaal 1")
    assert row["address"] == f"{location.street}, {location.postcode} {location.city}"
    assert row["parts"] == [{"code": "NT2-II-LZ", "name": session.parts.get().name_en}]
    assert (row["role"], row["role_name"], row["status"], row["status_name"]) == (
        "invigilator", "invigilator", "published", "published")
    assert row["answers"] == ["accept", "decline", "sick"]
    assert row["colleagues"] == [{"name": "Petra Smit", "role": "examinator", "role_name": "examiner"}]
    examiner.refresh_from_db()
    assert row["links"]["calendar_feed"] == f"http://testserver/examiner/feed/{examiner.feed_key}.ics"
    pdf = client.get(row["links"]["schedule_pdf"].removeprefix("http://testserver"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert [r["id"] for r in client.get("/api/v1/me/assignments").json()] == [mine.pk]
    assert client.get("/api/v1/me/assignments").json()[0] == client.get(f"/api/v1/assignments/{mine.pk}").json()


def test_reading_duties_writes_nothing_every_examiner_has_a_feed_link_from_the_start(
        make_session, examiner, api_for):
    import importlib

    from django.apps import apps

    mine = duty(make_session(days=5), examiner, status="published")
    assert Examiner.objects.create(first_name="Nina", last_name="Bos", email="n@example.org").feed_key
    key = examiner.feed_key
    client, page = api_for(examiner.user), Client()
    page.force_login(examiner.user)
    assert key and client.get("/api/v1/me/assignments").json()[0]["links"]["calendar_feed"].endswith(f"/{key}.ics")
    Examiner.objects.filter(pk=examiner.pk).update(feed_key=None)  # an examiner without a link
    assert client.get("/api/v1/me/assignments").json()[0]["links"]["calendar_feed"] is None
    assert client.get(f"/api/v1/assignments/{mine.pk}").json()["links"]["calendar_feed"] is None
    assert "You have no calendar link" in page.get("/examiner/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    examiner.refresh_from_db()
    assert examiner.feed_key is None  # none of those reads made one
    page.post("/examiner/feed/new/")  # the examiner asks for one: a POST
    examiner.refresh_from_db()
    assert client.get(f"/api/v1/assignments/{mine.pk}").json()["links"]["calendar_feed"].endswith(
        f"/{examiner.feed_key}.ics")
    # Examiners of before the migration without a key get one.
    Examiner.objects.update(feed_key=None)
    importlib.import_module("exams.migrations.0019_examiner_feed_key_for_everyone").keys_for_everyone(apps, None)
    keys = list(Examiner.objects.values_list("feed_key", flat=True))
    assert all(keys) and len(set(keys)) == len(keys)


def test_the_duty_list_asks_the_database_the_same_few_times_for_many_duties(make_session, examiner, api_for,
                                                                            django_assert_max_num_queries):
    for days in range(5, 15):
        duty(make_session(days=days), examiner)
    client = api_for(examiner.user)
    client.get("/api/v1/me/assignments")
    with django_assert_max_num_queries(9):
        assert len(client.get("/api/v1/me/assignments").json()) == 10


def test_an_examiner_accepts_or_declines_a_proposed_duty_with_a_reason(make_session, examiner, api_for):
    accepted, declined = duty(make_session(days=5), examiner), duty(make_session(days=6), examiner)
    version = accepted.session.version
    client = api_for(examiner.user)
    row = client.post(f"/api/v1/assignments/{accepted.pk}/accept").json()
    assert (row["status"], row["answers"]) == ("accepted", ["sick"])
    accepted.refresh_from_db()
    assert accepted.status == "accepted"
    assert ExamSession.objects.get(pk=accepted.session_id).version == version + 1  # calendars take the change
    body = assert_error(client.post(f"/api/v1/assignments/{declined.pk}/decline", {"reason": "  "}), 422,
                        "reason_required")
    assert "Say why you decline" in body["message"] or "Zeg waarom" in body["message"]
    assert_error(client.post(f"/api/v1/assignments/{declined.pk}/decline", {}), 422, "invalid")
    declined.refresh_from_db()
    assert declined.status == "proposed"
    row = client.post(f"/api/v1/assignments/{declined.pk}/decline", {"reason": "On holiday"}).json()
    assert (row["status"], row["decline_reason"], row["answers"]) == ("declined", "On holiday", [])
    assert not Availability.objects.exists()  # declining is not reporting sick


@pytest.mark.parametrize(("status", "days", "answer"), [
    ("withdrawn", 5, "accept"), ("declined", 5, "accept"), ("accepted", 5, "decline"), ("accepted", 5, "accept"),
    ("published", -2, "accept"), ("proposed", -2, "decline"),
])
def test_a_duty_that_no_longer_takes_the_answer_gives_409(make_session, examiner, api_for, status, days, answer):
    assignment = duty(make_session(days=days), examiner, status=status)
    body = assert_error(api_for(examiner.user).post(f"/api/v1/assignments/{assignment.pk}/{answer}",
                                                    {"reason": "busy"}), 409, "duty_closed")
    assert body["details"] == {"status": status, "answer": answer}
    assignment.refresh_from_db()
    assert assignment.status == status


def test_a_cancelled_session_takes_no_answer(make_session, examiner, api_for):
    assignment = duty(make_session(days=5, status="cancelled"), examiner)
    assert_error(api_for(examiner.user).post(f"/api/v1/assignments/{assignment.pk}/accept"), 409, "duty_closed")


def test_someone_elses_duty_is_not_found_and_the_page_keeps_its_own_rules(make_session, examiner, candidate,
                                                                         api_for):
    other = Examiner.objects.create(first_name="Eva", last_name="Smit", email="eva@example.org")
    theirs = duty(make_session(days=5), other)
    assert_error(api_for(examiner.user).post(f"/api/v1/assignments/{theirs.pk}/accept"), 404, "not_found")
    assert_error(api_for(candidate.user).post(f"/api/v1/assignments/{theirs.pk}/accept"), 404, "not_found")
    assert_error(api_for(candidate.user).get("/api/v1/me/schedule.pdf"), 404, "not_found")
    theirs.refresh_from_db()
    assert theirs.status == "proposed"
    # The page answers through the same service: a withdrawn duty is refused there with the same words.
    withdrawn = duty(make_session(days=6), examiner, status="withdrawn")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(examiner.user)
    page = browser.post(f"/examiner/assignments/{withdrawn.pk}/answer/", {"answer": "accept"}, follow=True)
    assert "This duty can no longer be answered that way: it is withdrawn" in page.content.decode()
    page = browser.post(f"/examiner/assignments/{withdrawn.pk}/answer/", {"answer": "maybe"}, follow=True)
    assert "Choose accept, decline or sick." in page.content.decode()


def test_the_schedule_pdf_period_must_run_forward(examiner, api_for):
    day = (datetime.now().date() + timedelta(days=3)).isoformat()
    earlier = datetime.now().date().isoformat()
    assert_error(api_for(examiner.user).get("/api/v1/me/schedule.pdf", date_from=day, date_to=earlier), 422,
                 "invalid_date_range")


def test_an_examiner_reports_sick_for_a_period_and_the_planners_see_the_duties_to_fill(make_session, examiner,
                                                                                      api_for):
    from django.utils import timezone

    from exams.planning.workspace import holes

    today = timezone.localdate()
    published, accepted = duty(make_session(days=2), examiner, "published"), duty(make_session(days=4), examiner,
                                                                                  "accepted")
    later = duty(make_session(days=10), examiner, "accepted")
    client = api_for(examiner.user)
    body = client.post("/api/v1/me/sick", {"date_from": str(today + timedelta(days=2)),
                                           "date_to": str(today + timedelta(days=5)), "note": "Flu"}).json()
    assert (body["date_from"], body["date_to"]) == (str(today + timedelta(days=2)), str(today + timedelta(days=5)))
    assert [(d["id"], d["status"], d["decline_reason"], d["answers"]) for d in body["duties"]] == [
        (published.pk, "declined", "Flu", []), (accepted.pk, "declined", "Flu", [])]
    later.refresh_from_db()
    assert later.status == "accepted"
    assert sorted(Availability.objects.filter(examiner=examiner, available=False)
                  .values_list("on_date", flat=True)) == [today + timedelta(days=n) for n in range(2, 6)]
    # The planners are told as for a duty reported sick on the examiner's page: the duties are holes to fill.
    found = {hole.assignment.pk: hole.why for hole in holes(start=today, days=42)}
    assert set(found) == {published.pk, accepted.pk} and "Flu" in found[published.pk]
    # Again for the same days: nothing left to report sick for, the days stay blocked.
    again = client.post("/api/v1/me/sick", {"date_from": str(today + timedelta(days=2))}).json()
    assert (again["date_to"], again["duties"]) == (str(today + timedelta(days=2)), [])


def test_reporting_sick_refuses_a_bad_period_and_accounts_that_are_not_exam_staff(make_session, examiner,
                                                                                  candidate, api_for):
    from django.utils import timezone

    today = timezone.localdate()
    mine = duty(make_session(days=3), examiner, "accepted")
    client = api_for(examiner.user)
    day = lambda n: str(today + timedelta(days=n))  # noqa: E731
    assert_error(client.post("/api/v1/me/sick", {"date_from": day(3), "date_to": day(2)}), 422, "bad_period")
    assert_error(client.post("/api/v1/me/sick", {"date_from": day(-1), "date_to": day(3)}), 422,
                 "period_in_past")
    assert_error(client.post("/api/v1/me/sick", {"date_from": day(1), "date_to": day(400)}), 422,
                 "period_too_long")
    assert_error(client.post("/api/v1/me/sick", {"date_from": "3-1-2030"}), 422, "invalid")
    assert_error(client.post("/api/v1/me/sick", {"date_from": day(1), "note": "x" * 301}), 422, "invalid")
    assert_error(api_for(candidate.user).post("/api/v1/me/sick", {"date_from": day(3)}), 403, "forbidden")
    mine.refresh_from_db()
    assert mine.status == "accepted"
    assert not Availability.objects.filter(on_date__isnull=False).exists()
