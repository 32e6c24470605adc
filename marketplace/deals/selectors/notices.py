"""Reads of the price notices (公示): the public list, one notice, who may object and who
reads the objections."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import active_membership
from marketplace.deals.models import PriceNotice
from marketplace.deals.selectors.actions import ALLOWED, Verdict
from marketplace.refusals import Refused


def price_notices() -> QuerySet[PriceNotice]:
    """Every notice with its parties and listing, newest first (the public page)."""
    return PriceNotice.objects.select_related(
        "deal__conversation__owner_organization",
        "deal__conversation__other_organization",
        "deal__conversation__interest__achievement",
    ).annotate(objection_count=Count("objections"))


def running_notices() -> QuerySet[PriceNotice]:
    return price_notices().filter(ends_at__gt=timezone.now())


def listing_notices(achievement) -> QuerySet[PriceNotice]:
    """The notices of one achievement's deals (shown on its public page)."""
    return price_notices().filter(deal__conversation__interest__achievement=achievement)


def can_read_objections(user: User, notice: PriceNotice) -> bool:
    """The listing's owner organisation and moderators read the objections."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    membership = active_membership(user)
    return (
        membership is not None
        and membership.organization_id == notice.deal.conversation.owner_organization_id
    )


def objection_verdict(user: User, notice: PriceNotice) -> Verdict:
    """Any signed-in user may object to a notice while it runs."""
    if not user.is_authenticated:
        return Verdict(False, _("Sign in to file an objection."), Refused.FORBIDDEN)
    if notice.ends_at <= timezone.now():
        return Verdict(False, _("The notice period has ended: objections are closed."))
    return ALLOWED
