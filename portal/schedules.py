"""Examiner schedules as files: a PDF per person and a CSV of everyone's duties (opens in Excel)."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse

from certificates.exam_day import ScheduleRow, render_staff_schedule
from exams.models import Examiner, StaffAssignment

from .spreadsheets import csv_download


def duties(start: date, end: date):
    return (StaffAssignment.objects.filter(session__starts_at__date__gte=start, session__starts_at__date__lte=end)
            .exclude(status="withdrawn").select_related("examiner", "session__room__location")
            .prefetch_related("session__parts").order_by("examiner__last_name", "examiner_id", "session__starts_at"))


def schedule_pdf(examiner: Examiner, start: date, end: date, *, language: str) -> HttpResponse:
    rows = tuple(ScheduleRow(
        starts_at=d.session.local_starts_at, ends_at=d.session.room.location.local(d.session.ends_at),
        location=d.session.room.location.name, room=d.session.room.name, role=d.get_role_display(),
        parts=", ".join(p.code for p in d.session.parts.all()), status=d.get_status_display(),
    ) for d in duties(start, end).filter(examiner=examiner))
    pdf = render_staff_schedule(name=f"{examiner.first_name} {examiner.last_name}",
                                period=f"{start:%d-%m-%Y} – {end:%d-%m-%Y}", rows=rows, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="schedule-{examiner.pk}-{start}.pdf"'
    return response


def schedules_csv(start: date, end: date, *, examiner: Examiner | None = None) -> HttpResponse:
    rows = duties(start, end)
    if examiner is not None:
        rows = rows.filter(examiner=examiner)
    return csv_download(
        f"schedules-{start}.csv",
        ["examiner", "email", "start", "end", "location", "room", "role", "parts", "status"],
        ([f"{d.examiner.first_name} {d.examiner.last_name}", d.examiner.email, d.session.local_starts_at.isoformat(),
          d.session.room.location.local(d.session.ends_at).isoformat(), d.session.room.location.name,
          d.session.room.name, d.role, " ".join(p.code for p in d.session.parts.all()), d.status] for d in rows))
