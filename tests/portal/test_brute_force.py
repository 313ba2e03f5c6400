"""Logins and tokens lock an account name after a handful of failures, answering the same for unknown names."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def token(client, email: str, password: str):
    return client.post("/api/v1/auth/token", {"email": email, "password": password})


def test_token_endpoint_locks_known_and_unknown_accounts_alike(candidate, api_for):
    client = api_for()
    known = [token(client, "cand.one@example.org", "wrong-password").status_code for _ in range(6)]
    unknown = [token(client, "nobody@example.org", "wrong-password").status_code for _ in range(6)]
    assert known == unknown
    assert known[:4] == [401] * 4 and known[4:] == [429, 429]  # the fifth failure locks
    locked = token(client, "cand.one@example.org", "a-long-test-password")  # even the right password
    assert locked.status_code == 429 and locked.json()["code"] == "locked"
    assert token(client, "cand.two.other@example.org", "x").status_code == 401  # other accounts unaffected


def test_login_page_locks_after_repeated_failures(candidate):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(5):
        client.post("/login/", {"username": "cand.one@example.org", "password": "wrong"})
    page = client.post("/login/", {"username": "cand.one@example.org", "password": "a-long-test-password"})
    assert page.status_code in (403, 429)
    assert "Too many attempts" in page.content.decode()
