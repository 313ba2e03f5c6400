"""Special provisions: candidates ask, staff decide, approved ones restrict sessions and reach the solver."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import InvalidTransition
from ..models import Candidate, ExamFamily, Provision, User
from .notifications import send_once


def provision_request(*, candidate: Candidate, family: ExamFamily, kind: str, extra_minutes: int = 0,
                      motivation: str = "", evidence=None) -> Provision:
    provision = Provision(candidate=candidate, family=family, kind=kind, extra_minutes=extra_minutes or 0,
                          motivation=motivation)
    if evidence:
        provision.evidence = evidence
    provision.full_clean(exclude=["evidence"])
    provision.save()
    return provision


def provision_review(*, provision: Provision, reviewer: User, decision: str, note: str = "") -> Provision:
    """Approve or reject a requested provision, once; the candidate hears about it in their language."""
    if decision not in (Provision.Status.APPROVED, Provision.Status.REJECTED):
        raise ValueError(decision)
    with transaction.atomic():
        locked = Provision.objects.select_for_update().select_related("candidate").get(pk=provision.pk)
        if locked.status != Provision.Status.REQUESTED:
            raise InvalidTransition(_("This request was already decided."))
        locked.status, locked.reviewed_by, locked.reviewed_at = decision, reviewer, timezone.now()
        locked.review_note = note[:500]
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        transaction.on_commit(lambda: _notify(locked))
    return locked


def _notify(provision: Provision) -> None:
    candidate = provision.candidate

    def build():
        kind = provision.get_kind_display()
        if provision.status == Provision.Status.APPROVED:
            subject = _("Your request for %(kind)s is approved") % {"kind": kind}
        else:
            subject = _("Your request for %(kind)s is not approved") % {"kind": kind}
        body = "\n".join([_("Dear %(name)s,") % {"name": candidate.full_name}, "", subject + ".",
                          provision.review_note, "", _("See My exams for the details.")])
        return subject, body, []

    send_once(key=f"provision-{provision.pk}-{provision.status}", kind="provision_decided", email=candidate.email,
              language=candidate.language, build=build)
