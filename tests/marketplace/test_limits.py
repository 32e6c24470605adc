"""Abuse limits: the log-in lockout (django-axes, site and admin) and the rate limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from marketplace import limits
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")
PASSWORD = "correct horse battery"


@pytest.fixture
def person(university):
    user = factories.make_user(org=university, email="guessed@zju.example")
    user.set_password(PASSWORD)
    user.save()
    return user


def _client(ip: str = "10.0.0.1", language: str = "en") -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE=language)


def _log_in(client: Client, email: str, password: str, url: str = LOGIN):
    return client.post(url, {"username": email, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def lockout(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


# --- log-in lockout -------------------------------------------------------------------------


def test_five_failures_lock_the_account_even_with_the_right_password(lockout, person):
    client = _client()
    for _ in range(4):
        assert _log_in(client, person.email, "wrong").status_code == 200
    # The fifth failure locks: answered with the lockout page, not the form.
    fifth = _log_in(client, person.email, "wrong")
    assert fifth.status_code == 429
    response = _log_in(client, person.email, PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    content = response.content.decode()
    assert "Log-in temporarily locked" in content
    assert "try again in 15 minutes" in content
    assert not _signed_in(client)


def test_the_lockout_page_is_in_chinese(lockout, person):
    client = _client(language="zh-hans")
    for _ in range(5):
        _log_in(client, person.email, "wrong")
    response = _log_in(client, person.email, PASSWORD)
    assert response.status_code == 429
    assert "请在 15 分钟后重试" in response.content.decode()


def test_an_account_is_locked_whatever_the_address(lockout, person):
    for n in range(5):
        _log_in(_client(f"10.0.1.{n}"), person.email, "wrong")
    fresh = _client("10.0.2.1")
    assert _log_in(fresh, person.email, PASSWORD).status_code == 429
    assert not _signed_in(fresh)


def test_the_account_name_counts_in_any_case(lockout, person):
    for n, email in enumerate(
        ["Guessed@zju.example", "GUESSED@ZJU.EXAMPLE", " guessed@zju.example"]
    ):
        _log_in(_client(f"10.0.3.{n}"), email, "wrong")
    for n in range(2):
        _log_in(_client(f"10.0.4.{n}"), person.email, "wrong")
    assert _log_in(_client("10.0.5.1"), person.email, PASSWORD).status_code == 429


def test_an_address_is_locked_whatever_the_account(lockout, person):
    guesser = _client("10.9.9.9")
    for n in range(5):
        _log_in(guesser, f"someone{n}@example.org", "wrong")
    assert _log_in(guesser, person.email, PASSWORD).status_code == 429
    # The account itself is not locked: from elsewhere its holder logs in.
    elsewhere = _client("10.0.0.2")
    assert _log_in(elsewhere, person.email, PASSWORD).status_code == 302
    assert _signed_in(elsewhere)


def test_a_success_resets_the_count(lockout, person):
    client = _client()
    for _ in range(4):
        _log_in(client, person.email, "wrong")
    assert _log_in(client, person.email, PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        assert _log_in(client, person.email, "wrong").status_code == 200
    assert _log_in(client, person.email, PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(lockout, person):
    client = _client()
    for _ in range(5):
        _log_in(client, person.email, "wrong")
    assert _log_in(client, person.email, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _log_in(client, person.email, PASSWORD).status_code == 302
    assert _signed_in(client)


def test_the_admin_log_in_is_locked_too(lockout, admin_user):
    admin_user.set_password(PASSWORD)
    admin_user.save()
    client = _client()
    for _ in range(5):
        _log_in(client, admin_user.email, "wrong", url=ADMIN_LOGIN)
    response = _log_in(client, admin_user.email, PASSWORD, url=ADMIN_LOGIN)
    assert response.status_code == 429
    assert not _signed_in(client)
    # Failures on the admin and the site count together.
    assert _log_in(client, admin_user.email, PASSWORD).status_code == 429


def test_the_address_behind_trusted_proxies(settings, rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    settings.TRUSTED_PROXY_COUNT = 0
    assert limits.client_ip(request) == "10.0.0.1"
    # One proxy of ours: the address it appended; what the client wrote before is ignored.
    settings.TRUSTED_PROXY_COUNT = 1
    assert limits.client_ip(request) == "1.2.3.4"


# --- rate limits ----------------------------------------------------------------------------


@pytest.fixture
def tight(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "2/h")


def _assert_limited(response) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Too many requests" in response.content.decode()


def test_signup_is_limited_per_address(tight):
    url = reverse("accounts:signup")
    client = _client("10.1.1.1")
    for _ in range(2):
        # Refused forms count too: a limit on attempts, not on successes.
        assert client.post(url, {"email": "x"}).status_code == 200
    _assert_limited(client.post(url, {"email": "x"}))
    assert not User.objects.exists()
    # Showing the form is not counted; another address has its own count.
    assert client.get(url).status_code == 200
    assert _client("10.1.1.2").post(url, {"email": "x"}).status_code == 200


def test_password_reset_is_limited_per_address(
    tight, person, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("accounts:password_reset")
    client = _client("10.1.2.1")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            assert client.post(url, {"email": person.email}).status_code == 302
        _assert_limited(client.post(url, {"email": person.email}))
    assert len(mailoutbox) == 2


def test_invitations_are_limited_per_person(tight, uni_user, client_for, mailoutbox):
    url = reverse("accounts:invitation_create")
    client = client_for(uni_user)
    for n in range(2):
        assert client.post(url, {"email": f"i{n}@example.org"}).status_code == 302
    _assert_limited(client.post(url, {"email": "i2@example.org"}))
    assert uni_user.membership.organization.invitations.count() == 2


def test_the_429_page_is_in_chinese(tight):
    url = reverse("accounts:signup")
    client = _client("10.1.3.1", language="zh-hans")
    for _ in range(2):
        client.post(url, {})
    response = client.post(url, {})
    assert response.status_code == 429
    assert "请求过于频繁" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        reverse("deals:achievement_interest", args=[999999]),
        reverse("deals:message_send", args=[999999]),
        reverse("listings:achievement_attachment_upload", args=[999999]),
        reverse("bulk:import_list"),
    ],
    ids=["interest", "message", "upload", "bulk-import"],
)
def test_writes_of_signed_in_people_are_limited_per_account(tight, url, ent_user, uni_user):
    client = Client(REMOTE_ADDR="10.2.0.1", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(ent_user)
    for _ in range(2):
        assert client.post(url, {}).status_code != 429
    _assert_limited(client.post(url, {}))
    # Counted by account, not address: a colleague behind the same address is not limited.
    colleague = Client(REMOTE_ADDR="10.2.0.1", HTTP_ACCEPT_LANGUAGE="en")
    colleague.force_login(uni_user)
    assert colleague.post(url, {}).status_code != 429


def test_rate_limits_can_be_switched_off(tight, settings):
    settings.RATE_LIMITS_ENABLED = False
    client = _client("10.1.4.1")
    for _ in range(4):
        assert client.post(reverse("accounts:signup"), {}).status_code == 200


def test_rate_parse():
    assert limits.Rate.parse("10/h") == limits.Rate(count=10, seconds=3600)
    assert limits.Rate.parse("20/10m") == limits.Rate(count=20, seconds=600)
    with pytest.raises(ValueError):
        limits.Rate.parse("ten per hour")


def test_the_counters_are_shared_through_the_database_by_default(settings, rf):
    """Every gunicorn worker and machine sees the same counts: the default ``limits`` cache
    is a PostgreSQL table (created by a migration)."""
    settings.CACHES = {
        **settings.CACHES,
        "limits": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "keqiao_limits_cache",
        },
    }
    rate = limits.Rate(count=2, seconds=3600)
    assert [limits.hit("test", "ip:1.2.3.4", rate) for _ in range(2)] == [0, 0]
    assert limits.hit("test", "ip:1.2.3.4", rate) > 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM keqiao_limits_cache")
        assert cursor.fetchone()[0] == 1


def test_emails_to_one_address_are_limited_whatever_the_asker(
    settings, person, mailoutbox, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "emails_to_address": "2/h"}
    url = reverse("accounts:password_reset")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            response = _client(f"10.4.0.{n}").post(url, {"email": person.email.upper()})
            # The asker always gets the same answer; the address gets two links an hour.
            assert response.status_code == 302
    assert len(mailoutbox) == 2
