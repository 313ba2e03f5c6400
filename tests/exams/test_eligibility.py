"""Family rules that decide which sessions a candidate is offered, each with a readable reason."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from exams.errors import RuleViolation
from exams.models import FixedExamDate, Provision, Result
from exams.services.bookings import SeatRequest, booking_create
from exams.services.eligibility import filter_sessions

pytestmark = pytest.mark.django_db


def refused_code(candidate, *sessions, parts=None):
    with pytest.raises(RuleViolation) as refused:
        booking_create(candidate=candidate, requests=[SeatRequest(s.pk, (parts or {}).get(s.pk)) for s in sessions])
    return refused.value.code


def test_nt2_one_part_per_day(make_session, candidate):
    morning = make_session("NT2-II-LZ", hour=9)
    afternoon = make_session("NT2-II-LU", hour=14, room="Computerzaal 2")
    assert refused_code(candidate, morning, afternoon) == "one_part_per_day"
    booking_create(candidate=candidate, requests=[SeatRequest(morning.pk)])
    assert refused_code(candidate, afternoon) == "one_part_per_day"
    next_day = make_session("NT2-II-LU", days=31)
    booking_create(candidate=candidate, requests=[SeatRequest(next_day.pk)])


def test_inburgering_parts_may_share_a_day(make_session, candidate):
    reading = make_session("INB-WI2021-LZ", hour=9)
    knm = make_session("INB-WI2021-KNM", hour=13, room="Computerzaal 2")
    booking = booking_create(candidate=candidate, requests=[SeatRequest(reading.pk), SeatRequest(knm.pk)])
    assert booking.registrations.count() == 2


def test_no_clashing_sessions(make_session, candidate):
    first = make_session("INB-WI2021-LZ", hour=9)
    overlapping = make_session("INB-WI2021-KNM", hour=9, room="Computerzaal 2")
    assert refused_code(candidate, first, overlapping) == "time_clash"


def test_at_most_three_nt2_attempts_per_part_per_year(make_session, candidate):
    day_offsets = [d for d in (30, 33, 36, 39) if (date.today() + timedelta(days=d)).year == (date.today() + timedelta(days=30)).year]
    if len(day_offsets) < 4:
        day_offsets = [60, 62, 64, 66]
    sessions = [make_session("NT2-II-LZ", days=d) for d in day_offsets]
    for session in sessions[:3]:
        booking_create(candidate=candidate, requests=[SeatRequest(session.pk)], placed_by_agency=True)
    assert refused_code(candidate, sessions[3]) == "attempts_per_year"


def test_wft_module_order(make_session, candidate):
    business = make_session("WFT-SCHADE-Z", days=30)
    private_later = make_session("WFT-SCHADE-P", days=31)
    assert refused_code(candidate, business, private_later) == "module_order"
    private_first = make_session("WFT-SCHADE-P", days=20)
    booking = booking_create(candidate=candidate, requests=[SeatRequest(private_first.pk), SeatRequest(business.pk)])
    assert booking.registrations.count() == 2


def test_a_passed_module_opens_the_next(make_session, candidate):
    from exams.models import ExamPart

    Result.objects.create(candidate=candidate, part=ExamPart.objects.get(code="WFT-SCHADE-P"), score=80, passed=True,
                          taken_on=date(2026, 1, 5), source="exam server")
    booking_create(candidate=candidate, requests=[SeatRequest(make_session("WFT-SCHADE-Z").pk)])


def test_vo_written_exams_that_clash_cannot_both_be_taken(make_session, candidate):
    history = make_session("VO-HAVO-GS-CE", days=40)
    chemistry = make_session("VO-HAVO-SK-CE", days=41, room="Computerzaal 2")
    assert FixedExamDate.objects.get(part__code="VO-HAVO-GS-CE", period="first").clashes_with(
        FixedExamDate.objects.get(part__code="VO-HAVO-SK-CE", period="first"))
    assert refused_code(candidate, history, chemistry) == "written_exam_clash"


def test_approved_provisions_restrict_the_rooms(make_session, candidate, catalogue, location):
    plain_room = location.rooms.get(name="Computerzaal 1")
    plain_room.wheelchair_accessible = False
    plain_room.save()
    session = make_session("NT2-II-LZ")
    Provision.objects.create(candidate=candidate, family=catalogue["nt2"], kind="accessible_room", status="requested")
    booking_create(candidate=candidate, requests=[SeatRequest(session.pk)])  # only requested: no restriction yet
    other = make_session("NT2-II-LU", days=33)
    Provision.objects.update(status="approved")
    assert refused_code(candidate, other) == "provision_accessible"


def test_extra_time_must_fit_before_the_next_sitting_in_the_room(make_session, candidate, catalogue):
    session = make_session("NT2-II-LZ", hour=9)
    make_session("NT2-II-LU", hour=11)  # the next sitting in the same room starts at 11:00
    Provision.objects.create(candidate=candidate, family=catalogue["nt2"], kind="extra_time", extra_minutes=30,
                             status="approved")
    assert refused_code(candidate, session) == "provision_extra_time"


def test_search_says_why_a_session_is_not_offered(make_session, candidate):
    booked = make_session("NT2-II-LZ", hour=9)
    booking_create(candidate=candidate, requests=[SeatRequest(booked.pk)])
    same_day = make_session("NT2-II-LU", hour=14, room="Computerzaal 2")
    free = make_session("NT2-II-LU", days=35)
    verdicts = {s.pk: [r.code for r in reasons] for s, reasons in filter_sessions(candidate, [same_day, free])}
    assert verdicts == {same_day.pk: ["one_part_per_day"], free.pk: []}
