"""Pages for exam staff: their qualifications and assignments (with a calendar feed) and grade entry for
the oral-exam committees they sit on."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from certificates.results import ImportRejected, results_import
from exams.calendar import CalendarEvent, calendar_file
from exams.errors import DomainError
from exams.models import Availability, Examiner, ExamSession, Qualification, Registration, StaffAssignment
from exams.planning.workspace import Lapse, examiner_unavailable
from exams.selectors import SHOWN_TO_EXAMINER
from exams.services.duties import OPEN_TO_SICK, answers, duty_answer, duty_answer_check, sick_report
from exams.services.notifications import REMINDER_DAYS

from .schedules import duty_details


def _examiner(request: HttpRequest) -> Examiner:
    examiner = Examiner.objects.filter(user=request.user).first()
    if examiner is None:
        raise Http404
    return examiner


#: The largest id the database stores: a longer number in a URL or a form names nothing (404, not a 500).
MAX_ID = 2**63 - 1


def _known_id(value: int) -> int:
    if not 0 < value <= MAX_ID:
        raise Http404
    return value


def _posted_id(request: HttpRequest, name: str) -> int:
    try:
        return _known_id(int(request.POST.get(name, "")))
    except ValueError as exc:
        raise Http404 from exc


#: The dashboard shows the duties of the coming days first (and any awaiting an answer); later ones fold away.
SOON_DAYS = 14


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    examiner = _examiner(request)
    assignments = (StaffAssignment.objects.filter(examiner=examiner, status__in=SHOWN_TO_EXAMINER)
                   .select_related("session__room__location")
                   .prefetch_related("session__parts__programme__family").order_by("session__starts_at"))
    now = timezone.now()
    upcoming = [a for a in assignments if a.session.ends_at >= now]
    for assignment in upcoming:
        assignment.answers = answers(assignment, now)
    duties = duty_details(upcoming)
    soon = [d for d in duties if d.starts_at <= now + timedelta(days=SOON_DAYS) or "accept" in d.assignment.answers]
    soon = soon or duties[:1]
    qualifications = list(examiner.qualifications.select_related("part", "subject", "family"))
    # Read only: every examiner has a feed key from the start; one without (revoked) makes one with the
    # page's "new link" button, a POST.
    feed = (request.build_absolute_uri(reverse("portal:examiner_feed", args=[examiner.feed_key]))
            if examiner.feed_key else "")
    return render(request, "portal/examiner/dashboard.html", {
        "examiner": examiner,
        "qualifications": qualifications,
        "today": timezone.localdate(),
        "lapsing": _lapsing(qualifications, upcoming),
        "soon": soon, "later": [d for d in duties if d.assignment.pk not in {s.assignment.pk for s in soon}],
        "to_grade": [a for a in assignments if a.session.starts_at <= now and a.role in ("examinator", "second_examiner")],
        "feed_url": feed, "webcal_url": "webcal://" + feed.split("://", 1)[1] if feed else "",
    })


def _lapsing(qualifications: list[Qualification], upcoming: list[StaffAssignment]) -> list[Lapse]:
    """The qualifications that end within the reminder e-mail's 60 days, each with how many of the coming
    duties fall after its last day."""
    today = timezone.localdate()
    days = [a.session.local_starts_at.date() for a in upcoming if a.status not in ("declined", "withdrawn")]
    return [Lapse(q, sum(1 for day in days if day > q.valid_until)) for q in qualifications
            if q.valid_until is not None and today <= q.valid_until <= today + timedelta(days=REMINDER_DAYS)]


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """An .ics feed calendar apps can subscribe to: the link itself is the credential (the examiner's stored
    feed key, which a new link replaces). In the examiner's own language; SEQUENCE is the duty's
    ``calendar_sequence``, raised by every change the feed shows, so a calendar app takes it over its copy."""
    examiner = get_object_or_404(Examiner, feed_key=token)
    # A duty withdrawn from the examiner stays in the feed, cancelled, so a calendar that holds it (from the
    # feed or an e-mail) takes it out.
    assignments = (StaffAssignment.objects.filter(examiner=examiner, status__in=(*SHOWN_TO_EXAMINER, "withdrawn"))
                   .select_related("session__room__location")
                   .prefetch_related("session__parts__programme__family"))
    with translation.override(examiner.user.language if examiner.user_id else "nl"):
        events = [CalendarEvent(
            uid=f"assignment-{d.assignment.pk}@exams", starts_at=d.starts_at, ends_at=d.ends_at,
            summary=f"{d.role}: {d.parts}", location=f"{d.location}, {d.room}, {d.address}",
            description="\n".join([
                _("Exam parts: %(parts)s") % {"parts": d.parts}, _("Room: %(room)s") % {"room": d.room},
                _("Arrive by %(time)s") % {"time": f"{d.arrive_at:%H:%M}"},
                _("Candidates arrive at %(time)s") % {"time": f"{d.candidates_arrive_at:%H:%M}"},
                *([_("With: %(names)s") % {"names": ", ".join(d.colleagues)}] if d.colleagues else []),
                _("Status: %(status)s") % {"status": d.status},
            ]),
            sequence=d.assignment.calendar_sequence,
            cancelled=(d.assignment.session.status == ExamSession.Status.CANCELLED
                       or d.assignment.status in ("declined", "withdrawn")),
        ) for d in duty_details(assignments)]
        calendar = calendar_file(events, name=_("My exam assignments"))
    return HttpResponse(calendar, content_type="text/calendar; charset=utf-8")


@require_http_methods(["POST"])
@login_required
def feed_renew(request: HttpRequest) -> HttpResponse:
    """A new calendar-feed link; the old one stops working (for a link shared by mistake)."""
    _examiner(request).feed_key_renew()
    messages.success(request, _("Your calendar link is new: subscribe again with it. The old link no longer "
                                "works."))
    return redirect("portal:examiner")


@require_http_methods(["GET", "POST"])
@login_required
def grades(request: HttpRequest, session_id: int) -> HttpResponse:
    """The committee's grades for an oral session, entered by one of its two examiners."""
    examiner = _examiner(request)
    assignment = get_object_or_404(StaffAssignment.objects.select_related("session"),
                                   session_id=_known_id(session_id), examiner=examiner,
                                   role__in=["examinator", "second_examiner"])
    session = assignment.session
    if session.starts_at > timezone.now():
        messages.error(request, _("Grades can be entered once the exam has started."))
        return redirect("portal:examiner")
    registrations = list(Registration.objects.filter(session=session, status__in=["confirmed", "sat", "result_known"])
                         .select_related("candidate", "part").order_by("candidate__last_name"))
    errors: dict[int, str] = {}
    typed: dict[int, str] = {}
    if request.method == "POST":
        rows = []
        for registration in registrations:
            typed[registration.pk] = request.POST.get(f"grade-{registration.pk}", "").strip()[:20]
            raw = typed[registration.pk].replace(",", ".")
            if not raw:
                continue
            try:
                grade = Decimal(raw)
            except InvalidOperation:
                grade = None
            if grade is None or not grade.is_finite():  # Decimal also reads "NaN" and "Infinity"
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
        "session": session,
        "rows": [(r, typed.get(r.pk, known.get((r.candidate_id, r.part_id))), errors.get(r.pk)) for r in registrations],
    })


WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"), (5, "Saturday"),
            (6, "Sunday")]


#: The half days of the weekly pattern, local clock time (the planning's sittings lie within them).
HALF_DAYS = (("am", time(8), time(12, 30)), ("pm", time(12, 30), time(17, 30)))
#: The longest stretch of days off one save adds.
MAX_DAYS_OFF = 366


@require_http_methods(["GET", "POST"])
@login_required
def availability(request: HttpRequest) -> HttpResponse:
    """Weekly pattern (per weekday: morning, afternoon), days off (one, or a range from–to), the locations the
    examiner will travel to, and limits per day and week. Planners can lock it before a planning deadline."""
    from exams.models import Location

    examiner = _examiner(request)
    if request.method != "POST" or examiner.availability_locked:
        return _availability_page(request, examiner)
    errors: dict[str, str] = {}
    limits = {}
    for field, most in (("max_per_day", 12), ("max_per_week", 60)):
        try:
            limits[field] = int(request.POST.get(field, ""))
        except ValueError:
            limits[field] = None
        if limits[field] is None or not 1 <= limits[field] <= most:
            errors[field] = _("Give a whole number from 1 to %(most)d.") % {"most": most}
    new_off = _days_off_range(request.POST, errors)
    kept = set()
    for value in request.POST.getlist("day_off"):
        try:
            kept.add(date.fromisoformat(value))
        except ValueError:
            continue  # a box of the form: only ever a date
    if errors:
        return _availability_page(request, examiner, posted=request.POST, errors=errors)
    with transaction.atomic():
        examiner.availability.filter(weekday__isnull=False).delete()
        Availability.objects.bulk_create([
            Availability(examiner=examiner, weekday=weekday, starts=start, ends=end)
            for weekday, _name in WEEKDAYS for half, start, end in HALF_DAYS
            if request.POST.get(f"w{weekday}-{half}")])
        # Days off: the ones still ticked stay (once each), the range is added through the same service the
        # planners use for an absence, so the planning sees the duties on those days as holes to fill.
        seen = set()
        for row in examiner.availability.filter(on_date__isnull=False).order_by("pk"):
            if row.on_date not in kept or row.on_date in seen:
                row.delete()
            seen.add(row.on_date)
        if new_off:
            examiner_unavailable(examiner=examiner, start=new_off[0], end=new_off[1], reason=_("day off"))
        examiner.max_sessions_per_day = limits["max_per_day"]
        examiner.max_sessions_per_week = limits["max_per_week"]
        examiner.save(update_fields=["max_sessions_per_day", "max_sessions_per_week"])
        examiner.willing_locations.set(Location.objects.filter(code__in=request.POST.getlist("locations")))
    messages.success(request, _("Your availability is saved."))
    if new_off:
        clashes = [d for d in duty_details(StaffAssignment.objects.filter(
            examiner=examiner, status__in=OPEN_TO_SICK).select_related("session__room__location")
            .prefetch_related("session__parts__programme__family").order_by("session__starts_at"))
            if new_off[0] <= d.starts_at.date() <= new_off[1]]
        if clashes:
            listed = "; ".join(f"{date_format(d.starts_at, _('j F Y, H:i'))} {d.location} ({d.role})"
                               for d in clashes)
            messages.warning(request, _(
                "You have duties on your days off: %(duties)s. The planners see that you are not available "
                "and look for someone else; until they do, the duty stays yours.") % {"duties": listed})
    return redirect("portal:examiner_availability")


