"""Messages to candidates and staff, in their own language, each sent once.

Every message has a key naming its event; the row is created under a lock before sending, so a job that
runs twice (a retry, a duplicated webhook) finds it and stops. A crash between sending and recording can
still send a message twice; it never sends none.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from decimal import Decimal
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from certificates.documents import Localised
from certificates.exam_day import SummonsData, SummonsItem, render_summons

from ..calendar import CalendarEvent, calendar_file
from ..models import Booking, Notification, Provision, Registration

logger = logging.getLogger(__name__)

BRING = {
    "default": [Localised("een geldig identiteitsbewijs (paspoort, identiteitskaart of verblijfsdocument)",
                          "a valid identity document (passport, identity card or residence document)"),
                Localised("deze oproepbrief", "this letter")],
    "inburgering": [Localised("je V-nummer als je dat hebt", "your V-number, if you have one")],
}


def send_once(*, key: str, kind: str, email: str, language: str, build) -> bool:
    """Send the message ``build()`` returns (subject, body, attachments) unless ``key`` was sent before."""
    with transaction.atomic():
        note, _created = Notification.objects.select_for_update().get_or_create(
            key=key, defaults={"kind": kind, "email": email, "language": language}
        )
        if note.sent_at is not None:
            return False
        with translation.override(language):
            subject, body, attachments = build()
        message = EmailMessage(subject=subject, body=body, to=[email], from_email=settings.DEFAULT_FROM_EMAIL)
        for name, content, mimetype in attachments:
            message.attach(name, content, mimetype)
        message.send()
        note.subject, note.sent_at = subject[:200], timezone.now()
        note.save(update_fields=["subject", "sent_at"])
    return True


def booking_confirmation_send(*, booking_id: int) -> bool:
    """The confirmation of a paid booking: the details, an .ics calendar file and the summons letter."""
    booking = Booking.objects.select_related("candidate").get(pk=booking_id)
    candidate = booking.candidate
    registrations = list(
        booking.registrations.filter(status="confirmed")
        .select_related("session__room__location", "part__programme__family").order_by("session__starts_at")
    )
    if not registrations:
        return False
    return send_once(
        key=f"booking-{booking.pk}-confirmed", kind="booking_confirmed", email=candidate.email,
        language=candidate.language, build=lambda: _confirmation(booking, registrations),
    )


def _confirmation(booking: Booking, registrations: list[Registration]):
    candidate = booking.candidate
    lines = [_("Dear %(name)s,") % {"name": candidate.full_name}, "",
             _("Your booking %(ref)s is confirmed. You will sit:") % {"ref": booking_reference(booking)}, ""]
    lines += [f"- {registration.part.name}: {sitting_text(registration)}" for registration in registrations]
    total = sum((r.fee for r in registrations), Decimal("0"))
    lines += [""] + _money_lines(booking, total) + ["",
              _("Bring a valid identity document. Arrive in good time: late candidates cannot take part."),
              _("You can change or cancel in My exams."), ""]
    attachments = [invitation("exams.ics", booking_events(registrations), method="REQUEST",
                              attendee=candidate.email)]
    if any(r.part.programme.family.summons_days is not None for r in registrations):
        attachments.append(("oproep.pdf" if candidate.language == "nl" else "summons.pdf",
                            render_summons(summons_data(booking, registrations), language=candidate.language),
                            "application/pdf"))
    return _("Your exam booking is confirmed"), "\n".join(lines), attachments


def money(amount: Decimal) -> str:
    """``€ 50,00`` in Dutch, ``€ 50.00`` in English: in the language active while the message is built."""
    return "€ " + formats.number_format(amount, 2, use_l10n=True, force_grouping=True)


def _money_lines(booking: Booking, total: Decimal) -> list[str]:
    """What the candidate paid, or, on an invoice not paid yet, how and by when to pay it."""
    from exams.payments.selectors import invoice_of

    invoice = invoice_of(booking)
    if invoice is None or not invoice.open:
        return [_("Paid: %(amount)s") % {"amount": money(total)}]
    return [
        _("You pay by invoice. Please transfer %(amount)s before %(due)s to %(iban)s in the name of "
          "%(name)s, stating the payment reference %(number)s.")
        % {"amount": money(invoice.amount), "iban": invoice.iban, "name": invoice.account_name,
           "due": invoice.due_on.strftime("%d-%m-%Y") if invoice.due_on else "", "number": invoice.number},
        _("Invoice number: %(number)s") % {"number": invoice.number},
    ]


def booking_reference(booking: Booking) -> str:
    return f"B{booking.pk:07d}"


def sitting_text(registration: Registration) -> str:
    """When and where a sitting is, in the location's own time: ``12-05-2027 09:00 (Europe/Amsterdam),
    Examencentrum Amsterdam, Street 1, 1011 AB Amsterdam``."""
    session, location = registration.session, registration.session.room.location
    return (f"{location.local(session.starts_at):%d-%m-%Y %H:%M} ({location.timezone}), "
            f"{location.name}, {location.street}, {location.postcode} {location.city}")


def _arrival_note(registration: Registration) -> str:
    return _("Arrive %(minutes)d minutes early with a valid identity document.") % {
        "minutes": registration.part.programme.family.arrival_minutes_before}


def booking_events(registrations: list[Registration]) -> list[CalendarEvent]:
    """A booking's sittings as calendar events, each saying when to arrive: the download and the
    confirmation's invitation alike."""
    return [registration_event(registration, description=_arrival_note(registration))
            for registration in registrations]


