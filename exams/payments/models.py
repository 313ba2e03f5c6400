"""Money for bookings: payments through a provider or by invoice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    provider_payment_id = models.CharField(max_length=100, unique=True)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    amount_refunded = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    checkout_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(amount_refunded__lte=models.F("amount")), name="payment_refund_within_amount"
            ),
        ]
