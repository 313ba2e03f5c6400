"""Exam sessions: one or more parts sat together in one room at one time."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExamSession(models.Model):
    """A sitting. ``seats_booked`` is kept in the same transaction as the registrations that take seats,
    under a row lock, and a check constraint stops it from ever exceeding the capacity."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for booking")
        CLOSED = "closed", _("closed for booking")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    parts = models.ManyToManyField("exams.ExamPart", related_name="sessions")
    room = models.ForeignKey("exams.Room", on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField()
    seats_booked = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    registration_closes_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False, help_text=_("Bumped by every roster edit."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "room"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_order"),
            models.CheckConstraint(
                condition=models.Q(seats_booked__lte=models.F("capacity")), name="session_never_overbooked"
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        """'Amsterdam, Computerzaal 1 2026-12-07 09:00': the time as the location's clock shows it (the
        admin's titles and pickers name a sitting by it), not the UTC it is stored in."""
        return f"{self.room} {self.local_starts_at:%Y-%m-%d %H:%M}"

    @property
    def seats_left(self) -> int:
        """For display only: booking recounts under a lock."""
        return max(0, self.capacity - self.seats_booked)

    @property
    def location(self):
        return self.room.location

    @property
    def local_starts_at(self):
        return self.room.location.local(self.starts_at)
