"""The payment guarantees at the scale issue #7 names, on PostgreSQL with real threads: 50 forged webhooks,
every event of 200 payments five times over in parallel, 1,000 payments with a tenth of their webhooks lost,
late payments for resold seats replayed ten times, and replays of the booking and payment endpoints.

Webhooks travel the way a provider's do: the test PSP posts them to the real webhook view, which fetches the
status from the PSP and applies it. The set-up (candidates, bookings, payments) goes through the services,
in parallel. Each test prints its figures (run with ``-s`` to see them)."""

from __future__ import annotations

import json
import logging
import random
import time
from datetime import timedelta
from decimal import Decimal
from functools import partial
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
import hypothesis
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from exams.models import ApiToken, Booking
from exams.payments import tasks
from exams.payments.models import Payment, PaymentEvent, PspPayment, PspRefund, PspWebhookDelivery, Refund
from exams.payments.models import WebhookEvent
from exams.payments.testpsp.services import DeliveryOptions, psp_delivery_send
from exams.services.bookings import SeatRequest, booking_create, expire_holds

from .scale import Effects, act_at_psp, held_bookings, illegal_transitions, in_parallel, make_candidates
from .scale import start_payments, thread_local_http
from .test_state_machine import ACTIONS, Scenario

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WEBHOOK = "/api/v1/payments/webhooks/{}"


@pytest.fixture
def effects(monkeypatch) -> Effects:
    thread_local_http(monkeypatch)
    return Effects(monkeypatch)


def send_held_webhooks(seed: int) -> list[bool]:
    """The PSP sends every webhook it held back, shuffled, from parallel threads."""
    held = PspWebhookDelivery.objects.filter(status=PspWebhookDelivery.Status.HELD)
    ids = list(held.values_list("pk", flat=True))
    held.update(status=PspWebhookDelivery.Status.PENDING)
    random.Random(seed).shuffle(ids)
    return in_parallel([partial(psp_delivery_send, delivery_id=pk) for pk in ids])


def figures(text: str) -> None:
    print(f"\n{text}")


# --- 50 forged webhooks --------------------------------------------------------------------------------


def test_50_forged_webhooks_change_nothing_and_are_each_a_security_event(make_session, effects, caplog):
    began = time.monotonic()
    bookings = held_bookings(make_candidates(20, "victim"), make_session)
    test_ids = [p.provider_payment_id for p in start_payments(bookings[:15])]
    mollie_ids = [
        p.provider_payment_id for p in start_payments(bookings[15:], provider="mollie")
    ]
    made_up = [f"tr_forged{i:05d}" for i in range(20)]

    def post(provider: str, body, content_type: str = "application/json"):
        data = json.dumps(body) if content_type == "application/json" else urlencode(body)
        return lambda: Client().post(WEBHOOK.format(provider), data, content_type=content_type).status_code

    calls = (
        [post("test", {"id": i}) for i in made_up[:15]]  # ids nobody handed out
        + [post("mollie", {"id": i}, "application/x-www-form-urlencoded") for i in made_up[15:]]
        + [post("test", {"id": i}) for i in mollie_ids]  # another provider's payments
        + [post("mollie", {"id": i}) for i in test_ids[:5]]
        + [post("test", {"id": i, "status": "paid"}) for i in test_ids[5:]]  # open at the PSP, "paid" here
        + [post("mollie", {"id": i, "status": "paid"}) for i in mollie_ids]
        + [post("test", {}), post("test", {"id": "tr_" + "x" * 120}), post("test", ["tr_x"])]  # no usable id
        + [post("test", {"id": ""}, "application/x-www-form-urlencoded"), post("mollie", {"id": 42})]
    )
    assert len(calls) == 50
    random.Random(3).shuffle(calls)
    caplog.set_level(logging.WARNING, logger="exams.security")
    caplog.clear()  # the set-up's own audit lines (bookings made) are not what is counted
    prepared = time.monotonic()

    assert in_parallel(calls) == [200] * 50
    sent = time.monotonic()

    outcomes = sorted(WebhookEvent.objects.values_list("outcome", flat=True))
    assert outcomes == sorted(
        ["unknown_id"] * 20 + ["wrong_provider"] * 10 + ["no_change"] * 15 + ["invalid"] * 5
    )
    security = [r for r in caplog.records if r.name == "exams.security" and r.levelno >= logging.WARNING]
    assert len(security) == 50
    assert set(Payment.objects.values_list("status", flat=True)) == {"open"}
    assert set(PspPayment.objects.values_list("status", flat=True)) == {"open"}
    assert list(PaymentEvent.objects.values_list("to_status", flat=True)) == ["open"] * 20
    assert set(Booking.objects.values_list("status", flat=True)) == {"pending_payment"}
    assert not effects.confirmations() and not effects.emails() and not effects.documents()
    assert not Refund.objects.exists()
    figures(
        f"50 forged webhooks: set-up {prepared - began:.1f} s, sent in parallel {sent - prepared:.1f} s, "
        f"{len(security)} security events, 0 changes"
    )


