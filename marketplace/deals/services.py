"""Writes of the deals room: interest, conversations and messages, the NDA, the deal
pipeline and the contract.

Interest::

    pending ─accept─► accepted   (opens the Conversation and its Deal, in one transaction)
       └─────decline─► declined  (with an optional reason; the organisation may ask again)

The deal of a conversation::

    contacted ─► evaluating ─► nda_signed ─► negotiating ─► contract_signed
        └────────────┴─────────────┴──────────────┴──► closed_lost ─reopen─► (where it was lost)

- Forward only. An open deal moves to any later open stage (steps may be skipped: not every
  deal is evaluated at length), never back: a deal's history is what brokers and reports
  read, and a step back is better said in a message.
- "NDA signed" is reached by the interested organisation accepting the listing's NDA
  (``nda_accept``), which moves a deal at contacted or evaluating there. It cannot be chosen
  by hand: the stage would promise confidential material that only the acceptance opens.
- "Contract signed" only with its ``Contract`` (``contract_record``), in one transaction;
  it is final.
- "Closed, lost" from any open stage, with a reason. A lost deal can be reopened, at the
  stage it was lost at, because talks do resume; that is the one way back.

Who may do what is decided once, by the selectors ``interest_options``, ``interest_actions``
and ``deal_actions``: the pages offer what they allow, and each service guards itself with
the same verdict (``verdict.check()``). Every move locks its row, asks the verdict of the
state under the lock and refuses with ``Refused`` (a clear, translatable sentence: 403 for
who may not, 409 for what the state does not allow, 400 for bad input), so a double click or
a retry changes nothing. Each stage change writes a ``DealEvent`` (who, when, from, to,
note) and tells the other organisation through ``notify()`` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from accounts.selectors import active_membership, organization_owners
from marketplace.deals.choices import (
    ContractType,
    Currency,
    DealStage,
    InterestPurpose,
    InterestStatus,
)
from marketplace.deals.models import (
    Contract,
    Conversation,
    ConversationRead,
    Deal,
    DealEvent,
    Interest,
    Message,
    MessageAttachment,
    NdaAcceptance,
)
from marketplace.deals.selectors import (
    BEFORE_NDA,
    OPEN_STAGES,
    already_open_message,
    deal_actions,
    interest_actions,
    interest_options,
    match_pairs,
    members_to_tell,
    nda_digest,
    nda_terms,
)
from marketplace.listings.kinds import Listing, of_listing
from marketplace.matching.choices import ProposedBy
from marketplace.matching.models import Match
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import notifications_read_for_link, notify
from marketplace.refusals import Refused

S = DealStage
MAX_FILES_PER_MESSAGE = 5


# --- Helpers ------------------------------------------------------------------------------------


def _other_side(conversation: Conversation, organization: Organization) -> Organization:
    if organization.pk == conversation.owner_organization_id:
        return conversation.other_organization
    return conversation.owner_organization


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


def _lock_deal(deal: Deal) -> Deal:
    """Reload the deal under a row lock, with what ``deal_actions`` reads of its
    conversation (``deal.conversation.deal`` is this locked deal)."""
    return (
        Deal.objects.select_for_update(of=("self",))
        .select_related(
            "conversation__owner_organization",
            "conversation__other_organization",
            "conversation__interest__achievement",
            "conversation__interest__challenge",
            "conversation__nda",
        )
        .get(pk=deal.pk)
    )


# --- Interest -----------------------------------------------------------------------------------


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


def interest_decline(*, interest: Interest, user: User, reason: str = "") -> Interest:
    """Decline a pending interest, with an optional reason the sender reads."""
    reason = (reason or "").strip()
    now = timezone.now()
    with transaction.atomic():
        interest = _lock_interest(interest)
        interest_actions(user, interest).answer.check()
        interest.status = InterestStatus.DECLINED
        interest.decided_by = user
        interest.decided_at = now
        interest.decline_reason = reason
        interest.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
        _tell_sender(interest, "declined", link=interest.get_absolute_url(), reason=reason)
    return interest


# --- Messages -----------------------------------------------------------------------------------


def message_send(
    *,
    conversation: Conversation,
    user: User,
    body: str,
    files: Iterable[UploadedFile] = (),
) -> Message:
    """Post a message (text, files or both) for the user's organisation, and tell the other
    organisation's members. The files' size and type are checked by the form
    (``listings.forms.validate_attachment``)."""
    actions = deal_actions(user, conversation)
    actions.message.check()
    organization = actions.organization
    body = (body or "").strip()
    files = list(files)
    if not body and not files:
        raise Refused.bad_input(_("Write a message or attach a file."))
    if len(files) > MAX_FILES_PER_MESSAGE:
        raise Refused.bad_input(
            files=_("Attach at most %(n)d files to one message.") % {"n": MAX_FILES_PER_MESSAGE}
        )
    with transaction.atomic():
        message = Message.objects.create(
            conversation=conversation, sender=user, sender_organization=organization, body=body
        )
        for upload in files:
            attachment = MessageAttachment(message=message, size=upload.size or 0)
            attachment.file.save(upload.name, upload, save=False)
            attachment.save()
        # Never backwards: a slower concurrent message must not hide a newer one.
        Conversation.objects.filter(
            pk=conversation.pk, last_message_at__lt=message.created_at
        ).update(last_message_at=message.created_at)
        conversation_read(conversation=conversation, user=user, until=message.created_at)
        _tell_other_side(
            conversation,
            organization,
            key=f"message:{message.pk}",
            template="message_received",
            context={
                "message": message,
                "files": [a.filename for a in message.attachments.all()],
            },
        )
    return message


def conversation_read(*, conversation: Conversation, user: User, until: datetime) -> None:
    """Mark the conversation read by the user up to ``until`` (the newest message they saw),
    and their notifications of it (new messages, NDA, deal moves) with it."""
    ConversationRead.objects.bulk_create(
        [ConversationRead(conversation=conversation, user=user, read_at=until)],
        update_conflicts=True,
        unique_fields=["conversation", "user"],
        update_fields=["read_at"],
    )
    notifications_read_for_link(user=user, link=conversation.get_absolute_url())


# --- The NDA ------------------------------------------------------------------------------------


def nda_accept(*, conversation: Conversation, user: User, digest: str) -> NdaAcceptance:
    """Record the interested organisation's acceptance of the listing's NDA (who, when, the
    exact text), which opens the listing's confidential details and files to it, and move a
    deal at contacted or evaluating to "NDA signed". ``digest`` is ``nda_digest`` of the
    terms the user read: if they changed meanwhile, nothing is recorded."""
    with transaction.atomic():
        deal = _lock_deal(conversation.deal)
        conversation = deal.conversation
        actions = deal_actions(user, conversation)
        actions.accept_nda.check()
        organization = actions.organization
        terms = nda_terms(conversation)
        if digest != nda_digest(terms):
            raise Refused(
                _("The terms changed since you opened them. Read them again before accepting.")
            )
        acceptance = NdaAcceptance.objects.create(
            conversation=conversation, organization=organization, accepted_by=user, text=terms
        )
        moved = deal.stage in BEFORE_NDA
        if moved:
            _move(deal, to=S.NDA_SIGNED, user=user, note="", organization=organization, tell=False)
        _tell_other_side(
            conversation,
            organization,
            key=f"nda:{acceptance.pk}",
            template="nda_accepted",
            context={"acceptance": acceptance, "deal": deal, "moved": moved},
        )
    return acceptance


# --- The deal -----------------------------------------------------------------------------------


def _tell_other_side(
    conversation: Conversation,
    organization: Organization,
    *,
    key: str,
    template: str,
    context: dict[str, Any],
) -> None:
    notify(
        users=members_to_tell(_other_side(conversation, organization)),
        kind=NotificationKind.MESSAGE,
        link=conversation.get_absolute_url(),
        key=key,
        template=template,
        context={
            "conversation": conversation,
            "listing": conversation.interest.listing,
            "by": organization,
            "link": conversation.get_absolute_url(),
            **context,
        },
    )


def _move(
    deal: Deal,
    *,
    to: str,
    user: User,
    note: str,
    organization: Organization,
    tell: bool = True,
) -> DealEvent:
    """Record the stage change, save the deal and (unless the caller says it its own way)
    tell the other organisation."""
    event = DealEvent.objects.create(
        deal=deal, from_stage=deal.stage, to_stage=to, actor=user, note=note
    )
    deal.stage = to
    deal.lost_reason = note if to == S.CLOSED_LOST else ""
    deal.save(update_fields=["stage", "lost_reason", "updated_at"])
    if tell:
        _tell_other_side(
            deal.conversation,
            organization,
            key=f"deal_event:{event.pk}",
            template="deal_stage_changed",
            context={"deal": deal, "event": event},
        )
    return event


def deal_advance(*, deal: Deal, user: User, to_stage: str, note: str = "") -> Deal:
    """Move an open deal forward to a later open stage (see the rules above)."""
    note = (note or "").strip()
    with transaction.atomic():
        deal = _lock_deal(deal)
        actions = deal_actions(user, deal.conversation)
        actions.advance_to(to_stage).check()
        _move(deal, to=to_stage, user=user, note=note, organization=actions.organization)
    return deal


def deal_close_lost(*, deal: Deal, user: User, reason: str) -> Deal:
    """Close an open deal as lost, with the reason (required)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        deal = _lock_deal(deal)
        actions = deal_actions(user, deal.conversation)
        actions.lose.check()
        if not reason:
            raise Refused.bad_input(reason=_("Say why the deal was lost."))
        _move(deal, to=S.CLOSED_LOST, user=user, note=reason, organization=actions.organization)
    return deal


