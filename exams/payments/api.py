"""Payment endpoints of the API (mounted under /api/v1/): start and list a booking's payments, and the
providers' webhooks. Thin: parse, call one service, shape the answer."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from ninja import Header, Router, Schema
from ninja.responses import Status
from pydantic import Field

from exams.errors import NotFound, RuleViolation
from portal.api.errors import ErrorBody
from portal.api.fields import Money, choice_of

from . import selectors, services
from .models import Payment
from .providers import UnknownProvider
from .providers.base import public_url

router = Router(tags=["payments"])


class PaymentIn(Schema):
    provider: str = Field(max_length=20, description='"test", "mollie" (when configured) or "invoice".')
    return_url: str | None = Field(
        None,
        max_length=500,
        description="Where the checkout sends the candidate back to: a path on this site or a URL on one of "
        "its hosts. Default: the portal's home page.",
    )


class PaymentOut(Schema):
    id: int
    booking_id: int
    provider: str
    status: choice_of(Payment.Status)
    amount: Money
    currency: str
    amount_refunded: Money
    checkout_url: str | None = Field(None, description="Send the candidate here to pay; empty for invoices.")
    created_at: datetime
    paid_at: datetime | None

    @staticmethod
    def resolve_checkout_url(payment: Payment) -> str | None:
        return payment.checkout_url or None


class WebhookAck(Schema):
    received: bool = True


WEBHOOK_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {"id": {"type": "string", "example": "tr_WDqYK6vllg"}},
                    "required": ["id"],
                }
            },
            "application/json": {
                "schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
            },
        },
    }
}


def _return_url(value: str | None) -> str:
    """An absolute URL on one of our own hosts: the checkout must not become an open redirect."""
    if not value:
        return public_url("/")
    if value.startswith("/") and not value.startswith("//"):
        return public_url(value)
    hosts = set(settings.ALLOWED_HOSTS) | set(getattr(settings, "PAYMENTS_RETURN_HOSTS", ()))
    hosts.add(public_url("/").split("/")[2].split(":")[0])
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=hosts, require_https=settings.PRODUCTION):
        raise RuleViolation(_("The return URL must point at this site."), code="invalid_return_url")
    return value


@router.post(
    "/bookings/{booking_id}/payments",
    response={201: PaymentOut, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody, 502: ErrorBody},
    summary="Pay for a booking",
)
def payment_create(
    request: HttpRequest,
    booking_id: int,
    payload: PaymentIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=100,
        description="Send the same key again (e.g. after a timeout) to get the same payment back.",
    ),
):
    """Start a payment for one of your bookings and return where to pay. Online providers hold the booking
    while you pay (409 when it is no longer payable); "invoice" confirms it at once when the exam family
    allows paying by invoice and every session is far enough away (422 `invoice_not_allowed` otherwise)."""
    booking = get_object_or_404(selectors.bookings_of(request.auth), pk=booking_id)
    payment = services.payment_start(
        booking=booking,
        provider=payload.provider,
        return_url=_return_url(payload.return_url),
        idempotency_key=idempotency_key or None,
        actor=request.auth,
    )
    return Status(201, payment)


@router.get(
    "/bookings/{booking_id}/payments",
    response={200: list[PaymentOut], 404: ErrorBody},
    summary="Payments of a booking",
)
def payment_list(request: HttpRequest, booking_id: int) -> list[Payment]:
    """The payments of one of your bookings, newest first."""
    booking = get_object_or_404(selectors.bookings_of(request.auth), pk=booking_id)
    return list(selectors.payments_of_booking(booking))


@router.post(
    "/payments/webhooks/{provider}",
    auth=None,
    response={200: WebhookAck, 404: ErrorBody},
    url_name="payment_webhook",
    summary="Payment provider webhook",
    openapi_extra=WEBHOOK_BODY,
)
def payment_webhook(request: HttpRequest, provider: str) -> dict:
    """Called by a payment provider when a payment changes: only the id in the body is read, and the status
    is then fetched from the provider itself. Always 200 for a known provider, also for ids it does not know
    (those are logged), so the answer gives nothing away."""
    try:
        backend = services.webhook_provider(provider)
    except UnknownProvider:
        raise NotFound(_("No such payment provider."), code="unknown_provider") from None
    services.webhook_receive(
        provider=provider,
        provider_payment_id=backend.webhook_payment_id(request),
        remote_addr=request.META.get("REMOTE_ADDR"),
    )
    return {"received": True}
