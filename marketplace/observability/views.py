"""Health and metrics endpoints for load balancers, orchestrators and Prometheus."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from marketplace.observability import metrics as metrics_module
from marketplace.observability.health import health_report


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the broker, the workers and the outbox are fine; 503 with the
    failed checks named otherwise."""
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


@never_cache
@require_safe
def healthz_live(request: HttpRequest) -> JsonResponse:
    """The process answers (liveness): nothing else is checked, so a database outage does not
    get every web process restarted."""
    return JsonResponse({"status": "ok"})


def metrics_allowed(request: HttpRequest) -> bool:
    """``Authorization: Bearer <METRICS_TOKEN>``, or a direct request (no proxy's
    ``X-Forwarded-For``) from an address of ``METRICS_ALLOWED_IPS``."""
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    if "x-forwarded-for" in request.headers:
        return False  # through a proxy on an allowed address: the client's is unknown
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponse(
            _("Metrics need the metrics token or an allowed address."),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(metrics_module.render(), content_type=CONTENT_TYPE_LATEST)
