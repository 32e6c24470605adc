"""The NDA and the deal pipeline: each transition, each refused one, the events and who is
told."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.deals import selectors, services
from marketplace.deals.models import Contract, Deal, DealEvent, NdaAcceptance
from marketplace.notifications.models import Notification
from marketplace.refusals import Refused

from .conftest import accept_nda

pytestmark = pytest.mark.django_db


def _deal(conversation) -> Deal:
    return Deal.objects.get(conversation=conversation)


def _set_stage(conversation, stage):
    reason = "Lost before" if stage == "closed_lost" else ""
    Deal.objects.filter(conversation=conversation).update(stage=stage, lost_reason=reason)
    return _deal(conversation)


def _sign(deal, user, **kw):
    data = {
        "contract_type": "transfer",
        "value": Decimal("1200000.00"),
        "currency": "CNY",
        "signed_on": timezone.localdate(),
    }
    data.update(kw)
    return services.contract_record(deal=deal, user=user, **data)


# --- The NDA -------------------------------------------------------------------------------------


def test_nda_records_who_when_and_the_exact_text_and_moves_the_deal(
    conversation, ent_user, uni_user, uni_colleague
):
    terms = selectors.nda_terms(conversation)
    acceptance = accept_nda(conversation, ent_user)
    assert acceptance.organization == ent_user.membership.organization
    assert acceptance.accepted_by == ent_user and acceptance.accepted_at is not None
    assert acceptance.text == terms
    assert conversation.interest.achievement.title in terms  # the standard terms name it
    deal = _deal(conversation)
    assert deal.stage == "nda_signed"
    event = deal.events.order_by("-pk").first()
    assert (event.from_stage, event.to_stage, event.actor) == ("contacted", "nda_signed", ent_user)
    told = Notification.objects.filter(key=f"nda:{acceptance.pk}")
    assert sorted(n.recipient.email for n in told) == sorted([uni_user.email, uni_colleague.email])
    assert all(n.kind == "message" for n in told)


def test_the_listings_own_terms_are_the_ones_accepted(conversation, ent_user, achievement):
    type(achievement).objects.filter(pk=achievement.pk).update(nda_text="Our own terms. 保密。")
    conversation.interest.achievement.refresh_from_db()
    acceptance = accept_nda(conversation, ent_user)
    assert acceptance.text == "Our own terms. 保密。"


def test_terms_that_changed_since_they_were_read_are_not_accepted(
    conversation, ent_user, achievement
):
    digest = selectors.nda_digest(selectors.nda_terms(conversation))
    type(achievement).objects.filter(pk=achievement.pk).update(nda_text="Harsher terms.")
    conversation.interest.achievement.refresh_from_db()
    with pytest.raises(Refused, match="terms changed"):
        services.nda_accept(conversation=conversation, user=ent_user, digest=digest)
    assert not NdaAcceptance.objects.exists()


def test_nda_at_negotiating_leaves_the_stage(conversation, ent_user):
    _set_stage(conversation, "negotiating")
    accept_nda(conversation, ent_user)
    assert _deal(conversation).stage == "negotiating"


def test_nda_is_accepted_once(nda, conversation, ent_user):
    with pytest.raises(Refused, match="already"):
        accept_nda(conversation, ent_user)
    assert NdaAcceptance.objects.count() == 1


def test_the_owner_does_not_accept_its_own_nda(conversation, uni_user):
    with pytest.raises(Refused, match="interested organisation"):
        accept_nda(conversation, uni_user)


def test_no_nda_on_a_lost_deal(conversation, ent_user):
    services.deal_close_lost(deal=_deal(conversation), user=ent_user, reason="Budget cut")
    with pytest.raises(Refused, match="closed"):
        accept_nda(conversation, ent_user)


@pytest.mark.parametrize("who", ["third_org", "broker", "moderator"])
def test_strangers_cannot_accept_the_nda(who, cast, conversation):
    with pytest.raises(Refused) as refused:
        accept_nda(conversation, cast[who])
    assert refused.value.status == 403


# --- Moving forward -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("contacted", "evaluating"),
        ("contacted", "negotiating"),
        ("evaluating", "negotiating"),
        ("nda_signed", "negotiating"),
    ],
)
def test_advance_forward_records_an_event_and_tells_the_other_side(
    start, to, conversation, uni_user, ent_user
):
    deal = _set_stage(conversation, start)
    services.deal_advance(deal=deal, user=uni_user, to_stage=to, note="Pilot in May")
    deal.refresh_from_db()
    assert deal.stage == to
    event = DealEvent.objects.filter(deal=deal).order_by("-pk").first()
    assert (event.from_stage, event.to_stage, event.actor, event.note) == (
        start,
        to,
        uni_user,
        "Pilot in May",
    )
    told = Notification.objects.get(key=f"deal_event:{event.pk}")
    assert told.recipient == ent_user and told.kind == "message"


def test_either_organisation_moves_the_deal(conversation, ent_user):
    services.deal_advance(deal=_deal(conversation), user=ent_user, to_stage="evaluating")
    assert _deal(conversation).stage == "evaluating"


@pytest.mark.parametrize(
    ("start", "to", "says"),
    [
        ("evaluating", "contacted", "forward only"),
        ("negotiating", "evaluating", "forward only"),
        ("evaluating", "evaluating", "forward only"),
        ("contacted", "nda_signed", "accepts the NDA"),
        ("contacted", "contract_signed", "Record the contract"),
        ("contacted", "closed_lost", "with a reason"),
        ("contacted", "bogus", "Choose one"),
        ("contract_signed", "negotiating", "final"),
        ("closed_lost", "negotiating", "reopen"),
    ],
)
def test_refused_moves_change_nothing(start, to, says, conversation, uni_user):
    deal = _set_stage(conversation, start)
    events = DealEvent.objects.count()
    with pytest.raises(Refused, match=says) as refused:
        services.deal_advance(deal=deal, user=uni_user, to_stage=to)
    # A stage that does not exist is bad input; any other is refused by the deal's state.
    assert refused.value.status == (400 if to == "bogus" else 409)
    assert _deal(conversation).stage == start
    assert DealEvent.objects.count() == events


@pytest.mark.parametrize("who", ["third_org", "broker", "moderator", "outsider"])
def test_only_the_two_organisations_move_the_deal(who, cast, conversation):
    with pytest.raises(Refused) as refused:
        services.deal_advance(deal=_deal(conversation), user=cast[who], to_stage="evaluating")
    assert refused.value.status == 403
    assert _deal(conversation).stage == "contacted"


# --- Lost and reopened ----------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["contacted", "evaluating", "nda_signed", "negotiating"])
def test_close_lost_from_any_open_stage_then_reopen_where_it_was(start, conversation, ent_user):
    deal = _set_stage(conversation, start)
    services.deal_close_lost(deal=deal, user=ent_user, reason=" Budget cut ")
    deal.refresh_from_db()
    assert (deal.stage, deal.lost_reason) == ("closed_lost", "Budget cut")
    services.deal_reopen(deal=deal, user=ent_user)
    deal.refresh_from_db()
    assert (deal.stage, deal.lost_reason) == (start, "")


def test_closing_lost_needs_a_reason(conversation, ent_user):
    with pytest.raises(Refused, match="why"):
        services.deal_close_lost(deal=_deal(conversation), user=ent_user, reason="  ")
    assert _deal(conversation).stage == "contacted"


def test_a_signed_or_lost_deal_cannot_be_lost_again(conversation, ent_user):
    services.deal_close_lost(deal=_deal(conversation), user=ent_user, reason="No")
    with pytest.raises(Refused):
        services.deal_close_lost(deal=_deal(conversation), user=ent_user, reason="No again")
    assert DealEvent.objects.filter(to_stage="closed_lost").count() == 1


def test_only_a_lost_deal_reopens(conversation, ent_user):
    with pytest.raises(Refused, match="Only a deal closed as lost"):
        services.deal_reopen(deal=_deal(conversation), user=ent_user)


# --- The contract ---------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["contacted", "evaluating", "nda_signed", "negotiating"])
@pytest.mark.parametrize("contract_type", ["development", "transfer", "consulting", "service"])
def test_recording_the_contract_signs_the_deal(start, contract_type, conversation, uni_user):
    deal = _set_stage(conversation, start)
    contract = _sign(deal, uni_user, contract_type=contract_type, value=Decimal("0"))
    deal.refresh_from_db()
    assert deal.stage == "contract_signed"
    assert (contract.contract_type, contract.value, contract.recorded_by) == (
        contract_type,
        Decimal("0"),
        uni_user,
    )
    assert deal.events.order_by("-pk").first().to_stage == "contract_signed"


@pytest.mark.parametrize(
    "bad",
    [
        {"contract_type": "licence"},
        {"value": Decimal("-1")},
        {"currency": "GBP"},
        {"signed_on": timezone.localdate() + timedelta(days=1)},
    ],
)
def test_a_bad_contract_changes_nothing(bad, conversation, uni_user):
    with pytest.raises(Refused) as refused:
        _sign(_deal(conversation), uni_user, **bad)
    assert refused.value.status == 400 and list(refused.value.fields) == list(bad)
    assert not Contract.objects.exists()
    assert _deal(conversation).stage == "contacted"


@pytest.mark.parametrize("start", ["contract_signed", "closed_lost"])
def test_no_contract_on_a_closed_deal(start, conversation, uni_user):
    deal = _set_stage(conversation, start)
    with pytest.raises(Refused) as refused:
        _sign(deal, uni_user)
    assert refused.value.status == 409
    assert not Contract.objects.exists()


def test_the_signed_deal_tells_the_other_side_with_the_contract(conversation, uni_user, ent_user):
    _sign(_deal(conversation), uni_user)
    body = Notification.objects.get(recipient=ent_user, key__startswith="deal_event:").body
    assert "1200000.00 CNY" in body
