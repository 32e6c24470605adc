"""The brokers' pages: the permission matrix of each, the region page's filters and counts,
recommending (and each bad post), the deals a broker brokered, and query counts that do not
grow with the rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.deals.models import Conversation, Deal, Interest
from marketplace.listings.models import Achievement
from marketplace.matching.models import Match
from marketplace.matching.services import listing_match
from tests import factories
from tests.factories import field, make_achievement, make_challenge
from tests.support.queries import assert_constant_queries

from .conftest import make_broker

pytestmark = pytest.mark.django_db

REGION = reverse("brokers:region")
DEALS = reverse("brokers:deal_list")
NOTE = "I know both teams: worth a call."


def _recommend_url(listing) -> str:
    return reverse(f"brokers:{listing.kind}_recommend", args=[listing.pk])


@pytest.fixture
def region(university, enterprise):
    """Zhejiang's listings (the university's) and some elsewhere (the enterprise's)."""
    other_zj = factories.make_org(kind="enterprise", region="zhejiang", name="杭州企业")
    return {
        "resist": make_achievement(university, title="EUV photoresist"),
        "battery": make_achievement(
            university,
            title="Solid-state battery electrolyte",
            fields=[field("energy-battery")],
            expires_at=timezone.now() + timedelta(days=10),
        ),
        "draft": make_achievement(university, status="draft", title="Draft work"),
        "zj_challenge": make_challenge(other_zj, title="Lithography partner wanted"),
        "gd_challenge": make_challenge(enterprise, title="EUV resist partner wanted"),
        "gd_achievement": make_achievement(
            factories.make_org(region="guangdong"), title="Guangdong result"
        ),
    }


# --- Permission matrices -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("visitor", 302),
        ("university", 403),
        ("enterprise", 403),
        ("broker", 200),
        ("broker_elsewhere", 200),
        ("moderator", 403),
    ],
)
@pytest.mark.parametrize("url", [REGION, DEALS])
def test_broker_pages_permission_matrix(url, who, code, cast, client_for, region):
    response = client_for(cast[who]).get(url)
    assert response.status_code == code
    if who == "visitor":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("visitor", 302),
        ("university", 403),  # owns the listing, but is no broker
        ("enterprise", 403),
        ("broker", 200),
        ("broker_elsewhere", 403),  # the listing is not in their region
        ("moderator", 403),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_recommend_permission_matrix(method, who, code, cast, client_for, region):
    url = _recommend_url(region["resist"])
    data = {"counterpart": region["gd_challenge"].pk, "note": NOTE}
    client = client_for(cast[who])
    response = client.get(url) if method == "get" else client.post(url, data)
    expected = 302 if (method == "post" and who == "broker") else code
    assert response.status_code == expected
    assert Match.objects.exists() == (method == "post" and who == "broker")


def test_a_broker_of_an_unverified_centre_is_no_broker(client_for, region):
    user = make_broker("zhejiang", verified=False)
    client = client_for(user)
    assert client.get(REGION).status_code == 403
    assert client.get(_recommend_url(region["resist"])).status_code == 403


def test_recommending_from_a_draft_or_a_missing_listing_is_404(client_for, broker, region):
    client = client_for(broker)
    assert client.get(_recommend_url(region["draft"])).status_code == 404
    assert client.get(reverse("brokers:challenge_recommend", args=[99999])).status_code == 404


def test_the_navbar_links_show_to_brokers_only(client_for, broker, ent_user, region):
    assert b'data-testid="nav-broker-region"' in client_for(broker).get("/").content
    assert b'data-testid="nav-broker-deals"' in client_for(broker).get("/").content
    assert b"nav-broker-region" not in client_for(ent_user).get("/").content


# --- My region ---------------------------------------------------------------------------------


def _shown(response) -> set[str]:
    return {listing.title for listing in response.context["page"].object_list}


def test_the_region_page_lists_the_regions_published_listings_with_counts(
    client_for, broker, region
):
    response = client_for(broker).get(REGION + "?kind=achievement")
    assert _shown(response) == {"EUV photoresist", "Solid-state battery electrolyte"}
    assert response.context["found"].kind_counts == {"achievement": 2, "challenge": 1}
    assert response.context["found"].status_counts == {
        "": 2,
        "unmatched": 2,
        "matched": 0,
        "recommended": 0,
        "expiring": 1,
    }
    # Challenges by default.
    assert _shown(client_for(broker).get(REGION)) == {"Lithography partner wanted"}


