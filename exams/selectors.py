"""Reads of the domain that pages, the API and jobs share."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import F, QuerySet
from django.utils import timezone

from .models import ExamSession, Qualification, Registration, StaffAssignment, User


def sessions_bookable(
    *,
    part: str | None = None,
    location: str | None = None,
    family: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[ExamSession]:
    """Open sessions in the future, optionally narrowed down. ``seats_left`` on them is for display."""
    sessions = (
        ExamSession.objects.filter(status=ExamSession.Status.OPEN, starts_at__gte=timezone.now())
        .select_related("room__location")
        .prefetch_related("parts")
        .order_by("starts_at", "pk")
    )
    if part:
        sessions = sessions.filter(parts__code=part)
    if family:
        sessions = sessions.filter(parts__programme__family__code=family)
    if location:
        sessions = sessions.filter(room__location__code=location)
    if date_from:
        sessions = sessions.filter(starts_at__gte=start_of(date_from))
    if date_to:
        sessions = sessions.filter(starts_at__lt=start_of(date_to, next_day=True))
    return sessions.distinct()


def start_of(day: date, *, next_day: bool = False) -> datetime:
    moment = timezone.make_aware(datetime.combine(day, time.min))
    return moment + (timezone.timedelta(days=1) if next_day else timezone.timedelta())


def registrations_of(user: User) -> QuerySet[Registration]:
    """The registrations a user may see: their own as a candidate."""
    return Registration.objects.filter(candidate__user=user).select_related(
        "session__room__location", "part", "booking"
    )


#: The duties an examiner is shown, on their pages, in their calendar feed and in the API: everything
#: asked of them (a proposal is a duty put to them, e.g. by a planner's hand replacement, which tells them
#: and waits for their answer), and their own answer (accepted or declined); a withdrawn duty is no longer
#: theirs.
SHOWN_TO_EXAMINER = ("proposed", "published", "accepted", "declined")


def assignments_of(user: User) -> QuerySet[StaffAssignment]:
    """The assignments a user may see: their own as exam staff, as far as they are shown to them."""
    return (StaffAssignment.objects.filter(examiner__user=user, status__in=SHOWN_TO_EXAMINER)
            .select_related("session__room__location"))


def qualifications_of(user: User) -> QuerySet[Qualification]:
    """The qualifications a user may see: their own as exam staff, soonest to lapse first."""
    return (Qualification.objects.filter(examiner__user=user).select_related("family", "subject", "part")
            .order_by(F("valid_until").asc(nulls_last=True), "family__code", "role", "pk"))
