"""Saved searches: saving, the permission matrix, and alerts sent once and only for matches."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from marketplace.listings import services as listing_services
from marketplace.refusals import Refused
from marketplace.search.models import SavedSearch, SavedSearchAlert
from marketplace.search.services import saved_search_alerts_send, saved_search_create
from tests.factories import make_achievement, make_challenge

pytestmark = pytest.mark.django_db


def _publish(listing, moderator, capture):
    with capture(execute=True):
        listing_services.listing_publish(listing=listing, moderator=moderator)


def test_saved_search_keeps_only_filter_parameters(ent_user):
    saved = saved_search_create(
        user=ent_user,
        name="  Lithography   in Guangdong ",
        kind="achievement",
        params=QueryDict("region=guangdong&page=3&sort=newest&q=光刻&field=ic&bogus=1"),
    )
    assert saved.name == "Lithography in Guangdong"
    assert QueryDict(saved.query) == QueryDict("field=ic&q=光刻&region=guangdong")


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [("", "q=x", "name"), ("Mine", "trl_min=abc", "Correct the search")],
)
def test_bad_saved_searches_are_refused(ent_user, name, query, message):
    with pytest.raises(Refused, match=message):
        saved_search_create(user=ent_user, name=name, kind="challenge", params=QueryDict(query))
    assert not SavedSearch.objects.exists()


def test_duplicate_name_is_refused(ent_user):
    saved_search_create(user=ent_user, name="A", kind="challenge", params=QueryDict(""))
    with pytest.raises(Refused, match="already have"):
        saved_search_create(user=ent_user, name="A", kind="achievement", params=QueryDict(""))


def test_alert_once_per_user_and_only_for_matching_listings(
    university, ent_user, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    saved_search_create(user=ent_user, name="IC", kind="achievement", params=QueryDict("field=ic"))
    # A second search of the same user that also matches: still one alert.
    saved_search_create(
        user=ent_user, name="Zhejiang", kind="achievement", params=QueryDict("region=zhejiang")
    )
    matching = make_achievement(university, status="pending", title="EUV resist")
    other = make_achievement(
        university, status="pending", title="Rice breeding", fields=[], region="hainan"
    )
    _publish(matching, moderator, django_capture_on_commit_callbacks)
    _publish(other, moderator, django_capture_on_commit_callbacks)

    alerts = list(SavedSearchAlert.objects.values_list("user__email", "listing_id"))
    assert alerts == [(ent_user.email, matching.pk)]
    alert_mails = [m for m in mailoutbox if "EUV resist" in m.subject]
    assert [m.to for m in alert_mails] == [[ent_user.email]]
    # Handling the same publication again (a retried task) sends nothing more.
    assert saved_search_alerts_send(kind="achievement", listing_id=matching.pk) == 1
    assert SavedSearchAlert.objects.count() == 1
    assert len([m for m in mailoutbox if "EUV resist" in m.subject]) == 1


def test_no_alert_for_own_organisation_or_other_kind(
    university, uni_colleague, ent_user, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    saved_search_create(user=uni_colleague, name="Mine", kind="achievement", params=QueryDict(""))
    saved_search_create(user=ent_user, name="Wrong kind", kind="challenge", params=QueryDict(""))
    _publish(
        make_achievement(university, status="pending"),
        moderator,
        django_capture_on_commit_callbacks,
    )
    assert not SavedSearchAlert.objects.exists()


def test_unpublished_listing_alerts_nobody(university, ent_user):
    saved_search_create(user=ent_user, name="All", kind="challenge", params=QueryDict(""))
    draft = make_challenge(university, status="draft")
    assert saved_search_alerts_send(kind="challenge", listing_id=draft.pk) == 0


# --- pages -----------------------------------------------------------------------------------


def test_save_from_the_list_page(client_for, ent_user):
    response = client_for(ent_user).post(
        reverse("search:challenge_save_search"), {"name": "Batteries", "query": "q=battery"}
    )
    saved = SavedSearch.objects.get()
    assert (saved.user, saved.kind, saved.query) == (ent_user, "challenge", "q=battery")
    assert response.url == reverse("search:challenge_list") + "?q=battery"


def test_visitor_cannot_save(client_for):
    response = client_for(None).post(reverse("search:challenge_save_search"), {"name": "x"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not SavedSearch.objects.exists()


def test_save_without_a_name_changes_nothing(client_for, ent_user):
    response = client_for(ent_user).post(
        reverse("search:achievement_save_search"), {"name": "", "query": ""}, follow=True
    )
    assert response.status_code == 200
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize(("who", "code"), [("visitor", 302), ("owner", 200)])
def test_list_page(who, code, people, client_for):
    assert client_for(people[who]).get(reverse("search:saved_search_list")).status_code == code


@pytest.mark.parametrize(
    ("who", "code", "left"), [("owner", 302, 0), ("other_org", 404, 1), ("visitor", 302, 1)]
)
def test_delete_only_your_own(who, code, left, people, client_for):
    saved = saved_search_create(
        user=people["owner"], name="x", kind="challenge", params=QueryDict("")
    )
    client = client_for(people[who])
    assert client.get(reverse("search:saved_search_delete", args=[saved.pk])).status_code in (
        code,
        200,
    )
    response = client.post(reverse("search:saved_search_delete", args=[saved.pk]))
    assert response.status_code == code
    assert SavedSearch.objects.count() == left
