"""Who is who in the deals room: the organisation a person acts for, their side of an
interest or a conversation, whom to tell, and what a deal opens of its listing (the access
grant registered with listings in ``apps.ready``)."""

from __future__ import annotations

from accounts.choices import MembershipStatus
from accounts.models import Organization, User
from accounts.selectors import active_membership
from marketplace.deals.models import Conversation, Interest
from marketplace.listings.access import Level
from marketplace.listings.kinds import Listing, column


def organization_of(user: User) -> Organization | None:
    """The organisation the user acts for (active membership), or None."""
    membership = active_membership(user)
    return membership.organization if membership else None


def members_to_tell(organization: Organization) -> list[User]:
    """The organisation's active members with active accounts, in a stable order."""
    return [
        m.user
        for m in organization.memberships.filter(
            status=MembershipStatus.ACTIVE, user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    ]


def interest_side(user: User, interest: Interest) -> str | None:
    """``"owner"`` for the listing's organisation, ``"sender"`` for the interested one."""
    organization = organization_of(user)
    if organization is None:
        return None
    if organization.pk == interest.listing.organization_id:
        return "owner"
    if organization.pk == interest.sender_organization_id:
        return "sender"
    return None


def conversation_side(user: User, conversation: Conversation) -> str | None:
    """``"owner"`` for the listing's organisation, ``"other"`` for the interested one."""
    organization = organization_of(user)
    if organization is None:
        return None
    if organization.pk == conversation.owner_organization_id:
        return "owner"
    if organization.pk == conversation.other_organization_id:
        return "other"
    return None


def listing_level(organization: Organization, listing: Listing) -> Level:
    """The access grant of the deals room (one query): an organisation whose interest in the
    listing was accepted reads its full description; once it accepted the listing's NDA in
    that conversation, its confidential details and files too. Closing the deal does not
    take back what was opened: the NDA keeps binding what was read."""
    row = (
        Conversation.objects.filter(
            other_organization=organization, **{f"interest__{column(listing.kind)}": listing.pk}
        )
        .values_list("pk", "nda__pk")
        .first()
    )
    if row is None:
        return Level.TEASER
    return Level.CONFIDENTIAL if row[1] is not None else Level.FULL
