"""Booking exam sessions: hold seats while the candidate pays, and let unpaid holds expire."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..errors import Conflict, NotFound, RuleViolation
from ..jobs.outbox import enqueue
from ..models import Booking, Candidate, ExamPart, ExamSession, Registration, RegistrationEvent, User
from . import eligibility, seats
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
    idempotency_key: str = "",
) -> Booking:
    """Hold one seat per requested session for ``candidate``, or nothing at all.

    Seats are held for ``EXAMS['HOLD_MINUTES']`` while the candidate pays; ``expire_holds`` returns them.
    When the agency places someone (``placed_by_agency``) the registrations are confirmed at once, and the
    registration deadline, which is for candidates booking themselves, does not apply.

    A repeated call with the same ``idempotency_key`` returns the booking the first call made, also when
    the two run at the same time; the same key with other sessions or parts is refused
    (``idempotency_key_reused``): the caller would otherwise take the first booking for the one it asked."""
    earlier = _earlier_booking(candidate, idempotency_key)
    if earlier is not None:
        return _replayed(earlier, requests)
    try:
        return _create(candidate, requests, created_by, placed_by_agency, idempotency_key)
    except (Conflict, RuleViolation):
        # A replay that ran alongside the first request with its key: the first one committed after the
        # look-up above, and took the seat (the counter says full, the locked recount says full, or the
        # database's guard fired) or booked the session already. The replay gets the first one's booking.
        earlier = _earlier_booking(candidate, idempotency_key)
        if earlier is None:
            raise
        return _replayed(earlier, requests)


def _create(candidate: Candidate, requests: list[SeatRequest], created_by: User | None,
            placed_by_agency: bool, idempotency_key: str) -> Booking:
    if not requests:
        raise RuleViolation(_("Choose at least one session."), code="empty_booking")
    if len({r.session_id for r in requests}) != len(requests):
        raise RuleViolation(_("You chose more than one part in the same sitting. The parts of a sitting run "
                              "at the same time, so you sit one of them: choose another sitting (the same "
                              "day, if you like) for the other part."), code="duplicate_session")
    already_full = seats.full_by_counter(r.session_id for r in requests)
    if already_full:
        # The committed counter says full: the rush's most common answer, given at once, without a
        # transaction or a lock (the locked recount stays the authority for every seat actually taken).
        raise SessionFull(_("A seat you chose has just been taken."), details={"session_ids": already_full})
    try:
        with transaction.atomic():
            return _create_locked(candidate, requests, created_by, placed_by_agency, idempotency_key)
    except IntegrityError as exc:
        # The database's own guard (seats never above capacity, one live registration per candidate and
        # session, one booking per idempotency key) fired: a concurrent booking won. Answer as the lock
        # would have.
        raise SessionFull(_("A seat you chose has just been taken."),
                          details={"reason": "concurrent booking"}) from exc


def _earlier_booking(candidate: Candidate, idempotency_key: str) -> Booking | None:
    if not idempotency_key:
        return None
    return Booking.objects.filter(candidate=candidate, idempotency_key=idempotency_key).first()


def _replayed(earlier: Booking, requests: list[SeatRequest]) -> Booking:
    """``earlier``, the booking made with this request's idempotency key, if this request asked for the
    same: the same sessions, and where it names a part, the part booked there."""
    # As first booked: a later change of session adds a registration that replaces one of these.
    booked = {r.session_id: r.part.code
              for r in earlier.registrations.filter(replaces__isnull=True).select_related("part")}
    same = (booked.keys() == {r.session_id for r in requests} and len(booked) == len(requests)
            and all(r.part_code is None or booked[r.session_id] == r.part_code for r in requests))
    if not same:
        raise RuleViolation(
            _("This Idempotency-Key was used for another booking. Send a new key with a new booking."),
            code="idempotency_key_reused", details={"booking_id": earlier.pk})
    return earlier


def _create_locked(candidate: Candidate, requests: list[SeatRequest], created_by: User | None,
                   placed_by_agency: bool, idempotency_key: str) -> Booking:
    now = timezone.now()
    requested = {r.session_id for r in requests}
    # Read by key, so without the models' default orderings (composing them is a tenth of a booking's work).
    parts_with_rules = (ExamPart.objects.select_related("programme__family").order_by()
                        .prefetch_related(Prefetch("requires", queryset=ExamPart.objects.order_by("code"))))
    sessions = {s.pk: s for s in ExamSession.objects.filter(pk__in=requested).select_related("room__location")
                .order_by().prefetch_related(Prefetch("parts", queryset=parts_with_rules))}
    missing = sorted(requested - sessions.keys())
    if missing:
        raise NotFound(_("Unknown session."), details={"session_ids": missing})
    parts = {r.session_id: _part_for(sessions[r.session_id], r.part_code) for r in requests}
    # One booking at a time per candidate (candidate first, then sessions: always the same order), so two
    # parallel requests of one person cannot both pass the rules.
    _lock_candidate(candidate.pk)
    _check_rules(candidate, sessions, parts, deadline_applies=not placed_by_agency)
    hold = not placed_by_agency
    status = Booking.Status.HELD if hold else Booking.Status.CONFIRMED
    booking = Booking.objects.create(
        candidate=candidate,
        created_by=created_by,
        status=status,
        amount=sum((p.fee for p in parts.values()), Decimal("0")),
        expires_at=now + timedelta(minutes=settings.EXAMS["HOLD_MINUTES"]) if hold else None,
        idempotency_key=idempotency_key,
    )
    registrations = Registration.objects.bulk_create([
        Registration(booking=booking, candidate=candidate, session_id=sid, part=parts[sid], status=status,
                     fee=parts[sid].fee) for sid in sorted(requested)])
    RegistrationEvent.objects.bulk_create([RegistrationEvent(registration=r, to_status=status, actor=created_by)
                                           for r in registrations])
    # Lock as late as possible: only the recount and the counter run under the sessions' locks, so the
    # busiest session of a rush is held for a moment per booking. The recount includes this booking's own
    # (uncommitted) registrations and everything committed before the lock was granted.
    locked = seats.take_seats(requested, pause_after_check=AFTER_CHECK_DELAY_SECONDS)
    for sid, state in locked.items():
        session = sessions[sid]
        session.status, session.starts_at = state.status, state.starts_at
        session.registration_closes_at, session.capacity = state.registration_closes_at, state.capacity
        _check_bookable(session, now, deadline_applies=not placed_by_agency)
    full = [sid for sid, state in locked.items() if state.over_capacity]
    if full:
        raise SessionFull(_("A seat you chose has just been taken."), details={"session_ids": sorted(full)})
    audit.record("booking_created", actor=created_by, obj=booking, sessions=sorted(locked))
    _remember_registrations(booking, registrations, sessions)
    return booking


def _remember_registrations(booking: Booking, registrations: list[Registration],
                            sessions: dict[int, ExamSession]) -> None:
    """Keep the registrations just written on the booking, as ``prefetch_related`` would, so that showing
    the new booking does not read back what this transaction wrote. Like any prefetched relation it shows
    the registrations as they were written; filtering it (``.filter``, ``.get``) asks the database."""
    for registration in registrations:
        registration.session = sessions[registration.session_id]
    cached = booking.registrations.get_queryset()
    cached._result_cache, cached._prefetch_done = sorted(registrations, key=lambda r: r.pk), True
    booking._prefetched_objects_cache = {"registrations": cached}


def _lock_candidate(candidate_id: int) -> None:
    """Hold the candidate's row until the transaction ends. Plain SQL, as it runs once per booking in a rush.
    SQLite needs no row lock: it lets one writing transaction in at a time."""
    if seats.LOCKING_ENABLED and connection.features.has_select_for_update:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {Candidate._meta.db_table} WHERE id = %s FOR UPDATE",
                           [candidate_id])


def _check_rules(candidate: Candidate, sessions: dict[int, ExamSession], parts: dict[int, ExamPart], *,
                 deadline_applies: bool) -> None:
    choices = [eligibility.Choice(sessions[sid], parts[sid]) for sid in sorted(sessions)]
    refused = eligibility.check_booking(candidate, choices)
    if not deadline_applies:
        refused = {sid: [r for r in reasons if r.code != "registration_closed"] for sid, reasons in refused.items()}
        refused = {sid: reasons for sid, reasons in refused.items() if reasons}
    if refused:
        first = next(iter(refused.values()))[0]
        raise RuleViolation(
            first.message,
            code=first.code,
            details={str(sid): [{"code": r.code, "message": r.message} for r in reasons]
                     for sid, reasons in refused.items()},
        )


def _part_for(session: ExamSession, part_code: str | None) -> ExamPart:
    parts = list(session.parts.all())
    if part_code is not None:
        parts = [p for p in parts if p.code == part_code]
        if not parts:
            raise RuleViolation(
                _("This session holds no exam part %(part)s.") % {"part": part_code}, code="unknown_part",
                details={"session": session.pk, "part": part_code,
                         "parts": sorted(p.code for p in session.parts.all())})
    if len(parts) != 1:
        raise RuleViolation(
            _("Say which exam part you book in this session."), code="part_required",
            details={"session": session.pk},
        )
    return parts[0]


def _check_bookable(session: ExamSession, now, *, deadline_applies: bool) -> None:
    """The session's own state, re-checked on the locked row with the same rule the search page uses."""
    ctx = eligibility.Context(None, now, [], [], [])  # type: ignore[arg-type]
    reason = eligibility.session_open(ctx, eligibility.Choice(session, None))  # type: ignore[arg-type]
    if reason and (deadline_applies or reason.code != "registration_closed"):
        raise RuleViolation(reason.message, code=reason.code)


