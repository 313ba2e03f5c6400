"""Exam locations with rooms and opening hours.

The NT2 locations are the agency's own (Amsterdam, Eindhoven, Rijswijk, Rotterdam, Zwolle); inburgering has
six own locations (the sixth, Groningen, is *assumed*). Street addresses are made up for the demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import time
from decimal import Decimal

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
BONAIRE = Place("VO-BON", "Examenlocatie Bonaire", "Kralendijk", "", 12.1443, -68.2655, "America/Kralendijk", "BQ")

CITIES = [
    ("Utrecht", 52.0907, 5.1214), ("Den Bosch", 51.6978, 5.3037), ("Arnhem", 51.9851, 5.8987),
    ("Leeuwarden", 53.2012, 5.7999), ("Maastricht", 50.8514, 5.6910), ("Enschede", 52.2215, 6.8937),
    ("Den Haag", 52.0705, 4.3007), ("Breda", 51.5719, 4.7683), ("Nijmegen", 51.8126, 5.8372),
    ("Haarlem", 52.3874, 4.6462), ("Tilburg", 51.5555, 5.0913), ("Middelburg", 51.4988, 3.6109),
    ("Alkmaar", 52.6324, 4.7534), ("Apeldoorn", 52.2112, 5.9699), ("Almere", 52.3508, 5.2647),
    ("Leiden", 52.1601, 4.4970), ("Delft", 52.0116, 4.3571), ("Venlo", 51.3704, 6.1724),
    ("Assen", 52.9925, 6.5649), ("Lelystad", 52.5185, 5.4714), ("Deventer", 52.2661, 6.1552),
    ("Hoorn", 52.6424, 5.0602), ("Gouda", 52.0115, 4.7105), ("Dordrecht", 51.8133, 4.6901),
    ("Emmen", 52.7858, 6.8976), ("Heerlen", 50.8882, 5.9795), ("Roermond", 51.1942, 5.9870),
    ("Zaandam", 52.4420, 4.8292), ("Hilversum", 52.2292, 5.1669), ("Ede", 52.0402, 5.6649),
    ("Zoetermeer", 52.0575, 4.4932), ("Oss", 51.7650, 5.5181), ("Helmond", 51.4793, 5.6570),
    ("Vlissingen", 51.4426, 3.5736), ("Harderwijk", 52.3417, 5.6206), ("Den Helder", 52.9563, 4.7600),
    ("Sneek", 53.0330, 5.6589), ("Doetinchem", 51.9654, 6.2886), ("Amsterdam", 52.3676, 4.9041),
    ("Rotterdam", 51.9244, 4.4777), ("Groningen", 53.2194, 6.5665), ("Zwolle", 52.5168, 6.0830),
    ("Eindhoven", 51.4416, 5.4697),
]
WFT_CITIES = ["Utrecht", "Amsterdam", "Rotterdam", "Eindhoven", "Zwolle", "Groningen", "Den Bosch", "Arnhem",
              "Den Haag", "Maastricht"]
SCHOOL_KINDS = ["Scholengemeenschap", "College", "Lyceum", "Praktijkschool", "Speciaal onderwijs"]


def upsert_location(place: Place, families: list[ExamFamily], route: str = "") -> Location:
    location, _ = Location.objects.update_or_create(
        code=place.code,
        defaults=dict(
            name=place.name, street="Examenplein 1", postcode=place.postcode, city=place.city,
            country=place.country, latitude=Decimal(f"{place.lat:.5f}"), longitude=Decimal(f"{place.lon:.5f}"),
            timezone=place.timezone, route_description=route,
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
