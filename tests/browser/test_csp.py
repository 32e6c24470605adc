"""Under the real Content-Security-Policy, in Chromium: the search page's htmx updates, the
listing form's script, sign-up's organisation choice and the admin desk all work, and the
browser reports no violation of the policy and no script error."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests import factories

from .helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Runs before the page's own scripts and outside the CSP (DevTools injects it): every
# violation the browser reports is kept for the test to read.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


class Watch:
    """What went wrong on a page: CSP violations, console errors, uncaught exceptions."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console.append(f"uncaught: {e}"))
        page.add_init_script(RECORD_VIOLATIONS)

    def assert_clean(self) -> None:
        violations = self.page.evaluate("window.__cspViolations || []")
        assert not violations, f"CSP violations on {self.page.url}: {violations}"
        csp_messages = [m for m in self.console if "Content Security Policy" in m]
        assert not csp_messages, f"CSP messages on {self.page.url}: {csp_messages}"
        # Any error: an uncaught exception, or htmx refusing to evaluate an expression
        # (htmx:evalDisallowedError), which the policy would otherwise have blocked.
        assert not self.console, f"console errors on {self.page.url}: {self.console}"


@pytest.fixture
def watch(page: Page) -> Iterator[Watch]:
    yield Watch(page)


def htmx_response(response) -> bool:
    return response.request.headers.get("hx-request") == "true"


def test_search_updates_with_htmx_under_the_csp(page: Page, watch: Watch, university, uni_user):
    factories.make_achievement(university, user=uni_user, title="Lidar wafer dicing 激光切割")
    factories.make_achievement(university, user=uni_user, title="Soil bacteria fertiliser")
    page.goto("/achievements/")
    response = page.request.get("/achievements/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    results = page.locator("#search-results")
    expect(results).to_contain_text("Soil bacteria fertiliser")

    # Typing: htmx asks for the results only and swaps them in, without reloading the page.
    page.evaluate("window.__notReloaded = true")
    with page.expect_response(htmx_response) as typed:
        page.locator("#id_q").fill("Lidar")
        page.locator("#id_q").press("r")
    assert typed.value.ok
    expect(results).to_contain_text("Lidar wafer dicing")
    expect(results).not_to_contain_text("Soil bacteria fertiliser")
    expect(page).to_have_url(re.compile(r"q=Lidar"))

    # A change of one of the form's own fields (the sort) goes through static/js/search.js.
    with page.expect_response(htmx_response) as sorted_:
        page.locator("#id_sort").select_option("newest")
    assert sorted_.value.ok
    expect(page).to_have_url(re.compile(r"sort=newest"))
    assert page.evaluate("window.__notReloaded") is True
    # htmx injected no <style> of its own (the CSP would have refused it).
    assert page.locator("style").count() == 0
    watch.assert_clean()


def test_listing_form_script_works_under_the_csp(page: Page, watch: Watch, uni_user):
    log_in(page, uni_user)
    page.goto("/achievements/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("New achievement")
    price = page.locator("#id_asking_price")
    negotiable = page.locator("#id_price_negotiable")
    negotiable.uncheck()
    expect(price).to_be_visible()
    negotiable.check()
    expect(price).to_be_hidden()
    watch.assert_clean()


def test_language_switch_and_signup_choice_work_under_the_csp(page: Page, watch: Watch):
    page.goto("/accounts/signup/")
    join, create = page.locator("[data-org-block]").nth(1), page.locator("[data-org-block]").nth(0)
    page.locator("input[data-org-choice]").nth(1).check()
    expect(join).to_be_visible()
    expect(create).to_be_hidden()
    # The switch button is hidden by script; choosing a language submits the form.
    expect(page.locator(".kq-lang-go")).to_be_hidden()
    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    watch.assert_clean()


def test_admin_desk_works_under_the_csp(page: Page, watch: Watch, university, uni_user):
    admin = factories.make_user(staff=True, email="admin@keqiao.example")
    admin.is_superuser = True
    admin.save()
    listing = factories.make_achievement(
        university, user=uni_user, status="pending", title="Waiting for review"
    )
    log_in(page, admin)
    page.goto("/admin/listings/achievement/")
    row = page.get_by_role("row", name=re.compile("Waiting for review"))
    expect(row).to_be_visible()
    # The actions bar is driven by admin's actions.js: ticking a row counts it.
    row.get_by_role("checkbox").check()
    expect(page.locator(".action-counter")).to_contain_text("1 of")
    page.goto(f"/admin/listings/achievement/{listing.pk}/change/")
    publish = page.get_by_role("button", name="Approve")
    expect(publish).to_be_visible()
    # The button's colour comes from static/css/admin.css, not from an inline style.
    colour = publish.evaluate("b => getComputedStyle(b).backgroundColor")
    assert colour == "rgb(46, 125, 50)"
    watch.assert_clean()
