"""Made-up people for the demo and for national-scale data sets: varied names, real-looking cities."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from ..models import Candidate, Examiner, Location
from .places import CITIES

FIRST_NAMES = [
    "Aisha", "Mohammed", "Fatima", "Yusuf", "Olena", "Dmytro", "Maria", "José", "Wei", "Li", "Priya", "Arjun",
    "Sara", "Ahmed", "Noor", "Omar", "Anna", "Piotr", "Kasia", "Tomasz", "Elif", "Mehmet", "Ayşe", "Emre",
    "Lucas", "Sophie", "Daan", "Emma", "Sem", "Julia", "Lotte", "Finn", "Tess", "Bram", "Mila", "Noah",
    "Amara", "Kwame", "Abebe", "Hanna", "Samir", "Leila", "Carlos", "Lucia", "Ivan", "Irina", "Thanh", "Minh",
    "Ravi", "Ana", "Joao", "Giulia", "Marco", "Nadia", "Youssef", "Rania", "Tariq", "Zeynep", "Hiba", "Jan",
]
LAST_NAMES = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
    "El Amrani", "Yilmaz", "Kaya", "Kowalski", "Nowak", "Shevchenko", "Kovalenko", "Garcia", "Silva", "Santos",
    "Wang", "Chen", "Nguyen", "Tran", "Haddad", "Mansour", "Hussein", "Osei", "Mensah", "Tesfaye", "Rossi",
    "Ferrari", "Petrov", "Ivanova", "Sharma", "Patel", "Ali", "Khan", "Demir", "Çelik", "van Dijk", "Hendriks",
    "van den Berg", "Dekker", "Peters", "Vermeulen", "Willems", "Brouwer", "van Leeuwen", "Koster",
]


def person_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def make_candidate(rng: random.Random, index: int, *, prefix: str, near: Location | None = None,
                   school: str = "", adult: bool = True) -> Candidate:
    """An unsaved candidate (for bulk creation) living near ``near`` or in a random city."""
    first, last = person_name(rng)
    if near is not None:
        city, lat, lon = near.city, float(near.latitude), float(near.longitude)
    else:
        city, lat, lon = rng.choice(CITIES)
    age_days = rng.randint(19 * 365, 55 * 365) if adult else rng.randint(16 * 365, 21 * 365)
    return Candidate(
        first_name=first, last_name=last, birth_date=date(2026, 1, 1) - timedelta(days=age_days),
        email=f"{prefix}{index:06d}@example.org", language=rng.choice(["nl", "en"]),
        street=f"{rng.choice(['Dorpsstraat', 'Kerkstraat', 'Stationsweg', 'Molenweg', 'Schoolstraat'])} {rng.randint(1, 200)}",
        postcode=f"{rng.randint(1000, 9999)} {rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}",
        city=city, latitude=Decimal(f"{lat + rng.uniform(-0.08, 0.08):.5f}"),
        longitude=Decimal(f"{lon + rng.uniform(-0.08, 0.08):.5f}"), max_travel_km=rng.choice([None, 50, 80, 120]),
        school=school,
    )


def make_examiner(rng: random.Random, index: int, *, prefix: str, home: Location) -> Examiner:
    first, last = person_name(rng)
    return Examiner(
        first_name=first, last_name=last, email=f"{prefix}{index:05d}@example.org", home_location=home,
        max_travel_km=rng.choice([40, 60, 80, 120]), max_sessions_per_day=rng.choice([4, 6, 8]),
        max_sessions_per_week=rng.choice([12, 20, 30]), school=f"School {rng.randint(1, 400)}",
        last_taught_exam_class=rng.choice([2022, 2023, 2024, 2025, 2026]),
    )
