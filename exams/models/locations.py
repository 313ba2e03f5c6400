"""Where exams are held: locations with their rooms, opening hours and closures."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Location(models.Model):
    """An exam location: a test centre, a school, an exam institute, or the office on Bonaire."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    families = models.ManyToManyField("exams.ExamFamily", related_name="locations", blank=True)
    street = models.CharField(max_length=200)
    postcode = models.CharField(max_length=12)
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=2, default="NL")
    latitude = models.DecimalField(
        max_digits=8, decimal_places=5, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.DecimalField(
        max_digits=8, decimal_places=5, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    timezone = models.CharField(max_length=50, default="Europe/Amsterdam", validators=[validate_timezone])
    #: Whose public holidays the location keeps (``scheduling.holidays``): the European Netherlands, or one of
    #: the islands of the Caribbean Netherlands by its ISO 3166-2 code.
    region = models.CharField(
        max_length=5, blank=True, default="",
        choices=[("", _("European Netherlands")), ("BQ-BO", "Bonaire"), ("BQ-SE", "Sint Eustatius"),
                 ("BQ-SA", "Saba")],
        help_text=_("Whose public holidays apply: no exams are planned on them."),
    )
    route_description = models.TextField(blank=True, help_text=_("How to get there; printed on the summons."))
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the location's own time: Bonaire runs on UTC−4 all year."""
        return moment.astimezone(self.zone)

    def distance_km(self, latitude: float, longitude: float) -> float:
        return haversine_km(float(self.latitude), float(self.longitude), latitude, longitude)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; good enough to rank locations by travel distance."""
    radius = 6371.0
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


class Room(models.Model):
    """A room at a location; the solver reads its seats and equipment."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=100)
    seats = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    computer_seats = models.PositiveSmallIntegerField(default=0)
    wheelchair_accessible = models.BooleanField(default=False)
    separate_room_ok = models.BooleanField(
        default=False, help_text=_("Small enough to seat a candidate alone (a provision).")
    )
    oral_room = models.BooleanField(default=False, help_text=_("Suitable for an oral exam committee."))
    preparation_room = models.BooleanField(default=False, help_text=_("Candidates prepare for orals here."))
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["location__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["location", "name"], name="room_unique_name_per_location"),
            models.CheckConstraint(
                condition=models.Q(computer_seats__lte=models.F("seats")), name="room_computer_seats_within_seats"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location.name} – {self.name}"


class OpeningHours(models.Model):
    """When a location is open on a weekday (0 = Monday), in its own time zone."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["location", "weekday", "opens"]
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(condition=models.Q(closes__gt=models.F("opens")), name="openinghours_order"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="openinghours_weekday"),
        ]


class Closure(models.Model):
    """A location or one room closed for a period (holiday, renovation, a fire alarm)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closures")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, null=True, blank=True, related_name="closures")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="closure_order"),
        ]

    def clean(self) -> None:
        if self.room_id and self.room.location_id != self.location_id:
            raise ValidationError({"room": _("The room belongs to another location.")})
