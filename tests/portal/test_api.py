"""The API contract: token auth, catalogue reads, own data only, and one error body for bad input."""

from __future__ import annotations

from datetime import datetime

import pytest

from exams.models import StaffAssignment
from exams.services.bookings import SeatRequest, booking_create

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"code", "message", "details"}


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["message"]
    if code:
        assert body["code"] == code
    return body


def test_token_for_valid_credentials_and_the_same_answer_for_wrong_ones(candidate, api_for):
    client = api_for()
    ok = client.post("/api/v1/auth/token", {"email": "CAND.ONE@example.org", "password": "a-long-test-password"})
    assert ok.status_code == 200
    token = ok.json()["token"]
    wrong_password = client.post("/api/v1/auth/token", {"email": "cand.one@example.org", "password": "nope-nope"})
    unknown = client.post("/api/v1/auth/token", {"email": "nobody@example.org", "password": "nope-nope"})
    assert assert_error(wrong_password, 401, "invalid_credentials") == assert_error(unknown, 401)
    me = api_for().__class__(token).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["email"] == "cand.one@example.org"
    assert me.json()["national_id"] == "••••••782"


def test_requests_without_or_with_a_bad_token_are_unauthorised(candidate, api_for):
    assert_error(api_for().get("/api/v1/me"), 401, "unauthorized")
    assert api_for().get("/api/v1/me")["WWW-Authenticate"].startswith("Bearer")
    client = api_for()
    client.token = "made-up-token"
    assert_error(client.get("/api/v1/me"), 401, "unauthorized")


def test_catalogue_lists_families_parts_and_locations(location, api_for):
    client = api_for()
    families = {f["code"] for f in client.get("/api/v1/families").json()}
    assert families == {"nt2", "inburgering", "vo", "wft"}
    parts = client.get("/api/v1/parts", family="nt2").json()
    assert {p["code"] for p in parts} >= {"NT2-I-LZ", "NT2-II-SP"}
    assert all(p["family"] == "nt2" for p in parts)
    assert client.get("/api/v1/parts/WFT-BASIS").json()["fee"] in ("159.00", 159, "159")
    assert client.get("/api/v1/locations/AMS").json()["city"] == "Amsterdam"
    assert_error(client.get("/api/v1/locations/NOPE"), 404, "not_found")


def test_sessions_show_seats_left_and_times_with_offset(make_session, candidate, api_for):
    session = make_session("NT2-II-LZ", capacity=2)
    make_session("NT2-II-LU", room="Computerzaal 2")
    booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
    rows = api_for().get("/api/v1/sessions", part="NT2-II-LZ", location="AMS").json()
    assert [r["id"] for r in rows] == [session.pk]
    row = rows[0]
    assert row["seats_left"] == 1
    assert row["part"] == "NT2-II-LZ"
    assert row["location"] == "AMS"
    assert datetime.fromisoformat(row["starts_at"]).utcoffset() is not None
    assert row["starts_at"].endswith(("+01:00", "+02:00"))


