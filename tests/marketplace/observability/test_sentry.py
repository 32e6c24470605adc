"""Sentry: off without SENTRY_DSN; with one, errors go to Sentry (here a transport stub, no
network), tagged with the request id and without personal data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import sentry_sdk

from marketplace.observability.sentry import sentry_init

ROOT = Path(__file__).resolve().parents[3]


def test_off_without_a_dsn():
    # The settings ran ``sentry_init`` with the tests' empty SENTRY_DSN.
    assert not sentry_sdk.get_client().is_active()
    assert sentry_init(dsn="") is False
    assert not sentry_sdk.get_client().is_active()


def test_on_with_a_dsn_sending_to_the_transport():
    # In a process of its own: the SDK's integrations patch Django and Celery for good.
    script = textwrap.dedent(
        """
        import json
        import django, sentry_sdk
        from sentry_sdk.transport import Transport
        django.setup()
        from marketplace.observability import request_id
        from marketplace.observability.sentry import sentry_init

        sent = []

        class StubTransport(Transport):
            def capture_envelope(self, envelope):
                for item in envelope.items:
                    if item.type == "event":
                        sent.append(item.payload.json)

        assert sentry_init(dsn="https://public@sentry.example.invalid/1", transport=StubTransport)
        assert sentry_sdk.get_client().is_active()
        request_id._current.set("req-sentry")
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            sentry_sdk.capture_exception()
        sentry_sdk.flush()
        print(json.dumps(sent))
        """
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "SENTRY_DSN": "",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, timeout=120, capture_output=True
    ).stdout.decode()
    (event,) = json.loads(out.strip().splitlines()[-1])
    (exception,) = event["exception"]["values"]
    assert (exception["type"], exception["value"]) == ("RuntimeError", "boom")
    assert event["tags"]["request_id"] == "req-sentry"
    assert "user" not in event or not event["user"].get("email")
