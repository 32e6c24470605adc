"""One test per filter parameter of the list pages: each keeps what matches and drops what does
not. Then: only published listings ever appear, and parameters combine with AND."""

from __future__ import annotations

import pytest

from tests.factories import field
from tests.marketplace.search.support import KINDS, at_noon, day, deadline_kw, make, search

pytestmark = pytest.mark.django_db

kinds = pytest.mark.parametrize("kind", KINDS)


@kinds
def test_q(web, university, kind):
    chip = make(
        kind,
        university,
        title="集成电路设计自动化平台",
        summary="An EDA platform.",
        description="Placement and routing.",
        keywords=["EDA"],
    )
    rice = make(kind, university)  # 水稻育种 rice breeding

    assert search(web, kind, "q=集成电路") == [chip.pk]
    assert search(web, kind, "q=rice") == [rice.pk]
    assert search(web, kind, "q=superconductor") == []


@kinds
def test_field(web, university, kind):
    litho = make(kind, university, fields=[field("ic-lithography")])
    design = make(kind, university, fields=[field("ic-design")])
    whole_ic = make(kind, university, fields=[field("ic")])
    battery = make(kind, university, fields=[field("energy-battery")])
    make(kind, university, fields=[field("agriculture-breeding")])

    # A parent includes the listings in its sub-fields (and those filed under it directly).
    assert set(search(web, kind, "field=ic")) == {litho.pk, design.pk, whole_ic.pk}
    # A sub-field does not include its siblings, nor listings filed under the parent only.
    assert search(web, kind, "field=ic-lithography") == [litho.pk]
    # Several values: either.
    assert set(search(web, kind, "field=ic-lithography&field=energy-battery")) == {
        litho.pk,
        battery.pk,
    }
    assert set(search(web, kind, "field=ic-design&field=energy")) == {design.pk, battery.pk}


@kinds
def test_trl_min(web, university, kind):
    low, mid, high = (make(kind, university, trl=t) for t in (3, 6, 9))

    assert set(search(web, kind, "trl_min=6")) == {mid.pk, high.pk}
    assert set(search(web, kind, "trl_min=1")) == {low.pk, mid.pk, high.pk}
    assert search(web, kind, "trl_min=9") == [high.pk]


@kinds
def test_trl_max(web, university, kind):
    low, mid, high = (make(kind, university, trl=t) for t in (3, 6, 9))

    assert set(search(web, kind, "trl_max=6")) == {low.pk, mid.pk}
    assert search(web, kind, "trl_max=3") == [low.pk]
    assert set(search(web, kind, "trl_max=9")) == {low.pk, mid.pk, high.pk}


def test_ip_status(web, university):
    granted = make("achievement", university, ip_status="invention_granted")
    utility = make("achievement", university, ip_status="utility_model")
    know_how = make("achievement", university, ip_status="know_how")

    assert search(web, "achievement", "ip_status=invention_granted") == [granted.pk]
    assert set(search(web, "achievement", "ip_status=utility_model&ip_status=know_how")) == {
        utility.pk,
        know_how.pk,
    }
    assert search(web, "achievement", "ip_status=software_copyright") == []


@kinds
def test_mode(web, university, kind):
    licence = make(kind, university, modes=["licence"])
    transfer_equity = make(kind, university, modes=["transfer", "equity"])
    joint = make(kind, university, modes=["joint_development"])

    assert search(web, kind, "mode=equity") == [transfer_equity.pk]
    assert search(web, kind, "mode=transfer") == [transfer_equity.pk]
    assert set(search(web, kind, "mode=licence&mode=joint_development")) == {
        licence.pk,
        joint.pk,
    }
    assert search(web, kind, "mode=technical_service") == []


@kinds
def test_region(web, university, kind):
    zhejiang = make(kind, university, region="zhejiang")
    beijing = make(kind, university, region="beijing")
    make(kind, university, region="guangdong")

    assert search(web, kind, "region=zhejiang") == [zhejiang.pk]
    assert set(search(web, kind, "region=zhejiang&region=beijing")) == {zhejiang.pk, beijing.pk}
    assert search(web, kind, "region=hainan") == []


