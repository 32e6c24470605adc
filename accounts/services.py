"""Writes of people and organisations: sign-up, joining, invitations, verification."""

from __future__ import annotations

import secrets
from datetime import timedelta
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.choices import MembershipRole, MembershipStatus
from accounts.models import Invitation, Membership, Organization, User
from accounts.selectors import organization_owners
from marketplace import limits
from marketplace.audit.choices import AuditAction
from marketplace.audit.services import audit_record
from marketplace.audit.values import added, removed, values_of
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import email_send, email_send_secret, notify
from marketplace.refusals import Refused


def _user_create(
    *, email: str, full_name: str, password: str, preferred_language: str, is_active: bool = True
) -> User:
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise Refused.bad_input(email=_("An account with this email address already exists."))
    return User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name.strip(),
        preferred_language=preferred_language,
        is_active=is_active,
    )


def _organization_name_check(name: str) -> None:
    if Organization.objects.annotate(n=Lower("name")).filter(n=name.strip().lower()).exists():
        raise Refused.bad_input(
            organization_name=_("An organisation with this name exists; ask to join it.")
        )


def _signup_of_existing_account(*, email: str, password: str) -> bool:
    """When the address has an account, tell its holder by email and return True.

    Sign-up answers the same either way (it must not tell who has an account): the new
    account waits for its address to be confirmed, and the existing one gets a note instead.
    The password is hashed all the same so that both take the same time.
    """
    existing = User.objects.filter(email__iexact=email.strip()).first()
    if existing is None:
        return False
    make_password(password)
    if not limits.address_allowed(existing.email):
        return True
    if not existing.is_active and existing.last_login is None:
        # Signed up before and never confirmed (the email went astray): the link again.
        _signup_confirmation_send(existing)
        return True
    email_send(
        to=existing.email,
        language=existing.preferred_language,
        template="signup_existing_account",
        context={"user": existing},
    )
    return True


