"""The recipient's pages: the notification list, opening one, and email preferences.

Each notification is found through ``_get_notification_for_recipient``: another user's is a
404, never a 403, so ids leak nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from marketplace.notifications import selectors, services
from marketplace.notifications.forms import PreferenceForm
from marketplace.notifications.models import Notification
from marketplace.pagination import paginate


def _get_notification_for_recipient(request: HttpRequest, pk: int) -> Notification:
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = paginate(
        request, selectors.notifications_of(request.user), settings.NOTIFICATIONS_PAGE_SIZE
    )
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go where it points (a path on this site only)."""
    notification = _get_notification_for_recipient(request, pk)
    services.notification_read(notification=notification)
    if notification.link and services.is_local_path(notification.link):
        return HttpResponseRedirect(notification.link)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    n = services.notifications_read_all(user=request.user)
    messages.success(
        request,
        ngettext("%(n)d notification marked as read.", "%(n)d notifications marked as read.", n)
        % {"n": n},
    )
    return redirect("notifications:list")


@login_required
def preference_edit(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST or None, frequencies=selectors.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_update(user=request.user, frequencies=form.cleaned_data)
        messages.success(request, _("Your email preferences are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preference_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
