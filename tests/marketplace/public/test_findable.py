"""Findable and shareable pages: meta description, canonical and hreflang links, Open Graph
and JSON-LD of listings, sitemaps, robots.txt, favicon and manifest, the ``?lang=`` address
of each language."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pytest
from django.test import override_settings

from tests import factories

SITE = "https://keqiao.example.cn"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_site")]
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def _site(settings):
    settings.SITE_URL = SITE


def _json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(b) for b in blocks]


def _meta(html: str, attr: str, name: str) -> str | None:
    m = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', html)
    return m and m.group(1)


def test_every_page_has_a_description_and_canonical_and_language_alternates(client):
    html = client.get("/achievements/?q=battery&lang=en").content.decode()
    assert _meta(html, "name", "description")
    assert f'<link rel="canonical" href="{SITE}/achievements/?q=battery&amp;lang=en">' in html
    assert f'hreflang="zh-Hans" href="{SITE}/achievements/?q=battery&amp;lang=zh-hans"' in html
    assert f'hreflang="x-default" href="{SITE}/achievements/?q=battery"' in html
    assert '<link rel="icon" href="/favicon.ico"' in html


def test_lang_in_the_address_chooses_the_language_without_remembering_it(client):
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.content.decode()
    assert english["Content-Language"] == "en"
    chinese = client.get("/?lang=zh-hans", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="zh-hans">' in chinese.content.decode()
    # Nothing stored: the next page is in the visitor's own language again.
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # An unknown value changes nothing and breaks nothing.
    assert client.get("/?lang=xx", HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_achievement_page_carries_preview_tags_and_an_offer(client, university):
    achievement = factories.make_achievement(
        university, price_negotiable=False, asking_price=880000, transaction_modes=["licence"]
    )
    html = client.get(f"/achievements/{achievement.pk}/?lang=en").content.decode()
    assert _meta(html, "property", "og:title") == achievement.title
    assert _meta(html, "property", "og:url") == f"{SITE}/achievements/{achievement.pk}/?lang=en"
    assert _meta(html, "property", "og:image").startswith(SITE + "/static/img/icon-512")
    assert _meta(html, "name", "twitter:card") == "summary"
    assert _meta(html, "name", "description") == achievement.summary
    (data,) = _json_ld(html)
    page, org = data["@graph"]
    offer = page["mainEntity"]
    assert offer["@type"] == "Offer"
    assert offer["businessFunction"] == ["http://purl.org/goodrelations/v1#LeaseOut"]
    assert offer["price"] == "880000.00" and offer["priceCurrency"] == "CNY"
    assert offer["itemOffered"]["name"] == achievement.title
    assert offer["offeredBy"] == {"@id": org["@id"]}
    assert org["@type"] == "Organization" and org["name"] == university.name
    # Only the teaser rung: never the full description.
    assert achievement.description not in json.dumps(data, ensure_ascii=False)


def test_challenge_page_is_a_demand_without_confidential_details(client, enterprise):
    challenge = factories.make_challenge(enterprise)
    html = client.get(f"/challenges/{challenge.pk}/").content.decode()
    (data,) = _json_ld(html)
    demand = data["@graph"][0]["mainEntity"]
    assert demand["@type"] == "Demand"
    assert demand["availabilityEnds"] == challenge.deadline.isoformat()
    assert demand["priceSpecification"]["maxPrice"] == "5000000.00"
    text = json.dumps(data, ensure_ascii=False)
    assert challenge.confidential_details not in text
    assert challenge.description not in text


def test_json_ld_cannot_be_closed_by_a_title(client, university):
    achievement = factories.make_achievement(university, title="A </script><script>alert(1)")
    html = client.get(f"/achievements/{achievement.pk}/").content.decode()
    assert "</script><script>alert(1)" not in html
    assert _json_ld(html)[0]["@graph"][0]["name"] == "A </script><script>alert(1)"


def test_unpublished_listings_have_no_preview_data(client_for, university, uni_user):
    draft = factories.make_achievement(university, status="draft")
    html = client_for(uni_user).get(f"/achievements/{draft.pk}/").content.decode()
    assert not _json_ld(html)
    assert _meta(html, "property", "og:title") is None


def _sitemap(client, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    return ElementTree.fromstring(response.content)


def test_sitemap_lists_published_listings_and_organisations_in_both_languages(
    client, university, unverified_org
):
    published = factories.make_achievement(university)
    draft = factories.make_achievement(university, status="draft")
    factories.make_achievement(unverified_org, status="pending")
    index = _sitemap(client, "/sitemap.xml")
    sections = [loc.text for loc in index.iter(f"{SM}loc")]
    assert f"{SITE}/sitemap-achievements.xml" in sections
    assert f"{SITE}/sitemap-organizations.xml" in sections

    urls = _sitemap(client, "/sitemap-achievements.xml").findall(f"{SM}url")
    locations = [u.find(f"{SM}loc").text for u in urls]
    base = f"{SITE}/achievements/{published.pk}/"
    assert locations == [f"{base}?lang=zh-hans", f"{base}?lang=en"]
    assert f"/achievements/{draft.pk}/" not in " ".join(locations)
    alternates = {
        link.get("hreflang"): link.get("href") for link in urls[0].findall(f"{XHTML}link")
    }
    assert alternates == {
        "zh-Hans": f"{base}?lang=zh-hans",
        "en": f"{base}?lang=en",
        "x-default": base,
    }
    assert urls[0].find(f"{SM}lastmod").text

    orgs = [u.find(f"{SM}loc").text for u in _sitemap(client, "/sitemap-organizations.xml")]
    assert orgs == [
        f"{SITE}/organizations/{university.pk}/?lang=zh-hans",
        f"{SITE}/organizations/{university.pk}/?lang=en",
    ]


def test_sitemap_pages_read_only_their_rows(client, university, django_assert_max_num_queries):
    for _ in range(5):
        factories.make_achievement(university)
    from marketplace.public.sitemaps import ListingSitemap

    with override_settings():
        sitemap = ListingSitemap("achievement")
        sitemap.limit = 4  # two listings, both languages, per page
        with django_assert_max_num_queries(2):
            urls = sitemap.get_urls(page=2)
    assert len(urls) == 4
    assert len({u["location"].split("?")[0] for u in urls}) == 2


def test_sitemap_of_a_page_that_does_not_exist_is_404(client):
    assert client.get("/sitemap-achievements.xml?p=99").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_off_private_rooms(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /accounts/" in text


def test_favicon_and_manifest_are_served(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"
    manifest = client.get("/site.webmanifest", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert manifest["short_name"] == "科桥"
    assert {i["sizes"] for i in manifest["icons"]} >= {"192x192", "512x512"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The sitemap pages are cached for an hour; each test starts with none.
    from django.core.cache import cache

    cache.clear()
