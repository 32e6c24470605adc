"""Writes of webhooks: an owner's endpoints, announcing events, and sending deliveries.

A delivery is durable work of the outbox (``WEBHOOK_DELIVERIES``): written in the
transaction of the domain change that announces it (``webhooks_announce``, called by the
same services that notify people), queued after commit, claimed, retried with backoff
(``WEBHOOKS_*`` settings), given up into ``failed``; the outbox's one relay queues the ones
whose message was lost or whose retry is due. Each HTTP request is recorded
(``WebhookAttempt``). ``WEBHOOKS_DISABLE_AFTER_FAILURES`` failed requests in a row switch the
endpoint off and tell its owners.

A receiver may see an event twice (a worker that dies between the receiver's 2xx and the
``UPDATE … delivered``): the body's ``id`` stays the same, so receivers can drop repeats.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from accounts.selectors import active_membership, organization_owners
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import notify
from marketplace.outbox.kinds import WorkKind
from marketplace.outbox.services import (
    WorkRetry,
    error_text,
    work_claim,
    work_done,
    work_enqueue,
    work_failed,
    work_resend,
)
from marketplace.refusals import Refused
from marketplace.webhooks.addresses import url_check, url_refusal
from marketplace.webhooks.choices import TEST_EVENT, DeliveryStatus, WebhookEvent
from marketplace.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from marketplace.webhooks.selectors import endpoints_subscribed
from marketplace.webhooks.signing import secret_new, signature_header

WEBHOOK_DELIVERIES = WorkKind(
    name="webhook",
    model=WebhookDelivery,
    max_attempts_setting="WEBHOOKS_MAX_ATTEMPTS",
    backoff_setting="WEBHOOKS_RETRY_BACKOFF_SECONDS",
    claim_setting="WEBHOOKS_CLAIM_SECONDS",
)

USER_AGENT = "Keqiao-Webhooks/1"
MAX_ENDPOINTS_PER_ORGANIZATION = 10
# What is read of a receiver's answer: enough to finish the exchange, never stored.
RESPONSE_READ_BYTES = 4096


class WebhookRetry(WorkRetry):
    """The request failed and may be tried again in ``countdown`` seconds."""


# --- Endpoints (owners only) -----------------------------------------------------------------


def _check_owner(user: User, organization_id: int) -> None:
    membership = active_membership(user)
    if membership is None or membership.organization_id != organization_id:
        raise Refused(_("That endpoint is not your organisation's."), status=Refused.NOT_FOUND)
    if not membership.is_owner:
        raise Refused.forbidden(_("Only the organisation's owners manage its webhooks."))


def _clean(*, url: str, events: Iterable[str], description: str) -> dict[str, Any]:
    url = (url or "").strip()
    events = sorted(set(events or []))
    problems: dict[str, Any] = {}
    if len(url) > 500:
        problems["url"] = _("Keep the address under 500 characters.")
    elif refusal := url_refusal(url):
        problems["url"] = refusal
    if not events:
        problems["events"] = _("Choose at least one event.")
    elif not set(events) <= set(WebhookEvent.values):
        problems["events"] = _("Choose events from the list.")
    description = (description or "").strip()
    if len(description) > 200:
        problems["description"] = _("Keep the description under 200 characters.")
    if problems:
        raise Refused.bad_input(**problems)
    return {"url": url, "events": events, "description": description}


def endpoint_create(
    *,
    organization: Organization,
    user: User,
    url: str,
    events: Iterable[str],
    description: str = "",
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it and its secret, which is shown once."""
    _check_owner(user, organization.pk)
    values = _clean(url=url, events=events, description=description)
    with transaction.atomic():
        # The lock serialises two owners adding at once, so the limit holds.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if organization.webhook_endpoints.count() >= MAX_ENDPOINTS_PER_ORGANIZATION:
            raise Refused(
                _("An organisation has at most %(n)d webhook endpoints.")
                % {"n": MAX_ENDPOINTS_PER_ORGANIZATION}
            )
        secret = secret_new()
        endpoint = WebhookEndpoint.objects.create(
            organization=organization, created_by=user, secret=secret, **values
        )
    return endpoint, secret


def endpoint_update(
    *, endpoint: WebhookEndpoint, user: User, url: str, events: Iterable[str], description: str
) -> WebhookEndpoint:
    _check_owner(user, endpoint.organization_id)
    values = _clean(url=url, events=events, description=description)
    for name, value in values.items():
        setattr(endpoint, name, value)
    endpoint.save(update_fields=[*values, "updated_at"])
    return endpoint


def endpoint_secret_rotate(*, endpoint: WebhookEndpoint, user: User) -> str:
    """A new secret (shown once); deliveries sign with it from now on, retries included."""
    _check_owner(user, endpoint.organization_id)
    endpoint.secret = secret_new()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint.secret