def booking_again(*, booking: Booking, created_by: User | None = None) -> Booking:
    """Book the sittings of a booking that expired unpaid once more: each in the same sitting where that
    still has a seat and may be booked, otherwise in the next sitting of its part that has. Tapping twice
    books once (the new booking's idempotency key names the old one)."""
    if booking.status != Booking.Status.EXPIRED:
        raise RuleViolation(_("Only a booking that expired unpaid can be booked again."), code="not_expired")
    earlier = _earlier_booking(booking.candidate, again_key(booking))
    if earlier is not None:  # a second tap: its seats are the candidate's already, so none is "left" for it
        return earlier
    expired = booking.registrations.filter(status="expired").select_related(
        "session__room__location", "part__programme__family").order_by("session__starts_at")
    ctx = eligibility.Context.load(booking.candidate)
    requests = []
    for registration in expired:
        session = _same_or_next(ctx, registration)
        if session is None:
            raise RuleViolation(_("%(part)s has no sitting with seats left that you can book: search for another "
                                  "date.") % {"part": registration.part.name}, code="no_sitting_with_seats")
        ctx.chosen.append(eligibility.Choice(session, registration.part))
        requests.append(SeatRequest(session.pk, registration.part.code))
    if not requests:
        raise RuleViolation(_("Nothing in this booking can be booked again."), code="nothing_to_book")
    return booking_create(candidate=booking.candidate, requests=requests, created_by=created_by,
                          idempotency_key=again_key(booking))


