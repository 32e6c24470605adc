"""The files of deploy/ agree with the settings they depend on (docs/deploy.md)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_nginx_takes_the_largest_upload_and_no_more_than_a_little_over():
    conf = (DEPLOY / "nginx" / "keqiao.conf").read_text()
    size = re.search(r"client_max_body_size (\d+)m;", conf)
    assert size, "client_max_body_size must be set in megabytes"
    limit = int(size.group(1)) * 1024 * 1024
    largest = max(settings.ATTACHMENT_MAX_BYTES, settings.IMPORT_MAX_BYTES)
    # Room for the form around the file, but a body far larger is refused by nginx.
    assert largest < limit <= largest + 2 * 1024 * 1024


def test_nginx_sets_the_header_django_trusts_and_serves_static_files():
    conf = (DEPLOY / "nginx" / "keqiao.conf").read_text()
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    # nginx serves the static files where the pages link them.
    assert f"location /{settings.STATIC_URL.strip('/')}/ {{" in conf


def test_units_run_the_project_commands():
    web = (DEPLOY / "systemd" / "keqiao-web.service").read_text()
    worker = (DEPLOY / "systemd" / "keqiao-worker.service").read_text()
    beat = (DEPLOY / "systemd" / "keqiao-beat.service").read_text()
    assert "gunicorn marketplace.wsgi" in web
    assert "celery -A marketplace worker" in worker
    assert "celery -A marketplace beat" in beat
    for unit in (web, worker, beat):
        assert "EnvironmentFile=/etc/keqiao/keqiao.env" in unit
