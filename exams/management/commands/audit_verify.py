"""python manage.py audit_verify: check the audit log's hash chain; exit code 1 at the first broken entry."""

from django.core.management.base import BaseCommand, CommandError

from exams.audit import verify_chain


class Command(BaseCommand):
    help = "Verify that no audit log entry was changed, removed or inserted."

    def handle(self, *args, **options) -> None:
        count, broken = verify_chain()
        if broken is not None:
            raise CommandError(f"The audit log is broken at entry {broken} (after {count - 1} good entries).")
        self.stdout.write(f"The audit log is intact: {count} entries.")
