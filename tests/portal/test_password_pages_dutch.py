"""The password pages come from Django's own forms, whose Dutch addresses people formally ("Uw oude
wachtwoord ..."); the portal's catalogue says the same things with "je", as the rest of the site does."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db

FORMAL = re.compile(r"\b(?:[Uu]w?|[Uu]zelf)\b")


def dutch_client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    if user is not None:
        client.force_login(user)
    return client


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_the_password_change_page_and_its_errors_say_je(candidate):
    client = dutch_client(candidate.user)
    page = client.get("/account/password/").content.decode()
    errors = client.post("/account/password/", {"old_password": "wrong", "new_password1": "1234567",
                                                "new_password2": "1234567"}).content.decode()
    for html in (page, errors):
        assert FORMAL.findall(visible_text(html)) == []
    assert "Je oude wachtwoord klopt niet" in errors
    assert "Je wachtwoord moet minstens 10 tekens lang zijn." in page
    assert "Je wachtwoord mag niet alleen uit cijfers bestaan." in page


def test_the_new_password_page_of_a_reset_link_says_je(candidate):
    user = candidate.user
    link = f"/account/reset/{urlsafe_base64_encode(force_bytes(user.pk))}/{default_token_generator.make_token(user)}/"
    client = dutch_client()
    form_page = client.get(link, follow=True)
    page = form_page.content.decode()
    errors = client.post(form_page.redirect_chain[-1][0], {"new_password1": "olena-kovalenko",
                                                           "new_password2": "olena-kovalenko"}).content.decode()
    assert "new_password1" in page
    for html in (page, errors):
        assert FORMAL.findall(visible_text(html)) == []
    assert "Je wachtwoord mag niet te veel op je andere gegevens lijken." in page
