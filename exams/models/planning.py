"""Planning runs: a solver job with its input snapshot, live progress, result and explanations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import ExamFamily


class SolverJob(models.Model):
    """What every solver job on a page keeps: the window it plans, its time limit and seed (a run is
    reproducible from its input and seed), who started it and when it started and ended, time used and,
    if it failed, why. Progress and results differ per kind and live on the concrete models."""

    date_from = models.DateField()
    date_to = models.DateField()
    time_limit = models.PositiveIntegerField()
    seed = models.PositiveIntegerField(default=0)
    elapsed = models.FloatField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class PlanningRun(SolverJob):
    """One run of the solver. The input is stored as a scenario snapshot so any run can be replayed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    family = models.CharField(max_length=20, blank=True)
    location_codes = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    cancel_requested = models.BooleanField(default=False)
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    stage = models.CharField(max_length=100, blank=True)
    solver_status = models.CharField(max_length=20, blank=True)
    snapshot = models.TextField(blank=True, help_text=_("The scenario given to the solver (JSON)."))
    result = models.TextField(blank=True, help_text=_("The solver's result (JSON)."))
    summary = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta(SolverJob.Meta):
        pass

    @property
    def stage_label(self) -> str:
        """The solver's current stage in the reader's language."""
        from ..planning.progress import stage_label

        return stage_label(self.stage)

    def __str__(self) -> str:
        return f"planning run {self.pk} ({self.status})"

    @property
    def family_label(self) -> str:
        """The exam family's name, or empty for a run over every family."""
        return str(ExamFamily.Code(self.family).label) if self.family in ExamFamily.Code.values else self.family


class RosterVersion(models.Model):
    """One publish of a roster, or the undo of one. ``before`` and ``after`` are the roster of the scope in
    the solver's terms (solution JSON) as it stood before and after; ``changes`` lists who moved, was added
    or removed, so the version can be read, compared and undone by publishing ``before`` again."""

    class Kind(models.TextChoices):
        PUBLISH = "publish", _("publish")
        UNDO = "undo", _("undo")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PUBLISH)
    run = models.ForeignKey(PlanningRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="versions")
    reverts = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="reverted_by")
    scope = models.JSONField(default=dict, help_text=_("Family, period and locations the version covers."))
    scenario = models.TextField(help_text=_("The scenario the roster was written with (JSON)."))
    before = models.TextField(help_text=_("The scope's roster before this version (solution JSON)."))
    after = models.TextField(help_text=_("The scope's roster after this version (solution JSON)."))
    changes = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    notified = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"roster version {self.pk} ({self.kind})"


class WrittenPlanRun(SolverJob):
    """One planning of a VO written period's national dates (``exams.planning.written_runs``): the form's
    input, live progress while the exam-timetabling core runs in a worker, and the timetable it found as a
    preview. Nothing of the period's ``FixedExamDate`` rows changes until a planner applies it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Period(models.TextChoices):
        FIRST = "first", _("first period")
        RESIT_JUNE = "resit-june", _("re-sit June")
        RESIT_AUGUST = "resit-august", _("re-sit August")

    period = models.CharField(max_length=20, choices=Period.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    best_penalty = models.IntegerField(null=True, blank=True, help_text=_("The best penalty found so far."))
    timetable = models.JSONField(default=dict, blank=True,
                                 help_text=_("The slot of every exam part by code: day, start and length."))
    penalty = models.IntegerField(null=True, blank=True)
    breakdown = models.JSONField(default=list, blank=True,
                                 help_text=_("The penalty per rule, with its wording."))
    reason = models.JSONField(null=True, blank=True, help_text=_("Why there is no timetable (a wording)."))
    enrolled = models.JSONField(default=dict, blank=True, help_text=_("Candidates per exam part code."))
    candidates = models.PositiveIntegerField(default=0)
    seats = models.PositiveIntegerField(default=0)
    error_code = models.CharField(max_length=40, blank=True)
    stop_requested = models.BooleanField(default=False, help_text=_(
        "The planner asked to stop: the plan ends with the best timetable found so far."))
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta(SolverJob.Meta):
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"written plan {self.pk} ({self.period}, {self.status})"

    @property
    def live(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Disruption(models.Model):
    """A disruption a planner reported: an examiner absent, or a location or one of its rooms closed, for a
    period, with the reason and who reported it. The duties and sittings it touches show up as holes and in
    the next planning run over the period (a repair of the published roster)."""

    class Kind(models.TextChoices):
        EXAMINER = "examiner", _("Examiner absent")
        LOCATION = "location", _("Location closed")
        ROOM = "room", _("Room closed")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    examiner = models.ForeignKey("exams.Examiner", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="disruptions")
    location = models.ForeignKey("exams.Location", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="disruptions")
    room = models.ForeignKey("exams.Room", on_delete=models.CASCADE, null=True, blank=True, related_name="disruptions")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="disruption_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}–{self.ends_on}"

    @property
    def subject(self) -> str:
        """Who or what is out: the examiner, the location, or the room with its location."""
        if self.kind == self.Kind.EXAMINER:
            return str(self.examiner)
        if self.kind == self.Kind.ROOM:
            return f"{self.room.name}, {self.location.name}"
        return self.location.name
