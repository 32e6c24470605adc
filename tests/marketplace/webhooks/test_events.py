"""The domain announces its events to webhooks where it tells people: a new match, an
interest received, a deal's move; each organisation gets only what it may see."""

from __future__ import annotations

import json

import pytest

from marketplace.deals import services as deal_services
from marketplace.listings import services as listing_services
from marketplace.webhooks import services
from marketplace.webhooks.choices import WebhookEvent
from marketplace.webhooks.models import WebhookDelivery
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooks(university, enterprise, uni_user, ent_user, receiver):
    """An endpoint for every event at each of the two organisations."""
    return {
        org.pk: services.endpoint_create(
            organization=org, user=user, url=receiver.url, events=WebhookEvent.values
        )[0]
        for org, user in ((university, uni_user), (enterprise, ent_user))
    }


def _bodies(endpoint, event_type):
    return [
        json.loads(d.body)
        for d in WebhookDelivery.objects.filter(endpoint=endpoint, event_type=event_type)
    ]


def test_a_new_match_is_announced_to_both_organisations(
    hooks,
    university,
    enterprise,
    uni_user,
    ent_user,
    moderator,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.MATCH_NOTIFY_THRESHOLD = 0
    wanted = factories.make_challenge(enterprise, user=ent_user)
    offer = factories.make_achievement(university, status="pending", user=uni_user)
    with django_capture_on_commit_callbacks(execute=True):
        listing_services.listing_publish(listing=offer, moderator=moderator)

    [uni] = _bodies(hooks[university.pk], "match.created")
    [ent] = _bodies(hooks[enterprise.pk], "match.created")
    assert uni["data"]["listing"]["id"] == offer.pk
    assert uni["data"]["counterpart"]["id"] == wanted.pk
    assert uni["data"]["counterpart"]["organization"] == enterprise.display_name
    assert ent["data"]["listing"]["id"] == wanted.pk
    assert uni["data"]["match"]["id"] == ent["data"]["match"]["id"]
    # Nothing confidential of the other side: not the challenge's details, nor descriptions.
    assert wanted.confidential_details not in json.dumps(uni, ensure_ascii=False)
    assert wanted.description not in json.dumps(uni, ensure_ascii=False)
    assert WebhookDelivery.objects.filter(status="delivered").count() == 2


def test_an_interest_and_a_deal_move_are_announced(
    hooks, university, enterprise, uni_user, ent_user, django_capture_on_commit_callbacks
):
    listing = factories.make_achievement(university, user=uni_user)
    interest = deal_services.interest_express(
        listing=listing, user=ent_user, purpose="licence", message="We want a licence."
    )
    [received] = _bodies(hooks[university.pk], "interest.received")
    assert received["data"]["interest"]["message"] == "We want a licence."
    assert received["data"]["sender"]["organization"] == enterprise.display_name
    assert received["data"]["listing"]["id"] == listing.pk
    # The sender's own endpoint hears nothing of it.
    assert _bodies(hooks[enterprise.pk], "interest.received") == []

    conversation = deal_services.interest_accept(interest=interest, user=uni_user)
    deal_services.deal_advance(deal=conversation.deal, user=ent_user, to_stage="evaluating")
    for org in (university, enterprise):
        [moved] = _bodies(hooks[org.pk], "deal.stage_changed")
        assert moved["data"]["deal"]["from_stage"] == "contacted"
        assert moved["data"]["deal"]["to_stage"] == "evaluating"
        assert moved["data"]["moved_by"]["organization"] == enterprise.display_name
