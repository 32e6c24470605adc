"""Full-text search: Chinese segmentation, English stemming, weights, typos and field names."""

from __future__ import annotations

import pytest

from tests.factories import field
from tests.marketplace.search.support import KINDS, at_noon, make, search

pytestmark = pytest.mark.django_db

kinds = pytest.mark.parametrize("kind", KINDS)


@kinds
@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("集成电路", "集成电路设计方法学研究"),  # a query word at the start of a longer one
        ("光刻", "极紫外光刻胶的低缺陷配方"),  # a query word inside a longer one
        ("光刻胶", "极紫外光刻胶的低缺陷配方"),
    ],
)
def test_chinese_query_finds_the_word_inside_a_longer_one(web, university, kind, query, title):
    wanted = make(kind, university, title=title)
    make(kind, university, title="高性能电机控制器")

    assert search(web, kind, f"q={query}") == [wanted.pk]


@kinds
@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("batteries", "Solid-state battery cell"),
        ("battery", "Recycling lithium batteries"),
        ("coatings", "Anti-corrosion coating"),
    ],
)
def test_english_query_is_stemmed(web, university, kind, query, title):
    wanted = make(kind, university, title=title)
    make(kind, university, title="Motor controller")

    assert search(web, kind, f"q={query}") == [wanted.pk]


# Both listings contain the term; the weaker one is newer, so it would come first by date.
TERMS = {"zh": "储能", "en": "battery"}


def _pair(kind, org, lang, better, worse):
    term = TERMS[lang]
    texts = {
        "title": {"title": f"Module {term} pack"},
        "keywords": {"keywords": [term]},
        "summary": {"summary": f"A pack for {term} at grid scale."},
        "description": {"description": f"Tests of the {term} pack over a year."},
    }
    strong = make(kind, org, published_at=at_noon(-5), **texts[better])
    weak = make(kind, org, published_at=at_noon(-1), **texts[worse])
    return term, strong, weak


@kinds
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("better", "worse"),
    [("title", "description"), ("keywords", "summary"), ("title", "keywords")],
)
def test_better_match_ranks_first(web, university, kind, lang, better, worse):
    term, strong, weak = _pair(kind, university, lang, better, worse)

    assert search(web, kind, f"q={term}") == [strong.pk, weak.pk]
    # The same listings by date: the ranking, not the date, put the stronger one first.
    assert search(web, kind, f"q={term}&sort=newest") == [weak.pk, strong.pk]


@kinds
@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("bateries", "Solid-state batteries for drones"),
        ("lithograpy", "EUV lithography light source"),
    ],
)
def test_misspelt_query_finds_the_title(web, university, kind, query, title):
    wanted = make(kind, university, title=title)
    make(kind, university, title="Motor controller")

    assert search(web, kind, f"q={query}") == [wanted.pk]


@kinds
def test_misspelt_match_ranks_below_a_real_match(web, university, kind):
    # The typo-only match has the word in its title; the real match only in its description.
    typo_only = make(kind, university, title="Solid-state batteries", published_at=at_noon(-1))
    real = make(
        kind,
        university,
        title="Drone airframe",
        description="Carbon airframe; it carries bateries in its wings.",
        published_at=at_noon(-5),
    )

    assert search(web, kind, "q=bateries") == [real.pk, typo_only.pk]


@kinds
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Chip+design", "ic-design"),
        ("芯片设计", "ic-design"),
        ("Integrated+circuits", "ic"),
        ("Hydrogen+energy", "energy-hydrogen"),
    ],
)
def test_field_names_in_both_languages_are_searchable(web, university, kind, query, code):
    wanted = make(kind, university, title="一种新型方法", fields=[field(code)])
    make(kind, university, title="另一种方法")

    assert search(web, kind, f"q={query}") == [wanted.pk]


@kinds
def test_parent_field_name_finds_listing_in_a_sub_field(web, university, kind):
    wanted = make(kind, university, title="一种新型方法", fields=[field("ic-design")])

    assert search(web, kind, "q=Integrated+circuits") == [wanted.pk]
    assert search(web, kind, "q=集成电路") == [wanted.pk]


@kinds
def test_typo_threshold_is_the_configured_one(web, university, kind):
    wanted = make(kind, university, title="Graphene film")
    make(kind, university, title="Motor controller")

    assert search(web, kind, "q=graphine") == [wanted.pk]
