"""The small interface every payment provider implements, and the errors it may raise."""

from __future__ import annotations

import json
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

if TYPE_CHECKING:
    from ..models import Payment


class ProviderError(Exception):
    """The provider could not do what was asked."""


class ProviderUnavailable(ProviderError):
    """Network trouble or a 5xx: try again later (reconciliation does)."""


class ProviderRejected(ProviderError):
    """The provider refused the request (a 4xx): retrying the same request will not help."""


@dataclass(frozen=True)
class RemotePayment:
    """What the provider says about a payment. ``status`` uses the provider's own word."""

    id: str
    status: str
    amount: Decimal
    currency: str
    amount_refunded: Decimal = Decimal("0")
    paid_at: datetime | None = None


@dataclass(frozen=True)
class RemoteRefund:
    id: str
    status: str


class PaymentProvider(ABC):
    """A payment provider: start a payment, read its status back, refund it, and read its webhooks.

    Providers are stateless and cheap to build; the registry builds one per use from settings."""

    #: False for providers without a checkout page or webhooks (invoice).
    online: bool = True

    def __init__(self, name: str, **options) -> None:
        self.name = name
        self.options = options

    def checkout_origins(self) -> tuple[str, ...]:
        """The origins (``https://host``) of the checkout pages this provider sends the payer to: the
        portal's Content-Security-Policy lets its pay forms go there."""
        return ()

    @abstractmethod
    def start_payment(self, payment: Payment) -> tuple[str, str]:
        """Create the payment at the provider; returns ``(provider_payment_id, checkout_url)``."""

    @abstractmethod
    def fetch_status(self, provider_payment_id: str) -> RemotePayment:
        """Ask the provider where a payment stands. The only source of truth for webhooks."""

    @abstractmethod
    def refund(
        self,
        *,
        provider_payment_id: str,
        amount: Decimal,
        currency: str,
        description: str,
        idempotency_key: str,
    ) -> RemoteRefund:
        """Pay money back. Sending the same ``idempotency_key`` again must not pay twice."""

    def webhook_payment_id(self, request: HttpRequest) -> str | None:
        """The payment id a webhook call carries: the form field ``id`` (Mollie) or ``{"id": …}`` in JSON.
        Nothing else in the request is trusted; the status is always fetched."""
        if request.content_type == "application/json":
            try:
                data = json.loads(request.body or b"{}")
            except ValueError:
                return None
            value = data.get("id") if isinstance(data, dict) else None
        else:
            value = request.POST.get("id")
        if not isinstance(value, str) or not value or len(value) > 100:
            return None
        return value

    def redirect_url(self, payment: Payment) -> str:
        """Where the provider sends the payer back: our return page, which checks the status at once (the
        webhook may still be on its way) and then goes on to the payment's ``return_url``."""
        return public_url(reverse("payments:return", args=[payment.reference]))

    def webhook_url(self) -> str:
        """Where the provider should call us back (absolute: the provider is outside)."""
        return self.options.get("webhook_url") or public_url(
            reverse("api:payment_webhook", kwargs={"provider": self.name})
        )


def public_url(path: str) -> str:
    """``path`` on the address the outside world reaches this site at: the setting or environment variable
    ``PAYMENTS_PUBLIC_URL``, else the site's own address (``SITE_URL``)."""
    base = (
        getattr(settings, "PAYMENTS_PUBLIC_URL", "")
        or os.environ.get("PAYMENTS_PUBLIC_URL", "")
        or settings.SITE_URL
    )
    return base.rstrip("/") + path


def origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url`` ("" when it has none)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
