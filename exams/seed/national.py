"""A data set of national size, for benchmarks: deterministic for a given seed.

- a season of state-exam (VO) orals: about 9,000 candidates with three orals each, about 2,000 examiners,
  about a hundred sites (Amersfoort as the largest, Bonaire in UTC−4);
- a month of NT2 and inburgering demand: about 20,000 candidate-parts waiting to be placed at the agency's
  own locations, with integration deadlines;
- a month of Wft exams at exam institutes, with the sittings booked.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from django.db import transaction

from ..models import (
    Availability,
    Booking,
    Candidate,
    CandidateDeadline,
    ConflictOfInterest,
    ExamFamily,
    Examiner,
    ExamPart,
    ExamSession,
    PlacementRequest,
    Provision,
    Qualification,
    Registration,
    Subject,
)
from . import places, sessions
from .catalogue import seed_catalogue
from .demo import ensure_staff_groups
from .people import make_candidate, make_examiner

#: Fixed anchors keep the data set the same whatever day it is seeded.
VO_SEASON_START = date(2027, 6, 14)
MONTH_START = date(2027, 3, 1)

BATCH = 2000


def seed_national(*, seed: int = 1, vo_candidates: int = 9000, examiners: int = 2000,
                  nt2_inburgering_parts: int = 20000, wft_registrations: int = 3500) -> dict[str, int]:
    rng = random.Random(seed)
    with transaction.atomic():
        seed_catalogue(season_year=VO_SEASON_START.year)
        ensure_staff_groups()
        families = {f.code: f for f in ExamFamily.objects.all()}
        centres = places.seed_agency_centres(families)
        vo_sites = places.seed_vo_sites(families["vo"], schools=98, rng=rng)
        institutes = places.seed_wft_institutes(families["wft"], count=10)
        _vo_season(rng, families, vo_sites, vo_candidates, examiners)
        _nt2_inburgering_month(rng, families, centres, nt2_inburgering_parts)
        _wft_month(rng, families, institutes, wft_registrations)
    return {
        "vo oral requests": PlacementRequest.objects.filter(part__mode="oral").count(),
        "nt2/inburgering requests": PlacementRequest.objects.filter(source="waiting_list").count(),
        "examiners": Examiner.objects.count(),
        "locations": len(vo_sites) + len(centres) + len(institutes),
        "wft registrations": Registration.objects.filter(part__programme__family__code="wft").count(),
    }


def _vo_season(rng: random.Random, families: dict, sites: list, count: int, staff: int) -> None:
    family = families["vo"]
    orals = list(ExamPart.objects.filter(programme__family=family, mode="oral").select_related("subject"))
    # Most candidates sit at their own school; a third travel to Amersfoort, a few live on Bonaire.
    weights = [count * 0.30, count * 0.01] + [count * 0.69 / (len(sites) - 2)] * (len(sites) - 2)
    homes = rng.choices(sites, weights=weights, k=count)
    candidates = Candidate.objects.bulk_create(
        [make_candidate(rng, i, prefix="vo.", near=home, adult=False, school=home.name)
         for i, home in enumerate(homes)], batch_size=BATCH,
    )
    requests, provisions = [], []
    for candidate, home in zip(candidates, homes):
        level = rng.choices(["VMBO", "HAVO", "VWO"], weights=[3, 4, 3])[0]
        options = [p for p in orals if p.code.startswith(f"VO-{level}-")]
        for part in rng.sample(options, k=3):
            requests.append(PlacementRequest(
                candidate=candidate, part=part, source="state_exam", preferred_location=home,
                earliest=VO_SEASON_START, latest=VO_SEASON_START + timedelta(days=45),
            ))
        if rng.random() < 0.06:
            provisions.append(Provision(candidate=candidate, family=family, kind="extra_time", extra_minutes=10,
                                        status="approved"))
    PlacementRequest.objects.bulk_create(requests, batch_size=BATCH)
    Provision.objects.bulk_create(provisions, batch_size=BATCH)
    _vo_examiners(rng, family, sites, staff, candidates)


def _vo_examiners(rng: random.Random, family: ExamFamily, sites: list, count: int, candidates: list) -> None:
    amersfoort = sites[0]
    made = Examiner.objects.bulk_create(
        [make_examiner(rng, i, prefix="vo.examiner.", home=rng.choice(sites)) for i in range(count)],
        batch_size=BATCH,
    )
    subjects = list(Subject.objects.all())
    qualifications, availability, willing, conflicts = [], [], [], []
    through = Examiner.willing_locations.through
    for examiner in made:
        for subject in rng.sample(subjects, k=rng.choice([1, 2, 2, 3])):
            for level in rng.sample(["vmbo", "havo", "vwo"], k=rng.choice([1, 2, 3])):
                for role in ("examinator", "second_examiner"):
                    qualifications.append(Qualification(examiner=examiner, role=role, family=family,
                                                        subject=subject, level=level))
        for weekday in range(5):
            if rng.random() < 0.85:
                half = rng.random()
                starts, ends = (time(8), time(17)) if half < 0.7 else ((time(8), time(12, 30)) if half < 0.85
                                                                       else (time(12, 30), time(17)))
                availability.append(Availability(examiner=examiner, weekday=weekday, starts=starts, ends=ends))
        for site in {examiner.home_location, amersfoort}:
            willing.append(through(examiner_id=examiner.pk, location_id=site.pk))
        if rng.random() < 0.1:
            conflicts.append(ConflictOfInterest(examiner=examiner, candidate=rng.choice(candidates),
                                                reason="Eigen leerling"))
    Qualification.objects.bulk_create(qualifications, batch_size=BATCH, ignore_conflicts=True)
    Availability.objects.bulk_create(availability, batch_size=BATCH)
    through.objects.bulk_create(willing, batch_size=BATCH, ignore_conflicts=True)
    ConflictOfInterest.objects.bulk_create(conflicts, batch_size=BATCH)


def _nt2_inburgering_month(rng: random.Random, families: dict, centres: list, parts_wanted: int) -> None:
    nt2 = list(ExamPart.objects.filter(programme__family=families["nt2"]))
    inburgering = list(ExamPart.objects.filter(programme__family=families["inburgering"]).exclude(mode="portfolio"))
    requests, deadlines, index = [], [], 0
    people = []
    while sum(len(p[2]) for p in people) < parts_wanted:
        home = rng.choice(centres)
        wants_nt2 = home.code in places.NT2_CODES and rng.random() < 0.45
        pool = nt2 if wants_nt2 else inburgering
        programme = rng.choice(sorted({p.programme.code for p in pool}))
        chosen = rng.sample([p for p in pool if p.programme.code == programme], k=rng.randint(1, 4))
        people.append((make_candidate(rng, index, prefix="month.", near=home), home, chosen))
        index += 1
    created = Candidate.objects.bulk_create([p[0] for p in people], batch_size=BATCH)
    for candidate, (_, home, chosen) in zip(created, people):
        for part in chosen:
            requests.append(PlacementRequest(
                candidate=candidate, part=part, source="waiting_list", preferred_location=home,
                earliest=MONTH_START, latest=MONTH_START + timedelta(days=30),
            ))
        if chosen[0].programme.family.code == "inburgering":
            deadlines.append(CandidateDeadline(candidate=candidate, kind="integration",
                                               due_on=MONTH_START + timedelta(days=rng.randint(10, 3 * 365))))
    PlacementRequest.objects.bulk_create(requests, batch_size=BATCH)
    CandidateDeadline.objects.bulk_create(deadlines, batch_size=BATCH)


def _wft_month(rng: random.Random, families: dict, institutes: list, count: int) -> None:
    month = sessions.wft_sessions(institutes, families["wft"], MONTH_START, weeks=4)
    for session in month:
        session.part_list = list(session.parts.all())
    candidates = Candidate.objects.bulk_create(
        [make_candidate(rng, i, prefix="wft.", near=rng.choice(institutes)) for i in range(count)],
        batch_size=BATCH,
    )
    bookings, plans, taken = [], [], {s.pk: 0 for s in month}
    for candidate in candidates:
        session = rng.choice(month)
        if taken[session.pk] >= session.capacity:
            continue
        taken[session.pk] += 1
        part = rng.choice(session.part_list)
        bookings.append(Booking(candidate=candidate, status="confirmed", amount=part.fee))
        plans.append((candidate, session, part))
    Booking.objects.bulk_create(bookings, batch_size=BATCH)
    Registration.objects.bulk_create(
        [Registration(booking=b, candidate=c, session=s, part=p, status="confirmed", fee=p.fee)
         for b, (c, s, p) in zip(bookings, plans)], batch_size=BATCH,
    )
    for session in month:
        ExamSession.objects.filter(pk=session.pk).update(seats_booked=taken[session.pk])
