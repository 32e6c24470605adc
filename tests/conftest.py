"""Named people of the tests: a university owner, an enterprise user, a member of an
unverified organisation, an outsider without an organisation, a moderator, and a listing
moderator (staff allowed to moderate listings only)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import translation

from accounts.choices import OrganizationKind
from tests import factories
from tests.support.redis_server import local_redis

# The processes the tests start (Celery workers with a DATABASE_URL) are local ones, served
# over plain HTTP: not production, whatever `make test` was or was not run through.
os.environ.setdefault("DJANGO_PRODUCTION", "false")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Pages link to static files by name: no `collectstatic` manifest of hashed names needed
    # (and an existing STATIC_ROOT, so that whitenoise has nothing to warn about).
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Hashing passwords properly is slow by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Embedding thousands of test listings with the model would take minutes: the stand-in
    # (hashed terms) instead, and the embedding done by the time a test looks. The tests of
    # the model itself switch it back (tests/marketplace/text/test_embeddings.py).
    settings.EMBEDDING_MODEL = "terms"
    settings.TASKS_IN_BACKGROUND = False
    # Statistics of the listings (term frequencies, embedding samples) read afresh each time.
    settings.MATCH_STATS_SECONDS = 0
    # No retry timers behind the tests' backs: the tests of in-process retries switch them on
    # and fire the timer themselves (tests/marketplace/outbox/test_in_process.py).
    settings.OUTBOX_IN_PROCESS_RELAY = False
    # Rate-limit counters fresh for each test: in memory under a new name (the database
    # cache's table is not emptied between the live-server tests). The shared database cache
    # itself is tested in tests/marketplace/test_limits.py.
    settings.CACHES = {
        **settings.CACHES,
        "limits": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"limits-{tmp_path.name}-{os.getpid()}",
        },
    }


@pytest.fixture(autouse=True)
def _broker_not_paused():
    """A test that met a dead broker pauses publishing in this process
    (``marketplace.celery.broker_paused``); the next test starts afresh."""
    from marketplace.celery import broker_pause_reset

    broker_pause_reset()
    yield
    broker_pause_reset()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code run outside a request (services, commands) speaks the site's default language,
    Chinese; the tests read its messages in English. Without this, a test saw whatever
    language the previous request in the same process had left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def university(db):
    return factories.make_org(kind=OrganizationKind.UNIVERSITY, name="浙江大学", region="zhejiang")


@pytest.fixture
def enterprise(db):
    return factories.make_org(
        kind=OrganizationKind.ENTERPRISE, name="深芯微电子", region="guangdong"
    )


@pytest.fixture
def unverified_org(db):
    return factories.make_org(kind=OrganizationKind.ENTERPRISE, name="New Co", verified=False)


@pytest.fixture
def uni_user(university):
    """Owner of the university: owns the listings under test."""
    return factories.make_user(org=university, email="owner@zju.example")


@pytest.fixture
def uni_colleague(university):
    return factories.make_user(org=university, role="member", email="colleague@zju.example")


@pytest.fixture
def ent_user(enterprise):
    """Member of another, verified organisation."""
    return factories.make_user(org=enterprise, email="rd@shenxin.example")


@pytest.fixture
def unverified_user(unverified_org):
    return factories.make_user(org=unverified_org, email="founder@newco.example")


@pytest.fixture
def outsider(db):
    """Signed in, but acts for no organisation."""
    return factories.make_user(email="outsider@example.org")


@pytest.fixture
def moderator(db):
    return factories.make_user(staff=True, email="moderator@keqiao.example")


LISTING_PERMISSIONS = [
    "view_achievement",
    "change_achievement",
    "view_challenge",
    "change_challenge",
]


@pytest.fixture
def listing_moderator(db):
    """Staff with the view and change permissions on listings, nothing else."""
    user = factories.make_user(staff=True, email="reviewer@keqiao.example")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="listings", codename__in=LISTING_PERMISSIONS
        )
    )
    return user


@pytest.fixture
def admin_user(db):
    user = factories.make_user(staff=True, email="admin@keqiao.example")
    user.is_superuser = True
    user.save()
    return user


def _client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def client_for():
    """client_for(user) → a test client logged in as that user (None: a visitor)."""
    return _client_for


@pytest.fixture
def people(uni_user, ent_user, unverified_user, outsider, moderator):
    """The permission matrix's rows, by name."""
    return {
        "visitor": None,
        "owner": uni_user,
        "other_org": ent_user,
        "unverified_org": unverified_user,
        "outsider": outsider,
        "moderator": moderator,
    }


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A live Redis for the tests that need a real broker: ``TEST_CELERY_BROKER_URL`` if set,
    else the one on 127.0.0.1:6379 (db 15) when it answers, else a server of this session's
    own (``tests.support.redis_server``), stopped at the end."""
    url = os.environ.get("TEST_CELERY_BROKER_URL")
    if url:
        yield url
        return
    with local_redis(db=15) as url:
        yield url
