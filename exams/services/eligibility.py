"""Which sessions a candidate may book, and why not: the family rules in one place.

Used by the search page (to leave sessions out and say why), the API and ``booking_create`` (to refuse).
Each rule is a small function returning a reason or ``None``; the reasons carry a stable code and a
sentence for the candidate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Candidate, ExamPart, ExamSession, FixedExamDate, Provision, Registration, Result
from ..models.registrations import SEAT_TAKING

LIVE = SEAT_TAKING


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass(frozen=True)
class Choice:
    """A session and the part the candidate would sit in it."""

    session: ExamSession
    part: ExamPart


@dataclass
class Context:
    """What the rules need to know about the candidate, loaded once per check."""

    candidate: Candidate
    now: datetime
    registrations: list[Registration]
    provisions: list[Provision]
    chosen: list[Choice]

    @classmethod
    def load(cls, candidate: Candidate, chosen: Iterable[Choice] = ()) -> Context:
        # Sorted here rather than by the models' default orderings, which would cost more to compose than
        # the database spends on the whole query.
        registrations = sorted(
            Registration.objects.filter(candidate=candidate, status__in=LIVE).order_by()
            .select_related("session__room__location", "part__programme__family"),
            key=lambda r: (r.session.starts_at, r.pk),
        )
        provisions = list(Provision.objects.filter(candidate=candidate, status=Provision.Status.APPROVED)
                          .order_by("pk"))
        return cls(candidate, timezone.now(), registrations, provisions, list(chosen))

    def others(self, choice: Choice) -> list[Choice]:
        """The candidate's live registrations and the other sessions in the same booking."""
        booked = [Choice(r.session, r.part) for r in self.registrations]
        return booked + [c for c in self.chosen if c.session.pk != choice.session.pk]


Rule = Callable[[Context, Choice], Reason | None]


def session_open(ctx: Context, choice: Choice) -> Reason | None:
    session = choice.session
    if session.status != ExamSession.Status.OPEN:
        return Reason("session_not_open", _("This sitting is not open for booking."))
    if session.starts_at <= ctx.now:
        return Reason("session_started", _("This sitting has already started."))
    if session.registration_closes_at and session.registration_closes_at <= ctx.now:
        return Reason("registration_closed", _("Registration for this sitting closed on %(date)s.")
                      % {"date": session.room.location.local(session.registration_closes_at).strftime("%d-%m-%Y")})
    return None


def already_booked(ctx: Context, choice: Choice) -> Reason | None:
    for other in ctx.registrations:
        if other.session_id == choice.session.pk and other.part_id == choice.part.pk:
            return Reason("already_booked", _("You have already booked this sitting."))
    return None


def no_time_clash(ctx: Context, choice: Choice) -> Reason | None:
    session = choice.session
    for other in ctx.others(choice):
        if other.session.starts_at < session.ends_at and session.starts_at < other.session.ends_at:
            when = other.session.room.location.local(other.session.starts_at)
            return Reason("time_clash", _("%(part)s clashes with %(other)s on %(when)s: they are at the same "
                                          "time.")
                          % {"part": choice.part.name, "other": other.part.name,
                             "when": when.strftime("%d-%m-%Y %H:%M")})
    return None


def one_part_per_day(ctx: Context, choice: Choice) -> Reason | None:
    family = choice.part.programme.family
    if not family.one_part_per_day:
        return None
    day = choice.session.room.location.local(choice.session.starts_at).date()
    for other in ctx.others(choice):
        if other.part.programme.family_id == family.pk and other.session.pk != choice.session.pk:
            if other.session.room.location.local(other.session.starts_at).date() == day:
                return Reason("one_part_per_day", _("You can sit only one %(family)s part a day; you already have "
                                                    "%(part)s that day.") % {"family": family.name,
                                                                              "part": other.part.name})
    return None