@kinds
def test_org_kind(web, university, enterprise, kind):
    from_university = make(kind, university)
    from_enterprise = make(kind, enterprise)

    assert search(web, kind, "org_kind=university") == [from_university.pk]
    assert search(web, kind, "org_kind=enterprise") == [from_enterprise.pk]
    assert search(web, kind, "org_kind=transfer_centre") == []


@kinds
@pytest.mark.parametrize(
    ("org", "expected"),
    [
        ("浙江", "zju"),  # part of the name
        ("zhejiang university", "zju"),  # the English name, whatever the case
        ("ZHEJIANG", "zju"),
        ("Zhejaing University", "zju"),  # misspelt: trigram similarity
        ("shenxin", "shenxin"),
        ("深芯", "shenxin"),
        ("Tsinghua", None),
    ],
)
def test_org(web, university, enterprise, kind, org, expected):
    university.name_en = "Zhejiang University"
    university.save()
    enterprise.name_en = "Shenxin Microelectronics"
    enterprise.save()
    listings = {"zju": make(kind, university), "shenxin": make(kind, enterprise)}

    wanted = [listings[expected].pk] if expected else []
    assert search(web, kind, f"org={org}") == wanted


def test_price_min_achievements(web, university):
    cheap = make("achievement", university, price_negotiable=False, asking_price=100_000)
    middle = make("achievement", university, price_negotiable=False, asking_price=1_000_000)
    dear = make("achievement", university, price_negotiable=False, asking_price=5_000_000)
    make("achievement", university, price_negotiable=True, asking_price=None)

    assert set(search(web, "achievement", "price_min=1000000")) == {middle.pk, dear.pk}
    # Negotiable ones have no price to compare: left out even from "from 0".
    assert set(search(web, "achievement", "price_min=0")) == {cheap.pk, middle.pk, dear.pk}


def test_price_max_achievements(web, university):
    cheap = make("achievement", university, price_negotiable=False, asking_price=100_000)
    middle = make("achievement", university, price_negotiable=False, asking_price=1_000_000)
    make("achievement", university, price_negotiable=False, asking_price=5_000_000)
    make("achievement", university, price_negotiable=True, asking_price=None)

    assert set(search(web, "achievement", "price_max=1000000")) == {cheap.pk, middle.pk}
    assert search(web, "achievement", "price_max=99999") == []


def _budgets(enterprise):
    return {
        "small": make("challenge", enterprise, budget_min=100_000, budget_max=500_000),
        "middle": make("challenge", enterprise, budget_min=1_000_000, budget_max=5_000_000),
        "large": make("challenge", enterprise, budget_min=8_000_000, budget_max=10_000_000),
    }


def test_price_min_challenges(web, enterprise):
    """A budget range matches a price range when the two overlap."""
    b = _budgets(enterprise)

    assert set(search(web, "challenge", "price_min=2000000")) == {b["middle"].pk, b["large"].pk}
    assert search(web, "challenge", "price_min=5000001") == [b["large"].pk]
    assert search(web, "challenge", "price_min=10000001") == []


def test_price_max_challenges(web, enterprise):
    b = _budgets(enterprise)

    assert set(search(web, "challenge", "price_max=1000000")) == {b["small"].pk, b["middle"].pk}
    assert search(web, "challenge", "price_max=99999") == []


@pytest.mark.parametrize(
    ("budget", "query"),
    [
        ({"budget_min": None, "budget_max": 2_000_000}, "price_max=1000000"),
        ({"budget_min": 8_000_000, "budget_max": None}, "price_min=20000000"),
    ],
)
def test_open_ended_budget_overlaps_price_range(web, enterprise, budget, query):
    challenge = make("challenge", enterprise, **budget)

    assert search(web, "challenge", query) == [challenge.pk]


@kinds
def test_deadline_after(web, university, kind):
    make(kind, university, **deadline_kw(kind, 10))
    on_the_day = make(kind, university, **deadline_kw(kind, 40))
    later = make(kind, university, **deadline_kw(kind, 100))

    assert set(search(web, kind, f"deadline_after={day(40)}")) == {on_the_day.pk, later.pk}
    assert search(web, kind, f"deadline_after={day(41)}") == [later.pk]
    assert search(web, kind, f"deadline_after={day(101)}") == []


