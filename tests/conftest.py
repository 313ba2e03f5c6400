"""Shared fixtures: the catalogue, a small location with sessions, users in every role, API clients."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.browser_support import axe_violations, browser, desktop, english, phone, sign_in  # noqa: E402,F401  (one browser per run)

AMS = ZoneInfo("Europe/Amsterdam")


def pytest_configure(config) -> None:
    """The live test server accepts bursts of parallel connections (the booking-rush tests send dozens at
    once; Django's default listen backlog of 10 would reset them)."""
    from django.core.servers import basehttp

    basehttp.WSGIServer.request_queue_size = 256


DB_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(config, items) -> None:
    """Tests marked ``postgres`` need PostgreSQL's row locks; on SQLite they are skipped, saying so.

    With ``EXAMS_DB_TESTS_ONLY=1`` (the second, SQLite pass of ``make test``) only tests that touch the
    database run: the others have already run in the first pass and do not depend on the database."""
    import os

    from django.conf import settings

    if not settings.configured:  # run without pytest-django (-p no:django): nothing here applies
        return
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (this pass runs on %s)" % vendor)
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
    if os.environ.get("EXAMS_DB_TESTS_ONLY") == "1":
        keep = [i for i in items if DB_FIXTURES & set(getattr(i, "fixturenames", ())) or i.get_closest_marker("django_db")]
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: counters of wrong guesses and remembered answers are per test.
    Only the in-memory cache the tests use by default is emptied, never a Redis a REDIS_URL names."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def tasks_in_process(request):
    """Tasks run in-process in tests, except in those marked ``celery_worker``, which go through the real
    broker to a real worker."""
    from django.conf import settings

    if not settings.configured:
        yield
        return
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = request.node.get_closest_marker("celery_worker") is None
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def second_factor_on_force_login(request, monkeypatch):
    """``Client.force_login`` stands for a finished login: for planners and administrators that includes their
    second factor (portal.twofactor), so page tests need not enrol them. Tests marked ``second_factor_pending``
    get Django's own ``force_login``: a session with the password step only."""
    if request.node.get_closest_marker("second_factor_pending"):
        return
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from portal.twofactor.services import SESSION_KEY

        session = self.session
        session[SESSION_KEY] = user.pk
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the catalogue once per test database: tests that only read it then need no setup of their own
    (pytest-django runs the transactional tests, which flush it, after the others)."""
    with django_db_blocker.unblock():
        from exams.seed.catalogue import seed_catalogue

        seed_catalogue(season_year=2027)


@pytest.fixture
def catalogue(db):
    """The real catalogue (families, programmes, parts, fees) as the seed writes it."""
    from exams.models import ExamFamily
    from exams.seed.catalogue import seed_catalogue

    if not ExamFamily.objects.exists():
        seed_catalogue(season_year=2027)
    return {f.code: f for f in ExamFamily.objects.all()}


@pytest.fixture
def location(catalogue):
    from exams.models import Location
    from exams.seed.places import AGENCY_CENTRES, upsert_location, upsert_room

    place = AGENCY_CENTRES[0]
    loc = upsert_location(place, [catalogue["nt2"], catalogue["inburgering"]])
    upsert_room(loc, "Computerzaal 1", seats=30, computer_seats=30, wheelchair_accessible=True)
    upsert_room(loc, "Computerzaal 2", seats=30, computer_seats=30, wheelchair_accessible=True)
    return Location.objects.get(pk=loc.pk)


@pytest.fixture
def make_session(location):
    """Build an open session: ``make_session("NT2-II-LZ", days=30, capacity=2)``."""
    from exams.models import ExamPart, ExamSession

    def build(*part_codes: str, days: int = 30, hour: int = 9, capacity: int = 30, room: str = "Computerzaal 1",
              status: str = "open") -> ExamSession:
        parts = [ExamPart.objects.get(code=code) for code in (part_codes or ("NT2-II-LZ",))]
        day = timezone.localdate() + timedelta(days=days)
        starts_at = datetime.combine(day, time(hour, 0), tzinfo=AMS)
        session = ExamSession.objects.create(
            room=location.rooms.get(name=room), starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=max(p.duration_minutes for p in parts)),
            capacity=capacity, status=status,
        )
        session.parts.set(parts)
        return session

    return build


def _user(email: str, role: str, **extra):
    from exams.models import User

    return User.objects.create_user(email, "a-long-test-password", role=role, email_verified=True, **extra)


def _candidate(user, first: str, last: str):
    from exams.models import Candidate

    return Candidate.objects.create(
        user=user, first_name=first, last_name=last, birth_date=date(1990, 5, 1), email=user.email,
        national_id="123456782", latitude=Decimal("52.37"), longitude=Decimal("4.90"),
    )


@pytest.fixture
def candidate(db):
    return _candidate(_user("cand.one@example.org", "candidate"), "Olena", "Kovalenko")


@pytest.fixture
def other_candidate(db):
    return _candidate(_user("cand.two@example.org", "candidate"), "Yusuf", "Demir")


@pytest.fixture
def examiner(db):
    from exams.models import Examiner

    user = _user("examiner.one@example.org", "examiner")
    return Examiner.objects.create(user=user, first_name="Jan", last_name="Bakker", email=user.email)


@pytest.fixture
def planner(db):
    return _user("planner.one@example.org", "planner", is_staff=True)


class ApiClient:
    """A test client that speaks JSON and sends a bearer token when it has one."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params):
        return self.client.get(path, params, **self._headers())

    def send(self, method: str, path: str, body=None, *, raw: str | None = None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return getattr(self.client, method)(path, data, content_type="application/json", **self._headers())

    def post(self, path: str, body=None, **kw):
        return self.send("post", path, body, **kw)

    def patch(self, path: str, body=None, **kw):
        return self.send("patch", path, body, **kw)


@pytest.fixture
def api_for():
    """``api_for(user)`` gives an API client authenticated with a fresh token for ``user``."""
    from exams.models import ApiToken

    def build(user=None) -> ApiClient:
        return ApiClient(ApiToken.issue(user) if user is not None else None)

    return build


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real Celery worker in its own process, consuming from the test broker and writing to the test
    database. Tests using it must commit their data (``transactional_db``) for the worker to see it."""
    import os
    import subprocess
    import sys
    import uuid

    from django.conf import settings

    from config.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("no broker configured: tasks run in-process on this pass")
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        pytest.skip("the worker shares the test database, which needs PostgreSQL")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    env = dict(os.environ, DJANGO_ENV="test",
               DATABASE_URL=f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    app.control.purge()
    name = f"testworker-{uuid.uuid4().hex[:8]}@%h"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", "--concurrency=1",
         "--loglevel=WARNING", "-n", name, "--without-gossip", "--without-mingle"],
        env=env,
    )
    deadline = time_module().monotonic() + 60
    while not app.control.ping(timeout=1):
        if worker.poll() is not None or time_module().monotonic() > deadline:
            worker.kill()
            pytest.fail("the Celery worker did not come up")
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


def time_module():
    import time

    return time
