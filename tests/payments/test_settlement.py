"""What happens when the money comes in: confirm once, or — when the seat is gone — keep the money on record
and pay it back exactly once. Reconciliation settles what webhooks missed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from exams.models import Booking
from exams.payments.models import Payment, PspRefund, Refund
from exams.payments.services import payment_sync, payments_reconcile
from exams.services.bookings import SeatRequest, booking_create, expire_holds

from .conftest import confirmations

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("provider", ["test", "mollie"])
def test_late_payment_after_the_seat_was_resold_is_recorded_and_refunded_once(
    booking, start, payer, after_commit, other_candidate, provider
):
    payment = start(booking, provider)
    expire_holds(now=timezone.now() + timedelta(hours=1))
    seat = booking.registrations.get().session_id
    resold = booking_create(
        candidate=other_candidate, requests=[SeatRequest(seat)]
    )  # capacity 1: the seat is gone

    payer(payment, "pay")
    booking.refresh_from_db()
    assert (payment.status, booking.status, confirmations(booking)) == ("paid", "expired", 0)
    assert payment.paid_at is not None
    refund = Refund.objects.get()
    assert (refund.payment_id, refund.amount, refund.status) == (payment.pk, Decimal("50.00"), "refunded")
    assert payment.amount_refunded == Decimal("50.00")

    for _ in range(10):  # the same event replayed: still one refund, here and at the provider
        with after_commit():
            payment_sync(provider=provider, provider_payment_id=payment.provider_payment_id)
    assert Refund.objects.count() == 1
    assert PspRefund.objects.count() == 1
    assert Booking.objects.get(pk=resold.pk).status == "held"


def test_paying_again_while_a_payment_is_open_reuses_it(booking, start, payer):
    first = start(booking)
    for _ in range(4):  # the candidate taps "Pay online" again and again
        again = start(booking)
        assert (again.pk, again.checkout_url) == (first.pk, first.checkout_url)
    assert Payment.objects.filter(booking=booking).count() == 1
    payer(first, "cancel")  # given up at the provider: the next tap opens a new checkout
    fresh = start(booking)
    assert fresh.pk != first.pk and fresh.status == "open"
    assert list(Payment.objects.filter(booking=booking).order_by("pk").values_list("status", flat=True)) == [
        "cancelled", "open"]


def test_a_second_payment_for_an_already_paid_booking_is_refunded(booking, start, payer):
    first, second = start(booking), start(booking, "mollie")  # two tabs, two payment methods
    payer(first, "pay")
    payer(second, "pay")
    booking.refresh_from_db()
    assert (booking.status, confirmations(booking)) == ("confirmed", 1)
    assert list(Refund.objects.values_list("payment_id", "amount")) == [(second.pk, Decimal("50.00"))]


@pytest.mark.parametrize("provider", ["test", "mollie"])
def test_reconciliation_settles_a_payment_whose_webhook_was_dropped(
    booking, start, payer, after_commit, provider
):
    payment = start(booking, provider)
    payer(payment, "pay", drop=True)
    assert payment.status == "open"
    with after_commit():
        assert payments_reconcile().checked == 0  # too young: its webhook may still come
        report = payments_reconcile(now=timezone.now() + timedelta(minutes=11))
    assert (report.checked, report.changed) == (1, 1)
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert (payment.status, booking.status, confirmations(booking)) == ("paid", "confirmed", 1)
    assert payment.events.last().source == "reconcile"
    later = payments_reconcile(now=timezone.now() + timedelta(minutes=30))
    assert later.checked == 0


def test_reconciliation_closes_expired_and_abandoned_payments(booking, start, payer):
    expired = start(booking)
    payer(expired, "expire", drop=True)
    Payment.objects.create(booking=booking, provider="test", amount=Decimal("50"))  # crashed mid-start
    report = payments_reconcile(now=timezone.now() + timedelta(minutes=11))
    assert (report.checked, report.changed, report.abandoned) == (2, 1, 1)
    assert set(Payment.objects.values_list("status", flat=True)) == {"expired", "failed"}


def test_reconciliation_leaves_invoices_alone(catalogue, candidate, make_session, start):
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session(days=60).pk)])
    start(booking, "invoice")
    assert payments_reconcile(now=timezone.now() + timedelta(days=1)).checked == 0
