"""The confidentiality ladder, rung by rung, on the listing page, the attachment downloads and
the conversation page: teaser → (interest accepted) full description → (NDA accepted)
confidential details and files. Brokers of the region read the full description only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.models import Organization
from accounts.selectors import active_membership
from marketplace.deals import services
from marketplace.listings import access as listing_grants
from marketplace.listings.access import Level, register_access_grant
from marketplace.listings.selectors import listing_access

from .conftest import ROWS, accept_nda, attach, express

pytestmark = pytest.mark.django_db

TEASER, FULL, CONFIDENTIAL = "teaser", "full", "confidential"


def _seen(client, listing, public, secret) -> str:
    """What the client sees of the listing: page text and the two downloads, as one rung."""
    page = client.get(listing.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "PUBLIC-TEASER-TEXT" in html
    assert client.get(reverse("listings:attachment_download", args=[public.pk])).status_code == 200
    secret_code = client.get(reverse("listings:attachment_download", args=[secret.pk])).status_code
    full = "FULL-DESCRIPTION-TEXT" in html
    confidential = secret_code == 200
    if listing.kind == "challenge":
        assert ("CONFIDENTIAL-DETAILS-TEXT" in html) is confidential
    else:
        assert ("TEAM-TEXT" in html) is full  # the achievement's full part includes its team
    assert ("Confidential spec" in html) is confidential  # not even the file's name leaks
    if confidential:
        assert full
        return CONFIDENTIAL
    assert secret_code == 404
    return FULL if full else TEASER


@pytest.fixture(params=["achievement", "challenge"])
def listing(request, achievement, challenge):
    return achievement if request.param == "achievement" else challenge


@pytest.fixture
def files(listing, uni_user):
    return attach(listing, uni_user, confidential=False), attach(
        listing, uni_user, confidential=True, name="secret.pdf"
    )


def test_the_sender_climbs_the_ladder(listing, files, ent_user, uni_user, client_for):
    client = client_for(ent_user)
    assert _seen(client, listing, *files) == TEASER
    interest = express(listing, ent_user)
    assert _seen(client, listing, *files) == TEASER  # pending: nothing yet
    conversation = services.interest_accept(interest=interest, user=uni_user)
    assert _seen(client, listing, *files) == FULL
    accept_nda(conversation, ent_user)
    assert _seen(client, listing, *files) == CONFIDENTIAL


RUNGS_WHEN_SENDER_SIGNED = {
    "visitor": TEASER,
    "owner": CONFIDENTIAL,
    "colleague": CONFIDENTIAL,
    "sender": CONFIDENTIAL,
    "third_org": TEASER,
    "broker": FULL,
    "broker_elsewhere": TEASER,
    "unverified_org": TEASER,
    "outsider": TEASER,
    "moderator": CONFIDENTIAL,
}


@pytest.mark.parametrize("who", ROWS)
def test_each_person_stands_on_their_own_rung(
    who, cast, client_for, listing, files, ent_user, uni_user
):
    conversation = services.interest_accept(interest=express(listing, ent_user), user=uni_user)
    accept_nda(conversation, ent_user)
    assert _seen(client_for(cast[who]), listing, *files) == RUNGS_WHEN_SENDER_SIGNED[who]


def test_a_declined_interest_opens_nothing(listing, files, ent_user, uni_user, client_for):
    services.interest_decline(code="capacity", interest=express(listing, ent_user), user=uni_user)
    assert _seen(client_for(ent_user), listing, *files) == TEASER


def test_a_lost_deal_keeps_what_was_opened(listing, files, ent_user, uni_user, client_for):
    conversation = services.interest_accept(interest=express(listing, ent_user), user=uni_user)
    accept_nda(conversation, ent_user)
    services.deal_close_lost(deal=conversation.deal, user=uni_user, reason="Price")
    assert _seen(client_for(ent_user), listing, *files) == CONFIDENTIAL


def test_an_organisation_no_longer_verified_falls_back_to_the_teaser(
    listing, files, ent_user, uni_user, client_for
):
    conversation = services.interest_accept(interest=express(listing, ent_user), user=uni_user)
    accept_nda(conversation, ent_user)
    Organization.objects.filter(pk=conversation.other_organization_id).update(is_verified=False)
    assert _seen(client_for(ent_user), listing, *files) == TEASER


@pytest.mark.parametrize("status", ["archived", "expired"])
def test_a_deal_keeps_an_expired_or_archived_listing_readable_to_its_parties(
    status, listing, files, ent_user, uni_user, third_user, broker, client_for
):
    conversation = services.interest_accept(interest=express(listing, ent_user), user=uni_user)
    type(listing).objects.filter(pk=listing.pk).update(status=status)
    assert _seen(client_for(ent_user), listing, *files) == FULL
    accept_nda(conversation, ent_user)
    assert _seen(client_for(ent_user), listing, *files) == CONFIDENTIAL
    for stranger in (third_user, broker, None):
        assert client_for(stranger).get(listing.get_absolute_url()).status_code == 404


def test_a_listing_back_under_review_is_hidden_even_from_its_parties(
    listing, ent_user, uni_user, client_for
):
    services.interest_accept(interest=express(listing, ent_user), user=uni_user)
    type(listing).objects.filter(pk=listing.pk).update(status="pending")
    assert client_for(ent_user).get(listing.get_absolute_url()).status_code == 404


def test_the_conversation_lists_the_files_of_the_current_rung(
    listing, files, ent_user, uni_user, client_for
):
    conversation = services.interest_accept(interest=express(listing, ent_user), user=uni_user)
    client = client_for(ent_user)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "Public brochure" in page and "Confidential spec" not in page
    accept_nda(conversation, ent_user)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "Confidential spec" in page


def test_the_listing_page_offers_interest_then_the_conversation(
    achievement, ent_user, uni_user, client_for
):
    client = client_for(ent_user)
    page = client.get(achievement.get_absolute_url()).content.decode()
    assert reverse("deals:achievement_interest", args=[achievement.pk]) in page
    conversation = services.interest_accept(interest=express(achievement, ent_user), user=uni_user)
    page = client.get(achievement.get_absolute_url()).content.decode()
    assert conversation.get_absolute_url() in page


def test_listing_access_costs_one_query_for_a_member(
    achievement, ent_user, broker, django_assert_num_queries
):
    for user in (ent_user, broker):
        active_membership(user)  # loaded once per request by the context processor
        with django_assert_num_queries(1):
            listing_access(user, achievement)


def test_listing_access_costs_nothing_for_visitors_and_owners(
    achievement, uni_user, django_assert_num_queries
):
    active_membership(uni_user)
    with django_assert_num_queries(0):
        listing_access(AnonymousUser(), achievement)
        listing_access(uni_user, achievement)


def test_registered_grants_are_consulted(monkeypatch, achievement, third_user):
    monkeypatch.setattr(listing_grants, "_grants", list(listing_grants._grants))
    assert not listing_access(third_user, achievement).can_see_confidential
    register_access_grant(lambda organization, listing: Level.CONFIDENTIAL)
    assert listing_access(third_user, achievement).can_see_confidential
