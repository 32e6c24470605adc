"""What a person may do: express interest in a listing, answer an interest, act on a deal.

Decided here, once: the views (what they show and their 403s), the templates (which buttons
they offer) and the services (their guards, ``verdict.check()``) all ask these selectors, so
a page never offers what the service would refuse. Each permission is a ``Verdict``: allowed,
or why not (a sentence for the person, and the status of the ``Refused`` it raises).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.choices import OrganizationKind
from accounts.models import Organization, User
from accounts.selectors import active_membership
from marketplace.deals.choices import DealStage, InterestStatus
from marketplace.deals.models import Conversation, Deal, Interest
from marketplace.deals.selectors.interests import latest_interest
from marketplace.deals.selectors.parties import conversation_side, interest_side
from marketplace.listings.choices import ListingStatus, PricingRoute
from marketplace.listings.kinds import Listing, column, counterpart_kind
from marketplace.matching.models import Match
from marketplace.refusals import Refused

S = DealStage
# The open stages in order, then the signed end; closed-lost stands beside them.
STAGE_ORDER = (S.CONTACTED, S.EVALUATING, S.NDA_SIGNED, S.NEGOTIATING, S.CONTRACT_SIGNED)
OPEN_STAGES = frozenset(STAGE_ORDER[:-1])
# The stages that accepting the NDA moves on to "NDA signed".
BEFORE_NDA = frozenset({S.CONTACTED, S.EVALUATING})
MODERATOR = "moderator"  # the side of staff who read a conversation, not a party to it


@dataclass(frozen=True)
class Verdict:
    """Whether one action is open to one person now; if not, why (a sentence for them) and
    the status of the refusal: 403 who may not, 409 not in this state, 400 bad input (with
    the form ``field`` at fault)."""

    allowed: bool
    reason: Any = ""
    status: int = Refused.CONFLICT
    field: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def forbidden(self) -> bool:
        """Refused for who the person is (not for the state of things)."""
        return not self.allowed and self.status == Refused.FORBIDDEN

    def refusal(self) -> Refused:
        fields = {self.field: self.reason} if self.field else None
        return Refused(self.reason, status=self.status, fields=fields)

    def check(self) -> None:
        """The services' guard: raise the refusal unless allowed."""
        if not self.allowed:
            raise self.refusal()


ALLOWED = Verdict(True)


def _forbidden(reason: Any) -> Verdict:
    return Verdict(False, reason, Refused.FORBIDDEN)


def _conflict(reason: Any) -> Verdict:
    return Verdict(False, reason, Refused.CONFLICT)


def already_open_message() -> str:
    return str(
        _(
            "Your organisation already has an open expression of interest in this listing: "
            "wait for the answer, or continue in its conversation."
        )
    )


def match_pairs(match: Match, listing: Listing, organization: Organization | None) -> bool:
    """Whether the match puts this listing with a listing of the organisation."""
    if organization is None:
        return False
    counterpart = getattr(match, counterpart_kind(listing.kind))
    return (
        getattr(match, column(listing.kind)) == listing.pk
        and counterpart.organization_id == organization.pk
    )


# --- Expressing interest in a listing -------------------------------------------------------------


@dataclass(frozen=True)
class InterestOptions:
    """What a person may do about a listing for their organisation: express interest in it
    (``express``, with why not), and where their organisation's latest interest stands.

    ``state`` names the situation, for the listing page's panel: ``visitor``,
    ``no_organization``, ``moderator`` (staff without an organisation), ``owner``,
    ``unverified``, ``pending`` or ``accepted`` (an open interest), ``unpublished`` (nothing
    to express interest in), ``can_express``."""

    state: str
    express: Verdict
    organization: Organization | None = None
    interest: Interest | None = None  # the organisation's latest interest in the listing

    @property
    def open_interest(self) -> Interest | None:
        """The organisation's pending or accepted interest, where the next step is."""
        if self.interest is not None and self.interest.status != InterestStatus.DECLINED:
            return self.interest
        return None