def test_a_session_search_is_answered_from_memory_for_a_moment(make_session, candidate, other_candidate, api_for,
                                                               settings, monkeypatch):
    from portal.api import catalogue

    clock = [1000.0]
    monkeypatch.setattr(catalogue.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(catalogue, "recent_session_lists", catalogue.RecentAnswers())
    settings.EXAMS = {**settings.EXAMS, "SESSION_LIST_CACHE_SECONDS": 1.0}
    session = make_session("NT2-II-LZ", capacity=2)
    client = api_for()
    seats = lambda **filters: [r["seats_left"] for r in client.get("/api/v1/sessions", **filters).json()]  # noqa: E731
    assert seats(part="NT2-II-LZ") == [2]
    booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
    assert seats(part="NT2-II-LZ") == [2]  # the same question within the second: the same answer
    assert seats(part="NT2-II-LZ", location="AMS") == [1]  # another question is asked of the database
    clock[0] += 1.01
    assert seats(part="NT2-II-LZ") == [1]
    settings.EXAMS = {**settings.EXAMS, "SESSION_LIST_CACHE_SECONDS": 0}
    booking_create(candidate=other_candidate, requests=[SeatRequest(session.pk)])
    assert seats(part="NT2-II-LZ") == [0]


def test_sessions_filter_by_date_range(make_session, api_for):
    near, far = make_session(days=10), make_session(days=40)
    client = api_for()
    day = lambda s: s.starts_at.date().isoformat()  # noqa: E731
    ids = [r["id"] for r in client.get("/api/v1/sessions", date_from=day(far), date_to=day(far)).json()]
    assert ids == [far.pk]
    ids = [r["id"] for r in client.get("/api/v1/sessions", date_to=day(near)).json()]
    assert ids == [near.pk]


def test_sessions_say_whether_they_can_be_booked_and_why_not(make_session, candidate, api_for):
    from datetime import timedelta

    from django.utils import timezone

    bookable = make_session(days=10)
    closed = make_session(days=11)
    closed.registration_closes_at = timezone.now() - timedelta(hours=1)
    closed.save(update_fields=["registration_closes_at"])
    full = make_session(days=12, capacity=1)
    booking_create(candidate=candidate, requests=[SeatRequest(full.pk)])
    client = api_for()
    rows = {r["id"]: r for r in client.get("/api/v1/sessions").json()}
    shown = [(rows[s.pk]["bookable"], rows[s.pk]["why_not"], rows[s.pk]["status"])
             for s in (bookable, closed, full)]
    assert shown == [(True, None, "open"), (False, "registration_closed", "open"),
                     (False, "session_full", "open")]
    assert rows[bookable.pk]["registration_closes_at"] is None
    closes = datetime.fromisoformat(rows[closed.pk]["registration_closes_at"])
    assert abs(closes - closed.registration_closes_at) < timedelta(seconds=1)  # JSON keeps milliseconds
    assert closes.utcoffset() == closed.room.location.local(closes).utcoffset()  # Amsterdam's own time
    assert [r["id"] for r in client.get("/api/v1/sessions", bookable="true").json()] == [bookable.pk]
    page = client.get("/api/v1/sessions", bookable="false", limit=1, offset=1).json()
    assert [r["id"] for r in page] == [full.pk]
    assert client.get(f"/api/v1/sessions/{closed.pk}").json()["why_not"] == "registration_closed"


def test_a_candidate_sees_only_their_own_registrations(make_session, candidate, other_candidate, api_for):
    session = make_session(capacity=5)
    mine = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)]).registrations.get()
    theirs = booking_create(candidate=other_candidate, requests=[SeatRequest(session.pk)]).registrations.get()
    client = api_for(candidate.user)
    assert [r["id"] for r in client.get("/api/v1/me/registrations").json()] == [mine.pk]
    assert client.get(f"/api/v1/registrations/{mine.pk}").status_code == 200
    assert_error(client.get(f"/api/v1/registrations/{theirs.pk}"), 404, "not_found")


def test_an_examiner_sees_only_their_own_assignments(make_session, examiner, candidate, api_for):
    from exams.models import Examiner

    colleague = Examiner.objects.create(first_name="Eva", last_name="Smit", email="eva@example.org")
    session = make_session()
    mine = StaffAssignment.objects.create(session=session, examiner=examiner, role="invigilator",
                                          status="published")
    theirs = StaffAssignment.objects.create(session=session, examiner=colleague, role="invigilator",
                                            status="published")
    proposed, withdrawn = (
        StaffAssignment.objects.create(session=make_session(days=40 + i), examiner=examiner,
                                       role="invigilator",
                                       status=status)
        for i, status in enumerate(("proposed", "withdrawn")))
    client = api_for(examiner.user)
    # A proposal is put to them (they answer it on their page); a withdrawn duty is no longer theirs.
    assert [a["id"] for a in client.get("/api/v1/me/assignments").json()] == [mine.pk, proposed.pk]
    assert client.get(f"/api/v1/assignments/{proposed.pk}").json()["status"] == "proposed"
    assert_error(client.get(f"/api/v1/assignments/{withdrawn.pk}"), 404)
    assert_error(client.get(f"/api/v1/assignments/{theirs.pk}"), 404)
    assert_error(api_for(candidate.user).get(f"/api/v1/assignments/{mine.pk}"), 404)


def test_an_examiner_reads_their_qualifications_and_until_when(examiner, candidate, catalogue, api_for):
    from datetime import timedelta

    from django.utils import timezone

    from exams.models import Examiner, Qualification, Subject

    today = timezone.localdate()
    Qualification.objects.create(examiner=examiner, role="invigilator", family=catalogue["nt2"])
    Qualification.objects.create(examiner=examiner, role="examinator", family=catalogue["vo"], level="havo",
                                 subject=Subject.objects.get(code="EN"), valid_until=today - timedelta(days=1))
    colleague = Examiner.objects.create(first_name="Eva", last_name="Smit", email="eva@example.org")
    Qualification.objects.create(examiner=colleague, role="invigilator", family=catalogue["vo"])
    rows = api_for(examiner.user).get("/api/v1/me/qualifications").json()
    assert rows == [
        {"role": "examinator", "family": "vo", "subject": "EN", "level": "havo", "part": None,
         "valid_until": (today - timedelta(days=1)).isoformat(), "valid_today": False},
        {"role": "invigilator", "family": "nt2", "subject": None, "level": "", "part": None, "valid_until": None,
         "valid_today": True},
    ]
    assert api_for(candidate.user).get("/api/v1/me/qualifications").json() == []