def attempts_per_year(ctx: Context, choice: Choice) -> Reason | None:
    family = choice.part.programme.family
    limit = family.max_attempts_per_part_per_year
    if not limit:
        return None
    year = choice.session.starts_at.year
    attempts = sum(1 for r in ctx.registrations if r.part_id == choice.part.pk and r.session.starts_at.year == year)
    attempts += sum(1 for c in ctx.chosen if c.part.pk == choice.part.pk and c.session.pk != choice.session.pk
                    and c.session.starts_at.year == year)
    if attempts >= limit:
        return Reason("attempts_per_year", _("You can sit %(part)s at most %(limit)d times in %(year)d.")
                      % {"part": choice.part.name, "limit": limit, "year": year})
    return None


def no_clashing_written_exams(ctx: Context, choice: Choice) -> Reason | None:
    """State exams: no two subjects whose central written exams are at the same time."""
    mine = list(FixedExamDate.objects.filter(part=choice.part).order_by())
    if not mine:
        return None
    other_parts = {c.part.pk for c in ctx.others(choice)} - {choice.part.pk}
    for fixed in FixedExamDate.objects.filter(part_id__in=other_parts).select_related("part"):
        if any(fixed.period == m.period and fixed.clashes_with(m) for m in mine):
            return Reason("written_exam_clash", _("The written exam of %(part)s is at the same time as that of "
                                                   "%(other)s.") % {"part": choice.part.name, "other": fixed.part.name})
    return None


def module_order(ctx: Context, choice: Choice) -> Reason | None:
    """Wft: a module that builds on another needs that one booked on an earlier date (or passed)."""
    required = list(choice.part.requires.all())
    for needed in required:
        earlier = [c for c in ctx.others(choice) if c.part.pk == needed.pk and c.session.starts_at < choice.session.starts_at]
        if not earlier and not _passed(ctx.candidate, needed):
            return Reason("module_order", _("%(part)s needs %(needed)s first.")
                          % {"part": choice.part.name, "needed": needed.name})
    return None


def _passed(candidate: Candidate, part: ExamPart) -> bool:
    return Result.objects.filter(candidate=candidate, part=part, passed=True).exists()


def provisions_fit(ctx: Context, choice: Choice) -> Reason | None:
    family_id = choice.part.programme.family_id
    room = choice.session.room
    for provision in (p for p in ctx.provisions if p.family_id == family_id):
        if provision.kind == Provision.Kind.ACCESSIBLE_ROOM and not room.wheelchair_accessible:
            return Reason("provision_accessible", _("This room is not wheelchair accessible."))
        if provision.kind == Provision.Kind.SEPARATE_ROOM and not room.separate_room_ok:
            return Reason("provision_separate_room", _("This sitting has no separate room for you."))
        if provision.kind == Provision.Kind.EXTRA_TIME and not _extra_time_fits(choice, provision.extra_minutes):
            return Reason("provision_extra_time", _("Your extra time does not fit after this sitting."))
    return None


def _extra_time_fits(choice: Choice, minutes: int) -> bool:
    session = choice.session
    end = session.starts_at + timedelta(minutes=choice.part.duration_minutes + minutes)
    follows = ExamSession.objects.filter(room=session.room, starts_at__gte=session.ends_at, starts_at__lt=end)
    follows = follows.exclude(pk=session.pk).exclude(status=ExamSession.Status.CANCELLED)
    if follows.exists():
        return False
    local_end = session.room.location.local(end)
    hours = session.room.location.opening_hours.filter(weekday=local_end.weekday())
    return not hours.exists() or any(h.opens <= local_end.time() <= h.closes for h in hours)


def session_bookable(session: ExamSession, now: datetime | None = None) -> Reason | None:
    """Why nobody can book ``session`` now, by its own state and seats, or ``None``: the rule of the session
    search for someone not logged in (``reasons_for`` without a candidate), plus a free seat, which
    ``booking_create`` recounts under a lock (``session_full``)."""
    anyone = Context(None, now or timezone.now(), [], [], [])  # type: ignore[arg-type]
    reason = session_open(anyone, Choice(session, None))  # type: ignore[arg-type]
    if reason is None and session.seats_left <= 0:
        reason = Reason("session_full", _("This sitting is full."))
    return reason


RULES: list[Rule] = [session_open, already_booked, no_time_clash, one_part_per_day, attempts_per_year,
                     no_clashing_written_exams, module_order, provisions_fit]


