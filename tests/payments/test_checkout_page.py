"""The test PSP's checkout page: Dutch and English, labelled controls, and the payer's choice followed by
a redirect back and an asynchronous webhook."""

from __future__ import annotations

import pytest

from exams.payments.models import PspWebhookDelivery

pytestmark = pytest.mark.django_db


def test_checkout_page_in_dutch_and_english(booking, start, client):
    payment = start(booking)
    path = f"/payments/test-psp/checkout/{payment.provider_payment_id}/"
    dutch = client.get(path, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<html lang="nl">' in dutch and "<h1>Testbetaling</h1>" in dutch and "Betalen" in dutch
    assert '<label for="id_delay_seconds">Vertraging in seconden</label>' in dutch
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english and "<h1>Test payment</h1>" in english
    assert "Let it expire" in english


def test_paying_on_the_checkout_page_redirects_back_and_confirms(booking, start, client, after_commit):
    payment = start(booking)
    with after_commit():
        response = client.post(
            f"/payments/test-psp/checkout/{payment.provider_payment_id}/",
            {"action": "pay", "copies": "2", "delay_seconds": "0", "mode": "send"},
        )
    assert (response.status_code, response["Location"]) == (
        302,
        f"http://testserver/payments/return/{payment.reference}/",
    )
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert (payment.status, booking.status) == ("paid", "confirmed")
    assert list(PspWebhookDelivery.objects.values_list("status", "response_code")) == [("sent", 200)] * 2
    closed = client.get(f"/payments/test-psp/checkout/{payment.provider_payment_id}/").content.decode()
    assert "Terug naar uw boeking" in closed and 'name="action"' not in closed


def test_an_unknown_checkout_is_404(client, db):
    assert client.get("/payments/test-psp/checkout/tr_nothere000/").status_code == 404


def test_the_psp_api_wants_its_key_and_answers_like_mollie(client, booking, start):
    payment = start(booking)
    path = f"/payments/test-psp/v2/payments/{payment.provider_payment_id}"
    refused = client.get(path)
    assert refused.status_code == 401
    assert set(refused.json()) >= {"status", "title", "detail", "_links"}
    body = client.get(path, HTTP_AUTHORIZATION="Bearer test_examlogisticspsp0000000000000000").json()
    assert body["resource"] == "payment" and body["status"] == "open"
    assert body["amount"] == {"value": "50.00", "currency": "EUR"}
    assert body["_links"]["checkout"]["href"].endswith(f"/checkout/{payment.provider_payment_id}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_checkout_page_on_a_phone_passes_axe(
    live_server, phone, axe_violations, settings, candidate, make_session
):
    from exams.payments.services import payment_start
    from exams.services.bookings import SeatRequest, booking_create

    settings.PAYMENTS_PUBLIC_URL = live_server.url
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session().pk)])
    payment = payment_start(booking=booking, provider="test", return_url=live_server.url + "/")
    phone.goto(payment.checkout_url)
    assert phone.get_by_role("heading", level=1).inner_text() == "Testbetaling"
    assert axe_violations(phone) == []
    phone.get_by_role("button", name="English").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", level=1).inner_text() == "Test payment"
    assert axe_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.get_by_label("Drop (never send)").check()
    phone.get_by_role("button", name="Pay", exact=True).click()
    phone.wait_for_url(live_server.url + "/")
    payment.refresh_from_db()
    assert payment.status == "paid"  # the webhook was dropped, but the return page asked the provider
    assert payment.events.last().source == "return"


def test_the_test_psp_is_off_in_production(settings, client, booking, start):
    from exams.payments.providers import default_providers

    payment = start(booking)
    settings.ENVIRONMENT = "production"
    del settings.TEST_PSP
    assert "test" not in default_providers()
    assert client.get(f"/payments/test-psp/checkout/{payment.provider_payment_id}/").status_code == 404
    assert client.get("/payments/test-psp/v2/payments").status_code == 404
    settings.TEST_PSP = {"ENABLED": True}
    assert "test" in default_providers()


def test_the_return_page_checks_the_status_and_sends_the_payer_on(
    booking, start, payer, client, after_commit
):
    payment = start(booking, "mollie")
    payer(payment, "pay", hold=True)
    with after_commit():
        response = client.get(f"/payments/return/{payment.reference}/")
    assert (response.status_code, response["Location"]) == (302, "http://testserver/done")
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert (payment.status, booking.status) == ("paid", "confirmed")
    assert client.get("/payments/return/7d3f0e5c-1d4f-4c0e-9a55-0c6f3e0d9b11/").status_code == 404


def test_the_payment_names_the_booking_reference_in_the_candidates_language(booking, start, candidate):
    from exams.payments.models import PspPayment

    candidate.language = "nl"
    candidate.save()
    payment = start(booking)
    description = PspPayment.objects.get(id=payment.provider_payment_id).description
    assert description == f"Examenboeking B{booking.pk:07d}"