def again_key(booking: Booking) -> str:
    return f"again-{booking.pk}"


#: How many later sittings ``booking_again`` looks at for one with a seat.
AGAIN_LOOKAHEAD = 20


def _same_or_next(ctx: eligibility.Context, registration: Registration) -> ExamSession | None:
    from .. import selectors

    later = selectors.sessions_bookable(part=registration.part.code).filter(
        starts_at__gt=registration.session.starts_at)[:AGAIN_LOOKAHEAD]
    for session in [registration.session, *later]:
        choice = eligibility.Choice(session, registration.part)
        if session.seats_left > 0 and not eligibility.reasons_against(ctx, choice):
            return session
    return None


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


def booking_mark_pending_payment(*, locked: Booking, actor: User | None = None) -> Booking:
    """The candidate went to the payment provider: the booking now waits for its money. ``locked`` is the
    booking as read under its row lock in the caller's transaction (``payment_start`` holds it)."""
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
        _booking_confirmed(locked.pk)
    return True


def _booking_confirmed(booking_id: int) -> None:
    """Queue (with the commit) what follows a confirmation: e-mail, calendar file, summons."""
    from .. import tasks

    enqueue(tasks.booking_confirmed, booking_id)


@dataclass(frozen=True)
class CancelOutcome:
    cancelled: list[int]
    refund_due: Decimal
    #: The booking was on an invoice not paid yet: nothing is refunded, the invoice is lowered or cancelled.
    unpaid_invoice: bool = False


