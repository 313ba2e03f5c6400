"""Typed input and output of the rostering solver.

Everything here is a frozen dataclass of plain values (strings, numbers, tuples) so that a scenario can be
hashed into a snapshot, written to JSON (``scenario_io``) and replayed. Dates are ISO strings
(``YYYY-MM-DD``) and times are minutes after local midnight of the location, because planners think in
local clock time (Bonaire runs at UTC-4, the Netherlands at UTC+1/+2) and only the validator and the
double-booking rule need absolute time (see :func:`absolute_interval`).

Vocabulary:
- a *part* is one examinable unit (NT2 Speaking B1, inburgering KNM, Wft Basis, VO oral Dutch havo);
- a *session* is a part in a room in a slot (a sitting for computer/paper parts, an oral block for VO
  orals: one committee examines several candidates one after the other);
- a *request* is one candidate asking for one part; a *placement* puts a request into a session;
- a *staff assignment* puts an examiner into a session in a role.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# Families -------------------------------------------------------------------------------------------
NT2 = "NT2"
INBURGERING = "INB"
VO = "VO"
WFT = "WFT"
FAMILIES = (NT2, INBURGERING, VO, WFT)

# Part modes and the room kinds that can host them -----------------------------------------------------
COMPUTER = "computer"
PAPER = "paper"
ORAL = "oral"
MODES = (COMPUTER, PAPER, ORAL)

# Staff roles ----------------------------------------------------------------------------------------
INVIGILATOR = "invigilator"
EXAMINATOR = "examinator"
SECOND = "second"
ROLES = (INVIGILATOR, EXAMINATOR, SECOND)


def family_role(role: str, family: str) -> str:
    """The token for ``role`` held in one family only (``invigilator@NT2``); a bare role holds in every family."""
    return f"{role}@{family}"


def split_role(token: str) -> tuple[str, str]:
    """The role and the family of a role token; the family is "" for a bare role (the inverse of
    :func:`family_role`)."""
    role, _, family = token.partition("@")
    return role, family


# Disruption kinds -----------------------------------------------------------------------------------
EXAMINER_UNAVAILABLE = "examiner_unavailable"
ROOM_CLOSED = "room_closed"
LOCATION_CLOSED = "location_closed"
SESSION_CANCELLED = "session_cancelled"
DISRUPTION_KINDS = (EXAMINER_UNAVAILABLE, ROOM_CLOSED, LOCATION_CLOSED, SESSION_CANCELLED)

# Solver statuses (mapped explicitly from CP-SAT in solve.py) ----------------------------------------
OPTIMAL = "OPTIMAL"
FEASIBLE = "FEASIBLE"
INFEASIBLE = "INFEASIBLE"
MODEL_INVALID = "MODEL_INVALID"
UNKNOWN = "UNKNOWN"
CANCELLED = "CANCELLED"


# Wording: sentences a reader's language can be put on --------------------------------------------------

TEMPLATES: set[str] = set()
"""Every English template the library words its sentences with; a portal translates each one."""

PARAMS = {
    "candidate": "a candidate id",
    "request": "a request id",
    "examiner": "an examiner id",
    "name": "an examiner's name",
    "other": "a second id of the same kind (request, session, examiner)",
    "part": "a part's name (its id is in ``part_id``)",
    "location": "a location's name",
    "room": "a room id",
    "session": "a session, worded (or its id)",
    "where": "a room and slot, worded",
    "slot": "a time slot, worded",
    "day": "an ISO date, written '3 June'",
    "date": "an ISO date, written as is",
    "deadline": "an ISO date, written as is",
    "week": "an ISO week (2026-W23)",
    "start": "a clock time (09:00)",
    "end": "a clock time (12:00)",
    "role": "a staff role (invigilator, examinator, second)",
    "mode": "a part's mode (computer, paper, oral)",
    "kind": "a room's kind (computer, paper, oral)",
    "family": "an exam family code (NT2, INB, VO, WFT)",
    "exams": "an exam family code, said as the family's name ('Wft exams')",
    "qualification": "a qualification (subject:level)",
    "what": "a staff role or a qualification (subject:level)",
    "rule": "a rule's NAME",
    "reason": "a worded reason",
    "who": "a worded candidate or examiner in a session",
    "head": "the worded start of a sentence",
    "items": "worded pieces joined with '; '",
    "n": "a count",
    "total": "a count",
    "missing": "a count",
    "used": "an amount used",
    "cap": "a capacity",
    "seats": "a number of seats",
    "limit": "a maximum",
    "minutes": "a number of minutes",
    "days": "a number of days",
    "km": "a distance in km",
    "free": "a free distance in km",
    "low": "a count",
    "high": "a count",
    "spread": "a count",
}
"""The values a template may name (``%(name)s``), so a portal knows how to say each in its language."""


def template(text: str) -> str:
    """Declare an English template; every declared one is offered for translation."""
    TEMPLATES.add(text)
    return text


COUNTED: dict[str, tuple[str, str]] = {}
"""Per template that says a count: its singular form and the value that counts. The template itself (the
translation key) is the plural; a portal chooses with ``ngettext(singular, template, n)``."""


def counted(singular: str, plural: str, count: str = "n") -> str:
    """Declare an English template that says a count: ``plural`` is the template, ``singular`` the form for
    one (``%(count)s`` stays in it)."""
    COUNTED[plural] = (singular, count)
    return template(plural)


RENAMED: dict[str, str] = {}
"""Templates reworded since wordings were first stored: a stored old one is said as its new one."""


def _english(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def _as_is(name: str, value: Any, params: dict[str, Any]) -> Any:
    if name == "what" and "@" in value:
        return "%s (%s)" % split_role(value)
    if name == "day":
        day = dt.date.fromisoformat(value)
        return f"{day.day} {day.strftime('%B')}"
    return value


@dataclass(frozen=True)
class Message:
    """A sentence, or a piece of one, as its English ``template`` (the translation key, placeholders
    ``%(name)s`` from :data:`PARAMS`) and its values: plain ``params``, named ``inner`` pieces that are
    worded themselves (a session, a time slot) and ``items`` joined with '; ' into ``%(items)s``."""

    template: str
    params: tuple[tuple[str, str | int | float], ...] = ()
    inner: tuple[tuple[str, Message], ...] = ()
    items: tuple[Message, ...] = ()

    def render(
        self,
        translate: Callable[[str], str] = str,
        value: Callable[[str, Any, dict[str, Any]], Any] = _as_is,
        plural: Callable[[str, str, int], str] = _english,
    ) -> str:
        """The sentence, with ``translate`` applied to every template, ``plural(singular, plural, n)`` to
        every template that says a count (see :func:`counted`) and ``value(name, value, params)`` to every
        plain value; the defaults give the library's English."""
        params = dict(self.params)
        values = {name: value(name, v, params) for name, v in self.params}
        values.update((name, m.render(translate, value, plural)) for name, m in self.inner)
        if self.items:
            values["items"] = "; ".join(m.render(translate, value, plural) for m in self.items)
        if self.template in COUNTED:
            singular, count = COUNTED[self.template]
            return plural(singular, self.template, int(params.get(count, 0))) % values
        return translate(self.template) % values

    @property
    def text(self) -> str:
        return self.render()

    @staticmethod
    def from_data(data: dict[str, Any]) -> Message:
        """The message back from its JSON form (``scenario_io.to_data``)."""
        return Message(
            RENAMED.get(data["template"], data["template"]),
            tuple((name, v) for name, v in data.get("params", ())),
            tuple((name, Message.from_data(m)) for name, m in data.get("inner", ())),
            tuple(Message.from_data(m) for m in data.get("items", ())),
        )