# --- Every event of 200 payments, five times -----------------------------------------------------------

#: The payers' choices for the 200 payments: most pay, some fail, cancel or let the payment expire.
CHOICES = ["pay"] * 170 + ["fail"] * 10 + ["cancel"] * 10 + ["expire"] * 10
OURS = {"pay": "paid", "fail": "failed", "cancel": "cancelled", "expire": "expired"}


def test_every_event_of_200_payments_five_times_in_parallel_confirms_each_paid_booking_once(
    make_session, effects
):
    began = time.monotonic()
    payments = start_payments(held_bookings(make_candidates(200), make_session))
    choices = random.Random(1).sample(CHOICES, len(CHOICES))
    act_at_psp(payments, choices, DeliveryOptions(copies=5, hold=True))
    prepared = time.monotonic()

    assert send_held_webhooks(seed=2) == [True] * 1000
    delivered = time.monotonic()

    expected = {p.pk: OURS[c] for p, c in zip(payments, choices, strict=True)}
    assert dict(Payment.objects.values_list("pk", "status")) == expected
    paid = [p for p in payments if expected[p.pk] == "paid"]
    assert effects.confirmations() == {p.booking_id: 1 for p in paid}
    assert effects.emails() == {p.booking.candidate.email: 1 for p in paid}
    assert effects.notifications() == {f"booking-{p.booking_id}-confirmed": 1 for p in paid}
    assert effects.documents() == {f"B{p.booking_id:07d}": 1 for p in paid}
    assert illegal_transitions() == []
    assert PaymentEvent.objects.count() == 2 * len(payments)
    outcomes = sorted(WebhookEvent.objects.values_list("outcome", flat=True))
    assert outcomes == sorted(["applied"] * 200 + ["no_change"] * 800)
    assert not Refund.objects.exists()
    figures(
        f"200 payments x 5 webhooks: set-up {prepared - began:.1f} s, 1,000 deliveries in parallel "
        f"{delivered - prepared:.1f} s; {len(paid)} paid: {len(paid)} confirmations, e-mails, summons letters"
    )


# --- 1,000 payments, 10 % of the webhooks lost ---------------------------------------------------------


