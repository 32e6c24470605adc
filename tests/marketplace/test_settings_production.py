"""Production mode (DJANGO_PRODUCTION, on by default with DATABASE_URL and debug off): the
settings refuse weak secret keys and a missing or plain-HTTP SITE_URL, switch on HTTPS
(redirect, HSTS, secure cookies), and ``manage.py check --deploy`` finds nothing.

Settings are read once per process, so each case starts ``manage.py`` in a subprocess with a
production environment. None of them connects to the database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Q-p9vX_2mTz8LrW4aYc7NdF1hJs6GbE0uOi5VqKxZy" + "Rt2nMw8Pq3L"
PRINT = (
    "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
    " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
    " s.EMAIL_USE_TLS, s.EMAIL_PORT)"
)


def production_env(**overrides: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SITE_URL", "EMAIL_", "DATABASE_"))
    }
    env.update(
        {
            # Never contacted: the checks below do not touch the database.
            "DATABASE_URL": "postgres://keqiao:unused@db.keqiao.example:5432/keqiao",
            "DJANGO_SECRET_KEY": STRONG_KEY,
            "SITE_URL": "https://keqiao.example",
            "DJANGO_ALLOWED_HOSTS": "keqiao.example",
            "PYTHONPATH": str(ROOT),
        }
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args: str, **overrides: str | None) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_switches_on_https_and_tls():
    result = manage("shell", "--no-imports", "-c", PRINT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000", "True", "True", "True", "True", "587"]


def test_the_local_site_stays_on_plain_http():
    result = manage("shell", "--no-imports", "-c", PRINT, DJANGO_PRODUCTION="false", SITE_URL=None)
    assert result.returncode == 0, result.stderr
    redirect, hsts = result.stdout.split()[:2]
    assert (redirect, hsts) == ("False", "0")


def test_without_a_database_url_it_is_not_production():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        PRINT,
        DATABASE_URL=None,
        SITE_URL=None,
        DJANGO_SECRET_KEY=None,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["False", "0"]


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("changeme", "shorter than 50"),
        ("changeme" * 8, "fewer than 10 different"),
        ("changeme-" + STRONG_KEY, "placeholder"),
        ("django-insecure-" + STRONG_KEY, "placeholder"),
        ("ab" * 40, "fewer than 10 different"),
    ],
)
def test_weak_secret_keys_are_refused_in_production(key, reason):
    result = manage("check", DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert reason in result.stderr


def test_a_missing_secret_key_is_refused_in_production():
    result = manage("check", DJANGO_SECRET_KEY=None)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("site_url", "message"),
    [(None, "SITE_URL must be set"), ("http://keqiao.example", "https:// address")],
)
def test_site_url_must_be_set_and_https_in_production(site_url, message):
    result = manage("check", SITE_URL=site_url)
    assert result.returncode != 0
    assert message in result.stderr


def test_smtp_can_use_implicit_tls_but_not_both():
    result = manage("shell", "--no-imports", "-c", PRINT, EMAIL_USE_SSL="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["False", "465"]
    result = manage("check", EMAIL_USE_SSL="true", EMAIL_USE_TLS="true")
    assert result.returncode != 0
    assert "cannot both be true" in result.stderr
