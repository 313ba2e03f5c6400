"""Admin for payments, refunds and the webhook log. Money is read-only here: amounts and statuses change
only through the services (webhooks, reconciliation, ``payment_refund``), which keep the logs."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Payment, PaymentEvent, PspPayment, PspRefund, PspWebhookDelivery, Refund, WebhookEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable by staff with view permission; nobody adds, edits or deletes from here."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class PaymentEventInline(ReadOnlyInline):
    model = PaymentEvent
    fields = ["at", "from_status", "to_status", "source", "note"]
    readonly_fields = fields


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = ["created_at", "amount", "status", "reason", "provider_refund_id", "error"]
    readonly_fields = fields


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "booking",
        "provider",
        "provider_payment_id",
        "amount",
        "amount_refunded",
        "status",
        "created_at",
        "paid_at",
    ]
    list_filter = ["provider", "status"]
    search_fields = ["provider_payment_id", "reference", "booking__pk", "booking__candidate__last_name"]
    date_hierarchy = "created_at"
    list_select_related = ["booking__candidate"]
    inlines = [PaymentEventInline, RefundInline]
    actions = ["mark_invoices_paid"]

    @admin.action(description=_("Mark selected invoices as paid (money received)"), permissions=["view"])
    def mark_invoices_paid(self, request: HttpRequest, queryset) -> None:
        """The one change made here, and it goes through the service: logged, confirmed or refunded."""
        if not request.user.is_superuser:
            self.message_user(request, _("Only administrators record money."), messages.ERROR)
            return
        marked = 0
        for payment in queryset.filter(provider="invoice", status=Payment.Status.OPEN):
            services.invoice_mark_paid(payment=payment, actor=request.user)
            marked += 1
        self.message_user(request, _("%(count)d invoice(s) marked as paid.") % {"count": marked})


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["pk", "payment", "amount", "status", "reason", "created_at", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["idempotency_key", "provider_refund_id", "payment__provider_payment_id"]
    list_select_related = ["payment"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "provider", "provider_payment_id", "outcome", "remote_addr", "payment"]
    list_filter = ["provider", "outcome"]
    search_fields = ["provider_payment_id", "remote_addr"]
    date_hierarchy = "received_at"


@admin.register(PspPayment)
class PspPaymentAdmin(ReadOnlyAdmin):
    """The test PSP's side, for looking at what the app was told."""

    list_display = ["id", "amount", "status", "amount_refunded", "created_at", "paid_at"]
    list_filter = ["status"]
    search_fields = ["id"]


@admin.register(PspRefund)
class PspRefundAdmin(ReadOnlyAdmin):
    list_display = ["id", "payment", "amount", "status", "created_at"]


@admin.register(PspWebhookDelivery)
class PspWebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["pk", "payment", "status", "delay_seconds", "attempts", "response_code", "sent_at"]
    list_filter = ["status"]
