"""Read endpoints for the catalogue: families, parts, locations and bookable sessions."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.renderers import JSONRenderer
from pydantic import Field

from exams import selectors
from exams.models import ExamFamily, ExamPart, ExamSession, Location
from exams.services import eligibility

from .errors import ErrorBody
from .fields import IsoDate, Money, Text, choice_of
from .paging import PAGED, TOTAL_HEADER, check_date_range

router = Router(tags=["catalogue"])


class FamilyOut(Schema):
    code: str
    name_nl: str
    name_en: str
    max_attempts_per_part_per_year: int | None
    one_part_per_day: bool
    refund_until_days: int | None
    invoice_until_days: int | None
    results_release_days: int


class PartOut(Schema):
    code: str
    family: str
    programme: str
    name_nl: str
    name_en: str
    mode: str
    duration_minutes: int
    preparation_minutes: int
    fee: Money
    pass_mark: Decimal
    score_scale: str
    examiners_required: int

    @staticmethod
    def resolve_family(part: ExamPart) -> str:
        return part.programme.family.code

    @staticmethod
    def resolve_programme(part: ExamPart) -> str:
        return part.programme.code


class LocationOut(Schema):
    code: str
    name: str
    street: str
    postcode: str
    city: str
    country: str
    latitude: float
    longitude: float
    timezone: str


NotBookable = Literal["session_not_open", "session_started", "registration_closed", "session_full"]


class SessionOut(Schema):
    id: int
    part: str = Field(description="Code of the (first) part sat in this session.")
    parts: list[str]
    location: str
    room: str
    starts_at: datetime = Field(description="ISO 8601 in the location's own time, with its UTC offset.")
    ends_at: datetime
    capacity: int
    seats_left: int
    status: choice_of(ExamSession.Status)
    bookable: bool = Field(description="Whether a seat can be booked now: open, not started, registration "
                                       "not closed and a seat left (the booking itself checks again).")
    registration_closes_at: datetime | None = Field(description="When registration closes, in the location's "
                                                                "own time; none: when the sitting starts.")
    why_not: NotBookable | None = Field(description="Why it cannot be booked; none when it can.")

    @staticmethod
    def resolve_bookable(session: ExamSession) -> bool:
        return eligibility.session_bookable(session) is None

    @staticmethod
    def resolve_why_not(session: ExamSession) -> str | None:
        reason = eligibility.session_bookable(session)
        return reason.code if reason is not None else None

    @staticmethod
    def resolve_registration_closes_at(session: ExamSession) -> datetime | None:
        closes = session.registration_closes_at
        return session.room.location.local(closes) if closes is not None else None

    @staticmethod
    def resolve_parts(session: ExamSession) -> list[str]:
        return sorted(p.code for p in session.parts.all())

    @staticmethod
    def resolve_part(session: ExamSession) -> str:
        codes = sorted(p.code for p in session.parts.all())
        return codes[0] if codes else ""

    @staticmethod
    def resolve_location(session: ExamSession) -> str:
        return session.room.location.code

    @staticmethod
    def resolve_room(session: ExamSession) -> str:
        return session.room.name

    @staticmethod
    def resolve_starts_at(session: ExamSession) -> datetime:
        return session.room.location.local(session.starts_at)

    @staticmethod
    def resolve_ends_at(session: ExamSession) -> datetime:
        return session.room.location.local(session.ends_at)


class SessionFilters(Schema):
    part: Text | None = Field(None, max_length=40)
    location: Text | None = Field(None, max_length=30)
    family: Text | None = Field(None, max_length=20)
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    bookable: bool | None = Field(None, description="true: only sittings that can be booked now; false: only "
                                                    "those that cannot.")
    limit: int = Field(200, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=2**31 - 1)


@router.get("/families", summary="List the exam families", response=list[FamilyOut], auth=None)
def family_list(request: HttpRequest) -> list[ExamFamily]:
    """The exam families (nt2, inburgering, vo, wft) and their rules: attempts, refund and invoice deadlines,
    when results come."""
    return list(ExamFamily.objects.all())


@router.get("/families/{code}", summary="Get an exam family",
            response={200: FamilyOut, 404: ErrorBody}, auth=None)
def family_detail(request: HttpRequest, code: Text) -> ExamFamily:
    """One exam family by its code (404 `not_found` for an unknown code)."""
    return get_object_or_404(ExamFamily, code=code)


@router.get("/parts", summary="List the exam parts", response=list[PartOut], auth=None)
def part_list(request: HttpRequest, family: Text | None = Query(None, max_length=20)) -> list[ExamPart]:
    """The exam parts that can be booked, with their fee and duration; `family` narrows to one family."""
    parts = ExamPart.objects.filter(active=True).select_related("programme__family")
    if family:
        parts = parts.filter(programme__family__code=family)
    return list(parts)


@router.get("/parts/{code}", summary="Get an exam part", response={200: PartOut, 404: ErrorBody}, auth=None)
def part_detail(request: HttpRequest, code: Text) -> ExamPart:
    """One exam part by its code (404 `not_found` for an unknown code)."""
    return get_object_or_404(ExamPart.objects.select_related("programme__family"), code=code)


@router.get("/locations", summary="List the exam locations", response=list[LocationOut], auth=None)
def location_list(request: HttpRequest, family: Text | None = Query(None, max_length=20)) -> list[Location]:
    """The exam locations in use, with address, position and time zone; `family` narrows to those holding
    that family's exams."""
    locations = Location.objects.filter(active=True)
    if family:
        locations = locations.filter(families__code=family)
    return list(locations.distinct())


