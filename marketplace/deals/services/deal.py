"""Moving a deal: forward, closed as lost, reopened; each move writes its ``DealEvent``."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from marketplace.deals.choices import DealStage
from marketplace.deals.models import Deal, DealEvent
from marketplace.deals.selectors import OPEN_STAGES, deal_actions
from marketplace.deals.services.conversation import tell_other_side
from marketplace.refusals import Refused
from marketplace.webhooks.choices import WebhookEvent
from marketplace.webhooks.payloads import deal_data
from marketplace.webhooks.services import webhooks_announce

S = DealStage


def lock_deal(deal: Deal) -> Deal:
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
            "price_notice",
        )
        .get(pk=deal.pk)
    )


def move_deal(
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
        tell_other_side(
            deal.conversation,
            organization,
            key=f"deal_event:{event.pk}",
            template="deal_stage_changed",
            context={"deal": deal, "event": event},
        )
    # Both organisations' systems hear of every move, however the people were told.
    conversation = deal.conversation
    for organization_id in (conversation.owner_organization_id, conversation.other_organization_id):
        webhooks_announce(
            organization_id=organization_id,
            event_type=WebhookEvent.DEAL_STAGE_CHANGED,
            key=f"deal_event:{event.pk}",
            data=deal_data(deal, event=event, conversation=conversation, by=organization),
        )
    return event


def deal_advance(*, deal: Deal, user: User, to_stage: str, note: str = "") -> Deal:
    """Move an open deal forward to a later open stage (the rules: ``deals.services``)."""
    note = (note or "").strip()
    with transaction.atomic():
        deal = lock_deal(deal)
        actions = deal_actions(user, deal.conversation)
        actions.advance_to(to_stage).check()
        move_deal(deal, to=to_stage, user=user, note=note, organization=actions.organization)
    return deal


def deal_close_lost(*, deal: Deal, user: User, reason: str) -> Deal:
    """Close an open deal as lost, with the reason (required)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        deal = lock_deal(deal)
        actions = deal_actions(user, deal.conversation)
        actions.lose.check()
        if not reason:
            raise Refused.bad_input(reason=_("Say why the deal was lost."))
        move_deal(deal, to=S.CLOSED_LOST, user=user, note=reason, organization=actions.organization)
    return deal


def deal_reopen(*, deal: Deal, user: User, note: str = "") -> Deal:
    """Reopen a deal closed as lost, at the stage it was lost at."""
    note = (note or "").strip()
    with transaction.atomic():
        deal = lock_deal(deal)
        actions = deal_actions(user, deal.conversation)
        actions.reopen.check()
        lost = deal.events.filter(to_stage=S.CLOSED_LOST).order_by("-created_at", "-pk").first()
        back_to = lost.from_stage if lost and lost.from_stage in OPEN_STAGES else S.CONTACTED
        move_deal(deal, to=back_to, user=user, note=note, organization=actions.organization)
    return deal
