"""A candidate's personal data, exported whole (their right of access under the GDPR/AVG)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import PurePath

from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict

from . import audit
from .models import (
    Booking,
    Candidate,
    Notification,
    PlacementRequest,
    Provision,
    Registration,
    RegistrationEvent,
    Result,
)


def _rows(queryset, exclude: tuple[str, ...] = ()) -> list[dict]:
    return [{k: v for k, v in model_to_dict(row).items() if k not in exclude} for row in queryset]


def export_response(*, candidate: Candidate, actor, request, filename: str):
    """The export as a download, for the API and the profile page alike. A HEAD request gets the download's
    headers only: the export is not made, nor recorded as given. (The API runs a HEAD as its GET but leaves
    ``REQUEST_METHOD`` as sent, see ``portal.api.methods``.)"""
    from django.http import HttpResponse, StreamingHttpResponse

    if request is not None and request.META.get("REQUEST_METHOD") == "HEAD":
        response = StreamingHttpResponse((), content_type="application/zip")  # no length: nothing was made
    else:
        response = HttpResponse(personal_data_export(candidate=candidate, actor=actor, request=request),
                                content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def personal_data_export(*, candidate: Candidate, actor=None, request=None) -> bytes:
    """A zip with ``data.json`` (everything stored about the candidate) and their files (evidence,
    signed documents). The national id number is included once, as it is the candidate's own."""
    from certificates.models import Document
    from exams.payments.models import Payment

    bookings = Booking.objects.filter(candidate=candidate)
    data = {
        "profile": {k: v for k, v in model_to_dict(candidate).items() if k != "user"},
        "account": {"email": candidate.user.email, "language": candidate.user.language,
                    "date_joined": candidate.user.date_joined} if candidate.user else None,
        "deadlines": _rows(candidate.deadlines.all()),
        "provisions": _rows(Provision.objects.filter(candidate=candidate), exclude=("evidence",)),
        "bookings": _rows(bookings),
        "registrations": _rows(Registration.objects.filter(candidate=candidate)),
        "registration_history": [
            {"registration": e.registration_id, "from": e.from_status, "to": e.to_status, "at": e.at, "reason": e.reason}
            for e in RegistrationEvent.objects.filter(registration__candidate=candidate)
        ],
        "payments": [{"booking": p.booking_id, "provider": p.provider, "amount": p.amount, "status": p.status,
                      "refunded": p.amount_refunded, "created_at": p.created_at}
                     for p in Payment.objects.filter(booking__in=bookings)],
        "results": _rows(Result.objects.filter(candidate=candidate)),
        "documents": _rows(Document.objects.filter(candidate=candidate), exclude=("pdf_nl", "pdf_en")),
        "placement_requests": _rows(PlacementRequest.objects.filter(candidate=candidate)),
        "messages": list(Notification.objects.filter(email=candidate.email).values("kind", "subject", "sent_at")),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False))
        for provision in Provision.objects.filter(candidate=candidate).exclude(evidence=""):
            with provision.evidence.open("rb") as handle:
                archive.writestr(f"evidence/{provision.pk}{PurePath(provision.evidence.name).suffix}", handle.read())
        for document in Document.objects.filter(candidate=candidate):
            for language in ("nl", "en"):
                field = getattr(document, f"pdf_{language}")
                if field:
                    with field.open("rb") as handle:
                        archive.writestr(f"documents/{document.number}-{language}.pdf", handle.read())
    audit.record("personal_data_export", actor=actor, obj=candidate, request=request)
    return buffer.getvalue()


ERASED = "Verwijderd"


def candidate_erase(*, candidate: Candidate, actor=None, reason: str = "on request") -> bool:
    """Pseudonymise a candidate: name, contact details, address, id number and evidence go; what the law
    keeps (results, issued diplomas and their signed PDFs, the payment amounts) stays, attached to the
    pseudonym. Verification codes keep working: they carry only initials and birth year. Safe to run twice."""
    from django.db import transaction

    from .models import User

    with transaction.atomic():
        person = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if person.last_name == ERASED and person.email.endswith("@erased.invalid"):
            return False
        old_email = person.email
        for provision in Provision.objects.filter(candidate=person).exclude(evidence=""):
            provision.evidence.delete(save=False)
            provision.evidence = ""
            provision.motivation = ""
            provision.save(update_fields=["evidence", "motivation"])
        Provision.objects.filter(candidate=person).update(motivation="", review_note="")
        person.first_name, person.last_name = "", ERASED
        person.email = f"candidate-{person.pk}@erased.invalid"
        person.phone = person.street = person.postcode = person.city = person.school = person.national_id = ""
        person.latitude = person.longitude = None
        person.save()
        Notification.objects.filter(email=old_email).update(email=person.email, subject="")
        if person.user_id:
            User.objects.filter(pk=person.user_id).update(email=f"user-{person.user_id}@erased.invalid",
                                                          is_active=False, password="!")
        audit.record("personal_data_erased", actor=actor, obj=person, reason=reason)
    return True


def retention_erase(*, years: int = 7, now=None) -> int:
    """Periodic: erase candidates with no exam, booking or result for ``years`` years. Safe to run twice."""
    from datetime import timedelta

    from django.db.models import Max
    from django.utils import timezone

    cutoff = (now or timezone.now()) - timedelta(days=365 * years)
    stale = (Candidate.objects.exclude(last_name=ERASED)
             .annotate(last_booking=Max("bookings__created_at"), last_result=Max("results__taken_on"))
             .filter(created_at__lt=cutoff)
             .exclude(last_booking__gte=cutoff).exclude(last_result__gte=cutoff.date()))
    return sum(candidate_erase(candidate=c, reason=f"retention period of {years} years") for c in stale)
