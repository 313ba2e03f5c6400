"""Errors of the payments app. The API maps them to ``{"code", "message", "details"}``, like every
DomainError."""

from __future__ import annotations

from exams.errors import Conflict, DomainError, NotFound, RuleViolation


class UnknownProviderError(DomainError):
    status = 422
    code = "unknown_provider"


class BookingNotPayable(Conflict):
    """The booking is confirmed, cancelled, expired, or its hold ran out: nothing to pay for."""

    code = "booking_not_payable"


class InvoiceNotAllowed(RuleViolation):
    """The family has no invoice payment, or a session is closer than its invoice deadline."""

    code = "invoice_not_allowed"


class IdempotencyKeyReused(Conflict):
    """The key was used before for a different request."""

    code = "idempotency_key_reused"


class PaymentProviderError(DomainError):
    """The provider could not start the payment; the candidate may try again."""

    status = 502
    code = "payment_provider_error"


class UnknownPayment(NotFound):
    """No payment of this provider has that id (a forged or misdirected webhook)."""

    code = "unknown_payment"
