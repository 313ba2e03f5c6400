"""An examiner's answer to a duty: accept, decline (with a reason) or report sick. The examiner's page and the
API both answer through ``duty_answer``, so the same rules hold on both."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..errors import Conflict, RuleViolation
from ..models import Examiner, ExamSession, StaffAssignment

#: The answers a duty still takes: accept or decline one not yet answered, report sick for one not declined.
OPEN_TO_ANSWER = ("proposed", "published")
OPEN_TO_SICK = ("proposed", "published", "accepted")
ANSWERS = ("accept", "decline", "sick")


def answers(assignment: StaffAssignment, now: datetime) -> tuple[str, ...]:
    """What the examiner may still answer for a duty: nothing once it started, was cancelled, withdrawn or
    declined (a declined duty is the planner's to fill again)."""
    if assignment.session.starts_at <= now or assignment.session.status == ExamSession.Status.CANCELLED:
        return ()
    return ((("accept", "decline") if assignment.status in OPEN_TO_ANSWER else ())
            + (("sick",) if assignment.status in OPEN_TO_SICK else ()))


class DutyClosed(Conflict):
    code = "duty_closed"


def duty_answer_check(*, assignment: StaffAssignment, answer: str) -> None:
    """Refuse (409 ``duty_closed``) an answer the duty no longer takes: withdrawn, declined, already accepted
    (for accept and decline), cancelled or started."""
    if answer in answers(assignment, timezone.now()):
        return
    day = date_format(assignment.session.local_starts_at, _("j F Y, H:i"))
    raise DutyClosed(_("This duty can no longer be answered that way: it is %(status)s, on %(day)s.")
                     % {"status": assignment.get_status_display(), "day": day},
                     details={"status": assignment.status, "answer": answer})


def duty_answer(*, assignment: StaffAssignment, answer: str, reason: str = "") -> StaffAssignment:
    """Record the examiner's answer; the session's version goes up so calendar apps take the change. A decline
    needs a reason (the planner looks for someone else with it); reporting sick blocks the examiner's whole day
    (callers confirm that with them first). The row is locked and its state checked again, so two answers at
    once end as one."""
    if answer not in ANSWERS:
        raise RuleViolation(_("Choose accept, decline or sick."), code="unknown_answer")
    duty_answer_check(assignment=assignment, answer=answer)  # a closed duty says so before anything is asked
    reason = reason.strip()[:300]
    if answer == "decline" and not reason:
        raise RuleViolation(_("Say why you decline, so the planner can find someone else."),
                            code="reason_required")
    with transaction.atomic():
        current = (StaffAssignment.objects.select_for_update(of=("self",))
                   .select_related("session__room__location", "examiner").get(pk=assignment.pk))
        duty_answer_check(assignment=current, answer=answer)
        if answer == "accept":
            current.status, current.decline_reason = StaffAssignment.Status.ACCEPTED, ""
        else:
            current.status = StaffAssignment.Status.DECLINED
            current.decline_reason = reason or _("reported sick")
        current.save(update_fields=["status", "decline_reason"])
        ExamSession.objects.filter(pk=current.session_id).update(version=F("version") + 1)
        if answer == "sick":
            from ..planning.workspace import examiner_unavailable

            day = current.session.local_starts_at.date()
            examiner_unavailable(examiner=current.examiner, start=day, end=day, reason=current.decline_reason)
    return current


#: The longest period one sick report covers; a longer absence is the planners' to record.
MAX_SICK_DAYS = 92


def sick_period_check(*, start: date, end: date) -> None:
    """Refuse (422) a period that ends before it starts (``bad_period``), begins before today
    (``period_in_past``) or is longer than :data:`MAX_SICK_DAYS` (``period_too_long``)."""
    if end < start:
        raise RuleViolation(_("The period ends before it starts."), code="bad_period",
                            details={"date_from": start.isoformat(), "date_to": end.isoformat()})
    if start < timezone.localdate():
        raise RuleViolation(_("You can report sick from today on, not for days that have passed."),
                            code="period_in_past", details={"date_from": start.isoformat()})
    if (end - start).days >= MAX_SICK_DAYS:
        raise RuleViolation(_("Report sick for at most %(days)d days at a time; the planners record a longer "
                              "absence.") % {"days": MAX_SICK_DAYS},
                            code="period_too_long", details={"max_days": MAX_SICK_DAYS})


def sick_report(*, examiner: Examiner, start: date, end: date, note: str = "") -> list[StaffAssignment]:
    """Report sick from ``start`` to ``end``: each duty in the period that still takes it is reported sick
    through :func:`duty_answer`, as on the examiner's page (declined with the note, its day blocked), and the
    whole period is marked unavailable, so the planners see those duties as holes to fill and no run plans
    the examiner in it. Returns the duties reported sick for, by start."""
    sick_period_check(start=start, end=end)
    now = timezone.now()
    # A day either side: the database's date of a start is not always the location's own.
    candidates = (StaffAssignment.objects.filter(
        examiner=examiner, status__in=OPEN_TO_SICK, session__starts_at__date__gte=start - timedelta(days=1),
        session__starts_at__date__lte=end + timedelta(days=1))
        .select_related("session__room__location").order_by("session__starts_at", "pk"))
    with transaction.atomic():
        affected = [duty_answer(assignment=a, answer="sick", reason=note) for a in candidates
                    if start <= a.session.local_starts_at.date() <= end and "sick" in answers(a, now)]
        from ..planning.workspace import examiner_unavailable

        examiner_unavailable(examiner=examiner, start=start, end=end,
                             reason=note.strip() or _("reported sick"))
    return affected
