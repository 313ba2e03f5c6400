"""Payment by invoice ("betalen op factuur"): no checkout, no webhooks; finance records the money."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from .base import PaymentProvider, ProviderRejected, RemotePayment, RemoteRefund

if TYPE_CHECKING:
    from ..models import Payment


class InvoiceProvider(PaymentProvider):
    """The invoice is the payment: it stays open until finance marks it paid. Its status lives here, so
    ``fetch_status`` reads our own row; refunds are bank transfers finance makes by hand (pending)."""

    online = False

    def start_payment(self, payment: Payment) -> tuple[str, str]:
        """The invoice number, also the payment reference the payer states on the transfer: the booking's
        number and a random tail (a booking may get a new invoice after one was cancelled)."""
        return f"F{payment.booking_id:07d}-{uuid.uuid4().hex[:6].upper()}", ""

    def fetch_status(self, provider_payment_id: str) -> RemotePayment:
        from ..models import Payment

        payment = Payment.objects.filter(provider=self.name, provider_payment_id=provider_payment_id).first()
        if payment is None:
            raise ProviderRejected(f"no invoice {provider_payment_id}")
        return RemotePayment(
            id=provider_payment_id,
            status=payment.status,
            amount=payment.amount,
            currency=payment.currency,
            amount_refunded=payment.amount_refunded,
            paid_at=payment.paid_at,
        )

    def refund(
        self,
        *,
        provider_payment_id: str,
        amount: Decimal,
        currency: str,
        description: str,
        idempotency_key: str,
    ) -> RemoteRefund:
        return RemoteRefund(id=f"manual_{idempotency_key}"[:100], status="pending")
