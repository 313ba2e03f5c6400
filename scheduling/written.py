"""The national timetable of a VO written exam period, planned on the exam-timetabling core.

Every central written exam (a *part*) is sat by all its candidates at one national date and time.
This module takes the period's parts with the candidates enrolled in each, the candidate slots
(morning and afternoon of each exam day) and the national seats per slot, turns them into an
:class:`scheduling.examtt.Problem` — the same core that ``manage.py itc2007 solve`` runs — and
reads the core's answer back in a planner's terms: a slot per part, and the penalty per rule
("12 times a candidate has two exams back to back on one day").

What the core guarantees: no candidate has two exams in one slot, every part fits its slot's
length, and no slot holds more candidates than the national seats. Seating is one core room per
slot whose capacity is the national seats; which site and hall each candidate sits in is decided
later by the placement solver, per sitting.

Fixed and forbidden slots: the core has no per-exam list of periods, so when a part has one, a
chain of empty *anchor* exams is added, one per slot, each strictly after the one before; with as
many anchors as slots, anchor k can only sit in slot k. A fixed part coincides with its slot's
anchor, a forbidden slot excludes it. Anchors have no candidates and so cost nothing, except the
slot penalty every exam in a slot pays: that constant is subtracted from the reported penalty
(:attr:`Encoded.constant`).

Every sentence it writes (the penalty per rule, the reason there is no timetable) carries its
*wording* (:class:`scheduling.model.Message`: an English template declared with ``template()`` and its
values), so a portal can say it in the reader's language as it says the rostering solver's sentences.

Plain Python, no Django: ``exams.planning.written`` reads the database into these objects.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from itertools import pairwise

from scheduling import examtt
from scheduling.examtt import Exam, Period, PeriodConstraint, PeriodRelation, Problem, Room, Weights
from scheduling.model import Message, say, template

# What the penalty counts, per rule, and why a period has no timetable: the English templates.
TWO_IN_A_ROW = template("%(n)s times a candidate has two exams back to back on one day (%(total)s candidates)")
TWO_IN_A_DAY = template("%(n)s times a candidate has two exams on one day with a slot between "
                        "(%(total)s candidates)")
SPREAD = template("%(n)s times a candidate has two exams within %(limit)s slots of each other "
                  "(%(total)s candidates)")
UNWANTED_SLOTS = template("%(n)s exams in slots the agency would rather not use")
NO_SLOTS = template("The period has no slots.")
TOO_LONG = template("%(part)s needs %(minutes)s minutes but the longest slot has %(limit)s.")
TOO_MANY = template("%(part)s has %(n)s candidates but a slot has only %(seats)s seats.")
FIXED_OUTSIDE = template("%(part)s is fixed to %(slot)s, which is not a slot of the period.")
FIXED_IMPOSSIBLE = template("%(part)s is fixed to %(slot)s, where it cannot be.")
TOO_BUSY = template("Candidate %(candidate)s sits %(n)s parts but the period has only %(total)s slots.")
NOT_FOUND = template("No timetable without clashes found in %(limit)s s: the parts that share candidates need "
                     "more slots or seats than the period has, or the fixed, forbidden and apart rules leave "
                     "them no slot.")

#: ``on_progress(elapsed seconds, best penalty)``, called whenever the best timetable improves.
ProgressCallback = Callable[[float, int], None]


@dataclass(frozen=True)
class Slot:
    """A national slot: a date, a start time (the agency's clock), its length in minutes and an
    optional penalty for a slot the agency would rather not use (a Friday afternoon)."""

    day: date
    start: time
    length: int
    penalty: int = 0

    @property
    def label(self) -> str:
        return f"{self.day:%a %d %b %Y} {self.start:%H:%M}"


@dataclass(frozen=True)
class WrittenPart:
    """A central written exam: its id, its name for people, the minutes a sitting needs (with the
    extra time of a provision) and the ids of the candidates enrolled in it."""

    id: str
    name: str
    duration: int
    candidates: tuple[int, ...]


@dataclass(frozen=True)
class WrittenWeights:
    """What a candidate's timetable costs: per pair of their exams back to back on one day, per
    pair on one day with a slot between, and one point per pair less than ``spread_slots`` + 1
    slots apart."""

    two_in_a_row: int = 10
    two_in_a_day: int = 5
    spread_slots: int = 2


@dataclass(frozen=True)
class WrittenPeriod:
    """Everything a written period's timetable is planned from.

    ``fixed`` puts a part in one slot, ``forbidden`` keeps it out of some, ``apart`` names pairs of
    parts that must never share a slot (say, because they use the same printed-paper batch)."""

    parts: tuple[WrittenPart, ...]
    slots: tuple[Slot, ...]
    seats: int
    fixed: Mapping[str, Slot] = field(default_factory=dict)
    forbidden: Mapping[str, Sequence[Slot]] = field(default_factory=dict)
    apart: tuple[tuple[str, str], ...] = ()
    weights: WrittenWeights = field(default_factory=WrittenWeights)


@dataclass(frozen=True)
class Encoded:
    """The period as a core problem: exam ``i`` is ``part_ids[i]``, period ``k`` is ``slots[k]``
    (in time order); anchors, when ``anchored``, follow the parts, one per slot."""

    problem: Problem
    slots: tuple[Slot, ...]
    part_ids: tuple[str, ...]
    anchored: bool
    constant: int


@dataclass(frozen=True)
class RuleCost:
    """One rule of the penalty: how often it is met, by how many candidates, what it costs, and that
    in words (``words``, English) with its ``wording``."""

    rule: str
    times: int
    candidates: int
    penalty: int
    wording: Message

    @property
    def words(self) -> str:
        return self.wording.text


@dataclass(frozen=True)
class WrittenTimetable:
    """The planned timetable, or (``feasible`` false) the reason there is none in ``message`` (English)
    and ``wording``.

    ``clashes`` counts candidates with two exams in one slot, measured on the timetable here: the
    core guarantees 0 for a feasible one."""

    feasible: bool
    timetable: dict[str, Slot]
    penalty: int | None
    breakdown: tuple[RuleCost, ...]
    clashes: int
    wording: Message | None
    status: str
    elapsed: float = 0.0

    @property
    def message(self) -> str:
        return self.wording.text if self.wording is not None else ""

    def by_slot(self) -> list[tuple[Slot, list[str]]]:
        """The slots in use, in time order, with their part ids."""
        slots: dict[Slot, list[str]] = {}
        for part_id, slot in self.timetable.items():
            slots.setdefault(slot, []).append(part_id)
        return [(slot, sorted(slots[slot])) for slot in sorted(slots, key=_when)]


def _when(slot: Slot) -> tuple[date, time]:
    return slot.day, slot.start


def encode(period: WrittenPeriod) -> Encoded:
    """The period as an :class:`examtt.Problem` (see the module docstring for the anchors)."""
    slots = tuple(sorted(period.slots, key=_when))
    days = {day: index for index, day in enumerate(sorted({s.day for s in slots}))}
    index = {part.id: i for i, part in enumerate(period.parts)}
    exams = [Exam(part.duration, tuple(sorted(set(part.candidates)))) for part in period.parts]
    constraints = [PeriodConstraint(index[a], PeriodRelation.EXCLUSION, index[b]) for a, b in period.apart]
    anchored = bool(period.fixed or period.forbidden)
    if anchored:
        constraints += _anchor_constraints(period, slots, index)
        exams += [Exam(0) for _ in slots]
    w = period.weights
    problem = Problem(
        exams=tuple(exams),
        periods=tuple(Period(days[s.day], s.length, s.penalty) for s in slots),
        rooms=(Room(period.seats),),
        period_constraints=tuple(constraints),
        weights=Weights(two_in_a_row=w.two_in_a_row, two_in_a_day=w.two_in_a_day, period_spread=w.spread_slots),
    )
    constant = sum(s.penalty for s in slots) if anchored else 0
    return Encoded(problem, slots, tuple(p.id for p in period.parts), anchored, constant)


def _anchor_constraints(period: WrittenPeriod, slots: tuple[Slot, ...],
                        index: dict[str, int]) -> list[PeriodConstraint]:
    anchor = {slot: len(period.parts) + k for k, slot in enumerate(slots)}
    chain = [PeriodConstraint(anchor[later], PeriodRelation.AFTER, anchor[earlier])
             for earlier, later in pairwise(slots)]
    fixed = [PeriodConstraint(index[part], PeriodRelation.COINCIDENCE, anchor[slot])
             for part, slot in period.fixed.items()]
    forbidden = [PeriodConstraint(index[part], PeriodRelation.EXCLUSION, anchor[slot])
                 for part, slots_out in period.forbidden.items() for slot in slots_out if slot in anchor]
    return chain + fixed + forbidden


def why_infeasible(period: WrittenPeriod) -> Message | None:
    """A reason, worded, that no timetable can exist, found without the solver (or None)."""
    if not period.slots:
        return say(NO_SLOTS)
    longest = max(s.length for s in period.slots)
    for part in period.parts:
        fixed = period.fixed.get(part.id)
        named = {"part": part.name, "part_id": part.id}
        if part.duration > longest:
            return say(TOO_LONG, **named, minutes=part.duration, limit=longest)
        if len(set(part.candidates)) > period.seats:
            return say(TOO_MANY, **named, n=len(set(part.candidates)), seats=period.seats)
        if fixed is not None and fixed not in period.slots:
            return say(FIXED_OUTSIDE, **named, slot=fixed.label)
        if fixed is not None and (fixed in period.forbidden.get(part.id, ()) or part.duration > fixed.length):
            return say(FIXED_IMPOSSIBLE, **named, slot=fixed.label)
    sits = Counter(c for part in period.parts for c in set(part.candidates))
    busiest = max(sits, key=lambda c: (sits[c], -c), default=None)
    if busiest is not None and sits[busiest] > len(period.slots):
        return say(TOO_BUSY, candidate=busiest, n=sits[busiest], total=len(period.slots))
    return None


def plan_written(period: WrittenPeriod, *, time_limit: float, seed: int = 0, num_workers: int = 2,
                 on_progress: ProgressCallback | None = None,
                 should_stop: Callable[[], bool] | None = None) -> WrittenTimetable:
    """Plan the period's timetable on the core within ``time_limit`` seconds.

    ``on_progress(elapsed, penalty)`` hears of every better timetable the core finds (the penalty as
    the result reports it, from the core's threads); ``should_stop()`` is polled and, when true, the
    best timetable so far is returned. Never raises for a period without a timetable: the result
    says why (``feasible`` false)."""
    reason = why_infeasible(period)
    if reason is not None:
        return _without_timetable(reason, "INFEASIBLE")
    encoded = encode(period)

    def progress(elapsed: float, best: float, _bound: float | None) -> None:
        on_progress(elapsed, int(best) - encoded.constant)

    result = examtt.solve(encoded.problem, time_limit=time_limit, seed=seed, num_workers=num_workers,
                          on_progress=progress if on_progress is not None else None, should_stop=should_stop)
    if not result.feasible or result.penalty is None:
        return _without_timetable(say(NOT_FOUND, limit=f"{time_limit:g}"), result.status, result.elapsed)
    timetable = {part.id: encoded.slots[result.assignment[i][0]] for i, part in enumerate(period.parts)}
    breakdown = _breakdown(period, encoded, timetable, result.breakdown)
    return WrittenTimetable(True, timetable, result.penalty - encoded.constant, breakdown,
                            clashes(period, timetable), None, result.status, result.elapsed)


def _without_timetable(wording: Message, status: str, elapsed: float = 0.0) -> WrittenTimetable:
    return WrittenTimetable(False, {}, None, (), 0, wording, status, elapsed)


def clashes(period: WrittenPeriod, timetable: Mapping[str, Slot]) -> int:
    """How many candidates have two or more exams in one slot."""
    load = Counter((c, timetable[part.id]) for part in period.parts for c in set(part.candidates))
    return len({candidate for (candidate, _slot), n in load.items() if n > 1})


def _pairs_per_candidate(period: WrittenPeriod, slots: tuple[Slot, ...],
                         timetable: Mapping[str, Slot]) -> dict[str, Counter]:
    """Per rule, how many pairs of their exams each candidate has that meet it."""
    position = {slot: k for k, slot in enumerate(slots)}
    mine: dict[int, list[int]] = {}
    for part in period.parts:
        for candidate in set(part.candidates):
            mine.setdefault(candidate, []).append(position[timetable[part.id]])
    met: dict[str, Counter] = {"two_in_a_row": Counter(), "two_in_a_day": Counter(), "period_spread": Counter()}
    for candidate, places in mine.items():
        places.sort()
        for i, a in enumerate(places):
            for b in places[i + 1:]:
                same_day = slots[a].day == slots[b].day
                met["two_in_a_row"][candidate] += same_day and b - a == 1
                met["two_in_a_day"][candidate] += same_day and b - a > 1
                met["period_spread"][candidate] += 0 < b - a <= period.weights.spread_slots
    return met


def _breakdown(period: WrittenPeriod, encoded: Encoded, timetable: Mapping[str, Slot],
               core: Mapping[str, int]) -> tuple[RuleCost, ...]:
    """The core's penalty per rule, with what each rule counts, in words."""
    w = period.weights
    met = _pairs_per_candidate(period, encoded.slots, timetable)
    rules = (("two_in_a_row", w.two_in_a_row, TWO_IN_A_ROW, {}),
             ("two_in_a_day", w.two_in_a_day, TWO_IN_A_DAY, {}),
             ("period_spread", w.spread_slots, SPREAD, {"limit": w.spread_slots}))
    costs = []
    for rule, weight, text, values in rules:
        if weight:
            times, people = sum(met[rule].values()), sum(1 for n in met[rule].values() if n)
            costs.append(RuleCost(rule, times, people, core.get(rule, 0),
                                  say(text, n=times, **values, total=people)))
    if any(s.penalty for s in period.slots):
        used = sum(1 for part in period.parts if timetable[part.id].penalty)
        costs.append(RuleCost("period_penalty", used, 0, core.get("period_penalty", 0) - encoded.constant,
                              say(UNWANTED_SLOTS, n=used)))
    return tuple(costs)