def say(text: str, *, inner: dict[str, Message] | None = None, items=(), **params: str | float) -> Message:
    """A :class:`Message` of a declared template."""
    return Message(text, tuple(params.items()), tuple((inner or {}).items()), tuple(items))


MORNING = template("%(day)s morning (%(start)s-%(end)s)")
AFTERNOON = template("%(day)s afternoon (%(start)s-%(end)s)")


@dataclass(frozen=True)
class Location:
    """An exam location. ``utc_offset_min`` lets Bonaire (-240) share one timeline with the mainland;
    ``families`` lists the exam families it hosts (empty: all)."""

    id: str
    name: str
    lat: float
    lon: float
    utc_offset_min: int = 60
    open_min: int = 8 * 60
    close_min: int = 18 * 60
    closed_dates: tuple[str, ...] = ()
    region: str = ""
    families: tuple[str, ...] = ()


@dataclass(frozen=True)
class Room:
    """A room. ``kind`` is the mode it hosts; ``seats`` is seats (sittings) or parallel orals (always 1)."""

    id: str
    location_id: str
    kind: str
    seats: int
    accessible: bool = False
    separate: bool = False
    large_print: bool = False
    closed_dates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Slot:
    """A time window on one date, in local time of whatever location uses it. ``families`` limits
    which exam families sit in it (empty: all), e.g. NT2's two long sittings a day."""

    id: str
    date: str
    start_min: int
    end_min: int
    families: tuple[str, ...] = ()

    @property
    def length(self) -> int:
        return self.end_min - self.start_min

    @property
    def week(self) -> str:
        year, week, _ = dt.date.fromisoformat(self.date).isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def label(self) -> str:
        return self.wording.text

    @property
    def wording(self) -> Message:
        """'3 June morning (09:00-12:00)'."""
        text = MORNING if self.start_min < 12 * 60 else AFTERNOON
        return say(text, day=self.date, start=hhmm(self.start_min), end=hhmm(self.end_min))


