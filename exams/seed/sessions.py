"""Sittings for a period: the timetable a planner would publish for the bookable families."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..models import ExamFamily, ExamPart, ExamSession, FixedExamDate, Location, Room


def make_session(room: Room, day: date, start: time, parts: list[ExamPart], *, status: str = "open",
                 closes_days: int = 0, capacity: int | None = None) -> ExamSession:
    zone = ZoneInfo(room.location.timezone)
    starts_at = datetime.combine(day, start, tzinfo=zone)
    minutes = max(p.duration_minutes + p.preparation_minutes for p in parts)
    session = ExamSession.objects.create(
        room=room, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes),
        capacity=capacity if capacity is not None else (room.computer_seats or room.seats), status=status,
        registration_closes_at=starts_at - timedelta(days=closes_days) if closes_days else None,
    )
    session.parts.set(parts)
    return session


def weekdays(start: date, weeks: int):
    for offset in range(weeks * 7):
        day = start + timedelta(days=offset)
        if day.weekday() < 5:
            yield day


def nt2_sessions(centres: list[Location], family: ExamFamily, start: date, weeks: int) -> list[ExamSession]:
    """Tuesdays and Thursdays: Reading and Listening in the morning, Writing and Speaking after lunch."""
    sessions = []
    for day in weekdays(start, weeks):
        if day.weekday() not in (1, 3):
            continue
        programme = "II" if (day.isocalendar().week + day.weekday()) % 2 else "I"
        for location in centres:
            if not location.families.filter(pk=family.pk).exists():
                continue
            rooms = {r.name: r for r in location.rooms.all()}
            plan = [("Computerzaal 1", time(9, 30), "LZ"), ("Computerzaal 2", time(9, 30), "LU"),
                    ("Computerzaal 1", time(13, 30), "SC"), ("Computerzaal 2", time(13, 30), "SP")]
            for room_name, start_time, suffix in plan:
                part = ExamPart.objects.get(code=f"NT2-{programme}-{suffix}")
                sessions.append(make_session(rooms[room_name], day, start_time, [part],
                                             closes_days=family.registration_closes_days))
    return sessions


def inburgering_sessions(centres: list[Location], family: ExamFamily, start: date, weeks: int) -> list[ExamSession]:
    """Mondays and Wednesdays: the computer parts together in the morning, Writing on paper after lunch."""
    sessions = []
    for day in weekdays(start, weeks):
        if day.weekday() not in (0, 2):
            continue
        regime = "WI2021" if day.weekday() == 0 else "WI2013"
        computer = list(ExamPart.objects.filter(programme__code=f"INB-{regime}", mode="computer"))
        writing = [ExamPart.objects.get(code=f"INB-{regime}-SC")]
        for location in centres:
            rooms = {r.name: r for r in location.rooms.all()}
            sessions.append(make_session(rooms["Computerzaal 3"], day, time(9, 0), computer,
                                         closes_days=family.registration_closes_days))
            sessions.append(make_session(rooms["Schrijfzaal"], day, time(13, 30), writing,
                                         closes_days=family.registration_closes_days))
    return sessions


def wft_sessions(institutes: list[Location], family: ExamFamily, start: date, weeks: int) -> list[ExamSession]:
    """Every weekday, morning and afternoon: all Wft modules and PE exams share the exam room."""
    parts = list(ExamPart.objects.filter(programme__family=family, active=True))
    sessions = []
    for day in weekdays(start, weeks):
        for location in institutes:
            room = location.rooms.get(name="Examenzaal")
            for start_time in (time(9, 30), time(13, 30)):
                sessions.append(make_session(room, day, start_time, parts, closes_days=family.registration_closes_days))
    return sessions


def vo_written_sessions(sites: list[Location], period: str = "first") -> list[ExamSession]:
    """One sitting per nationally fixed time slot at each big site; candidates are placed, not booking."""
    sessions = []
    slots: dict[datetime, list[ExamPart]] = {}
    for fixed in FixedExamDate.objects.filter(period=period).select_related("part"):
        slots.setdefault(fixed.starts_at, []).append(fixed.part)
    for site in sites:
        hall = site.rooms.filter(oral_room=False, preparation_room=False, separate_room_ok=False).order_by("-seats").first()
        if hall is None:
            continue
        for starts_at, parts in sorted(slots.items()):
            # Overseas sites sit the exam at the same local clock time (assumed), not at 3 a.m.
            local = starts_at.astimezone(ZoneInfo("Europe/Amsterdam"))
            sessions.append(make_session(hall, local.date(), local.time(), parts, status=ExamSession.Status.CLOSED))
    return sessions
