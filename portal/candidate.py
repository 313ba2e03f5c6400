"""Pages for candidates: find a sitting, book, pay, see, change and cancel exams, ask for provisions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from certificates.models import Document
from certificates.requests import request_deadline
from certificates.wft import wft_status
from exams import geo, selectors
from exams.errors import DomainError
from exams.models import Booking, Candidate, ExamPart, ExamSession, Provision, Registration, Result
from exams.models.registrations import SEAT_TAKING
from exams.payments.selectors import invoice_of
from exams.services import bookings as booking_services
from exams.services import eligibility, notifications, provisions

from . import landing
from .forms import (
    EvidenceForm,
    ProfileForm,
    ProvisionForm,
    ResultRequestForm,
    SessionSearchForm,
    posted_choice,
)


def candidate_of(request: HttpRequest) -> Candidate | None:
    """The candidate the page acts for: the logged-in candidate, or (for staff) ``?for=<id>``."""
    if not request.user.is_authenticated:
        return None
    acting_for = request.GET.get("for") or request.POST.get("for")
    if acting_for and request.user.is_planner:
        return Candidate.objects.filter(pk=acting_for).first()
    return Candidate.objects.filter(user=request.user).first()


@dataclass
class Row:
    session: ExamSession
    part: ExamPart
    reasons: list = field(default_factory=list)
    #: What to know before booking though it is allowed (the part booked or passed already).
    notices: list = field(default_factory=list)
    distance_km: float | None = None
    alternatives: list = field(default_factory=list)
    checked: bool = False

    @property
    def full(self) -> bool:
        return self.session.seats_left <= 0

    @property
    def refused(self) -> bool:
        """Not to be chosen by this candidate now: full, or a rule says no."""
        return bool(self.reasons) or self.full

    @property
    def local_start(self) -> datetime:
        return self.session.local_starts_at

    @property
    def choice(self) -> str:
        return f"{self.session.pk}:{self.part.code}"


#: Rows a search page shows at a time, and how many sessions a search reads at most.
SEARCH_PAGE_ROWS = 30
SEARCH_SESSIONS = 400
#: Reasons that a sitting is closed to everyone (not just to this candidate): hidden unless asked for.
CLOSED = frozenset({"registration_closed", "session_not_open", "session_started"})


def session_search(request: HttpRequest) -> HttpResponse:
    form = SessionSearchForm(request.GET or None)
    candidate = candidate_of(request)
    rows: list[Row] = []
    hidden = 0
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        rows = _search_rows(candidate, data)
        if not data.get("show_closed"):
            shown = [r for r in rows if not _closed(r)]
            hidden, rows = len(rows) - len(shown), shown
    page = Paginator(rows, SEARCH_PAGE_ROWS).get_page(request.GET.get("page"))
    chosen = set(request.session.pop("chosen", []))
    for row in page.object_list:
        row.checked = row.choice in chosen
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/sessions.html", {
        "form": form, "rows": page.object_list, "page": page, "query": query.urlencode(), "hidden": hidden,
        "candidate": candidate,
        "acting_for": candidate if candidate and candidate.user_id != request.user.pk else None,
        "needs_statement": any(r.part.programme.family.requires_confidentiality_statement
                               for r in page.object_list),
    })


def _closed(row: Row) -> bool:
    return any(reason.code in CLOSED for reason in row.reasons)


def _search_rows(candidate: Candidate | None, data: dict) -> list[Row]:
    """The sittings matching the search, bookable ones first (each group by date), full ones with the next
    bookable sittings of their part."""
    sessions = selectors.sessions_bookable(
        family=data.get("family") or None, part=data.get("part") or None, location=data.get("location") or None,
        date_from=data.get("date_from") or timezone.localdate(), date_to=data.get("date_to"),
    ).exclude(parts__mode__in=["oral", "portfolio"])
    origin = geo.locate(data["near"]) if data.get("near") else None
    rows = []
    for session in sessions[:SEARCH_SESSIONS]:
        local = session.local_starts_at
        if data.get("time_of_day") == "morning" and local.hour >= 12:
            continue
        if data.get("time_of_day") == "afternoon" and local.hour < 12:
            continue
        distance = session.room.location.distance_km(*origin) if origin else None
        if distance is not None and data.get("max_km") and distance > data["max_km"]:
            continue
        for part in sorted(session.parts.all(), key=lambda p: p.code):
            if data.get("part") and part.code != data["part"]:
                continue
            rows.append(Row(session, part, distance_km=distance))
    choices = [eligibility.Choice(r.session, r.part) for r in rows]
    verdicts = eligibility.reasons_for(candidate, choices)
    for row, reasons, notices in zip(rows, verdicts, eligibility.notices_for(candidate, choices)):
        row.reasons, row.notices = reasons, notices
    rows.sort(key=lambda r: r.refused)  # stable: by date within each group
    for row in rows[:SEARCH_PAGE_ROWS * 3]:
        if row.full and not row.reasons:
            row.alternatives = _bookable_alternatives(candidate, row)
    return rows


def _bookable_alternatives(candidate: Candidate | None, row: Row, count: int = 3) -> list[ExamSession]:
    """The next sittings of the row's part that have seats and that this candidate could book."""
    later = list(selectors.sessions_bookable(part=row.part.code).filter(
        starts_at__gt=row.session.starts_at, seats_booked__lt=F("capacity"))[:count * 5])
    verdicts = eligibility.reasons_for(candidate, [eligibility.Choice(s, row.part) for s in later])
    return [session for session, reasons in zip(later, verdicts) if not reasons][:count]


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or fallback
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else fallback


