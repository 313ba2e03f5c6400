"""Seat accounting: the one place that locks sessions and counts their seats.

Lock late, once, in a fixed order (by id, so two bookings for the same sessions never deadlock), then
recount from the registrations themselves before writing. ``seats_booked`` is kept in step in the same
transaction, and a check constraint on it is the second line of defence.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, F

from ..models import ExamSession, Registration
from ..models.registrations import SEAT_TAKING

#: Tests switch this off to prove that the race is real without the lock.
LOCKING_ENABLED = True


def lock_sessions(session_ids: Iterable[int]) -> dict[int, ExamSession]:
    """Lock the sessions' rows (in id order) for the rest of the transaction and return them by id."""
    ids = sorted(set(session_ids))
    queryset = ExamSession.objects.filter(pk__in=ids).order_by("pk")
    if LOCKING_ENABLED and connection.features.has_select_for_update:
        # FOR NO KEY UPDATE: excludes every other seat writer, but not the key-share locks that inserting a
        # registration (a foreign key to the session) takes, so a booking may insert before it locks.
        queryset = queryset.select_for_update(of=("self",), no_key=True)
    return {session.pk: session for session in queryset.select_related("room__location")}


def full_by_counter(session_ids: Iterable[int]) -> list[int]:
    """The sessions whose committed seat counter says full, read without a lock (unknown ids are left out)."""
    full = ExamSession.objects.filter(pk__in=list(session_ids), seats_booked__gte=F("capacity"))
    return list(full.order_by("pk").values_list("pk", flat=True))


def seats_taken(session_ids: Iterable[int]) -> dict[int, int]:
    """Count, from the registrations themselves, how many seats each session has taken."""
    rows = (
        Registration.objects.filter(session_id__in=list(session_ids), status__in=SEAT_TAKING)
        .values("session_id")
        .annotate(taken=Count("pk"))
    )
    return {row["session_id"]: row["taken"] for row in rows}


def adjust_seats(session_ids: int | Iterable[int], delta: int) -> None:
    """Move the sessions' seat counters; the database refuses a value above the capacity."""
    ids = [session_ids] if isinstance(session_ids, int) else list(session_ids)
    ExamSession.objects.filter(pk__in=ids).update(seats_booked=F("seats_booked") + delta)
