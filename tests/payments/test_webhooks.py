"""Webhooks: a hint to fetch, never a fact. Repeated, reordered and forged calls change things once or not
at all, and every call is logged."""

from __future__ import annotations

import logging

import pytest

from exams.payments.models import Payment, WebhookEvent

from .conftest import confirmations

pytestmark = pytest.mark.django_db

WEBHOOK = "/api/v1/payments/webhooks/{}"


@pytest.mark.parametrize("order", ["forward", "reverse", "shuffle"])
def test_the_same_webhook_five_times_in_any_order_confirms_once(booking, start, payer, release, order):
    payment = start(booking)
    payer(payment, "pay", copies=5, hold=True)
    assert payment.status == "open"  # nothing arrives while the PSP holds the webhooks back
    assert release(payment, order=order) == 5
    booking.refresh_from_db()
    assert (payment.status, booking.status) == ("paid", "confirmed")
    assert confirmations(booking) == 1
    assert list(payment.events.values_list("to_status", flat=True)) == ["open", "paid"]
    outcomes = sorted(WebhookEvent.objects.filter(payment=payment).values_list("outcome", flat=True))
    assert outcomes == ["applied"] + ["no_change"] * 4
    assert not payment.refunds.exists()


def test_a_failed_payment_is_never_paid_by_a_webhook_that_says_so(
    booking, start, payer, after_commit, client
):
    payment = start(booking)
    payer(payment, "fail")
    assert payment.status == "failed"
    with after_commit():
        response = client.post(
            WEBHOOK.format("test"),
            {"id": payment.provider_payment_id, "status": "paid"},
            content_type="application/json",
        )
    assert response.status_code == 200
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert (payment.status, booking.status) == ("failed", "pending_payment")


def test_forged_webhooks_change_nothing_and_are_security_events(booking, start, client, after_commit, caplog):
    test_payment = start(booking)
    caplog.set_level(logging.WARNING, logger="exams.security")
    with after_commit():
        unknown = client.post(WEBHOOK.format("test"), {"id": "tr_forged00000"})
        other_provider = client.post(WEBHOOK.format("mollie"), {"id": test_payment.provider_payment_id})
        no_id = client.post(WEBHOOK.format("test"), {})
    assert [r.status_code for r in (unknown, other_provider, no_id)] == [200, 200, 200]
    outcomes = list(WebhookEvent.objects.order_by("pk").values_list("provider", "outcome"))
    assert outcomes == [("test", "unknown_id"), ("mollie", "wrong_provider"), ("test", "invalid")]
    security = [r for r in caplog.records if r.name == "exams.security"]
    assert len(security) == 3
    test_payment.refresh_from_db()
    assert test_payment.status == "open"
    assert not test_payment.events.exclude(to_status="open").exists()


def test_an_unknown_provider_is_404_with_the_error_body(client):
    response = client.post(WEBHOOK.format("paypal"), {"id": "tr_x"})
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_provider"
    assert set(response.json()) == {"code", "message", "details"}


def test_invoice_takes_no_webhooks(client, db):
    assert client.post(WEBHOOK.format("invoice"), {"id": "inv_1"}).status_code == 404


def test_json_and_form_bodies_both_carry_the_id(booking, start, payer, after_commit, client):
    payment = start(booking)
    payer(payment, "pay", drop=True)
    with after_commit():
        assert (
            client.post(
                WEBHOOK.format("test"), {"id": payment.provider_payment_id}, content_type="application/json"
            ).status_code
            == 200
        )
    payment.refresh_from_db()
    assert payment.status == "paid"
    event = WebhookEvent.objects.get()
    assert (event.provider_payment_id, event.outcome, event.payment_id) == (
        payment.provider_payment_id,
        "applied",
        payment.pk,
    )


def test_a_webhook_while_the_provider_is_down_leaves_the_payment_for_reconciliation(
    booking, start, payer, after_commit, client, monkeypatch
):
    from exams.payments.providers import ProviderUnavailable
    from exams.payments.providers.testpsp import TestPspProvider

    payment = start(booking)
    payer(payment, "pay", drop=True)

    def down(self, provider_payment_id):
        raise ProviderUnavailable("connection refused")

    monkeypatch.setattr(TestPspProvider, "fetch_status", down)
    with after_commit():
        assert client.post(WEBHOOK.format("test"), {"id": payment.provider_payment_id}).status_code == 200
    assert WebhookEvent.objects.get().outcome == "provider_error"
    assert Payment.objects.get().status == "open"