@require_POST
@login_required
def booking_create(request: HttpRequest) -> HttpResponse:
    candidate = candidate_of(request)
    back = _safe_next(request, reverse("portal:sessions"))
    if candidate is None:
        messages.error(request, _("Complete your profile before booking."))
        return redirect("portal:profile")
    if not request.user.email_verified and candidate.user_id == request.user.pk:
        messages.error(request, _("Confirm your e-mail address first: we sent you a link."))
        return redirect(back)
    choices = request.POST.getlist("choice")[:10]
    if not choices:
        messages.error(request, _("Choose at least one sitting."))
        return redirect(back)
    requests = []
    for value in choices:
        session_id, _sep, part_code = value.partition(":")
        if not session_id.isdigit():
            messages.error(request, _("That choice is not valid."))
            return redirect(back)
        requests.append(booking_services.SeatRequest(int(session_id), part_code or None))
    if _needs_statement(requests) and not request.POST.get("accept_statement"):
        messages.error(request, _("Accept the confidentiality statement to book these exams."))
        request.session["chosen"] = choices
        return redirect(back)
    try:
        booking = booking_services.booking_create(candidate=candidate, requests=requests, created_by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        request.session["chosen"] = choices  # the search page ticks them again
        return redirect(back)
    if booking.status == Booking.Status.HELD:
        _say_held(request)
    return redirect("portal:booking", booking_id=booking.pk)


def _say_held(request: HttpRequest) -> None:
    messages.success(request, _("Your seats are held for %(minutes)d minutes. Pay to confirm them.")
                     % {"minutes": settings.EXAMS["HOLD_MINUTES"]})


def _needs_statement(requests: list[booking_services.SeatRequest]) -> bool:
    return ExamSession.objects.filter(
        pk__in=[r.session_id for r in requests], parts__programme__family__requires_confidentiality_statement=True
    ).exists()


def _my_booking(request: HttpRequest, booking_id: int) -> Booking:
    bookings = Booking.objects.select_related("candidate")
    if not request.user.is_planner:
        bookings = bookings.filter(candidate__user=request.user)
    return get_object_or_404(bookings, pk=booking_id)


@login_required
def booking_detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _my_booking(request, booking_id)
    registrations = _fold_moves(booking.registrations.select_related("session__room__location",
                                                                     "part__programme__family")
                                .order_by("session__starts_at"))
    payments = _payment_lines(booking)
    for registration in registrations:
        _add_deadlines(registration)
    latest = payments[0] if payments else None
    payable = booking.status in (Booking.Status.HELD, Booking.Status.PENDING_PAYMENT)
    return render(request, "portal/booking.html", {
        "notices": _before_paying(booking, registrations) if payable else [],
        "booking": booking, "registrations": registrations, "payments": payments,
        "providers": _payment_options(booking, registrations),
        "can_change": any(r.status == "confirmed" and r.part.programme.family.change_allowed for r in registrations),
        "waiting": payable and latest is not None and latest.status == "open",
        "not_completed": payable and latest is not None and latest.status in ("cancelled", "failed",
                                                                              "expired"),
        "invoice": invoice_of(booking),
        "has_receipt": any(p.status == "paid" for p in payments),
        "zone": timezone.get_current_timezone_name(),
        "reference": notifications.booking_reference(booking),
        "mail_language": _mail_language(request, booking.candidate) if payable else "",
    })


#: A language's name as a sentence in the page's language uses it ("come in Dutch", "in het Nederlands").
LANGUAGE_NAMES = {"nl": _lazy("Dutch"), "en": _lazy("English")}


def _mail_language(request: HttpRequest, candidate: Candidate) -> str:
    """The language the candidate's mails and letters come in, when it is not the page's: the profile's
    language decides, whatever language they read the portal in. Empty for staff acting for someone."""
    if candidate.user_id != request.user.pk or candidate.language == request.LANGUAGE_CODE[:2]:
        return ""
    return str(LANGUAGE_NAMES.get(candidate.language, candidate.get_language_display()))


def _fold_moves(registrations: Iterable[Registration]) -> list[Registration]:
    """The booking's registrations with each one changed to another sitting folded under the registration
    that replaced it (``moved_from``: the sittings it was moved from, earliest move first), so a moved exam
    shows once, with its fee once. A changed registration whose replacement is not in the list stays, with
    ``moved`` set: the page shows it without a fee."""
    registrations = list(registrations)
    by_pk = {r.pk: r for r in registrations}
    for registration in registrations:
        registration.moved_from, registration.moved = [], registration.status == "changed"
    replaced = {r.replaced_by_id: r for r in registrations if r.moved and r.replaced_by_id in by_pk}
    for registration in registrations:
        if registration.moved:
            continue
        earlier = replaced.get(registration.pk)
        while earlier is not None:
            registration.moved_from.insert(0, earlier)
            earlier = replaced.get(earlier.pk)
    folded = {r.pk for r in replaced.values()}
    return [r for r in registrations if r.pk not in folded]


def _before_paying(booking: Booking, registrations: list[Registration]) -> list:
    """The notices for the parts of a booking not paid yet: booked in another sitting, or passed already."""
    waiting = [r for r in registrations if r.status in ("held", "pending_payment")]
    found = eligibility.notices_for(booking.candidate, [eligibility.Choice(r.session, r.part) for r in waiting],
                                    leave_out=[r.pk for r in registrations])
    return [notice for notices in found for notice in notices]


#: Why the payments app refunded a payment by itself (``services._settle``), in the candidate's words.
AUTOMATIC_REFUNDS = {
    "the booking was already paid": _lazy("This payment came in after your booking was already paid: it is "
                                          "refunded to you automatically."),
    "paid after the booking expired or was cancelled": _lazy(
        "This payment came in after your booking had expired or was cancelled: it is refunded to you "
        "automatically."),
}


def _payment_lines(booking: Booking) -> list:
    """The booking's payments, newest first, each with ``shown_status``: an open payment of a booking that no
    longer waits for money, and an expired, cancelled or failed one, were "not completed"; and ``note``, why
    a payment was refunded without the candidate asking."""
    payments = list(booking.payments.prefetch_related("refunds"))
    waiting = booking.status in (Booking.Status.HELD, Booking.Status.PENDING_PAYMENT)
    for payment in payments:
        live = payment.status == "paid" or (payment.status == "open"
                                            and (waiting or payment.provider == "invoice"))
        payment.shown_status = payment.get_status_display() if live else _("not completed")
        payment.note = next((AUTOMATIC_REFUNDS[r.reason] for r in payment.refunds.all()
                             if r.reason in AUTOMATIC_REFUNDS), "")
    return payments


def _add_deadlines(registration: Registration) -> None:
    """What a candidate needs to know per sitting: when to be there, and until when cancelling is refunded."""
    family = registration.part.programme.family
    start = registration.session.local_starts_at
    registration.arrive_by = start - timedelta(minutes=family.arrival_minutes_before)
    registration.refund_until = (start - timedelta(days=family.refund_until_days)
                                 if family.refund_until_days is not None else None)
    registration.refund_passed = not booking_services.refund_allowed(registration, timezone.now())


def _payment_options(booking: Booking, registrations: list[Registration]) -> list[tuple[str, str]]:
    if booking.status not in (Booking.Status.HELD, Booking.Status.PENDING_PAYMENT):
        return []
    options = [(settings.EXAMS["ONLINE_PAYMENT_PROVIDER"], _("Pay online (iDEAL, card)"))]
    now = timezone.now()
    families = {r.part.programme.family for r in registrations}
    if all(f.invoice_until_days is not None for f in families) and all(
        (r.session.starts_at - now).days >= r.part.programme.family.invoice_until_days for r in registrations
    ):
        options.append(("invoice", _("Pay by invoice")))
    return options


@require_POST
@login_required
def booking_pay(request: HttpRequest, booking_id: int) -> HttpResponse:
    from exams.payments.services import payment_start

    booking = _my_booking(request, booking_id)
    provider = request.POST.get("provider", "")
    allowed = {name for name, _label in _payment_options(booking, list(booking.registrations.all()))}
    if provider not in allowed:
        messages.error(request, _("Choose one of the payment methods shown."))
        return redirect("portal:booking", booking_id=booking.pk)
    return_url = request.build_absolute_uri(reverse("portal:booking", args=[booking.pk]))
    try:
        payment = payment_start(booking=booking, provider=provider, return_url=return_url)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:booking", booking_id=booking.pk)
    if payment.checkout_url:
        return redirect(payment.checkout_url)
    return redirect("portal:booking", booking_id=booking.pk)


@require_POST
@login_required
def booking_again(request: HttpRequest, booking_id: int) -> HttpResponse:
    """"Book again" for a booking that expired unpaid: the same sittings, or the next ones with seats."""
    old = _my_booking(request, booking_id)
    try:
        booking = booking_services.booking_again(booking=old, created_by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:my_exams")
    before = set(old.registrations.values_list("session_id", flat=True))
    moved = [r for r in booking.registrations.select_related("session__room__location", "part")
             if r.session_id not in before]
    for registration in moved:
        messages.warning(request, _("The sitting you had was full or closed: %(part)s is now on %(when)s at "
                                    "%(where)s.") % {"part": registration.part.name,
                                                     "when": registration.session.local_starts_at.strftime(
                                                         "%d-%m-%Y %H:%M"),
                                                     "where": registration.session.room.location.name})
    _say_held(request)
    return redirect("portal:booking", booking_id=booking.pk)


def _bookable_again(candidate: Candidate, bookings: list[Booking]) -> list[Booking]:
    """The expired bookings "my exams" offers to book again: a sitting of theirs is still to come, and
    they were not booked again already."""
    expired = [b for b in bookings if b.status == Booking.Status.EXPIRED]
    if not expired:
        return []
    done = set(Booking.objects.filter(candidate=candidate, idempotency_key__in=[
        booking_services.again_key(b) for b in expired]).values_list("idempotency_key", flat=True))
    upcoming = set(Registration.objects.filter(booking__in=expired, session__starts_at__gt=timezone.now())
                   .values_list("booking_id", flat=True))
    # A part the candidate holds or has booked since needs no card: booking it again would seat them twice.
    live_parts = set(Registration.objects.filter(candidate=candidate, status__in=SEAT_TAKING)
                     .values_list("part_id", flat=True))
    again, offered_parts = [], set()
    for booking in expired:  # newest first: of two expired bookings of the same parts, the newest is offered
        if booking.pk not in upcoming or booking_services.again_key(booking) in done:
            continue
        # The card names what the seats were for, not just the booking's number.
        booking.held_rows = list(booking.registrations.select_related("part", "session__room__location")
                                 .order_by("session__starts_at"))
        parts = {r.part_id for r in booking.held_rows}
        if parts & (live_parts | offered_parts):
            continue
        offered_parts |= parts
        again.append(booking)
    return again


@require_http_methods(["GET", "POST"])
@login_required
def booking_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _my_booking(request, booking_id)
    live = booking.registrations.filter(status__in=["held", "pending_payment", "confirmed"]).select_related(
        "part__programme__family", "session__room__location")
    wanted = request.GET.get("registration") or request.POST.get("registration")
    if wanted:
        live = live.filter(pk=wanted if str(wanted).isdigit() else 0)
    chosen = list(live)
    if not chosen:
        messages.error(request, _("Nothing in this booking can be cancelled."))
        return redirect("portal:booking", booking_id=booking.pk)
    now = timezone.now()
    unpaid = booking_services.unpaid_invoice(booking)
    refundable = [r for r in chosen if r.status == "confirmed" and not unpaid
                  and booking_services.refund_allowed(r, now)]
    if request.method == "POST":
        try:
            outcome = booking_services.booking_cancel(booking=booking, registration_ids=[r.pk for r in chosen],
                                                      actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if outcome.unpaid_invoice:
                messages.success(request, _(
                    "Cancelled. You had not paid the invoice yet, so nothing is refunded; the invoice is "
                    "adjusted to what you still have booked."))
            elif outcome.refund_due:
                messages.success(request, _("Cancelled. € %(amount)s will be refunded to you.")
                                 % {"amount": formats.number_format(outcome.refund_due, 2, use_l10n=True)})
            else:
                messages.success(request, _("Cancelled."))
        return redirect("portal:booking", booking_id=booking.pk)
    return render(request, "portal/cancel.html", {
        "booking": booking, "chosen": chosen, "refundable": refundable,
        "refund": sum(r.fee for r in refundable), "unpaid_invoice": unpaid,
        "no_refund": [r for r in chosen if r.status == "confirmed" and not unpaid and r not in refundable],
    })


@require_http_methods(["GET", "POST"])
@login_required
def registration_change(request: HttpRequest, registration_id: int) -> HttpResponse:
    registrations = Registration.objects.select_related("part__programme__family", "session__room__location",
                                                        "booking")
    if not request.user.is_planner:
        registrations = registrations.filter(candidate__user=request.user)
    registration = get_object_or_404(registrations, pk=registration_id)
    if request.method == "POST":
        target = posted_choice(request, ExamSession.objects, "session")
        if target is None:
            messages.error(request, _("Choose one of the sittings shown."))
            return redirect("portal:change", registration_id=registration.pk)
        try:
            moved = booking_services.registration_change(registration=registration, session=target,
                                                         actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("portal:change", registration_id=registration.pk)
        messages.success(request, _("Changed to %(when)s at %(where)s. Your payment stays valid.")
                         % {"when": moved.session.local_starts_at.strftime("%d-%m-%Y %H:%M"),
                            "where": moved.session.room.location.name})
        return redirect("portal:booking", booking_id=registration.booking_id)
    rows = _change_rows(registration)
    return render(request, "portal/change.html", {
        "registration": registration, "movable": [r for r in rows if not r.refused],
        "refused": [r for r in rows if r.refused]})


#: Sittings the change page weighs at most, and shows at most.
CHANGE_SESSIONS = 80
CHANGE_ROWS = 40


def _change_rows(registration: Registration) -> list[Row]:
    """The other sittings of the registration's part, each with the reasons the candidate cannot move there:
    the ones they can move to first, then the others (full, or clashing with their other exams), each group
    by date. Sittings closed for booking are left out: no candidate can ever choose them."""
    options = (selectors.sessions_bookable(part=registration.part.code).exclude(pk=registration.session_id)
               .exclude(registration_closes_at__lte=timezone.now()))
    ctx = eligibility.Context.load(registration.candidate)
    ctx.registrations = [r for r in ctx.registrations if r.pk != registration.pk]
    rows = [Row(s, registration.part, eligibility.reasons_against(ctx, eligibility.Choice(s, registration.part)))
            for s in options[:CHANGE_SESSIONS]]
    rows = [row for row in rows if not _closed(row)]
    rows.sort(key=lambda r: r.refused)  # stable: by date within each group
    return rows[:CHANGE_ROWS]


@login_required
def booking_calendar(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _my_booking(request, booking_id)
    registrations = list(booking.registrations.filter(status="confirmed").select_related(
        "session__room__location", "part__programme__family"))
    response = HttpResponse(notifications.booking_calendar(booking, registrations), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="exams-{booking.pk}.ics"'
    return response


@login_required
def booking_summons(request: HttpRequest, booking_id: int) -> HttpResponse:
    from certificates.exam_day import render_summons

    booking = _my_booking(request, booking_id)
    registrations = list(booking.registrations.filter(status="confirmed").select_related(
        "session__room__location", "part__programme__family").order_by("session__starts_at"))
    if not registrations:
        raise Http404
    pdf = render_summons(notifications.summons_data(booking, registrations), language=request.LANGUAGE_CODE[:2])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="summons-{booking.pk}.pdf"'
    return response


@dataclass(frozen=True)
class PastItem:
    """A line of "Past and cancelled": a part, its day and what became of it."""

    part: ExamPart
    day: date
    status: str


@login_required
def my_exams(request: HttpRequest) -> HttpResponse:
    candidate = Candidate.objects.filter(user=request.user).first()
    if candidate is None and (staff_page := landing.staff_page(request.user)):
        return redirect(staff_page)
    if candidate is None:
        return render(request, "portal/my_exams.html", {"candidate": None})
    registrations = list(Registration.objects.filter(candidate=candidate).select_related(
        "session__room__location", "part__programme__family", "booking").order_by("session__starts_at"))
    now = timezone.now()
    bookings = list(Booking.objects.filter(candidate=candidate).order_by("-created_at")[:20])
    for booking in bookings:
        booking.reference = notifications.booking_reference(booking)
    results = list(Result.objects.filter(candidate=candidate, released_at__lte=now)
                   .select_related("part__programme__family"))
    for result in results:
        result.request_until = request_deadline(result)
        result.request_open = now <= result.request_until
    past = [PastItem(r.part, r.session.local_starts_at.date(), r.get_status_display())
            for r in registrations if r.session.ends_at < now or not r.takes_seat]
    sat = {(item.part.pk, item.day) for item in past}
    past += [PastItem(r.part, r.taken_on, _("result known")) for r in results
             if (r.part_id, r.taken_on) not in sat]  # sittings known only by their result (imported)
    return render(request, "portal/my_exams.html", {
        "candidate": candidate,
        "upcoming": [r for r in registrations if r.session.ends_at >= now and r.takes_seat],
        "past": sorted(past, key=lambda item: item.day, reverse=True),
        "bookings": bookings,
        "book_again": _bookable_again(candidate, bookings),
        "results": results,
        "provisions": Provision.objects.filter(candidate=candidate).select_related("family"),
        "documents": Document.objects.filter(candidate=candidate),
        "wft": wft_status(candidate),
    })


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    candidate = Candidate.objects.filter(user=request.user).first()
    if candidate is None and request.user.role != request.user.Role.CANDIDATE:
        # the candidate's form (birth date, national id) would make staff a candidate
        return redirect(landing.staff_page(request.user) or "portal:home")
    if candidate is None:
        candidate = Candidate(user=request.user, email=request.user.email, language=request.user.language)
    form = ProfileForm(request.POST or None, instance=candidate)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        request.user.language = saved.language
        request.user.save(update_fields=["language"])
        messages.success(request, _("Your profile is saved."))
        return redirect("portal:profile")
    return render(request, "portal/profile.html", {"form": form, "candidate": candidate})


@require_http_methods(["GET", "POST"])
@login_required
def provision_list(request: HttpRequest) -> HttpResponse:
    candidate = Candidate.objects.filter(user=request.user).first()
    if candidate is None:
        messages.error(request, _("Complete your profile first."))
        return redirect("portal:profile")
    form = ProvisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            provision = provisions.provision_request(
                candidate=candidate, family=data["family"], kind=data["kind"],
                extra_minutes=data.get("extra_minutes") or 0, motivation=data["motivation"],
                evidence=data.get("evidence"))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your request is sent. Staff will review it; you will get an e-mail."))
            if provision.family.provision_requires_evidence and not provision.evidence:
                messages.warning(request, _("Add the evidence below: staff decide once it is there."))
            return redirect("portal:provisions")
    mine = list(Provision.objects.filter(candidate=candidate).select_related("family"))
    for provision in mine:
        provision.evidence_missing = provision.family.provision_requires_evidence and not provision.evidence
    return render(request, "portal/provisions.html", {
        "form": form, "provisions": mine, "evidence_form": EvidenceForm(),
        "pending": sum(p.status == Provision.Status.REQUESTED for p in mine),
        "pending_limit": settings.EXAMS["MAX_PENDING_PROVISIONS"],
    })


def _own_provision(request: HttpRequest, provision_id: int) -> tuple[Candidate, Provision]:
    candidate = get_object_or_404(Candidate, user=request.user)
    return candidate, get_object_or_404(Provision, pk=provision_id, candidate=candidate)


@require_POST
@login_required
def provision_withdraw(request: HttpRequest, provision_id: int) -> HttpResponse:
    candidate, provision = _own_provision(request, provision_id)
    try:
        provisions.provision_withdraw(provision=provision, candidate=candidate)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request is withdrawn."))
    return redirect("portal:provisions")


@require_POST
@login_required
def provision_evidence_add(request: HttpRequest, provision_id: int) -> HttpResponse:
    candidate, provision = _own_provision(request, provision_id)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("evidence", []):
            messages.error(request, error)
        return redirect("portal:provisions")
    try:
        provisions.provision_evidence_add(provision=provision, candidate=candidate,
                                          evidence=form.cleaned_data["evidence"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your evidence is added to the request."))
    return redirect("portal:provisions")


@login_required
def provision_evidence(request: HttpRequest, provision_id: int) -> FileResponse:
    provisions_visible = Provision.objects.all() if request.user.is_planner else Provision.objects.filter(
        candidate__user=request.user)
    provision = get_object_or_404(provisions_visible, pk=provision_id)
    if not provision.evidence:
        raise Http404
    return FileResponse(provision.evidence.open("rb"), as_attachment=True,
                        filename=f"evidence-{provision.pk}{provision.evidence.name[-4:]}")


@require_http_methods(["GET", "POST"])
@login_required
def result_request(request: HttpRequest, result_id: int) -> HttpResponse:
    from certificates.models import ResultRequest
    from certificates.requests import result_request_create

    result = get_object_or_404(Result.objects.filter(candidate__user=request.user, released_at__lte=timezone.now())
                               .select_related("part__programme__family"), pk=result_id)
    if timezone.now() > request_deadline(result):
        messages.error(request, _("The period for questions about this result ended on %(date)s.")
                       % {"date": formats.date_format(timezone.localtime(request_deadline(result)), "j F Y")})
        return redirect("portal:my_exams")
    form = ResultRequestForm(request.POST or None, passed=result.passed)
    if request.method == "POST" and form.is_valid():
        try:
            result_request_create(result=result, kind=form.cleaned_data["kind"], reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your request is registered; staff will contact you."))
            return redirect("portal:my_exams")
    return render(request, "portal/result_request.html", {
        "result": result, "form": form, "requests": ResultRequest.objects.filter(result=result)})


@login_required
def booking_receipt(request: HttpRequest, booking_id: int) -> HttpResponse:
    """A printable receipt of what was paid (and refunded) for a booking."""
    booking = _my_booking(request, booking_id)
    payments = [p for p in booking.payments.all() if p.status == "paid"]
    if not payments:
        raise Http404
    return render(request, "portal/receipt.html", {
        "booking": booking, "payments": payments, "reference": notifications.booking_reference(booking),
        "registrations": _fold_moves(booking.registrations.select_related("part__programme",
                                                                          "session__room__location")
                                     .order_by("session__starts_at")),
        "paid": sum(p.amount for p in payments), "refunded": sum(p.amount_refunded for p in payments),
    })


@login_required
def booking_invoice(request: HttpRequest, booking_id: int) -> HttpResponse:
    """A printable invoice for a booking paid by invoice: number, amount, due date and where to pay."""
    booking = _my_booking(request, booking_id)
    invoice = invoice_of(booking)
    if invoice is None:
        raise Http404
    return render(request, "portal/invoice.html", {
        "booking": booking, "invoice": invoice, "reference": notifications.booking_reference(booking),
        "registrations": booking.registrations.filter(
            status__in=["confirmed", "sat", "no_show", "result_known"]
        ).select_related("part__programme", "session__room__location"),
    })


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    from exams.privacy import export_response

    candidate = get_object_or_404(Candidate, user=request.user)
    return export_response(candidate=candidate, actor=request.user, request=request, filename="my-data.zip")
