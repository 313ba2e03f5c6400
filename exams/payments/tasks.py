"""Celery tasks of the payments app. Tasks take ids, call one service, and return something small."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services
from .errors import UnknownPayment
from .models import WebhookEvent
from .providers import ProviderError

logger = logging.getLogger(__name__)


@shared_task(name="exams.payments.tasks.payment_sync", acks_late=True)
def payment_sync(provider: str, provider_payment_id: str, webhook_event_id: int | None = None) -> str:
    """After a webhook: fetch the status and apply it. When the provider is unreachable the payment stays
    as it is and reconciliation picks it up later."""
    try:
        payment = services.payment_sync(
            provider=provider, provider_payment_id=provider_payment_id, webhook_event_id=webhook_event_id
        )
    except UnknownPayment:
        return "unknown"
    except ProviderError as exc:
        logger.warning("webhook sync of %s %s failed: %s", provider, provider_payment_id, exc)
        if webhook_event_id is not None:
            WebhookEvent.objects.filter(pk=webhook_event_id).update(
                outcome=WebhookEvent.Outcome.PROVIDER_ERROR
            )
        return "provider_error"
    return payment.status


@shared_task(name="exams.payments.tasks.payments_reconcile", acks_late=True)
def payments_reconcile() -> dict:
    """Periodic: settle payments whose webhook never came, and resend queued refunds."""
    return services.payments_reconcile().as_dict()


@shared_task(name="exams.payments.tasks.refund_submit", acks_late=True)
def refund_submit(refund_id: int) -> str:
    """Send one queued refund to its provider (idempotent)."""
    return services.refund_submit(refund_id=refund_id).status


@shared_task(name="exams.payments.tasks.testpsp_deliver_webhook", acks_late=True)
def testpsp_deliver_webhook(delivery_id: int) -> bool:
    """The test PSP calling the app's webhook, like Mollie does: later, and from outside."""
    from .testpsp.services import psp_delivery_send

    return psp_delivery_send(delivery_id=delivery_id)
