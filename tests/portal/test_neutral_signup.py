"""Signing up, or asking for a new password, never tells whether an e-mail address has an account: the
page is the same, and the owner of an existing account is told by mail that someone tried."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from exams.models import Candidate, User

pytestmark = pytest.mark.django_db

FORM = {"first_name": "Mariam", "last_name": "Osei", "birth_date": "1991-02-03", "language": "en",
        "password1": "a-sturdy-passphrase", "password2": "a-sturdy-passphrase"}


def _sign_up(email: str, django_capture_on_commit_callbacks) -> tuple[int, str, str]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/signup/", {**FORM, "email": email})
    page = client.get(response["Location"]).content.decode().replace(email.lower(), "EMAIL")
    return response.status_code, response["Location"], re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page)


def test_an_address_with_an_account_gets_the_same_page_and_its_owner_a_mail(
        candidate, catalogue, django_capture_on_commit_callbacks):
    User.objects.filter(pk=candidate.user.pk).update(language="en")
    new = _sign_up("new.person@example.org", django_capture_on_commit_callbacks)
    taken = _sign_up("Cand.One@example.org", django_capture_on_commit_callbacks)
    assert new == taken and new[:2] == (302, "/signup/sent/")
    assert "Check your e-mail" in new[2]
    to_owner, = [m for m in mail.outbox if m.to == ["cand.one@example.org"]]
    assert to_owner.subject == "Someone tried to sign up with your e-mail address"
    assert re.search(r"http://testserver/account/password-reset/", to_owner.body)
    assert Candidate.objects.filter(email="cand.one@example.org").count() == 1  # nothing made, nothing changed
    assert User.objects.get(pk=candidate.user.pk).check_password("a-long-test-password")
    _sign_up("cand.one@example.org", django_capture_on_commit_callbacks)
    assert len([m for m in mail.outbox if m.to == ["cand.one@example.org"]]) == 1  # at most one a day


def test_the_verification_link_confirms_and_leads_to_the_login_but_logs_nobody_in(
        catalogue, django_capture_on_commit_callbacks):
    """Whoever opens the link holds the mailbox, not necessarily the account: someone may have signed up with
    another person's address and chosen its password. So the link confirms, and the account logs in with its
    password."""
    from exams.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/signup/", {**FORM, "email": "new.person@example.org"})
    assert client.get("/my/").status_code == 302  # not logged in by the sign-up itself
    link = re.search(r"http://testserver(/account/verify-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    answer = client.get(link)
    assert answer["Location"] == "/login/?next=/sessions/"
    assert User.objects.get(email="new.person@example.org").email_verified
    assert client.get("/my/").status_code == 302  # the link logged nobody in
    assert "Log in with the password you chose" in client.get("/login/").content.decode()
    client.post("/login/", {"username": "new.person@example.org", "password": FORM["password1"]})
    assert client.get(link)["Location"] == "/sessions/"  # opened again once logged in: straight on


def test_password_reset_answers_the_same_for_any_address(candidate):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    known = client.post("/account/password-reset/", {"email": "cand.one@example.org"})
    unknown = client.post("/account/password-reset/", {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["cand.one@example.org"]]
    done = client.get(known["Location"]).content.decode()
    assert "If the address has an account" in done
