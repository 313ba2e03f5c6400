"""The registration lifecycle: every status change goes through here and is written to the audit log."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import InvalidTransition
from ..models import Registration, RegistrationEvent, User
from ..models.registrations import SEAT_TAKING, RegistrationStatus
from . import seats


def registration_transition(
    *, registration: Registration, to: str, actor: User | None = None, reason: str = ""
) -> Registration:
    """Move a registration to ``to`` if the lifecycle allows it, keeping the session's seat count exact.

    Callers hold the booking; this locks the registration's row and re-checks its status, so a second
    call for the same change fails cleanly instead of counting a seat twice."""
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == to:
            return current
        if not current.can_move_to(to):
            labels = dict(RegistrationStatus.choices)
            raise InvalidTransition(
                _("This exam part's status is “%(now)s”; it cannot become “%(to)s”.")
                % {"now": labels.get(current.status, current.status), "to": labels.get(to, to)},
                details={"from": current.status, "to": to},
            )
        frees_seat = current.status in SEAT_TAKING and to not in SEAT_TAKING
        if frees_seat:
            seats.lock_sessions([current.session_id])
            seats.adjust_seats(current.session_id, -1)
        RegistrationEvent.objects.create(
            registration=current, from_status=current.status, to_status=to, actor=actor, reason=reason[:200]
        )
        current.status = to
        current.save(update_fields=["status", "updated_at"])
    registration.status = to
    return current
