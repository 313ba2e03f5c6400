"""Documents and results in the API: import results, verify a code, the caller's own documents."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from exams.errors import Forbidden, RuleViolation
from exams.models import Result
from portal.api.errors import ErrorBody
from portal.api.fields import choice_of
from portal.api.openapi import download

from . import results as result_services
from .issuance import document_revoke
from .models import Document, ResultRequest
from .numbers import InvalidDocumentNumber
from .pdfs import document_pdf
from .requests import result_request_create
from .verification import NUMBER_MISTYPED, verify, verify_number

router = Router(tags=["documents"])


def _staff(request: HttpRequest) -> None:
    if not (request.auth.is_planner or request.auth.is_staff):
        raise Forbidden(_("Only agency staff may do this."))


class ResultRowIn(Schema):
    candidate_id: int | str
    part: str = Field(max_length=40)
    taken_on: str = Field(max_length=10)
    score: float | str


class ResultBatchIn(Schema):
    source: str = Field(min_length=1, max_length=60)
    rows: list[ResultRowIn] = Field(min_length=1, max_length=10000)


class ImportOut(Schema):
    created: int
    changed: int
    unchanged: int
    already_imported: bool


@router.post("/results", summary="Import results",
             response={201: ImportOut, 200: ImportOut, 403: ErrorBody, 422: ErrorBody})
def results_import(request: HttpRequest, payload: ResultBatchIn):
    """A batch of results from a scoring partner. Checked row by row; applied whole or not at all (422 lists
    every bad row with its number, counting from 1); the same batch twice changes nothing (200)."""
    _staff(request)
    rows = [row.dict() for row in payload.rows]
    outcome = result_services.results_import(rows=rows, source=payload.source, imported_by=request.auth,
                                             first_line=1)
    body = {"created": outcome.created, "changed": outcome.changed, "unchanged": outcome.unchanged,
            "already_imported": outcome.already_imported}
    return Status(200 if outcome.already_imported else 201, body)


class VerifyOut(Schema):
    status: Literal["valid", "revoked", "unknown"]
    kind: str | None = None
    exam_nl: str | None = None
    exam_en: str | None = None
    issued_on: date | None = None
    holder_initials: str | None = None
    holder_birth_year: int | None = None
    number: str | None = None
    revoked_reason: str | None = None
    valid_until: date | None = None


@router.get("/certificates/verify/{code}", summary="Verify a document by its code",
            response=VerifyOut, auth=None)
def certificate_verify(request: HttpRequest, code: str) -> dict:
    """Anyone can check a document with only its code: valid, revoked or unknown, and no more personal data
    than the holder's initials and birth year."""
    return _verdict_out(verify(code))


class VerifyByNumberIn(Schema):
    number: str = Field(max_length=40, description="As printed, in any case, with or without dashes.")
    birth_date: date = Field(description="The holder's date of birth, which the holder gives.")


@router.post("/certificates/verify", summary="Verify a document by its number and date of birth",
             response={200: VerifyOut, 422: ErrorBody, 429: ErrorBody}, auth=None)
def certificate_verify_by_number(request: HttpRequest, payload: VerifyByNumberIn) -> dict:
    """Check a copy without its code: the document number and the holder's date of birth must both match,
    or the answer is ``unknown`` (without saying which did not). A number that fails its own check digits
    is a typo: 422 ``invalid_document_number``. After a few misses for a number, its checks get 429
    ``too_many_checks`` for an hour, so a birth date cannot be found by trying. Sent in the body, so the birth date stays out of addresses
    and logs."""
    try:
        return _verdict_out(verify_number(payload.number, payload.birth_date))
    except InvalidDocumentNumber:
        raise RuleViolation(str(NUMBER_MISTYPED), code="invalid_document_number") from None


def _verdict_out(verdict) -> dict:
    return {**verdict.__dict__, "holder_initials": verdict.initials, "holder_birth_year": verdict.birth_year}