@dataclass(frozen=True)
class Part:
    """One examinable unit. For orals ``duration_min`` is the oral itself, ``prep_min`` the preparation
    before it (spent in a preparation room, so it blocks the candidate but not the committee).

    A part with ``members`` is a sitting of several parts at once (a Wft sitting that holds every module,
    inburgering's computer parts together): requests for any member take its seats, and it shares one room,
    its seats and its staff. It exists only where such a sitting already is (a session of it in
    ``Scenario.published``); the solver never opens one anew. Its ``duration_min`` is its longest member's."""

    id: str
    family: str
    name: str
    mode: str
    duration_min: int
    prep_min: int = 0
    subject: str = ""
    level: str = ""
    members: tuple[str, ...] = ()

    @property
    def qualification(self) -> str:
        return f"{self.subject}:{self.level}"


@dataclass(frozen=True)
class Provisions:
    """Special provisions granted to a candidate. All are hard rules for placement."""

    extra_min: int = 0
    extra_prep_min: int = 0
    separate_room: bool = False
    accessible: bool = False
    large_print: bool = False

    @property
    def any(self) -> bool:
        return bool(
            self.extra_min or self.extra_prep_min or self.separate_room or self.accessible or self.large_print
        )


@dataclass(frozen=True)
class Request:
    """A candidate asking for one part. ``id`` is unique over the whole scenario."""

    id: str
    part_id: str


@dataclass(frozen=True)
class Candidate:
    """A candidate with requests, provisions and preferences.

    ``window_start``/``window_end`` bound the dates the agency may use (registration deadlines, the oral
    season of the candidate's school); ``notice_start`` is the first day the candidate can still be
    summoned for in time (the days before it are in ``unavailable_dates`` because of the family's notice of
    ``notice_days`` days, not because of the candidate); ``same_day`` asks for all exams on one day at one
    location (the inburgering rule, on request); ``deadline`` is the inburgering 3-year deadline: candidates close to it
    go first.
    """

    id: str
    family: str
    lat: float
    lon: float
    requests: tuple[Request, ...]
    provisions: Provisions = Provisions()
    deadline: str | None = None
    preferred_location_ids: tuple[str, ...] = ()
    preferred_dates: tuple[str, ...] = ()
    unavailable_dates: tuple[str, ...] = ()
    window_start: str | None = None
    window_end: str | None = None
    max_travel_km: float | None = None
    school_id: str = ""
    same_day: bool = False
    notice_start: str | None = None
    notice_days: int = 0


