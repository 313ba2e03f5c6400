"""The caller's own data: profile, registrations and (for exam staff) qualifications; duties are in duties.py.

Object-level permissions are enforced by the querysets: another user's object is simply not found (404),
so ids cannot be probed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from exams import identity, selectors
from exams.errors import NotFound, RuleViolation
from exams.models import Candidate, Qualification, Registration, User
from exams.models.registrations import RegistrationStatus
from exams.models.staff import StaffRole

from .errors import ErrorBody
from .fields import Money, choice_of
from .openapi import download
from .paging import PAGED, DatedPage, on_days, page_of

router = Router(tags=["me"])


class ProfileOut(Schema):
    email: str
    role: choice_of(User.Role)
    language: str
    first_name: str | None = None
    last_name: str | None = None
    birth_date: date | None = None
    phone: str | None = None
    national_id: str | None = Field(None, description="Masked: only the last three digits are shown.")


class ProfileUpdate(Schema):
    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, min_length=1, max_length=100)
    phone: str | None = Field(None, max_length=30, pattern=r"^[0-9+() \-]*$")
    language: Literal["nl", "en"] | None = None


class RegistrationOut(Schema):
    id: int
    booking_id: int
    session_id: int
    part: str
    location: str
    starts_at: datetime
    status: choice_of(RegistrationStatus)
    fee: Money

    @staticmethod
    def resolve_part(reg: Registration) -> str:
        return reg.part.code

    @staticmethod
    def resolve_location(reg: Registration) -> str:
        return reg.session.room.location.code

    @staticmethod
    def resolve_starts_at(reg: Registration) -> datetime:
        return reg.session.room.location.local(reg.session.starts_at)


class QualificationOut(Schema):
    role: choice_of(StaffRole)
    family: str = Field(description="Exam family code")
    subject: str | None = Field(None, description="Subject code (state exam orals)")
    level: str = ""
    part: str | None = Field(None, description="Exam part code, where the qualification is for one part")
    valid_until: date | None = Field(None, description="Last day it holds; none: no end")
    valid_today: bool

    @staticmethod
    def resolve_family(q: Qualification) -> str:
        return q.family.code

    @staticmethod
    def resolve_subject(q: Qualification) -> str | None:
        return q.subject.code if q.subject_id else None

    @staticmethod
    def resolve_part(q: Qualification) -> str | None:
        return q.part.code if q.part_id else None

    @staticmethod
    def resolve_valid_today(q: Qualification) -> bool:
        return q.valid_until is None or q.valid_until >= timezone.localdate()


def candidate_of(user: User) -> Candidate | None:
    """The account's candidate profile, if it has one (bearer-token authentication has loaded it already)."""
    try:
        return user.candidate
    except Candidate.DoesNotExist:
        return None


def _profile(request: HttpRequest) -> dict:
    user = request.auth
    data = {"email": user.email, "role": user.role, "language": user.language}
    candidate = candidate_of(user)
    if candidate is not None:
        data.update(
            first_name=candidate.first_name,
            last_name=candidate.last_name,
            birth_date=candidate.birth_date,
            phone=candidate.phone,
            national_id=candidate.national_id_masked or None,
        )
    return data


@router.get("/me", summary="Get your account and profile", response=ProfileOut)
def me_detail(request: HttpRequest) -> dict:
    """The caller's account and, for a candidate, their profile (the national id masked)."""
    return _profile(request)


@router.patch("/me", summary="Change your profile or language",
              response={200: ProfileOut, 404: ErrorBody, 422: ErrorBody})
def me_update(request: HttpRequest, payload: ProfileUpdate) -> dict:
    """Change the language or, for a candidate, name and phone; only the fields sent change. 404 `not_found`
    for candidate fields on an account without a candidate profile."""
    changes = payload.dict(exclude_unset=True)
    with transaction.atomic():
        user = request.auth
        if "language" in changes and changes["language"] is not None:
            user.language = changes["language"]
            user.save(update_fields=["language"])
        candidate_fields = {k: v for k, v in changes.items() if k != "language" and v is not None}
        if candidate_fields.get("phone"):
            try:
                candidate_fields["phone"] = identity.phone_check(candidate_fields["phone"])
            except ValueError as error:
                raise RuleViolation(str(error), code="invalid_phone", details={"field": "phone"}) from error
        if candidate_fields:
            candidate = Candidate.objects.select_for_update().filter(user=user).first()
            if candidate is None:
                raise NotFound(_("This account has no candidate profile; complete your profile first."))
            for name, value in candidate_fields.items():
                setattr(candidate, name, value)
            candidate.full_clean()
            candidate.save()
            user.candidate = candidate  # the profile shown next is the one just saved
    return _profile(request)


@router.get("/me/registrations", summary="List your registrations",
            response={200: list[RegistrationOut], 422: ErrorBody}, openapi_extra=PAGED)
def my_registrations(request: HttpRequest, response: HttpResponse,
                     page: Query[DatedPage]) -> list[Registration]:
    """The caller's registrations by the sitting's start, a page at a time (the total in X-Total-Count);
    the dates narrow by the sitting's day."""
    registrations = selectors.registrations_of(request.auth).order_by("session__starts_at", "pk")
    return page_of(on_days(registrations, "session__starts_at", page), page, response)


@router.get("/registrations/{registration_id}", summary="Get one of your registrations",
            response={200: RegistrationOut, 404: ErrorBody})
def registration_detail(request: HttpRequest, registration_id: int) -> Registration:
    """One of the caller's registrations (an exam part in a sitting); another's is not found."""
    return get_object_or_404(selectors.registrations_of(request.auth), pk=registration_id)


@router.get("/me/qualifications", summary="List your qualifications", response=list[QualificationOut])
def my_qualifications(request: HttpRequest) -> list[Qualification]:
    """What the caller may do as exam staff and until when; empty for anyone else."""
    return list(selectors.qualifications_of(request.auth))


@router.get("/me/export", summary="Download all your data", response={200: None, 404: ErrorBody},
            openapi_extra=download("application/zip", "data.json and the candidate's files."))
def my_data_export(request: HttpRequest):
    """Everything stored about the caller as a candidate: a zip with data.json and their files."""
    from exams.privacy import export_response

    candidate = get_object_or_404(Candidate, user=request.auth)
    return export_response(candidate=candidate, actor=request.auth, request=request, filename="my-data.zip")


@router.get("/candidates/{candidate_id}/export", summary="Export a candidate's data",
            response={200: None, 403: ErrorBody, 404: ErrorBody},
            openapi_extra=download("application/zip", "data.json and the candidate's files."))
def candidate_data_export(request: HttpRequest, candidate_id: int):
    """For an authorised officer (planner or administrator) answering a request for access."""
    from exams.errors import Forbidden
    from exams.privacy import export_response

    if not request.auth.is_planner:
        raise Forbidden(_("Only authorised officers can export someone else's data."))
    candidate = get_object_or_404(Candidate, pk=candidate_id)
    return export_response(candidate=candidate, actor=request.auth, request=request,
                           filename=f"candidate-{candidate.pk}.zip")
