"""Booking exam sessions: hold seats while the candidate pays, and let unpaid holds expire."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..errors import Conflict, NotFound, RuleViolation
from ..models import Booking, Candidate, ExamPart, ExamSession, Registration, RegistrationEvent, User
from . import seats
from .registrations import registration_transition

logger = logging.getLogger(__name__)

#: Tests set a delay here to widen the window between the availability check and the write.
AFTER_CHECK_DELAY_SECONDS = 0.0


@dataclass(frozen=True)
class SeatRequest:
    session_id: int
    part_code: str | None = None


class SessionFull(Conflict):
    code = "session_full"


def booking_create(
    *,
    candidate: Candidate,
    requests: list[SeatRequest],
    created_by: User | None = None,
    placed_by_agency: bool = False,
) -> Booking:
    """Hold one seat per requested session for ``candidate``, or nothing at all.

    Seats are held for ``EXAMS['HOLD_MINUTES']`` while the candidate pays; ``expire_holds`` returns them.
    When the agency places someone (``placed_by_agency``) the registrations are confirmed at once, and the
    registration deadline, which is for candidates booking themselves, does not apply."""
    hold = not placed_by_agency
    if not requests:
        raise RuleViolation("Choose at least one session.", code="empty_booking")
    if len({r.session_id for r in requests}) != len(requests):
        raise RuleViolation("The same session is in the booking twice.", code="duplicate_session")
    now = timezone.now()
    with transaction.atomic():
        locked = seats.lock_sessions(r.session_id for r in requests)
        missing = sorted({r.session_id for r in requests} - locked.keys())
        if missing:
            raise NotFound("Unknown session.", details={"session_ids": missing})
        parts = {r.session_id: _part_for(locked[r.session_id], r.part_code) for r in requests}
        for session in locked.values():
            _check_bookable(session, now, deadline_applies=not placed_by_agency)
        taken = seats.seats_taken(locked)
        full = [sid for sid, s in locked.items() if taken.get(sid, 0) >= s.capacity]
        if full:
            raise SessionFull("A seat you chose has just been taken.", details={"session_ids": sorted(full)})
        if AFTER_CHECK_DELAY_SECONDS:
            time.sleep(AFTER_CHECK_DELAY_SECONDS)
        amount = sum((p.fee for p in parts.values()), Decimal("0"))
        status = Booking.Status.HELD if hold else Booking.Status.CONFIRMED
        booking = Booking.objects.create(
            candidate=candidate,
            created_by=created_by,
            status=status,
            amount=amount,
            expires_at=now + timedelta(minutes=settings.EXAMS["HOLD_MINUTES"]) if hold else None,
        )
        for session_id in sorted(locked):
            registration = Registration.objects.create(
                booking=booking,
                candidate=candidate,
                session_id=session_id,
                part=parts[session_id],
                status=status,
                fee=parts[session_id].fee,
            )
            RegistrationEvent.objects.create(registration=registration, to_status=status, actor=created_by)
            seats.adjust_seats(session_id, +1)
    return booking


def _part_for(session: ExamSession, part_code: str | None) -> ExamPart:
    parts = list(session.parts.all())
    if part_code is not None:
        parts = [p for p in parts if p.code == part_code]
    if len(parts) != 1:
        raise RuleViolation(
            "Say which exam part you book in this session.", code="part_required", details={"session": session.pk}
        )
    return parts[0]


def _check_bookable(session: ExamSession, now, *, deadline_applies: bool) -> None:
    if session.status != ExamSession.Status.OPEN:
        raise RuleViolation("This session is not open for booking.", code="session_not_open")
    if session.starts_at <= now:
        raise RuleViolation("This session has already started.", code="session_started")
    if deadline_applies and session.registration_closes_at and session.registration_closes_at <= now:
        raise RuleViolation("Registration for this session has closed.", code="registration_closed")


def expire_holds(*, now=None) -> int:
    """Expire unpaid bookings whose hold has run out and return their seats. Safe to run twice or in
    parallel: each booking is locked and re-checked, and already-expired bookings are skipped."""
    now = now or timezone.now()
    expired = 0
    due = Booking.objects.filter(
        status__in=[Booking.Status.HELD, Booking.Status.PENDING_PAYMENT], expires_at__lte=now
    ).values_list("pk", flat=True)
    for booking_id in list(due):
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(skip_locked=True)
                .filter(pk=booking_id, status__in=[Booking.Status.HELD, Booking.Status.PENDING_PAYMENT],
                        expires_at__lte=now)
                .first()
            )
            if booking is None:
                continue
            for registration in booking.registrations.filter(status__in=["held", "pending_payment"]):
                registration_transition(registration=registration, to="expired", reason="hold expired unpaid")
            booking.status = Booking.Status.EXPIRED
            booking.save(update_fields=["status"])
            expired += 1
    if expired:
        logger.info("expired %d unpaid bookings", expired)
    return expired


class BookingNotConfirmable(Conflict):
    """Money arrived for a booking that can no longer be confirmed (its hold expired, or it was cancelled)."""

    code = "booking_not_confirmable"


PAYABLE = (Booking.Status.HELD, Booking.Status.PENDING_PAYMENT)


def booking_mark_pending_payment(*, booking: Booking, actor: User | None = None) -> Booking:
    """The candidate went to the payment provider: the booking now waits for its money."""
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status != Booking.Status.HELD:
            return locked
        for registration in locked.registrations.filter(status="held"):
            registration_transition(registration=registration, to="pending_payment", actor=actor)
        locked.status = Booking.Status.PENDING_PAYMENT
        locked.save(update_fields=["status"])
    return locked


def booking_confirm(*, booking: Booking, actor: User | None = None, reason: str = "paid") -> bool:
    """Confirm a paid booking. Returns True the one time it confirms, False when it was confirmed already,
    and raises ``BookingNotConfirmable`` when the hold expired or the booking was cancelled meanwhile (the
    caller then refunds). The booking row is locked and its status re-checked, so concurrent and repeated
    calls confirm exactly once."""
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status == Booking.Status.CONFIRMED:
            return False
        if locked.status not in PAYABLE:
            raise BookingNotConfirmable(
                f"Booking {locked.pk} is {locked.status} and cannot be confirmed.", details={"status": locked.status}
            )
        for registration in locked.registrations.filter(status__in=["held", "pending_payment"]):
            registration_transition(registration=registration, to="confirmed", actor=actor, reason=reason)
        locked.status = Booking.Status.CONFIRMED
        locked.expires_at = None
        locked.save(update_fields=["status", "expires_at"])
        transaction.on_commit(lambda: _booking_confirmed(locked.pk))
    return True


def _booking_confirmed(booking_id: int) -> None:
    """After the commit: queue what follows a confirmation (e-mail, calendar file, summons)."""
    from .. import tasks

    tasks.booking_confirmed.delay(booking_id)
