"""The candidate's account: logging in whatever the case of the e-mail address, and e-mails about the account
in the account's own language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


def test_login_ignores_the_case_of_the_e_mail_address(candidate):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/login/", {"username": " Cand.One@Example.ORG", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert client.get("/my/").status_code == 200


def test_the_api_token_ignores_the_case_of_the_e_mail_address_too(candidate):
    response = Client().post(
        "/api/v1/auth/token",
        {"email": "CAND.ONE@example.org", "password": "a-long-test-password"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["token"]


def test_password_reset_mail_comes_in_the_accounts_language(candidate):
    candidate.user.language = "nl"
    candidate.user.save()
    Client(HTTP_ACCEPT_LANGUAGE="en").post("/account/password-reset/", {"email": "cand.one@example.org"})
    assert mail.outbox[-1].subject == "Kies een nieuw wachtwoord"
    assert "Iemand heeft gevraagd om een nieuw wachtwoord" in mail.outbox[-1].body
