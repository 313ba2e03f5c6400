"""Booking endpoints: hold seats, look at a booking, cancel, change a sitting."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from pydantic import Field

from exams.errors import Forbidden
from exams.models import Booking, Candidate, ExamSession, Registration, User
from exams.services import bookings as booking_services

from .errors import ErrorBody
from .fields import Money, ObjectId, choice_of
from .me import RegistrationOut, candidate_of
from .paging import PAGED, DatedPage, on_days, page_of

router = Router(tags=["bookings"])


class BookingIn(Schema):
    session_ids: list[ObjectId] = Field(min_length=1, max_length=10, description="The sessions to hold a seat in.")
    parts: dict[str, str] = Field(
        default_factory=dict, max_length=10,
        description="For a session that hosts several parts: session id → the part code to sit.",
    )
    candidate_id: ObjectId | None = Field(None, description="Staff only: book on behalf of this candidate.")


class BookingOut(Schema):
    id: int
    status: choice_of(Booking.Status)
    amount: Money
    currency: str
    expires_at: datetime | None
    created_at: datetime
    registrations: list[RegistrationOut]

    @staticmethod
    def resolve_registrations(booking: Booking) -> list[Registration]:
        if "registrations" in getattr(booking, "_prefetched_objects_cache", {}):
            return sorted(booking.registrations.all(), key=lambda r: r.pk)
        return list(_registrations_shown().filter(booking=booking))


class CancelIn(Schema):
    registration_ids: list[ObjectId] | None = Field(None, max_length=20, description="Default: everything live.")


class CancelOut(Schema):
    cancelled: list[int]
    refund_due: Money


class ChangeIn(Schema):
    session_id: ObjectId


def _candidate_for(user: User, candidate_id: int | None) -> Candidate:
    if candidate_id is not None:
        if not user.is_planner and not user.is_staff:
            raise Forbidden(_("Only agency staff can book on behalf of someone else."))
        return get_object_or_404(Candidate, pk=candidate_id)
    candidate = candidate_of(user)
    if candidate is None:
        raise Forbidden(_("This account has no candidate profile; complete your profile first."),
                        code="no_candidate_profile")
    return candidate


def _registrations_shown():
    return Registration.objects.select_related("session__room__location", "part").order_by("pk")


def bookings_visible_to(user: User):
    if user.is_planner or user.is_staff:
        return Booking.objects.all()
    return Booking.objects.filter(candidate__user=user)


@router.post("/bookings", summary="Book exam parts",
             response={201: BookingOut, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody})
def booking_create(request: HttpRequest, payload: BookingIn,
                   idempotency_key: str = Header("", alias="Idempotency-Key", max_length=100)):
    """Hold a seat in each session for 15 minutes while the candidate pays. 409 when a seat is gone,
    422 when the booking breaks a rule (the details name the rule per session)."""
    candidate = _candidate_for(request.auth, payload.candidate_id)
    requests = [booking_services.SeatRequest(sid, payload.parts.get(str(sid))) for sid in payload.session_ids]
    booking = booking_services.booking_create(
        candidate=candidate, requests=requests, created_by=request.auth, idempotency_key=idempotency_key,
    )
    return Status(201, booking)


@router.get("/bookings/{booking_id}", summary="Get a booking", response={200: BookingOut, 404: ErrorBody})
def booking_detail(request: HttpRequest, booking_id: int) -> Booking:
    """One booking with its registrations, amount and hold; the candidate's own, or any for planners."""
    return get_object_or_404(bookings_visible_to(request.auth), pk=booking_id)


@router.get("/me/bookings", summary="List your bookings",
            response={200: list[BookingOut], 422: ErrorBody}, openapi_extra=PAGED)
def my_bookings(request: HttpRequest, response: HttpResponse, page: Query[DatedPage]) -> list[Booking]:
    """The caller's bookings, newest first, a page at a time (the total in X-Total-Count); the dates narrow
    by the day the booking was made."""
    bookings = (Booking.objects.filter(candidate__user=request.auth).order_by("-created_at", "-pk")
                .prefetch_related(Prefetch("registrations", queryset=_registrations_shown())))
    return page_of(on_days(bookings, "created_at", page), page, response)


@router.post("/bookings/{booking_id}/cancel", summary="Cancel a booking or some of its parts",
             response={200: CancelOut, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody})
def booking_cancel(request: HttpRequest, booking_id: int, payload: CancelIn | None = None) -> dict:
    """Cancel some or all parts (without a body: everything live). Paid parts are refunded when the family's
    rules allow it. 422 `registration_not_found` names the ids that are not this booking's (in
    `details.not_found`), 409 `already_cancelled` those cancelled before (`details.already_cancelled`, or
    none when the whole booking was); nothing is cancelled then."""
    booking = get_object_or_404(bookings_visible_to(request.auth), pk=booking_id)
    outcome = booking_services.booking_cancel(
        booking=booking, registration_ids=payload.registration_ids if payload else None, actor=request.auth,
        by_agency=request.auth.is_planner,
    )
    return {"cancelled": outcome.cancelled, "refund_due": outcome.refund_due}


@router.post("/registrations/{registration_id}/change", summary="Move a registration to another sitting",
             response={200: RegistrationOut, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody})
def registration_change(request: HttpRequest, registration_id: int, payload: ChangeIn) -> Registration:
    """Move to another sitting of the same part; the payment stays."""
    visible = Registration.objects.filter(booking__in=bookings_visible_to(request.auth))
    registration = get_object_or_404(visible, pk=registration_id)
    session = get_object_or_404(ExamSession, pk=payload.session_id)
    return booking_services.registration_change(registration=registration, session=session, actor=request.auth)
