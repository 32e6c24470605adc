"""Helpers of the accounts' page tests: the pages' addresses, a sign-up form's data, and
reading what a request did (messages, who is logged in, rows created)."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Invitation, Membership, Organization, User

ROWS = ["visitor", "owner", "member", "pending", "other_org", "outsider", "moderator"]
LOGIN = reverse("accounts:login")
DASHBOARD = reverse("listings:dashboard")
ORGANIZATION = reverse("accounts:organization")
NEW_PASSWORD = "violet-anchor-lantern-42"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _logged_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def _counts():
    return (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
        Invitation.objects.count(),
    )


def _assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(LOGIN + "?next=")


def signup_post(**overrides):
    data = {
        "full_name": "Li Na",
        "email": "li.na@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "preferred_language": "zh-hans",
        "organization_choice": "create",
        "organization_kind": "enterprise",
        "organization_name": "Lumen Photonics",
        "organization_name_en": "",
        "organization_region": "jiangsu",
        "organization_website": "lumen.example",
        "join_organization": "",
    }
    data.update(overrides)
    return data
