"""Webhooks and refunds racing each other for real, in parallel threads on PostgreSQL: the row locks
(booking → payment → refund) make every change happen once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from exams.payments.models import Payment, PspRefund, Refund
from exams.payments.services import payment_refund, payment_start, payment_sync
from exams.payments.testpsp.services import DeliveryOptions, psp_payment_act
from exams.services.bookings import SeatRequest, booking_create, expire_holds

from .conftest import confirmations

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def in_parallel(work, count: int = THREADS) -> list:
    """Run ``work`` in ``count`` threads that start together; each uses its own database connection."""
    barrier = threading.Barrier(count)

    def run(_):
        try:
            barrier.wait(timeout=10)
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.fixture
def paid_at_psp(candidate, make_session):
    def build(*, expire_first: bool = False) -> Payment:
        booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session(days=30).pk)])
        payment = payment_start(booking=booking, provider="test", return_url="http://testserver/done")
        if expire_first:
            expire_holds(now=timezone.now() + timedelta(hours=1))
        psp_payment_act(
            payment_id=payment.provider_payment_id, action="pay", delivery=DeliveryOptions(drop=True)
        )
        return payment

    return build


def test_parallel_syncs_of_a_paid_payment_confirm_once(candidate, make_session):
    for days, provider in [(30, "test"), (31, "mollie")]:  # one test: each transactional test costs a flush
        booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session(days=days).pk)])
        payment = payment_start(booking=booking, provider=provider, return_url="http://testserver/done")
        psp_payment_act(
            payment_id=payment.provider_payment_id, action="pay", delivery=DeliveryOptions(drop=True)
        )
        pid = payment.provider_payment_id
        results = in_parallel(lambda: payment_sync(provider=provider, provider_payment_id=pid))  # noqa: B023
        assert {p.status for p in results} == {"paid"}
        booking.refresh_from_db()
        assert (booking.status, confirmations(booking)) == ("confirmed", 1)
        assert list(Payment.objects.get(pk=payment.pk).events.values_list("to_status", flat=True)) == [
            "open",
            "paid",
        ]


def test_parallel_syncs_of_a_late_payment_refund_once(paid_at_psp):
    payment = paid_at_psp(expire_first=True)
    in_parallel(lambda: payment_sync(provider="test", provider_payment_id=payment.provider_payment_id))
    assert Refund.objects.count() == PspRefund.objects.count() == 1
    assert Payment.objects.get().amount_refunded == Decimal("50.00")


def test_parallel_refunds_never_exceed_the_payment(paid_at_psp):
    payment = paid_at_psp()
    payment_sync(provider="test", provider_payment_id=payment.provider_payment_id)
    counter = iter(range(100))
    lock = threading.Lock()

    def refund_20():
        with lock:
            key = f"parallel-{next(counter)}"
        return payment_refund(
            booking=payment.booking, amount=Decimal("20"), reason="race", idempotency_key=key
        )

    results = in_parallel(refund_20)
    amounts = sorted(r.amount for r in results if r is not None)
    assert amounts == [Decimal("10"), Decimal("20"), Decimal("20")]
    assert Payment.objects.get().amount_refunded == Decimal("50")
    assert sum(r.amount for r in PspRefund.objects.all()) == Decimal("50")


def test_parallel_starts_with_one_idempotency_key_make_one_payment(candidate, make_session):
    booking = booking_create(candidate=candidate, requests=[SeatRequest(make_session(days=30).pk)])
    results = in_parallel(
        lambda: payment_start(
            booking=booking, provider="test", return_url="http://testserver/done", idempotency_key="same"
        )
    )
    assert len({p.pk for p in results}) == 1
    assert Payment.objects.count() == 1