def interest_options(user: User, listing: Listing) -> InterestOptions:
    """Whether the user may express interest in the listing for their organisation: an
    active member of a verified organisation, in another organisation's published listing,
    with no open interest of their organisation in it. One query at most (the latest
    interest), none for visitors, owners and unverified organisations."""
    membership = active_membership(user)
    if membership is None:
        state = "visitor" if not user.is_authenticated else "no_organization"
        if user.is_authenticated and user.is_staff:
            state = MODERATOR
        return InterestOptions(
            state,
            _forbidden(
                _("You need to be an active member of an organisation to express interest.")
            ),
        )
    organization = membership.organization
    if organization.pk == listing.organization_id:
        return InterestOptions(
            "owner", _forbidden(_("This is your own organisation's listing.")), organization
        )
    if not organization.is_verified:
        reason = _(
            "Your organisation must be verified by a moderator before it can express interest."
        )
        return InterestOptions("unverified", _forbidden(reason), organization)
    interest = latest_interest(organization, listing)
    if interest is not None and interest.status != InterestStatus.DECLINED:
        return InterestOptions(
            interest.status, _conflict(already_open_message()), organization, interest
        )
    if listing.status != ListingStatus.PUBLISHED:
        reason = _("Interest can be expressed only in a published listing.")
        return InterestOptions("unpublished", _conflict(reason), organization, interest)
    return InterestOptions("can_express", ALLOWED, organization, interest)


# --- Answering an interest ------------------------------------------------------------------------


@dataclass(frozen=True)
class InterestActions:
    """What an expression of interest offers one person: their ``side`` (``owner``,
    ``sender``, ``moderator`` who only reads, or None for anyone else) and whether they may
    ``answer`` it (accept or decline: one rule for both)."""

    side: str | None
    answer: Verdict


def interest_actions(user: User, interest: Interest) -> InterestActions:
    """The listing's organisation answers a pending interest; no one else, never twice."""
    side = interest_side(user, interest)
    if side is None and user.is_authenticated and user.is_staff:
        side = MODERATOR
    if side != "owner":
        answer = _forbidden(_("Only the listing's organisation answers its interest."))
    elif interest.status != InterestStatus.PENDING:
        answer = _conflict(
            _("This expression of interest was answered already: %(status)s.")
            % {"status": interest.get_status_display()}
        )
    else:
        answer = ALLOWED
    return InterestActions(side, answer)


# --- Acting on a conversation's deal --------------------------------------------------------------


def deal_stages_forward(deal: Deal) -> list[str]:
    """The stages an open deal can be advanced to: the later open stages, except "NDA
    signed" (reached by accepting the NDA)."""
    if deal.stage not in OPEN_STAGES:
        return []
    later = STAGE_ORDER[STAGE_ORDER.index(deal.stage) + 1 : -1]
    return [stage for stage in later if stage != S.NDA_SIGNED]


def _still_open(deal: Deal) -> Verdict:
    if deal.stage == S.CONTRACT_SIGNED:
        return _conflict(_("The contract is signed: this deal is final."))
    if deal.stage == S.CLOSED_LOST:
        return _conflict(_("This deal is closed as lost; reopen it first."))
    return ALLOWED


def _stage_refusal(deal: Deal, to_stage: str) -> Verdict:
    """Why an open deal cannot be moved to ``to_stage`` by hand."""
    if to_stage == S.CONTRACT_SIGNED:
        return _conflict(_("Record the contract to mark the deal signed."))
    if to_stage == S.CLOSED_LOST:
        return _conflict(_("Close the deal as lost with a reason."))
    if to_stage == S.NDA_SIGNED:
        return _conflict(
            _(
                "A deal reaches “NDA signed” when the interested organisation accepts the NDA "
                "in the conversation."
            )
        )
    if to_stage not in S.values:
        reason = _("Choose one of the deal's stages.")
        return Verdict(False, reason, Refused.BAD_INPUT, field="to_stage")
    return _conflict(
        _("A deal moves forward only; this one is at “%(stage)s”.")
        % {"stage": deal.get_stage_display()}
    )


@dataclass(frozen=True)
class DealActions:
    """What a conversation and its deal offer one person now, each with why not.

    ``side``: ``owner`` (the listing's organisation), ``other`` (the interested one),
    ``moderator`` (reads only) or None (anyone else: not even shown the conversation).
    ``organization``: the party the user acts for. ``stages``: where the deal may be moved
    forward to now (``advance_to`` says why not for any other)."""

    deal: Deal
    side: str | None
    organization: Organization | None
    party: Verdict  # acts in this conversation at all
    message: Verdict
    lose: Verdict
    reopen: Verdict
    accept_nda: Verdict
    record_contract: Verdict
    stages: tuple[str, ...] = ()
    announce_price: Verdict = Verdict(False, "", Refused.FORBIDDEN)

    @property
    def stage_choices(self) -> list[tuple[str, str]]:
        return [(stage, S(stage).label) for stage in self.stages]

    def advance_to(self, to_stage: str) -> Verdict:
        """Whether the deal may be moved forward to ``to_stage`` by this person now."""
        if not self.party:
            return self.party
        still_open = _still_open(self.deal)
        if not still_open:
            return still_open
        if to_stage in self.stages:
            return ALLOWED
        return _stage_refusal(self.deal, to_stage)


