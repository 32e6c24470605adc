"""The user's own settings: the profile page and the language switch."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

from .support import ORGANIZATION, _assert_login_redirect

pytestmark = pytest.mark.django_db


# --- profile --------------------------------------------------------------------------------


def test_profile_needs_a_signed_in_user(client_for):
    _assert_login_redirect(client_for(None).get(reverse("accounts:profile")))
    _assert_login_redirect(client_for(None).post(reverse("accounts:profile"), {}))


@pytest.mark.parametrize("row", ["owner", "pending", "outsider", "moderator"])
def test_profile_page(row, who, client_for):
    response = client_for(who[row]).get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert who[row].email.encode() in response.content
    assert (response.context["pending"] is not None) is (row == "pending")


def test_profile_saves_name_and_language(client_for, uni_user):
    response = client_for(uni_user).post(
        reverse("accounts:profile"), {"full_name": "  Wang Fang ", "preferred_language": "zh-hans"}
    )
    assert (response.status_code, response.url) == (302, reverse("accounts:profile"))
    assert response.cookies["django_language"].value == "zh-hans"
    uni_user.refresh_from_db()
    assert (uni_user.full_name, uni_user.preferred_language) == ("Wang Fang", "zh-hans")


@pytest.mark.parametrize(
    "data",
    [
        {"full_name": "", "preferred_language": "zh-hans"},
        {"full_name": "Wang Fang", "preferred_language": "fr"},
    ],
)
def test_profile_with_bad_input_saves_nothing(data, client_for, uni_user):
    name = uni_user.full_name
    response = client_for(uni_user).post(reverse("accounts:profile"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    uni_user.refresh_from_db()
    assert (uni_user.full_name, uni_user.preferred_language) == (name, "en")


# --- language -------------------------------------------------------------------------------

LANGUAGE_URL = reverse("accounts:language_set")


def test_language_set_for_a_visitor(client_for):
    response = client_for(None).post(LANGUAGE_URL, {"language": "zh-hans", "next": "/challenges/"})
    assert (response.status_code, response.url) == (302, "/challenges/")
    assert response.cookies["django_language"].value == "zh-hans"


def test_language_set_updates_a_signed_in_users_preference(client_for):
    user = factories.make_user(language="zh-hans")
    response = client_for(user).post(LANGUAGE_URL, {"language": "en", "next": ORGANIZATION})
    assert (response.status_code, response.url) == (302, ORGANIZATION)
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert user.preferred_language == "en"


@pytest.mark.parametrize("language", ["fr", "", "zh-hant"])
def test_unknown_language_changes_nothing(language, client_for):
    user = factories.make_user(language="zh-hans")
    response = client_for(user).post(LANGUAGE_URL, {"language": language, "next": ORGANIZATION})
    assert (response.status_code, response.url) == (302, ORGANIZATION)
    assert "django_language" not in response.cookies
    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/path", "http://testserver.evil/"]
)
def test_language_set_does_not_follow_an_external_next(language, next_url, client_for):
    response = client_for(None).post(LANGUAGE_URL, {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response.url == "/"


def test_language_set_refuses_get(client_for):
    user = factories.make_user(language="zh-hans")
    response = client_for(user).get(LANGUAGE_URL + "?language=en")
    assert response.status_code == 405
    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"
