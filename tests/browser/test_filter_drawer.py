"""On a phone (390 px), the search filters are a drawer: the results come first, a "Filters"
button with the number of filters chosen opens the drawer, a filter ticked there updates
the results and the number, and "Show results" closes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests import factories

from .helpers import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def test_phone_filter_drawer(page: Page):
    zhejiang = factories.make_org(name="浙江大学", region="zhejiang")
    beijing = factories.make_org(name="清华大学", region="beijing")
    factories.make_achievement(zhejiang, title="Perovskite encapsulation 钙钛矿封装")
    factories.make_achievement(beijing, title="Soil bacteria fertiliser")
    page.set_viewport_size(PHONE)
    page.goto("/achievements/")
    results = page.locator("#search-results")
    button = page.get_by_test_id("filters-button")
    expect(results).to_contain_text("Soil bacteria fertiliser")
    expect(button).to_be_visible()
    expect(page.locator("#filter-count")).to_contain_text("0")
    region = page.locator("#f-region-zhejiang")
    expect(region).to_be_hidden()  # the filters wait in the closed drawer
    # The results are above the fold, not 5,000 px down after the filters.
    assert results.bounding_box()["y"] < PHONE["height"]

    assert_accessible(page)
    button.click()
    drawer = page.locator("#search-filters")
    expect(drawer).to_be_visible()
    drawer.get_by_text("Region", exact=True).click()  # the region facet opens on demand
    expect(region).to_be_visible()
    assert_accessible(page)
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        region.check()
    expect(results).not_to_contain_text("Soil bacteria fertiliser")
    expect(results).to_contain_text("Perovskite encapsulation")
    expect(page.locator("#filter-count")).to_contain_text("1")
    page.get_by_test_id("filters-done").click()
    expect(region).to_be_hidden()
    expect(button).to_contain_text("1")


def test_wide_screens_show_the_filters_beside_the_results(page: Page):
    factories.make_achievement(factories.make_org(region="zhejiang"), title="Lidar dicing")
    page.goto("/achievements/")
    expect(page.locator("#search-filters")).to_be_visible()
    expect(page.locator("#search-filters").get_by_text("Technical field")).to_be_visible()
    expect(page.get_by_test_id("filters-button")).to_be_hidden()