def test_a_broker_of_another_region_sees_only_theirs(client_for, broker_elsewhere, region):
    response = client_for(broker_elsewhere).get(REGION)
    assert _shown(response) == set()
    assert b'data-testid="empty"' in response.content


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("kind=achievement&field=energy", {"Solid-state battery electrolyte"}),  # a field
        ("kind=achievement&field=ic-lithography", {"EUV photoresist"}),  # a sub-field
        ("kind=achievement&status=expiring", {"Solid-state battery electrolyte"}),
        ("kind=achievement&status=matched", {"EUV photoresist"}),
        ("kind=achievement&status=unmatched", {"Solid-state battery electrolyte"}),
        ("kind=achievement&status=recommended", set()),
        ("kind=achievement&q=battery", {"Solid-state battery electrolyte"}),
        ("kind=achievement&q=%23{resist}", {"EUV photoresist"}),  # by number
        ("kind=challenge&q=lithography", {"Lithography partner wanted"}),
    ],
)
def test_each_region_filter(query, titles, client_for, broker, region):
    listing_match(kind="achievement", listing_id=region["resist"].pk)
    response = client_for(broker).get(REGION + "?" + query.format(resist=region["resist"].pk))
    assert response.status_code == 200
    assert _shown(response) == titles
    assert response.context["page"].paginator.count == len(titles)


@pytest.mark.parametrize(
    "query",
    ["field=no-such-field", "status=everything", "kind=patent", "page=-3", "q=" + "x" * 300],
)
def test_bad_region_filters_are_reported_and_ignored(query, client_for, broker, region):
    response = client_for(broker).get(REGION + "?" + query)
    assert response.status_code == 200
    assert _shown(response) == {"Lithography partner wanted"}


def test_the_region_page_paginates_and_keeps_the_filters(settings, client_for, broker, university):
    settings.LISTINGS_PAGE_SIZE = 2
    for n in range(5):
        make_achievement(university, title=f"Result {n}")
    response = client_for(broker).get(REGION + "?kind=achievement&page=3")
    assert len(response.context["page"].object_list) == 1
    assert "kind=achievement&amp;page=2" in response.content.decode()


def test_the_region_pages_queries_do_not_grow_with_the_rows(client_for, broker, university):
    client = client_for(broker)

    def achievements(n: int) -> None:
        for _ in range(n):
            make_achievement(university, fields=[field("ic-lithography"), field("energy-battery")])

    pages = assert_constant_queries(
        achievements,
        lambda: client.get(REGION + "?kind=achievement"),
        few=1,
        many=7,
        warm=False,
    )
    assert pages.few.status_code == pages.many.status_code == 200
    assert len(pages.many.context["page"].object_list) == 7


# --- Recommending ------------------------------------------------------------------------------


def test_the_recommend_page_suggests_the_engines_matches_and_searches_any_region(
    client_for, broker, region
):
    listing_match(kind="achievement", listing_id=region["resist"].pk)
    client = client_for(broker)
    suggested = client.get(_recommend_url(region["resist"])).context["candidates"]
    assert {c.pk for c in suggested} == set(
        Match.objects.filter(achievement=region["resist"]).values_list("challenge", flat=True)
    )
    assert all(c.match_score is not None for c in suggested)

    found = client.get(_recommend_url(region["resist"]) + "?q=partner").context["candidates"]
    assert {c.title for c in found} == {"Lithography partner wanted", "EUV resist partner wanted"}
    by_number = client.get(
        _recommend_url(region["resist"]) + f"?q=%23{region['gd_challenge'].pk}"
    ).context["candidates"]
    assert [c.pk for c in by_number] == [region["gd_challenge"].pk]


def test_a_broker_recommends_and_both_organisations_see_it(
    client_for, broker, uni_user, ent_user, region
):
    offer, wanted = region["resist"], region["gd_challenge"]
    response = client_for(broker).post(
        _recommend_url(offer), {"counterpart": wanted.pk, "note": NOTE}, follow=True
    )
    assert response.redirect_chain[-1][0] == _recommend_url(offer)
    assert "both organisations have been told" in response.content.decode()
    match = Match.objects.get()
    assert (match.achievement, match.challenge, match.broker) == (offer, wanted, broker)
    for user, listing in ((uni_user, offer), (ent_user, wanted)):
        page = client_for(user).get(reverse(f"matching:{listing.kind}_matches", args=[listing.pk]))
        assert NOTE in page.content.decode()
    # The pair shows as recommended, and cannot be picked again.
    candidates = client_for(broker).get(_recommend_url(offer) + "?q=EUV").context["candidates"]
    assert [c.match_proposed_by for c in candidates if c.pk == wanted.pk] == ["broker"]


def test_a_broker_recommends_from_a_challenge_too(client_for, broker, region):
    wanted, offer = region["zj_challenge"], region["gd_achievement"]
    response = client_for(broker).post(
        _recommend_url(wanted), {"counterpart": offer.pk, "note": NOTE}
    )
    assert response.status_code == 302
    assert Match.objects.filter(achievement=offer, challenge=wanted, proposed_by="broker").exists()


