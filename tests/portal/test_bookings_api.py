"""The booking contract: POST /bookings holds seats (201), 409 when a seat is gone, 422 for a rule."""

from __future__ import annotations

from datetime import datetime

import pytest

from exams.models import Booking, ExamSession

from .test_api import assert_error

pytestmark = pytest.mark.django_db


def test_booking_two_parts_holds_seats_and_reports_the_amount(make_session, candidate, api_for):
    reading, listening = make_session("NT2-II-LZ"), make_session("NT2-II-LU", days=31)
    response = api_for(candidate.user).post("/api/v1/bookings", {"session_ids": [reading.pk, listening.pk]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "held"
    assert body["amount"] in ("100.00", 100, "100")
    assert datetime.fromisoformat(body["expires_at"]) > datetime.fromisoformat(body["created_at"])
    assert {r["session_id"] for r in body["registrations"]} == {reading.pk, listening.pk}
    assert api_for(candidate.user).get(f"/api/v1/bookings/{body['id']}").json()["status"] == "held"


def test_last_seat_gone_is_409_and_rule_is_422(make_session, candidate, other_candidate, api_for):
    last = make_session("NT2-II-LZ", capacity=1)
    assert api_for(other_candidate.user).post("/api/v1/bookings", {"session_ids": [last.pk]}).status_code == 201
    assert_error(api_for(candidate.user).post("/api/v1/bookings", {"session_ids": [last.pk]}), 409, "session_full")
    same_day = [make_session("NT2-II-LU", hour=9, days=40), make_session("NT2-II-SC", hour=14, days=40,
                                                                         room="Computerzaal 2")]
    body = assert_error(api_for(candidate.user).post("/api/v1/bookings", {"session_ids": [s.pk for s in same_day]}),
                        422, "one_part_per_day")
    assert "one_part_per_day" in str(body["details"])
    assert not Booking.objects.filter(candidate=candidate).exists()


@pytest.mark.parametrize("payload, status", [
    ({}, 422), ({"session_ids": []}, 422), ({"session_ids": ["x"]}, 422), ({"session_ids": list(range(11))}, 422),
    ({"session_ids": [987654]}, 404),
])
def test_bad_booking_requests(location, candidate, api_for, payload, status):
    assert_error(api_for(candidate.user).post("/api/v1/bookings", payload), status)


def test_another_candidates_booking_is_not_found(make_session, candidate, other_candidate, api_for):
    session = make_session()
    theirs = api_for(other_candidate.user).post("/api/v1/bookings", {"session_ids": [session.pk]}).json()["id"]
    assert_error(api_for(candidate.user).get(f"/api/v1/bookings/{theirs}"), 404)
    assert_error(api_for(candidate.user).post(f"/api/v1/bookings/{theirs}/cancel", {}), 404)
    assert_error(api_for().post("/api/v1/bookings", {"session_ids": [session.pk]}), 401)


def test_an_account_without_candidate_profile_cannot_book(make_session, examiner, api_for):
    assert_error(api_for(examiner.user).post("/api/v1/bookings", {"session_ids": [make_session().pk]}), 403,
                 "no_candidate_profile")


def test_staff_book_on_behalf_of_a_candidate_but_candidates_cannot(make_session, candidate, other_candidate, planner,
                                                                    api_for):
    session = make_session()
    body = {"session_ids": [session.pk], "candidate_id": other_candidate.pk}
    assert_error(api_for(candidate.user).post("/api/v1/bookings", body), 403)
    response = api_for(planner).post("/api/v1/bookings", body)
    assert response.status_code == 201
    booking = Booking.objects.get(pk=response.json()["id"])
    assert booking.candidate == other_candidate and booking.created_by == planner


def test_idempotency_key_replay_returns_the_same_booking(make_session, candidate, api_for):
    session = make_session(capacity=3)
    client = api_for(candidate.user)
    headers = {"HTTP_IDEMPOTENCY_KEY": "k-123"}
    first = client.client.post("/api/v1/bookings", {"session_ids": [session.pk]}, content_type="application/json",
                               **client._headers(), **headers)
    again = client.client.post("/api/v1/bookings", {"session_ids": [session.pk]}, content_type="application/json",
                               **client._headers(), **headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert ExamSession.objects.get(pk=session.pk).seats_booked == 1


def test_multi_part_session_needs_the_part(make_session, candidate, api_for):
    shared = make_session("INB-WI2021-LZ", "INB-WI2021-KNM")
    client = api_for(candidate.user)
    assert_error(client.post("/api/v1/bookings", {"session_ids": [shared.pk]}), 422, "part_required")
    ok = client.post("/api/v1/bookings", {"session_ids": [shared.pk], "parts": {str(shared.pk): "INB-WI2021-KNM"}})
    assert ok.status_code == 201


def test_cancel_an_unpaid_hold_returns_the_seat(make_session, candidate, api_for):
    session = make_session(capacity=2)
    client = api_for(candidate.user)
    booking = client.post("/api/v1/bookings", {"session_ids": [session.pk]}).json()
    response = client.post(f"/api/v1/bookings/{booking['id']}/cancel", {})
    assert response.status_code == 200
    assert response.json()["refund_due"] in ("0", "0.00", 0)
    assert client.get(f"/api/v1/bookings/{booking['id']}").json()["status"] == "cancelled"
    assert ExamSession.objects.get(pk=session.pk).seats_booked == 0
    assert_error(client.post(f"/api/v1/bookings/{booking['id']}/cancel", {}), 422, "nothing_to_cancel")


def test_change_to_another_sitting_keeps_the_booking(make_session, candidate, api_for):
    from exams.services.bookings import booking_confirm

    first, later = make_session("NT2-II-LZ", days=30), make_session("NT2-II-LZ", days=37)
    client = api_for(candidate.user)
    booking = client.post("/api/v1/bookings", {"session_ids": [first.pk]}).json()
    booking_confirm(booking=Booking.objects.get(pk=booking["id"]))
    registration_id = booking["registrations"][0]["id"]
    moved = client.post(f"/api/v1/registrations/{registration_id}/change", {"session_id": later.pk})
    assert moved.status_code == 200, moved.content
    assert moved.json()["session_id"] == later.pk and moved.json()["booking_id"] == booking["id"]
    assert [ExamSession.objects.get(pk=s.pk).seats_booked for s in (first, later)] == [0, 1]
    wrong_part = make_session("NT2-II-LU", days=44)
    assert_error(client.post(f"/api/v1/registrations/{moved.json()['id']}/change", {"session_id": wrong_part.pk}),
                 422, "wrong_part")


def test_a_full_session_is_answered_from_its_counter_without_a_transaction(
        make_session, candidate, other_candidate, api_for, django_assert_max_num_queries):
    """In a rush most answers are "full": they must stay cheap (token, candidate, counter — nothing more)."""
    last = make_session("NT2-II-LZ", capacity=1)
    assert api_for(other_candidate.user).post("/api/v1/bookings", {"session_ids": [last.pk]}).status_code == 201
    client = api_for(candidate.user)
    with django_assert_max_num_queries(3):
        body = assert_error(client.post("/api/v1/bookings", {"session_ids": [last.pk]}), 409, "session_full")
    assert body["details"] == {"session_ids": [last.pk]}


def test_expected_refusals_are_not_logged_as_warnings(make_session, candidate, other_candidate, api_for, caplog):
    last = make_session("NT2-II-LZ", capacity=1)
    api_for(other_candidate.user).post("/api/v1/bookings", {"session_ids": [last.pk]})
    with caplog.at_level("WARNING", logger="django.request"):
        assert_error(api_for(candidate.user).post("/api/v1/bookings", {"session_ids": [last.pk]}), 409)
        assert_error(api_for(candidate.user).get("/api/v1/bookings/987654"), 404)
    logged = [r.status_code for r in caplog.records if r.name == "django.request"]
    assert logged == [404]


def test_a_refusal_keeps_its_code_and_says_its_message_in_the_language_asked_for(make_session, candidate,
                                                                                 api_for):
    from exams.services.bookings import booking_confirm

    client = api_for(candidate.user)
    booking = client.post("/api/v1/bookings", {"session_ids": [make_session("NT2-II-LZ", days=30).pk]}).json()
    booking_confirm(booking=Booking.objects.get(pk=booking["id"]))
    change = f"/api/v1/registrations/{booking['registrations'][0]['id']}/change"
    wrong_part = make_session("NT2-II-LU", days=44)
    messages = {}
    for language in ("en", "nl"):
        client.client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        refused = assert_error(client.post(change, {"session_id": wrong_part.pk}), 422, "wrong_part")
        messages[language] = refused["message"]
    assert messages == {"en": "That sitting is for another exam part.",
                        "nl": "Dat examenmoment is voor een ander examenonderdeel."}


def test_an_idempotency_key_sent_again_with_another_booking_is_refused(make_session, candidate, api_for):
    first_session, other_session = make_session(capacity=3), make_session(capacity=3, hour=14)
    client = api_for(candidate.user)
    headers = {"HTTP_IDEMPOTENCY_KEY": "k-456"}

    def book(body):
        return client.client.post("/api/v1/bookings", body, content_type="application/json",
                                  **client._headers(), **headers)

    first = book({"session_ids": [first_session.pk]})
    assert first.status_code == 201
    # The same key for another session would answer with the first booking: the client would believe it
    # holds a seat in the session it asked for.
    error = assert_error(book({"session_ids": [other_session.pk]}), 422, "idempotency_key_reused")
    assert error["details"] == {"booking_id": first.json()["id"]}
    assert_error(book({"session_ids": [first_session.pk, other_session.pk]}), 422, "idempotency_key_reused")
    assert ExamSession.objects.get(pk=other_session.pk).seats_booked == 0
    assert book({"session_ids": [first_session.pk]}).json()["id"] == first.json()["id"]  # a true replay


def test_booking_a_part_the_session_does_not_hold_names_the_part(make_session, candidate, api_for):
    shared = make_session("INB-WI2021-LZ", "INB-WI2021-KNM")
    error = assert_error(api_for(candidate.user).post(
        "/api/v1/bookings", {"session_ids": [shared.pk], "parts": {str(shared.pk): "BOGUS"}}), 422, "unknown_part")
    assert error["details"]["part"] == "BOGUS"
    assert error["details"]["parts"] == ["INB-WI2021-KNM", "INB-WI2021-LZ"]