@pytest.mark.parametrize(
    "raw, status, code",
    [
        ('{"first_name": ', 400, "bad_request"),  # malformed JSON
        ("[1, 2, 3]", 400, "bad_request"),  # not an object
        ('{"first_name": 12}', 422, "invalid"),  # wrong type
        ('{"first_name": ""}', 422, "invalid"),  # empty
        ('{"first_name": "' + "x" * 101 + '"}', 422, "invalid"),  # too long
        ('{"language": "fr"}', 422, "invalid"),  # not a choice
        ('{"phone": "<script>"}', 422, "invalid"),  # not a phone number
    ],
)
def test_bad_profile_updates_get_the_error_body_and_change_nothing(candidate, api_for, raw, status, code):
    body = assert_error(api_for(candidate.user).patch("/api/v1/me", raw=raw), status, code)
    if status == 422:
        assert body["details"]
    candidate.refresh_from_db()
    assert candidate.first_name == "Olena"


def test_a_valid_profile_update_is_saved(candidate, api_for):
    response = api_for(candidate.user).patch("/api/v1/me", {"first_name": "Olena Maria", "language": "en"})
    assert response.status_code == 200
    assert response.json()["first_name"] == "Olena Maria"
    assert response.json()["language"] == "en"


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/v1/sessions", {"date_from": "not-a-date"}),
        ("/api/v1/sessions", {"limit": "many"}),
        ("/api/v1/sessions", {"limit": "100000"}),
        ("/api/v1/sessions", {"part": "x" * 500}),
        ("/api/v1/sessions/abc", {}),
    ],
)
def test_bad_query_parameters_get_422(location, api_for, path, params):
    assert_error(api_for().get(path, **params), 422, "invalid")


def test_missing_fields_and_unknown_ids_and_paths(candidate, api_for):
    client = api_for()
    body = assert_error(client.post("/api/v1/auth/token", {"email": "x@example.org"}), 422, "invalid")
    assert any(d["field"] == "password" for d in body["details"])
    assert_error(client.get("/api/v1/sessions/987654"), 404, "not_found")
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(client.send("delete", "/api/v1/families"), 405, "method_not_allowed")


