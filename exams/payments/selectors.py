"""Reads of payments that the API, pages and jobs share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet

from exams.models import Booking, User

from .models import Payment
from .providers import get_provider, provider_config


def bookings_of(user: User) -> QuerySet[Booking]:
    """The bookings a user may pay for and see payments of: their own as a candidate."""
    return Booking.objects.filter(candidate__user=user)


def payments_of_booking(booking: Booking) -> QuerySet[Payment]:
    return Payment.objects.filter(booking=booking).order_by("-created_at", "-pk")


@dataclass(frozen=True)
class Invoice:
    """What a candidate needs to pay an invoice by bank transfer."""

    payment: Payment
    number: str
    amount: Decimal
    due_on: date | None
    iban: str
    bic: str
    account_name: str

    @property
    def open(self) -> bool:
        return self.payment.status == Payment.Status.OPEN


def invoice_of(booking: Booking) -> Invoice | None:
    """The booking's latest invoice (open, paid or cancelled), or None when it was not paid by invoice.
    Its number is the payment reference to state on the transfer; it is due ``payment_due_days`` before
    the first sitting still booked (the exam family's rule)."""
    offline = [name for name in provider_config() if not get_provider(name).online]
    payment = payments_of_booking(booking).filter(provider__in=offline).first()
    if payment is None:
        return None
    live = booking.registrations.filter(status__in=["confirmed", "held", "pending_payment"]).select_related(
        "session__room__location", "part__programme__family")
    due = [r.session.local_starts_at.date() - timedelta(days=r.part.programme.family.payment_due_days)
           for r in live]
    account = settings.EXAMS["INVOICE_ACCOUNT"]
    return Invoice(payment=payment, number=payment.provider_payment_id or "", amount=payment.amount,
                   due_on=min(due) if due else None, iban=account["IBAN"], bic=account["BIC"],
                   account_name=account["NAME"])