def booking_calendar(booking: Booking, registrations: list[Registration]) -> str:
    return calendar_file(booking_events(registrations), name=_("My exams"))


def invitation(name: str, events: list[CalendarEvent], *, method: str, attendee: str):
    """A calendar file as an e-mail attachment that adds or moves (``REQUEST``) or removes (``CANCEL``) the
    candidate's calendar entries: calendar programs apply it to the entry with the same UID."""
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    events = [replace(event, organizer=sender, attendee=attendee) for event in events]
    return name, calendar_file(events, name=_("My exams"), method=method), f"text/calendar; method={method}"


def registration_changed_send(*, registration_id: int) -> bool:
    """The candidate moved an exam to another sitting: the old and the new time and place, and a calendar
    file that moves the entry the booking confirmation put in their calendar."""
    moved = Registration.objects.select_related(
        "candidate", "booking", "part__programme__family", "session__room__location").get(pk=registration_id)
    old = Registration.objects.filter(replaced_by=moved).select_related("session__room__location").first()
    candidate = moved.candidate

    def build():
        when = moved.session.room.location.local(moved.session.starts_at)
        lines = [_("Dear %(name)s,") % {"name": candidate.full_name}, "",
                 _("You changed your %(part)s exam (booking %(ref)s).")
                 % {"part": moved.part.name, "ref": booking_reference(moved.booking)}, ""]
        if old is not None:
            lines.append(_("Before: %(sitting)s") % {"sitting": sitting_text(old)})
        lines += [_("Now: %(sitting)s") % {"sitting": sitting_text(moved)}, "",
                  _("Your payment stays valid: you pay nothing extra."), _arrival_note(moved),
                  _("The attached calendar file moves the exam in your calendar."), ""]
        event = registration_event(moved, description=_arrival_note(moved))
        return (_("Your exam is changed to %(date)s") % {"date": when.strftime("%d-%m-%Y")}, "\n".join(lines),
                [invitation("exam.ics", [event], method="REQUEST", attendee=candidate.email)])

    return send_once(key=f"registration-{moved.pk}-changed", kind="registration_changed", email=candidate.email,
                     language=candidate.language, build=build)


