"""``manage.py itc2007 ...``: the ITC2007 benchmark CLI inside the Django project.

A thin wrapper: the raw arguments go straight to :func:`scheduling.itc2007.cli.main`, bypassing
Django's own argument parsing, so ``manage.py itc2007 solve ...`` behaves exactly like the CLI
(same options, output and exit codes).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "ITC2007 exam timetabling: 'solve FILE.exam --time-limit S --out FILE.sln' "
        "or 'check FILE.exam FILE.sln'"
    )

    def run_from_argv(self, argv: list[str]) -> None:
        from scheduling.itc2007.cli import main

        sys.exit(main(list(argv[2:])))

    def handle(self, *args, **options) -> None:  # pragma: no cover - only reached via call_command
        from django.core.management.base import CommandError

        raise CommandError("run it as 'manage.py itc2007 solve|check ...' (call_command is not supported)")
