"""Steps the browser tests share: logging in through the site's form, and the axe check."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from accounts.models import User
from tests import factories

BLOCKING_IMPACTS = {"critical", "serious"}


def log_in(page: Page, person: User) -> None:
    """Log ``person`` in (the factories' password) and wait for the navbar to name them."""
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    # Each role lands where its work is: staff in admin, the others under the site's navbar.
    if person.is_staff:
        expect(page).to_have_url(re.compile(r"/admin/"))
        return
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("button", name=person.full_name)).to_be_visible()


def axe_summary(url: str, violations: list[dict]) -> str:
    lines = [f"{url}:"]
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s)")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


def assert_accessible(page: Page, context: dict | None = None) -> None:
    """No critical or serious axe violation on the page as it is now."""
    results = Axe().run(page, context=context)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "Accessibility violations:\n" + axe_summary(page.url, blocking)
