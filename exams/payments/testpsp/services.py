"""What the test PSP does: create payments, let the payer pay / fail / cancel / let it expire, refund, and
owe the app a webhook for every status change. The HTTP API and the checkout page are thin edges over these.

Webhooks are delivered after the commit, by a Celery task (``countdown`` = the delay; with no broker a
timer thread waits instead, so the demo still sees them arrive late). ``DeliveryOptions`` can delay,
duplicate, hold back (for a later release in another order) or drop them.
"""

from __future__ import annotations

import logging
import random
import secrets
import string
import threading
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import requests
from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from .models import PspPayment, PspRefund, PspWebhookDelivery

logger = logging.getLogger(__name__)

ALPHABET = string.ascii_letters + string.digits


class PspError(Exception):
    """A request the PSP refuses; ``status`` and ``field`` end up in a Mollie-shaped error body."""

    def __init__(self, status: int, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.field = status, detail, field


@dataclass(frozen=True)
class DeliveryOptions:
    """How the webhooks of one status change are delivered."""

    delay_seconds: int = 0
    copies: int = 1
    hold: bool = False
    drop: bool = False

    @classmethod
    def from_settings(cls) -> DeliveryOptions:
        config = getattr(settings, "TEST_PSP", {})
        return cls(
            delay_seconds=int(config.get("WEBHOOK_DELAY_SECONDS", 2)),
            copies=int(config.get("WEBHOOK_COPIES", 1)),
        )


def new_id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(10))


def psp_payment_create(
    *,
    amount: Decimal,
    currency: str,
    description: str,
    redirect_url: str,
    webhook_url: str = "",
    metadata: dict | None = None,
    idempotency_key: str | None = None,
) -> PspPayment:
    """Create an open payment. The same idempotency key returns the same payment, as Mollie does, also
    when the two requests arrive at the same time."""
    if amount <= 0:
        raise PspError(422, "The amount must be at least 0.01.", "amount.value")
    if not redirect_url:
        raise PspError(422, "The redirect URL is missing.", "redirectUrl")
    try:
        with transaction.atomic():
            if idempotency_key:
                existing = PspPayment.objects.filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return existing
            minutes = int(getattr(settings, "TEST_PSP", {}).get("EXPIRES_MINUTES", 15))
            return PspPayment.objects.create(
                id=new_id("tr_"),
                amount=amount,
                currency=currency,
                description=description[:255],
                redirect_url=redirect_url,
                webhook_url=webhook_url,
                metadata=metadata or {},
                idempotency_key=idempotency_key or None,
                expires_at=timezone.now() + timedelta(minutes=minutes),
            )
    except IntegrityError:
        # A request with the same key committed first, between the look-up and the insert.
        if idempotency_key:
            existing = PspPayment.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        raise


def psp_payment_get(*, payment_id: str) -> PspPayment:
    payment = PspPayment.objects.filter(pk=payment_id).first()
    if payment is None:
        raise PspError(404, f"No payment exists with token {payment_id}.")
    return payment


ACTIONS = {
    "pay": PspPayment.Status.PAID,
    "fail": PspPayment.Status.FAILED,
    "cancel": PspPayment.Status.CANCELED,
    "expire": PspPayment.Status.EXPIRED,
}


def psp_payment_act(*, payment_id: str, action: str, delivery: DeliveryOptions | None = None) -> PspPayment:
    """The payer's choice on the checkout page (or the clock, for ``expire``). Only an open payment moves;
    every move owes the app webhooks."""
    if action not in ACTIONS:
        raise PspError(422, f"Unknown action {action}.", "action")
    with transaction.atomic():
        payment = PspPayment.objects.select_for_update().filter(pk=payment_id).first()
        if payment is None:
            raise PspError(404, f"No payment exists with token {payment_id}.")
        if payment.status != PspPayment.Status.OPEN:
            raise PspError(409, f"The payment is already {payment.status}.")
        now = timezone.now()
        payment.status = ACTIONS[action]
        payment.closed_at = now
        if payment.status == PspPayment.Status.PAID:
            payment.paid_at = now
        payment.save(update_fields=["status", "closed_at", "paid_at"])
        _owe_webhooks(payment, delivery or DeliveryOptions.from_settings())
    return payment


