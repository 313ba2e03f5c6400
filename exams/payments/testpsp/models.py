"""The test PSP's own state: what a real provider keeps on its side."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PspPayment(models.Model):
    """A payment as the PSP sees it. Statuses use Mollie's spelling (``canceled``)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")
        CANCELED = "canceled", _("canceled")
        EXPIRED = "expired", _("expired")

    id = models.CharField(primary_key=True, max_length=20)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    description = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    redirect_url = models.URLField(max_length=500)
    webhook_url = models.URLField(max_length=500, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=120, unique=True, null=True, blank=True)
    amount_refunded = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("test PSP payment")

    def __str__(self) -> str:
        return f"{self.id} {self.amount} {self.status}"


class PspRefund(models.Model):
    id = models.CharField(primary_key=True, max_length=20)
    payment = models.ForeignKey(PspPayment, on_delete=models.CASCADE, related_name="refunds")
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    description = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=12, default="refunded")
    idempotency_key = models.CharField(max_length=120, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("test PSP refund")


class PspWebhookDelivery(models.Model):
    """One webhook call the PSP owes the app. Held deliveries wait for a release, which can send them in
    another order; dropped ones are never sent (to exercise reconciliation)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        HELD = "held", _("held back")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        DROPPED = "dropped", _("dropped")

    payment = models.ForeignKey(PspPayment, on_delete=models.CASCADE, related_name="deliveries")
    url = models.URLField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    delay_seconds = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("test PSP webhook delivery")
        verbose_name_plural = _("test PSP webhook deliveries")
