"""What can be examined: families, programmes, parts, fees, pass rules and validity.

Every figure here is data, not code: fees, durations and rules change by year and by regime, so they are
rows a planner edits in the admin. The seed data carries the current published values.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Bilingual(models.Model):
    """A row with a Dutch and an English name; ``name`` picks the active language."""

    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl

    def __str__(self) -> str:
        return self.name


class ExamFamily(Bilingual):
    """One of the four exam families, with the rules that hold for all of its exams."""

    class Code(models.TextChoices):
        NT2 = "nt2", "Staatsexamen NT2"
        INBURGERING = "inburgering", "Inburgering"
        VO = "vo", "Staatsexamens VO"
        WFT = "wft", "Wft"

    code = models.CharField(max_length=20, choices=Code.choices, unique=True)
    max_attempts_per_part_per_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Empty means no limit.")
    )
    one_part_per_day = models.BooleanField(default=False, help_text=_("A candidate sits at most one part a day."))
    registration_closes_days = models.PositiveSmallIntegerField(
        default=0, help_text=_("Registration closes this many days before the exam.")
    )
    refund_until_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Cancelling at least this many days before the exam is refunded.")
    )
    change_allowed = models.BooleanField(default=True, help_text=_("Date and location may be changed online."))
    invoice_until_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Invoice payment allowed until this many days before; empty: never.")
    )
    payment_due_days = models.PositiveSmallIntegerField(default=0)
    summons_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("A summons letter goes out this many days before; empty: none.")
    )
    results_release_days = models.PositiveSmallIntegerField(default=0)
    objection_days = models.PositiveSmallIntegerField(default=21)
    arrival_minutes_before = models.PositiveSmallIntegerField(default=30)
    requires_confidentiality_statement = models.BooleanField(default=False)
    provision_requires_evidence = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = _("exam families")
        ordering = ["code"]


class Programme(Bilingual):
    """A programme, level or regime within a family (NT2 programme II, Wi2021, havo, Wft)."""

    family = models.ForeignKey(ExamFamily, on_delete=models.PROTECT, related_name="programmes")
    code = models.CharField(max_length=30, unique=True)
    level = models.CharField(max_length=20, blank=True, help_text=_("CEFR level or school level."))
    regime = models.CharField(max_length=20, blank=True)
    fee_cap = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, help_text=_("Most a candidate pays in total.")
    )
    diploma_within_years = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["family__code", "code"]


class Subject(Bilingual):
    """A school subject of the state exams (VO)."""

    code = models.CharField(max_length=20, unique=True)

    class Meta:
        ordering = ["code"]


class ExamPartManager(models.Manager):
    """Parts come with their programme: a part is named with it (see ``ExamPart.__str__``)."""

    def get_queryset(self):
        return super().get_queryset().select_related("programme")


class ExamPart(Bilingual):
    """A part that can be booked and sat: NT2 Reading, KNM, havo English oral, Wft Basis."""

    objects = ExamPartManager()

    class Mode(models.TextChoices):
        COMPUTER = "computer", _("computer")
        PAPER = "paper", _("paper")
        ORAL = "oral", _("oral")
        PORTFOLIO = "portfolio", _("portfolio and interview")

    class Scale(models.TextChoices):
        SCALED = "scaled", _("scaled score")
        PERCENT = "percent", _("percentage")
        GRADE = "grade", _("grade 1–10")
        PASS_FAIL = "pass_fail", _("pass or fail")

    class Validity(models.TextChoices):
        FOREVER = "forever", _("valid forever")
        PE_PERIOD = "pe_period", _("valid for its PE period")
        YEARS = "years", _("valid for a number of years")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="parts")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="parts")
    code = models.CharField(max_length=40, unique=True)
    mode = models.CharField(max_length=12, choices=Mode.choices)
    duration_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    preparation_minutes = models.PositiveSmallIntegerField(default=0)
    provision_extra_minutes = models.PositiveSmallIntegerField(
        default=0, help_text=_("Extra time granted by an approved provision.")
    )
    fee = models.DecimalField(max_digits=8, decimal_places=2)
    examiners_required = models.PositiveSmallIntegerField(
        default=0, help_text=_("Examiners per candidate (an oral committee is two).")
    )
    seats_per_invigilator = models.PositiveSmallIntegerField(default=0, help_text=_("0: no invigilator needed."))
    raters_required = models.PositiveSmallIntegerField(default=0)
    score_scale = models.CharField(max_length=12, choices=Scale.choices)
    pass_mark = models.DecimalField(max_digits=6, decimal_places=2)
    validity = models.CharField(max_length=12, choices=Validity.choices, default=Validity.FOREVER)
    validity_years = models.PositiveSmallIntegerField(null=True, blank=True)
    is_required = models.BooleanField(default=True, help_text=_("Needed for the programme's diploma."))
    is_pe = models.BooleanField(default=False, help_text=_("A permanent-education exam (Wft)."))
    requires = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_by", help_text=_("Parts to pass first.")
    )
    sittings_per_year = models.PositiveSmallIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["programme__family__code", "programme__code", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(fee__gte=0), name="exampart_fee_non_negative"),
        ]

    @property
    def family(self) -> ExamFamily:
        return self.programme.family

    @property
    def full_name(self) -> str:
        """Programme and part in the active language ("Staatsexamen NT2 programma I – Schrijven"):
        a part's own name ("Schrijven") is shared by several programmes."""
        return f"{self.programme.name} – {self.name}"

    def __str__(self) -> str:
        """The full name: "Lezen" of NT2 I and of NT2 II must be told apart wherever a part is picked."""
        return self.full_name

    def is_pass(self, score: Decimal) -> bool:
        return score >= self.pass_mark


class FixedExamDate(models.Model):
    """A nationally fixed sitting (VO central written exams): all candidates sit it at the same time."""

    part = models.ForeignKey(ExamPart, on_delete=models.CASCADE, related_name="fixed_dates")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    period = models.CharField(max_length=20, help_text=_("first period, re-sit June, re-sit August"))

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="fixeddate_order"),
            models.UniqueConstraint(fields=["part", "period"], name="fixeddate_one_per_period"),
        ]

    def clashes_with(self, other: FixedExamDate) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def __str__(self) -> str:
        return f"{self.part.code} {self.starts_at:%Y-%m-%d %H:%M}"


class WftQualification(Bilingual):
    """A Wft professional qualification: a set of modules that together earn a vakbekwaamheidsdiploma."""

    code = models.CharField(max_length=40, unique=True)
    modules = models.ManyToManyField(ExamPart, related_name="qualifications")
    rank = models.PositiveSmallIntegerField(
        default=0, help_text=_("Higher ranks include lower ones; only the highest completed is issued.")
    )

    class Meta:
        ordering = ["-rank", "code"]


class PEPeriod(models.Model):
    """A three-year permanent-education period for Wft advisers, from 1 April to 31 March."""

    starts_on = models.DateField(unique=True)
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="peperiod_order"),
        ]

    @staticmethod
    def bounds_for(day: date, first_year: int = 2019, years: int = 3) -> tuple[date, date]:
        """The PE period that contains ``day``; periods start on 1 April of 2019, 2022, 2025, …"""
        year = day.year if day >= date(day.year, 4, 1) else day.year - 1
        start_year = first_year + ((year - first_year) // years) * years
        return date(start_year, 4, 1), date(start_year + years, 3, 31)

    def __str__(self) -> str:
        return f"PE {self.starts_on:%Y}–{self.ends_on:%Y}"
