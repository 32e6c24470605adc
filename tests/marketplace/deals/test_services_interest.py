"""Expressing interest, accepting and declining it: each move, each refusal, and who is told."""

from __future__ import annotations

import pytest

from marketplace.deals import services
from marketplace.deals.models import Conversation, Deal, DealEvent, Interest
from marketplace.matching.models import Match
from marketplace.notifications.models import Notification
from marketplace.refusals import Refused
from tests import factories

from .conftest import express

pytestmark = pytest.mark.django_db


def _told(key: str) -> list[str]:
    return sorted(Notification.objects.filter(key=key).values_list("recipient__email", flat=True))


def test_interest_tells_every_active_member_of_the_owner_once(
    achievement, ent_user, uni_user, uni_colleague, university
):
    pending = factories.make_user(org=university, status="pending", email="pending@zju.example")
    interest = express(achievement, ent_user)
    assert interest.status == "pending"
    assert interest.sender_organization == ent_user.membership.organization
    told = _told(f"interest:{interest.pk}:received")
    assert told == sorted([uni_user.email, uni_colleague.email])
    assert pending.email not in told
    notification = Notification.objects.get(
        key=f"interest:{interest.pk}:received", recipient=uni_user
    )
    assert notification.kind == "interest"
    assert notification.link == interest.get_absolute_url()
    assert "We would like a licence" in notification.body


def test_one_open_interest_per_organisation_and_listing(achievement, ent_user, enterprise):
    express(achievement, ent_user)
    colleague = factories.make_user(org=enterprise, role="member")
    with pytest.raises(Refused, match="already has an open") as refused:
        express(achievement, colleague)
    assert refused.value.status == 409
    assert Interest.objects.count() == 1


def test_a_declined_interest_may_be_expressed_again(interest, uni_user, achievement, ent_user):
    services.interest_decline(code="capacity", interest=interest, user=uni_user)
    again = express(achievement, ent_user)
    assert again.pk != interest.pk and again.status == "pending"


def test_an_accepted_interest_stays_open(conversation, achievement, ent_user):
    with pytest.raises(Refused):
        express(achievement, ent_user)


@pytest.mark.parametrize("who", ["owner", "unverified_org", "outsider", "moderator"])
def test_who_cannot_express_interest(who, cast, achievement):
    with pytest.raises(Refused):
        express(achievement, cast[who])
    assert not Interest.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("status", ["draft", "pending", "rejected", "archived", "expired"])
def test_only_published_listings_take_interest(status, university, ent_user):
    listing = factories.make_achievement(university, status=status)
    with pytest.raises(Refused, match="published"):
        express(listing, ent_user)


@pytest.mark.parametrize(("purpose", "message"), [("licence", "   "), ("bogus", "Hello")])
def test_bad_input_is_refused(purpose, message, achievement, ent_user):
    with pytest.raises(Refused) as refused:
        express(achievement, ent_user, purpose=purpose, message=message)
    assert refused.value.status == 400
    assert list(refused.value.fields) == (["message"] if purpose == "licence" else ["purpose"])
    assert not Interest.objects.exists()


def _match(achievement, challenge, **kw) -> Match:
    return Match.objects.create(
        achievement=achievement, challenge=challenge, score=70, parts={}, **kw
    )


def test_interest_from_a_match_must_pair_the_listing_with_ones_own(
    achievement, ent_user, enterprise, third_user
):
    own = factories.make_challenge(enterprise)
    match = _match(achievement, own)
    interest = express(achievement, ent_user, match=match)
    assert interest.match == match
    # A match between this listing and someone else's challenge is not the third org's.
    with pytest.raises(Refused, match="match"):
        express(achievement, third_user, match=match)


def test_accept_opens_conversation_and_deal_in_one_go_and_tells_the_sender(
    interest, uni_colleague, ent_user
):
    conversation = services.interest_accept(interest=interest, user=uni_colleague)
    interest.refresh_from_db()
    assert interest.status == "accepted"
    assert interest.decided_by == uni_colleague and interest.decided_at is not None
    assert conversation.owner_organization == interest.achievement.organization
    assert conversation.other_organization == interest.sender_organization
    deal = Deal.objects.get(conversation=conversation)
    assert deal.stage == "contacted" and deal.brokered_by is None
    event = DealEvent.objects.get(deal=deal)
    assert (event.from_stage, event.to_stage, event.actor) == ("", "contacted", uni_colleague)
    assert _told(f"interest:{interest.pk}:accepted") == [ent_user.email]
    told = Notification.objects.get(key=f"interest:{interest.pk}:accepted")
    assert told.kind == "interest" and told.link == conversation.get_absolute_url()


def test_a_broker_proposed_match_makes_the_deal_brokered(
    achievement, ent_user, enterprise, uni_user, broker
):
    match = _match(
        achievement, factories.make_challenge(enterprise), proposed_by="broker", broker=broker
    )
    conversation = services.interest_accept(
        interest=express(achievement, ent_user, match=match), user=uni_user
    )
    assert conversation.deal.brokered_by == broker


def test_an_engine_match_is_not_brokered(achievement, ent_user, enterprise, uni_user, broker):
    match = _match(achievement, factories.make_challenge(enterprise), broker=broker)
    conversation = services.interest_accept(
        interest=express(achievement, ent_user, match=match), user=uni_user
    )
    assert conversation.deal.brokered_by is None


def test_decline_with_reason_tells_the_sender(interest, uni_user, ent_user):
    services.interest_decline(
        code="capacity", interest=interest, user=uni_user, reason="  Not licensing now.  "
    )
    interest.refresh_from_db()
    assert interest.status == "declined"
    assert interest.decline_reason == "Not licensing now."
    assert not Conversation.objects.exists()
    assert _told(f"interest:{interest.pk}:declined") == [ent_user.email]
    assert (
        "Not licensing now." in Notification.objects.get(recipient=ent_user, kind="interest").body
    )


def test_a_sender_who_left_is_replaced_by_the_owners_of_the_sender_organisation(
    interest, uni_user, ent_user, enterprise
):
    boss = factories.make_user(org=enterprise, email="boss@shenxin.example")
    ent_user.membership.delete()
    services.interest_decline(code="capacity", interest=interest, user=uni_user)
    assert _told(f"interest:{interest.pk}:declined") == [boss.email]


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_an_answered_interest_cannot_be_answered_again(answer, interest, uni_user):
    services.interest_accept(interest=interest, user=uni_user)
    call = services.interest_accept if answer == "accept" else services.interest_decline
    with pytest.raises(Refused, match="answered already"):
        call(interest=interest, user=uni_user)
    assert Conversation.objects.count() == 1
    assert Notification.objects.filter(key__endswith=":declined").count() == 0


@pytest.mark.parametrize("who", ["sender", "third_org", "moderator", "outsider"])
def test_only_the_listing_organisation_answers(who, cast, interest):
    for answer in (services.interest_accept, services.interest_decline):
        with pytest.raises(Refused) as refused:
            answer(interest=interest, user=cast[who])
        assert refused.value.status == 403
    interest.refresh_from_db()
    assert interest.status == "pending"
