"""Decisions taken through the services are recorded with who, what and the values before
and after, in the service's transaction (a refused decision records nothing)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from accounts import services as accounts_services
from accounts.models import Invitation, Membership
from marketplace.audit.models import AuditEntry
from marketplace.audit.values import HIDDEN, diff
from marketplace.listings import services as listing_services
from marketplace.refusals import Refused
from tests import factories

pytestmark = pytest.mark.django_db


def _only_entry(**filters) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(**filters))
    assert len(entries) == 1, entries
    return entries[0]


def test_publishing_records_the_moderator_and_the_status_before_and_after(
    university, uni_user, moderator
):
    listing = factories.make_achievement(university, status="pending", user=uni_user)
    listing_services.listing_publish(listing=listing, moderator=moderator)

    entry = _only_entry(action="listing.publish")
    assert entry.actor == moderator and entry.actor_repr == moderator.email
    assert entry.target_type == ContentType.objects.get_for_model(listing)
    assert entry.target_id == str(listing.pk) and entry.target_repr == str(listing)
    assert entry.changes["status"] == ["pending", "published"]
    assert entry.changes["reviewed_by"] == [None, f"{moderator} (#{moderator.pk})"]
    assert entry.changes["published_at"][0] is None and entry.changes["published_at"][1]
    assert entry.ip is None  # called outside a request


def test_rejecting_records_the_reason(university, moderator):
    listing = factories.make_challenge(university, status="pending")
    listing_services.listing_reject(listing=listing, moderator=moderator, reason="No budget.")

    entry = _only_entry(action="listing.reject")
    assert entry.note == "No budget."
    assert entry.changes["status"] == ["pending", "rejected"]
    assert entry.changes["rejection_reason"] == ["", "No budget."]


def test_a_refused_decision_records_nothing(unverified_org, moderator):
    listing = factories.make_achievement(unverified_org, status="pending")
    with pytest.raises(Refused):
        listing_services.listing_publish(listing=listing, moderator=moderator)
    assert not AuditEntry.objects.exists()


def test_verification_and_its_withdrawal_are_recorded(unverified_org, moderator):
    accounts_services.organization_verify(organization=unverified_org, moderator=moderator)
    verified = _only_entry(action="organization.verify")
    assert verified.actor == moderator
    assert verified.changes["is_verified"] == [False, True]
    assert verified.changes["verified_by"] == [None, f"{moderator} (#{moderator.pk})"]

    # Verifying again changes nothing and records nothing.
    accounts_services.organization_verify(organization=unverified_org, moderator=moderator)
    assert AuditEntry.objects.count() == 1

    accounts_services.organization_unverify(organization=unverified_org, moderator=moderator)
    withdrawn = _only_entry(action="organization.unverify")
    assert withdrawn.changes["is_verified"] == [True, False]
    assert withdrawn.changes["verified_by"] == [f"{moderator} (#{moderator.pk})", None]


def test_an_owner_approving_a_membership_is_recorded(university, uni_user):
    applicant = factories.make_user(org=university, status="pending")
    membership = applicant.membership
    accounts_services.membership_approve(membership=membership, actor=uni_user)

    entry = _only_entry(action="membership.approve")
    assert entry.actor == uni_user
    assert entry.target_id == str(membership.pk)
    assert entry.changes == {"status": ["pending", "active"]}


def test_an_owner_declining_a_membership_is_recorded_with_what_was_removed(university, uni_user):
    applicant = factories.make_user(org=university, status="pending")
    membership_pk = applicant.membership.pk
    accounts_services.membership_decline(membership=applicant.membership, actor=uni_user)

    entry = _only_entry(action="membership.decline")
    assert not Membership.objects.filter(pk=membership_pk).exists()
    assert entry.target_id == str(membership_pk)
    assert entry.changes["status"] == ["pending", None]
    assert entry.changes["role"] == ["member", None]


def test_joining_by_invitation_and_registering_an_organisation_grant_memberships(
    university, uni_user
):
    invitation = accounts_services.invitation_create(
        organization=university, email="new@zju.example", invited_by=uni_user
    )
    user = accounts_services.user_signup_invited(
        invitation=Invitation.objects.get(pk=invitation.pk),
        full_name="New Colleague",
        password="violet-anchor-lantern-42",
        preferred_language="en",
    )
    granted = _only_entry(action="membership.grant")
    assert granted.actor == user
    assert granted.changes["role"] == [None, "member"]
    assert granted.changes["status"] == [None, "active"]
    assert uni_user.email in granted.note

    founder = factories.make_user(email="founder@lumen.example")
    accounts_services.organization_register(
        user=founder,
        organization={"kind": "enterprise", "name": "Lumen", "region": "jiangsu"},
    )
    owner = AuditEntry.objects.filter(action="membership.grant", actor=founder).get()
    assert owner.changes["role"] == [None, "owner"]


def test_secret_fields_are_never_copied():
    changes = diff({"password": "md5$old", "token": "abc"}, {"password": "md5$new", "token": ""})
    assert changes == {"password": [HIDDEN, HIDDEN], "token": [HIDDEN, ""]}
