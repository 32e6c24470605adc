"""The Content-Security-Policy forbids inline script, inline style, style attributes and
inline event handlers. This crawls the site as a visitor, a university owner (with a
conversation, a listing form) and an admin (changelists, a change form) and fails on any
page that still carries one, naming the page and the offending markup."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.deals import services as deal_services
from marketplace.matching.models import Match
from tests import factories

pytestmark = pytest.mark.django_db

# Data blocks are not executed, so the CSP does not apply to them (JSON-LD, json_script).
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
# Links that change state, log out, or download files: not pages to inspect.
SKIPPED = ("logout", "delete", "export", ".csv", ".xlsx", "/attachments/", "/feeds/", ".xml")
PAGES_PER_PERSON = 120


class InlineCodeFinder(HTMLParser):
    """Collects inline code from one page, and the site links to crawl next."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            javascript_url = name in ("href", "src", "action") and (
                (value or "").strip().lower().startswith("javascript:")
            )
            if name == "style" or name.startswith(("on", "hx-on", "data-hx-on")) or javascript_url:
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.problems.append("<style> element")
        inline = tag == "script" and "src" not in attributes
        if inline and (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
            self._in_inline_script = True
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])

    def handle_data(self, data: str) -> None:
        if self._in_inline_script:
            self.problems.append(f"inline <script>: {data.strip()[:80]!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False


def inline_code(html: str) -> InlineCodeFinder:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder


def crawl(client: Client, start: list[str], limit: int = PAGES_PER_PERSON) -> dict[str, tuple]:
    """Visit the start pages, then the site's links breadth first; page → (status, its
    problems)."""
    seen: set[str] = set()
    queue = deque(start)
    found: dict[str, tuple] = {}
    while queue and len(found) < limit:
        url = urldefrag(queue.popleft())[0]
        parts = urlsplit(url)
        if parts.netloc or not parts.path.startswith("/") or url in seen:
            continue
        seen.add(url)
        if any(marker in url for marker in SKIPPED):
            continue
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        finder = inline_code(response.content.decode())
        found[url] = (response.status_code, finder.problems)
        queue.extend(finder.links)
    return found


@pytest.fixture
def world(uni_user, ent_user, university, enterprise):
    """Published and pending listings of both kinds, a match (with a broker's note) and a
    conversation."""
    achievement = factories.make_achievement(university, user=uni_user)
    pending = factories.make_achievement(
        university, user=uni_user, status="pending", title="Pending review listing"
    )
    challenge = factories.make_challenge(enterprise, user=ent_user)
    interest = deal_services.interest_express(
        listing=achievement, user=ent_user, purpose="licence", message="A licence, please."
    )
    conversation = deal_services.interest_accept(interest=interest, user=uni_user)
    Match.objects.create(
        achievement=achievement,
        challenge=challenge,
        score=80,
        parts={},
        broker_note="Worth a call:\nboth are in lithography.",
    )
    return {
        "achievement": achievement,
        "pending": pending,
        "challenge": challenge,
        "conversation": conversation,
    }


def assert_clean(pages: dict[str, tuple], must_visit: list[str]) -> None:
    missing = [url for url in must_visit if pages.get(url, (None,))[0] != 200]
    assert not missing, f"the crawl did not see these pages: {missing}"
    dirty = {url: problems for url, (_, problems) in pages.items() if problems}
    assert not dirty, "inline code the CSP blocks:\n" + "\n".join(
        f"{url}: {problems}" for url, problems in dirty.items()
    )


def test_the_finder_catches_each_kind_of_inline_code():
    html = (
        '<p style="color:red" onclick="x()">a</p><style>p{}</style><script>alert(1)</script>'
        '<a href="javascript:void(0)">b</a><div hx-on:click="x()"></div>'
        '<script type="application/ld+json">{}</script><script src="/static/a.js"></script>'
    )
    assert len(inline_code(html).problems) == 6


def test_visitor_pages_carry_no_inline_code(client_for, world):
    pages = crawl(
        client_for(None),
        [
            reverse("home"),
            reverse("search:achievement_list"),
            reverse("search:challenge_list"),
            world["achievement"].get_absolute_url(),
            reverse("accounts:signup"),
            reverse("accounts:login"),
            reverse("accounts:password_reset"),
            reverse("admin:login"),
        ],
    )
    assert_clean(
        pages,
        [
            reverse("search:achievement_list"),
            reverse("accounts:signup"),
            reverse("home"),
            reverse("admin:login"),
        ],
    )


def test_owner_pages_carry_no_inline_code(client_for, uni_user, world):
    conversation_url = reverse("deals:conversation_detail", args=[world["conversation"].pk])
    create_url = reverse("listings:achievement_create")
    matches_url = reverse("matching:achievement_matches", args=[world["achievement"].pk])
    pages = crawl(
        client_for(uni_user),
        [
            reverse("listings:dashboard"),
            create_url,
            reverse("listings:challenge_create"),
            reverse("listings:achievement_edit", args=[world["achievement"].pk]),
            conversation_url,
            matches_url,
            reverse("deals:conversation_list"),
            reverse("accounts:profile"),
            reverse("accounts:organization"),
            reverse("notifications:preferences"),
            reverse("search:achievement_list"),
            "/no-such-page/",
        ],
    )
    assert_clean(pages, [create_url, conversation_url, matches_url, reverse("listings:dashboard")])


def test_broker_pages_carry_no_inline_code(client_for, world):
    broker = factories.make_broker(world["achievement"].region)
    region = reverse("brokers:region")
    recommend = reverse("brokers:achievement_recommend", args=[world["achievement"].pk])
    pages = crawl(
        client_for(broker),
        [region, recommend, reverse("brokers:deal_list"), reverse("dashboard:overview")],
        limit=40,
    )
    assert_clean(pages, [region, recommend, reverse("dashboard:overview")])


def test_admin_pages_carry_no_inline_code(client_for, admin_user, world):
    changelist = reverse("admin:listings_achievement_changelist")
    change = reverse("admin:listings_achievement_change", args=[world["pending"].pk])
    reject = reverse("admin:listings_achievement_reject", args=[world["pending"].pk])
    pages = crawl(
        client_for(admin_user),
        [
            reverse("admin:index"),
            changelist,
            change,
            reject,
            reverse("admin:listings_achievement_add"),
            reverse("admin:accounts_user_changelist"),
            reverse("dashboard:overview"),
        ],
        limit=60,
    )
    assert_clean(pages, [changelist, change, reject, reverse("admin:index")])