@dataclass(frozen=True)
class Expiry:
    """The last date (ISO) on which an examiner still holds ``what``: a role or a ``subject:level``
    qualification. Certifications lapse (an examinator's licence, an invigilator's training)."""

    what: str
    last_date: str


@dataclass(frozen=True)
class Examiner:
    """Exam staff. ``roles`` are role tokens: a bare role (``invigilator``) holds in every family, a
    family's (``invigilator@NT2``, see :func:`family_role`) in that family only. ``qualifications`` are
    ``subject:level`` strings (VO orals); ``conflicts`` are candidate ids or school ids the examiner may
    not examine (own pupils, relatives). A role token or qualification named in ``expires`` holds up to and
    including its last date; any other holds always."""

    id: str
    name: str
    lat: float
    lon: float
    roles: tuple[str, ...]
    qualifications: tuple[str, ...] = ()
    available_dates: tuple[str, ...] | None = None
    unavailable_dates: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    max_per_day: int | None = None
    max_per_week: int | None = None
    max_travel_km: float | None = None
    expires: tuple[Expiry, ...] = ()

    def holds(self, what: str, date: str) -> bool:
        """Whether the examiner has role or qualification ``what`` on ``date``."""
        if what not in self.roles and what not in self.qualifications:
            return False
        return not self.expires or all(e.last_date >= date for e in self.expires if e.what == what)

    def holds_role(self, role: str, family: str, date: str) -> bool:
        """Whether the examiner may act as ``role`` in a session of ``family`` on ``date``."""
        return self.holds(role, date) or self.holds(family_role(role, family), date)


@dataclass(frozen=True)
class SessionRef:
    """Identifies a session: a part in a room in a slot. Its ``id`` is stable text used everywhere."""

    part_id: str
    room_id: str
    slot_id: str

    @cached_property
    def id(self) -> str:
        return session_id(self.part_id, self.room_id, self.slot_id)


def sitting_part_id(part_ids) -> str:
    """The id of the part that is a sitting of several parts at once (see ``Part.members``)."""
    return "+".join(sorted(part_ids))


def session_id(part_id: str, room_id: str, slot_id: str) -> str:
    return f"{part_id}@{room_id}@{slot_id}"


def parse_session_id(sid: str) -> SessionRef:
    part_id, room_id, slot_id = sid.split("@")
    return SessionRef(part_id, room_id, slot_id)


@dataclass(frozen=True)
class Placement:
    request_id: str
    session_id: str


@dataclass(frozen=True)
class StaffAssignment:
    examiner_id: str
    session_id: str
    role: str


@dataclass(frozen=True)
class Pin:
    """A planner's decision the solver must keep: a placement (request_id + session_id) or a staff
    assignment (examiner_id + session_id + role)."""

    session_id: str
    request_id: str = ""
    examiner_id: str = ""
    role: str = ""


@dataclass(frozen=True)
class Disruption:
    """Something that broke a published roster. ``target_id`` is an examiner, room, location or session
    id depending on ``kind``; ``dates`` limits it (empty = every date)."""

    kind: str
    target_id: str
    dates: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Weights:
    """Penalty weights. Defaults are lexicographic: each rule outweighs everything below it in realistic
    scenarios (place everyone > deadlines > provisions > travel > spread > fairness > cost)."""

    unplaced: int = 1_000_000
    deadline: int = 100_000
    provisions: int = 20_000
    uncovered: int = 1_000_000
    change: int = 5_000
    travel_per_km: int = 20
    preference: int = 200
    spread: int = 100
    fairness: int = 30
    session_cost: int = 50
    staff_cost: int = 1


