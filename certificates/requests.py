"""Inspection of a failed exam and objections to a result, within the family's deadline."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from exams.errors import RuleViolation
from exams.models import Result

from .models import ResultRequest


def request_deadline(result: Result):
    """Until when a candidate may ask to inspect or object to ``result`` (its family's objection period)."""
    return result.released_at + timezone.timedelta(days=result.part.programme.family.objection_days)


def result_request_create(*, result: Result, kind: str, reason: str) -> ResultRequest:
    deadline = request_deadline(result)
    if timezone.now() > deadline:
        raise RuleViolation(_("The deadline for this request has passed."), code="deadline_passed")
    if kind == ResultRequest.Kind.INSPECTION and result.passed:
        raise RuleViolation(_("Inspection is for exams that were not passed."), code="not_failed")
    if ResultRequest.objects.filter(result=result, kind=kind, status=ResultRequest.Status.OPEN).exists():
        raise RuleViolation(_("You already have an open request of this kind."), code="duplicate_request")
    return ResultRequest.objects.create(result=result, kind=kind, reason=reason[:2000])


def results_release_notify(*, now=None) -> int:
    """E-mail candidates whose results have just been released (each result once). Periodic; safe twice."""
    from exams.services.notifications import send_once

    now = now or timezone.now()
    window = now - timezone.timedelta(days=14)
    sent = 0
    released = (Result.objects.filter(released_at__lte=now, released_at__gte=window)
                .select_related("candidate", "part__programme"))
    for result in released:
        candidate = result.candidate

        def build(result=result, candidate=candidate):
            subject = _("Your result for %(part)s is available") % {
                "part": result.part.full_name}
            body = "\n".join([_("Dear %(name)s,") % {"name": candidate.full_name}, "", subject + ".",
                              _("Log in and open My exams to see it."), ""])
            return subject, body, []

        sent += send_once(key=f"result-{result.pk}-released", kind="result_released", email=candidate.email,
                          language=candidate.language, build=build)
    return sent
