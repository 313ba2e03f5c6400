"""The demo data set: a few weeks of bookable sittings with realistic fill, staff, and four accounts.

Demo accounts are created only in the demo, development and test environments, never in production.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import F

from ..models import (
    Availability,
    Candidate,
    CandidateDeadline,
    ConflictOfInterest,
    ExamFamily,
    Examiner,
    ExamPart,
    ExamSession,
    Location,
    PlacementRequest,
    Provision,
    Qualification,
    StaffAssignment,
    Subject,
    User,
)
from ..services.bookings import SeatRequest, booking_create
from . import places, sessions
from .catalogue import seed_catalogue
from .people import make_candidate, make_examiner

DEMO_PASSWORD = "exam-demo-pass"
DEMO_ACCOUNTS = {
    "candidate@example.org": User.Role.CANDIDATE,
    "examiner@example.org": User.Role.EXAMINER,
    "planner@example.org": User.Role.PLANNER,
    "admin@example.org": User.Role.ADMIN,
}


@dataclass
class SeedSummary:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)


def demo_allowed() -> bool:
    return settings.ENVIRONMENT in settings.EXAMS["DEMO_ENVIRONMENTS"]


def next_monday(today: date) -> date:
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def ensure_staff_groups() -> None:
    """Planners manage everything in the exam domain through the admin; nothing outside it."""
    planners, _ = Group.objects.get_or_create(name="Planners")
    planners.permissions.set(Permission.objects.filter(content_type__app_label__in=["exams", "certificates"]))


def seed_demo(*, seed: int = 1, today: date | None = None, weeks: int = 8) -> SeedSummary:
    today = today or date.today()
    rng = random.Random(seed)
    season = today.year + 1 if today.month >= 9 else today.year
    with transaction.atomic():
        seed_catalogue(season_year=season)
        families = {f.code: f for f in ExamFamily.objects.all()}
        centres = places.seed_agency_centres(families)
        vo_sites = places.seed_vo_sites(families["vo"], schools=6, rng=rng)
        institutes = places.seed_wft_institutes(families["wft"], count=4)
        ensure_staff_groups()
        if User.objects.filter(email="candidate@example.org").exists():
            return SeedSummary(created=False, counts=_counts())
        start = next_monday(today)
        open_sessions = (
            sessions.nt2_sessions(centres, families["nt2"], start, weeks)
            + sessions.inburgering_sessions(centres, families["inburgering"], start, weeks)
            + sessions.wft_sessions(institutes, families["wft"], start, weeks)
        )
        sessions.vo_written_sessions(vo_sites[:2])
        accounts = _demo_accounts()
        demo_candidate = _demo_candidate(accounts["candidate@example.org"], centres[0])
        candidates = [demo_candidate] + _candidates(rng, centres + institutes, count=900)
        _bookings(rng, candidates[1:], open_sessions)
        _demo_candidate_bookings(demo_candidate)
        _demo_candidate_documents(demo_candidate, today)
        _provisions_and_deadlines(rng, candidates, families)
        examiners = _examiners(rng, accounts["examiner@example.org"], centres, vo_sites, families)
        _assignments(rng, examiners, open_sessions)
        _lapsing_qualifications(examiners, start, season)
        _vo_requests(rng, vo_sites, families["vo"])
    return SeedSummary(created=True, counts=_counts())


def _counts() -> dict[str, int]:
    return {
        "locations": Location.objects.count(),
        "sessions": ExamSession.objects.count(),
        "candidates": Candidate.objects.count(),
        "registrations": sum(s.seats_booked for s in ExamSession.objects.only("seats_booked")),
        "examiners": Examiner.objects.count(),
        "placement requests": PlacementRequest.objects.count(),
    }


def _demo_accounts() -> dict[str, User]:
    accounts = {}
    for email, role in DEMO_ACCOUNTS.items():
        user = User.objects.create_user(
            email, DEMO_PASSWORD, role=role, email_verified=True, language="en" if role == "examiner" else "nl",
            is_staff=role in (User.Role.PLANNER, User.Role.ADMIN), is_superuser=role == User.Role.ADMIN,
        )
        if role == User.Role.PLANNER:
            user.groups.add(Group.objects.get(name="Planners"))
        accounts[email] = user
    return accounts


def _demo_candidate(user: User, near: Location) -> Candidate:
    return Candidate.objects.create(
        user=user, first_name="Amira", last_name="Haddad", birth_date=date(1994, 3, 17), email=user.email,
        phone="+31 6 1234 5678", language="nl", street="Kerkstraat 12", postcode="1017 GB", city="Amsterdam",
        latitude=near.latitude, longitude=near.longitude, max_travel_km=60, national_id="123456782",
    )


def _candidates(rng: random.Random, near: list[Location], *, count: int) -> list[Candidate]:
    people = [make_candidate(rng, i, prefix="demo.candidate.", near=rng.choice(near)) for i in range(count)]
    return Candidate.objects.bulk_create(people)


def _bookings(rng: random.Random, candidates: list[Candidate], open_sessions: list[ExamSession]) -> None:
    """Confirmed bookings, denser in the coming weeks, that fill some sittings completely."""
    by_part: dict[str, list[ExamSession]] = {}
    for session in open_sessions:
        for part in session.parts.all():
            by_part.setdefault(part.code, []).append(session)
    first = min(s.starts_at for s in open_sessions)
    popular = {s.pk for s in open_sessions if s.room.location.code == "AMS" and s.starts_at < first + timedelta(days=9)}
    for candidate in candidates:
        chosen: dict[int, str] = {}
        days: set[date] = set()
        for code in rng.sample(sorted(by_part), k=rng.randint(1, 3)):
            options = [s for s in by_part[code] if s.pk not in chosen and s.starts_at.date() not in days]
            if not options:
                continue
            weights = [8.0 if s.pk in popular else 1.0 / (1 + (s.starts_at - first).days // 7) for s in options]
            session = rng.choices(options, weights=weights)[0]
            chosen[session.pk] = code
            days.add(session.starts_at.date())
        _try_book(candidate, chosen)


def _try_book(candidate: Candidate, chosen: dict[int, str]) -> None:
    from ..errors import DomainError

    if not chosen:
        return
    try:
        with transaction.atomic():
            booking_create(
                candidate=candidate, requests=[SeatRequest(sid, code) for sid, code in chosen.items()],
                placed_by_agency=True,
            )
    except DomainError:
        pass  # a full sitting: this made-up candidate simply does not get it


def _demo_candidate_bookings(candidate: Candidate) -> None:
    """The demo candidate has one confirmed NT2 part, so 'My exams' has something to show."""
    session = (
        ExamSession.objects.filter(status="open", parts__code__startswith="NT2-II-LZ", room__location__code="AMS")
        .exclude(seats_booked__gte=F("capacity"))
        .order_by("starts_at")
        .first()
    )
    if session is not None:
        _try_book(candidate, {session.pk: "NT2-II-LZ"})


def _demo_candidate_documents(candidate: Candidate, today: date) -> None:
    """Past results for the demo candidate: NT2 programme I complete (a diploma) and one programme II part
    (a part certificate), so 'My exams' and the verification page have real documents to show."""
    from certificates.issuance import issue_for_candidate
    from certificates.results import results_import

    taken = (today - timedelta(days=70)).isoformat()
    scores = {"NT2-I-LZ": 532, "NT2-I-LU": 517, "NT2-I-SC": 508, "NT2-I-SP": 561, "NT2-II-LZ": 523, "NT2-II-LU": 471}
    results_import(rows=[{"candidate_id": candidate.pk, "part": code, "taken_on": taken, "score": score}
                         for code, score in scores.items()], source="demo-beoordelingspartner")
    issue_for_candidate(candidate)


def _provisions_and_deadlines(rng: random.Random, candidates: list[Candidate], families: dict) -> None:
    kinds = [(Provision.Kind.EXTRA_TIME, 30), (Provision.Kind.LARGE_PRINT, 0), (Provision.Kind.SEPARATE_ROOM, 0),
             (Provision.Kind.ACCESSIBLE_ROOM, 0), (Provision.Kind.ASSISTANCE, 0)]
    for candidate in rng.sample(candidates[1:], k=24):
        kind, minutes = rng.choice(kinds)
        status = rng.choice([Provision.Status.REQUESTED, Provision.Status.APPROVED, Provision.Status.APPROVED])
        Provision.objects.create(candidate=candidate, family=rng.choice([families["nt2"], families["inburgering"]]),
                                 kind=kind, extra_minutes=minutes, status=status,
                                 motivation="Verklaring van een onafhankelijke arts bijgevoegd.")
    for candidate in rng.sample(candidates[1:], k=60):
        CandidateDeadline.objects.create(candidate=candidate, kind=CandidateDeadline.Kind.INTEGRATION,
                                         due_on=date.today() + timedelta(days=rng.randint(20, 3 * 365)))


def _examiners(rng: random.Random, user: User, centres: list[Location], vo_sites: list[Location],
               families: dict) -> list[Examiner]:
    demo = Examiner.objects.create(user=user, first_name="Johan", last_name="Visser", email=user.email,
                                   home_location=centres[0], school="Amstel Lyceum", last_taught_exam_class=2025)
    made = Examiner.objects.bulk_create(
        [make_examiner(rng, i, prefix="demo.examiner.", home=rng.choice(centres + vo_sites)) for i in range(40)]
    )
    examiners = [demo] + made
    subjects = list(Subject.objects.all())
    qualifications = []
    for examiner in examiners:
        for family in ("nt2", "inburgering"):
            qualifications.append(Qualification(examiner=examiner, role="invigilator", family=families[family]))
        if examiner is demo or rng.random() < 0.6:
            for subject in rng.sample(subjects, k=2):
                for level in rng.sample(["vmbo", "havo", "vwo"], k=2):
                    qualifications += [
                        Qualification(examiner=examiner, role="examinator", family=families["vo"], subject=subject,
                                      level=level),
                        Qualification(examiner=examiner, role="second_examiner", family=families["vo"],
                                      subject=subject, level=level),
                    ]
    Qualification.objects.bulk_create(qualifications, ignore_conflicts=True)
    Availability.objects.bulk_create(
        [Availability(examiner=e, weekday=d, starts=time(8), ends=time(17)) for e in examiners for d in range(5)
         if rng.random() < 0.8]
    )
    ConflictOfInterest.objects.create(examiner=demo, school="Amstel Lyceum", reason="Geeft daar les")
    return examiners


def _assignments(rng: random.Random, examiners: list[Examiner], open_sessions: list[ExamSession]) -> None:
    """An invigilator for every agency sitting in the first two weeks; the demo examiner gets Amsterdam."""
    demo = examiners[0]
    first = min(s.starts_at for s in open_sessions)
    soon = [s for s in open_sessions if s.starts_at < first + timedelta(days=14)
            and s.room.location.families.filter(code__in=["nt2", "inburgering"]).exists()]
    rows = []
    for session in soon:
        examiner = demo if session.room.location.code == "AMS" and session.starts_at.hour < 12 else rng.choice(examiners[1:])
        rows.append(StaffAssignment(session=session, examiner=examiner, role="invigilator", status="published"))
    StaffAssignment.objects.bulk_create(rows, ignore_conflicts=True)


def _lapsing_qualifications(examiners: list[Examiner], start: date, season: int) -> None:
    """The examiner with the most NT2 duties in the second week loses their NT2 invigilator qualification
    after the first week's Friday (the overview lists the lapse, the disruption page the duties to hand on);
    the demo examiner's state-exam qualifications hold until the end of the exam season."""
    second_week = Counter(StaffAssignment.objects.filter(
        examiner__in=examiners[1:], session__starts_at__date__gte=start + timedelta(days=7),
        session__parts__programme__family__code="nt2").values_list("examiner_id", flat=True))
    if second_week:
        busiest = min(second_week, key=lambda pk: (-second_week[pk], pk))
        Qualification.objects.filter(examiner_id=busiest, role="invigilator", family__code="nt2").update(
            valid_until=start + timedelta(days=4))
    Qualification.objects.filter(examiner=examiners[0], family__code="vo").update(valid_until=date(season, 7, 31))


def _vo_requests(rng: random.Random, vo_sites: list[Location], family: ExamFamily) -> None:
    """State-exam candidates waiting to be placed for their orals."""
    orals = list(ExamPart.objects.filter(programme__family=family, mode="oral"))
    candidates = Candidate.objects.bulk_create(
        [make_candidate(rng, i, prefix="demo.vo.", near=rng.choice(vo_sites), adult=False,
                        school=rng.choice(vo_sites).name) for i in range(60)]
    )
    requests = []
    for candidate in candidates:
        level = rng.choice(["VMBO", "HAVO", "VWO"])
        options = [p for p in orals if p.code.startswith(f"VO-{level}-")]
        for part in rng.sample(options, k=3):
            requests.append(PlacementRequest(candidate=candidate, part=part, source="state_exam",
                                             preferred_location=rng.choice(vo_sites[:2])))
    PlacementRequest.objects.bulk_create(requests)
