"""Rules the model itself guarantees: constraints, the lifecycle, time zones, masking."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from exams.errors import InvalidTransition
from exams.models import (
    Candidate,
    ExamPart,
    ExamSession,
    FixedExamDate,
    Location,
    PEPeriod,
    Registration,
    RegistrationEvent,
)
from exams.models.locations import haversine_km
from exams.models.registrations import SEAT_TAKING, TRANSITIONS
from exams.services.bookings import SeatRequest, booking_create
from exams.services.registrations import registration_transition

pytestmark = pytest.mark.django_db


def test_catalogue_carries_the_published_figures(catalogue):
    assert ExamPart.objects.get(code="NT2-II-LZ").fee == 50
    assert ExamPart.objects.get(code="NT2-II-SP").pass_mark == 500
    assert ExamPart.objects.get(code="WFT-BASIS").duration_minutes == 120
    assert ExamPart.objects.get(code="WFT-VERMOGEN").duration_minutes == 135
    assert ExamPart.objects.get(code="WFT-PE-HYPOTHEEK").fee == 149
    assert ExamPart.objects.get(code="INB-WI2013-LZ").duration_minutes == 65
    oral = ExamPart.objects.get(code="VO-HAVO-EN-MO")
    assert (oral.duration_minutes, oral.preparation_minutes, oral.examiners_required) == (40, 20, 2)
    assert ExamPart.objects.get(code="VO-VMBO-EN-MO").duration_minutes == 25
    assert catalogue["nt2"].max_attempts_per_part_per_year == 3
    assert catalogue["inburgering"].refund_until_days == 14
    assert ExamPart.objects.filter(programme__code="INB-WI2013").count() == 6
    assert ExamPart.objects.filter(programme__code="INB-WI2021").count() == 5


def test_vo_written_exams_that_share_a_slot_clash(catalogue):
    history = FixedExamDate.objects.get(part__code="VO-HAVO-GS-CE", period="first")
    chemistry = FixedExamDate.objects.get(part__code="VO-HAVO-SK-CE", period="first")
    english = FixedExamDate.objects.get(part__code="VO-HAVO-EN-CE", period="first")
    assert history.clashes_with(chemistry)
    assert not history.clashes_with(english)


@pytest.mark.parametrize(
    "day, start",
    [(date(2026, 11, 23), date(2025, 4, 1)), (date(2028, 3, 31), date(2025, 4, 1)), (date(2028, 4, 1), date(2028, 4, 1)),
     (date(2019, 4, 1), date(2019, 4, 1))],
)
def test_pe_periods_run_three_years_from_first_april(day, start):
    begins, ends = PEPeriod.bounds_for(day)
    assert begins == start
    assert ends == date(start.year + 3, 3, 31)


def test_bonaire_runs_on_utc_minus_four(db):
    bonaire = Location(code="B", name="Bonaire", timezone="America/Kralendijk", latitude=12.1, longitude=-68.2)
    moment = datetime.fromisoformat("2027-06-15T12:00:00+00:00")
    assert bonaire.local(moment).isoformat() == "2027-06-15T08:00:00-04:00"


def test_distance_between_amsterdam_and_rotterdam():
    assert 55 < haversine_km(52.3676, 4.9041, 51.9244, 4.4777) < 60


def test_national_id_is_never_shown_in_full(candidate):
    assert candidate.national_id_masked == "••••••782"
    assert "123456" not in str(candidate)


def test_database_refuses_more_seats_than_capacity(make_session):
    session = make_session(capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExamSession.objects.filter(pk=session.pk).update(seats_booked=2)


def test_one_live_registration_per_candidate_session_and_part(make_session, candidate):
    session = make_session(capacity=5)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])
    registration = booking.registrations.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(booking=booking, candidate=candidate, session=session, part=registration.part,
                                    status="confirmed", fee=registration.fee)


def test_lifecycle_is_closed_and_every_status_is_reachable():
    statuses = {choice for choice, _ in Registration._meta.get_field("status").choices}
    assert set(TRANSITIONS) == statuses
    assert all(targets <= statuses for targets in TRANSITIONS.values())
    reachable, frontier = {"held"}, ["held"]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()]:
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable == statuses


def test_transitions_are_logged_and_illegal_ones_refused(make_session, candidate):
    session = make_session(capacity=5)
    registration = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)]).registrations.get()
    registration_transition(registration=registration, to="confirmed", reason="paid")
    with translation.override("en"), pytest.raises(InvalidTransition) as refused:
        registration_transition(registration=registration, to="held")
    assert refused.value.message == "This exam part's status is “confirmed”; it cannot become “held while paying”."
    assert refused.value.details == {"from": "confirmed", "to": "held"}  # the codes stay for machines
    registration_transition(registration=registration, to="sat")
    registration_transition(registration=registration, to="result_known")
    events = list(RegistrationEvent.objects.filter(registration=registration).values_list("from_status", "to_status"))
    assert events == [("", "held"), ("held", "confirmed"), ("confirmed", "sat"), ("sat", "result_known")]


def test_seat_is_returned_exactly_once_when_cancelled(make_session, candidate):
    session = make_session(capacity=5)
    registration = booking_create(candidate=candidate, requests=[SeatRequest(session.pk)]).registrations.get()
    session.refresh_from_db()
    assert session.seats_booked == 1
    registration_transition(registration=registration, to="cancelled")
    registration_transition(registration=registration, to="cancelled")  # a repeat changes nothing
    session.refresh_from_db()
    assert session.seats_booked == 0
    assert "cancelled" not in SEAT_TAKING


def test_candidate_without_account_is_allowed(db):
    person = Candidate.objects.create(first_name="Paper", last_name="Registration", birth_date=date(1980, 1, 1),
                                      email="paper@example.org")
    assert person.user is None
    assert person.initials == "P. R."
