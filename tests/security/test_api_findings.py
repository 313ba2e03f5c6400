"""What Schemathesis found in the API, each pinned by a plain test (tests/security/test_schemathesis.py finds
them again only by chance)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TOO_BIG = 10**30


def post(client: Client, path: str, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def bearer(user) -> dict:
    from exams.models import ApiToken

    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def test_a_method_an_address_does_not_have_answers_405_with_allow():
    response = Client().generic("TRACE", "/api/v1/families")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_a_body_that_is_not_json_is_refused_before_any_view_reads_it(candidate):
    """A multipart content type without boundary made django-axes fail reading the form: a 500."""
    body = '{"email": "cand.one@example.org", "password": "x"}'
    for content_type in ("multipart/form-data", "application/x-www-form-urlencoded", "text/plain"):
        response = Client().post("/api/v1/auth/token", body, content_type=content_type)
        assert response.status_code == 400 and response.json()["code"] == "bad_request", content_type


def test_ids_too_big_for_the_database_are_invalid_not_a_crash(candidate, planner):
    booking = post(Client(), "/api/v1/bookings", {"session_ids": [TOO_BIG]}, **bearer(candidate.user))
    assert booking.status_code == 422 and booking.json()["code"] == "invalid"
    rows = [{"candidate_id": str(TOO_BIG), "part": "NT2-II-LZ", "taken_on": "2026-01-05", "score": 500},
            {"candidate_id": "²", "part": "NT2-II-LZ", "taken_on": "2026-01-05", "score": 500}]
    batch = post(Client(), "/api/v1/results", {"source": "partner", "rows": rows}, **bearer(planner))
    assert batch.status_code == 422


@pytest.mark.parametrize("field, value", [("seed", False), ("time_limit", True), ("time_limit", "5"),
                                          ("date_from", 0), ("date_from", "20270101"), ("seed", 2**31)])
def test_numbers_and_dates_in_a_body_must_have_their_own_type(planner, field, value):
    body = {"time_limit": 5, "date_from": "2027-01-04", "date_to": "2027-01-08", field: value}
    response = post(Client(), "/api/v1/scheduling/runs", body, **bearer(planner))
    assert response.status_code == 422, response.content
    assert [d["field"] for d in response.json()["details"]] == [field]


def test_a_date_in_the_query_is_written_as_a_date(catalogue):
    assert Client().get("/api/v1/sessions", {"date_to": "0"}).status_code == 422
    assert Client().get("/api/v1/sessions", {"date_to": "2027-01-31"}).status_code == 200


def test_without_a_login_an_unsafe_request_is_401_also_without_a_csrf_token():
    response = Client(enforce_csrf_checks=True).post("/api/v1/bookings", "{}", content_type="application/json")
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"


def test_a_logged_in_session_still_needs_the_csrf_token(candidate):
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate.user)
    response = post(client, "/api/v1/bookings", {"session_ids": [1]})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_the_schema_lists_the_errors_every_operation_can_give():
    schema = Client().get("/api/v1/openapi.json").json()
    me = schema["paths"]["/api/v1/me"]
    assert {"401", "400", "422", "403"} <= set(me["patch"]["responses"])
    assert "401" in me["get"]["responses"] and "422" not in me["get"]["responses"]
    assert "401" not in schema["paths"]["/api/v1/families"]["get"]["responses"]  # public
    assert "404" in schema["paths"]["/api/v1/me/wft-status"]["get"]["responses"]


def test_someone_without_a_candidate_profile_gets_the_documented_404_for_wft_status(planner):
    response = Client().get("/api/v1/me/wft-status", **bearer(planner))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_nul_character_is_refused_before_it_reaches_postgresql(catalogue, candidate):
    """PostgreSQL refuses text holding NUL with an error: a 500 on the PostgreSQL pass only."""
    for path, params in [("/api/v1/sessions", {"family": "nt2\x00"}), ("/api/v1/parts", {"family": "\x00"}),
                         ("/api/v1/families/nt%00", {}), ("/api/v1/locations/%00", {})]:
        response = Client().get(path, params)
        assert response.status_code == 422 and response.json()["code"] == "invalid", path
    body = '{"first_name": "Ol\\u0000ena"}'
    response = Client().patch("/api/v1/me", body, content_type="application/json", **bearer(candidate.user))
    assert response.status_code == 400 and response.json()["code"] == "bad_request"
    candidate.refresh_from_db()
    assert candidate.first_name == "Olena"


def test_numbers_beyond_what_the_database_holds_are_invalid(catalogue):
    assert Client().get("/api/v1/sessions", {"offset": str(2**63)}).status_code == 422
