"""Celery tasks for documents: issuing after results change, rendering PDFs, printing batches."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="certificates.tasks.issue_documents", acks_late=True)
def issue_documents(candidate_id: int) -> int:
    from exams.models import Candidate

    from .issuance import issue_for_candidate

    return len(issue_for_candidate(Candidate.objects.get(pk=candidate_id)))


@shared_task(name="certificates.tasks.render_document_pdfs", acks_late=True)
def render_document_pdfs(document_id: int) -> str:
    from .pdfs import document_pdfs_render

    return document_pdfs_render(document_id=document_id)


@shared_task(name="certificates.tasks.print_batch", acks_late=True)
def print_batch(batch_id: int) -> str:
    from .printing import print_batch_run

    return print_batch_run(batch_id=batch_id)


@shared_task(name="certificates.tasks.release_results")
def release_results() -> int:
    """Periodic: tell candidates their results are out."""
    from .requests import results_release_notify

    return results_release_notify()


@shared_task(name="certificates.tasks.render_documents_chunk", acks_late=True)
def render_documents_chunk(document_ids: list[int], languages: list[str] | None = None) -> int:
    """Render and sign a chunk of documents in this worker process (the unit of a batch issuance)."""
    from .pdfs import documents_render_chunk

    return documents_render_chunk(document_ids=document_ids, languages=tuple(languages or ("nl", "en")))
