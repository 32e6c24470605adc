"""Organisations in Django admin: verifying and unverifying them (and emailing their
members), which a moderator of listings may not do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Organization

from .support import _messages

pytestmark = pytest.mark.django_db


# --- organisations --------------------------------------------------------------------------

ORG_CHANGELIST = reverse("admin:accounts_organization_changelist")


def _org_action(client, action, orgs):
    return client.post(
        ORG_CHANGELIST,
        {"action": action, "index": "0", "_selected_action": [o.pk for o in orgs]},
    )


def test_verify_organisations(
    admin_user,
    client_for,
    university,
    unverified_org,
    unverified_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    verified_at = university.verified_at
    with django_capture_on_commit_callbacks(execute=True):
        response = _org_action(
            client_for(admin_user), "verify_selected", [university, unverified_org]
        )
    assert response.status_code == 302
    unverified_org.refresh_from_db()
    assert (unverified_org.is_verified, unverified_org.verified_by) == (True, admin_user)
    assert unverified_org.verified_at is not None
    # The one verified already keeps who verified it and when.
    university.refresh_from_db()
    assert (university.verified_at, university.verified_by) == (verified_at, None)
    assert [m.to for m in mailoutbox] == [[unverified_user.email]]
    assert any("1 organisation verified" in m for m in _messages(response))


def test_verify_nothing_to_change_warns(admin_user, client_for, university):
    response = _org_action(client_for(admin_user), "verify_selected", [university])
    assert any("Nothing to change" in m for m in _messages(response))


def test_unverify_organisations(
    admin_user,
    client_for,
    university,
    uni_user,
    unverified_org,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _org_action(
            client_for(admin_user), "unverify_selected", [university, unverified_org]
        )
    assert response.status_code == 302
    university.refresh_from_db()
    assert (university.is_verified, university.verified_at, university.verified_by) == (
        False,
        None,
        None,
    )
    assert not Organization.objects.get(pk=unverified_org.pk).is_verified
    assert [m.to for m in mailoutbox] == [[uni_user.email]]
    assert any("withdrawn from 1 organisation" in m for m in _messages(response))


def test_listing_moderator_cannot_verify_organisations(
    listing_moderator, client_for, unverified_org
):
    client = client_for(listing_moderator)
    assert client.get(ORG_CHANGELIST).status_code == 403
    assert _org_action(client, "verify_selected", [unverified_org]).status_code == 403
    assert not Organization.objects.get(pk=unverified_org.pk).is_verified
