"""python manage.py rundemo: the whole system on its embedded default, as `make demo` starts it.

SQLite under var/, tasks in-process, the demo data seeded (or reused), periodic jobs on a timer thread,
and the web app on http://127.0.0.1:8000.
"""

from __future__ import annotations

import os
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from exams.jobs.outbox import run_in_background
from exams.seed.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Migrate, seed the demo and serve it on 127.0.0.1:8000 with background jobs in-process."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Set up and seed, but do not serve.")

    def handle(self, *args, addrport: str, no_serve: bool, **options) -> None:
        if settings.ENVIRONMENT != "demo":
            raise CommandError("rundemo runs only with DJANGO_ENV=demo (make demo sets it).")
        _links_lead_to(addrport)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready: %s" % settings.DATABASES["default"]["NAME"])
        call_command("seed_demo", stdout=self.stdout)
        if no_serve:
            return
        self._start_periodic_jobs()
        run_in_background()  # a page that starts a planning run answers at once and shows its progress
        self.stdout.write(self.style.SUCCESS(f"\nThe exam system runs on http://{addrport}/"))
        self.stdout.write(f"Log in as any of {', '.join(DEMO_ACCOUNTS)} with the password {DEMO_PASSWORD}")
        self.stdout.write("Planners and administrators then set up two-step login with an authenticator app "
                          "(README, demo section); manage.py second_factor_reset EMAIL starts that over.")
        self.stdout.write("API docs: http://%s/api/v1/docs · admin: http://%s/admin/ · stop with Ctrl-C\n"
                          % (addrport, addrport))
        call_command("runserver", addrport, use_reloader=False)

    def _start_periodic_jobs(self) -> None:
        """The demo has no Celery beat: a timer thread runs the periodic jobs in this process."""
        from certificates.tasks import release_results
        from exams.payments.tasks import payments_reconcile
        from exams.tasks import expire_holds, qualification_reminders

        def loop() -> None:
            while not stop.wait(60):
                try:
                    expire_holds()
                    release_results()
                    payments_reconcile()
                    qualification_reminders()  # once per qualification: the demo's e-mails go to the console
                except Exception as exc:  # noqa: BLE001 - the demo keeps serving; the error is shown
                    self.stderr.write(f"periodic job failed: {exc}")

        stop = threading.Event()
        threading.Thread(target=loop, name="periodic-jobs", daemon=True).start()


def _links_lead_to(addrport: str) -> None:
    """Unless SITE_URL is set, links in e-mails, on documents and the test payment page's way back lead to
    where this demo serves (``--addrport``), not to the default port 8000 another program may hold."""
    if os.environ.get("SITE_URL"):
        return
    host_port = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
    settings.SITE_URL = f"http://{host_port}"
    settings.CERTIFICATES = {**settings.CERTIFICATES, "VERIFY_URL": settings.SITE_URL + "/verify/"}
