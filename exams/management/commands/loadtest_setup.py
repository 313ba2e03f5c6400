"""python manage.py loadtest_setup --seats N --candidates M --out FILE.json

One open session with N seats and M verified candidate accounts with API tokens, for load tests. Refuses
to run with production settings.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from exams.models import ApiToken, Candidate, ExamFamily, ExamPart, ExamSession, Location, User
from exams.seed.catalogue import seed_catalogue
from exams.seed.places import AGENCY_CENTRES, upsert_location, upsert_room


class Command(BaseCommand):
    help = "Create one open session and verified candidates with API tokens for a load test."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seats", type=int, required=True)
        parser.add_argument("--candidates", type=int, required=True)
        parser.add_argument("--out", required=True)
        parser.add_argument("--part", default="NT2-II-LZ")

    def handle(self, *args, seats: int, candidates: int, out: str, part: str, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("loadtest_setup makes made-up accounts: it refuses to run with DJANGO_ENV=production.")
        if not (1 <= seats <= 10000 and 1 <= candidates <= 200000):
            raise CommandError("--seats must be 1..10000 and --candidates 1..200000.")
        with transaction.atomic():
            session = self._session(seats, part)
            tokens = self._candidates(candidates, session.pk)
        Path(out).write_text(json.dumps({"session_id": session.pk, "part": part, "tokens": tokens}))
        self.stdout.write(f"Session {session.pk} ({seats} seats) and {candidates} candidates written to {out}")

    def _session(self, seats: int, part_code: str) -> ExamSession:
        if not ExamFamily.objects.exists():
            seed_catalogue(season_year=timezone.localdate().year + 1)
        part = ExamPart.objects.get(code=part_code)
        location = Location.objects.filter(code=AGENCY_CENTRES[0].code).first() or upsert_location(
            AGENCY_CENTRES[0], [part.programme.family])
        room = upsert_room(location, "Loadtest hall", seats=max(seats, 1), computer_seats=max(seats, 1))
        starts_at = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=60), time(9, 30)))
        session = ExamSession.objects.create(room=room, starts_at=starts_at, capacity=seats, status="open",
                                             ends_at=starts_at + timedelta(minutes=part.duration_minutes))
        session.parts.set([part])
        return session

    def _candidates(self, count: int, tag: int) -> list[str]:
        users = User.objects.bulk_create([
            User(email=f"load{tag}.{i}@example.org", role=User.Role.CANDIDATE, email_verified=True,
                 password="!")  # no password: they use tokens
            for i in range(count)
        ], batch_size=2000)
        Candidate.objects.bulk_create([
            Candidate(user=u, first_name="Load", last_name=f"Test {i}", birth_date=date(1990, 1, 1), email=u.email)
            for i, u in enumerate(users)
        ], batch_size=2000)
        keys = [ApiToken.new_key() for _ in users]
        expires = timezone.now() + timedelta(days=2)
        ApiToken.objects.bulk_create([ApiToken(user=u, key_hash=ApiToken.hash_key(k), expires_at=expires)
                                      for u, k in zip(users, keys)], batch_size=2000)
        return keys
