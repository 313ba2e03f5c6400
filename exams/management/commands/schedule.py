"""python manage.py schedule --family F --from DATE --to DATE --time-limit S [--json]
                            [--publish [--with-vacancies]]

Runs a planning job on the database in this process and prints a summary: placed, unplaced, vacancies (staff
places left empty), hard violations found by the independent validator, objective, bound and seconds. A roster
with vacancies is published only with ``--with-vacancies``.
"""

from __future__ import annotations

import json as jsonlib
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from exams.errors import DomainError
from exams.management.planning_arguments import add_window_arguments
from exams.planning import runs
from exams.planning.adapter import FAMILY_CODES, Scope


class Command(BaseCommand):
    help = "Plan sessions, placements and staff for a family and period, and print a summary."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--family", choices=sorted(FAMILY_CODES), default="")
        add_window_arguments(parser)
        parser.add_argument("--publish", action="store_true", help="Write the roster to the database.")
        parser.add_argument("--with-vacancies", action="store_true",
                            help="Publish even when the roster leaves staff places empty.")

    def handle(self, *args, family: str, date_from: date, date_to: date, time_limit: int, seed: int,
               json: bool, publish: bool, with_vacancies: bool = False, **options) -> None:
        try:
            with transaction.atomic():
                run = runs.run_create(scope=Scope(date_from=date_from, date_to=date_to, family=family),
                                      time_limit=time_limit, seed=seed)
            run = runs.run_execute(run_id=run.pk)
            if run.status == "failed":
                raise CommandError(f"The planning run failed: {run.error}")
            published = runs.run_publish(run=run, confirm_vacancies=with_vacancies) if publish else None
        except DomainError as error:
            raise CommandError(error.message) from error
        summary = {"run": run.pk, **run.summary, **({"published": published} if published else {})}
        if json:
            self.stdout.write(_dumps(summary))
        else:
            self.stdout.write(f"Run {run.pk}: placed {summary['placed']}, unplaced {summary['unplaced']}, "
                              f"vacancies {summary['vacancies']}, "
                              f"hard violations {summary['hard_violations']}, "
                              f"objective {summary['objective']:.0f}, "
                              f"bound {summary['bound']:.0f}, {summary['seconds']} s")


def _dumps(data) -> str:
    return jsonlib.dumps(data, indent=2, default=str)
