"""Helpers of the moderation desk's tests (Django admin): listings of either kind, the admin's
addresses, and reading a response."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from marketplace.listings.models import Achievement, Challenge
from tests.factories import make_achievement, make_challenge


def _make(kind, org, **kw):
    return (make_achievement if kind == "achievement" else make_challenge)(org, **kw)


def _model(kind):
    return Achievement if kind == "achievement" else Challenge


def _url(kind, view, *args):
    return reverse(f"admin:listings_{kind}_{view}", args=args)


def _pks(response):
    return [obj.pk for obj in response.context["cl"].result_list]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _status(listing):
    return type(listing).objects.values_list("status", flat=True).get(pk=listing.pk)


def _action(client, kind, action, listings, **extra):
    data = {"action": action, "index": "0", "_selected_action": [x.pk for x in listings]}
    data.update(extra)
    return client.post(_url(kind, "changelist"), data)
