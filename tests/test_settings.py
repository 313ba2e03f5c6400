"""Production is configured by environment variables, and Django's deployment checks find nothing."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Not what the test process itself runs with (a browser test sets DJANGO_ALLOW_ASYNC_UNSAFE for itself).
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_with_production_settings_reports_nothing(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_ENV="production",
                    SECRET_KEY=secrets.token_urlsafe(60), ALLOWED_HOSTS="exams.example.org",
                    DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
                    INVOICE_IBAN="NL02 ABNA 0123 4567 89")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_invoices_name_no_account(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_ENV="production",
                    SECRET_KEY=secrets.token_urlsafe(60), ALLOWED_HOSTS="exams.example.org",
                    DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CELERY_BROKER_URL="redis://127.0.0.1:6379/0")
    assert result.returncode != 0
    assert "exams.W001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_ENV="production", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_the_demo_asks_for_it():
    probe = "from django.conf import settings; print(settings.DEBUG, settings.CELERY_TASK_ALWAYS_EAGER)"
    assert manage("shell", "-v", "0", "-c", probe, DJANGO_ENV="development").stdout.split() == ["False", "True"]
    assert manage("shell", "-v", "0", "-c", probe, DJANGO_ENV="demo").stdout.split() == ["True", "True"]
    with_broker = manage("shell", "-v", "0", "-c", probe, DJANGO_ENV="production", SECRET_KEY="x" * 60,
                         CELERY_BROKER_URL="redis://127.0.0.1:6379/0", ALLOWED_HOSTS="a.example.org")
    assert with_broker.stdout.split() == ["False", "False"]


def test_seeding_demo_accounts_is_refused_in_production(tmp_path):
    result = manage("seed_demo", DJANGO_ENV="production", SECRET_KEY="x" * 60,
                    DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode != 0
    assert "Refusing to seed" in result.stderr


def test_each_web_worker_loads_the_whole_site_before_its_first_request():
    """Importing the WSGI application imports every view and the API, so the first request a freshly
    started worker serves does not pay for it."""
    probe = "import sys, config.wsgi; print('portal.api.bookings' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "DJANGO_ENV": "test"})
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr[-2000:]


def test_a_web_worker_keeps_what_it_loaded_at_boot_out_of_the_garbage_collectors_sight():
    """After booting, the loaded site is frozen (gc.freeze): a full collection during a rush walks only what
    requests created, so it no longer stops a worker's threads for a tenth of a second or more."""
    probe = "import gc, config.wsgi; print(gc.get_freeze_count() > 50_000)"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "DJANGO_ENV": "test"})
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr[-2000:]