def registrations_cancelled_send(*, registration_ids: list[int], refunded_ids: list[int],
                                 unpaid_invoice: bool = False) -> bool:
    """The candidate cancelled confirmed exams: which ones, what is refunded (or why not), and a calendar
    file that takes them out of their calendar. Sent once per cancellation."""
    cancelled = list(Registration.objects.filter(pk__in=registration_ids, status="cancelled").select_related(
        "candidate", "booking", "part__programme__family", "session__room__location").order_by("session__starts_at"))
    if not cancelled:
        return False
    candidate, booking = cancelled[0].candidate, cancelled[0].booking

    def build():
        lines = [_("Dear %(name)s,") % {"name": candidate.full_name}, "",
                 _("These exams of booking %(ref)s are cancelled:") % {"ref": booking_reference(booking)}, ""]
        lines += [f"- {registration.part.name}: {sitting_text(registration)}" for registration in cancelled]
        lines += [""] + _refund_lines(cancelled, refunded_ids, unpaid_invoice) + [
            "", _("The attached calendar file removes these exams from your calendar."), ""]
        events = [registration_event(registration, cancelled=True) for registration in cancelled]
        subject = ngettext("Your exam is cancelled", "Your exams are cancelled", len(cancelled))
        return subject, "\n".join(lines), [invitation("cancel.ics", events, method="CANCEL",
                                                      attendee=candidate.email)]

    return send_once(key=f"registration-{min(registration_ids)}-cancelled", kind="registration_cancelled",
                     email=candidate.email, language=candidate.language, build=build)


def _refund_lines(cancelled: list[Registration], refunded_ids: list[int], unpaid_invoice: bool) -> list[str]:
    if unpaid_invoice:
        return [_("You had not paid the invoice yet, so nothing is refunded: the invoice now asks only for "
                  "what you still have booked.")]
    refunded = [r for r in cancelled if r.pk in refunded_ids]
    lines = []
    if refunded:
        lines.append(_("We refund %(amount)s to the account you paid from.")
                     % {"amount": money(sum((r.fee for r in refunded), Decimal("0")))})
    for registration in cancelled:
        days = registration.part.programme.family.refund_until_days
        if registration.pk in refunded_ids or not registration.fee:
            continue
        if days is None:
            lines.append(_("%(part)s: this exam is not refunded when you cancel.")
                         % {"part": registration.part.name})
        else:
            lines.append(_("%(part)s: not refunded, because you cancelled less than %(days)d days before the "
                           "exam.") % {"part": registration.part.name, "days": days})
    return lines


def calendar_identity(registration: Registration) -> tuple[str, int]:
    """The UID a calendar knows a sitting by, and how often it moved. A change of sitting writes a new
    registration row (``replaced_by`` links the old one to it), but the calendar entry stays the one sent
    at booking: the UID is the first row's, and each move raises the SEQUENCE by one."""
    first, moves = registration, 0
    while (previous := Registration.objects.filter(replaced_by=first).only("pk").first()) is not None:
        first, moves = previous, moves + 1
    return f"registration-{first.pk}@exams", moves


def registration_event(registration: Registration, *, cancelled: bool = False, **extra) -> CalendarEvent:
    """A candidate's sitting as a calendar event (session, room, location, part and family loaded). A
    cancellation comes one SEQUENCE after the sitting's last version."""
    session, location = registration.session, registration.session.room.location
    uid, moves = calendar_identity(registration)
    return CalendarEvent(
        uid=uid, starts_at=session.starts_at, ends_at=session.ends_at,
        summary=f"{registration.part.programme.family.name}: {registration.part.name}",
        location=f"{location.name}, {location.street}, {location.postcode} {location.city}",
        sequence=moves + int(cancelled), cancelled=cancelled, **extra)


