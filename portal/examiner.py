"""Pages for exam staff: their qualifications and assignments (with a calendar feed) and grade entry for
the oral-exam committees they sit on."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from certificates.results import ImportRejected, results_import
from exams.calendar import CalendarEvent, calendar_file
from exams.models import Examiner, ExamSession, Registration, StaffAssignment

FEED_SALT = "exams.examiner-feed"


def _examiner(request: HttpRequest) -> Examiner:
    examiner = Examiner.objects.filter(user=request.user).first()
    if examiner is None:
        raise Http404
    return examiner


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    examiner = _examiner(request)
    assignments = (StaffAssignment.objects.filter(examiner=examiner).exclude(status="withdrawn")
                   .select_related("session__room__location").prefetch_related("session__parts")
                   .order_by("session__starts_at"))
    now = timezone.now()
    feed = request.build_absolute_uri(reverse("portal:examiner_feed",
                                              args=[signing.dumps(examiner.pk, salt=FEED_SALT)]))
    return render(request, "portal/examiner/dashboard.html", {
        "examiner": examiner,
        "qualifications": examiner.qualifications.select_related("part", "subject", "family"),
        "upcoming": [a for a in assignments if a.session.ends_at >= now],
        "to_grade": [a for a in assignments if a.session.starts_at <= now and a.role in ("examinator", "second_examiner")],
        "feed_url": feed,
    })


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """An .ics feed calendar apps can subscribe to: the link itself is the (signed) credential."""
    try:
        examiner_id = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    examiner = get_object_or_404(Examiner, pk=examiner_id)
    assignments = StaffAssignment.objects.filter(examiner=examiner).exclude(status="withdrawn").select_related(
        "session__room__location").prefetch_related("session__parts")
    events = [CalendarEvent(
        uid=f"assignment-{a.pk}@exams", starts_at=a.session.starts_at, ends_at=a.session.ends_at,
        summary=f"{a.get_role_display()}: {', '.join(p.name for p in a.session.parts.all())}",
        location=f"{a.session.room.location.name}, {a.session.room.name}",
        cancelled=a.session.status == ExamSession.Status.CANCELLED or a.status == "declined",
    ) for a in assignments]
    return HttpResponse(calendar_file(events, name=_("My exam assignments")), content_type="text/calendar")


@require_http_methods(["GET", "POST"])
@login_required
def grades(request: HttpRequest, session_id: int) -> HttpResponse:
    """The committee's grades for an oral session, entered by one of its two examiners."""
    examiner = _examiner(request)
    assignment = get_object_or_404(StaffAssignment.objects.select_related("session"), session_id=session_id,
                                   examiner=examiner, role__in=["examinator", "second_examiner"])
    session = assignment.session
    if session.starts_at > timezone.now():
        messages.error(request, _("Grades can be entered once the exam has started."))
        return redirect("portal:examiner")
    registrations = list(Registration.objects.filter(session=session, status__in=["confirmed", "sat", "result_known"])
                         .select_related("candidate", "part").order_by("candidate__last_name"))
    errors: dict[int, str] = {}
    if request.method == "POST":
        rows = []
        for registration in registrations:
            raw = request.POST.get(f"grade-{registration.pk}", "").strip().replace(",", ".")
            if not raw:
                continue
            try:
                grade = Decimal(raw)
            except InvalidOperation:
                errors[registration.pk] = _("Enter a grade such as 6.5.")
                continue
            if not Decimal(1) <= grade <= Decimal(10):
                errors[registration.pk] = _("A grade lies between 1 and 10.")
                continue
            rows.append({"candidate_id": registration.candidate_id, "part": registration.part.code,
                         "taken_on": session.room.location.local(session.starts_at).date().isoformat(),
                         "score": str(grade)})
        if not errors and rows:
            try:
                outcome = results_import(rows=rows, source=f"committee session {session.pk}",
                                         imported_by=request.user)
            except ImportRejected as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("%(n)d grades saved.") % {"n": outcome.created + outcome.changed})
                return redirect("portal:examiner_grades", session_id=session.pk)
        elif not errors:
            messages.error(request, _("Enter at least one grade."))
    from exams.models import Result

    known = {(r.candidate_id, r.part_id): r.score for r in Result.objects.filter(
        candidate_id__in=[r.candidate_id for r in registrations],
        taken_on=session.room.location.local(session.starts_at).date())}
    return render(request, "portal/examiner/grades.html", {
        "session": session, "rows": [(r, known.get((r.candidate_id, r.part_id)), errors.get(r.pk)) for r in registrations],
    })