def test_openapi_schema_and_docs_are_served(db, api_for):
    client = api_for()
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/sessions" in schema["paths"]
    assert "/api/v1/auth/token" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_a_body_larger_than_the_server_accepts_is_413_with_the_error_body(planner, api_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    rows = [{"candidate_id": "x" * 50, "part": "NT2-II-LZ", "taken_on": "2027-01-01", "score": 1}] * 200
    body = assert_error(api_for(planner).post("/api/v1/results", {"rows": rows}), 413, "too_large")
    assert body["details"] == {"max_bytes": 10_000}
    schema = api_for().get("/api/v1/openapi.json").json()
    assert "413" in schema["paths"]["/api/v1/results"]["post"]["responses"]


def test_error_messages_follow_accept_language_and_codes_do_not(candidate, api_for):
    client = api_for(candidate.user)
    answers = {}
    for language in ("en", "nl"):
        client.client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        missing = assert_error(client.get("/api/v1/bookings/999999"), 404, "not_found")
        nowhere = client.get("/api/v1/no-such-address")
        assert nowhere.status_code == 404 and nowhere.json()["code"] == "not_found"
        answers[language] = (missing["message"], nowhere.json()["message"])
    assert answers["en"] == ("No such object, or not yours to see.", "There is no such address in the API.")
    assert answers["nl"] == ("Dit bestaat niet, of je mag het niet zien.", "Dit adres bestaat niet in de API.")


def _error_answers(client, candidate, examiner, session, booking) -> dict:
    """One request down each error path a client met in English on a Dutch request; the path → the texts."""
    staff_only = client(candidate.user)
    no_profile = client(examiner.user)
    answers = {
        "invalid_credentials": client().post("/api/v1/auth/token", {"email": "nobody@example.org",
                                                                     "password": "wrong-password"}),
        "forbidden_planner": staff_only.get("/api/v1/scheduling/versions"),
        "forbidden_staff": staff_only.post("/api/v1/certificates/1/revoke", {"reason": "typo"}),
        "forbidden_on_behalf": staff_only.post("/api/v1/bookings", {"session_ids": [session.pk],
                                                                    "candidate_id": candidate.pk}),
        "forbidden_export": staff_only.get(f"/api/v1/candidates/{candidate.pk}/export"),
        "no_candidate_profile": no_profile.post("/api/v1/bookings", {"session_ids": [session.pk]}),
        "no_profile_to_update": no_profile.patch("/api/v1/me", {"first_name": "Eva"}),
        "unknown_provider": client().post("/api/v1/payments/webhooks/nope", {"id": "x"}),
        "invalid_return_url": staff_only.post(f"/api/v1/bookings/{booking}/payments",
                                              {"provider": "test", "return_url": "https://evil.example/"}),
        "unreadable_body": staff_only.patch("/api/v1/me", raw="[1, 2]"),
        "invalid_fields": staff_only.patch("/api/v1/me", {"first_name": "", "language": "fr", "phone": 3}),
        "missing_field": client().post("/api/v1/auth/token", {"email": "x@example.org"}),
        "bad_date": client().get("/api/v1/sessions", date_from="tomorrow"),
    }
    texts = {}
    for name, response in answers.items():
        body = assert_error(response, response.status_code)
        assert response.status_code >= 400, (name, body)
        details = body["details"] if isinstance(body["details"], list) else []
        texts[name] = [body["message"]] + [d["message"] for d in details]
    return texts


def test_every_api_error_message_speaks_the_language_of_the_request(make_session, candidate, examiner,
                                                                    api_for):
    session = make_session(capacity=5)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)]).pk
    answers = {}
    for language in ("en", "nl"):
        def client(user=None, language=language):
            api = api_for(user)
            api.client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
            return api
        answers[language] = _error_answers(client, candidate, examiner, session, booking)
    english, dutch = answers["en"], answers["nl"]
    assert english["invalid_credentials"] == ["The e-mail address or password is wrong."]
    assert dutch["invalid_credentials"] == ["Het e-mailadres of wachtwoord klopt niet."]
    assert english["unreadable_body"] == ["The request body cannot be read: it must be a JSON object."]
    assert dutch["unreadable_body"] == [
        "De inhoud van het verzoek is niet te lezen: die moet een JSON-object zijn."]
    assert sorted(dutch["invalid_fields"][1:]) == ["Geef een tekst.", "Geef minstens 1 tekens.",
                                                   "Kies een van: 'nl', 'en'."]
    assert dutch["bad_date"][1:] == ["Schrijf een datum als JJJJ-MM-DD."]
    for name, texts in english.items():
        assert len(texts) == len(dutch[name]), name
        for in_english, in_dutch in zip(texts, dutch[name], strict=True):
            assert in_english != in_dutch, (name, in_english)


