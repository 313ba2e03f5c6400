"""Command line for the ITC2007 examination track: ``solve`` and ``check``.

Exit codes: 0 success (a feasible solution written / the solution is feasible), 1 no feasible
solution (solve) or an infeasible solution (check), 2 bad input (message on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scheduling.itc2007.checker import HARD_KINDS, SOFT_KINDS, Report, check
from scheduling.itc2007.format import FormatError, read_exam, read_solution, write_solution

EXIT_OK, EXIT_NO_SOLUTION, EXIT_BAD_INPUT = 0, 1, 2


class _BadInput(Exception):
    """Raised instead of argparse's SystemExit so that main() returns 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # noqa: D401 - argparse hook
        raise _BadInput(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="itc2007", description="ITC2007 examination timetabling")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    solve = sub.add_parser("solve", help="solve an .exam instance and write an .sln file")
    solve.add_argument("instance")
    solve.add_argument("--time-limit", type=float, required=True, help="seconds")
    solve.add_argument("--out", required=True, help="solution file to write")
    solve.add_argument("--seed", type=int, default=0)
    solve.add_argument("--workers", type=int, default=2, help="CP-SAT workers (construction)")
    chk = sub.add_parser("check", help="validate an .sln file against its .exam instance")
    chk.add_argument("instance")
    chk.add_argument("solution")
    chk.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _load_instance(path: str):
    if not Path(path).is_file():
        raise _BadInput(f"instance file not found: {path}")
    try:
        return read_exam(path)
    except (FormatError, UnicodeDecodeError) as exc:
        raise _BadInput(f"{path}: {exc}") from exc


def _solve(args: argparse.Namespace) -> int:
    from scheduling.examtt import solve  # imported lazily: `check` needs no solver

    if args.time_limit <= 0:
        raise _BadInput("--time-limit must be positive")
    problem = _load_instance(args.instance)
    result = solve(problem, time_limit=args.time_limit, seed=args.seed, num_workers=args.workers)
    name = Path(args.instance).name
    if not result.feasible:
        print(f"{name}: no feasible timetable found in {result.elapsed:.1f}s ({result.status})")
        return EXIT_NO_SOLUTION
    write_solution(args.out, result.assignment)
    print(f"{name}: feasible, soft penalty {result.penalty}, {result.elapsed:.1f}s, "
          f"seed {args.seed}, written to {args.out}")
    return EXIT_OK


def _print_report(report: Report) -> None:
    print(f"Hard violations: {report.hard_total}")
    for kind in HARD_KINDS:
        print(f"  {kind}: {report.hard[kind]}")
        for detail in report.details[kind][:20]:
            print(f"    - {detail}")
    print("Soft penalty:")
    for kind in SOFT_KINDS:
        print(f"  {kind}: {report.soft_raw[kind]} (weighted {report.soft_weighted[kind]})")
    print(f"Total soft penalty: {report.soft_total}")
    print("Feasible" if report.feasible else "INFEASIBLE")


def _check(args: argparse.Namespace) -> int:
    problem = _load_instance(args.instance)
    if not Path(args.solution).is_file():
        raise _BadInput(f"solution file not found: {args.solution}")
    try:
        solution = read_solution(args.solution, problem)
    except (FormatError, UnicodeDecodeError) as exc:
        raise _BadInput(f"{args.solution}: {exc}") from exc
    report = check(problem, solution)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        _print_report(report)
    return EXIT_OK if report.feasible else EXIT_NO_SOLUTION


def main(argv: list[str]) -> int:
    """Run the CLI with ``argv`` (without the program name); returns the exit code."""
    try:
        args = _parser().parse_args(argv)
        return _solve(args) if args.command == "solve" else _check(args)
    except _BadInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
