"""python manage.py seed_demo [--scale demo|national] [--seed N]"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from exams.seed.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_allowed, seed_demo
from exams.seed.national import seed_national


class Command(BaseCommand):
    help = "Seed the demo data set, or a national-scale data set for benchmarks (deterministic per --seed)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", choices=["demo", "national"], default="demo")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale: str, seed: int, **options) -> None:
        if not demo_allowed():
            raise CommandError("Refusing to seed made-up people and demo accounts outside a demo, development "
                               "or test environment (DJANGO_ENV=production).")
        started = time.perf_counter()
        if scale == "national":
            counts = seed_national(seed=seed)
            created = True
        else:
            summary = seed_demo(seed=seed)
            counts, created = summary.counts, summary.created
        elapsed = time.perf_counter() - started
        verb = "Seeded" if created else "Demo data already present; reused"
        self.stdout.write(f"{verb} ({scale}, seed {seed}) in {elapsed:.1f} s: "
                          + ", ".join(f"{value} {name}" for name, value in counts.items()))
        if scale == "demo":
            self.stdout.write("Demo accounts (password %s): %s" % (DEMO_PASSWORD, ", ".join(DEMO_ACCOUNTS)))
