"""Issued documents, result imports, inspection/objection requests and print batches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    """A diploma or certificate, issued once: ``issuance_key`` names what it certifies, and is unique."""

    class Kind(models.TextChoices):
        DIPLOMA = "diploma", _("diploma")
        CERTIFICATE = "certificate", _("certificate")
        GRADE_LIST = "grade_list", _("grade list")
        PE_CERTIFICATE = "pe_certificate", _("PE certificate")

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        REVOKED = "revoked", _("revoked")

    candidate = models.ForeignKey("exams.Candidate", on_delete=models.PROTECT, related_name="documents")
    family = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    issuance_key = models.CharField(max_length=120, db_index=True)
    number = models.CharField(max_length=40, unique=True)
    verification_code = models.CharField(max_length=200, unique=True)
    exam_nl = models.CharField(max_length=200)
    exam_en = models.CharField(max_length=200)
    parts = models.JSONField(default=list, help_text=_("What it certifies: names, dates, grades."))
    basis = models.JSONField(default=list, help_text=_("Ids of the results it rests on."))
    issued_on = models.DateField()
    pe_period_start = models.DateField(null=True, blank=True)
    pe_period_end = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID, db_index=True)
    revoked_reason = models.CharField(max_length=200, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    pdf_nl = models.FileField(upload_to="documents/", blank=True)
    pdf_en = models.FileField(upload_to="documents/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            # Exactly one valid document per thing certified; a revoked one may later be replaced.
            models.UniqueConstraint(fields=["issuance_key"], condition=models.Q(status="valid"),
                                    name="document_one_valid_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class ResultImport(models.Model):
    """One delivered batch of results. The same content twice is recognised by its digest."""

    source = models.CharField(max_length=60)
    digest = models.CharField(max_length=64, unique=True)
    rows = models.PositiveIntegerField()
    created = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class ResultRequest(models.Model):
    """A candidate asks to inspect a failed exam, or objects to a result; staff handle it in a queue."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("inspection")
        OBJECTION = "objection", _("objection")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        UPHELD = "upheld", _("upheld: result changed")
        REJECTED = "rejected", _("rejected: result stands")
        DONE = "done", _("done")

    result = models.ForeignKey("exams.Result", on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    reason = models.TextField(max_length=2000)
    decision_note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["result", "kind"], condition=models.Q(status="open"),
                                    name="resultrequest_one_open_per_kind"),
        ]


class PrintBatch(models.Model):
    """Documents printed together on security paper: one PDF, sorted by postcode, with address sheets."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    output = models.FileField(upload_to="print/", blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = _("print batches")

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class PrintBatchItem(models.Model):
    """A document's place in a batch. Rendered pages are kept per item, so a crashed batch resumes where
    it stopped and no document is printed twice."""

    batch = models.ForeignKey(PrintBatch, on_delete=models.CASCADE, related_name="items")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="print_items")
    position = models.PositiveIntegerField()
    pages = models.FileField(upload_to="print/items/", blank=True)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "document"], name="printitem_once_per_batch"),
            models.UniqueConstraint(fields=["batch", "position"], name="printitem_position_unique"),
        ]
