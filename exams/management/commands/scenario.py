"""python manage.py scenario export OUT.json [--family F --from D --to D]
python manage.py scenario solve IN.json --time-limit S --out OUT.json [--seed N]

The planning-scenario exchange format (docs/scenario-format.md): export what the database would give the
solver, or solve any scenario file and write the solution file. Both validate their input.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from exams.planning.adapter import FAMILY_CODES, Scope, scenario_from_db
from scheduling import scenario_io
from scheduling.solve import SolveOptions, solve
from scheduling.validator import validate


class Command(BaseCommand):
    help = "Export the planning scenario from the database, or solve a scenario file."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export")
        export.add_argument("out")
        export.add_argument("--family", choices=sorted(FAMILY_CODES), default="")
        export.add_argument("--from", dest="date_from", type=date.fromisoformat)
        export.add_argument("--to", dest="date_to", type=date.fromisoformat)
        solver = sub.add_parser("solve")
        solver.add_argument("input")
        solver.add_argument("--time-limit", type=float, required=True)
        solver.add_argument("--out", required=True)
        solver.add_argument("--seed", type=int, default=0)

    def handle(self, *args, action: str, **options) -> None:
        if action == "export":
            self._export(options)
        else:
            self._solve(options)

    def _export(self, options) -> None:
        start = options["date_from"] or timezone.localdate()
        end = options["date_to"] or start + timezone.timedelta(days=41)
        scenario = scenario_from_db(Scope(date_from=start, date_to=end, family=options["family"]), name="export")
        scenario_io.save_scenario(scenario, options["out"])
        self.stdout.write(f"Wrote {options['out']}: {len(scenario.candidates)} candidates, "
                          f"{sum(len(c.requests) for c in scenario.candidates)} requests, "
                          f"{len(scenario.examiners)} examiners, {len(scenario.rooms)} rooms.")

    def _solve(self, options) -> None:
        path = Path(options["input"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            scenario = scenario_io.load_scenario(path)
        except (ValueError, KeyError, TypeError) as error:
            raise CommandError(f"{path} is not a valid scenario: {error}") from error
        result = solve(scenario, SolveOptions(time_limit_s=options["time_limit"], seed=options["seed"]))
        Path(options["out"]).write_text(scenario_io.solution_to_json(result.solution, result, indent=1))
        report = validate(scenario, result.solution)
        self.stdout.write(f"{result.status}: {len(result.solution.placements)} placed, "
                          f"{len(result.unplaced)} unplaced, {len(report.violations)} hard violations, "
                          f"objective {result.objective:.0f}, bound {result.best_bound:.0f}; wrote {options['out']}")
        if report.violations:
            raise CommandError("The solution breaks hard rules: " + "; ".join(str(v) for v in report.violations[:5]))
