"""Assertions shared by the scheduling tests: solve small, check the status, let the validator judge."""

from __future__ import annotations

from scheduling.model import FEASIBLE, INFEASIBLE, OPTIMAL, Result, Scenario, Solution
from scheduling.solve import SolveOptions, solve
from scheduling.validator import validate

FAST = SolveOptions(time_limit_s=5.0, num_workers=2, seed=1)


def solve_ok(sc: Scenario, options: SolveOptions = FAST) -> Result:
    """Solve and assert the roster is feasible and passes the independent validator."""
    result = solve(sc, options)
    assert result.status in (OPTIMAL, FEASIBLE), result.status
    report = validate(sc, result.solution)
    assert report.ok, [v.message for v in report.violations]
    assert not result.violations
    return result


def solve_infeasible(sc: Scenario) -> Result:
    result = solve(sc, FAST)
    assert result.status == INFEASIBLE, result.status
    return result


def placed(result: Result) -> dict[str, str]:
    return {p.request_id: p.session_id for p in result.solution.placements}


def flags(sc: Scenario, solution: Solution, rule: str) -> list[str]:
    """The validator's messages for ``rule``; asserts there is at least one."""
    messages = [v.message for v in validate(sc, solution).violations if v.rule == rule]
    assert messages, f"validator did not flag {rule!r}"
    return messages


def unplaced_rules(result: Result) -> set[str]:
    return {rule for u in result.unplaced for rule in u.rules}


def uncovered_rules(result: Result) -> set[str]:
    return {rule for u in result.uncovered for rule in u.rules}
