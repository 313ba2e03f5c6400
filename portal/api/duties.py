"""An examiner's duties: each with everything a client shows without more calls (times in the location's own
time with offset, address, room, parts, colleagues, links), the answers to a proposed duty (accept,
decline) and reporting sick for a period, through the same services as the examiner's page."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from exams import selectors
from exams.errors import Forbidden
from exams.models import Examiner, StaffAssignment
from exams.models.staff import StaffRole
from exams.services.duties import MAX_SICK_DAYS, answers, duty_answer, sick_report
from portal.schedules import Duty, duty_details

from .errors import ErrorBody
from .fields import IsoDate, choice_of
from .openapi import download
from .paging import PAGED, DatedPage, check_date_range, on_days, page_of

router = Router(tags=["duties"])


class DutyPartOut(Schema):
    code: str
    name: str = Field(description="In the request's language.")


class ColleagueOut(Schema):
    name: str
    role: choice_of(StaffRole)
    role_name: str = Field(description="The role in the request's language.")


class DutyLinks(Schema):
    calendar_feed: str | None = Field(
        description="The examiner's own calendar feed (.ics) with all their duties, to subscribe to; the link "
                    "itself is the credential. The same link on every read (reading never makes or changes "
                    "one); null when the examiner has no feed link, which they then make on their page "
                    "(\"New link\", a POST).")
    schedule_pdf: str = Field(description="The printable schedule of the duty's day (bearer token or session).")


class AssignmentOut(Schema):
    id: int
    session_id: int
    role: choice_of(StaffRole) = Field(description="invigilator, examinator or second_examiner.")
    role_name: str = Field(description="The role in the request's language.")
    status: choice_of(StaffAssignment.Status)
    status_name: str = Field(description="The status in the request's language.")
    answers: list[Literal["accept", "decline", "sick"]] = Field(
        description="What the examiner may still answer: accept and decline while the duty is proposed or "
                    "published, nothing once it started or was cancelled.")
    decline_reason: str = Field(description="Why the examiner declined; empty otherwise.")
    day: date = Field(description="The day of the sitting, at the location.")
    starts_at: datetime = Field(description="Start, in the location's own time with its offset.")
    ends_at: datetime
    arrive_at: datetime = Field(description="When the examiner is to be there: before the candidates.")
    candidates_arrive_at: datetime = Field(description="When the candidates are asked to be there.")
    location: str = Field(description="Location code.")
    location_name: str
    address: str = Field(description="Street, postcode and city on one line.")
    room: str
    parts: list[DutyPartOut] = Field(description="The exam parts sat in the session.")
    colleagues: list[ColleagueOut] = Field(description="The others on the session's staff (not declined or "
                                                       "withdrawn).")
    links: DutyLinks


class DeclineIn(Schema):
    reason: str = Field(max_length=300, description="Why: the planner uses it to find someone else. Required.",
                        examples=["I am on holiday that week."])


def _links(request: HttpRequest, examiner: Examiner) -> tuple[str | None, str]:
    """The duty's links; read only (every examiner has a feed key from the start: a GET writes nothing)."""
    key = examiner.feed_key
    return (request.build_absolute_uri(reverse("portal:examiner_feed", args=[key])) if key else None,
            request.build_absolute_uri(reverse("api:my_schedule_pdf")))


def _shown(request: HttpRequest, duties: list[Duty]) -> list[dict]:
    now, links = timezone.now(), None
    shown = []
    for d in duties:
        a = d.assignment
        if links is None:
            links = _links(request, a.examiner)
        day = d.starts_at.date()
        shown.append({
            "id": a.pk, "session_id": a.session_id, "role": a.role, "role_name": d.role,
            "status": a.status, "status_name": d.status, "answers": list(answers(a, now)),
            "decline_reason": a.decline_reason, "day": day, "starts_at": d.starts_at, "ends_at": d.ends_at,
            "arrive_at": d.arrive_at, "candidates_arrive_at": d.candidates_arrive_at,
            "location": a.session.room.location.code, "location_name": d.location,
            "address": d.address, "room": d.room,
            "parts": [{"code": p.code, "name": p.name} for p in d.exam_parts],
            "colleagues": [{"name": str(o.examiner), "role": o.role, "role_name": o.get_role_display()}
                           for o in d.others],
            "links": {"calendar_feed": links[0],
                      "schedule_pdf": f"{links[1]}?{urlencode({'date_from': day, 'date_to': day})}"},
        })
    return shown


def _with_details(assignments):
    return assignments.select_related("examiner").prefetch_related("session__parts__programme__family")


def _one(request: HttpRequest, assignment_id: int) -> dict:
    assignment = get_object_or_404(_with_details(selectors.assignments_of(request.auth)), pk=assignment_id)
    return _shown(request, duty_details([assignment]))[0]


@router.get("/me/assignments", summary="List your duties",
            response={200: list[AssignmentOut], 422: ErrorBody}, openapi_extra=PAGED)
