"""Planning runs: a solver job with its input snapshot, live progress, result and explanations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanningRun(models.Model):
    """One run of the solver. The input is stored as a scenario snapshot so any run can be replayed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    family = models.CharField(max_length=20, blank=True)
    date_from = models.DateField()
    date_to = models.DateField()
    location_codes = models.JSONField(default=list, blank=True)
    time_limit = models.PositiveIntegerField()
    seed = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    cancel_requested = models.BooleanField(default=False)
    elapsed = models.FloatField(default=0)
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    stage = models.CharField(max_length=100, blank=True)
    solver_status = models.CharField(max_length=20, blank=True)
    snapshot = models.TextField(blank=True, help_text=_("The scenario given to the solver (JSON)."))
    result = models.TextField(blank=True, help_text=_("The solver's result (JSON)."))
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"planning run {self.pk} ({self.status})"
