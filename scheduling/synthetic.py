"""Deterministic (seeded) generator of realistic scenarios, from test-sized to national.

- :func:`small`: a few candidates of every family at two locations, for tests and property tests.
- :func:`vo_oral_season`: ~9,000 VO candidates, ~27,000 orals over ~6 weeks at ~100 locations (Amersfoort
  the largest oral site, Bonaire at UTC-4), ~2,000 examiners; committees of two.
- :func:`nt2_inburgering_month`: ~20,000 candidate-parts in a month at the real NT2 sites (Amsterdam,
  Eindhoven, Rijswijk, Rotterdam, Zwolle) and six inburgering sites.

Figures follow docs/domain.md; where the domain gives none (rooms per site, availability rates) the
values are assumptions chosen to make the instances tight but feasible.
"""

from __future__ import annotations

import datetime as dt
import random

from scheduling.model import (
    COMPUTER,
    EXAMINATOR,
    INBURGERING,
    INVIGILATOR,
    NT2,
    ORAL,
    PAPER,
    SECOND,
    VO,
    Candidate,
    Examiner,
    Location,
    Part,
    Provisions,
    Request,
    Room,
    Scenario,
    Settings,
    Slot,
)

CITIES = (
    ("Amsterdam", 52.37, 4.90),
    ("Rotterdam", 51.92, 4.48),
    ("Den Haag", 52.08, 4.30),
    ("Utrecht", 52.09, 5.12),
    ("Eindhoven", 51.44, 5.47),
    ("Groningen", 53.22, 6.57),
    ("Tilburg", 51.56, 5.09),
    ("Almere", 52.35, 5.26),
    ("Breda", 51.59, 4.78),
    ("Nijmegen", 51.84, 5.86),
    ("Apeldoorn", 52.21, 5.97),
    ("Haarlem", 52.38, 4.64),
    ("Arnhem", 51.98, 5.91),
    ("Enschede", 52.22, 6.89),
    ("Amersfoort", 52.16, 5.39),
    ("Zwolle", 52.52, 6.09),
    ("Leeuwarden", 53.20, 5.80),
    ("Maastricht", 50.85, 5.69),
    ("Middelburg", 51.50, 3.61),
    ("Assen", 52.99, 6.56),
    ("Den Bosch", 51.69, 5.30),
    ("Leiden", 52.16, 4.49),
    ("Dordrecht", 51.81, 4.67),
    ("Venlo", 51.37, 6.17),
    ("Alkmaar", 52.63, 4.75),
    ("Deventer", 52.25, 6.16),
    ("Emmen", 52.79, 6.90),
    ("Lelystad", 52.52, 5.47),
)
BONAIRE = ("Kralendijk (Bonaire)", 12.15, -68.27)
NT2_SITES = (
    ("Amsterdam", 52.39, 4.84),
    ("Eindhoven", 51.44, 5.48),
    ("Rijswijk", 52.04, 4.32),
    ("Rotterdam", 51.92, 4.47),
    ("Zwolle", 52.51, 6.08),
)
INB_SITES = (
    ("Amsterdam", 52.38, 4.83),
    ("Den Haag", 52.07, 4.31),
    ("Rotterdam", 51.91, 4.49),
    ("Utrecht", 52.10, 5.11),
    ("Zwolle", 52.50, 6.10),
    ("Eindhoven", 51.45, 5.46),
)
SUBJECTS = ("NL", "EN", "DU", "FA", "GS", "AK", "EC", "WI", "BI", "NA", "SK", "MA")
LEVELS = (("vmbo", 25), ("havo", 40), ("vwo", 40))


def workdays(start: str, weeks: int) -> list[str]:
    day = dt.date.fromisoformat(start)
    out = []
    while len(out) < weeks * 5:
        if day.weekday() < 5:
            out.append(day.isoformat())
        day += dt.timedelta(days=1)
    return out


