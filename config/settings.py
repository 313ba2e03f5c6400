"""Settings for every environment, chosen by environment variables.

Nothing here needs to be edited to deploy: production reads ``DATABASE_URL``, ``CELERY_BROKER_URL``,
``SECRET_KEY``, ``ALLOWED_HOSTS`` and friends from the environment. With none of them set the system runs on
its embedded default: SQLite under ``var/`` and background tasks executed in-process.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("EXAMS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# "development" (the embedded default), "demo" (make demo), "test" or "production".
ENVIRONMENT = os.environ.get("DJANGO_ENV") or ("test" if "pytest" in sys.modules else "development")
PRODUCTION = ENVIRONMENT == "production"

# DEBUG is off unless asked for; only the demo asks for it.
DEBUG = env_bool("DEBUG", default=ENVIRONMENT == "demo")


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    # Outside production a key is generated once per checkout and kept under var/.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "mozilla_django_oidc",
    "axes",
    "exams",
    "exams.payments",
    "exams.jobs",
    "certificates",
    "portal",
    "portal.twofactor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.twofactor.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "portal.middleware.ApiErrorBodyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "config.postgresql"  # the same, with a health check without a round trip
    # Parameters travel apart from the SQL, and a statement a connection has run a few times is prepared
    # once: PostgreSQL then skips parsing and planning it, about half of its work on a booking.
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": int(os.environ.get("DB_PREPARE_THRESHOLD", "5")) or None,  # 0: never prepare
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; a busy timeout turns contention into waiting instead of errors, and the
    # write-ahead log lets pages read while a background job (a planning run in the demo) writes.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE",
                                       "init_command": "PRAGMA journal_mode=WAL;"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "exams.User"
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENVIRONMENT == "test":
    # Hashing with PBKDF2 dominates a test suite that logs in hundreds of times.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded evidence and generated documents hold personal data: they live outside any web root and are
# only ever served through views that check who is asking.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", VAR_DIR / "private"))
MEDIA_ROOT = PRIVATE_STORAGE_ROOT

# --- OpenID Connect (optional) ------------------------------------------------------------------------
# A national eID (or any OpenID Connect provider) can be added as a second way to log in. Accounts with
# an e-mail address and password always work, also abroad where the eID often does not.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
if OIDC_RP_CLIENT_ID:
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["OIDC_OP_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = os.environ["OIDC_OP_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = "openid email profile"
    AUTHENTICATION_BACKENDS.append("portal.oidc.CandidateOIDCBackend")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "DigiD")

# --- Brute force ---------------------------------------------------------------------------------------
# After a handful of wrong passwords in an hour an account name is locked for the rest of the hour, whether
# or not the account exists, so the answer never tells which e-mail addresses have an account.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "portal/locked.html"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Locking by IP address as well would lock out everyone behind one address (a language school helping
# its students, a library abroad); the lock is per account name on purpose. See docs/operations.md.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- Background tasks -------------------------------------------------------------------------------
_BROKER = os.environ.get("CELERY_BROKER_URL", "")
# Without a broker, tasks run in-process: the embedded default needs no Redis (the in-memory transport
# only keeps Celery from looking for a broker on localhost).
CELERY_BROKER_URL = _BROKER or "memory://localhost//"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", _BROKER or None)
CELERY_TASK_ALWAYS_EAGER = not _BROKER
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message taken by a worker that then vanished whole (the main process killed, the machine gone) goes back
# to the queue after this many seconds: longer than any task runs (planning runs, which may run an hour,
# are claimed once, so a second delivery does nothing) and than the longest retry countdown (300 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "900")),
    "socket_connect_timeout": 3,
}
CELERY_BEAT_SCHEDULE = {
    "expire-holds": {"task": "exams.tasks.expire_holds", "schedule": 60.0},
    "release-results": {"task": "certificates.tasks.release_results", "schedule": 15 * 60.0},
    "reconcile-payments": {"task": "exams.payments.tasks.payments_reconcile", "schedule": 5 * 60.0},
    "retention-erase": {"task": "exams.tasks.retention_erase", "schedule": 24 * 3600.0},
    "seal-audit-log": {"task": "exams.tasks.audit_seal", "schedule": 10.0},
    "relay-outbox": {"task": "exams.jobs.tasks.outbox_relay", "schedule": 15.0},
    "prune-outbox": {"task": "exams.jobs.tasks.outbox_prune", "schedule": 24 * 3600.0},
    "qualification-reminders": {"task": "exams.tasks.qualification_reminders", "schedule": 24 * 3600.0},
}

# --- Caches -----------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- E-mail -----------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Examenplanning <noreply@exams.example.org>")

# --- Security ---------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # TLS ends at the load balancer, which sets this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Domain settings --------------------------------------------------------------------------------
EXAMS = {
    # How long seats stay held while a candidate pays.
    "HOLD_MINUTES": int(os.environ.get("EXAMS_HOLD_MINUTES", "15")),
    # How long one process may answer the same session search from memory (seconds; 0: never). Tests see
    # every change at once.
    "SESSION_LIST_CACHE_SECONDS": float(os.environ.get("EXAMS_SESSION_LIST_CACHE_SECONDS",
                                                       "0" if ENVIRONMENT == "test" else "1")),
    # Lifetime of API tokens issued by POST /api/v1/auth/token.
    "API_TOKEN_DAYS": int(os.environ.get("EXAMS_API_TOKEN_DAYS", "30")),
    # Which provider "pay online" uses: Mollie in production, the built-in test provider elsewhere.
    "ONLINE_PAYMENT_PROVIDER": os.environ.get("PAYMENT_PROVIDER", "mollie" if PRODUCTION else "test"),
    # The bank account invoices are paid to: a made-up one outside production; production names its own
    # (``check --deploy`` warns when it does not, exams.checks).
    "INVOICE_ACCOUNT": {
        "IBAN": os.environ.get("INVOICE_IBAN", "" if PRODUCTION else "NL91 ABNA 0417 1643 00"),
        "BIC": os.environ.get("INVOICE_BIC", "" if PRODUCTION else "ABNANL2A"),
        "NAME": os.environ.get("INVOICE_ACCOUNT_NAME", "" if PRODUCTION else "Examenbureau (demo)"),
    },
    # When exam staff are to be there (domain.md gives only the candidates' time, per exam family; assumed):
    # at least this many minutes before the start, and always this many minutes before the candidates.
    "STAFF_ARRIVAL_MINUTES_BEFORE": int(os.environ.get("EXAMS_STAFF_ARRIVAL_MINUTES_BEFORE", "45")),
    "STAFF_AHEAD_OF_CANDIDATES_MINUTES": int(os.environ.get("EXAMS_STAFF_AHEAD_OF_CANDIDATES_MINUTES", "15")),
    # The youngest age at which a family's exams can be taken (assumed: no source found; the profile
    # refuses a birth date younger than the lowest).
    "MIN_AGE_YEARS": {"vo": 12, "nt2": 16, "inburgering": 16, "wft": 16},
    # How many special-provision requests a candidate may have waiting for a decision at once (assumed).
    "MAX_PENDING_PROVISIONS": int(os.environ.get("EXAMS_MAX_PENDING_PROVISIONS", "3")),
    # Creating the demo accounts is only ever allowed in these environments.
    "DEMO_ENVIRONMENTS": ("development", "demo", "test"),
}

# --- Documents --------------------------------------------------------------------------------------
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CERTIFICATES = {
    # Outside production a test PKI (root CA, document signer, code key) is generated here on first use.
    "TEST_PKI_DIR": None if PRODUCTION else str(VAR_DIR / "pki"),
    "SIGNER_KEY_PATH": os.environ.get("CERT_SIGNER_KEY_PATH", ""),
    "SIGNER_CERT_PATH": os.environ.get("CERT_SIGNER_CERT_PATH", ""),
    "CHAIN_PATHS": tuple(env_list("CERT_CHAIN_PATHS", [])),
    "CODE_KEY_PATH": os.environ.get("CERT_CODE_KEY_PATH", ""),
    "VERIFY_URL": SITE_URL + "/verify/",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"expected_answers": {"()": "portal.logging.ExpectedAnswers"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "exams": {"level": os.environ.get("LOG_LEVEL", "INFO")},
        "django.request": {"filters": ["expected_answers"]},
    },
}