#: Rules about the booking window that bind candidates but not the agency placing or moving someone.
AGENCY_WAIVES = frozenset({"session_not_open", "registration_closed"})


def reasons_against(ctx: Context, choice: Choice, *, waive: frozenset[str] = frozenset()) -> list[Reason]:
    return [reason for rule in RULES if (reason := rule(ctx, choice)) is not None and reason.code not in waive]


def check_booking(candidate: Candidate, choices: list[Choice]) -> dict[int, list[Reason]]:
    """Reasons per session id why the booking breaks a rule; empty when it may go ahead."""
    ctx = Context.load(candidate, choices)
    refused = {}
    for choice in choices:
        reasons = reasons_against(ctx, choice)
        if reasons:
            refused[choice.session.pk] = reasons
    return refused


def reasons_for(candidate: Candidate | None, choices: Iterable[Choice]) -> list[list[Reason]]:
    """The reasons each choice is not offered (empty: offered), with the candidate's bookings and
    provisions loaded once for all of them. Without a candidate (someone browsing before logging in) only
    the session's own state counts."""
    if candidate is None:
        ctx, rules = Context(None, timezone.now(), [], [], []), [session_open]  # type: ignore[arg-type]
    else:
        ctx, rules = Context.load(candidate), RULES
    return [[reason for rule in rules if (reason := rule(ctx, choice)) is not None] for choice in choices]


def notices(ctx: Context, choice: Choice, passed: dict[int, date]) -> list[Reason]:
    """What the candidate should know before paying for ``choice`` though no rule forbids it: they already
    have this part booked in another sitting that is still to come, or they passed it already. (Where a
    family limits attempts, ``attempts_per_year`` refuses.) ``passed``: the day each passed part was passed."""
    found = []
    for other in ctx.registrations:
        if (other.part_id == choice.part.pk and other.session_id != choice.session.pk
                and other.session.ends_at >= ctx.now):
            when = other.session.room.location.local(other.session.starts_at)
            if other.status == "confirmed":
                text = _("You already have %(part)s booked on %(when)s. This would be another attempt, paid again; "
                         "to move that exam instead, change it in My exams.")
            else:  # a hold, not paid yet: there is nothing to change, only to pay for or to let go
                text = _("You already hold a seat for %(part)s on %(when)s, not paid yet. This would be another "
                         "attempt; to take this date instead, cancel that booking in My exams first.")
            found.append(Reason("same_part_booked",
                                text % {"part": choice.part.name, "when": when.strftime("%d-%m-%Y %H:%M")}))
            break
    if choice.part.pk in passed:
        found.append(Reason("part_passed", _("You passed %(part)s on %(date)s already: this would be another "
                                             "attempt, paid again.")
                            % {"part": choice.part.name, "date": passed[choice.part.pk].strftime("%d-%m-%Y")}))
    return found


def notices_for(candidate: Candidate | None, choices: Iterable[Choice],
                leave_out: Iterable[int] = ()) -> list[list[Reason]]:
    """``notices`` for each choice; ``leave_out``: registration ids not to count (the booking itself)."""
    if candidate is None:
        return [[] for _choice in choices]
    ctx = Context.load(candidate)
    skipped = set(leave_out)
    ctx.registrations = [r for r in ctx.registrations if r.pk not in skipped]
    passed = dict(Result.objects.filter(candidate=candidate, passed=True).order_by("taken_on")
                  .values_list("part_id", "taken_on"))  # the latest pass of each part last, so it stays
    return [notices(ctx, choice, passed) for choice in choices]


def filter_sessions(candidate: Candidate | None, sessions: Iterable[ExamSession],
                    part: ExamPart | None = None) -> list[tuple[ExamSession, list[Reason]]]:
    """Each session (with ``part``, or its first part) and the reasons it is not offered."""
    choices = [Choice(s, p) for s in sessions if (p := part or next(iter(s.parts.all()), None)) is not None]
    return [(choice.session, reasons) for choice, reasons in zip(choices, reasons_for(candidate, choices))]
