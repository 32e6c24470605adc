"""The hybrid search: words and meaning. Full-text hits and the listings nearest to the
query in meaning, fused by rank; filters and facet counts over both. The embeddings here are
chosen by hand (one direction of the space per topic), and so is the query's."""

from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse

from marketplace.listings.models import Achievement
from marketplace.text import embeddings
from tests.marketplace.search.support import found, get, make, total

pytestmark = pytest.mark.django_db

SOLAR = 0  # the direction of "solar cells" in this made-up space


def _direction(i: int, *, tilt: int | None = None) -> list[float]:
    v = np.zeros(embeddings.DIMENSIONS, dtype=np.float32)
    v[i] = 1.0
    if tilt is not None:
        v[tilt] = 0.3
    return (v / np.linalg.norm(v)).tolist()


def _random(seed: int) -> list[float]:
    """Some other topic: a random direction (orthogonal ones would make a degenerate graph
    for the HNSW index, whose search is approximate)."""
    v = np.random.default_rng(seed).standard_normal(embeddings.DIMENSIONS).astype(np.float32)
    return (v / np.linalg.norm(v)).tolist()


def _embed(listing, vector) -> None:
    type(listing).objects.filter(pk=listing.pk).update(embedding=vector)


@pytest.fixture
def solar_query(monkeypatch):
    """Whatever is typed, the query means "solar cells"."""
    monkeypatch.setattr(embeddings, "query", lambda text: np.array(_direction(SOLAR)))


@pytest.fixture
def corpus(university, enterprise):
    """A Chinese solar-cell achievement that shares no word with the queries, a listing that
    shares the words but not the meaning, and others about anything else."""
    solar = make(
        "achievement",
        university,
        title="钙钛矿叠层太阳电池",
        summary="效率超过30%的两端叠层器件",
        region="zhejiang",
    )
    _embed(solar, _direction(SOLAR))
    worded = make("achievement", enterprise, title="Tandem calendar scheduling software")
    _embed(worded, _random(40))
    others = [make("achievement", university, title=f"其他成果 {n}") for n in range(30)]
    for n, other in enumerate(others, start=1):
        _embed(other, _random(n + 1))
    return {"solar": solar, "worded": worded, "others": others}


def test_a_query_finds_by_meaning_what_shares_no_word(web, corpus, solar_query):
    response = get(web, "achievement", "q=scheduling")
    results = found(response)
    assert corpus["solar"].pk in results  # by meaning, in another language
    assert corpus["worded"].pk in results  # by its words
    assert not set(results) & {o.pk for o in corpus["others"]}  # neither
    assert total(response) == 2


def test_a_listing_found_by_both_ranks_first(web, university, corpus, solar_query):
    both = make("achievement", university, title="Solar module scheduling")
    _embed(both, _direction(SOLAR, tilt=5))
    assert found(get(web, "achievement", "q=scheduling"))[0] == both.pk


def test_facet_counts_and_filters_include_the_listings_found_by_meaning(web, corpus, solar_query):
    response = get(web, "achievement", "q=scheduling")
    regions = {o.value: o.count for o in response.context["results"].facets["region"]}
    assert regions["zhejiang"] == 1  # the solar cell, found by meaning alone
    narrowed = get(web, "achievement", "q=scheduling&region=zhejiang")
    assert found(narrowed) == [corpus["solar"].pk]


def test_nothing_near_in_meaning_adds_nothing(web, corpus, monkeypatch):
    # A query pointing nowhere in particular: no listing stands out from the rest.
    spread = np.ones(embeddings.DIMENSIONS, dtype=np.float32)
    monkeypatch.setattr(embeddings, "query", lambda text: spread / np.linalg.norm(spread))
    assert found(get(web, "achievement", "q=scheduling")) == [corpus["worded"].pk]


def test_without_vector_neighbours_the_search_is_full_text(web, corpus, solar_query, settings):
    settings.SEARCH_VECTOR_NEIGHBOURS = 0
    results = get(web, "achievement", "q=scheduling").context["results"].page.object_list
    assert [x.title for x in results] == [corpus["worded"].title]


def test_listings_without_an_embedding_are_still_found_by_their_words(web, university):
    fresh = make("achievement", university, title="Perovskite tandem cells", embedded=False)
    assert Achievement.objects.get(pk=fresh.pk).embedding is None
    assert found(get(web, "achievement", "q=perovskite")) == [fresh.pk]


def test_an_english_word_finds_a_chinese_listing_through_the_glossary(web, university):
    chinese = make("achievement", university, title="钙钛矿叠层太阳电池", summary="钙钛矿")
    # No embeddings at all: the full text alone, "perovskite" looked for as 钙钛矿 too.
    assert found(get(web, "achievement", "q=perovskite")) == [chinese.pk]
    assert found(get(web, "achievement", "q=钙钛矿")) == [chinese.pk]


def test_a_second_language_title_is_searched_and_shown_to_its_readers(client_for, university):
    listing = make(
        "achievement",
        university,
        title="钙钛矿叠层太阳电池",
        alt_title="Perovskite tandem solar cells",
        alt_summary="Tandem cells above 30% efficiency.",
    )
    english = client_for(None)
    assert found(get(english, "achievement", "q=solar+cells")) == [listing.pk]
    page = english.get(reverse("listings:achievement_detail", args=[listing.pk]))
    assert "Perovskite tandem solar cells" in page.content.decode()
    chinese = client_for(None)
    page = chinese.get(
        reverse("listings:achievement_detail", args=[listing.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "<h1" in page.content.decode() and "钙钛矿叠层太阳电池" in page.content.decode()


def test_pages_past_the_fused_head_continue_in_order(
    web, university, corpus, solar_query, monkeypatch, settings
):
    from marketplace.search import filters

    monkeypatch.setattr(filters, "FUSED_HEAD", 2)
    settings.LISTINGS_PAGE_SIZE = 2
    for n in range(5):
        make("achievement", university, title=f"Scheduling tool {n}")
    pages = [found(get(web, "achievement", f"q=scheduling&page={p}")) for p in (1, 2, 3, 4)]
    seen = [pk for page in pages for pk in page]
    assert len(seen) == len(set(seen)) == 7  # five tools, the worded one, the solar cell
    assert corpus["solar"].pk in pages[0]  # the nearest in meaning, fused into the head
