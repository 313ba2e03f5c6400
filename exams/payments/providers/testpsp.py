"""The built-in test PSP, called in-process (the demo's default provider).

It calls the PSP's services directly rather than over HTTP, so a single-process demo server never has to
call itself. The same PSP is reachable over HTTP in Mollie's shape; the Mollie provider uses that path."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..testpsp import services as psp
from .base import PaymentProvider, ProviderRejected, RemotePayment, RemoteRefund, origin, public_url

if TYPE_CHECKING:
    from ..models import Payment


class TestPspProvider(PaymentProvider):
    __test__ = False  # not a pytest test class

    def checkout_origins(self) -> tuple[str, ...]:
        return (origin(public_url("/")),)  # its checkout page is served by this site, at its public address

    def start_payment(self, payment: Payment) -> tuple[str, str]:
        try:
            created = psp.psp_payment_create(
                amount=payment.amount,
                currency=payment.currency,
                description=description_of(payment),
                redirect_url=self.redirect_url(payment),
                webhook_url=self.webhook_url(),
                metadata={"reference": str(payment.reference), "booking": payment.booking_id},
                idempotency_key=str(payment.reference),
            )
        except psp.PspError as exc:
            raise ProviderRejected(exc.detail) from exc
        return created.id, public_url(reverse("payments:testpsp_checkout", args=[created.id]))

    def fetch_status(self, provider_payment_id: str) -> RemotePayment:
        try:
            found = psp.psp_payment_get(payment_id=provider_payment_id)
        except psp.PspError as exc:
            raise ProviderRejected(exc.detail) from exc
        return RemotePayment(
            id=found.id,
            status=found.status,
            amount=found.amount,
            currency=found.currency,
            amount_refunded=found.amount_refunded,
            paid_at=found.paid_at,
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
        try:
            refund = psp.psp_refund_create(
                payment_id=provider_payment_id,
                amount=amount,
                description=description,
                idempotency_key=idempotency_key,
            )
        except psp.PspError as exc:
            raise ProviderRejected(exc.detail) from exc
        return RemoteRefund(id=refund.id, status=refund.status)


def description_of(payment: Payment) -> str:
    """What the payer sees at the provider and on their bank statement: the booking's reference (as every
    page and e-mail prints it), in the candidate's language."""
    from exams.services.notifications import booking_reference

    booking = payment.booking
    with translation.override(booking.candidate.language or "nl"):
        return _("Exam booking %(reference)s") % {"reference": booking_reference(booking)}
