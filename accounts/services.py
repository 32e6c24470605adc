"""Writes of people and organisations: sign-up, joining, invitations, verification."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import MembershipRole, MembershipStatus
from accounts.models import Invitation, Membership, Organization, User
from accounts.selectors import organization_owners
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import email_send, notify
from marketplace.refusals import Refused


def _user_create(*, email: str, full_name: str, password: str, preferred_language: str) -> User:
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise Refused.bad_input(email=_("An account with this email address already exists."))
    return User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name.strip(),
        preferred_language=preferred_language,
    )


def organization_register(*, user: User, organization: dict[str, Any]) -> Organization:
    """Create a new, unverified organisation owned by a user who has none."""
    name = organization["name"].strip()
    taken = Refused.bad_input(
        organization_name=_("An organisation with this name exists; ask to join it.")
    )
    with transaction.atomic():
        if Membership.objects.filter(user=user).exists():
            raise Refused(_("You already belong to an organisation."))
        if Organization.objects.annotate(n=Lower("name")).filter(n=name.lower()).exists():
            raise taken
        try:
            with transaction.atomic():
                org = Organization.objects.create(
                    kind=organization["kind"],
                    name=name,
                    name_en=organization.get("name_en", "").strip(),
                    region=organization["region"],
                    website=organization.get("website", ""),
                    description=organization.get("description", ""),
                )
        except IntegrityError:
            # Someone registered the same name a moment ago.
            raise taken from None
        Membership.objects.create(
            user=user,
            organization=org,
            role=MembershipRole.OWNER,
            status=MembershipStatus.ACTIVE,
        )
    return org


def membership_request(*, user: User, organization: Organization) -> Membership:
    """Ask to join an organisation; its owners are told and approve or decline."""
    with transaction.atomic():
        if Membership.objects.filter(user=user).exists():
            raise Refused(_("You already belong to an organisation."))
        membership = Membership.objects.create(
            user=user,
            organization=organization,
            role=MembershipRole.MEMBER,
            status=MembershipStatus.PENDING,
        )
        notify(
            kind=NotificationKind.ORGANIZATION,
            link=reverse("accounts:organization"),
            users=organization_owners(organization),
            template="membership_requested",
            context={"applicant": user, "organization": organization},
        )
    return membership


def user_signup_with_organization(
    *,
    email: str,
    full_name: str,
    password: str,
    preferred_language: str,
    organization: dict[str, Any],
) -> User:
    """Create a user and a new (unverified) organisation that the user owns."""
    with transaction.atomic():
        user = _user_create(
            email=email,
            full_name=full_name,
            password=password,
            preferred_language=preferred_language,
        )
        organization_register(user=user, organization=organization)
    return user


def user_signup_joining(
    *,
    email: str,
    full_name: str,
    password: str,
    preferred_language: str,
    organization: Organization,
) -> User:
    """Create a user who asks to join an existing organisation; its owners approve."""
    with transaction.atomic():
        user = _user_create(
            email=email,
            full_name=full_name,
            password=password,
            preferred_language=preferred_language,
        )
        membership_request(user=user, organization=organization)
    return user


def user_signup_invited(
    *, invitation: Invitation, full_name: str, password: str, preferred_language: str
) -> User:
    """Create the invited user as an active member and close the invitation."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise Refused(_("This invitation has expired or has already been used."))
        user = _user_create(
            email=invitation.email,
            full_name=full_name,
            password=password,
            preferred_language=preferred_language,
        )
        Membership.objects.create(
            user=user,
            organization=invitation.organization,
            role=MembershipRole.MEMBER,
            status=MembershipStatus.ACTIVE,
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user


def user_update_profile(*, user: User, full_name: str, preferred_language: str) -> User:
    user.full_name = full_name.strip()
    user.preferred_language = preferred_language
    user.save(update_fields=["full_name", "preferred_language"])
    return user


def invitation_create(*, organization: Organization, email: str, invited_by: User) -> Invitation:
    """Invite a colleague by email; the link lets them sign up straight into the organisation."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise Refused.bad_input(
            email=_("This person already has an account; each account acts for one organisation.")
        )
    now = timezone.now()
    with transaction.atomic():
        # A newer invitation replaces an open one to the same address.
        organization.invitations.filter(email=email, accepted_at__isnull=True).delete()
        invitation = Invitation.objects.create(
            organization=organization,
            email=email,
            token=secrets.token_urlsafe(32),
            invited_by=invited_by,
            expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        email_send(
            to=email,
            language=invited_by.preferred_language,
            template="invitation",
            context={"invitation": invitation, "organization": organization, "inviter": invited_by},
        )
    return invitation


def invitation_revoke(*, invitation: Invitation) -> None:
    invitation.delete()


def membership_approve(*, membership: Membership, actor: User) -> Membership:
    """An owner lets a pending applicant in."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("user", "organization")
            .get(pk=membership.pk)
        )
        if membership.status != MembershipStatus.PENDING:
            raise Refused(_("This request has already been answered."))
        membership.status = MembershipStatus.ACTIVE
        membership.save(update_fields=["status"])
        notify(
            kind=NotificationKind.ORGANIZATION,
            link=reverse("accounts:organization"),
            users=[membership.user],
            template="membership_approved",
            context={"organization": membership.organization},
        )
    return membership


def membership_decline(*, membership: Membership, actor: User) -> None:
    """An owner turns a pending applicant away; the account stays, without organisation."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("user", "organization")
            .get(pk=membership.pk)
        )
        if membership.status != MembershipStatus.PENDING:
            raise Refused(_("This request has already been answered."))
        user, organization = membership.user, membership.organization
        membership.delete()
        notify(
            kind=NotificationKind.ORGANIZATION,
            link=reverse("accounts:organization"),
            users=[user],
            template="membership_declined",
            context={"organization": organization},
        )


def organization_update(*, organization: Organization, data: dict[str, Any]) -> Organization:
    """An owner edits the organisation's public profile (not its name or verification) and
    its unified social credit code (unique: a race with another organisation is refused)."""
    for name in ("name_en", "region", "website", "description", "credit_code"):
        if name in data:
            setattr(organization, name, data[name])
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError:
        raise Refused.bad_input(
            credit_code=_(
                "Another organisation is registered with this unified social credit code."
            )
        ) from None
    return organization


def organization_verify(*, organization: Organization, moderator: User) -> Organization:
    """A moderator confirms an organisation is who it says; its listings may then go public."""
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if organization.is_verified:
            return organization
        organization.is_verified = True
        organization.verified_at = timezone.now()
        organization.verified_by = moderator
        organization.save(update_fields=["is_verified", "verified_at", "verified_by"])
        notify(
            kind=NotificationKind.ORGANIZATION,
            link=reverse("accounts:organization"),
            users=organization_owners(organization),
            template="organization_verified",
            context={"organization": organization},
        )
    return organization


def organization_unverify(*, organization: Organization, moderator: User) -> Organization:
    """Withdraw verification (published listings stay; nothing new gets published)."""
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if not organization.is_verified:
            return organization
        organization.is_verified = False
        organization.verified_at = None
        organization.verified_by = None
        organization.save(update_fields=["is_verified", "verified_at", "verified_by"])
        notify(
            kind=NotificationKind.ORGANIZATION,
            link=reverse("accounts:organization"),
            users=organization_owners(organization),
            template="organization_unverified",
            context={"organization": organization},
        )
    return organization
