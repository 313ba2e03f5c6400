"""Money for bookings: payments through a provider or by invoice, their refunds, and the logs that show
what happened to them (status changes and every webhook received).

The status of a payment moves only forward (see ``next_status``): a paid payment is never "unpaid" again,
and the refunds of a payment never add up to more than it (a check constraint keeps ``amount_refunded``
within ``amount``, and ``amount_refunded`` is the sum of the refunds that have not failed).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .testpsp.models import PspPayment, PspRefund, PspWebhookDelivery  # noqa: F401  (the test PSP's own tables)


class Payment(models.Model):
    """Money for a booking, through a payment provider or by invoice."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("expired")

    booking = models.ForeignKey("exams.Booking", on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=20)
    provider_payment_id = models.CharField(
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Empty only for the moment between creating the payment here and at the provider."),
    )
    reference = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Sent to the provider as its idempotency key and in the metadata."),
    )
    idempotency_key = models.CharField(
        max_length=100, blank=True, help_text=_("The client's Idempotency-Key.")
    )
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    amount_refunded = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    checkout_url = models.URLField(max_length=500, blank=True)
    return_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(amount_refunded__lte=models.F("amount")),
                name="payment_refund_within_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_refunded__gte=0), name="payment_refund_non_negative"
            ),
            models.UniqueConstraint(
                fields=["booking", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="payment_one_per_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.provider_payment_id or self.reference} ({self.status})"

    @property
    def refundable(self):
        """What can still be paid back: nothing unless the money came in."""
        return self.amount - self.amount_refunded if self.status == self.Status.PAID else 0


#: Provider vocabularies mapped to ours. Mollie's pending and authorized are still open for us.
PROVIDER_STATUSES = {
    "open": "open",
    "pending": "open",
    "authorized": "open",
    "paid": "paid",
    "failed": "failed",
    "canceled": "cancelled",
    "cancelled": "cancelled",
    "expired": "expired",
}


def next_status(current: str, reported: str) -> str | None:
    """The status a payment moves to when its provider reports ``reported``, or None for no change.

    Paid is final: money that came in is never forgotten, whatever arrives later. Paid after failed,
    cancelled or expired is accepted, because the provider is the authority on money (a late bank
    transfer); the booking then decides between confirming and refunding. Nothing ever returns to open."""
    target = PROVIDER_STATUSES.get(reported)
    if target is None or target == current or current == Payment.Status.PAID:
        return None
    if target == Payment.Status.PAID:
        return target
    if current == Payment.Status.OPEN and target != Payment.Status.OPEN:
        return target
    return None


class PaymentEvent(models.Model):
    """One status change of a payment (append-only): who or what changed it, and when."""

    class Source(models.TextChoices):
        START = "start", _("payment started")
        WEBHOOK = "webhook", _("webhook")
        RECONCILE = "reconcile", _("reconciliation")
        RETURN = "return", _("candidate returned")
        STAFF = "staff", _("staff")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    source = models.CharField(max_length=12, choices=Source.choices)
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class Refund(models.Model):
    """Money paid back on one payment. The row is written first (queued) and then sent to the provider
    with its own idempotency key, so a crash in between is retried by reconciliation, never doubled."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        PENDING = "pending", _("pending at the provider")
        REFUNDED = "refunded", _("refunded")
        FAILED = "failed", _("failed")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    reason = models.CharField(max_length=200)
    idempotency_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True)
    provider_refund_id = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive")
        ]

    def __str__(self) -> str:
        return f"refund {self.amount} on {self.payment} ({self.status})"


class WebhookEvent(models.Model):
    """Every webhook call received, forged ones included: provider, the id it carried, when, and outcome."""

    class Outcome(models.TextChoices):
        QUEUED = "queued", _("queued for syncing")
        APPLIED = "applied", _("status changed")
        NO_CHANGE = "no_change", _("nothing changed")
        INVALID = "invalid", _("no usable id")
        UNKNOWN_ID = "unknown_id", _("unknown payment id")
        WRONG_PROVIDER = "wrong_provider", _("id of another provider")
        PROVIDER_ERROR = "provider_error", _("provider unreachable")

    provider = models.CharField(max_length=20)
    provider_payment_id = models.CharField(max_length=100, blank=True)
    payment = models.ForeignKey(
        Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="webhooks"
    )
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.QUEUED)

    class Meta:
        ordering = ["-received_at", "-pk"]
