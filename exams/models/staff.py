"""Examiners and other exam staff: qualifications, availability, conflicts of interest, assignments."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    EXAMINATOR = "examinator", _("examiner")  # in Dutch: examinator
    SECOND_EXAMINER = "second_examiner", _("second examiner / reporter")
    INVIGILATOR = "invigilator", _("invigilator")
    RATER = "rater", _("rater")


def new_feed_key() -> str:
    """A random secret for an examiner's calendar-feed link."""
    return secrets.token_urlsafe(32)


class Examiner(models.Model):
    """A member of the exam staff (examinators, second examiners, invigilators and raters)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="examiner"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField()
    home_location = models.ForeignKey(
        "exams.Location", on_delete=models.PROTECT, null=True, blank=True, related_name="home_examiners"
    )
    willing_locations = models.ManyToManyField("exams.Location", blank=True, related_name="willing_examiners")
    max_travel_km = models.PositiveSmallIntegerField(default=60)
    max_sessions_per_day = models.PositiveSmallIntegerField(default=6)
    max_sessions_per_week = models.PositiveSmallIntegerField(default=20)
    school = models.CharField(max_length=200, blank=True, help_text=_("Where the examiner teaches."))
    last_taught_exam_class = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("Year."))
    availability_locked = models.BooleanField(
        default=False, help_text=_("Set by planners before a planning deadline: the examiner can no longer change it."))
    active = models.BooleanField(default=True)
    feed_key = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False, default=new_feed_key,
        help_text=_("The secret in the examiner's calendar-feed link; a new one makes the old link stop "
                    "working."))

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def feed_key_renew(self) -> str:
        """A new random calendar-feed key (the link with the old one then finds nothing)."""
        self.feed_key = new_feed_key()
        self.save(update_fields=["feed_key"])
        return self.feed_key


class Qualification(models.Model):
    """What an examiner may do: a role for a part, or for a subject at a level (VO)."""

    examiner = models.ForeignKey(Examiner, on_delete=models.CASCADE, related_name="qualifications")
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    part = models.ForeignKey("exams.ExamPart", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    subject = models.ForeignKey("exams.Subject", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    level = models.CharField(max_length=20, blank=True)
    family = models.ForeignKey("exams.ExamFamily", on_delete=models.CASCADE, related_name="+")
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["examiner", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["examiner", "role", "family", "part", "subject", "level"], name="qualification_unique"
            ),
        ]

    def __str__(self) -> str:
        what = self.part.code if self.part_id else (f"{self.subject} {self.level}" if self.subject_id else "")
        return f"{self.examiner}: {self.get_role_display()} {what}".strip()


class Availability(models.Model):
    """A window in which an examiner can (or, as an exception, cannot) work.

    A weekly pattern has a weekday; an exception has a date and overrides the pattern on that day."""

    examiner = models.ForeignKey(Examiner, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(6)])
    on_date = models.DateField(null=True, blank=True)
    starts = models.TimeField()
    ends = models.TimeField()
    available = models.BooleanField(default=True)
    location = models.ForeignKey(
        "exams.Location", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = _("availability")
        ordering = ["examiner", "on_date", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends__gt=models.F("starts")), name="availability_order"),
            models.CheckConstraint(
                condition=(models.Q(weekday__isnull=False, on_date__isnull=True)
                           | models.Q(weekday__isnull=True, on_date__isnull=False)),
                name="availability_weekday_xor_date",
            ),
        ]

    def clean(self) -> None:
        if (self.weekday is None) == (self.on_date is None):
            raise ValidationError(_("Give either a weekday (a weekly pattern) or a date (an exception)."))


class ConflictOfInterest(models.Model):
    """An examiner may not examine this candidate, or anyone from this school or language school."""

    examiner = models.ForeignKey(Examiner, on_delete=models.CASCADE, related_name="conflicts")
    candidate = models.ForeignKey(
        "exams.Candidate", on_delete=models.CASCADE, null=True, blank=True, related_name="conflicts"
    )
    school = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=200)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(candidate__isnull=False) | ~models.Q(school=""), name="conflict_names_someone"
            ),
        ]


class StaffAssignment(models.Model):
    """An examiner in a role at a session, as proposed by the solver or a planner."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        PUBLISHED = "published", _("published")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    session = models.ForeignKey("exams.ExamSession", on_delete=models.CASCADE, related_name="staff")
    examiner = models.ForeignKey(Examiner, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    pinned = models.BooleanField(default=False, help_text=_("The solver never moves a pinned assignment."))
    decline_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session__starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "examiner"], name="assignment_once_per_session"),
        ]

    @property
    def calendar_sequence(self) -> int:
        """The SEQUENCE of the duty's calendar event (UID ``assignment-<pk>``), in the feed and in e-mails
        alike: its session's version, which every change of the duty the calendar shows raises (an answer,
        a withdrawal, another examiner, a cancelled sitting), so calendar apps take the newer copy."""
        return self.session.version
