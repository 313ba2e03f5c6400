"""Bookings and the registrations inside them, with every status change kept in an audit log."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    HELD = "held", _("held while paying")
    PENDING_PAYMENT = "pending_payment", _("waiting for payment")
    CONFIRMED = "confirmed", _("confirmed")
    CHANGED = "changed", _("changed to another sitting")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired unpaid")
    REFUNDED = "refunded", _("refunded")
    NO_SHOW = "no_show", _("did not show up")
    SAT = "sat", _("sat the exam")
    RESULT_KNOWN = "result_known", _("result known")


#: The lifecycle: every status a registration may move to from each status. Anything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    "held": frozenset({"pending_payment", "confirmed", "cancelled", "expired"}),
    "pending_payment": frozenset({"confirmed", "cancelled", "expired"}),
    "confirmed": frozenset({"changed", "cancelled", "no_show", "sat"}),
    "cancelled": frozenset({"refunded"}),
    "sat": frozenset({"result_known"}),
    "changed": frozenset(),
    "expired": frozenset(),
    "refunded": frozenset(),
    "no_show": frozenset(),
    "result_known": frozenset(),
}

#: Statuses in which a registration occupies a seat in its session.
SEAT_TAKING = frozenset({"held", "pending_payment", "confirmed", "sat", "no_show", "result_known"})


class Booking(models.Model):
    """What a candidate books in one go: one or several parts, paid together."""

    class Status(models.TextChoices):
        HELD = "held", _("held while paying")
        PENDING_PAYMENT = "pending_payment", _("waiting for payment")
        CONFIRMED = "confirmed", _("confirmed")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("expired unpaid")

    candidate = models.ForeignKey("exams.Candidate", on_delete=models.PROTECT, related_name="bookings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.HELD, db_index=True)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=100, blank=True, help_text=_("Makes a replayed request a no-op."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="booking_amount_positive"),
            models.UniqueConstraint(
                fields=["candidate", "idempotency_key"], condition=~models.Q(idempotency_key=""),
                name="booking_idempotency_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"booking {self.pk} of {self.candidate}"


class Registration(models.Model):
    """One candidate for one part in one session."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="registrations")
    candidate = models.ForeignKey("exams.Candidate", on_delete=models.PROTECT, related_name="registrations")
    session = models.ForeignKey("exams.ExamSession", on_delete=models.PROTECT, related_name="registrations")
    part = models.ForeignKey("exams.ExamPart", on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices, default="held", db_index=True)
    fee = models.DecimalField(max_digits=8, decimal_places=2)
    seat_number = models.PositiveSmallIntegerField(null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session__starts_at"]
        constraints = [
            # A candidate holds at most one live registration for a part in a session.
            models.UniqueConstraint(
                fields=["candidate", "session", "part"],
                condition=models.Q(status__in=sorted(SEAT_TAKING)),
                name="registration_one_live_per_candidate_session_part",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} – {self.part.code} ({self.status})"

    @property
    def takes_seat(self) -> bool:
        return self.status in SEAT_TAKING

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]


class RegistrationEvent(models.Model):
    """One status change of a registration: the audit log of its lifecycle (append-only)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class PlacementRequest(models.Model):
    """A candidate the agency places rather than one who books: a VO oral or written exam, a paper
    registration, a waiting-list entry, someone moved by a disruption. The solver turns these into
    registrations; what it cannot place stays here with the reason."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting to be placed")
        PLACED = "placed", _("placed")
        UNPLACEABLE = "unplaceable", _("could not be placed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Source(models.TextChoices):
        STATE_EXAM = "state_exam", _("state exam registration")
        WAITING_LIST = "waiting_list", _("waiting list")
        PAPER = "paper", _("paper registration")
        DISRUPTION = "disruption", _("moved by a disruption")

    candidate = models.ForeignKey("exams.Candidate", on_delete=models.CASCADE, related_name="placement_requests")
    part = models.ForeignKey("exams.ExamPart", on_delete=models.PROTECT, related_name="placement_requests")
    source = models.CharField(max_length=20, choices=Source.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING, db_index=True)
    preferred_location = models.ForeignKey(
        "exams.Location", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    earliest = models.DateField(null=True, blank=True)
    latest = models.DateField(null=True, blank=True)
    registration = models.OneToOneField(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="placement_request"
    )
    reason = models.TextField(blank=True, help_text=_("Why the solver could not place it, in words."))
    pinned = models.BooleanField(default=False, help_text=_("The solver keeps a pinned placement where it is."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "part"],
                condition=models.Q(status__in=["waiting", "placed"]),
                name="placementrequest_one_open_per_part",
            ),
        ]


class Result(models.Model):
    """The outcome of one exam part for a candidate, from a scoring partner or an examiner committee."""

    candidate = models.ForeignKey("exams.Candidate", on_delete=models.PROTECT, related_name="results")
    part = models.ForeignKey("exams.ExamPart", on_delete=models.PROTECT, related_name="results")
    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, null=True, blank=True, related_name="result"
    )
    score = models.DecimalField(max_digits=6, decimal_places=2)
    passed = models.BooleanField()
    taken_on = models.DateField()
    released_at = models.DateTimeField(null=True, blank=True, help_text=_("Shown to the candidate from then on."))
    source = models.CharField(max_length=40, help_text=_("Who delivered it: a scoring partner, a committee."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "part", "taken_on"], name="result_one_per_part_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} {self.part.code} {self.score} ({'pass' if self.passed else 'fail'})"

    @property
    def score_shown(self) -> Decimal | None:
        """The score as its scale writes it: the column keeps two decimals for every family, but an NT2 score
        is a whole number (512, not 512.00) and a VO grade has the decimals it was given (6.5, not 6.50).
        None for a part that is only passed or failed (inburgering): its 1 or 0 means nothing to a reader."""
        if self.part.score_scale == self.part.Scale.PASS_FAIL:
            return None
        if self.score == self.score.to_integral_value():
            return self.score.quantize(Decimal(1))
        return self.score.normalize()