@router.get("/locations/{code}", summary="Get an exam location",
            response={200: LocationOut, 404: ErrorBody}, auth=None)
def location_detail(request: HttpRequest, code: Text) -> Location:
    """One location by its code (404 `not_found` for an unknown code)."""
    return get_object_or_404(Location, code=code)


#: A list answered: its JSON body and the number of rows in all its pages.
Answer = tuple[bytes, int]


class RecentAnswers:
    """Search answers kept for a moment, per set of filters, in this process.

    Everyone searching during a booking rush asks the same question; answering it from the database once a
    second instead of thousands of times keeps the machine free for the bookings. Seats left may then be up
    to ``SESSION_LIST_CACHE_SECONDS`` old, which the list already is by the time a person reads it: the
    booking itself recounts under a lock."""

    def __init__(self, limit: int = 512) -> None:
        self.limit = limit
        self.answers: dict[str, tuple[float, Answer]] = {}
        self.lock = threading.Lock()

    def get(self, key: str) -> Answer | None:
        found = self.answers.get(key)
        return found[1] if found is not None and found[0] > time.monotonic() else None

    def put(self, key: str, answer: Answer, seconds: float) -> None:
        with self.lock:
            if len(self.answers) >= self.limit:
                now = time.monotonic()
                self.answers = {k: v for k, v in self.answers.items() if v[0] > now}
                if len(self.answers) >= self.limit:
                    self.answers.clear()
            self.answers[key] = (time.monotonic() + seconds, answer)


recent_session_lists = RecentAnswers()

#: What ``eligibility.session_bookable`` reads of a session.
BOOKABLE_COLUMNS = ("pk", "status", "starts_at", "registration_closes_at", "capacity", "seats_booked",
                    "room__location__timezone")


@router.get("/sessions", summary="Find sittings with seats left",
            response={200: list[SessionOut], 422: ErrorBody}, auth=None, openapi_extra=PAGED)
def session_list(request: HttpRequest, filters: Query[SessionFilters]) -> HttpResponse:
    """Open sessions with the seats left (for display, at most a second old; booking recounts under a
    lock), a page at a time (the total in X-Total-Count)."""
    check_date_range(filters.date_from, filters.date_to)
    seconds = settings.EXAMS["SESSION_LIST_CACHE_SECONDS"]
    key = filters.model_dump_json()
    answer = recent_session_lists.get(key) if seconds > 0 else None
    if answer is None:
        sessions = selectors.sessions_bookable(
            part=filters.part,
            location=filters.location,
            family=filters.family,
            date_from=filters.date_from,
            date_to=filters.date_to,
        )
        if filters.bookable is not None:  # by the booking rule itself, on the sessions' own columns
            ids = [s.pk for s in sessions.only(*BOOKABLE_COLUMNS)
                   if (eligibility.session_bookable(s) is None) == filters.bookable]
            sessions = sessions.filter(pk__in=ids[filters.offset : filters.offset + filters.limit])
            page, total = sessions, len(ids)
        else:
            page, total = sessions[filters.offset : filters.offset + filters.limit], sessions.count()
        rows = [SessionOut.from_orm(s).model_dump() for s in page]
        answer = (JSONRenderer().render(request, rows, response_status=200).encode(), total)
        if seconds > 0:
            recent_session_lists.put(key, answer, seconds)
    response = HttpResponse(answer[0], content_type="application/json; charset=utf-8")
    response[TOTAL_HEADER] = str(answer[1])
    return response


@router.get("/sessions/{session_id}", summary="Get a sitting",
            response={200: SessionOut, 404: ErrorBody}, auth=None)
def session_detail(request: HttpRequest, session_id: int) -> ExamSession:
    """One sitting with its seats left and whether it can be booked now (`bookable`, `why_not`)."""
    return get_object_or_404(
        ExamSession.objects.select_related("room__location").prefetch_related("parts").exclude(status="draft"),
        pk=session_id,
    )
