"""Matches in admin: the list with each filter and the search, read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.matching.services import listing_match

from .helpers import achievement, challenge

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "",
        "score_range=80",
        "score_range=0",
        "proposed_by__exact=engine",
        "dismissed=any",
        "dismissed=none",
        "field=ic",
        "region=guangdong",
        "q=photoresist",
    ],
)
def test_match_list_filters_and_search(query, client_for, admin_user, university, enterprise):
    offer = achievement(university)
    challenge(enterprise)
    listing_match(kind="achievement", listing_id=offer.pk)
    response = client_for(admin_user).get(reverse("admin:matching_match_changelist") + "?" + query)
    assert response.status_code == 200
    assert "photoresist" in response.content.decode().lower() or query in (
        "score_range=0",
        "dismissed=any",
    )


def test_match_detail_is_read_only(client_for, admin_user, university, enterprise):
    offer = achievement(university)
    challenge(enterprise)
    listing_match(kind="achievement", listing_id=offer.pk)
    match = offer.matches.get()
    response = client_for(admin_user).get(reverse("admin:matching_match_change", args=[match.pk]))
    assert response.status_code == 200
    assert client_for(admin_user).get(reverse("admin:matching_match_add")).status_code == 403
