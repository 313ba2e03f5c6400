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
