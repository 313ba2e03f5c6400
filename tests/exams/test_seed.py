"""The demo seed and the national-scale seed: realistic, idempotent, deterministic per seed."""

from __future__ import annotations

import pytest

from exams.models import (
    Booking,
    Candidate,
    Examiner,
    ExamSession,
    Location,
    PlacementRequest,
    Qualification,
    Registration,
    User,
)
from exams.seed.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo
from exams.seed.national import seed_national

pytestmark = pytest.mark.django_db


def test_demo_seed_is_complete_exact_in_dutch_shows_a_lapsing_qualification_and_a_second_run_reuses_all():
    """One demo seed (the slowest part of these tests), looked at from every side."""
    from datetime import date

    from django.test import Client

    from certificates.models import ResultImport
    from exams.planning import workspace

    first = seed_demo(seed=1, today=date(2026, 12, 2))  # a Wednesday: the demo weeks start Monday 7 December
    # Seat counts are exact.
    for session in ExamSession.objects.all():
        live = session.registrations.filter(status__in=["held", "pending_payment", "confirmed"]).count()
        assert session.seats_booked == live <= session.capacity
    # The accounts.
    assert first.created
    for email, role in DEMO_ACCOUNTS.items():
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD) and user.role == role and user.email_verified
    assert User.objects.get(email="planner@example.org").has_perm("exams.change_examsession")
    assert not User.objects.get(email="candidate@example.org").is_staff
    assert Registration.objects.filter(candidate__user__email="candidate@example.org").exists()
    assert Location.objects.get(code="VO-BON").timezone == "America/Kralendijk"
    assert ExamSession.objects.filter(status="open").count() > 500
    # Texts stored as data are in Dutch, the language of the demo's pages.
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(User.objects.get(email="examiner@example.org"))
    page = client.get("/examiner/conflicts/").content.decode()
    assert "Amstel Lyceum – Geeft daar les" in page and "Teaches there" not in page
    assert list(ResultImport.objects.values_list("source", flat=True)) == ["demo-beoordelingspartner"]
    # A qualification lapses with duties after it, to hand on.
    [lapsed] = Qualification.objects.filter(valid_until=date(2026, 12, 11))
    assert lapsed.role == "invigilator" and lapsed.family.code == "nt2"
    lapses, total = workspace.lapsing_qualifications(family="", start=date(2026, 12, 2), end=date(2027, 1, 13))
    assert total == 1 and lapses[0].qualification == lapsed and lapses[0].duties_after > 0
    holes = workspace.holes(start=date(2026, 12, 7), days=14, suggestions=1)
    handed_on = [h for h in holes if h.assignment.examiner_id == lapsed.examiner_id]
    assert len(handed_on) > 0 and all(h.assignment.session.starts_at.date() > date(2026, 12, 11) for h in handed_on)
    assert all(h.suggestions for h in handed_on)
    assert Qualification.objects.filter(examiner__user__email="examiner@example.org", family__code="vo",
                                        valid_until=date(2027, 7, 31)).exists()
    # A second run reuses everything.
    again = seed_demo(seed=1, today=date(2026, 12, 2))
    assert not again.created
    assert again.counts == first.counts


SMALL = dict(vo_candidates=120, examiners=30, nt2_inburgering_parts=150, wft_registrations=40)


def fingerprint() -> list[tuple]:
    return sorted(
        [("c", c.email, c.first_name, c.last_name, str(c.birth_date), c.city) for c in Candidate.objects.all()]
        + [("r", r.candidate.email, r.part.code, r.preferred_location.code)
           for r in PlacementRequest.objects.select_related("candidate", "part", "preferred_location")]
        + [("e", e.email, e.last_name, e.home_location.code) for e in Examiner.objects.select_related("home_location")]
        + [("q", q.examiner.email, q.role, q.subject.code, q.level)
           for q in Qualification.objects.select_related("examiner", "subject")]
        + [("b", r.candidate.email, r.part.code, str(r.session.starts_at), r.session.room.location.code)
           for r in Registration.objects.select_related("candidate", "part", "session__room__location")]
    )


def wipe_people() -> None:
    Registration.objects.all().delete()
    Booking.objects.all().delete()
    ExamSession.objects.all().delete()
    PlacementRequest.objects.all().delete()
    Examiner.objects.all().delete()
    Candidate.objects.all().delete()


def test_national_seed_is_deterministic_for_a_seed_and_differs_between_seeds():
    counts = seed_national(seed=5, **SMALL)
    assert counts["vo oral requests"] == 3 * SMALL["vo_candidates"]
    assert counts["locations"] >= 100
    first = fingerprint()
    wipe_people()
    seed_national(seed=5, **SMALL)
    assert fingerprint() == first
    wipe_people()
    seed_national(seed=6, **SMALL)
    assert fingerprint() != first


def test_national_seed_places_demand_at_real_locations():
    seed_national(seed=2, **SMALL)
    nt2_locations = set(
        PlacementRequest.objects.filter(part__programme__family__code="nt2")
        .values_list("preferred_location__code", flat=True)
    )
    assert nt2_locations <= {"AMS", "EHV", "RSW", "RTM", "ZWL"}
    assert PlacementRequest.objects.filter(preferred_location__code="VO-AMF").exists()
    assert Qualification.objects.filter(role="examinator", subject__isnull=False).exists()
    for session in ExamSession.objects.filter(parts__programme__family__code="wft").distinct():
        assert session.seats_booked == session.registrations.count() <= session.capacity
    from exams.models import ConflictOfInterest

    assert set(ConflictOfInterest.objects.values_list("reason", flat=True)) == {"Eigen leerling"}  # in Dutch
