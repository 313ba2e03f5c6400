"""Repair a published roster after a disruption (examiner ill, room or location closed, session
cancelled), changing as little as possible.

1. **Strictly necessary** changes are computed first, from the rules alone: a published placement whose
   session may no longer open (closure, cancellation) or whose candidate may no longer sit there, and a
   published staff duty whose examiner is now unavailable or whose session is gone.
2. Only those requests (and the other requests of the same candidates, which the day rules tie to them,
   at a change cost) are freed; every other published placement stays as a constant. Pins never move.
3. Staff is re-rostered only on the affected days, with each published duty kept unless it must change
   (a cost per change and a hint), other days untouched.
The report lists what changed against what had to, so a planner sees any change beyond the minimum.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from scheduling import constraints
from scheduling.builder import RosterState, staff_sessions_for_day
from scheduling.context import Index
from scheduling.model import ROLES, Result, Scenario, Solution, StaffAssignment
from scheduling.solve import Run, SolveOptions, finish, place_blocks, solve_staff, spill_blocks


@dataclass(frozen=True)
class RepairResult:
    result: Result
    necessary_placements: tuple[str, ...]
    changed_placements: tuple[str, ...]
    necessary_staff: tuple[StaffAssignment, ...]
    changed_staff: tuple[StaffAssignment, ...]
    added_staff: tuple[StaffAssignment, ...]

    @property
    def unnecessary_changes(self) -> int:
        extra_p = set(self.changed_placements) - set(self.necessary_placements)
        extra_s = set(self.changed_staff) - set(self.necessary_staff)
        return len(extra_p) + len(extra_s)

    def summary(self) -> str:
        return (
            f"{len(self.changed_placements)} placement(s) changed ({len(self.necessary_placements)} strictly "
            f"necessary), {len(self.changed_staff)} staff duty(ies) changed ({len(self.necessary_staff)} strictly "
            f"necessary), {len(self.added_staff)} staff duty(ies) added."
        )


def broken_placements(index: Index, published: Solution) -> set[str]:
    """Published placements the disruption makes impossible, by the rules alone."""
    out: set[str] = set()
    for p in published.placements:
        if p.request_id not in index.request:
            continue
        ref = index.ref(p.session_id)
        if any(f.session_forbids(index, ref) for f in constraints.SESSION_FILTERS):
            out.add(p.request_id)
            continue
        cand, req = index.request[p.request_id]
        if any(f.forbids(index, cand, req, ref) for f in constraints.REQUEST_FILTERS):
            out.add(p.request_id)
    return out


def broken_staff(index: Index, state: RosterState, published: Solution) -> set[StaffAssignment]:
    """Published duties whose examiner is now unavailable (or otherwise ruled out) or whose session closed."""
    open_now = state.open_sessions
    out: set[StaffAssignment] = set()
    sessions_by_day: dict[str, dict] = {}
    for a in published.staff:
        if a.session_id not in open_now:
            out.add(a)
            continue
        date = index.slot[index.ref(a.session_id).slot_id].date
        if date not in sessions_by_day:
            sessions_by_day[date] = {s.sid: s for s in staff_sessions_for_day(index, state, date)}
        sess = sessions_by_day[date][a.session_id]
        ex = index.examiner.get(a.examiner_id)
        if ex is None or any(f.staff_forbids(index, ex, sess, a.role) for f in constraints.STAFF_FILTERS):
            out.add(a)
    return out


def repair(scenario: Scenario, options: SolveOptions | None = None) -> RepairResult:
    """Re-solve ``scenario.published`` under ``scenario.disruptions`` keeping everything that may stay."""
    if scenario.published is None:
        raise ValueError("repair needs a published solution in the scenario")
    options = options or SolveOptions(time_limit_s=10.0)
    # the sub-solves share 40 % of the limit; reading the published roster, validating and explaining
    # the whole roster take the rest
    run = Run(replace(options, time_limit_s=options.time_limit_s * 0.4))
    index = Index(scenario)
    published = scenario.published
    pub_map = {p.request_id: p.session_id for p in published.placements}
    broken = broken_placements(index, published)
    dead_sessions = {pub_map[rid] for rid in broken}
    state = RosterState.from_solution(
        index,
        replace(
            published,
            sessions=tuple(s for s in published.sessions if s not in dead_sessions),
            placements=tuple(p for p in published.placements if p.request_id not in broken),
        ),
    )
    free = _free_requests(index, state, broken)
    # requests that were never placed (new demand since the publish) are placed around the kept roster
    free += [(r.id, c.id) for c in scenario.candidates for r in c.requests
             if r.id not in pub_map and r.id not in state.placement and r.id not in index.pinned]
    for rid, _ in free:
        if rid in state.placement:
            state.unplace(rid)
    items = [index.request[rid] for rid, _ in free]
    place_blocks(index, state, spill_blocks(index, items), run, run.options.time_limit_s * 0.5, pub_map)

    staff_broken = broken_staff(index, state, published)
    touched = {_site_day(index, a.session_id) for a in staff_broken}
    touched |= _sites_needing_staff_change(index, state, published)
    sites: dict[str, set[str]] = defaultdict(set)
    for date, loc in touched:
        sites[date].add(loc)
    keep_other = [a for a in published.staff if _site_day(index, a.session_id) not in touched]
    soft_keep = {(a.examiner_id, a.session_id, a.role) for a in published.staff if a not in staff_broken}
    cap = _published_staffing(published, state)
    def restaff(dates: list[str], fixed: list[StaffAssignment], keep: bool) -> list[StaffAssignment]:
        return solve_staff(
            index, state, run, dates=dates, fixed=fixed, sites=sites, published=soft_keep, keep_published=keep,
            need_cap=cap,
        )

    new_staff = restaff(sorted(sites), keep_other, True)  # every still-valid duty stays; holes are filled
    short_days = _days_short_of_staff(index, state, new_staff, staff_broken, set(sites))
    if short_days:  # second pass on days a hole stayed open: duties may move, each move costs
        others = [a for a in new_staff if _site_day(index, a.session_id)[0] not in short_days]
        new_staff = others + restaff(sorted(short_days), keep_other + others, False)
    touched_dates = set(sites)
    result = finish(
        scenario,
        index,
        state,
        keep_other + new_staff,
        run,
        explain_requests={rid for rid, _ in free},
        explain_dates=touched_dates,
    )
    now_staff = set(result.solution.staff)
    was_staff = set(published.staff)
    now_place = {p.request_id: p.session_id for p in result.solution.placements}
    return RepairResult(
        result=result,
        necessary_placements=tuple(sorted(broken)),
        changed_placements=tuple(sorted(rid for rid, sid in pub_map.items() if now_place.get(rid) != sid)),
        necessary_staff=tuple(sorted(staff_broken, key=_key)),
        changed_staff=tuple(sorted((a for a in published.staff if a not in now_staff), key=_key)),
        added_staff=tuple(sorted((a for a in now_staff if a not in was_staff), key=_key)),
    )


def _free_requests(index: Index, state: RosterState, broken: set[str]) -> list[tuple[str, str]]:
    """Broken requests plus the other requests of the same candidates (the day rules tie them)."""
    pinned = set(index.pinned)
    cands = {index.request[rid][0].id for rid in broken}
    out = []
    for cid in sorted(cands):
        cand = index.candidate[cid]
        for req in cand.requests:
            if req.id in pinned:
                continue
            if req.id in broken or (cand.same_day and req.id in state.placement):
                out.append((req.id, cid))
    return out


def _site_day(index: Index, sid: str) -> tuple[str, str]:
    ref = index.ref(sid)
    return index.slot[ref.slot_id].date, index.room[ref.room_id].location_id


def _sites_needing_staff_change(index: Index, state: RosterState, published: Solution) -> set[tuple[str, str]]:
    """(date, location) of every session that is new, gone, or whose number of candidates changed (its
    staffing need may have changed); other sites keep their published staff untouched."""
    before: dict[str, int] = {}
    for p in published.placements:
        before[p.session_id] = before.get(p.session_id, 0) + 1
    was_open, now_open = set(published.sessions), state.open_sessions
    out: set[tuple[str, str]] = set()
    for sid in now_open | was_open:
        if len(state.occupants.get(sid, [])) != before.get(sid, 0) or (sid in was_open) != (sid in now_open):
            out.add(_site_day(index, sid))
    return out


def _published_staffing(published: Solution, state: RosterState) -> dict[tuple[str, str], int]:
    """Per (session, role) the places the published roster filled, for sessions whose candidates did
    not change: a repair restores those and leaves older gaps to the planner."""
    before: dict[str, int] = {}
    for p in published.placements:
        before[p.session_id] = before.get(p.session_id, 0) + 1
    cap: dict[tuple[str, str], int] = {}
    for a in published.staff:
        cap[(a.session_id, a.role)] = cap.get((a.session_id, a.role), 0) + 1
    changed = {sid for sid in before if len(state.occupants.get(sid, [])) != before[sid]}
    out = {key: n for key, n in cap.items() if key[0] not in changed}
    for sid in published.sessions:  # places nobody filled in the published roster stay as they were
        if sid not in changed:
            for role in ROLES:
                out.setdefault((sid, role), 0)
    return out


def _days_short_of_staff(
    index: Index,
    state: RosterState,
    staff: list[StaffAssignment],
    broken: set[StaffAssignment],
    dates: set[str],
) -> set[str]:
    """Days where a place the disruption emptied is still empty after the first pass."""
    have: dict[tuple[str, str], int] = {}
    for a in staff:
        have[(a.session_id, a.role)] = have.get((a.session_id, a.role), 0) + 1
    needs: dict[str, dict[str, dict[str, int]]] = {}
    out: set[str] = set()
    for a in broken:
        sid = a.session_id
        if sid not in state.open_sessions:
            continue
        date = index.slot[index.ref(sid).slot_id].date
        if date not in needs:
            needs[date] = {s.sid: s.need for s in staff_sessions_for_day(index, state, date)}
        if have.get((sid, a.role), 0) < needs[date].get(sid, {}).get(a.role, 0):
            out.add(date)
    return out & dates


def _key(a: StaffAssignment) -> tuple[str, str, str]:
    return (a.session_id, a.role, a.examiner_id)
