"""Expressing interest in a listing, and the answer of the listing's organisation."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import active_membership, organization_owners
from marketplace.deals.choices import DealStage, DeclineReason, InterestPurpose, InterestStatus
from marketplace.deals.deadlines import answer_due
from marketplace.deals.models import Conversation, Deal, DealEvent, Interest
from marketplace.deals.selectors import (
    already_open_message,
    interest_actions,
    interest_options,
    match_pairs,
    members_to_tell,
)
from marketplace.listings.kinds import Listing, of_listing
from marketplace.matching.choices import ProposedBy
from marketplace.matching.models import Match
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import notify
from marketplace.refusals import Refused
from marketplace.webhooks.choices import WebhookEvent
from marketplace.webhooks.payloads import interest_data
from marketplace.webhooks.services import webhooks_announce

S = DealStage


def _sender_to_tell(interest: Interest) -> list[User]:
    """The person who sent the interest, or, if they left the organisation, its owners."""
    sender = interest.sender
    if sender is not None and sender.is_active:
        membership = active_membership(sender)
        if membership is not None and membership.organization_id == interest.sender_organization_id:
            return [sender]
    return organization_owners(interest.sender_organization)


def _tell_sender(interest: Interest, answer: str, *, link: str, **context: Any) -> None:
    """Tell the interest's sender (``_sender_to_tell``) that it was ``accepted`` or
    ``declined`` (the ``emails/interest_<answer>`` templates)."""
    notify(
        users=_sender_to_tell(interest),
        kind=NotificationKind.INTEREST,
        link=link,
        key=f"interest:{interest.pk}:{answer}",
        template=f"interest_{answer}",
        context={"interest": interest, "listing": interest.listing, "link": link, **context},
    )


def _lock_interest(interest: Interest) -> Interest:
    """Reload the interest under a row lock so that concurrent answers serialise."""
    return (
        Interest.objects.select_for_update(of=("self",))
        .select_related(
            "achievement__organization", "challenge__organization", "sender_organization", "match"
        )
        .get(pk=interest.pk)
    )


def interest_express(
    *,
    listing: Listing,
    user: User,
    purpose: str,
    message: str,
    match: Match | None = None,
) -> Interest:
    """Express the user's organisation's interest in another organisation's published
    listing, optionally from a match that pairs it with one of the organisation's own
    listings; the listing's organisation is told. One open interest per organisation and
    listing (``interest_options``)."""
    message = (message or "").strip()
    with transaction.atomic():
        current = type(listing).objects.select_related("organization").get(pk=listing.pk)
        options = interest_options(user, current)
        options.express.check()
        organization = options.organization
        if not message:
            # Not ``bad_input(message=…)``: its first parameter is the refusal's own message.
            text = _("Write a message to the listing's organisation.")
            raise Refused(text, status=Refused.BAD_INPUT, fields={"message": text})
        if purpose not in InterestPurpose.values:
            raise Refused.bad_input(purpose=_("Choose what you are after."))
        if match is not None and not match_pairs(match, current, organization):
            raise Refused.bad_input(
                _("That match does not pair this listing with one of your organisation's listings.")
            )
        interest = Interest(
            **of_listing(current),
            match=match,
            sender_organization=organization,
            sender=user,
            purpose=purpose,
            message=message,
            answer_due=answer_due(timezone.now()),
        )
        try:
            with transaction.atomic():
                interest.save()
        except IntegrityError:
            # The partial unique index: another open interest of this organisation came first.
            raise Refused(already_open_message()) from None
        notify(
            users=members_to_tell(current.organization),
            kind=NotificationKind.INTEREST,
            link=interest.get_absolute_url(),
            key=f"interest:{interest.pk}:received",
            template="interest_received",
            context={"interest": interest, "listing": current, "sender": organization},
        )
        webhooks_announce(
            organization_id=current.organization_id,
            event_type=WebhookEvent.INTEREST_RECEIVED,
            key=f"interest:{interest.pk}:received",
            data=interest_data(interest, listing=current, sender=organization),
        )
    return interest


def interest_accept(*, interest: Interest, user: User) -> Conversation:
    """Accept a pending interest: open the conversation between the two organisations and
    its deal (at "contacted", brokered by the match's broker if a broker proposed it), and
    tell the sender. Opens the listing's full description to the interested organisation."""
    now = timezone.now()
    with transaction.atomic():
        interest = _lock_interest(interest)
        interest_actions(user, interest).answer.check()
        interest.status = InterestStatus.ACCEPTED
        interest.decided_by = user
        interest.decided_at = now
        interest.save(update_fields=["status", "decided_by", "decided_at"])
        conversation = Conversation.objects.create(
            interest=interest,
            owner_organization=interest.listing.organization,
            other_organization=interest.sender_organization,
            last_message_at=now,
        )
        match = interest.match
        deal = Deal.objects.create(
            conversation=conversation,
            stage=S.CONTACTED,
            brokered_by=match.broker if match and match.proposed_by == ProposedBy.BROKER else None,
        )
        DealEvent.objects.create(deal=deal, from_stage="", to_stage=S.CONTACTED, actor=user)
        _tell_sender(interest, "accepted", link=conversation.get_absolute_url())
    return conversation


def interest_decline(
    *, interest: Interest, user: User, code: str = "", reason: str = ""
) -> Interest:
    """Decline a pending interest with one of the fixed reasons (``DeclineReason``) and
    optional words, both read by the sender; "other" needs the words."""
    reason = (reason or "").strip()
    now = timezone.now()
    with transaction.atomic():
        interest = _lock_interest(interest)
        interest_actions(user, interest).answer.check()
        if code not in DeclineReason.values:
            raise Refused.bad_input(code=_("Choose why you decline."))
        if code == DeclineReason.OTHER and not reason:
            raise Refused.bad_input(reason=_("Say in a few words why you decline."))
        interest.status = InterestStatus.DECLINED
        interest.decided_by = user
        interest.decided_at = now
        interest.decline_code = code
        interest.decline_reason = reason
        interest.save(
            update_fields=["status", "decided_by", "decided_at", "decline_code", "decline_reason"]
        )
        _tell_sender(interest, "declined", link=interest.get_absolute_url(), reason=reason)
    return interest
