"""python manage.py relay_outbox [--once] [--interval 5]: publish queued jobs the broker could not take.

Runs beside the web servers; it needs the database, not the broker: while the broker is down it keeps
trying every ``--interval`` seconds, and publishes the backlog as soon as the broker answers.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection

from exams.jobs.outbox import outbox_relay


class Command(BaseCommand):
    help = "Publish pending outbox messages to the broker (once, or every --interval seconds)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="One round, then exit.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between rounds.")

    def handle(self, *args, once: bool, interval: float, **options) -> None:
        while True:
            try:
                published = outbox_relay()
            except Exception as exc:  # noqa: BLE001 - the database may be away for a moment; try again
                self.stderr.write(f"relay round failed: {exc}")
                connection.close()
                published = 0
            if published or once:
                self.stdout.write(f"published {published}")
            if once:
                return
            time.sleep(interval)
