"""A logged-in candidate changes their password (Django's form and validators) and their e-mail address
(a link to the new address, a note to the old one; the old address logs in until the link is opened)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from exams.models import Candidate, User

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # the fixtures' password


def client_for(user, language: str = "en") -> Client:
    User.objects.filter(pk=user.pk).update(language=language)  # the account's language: that of its mails
    user.language = language
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_change_password_needs_the_old_one_and_the_new_one_twice(candidate):
    client = client_for(candidate.user)
    assert 'href="/account/password/"' in client.get("/my/profile/").content.decode()
    wrong_old = client.post("/account/password/", {"old_password": "guess", "new_password1": "a-fresh-passphrase-9",
                                                   "new_password2": "a-fresh-passphrase-9"})
    assert "Your old password was entered incorrectly" in wrong_old.content.decode()
    differ = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "a-fresh-passphrase-9",
                                                "new_password2": "another-passphrase-9"})
    assert "didn’t match" in differ.content.decode() or "didn't match" in differ.content.decode()
    weak = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "12345678901",
                                              "new_password2": "12345678901"})
    assert "entirely numeric" in weak.content.decode()
    assert User.objects.get(pk=candidate.user.pk).check_password(PASSWORD)
    done = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "a-fresh-passphrase-9",
                                              "new_password2": "a-fresh-passphrase-9"}, follow=True)
    assert "Your password is changed." in done.content.decode()
    assert User.objects.get(pk=candidate.user.pk).check_password("a-fresh-passphrase-9")
    assert client.get("/my/").status_code == 200  # still logged in


def logs_in(email: str) -> bool:
    return Client().post("/login/", {"username": email, "password": PASSWORD}).status_code == 302


def _link(message) -> str:
    return re.search(r"http://testserver(/account/email/confirm/[^/\s]+/)", message.body).group(1)


def test_change_email_confirms_at_the_new_address_and_tells_the_old_one(candidate):
    client = client_for(candidate.user)
    assert client.post("/account/email/", {"email": "olena@new.example", "password": "wrong"}
                       ).status_code == 200  # the password is checked
    assert mail.outbox == []
    client.post("/account/email/", {"email": "Olena@New.example", "password": PASSWORD})
    to_new, = [m for m in mail.outbox if m.to == ["olena@new.example"]]
    to_old, = [m for m in mail.outbox if m.to == ["cand.one@example.org"]]
    assert "olena@new.example" in to_old.body and "change your password" in to_old.body
    # nothing changes until the link is opened: the old address still logs in
    assert User.objects.get(pk=candidate.user.pk).email == "cand.one@example.org"
    assert logs_in("cand.one@example.org")
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(_link(to_new), follow=True).content.decode()
    assert "Your e-mail address is now olena@new.example" in page
    user = User.objects.get(pk=candidate.user.pk)
    assert user.email == "olena@new.example" and user.email_verified
    assert Candidate.objects.get(pk=candidate.pk).email == "olena@new.example"
    assert logs_in("olena@new.example")
    assert not logs_in("cand.one@example.org")
    again = Client(HTTP_ACCEPT_LANGUAGE="en").get(_link(to_new), follow=True).content.decode()
    assert "This link is not valid." in again  # a link works once


def test_an_address_with_an_account_gets_a_note_not_a_link(candidate, other_candidate):
    client = client_for(candidate.user)
    page = client.post("/account/email/", {"email": other_candidate.email, "password": PASSWORD},
                       follow=True).content.decode()
    assert f"We sent a link to {other_candidate.email}" in page  # the page says the same as for a free address
    to_taken, = [m for m in mail.outbox if m.to == [other_candidate.email]]
    assert "/account/email/confirm/" not in to_taken.body and "already has an account" in to_taken.body
    assert User.objects.get(pk=candidate.user.pk).email == "cand.one@example.org"


def test_the_dutch_candidate_gets_dutch_mails(candidate):
    client_for(candidate.user, "nl").post("/account/email/", {"email": "olena@new.example", "password": PASSWORD})
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["Bevestig je nieuwe e-mailadres", "Wijziging van je e-mailadres"]


def test_an_expired_change_link_says_to_ask_again_from_the_profile(candidate, monkeypatch):
    from exams.services import accounts

    client_for(candidate.user).post("/account/email/", {"email": "olena@new.example", "password": PASSWORD})
    to_new, = [m for m in mail.outbox if m.to == ["olena@new.example"]]
    monkeypatch.setattr(accounts, "VERIFY_MAX_AGE", -1)  # every link has run out
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(_link(to_new), follow=True).content.decode()
    assert "Ask for the change of e-mail address again from your profile." in page
    assert "Log in to get a new one" not in page
    assert User.objects.get(pk=candidate.user.pk).email == "cand.one@example.org"


def test_a_new_password_ends_the_accounts_api_tokens(candidate):
    """Whoever changes a password because someone else knew it expects that person locked out: the other
    sessions end (Django) and so do the bearer tokens made with the old password."""
    from exams.models import ApiToken

    key = ApiToken.issue(candidate.user)
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    client_for(candidate.user).post("/account/password/", {
        "old_password": PASSWORD, "new_password1": "a-fresh-passphrase-9", "new_password2": "a-fresh-passphrase-9"})
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_a_password_reset_ends_the_accounts_api_tokens(candidate):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from exams.models import ApiToken

    key = ApiToken.issue(candidate.user)
    uid, token = urlsafe_base64_encode(force_bytes(candidate.user.pk)), default_token_generator.make_token(
        candidate.user)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    form = client.get(f"/account/reset/{uid}/{token}/", follow=True)
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "a-fresh-passphrase-9",
                                                    "new_password2": "a-fresh-passphrase-9"})
    assert done.status_code == 302 and User.objects.get(pk=candidate.user.pk).check_password("a-fresh-passphrase-9")
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@pytest.mark.parametrize("form", ["email", "password"])
def test_a_logged_in_session_cannot_guess_the_current_password(candidate, form):
    """Five wrong current passwords, then a quarter of an hour in which even the right one is refused: a
    stolen session is no way to find the password and move the account to another address."""
    client = client_for(candidate.user)
    url, field, rest, wrong = {
        "email": ("/account/email/", "password", {"email": "olena@new.example"},
                  "This is not your current password."),
        "password": ("/account/password/", "old_password", {"new_password1": "another-sturdy-passphrase",
                                                            "new_password2": "another-sturdy-passphrase"},
                     "Your old password was entered incorrectly"),
    }[form]
    for attempt in range(5):
        assert wrong in client.post(url, {**rest, field: f"guess-{attempt}"}).content.decode()
    page = client.post(url, {**rest, field: PASSWORD}).content.decode()
    assert "Too many wrong passwords" in page
    user = User.objects.get(pk=candidate.user.pk)
    assert user.email == "cand.one@example.org" and user.check_password(PASSWORD)
    assert not [m for m in mail.outbox if m.to == ["olena@new.example"]]
