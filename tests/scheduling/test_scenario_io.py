"""The JSON format round-trips every scenario and solution exactly."""

import json
from dataclasses import replace

import pytest

from scheduling import scenario_io, synthetic
from scheduling.model import ROOM_CLOSED, Disruption, Pin
from tests.scheduling.helpers import solve_ok


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scenario_round_trip(seed, tmp_path):
    sc = synthetic.small(seed)
    sc = sc.__class__(
        **{
            **sc.__dict__,
            "pins": (Pin("NT2-R@L1-C@x", request_id="C0/NT2-R"),),
            "disruptions": (Disruption(ROOM_CLOSED, "L1-C", ("2026-06-01",)),),
        }
    )
    path = tmp_path / "scenario.json"
    scenario_io.save_scenario(sc, path)
    assert scenario_io.load_scenario(path) == sc


def test_solution_and_result_round_trip():
    sc = synthetic.small(4)
    result = solve_ok(sc)
    text = scenario_io.solution_to_json(result.solution, result)
    assert scenario_io.solution_from_json(text) == result.solution
    again = scenario_io.result_from_json(text)
    assert again.status == result.status and again.penalties == result.penalties
    assert again.unplaced == result.unplaced


def test_published_solution_inside_scenario_round_trips():
    sc = synthetic.small(5)
    sc = sc.__class__(**{**sc.__dict__, "published": solve_ok(sc).solution})
    assert scenario_io.scenario_from_json(scenario_io.scenario_to_json(sc)) == sc


def test_defaults_are_omitted_and_header_is_checked():
    doc = json.loads(scenario_io.scenario_to_json(synthetic.small(0)))
    assert doc["format"] == "examlogistics-scenario" and doc["version"] == 1
    assert "weights" not in doc["scenario"]
    with pytest.raises(ValueError):
        scenario_io.scenario_from_json(json.dumps({"format": "other", "version": 1}))
    doc["scenario"]["locations"][0]["colour"] = "red"
    with pytest.raises(ValueError):
        scenario_io.scenario_from_json(json.dumps(doc))


@pytest.mark.parametrize("role", ["invigilatr", "invigilator@XX", "@NT2"])
def test_a_misspelt_role_is_refused_with_the_examiner_named(role):
    doc = json.loads(scenario_io.scenario_to_json(synthetic.small(0)))
    doc["scenario"]["examiners"][0]["roles"] = ["second", role]
    with pytest.raises(ValueError, match=f"examiner {doc['scenario']['examiners'][0]['id']}: unknown role"):
        scenario_io.scenario_from_json(json.dumps(doc))


def test_family_roles_round_trip():
    sc = synthetic.small(0)
    first = replace(sc.examiners[0], roles=("invigilator@NT2", "second"))
    sc = replace(sc, examiners=(first, *sc.examiners[1:]))
    assert scenario_io.scenario_from_json(scenario_io.scenario_to_json(sc)).examiners[0].roles == first.roles
