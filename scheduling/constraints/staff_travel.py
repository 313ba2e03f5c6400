"""Staff travel: a hard maximum distance from home, and a soft cost per kilometre beyond the free
distance for each day worked at a location (one location per day, so charged once a day)."""

from __future__ import annotations

from scheduling.context import Index, StaffContext, StaffSession
from scheduling.model import Examiner

NAME = "Staff travel distance"
STAGE = "staff"
SOFT = True


def chargeable_km(index: Index, ex: Examiner, location_id: str) -> int:
    return max(0, round(index.examiner_km(ex, location_id) - index.settings.staff_travel_free_km))


def day_cost(index: Index, ex: Examiner, location_id: str) -> int:
    """What a person's working day at a location costs: the staff cost of calling them in plus travel
    beyond the free distance (the two per-day terms of the staff objective)."""
    weights = index.scenario.weights
    return weights.staff_cost + weights.travel_per_km * chargeable_km(index, ex, location_id)


def staff_forbids(index: Index, ex: Examiner, sess: StaffSession, role: str) -> bool:
    return index.examiner_km(ex, sess.location_id) > index.staff_max_travel(ex)


def post_staff(ctx: StaffContext) -> None:
    weight = ctx.scenario.weights.travel_per_km
    for (eid, loc_id), var in ctx.at_location.items():
        ctx.objective.add(NAME, weight * chargeable_km(ctx.index, ctx.index.examiner[eid], loc_id), var)
