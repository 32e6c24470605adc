"""Facet keys of listings, and the facet counts that database triggers keep exact."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.choices import Region
from marketplace.listings import services
from marketplace.listings.choices import TRL, CooperationMode, IPStatus
from marketplace.listings.facets import FACET_SHIFT, FACETS, facet_key
from marketplace.listings.indexing import facet_counts_rebuild, listings_reindex
from marketplace.listings.models import Achievement, Challenge, FacetCount, TechnicalField
from tests.factories import field, make_achievement, make_challenge, make_org

pytestmark = pytest.mark.django_db


def test_every_known_option_has_its_own_key_and_the_key_tells_its_facet():
    values = {
        "field": TechnicalField.objects.values_list("code", flat=True),
        "region": Region.values,
        "trl": TRL.values,
        "ip_status": IPStatus.values,
        "mode": CooperationMode.values,
    }
    keys = [(facet_key(facet, v), facet) for facet, vs in values.items() for v in vs]

    assert len({k for k, _ in keys}) == len(keys)
    assert all(FACETS[(k >> FACET_SHIFT) - 1] == facet for k, facet in keys)
    assert all(0 < k < 2**31 for k, _ in keys)  # fits PostgreSQL's integer


def test_a_listing_holds_the_keys_of_its_fields_with_their_parents_and_its_other_options(
    university,
):
    listing = make_achievement(
        university,
        fields=[field("ic-lithography"), field("energy")],
        region="zhejiang",
        trl=7,
        ip_status="utility_model",
        transaction_modes=["licence", "equity"],
    )

    assert sorted(listing.facet_keys) == sorted(
        [
            facet_key("field", "ic-lithography"),
            facet_key("field", "ic"),
            facet_key("field", "energy"),
            facet_key("region", "zhejiang"),
            facet_key("trl", 7),
            facet_key("ip_status", "utility_model"),
            facet_key("mode", "licence"),
            facet_key("mode", "equity"),
        ]
    )


def test_a_challenge_without_a_minimum_trl_has_no_trl_key(university):
    listing = make_challenge(university, min_trl=None, cooperation_modes=["transfer"])

    assert not [k for k in listing.facet_keys if k >> FACET_SHIFT == FACETS.index("trl") + 1]
    assert facet_key("mode", "transfer") in listing.facet_keys


def _stored(kind: str) -> Counter:
    rows = FacetCount.objects.filter(kind=kind).exclude(total=0).values_list("key", "total")
    return Counter(dict(rows))


def _recount(model) -> Counter:
    counts: Counter = Counter()
    for keys in model.objects.filter(status="published").values_list("facet_keys", flat=True):
        counts.update([0, *(keys or [])])
    return counts


def test_stored_counts_follow_every_kind_of_write(university, enterprise, uni_user, moderator):
    other = make_org(region="beijing")
    kept = [make_achievement(university, region="zhejiang") for _ in range(3)]
    make_achievement(university, status="draft")
    make_challenge(enterprise)
    doomed = make_achievement(other, transaction_modes=["equity"])
    assert _stored("achievement") == _recount(Achievement)
    assert _stored("achievement")[0] == 4

    # An owner's edit sends a listing back to review; published again, it counts under its
    # new options.
    services.listing_update(
        listing=kept[0],
        user=uni_user,
        data={"region": "shanghai", "fields": [field("energy-battery")]},
    )
    assert _stored("achievement")[0] == 3
    services.listing_publish(listing=kept[0], moderator=moderator)
    # A status change, a bulk update (the expiry sweep), a cascading delete.
    services.listing_archive(listing=kept[1], user=uni_user)
    Achievement.objects.filter(pk=kept[2].pk).update(expires_at=timezone.now() - timedelta(1))
    assert services.listings_expire_due() == 1
    other.delete()
    pending = make_achievement(university, status="pending")
    services.listing_publish(listing=pending, moderator=moderator)

    assert not Achievement.objects.filter(pk=doomed.pk).exists()
    assert _stored("achievement") == _recount(Achievement)
    assert _stored("achievement")[facet_key("region", "shanghai")] == 1
    assert _stored("achievement")[facet_key("mode", "equity")] == 0
    assert _stored("challenge") == _recount(Challenge)


def test_rebuild_recounts_from_the_listings(university):
    make_achievement(university)
    FacetCount.objects.all().delete()
    listings_reindex(Achievement)

    facet_counts_rebuild()

    assert _stored("achievement") == _recount(Achievement)
    assert _stored("achievement")[0] == 1


@pytest.mark.django_db
def test_what_searches_read_of_every_hit_stays_in_the_row(university):
    # The embeddings go out of line (a small toast_tuple_target); the title, the facet keys
    # and the search vector must not follow them, or each hit costs TOAST fetches.
    listing = make_achievement(university, title="锂电池热失控预警", description="x" * 5000)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_toast_chunk_id(title), pg_column_toast_chunk_id(facet_keys), "
            "pg_column_toast_chunk_id(search_vector), pg_column_toast_chunk_id(embedding) "
            "FROM listings_achievement WHERE id = %s",
            [listing.pk],
        )
        title, keys, vector, embedding = cursor.fetchone()
    assert (title, keys, vector) == (None, None, None)
    assert embedding is not None
