"""Examiner schedules: each duty with what the day needs (address, arrival, room, who else sits there), on
the examiner's page, as a PDF per person, in a CSV of everyone's duties (opens in Excel) and in the
calendar feed. Texts are in the active language: wrap a call in ``translation.override`` for another."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from certificates.exam_day import ScheduleRow, render_staff_schedule
from exams.models import Examiner, ExamPart, StaffAssignment

from .spreadsheets import csv_download

#: Assignments that are not (or no longer) someone's duty.
GONE = ("withdrawn", "declined")


@dataclass(frozen=True)
class Duty:
    """One assignment as the examiner needs it on the day; times in the location's own time zone."""

    assignment: StaffAssignment
    starts_at: datetime
    ends_at: datetime
    arrive_at: datetime  # when the examiner is to be there: before the candidates (``staff_arrival``)
    candidates_arrive_at: datetime
    location: str
    address: str
    room: str
    role: str
    parts: str
    status: str
    colleagues: tuple[str, ...]  # "name (role)" of the others on the session's staff
    exam_parts: tuple[ExamPart, ...] = ()
    others: tuple[StaffAssignment, ...] = ()  # the others on the session's staff, examiner loaded


def duties(start: date, end: date) -> QuerySet[StaffAssignment]:
    return (StaffAssignment.objects
            .filter(session__starts_at__date__gte=start, session__starts_at__date__lte=end)
            .exclude(status="withdrawn").select_related("examiner", "session__room__location")
            .prefetch_related("session__parts__programme__family")
            .order_by("examiner__last_name", "examiner_id", "session__starts_at"))


def staff_arrival(starts_at: datetime, candidates_minutes_before: int) -> datetime:
    """When exam staff are to be there: ``STAFF_ARRIVAL_MINUTES_BEFORE`` before the start at the latest, and
    ``STAFF_AHEAD_OF_CANDIDATES_MINUTES`` before the candidates (who come the family's
    ``arrival_minutes_before``), so the room is ready and the ID check staffed when they arrive."""
    config = settings.EXAMS
    before = max(config["STAFF_ARRIVAL_MINUTES_BEFORE"],
                 candidates_minutes_before + config["STAFF_AHEAD_OF_CANDIDATES_MINUTES"])
    return starts_at - timedelta(minutes=before)


def duty_details(assignments: Iterable[StaffAssignment]) -> list[Duty]:
    """The assignments (with session, room, location and parts loaded) as duties, in the active language."""
    assignments = list(assignments)
    staff = defaultdict(list)
    for other in (StaffAssignment.objects.filter(session_id__in={a.session_id for a in assignments})
                  .exclude(status__in=GONE).select_related("examiner")
                  .order_by("role", "examiner__last_name")):
        staff[other.session_id].append(other)
    result = []
    for a in assignments:
        session, location = a.session, a.session.room.location
        parts = list(session.parts.all())
        others = tuple(o for o in staff[a.session_id] if o.examiner_id != a.examiner_id)
        before = max((p.programme.family.arrival_minutes_before for p in parts), default=0)
        starts_at = location.local(session.starts_at)
        result.append(Duty(
            assignment=a, starts_at=starts_at, ends_at=location.local(session.ends_at),
            arrive_at=staff_arrival(starts_at, before), candidates_arrive_at=starts_at - timedelta(minutes=before),
            location=location.name,
            address=f"{location.street}, {location.postcode} {location.city}".strip(", "),
            room=session.room.name,
            role=a.get_role_display(), parts=", ".join(p.name for p in parts), status=a.get_status_display(),
            colleagues=tuple(f"{o.examiner} ({o.get_role_display()})" for o in others),
            exam_parts=tuple(parts), others=others,
        ))
    return result


def schedule_pdf(examiner: Examiner, start: date, end: date, *, language: str) -> HttpResponse:
    with translation.override(language):
        rows = tuple(ScheduleRow(
            starts_at=d.starts_at, ends_at=d.ends_at, arrive_at=d.arrive_at,
            candidates_arrive_at=d.candidates_arrive_at, location=d.location,
            address=d.address, room=d.room, role=d.role, parts=d.parts, status=d.status,
            colleagues=d.colleagues,
        ) for d in duty_details(duties(start, end).filter(examiner=examiner)))
    pdf = render_staff_schedule(name=f"{examiner.first_name} {examiner.last_name}",
                                period=f"{start:%d-%m-%Y} – {end:%d-%m-%Y}", rows=rows, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="schedule-{examiner.pk}-{start}.pdf"'
    return response


def schedules_csv(start: date, end: date, *, examiner: Examiner | None = None) -> HttpResponse:
    """The duties in the period (of one examiner, or everyone's) in the active language, times local."""
    rows = duties(start, end)
    if examiner is not None:
        rows = rows.filter(examiner=examiner)
    return csv_download(
        f"schedules-{start}.csv",
        [_("Examiner"), _("E-mail address"), _("Starts at"), _("Ends at"), _("Arrive by"),
         _("Candidates arrive at"), _("Location"), _("Address"), _("Room"), _("Role"), _("Exam parts"),
         _("Working with"), _("Status")],
        ([str(d.assignment.examiner), d.assignment.examiner.email, f"{d.starts_at:%Y-%m-%d %H:%M}",
          f"{d.ends_at:%Y-%m-%d %H:%M}", f"{d.arrive_at:%H:%M}", f"{d.candidates_arrive_at:%H:%M}", d.location,
          d.address, d.room, d.role, d.parts, "; ".join(d.colleagues), d.status] for d in duty_details(rows)))
