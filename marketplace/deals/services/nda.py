"""Accepting the listing's NDA: what opens its confidential material."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from marketplace.deals.choices import DealStage
from marketplace.deals.models import Conversation, NdaAcceptance
from marketplace.deals.selectors import BEFORE_NDA, deal_actions, nda_digest, nda_terms
from marketplace.deals.services.conversation import tell_other_side
from marketplace.deals.services.deal import lock_deal, move_deal
from marketplace.refusals import Refused

S = DealStage


def nda_accept(*, conversation: Conversation, user: User, digest: str) -> NdaAcceptance:
    """Record the interested organisation's acceptance of the listing's NDA (who, when, the
    exact text), which opens the listing's confidential details and files to it, and move a
    deal at contacted or evaluating to "NDA signed". ``digest`` is ``nda_digest`` of the
    terms the user read: if they changed meanwhile, nothing is recorded."""
    with transaction.atomic():
        deal = lock_deal(conversation.deal)
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
            move_deal(
                deal, to=S.NDA_SIGNED, user=user, note="", organization=organization, tell=False
            )
        tell_other_side(
            conversation,
            organization,
            key=f"nda:{acceptance.pk}",
            template="nda_accepted",
            context={"acceptance": acceptance, "deal": deal, "moved": moved},
        )
    return acceptance
