"""Bearer tokens end when the client says so: log out with DELETE /auth/token, or revoke any own token."""

from __future__ import annotations

import pytest

from exams.models import ApiToken, AuditEvent

from .test_api import assert_error

pytestmark = pytest.mark.django_db


def test_logging_out_revokes_the_token_the_request_carries_and_only_that_one(candidate, api_for,
                                                                            django_capture_on_commit_callbacks):
    client, other_client = api_for(candidate.user), api_for(candidate.user)
    assert client.get("/api/v1/me").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.send("delete", "/api/v1/auth/token")
    assert answer.status_code == 204, answer.content
    assert answer.content == b""
    after = assert_error(client.get("/api/v1/me"), 401, "unauthorized")
    assert after == assert_error(api_for().get("/api/v1/me"), 401)  # the same body as never logged in
    assert_error(client.send("delete", "/api/v1/auth/token"), 401, "unauthorized")  # not twice
    assert other_client.get("/api/v1/me").status_code == 200  # the account's other token still works
    assert AuditEvent.objects.filter(action="api_token_revoked", actor_id=candidate.user.pk).count() == 1


def test_logging_out_needs_a_bearer_token_not_the_portal_session(candidate, api_for):
    from django.test import Client

    browser = Client()
    browser.force_login(candidate.user)
    assert_error(browser.delete("/api/v1/auth/token"), 401, "unauthorized")
    assert_error(api_for().send("delete", "/api/v1/auth/token"), 401, "unauthorized")


def test_an_account_lists_its_own_tokens_and_revokes_one(candidate, other_candidate, api_for):
    client, phone = api_for(candidate.user), api_for(candidate.user)
    stranger = api_for(other_candidate.user)
    rows = client.get("/api/v1/auth/tokens").json()
    mine = set(ApiToken.objects.filter(user=candidate.user).values_list("pk", flat=True))
    assert {r["id"] for r in rows} == mine
    assert [r["current"] for r in rows].count(True) == 1
    current = next(r["id"] for r in rows if r["current"])
    assert ApiToken.objects.get(pk=current).key_hash == ApiToken.hash_key(client.token)
    phone_id = ApiToken.objects.get(key_hash=ApiToken.hash_key(phone.token)).pk
    # Someone else's token is not found, and stays.
    assert_error(stranger.send("delete", f"/api/v1/auth/tokens/{phone_id}"), 404, "not_found")
    assert phone.get("/api/v1/me").status_code == 200
    assert client.send("delete", f"/api/v1/auth/tokens/{phone_id}").status_code == 204
    assert_error(phone.get("/api/v1/me"), 401, "unauthorized")
    assert [r["id"] for r in client.get("/api/v1/auth/tokens").json()] == [current]
    assert_error(client.send("delete", f"/api/v1/auth/tokens/{phone_id}"), 404, "not_found")
