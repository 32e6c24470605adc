"""The list pages' filters: each parameter narrows the list, a bad value is ignored and said,
and the pages' links keep the filters in effect."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.deals import services
from marketplace.deals.models import Deal
from tests import factories
from tests.support.queries import assert_constant_queries

from .conftest import express

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_interests(university, uni_user):
    """Three organisations' interest in the university's listings: pending, accepted,
    declined."""
    interests = {}
    for status in ("pending", "accepted", "declined"):
        sender = factories.make_user(org=factories.make_org(kind="enterprise"))
        interest = express(factories.make_achievement(university), sender)
        if status == "accepted":
            services.interest_accept(interest=interest, user=uni_user)
        elif status == "declined":
            services.interest_decline(code="capacity", interest=interest, user=uni_user)
        interests[status] = interest
    return interests


def _listed(response) -> list[int]:
    return [row.pk for row in response.context["page"].object_list]


@pytest.mark.parametrize("status", ["pending", "accepted", "declined"])
def test_interest_by_status(status, three_interests, uni_user, client_for):
    response = client_for(uni_user).get(reverse("deals:interest_received") + f"?status={status}")
    assert _listed(response) == [three_interests[status].pk]
    assert response.context["status"] == status
    assert response.context["query"] == f"status={status}"
    assert response.context["ignored"] == []


def test_interest_sent_by_status(three_interests, client_for):
    sender = three_interests["declined"].sender
    client = client_for(sender)
    url = reverse("deals:interest_sent")
    assert _listed(client.get(url + "?status=declined")) == [three_interests["declined"].pk]
    assert _listed(client.get(url + "?status=pending")) == []


@pytest.mark.parametrize("name", ["interest_received", "conversation_list"])
@pytest.mark.parametrize(
    ("query", "param"), [("?status=bogus", "status"), ("?stage=contracted", "stage")]
)
def test_a_bad_value_is_ignored_and_said(name, query, param, three_interests, uni_user, client_for):
    response = client_for(uni_user).get(reverse(f"deals:{name}") + query)
    assert response.status_code == 200
    filters = "status" if name == "interest_received" else "stage"
    if param != filters:  # a parameter the page does not filter by: not its business
        assert response.context["ignored"] == []
        return
    everything = 3 if name == "interest_received" else 1
    assert len(_listed(response)) == everything  # the whole list, not an empty one
    assert response.context[param] == "" and response.context["query"] == ""
    (said,) = response.context["ignored"]
    assert said.startswith(f"“{param}” was ignored")
    assert said in response.content.decode()


@pytest.fixture
def deals_at(university, uni_user):
    """Conversations of the university whose deals are at contacted, negotiating and lost."""
    conversations = {}
    for stage in ("contacted", "negotiating", "closed_lost"):
        sender = factories.make_user(org=factories.make_org(kind="enterprise"))
        interest = express(factories.make_achievement(university), sender)
        conversation = services.interest_accept(interest=interest, user=uni_user)
        Deal.objects.filter(conversation=conversation).update(
            stage=stage, lost_reason="No" if stage == "closed_lost" else ""
        )
        conversations[stage] = conversation
    return conversations


@pytest.mark.parametrize("stage", ["contacted", "negotiating", "closed_lost"])
def test_conversations_by_stage(stage, deals_at, uni_user, client_for):
    response = client_for(uni_user).get(reverse("deals:conversation_list") + f"?stage={stage}")
    assert _listed(response) == [deals_at[stage].pk]
    assert response.context["query"] == f"stage={stage}"
    counts = {code: n for code, _label, n in response.context["stages"]}
    assert counts["contacted"] == counts["negotiating"] == counts["closed_lost"] == 1
    assert counts["evaluating"] == 0 and response.context["total"] == 3


def test_no_conversation_at_a_stage_says_so(deals_at, uni_user, client_for):
    response = client_for(uni_user).get(reverse("deals:conversation_list") + "?stage=evaluating")
    assert _listed(response) == []
    assert "No conversation has its deal at this stage." in response.content.decode()


def test_the_page_links_keep_the_filter(university, uni_user, client_for, settings):
    settings.DEALS_PAGE_SIZE = 1
    for _ in range(2):
        express(
            factories.make_achievement(university),
            factories.make_user(org=factories.make_org(kind="enterprise")),
        )
    url = reverse("deals:interest_received") + "?status=pending&page=1"
    html = client_for(uni_user).get(url).content.decode()
    assert 'href="?status=pending&amp;page=2"' in html


@pytest.mark.parametrize("box", ["received", "sent"])
@pytest.mark.parametrize("query", ["", "?status=pending", "?status=bogus&page=abc"])
def test_interest_list_queries_do_not_grow(box, query, university, enterprise, client_for):
    owner = factories.make_user(org=university)
    sender = factories.make_user(org=enterprise)

    def interests(n: int) -> None:
        for _ in range(n):
            express(factories.make_achievement(university), sender)

    client = client_for(owner if box == "received" else sender)
    url = reverse(f"deals:interest_{box}") + query
    lists = assert_constant_queries(interests, lambda: client.get(url), few=2, many=8)
    assert len(lists.many.context["page"].object_list) == 8