@dataclass(frozen=True)
class Settings:
    """Rules that vary by year and regime; every figure the domain marks as *assumed* lives here."""

    invigilator_ratio: int = 20
    max_exams_per_day: int = 2
    max_travel_km: float = 60.0
    travel_free_km: float = 10.0
    staff_max_per_day: int = 4
    staff_max_per_week: int = 12
    staff_max_travel_km: float = 120.0
    staff_travel_free_km: float = 25.0
    min_break_min: int = 15
    oral_changeover_min: int = 5
    max_pair_days: int = 2
    deadline_horizon_days: int = 120
    require_all_placed: bool = False
    require_all_covered: bool = False
    block_max_requests: int = 250
    max_rooms_per_slot: int = 4
    staff_candidates_per_role: int = 30


@dataclass(frozen=True)
class Solution:
    """A roster: opened sessions, placements and staff assignments."""

    sessions: tuple[str, ...] = ()
    placements: tuple[Placement, ...] = ()
    staff: tuple[StaffAssignment, ...] = ()


@dataclass(frozen=True)
class Scenario:
    """Everything the solver needs. ``family_weights`` overrides ``weights`` per family."""

    name: str
    locations: tuple[Location, ...]
    rooms: tuple[Room, ...]
    slots: tuple[Slot, ...]
    parts: tuple[Part, ...]
    examiners: tuple[Examiner, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    pins: tuple[Pin, ...] = ()
    published: Solution | None = None
    disruptions: tuple[Disruption, ...] = ()
    weights: Weights = Weights()
    family_weights: tuple[tuple[str, Weights], ...] = ()
    settings: Settings = Settings()

    def weights_for(self, family: str) -> Weights:
        for fam, w in self.family_weights:
            if fam == family:
                return w
        return self.weights


@dataclass(frozen=True)
class Unplaced:
    request_id: str
    candidate_id: str
    part_id: str
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    wording: tuple[Message, ...] = ()  # each reason as a Message, for a reader's language


@dataclass(frozen=True)
class Uncovered:
    session_id: str
    role: str
    missing: int
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    wording: tuple[Message, ...] = ()


@dataclass(frozen=True)
class Penalty:
    """One paid soft penalty: ``amount`` units of ``rule`` at ``weight`` each, with a sentence."""

    rule: str
    amount: int
    weight: int
    subject: str
    sentence: str
    wording: Message | None = None  # the sentence as a Message, for a reader's language

    @property
    def cost(self) -> int:
        return self.amount * self.weight


@dataclass(frozen=True)
class StageStats:
    """One sub-solve of the decomposition (a block, a spill pass, a staff day)."""

    name: str
    status: str
    objective: float
    bound: float
    elapsed_s: float
    variables: int


@dataclass(frozen=True)
class Result:
    status: str
    solution: Solution
    objective: float
    best_bound: float
    gap: float
    elapsed_s: float
    unplaced: tuple[Unplaced, ...] = ()
    uncovered: tuple[Uncovered, ...] = ()
    penalties: tuple[Penalty, ...] = ()
    breakdown: tuple[tuple[str, int], ...] = ()
    violations: tuple[str, ...] = ()
    stages: tuple[StageStats, ...] = field(default=(), compare=False)


# Helpers shared by builder, validator and explanations ----------------------------------------------


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; good enough for travel rules, and right for Bonaire (7,800 km away)."""
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def absolute_interval(slot: Slot, location: Location, start: int, end: int) -> tuple[int, int]:
    """Minutes since 2000-01-01 UTC of a local interval on ``slot.date`` at ``location``."""
    day = (dt.date.fromisoformat(slot.date) - dt.date(2000, 1, 1)).days
    base = day * 1440 - location.utc_offset_min
    return base + start, base + end