def summons_data(booking: Booking, registrations: list[Registration]) -> SummonsData:
    candidate = booking.candidate
    family = registrations[0].part.programme.family
    approved = Provision.objects.filter(candidate=candidate, status=Provision.Status.APPROVED, family=family)
    items = []
    for registration in registrations:
        session, location = registration.session, registration.session.room.location
        items.append(SummonsItem(
            part_name=Localised(registration.part.name_nl, registration.part.name_en),
            starts_at=location.local(session.starts_at), ends_at=location.local(session.ends_at),
            location_name=location.name, room_name=session.room.name, street=location.street,
            postcode=location.postcode, city=location.city, route=location.route_description,
            arrival_minutes_before=registration.part.programme.family.arrival_minutes_before,
        ))
    bring = BRING["default"] + BRING.get(family.code, [])
    provisions = []
    for provision in approved:
        with translation.override("nl"):
            nl = str(provision.get_kind_display())
        with translation.override("en"):
            en = str(provision.get_kind_display())
        provisions.append(Localised(nl, en))
    address = tuple(x for x in (candidate.street, f"{candidate.postcode} {candidate.city}".strip()) if x)
    return SummonsData(
        holder_name=candidate.full_name, holder_address=address, booking_reference=booking_reference(booking),
        family_name=Localised(family.name_nl, family.name_en), items=tuple(items), bring=tuple(bring),
        provisions=tuple(provisions),
    )


def sitting_cancelled_send(*, registration_id: int, reason: str) -> bool:
    """Tell a candidate the agency cancelled their sitting and that a new date costs nothing."""
    from django.conf import settings as django_settings
    from django.urls import reverse

    registration = Registration.objects.select_related("candidate", "part", "session__room__location").get(
        pk=registration_id)
    candidate = registration.candidate
    link = django_settings.SITE_URL + reverse("portal:change", args=[registration.pk])

    def build():
        when = registration.session.room.location.local(registration.session.starts_at)
        subject = _("Your exam on %(date)s is cancelled") % {"date": when.strftime("%d-%m-%Y")}
        body = "\n".join([
            _("Dear %(name)s,") % {"name": candidate.full_name}, "",
            _("We are sorry: we had to cancel your %(part)s exam on %(when)s (%(reason)s).")
            % {"part": registration.part.name, "when": when.strftime("%d-%m-%Y %H:%M"), "reason": reason},
            _("Choose a new date here; it costs you nothing:"), link, "",
            _("If you do not choose, we will offer you a new date ourselves."), "",
        ])
        return subject, body, []

    return send_once(key=f"registration-{registration.pk}-sitting-cancelled", kind="sitting_cancelled",
                     email=candidate.email, language=candidate.language, build=build)


ROSTER_LINES = {
    "added": gettext_lazy("You are placed for %(part)s: %(after)s."),
    "moved": gettext_lazy("Your %(part)s exam moves from %(before)s to %(after)s."),
    "removed": gettext_lazy("Your %(part)s exam on %(before)s is taken off the roster; we will place you again."),
    "staff_added": gettext_lazy("New duty (%(role)s, %(part)s): %(after)s."),
    "staff_removed": gettext_lazy("Duty withdrawn (%(role)s, %(part)s): %(before)s."),
}


def roster_version_send(*, version_id: int) -> int:
    """Each person a roster version affects gets one message in their language listing their changes, with
    a calendar file that adds the new times and cancels the old ones. Returns how many were sent now."""
    from ..models import Candidate, Examiner, RosterVersion
    from ..planning.roster import affected_people

    version = RosterVersion.objects.get(pk=version_id)
    candidates, examiners = affected_people(version)
    sent = 0
    for person in Candidate.objects.filter(pk__in=candidates):
        sent += send_once(key=f"roster-{version.pk}-candidate-{person.pk}", kind="roster_changed",
                          email=person.email, language=person.language,
                          build=lambda p=person: _roster_message(p.full_name, candidates[p.pk],
                                                                 _candidate_events(candidates[p.pk])))
    for person in Examiner.objects.filter(pk__in=examiners).select_related("user"):
        language = person.user.language if person.user_id else "nl"
        sent += send_once(key=f"roster-{version.pk}-examiner-{person.pk}", kind="roster_changed",
                          email=person.email, language=language,
                          build=lambda p=person: _roster_message(f"{p.first_name} {p.last_name}", examiners[p.pk],
                                                                 _examiner_events(examiners[p.pk])))
    if sent:
        RosterVersion.objects.filter(pk=version.pk).update(notified=models.F("notified") + sent)
    return sent


