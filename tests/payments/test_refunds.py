"""``payment_refund``: through the provider that took the money, never more than was paid, once per key."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from exams.errors import RuleViolation
from exams.payments.errors import IdempotencyKeyReused
from exams.payments.models import Payment, PspRefund, Refund
from exams.payments.providers import ProviderRejected, ProviderUnavailable
from exams.payments.providers.testpsp import TestPspProvider
from exams.payments.services import payment_refund, payments_reconcile

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(booking, start, payer):
    return payer(start(booking), "pay")


def refund(after_commit, booking, amount, key, reason="cancelled by candidate"):
    with after_commit():
        result = payment_refund(booking=booking, amount=Decimal(amount), reason=reason, idempotency_key=key)
    return result


def test_refunds_never_exceed_what_was_paid(booking, paid, after_commit):
    first = refund(after_commit, booking, "30", "a")
    second = refund(after_commit, booking, "1000", "b")
    assert (first.amount, second.amount) == (Decimal("30"), Decimal("20"))
    assert refund(after_commit, booking, "5", "c") is None
    paid.refresh_from_db()
    assert paid.amount_refunded == Decimal("50")
    assert sum(r.amount for r in PspRefund.objects.all()) == Decimal("50")


def test_the_same_key_refunds_once(booking, paid, after_commit):
    first = refund(after_commit, booking, "50", "cancel-1")
    again = refund(after_commit, booking, "50", "cancel-1")
    assert again.pk == first.pk
    assert Refund.objects.count() == PspRefund.objects.count() == 1


def test_a_key_cannot_be_reused_for_another_booking(booking, paid, after_commit, candidate, make_session):
    from exams.services.bookings import SeatRequest, booking_create

    refund(after_commit, booking, "10", "k")
    other = booking_create(candidate=candidate, requests=[SeatRequest(make_session(days=40).pk)])
    with pytest.raises(IdempotencyKeyReused):
        refund(after_commit, other, "10", "k")


def test_nothing_paid_means_nothing_to_refund(booking, start, after_commit):
    start(booking)
    assert refund(after_commit, booking, "50", "x") is None
    with pytest.raises(RuleViolation):
        refund(after_commit, booking, "0", "y")


def test_a_refused_refund_fails_and_releases_its_amount(booking, paid, after_commit, monkeypatch):
    def refuse(self, **kw):
        raise ProviderRejected("balance too low")

    monkeypatch.setattr(TestPspProvider, "refund", refuse)
    failed = refund(after_commit, booking, "50", "k")
    failed.refresh_from_db()
    paid.refresh_from_db()
    assert (failed.status, paid.amount_refunded) == ("failed", Decimal("0"))
    assert "balance too low" in failed.error


def test_a_refund_queued_while_the_provider_was_down_is_sent_by_reconciliation(
    booking, paid, after_commit, monkeypatch
):
    def down(self, **kw):
        raise ProviderUnavailable("timeout")

    with monkeypatch.context() as patch:
        patch.setattr(TestPspProvider, "refund", down)
        queued = refund(after_commit, booking, "50", "k")
    queued.refresh_from_db()
    assert queued.status == "queued"
    report = payments_reconcile(now=timezone.now() + timedelta(minutes=5))
    queued.refresh_from_db()
    assert (report.refunds_resent, queued.status) == (1, "refunded")
    assert PspRefund.objects.count() == 1


def test_the_database_refuses_refunding_more_than_the_amount(paid):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=paid.pk).update(amount_refunded=Decimal("50.01"))


def test_an_invoice_is_paid_by_hand_once_and_voided_when_cancelled(
    catalogue, candidate, make_session, start, after_commit
):
    from exams.payments.services import invoice_mark_paid, payments_cancel_open
    from exams.services.bookings import SeatRequest, booking_create

    first = booking_create(candidate=candidate, requests=[SeatRequest(make_session(days=60).pk)])
    invoice = start(first, "invoice")
    with after_commit():
        invoice_mark_paid(payment=invoice)
        invoice_mark_paid(payment=invoice)
    invoice.refresh_from_db()
    assert (invoice.status, list(invoice.events.values_list("to_status", flat=True))) == (
        "paid",
        ["open", "paid"],
    )
    assert not Refund.objects.exists()

    second = booking_create(candidate=candidate, requests=[SeatRequest(make_session(days=61).pk)])
    unpaid = start(second, "invoice")
    assert payments_cancel_open(booking=second) == 1
    unpaid.refresh_from_db()
    assert unpaid.status == "cancelled"
    assert payments_cancel_open(booking=second) == 0


def test_only_invoices_are_marked_paid_by_hand(paid, booking, start):
    from exams.payments.services import invoice_mark_paid

    with pytest.raises(RuleViolation):
        invoice_mark_paid(payment=paid)
