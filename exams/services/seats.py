"""Seat accounting: the one place that locks sessions and counts their seats.

Lock late, once, in a fixed order (by id, so two bookings for the same sessions never deadlock), then
recount from the registrations themselves before writing. ``seats_booked`` is kept in step in the same
transaction, and a check constraint on it is the second line of defence.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

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


@dataclass(frozen=True)
class LockedSeats:
    """A session's state as read under its lock, and the seats its registrations take (this booking's too)."""

    status: str
    starts_at: datetime
    registration_closes_at: datetime | None
    capacity: int
    taken: int

    @property
    def over_capacity(self) -> bool:
        return self.taken > self.capacity


def take_seats(session_ids: Iterable[int], *, pause_after_check: float = 0.0) -> dict[int, LockedSeats]:
    """A booking's locked section: lock the sessions, recount their seats from the registrations (which the
    caller has already inserted) and, when every one is open and within its capacity, move each counter up
    by one. Returns what was read under the lock, by id; the caller raises (and so rolls back) when a
    session turns out closed or full, or fails a rule of its own.

    On PostgreSQL the three steps are one call of ``exams_take_seats`` (migration 0010), so the busiest row
    of a rush is locked for one round trip and the commit, not for three and the worker's pauses between
    them. ``pause_after_check`` (tests only) waits between the recount and the write."""
    ids = sorted(set(session_ids))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM exams_take_seats(%s, %s, %s, %s)",
                           [ids, sorted(SEAT_TAKING), LOCKING_ENABLED, pause_after_check])
            return {row[0]: LockedSeats(*row[1:]) for row in cursor.fetchall()}
    locked = lock_sessions(ids)
    taken = seats_taken(locked)
    read = {sid: LockedSeats(s.status, s.starts_at, s.registration_closes_at, s.capacity, taken.get(sid, 0))
            for sid, s in locked.items()}
    if pause_after_check:
        time.sleep(pause_after_check)
    if all(r.status == ExamSession.Status.OPEN and not r.over_capacity for r in read.values()):
        adjust_seats(ids, +1)
    return read


def full_by_counter(session_ids: Iterable[int]) -> list[int]:
    """The sessions whose committed seat counter says full, read without a lock (unknown ids are left out).

    Plain SQL: this is the rush's most frequent statement, and composing it through the ORM costs twenty
    times what the database spends answering it."""
    ids = sorted(set(session_ids))
    if not ids:
        return []
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {ExamSession._meta.db_table} WHERE id IN ({placeholders}) "
                       "AND seats_booked >= capacity ORDER BY id", ids)
        return [row[0] for row in cursor.fetchall()]


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
