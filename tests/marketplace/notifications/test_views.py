"""The recipient's pages: the permission matrix, opening and marking read, preferences, the
navbar bell, and a list page whose query count does not grow with its size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.notifications.choices import Frequency, NotificationKind
from marketplace.notifications.models import Notification, Preference
from marketplace.notifications.selectors import preferences_of
from tests.marketplace.notifications.support import tell
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

ROWS = ["visitor", "owner", "other_org", "outsider", "moderator"]


@pytest.fixture
def mine(uni_user):
    """A notification of the owner (uni_user), unread."""
    (notification,) = tell([uni_user], title="EUV match", link="/achievements/42/")
    return notification


def _login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ROWS)
def test_list_shows_only_ones_own_notifications(who, people, mine, client_for):
    response = client_for(people[who]).get(reverse("notifications:list"))
    if who == "visitor":
        assert _login_redirect(response)
        return
    assert response.status_code == 200
    shown = list(response.context["page"].object_list)
    assert shown == ([mine] if who == "owner" else [])
    assert (b"EUV match" in response.content) is (who == "owner")


@pytest.mark.parametrize("who", ROWS)
def test_only_the_recipient_opens_a_notification(who, people, mine, client_for):
    response = client_for(people[who]).get(reverse("notifications:open", args=[mine.pk]))
    mine.refresh_from_db()
    if who == "visitor":
        assert _login_redirect(response)
    elif who == "owner":
        assert response.status_code == 302 and response.url == "/achievements/42/"
        assert mine.read_at is not None
        return
    else:
        assert response.status_code == 404
    assert mine.read_at is None


@pytest.mark.parametrize("link", ["https://evil.example/", "//evil.example/", ""])
def test_opening_never_leaves_the_site(link, uni_user, client_for):
    notification = Notification.objects.create(
        recipient=uni_user, kind="match_found", subject="s", body="b", link=link
    )
    response = client_for(uni_user).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == reverse("notifications:list")


@pytest.mark.parametrize("who", ROWS)
def test_mark_all_read_marks_only_ones_own(who, people, mine, ent_user, client_for):
    (theirs,) = tell([ent_user])
    response = client_for(people[who]).post(reverse("notifications:read_all"))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    if who == "visitor":
        assert _login_redirect(response)
    else:
        assert response.status_code == 302
    assert (mine.read_at is not None) is (who == "owner")
    assert (theirs.read_at is not None) is (who == "other_org")


def test_mark_all_read_wants_a_post(uni_user, mine, client_for):
    assert client_for(uni_user).get(reverse("notifications:read_all")).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None


@pytest.mark.parametrize("who", ROWS)
def test_preferences_page(who, people, client_for):
    response = client_for(people[who]).get(reverse("notifications:preferences"))
    if who == "visitor":
        assert _login_redirect(response)
    else:
        assert response.status_code == 200
        assert len(response.context["form"].fields) == len(NotificationKind.values)


def test_saving_preferences_changes_only_ones_own(uni_user, ent_user, client_for):
    data = dict.fromkeys(NotificationKind.values, Frequency.IMMEDIATELY)
    data |= {"match_found": "daily", "moderation": "off"}
    response = client_for(uni_user).post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    chosen = preferences_of(uni_user)
    assert (chosen["match_found"], chosen["moderation"], chosen["message"]) == (
        "daily",
        "off",
        "immediately",
    )
    # Only the changed kinds are stored; the rest stay at the default.
    assert Preference.objects.filter(user=uni_user).count() == 2
    assert not Preference.objects.filter(user=ent_user).exists()


def test_a_bad_preference_changes_nothing(uni_user, client_for):
    data = dict.fromkeys(NotificationKind.values, "hourly")
    response = client_for(uni_user).post(reverse("notifications:preferences"), data)
    assert response.status_code == 400
    assert not Preference.objects.exists()


# --- the bell --------------------------------------------------------------------------------


def test_the_bell_counts_unread_notifications(uni_user, client_for):
    tell([uni_user])
    tell([uni_user])
    read = tell([uni_user])[0]
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    client = client_for(uni_user)
    page = client.get(reverse("home"))
    assert page.context["notifications_unread"] == 2
    html = page.content.decode()
    assert 'data-testid="notification-bell"' in html
    assert 'data-testid="notification-count">2<' in html

    client.post(reverse("notifications:read_all"))
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="notification-bell"' in html
    assert 'data-testid="notification-count"' not in html


def test_the_bell_costs_one_query_and_nothing_for_visitors(uni_user, client_for):
    tell([uni_user])

    def queries_on_notifications(client) -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("home"))
        return sum('"notifications_notification"' in q["sql"] for q in ctx.captured_queries)

    assert queries_on_notifications(client_for(uni_user)) == 1
    assert queries_on_notifications(client_for(None)) == 0
    assert (
        'data-testid="notification-bell"'
        not in client_for(None).get(reverse("home")).content.decode()
    )


# --- query count -----------------------------------------------------------------------------


def test_list_page_queries_do_not_grow_with_the_page_size(settings, uni_user, client_for):
    for i in range(30):
        tell([uni_user], title=f"n{i}")
    client = client_for(uni_user)
    settings.NOTIFICATIONS_PAGE_SIZE = 0

    def grow_the_page(n: int) -> None:
        settings.NOTIFICATIONS_PAGE_SIZE += n

    pages = assert_constant_queries(
        grow_the_page,
        lambda: client.get(reverse("notifications:list")),
        few=3,
        many=25,
        warm=False,
    )
    assert len(pages.few.context["page"].object_list) == 3
    assert len(pages.many.context["page"].object_list) == 25


def test_list_is_newest_first_and_highlights_unread(uni_user, client_for):
    old = tell([uni_user], title="old one")[0]
    new = tell([uni_user], title="new one")[0]
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    response = client_for(uni_user).get(reverse("notifications:list"))
    assert list(response.context["page"].object_list) == [new, old]
    html = response.content.decode()
    assert html.count("kq-unread") == 1
    assert html.index("new one") < html.index("old one")
