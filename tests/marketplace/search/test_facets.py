"""The one-pass facet count: the SQL statement counts as its rule says, checked against the
rule applied by hand, listing by listing."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from marketplace.listings.facets import FACET_SHIFT, facet_key, facet_number
from marketplace.listings.models import Achievement
from marketplace.search.facets import RESULT, _counted, facet_counts
from tests.factories import field, make_achievement, make_org

pytestmark = pytest.mark.django_db

FIELDS = ["ic-lithography", "ic-design", "energy-battery", "energy", "agriculture-breeding"]
REGIONS = ["guangdong", "zhejiang", "beijing"]
MODES = ["licence", "transfer", "equity"]
IP = ["invention_granted", "utility_model", "know_how"]


def _options(rng: random.Random) -> dict[str, list]:
    return {
        "field": rng.sample(FIELDS, rng.randint(1, 2)),
        "region": [rng.choice(REGIONS)],
        "trl": [rng.randint(3, 8)],
        "ip_status": [rng.choice(IP)],
        "mode": rng.sample(MODES, rng.randint(1, 2)),
    }


def counted_by_hand(rows: list[list[int] | None], tests: list[tuple[int, list[int]]]) -> Counter:
    """The rule of ``marketplace.search.facets``: a listing failing no facet filter is a
    result and counts under all its keys; one failing exactly one facet's filter counts under
    that facet's keys only; one failing two or more counts nowhere."""
    accepted = [(number, set(keys)) for number, keys in tests]
    counts: Counter = Counter()
    for keys in rows:
        keys = keys or []
        failed = [number for number, ok in accepted if ok.isdisjoint(keys)]
        if not failed:
            counts[RESULT] += 1
            counts.update(keys)
        elif len(failed) == 1:
            counts.update(k for k in keys if k >> FACET_SHIFT == failed[0])
    return counts


def test_sql_counts_as_the_rule_says_for_any_selection():
    rng = random.Random(7)
    org = make_org()
    for _ in range(30):
        o = _options(rng)
        make_achievement(
            org,
            fields=[field(c) for c in o["field"]],
            region=o["region"][0],
            trl=o["trl"][0],
            ip_status=o["ip_status"][0],
            transaction_modes=o["mode"],
        )
    make_achievement(org, status="draft")
    base = Achievement.objects.filter(status="published")
    rows = list(base.values_list("facet_keys", flat=True))

    for _ in range(40):
        wanted = _options(rng)
        facets = rng.sample(sorted(wanted), rng.randint(0, 4))
        selection = {f: [facet_key(f, v) for v in wanted[f]] for f in facets}
        tests = [(facet_number(f), k) for f, k in selection.items()]

        in_sql = _counted(base, tests)
        in_python = counted_by_hand(rows, tests)

        assert +in_sql == +in_python, selection
        # The results are the listings passing every facet filter.
        results = base
        for keys in selection.values():
            results = results.filter(facet_keys__overlap=keys)
        assert in_sql[RESULT] == results.count()
        # Stored counts (nothing but facets filtered) give the same figures.
        if len(selection) <= 1:
            assert +facet_counts(base, selection, only_facets=True) == +in_sql