def _roster_message(name: str, changes: list[dict], events: list[CalendarEvent]):
    from ..models.staff import StaffRole

    roles = dict(StaffRole.choices)
    lines = [_("Dear %(name)s,") % {"name": name}, "", _("The exam roster has changed for you:"), ""]
    for change in changes:
        values = {**change, "role": roles.get(change.get("role", ""), change.get("role", ""))}
        lines.append("- " + str(ROSTER_LINES[change["kind"]]) % values)
    lines += ["", _("The attached calendar file updates your calendar."), ""]
    attachments = [("roster.ics", calendar_file(events, name=_("My exams")), "text/calendar")] if events else []
    return _("Your exam schedule has changed"), "\n".join(lines), attachments


def _candidate_events(changes: list[dict]) -> list[CalendarEvent]:
    """The registrations a version wrote for the candidate, and the ones it replaced as cancellations."""
    ids = [pk for change in changes for pk in change.get("rows", [])]
    rows = list(Registration.objects.filter(pk__in=ids).select_related(
        "session__room__location", "part__programme__family"))
    # A row moved to another row of this message is that row's earlier version: the same calendar entry.
    return [registration_event(registration, cancelled=registration.status != "confirmed")
            for registration in rows if registration.replaced_by_id not in ids]


def _examiner_events(changes: list[dict]) -> list[CalendarEvent]:
    from ..models import StaffAssignment

    ids = [pk for change in changes for pk in change.get("rows", [])]
    return [_duty_event(d, cancelled=d.status in ("withdrawn", "declined"))
            for d in StaffAssignment.objects.filter(pk__in=ids).select_related("session__room__location")]


def _duty_event(duty, *, cancelled: bool) -> CalendarEvent:
    session = duty.session
    return CalendarEvent(uid=f"assignment-{duty.pk}@exams", starts_at=session.starts_at,
                         ends_at=session.ends_at,
                         summary=f"{duty.get_role_display()}: {session.room.location.name}",
                         location=f"{session.room.location.name}, {session.room.name}",
                         sequence=duty.calendar_sequence,
                         cancelled=cancelled)


def duty_replaced_send(*, assignment_id: int, before_examiner_id: int, version: int) -> int:
    """A planner replaced an examiner by hand: the one who leaves the duty and the one who takes it get the
    message a roster change sends them, for this one duty, each in their account's language (once per edit:
    ``version`` is the session's roster version the edit wrote)."""
    from ..models import Examiner, StaffAssignment

    duty = StaffAssignment.objects.select_related("session__room__location").get(pk=assignment_id)
    location = duty.session.room.location
    where = (f"{location.local(duty.session.starts_at):%d-%m-%Y %H:%M}, {location.name}, "
             f"{duty.session.room.name}")
    part = ", ".join(p.name for p in duty.session.parts.all())
    sent = 0
    for examiner_id, kind in ((before_examiner_id, "staff_removed"), (duty.examiner_id, "staff_added")):
        person = Examiner.objects.select_related("user").filter(pk=examiner_id).first()
        if person is None or examiner_id is None:
            continue
        leaves = kind == "staff_removed"
        change = {"kind": kind, "role": duty.role, "part": part, "before": where if leaves else "",
                  "after": "" if leaves else where}
        event = _duty_event(duty, cancelled=kind == "staff_removed")
        sent += send_once(key=f"duty-{duty.pk}-v{version}-{kind}-{person.pk}", kind="roster_changed",
                          email=person.email, language=person.user.language if person.user_id else "nl",
                          build=lambda p=person, c=change, e=event: _roster_message(
                              f"{p.first_name} {p.last_name}", [c], [e]))
    return sent