def _days_off_range(posted, errors: dict[str, str]) -> tuple[date, date] | None:
    """The new days off typed (from, and to when it is more than one day), or None; what is wrong goes into
    ``errors`` at its field."""
    first, last = posted.get("off_from", "").strip(), posted.get("off_to", "").strip()
    if not first and not last:
        return None
    try:
        start = date.fromisoformat(first)
    except ValueError:
        errors["off_from"] = _("Give the first day off as a date.")
        return None
    try:
        end = date.fromisoformat(last) if last else start
    except ValueError:
        errors["off_to"] = _("Give the last day off as a date, or leave it empty for one day.")
        return None
    if start < timezone.localdate():
        errors["off_from"] = _("A day off cannot lie in the past.")
    elif end < start:
        errors["off_to"] = _("The last day off lies before the first.")
    elif (end - start).days >= MAX_DAYS_OFF:
        errors["off_to"] = _("Add at most a year of days off at a time.")
    return None if errors.keys() & {"off_from", "off_to"} else (start, end)


def _availability_page(request: HttpRequest, examiner: Examiner, posted=None, errors=None) -> HttpResponse:
    """The availability form: as stored, or (after a refused save) as the examiner typed it."""
    from exams.models import Location

    days_off = examiner.availability.filter(on_date__isnull=False, available=False).order_by("on_date")
    if posted is None:
        pattern = {(w.weekday, "am" if w.starts.hour < 12 else "pm")
                   for w in examiner.availability.filter(weekday__isnull=False)}
        chosen = set(examiner.willing_locations.values_list("code", flat=True))
        per_day, per_week = examiner.max_sessions_per_day, examiner.max_sessions_per_week
        ticked = {d.on_date.isoformat() for d in days_off}
    else:
        pattern = {(n, half) for n, _name in WEEKDAYS for half, _start, _end in HALF_DAYS
                   if posted.get(f"w{n}-{half}")}
        chosen = set(posted.getlist("locations"))
        per_day, per_week = posted.get("max_per_day", ""), posted.get("max_per_week", "")
        ticked = set(posted.getlist("day_off"))
    return render(request, "portal/examiner/availability.html", {
        "examiner": examiner, "locked": examiner.availability_locked,
        "weekdays": [(n, _(name), (n, "am") in pattern, (n, "pm") in pattern) for n, name in WEEKDAYS],
        "halves": {half: (start, end) for half, start, end in HALF_DAYS},
        "days_off": sorted({d.on_date: d for d in days_off}.values(), key=lambda d: d.on_date),
        "ticked": ticked, "locations": Location.objects.filter(active=True), "chosen": chosen,
        "max_per_day": per_day, "max_per_week": per_week, "errors": errors or {},
        "off_from": (posted or {}).get("off_from", ""), "off_to": (posted or {}).get("off_to", ""),
        "today": timezone.localdate(),
    })


