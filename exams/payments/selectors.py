"""Reads of payments that the API, pages and jobs share."""

from __future__ import annotations

from django.db.models import QuerySet

from exams.models import Booking, User

from .models import Payment


def bookings_of(user: User) -> QuerySet[Booking]:
    """The bookings a user may pay for and see payments of: their own as a candidate."""
    return Booking.objects.filter(candidate__user=user)


def payments_of_booking(booking: Booking) -> QuerySet[Payment]:
    return Payment.objects.filter(booking=booking).order_by("-created_at", "-pk")
