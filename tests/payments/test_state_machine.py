"""The payment state machine: statuses only move forward, paid is final, and — over any sequence of payer
choices, duplicated and reordered webhooks, reconciliations, refunds and expiring holds — refunds never
exceed what was paid and a booking is confirmed at most once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from exams.errors import DomainError
from exams.payments.models import Payment, PspPayment, next_status
from exams.payments.services import payment_refund, payment_start, payments_reconcile
from exams.payments.testpsp.services import DeliveryOptions, PspError, psp_deliveries_release, psp_payment_act
from exams.services.bookings import SeatRequest, booking_create, expire_holds

from .conftest import confirmations

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("current", "reported", "expected"),
    [
        ("open", "open", None),
        ("open", "pending", None),
        ("open", "paid", "paid"),
        ("open", "failed", "failed"),
        ("open", "canceled", "cancelled"),
        ("open", "expired", "expired"),
        ("paid", "open", None),
        ("paid", "failed", None),
        ("paid", "expired", None),
        ("failed", "open", None),
        ("expired", "pending", None),
        ("cancelled", "failed", None),
        ("expired", "paid", "paid"),  # a late bank transfer: record the money, then confirm or refund
        ("failed", "paid", "paid"),
        ("open", "something-new", None),
    ],
)
def test_statuses_only_move_forward_and_paid_is_final(current, reported, expected):
    assert next_status(current, reported) == expected


class Rollback(Exception):
    """Undo one generated example, so the next starts from the same database."""


ACTIONS = st.one_of(
    st.tuples(st.just("start"), st.sampled_from(["test", "mollie"])),
    st.tuples(
        st.just("payer"),
        st.sampled_from(["pay", "pay", "pay", "fail", "cancel", "expire"]),
        st.integers(0, 3),
    ),
    st.tuples(st.just("webhooks"), st.sampled_from(["forward", "reverse", "shuffle"])),
    st.tuples(st.just("reconcile")),
    st.tuples(st.just("refund"), st.integers(1, 8000), st.integers(0, 2)),
    st.tuples(st.just("expire_hold")),
)


class Scenario:
    """Plays one generated sequence of events against the real services and the test PSP."""

    def __init__(self, booking, after_commit) -> None:
        self.booking, self.after_commit = booking, after_commit
        self.ever_paid: set[int] = set()

    def play(self, action: tuple) -> None:
        name, *args = action
        with self.after_commit():
            try:
                getattr(self, name)(*args)
            except (DomainError, PspError):
                pass  # refused as it should be (not payable, already closed): the invariants still hold

    def start(self, provider: str) -> None:
        payment_start(booking=self.booking, provider=provider, return_url="http://testserver/done")

    def payer(self, choice: str, index: int) -> None:
        payments = list(
            Payment.objects.filter(booking=self.booking).exclude(provider_payment_id=None).order_by("pk")
        )
        if payments:
            target = payments[index % len(payments)]
            psp_payment_act(
                payment_id=target.provider_payment_id,
                action=choice,
                delivery=DeliveryOptions(hold=True, copies=2),
            )

    def webhooks(self, order: str) -> None:
        psp_deliveries_release(order=order)

    def reconcile(self) -> None:
        payments_reconcile(now=timezone.now() + timedelta(minutes=11))

    def refund(self, cents: int, key: int) -> None:
        payment_refund(
            booking=self.booking, amount=Decimal(cents) / 100, reason="cancelled", idempotency_key=f"k{key}"
        )

    def expire_hold(self) -> None:
        expire_holds(now=timezone.now() + timedelta(hours=1))

    def check(self) -> None:
        payments = list(Payment.objects.filter(booking=self.booking))
        for payment in payments:
            kept = sum((r.amount for r in payment.refunds.exclude(status="failed")), Decimal("0"))
            assert payment.amount_refunded == kept
            assert Decimal("0") <= payment.amount_refunded <= payment.amount
            if payment.status == "paid":
                self.ever_paid.add(payment.pk)
                at_psp = PspPayment.objects.get(pk=payment.provider_payment_id)
                assert at_psp.amount_refunded == payment.amount_refunded  # every refund reached the provider
            else:
                assert payment.pk not in self.ever_paid, "a paid payment became unpaid"
                assert payment.amount_refunded == 0
        assert confirmations(self.booking) <= 1
        self.booking.refresh_from_db()
        event(f"booking {self.booking.status}, {len(self.ever_paid)} paid payment(s)")
        kept_in_full = [p for p in payments if p.status == "paid" and p.amount_refunded < p.amount]
        if self.booking.status == "confirmed":
            assert len(kept_in_full) <= 1, "money kept twice for one booking"
        else:
            assert kept_in_full == [], "money kept for a booking that was not confirmed"


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(ACTIONS, min_size=1, max_size=10))
def test_any_sequence_of_events_keeps_the_money_straight(actions, candidate, make_session, after_commit):
    try:
        with transaction.atomic():
            session = make_session("NT2-II-LZ", days=30)
            booking = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
            scenario = Scenario(booking, after_commit)
            scenario.start("test")
            for action in actions:
                scenario.play(action)
                scenario.check()
            raise Rollback
    except Rollback:
        pass
