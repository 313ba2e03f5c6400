"""Where is a postcode or a city? Enough geography to rank exam locations by distance, offline.

Dutch postcodes are located by their first two digits (the postcode region), at the main town of that
region: approximate to a few kilometres, which is what choosing an exam location needs. Cities are looked
up among the exam locations' own cities and a list of larger towns. Candidates abroad simply skip the
distance filter.
"""

from __future__ import annotations

import re

#: Postcode region (first two digits) → (latitude, longitude) of its main town. Approximate.
POSTCODE_REGIONS: dict[str, tuple[float, float]] = {
    "10": (52.372, 4.900), "11": (52.330, 4.930), "12": (52.226, 5.176), "13": (52.350, 5.265),
    "14": (52.505, 4.960), "15": (52.442, 4.829), "16": (52.642, 5.060), "17": (52.760, 4.850),
    "18": (52.632, 4.750), "19": (52.460, 4.620), "20": (52.387, 4.646), "21": (52.303, 4.690),
    "22": (52.200, 4.420), "23": (52.160, 4.497), "24": (52.130, 4.660), "25": (52.070, 4.300),
    "26": (52.012, 4.357), "27": (52.058, 4.493), "28": (52.012, 4.711), "29": (51.920, 4.570),
    "30": (51.924, 4.478), "31": (51.917, 4.400), "32": (51.845, 4.330), "33": (51.813, 4.690),
    "34": (52.020, 5.050), "35": (52.091, 5.121), "36": (52.135, 5.040), "37": (52.085, 5.240),
    "38": (52.156, 5.388), "39": (52.028, 5.559), "40": (51.887, 5.430), "41": (51.960, 5.230),
    "42": (51.835, 4.975), "43": (51.650, 3.920), "44": (51.504, 3.890), "45": (51.335, 3.828),
    "46": (51.495, 4.290), "47": (51.530, 4.465), "48": (51.572, 4.768), "49": (51.645, 4.860),
    "50": (51.556, 5.091), "51": (51.640, 5.060), "52": (51.698, 5.304), "53": (51.810, 5.250),
    "54": (51.660, 5.620), "55": (51.420, 5.400), "56": (51.442, 5.470), "57": (51.479, 5.657),
    "58": (51.525, 5.975), "59": (51.370, 6.172), "60": (51.250, 5.710), "61": (50.999, 5.870),
    "62": (50.851, 5.691), "63": (50.870, 5.850), "64": (50.888, 5.980), "65": (51.813, 5.837),
    "66": (51.800, 5.720), "67": (52.040, 5.665), "68": (51.985, 5.899), "69": (51.930, 6.070),
    "70": (51.965, 6.289), "71": (51.970, 6.720), "72": (52.140, 6.200), "73": (52.211, 5.970),
    "74": (52.266, 6.155), "75": (52.222, 6.894), "76": (52.357, 6.662), "77": (52.570, 6.620),
    "78": (52.786, 6.898), "79": (52.723, 6.476), "80": (52.517, 6.083), "81": (52.390, 6.270),
    "82": (52.518, 5.471), "83": (52.710, 5.750), "84": (52.960, 5.920), "85": (52.960, 5.780),
    "86": (53.033, 5.659), "87": (53.040, 5.530), "88": (53.190, 5.540), "89": (53.201, 5.800),
    "90": (53.250, 5.990), "91": (53.325, 5.999), "92": (53.110, 6.100), "93": (53.150, 6.420),
    "94": (52.993, 6.565), "95": (52.990, 6.950), "96": (53.160, 6.760), "97": (53.219, 6.567),
    "98": (53.330, 6.540), "99": (53.330, 6.920),
}

#: Larger towns (and every exam location's town) with their coordinates.
TOWNS = [
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

_POSTCODE = re.compile(r"^\s*([1-9][0-9])[0-9]{2}\s*[A-Za-z]{0,2}\s*$")


def locate(text: str, *, extra_places: dict[str, tuple[float, float]] | None = None) -> tuple[float, float] | None:
    """Coordinates for a Dutch postcode (``3511 AB``, ``3511``) or a place name; ``None`` if unknown."""
    if not text or len(text) > 80:
        return None
    match = _POSTCODE.match(text)
    if match:
        return POSTCODE_REGIONS.get(match.group(1))
    name = text.strip().lower()
    places = {**_towns(), **{k.lower(): v for k, v in (extra_places or {}).items()}}
    return places.get(name)


ALIASES = {"'s-gravenhage": "den haag", "the hague": "den haag", "'s-hertogenbosch": "den bosch"}


def _towns() -> dict[str, tuple[float, float]]:
    towns = {city.lower(): (lat, lon) for city, lat, lon in TOWNS}
    towns["rijswijk"] = (52.0363, 4.3250)
    return towns | {alias: towns[name] for alias, name in ALIASES.items()}
