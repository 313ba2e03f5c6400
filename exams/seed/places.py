"""Exam locations with rooms and opening hours.

The NT2 locations are the agency's own (Amsterdam, Eindhoven, Rijswijk, Rotterdam, Zwolle); inburgering has
six own locations (the sixth, Groningen, is *assumed*). Street addresses are made up for the demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import time
from decimal import Decimal

from ..geo import TOWNS as CITIES
from ..models import ExamFamily, Location, OpeningHours, Room


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    city: str
    postcode: str
    lat: float
    lon: float
    timezone: str = "Europe/Amsterdam"
    country: str = "NL"
    region: str = ""  # whose public holidays: scheduling.holidays.REGIONS


AGENCY_CENTRES = [
    Place("AMS", "Examencentrum Amsterdam", "Amsterdam", "1011 AB", 52.3676, 4.9041),
    Place("EHV", "Examencentrum Eindhoven", "Eindhoven", "5611 AB", 51.4416, 5.4697),
    Place("RSW", "Examencentrum Rijswijk", "Rijswijk", "2281 AB", 52.0363, 4.3250),
    Place("RTM", "Examencentrum Rotterdam", "Rotterdam", "3011 AB", 51.9244, 4.4777),
    Place("ZWL", "Examencentrum Zwolle", "Zwolle", "8011 AB", 52.5168, 6.0830),
    Place("GRQ", "Examencentrum Groningen", "Groningen", "9711 AB", 53.2194, 6.5665),
]
NT2_CODES = {"AMS", "EHV", "RSW", "RTM", "ZWL"}

AMERSFOORT = Place("VO-AMF", "Staatsexamenlocatie Amersfoort", "Amersfoort", "3811 AB", 52.1561, 5.3878)
BONAIRE = Place("VO-BON", "Examenlocatie Bonaire", "Kralendijk", "", 12.1443, -68.2655, "America/Kralendijk", "BQ",
                "BQ-BO")

WFT_CITIES = ["Utrecht", "Amsterdam", "Rotterdam", "Eindhoven", "Zwolle", "Groningen", "Den Bosch", "Arnhem",
              "Den Haag", "Maastricht"]
SCHOOL_KINDS = ["Scholengemeenschap", "College", "Lyceum", "Praktijkschool", "Speciaal onderwijs"]


def upsert_location(place: Place, families: list[ExamFamily], route: str = "") -> Location:
    location, _ = Location.objects.update_or_create(
        code=place.code,
        defaults=dict(
            name=place.name, street="Examenplein 1", postcode=place.postcode, city=place.city,
            country=place.country, latitude=Decimal(f"{place.lat:.5f}"), longitude=Decimal(f"{place.lon:.5f}"),
            timezone=place.timezone, region=place.region, route_description=route,
        ),
    )
    location.families.add(*families)
    for weekday in range(5):
        OpeningHours.objects.get_or_create(location=location, weekday=weekday, opens=time(8), closes=time(18))
    return location


def upsert_room(location: Location, name: str, **values) -> Room:
    room, _ = Room.objects.update_or_create(location=location, name=name, defaults=values)
    return room


def seed_agency_centres(families: dict[str, ExamFamily]) -> list[Location]:
    """The agency's own test centres: computer rooms, a paper room, a small room for separate seating."""
    locations = []
    for place in AGENCY_CENTRES:
        served = [families["inburgering"]] + ([families["nt2"]] if place.code in NT2_CODES else [])
        location = upsert_location(place, served, route=f"Vanaf station {place.city}: 10 minuten lopen.")
        for number in (1, 2, 3):
            upsert_room(location, f"Computerzaal {number}", seats=30, computer_seats=30, wheelchair_accessible=True)
        upsert_room(location, "Schrijfzaal", seats=40, computer_seats=0, wheelchair_accessible=True)
        upsert_room(location, "Aparte ruimte", seats=2, computer_seats=2, separate_room_ok=True,
                    wheelchair_accessible=True)
        locations.append(location)
    return locations


def seed_vo_sites(family: ExamFamily, *, schools: int, rng: random.Random) -> list[Location]:
    """Amersfoort (the largest oral site), Bonaire, and schools where candidates often sit at their own."""
    sites = []
    amersfoort = upsert_location(AMERSFOORT, [family], route="Bus 4 vanaf station Amersfoort Centraal.")
    for number in range(1, 21):
        upsert_room(amersfoort, f"Mondeling {number:02d}", seats=3, oral_room=True, wheelchair_accessible=number <= 4)
    for number in (1, 2):
        upsert_room(amersfoort, f"Voorbereiding {number}", seats=12, preparation_room=True, wheelchair_accessible=True)
    upsert_room(amersfoort, "Aula", seats=200, wheelchair_accessible=True)
    upsert_room(amersfoort, "Aparte ruimte", seats=2, separate_room_ok=True, wheelchair_accessible=True)
    sites.append(amersfoort)
    bonaire = upsert_location(BONAIRE, [family], route="Kaya Grandi, naast het bestuurskantoor.")
    upsert_room(bonaire, "Mondeling 1", seats=3, oral_room=True, wheelchair_accessible=True)
    upsert_room(bonaire, "Voorbereiding", seats=6, preparation_room=True, wheelchair_accessible=True)
    upsert_room(bonaire, "Examenzaal", seats=30, wheelchair_accessible=True)
    sites.append(bonaire)
    for index in range(schools):
        city, lat, lon = CITIES[index % len(CITIES)]
        kind = SCHOOL_KINDS[index % len(SCHOOL_KINDS)]
        place = Place(f"VO-S{index + 1:03d}", f"{kind} {city}{'' if index < len(CITIES) else f' {index // len(CITIES) + 1}'}",
                      city, f"{1000 + index * 73 % 8900} XY", lat + rng.uniform(-0.03, 0.03),
                      lon + rng.uniform(-0.03, 0.03))
        school = upsert_location(place, [family])
        for number in range(1, 3 + index % 3):
            upsert_room(school, f"Lokaal {number}", seats=3, oral_room=True, wheelchair_accessible=number == 1)
        upsert_room(school, "Voorbereiding", seats=6, preparation_room=True, wheelchair_accessible=True)
        upsert_room(school, "Gymzaal", seats=80, wheelchair_accessible=True)
        sites.append(school)
    return sites


def seed_wft_institutes(family: ExamFamily, *, count: int) -> list[Location]:
    institutes = []
    for index, city in enumerate(WFT_CITIES[:count]):
        lat, lon = next((c[1], c[2]) for c in CITIES if c[0] == city)
        place = Place(f"WFT-{index + 1:02d}", f"Wft-examencentrum {city}", city, f"{3500 + index * 11} WF", lat, lon)
        location = upsert_location(place, [family], route=f"Op loopafstand van station {city}.")
        upsert_room(location, "Examenzaal", seats=24, computer_seats=24, wheelchair_accessible=True)
        upsert_room(location, "Aparte ruimte", seats=1, computer_seats=1, separate_room_ok=True,
                    wheelchair_accessible=True)
        institutes.append(location)
    return institutes