@kinds
def test_deadline_before(web, university, kind):
    soon = make(kind, university, **deadline_kw(kind, 10))
    on_the_day = make(kind, university, **deadline_kw(kind, 40))
    make(kind, university, **deadline_kw(kind, 100))

    assert set(search(web, kind, f"deadline_before={day(40)}")) == {soon.pk, on_the_day.pk}
    assert search(web, kind, f"deadline_before={day(39)}") == [soon.pk]
    assert search(web, kind, f"deadline_before={day(9)}") == []


@kinds
def test_published_since(web, university, kind):
    make(kind, university, published_at=at_noon(-30))
    ten_days = make(kind, university, published_at=at_noon(-10))
    today = make(kind, university, published_at=at_noon(0))

    assert search(web, kind, f"published_since={day(-10)}") == [today.pk, ten_days.pk]
    assert search(web, kind, f"published_since={day(0)}") == [today.pk]
    assert search(web, kind, f"published_since={day(1)}") == []


@kinds
@pytest.mark.parametrize(
    ("query", "order"),
    [
        ("", "BCA"),  # newest first by default
        ("sort=newest", "BCA"),
        ("sort=deadline", "ABC"),  # soonest first
        ("sort=trl", "CAB"),  # highest first
        ("sort=relevance", "BCA"),  # without q there is no relevance: newest
        ("q=battery", "ACB"),  # with q the default is relevance: title > keyword > description
        ("q=battery&sort=relevance", "ACB"),
        ("q=battery&sort=newest", "BCA"),
        ("q=battery&sort=trl", "CAB"),
    ],
)
def test_sort(web, university, kind, query, order):
    listings = {
        "A": make(
            kind,
            university,
            title="Battery separator film",
            published_at=at_noon(-3),
            trl=6,
            **deadline_kw(kind, 10),
        ),
        "B": make(
            kind,
            university,
            title="Membrane module",
            description="A membrane that also serves as a battery separator.",
            published_at=at_noon(-1),
            trl=3,
            **deadline_kw(kind, 50),
        ),
        "C": make(
            kind,
            university,
            title="Cathode coating",
            keywords=["battery", "cathode"],
            published_at=at_noon(-2),
            trl=9,
            **deadline_kw(kind, 100),
        ),
    }

    assert search(web, kind, query) == [listings[name].pk for name in order]


STATUSES = ("draft", "pending", "rejected", "archived", "expired")


@kinds
@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=光刻胶",
        "q=Zhejiang",
        "field=ic",
        "field=ic-lithography",
        "region=zhejiang",
        "trl_min=1&trl_max=9",
        "mode=licence",
        "org=浙江大学",
        "org_kind=university",
        "published_since=2000-01-01",
        f"deadline_after={day(0)}",
        "sort=deadline",
        "sort=trl",
    ],
)
def test_only_published_listings_ever_appear(web, university, kind, query):
    university.name_en = "Zhejiang University"
    university.save()
    text = {
        "title": "极紫外光刻胶 EUV photoresist",
        "keywords": ["光刻胶"],
        "fields": [field("ic-lithography")],
        "region": "zhejiang",
        "trl": 6,
        "modes": ["licence"],
        **deadline_kw(kind, 30),
    }
    published = make(kind, university, **text)
    for status in STATUSES:
        extra = {"published_at": at_noon(-1)} if status in ("draft", "pending") else {}
        make(kind, university, status=status, **{**text, **extra})

    assert search(web, kind, query) == [published.pk]


@kinds
def test_filters_combine_with_and(web, university, enterprise, kind):
    wanted = make(kind, university, region="zhejiang", modes=["licence"], trl=6)
    make(kind, university, region="zhejiang", modes=["equity"], trl=6)
    make(kind, university, region="guangdong", modes=["licence"], trl=6)
    make(kind, university, region="zhejiang", modes=["licence"], trl=2)
    make(kind, enterprise, region="zhejiang", modes=["licence"], trl=6)

    query = "region=zhejiang&mode=licence&trl_min=5&org_kind=university"
    assert search(web, kind, query) == [wanted.pk]
    # Within one parameter values still combine with OR.
    assert len(search(web, kind, query + "&mode=equity")) == 2


@kinds
def test_fractional_trl_min_does_not_lower_the_minimum(web, university, kind):
    five = make(kind, university, trl=5)
    make(kind, university, trl=6)

    assert five.pk not in search(web, kind, "trl_min=5.5")
