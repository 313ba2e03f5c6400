"""People: accounts, candidates with their provisions and deadlines, and API tokens.

Personal data is kept to what the exams need. The national id number is optional and never shown in full:
everything that displays it uses ``national_id_masked``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..uploads import evidence_path


class Language(models.TextChoices):
    DUTCH = "nl", "Nederlands"
    ENGLISH = "en", "English"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True, role=User.Role.ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Candidates, exam staff, planners and administrators all log in with their e-mail."""

    class Role(models.TextChoices):
        CANDIDATE = "candidate", _("candidate")
        EXAMINER = "examiner", _("examiner or other exam staff")
        PLANNER = "planner", _("planner")
        ADMIN = "admin", _("administrator")

    email = models.EmailField(unique=True)
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.CANDIDATE)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.DUTCH)
    email_verified = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text=_("May log in to the admin site."))
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_planner(self) -> bool:
        return self.role in {self.Role.PLANNER, self.Role.ADMIN}


class ApiToken(models.Model):
    """A bearer token for API clients. Only a hash is stored; the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)

    @classmethod
    def issue(cls, user: User) -> str:
        key = cls.new_key()
        lifetime = timedelta(days=settings.EXAMS["API_TOKEN_DAYS"])
        cls.objects.create(user=user, key_hash=cls.hash_key(key), expires_at=timezone.now() + lifetime)
        return key

    def __str__(self) -> str:
        return f"token of {self.user} until {self.expires_at:%Y-%m-%d}"


postcode_validator = RegexValidator(r"^[0-9A-Za-z \-]{3,10}$", _("Enter a valid postcode."))


class Candidate(models.Model):
    """Someone who sits exams. The account is optional: the agency also registers people on paper."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidate"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    birth_date = models.DateField()
    email = models.EmailField()
    phone = models.CharField(max_length=30, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.DUTCH)
    street = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=12, blank=True, validators=[postcode_validator])
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, default="NL")
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    max_travel_km = models.PositiveSmallIntegerField(null=True, blank=True)
    school = models.CharField(max_length=200, blank=True, help_text=_("VO: the school the candidate comes from."))
    national_id = models.CharField(
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{8,9}$", _("A national id number has 8 or 9 digits."))],
        help_text=_("Optional. Never shown in full."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name"]), models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def initials(self) -> str:
        return "".join(f"{part[0]}." for part in self.first_name.split() if part) + f" {self.last_name[:1]}."

    @property
    def national_id_masked(self) -> str:
        if not self.national_id:
            return ""
        return "•" * (len(self.national_id) - 3) + self.national_id[-3:]


class CandidateDeadline(models.Model):
    """A date by which a candidate must pass, such as the three-year integration deadline."""

    class Kind(models.TextChoices):
        INTEGRATION = "integration", _("integration deadline")
        DIPLOMA = "diploma", _("diploma deadline")
        PE = "pe", _("permanent education deadline")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_on = models.DateField()
    extended_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["candidate", "kind"], name="deadline_one_per_kind")]

    @property
    def effective_date(self):
        return self.extended_to or self.due_on


class Provision(models.Model):
    """A special provision a candidate asked for; only approved ones reach booking and the solver."""

    class Kind(models.TextChoices):
        EXTRA_TIME = "extra_time", _("extra time")
        LARGE_PRINT = "large_print", _("large print or large screen")
        SEPARATE_ROOM = "separate_room", _("separate room")
        ACCESSIBLE_ROOM = "accessible_room", _("wheelchair-accessible room")
        ASSISTANCE = "assistance", _("assistance")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="provisions")
    family = models.ForeignKey("exams.ExamFamily", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    extra_minutes = models.PositiveSmallIntegerField(default=0)
    motivation = models.TextField(blank=True, max_length=2000)
    evidence = models.FileField(upload_to=evidence_path, blank=True, max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="extra_time") | models.Q(extra_minutes__gt=0),
                name="provision_extra_time_has_minutes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.candidate}"