def test_recommending_from_a_listing_of_another_region_is_403(client_for, broker, region):
    response = client_for(broker).post(
        _recommend_url(region["gd_challenge"]), {"counterpart": region["resist"].pk, "note": NOTE}
    )
    assert response.status_code == 403
    assert not Match.objects.exists()


@pytest.mark.parametrize(
    ("data", "field_with_error"),
    [
        ({"note": NOTE}, "counterpart"),
        ({"counterpart": "abc", "note": NOTE}, "counterpart"),
        ({"counterpart": "99999", "note": NOTE}, "counterpart"),
        ({"counterpart": "{draft}", "note": NOTE}, "counterpart"),  # not a challenge
        ({"counterpart": "{own}", "note": NOTE}, "counterpart"),  # the same organisation
        ({"counterpart": "{challenge}"}, "note"),
        ({"counterpart": "{challenge}", "note": "   "}, "note"),
        ({"counterpart": "{challenge}", "note": "x" * 2001}, "note"),
    ],
)
def test_bad_recommendations_are_form_errors_and_change_nothing(
    data, field_with_error, client_for, broker, university, region
):
    own = make_challenge(university, title="The university's own challenge")
    values = {"draft": region["draft"].pk, "own": own.pk, "challenge": region["gd_challenge"].pk}
    data = {k: v.format(**values) for k, v in data.items()}
    response = client_for(broker).post(_recommend_url(region["resist"]), data)
    assert response.status_code == 400  # bad input: the form again, with its errors
    assert field_with_error in response.context["form"].errors
    assert not Match.objects.exists()


def test_recommending_a_pair_twice_is_a_form_error(client_for, broker, region):
    url, data = _recommend_url(region["resist"]), {"counterpart": region["gd_challenge"].pk}
    client_for(broker).post(url, {**data, "note": NOTE})
    response = client_for(make_broker("zhejiang")).post(url, {**data, "note": "Me too"})
    assert response.status_code == 409  # the state refuses it: recommended already
    assert response.context["form"].non_field_errors()
    assert Match.objects.get().broker == broker


def test_a_lapsed_listing_cannot_be_recommended(client_for, broker, region):
    offer = region["resist"]
    Achievement.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(days=1))
    client = client_for(broker)
    assert b'data-testid="not-open"' in client.get(_recommend_url(offer)).content
    response = client.post(
        _recommend_url(offer), {"counterpart": region["gd_challenge"].pk, "note": NOTE}
    )
    assert response.status_code == 409 and response.context["form"].non_field_errors()
    assert not Match.objects.exists()


# --- Deals I brokered --------------------------------------------------------------------------


def _deal(listing, sender_org, *, broker=None, stage="contacted") -> Deal:
    interest = Interest.objects.create(
        achievement=listing,
        sender_organization=sender_org,
        purpose="licence",
        message="We would like a licence.",
        status="accepted",
    )
    conversation = Conversation.objects.create(
        interest=interest,
        owner_organization=listing.organization,
        other_organization=sender_org,
        last_message_at=timezone.now(),
    )
    return Deal.objects.create(conversation=conversation, stage=stage, brokered_by=broker)


def test_a_broker_sees_the_deals_they_brokered_only(
    client_for, broker, broker_elsewhere, enterprise, region
):
    mine = _deal(region["resist"], enterprise, broker=broker, stage="negotiating")
    _deal(region["battery"], enterprise, broker=broker_elsewhere)
    _deal(region["gd_achievement"], enterprise)

    response = client_for(broker).get(DEALS)

    assert list(response.context["page"].object_list) == [mine]
    content = response.content.decode()
    assert "EUV photoresist" in content and "Negotiating" in content
    assert enterprise.name in content and region["resist"].organization.name in content


def test_the_brokered_deals_page_has_an_empty_state(client_for, broker):
    response = client_for(broker).get(DEALS)
    assert b'data-testid="empty"' in response.content


def test_the_brokered_deals_pages_queries_do_not_grow_with_the_rows(client_for, broker, region):
    client = client_for(broker)

    def deals(n: int) -> None:
        for _ in range(n):
            _deal(region["battery"], factories.make_org(kind="enterprise"), broker=broker)

    pages = assert_constant_queries(deals, lambda: client.get(DEALS), few=1, many=6, warm=False)
    assert pages.few.status_code == pages.many.status_code == 200
    assert len(pages.many.context["page"].object_list) == 6


def test_the_listing_page_offers_brokers_of_its_region_to_recommend(
    client_for, broker, broker_elsewhere, uni_user, region
):
    page = region["resist"].get_absolute_url()
    assert b'data-testid="broker-panel"' in client_for(broker).get(page).content
    assert _recommend_url(region["resist"]).encode() in client_for(broker).get(page).content
    assert b"broker-panel" not in client_for(broker_elsewhere).get(page).content
    assert b"broker-panel" not in client_for(uni_user).get(page).content