def test_the_openapi_schema_describes_errors_downloads_choices_and_money(db, api_for):
    schema = api_for().get("/api/v1/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorBody"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert response["content"]["application/json"]["schema"] == error, (method, path, status)
    assert set(schema["components"]["schemas"]["ErrorBody"]["required"]) == {"code", "message", "details"}
    downloads = {("/api/v1/me/documents/{document_id}/pdf", "application/pdf"),
                 ("/api/v1/me/export", "application/zip"), ("/api/v1/candidates/{candidate_id}/export",
                                                           "application/zip")}
    for path, media_type in downloads:
        assert list(schema["paths"][path]["get"]["responses"]["200"]["content"]) == [media_type], path
    components = schema["components"]["schemas"]
    assert components["BookingOut"]["properties"]["status"]["enum"] == [
        "held", "pending_payment", "confirmed", "cancelled", "expired"]
    for name, field in [("ProfileOut", "role"), ("RegistrationOut", "status"), ("AssignmentOut", "role"),
                        ("AssignmentOut", "status"), ("SessionOut", "status"), ("RunOut", "status"),
                        ("PaymentOut", "status"), ("DocumentOut", "status")]:
        assert components[name]["properties"][field].get("enum"), (name, field)
    for name, field in [("CancelOut", "refund_due"), ("BookingOut", "amount"), ("PaymentOut", "amount")]:
        assert components[name]["properties"][field]["type"] == "string", (name, field)


def test_own_lists_come_in_pages_with_the_total_and_narrow_by_date(make_session, candidate, examiner, planner,
                                                                   api_for):
    sessions = [make_session(days=10 + i) for i in range(3)]
    registrations = [booking_create(candidate=candidate, requests=[SeatRequest(s.pk)]).registrations.get()
                     for s in sessions]
    for session in sessions:
        StaffAssignment.objects.create(session=session, examiner=examiner, role="invigilator",
                                       status="published")
    day = sessions[1].starts_at.date().isoformat()
    duties = list(examiner.assignments.order_by("pk"))
    for user, path, rows in [(candidate.user, "/api/v1/me/registrations", registrations),
                             (examiner.user, "/api/v1/me/assignments", duties)]:
        client = api_for(user)
        page = client.get(path, limit=2, offset=1)
        assert page.status_code == 200 and page["X-Total-Count"] == "3"
        assert [r["id"] for r in page.json()] == [rows[1].pk, rows[2].pk]
        on_day = client.get(path, date_from=day, date_to=day)
        assert [r["id"] for r in on_day.json()] == [rows[1].pk] and on_day["X-Total-Count"] == "1"
        assert_error(client.get(path, date_from=day, date_to=sessions[0].starts_at.date().isoformat()), 422,
                     "invalid_date_range")
        assert_error(client.get(path, limit=501), 422, "invalid")
    bookings = api_for(candidate.user).get("/api/v1/me/bookings", limit=1)
    assert bookings["X-Total-Count"] == "3"
    assert [b["id"] for b in bookings.json()] == [registrations[2].booking_id]  # newest first
    sessions_page = api_for().get("/api/v1/sessions", limit=1)
    assert sessions_page["X-Total-Count"] == "3" and len(sessions_page.json()) == 1
    backwards = {"date_from": day, "date_to": sessions[0].starts_at.date().isoformat()}
    assert_error(api_for().get("/api/v1/sessions", **backwards), 422, "invalid_date_range")
    assert api_for(planner).get("/api/v1/scheduling/versions", limit=1)["X-Total-Count"] == "0"


def test_the_openapi_schema_tells_a_client_developer_what_each_operation_and_group_is_for(db, api_for):
    schema = api_for().get("/api/v1/openapi.json").json()
    operations = [(method, path, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    undescribed = [f"{method.upper()} {path}" for method, path, op in operations if not op.get("description")]
    assert undescribed == []
    used = {tag for _method, _path, op in operations for tag in op.get("tags", [])}
    described = {tag["name"]: tag.get("description") for tag in schema["tags"]}
    assert set(described) == used and all(described.values())
    assert all(scheme.get("description") for scheme in schema["components"]["securitySchemes"].values())
    examples = schema["components"]["schemas"]["ErrorBody"]["examples"]
    assert examples and all(set(example) == {"code", "message", "details"} for example in examples)
    # Logging out takes only a bearer token: no session, so no CSRF check to fail.
    logout = schema["paths"]["/api/v1/auth/token"]["delete"]
    assert logout["security"] == [{"BearerTokenAuth": []}]
    assert "403" not in logout["responses"] and "204" in logout["responses"]
    assert "403" in schema["paths"]["/api/v1/assignments/{assignment_id}/accept"]["post"]["responses"]


def test_every_operation_has_a_short_summary_of_what_a_client_does_not_its_function_name(db, api_for):
    """django-ninja titles an operation after its function ("Token Revoke One") unless it is given a summary."""
    from portal.api import api

    function_titles = {operation.view_func.__name__.title().replace("_", " ")
                       for _prefix, router in api._routers
                       for path_view in router.path_operations.values()
                       for operation in path_view.operations}
    assert "Token Revoke One" in function_titles
    schema = api_for().get("/api/v1/openapi.json").json()
    untitled = [f"{method.upper()} {path}: {op.get('summary')!r}"
                for path, ops in schema["paths"].items() for method, op in ops.items()
                if not op.get("summary") or op["summary"] in function_titles or len(op["summary"]) > 60]
    assert untitled == []
    assert schema["paths"]["/api/v1/auth/tokens/{token_id}"]["delete"]["summary"] == "Revoke one of your tokens"


def test_no_two_schemas_of_the_api_share_a_name():
    """The OpenAPI document names each schema by its class: two classes of one name would leave one of them
    describing the other's answers (a client would read fields that are not there)."""
    from collections import defaultdict

    from django.urls import get_resolver
    from ninja import Schema

    get_resolver().url_patterns  # noqa: B018  (loads every router and its schemas)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    by_name = defaultdict(set)
    for cls in subclasses(Schema):
        if cls.__module__.split(".")[0] in ("portal", "exams", "certificates"):
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: places for name, places in by_name.items() if len(places) > 1} == {}