def my_assignments(request: HttpRequest, response: HttpResponse, page: Query[DatedPage]) -> list[dict]:
    """The caller's duties by the sitting's start, a page at a time (the total in X-Total-Count); the dates
    narrow by the sitting's day. Proposed duties are among them: answer them with `accept` or `decline`."""
    assignments = _with_details(selectors.assignments_of(request.auth)).order_by("session__starts_at", "pk")
    return _shown(request, duty_details(page_of(on_days(assignments, "session__starts_at", page), page, response)))


@router.get("/assignments/{assignment_id}", summary="Get one of your duties",
            response={200: AssignmentOut, 404: ErrorBody})
def assignment_detail(request: HttpRequest, assignment_id: int) -> dict:
    """One of the caller's duties, as in the list; a withdrawn duty or another's is not found."""
    return _one(request, assignment_id)


def _answered(request: HttpRequest, assignment_id: int, answer: str, reason: str = "") -> dict:
    # All the examiner's own duties, withdrawn ones too: answering one of those is refused with 409, as on
    # the examiner's page, rather than pretending it never existed.
    assignment = get_object_or_404(StaffAssignment.objects.select_related("session__room__location"),
                                   pk=assignment_id, examiner__user=request.auth)
    duty_answer(assignment=assignment, answer=answer, reason=reason)
    return _one(request, assignment_id)


@router.post("/assignments/{assignment_id}/accept", summary="Accept a duty",
             response={200: AssignmentOut, 404: ErrorBody, 409: ErrorBody})
def assignment_accept(request: HttpRequest, assignment_id: int) -> dict:
    """Accept a proposed or published duty. 409 `duty_closed` when the duty no longer takes that answer
    (already accepted or declined, withdrawn, cancelled or started); `details` has its status."""
    return _answered(request, assignment_id, "accept")


@router.post("/assignments/{assignment_id}/decline", summary="Decline a duty",
             response={200: AssignmentOut, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody})
def assignment_decline(request: HttpRequest, assignment_id: int, payload: DeclineIn) -> dict:
    """Decline a proposed or published duty, saying why (422 `reason_required` without a reason); the
    planner then looks for someone else. 409 `duty_closed` as for accept."""
    return _answered(request, assignment_id, "decline", payload.reason)


class SickIn(Schema):
    date_from: IsoDate = Field(description="First day off sick (YYYY-MM-DD): today or later.")
    date_to: IsoDate | None = Field(None, description="Last day off sick; default the first day. At most "
                                                      f"{MAX_SICK_DAYS} days in all.")
    note: str = Field("", max_length=300, description="Optional: what the planners should know. It is the "
                                                      "reason they see on each duty; without it, 'reported sick'.",
                      examples=["Flu; I expect to be back on Monday."])


class SickOut(Schema):
    date_from: date
    date_to: date
    duties: list[AssignmentOut] = Field(description="The duties in the period reported sick for (now declined): "
                                                    "the planners look for someone else. Empty if there were "
                                                    "none.")


@router.post("/me/sick", summary="Report sick for a period",
             response={200: SickOut, 403: ErrorBody, 422: ErrorBody})
def report_sick(request: HttpRequest, payload: SickIn) -> dict:
    """Report sick from `date_from` to `date_to`, as on the examiner's page: every coming duty in the period
    that is not declined is declined with the note, and the examiner counts as unavailable on those days, so
    the planners see the duties as holes to fill and no planning run gives them new ones. 422 `bad_period`
    when the period ends before it starts, `period_in_past` when it begins before today,
    `period_too_long` beyond the limit; 403 `forbidden` for an account that is not exam staff."""
    examiner = Examiner.objects.filter(user=request.auth).first()
    if examiner is None:
        raise Forbidden(_("Only exam staff can report sick."))
    end = payload.date_to or payload.date_from
    affected = sick_report(examiner=examiner, start=payload.date_from, end=end, note=payload.note)
    duties = duty_details(list(_with_details(StaffAssignment.objects.filter(pk__in=[a.pk for a in affected]))
                               .order_by("session__starts_at", "pk")))
    return {"date_from": payload.date_from, "date_to": end, "duties": _shown(request, duties)}


class SchedulePeriod(Schema):
    date_from: IsoDate | None = Field(None, description="First day (YYYY-MM-DD); default today.")
    date_to: IsoDate | None = Field(None, description="Last day (YYYY-MM-DD); default 90 days after the first.")


@router.get("/me/schedule.pdf", summary="Download your duty schedule",
            url_name="my_schedule_pdf", response={200: None, 404: ErrorBody, 422: ErrorBody},
            openapi_extra=download("application/pdf", "The examiner's duties in the period, printable."))
def my_schedule_pdf(request: HttpRequest, period: Query[SchedulePeriod]):
    """The caller's duties as a printable PDF in the request's language: times, arrival, address, room,
    parts and colleagues. 404 for an account that is not exam staff."""
    from django.utils.translation import get_language

    from portal.schedules import schedule_pdf

    examiner = get_object_or_404(Examiner, user=request.auth)
    start = period.date_from or timezone.localdate()
    end = period.date_to or (start + timedelta(days=90) if start <= date.max - timedelta(days=90) else date.max)
    check_date_range(start, end)
    return schedule_pdf(examiner, start, end, language=(get_language() or "nl")[:2])
