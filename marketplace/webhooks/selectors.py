"""Reads of webhooks: an organisation's endpoints and an endpoint's latest deliveries."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from accounts.models import Organization
from marketplace.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

RECENT_DELIVERIES = 25


def endpoints_of(organization: Organization) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(organization=organization)


def endpoints_subscribed(
    *, organization_ids: Iterable[int], event_type: str
) -> dict[int, list[WebhookEndpoint]]:
    """The active endpoints subscribed to ``event_type``, by organisation, in one query."""
    out: dict[int, list[WebhookEndpoint]] = {}
    endpoints = WebhookEndpoint.objects.filter(
        organization_id__in=list(organization_ids), is_active=True, events__contains=[event_type]
    )
    for endpoint in endpoints:
        out.setdefault(endpoint.organization_id, []).append(endpoint)
    return out


def deliveries_recent(endpoint: WebhookEndpoint) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries with their attempts (two queries)."""
    return list(
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .defer("body")
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("started_at", "pk"))
        )
        .order_by("-created_at", "-pk")[:RECENT_DELIVERIES]
    )