def psp_refund_create(
    *, payment_id: str, amount: Decimal, description: str = "", idempotency_key: str | None = None
) -> PspRefund:
    """Refund part or all of a paid payment; never more than what remains. Idempotent per key."""
    with transaction.atomic():
        if idempotency_key:
            existing = PspRefund.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        payment = PspPayment.objects.select_for_update().filter(pk=payment_id).first()
        if payment is None:
            raise PspError(404, f"No payment exists with token {payment_id}.")
        if payment.status != PspPayment.Status.PAID:
            raise PspError(422, "The payment cannot be refunded: it is not paid.")
        if amount <= 0 or amount > payment.amount - payment.amount_refunded:
            raise PspError(
                422, "The amount is higher than the amount that remains to be refunded.", "amount.value"
            )
        payment.amount_refunded += amount
        payment.save(update_fields=["amount_refunded"])
        return PspRefund.objects.create(
            id=new_id("re_"),
            payment=payment,
            amount=amount,
            description=description[:255],
            idempotency_key=idempotency_key or None,
        )


def _owe_webhooks(payment: PspPayment, options: DeliveryOptions) -> None:
    if not payment.webhook_url:
        return
    status = (
        PspWebhookDelivery.Status.DROPPED
        if options.drop
        else PspWebhookDelivery.Status.HELD
        if options.hold
        else PspWebhookDelivery.Status.PENDING
    )
    for _ in range(max(1, options.copies)):
        delivery = PspWebhookDelivery.objects.create(
            payment=payment, url=payment.webhook_url, status=status, delay_seconds=options.delay_seconds
        )
        if status == PspWebhookDelivery.Status.PENDING:
            transaction.on_commit(lambda pk=delivery.pk, delay=options.delay_seconds: _dispatch(pk, delay))


def psp_deliveries_release(*, payment_id: str | None = None, order: str = "reverse") -> int:
    """Send held webhooks now, in ``order`` ("forward", "reverse" or "shuffle"). Returns how many."""
    held = PspWebhookDelivery.objects.filter(status=PspWebhookDelivery.Status.HELD)
    if payment_id:
        held = held.filter(payment_id=payment_id)
    ids = list(held.order_by("pk").values_list("pk", flat=True))
    if order == "reverse":
        ids.reverse()
    elif order == "shuffle":
        random.shuffle(ids)
    for pk in ids:
        PspWebhookDelivery.objects.filter(pk=pk).update(status=PspWebhookDelivery.Status.PENDING)
        psp_delivery_send(delivery_id=pk)
    return len(ids)


def _dispatch(delivery_id: int, delay: int) -> None:
    """Queue one delivery: a Celery task with a countdown, or a timer thread when tasks run in-process."""
    from exams.jobs.outbox import enqueue

    from ..tasks import testpsp_deliver_webhook

    if delay and settings.CELERY_TASK_ALWAYS_EAGER:
        timer = threading.Timer(delay, _deliver_in_thread, args=(delivery_id,))
        timer.daemon = True
        timer.start()
    else:
        enqueue(testpsp_deliver_webhook, delivery_id, countdown=delay)


def _deliver_in_thread(delivery_id: int) -> None:
    try:
        psp_delivery_send(delivery_id=delivery_id)
    finally:
        close_old_connections()


def http_session() -> requests.Session:
    """The HTTP session webhooks go out on. Tests replace it to deliver in-process."""
    return requests.Session()


def psp_delivery_send(*, delivery_id: int) -> bool:
    """POST ``id=tr_…`` (form-encoded, like Mollie) to the app's webhook URL. True when it answered 2xx."""
    delivery = (
        PspWebhookDelivery.objects.select_related("payment")
        .filter(pk=delivery_id, status=PspWebhookDelivery.Status.PENDING)
        .first()
    )
    if delivery is None:
        return False
    code = None
    try:
        with http_session() as session:
            code = session.post(delivery.url, data={"id": delivery.payment_id}, timeout=10).status_code
    except requests.RequestException as exc:
        logger.warning("test PSP: webhook %s to %s failed: %s", delivery.pk, delivery.url, exc)
    ok = code is not None and 200 <= code < 300
    PspWebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=PspWebhookDelivery.Status.SENT if ok else PspWebhookDelivery.Status.FAILED,
        attempts=delivery.attempts + 1,
        response_code=code,
        sent_at=timezone.now(),
    )
    return ok
