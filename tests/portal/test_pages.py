"""Portal pages render in both languages, carry the security headers, and survive bad input."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_page_lists_the_four_families_in_dutch_by_default(catalogue):
    page = Client().get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="nl">' in html
    for name in ("Staatsexamen NT2", "Inburgeringsexamen", "Staatsexamens VO", "Wft-examens"):
        assert name in html
    assert 'name="viewport"' in html


def test_language_switch_shows_english(catalogue):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Book, sit and pass your state exam" in html
    assert "State exam Dutch as a second language (NT2)" in html


def test_dutch_page_is_translated(catalogue):
    html = Client(HTTP_ACCEPT_LANGUAGE="nl").get("/sessions/").content.decode()
    assert "Zoek een examenmoment" in html


def test_security_headers_on_every_response(catalogue):
    response = Client().get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_forms_may_lead_to_the_payment_providers_checkout_and_nowhere_else(catalogue, settings):
    """The pay button's redirect goes to the provider's checkout page; the browser follows it only when the
    policy's form-action names that site. The policy is built once per settings state, so it follows a
    change of settings."""
    assert "https://www.mollie.com" not in Client().get("/")["Content-Security-Policy"]
    settings.SITE_URL = "https://examens.example.nl"
    settings.PAYMENTS_PUBLIC_URL = ""
    settings.PAYMENT_PROVIDERS = {
        "invoice": {"class": "exams.payments.providers.invoice.InvoiceProvider"},
        "mollie": {"class": "exams.payments.providers.mollie.MollieProvider", "api_key": "test_x"},
    }
    policy = Client().get("/")["Content-Security-Policy"]
    form_action = next(rule for rule in policy.split("; ") if rule.startswith("form-action"))
    assert form_action == "form-action 'self' https://examens.example.nl https://www.mollie.com"


def test_personal_pages_and_api_answers_are_not_cached(candidate, api_for):
    response = api_for(candidate.user).get("/api/v1/me")
    assert response["Cache-Control"] == "no-store"


def test_session_search_with_bad_dates_shows_a_readable_message(make_session):
    make_session()
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/sessions/", {"date_from": "2027-02-01", "date_to": "2027-01-01"})
    assert page.status_code == 200
    assert "The end date lies before the start date." in page.content.decode()
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/sessions/", {"date_from": "yesterday"})
    assert page.status_code == 200
    assert "Enter a valid date." in page.content.decode()


def test_session_search_lists_open_sessions_with_seats(make_session):
    make_session("NT2-II-LZ", capacity=7)
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/sessions/", {"part": "NT2-II-LZ"}).content.decode()
    assert "Examencentrum Amsterdam" in html
    assert '<td data-label="Seats left">7</td>' in html


def test_login_with_demo_style_account(candidate):
    client = Client()
    response = client.post("/login/", {"username": "cand.one@example.org", "password": "a-long-test-password"})
    assert response.status_code == 302
    assert client.get("/").context["user"].is_authenticated


def test_healthz_reports_database_and_broker(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
