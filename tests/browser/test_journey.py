"""End to end, in a real browser: a university lists an achievement, a moderator publishes it,
visitors find it in both languages; and the main public pages pass an accessibility check."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Organization, User
from marketplace.listings.models import Achievement
from tests import factories

from .helpers import assert_accessible

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized rollback restores the technical fields
    # (a data migration) after the flush that ends each transactional test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Room-temperature EUV photoresist 室温极紫外光刻胶"
ORG_NAME = "西湖光电研究院"
ORG_NAME_EN = "West Lake Photonics Institute"
OWNER_EMAIL = "li.wei@westlake-photonics.example"


def choose_language(page: Page, code: str) -> None:
    """Pick a language in the navbar; the select submits itself (JavaScript). Found by its id:
    the switcher's label is itself translated."""
    with page.expect_navigation():
        language_select(page).select_option(code)
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(language_select(page)).to_have_value(code)


def language_select(page: Page):
    return page.locator("#language-select")


def admin_run_action(page: Page, *, tick: str, action: str) -> None:
    """On an admin change list: tick one row by its name, run an action."""
    page.get_by_role("checkbox", name=f"Select this object for an action - {tick}").check()
    page.get_by_role("combobox", name=re.compile(r"^Action")).select_option(label=action)
    page.get_by_role("button", name="Go", exact=True).click()