def test_1000_payments_with_a_tenth_of_the_webhooks_dropped_are_all_confirmed_after_reconciliation(
    make_session, effects, settings
):
    settings.PAYMENTS_RECONCILE_AFTER_MINUTES = 0  # the job runs right after the payments, not 10 minutes on
    began = time.monotonic()
    payments = start_payments(held_bookings(make_candidates(1000), make_session, per_session=100))
    dropped = set(random.Random(4).sample(range(1000), 100))
    held = [p for i, p in enumerate(payments) if i not in dropped]
    lost = [p for i, p in enumerate(payments) if i in dropped]
    act_at_psp(held, ["pay"] * len(held), DeliveryOptions(hold=True))
    act_at_psp(lost, ["pay"] * len(lost), DeliveryOptions(drop=True))
    prepared = time.monotonic()

    assert send_held_webhooks(seed=5) == [True] * 900
    delivered = time.monotonic()

    def paid_at_psp_not_confirmed_here() -> set[int]:
        at_psp = set(PspPayment.objects.filter(status="paid").values_list("pk", flat=True))
        confirmed = set(
            Payment.objects.filter(status="paid", booking__status="confirmed").values_list(
                "provider_payment_id", flat=True
            )
        )
        return {p.pk for p in payments if p.provider_payment_id in at_psp - confirmed}

    assert paid_at_psp_not_confirmed_here() == {p.pk for p in lost}  # what the lost webhooks leave behind

    report = tasks.payments_reconcile()  # the periodic job, run here once
    reconciled = time.monotonic()

    assert paid_at_psp_not_confirmed_here() == set()
    assert (report["checked"], report["changed"], report["errors"]) == (100, 100, 0)
    assert effects.confirmations() == {p.booking_id: 1 for p in payments}
    assert effects.emails() == {p.booking.candidate.email: 1 for p in payments}
    assert len(effects.documents()) == 1000 and set(effects.documents().values()) == {1}
    assert illegal_transitions() == []
    sources = PaymentEvent.objects.filter(to_status="paid").values_list("payment_id", "source")
    assert {pk for pk, source in sources if source == "reconcile"} == {p.pk for p in lost}
    figures(
        f"1,000 payments, 100 webhooks dropped: set-up {prepared - began:.1f} s, 900 webhooks in parallel "
        f"{delivered - prepared:.1f} s, reconciliation {reconciled - delivered:.1f} s; 100 unconfirmed "
        "before it, 0 after; 1,000 confirmations, e-mails and summons letters"
    )


# --- Late payments for resold seats, each event ten times ----------------------------------------------


def test_20_late_payments_for_resold_seats_replayed_10_times_are_recorded_and_refunded_once_each(
    make_session, effects
):
    began = time.monotonic()
    late = make_candidates(20, "late")
    sessions = [make_session("NT2-II-LZ", days=30 + i, capacity=1) for i in range(20)]
    bookings = in_parallel(
        [partial(booking_create, candidate=c, requests=[SeatRequest(s.pk)]) for c, s in zip(late, sessions)]
    )
    payments = start_payments(bookings)
    assert expire_holds(now=timezone.now() + timedelta(hours=1)) == 20
    resold = in_parallel([
        partial(booking_create, candidate=c, requests=[SeatRequest(s.pk)])
        for c, s in zip(make_candidates(20, "second"), sessions)
    ])
    act_at_psp(payments, ["pay"] * 20, DeliveryOptions(copies=10, hold=True))
    prepared = time.monotonic()

    assert send_held_webhooks(seed=6) == [True] * 200
    delivered = time.monotonic()

    ours = {p.pk: p for p in Payment.objects.all()}
    assert {(p.status, p.amount_refunded) for p in ours.values()} == {("paid", Decimal("50.00"))}
    assert all(p.paid_at is not None for p in ours.values())
    assert set(Booking.objects.filter(pk__in=[b.pk for b in bookings]).values_list("status", flat=True)) == {
        "expired"
    }
    assert set(Booking.objects.filter(pk__in=[b.pk for b in resold]).values_list("status", flat=True)) == {
        "held"
    }
    refunds = list(Refund.objects.values_list("payment_id", "amount", "status"))
    assert sorted(refunds) == sorted((p.pk, Decimal("50.00"), "refunded") for p in payments)
    at_psp = sorted(PspRefund.objects.values_list("payment_id", "amount"))
    assert at_psp == sorted((p.provider_payment_id, Decimal("50.00")) for p in payments)
    assert not effects.confirmations() and not effects.emails() and not effects.documents()
    assert illegal_transitions() == []
    assert sorted(WebhookEvent.objects.values_list("outcome", flat=True)) == sorted(
        ["applied"] * 20 + ["no_change"] * 180
    )
    figures(
        f"20 late payments x 10 webhooks: set-up {prepared - began:.1f} s, 200 deliveries in parallel "
        f"{delivered - prepared:.1f} s; 20 refunds here, 20 at the PSP, 0 confirmations"
    )


