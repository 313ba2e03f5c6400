"""The signed PDFs of a document, in Dutch and English, rendered once and kept in private storage."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from .issuance import document_data
from .keys import pki_source
from .models import Document
from .signing import render_and_sign


def document_pdfs_render(*, document_id: int) -> str:
    """Render and sign both languages unless done already (a retried task does nothing twice)."""
    document = Document.objects.select_related("candidate").get(pk=document_id)
    if document.pdf_nl and document.pdf_en:
        return "already rendered"
    data, source = document_data(document), pki_source()
    files = {language: render_and_sign(data, source, language) for language in ("nl", "en")}
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document_id)
        if locked.pdf_nl and locked.pdf_en:
            return "already rendered"
        for language, pdf in files.items():
            getattr(locked, f"pdf_{language}").save(f"{locked.number}-{language}.pdf", ContentFile(pdf), save=False)
        locked.save(update_fields=["pdf_nl", "pdf_en"])
    return "rendered"


def document_pdf(document: Document, language: str) -> bytes:
    """The signed PDF, rendering it now if the background job has not yet."""
    field = getattr(document, f"pdf_{language}")
    if not field:
        document_pdfs_render(document_id=document.pk)
        document.refresh_from_db()
        field = getattr(document, f"pdf_{language}")
    with field.open("rb") as handle:
        return handle.read()


def documents_render_chunk(*, document_ids: list[int], languages: tuple[str, ...] = ("nl", "en")) -> int:
    """Render and sign many documents with this process's signer (built once per process); documents that
    already have their PDFs are skipped, so a retried chunk does no work twice."""
    from .signing import sign_chunk

    documents = [d for d in Document.objects.filter(pk__in=document_ids).select_related("candidate")
                 if not all(getattr(d, f"pdf_{language}") for language in languages)]
    if not documents:
        return 0
    by_number = {d.number: d for d in documents}
    signed = sign_chunk([document_data(d) for d in documents], pki_source(), languages=languages)
    for data, language, pdf in signed:
        document = by_number[data.number]
        getattr(document, f"pdf_{language}").save(f"{document.number}-{language}.pdf", ContentFile(pdf), save=False)
    Document.objects.bulk_update(documents, [f"pdf_{language}" for language in languages])
    return len(documents)
