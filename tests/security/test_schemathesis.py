"""Schemathesis against the whole API, as each kind of caller: no server errors, and every answer (status code,
content type, headers, body) is what the OpenAPI schema says."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROLES = ("anonymous", "candidate", "examiner", "planner")


def served_schema() -> dict:
    from portal.api import api

    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


def load_schema():
    """The schema the API serves at /api/v1/openapi.json (``test_the_schema_is_the_one_served``), called through
    the WSGI application in this process, so the test database is the one answering."""
    from django.core.wsgi import get_wsgi_application

    loaded = schemathesis.openapi.from_dict(served_schema())
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


@pytest.fixture
def tokens(candidate, examiner, planner) -> dict[str, dict[str, str]]:
    from exams.models import ApiToken

    users = {"candidate": candidate.user, "examiner": examiner.user, "planner": planner}
    return {"anonymous": {}} | {role: {"Authorization": f"Bearer {ApiToken.issue(user)}"}
                                for role, user in users.items()}


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema(case, role, tokens):
    # Every check but one: "positive data acceptance" expects a schema-valid request never to get 422, while this
    # API answers 422 also for a well-formed request that breaks an exam rule (a session that is not open, a
    # result row naming an unknown part), as each such operation documents.
    case.call_and_validate(headers=tokens[role], excluded_checks=[positive_data_acceptance])


def test_the_schema_is_the_one_served(client):
    assert client.get("/api/v1/openapi.json").json() == served_schema()