def registration_moved_send(*, registration_id: int) -> bool:
    """A planner moved the candidate by hand: the same message as a roster change, for this one move."""
    moved = Registration.objects.select_related("candidate", "part", "session__room__location").get(pk=registration_id)
    old = Registration.objects.filter(replaced_by=moved).select_related("session__room__location").first()
    candidate = moved.candidate

    def where(registration: Registration) -> str:
        location = registration.session.room.location
        return f"{location.local(registration.session.starts_at):%d-%m-%Y %H:%M}, {location.name}, " \
               f"{registration.session.room.name}"

    change = {"kind": "moved" if old else "added", "part": moved.part.name, "before": where(old) if old else "",
              "after": where(moved), "rows": [moved.pk] + ([old.pk] if old else [])}
    return send_once(key=f"registration-{moved.pk}-moved", kind="roster_changed", email=candidate.email,
                     language=candidate.language,
                     build=lambda: _roster_message(candidate.full_name, [change], _candidate_events([change])))


REMINDER_DAYS = 60


def qualification_reminders_send(*, today=None, days: int = REMINDER_DAYS) -> int:
    """Remind every active examiner whose qualification ends within ``days`` from ``today`` (the local date by
    default), once per qualification and end date: extending a qualification and letting the new date come
    near reminds again. The message lists the duties after that day, which planners will hand on unless it
    is renewed. Returns how many were sent now."""
    from datetime import timedelta

    from ..models import Qualification, StaffAssignment

    today = today or timezone.localdate()
    lapsing = (Qualification.objects.filter(valid_until__gte=today, valid_until__lte=today + timedelta(days=days),
                                            examiner__active=True)
               .exclude(examiner__email="").select_related("examiner__user", "family", "subject", "part"))
    sent = 0
    for qualification in lapsing:
        examiner = qualification.examiner
        after = list(StaffAssignment.objects.filter(
            examiner=examiner, session__starts_at__date__gt=qualification.valid_until,
        ).exclude(status__in=["declined", "withdrawn"]).exclude(session__status="cancelled")
            .select_related("session__room__location").order_by("session__starts_at"))
        language = examiner.user.language if examiner.user_id else "nl"
        sent += send_once(
            key=f"qualification-{qualification.pk}-ends-{qualification.valid_until.isoformat()}",
            kind="qualification_lapsing", email=examiner.email, language=language,
            build=lambda q=qualification, a=after: _lapse_message(q, a),
        )
    return sent


def _lapse_message(qualification, duties):
    examiner = qualification.examiner
    what = f"{qualification.family.name}"
    if qualification.subject_id:
        what += f": {qualification.subject.name} {qualification.level}"
    if qualification.part_id:
        what += f": {qualification.part.name}"
    day = f"{qualification.valid_until:%d-%m-%Y}"
    lines = [_("Dear %(name)s,") % {"name": f"{examiner.first_name} {examiner.last_name}"}, "",
             _("Your qualification as %(role)s (%(what)s) holds until %(day)s.")
             % {"role": qualification.get_role_display(), "what": what, "day": day}, ""]
    if duties:
        lines.append(_("You have these duties after that day:"))
        for duty in duties:
            location = duty.session.room.location
            lines.append(f"- {location.local(duty.session.starts_at):%d-%m-%Y %H:%M}, {location.name} "
                         f"({duty.get_role_display()})")
        lines += ["", _("Renew it before then, or the planners will give those duties to someone else."), ""]
    else:
        lines += [_("Renew it before then to keep being rostered for this work."), ""]
    return _("Your qualification holds until %(day)s") % {"day": day}, "\n".join(lines), []