def booking_cancel(
    *, booking: Booking, registration_ids: list[int] | None = None, actor: User | None = None,
    by_agency: bool = False,
) -> CancelOutcome:
    """Cancel some or all live registrations of a booking. Paid ones are refunded when the family's rule
    allows it (e.g. inburgering: at least 14 days before the exam) or when the agency cancels; the refund
    itself goes through the payment provider after the commit, once per registration."""
    now = timezone.now()
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        live = locked.registrations.filter(status__in=CANCELLABLE).select_related(
            "part__programme__family", "session")
        if registration_ids is not None:
            _check_cancellable(locked, registration_ids)
            live = live.filter(pk__in=registration_ids)
        chosen = list(live)
        if not chosen:
            if locked.status == Booking.Status.CANCELLED:
                raise AlreadyCancelled(_("This booking has already been cancelled."))
            raise RuleViolation(_("Nothing in this booking can be cancelled."), code="nothing_to_cancel")
        refunds: list[Registration] = []
        unpaid = unpaid_invoice(locked)
        in_calendar = [r.pk for r in chosen if r.status == "confirmed"]  # the confirmation sent these
        for registration in chosen:
            paid = (registration.status == "confirmed" and locked.status == Booking.Status.CONFIRMED
                    and not unpaid)
            registration_transition(registration=registration, to="cancelled", actor=actor,
                                    reason="cancelled by the agency" if by_agency else "cancelled")
            if paid and (by_agency or refund_allowed(registration, now)):
                refunds.append(registration)
        if not locked.registrations.filter(status__in=CANCELLABLE).exists():
            locked.status = Booking.Status.CANCELLED
            locked.save(update_fields=["status"])
            _void_open_payments(locked)
        elif unpaid:
            _lower_open_invoice(locked)
        for registration in refunds:
            _queue_refund(registration.pk)
        if in_calendar:
            _queue_cancel_message(in_calendar, [r.pk for r in refunds], unpaid)
    return CancelOutcome([r.pk for r in chosen], sum((r.fee for r in refunds), Decimal("0")), unpaid)


def unpaid_invoice(booking: Booking) -> bool:
    """The booking is confirmed on an invoice that is not paid yet (cancelling it refunds nothing)."""
    from exams.payments.services import invoice_unpaid

    return invoice_unpaid(booking)


def _lower_open_invoice(booking: Booking) -> None:
    """Part of a booking on an unpaid invoice was cancelled: the invoice asks for what is still booked."""
    from exams.payments.services import invoices_reduce

    still = booking.registrations.filter(status__in=["held", "pending_payment", "confirmed"])
    amount = sum((r.fee for r in still), Decimal("0"))
    invoices_reduce(booking=booking, amount=amount, reason="part cancelled")


CANCELLABLE = ("held", "pending_payment", "confirmed")


class AlreadyCancelled(Conflict):
    code = "already_cancelled"


def _check_cancellable(booking: Booking, registration_ids: list[int]) -> None:
    """Refuses the whole request, naming the ids, when one of them is not this booking's (another
    person's id is as unknown as one that does not exist), is cancelled already, or is past cancelling."""
    statuses = dict(booking.registrations.filter(pk__in=registration_ids).values_list("pk", "status"))
    unknown = sorted({i for i in registration_ids if i not in statuses})
    if unknown:
        raise RuleViolation(_("This booking has no registrations with the ids %(ids)s.")
                            % {"ids": ", ".join(map(str, unknown))},
                            code="registration_not_found", details={"not_found": unknown})
    cancelled = sorted(pk for pk, status in statuses.items() if status == "cancelled")
    if cancelled:
        raise AlreadyCancelled(_("Already cancelled: %(ids)s.") % {"ids": ", ".join(map(str, cancelled))},
                               details={"already_cancelled": cancelled})
    past = sorted(pk for pk, status in statuses.items() if status not in CANCELLABLE)
    if past:
        raise RuleViolation(_("These registrations can no longer be cancelled: %(ids)s.")
                            % {"ids": ", ".join(map(str, past))},
                            code="nothing_to_cancel", details={"not_cancellable": past})


def _void_open_payments(booking: Booking) -> None:
    """A cancelled booking owes nothing: open invoices are voided; an online payment still in progress is
    refunded automatically should it complete."""
    from exams.payments.services import payments_cancel_open

    payments_cancel_open(booking=booking, reason="booking cancelled")


def refund_allowed(registration: Registration, now) -> bool:
    days = registration.part.programme.family.refund_until_days
    return days is not None and registration.session.starts_at - now >= timedelta(days=days)


def _queue_refund(registration_id: int) -> None:
    from .. import tasks

    enqueue(tasks.registration_refund, registration_id)


def _queue_cancel_message(registration_ids: list[int], refunded_ids: list[int], unpaid: bool) -> None:
    from .. import tasks

    enqueue(tasks.registrations_cancelled, registration_ids, refunded_ids, unpaid)


