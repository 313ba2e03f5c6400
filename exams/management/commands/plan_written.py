"""python manage.py plan_written --period P --from DATE --to DATE --time-limit S [--seed N] [--json] [--dry-run]

Plans the national timetable of a VO written exam period (the date and time of every central written
exam) on the exam-timetabling core and writes the period's fixed dates in one transaction. Prints the
timetable and the penalty per rule; ``--json`` for machines; ``--dry-run`` writes nothing. A refused
window or period, or a period without a timetable, exits non-zero with the reason.
"""

from __future__ import annotations

import json as jsonlib
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from exams.errors import DomainError
from exams.management.planning_arguments import add_window_arguments
from exams.planning.written import PERIODS, WrittenPlan, plan_written_period


class Command(BaseCommand):
    help = "Plan the national dates of a VO written exam period and write them (all or nothing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", choices=PERIODS, required=True)
        add_window_arguments(parser, time_limit_type=float)
        parser.add_argument("--dry-run", action="store_true", help="Plan and print, write nothing.")

    def handle(self, *args, period: str, date_from: date, date_to: date, time_limit: float, seed: int,
               json: bool, dry_run: bool, **options) -> None:
        try:
            plan = plan_written_period(period=period, date_from=date_from, date_to=date_to,
                                       time_limit=time_limit, seed=seed, dry_run=dry_run)
        except DomainError as error:
            raise CommandError(error.message) from error
        if not plan.result.feasible:
            raise CommandError(f"No timetable, nothing written: {plan.result.message}")
        self.stdout.write(jsonlib.dumps(as_json(plan), indent=2) if json else "\n".join(as_text(plan)))


def as_json(plan: WrittenPlan) -> dict:
    result = plan.result
    return {
        "period": plan.period, "from": plan.date_from.isoformat(), "to": plan.date_to.isoformat(),
        "feasible": result.feasible, "written": plan.written, "status": result.status,
        "seconds": round(result.elapsed, 2), "seats": plan.seats, "candidates": plan.candidates,
        "clashes": result.clashes, "penalty": result.penalty,
        "timetable": [{"part": part.code, "name": part.full_name, "starts_at": start.isoformat(),
                       "ends_at": end.isoformat()} for start, end, part in plan.rows()],
        "breakdown": [{"rule": r.rule, "times": r.times, "candidates": r.candidates, "penalty": r.penalty,
                       "words": r.words} for r in plan.result.breakdown],
    }


def as_text(plan: WrittenPlan) -> list[str]:
    result = plan.result
    lines = [f"VO written timetable, {plan.period}, {plan.date_from:%d %b %Y} to {plan.date_to:%d %b %Y}: "
             f"{len(plan.parts)} exams, {plan.candidates} candidates, {plan.seats} seats per slot",
             ""]
    lines += [f"{start:%a %d %b %Y  %H:%M}-{end:%H:%M}  {part.code:<16} {part.full_name}"
              for start, end, part in plan.rows()]
    lines += ["", f"Penalty {result.penalty} (candidates with two exams in one slot: {result.clashes})"]
    lines += [f"  {rule.penalty:>6}  {rule.words}" for rule in result.breakdown]
    lines.append("")
    lines.append(f"Written: {len(result.timetable)} dates of the {plan.period} period." if plan.written
                 else "Dry run: nothing written.")
    return lines
