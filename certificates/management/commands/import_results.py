"""python manage.py import_results FILE.csv --source NAME: import a CSV of results (all or nothing)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.results import ImportRejected, parse_csv, results_import


class Command(BaseCommand):
    help = "Import results from a CSV with the columns candidate_id, part, taken_on, score."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--source", required=True, help="Who delivered the results.")

    def handle(self, *args, file: str, source: str, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            outcome = results_import(rows=parse_csv(path.read_text(encoding="utf-8-sig")), source=source)
        except ImportRejected as error:
            lines = "\n".join(f"  line {d['line']}: {d['reason']}" for d in (error.details or []))
            raise CommandError(f"{error.message}\n{lines}") from error
        if outcome.already_imported:
            self.stdout.write("This batch was imported before; nothing changed.")
        else:
            self.stdout.write(f"Imported: {outcome.created} new, {outcome.changed} changed, "
                              f"{outcome.unchanged} unchanged.")
