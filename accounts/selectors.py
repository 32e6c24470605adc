"""Reads of people, organisations and memberships."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from accounts.choices import MembershipRole, MembershipStatus, OrganizationKind
from accounts.models import Invitation, Membership, Organization, User


def active_membership(user: User) -> Membership | None:
    """The user's membership if it is active, else None (visitors included).

    Cached on the user object: templates and access checks ask many times per request.
    """
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_active_membership"):
        membership = (
            Membership.objects.select_related("organization")
            .filter(user=user, status=MembershipStatus.ACTIVE)
            .first()
        )
        user._active_membership = membership
    return user._active_membership


def broker_region(user: User) -> str | None:
    """The region a user brokers for: an active member of a verified transfer centre acts
    for the centre's region; anyone else, None."""
    membership = active_membership(user)
    if membership is None:
        return None
    organization = membership.organization
    if organization.kind != OrganizationKind.TRANSFER_CENTRE or not organization.is_verified:
        return None
    return organization.region


def pending_membership(user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organization")
        .filter(user=user, status=MembershipStatus.PENDING)
        .first()
    )


def organization_members(organization: Organization) -> QuerySet[Membership]:
    # A request to join from an account whose address is not confirmed yet is not shown:
    # its owners are asked once it is (accounts.services.user_signup_confirm).
    return (
        organization.memberships.select_related("user")
        .exclude(status=MembershipStatus.PENDING, user__is_active=False)
        .order_by("status", "-role", "user__full_name")
    )


def organization_owners(organization: Organization) -> list[User]:
    return [
        m.user
        for m in organization.memberships.filter(
            role=MembershipRole.OWNER, status=MembershipStatus.ACTIVE, user__is_active=True
        ).select_related("user")
    ]


def organization_open_invitations(organization: Organization) -> QuerySet[Invitation]:
    return organization.invitations.filter(
        accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organization").filter(token=token).first()
