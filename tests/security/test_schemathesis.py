"""Schemathesis against the whole API, as each kind of caller: no server errors, and every answer (status code,
content type, headers, body) is what the OpenAPI schema says."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def served_schema() -> dict:
    from portal.api import api

    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


def load_schema(*, coverage: bool):
    """The schema the API serves at /api/v1/openapi.json (``test_the_schema_is_the_one_served``), called through
    the WSGI application in this process, so the test database is the one answering. The coverage phase sends
    every boundary case the schema defines (up to 70 for an operation with a body); the fuzzing phase sends
    ``max_examples`` generated ones."""
    from django.core.wsgi import get_wsgi_application

    config = schemathesis.config.SchemathesisConfig.from_dict({
        "phases": {"coverage": {"enabled": coverage}},
        # A body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused with 413 before its fields are read (a boundary case
        # with maxItems + 1 long rows can be that large): a rejection like the 4xx schemathesis expects.
        "checks": {"negative_data_rejection": {"expected-statuses": [
            "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]}},
    })
    loaded = schemathesis.openapi.from_dict(served_schema(), config=config)
    loaded.app = get_wsgi_application()
    return loaded


every_case = load_schema(coverage=True)
fuzzed = load_schema(coverage=False)
SETTINGS = settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def connection_kept_open():
    """Calling the WSGI application directly sends Django's request signals, which would close the database
    connection the test's transaction lives on; Django's own test client switches that off the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(candidate, examiner, planner) -> dict[str, dict[str, str]]:
    from exams.models import ApiToken

    users = {"candidate": candidate.user, "examiner": examiner.user, "planner": planner}
    return {"anonymous": {}} | {role: {"Authorization": f"Bearer {ApiToken.issue(user)}"}
                                for role, user in users.items()}


@pytest.mark.parametrize("role", ["candidate", "planner"])
@every_case.parametrize()
@SETTINGS
def test_the_api_keeps_to_its_schema(case, role, tokens):
    """Signed in as a candidate or a planner, the callers whose requests get furthest: every phase."""
    call_and_validate(case, tokens[role])


@pytest.mark.parametrize("role", ["anonymous", "examiner"])
@fuzzed.parametrize()
@SETTINGS
def test_the_api_keeps_to_its_schema_generated_requests(case, role, tokens):
    """Anonymous and as an examiner: generated requests only (their boundary cases mostly stop at 401 or 404
    before any field is read, as the candidate's do)."""
    call_and_validate(case, tokens[role])


def call_and_validate(case, headers: dict[str, str]) -> None:
    # Every check but one: "positive data acceptance" expects a schema-valid request never to get 422, while this
    # API answers 422 also for a well-formed request that breaks an exam rule (a session that is not open, a
    # result row naming an unknown part), as each such operation documents.
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])


def test_the_schema_is_the_one_served(client):
    assert client.get("/api/v1/openapi.json").json() == served_schema()
