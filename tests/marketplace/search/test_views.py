"""The list pages: a fixed number of queries, htmx, shareable URLs, empty results, bad query
strings, and who sees what."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict

from tests.factories import field, make_org
from tests.marketplace.search.support import (
    KINDS,
    day,
    deadline_kw,
    form_state,
    get,
    make,
    search,
    total,
    url,
)
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

kinds = pytest.mark.parametrize("kind", KINDS)

# ---------------------------------------------------------------------------------------------
# Query count


@kinds
@pytest.mark.parametrize(
    ("person", "query"),
    [("visitor", ""), ("other_org", "q=储能&region=zhejiang&field=ic&mode=licence&trl_min=2")],
)
def test_query_count_does_not_grow_with_the_page_size(
    client_for, people, settings, kind, query, person
):
    client = client_for(people[person])
    orgs = [make_org(region=r) for r in ("zhejiang", "beijing", "shanghai")]
    settings.LISTINGS_PAGE_SIZE = 0  # grows with the rows: all of them on the page

    def add(n):
        for i in range(n):
            make(
                kind,
                orgs[i % 3],
                title=f"储能 电池 {i}",
                region="zhejiang",
                fields=[field("ic-design"), field("energy-battery")],
            )
        settings.LISTINGS_PAGE_SIZE += n

    pages = assert_constant_queries(
        add, lambda: get(client, kind, query), few=10, many=100, warm=False
    )

    assert len(pages.few.context["results"].page.object_list) == 10
    assert len(pages.many.context["results"].page.object_list) == 100


# ---------------------------------------------------------------------------------------------
# htmx and shareable URLs


@kinds
def test_htmx_request_gets_the_results_with_out_of_band_counts(web, university, kind):
    listing = make(kind, university, title="储能 样品", region="zhejiang")

    partial = get(web, kind, "region=zhejiang", HTTP_HX_REQUEST="true").content.decode()
    full = get(web, kind, "region=zhejiang").content.decode()

    assert "<html" not in partial
    assert 'id="search-form"' not in partial
    assert listing.title in partial
    assert re.search(r'id="fc-region-zhejiang"[^>]*hx-swap-oob="true"[^>]*>1</span>', partial)
    assert re.search(r'id="fc-region-beijing"[^>]*hx-swap-oob="true"[^>]*>0</span>', partial)
    assert re.search(r'id="fc-field-agriculture"[^>]*hx-swap-oob="true"[^>]*>1</span>', partial)
    assert "<html" in full
    assert 'id="search-form"' in full
    assert listing.title in full
    assert "hx-swap-oob" not in full


@kinds
def test_boosted_htmx_request_gets_the_full_page(web, university, kind):
    make(kind, university)

    html = get(web, kind, "", HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true").content.decode()

    assert "<html" in html


@kinds
def test_htmx_history_restore_gets_the_full_page(web, university, kind):
    make(kind, university)

    html = get(
        web,
        kind,
        "region=zhejiang",
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    ).content.decode()

    assert "<html" in html


@kinds
def test_responses_vary_on_the_htmx_header(web, university, kind):
    make(kind, university)

    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        vary = get(web, kind, "", **headers).headers.get("Vary", "")
        assert "hx-request" in vary.lower(), headers


@kinds
@pytest.mark.parametrize(
    "query",
    [
        "q=储能电池",
        "q=battery&sort=trl",
        "sort=deadline",
        "region=zhejiang&region=beijing&mode=licence&mode=equity",
        "field=ic&field=energy-battery&trl_min=3&trl_max=7",
        "org=Zhejiang+University&org_kind=university",
        f"price_min=1000&price_max=2000000&published_since={day(-30)}",
        f"deadline_after={day(1)}&deadline_before={day(200)}",
    ],
)
def test_the_form_reflects_the_query_string(web, university, kind, query):
    make(kind, university)

    state = form_state(get(web, kind, query).content.decode())

    expected = QueryDict(query)
    for key in expected:
        assert sorted(state.get(key, [])) == sorted(expected.getlist(key)), key


def test_ip_status_checkboxes_reflect_the_query_string(web, university):
    make("achievement", university)

    state = form_state(
        get(web, "achievement", "ip_status=know_how&ip_status=none").content.decode()
    )

    assert sorted(state["ip_status"]) == ["know_how", "none"]


# ---------------------------------------------------------------------------------------------
# Empty results


def _links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', html)]


@kinds
def test_empty_results_explain_and_offer_to_widen(web, university, kind):
    make(kind, university, region="zhejiang", modes=["licence"], title="储能 样品")

    response = get(web, kind, "q=储能&region=hainan&mode=licence")
    html = response.content.decode()
    links = _links(html)

    assert total(response) == 0
    assert 'data-testid="empty-results"' in html
    assert "Nothing matches all of these filters." in html
    # One link per filter, each removing it.
    assert "?q=%E5%82%A8%E8%83%BD&mode=licence" in links
    assert "?q=%E5%82%A8%E8%83%BD&region=hainan" in links
    assert "?region=hainan&mode=licence" in links
    # The search text alone, and everything.
    assert "?q=%E5%82%A8%E8%83%BD" in links
    assert "show everything" in html
    assert url(kind) in links
    # Following the link that removes the region finds the listing.
    assert total(get(web, kind, "q=储能&mode=licence")) == 1


@kinds
def test_empty_results_with_only_a_search_text(web, university, kind):
    make(kind, university)

    response = get(web, kind, "q=superconductor")
    html = response.content.decode()

    assert total(response) == 0
    assert 'data-testid="empty-results"' in html
    # Not the message of an empty marketplace: there are listings, none matches.
    assert "published yet" not in html and "open right now" not in html
    assert "show everything" in html
    assert url(kind) in _links(html)


@kinds
def test_empty_results_with_only_a_search_text_offer_no_same_page_link(web, university, kind):
    make(kind, university)

    html = get(web, kind, "q=superconductor").content.decode()

    assert "without the other filters" not in html


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("achievement", "No achievements have been published yet."),
        ("challenge", "No challenges are open right now."),
    ],
)
@pytest.mark.parametrize("query", ["", "sort=trl", "region=atlantis"])
def test_empty_marketplace_without_filters(web, university, kind, message, query):
    make(kind, university, status="draft")

    html = get(web, kind, query).content.decode()

    assert message in html
    assert "Nothing matches" not in html


# ---------------------------------------------------------------------------------------------
# Bad query strings

BAD_PARAMETERS = [
    "trl_min=abc",
    "trl_max=10",
    "trl_min=0",
    "price_max=lots",
    "price_min=-5",
    "price_min=NaN",
    "price_max=Infinity",
    "region=atlantis",
    "region=zhejiang&region=atlantis",
    "mode=barter",
    "field=nope",
    "sort=random",
    "ip_status=stolen",
    "org_kind=pirate",
    "deadline_after=tomorrow",
    "deadline_before=2024-02-30",
    "published_since=31/12/2024",
    "q=%00",
    "org=a%00b",
]

# Odd but understood: query → how many of the one listing it finds.
HARMLESS = [
    ("page=999999999999", 1),  # past the end: the last page
    ("page=-1", 1),
    ("page=0", 1),
    ("page=abc", 1),  # not a number: the first page
    ("page=1e3", 1),
    ("q=!!!", 1),  # nothing to search for: everything
    ("q=、，。", 1),
    ("q=(((", 1),
    ("q=a+%26+b+|+!c", 0),  # tsquery operators are plain text: the words a, b, c
    ("q=foo:*", 0),
    ("q=%27;+drop+table+listings_achievement;--", 0),
    ("q=%5C", 1),
    ("q=the", 0),  # a stop word only
    ("q=" + "x" * 200, 0),  # the longest query allowed
    ("q=" + "光" * 201, 0),  # longer: cut to the allowed length
    ("q=a&q=b&q=储能", 1),  # repeated: the last one counts
    ("q=储能&q=a", 0),
    ("region=zhejiang&region=zhejiang", 1),
    ("trl_min=3&trl_min=4", 1),
    ("sort=trl&sort=newest", 1),
    ("price_max=99999999999999999999999999", 1),
    ("price_min=1e30", 0),
    ("published_since=0001-01-01", 1),
    ("deadline_before=9999-12-31", 1),
    ("unknown=1", 1),
]


def _bad(kind):
    # Challenges have no IP status: for them it is an unknown parameter, ignored silently.
    return [q for q in BAD_PARAMETERS if not (kind == "challenge" and q.startswith("ip_status"))]


@pytest.mark.parametrize(
    ("kind", "query"), [(kind, query) for kind in KINDS for query in _bad(kind)]
)
def test_a_bad_parameter_is_ignored_with_a_message(web, university, kind, query):
    listing = make(kind, university, region="zhejiang")

    response = get(web, kind, query)

    assert 'role="alert"' in response.content.decode()
    assert "was ignored" in response.content.decode()
    # The rest of the search still works: the listing is found as if the parameter was absent.
    assert [item.pk for item in response.context["results"].page.object_list] == [listing.pk]


@kinds
def test_htmx_results_also_say_what_was_ignored(web, university, kind):
    make(kind, university)

    html = get(web, kind, "trl_min=abc&q=储能", HTTP_HX_REQUEST="true").content.decode()

    assert "<html" not in html
    assert "“trl_min” was ignored" in html


@kinds
@pytest.mark.parametrize(("query", "expected"), HARMLESS)
def test_odd_parameters_never_fail(web, university, kind, query, expected):
    price = {"price_negotiable": False, "asking_price": 2_000_000} if kind == "achievement" else {}
    make(kind, university, title="储能 battery", **price, **deadline_kw(kind, 30))

    response = get(web, kind, query)  # asserts a 200

    assert total(response) == expected
    assert "was ignored" not in response.content.decode()


@kinds
def test_a_page_past_the_end_shows_the_last_page(web, university, kind, settings):
    settings.LISTINGS_PAGE_SIZE = 2
    listings = [make(kind, university) for _ in range(3)]

    for page in ("999999999999", "3"):
        assert search(web, kind, f"page={page}") == [listings[0].pk]
    # Before the start, or not a number: the first page (marketplace/pagination.py).
    for page in ("-1", "abc"):
        assert search(web, kind, f"page={page}") == [listings[2].pk, listings[1].pk]


# ---------------------------------------------------------------------------------------------
# Who sees what

PEOPLE = ["visitor", "owner", "other_org", "unverified_org", "outsider", "moderator"]


@kinds
@pytest.mark.parametrize("person", PEOPLE)
def test_list_is_public_shows_teasers_and_never_drafts(
    client_for, people, university, kind, person
):
    client = client_for(people[person])
    secret = {"description": "SECRET-DESCRIPTION-TEXT"}
    if kind == "challenge":
        secret["confidential_details"] = "SECRET-CONFIDENTIAL-DETAILS"
    published = make(
        kind, university, title="Published listing", summary="PUBLIC-TEASER-TEXT", **secret
    )
    for status in ("draft", "pending", "rejected"):
        make(kind, university, status=status, title=f"HIDDEN-{status}-LISTING")

    response = get(client, kind, "")
    html = response.content.decode()

    assert [listing.pk for listing in response.context["results"].page.object_list] == [
        published.pk
    ]
    assert "Published listing" in html
    assert "PUBLIC-TEASER-TEXT" in html
    assert "SECRET" not in html
    assert "HIDDEN" not in html
    # Searching for a draft's title does not find it either.
    assert search(client, kind, "q=HIDDEN") == []