def deal_actions(user: User, conversation: Conversation) -> DealActions:
    """The rules of the deal, for one person. Either organisation's active members write
    messages, move an open deal forward (never back, never to "NDA signed" or "contract
    signed" by hand), close it as lost, reopen a lost one, and record the contract of an open
    one; only the interested organisation accepts the NDA, once, while the deal is not lost.
    Reads ``conversation.deal`` and ``conversation.nda`` (select them with it)."""
    deal = conversation.deal
    side = conversation_side(user, conversation)
    if side is None:
        if user.is_authenticated and user.is_staff:
            side = MODERATOR
        no = _forbidden(_("Only the two organisations of this conversation can do this."))
        return DealActions(
            deal,
            side,
            None,
            party=no,
            message=no,
            lose=no,
            reopen=no,
            accept_nda=no,
            record_contract=no,
            announce_price=no,
        )
    organization = active_membership(user).organization
    still_open = _still_open(deal)
    nda = getattr(conversation, "nda", None)
    if side != "other":
        accept_nda = _forbidden(
            _("The interested organisation accepts the NDA; the listing's owner sets its terms.")
        )
    elif nda is not None:
        accept_nda = _conflict(
            _("Your organisation accepted the NDA already, on %(date)s.")
            % {"date": date_format(timezone.localtime(nda.accepted_at), "Y-m-d H:i")}
        )
    elif deal.stage == S.CLOSED_LOST:
        accept_nda = _conflict(_("The deal is closed; reopen it before accepting the NDA."))
    else:
        accept_nda = ALLOWED
    if deal.stage == S.CLOSED_LOST:
        reopen = ALLOWED
    else:
        reopen = _conflict(_("Only a deal closed as lost can be reopened."))
    announce_price, notice_bar = _price_notice_rules(conversation, still_open)
    return DealActions(
        deal,
        side,
        organization,
        party=ALLOWED,
        message=ALLOWED,
        lose=still_open,
        reopen=reopen,
        accept_nda=accept_nda,
        record_contract=notice_bar,
        stages=tuple(deal_stages_forward(deal)),
        announce_price=announce_price,
    )


def price_notice_of(deal: Deal):
    """The deal's price notice, or None (select ``deal__price_notice`` with it)."""
    return getattr(deal, "price_notice", None)


def needs_price_notice(conversation: Conversation) -> bool:
    """Whether the deal's price must be publicly noticed before its contract (Art. 18): a
    university's achievement on the agreed-price route, when the setting asks for it."""
    achievement = conversation.interest.achievement
    return (
        settings.PRICE_NOTICE_REQUIRED
        and achievement is not None
        and achievement.pricing_route == PricingRoute.AGREED
        and conversation.owner_organization.kind == OrganizationKind.UNIVERSITY
    )


def _price_notice_rules(conversation: Conversation, still_open: Verdict) -> tuple[Verdict, Verdict]:
    """(announce the agreed price, record the contract as far as the notice goes) for a
    party of an open deal: an achievement on the agreed route announces its price once; a
    notice once announced must run out before the contract, and a required one must exist."""
    if not still_open:
        return still_open, still_open  # and no query for a closed deal's notice
    deal = conversation.deal
    notice = price_notice_of(deal)
    achievement = conversation.interest.achievement
    if achievement is None or achievement.pricing_route != PricingRoute.AGREED:
        announce = _conflict(_("Only an achievement sold at an agreed price has a price notice."))
    elif notice is not None:
        announce = _conflict(_("The agreed price was announced already."))
    else:
        announce = ALLOWED
    if notice is not None and notice.ends_at > timezone.now():
        record = _conflict(
            _(
                "The agreed price is under public notice until %(date)s: the contract can be "
                "recorded after that."
            )
            % {"date": date_format(timezone.localtime(notice.ends_at), "Y-m-d H:i")}
        )
    elif notice is None and needs_price_notice(conversation):
        record = _conflict(
            _(
                "Announce the agreed price first: it is publicly noticed for %(days)s days "
                "before the contract can be recorded."
            )
            % {"days": settings.PRICE_NOTICE_DAYS}
        )
    else:
        record = ALLOWED
    return announce, record
