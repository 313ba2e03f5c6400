"""Explanations name the rule and the resource, by diagnosis and by CP-SAT assumption cores."""

from scheduling.constraints import extra_time, nt2_one_part_per_day, session_capacity, travel_max
from scheduling.explain import explain_with_core, penalty_lines
from scheduling.model import COMPUTER, Provisions, Room
from tests.scheduling.factories import SLOTS, candidate, scenario
from tests.scheduling.helpers import solve_ok

ONE_ROOM = (Room("AMS-C1", "AMS", COMPUTER, 2),)


def test_full_sessions_are_named_with_seats():
    sc = scenario(*[candidate(f"C{i}", "NT2-I-S") for i in range(3)], rooms=ONE_ROOM, slots=SLOTS[:1])
    result = solve_ok(sc)
    [miss] = result.unplaced
    sentence = miss.reasons[0]
    assert sentence.startswith(f"Candidate {miss.candidate_id} could not be placed for NT2 Speaking B1")
    assert "Amsterdam, AMS-C1, 1 June morning (09:00-12:00), 2/2 seats" in sentence
    assert session_capacity.NAME in miss.rules


def test_travel_maximum_is_named_with_its_distance():
    from dataclasses import replace

    far = replace(candidate("F", "NT2-I-S", "NT2-I-R", max_travel_km=5.0), lat=52.6)
    result = solve_ok(scenario(far, rooms=ONE_ROOM))
    rules = {r for u in result.unplaced for r in u.rules}
    assert travel_max.NAME in rules
    assert "beyond 5 km" in result.unplaced[0].reasons[0]


def test_core_names_the_rules_that_block_a_request():
    sc = scenario(candidate("C1", "NT2-I-R", provisions=Provisions(extra_min=120)))
    result = solve_ok(sc)
    core = explain_with_core(sc, result.solution, "C1/NT2-I-R")
    assert extra_time.NAME in core


def test_core_with_nt2_day_rule():
    sc = scenario(candidate("C1", "NT2-I-R", "NT2-I-S"), rooms=ONE_ROOM, slots=SLOTS[:2])
    result = solve_ok(sc)
    [miss] = result.unplaced
    assert nt2_one_part_per_day.NAME in miss.rules
    assert nt2_one_part_per_day.NAME in explain_with_core(sc, result.solution, miss.request_id)


def test_core_is_empty_when_the_request_fits():
    sc = scenario(candidate("C1", "NT2-I-R"))
    result = solve_ok(sc)
    from scheduling.model import Solution

    assert explain_with_core(sc, Solution(), "C1/NT2-I-R") == ()
    assert result.penalties


def test_penalty_breakdown_lines():
    sc = scenario(*[candidate(f"C{i}", "NT2-I-S") for i in range(3)], rooms=ONE_ROOM, slots=SLOTS[:1])
    lines = penalty_lines(solve_ok(sc).penalties)
    assert lines[0].startswith("Place every request: 1000000")
    assert any("could not" in line or "not placed" in line for line in lines)
