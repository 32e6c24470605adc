"""The public organisation page, its embeddable widget, and the Atom feeds of technical
fields and saved searches."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from marketplace.public.feeds import saved_search_feed_url
from marketplace.search.models import SavedSearch
from tests import factories

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_organisation_page_lists_only_its_published_listings(client, university, enterprise):
    mine = factories.make_achievement(university, title="Solid-state battery 固态电池")
    factories.make_achievement(university, title="Draft thing", status="draft")
    factories.make_achievement(enterprise, title="Someone else's")
    response = client.get(f"/organizations/{university.pk}/?lang=en")
    html = response.content.decode()
    assert response.status_code == 200
    assert mine.title in html
    assert "Draft thing" not in html and "Someone else" not in html
    assert '"@type": "Organization"' in html
    # The widget snippet is for the organisation's own members only.
    assert "widget-snippet" not in html


def test_organisation_page_switches_kind_and_shows_an_empty_state(client, university):
    factories.make_achievement(university)
    html = client.get(f"/organizations/{university.pk}/?kind=challenge&lang=en").content.decode()
    assert "no open challenges right now" in html
    # A nonsense kind falls back to what the organisation has; never a 500.
    assert client.get(f"/organizations/{university.pk}/?kind=<x>&page=zz").status_code == 200


def test_unverified_or_unknown_organisations_have_no_public_page(client, unverified_org):
    assert client.get(f"/organizations/{unverified_org.pk}/").status_code == 404
    assert client.get("/organizations/999999/").status_code == 404


def test_members_see_the_widget_snippet(client_for, university, uni_user):
    html = client_for(uni_user).get(f"/organizations/{university.pk}/").content.decode()
    assert "widget-snippet" in html
    assert f"/organizations/{university.pk}/widget/" in html


def test_listing_page_links_to_its_organisation(client, university):
    achievement = factories.make_achievement(university)
    html = client.get(achievement.get_absolute_url()).content.decode()
    assert f'href="/organizations/{university.pk}/"' in html


def test_widget_may_be_framed_and_uses_nothing_from_other_sites(client, university, settings):
    settings.SITE_URL = "https://keqiao.example.cn"
    for n in range(3):
        factories.make_achievement(university, title=f"Widget item {n}")
    response = client.get(f"/organizations/{university.pk}/widget/?limit=2&lang=en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert html.count('class="kqw-item"') == 2
    assert 'target="_blank"' in html
    assert "https://keqiao.example.cn/achievements/" in html
    # Only our own style sheet; no script at all, no other host.
    assert "<script" not in html
    hosts = set(re.findall(r'(?:src|href)="(https?://[^/"]+)', html))
    assert hosts <= {"https://keqiao.example.cn"}
    # Other pages may still not be framed.
    assert client.get("/")["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("limit", ["0", "-5", "abc", "100000"])
def test_widget_takes_any_limit_without_failing(client, university, limit):
    factories.make_achievement(university)
    response = client.get(f"/organizations/{university.pk}/widget/?limit={limit}&kind=zzz")
    assert response.status_code == 200
    assert response.content.decode().count('class="kqw-item"') == 1


def _entries(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    return [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]


def test_field_feed_has_new_listings_of_the_field_and_its_sub_fields(
    client, university, enterprise
):
    lithography = factories.field("ic-lithography")
    achievement = factories.make_achievement(university, title="EUV resist", fields=[lithography])
    challenge = factories.make_challenge(enterprise, title="Need 28 nm", fields=[lithography])
    factories.make_achievement(university, title="Draft", status="draft", fields=[lithography])
    titles = _entries(client.get("/feeds/fields/ic/?lang=en"))  # the parent field
    assert any(achievement.title in t for t in titles)
    assert any(challenge.title in t for t in titles)
    assert not any("Draft" in t for t in titles)
    assert client.get("/feeds/fields/no-such-field/").status_code == 404


def test_search_page_filtered_by_a_field_names_its_feed(client):
    html = client.get("/achievements/?field=ic-lithography").content.decode()
    assert 'type="application/atom+xml"' in html and "/feeds/fields/ic-lithography/" in html
    # A value that is not a code is not put into a link (and is no 500).
    assert client.get("/achievements/?field=%3Cscript%3E").status_code in (200, 400)


def test_saved_search_feed_follows_the_search_and_its_token(client, client_for, uni_user):
    beijing = factories.make_org(kind="enterprise", name="Battery maker", region="beijing")
    elsewhere = factories.make_org(kind="enterprise", name="Resist maker")
    factories.make_challenge(beijing, title="Battery thermal runaway")
    factories.make_challenge(elsewhere, title="Photoresist supply")
    saved = SavedSearch.objects.create(
        user=uni_user, name="Beijing", kind="challenge", query="region=beijing"
    )
    url = saved_search_feed_url(saved)
    titles = _entries(client.get(url))  # no log-in needed: the token is the key
    assert any("Battery thermal runaway" in t for t in titles)
    assert not any("Photoresist" in t for t in titles)
    page = client_for(uni_user).get("/saved-searches/").content.decode()
    assert url in page
    # A forged or stale token finds nothing.
    assert client.get(url[:-3] + "xyz/").status_code == 404
    saved.delete()
    assert client.get(url).status_code == 404


def test_own_organisation_page_links_to_the_public_page(client_for, university, uni_user):
    html = client_for(uni_user).get("/accounts/organization/").content.decode()
    assert f'href="/organizations/{university.pk}/" data-testid="public-page"' in html
