"""Optional error reporting to Sentry: on when ``SENTRY_DSN`` is set, off (and never
imported) when it is not. Called from ``settings``, as sentry-sdk's Django guide does."""

from __future__ import annotations

from typing import Any


def _with_request_id(event: dict, hint: dict) -> dict:
    """Tag each event with the request id, to find its log lines."""
    from marketplace.observability.request_id import current

    rid = current()
    if rid:
        event.setdefault("tags", {})["request_id"] = rid
    return event


def sentry_init(
    *,
    dsn: str,
    environment: str = "",
    release: str = "",
    traces_sample_rate: float = 0.0,
    transport: Any = None,
) -> bool:
    """Start the Sentry client with the Django and Celery integrations; False (and nothing
    done) without a DSN. ``transport``: where events go instead of the network (tests).
    Personal data (users' emails, addresses) is not sent."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    options: dict[str, Any] = {
        "dsn": dsn,
        "before_send": _with_request_id,
        "integrations": [DjangoIntegration(), CeleryIntegration()],
        "send_default_pii": False,
        "traces_sample_rate": traces_sample_rate,
    }
    if environment:
        options["environment"] = environment
    if release:
        options["release"] = release
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)
    return True
