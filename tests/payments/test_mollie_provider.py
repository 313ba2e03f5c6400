"""The Mollie provider is the official ``mollie-api-python`` client pointed at the test PSP: every request
below is built, sent and parsed by Mollie's own code, in-process through a transport adapter and, once,
over real HTTP against ``live_server``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from exams.payments.models import Payment, PspPayment, PspRefund, Refund
from exams.payments.providers import ProviderRejected, ProviderUnavailable, get_provider
from exams.payments.services import payment_refund

from .conftest import confirmations

pytestmark = pytest.mark.django_db


def test_pay_through_mollie_from_start_to_refund(booking, start, payer, after_commit, transport):
    payment = start(booking, "mollie")
    assert payment.provider_payment_id.startswith("tr_")
    assert (
        payment.checkout_url == f"http://testserver/payments/test-psp/checkout/{payment.provider_payment_id}/"
    )
    at_psp = PspPayment.objects.get(pk=payment.provider_payment_id)
    assert at_psp.webhook_url == "http://testserver/api/v1/payments/webhooks/mollie"
    assert at_psp.amount == Decimal("50.00")
    assert at_psp.redirect_url == f"http://testserver/payments/return/{payment.reference}/"
    assert at_psp.metadata == {"reference": str(payment.reference), "booking": booking.pk}

    payer(payment, "pay")
    booking.refresh_from_db()
    assert (payment.status, booking.status, confirmations(booking)) == ("paid", "confirmed", 1)

    with after_commit():
        refund = payment_refund(
            booking=booking, amount=Decimal("20"), reason="cancelled", idempotency_key="c-1"
        )
    refund.refresh_from_db()
    assert (refund.status, refund.provider_refund_id[:3]) == ("refunded", "re_")
    assert PspPayment.objects.get(pk=payment.provider_payment_id).amount_refunded == Decimal("20")
    assert ("POST", "/payments/test-psp/v2/payments") in transport.calls
    assert ("GET", f"/payments/test-psp/v2/payments/{payment.provider_payment_id}") in transport.calls
    assert (
        "POST",
        f"/payments/test-psp/v2/payments/{payment.provider_payment_id}/refunds",
    ) in transport.calls


def test_mollie_payments_are_created_once_per_reference(booking, start):
    """The payment's reference is Mollie's Idempotency-Key: a retried create returns the same payment."""
    payment = start(booking, "mollie")
    again = get_provider("mollie").start_payment(payment)
    assert again[0] == payment.provider_payment_id
    assert PspPayment.objects.count() == 1


def test_mollie_errors_map_to_rejected_or_unavailable(booking, settings):
    mollie = get_provider("mollie")
    with pytest.raises(ProviderRejected):
        mollie.fetch_status("tr_doesnotexist")
    with pytest.raises(ProviderRejected):
        mollie.fetch_status("not-a-payment-id")  # the client refuses it before sending anything
    settings.PAYMENT_PROVIDERS["mollie"]["api_key"] = "test_wrongkey0000000000000000000000"
    with pytest.raises(ProviderRejected):
        get_provider("mollie").fetch_status("tr_doesnotexist")
    settings.PAYMENT_PROVIDERS["mollie"].update(
        api_endpoint="http://127.0.0.1:9", http_session=None, timeout=1
    )
    with pytest.raises(ProviderUnavailable):
        get_provider("mollie").fetch_status("tr_doesnotexist")


def test_the_test_psp_refuses_refunds_beyond_what_remains(booking, start, payer):
    payment = start(booking, "mollie")
    payer(payment, "pay")
    mollie = get_provider("mollie")
    mollie.refund(
        provider_payment_id=payment.provider_payment_id,
        amount=Decimal("50"),
        currency="EUR",
        description="all",
        idempotency_key="k1",
    )
    with pytest.raises(ProviderRejected):
        mollie.refund(
            provider_payment_id=payment.provider_payment_id,
            amount=Decimal("0.01"),
            currency="EUR",
            description="more",
            idempotency_key="k2",
        )
    assert PspRefund.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_mollie_over_real_http_against_the_live_test_psp(
    live_server, settings, monkeypatch, candidate, make_session
):
    """Real sockets both ways: the client calls the PSP's API, the PSP calls the app's webhook."""
    import requests

    from exams.payments.services import payment_start
    from exams.payments.testpsp import services as psp
    from exams.services.bookings import SeatRequest, booking_create

    settings.PAYMENTS_PUBLIC_URL = live_server.url
    settings.ALLOWED_HOSTS = ["*"]
    settings.PAYMENT_PROVIDERS["mollie"].update(
        api_endpoint=f"{live_server.url}/payments/test-psp", http_session=None
    )
    monkeypatch.setattr(psp, "http_session", requests.Session)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session(days=30).pk)])

    payment = payment_start(booking=booking, provider="mollie", return_url=f"{live_server.url}/")
    assert payment.checkout_url.startswith(f"{live_server.url}/payments/test-psp/checkout/tr_")
    page = requests.get(payment.checkout_url, timeout=10)
    assert page.status_code == 200 and "Testbetaling" in page.text
    psp.psp_payment_act(
        payment_id=payment.provider_payment_id,
        action="pay",
        delivery=psp.DeliveryOptions(hold=True, copies=2),
    )
    assert (
        psp.psp_deliveries_release(payment_id=payment.provider_payment_id) == 2
    )  # POSTs to the live webhook

    payment.refresh_from_db()
    booking.refresh_from_db()
    assert (payment.status, booking.status, confirmations(booking)) == ("paid", "confirmed", 1)
    refund = payment_refund(booking=booking, amount=Decimal("50"), reason="test", idempotency_key="live-1")
    refund.refresh_from_db()
    assert refund.status == Refund.Status.REFUNDED
    assert Payment.objects.get().amount_refunded == Decimal("50")


def test_mollie_is_offered_when_an_api_key_is_configured(monkeypatch, settings):
    from exams.payments.providers import default_providers

    monkeypatch.delenv("MOLLIE_API_KEY", raising=False)
    assert sorted(default_providers()) == ["invoice", "test"]
    monkeypatch.setenv("MOLLIE_API_KEY", "live_abc123")
    monkeypatch.setenv("MOLLIE_API_ENDPOINT", "https://mollie.example.test")
    mollie = default_providers()["mollie"]
    assert (mollie["api_key"], mollie["api_endpoint"]) == ("live_abc123", "https://mollie.example.test")
    del settings.PAYMENT_PROVIDERS  # the registry falls back to the defaults
    assert get_provider("mollie").options["api_key"] == "live_abc123"


def test_a_malformed_api_key_is_a_rejection_not_a_crash(settings):
    settings.PAYMENT_PROVIDERS["mollie"]["api_key"] = "sk_not_mollie"
    with pytest.raises(ProviderRejected):
        get_provider("mollie").fetch_status("tr_x")