def endpoint_enable(*, endpoint: WebhookEndpoint, user: User) -> WebhookEndpoint:
    """Switch an endpoint on, with a clean count of failures."""
    _check_owner(user, endpoint.organization_id)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_active=True, consecutive_failures=0, disabled_at=None, disabled_reason=""
    )
    endpoint.refresh_from_db()
    return endpoint


def endpoint_disable(*, endpoint: WebhookEndpoint, user: User) -> WebhookEndpoint:
    """Switch an endpoint off; its pending deliveries fail at their next try."""
    _check_owner(user, endpoint.organization_id)
    WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
        is_active=False, disabled_at=timezone.now(), disabled_reason=_("Switched off by an owner.")
    )
    endpoint.refresh_from_db()
    return endpoint


def endpoint_delete(*, endpoint: WebhookEndpoint, user: User) -> None:
    _check_owner(user, endpoint.organization_id)
    endpoint.delete()


def endpoint_test_send(*, endpoint: WebhookEndpoint, user: User) -> WebhookDelivery:
    """Queue a ``webhook.test`` event to the endpoint, whatever it subscribed to."""
    _check_owner(user, endpoint.organization_id)
    if not endpoint.is_active:
        raise Refused(_("Switch the endpoint on before sending it a test event."))
    with transaction.atomic():
        delivery = _delivery_create(
            endpoint,
            event_type=TEST_EVENT,
            key=f"test:{uuid.uuid4().hex}",
            event_id=uuid.uuid4(),
            data={"message": "This is a test event from Keqiao."},
            created=timezone.now(),
        )
        work_enqueue(kind=WEBHOOK_DELIVERIES, ids=[delivery.pk], background=True)
    return delivery


def delivery_resend(*, delivery: WebhookDelivery, user: User) -> int:
    """Send a failed delivery again with a fresh set of attempts (1), or nothing (0)."""
    _check_owner(user, delivery.endpoint.organization_id)
    if not delivery.endpoint.is_active:
        raise Refused(_("Switch the endpoint on before sending again."))
    return work_resend(kind=WEBHOOK_DELIVERIES, ids=[delivery.pk])


# --- Announcing events -----------------------------------------------------------------------


def _body(*, event_id: uuid.UUID, event_type: str, created, data: dict[str, Any]) -> str:
    return json.dumps(
        {"id": str(event_id), "type": event_type, "created": created.isoformat(), "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def _delivery_create(
    endpoint: WebhookEndpoint,
    *,
    event_type: str,
    key: str,
    event_id: uuid.UUID,
    data: dict[str, Any],
    created,
) -> WebhookDelivery | None:
    """The delivery of this event to this endpoint, or None when it is owed already."""
    try:
        with transaction.atomic():
            return WebhookDelivery.objects.create(
                endpoint=endpoint,
                event_id=event_id,
                event_type=event_type,
                key=key[:120],
                body=_body(event_id=event_id, event_type=event_type, created=created, data=data),
            )
    except IntegrityError:
        return None  # announced before (a matching run twice): owed once


def webhooks_announce(
    *,
    organization_id: int,
    event_type: str,
    key: str,
    data: dict[str, Any],
    endpoints: Mapping[int, list[WebhookEndpoint]] | None = None,
) -> list[WebhookDelivery]:
    """Owe the event to each active endpoint of the organisation that subscribed to it.

    Call it inside the transaction of the change, with ``data`` the organisation may see on
    the site (``payloads``); deliveries are queued once that commits. ``key`` identifies the
    event for this organisation: announcing it again owes nothing more. ``endpoints``: the
    subscribed endpoints by organisation, read once for many announcements
    (``selectors.endpoints_subscribed``), so a matching run's statements do not grow with
    its matches; without it they are read here.
    """
    if event_type not in WebhookEvent.values:
        raise ValueError(f"Unknown webhook event {event_type!r}")
    if endpoints is None:
        endpoints = endpoints_subscribed(organization_ids=[organization_id], event_type=event_type)
    subscribed = [e for e in endpoints.get(organization_id, []) if event_type in e.events]
    if not subscribed:
        return []  # the usual case: not a statement more
    event_id, created = uuid.uuid4(), timezone.now()
    deliveries = []
    with transaction.atomic():
        for endpoint in subscribed:
            delivery = _delivery_create(
                endpoint,
                event_type=event_type,
                key=key,
                event_id=event_id,
                data=data,
                created=created,
            )
            if delivery is not None:
                deliveries.append(delivery)
        # In-process (no broker), after the response: a slow receiver must not hold up the
        # request that caused the event.
        work_enqueue(kind=WEBHOOK_DELIVERIES, ids=[d.pk for d in deliveries], background=True)
    return deliveries


# --- Sending ---------------------------------------------------------------------------------


def _connection(url: str, address: str) -> http.client.HTTPConnection:
    """A connection to ``url`` that connects to the checked ``address``, not to whatever the
    name resolves to by then; TLS still verifies the certificate against the name. No
    proxies and no redirects: the request goes where the check looked, and only there."""
    parts = urlsplit(url)
    timeout = settings.WEBHOOKS_TIMEOUT_SECONDS
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)

    def connect_to_checked(where, *args, **kwargs):
        return socket.create_connection((address, where[1]), *args, **kwargs)

    connection._create_connection = connect_to_checked
    return connection


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> tuple[int | None, str]:
    """Send the delivery once: (the receiver's status code or None, the error or "")."""
    refusal, addresses = url_check(endpoint.url)
    if refusal:
        return None, refusal
    if not addresses:
        return None, str(_("The name of the address could not be resolved."))
    parts = urlsplit(endpoint.url)
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Keqiao-Event": delivery.event_type,
        "X-Keqiao-Delivery": str(delivery.pk),
        # Signed afresh at each try: the time in it is the try's.
        "X-Keqiao-Signature": signature_header(endpoint.secret, body),
    }
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = _connection(endpoint.url, str(addresses[0]))
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(RESPONSE_READ_BYTES)
        code = response.status
    except (OSError, http.client.HTTPException) as exc:  # refused, timed out, TLS, bad answer
        return None, error_text(exc)
    finally:
        connection.close()
    if 200 <= code < 300:
        return code, ""
    # A redirect is an answer, not an instruction: following it could lead anywhere.
    return code, f"HTTP {code}"


