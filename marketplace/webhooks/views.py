"""An organisation's webhook pages: owners manage endpoints, members read them.

Access is decided in ``_membership`` and ``_endpoint``: no active membership → 403; an
endpoint of another organisation → 404; a change by a member who is not an owner → 403.
A secret is shown only in the answer to the request that made it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import Membership
from accounts.selectors import active_membership
from marketplace.refusals import Refused, attempt, refused_form
from marketplace.webhooks import selectors, services
from marketplace.webhooks.choices import WebhookEvent
from marketplace.webhooks.forms import EndpointForm
from marketplace.webhooks.models import WebhookDelivery, WebhookEndpoint


def _membership(request: HttpRequest, *, owner: bool = False) -> Membership:
    membership = active_membership(request.user)
    if membership is None:
        raise PermissionDenied(_("You need to be an active member of an organisation."))
    if owner and not membership.is_owner:
        raise PermissionDenied(_("Only the organisation's owners manage its webhooks."))
    return membership


def _endpoint(request: HttpRequest, pk: int, *, owner: bool = False) -> WebhookEndpoint:
    membership = _membership(request, owner=owner)
    return get_object_or_404(WebhookEndpoint, pk=pk, organization_id=membership.organization_id)


def _secret_page(request: HttpRequest, endpoint: WebhookEndpoint, secret: str, status: int):
    return render(
        request,
        "webhooks/endpoint_secret.html",
        {"endpoint": endpoint, "secret": secret},
        status=status,
    )


@login_required
def endpoint_list(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    form = EndpointForm(request.POST or None)
    status = 200
    if request.method == "POST":
        _membership(request, owner=True)
        status = 400
        if form.is_valid():
            try:
                endpoint, secret = services.endpoint_create(
                    organization=membership.organization, user=request.user, **form.cleaned_data
                )
            except Refused as refusal:
                status = refused_form(form, refusal)
            else:
                return _secret_page(request, endpoint, secret, status=201)
    return render(
        request,
        "webhooks/endpoint_list.html",
        {
            "endpoints": selectors.endpoints_of(membership.organization),
            "form": form if membership.is_owner else None,
            "is_owner": membership.is_owner,
        },
        status=status,
    )


@login_required
def endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    is_owner = _membership(request).is_owner
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    form = EndpointForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        endpoint = _endpoint(request, pk, owner=True)
        status = 400
        if form.is_valid():
            try:
                services.endpoint_update(endpoint=endpoint, user=request.user, **form.cleaned_data)
            except Refused as refusal:
                status = refused_form(form, refusal)
            else:
                messages.success(request, _("The endpoint was saved."))
                return redirect(endpoint)
        endpoint.refresh_from_db()
    return render(
        request,
        "webhooks/endpoint_detail.html",
        {
            "endpoint": endpoint,
            "event_labels": [WebhookEvent(e).label for e in endpoint.events],
            "deliveries": selectors.deliveries_recent(endpoint),
            "form": form if is_owner else None,
            "is_owner": is_owner,
        },
        status=status,
    )


def _owner_action(request: HttpRequest, pk: int, service, success: str) -> HttpResponse:
    """An owner's one-click action on an endpoint: the service, its message, back to it."""
    endpoint = _endpoint(request, pk, owner=True)
    attempt(request, service, success, endpoint=endpoint, user=request.user)
    return redirect(endpoint)


@login_required
@require_POST
def endpoint_test(request: HttpRequest, pk: int) -> HttpResponse:
    return _owner_action(
        request,
        pk,
        services.endpoint_test_send,
        _("A test event is on its way; reload the page to see how it went."),
    )


@login_required
@require_POST
def endpoint_enable(request: HttpRequest, pk: int) -> HttpResponse:
    return _owner_action(request, pk, services.endpoint_enable, _("The endpoint is on."))


@login_required
@require_POST
def endpoint_disable(request: HttpRequest, pk: int) -> HttpResponse:
    return _owner_action(request, pk, services.endpoint_disable, _("The endpoint is off."))


@login_required
@require_POST
def endpoint_secret(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk, owner=True)
    try:
        secret = services.endpoint_secret_rotate(endpoint=endpoint, user=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(endpoint)
    return _secret_page(request, endpoint, secret, status=200)


@login_required
@require_POST
def endpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk, owner=True)
    if attempt(
        request,
        services.endpoint_delete,
        _("The endpoint was deleted."),
        endpoint=endpoint,
        user=request.user,
    ):
        return redirect("webhooks:list")
    return redirect(endpoint)


@login_required
@require_POST
def delivery_resend(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, owner=True)
    delivery = get_object_or_404(
        WebhookDelivery.objects.select_related("endpoint"),
        pk=pk,
        endpoint__organization_id=membership.organization_id,
    )
    try:
        resent = services.delivery_resend(delivery=delivery, user=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        if resent:
            messages.success(request, _("The delivery is on its way again."))
        else:
            messages.warning(request, _("Only a failed delivery can be sent again."))
    return redirect(delivery.endpoint)
