"""A receiver of webhooks on this machine (an http.server thread), and endpoints to it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from marketplace.webhooks import services
from marketplace.webhooks.choices import WebhookEvent


class Receiver:
    """Records each request; answers ``status`` (200 unless a test changes it). ``down()``
    closes the port (connection refused), ``up()`` listens on it again."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 200
        self.server: ThreadingHTTPServer | None = None
        self.port = 0
        self.up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def up(self, wrap=None) -> None:
        """Listen (again, on the same port once it had one); ``wrap(socket)``: TLS."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        if wrap is not None:
            self.server.socket = wrap(self.server.socket)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def bodies(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests]


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    settings.WEBHOOKS_RETRY_BACKOFF_SECONDS = 30
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 5
    settings.WEBHOOKS_TIMEOUT_SECONDS = 5


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.down()


@pytest.fixture
def endpoint_and_secret(university, uni_user, receiver):
    return services.endpoint_create(
        organization=university, user=uni_user, url=receiver.url, events=WebhookEvent.values
    )


@pytest.fixture
def endpoint(endpoint_and_secret):
    return endpoint_and_secret[0]
