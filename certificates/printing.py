"""Batch printing on security paper: one print-ready PDF, sorted by postcode, an address sheet per holder.

Each document's pages are rendered and stored on its batch item before the batch moves on, so a run that
crashes resumes where it stopped; the final file is assembled from the items in order, so no document can
appear twice.
"""

from __future__ import annotations

import io
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from exams.jobs.outbox import enqueue
from exams.models import User

from .issuance import document_data
from .models import Document, PrintBatch, PrintBatchItem
from .render import render_print_batch

logger = logging.getLogger("exams.certificates")
PROGRESS_EVERY = 25


def print_batch_create(*, documents, created_by: User | None) -> PrintBatch:
    """A batch of the given valid documents, in postcode order (what the mail room sorts by)."""
    ordered = sorted(documents.filter(status=Document.Status.VALID).select_related("candidate"),
                     key=lambda d: (d.candidate.country, d.candidate.postcode.replace(" ", ""), d.number))
    with transaction.atomic():
        batch = PrintBatch.objects.create(created_by=created_by, total=len(ordered))
        PrintBatchItem.objects.bulk_create(
            [PrintBatchItem(batch=batch, document=d, position=i) for i, d in enumerate(ordered)])
        _queue(batch.pk)
    return batch


def _queue(batch_id: int) -> None:
    from . import tasks

    enqueue(tasks.print_batch, batch_id)


def print_batch_run(*, batch_id: int) -> str:
    batch = PrintBatch.objects.get(pk=batch_id)
    if batch.status == PrintBatch.Status.DONE:
        return "already done"
    PrintBatch.objects.filter(pk=batch_id).update(status=PrintBatch.Status.RUNNING)
    pending = batch.items.filter(pages="").select_related("document__candidate").order_by("position")
    done = batch.total - pending.count()
    for item in pending.iterator(chunk_size=200):
        pdf = render_print_batch([document_data(item.document)], language=item.document.candidate.language)
        item.pages.save(f"batch{batch_id}-{item.position:06d}.pdf", ContentFile(pdf), save=True)
        done += 1
        if done % PROGRESS_EVERY == 0:
            PrintBatch.objects.filter(pk=batch_id).update(done=done)
    output = _assemble(batch)
    with transaction.atomic():
        locked = PrintBatch.objects.select_for_update().get(pk=batch_id)
        locked.output.save(f"print-batch-{batch_id}.pdf", ContentFile(output), save=False)
        locked.status, locked.done, locked.finished_at = PrintBatch.Status.DONE, batch.total, timezone.now()
        locked.save()
    logger.info("print batch %s done: %s documents", batch_id, batch.total)
    return "done"


def _assemble(batch: PrintBatch) -> bytes:
    writer = PdfWriter()
    for item in batch.items.order_by("position"):
        with item.pages.open("rb") as handle:
            writer.append(io.BytesIO(handle.read()))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