def _fail_for_good(delivery: WebhookDelivery, error: str) -> None:
    WebhookDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, claimed_until=delivery.claimed_until
    ).update(status=DeliveryStatus.FAILED, claimed_until=None, last_error=error)


def _count_failure(endpoint: WebhookEndpoint, error: str) -> None:
    """One more failed request in a row; at the limit, switch the endpoint off and tell its
    owners (once: only the update that switches it off tells)."""
    limit = settings.WEBHOOKS_DISABLE_AFTER_FAILURES
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        now = timezone.now()
        switched_off = WebhookEndpoint.objects.filter(
            pk=endpoint.pk, is_active=True, consecutive_failures__gte=limit
        ).update(
            is_active=False,
            disabled_at=now,
            disabled_reason=(
                _("%(n)d failed requests in a row. Last: %(error)s") % {"n": limit, "error": error}
            )[:300],
        )
        if switched_off:
            endpoint.refresh_from_db()
            notify(
                users=organization_owners(endpoint.organization),
                kind=NotificationKind.ORGANIZATION,
                template="webhook_disabled",
                context={"endpoint": endpoint, "failures": limit, "error": error},
                link=endpoint.get_absolute_url(),
                key=f"webhook_disabled:{endpoint.pk}:{now.timestamp()}",
            )


def webhook_deliver(*, delivery_id: int) -> str:
    """Claim a pending delivery, POST it, record the attempt.

    Returns ``"delivered"`` (a 2xx answer); ``"skipped"`` when there was nothing to do
    (delivered or failed already, held by another worker or until its next try) or the
    endpoint is switched off (the delivery fails); ``"failed"`` when this was its last
    attempt. Raises ``WebhookRetry`` when another attempt is due later.
    """
    delivery = work_claim(kind=WEBHOOK_DELIVERIES, pk=delivery_id)
    if delivery is None:
        return "skipped"
    endpoint = (
        WebhookEndpoint.objects.select_related("organization")
        .filter(pk=delivery.endpoint_id)
        .first()
    )
    if endpoint is None:
        return "skipped"  # deleted meanwhile, its deliveries with it
    if not endpoint.is_active:
        _fail_for_good(delivery, str(_("The endpoint is switched off.")))
        return "skipped"
    started, clock = timezone.now(), time.monotonic()
    code, error = _post(endpoint, delivery)
    WebhookAttempt.objects.create(
        delivery=delivery,
        started_at=started,
        duration_ms=int((time.monotonic() - clock) * 1000),
        status_code=code,
        error=error[:500],
        succeeded=not error,
    )
    if not error:
        work_done(kind=WEBHOOK_DELIVERIES, item=delivery)
        WebhookEndpoint.objects.filter(pk=endpoint.pk, consecutive_failures__gt=0).update(
            consecutive_failures=0
        )
        return "delivered"
    _count_failure(endpoint, error)
    countdown = work_failed(kind=WEBHOOK_DELIVERIES, item=delivery, error=error)
    if countdown is None:
        return "failed"
    raise WebhookRetry(countdown=countdown, error=error)