# --- Idempotent replays of the booking and payment endpoints -------------------------------------------


def test_parallel_replays_of_both_endpoints_with_one_idempotency_key_answer_the_same_and_create_once(
    make_session, effects
):
    """20 candidates each send the same booking request 5 times at once with one ``Idempotency-Key``, then
    the same payment request 5 times at once with another: 5 identical answers each, one booking and one
    payment per candidate (and one at the PSP)."""
    began = time.monotonic()
    candidates = make_candidates(20, "replay")
    tokens = {c.pk: ApiToken.issue(c.user) for c in candidates}
    session = make_session("NT2-II-LZ", days=30, capacity=20)

    def post(candidate, path: str, body: dict, key: str):
        def send():
            response = Client().post(
                path, json.dumps(body), content_type="application/json",
                headers={"Authorization": f"Bearer {tokens[candidate.pk]}", "Idempotency-Key": key},
            )
            return candidate.pk, response.status_code, response.json()

        return send

    replays = 5
    booking_answers = in_parallel([
        post(c, "/api/v1/bookings", {"session_ids": [session.pk]}, f"book-{c.pk}")
        for c in candidates
        for _ in range(replays)
    ])
    booked = time.monotonic()
    by_candidate = group(booking_answers)
    assert {pk: len(answers) for pk, answers in by_candidate.items()} == {c.pk: 1 for c in candidates}
    assert {status for ((status, _body),) in by_candidate.values()} == {201}
    booking_ids = {pk: body["id"] for pk, ((_status, body),) in by_candidate.items()}
    assert Booking.objects.count() == 20

    payment_answers = in_parallel([
        post(c, f"/api/v1/bookings/{booking_ids[c.pk]}/payments", {"provider": "test"}, f"pay-{c.pk}")
        for c in candidates
        for _ in range(replays)
    ])
    paid = time.monotonic()
    by_candidate = group(payment_answers)
    assert {pk: len(answers) for pk, answers in by_candidate.items()} == {c.pk: 1 for c in candidates}
    assert all(status == 201 and body["checkout_url"] for ((status, body),) in by_candidate.values())
    assert Payment.objects.count() == PspPayment.objects.count() == 20
    assert PaymentEvent.objects.count() == 20
    assert illegal_transitions() == []
    figures(
        f"2 x 100 replayed requests ({replays} per candidate and endpoint) in parallel: bookings "
        f"{booked - began:.1f} s, payments {paid - booked:.1f} s; 20 bookings, 20 payments"
    )


def group(answers: list[tuple[int, int, dict]]) -> dict[int, list[tuple[int, dict]]]:
    """The distinct answers (status, body) each candidate got."""
    distinct: dict[int, list] = {}
    for pk, status, body in answers:
        if (status, body) not in distinct.setdefault(pk, []):
            distinct[pk].append((status, body))
    return distinct


# --- The state machine over many more random sequences --------------------------------------------------


class Rollback(Exception):
    """Undo one generated example, so the next starts from the same database."""


@pytest.mark.django_db
@hypothesis.settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(ACTIONS, min_size=5, max_size=20))
def test_80_random_sequences_of_up_to_20_events_never_unpay_and_never_refund_more_than_paid(
    actions, candidate, make_session, after_commit
):
    """``test_state_machine``'s scenario (payer choices, duplicated and reordered webhooks, reconciliations,
    refunds, expiring holds) in 80 sequences of up to 20 events instead of 30 of up to 10; after
    every step nothing has gone back to open."""
    try:
        with transaction.atomic():
            booking = booking_create(
                candidate=candidate, requests=[SeatRequest(make_session("NT2-II-LZ", days=30).pk)]
            )
            scenario = Scenario(booking, after_commit)
            scenario.start("test")
            for action in actions:
                scenario.play(action)
                scenario.check()
                assert not PaymentEvent.objects.filter(to_status="open").exclude(from_status="").exists()
            raise Rollback
    except Rollback:
        pass