def deal_reopen(*, deal: Deal, user: User, note: str = "") -> Deal:
    """Reopen a deal closed as lost, at the stage it was lost at."""
    note = (note or "").strip()
    with transaction.atomic():
        deal = _lock_deal(deal)
        actions = deal_actions(user, deal.conversation)
        actions.reopen.check()
        lost = deal.events.filter(to_stage=S.CLOSED_LOST).order_by("-created_at", "-pk").first()
        back_to = lost.from_stage if lost and lost.from_stage in OPEN_STAGES else S.CONTACTED
        _move(deal, to=back_to, user=user, note=note, organization=actions.organization)
    return deal


def contract_record(
    *,
    deal: Deal,
    user: User,
    contract_type: str,
    value: Decimal,
    currency: str,
    signed_on,
    note: str = "",
) -> Contract:
    """Record the technology contract of an open deal and mark the deal signed, in one
    transaction: type (one of the four registered types), value ≥ 0, currency, and a signing
    date that is not in the future."""
    note = (note or "").strip()
    with transaction.atomic():
        deal = _lock_deal(deal)
        actions = deal_actions(user, deal.conversation)
        actions.record_contract.check()
        if contract_type not in ContractType.values:
            raise Refused.bad_input(
                contract_type=_("Choose one of the four types of technology contract.")
            )
        if currency not in Currency.values:
            raise Refused.bad_input(currency=_("Choose a currency."))
        if value is None or Decimal(value) < 0:
            raise Refused.bad_input(value=_("The contract value cannot be negative."))
        if signed_on is None or signed_on > timezone.localdate():
            raise Refused.bad_input(signed_on=_("The signing date cannot be in the future."))
        contract = Contract.objects.create(
            deal=deal,
            contract_type=contract_type,
            value=value,
            currency=currency,
            signed_on=signed_on,
            recorded_by=user,
        )
        _move(deal, to=S.CONTRACT_SIGNED, user=user, note=note, organization=actions.organization)
    return contract
