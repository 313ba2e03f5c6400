"""The profile page checks what a candidate types: a country from the list, a plausible birth date, a BSN
that passes the 11-test and a phone number with its country code. A wrong value is named next to its
field and nothing is saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from exams.identity import bsn_valid, phone_check

pytestmark = pytest.mark.django_db

GOOD = {"first_name": "Olena", "last_name": "Kovalenko", "birth_date": "1990-05-01", "phone": "+31 6 12345678",
        "language": "en", "street": "Oudegracht 1", "postcode": "3511 AB", "city": "Utrecht", "country": "UA",
        "national_id": ""}


def client_for(candidate, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(candidate.user)
    return client


def _error_next_to(page: str, field: str, message: str) -> bool:
    """The message sits in the field's own block (``<div class="field has-error">`` around its input)."""
    at = page.index(f'name="{field}"')
    start, end = page.rindex('<div class="field', 0, at), page.find('<div class="field', at)
    return 'has-error' in page[start:at] and message in page[start:end if end > 0 else None]


def test_a_good_profile_is_saved_with_the_phone_number_in_international_form(candidate):
    response = client_for(candidate).post("/my/profile/", {**GOOD, "phone": "06-1234 5678",
                                                           "national_id": "111222333"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.phone, candidate.country, candidate.national_id) == ("+31612345678", "UA", "111222333")


@pytest.mark.parametrize("field, value, message", [
    ("country", "XX", "Select a valid choice"),
    ("birth_date", (date.today() + timedelta(days=2)).isoformat(), "cannot lie in the future"),
    ("birth_date", "1899-12-31", "before 1900 is not possible"),
    ("birth_date", (date.today() - timedelta(days=365 * 5)).isoformat(), "at least 12 years old"),
    ("national_id", "123456789", "not a valid citizen service number"),
    ("national_id", "12345", "8 or 9 digits"),
    ("phone", "12345", "with its country code"),
    ("phone", "+31 6 1234 5678 9999 99", "with its country code"),
    ("phone", "call me", "with its country code"),
])
def test_a_wrong_value_is_named_next_to_its_field_and_nothing_is_saved(candidate, field, value, message):
    before = {f: getattr(candidate, f) for f in ("first_name", "birth_date", "phone", "country", "national_id")}
    response = client_for(candidate).post("/my/profile/", {**GOOD, "first_name": "Changed", field: value})
    page = response.content.decode()
    assert response.status_code == 200 and _error_next_to(page, field, message)
    candidate.refresh_from_db()
    assert {f: getattr(candidate, f) for f in before} == before


def test_the_country_list_names_countries_in_the_pages_language(candidate):
    dutch = client_for(candidate, "nl").get("/my/profile/").content.decode()
    english = client_for(candidate, "en").get("/my/profile/").content.decode()
    assert '<option value="DE">Duitsland</option>' in dutch and '<option value="NL" selected>Nederland</option>' in dutch
    assert '<option value="DE">Germany</option>' in english
    assert dutch.index(">Afghanistan<") < dutch.index(">Zwitserland<")


def test_the_dutch_page_says_what_is_wrong_in_dutch(candidate):
    page = client_for(candidate, "nl").post("/my/profile/", {**GOOD, "national_id": "123456789"}).content.decode()
    assert "Dit is geen geldig burgerservicenummer" in page


def test_the_eleven_test_and_the_phone_forms():
    assert bsn_valid("123456782") and bsn_valid("111222333")
    assert not bsn_valid("123456789") and not bsn_valid("000000000")
    assert phone_check("0031 20 555 0100") == "+31205550100"
    assert phone_check("+44 (20) 7946-0958") == "+442079460958"


def test_sign_up_refuses_a_birth_date_in_the_future(catalogue):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = Client(HTTP_ACCEPT_LANGUAGE="en").post("/signup/", {
        "email": "young@example.org", "first_name": "A", "last_name": "B", "birth_date": tomorrow,
        "language": "en", "password1": "a-sturdy-passphrase", "password2": "a-sturdy-passphrase"})
    assert "cannot lie in the future" in page.content.decode()


def test_the_dutch_country_list_uses_the_names_people_know():
    from exams.countries import country_choices

    with translation.override("nl"):
        names = dict(country_choices())
    assert (names["GE"], names["LA"], names["BO"], names["VE"]) == ("Georgië", "Laos", "Bolivia", "Venezuela")
