"""Refunds of cancelled registrations, through the payment provider that took the money."""

from __future__ import annotations

from django.db import transaction

from ..models import Registration
from .registrations import registration_transition


def registration_refund(*, registration_id: int) -> str:
    """Refund one cancelled registration's fee, exactly once: the provider call is keyed per registration,
    and the registration moves to 'refunded' only after the refund is recorded."""
    from exams.payments.services import payment_refund

    registration = Registration.objects.select_related("booking").get(pk=registration_id)
    if registration.status == "refunded":
        return "already refunded"
    if registration.status != "cancelled":
        return f"not refundable ({registration.status})"
    refund = payment_refund(booking=registration.booking, amount=registration.fee, reason="cancelled",
                            idempotency_key=f"registration-{registration.pk}-refund")
    if refund is None:
        return "nothing paid"  # e.g. an invoice not paid yet: the registration stays cancelled, not refunded
    with transaction.atomic():
        registration_transition(registration=registration, to="refunded", reason="fee refunded")
    return "refunded"
