"""The dashboard of a transfer centre's region (brokers) or of every region (moderators)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.selectors import broker_region


def _require_dashboard_user(request: HttpRequest) -> None:
    if not (request.user.is_staff or broker_region(request.user)):
        raise PermissionDenied(_("The dashboard is for transfer-centre staff and moderators."))


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    _require_dashboard_user(request)
    return render(request, "dashboard/overview.html", {})


@login_required
def figure_csv(request: HttpRequest, figure: str) -> HttpResponse:
    _require_dashboard_user(request)
    raise Http404