def registration_change(*, registration: Registration, session: ExamSession, actor: User | None = None,
                        by_agency: bool = False) -> Registration:
    """Move a confirmed registration to another sitting of the same part. The payment stays with the booking.
    The agency (a planner) may also move people into sittings closed for booking."""
    family = registration.part.programme.family
    if not family.change_allowed and not by_agency:
        raise RuleViolation(_("This exam cannot be changed online."), code="change_not_allowed")
    if registration.session_id == session.pk:
        raise RuleViolation(_("That is the sitting you already have."), code="same_session")
    if not session.parts.filter(pk=registration.part_id).exists():
        raise RuleViolation(_("That sitting is for another exam part."), code="wrong_part")
    try:
        with transaction.atomic():
            return _change_locked(registration, session, actor, by_agency)
    except IntegrityError as exc:
        raise SessionFull(_("The new sitting has just filled up.")) from exc


def _change_locked(registration: Registration, session: ExamSession, actor: User | None,
                   by_agency: bool) -> Registration:
    current = Registration.objects.select_for_update().select_related("part__programme__family").get(pk=registration.pk)
    if current.status != "confirmed":
        raise RuleViolation(_("Only a confirmed exam can be changed."), code="not_confirmed")
    ctx = eligibility.Context.load(current.candidate)
    ctx.registrations = [r for r in ctx.registrations if r.pk != current.pk]
    reasons = eligibility.reasons_against(ctx, eligibility.Choice(session, current.part),
                                          waive=eligibility.AGENCY_WAIVES if by_agency else frozenset())
    if reasons:
        raise RuleViolation(reasons[0].message, code=reasons[0].code,
                            details=[{"code": r.code, "message": r.message} for r in reasons])
    locked = seats.lock_sessions([current.session_id, session.pk])
    if seats.seats_taken([session.pk]).get(session.pk, 0) >= locked[session.pk].capacity:
        raise SessionFull(_("The new sitting is full."), details={"session_ids": [session.pk]})
    moved = Registration.objects.create(booking=current.booking, candidate=current.candidate, session=session,
                                        part=current.part, status="confirmed", fee=current.fee)
    RegistrationEvent.objects.create(registration=moved, to_status="confirmed", actor=actor,
                                     reason=f"changed from session {current.session_id}")
    seats.adjust_seats(session.pk, +1)
    registration_transition(registration=current, to="changed", actor=actor, reason=f"changed to session {session.pk}")
    Registration.objects.filter(pk=current.pk).update(replaced_by=moved)
    # Someone moved by a cancelled sitting who picked a new date needs no placing any more.
    from ..models import PlacementRequest

    PlacementRequest.objects.filter(candidate=current.candidate, part=current.part, status="waiting",
                                    source="disruption").update(status="withdrawn", reason="chose a new date")
    # A placement the agency made follows the candidate to the new sitting.
    PlacementRequest.objects.filter(registration=current).update(registration=moved)
    if not by_agency:  # a planner's move sends the roster's message (``registration_moved``)
        from .. import tasks

        enqueue(tasks.registration_changed, moved.pk)
    return moved


def session_cancel_by_agency(*, session: ExamSession, reason: str, actor: User | None = None) -> int:
    """The agency cancels a sitting (a room closed, an examiner ill). Candidates keep their paid
    registration and choose a new date at no cost (or the planner's next solver run places them); each
    gets an e-mail. Returns how many candidates are affected."""
    from ..models import PlacementRequest

    with transaction.atomic():
        locked = seats.lock_sessions([session.pk])[session.pk]
        if locked.status == ExamSession.Status.CANCELLED:
            return 0
        locked.status = ExamSession.Status.CANCELLED
        locked.save(update_fields=["status"])
        # The examiners' calendars show the sitting cancelled: a new version raises their events' SEQUENCE.
        ExamSession.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        affected = list(locked.registrations.filter(status="confirmed").select_related("candidate", "part"))
        for registration in affected:
            PlacementRequest.objects.get_or_create(
                candidate=registration.candidate, part=registration.part, status=PlacementRequest.Status.WAITING,
                defaults={"source": PlacementRequest.Source.DISRUPTION, "preferred_location": locked.room.location,
                          "earliest": timezone.localdate(), "reason": reason[:500]},
            )
            RegistrationEvent.objects.create(registration=registration, from_status="confirmed", to_status="confirmed",
                                             actor=actor, reason=f"sitting cancelled by the agency: {reason}"[:200])
        ids = [r.pk for r in affected]
        transaction.on_commit(lambda: _notify_cancelled(ids, reason))
    return len(affected)


def _notify_cancelled(registration_ids: list[int], reason: str) -> None:
    from .notifications import sitting_cancelled_send

    for registration_id in registration_ids:
        sitting_cancelled_send(registration_id=registration_id, reason=reason)