def test_university_lists_an_achievement_a_moderator_publishes_it(
    new_page: Callable[[], Page], mailoutbox, snap
):
    User.objects.create_superuser(
        email="moderator@keqiao.example",
        password=factories.PASSWORD,
        full_name="Moderator Ma",
        preferred_language="en",
    )

    # A visitor opens the home page, makes sure it is in English and signs up.
    page = new_page()
    page.goto("/")
    choose_language(page, "en")
    snap(page, "01-home")
    page.get_by_role("link", name="Sign up", exact=True).click()

    expect(page.get_by_role("heading", name="Sign up", level=1)).to_be_visible()
    page.get_by_label("Full name").fill("Li Wei")
    page.get_by_label("Email address").fill(OWNER_EMAIL)
    # The label reads "Password *" (the star is aria-hidden), and "Password again" follows.
    page.get_by_label(re.compile(r"^Password(?! again)")).fill(factories.PASSWORD)
    page.get_by_label("Password again").fill(factories.PASSWORD)
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_role("radio", name="Register a new organisation").check()
    page.get_by_label("Kind of organisation").select_option(
        label="University or research institute"
    )
    page.get_by_label("Organisation name").fill(ORG_NAME)
    page.get_by_label("English name (optional)").fill(ORG_NAME_EN)
    page.get_by_label("Region").select_option(label="Zhejiang")
    # Registering hides the "join an organisation" block.
    expect(page.get_by_label("Organisation to join")).to_be_hidden()
    snap(page, "02-signup")
    page.get_by_role("button", name="Create my account").click()

    # The address is confirmed by the emailed link (sign-up never says whether an address
    # has an account); the link signs in.
    expect(page.get_by_role("heading", name="Check your email", level=1)).to_be_visible()
    [confirmation] = [m for m in mailoutbox if m.to == [OWNER_EMAIL]]
    page.goto(re.search(r"/accounts/signup/confirm/\S+", confirmation.body).group(0))

    # Signed in, on the dashboard of a new, unverified organisation.
    expect(page.get_by_role("heading", name="My listings", level=1)).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="Welcome to Keqiao!")).to_be_visible()
    expect(page.get_by_text("not verified yet")).to_be_visible()
    snap(page, "03-dashboard")

    # A new achievement, saved as a draft.
    page.get_by_role("link", name="New achievement").click()
    expect(page.get_by_role("heading", name="New achievement", level=1)).to_be_visible()
    page.get_by_role("textbox", name="Title", exact=True).fill(TITLE)
    page.get_by_label("Public summary").fill(
        "A metal-oxide photoresist that cures at room temperature, for 13.5 nm EUV lithography."
    )
    page.get_by_label("Full description").fill(
        "Formulation, process window, line-edge roughness and pilot-line yield data."
    )
    fields = page.get_by_role("group", name="Technical fields")
    fields.get_by_text("Integrated circuits", exact=True).click()  # unfold the group
    fields.get_by_role("checkbox", name="Lithography and photoresists").check()
    page.get_by_label("Keywords").fill("EUV, photoresist, 光刻胶")
    page.get_by_label("Maturity (TRL)").select_option("6")
    page.get_by_label("IP status").select_option(label="Invention patent granted")
    page.get_by_label("Patent numbers").fill("CN114000001A")
    page.get_by_role("checkbox", name="Licence").check()
    page.get_by_role("checkbox", name="Price negotiable").check()
    snap(page, "04-achievement-form")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    status = page.get_by_test_id("status")
    expect(status).to_have_text("Draft")
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    snap(page, "05-draft")

    page.get_by_role("button", name="Submit for review").click()
    expect(status).to_have_text("Pending review")
    expect(page.get_by_text("Your organisation is not verified yet")).to_be_visible()
    snap(page, "06-pending")

    # The owner logs out; a moderator logs in to the admin site.
    page.get_by_role("button", name="Li Wei").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Sign up", exact=True)).to_be_visible()

    page.goto("/admin/")
    page.get_by_label("Email address").fill("moderator@keqiao.example")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    admin_index = page.locator("#content-main")

    # First the organisation is verified ...
    admin_index.get_by_role("link", name="Organisations", exact=True).click()
    admin_run_action(page, tick=ORG_NAME_EN, action="Verify selected organisations")
    expect(page.locator(".messagelist .success")).to_have_text("1 organisation verified.")
    snap(page, "07-admin-org-verified")

    # ... then its pending achievement is approved.
    page.locator(".breadcrumbs").get_by_role("link", name="Home").click()
    admin_index.get_by_role("link", name="Achievements", exact=True).click()
    admin_run_action(page, tick=TITLE, action="Approve (publish) selected")
    expect(page.locator(".messagelist .success")).to_have_text("1 listing published.")
    expect(page.locator("#result_list").get_by_text("Published")).to_be_visible()
    snap(page, "08-admin-published")

    achievement = Achievement.objects.get(title=TITLE)
    assert achievement.status == "published"
    assert achievement.published_at is not None
    assert Organization.objects.get(name=ORG_NAME).is_verified
    published_mail = [m for m in mailoutbox if m.to == [OWNER_EMAIL] and TITLE in m.subject]
    assert len(published_mail) == 1, [(m.to, m.subject) for m in mailoutbox]
    assert "is now live" in published_mail[0].subject
    assert achievement.get_absolute_url() in published_mail[0].body

    # A visitor finds it in the public list, in English and in Chinese.
    visitor = new_page()
    visitor.goto("/achievements/")
    card = visitor.get_by_role("article").filter(
        has=visitor.get_by_role("link", name=TITLE, exact=True)
    )
    expect(card).to_be_visible()
    expect(card).to_contain_text("Lithography and photoresists")
    expect(card).to_contain_text(ORG_NAME_EN)
    snap(visitor, "09-public-list-en")

    choose_language(visitor, "zh-hans")
    # The interface is translated (needs the compiled catalogue: `make compilemessages`) ...
    expect(visitor.get_by_role("heading", level=1)).not_to_have_text("Research achievements")
    expect(card).to_be_visible()
    # ... and names stored in both languages follow the page's language.
    expect(card).to_contain_text("光刻与光刻胶")
    expect(card).to_contain_text(ORG_NAME)
    snap(visitor, "10-public-list-zh")


@pytest.mark.parametrize(
    ("where", "context"),
    [
        pytest.param("home", None, id="home"),
        pytest.param("achievement_list", None, id="achievement_list"),
        pytest.param("signup", None, id="signup"),
        pytest.param("achievement_detail", None, id="achievement_detail"),
    ],
)
def test_public_pages_have_no_serious_accessibility_violations(
    page: Page, university, uni_user, where: str, context: dict | None
):
    achievement = factories.make_achievement(university, user=uni_user)
    url = {
        "home": "/",
        "achievement_list": "/achievements/",
        "signup": "/accounts/signup/",
        "achievement_detail": achievement.get_absolute_url(),
    }[where]

    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, context=context)
