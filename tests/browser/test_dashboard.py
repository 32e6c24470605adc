"""In a real browser: a broker opens the reports of the centre's region from the navbar,
narrows the period, downloads a table as CSV; the page passes the accessibility check on a
desktop and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.choices import OrganizationKind
from tests import factories
from tests.marketplace.dashboard.support import PERIOD_QUERY, build_dataset

from .helpers import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "broker@gd-centre.example"


@pytest.fixture
def broker(db):
    centre = factories.make_org(
        kind=OrganizationKind.TRANSFER_CENTRE, name="粤港澳转移中心", region="guangdong"
    )
    return factories.make_user(org=centre, email=EMAIL)


def test_broker_reads_and_exports_the_figures_of_the_region(page: Page, broker, snap):
    build_dataset()
    log_in(page, broker)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports · Guangdong")

    page.get_by_label("From", exact=True).fill("2025-01-01")
    page.get_by_label("To", exact=True).fill("2025-12-31")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("period")).to_have_text("2025-01-01 – 2025-12-31")
    funnel = page.get_by_role("img", name="From match to signed contract")
    expect(funnel).to_be_visible()
    expect(funnel).to_contain_text("1 · 50.0%")
    expect(page.get_by_test_id("table-deals")).to_contain_text("Contract signed")
    snap(page, "01-reports")

    with page.expect_download() as info:
        page.get_by_test_id("csv-deals").click()
    download = info.value
    assert download.suggested_filename == "keqiao-deals-guangdong-2025-01-01-2025-12-31.csv"
    content = download.path().read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert b"Contract signed,3" in content


@pytest.mark.parametrize("width", [1280, 390])
def test_reports_have_no_serious_accessibility_violations(page: Page, broker, width):
    build_dataset()
    log_in(page, broker)  # at the desktop width, where the navbar names the user
    page.set_viewport_size({"width": width, "height": 900})
    url = f"/reports/?{PERIOD_QUERY}"
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)

    page.goto("/reports/?from=someday")
    expect(page.get_by_test_id("filter-errors")).to_be_visible()
    assert_accessible(page)