def _jitter(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    return lat + rng.uniform(-km, km) / 111.0, lon + rng.uniform(-km, km) / 68.0


def _provisions(rng: random.Random, extra: int, extra_prep: int = 0) -> Provisions:
    roll = rng.random()
    if roll < 0.03:
        return Provisions(extra_min=extra, extra_prep_min=extra_prep)
    if roll < 0.04:
        return Provisions(separate_room=True, extra_min=extra)
    if roll < 0.05:
        return Provisions(accessible=True)
    if roll < 0.06:
        return Provisions(large_print=True)
    return Provisions()


# VO oral season -------------------------------------------------------------------------------------


def vo_parts() -> tuple[Part, ...]:
    return tuple(
        Part(f"VO-{s}-{lv}", VO, f"VO oral {s} {lv}", ORAL, minutes, prep_min=20, subject=s, level=lv)
        for s in SUBJECTS
        for lv, minutes in LEVELS
    )


def half_day_slots(dates: list[str]) -> tuple[Slot, ...]:
    slots = []
    for d in dates:
        slots.append(Slot(f"{d}-am", d, 9 * 60, 12 * 60 + 30))
        slots.append(Slot(f"{d}-pm", d, 13 * 60 + 30, 17 * 60))
    return tuple(slots)


def _vo_locations(rng: random.Random, n: int) -> tuple[list[Location], list[Room]]:
    locations, rooms = [], []
    for i in range(n):
        if i == 0:
            name, lat, lon, off, n_rooms = "Amersfoort oral centre", 52.16, 5.39, 120, 14
        elif i == n - 1:
            (name, lat, lon), off, n_rooms = BONAIRE, -240, 4
        else:
            city = CITIES[i % len(CITIES)]
            lat, lon = _jitter(rng, city[1], city[2], 8)
            name, off, n_rooms = f"School {i:03d} {city[0]}", 120, rng.choice((6, 7, 7, 8))
        loc = Location(f"VO{i:03d}", name, round(lat, 4), round(lon, 4), utc_offset_min=off, families=(VO,))
        locations.append(loc)
        for r in range(n_rooms):
            rooms.append(
                Room(
                    f"{loc.id}-O{r + 1}",
                    loc.id,
                    ORAL,
                    1,
                    accessible=r < 2,
                    separate=r == 0,
                    large_print=r < 2,
                )
            )
    return locations, rooms


def vo_oral_season(
    seed: int = 1, n_candidates: int = 9000, n_locations: int = 100, n_examiners: int = 2000, weeks: int = 6
) -> Scenario:
    """A national VO oral season. Each school gets a two-week oral window; Amersfoort takes a larger
    share of candidates; examiners are qualified for 2-3 subject/levels near home."""
    rng = random.Random(seed)
    dates = workdays("2026-06-15", weeks)
    slots = half_day_slots(dates)
    parts = vo_parts()
    locations, rooms = _vo_locations(rng, n_locations)
    week_starts = [dates[5 * w] for w in range(weeks - 1)]
    loc_window = {loc.id: rng.choice(week_starts) for loc in locations}
    loc_window[locations[0].id] = week_starts[1]
    weights = [8.0] + [1.0 + rng.random() for _ in locations[1:-1]] + [0.8]
    # a school examines mostly one level and a subset of subjects (its own curriculum)
    profile = {
        loc.id: (rng.choice(LEVELS)[0], rng.sample(SUBJECTS, 12 if i == 0 else 7))
        for i, loc in enumerate(locations)
    }
    candidates = []
    for c in range(n_candidates):
        loc = rng.choices(locations, weights)[0]
        main_level, offered = profile[loc.id]
        lv = main_level if rng.random() < 0.75 or loc.id == locations[0].id else rng.choice(LEVELS)[0]
        if loc.id == locations[0].id:
            lv = rng.choice(LEVELS)[0]
        subjects = rng.sample(offered, 3)
        start = loc_window[loc.id]
        days = 11 if loc.id == locations[0].id else 4  # Amersfoort runs two weeks, schools one
        end = (dt.date.fromisoformat(start) + dt.timedelta(days=days)).isoformat()
        lat, lon = _jitter(rng, loc.lat, loc.lon, 10)
        cid = f"V{c:05d}"
        reqs = tuple(Request(f"{cid}/{s}", f"VO-{s}-{lv}") for s in subjects)
        candidates.append(
            Candidate(
                cid,
                VO,
                round(lat, 4),
                round(lon, 4),
                reqs,
                provisions=_provisions(rng, 10, 10),
                preferred_location_ids=(loc.id,),
                window_start=start,
                window_end=end,
                school_id=loc.id,
                max_travel_km=40.0,
            )
        )
    examiners = _vo_examiners(rng, n_examiners, locations, dates)
    settings = Settings(
        max_exams_per_day=2, staff_max_per_day=2, staff_max_per_week=8, max_pair_days=3, max_rooms_per_slot=2
    )
    return Scenario(
        f"vo-oral-season-{seed}",
        tuple(locations),
        tuple(rooms),
        slots,
        parts,
        tuple(examiners),
        tuple(candidates),
        settings=settings,
    )


def _vo_examiners(rng: random.Random, n: int, locations: list[Location], dates: list[str]) -> list[Examiner]:
    out = []
    mainland = locations[:-1]
    for e in range(n):
        on_bonaire = e < max(12, n // 150)
        home = locations[-1] if on_bonaire else rng.choice(mainland)
        lat, lon = _jitter(rng, home.lat, home.lon, 15)
        lv = rng.choice(LEVELS)[0]
        quals = {f"{s}:{lv}" for s in rng.sample(SUBJECTS, 2)}
        quals.add(f"{rng.choice(SUBJECTS)}:{rng.choice(LEVELS)[0]}")
        if on_bonaire:
            quals = {f"{s}:{lv}" for s in SUBJECTS for lv, _ in LEVELS}
        avail = tuple(d for d in dates if rng.random() < 0.6)
        out.append(
            Examiner(
                f"X{e:04d}",
                f"Examiner {e:04d}",
                round(lat, 4),
                round(lon, 4),
                (EXAMINATOR, SECOND),
                qualifications=tuple(sorted(quals)),
                available_dates=avail,
                conflicts=(home.id,) if rng.random() < 0.3 and not on_bonaire else (),
            )
        )
    return out


# NT2 + inburgering month ----------------------------------------------------------------------------


def nt2_parts() -> tuple[Part, ...]:
    parts = []
    for prog, lvl in (("I", "B1"), ("II", "B2")):
        for code, name, minutes in (
            ("R", "Reading", 100),
            ("L", "Listening", 90),
            ("W", "Writing", 110),
            ("S", "Speaking", 30),
        ):
            parts.append(Part(f"NT2-{prog}-{code}", NT2, f"NT2 {name} {lvl}", COMPUTER, minutes))
    return tuple(parts)


def inb_parts() -> tuple[Part, ...]:
    return (
        Part("INB-R", INBURGERING, "Inburgering Reading", COMPUTER, 65),
        Part("INB-L", INBURGERING, "Inburgering Listening", COMPUTER, 35),
        Part("INB-W", INBURGERING, "Inburgering Writing", PAPER, 40),
        Part("INB-K", INBURGERING, "Inburgering KNM", COMPUTER, 45),
        Part("INB-S", INBURGERING, "Inburgering Speaking", COMPUTER, 35),
    )


def month_slots(dates: list[str]) -> tuple[Slot, ...]:
    """NT2 sittings (morning and afternoon, 150 min so extra time fits) and five short inburgering
    sittings a day so a candidate can take all central exams on one day."""
    slots = []
    for d in dates:
        slots += [
            Slot(f"{d}-N1", d, 9 * 60, 11 * 60 + 30, (NT2,)),
            Slot(f"{d}-N2", d, 13 * 60, 15 * 60 + 30, (NT2,)),
        ]
        for k, start in enumerate((9 * 60, 10 * 60 + 30, 12 * 60 + 30, 14 * 60, 15 * 60 + 30)):
            slots.append(Slot(f"{d}-I{k + 1}", d, start, start + 75, (INBURGERING,)))
    return tuple(slots)


def _month_sites() -> tuple[list[Location], list[Room]]:
    locations, rooms = [], []
    for name, lat, lon in NT2_SITES:
        loc = Location(f"NT2-{name[:3].upper()}", f"NT2 {name}", lat, lon, families=(NT2,))
        locations.append(loc)
        for r in range(4):
            rooms.append(
                Room(f"{loc.id}-C{r + 1}", loc.id, COMPUTER, 30, accessible=r == 0, large_print=r == 1)
            )
        rooms.append(
            Room(f"{loc.id}-SEP", loc.id, COMPUTER, 2, separate=True, accessible=True, large_print=True)
        )
    for name, lat, lon in INB_SITES:
        loc = Location(f"INB-{name[:3].upper()}", f"Inburgering {name}", lat, lon, families=(INBURGERING,))
        locations.append(loc)
        for r in range(3):
            rooms.append(
                Room(f"{loc.id}-C{r + 1}", loc.id, COMPUTER, 24, accessible=r == 0, large_print=r == 1)
            )
        rooms.append(Room(f"{loc.id}-P1", loc.id, PAPER, 30, accessible=True, large_print=True))
        rooms.append(
            Room(f"{loc.id}-SEP", loc.id, COMPUTER, 2, separate=True, accessible=True, large_print=True)
        )
        rooms.append(
            Room(f"{loc.id}-SEPP", loc.id, PAPER, 2, separate=True, accessible=True, large_print=True)
        )
    return locations, rooms


def nt2_inburgering_month(seed: int = 1, n_parts: int = 20000, n_invigilators: int = 400) -> Scenario:
    """A month of NT2 and inburgering demand: ~40 % NT2 parts, ~60 % inburgering parts; each candidate
    books within a one-week window; 70 % of inburgering candidates ask for all exams on one day."""
    rng = random.Random(seed)
    dates = workdays("2026-09-07", 4)
    locations, rooms = _month_sites()
    nt2, inb = nt2_parts(), inb_parts()
    nt2_locs = [loc for loc in locations if loc.families == (NT2,)]
    inb_locs = [loc for loc in locations if loc.families == (INBURGERING,)]
    candidates: list[Candidate] = []
    total = 0
    while total < n_parts:
        c = len(candidates)
        is_nt2 = rng.random() < 0.47
        site = rng.choice(nt2_locs if is_nt2 else inb_locs)
        lat, lon = _jitter(rng, site.lat, site.lon, 25)
        week = rng.randrange(4)
        start, end = dates[5 * week], dates[5 * week + 4]
        cid = f"{'N' if is_nt2 else 'I'}{c:05d}"
        if is_nt2:
            prog = rng.choice(("I", "II"))
            chosen = rng.sample([p for p in nt2 if f"-{prog}-" in p.id], rng.choice((1, 2, 4, 4)))
            fam, same_day, deadline = NT2, False, None
        else:
            chosen = list(inb) if rng.random() < 0.7 else rng.sample(list(inb), 2)
            fam, same_day = INBURGERING, len(chosen) == len(inb) and rng.random() < 0.9
            deadline = dates[-1] if rng.random() < 0.15 else None
        reqs = tuple(Request(f"{cid}/{p.id}", p.id) for p in chosen)
        prefs = tuple(rng.sample(dates[5 * week : 5 * week + 5], 2)) if rng.random() < 0.2 else ()
        candidates.append(
            Candidate(
                cid,
                fam,
                round(lat, 4),
                round(lon, 4),
                reqs,
                provisions=_provisions(rng, 30),
                deadline=deadline,
                preferred_location_ids=(site.id,),
                preferred_dates=prefs,
                window_start=start,
                window_end=end,
                same_day=same_day,
                max_travel_km=80.0,
            )
        )
        total += len(reqs)
    staff = []
    for e in range(n_invigilators):
        site = rng.choice(locations)
        lat, lon = _jitter(rng, site.lat, site.lon, 20)
        avail = tuple(d for d in dates if rng.random() < 0.75)
        staff.append(
            Examiner(
                f"S{e:04d}",
                f"Invigilator {e:04d}",
                round(lat, 4),
                round(lon, 4),
                (INVIGILATOR,),
                available_dates=avail,
            )
        )
    settings = Settings(
        max_exams_per_day=2,
        invigilator_ratio=20,
        staff_max_per_day=3,
        staff_max_per_week=12,
        max_travel_km=80.0,
    )
    return Scenario(
        f"nt2-inburgering-month-{seed}",
        tuple(locations),
        tuple(rooms),
        month_slots(dates),
        nt2 + inb,
        tuple(staff),
        tuple(candidates),
        settings=settings,
    )


# Small scenarios for tests --------------------------------------------------------------------------


def small(seed: int = 0, n_candidates: int = 8, seats: int = 3, n_staff: int = 4) -> Scenario:
    """Two locations, two days, every family; sized so that most but not always all requests fit."""
    rng = random.Random(seed)
    dates = workdays("2026-06-01", 1)[:2]
    slots = [Slot(f"{d}-am", d, 9 * 60, 12 * 60) for d in dates] + [
        Slot(f"{d}-pm", d, 13 * 60, 16 * 60) for d in dates
    ]
    locations = [Location("L1", "Utrecht", 52.09, 5.12), Location("L2", "Amersfoort", 52.16, 5.39)]
    rooms = []
    for loc in locations:
        rooms += [
            Room(f"{loc.id}-C", loc.id, COMPUTER, seats, accessible=rng.random() < 0.5, large_print=True),
            Room(f"{loc.id}-P", loc.id, PAPER, seats, accessible=True),
            Room(f"{loc.id}-O", loc.id, ORAL, 1, accessible=True),
            Room(f"{loc.id}-S", loc.id, COMPUTER, 1, separate=True, accessible=True),
        ]
    parts = (
        Part("NT2-R", NT2, "NT2 Reading B1", COMPUTER, 100),
        Part("NT2-S", NT2, "NT2 Speaking B1", COMPUTER, 30),
        Part("INB-K", INBURGERING, "Inburgering KNM", COMPUTER, 45),
        Part("INB-W", INBURGERING, "Inburgering Writing", PAPER, 40),
        Part("VO-NL", VO, "VO oral Dutch havo", ORAL, 40, prep_min=20, subject="NL", level="havo"),
    )
    candidates = []
    for c in range(n_candidates):
        kind = rng.choice((NT2, INBURGERING, VO))
        loc = rng.choice(locations)
        lat, lon = _jitter(rng, loc.lat, loc.lon, 10)
        if kind == NT2:
            ids = rng.sample(["NT2-R", "NT2-S"], rng.choice((1, 2)))
        elif kind == INBURGERING:
            ids = ["INB-K", "INB-W"]
        else:
            ids = ["VO-NL"]
        prov = rng.choice(
            [Provisions()] * 5
            + [
                Provisions(extra_min=30),
                Provisions(separate_room=True),
                Provisions(accessible=True),
                Provisions(extra_min=200),
            ]
        )
        candidates.append(
            Candidate(
                f"C{c}",
                kind,
                round(lat, 4),
                round(lon, 4),
                tuple(Request(f"C{c}/{p}", p) for p in ids),
                provisions=prov,
                same_day=kind == INBURGERING and rng.random() < 0.5,
                deadline=dates[-1] if rng.random() < 0.2 else None,
                school_id=f"SCH{rng.randrange(3)}",
                preferred_location_ids=(loc.id,),
                max_travel_km=rng.choice((15.0, 60.0)),
            )
        )
    staff = []
    for e in range(n_staff):
        roles = rng.choice(((INVIGILATOR,), (EXAMINATOR, SECOND), (SECOND,), (INVIGILATOR, SECOND)))
        staff.append(
            Examiner(
                f"E{e}",
                f"Staff {e}",
                52.1 + rng.random() * 0.1,
                5.2 + rng.random() * 0.2,
                roles,
                qualifications=("NL:havo",) if EXAMINATOR in roles else (),
                available_dates=tuple(d for d in dates if rng.random() < 0.8),
                conflicts=(f"SCH{rng.randrange(3)}",) if rng.random() < 0.3 else (),
                max_per_day=rng.choice((None, 1, 2)),
            )
        )
    return Scenario(
        f"small-{seed}",
        tuple(locations),
        tuple(rooms),
        tuple(slots),
        parts,
        tuple(staff),
        tuple(candidates),
        settings=Settings(max_travel_km=60.0, staff_max_per_week=5),
    )
