"""One small module per rule. Each has a human ``NAME`` (reused in explanations, validator reports and
the penalty breakdown) and posts its part of a CP-SAT model from a shared context:

- ``session_forbids(index, ref)``: a session that may never open (placement filters on sessions);
- ``forbids(index, cand, req, ref)``: a request that may never sit in a session (hard provisions, travel...);
- ``post(ctx)``: constraints/objective terms of the placement model;
- ``staff_forbids(index, examiner, session, role)`` and ``post_staff(ctx)``: the same for staff.

Filters are applied while creating variables (no variable, no search); when explaining, the builder
creates the forbidden variables anyway and posts ``x == 0`` guarded by the rule's assumption literal, so
CP-SAT can name the rule in an infeasible core.
"""

from __future__ import annotations

from types import ModuleType

from scheduling.constraints import (
    accessible_room,
    candidate_availability,
    closures,
    conflict_of_interest,
    deadline_priority,
    examiner_qualification,
    extra_time,
    large_print,
    max_exams_per_day,
    no_double_booking,
    nt2_one_part_per_day,
    one_location_per_day,
    opening_hours,
    pair_rotation,
    pins,
    place_every_request,
    preferences,
    provision_priority,
    published_changes,
    room_equipment,
    room_single_use,
    same_day_same_location,
    separate_room,
    session_capacity,
    session_cost,
    staff_availability,
    staff_cost,
    staff_coverage,
    staff_max_per_day,
    staff_max_per_week,
    staff_no_overlap,
    staff_travel,
    travel_cost,
    travel_max,
    workload_spread,
)

SESSION_FILTERS: tuple[ModuleType, ...] = (room_equipment, opening_hours, closures)
REQUEST_FILTERS: tuple[ModuleType, ...] = (
    pins,
    candidate_availability,
    travel_max,
    extra_time,
    separate_room,
    accessible_room,
    large_print,
)
PLACEMENT_POSTERS: tuple[ModuleType, ...] = (
    place_every_request,  # first: creates ``placed`` used by the priorities below
    session_capacity,
    room_single_use,
    no_double_booking,
    max_exams_per_day,
    nt2_one_part_per_day,
    same_day_same_location,
    deadline_priority,
    provision_priority,
    travel_cost,
    preferences,
    session_cost,
    published_changes,
)
# The rules on one candidate's exams together (read through ``ctx.candidate_terms``), which any placement
# model posts whatever its variables stand for: the pooled model posts them on its pool variables too.
CANDIDATE_RULES: tuple[ModuleType, ...] = (
    no_double_booking,
    max_exams_per_day,
    nt2_one_part_per_day,
    same_day_same_location,
)
STAFF_FILTERS: tuple[ModuleType, ...] = (
    examiner_qualification,
    staff_availability,
    conflict_of_interest,
    staff_travel,
)
STAFF_POSTERS: tuple[ModuleType, ...] = (
    staff_coverage,
    one_location_per_day,  # before staff_travel/staff_cost: creates ``at_location``
    staff_no_overlap,
    staff_max_per_day,
    staff_max_per_week,
    pins,
    pair_rotation,
    workload_spread,
    staff_travel,
    staff_cost,
)
ALL: tuple[ModuleType, ...] = tuple(
    dict.fromkeys(SESSION_FILTERS + REQUEST_FILTERS + PLACEMENT_POSTERS + STAFF_FILTERS + STAFF_POSTERS)
)
