"""The list pages' facet counts: each count is the number of results its option gives when
selected, and a facet's counts ignore its own selection."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict

from tests.factories import field
from tests.marketplace.search.support import KINDS, get, make, total

pytestmark = pytest.mark.django_db

kinds = pytest.mark.parametrize("kind", KINDS)

# ---------------------------------------------------------------------------------------------
# Facet counts


def _catalogue(kind, university, enterprise):
    """Published listings spread over the facets, and unpublished twins that must never count."""
    specs = [
        (university, "光刻胶", "zhejiang", ["licence"], 3, ["ic-lithography"], "invention_granted"),
        (
            university,
            "储能",
            "zhejiang",
            ["licence", "transfer"],
            6,
            ["ic-design", "ic-lithography"],
            "utility_model",
        ),
        (
            enterprise,
            "储能",
            "guangdong",
            ["equity"],
            6,
            ["ic-design", "energy-battery"],
            "invention_granted",
        ),
        (enterprise, "光刻胶", "guangdong", ["transfer"], 9, ["ic"], "know_how"),
        (
            university,
            "储能",
            "beijing",
            ["joint_development", "licence"],
            4,
            ["energy-battery"],
            "none",
        ),
        (
            enterprise,
            "氢能",
            "zhejiang",
            ["technical_service"],
            7,
            ["energy-hydrogen", "energy-pv"],
            "utility_model",
        ),
        (
            university,
            "储能",
            "zhejiang",
            ["licence"],
            5,
            ["energy-battery", "ic-power"],
            "know_how",
        ),
    ]
    listings = []
    for org, word, region, modes, trl, codes, ip_status in specs:
        data = {
            "title": f"{word} 样品",
            "region": region,
            "modes": modes,
            "trl": trl,
            "fields": [field(c) for c in codes],
        }
        if kind == "achievement":
            data["ip_status"] = ip_status
        listings.append(make(kind, org, **data))
        for status in ("draft", "pending", "archived"):
            make(kind, org, status=status, **data)
    return listings


OWN_PARAMS = {"trl": ("trl_min", "trl_max")}


def _select(facet: str, value: str) -> dict[str, str]:
    if facet == "trl":
        return {"trl_min": value, "trl_max": value}
    return {facet: value}


def _options(results, facet):
    for option in results.facets[facet]:
        yield option
        yield from option.children


def _query(data: QueryDict, **extra) -> str:
    data = data.copy()
    for key, value in extra.items():
        data.appendlist(key, value)
    return data.urlencode()


@kinds
@pytest.mark.parametrize(
    "base",
    [
        # Nothing but facets filtered: counts read from FacetCount (all, or the own facet's).
        "",
        "region=zhejiang",
        "trl_min=4",
        "q=储能&mode=licence",
        # Every facet has a selection of its own, which its counts must ignore.
        "region=guangdong&ip_status=invention_granted&field=energy-battery&mode=equity"
        "&trl_min=4&trl_max=8",
    ],
)
def test_each_facet_count_is_the_number_of_results_when_selected(
    web, university, enterprise, kind, base
):
    """Checks every option with a count, and one without, of each facet, by requesting the
    URL with that option selected instead of the facet's own selection, if any."""
    _catalogue(kind, university, enterprise)
    results = get(web, kind, base).context["results"]
    facets = ["field", "region", "trl", "mode"] + (["ip_status"] if kind == "achievement" else [])
    assert sorted(results.facets) == sorted(facets)

    for facet in facets:
        others = QueryDict(base, mutable=True)
        for key in OWN_PARAMS.get(facet, (facet,)):
            others.pop(key, None)
        options = list(_options(results, facet))
        with_count = [o for o in options if o.count]
        assert with_count, facet  # the catalogue and bases leave no facet trivial
        for option in with_count + [o for o in options if not o.count][:1]:
            query = _query(others, **_select(facet, option.value))
            # The htmx partial: the same search, rendered faster.
            response = get(web, kind, query, HTTP_HX_REQUEST="true")
            assert total(response) == option.count, (facet, option.value, query)


@kinds
def test_counts_of_a_facet_ignore_its_own_selection(web, university, enterprise, kind):
    _catalogue(kind, university, enterprise)

    response = get(web, kind, "region=guangdong")
    region = {o.value: o for o in response.context["results"].facets["region"]}

    assert total(response) == 2
    assert region["guangdong"].selected and not region["zhejiang"].selected
    assert region["zhejiang"].count == total(get(web, kind, "region=zhejiang")) == 4
    assert region["beijing"].count == 1
    # Other facets do follow the selection: only the Guangdong listings are counted there.
    modes = {o.value: o.count for o in response.context["results"].facets["mode"]}
    assert modes == {
        "transfer": 1,
        "licence": 0,
        "equity": 1,
        "joint_development": 0,
        "technical_service": 0,
    }
    # And the page shows them.
    html = response.content.decode()
    assert re.search(r'id="fc-region-zhejiang"[^>]*>4</span>', html)
    assert re.search(r'id="fc-mode-licence"[^>]*>0</span>', html)
    assert re.search(r'id="f-region-guangdong" checked', html)