def _signup_confirmation_send(user: User) -> None:
    """Email the link that confirms the address, activates the account and signs in."""
    email_send_secret(
        to=user.email,
        language=user.preferred_language,
        template="signup_confirm",
        context={
            "user": user,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
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
        _organization_name_check(name)
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
        membership = Membership.objects.create(
            user=user,
            organization=org,
            role=MembershipRole.OWNER,
            status=MembershipStatus.ACTIVE,
        )
        _audit_membership_granted(membership, actor=user)
    return org


# What the audit log records of a membership and of a verification.
_MEMBERSHIP_FIELDS = ("user", "organization", "role", "status")
_VERIFICATION_FIELDS = ("is_verified", "verified_at", "verified_by")


def _audit_membership_granted(membership: Membership, *, actor: User, note: str = "") -> None:
    audit_record(
        actor=actor,
        action=AuditAction.MEMBERSHIP_GRANT,
        target=membership,
        changes=added(values_of(membership, _MEMBERSHIP_FIELDS)),
        note=note,
    )


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
        if user.is_active:
            _membership_requested_notify(membership)
    return membership


def _membership_requested_notify(membership: Membership) -> None:
    notify(
        kind=NotificationKind.ORGANIZATION,
        link=reverse("accounts:organization"),
        users=organization_owners(membership.organization),
        template="membership_requested",
        context={"applicant": membership.user, "organization": membership.organization},
    )


def user_signup_with_organization(
    *,
    email: str,
    full_name: str,
    password: str,
    preferred_language: str,
    organization: dict[str, Any],
) -> User | None:
    """Create an account (waiting for its address to be confirmed) and a new, unverified
    organisation that it owns; None when the address has an account (its holder is told)."""
    # Refused the same whoever asks: it says nothing about the email address.
    _organization_name_check(organization["name"])
    if _signup_of_existing_account(email=email, password=password):
        return None
    with transaction.atomic():
        user = _user_create(
            email=email,
            full_name=full_name,
            password=password,
            preferred_language=preferred_language,
            is_active=False,
        )
        organization_register(user=user, organization=organization)
        _signup_confirmation_send(user)
    return user


def user_signup_joining(
    *,
    email: str,
    full_name: str,
    password: str,
    preferred_language: str,
    organization: Organization,
) -> User | None:
    """Create an account (waiting for its address to be confirmed) that asks to join an
    existing organisation; its owners are asked once the address is confirmed. None when
    the address has an account (its holder is told)."""
    if _signup_of_existing_account(email=email, password=password):
        return None
    with transaction.atomic():
        user = _user_create(
            email=email,
            full_name=full_name,
            password=password,
            preferred_language=preferred_language,
            is_active=False,
        )
        membership_request(user=user, organization=organization)
        _signup_confirmation_send(user)
    return user


def user_signup_confirm(*, user: User, token: str) -> User:
    """The link of the confirmation email: the address is the person's, the account opens,
    and the owners of the organisation it asked to join are told."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active or not default_token_generator.check_token(user, token):
            raise Refused.bad_input(_("This link has expired or has already been used."))
        user.is_active = True
        user.save(update_fields=["is_active"])
        pending = Membership.objects.filter(user=user, status=MembershipStatus.PENDING).first()
        if pending is not None:
            _membership_requested_notify(pending)
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
        membership = Membership.objects.create(
            user=user,
            organization=invitation.organization,
            role=MembershipRole.MEMBER,
            status=MembershipStatus.ACTIVE,
        )
        _audit_membership_granted(
            membership,
            actor=user,
            note=f"invitation #{invitation.pk} from {invitation.invited_by.email}",
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user


def user_update_profile(*, user: User, full_name: str, preferred_language: str) -> User:
    user.full_name = full_name.strip()
    user.preferred_language = preferred_language
    user.save(update_fields=["full_name", "preferred_language"])
    return user


def _invitation_sender_check(*, organization: Organization, actor: User) -> None:
    """Only an owner of a verified organisation sends or withdraws invitations: they speak
    for the organisation to people outside it."""
    is_owner = Membership.objects.filter(
        user=actor,
        organization=organization,
        role=MembershipRole.OWNER,
        status=MembershipStatus.ACTIVE,
    ).exists()
    if not is_owner:
        raise Refused.forbidden(_("Only an owner of the organisation can do this."))
    if not organization.is_verified:
        raise Refused.forbidden(
            _("Your organisation can invite colleagues once a moderator has verified it.")
        )


def invitation_create(*, organization: Organization, email: str, invited_by: User) -> Invitation:
    """Invite a colleague by email; the link lets them sign up straight into the organisation.

    The answer is the same whether or not the address has an account (it must not tell the
    inviter who is on Keqiao): an invitation is recorded either way, and a person who has an
    account is emailed a note instead of the link (each account acts for one organisation).
    """
    _invitation_sender_check(organization=organization, actor=invited_by)
    email = email.strip().lower()
    # Counted before anything is written, refused or not: the cap is on attempts.
    wait = limits.hit(
        "invitation-organization",
        f"org:{organization.pk}",
        limits.Rate(count=settings.INVITATIONS_PER_DAY, seconds=86400),
    )
    if wait:
        raise Refused(
            _("Your organisation has sent its %(count)s invitations for today; try again tomorrow.")
            % {"count": settings.INVITATIONS_PER_DAY},
            status=HTTPStatus.TOO_MANY_REQUESTS,
        )
    now = timezone.now()
    has_account = User.objects.filter(email__iexact=email).exists()
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
            template="invitation_has_account" if has_account else "invitation",
            context={"invitation": invitation, "organization": organization, "inviter": invited_by},
        )
    return invitation


def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    """An owner withdraws an invitation; so may staff in admin (its permissions decide)."""
    if not actor.is_staff:
        _invitation_sender_check(organization=invitation.organization, actor=actor)
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
        before = values_of(membership, _MEMBERSHIP_FIELDS)
        membership.status = MembershipStatus.ACTIVE
        membership.save(update_fields=["status"])
        audit_record(
            actor=actor, action=AuditAction.MEMBERSHIP_APPROVE, target=membership, before=before
        )
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
        # Recorded before the row goes, while it still has its id.
        audit_record(
            actor=actor,
            action=AuditAction.MEMBERSHIP_DECLINE,
            target=membership,
            changes=removed(values_of(membership, _MEMBERSHIP_FIELDS)),
        )
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
        before = values_of(organization, _VERIFICATION_FIELDS)
        organization.is_verified = True
        organization.verified_at = timezone.now()
        organization.verified_by = moderator
        organization.save(update_fields=["is_verified", "verified_at", "verified_by"])
        audit_record(
            actor=moderator,
            action=AuditAction.ORGANIZATION_VERIFY,
            target=organization,
            before=before,
        )
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
        before = values_of(organization, _VERIFICATION_FIELDS)
        organization.is_verified = False
        organization.verified_at = None
        organization.verified_by = None
        organization.save(update_fields=["is_verified", "verified_at", "verified_by"])
        audit_record(
            actor=moderator,
            action=AuditAction.ORGANIZATION_UNVERIFY,
            target=organization,
            before=before,
        )
        notify(
            kind=NotificationKind.ORGANIZATION,
            link=reverse("accounts:organization"),
            users=organization_owners(organization),
            template="organization_unverified",
            context={"organization": organization},
        )
    return organization
