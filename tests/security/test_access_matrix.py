"""The access-control matrix, generated from the OpenAPI schema.

Every operation with an object id (a path parameter) is called by every kind of caller: anonymous, the
candidate who owns the objects (A), another candidate (B), an examiner, a planner, and a planner whose session
has the password step only. Each call is either served or refused exactly as its rule says; a refusal changes
nothing, and a refusal to a logged-in caller is an audit event. An operation without a rule fails the test:
adding an endpoint means deciding who may call it. ``docs/reliability.md`` carries the same table
(``test_the_table_in_the_docs_is_this_matrix``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from exams.models import AuditEvent, Booking, ExamSession, PlanningRun, Registration, StaffAssignment

pytestmark = pytest.mark.django_db

OK = "ok"  # served: a 2xx, or a 409/422 about the object's state (never 401, 403 or 404)
ROLES = ("anonymous", "candidate A", "candidate B", "examiner", "planner", "planner, password only")
METHODS = ("get", "post", "put", "patch", "delete")


def expect(anonymous=401, a=OK, b=404, examiner=404, planner=404, password_only=401) -> dict[str, object]:
    return dict(zip(ROLES, (anonymous, a, b, examiner, planner, password_only), strict=True))


PUBLIC = expect(OK, OK, OK, OK, OK, OK)
OWN = expect()  # the candidate's own objects; other people's are simply not there
OWN_OR_AGENCY = expect(planner=OK)
EXAMINER_OWN = expect(a=404, examiner=OK)
PLANNERS = expect(a=403, b=403, examiner=403, planner=OK)


@dataclass(frozen=True)
class Rule:
    who: dict[str, object]
    body: dict | None = None
    values: dict[str, str] = field(default_factory=dict)  # path parameter -> attribute of the world


RULES: dict[str, Rule] = {
    "GET /api/v1/families/{code}": Rule(PUBLIC, values={"code": "family_code"}),
    "GET /api/v1/parts/{code}": Rule(PUBLIC, values={"code": "part_code"}),
    "GET /api/v1/locations/{code}": Rule(PUBLIC, values={"code": "location_code"}),
    "GET /api/v1/sessions/{session_id}": Rule(PUBLIC),
    "GET /api/v1/certificates/verify/{code}": Rule(PUBLIC, values={"code": "verification_code"}),
    "POST /api/v1/payments/webhooks/{provider}": Rule(PUBLIC, body={"id": "tr_unknown"},
                                                      values={"provider": "provider"}),
    "GET /api/v1/registrations/{registration_id}": Rule(OWN),
    "GET /api/v1/assignments/{assignment_id}": Rule(EXAMINER_OWN),
    "POST /api/v1/assignments/{assignment_id}/accept": Rule(EXAMINER_OWN),
    "POST /api/v1/assignments/{assignment_id}/decline": Rule(EXAMINER_OWN, body={"reason": "access matrix"}),
    "GET /api/v1/candidates/{candidate_id}/export": Rule(PLANNERS),
    "GET /api/v1/bookings/{booking_id}": Rule(OWN_OR_AGENCY),
    "POST /api/v1/bookings/{booking_id}/cancel": Rule(OWN_OR_AGENCY, body={}),
    "POST /api/v1/registrations/{registration_id}/change": Rule(OWN_OR_AGENCY, body={"session_id": "other_session_id"}),
    "POST /api/v1/bookings/{booking_id}/payments": Rule(OWN, body={"provider": "test"}),
    "GET /api/v1/bookings/{booking_id}/payments": Rule(OWN),
    "GET /api/v1/me/documents/{document_id}/pdf": Rule(OWN),
    "POST /api/v1/certificates/{document_id}/revoke": Rule(PLANNERS, body={"reason": "access matrix"}),
    "POST /api/v1/results/{result_id}/requests": Rule(OWN, body={"kind": "objection", "reason": "access matrix"}),
    "GET /api/v1/scheduling/runs/{run_id}": Rule(PLANNERS),
    "POST /api/v1/scheduling/runs/{run_id}/cancel": Rule(PLANNERS),
    "GET /api/v1/scheduling/runs/{run_id}/result": Rule(PLANNERS),
    "GET /api/v1/scheduling/runs/{run_id}/explanation": Rule(PLANNERS),
    "POST /api/v1/scheduling/runs/{run_id}/publish": Rule(PLANNERS),
    "GET /api/v1/scheduling/runs/{run_id}/compare": Rule(PLANNERS),
    "GET /api/v1/scheduling/versions/{version_id}": Rule(PLANNERS),
    "POST /api/v1/scheduling/versions/{version_id}/undo": Rule(PLANNERS),
    "DELETE /api/v1/auth/tokens/{token_id}": Rule(OWN),
}


def operations(schema: dict) -> dict[str, dict]:
    return {f"{method.upper()} {path}": op for path, ops in schema["paths"].items() for method, op in ops.items()
            if method in METHODS}


def with_object_id(schema: dict) -> set[str]:
    return {name for name, op in operations(schema).items()
            if any(p["in"] == "path" for p in op.get("parameters", []))}


@pytest.fixture
def schema(db) -> dict:
    return Client().get("/api/v1/openapi.json").json()


def test_every_operation_with_an_object_id_has_a_rule(schema):
    found = with_object_id(schema)
    assert found, "the schema lists no operation with a path parameter"
    assert not found - set(RULES), f"decide who may call these and add them to RULES: {sorted(found - set(RULES))}"
    assert not set(RULES) - found, f"these rules name operations that no longer exist: {sorted(set(RULES) - found)}"


def test_every_operation_that_needs_a_login_refuses_anonymous_callers(schema, catalogue):
    """Also those without an object id: without a token or session the answer is 401, before anything else."""
    client = Client()
    for name, op in operations(schema).items():
        if not op.get("security"):
            continue
        method, path = name.split(" ")
        url = path.replace("{", "").replace("}", "")  # the ids are not looked at before authentication
        response = call(client, method, url, {})
        assert response.status_code == 401, name
        assert response.json()["code"] == "unauthorized", name


@pytest.fixture
def world(catalogue, make_session, candidate, other_candidate, examiner, settings, tmp_path):
    """One of everything, owned by candidate A (or, for the assignment, by the examiner)."""
    from certificates.issuance import issue_for_candidate
    from certificates.models import Document
    from certificates.results import results_import
    from exams.models import Result
    from exams.services.bookings import SeatRequest, booking_create

    settings.MEDIA_ROOT = tmp_path / "private"
    session = make_session("NT2-II-LZ", days=30, capacity=5)
    other_session = make_session("NT2-II-LZ", days=37, capacity=5, room="Computerzaal 2")
    booking = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
    taken_on = (date.today() - timedelta(days=60)).isoformat()
    results_import(rows=[{"candidate_id": candidate.pk, "part": "NT2-II-SP", "taken_on": taken_on, "score": 540}],
                   source="partner")
    result = Result.objects.get(candidate=candidate)
    Result.objects.filter(pk=result.pk).update(released_at=timezone.now() - timedelta(days=1))
    issue_for_candidate(candidate)
    document = Document.objects.get(candidate=candidate)
    run = PlanningRun.objects.create(date_from=date.today(), date_to=date.today() + timedelta(days=42),
                                     time_limit=5)
    assignment = StaffAssignment.objects.create(session=session, examiner=examiner, role="invigilator",
                                                status="published")
    version = _empty_roster_version()
    from exams.models import ApiToken

    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(ApiToken.issue(candidate.user)))
    return {
        "family_code": "nt2", "part_code": "NT2-II-LZ", "location_code": "AMS", "provider": "test",
        "session_id": session.pk, "other_session_id": other_session.pk, "booking_id": booking.pk,
        "registration_id": booking.registrations.get().pk, "assignment_id": assignment.pk,
        "candidate_id": candidate.pk, "document_id": document.pk, "verification_code": document.verification_code,
        "result_id": result.pk, "run_id": run.pk, "version_id": version.pk, "token_id": token.pk,
    }


def _empty_roster_version():
    """A published roster version of an empty scope: undoing it is allowed and changes nothing else."""
    from exams.models import RosterVersion
    from exams.planning.adapter import Scope, scenario_from_db
    from exams.planning.roster import scope_to_json
    from scheduling import scenario_io
    from scheduling.model import Solution

    scope = Scope(date_from=date.today(), date_to=date.today() + timedelta(days=4), location_codes=("NONE",))
    empty = scenario_io.solution_to_json(Solution())
    return RosterVersion.objects.create(scope=scope_to_json(scope), before=empty, after=empty,
                                        scenario=scenario_io.scenario_to_json(scenario_from_db(scope)))


@pytest.fixture
def callers(candidate, other_candidate, examiner, planner) -> dict[str, tuple[Client, dict, object]]:
    """Role -> (client, extra headers, user). Bearer tokens, and one planner session without a second factor."""
    from exams.models import ApiToken
    from portal.twofactor.services import SESSION_KEY

    def bearer(user):
        return Client(), {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}, user

    password_only = Client(enforce_csrf_checks=False)
    password_only.force_login(planner)
    session = password_only.session
    del session[SESSION_KEY]
    session.save()
    return {"anonymous": (Client(), {}, None), "candidate A": bearer(candidate.user),
            "candidate B": bearer(other_candidate.user), "examiner": bearer(examiner.user),
            "planner": bearer(planner), "planner, password only": (password_only, {}, planner)}


def state() -> str:
    """What a refused call must not have changed."""
    from certificates.models import Document, ResultRequest
    from exams.models import ApiToken, RosterVersion
    from exams.payments.models import Payment

    rows = [list(Booking.objects.values_list("pk", "status").order_by("pk")),
            list(Registration.objects.values_list("pk", "status", "session_id").order_by("pk")),
            list(PlanningRun.objects.values_list("pk", "status", "cancel_requested", "published_at").order_by("pk")),
            list(Document.objects.values_list("pk", "status").order_by("pk")),
            ResultRequest.objects.count(), Payment.objects.count(), ExamSession.objects.count(),
            RosterVersion.objects.count(), list(StaffAssignment.objects.values_list("pk", "status").order_by("pk")),
            list(ApiToken.objects.values_list("pk", flat=True).order_by("pk"))]
    return json.dumps(rows, default=str)


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_caller_is_served_or_refused_as_the_rule_says(name, schema, world, callers,
                                                           django_capture_on_commit_callbacks):
    rule = RULES[name]
    method, path = name.split(" ")
    op = operations(schema)[name]
    url = path
    for param in (p["name"] for p in op["parameters"] if p["in"] == "path"):
        url = url.replace("{%s}" % param, str(world[rule.values.get(param, param)]))
    body = {k: world.get(v, v) if isinstance(v, str) else v for k, v in (rule.body or {}).items()}
    # Refusals first, then the callers who are served (they may change the object, e.g. cancel it).
    for role in sorted(ROLES, key=lambda r: rule.who[r] == OK):
        client, headers, user = callers[role]
        before, denials = state(), AuditEvent.objects.filter(action="permission_denied").count()
        with django_capture_on_commit_callbacks(execute=True):
            response = call(client, method, url, body, **headers)
        status, expected = response.status_code, rule.who[role]
        assert status < 500, f"{name} as {role}: {status} {response.content[:300]}"
        if expected == OK:
            assert status not in (401, 403, 404), f"{name} as {role} was refused: {status} {response.content[:300]}"
            continue
        assert status == expected, f"{name} as {role}: {status}, expected {expected}"
        assert response.json()["code"] in {401: {"unauthorized"}, 403: {"forbidden"}, 404: {"not_found"}}[status]
        assert state() == before, f"{name} as {role} was refused but changed something"
        logged = AuditEvent.objects.filter(action="permission_denied").order_by("pk")[denials:]
        if role in ("anonymous", "planner, password only"):  # not logged in: nobody to attribute it to
            assert not logged.exists(), f"{name} as {role}"
        else:
            assert [(e.actor_id, e.details.get("path"), e.details.get("status")) for e in logged] == [
                (user.pk, url, status)], f"{name} as {role}: the refusal is not in the audit log"


def test_methods_an_operation_does_not_have_are_refused(schema, world, callers):
    for path in {name.split(" ")[1] for name in with_object_id(schema)}:
        declared = {name.split(" ")[0].lower() for name in operations(schema) if name.split(" ")[1] == path}
        url = path.replace("{", "").replace("}", "")
        for method in set(METHODS) - declared:
            for role in ("candidate A", "planner"):
                client, headers, _ = callers[role]
                response = call(client, method, url, {}, **headers)
                assert response.status_code == 405, f"{method.upper()} {path} as {role}: {response.status_code}"


def call(client: Client, method: str, url: str, body: dict, **headers):
    if method.lower() == "get":
        return client.get(url, **headers)
    return getattr(client, method.lower())(url, json.dumps(body), content_type="application/json", **headers)


def matrix_markdown() -> str:
    """The table as docs/reliability.md shows it."""
    header = "| operation | " + " | ".join(ROLES) + " |"
    lines = [header, "|---" * (len(ROLES) + 1) + "|"]
    for name in sorted(RULES, key=lambda n: (n.split(" ")[1], n)):
        cells = [str(RULES[name].who[role]) for role in ROLES]
        lines.append(f"| `{name.replace('/api/v1', '')}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def test_the_table_in_the_docs_is_this_matrix():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "reliability.md").read_text()
    assert matrix_markdown() in docs, "update docs/reliability.md with matrix_markdown() from this file"