class DocumentOut(Schema):
    id: int
    kind: choice_of(Document.Kind)
    family: str
    number: str
    verification_code: str
    status: choice_of(Document.Status)
    exam_nl: str
    exam_en: str
    issued_on: date
    valid_until: date | None
    download_url: str

    @staticmethod
    def resolve_download_url(document: Document, context) -> str:
        request = context["request"]
        return request.build_absolute_uri(reverse("api:document_pdf", args=[document.pk]))


@router.get("/me/documents", summary="List your diplomas and certificates", response=list[DocumentOut])
def my_documents(request: HttpRequest) -> list[Document]:
    """The caller's diplomas and certificates, each with a link to its signed PDF."""
    return list(Document.objects.filter(candidate__user=request.auth))


@router.get("/me/documents/{document_id}/pdf", summary="Download one of your documents",
            url_name="document_pdf",
            response={200: None, 404: ErrorBody, 422: ErrorBody},
            openapi_extra=download("application/pdf", "The signed PDF, as an attachment."))
def my_document_pdf(request: HttpRequest, document_id: int,
                    language: Literal["nl", "en"] = Query("nl")) -> HttpResponse:
    """The digitally signed PDF, for the holder only."""
    document = get_object_or_404(Document.objects.filter(candidate__user=request.auth), pk=document_id)
    response = HttpResponse(document_pdf(document, language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.number}-{language}.pdf"'
    return response


class RevokeIn(Schema):
    reason: str = Field(min_length=3, max_length=200)


@router.post("/certificates/{document_id}/revoke", summary="Revoke a document",
             response={200: DocumentOut, 403: ErrorBody, 404: ErrorBody})
def certificate_revoke(request: HttpRequest, document_id: int, payload: RevokeIn) -> Document:
    """Revoke a document (fraud, an error), with the reason; verification then says it is revoked. Agency
    staff only."""
    _staff(request)
    return document_revoke(document=get_object_or_404(Document, pk=document_id), reason=payload.reason)


class ResultOut(Schema):
    id: int
    part: str
    taken_on: date
    score: Decimal
    passed: bool

    @staticmethod
    def resolve_part(result: Result) -> str:
        return result.part.code


@router.get("/me/results", summary="List your results", response=list[ResultOut])
def my_results(request: HttpRequest) -> list[Result]:
    """The caller's released results, newest first."""
    return list(Result.objects.filter(candidate__user=request.auth, released_at__lte=timezone.now())
                .select_related("part"))


class RequestIn(Schema):
    kind: Literal["inspection", "objection"]
    reason: str = Field(min_length=3, max_length=2000)


class RequestOut(Schema):
    id: int
    kind: choice_of(ResultRequest.Kind)
    status: choice_of(ResultRequest.Status)
    created_at: datetime


@router.post("/results/{result_id}/requests", summary="Ask to inspect or object to a result",
             response={201: RequestOut, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody})
def result_request(request: HttpRequest, result_id: int, payload: RequestIn):
    """Ask to inspect a failed exam, or object to a result, within the family's deadline."""
    result = get_object_or_404(Result.objects.filter(candidate__user=request.auth, released_at__lte=timezone.now())
                               .select_related("part__programme__family"), pk=result_id)
    return Status(201, result_request_create(result=result, kind=payload.kind, reason=payload.reason))


class WftStatusOut(Schema):
    qualification: str
    name_nl: str
    name_en: str
    status: Literal["qualified", "pe_due", "lapsed"]
    since: date
    period_start: date
    period_end: date


@router.get("/me/wft-status", summary="Get your Wft status",
            response={200: list[WftStatusOut], 404: ErrorBody})
def my_wft_status(request: HttpRequest) -> list:
    """Per Wft qualification held: qualified (PE done or not yet due), PE due by the period's end, or lapsed."""
    from exams.models import Candidate

    from .wft import wft_status

    candidate = get_object_or_404(Candidate, user=request.auth)
    return [status.__dict__ for status in wft_status(candidate)]