@require_http_methods(["POST"])
@login_required
def assignment_answer(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Accept or decline an assignment (a reason is needed to decline), or report sick for it: that blocks
    the whole day, so it asks for a confirmation first. The rules are the service's (``duty_answer``)."""
    examiner = _examiner(request)
    assignment = get_object_or_404(StaffAssignment.objects.select_related("session__room__location"),
                                   pk=assignment_id, examiner=examiner)
    answer, reason = request.POST.get("answer", ""), request.POST.get("reason", "").strip()[:300]
    until = request.POST.get("until", "").strip()
    try:
        if answer == "sick" and request.POST.get("confirm") != "1":
            duty_answer_check(assignment=assignment, answer=answer)
            return _sick_page(request, examiner, assignment, reason=reason)
        if answer == "sick" and until:
            return _sick_until(request, examiner, assignment, reason=reason, until=until)
        duty_answer(assignment=assignment, answer=answer, reason=reason)
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect("portal:examiner")
    messages.success(request, _("Thank you, the planner sees your answer."))
    return redirect("portal:examiner")


def _sick_page(request: HttpRequest, examiner: Examiner, assignment: StaffAssignment, *, reason: str,
               until: str = "", error: str = "") -> HttpResponse:
    """The confirmation before reporting sick: the day's duties it gives up, and a last day for longer."""
    day = assignment.session.local_starts_at.date()
    same_day = [a for a in StaffAssignment.objects.filter(examiner=examiner, status__in=OPEN_TO_SICK)
                .select_related("session__room__location").order_by("session__starts_at")
                if a.session.local_starts_at.date() == day]
    return render(request, "portal/examiner/sick.html", {
        "assignment": assignment, "day": day, "same_day": same_day, "reason": reason, "until": until,
        "error": error}, status=422 if error else 200)


def _sick_until(request: HttpRequest, examiner: Examiner, assignment: StaffAssignment, *, reason: str,
                until: str) -> HttpResponse:
    """Sick from the duty's day to a last day the examiner gave: every duty in between is given up at once
    (``sick_report``, as through the API). A wrong last day shows the confirmation again, with what was typed."""
    day = assignment.session.local_starts_at.date()
    try:
        last = date.fromisoformat(until)
    except ValueError:
        return _sick_page(request, examiner, assignment, reason=reason, until=until,
                          error=_("Give the last day as a date, or leave it empty for this day only."))
    try:
        given_up = sick_report(examiner=examiner, start=day, end=last, note=reason)
    except DomainError as refusal:
        return _sick_page(request, examiner, assignment, reason=reason, until=until, error=refusal.message)
    messages.success(request, ngettext(
        "Get well soon. You are off until %(date)s; the planners look for someone else for %(n)d duty.",
        "Get well soon. You are off until %(date)s; the planners look for someone else for %(n)d duties.",
        len(given_up)) % {"date": date_format(last, _("l j F Y")), "n": len(given_up)})
    return redirect("portal:examiner")


@require_http_methods(["GET", "POST"])
@login_required
def conflicts(request: HttpRequest) -> HttpResponse:
    """Schools whose candidates the examiner should not examine: chosen from the schools candidates come
    from (so the planning can match them), and withdrawn again."""
    from exams.models import ConflictOfInterest
    from exams.schools import known_schools, school_key

    examiner = _examiner(request)
    if request.method == "POST" and "withdraw" in request.POST:
        conflict = examiner.conflicts.filter(pk=_posted_id(request, "withdraw")).first()
        if conflict is not None:
            conflict.delete()
            messages.success(request, _("Withdrawn: you may again be planned for %(whom)s.")
                             % {"whom": conflict.candidate or conflict.school})
        return redirect("portal:examiner_conflicts")
    schools = known_schools()
    school, reason, errors = "", "", {}
    if request.method == "POST":
        school = request.POST.get("school", "").strip()[:200]
        reason = request.POST.get("reason", "").strip()[:200]
        key = school_key(school)
        if not key:
            errors["school"] = _("Choose the school from the list.")
        elif key not in schools:
            errors["school"] = _("We know no candidates from “%(school)s”. Choose the school from the list; "
                                 "check the spelling.") % {"school": school}
        elif any(school_key(c.school) == key for c in examiner.conflicts.all()):
            errors["school"] = _("You already declared this school.")
        if not reason:
            errors["reason"] = _("Say why, for example: I teach there.")
        if not errors:
            school = schools[key][0]
            ConflictOfInterest.objects.create(examiner=examiner, school=school, reason=reason)
            messages.success(request, _(
                "Declared. New plannings will not give you sessions with candidates from %(school)s. "
                "Duties you already have stay: tell the planners about them.") % {"school": school})
            return redirect("portal:examiner_conflicts")
    return render(request, "portal/examiner/conflicts.html", {
        "conflicts": examiner.conflicts.select_related("candidate").order_by("declared_at"),
        "schools": sorted((names[0] for names in schools.values()), key=school_key),
        "school": school, "reason": reason, "errors": errors,
    })


def _period(request: HttpRequest) -> tuple[date, date]:
    """The days of ``?from=&to=`` (default: today and the 90 days after it); a date that is not one is left
    at its default, and the end never passes the last day a date can have."""
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = timezone.localdate()
    try:
        end = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = start + timedelta(days=90) if start <= date.max - timedelta(days=90) else date.max
    return start, max(end, start)


@login_required
def schedule_pdf(request: HttpRequest) -> HttpResponse:
    """The examiner's own duties as a printable PDF (default: the coming three months)."""
    from .schedules import schedule_pdf as render_pdf

    start, end = _period(request)
    return render_pdf(_examiner(request), start, end, language=request.LANGUAGE_CODE[:2])


@login_required
def schedule_csv(request: HttpRequest) -> HttpResponse:
    from .schedules import schedules_csv

    start, end = _period(request)
    return schedules_csv(start, end, examiner=_examiner(request))
