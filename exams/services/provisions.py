"""Special provisions: candidates ask, staff decide, approved ones restrict sessions and reach the solver."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import InvalidTransition, NotFound, RuleViolation
from ..models import Candidate, ExamFamily, Provision, User
from .notifications import send_once


def provision_request(*, candidate: Candidate, family: ExamFamily, kind: str, extra_minutes: int = 0,
                      motivation: str = "", evidence=None) -> Provision:
    """A new request; evidence may follow later (``provision_evidence_add``). A candidate has at most
    ``EXAMS['MAX_PENDING_PROVISIONS']`` requests waiting at a time (counted under a lock on the candidate)."""
    with transaction.atomic():
        Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
        limit = settings.EXAMS["MAX_PENDING_PROVISIONS"]
        if Provision.objects.filter(candidate=candidate, status=Provision.Status.REQUESTED).count() >= limit:
            raise RuleViolation(_("You have %(limit)d requests waiting for a decision already: wait for those, "
                                  "or withdraw one.") % {"limit": limit}, code="too_many_provision_requests")
        provision = Provision(candidate=candidate, family=family, kind=kind, extra_minutes=extra_minutes or 0,
                              motivation=motivation)
        if evidence:
            provision.evidence = evidence
        provision.full_clean(exclude=["evidence"])
        provision.save()
    return provision


def _waiting(provision: Provision, candidate: Candidate) -> Provision:
    """The candidate's own request, locked, while it waits for a decision."""
    locked = Provision.objects.select_for_update().filter(pk=provision.pk, candidate=candidate).first()
    if locked is None:
        raise NotFound(_("This request does not exist."))
    if locked.status != Provision.Status.REQUESTED:
        raise InvalidTransition(_("This request was already decided or withdrawn."))
    return locked


def provision_withdraw(*, provision: Provision, candidate: Candidate) -> Provision:
    with transaction.atomic():
        locked = _waiting(provision, candidate)
        locked.status = Provision.Status.WITHDRAWN
        locked.save(update_fields=["status"])
    return locked


def provision_evidence_add(*, provision: Provision, candidate: Candidate, evidence) -> Provision:
    """Add (or replace) the evidence of a request still waiting for a decision."""
    with transaction.atomic():
        locked = _waiting(provision, candidate)
        locked.evidence = evidence
        locked.save(update_fields=["evidence"])
    return locked


def provision_review(*, provision: Provision, reviewer: User, decision: str, note: str = "") -> Provision:
    """Approve or reject a requested provision, once; the candidate hears about it in their language."""
    if decision not in (Provision.Status.APPROVED, Provision.Status.REJECTED):
        raise ValueError(decision)
    with transaction.atomic():
        locked = Provision.objects.select_for_update().select_related("candidate", "family").get(pk=provision.pk)
        if locked.status != Provision.Status.REQUESTED:
            raise InvalidTransition(_("This request was already decided."))
        if decision == Provision.Status.APPROVED and locked.family.provision_requires_evidence \
                and not locked.evidence:
            raise InvalidTransition(_("The candidate has not sent the evidence yet: approve once it is there."))
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
