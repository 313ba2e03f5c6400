"""python manage.py dead_letters [--all] [--requeue ID ...]: tasks that failed for good."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from exams.jobs.deadletters import dead_letter_requeue
from exams.jobs.models import DeadLetter


class Command(BaseCommand):
    help = "List the tasks that failed after their retries (not yet queued again), or queue some again."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="Also those already queued again.")
        parser.add_argument("--requeue", type=int, nargs="+", metavar="ID", help="Queue these again.")

    def handle(self, *args, all: bool, requeue: list[int] | None, **options) -> None:
        for pk in requeue or ():
            dead_letter_requeue(dead_letter_id=pk)
            self.stdout.write(f"queued {pk} again")
        if requeue:
            return
        letters = DeadLetter.objects.all() if all else DeadLetter.objects.filter(requeued_at__isnull=True)
        for letter in letters:
            state = f" (queued again {letter.requeued_at:%Y-%m-%d %H:%M})" if letter.requeued_at else ""
            self.stdout.write(f"{letter.pk}\t{letter.failed_at:%Y-%m-%d %H:%M:%S}\t{letter.task}{tuple(letter.args)}"
                              f"\tafter {letter.retries} retries: {letter.exception}{state}")
        self.stdout.write(f"{letters.count()} dead letter(s)")
