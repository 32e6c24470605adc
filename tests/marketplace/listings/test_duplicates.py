"""Near-duplicate listings flagged to moderators at submission, and the desk's freshness
filter (stale published listings, possible duplicates)."""

from __future__ import annotations

import pytest

from marketplace.listings import services

from .support import _make, _pks, _url

pytestmark = pytest.mark.django_db

TITLE = "钙钛矿太阳电池 Perovskite solar cells with 25% efficiency"
SUMMARY = "A stable perovskite cell made by a low-temperature process, licensed per line."


def _submitted(kind, org, user, **kw):
    listing = _make(kind, org, status="draft", user=user, **kw)
    services.listing_submit(listing=listing, user=user)
    listing.refresh_from_db()
    return listing


def test_nearly_the_same_text_of_the_same_organisation_is_flagged(kind, university, uni_user):
    first = _make(kind, university, title=TITLE, summary=SUMMARY)
    second = _submitted(
        kind, university, uni_user, title=TITLE + ".", summary=SUMMARY.replace("line", "lines")
    )
    assert [row["id"] for row in second.near_duplicates] == [first.pk]
    assert second.near_duplicates[0]["similarity"] > 0.6
    assert second.near_duplicates[0]["status"] == "published"


def test_another_organisations_copy_is_not_flagged(kind, university, enterprise, uni_user):
    _make(kind, enterprise, title=TITLE, summary=SUMMARY)
    listing = _submitted(kind, university, uni_user, title=TITLE, summary=SUMMARY)
    assert listing.near_duplicates == []


def test_a_different_text_and_drafts_are_not_flagged(kind, university, uni_user):
    _make(kind, university, title="Graphene membranes for desalination", summary="Filters.")
    _make(kind, university, status="draft", title=TITLE, summary=SUMMARY)
    listing = _submitted(kind, university, uni_user, title=TITLE, summary=SUMMARY)
    assert listing.near_duplicates == []


def test_the_threshold_is_a_setting(kind, settings, university, uni_user):
    settings.DUPLICATE_SIMILARITY = 0.99
    _make(kind, university, title=TITLE, summary=SUMMARY)
    listing = _submitted(kind, university, uni_user, title=TITLE + " v2", summary=SUMMARY)
    assert listing.near_duplicates == []


def test_the_desk_shows_the_duplicates_on_the_entry(kind, desk, client_for, university, uni_user):
    first = _make(kind, university, title=TITLE, summary=SUMMARY)
    second = _submitted(kind, university, uni_user, title=TITLE, summary=SUMMARY)
    html = client_for(desk).get(_url(kind, "change", second.pk)).content.decode()
    assert _url(kind, "change", first.pk) in html
    assert "Possible duplicates" in html or "possible duplicates" in html.lower()


def test_the_desk_filters_possible_duplicates(kind, desk, client_for, university, uni_user):
    _make(kind, university, title=TITLE, summary=SUMMARY)
    flagged = _submitted(kind, university, uni_user, title=TITLE, summary=SUMMARY)
    _submitted(kind, university, uni_user, title="Something else entirely", summary="Other.")
    response = client_for(desk).get(_url(kind, "changelist"), {"fresh": "duplicate"})
    assert _pks(response) == [flagged.pk]


def test_the_desk_filters_stale_published_listings(kind, desk, settings, client_for, university):
    settings.FRESHNESS_STALE_BELOW = 40
    stale = _make(kind, university, freshness=20)
    _make(kind, university, freshness=80)
    _make(kind, university, status="expired", freshness=10)
    _make(kind, university)  # not scored yet
    response = client_for(desk).get(_url(kind, "changelist"), {"fresh": "stale"})
    assert _pks(response) == [stale.pk]
    assert response.status_code == 200


def test_owners_cannot_open_the_desk(kind, client_for, university, uni_user):
    response = client_for(uni_user).get(_url(kind, "changelist"), {"fresh": "stale"})
    assert response.status_code == 302


def test_a_bad_filter_value_is_ignored_not_an_error(kind, desk, client_for, university):
    _make(kind, university)
    response = client_for(desk).get(_url(kind, "changelist"), {"fresh": "nonsense"})
    assert response.status_code == 200


def test_an_edit_back_to_review_checks_again(kind, university, uni_user):
    first = _make(kind, university, title=TITLE, summary=SUMMARY)
    listing = _make(kind, university, title="Graphene membranes", summary="For desalination.")
    services.listing_update(
        listing=listing, user=uni_user, data={"title": TITLE, "summary": SUMMARY}
    )
    listing.refresh_from_db()
    assert listing.status == "pending"
    assert [row["id"] for row in listing.near_duplicates] == [first.pk]
