"""manage.py second_factor_reset EMAIL: for someone who lost both their phone and their recovery codes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.twofactor.services import second_factor_reset


class Command(BaseCommand):
    help = "Remove an account's authenticator and recovery codes; the next login sets up two-step login again."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        user = get_user_model().objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email}.")
        second_factor_reset(user=user)
        self.stdout.write(f"Two-step login reset for {user.email}: it is set up again at the next login.")
