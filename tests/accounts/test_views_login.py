"""Logging in and out, and passwords: reset by email, changed by the user."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories

from .support import DASHBOARD, LOGIN, NEW_PASSWORD, ORGANIZATION, _logged_in_as

pytestmark = pytest.mark.django_db


# --- log in, log out ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_login_sets_the_language_cookie_to_the_users_preference(language, client_for):
    user = factories.make_user(email="li.na@example.org", language=language)
    client = client_for(None)
    response = client.post(LOGIN, {"username": "li.na@example.org", "password": factories.PASSWORD})
    assert (response.status_code, response.url) == (302, DASHBOARD)
    assert _logged_in_as(client) == user
    assert response.cookies["django_language"].value == language


def test_login_follows_a_safe_next_but_not_an_external_one(client_for, uni_user):
    data = {"username": uni_user.email, "password": factories.PASSWORD}
    response = client_for(None).post(LOGIN, {**data, "next": ORGANIZATION})
    assert response.url == ORGANIZATION
    response = client_for(None).post(LOGIN, {**data, "next": "https://evil.example/"})
    assert response.url == DASHBOARD


def test_login_with_a_wrong_password(client_for, uni_user):
    client = client_for(None)
    response = client.post(LOGIN, {"username": uni_user.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert _logged_in_as(client) is None
    assert "django_language" not in response.cookies


def test_login_with_the_email_in_another_case(client_for, uni_user):
    client = client_for(None)
    response = client.post(LOGIN, {"username": "Owner@ZJU.example", "password": factories.PASSWORD})
    assert response.status_code == 302
    assert _logged_in_as(client) == uni_user


def test_login_page_redirects_a_signed_in_user(client_for, uni_user):
    response = client_for(uni_user).get(LOGIN)
    assert (response.status_code, response.url) == (302, DASHBOARD)


def test_logout_requires_post(client_for, uni_user):
    client = client_for(uni_user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert _logged_in_as(client) == uni_user
    response = client.post(reverse("accounts:logout"))
    assert (response.status_code, response.url) == (302, reverse("home"))
    assert _logged_in_as(client) is None


# --- password reset -------------------------------------------------------------------------


def test_password_reset_end_to_end(
    client_for, uni_user, mailoutbox, django_capture_on_commit_callbacks, settings
):
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "Owner@ZJU.example"})
    assert (response.status_code, response.url) == (302, reverse("accounts:password_reset_done"))
    [message] = mailoutbox
    assert message.to == [uni_user.email]
    link = re.search(re.escape(settings.SITE_URL) + r"(/\S+)", message.body).group(1)

    response = client.get(link)  # swaps the token for a session and redirects
    assert response.status_code == 302
    set_password_url = response.url
    response = client.get(set_password_url)
    assert response.status_code == 200
    assert response.context["validlink"] is True

    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert (response.status_code, response.url) == (
        302,
        reverse("accounts:password_reset_complete"),
    )
    uni_user.refresh_from_db()
    assert uni_user.check_password(NEW_PASSWORD)

    fresh = client_for(None)
    response = fresh.post(LOGIN, {"username": uni_user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert _logged_in_as(fresh) == uni_user
    # The link worked once.
    assert client_for(None).get(link).context["validlink"] is False


def test_password_reset_for_an_unknown_email_sends_nothing(
    client_for, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(None).post(
            reverse("accounts:password_reset"), {"email": "nobody@example.org"}
        )
    # Same answer as for a known address: it does not tell who has an account.
    assert (response.status_code, response.url) == (302, reverse("accounts:password_reset_done"))
    assert mailoutbox == []


def test_password_change(client_for, uni_user):
    client = client_for(uni_user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert (response.status_code, response.url) == (302, reverse("accounts:profile"))
    uni_user.refresh_from_db()
    assert uni_user.check_password(NEW_PASSWORD)
    # Still signed in after the change.
    assert _logged_in_as(client) == uni_user


def test_password_reset_email_is_in_the_users_language(
    client_for, mailoutbox, django_capture_on_commit_callbacks
):
    with translation.override("zh-hans"):
        chinese = translation.gettext("Reset your Keqiao password")
    if chinese == "Reset your Keqiao password":
        pytest.skip("Chinese translations are not compiled (make compilemessages)")
    zh_user = factories.make_user(email="zh@example.org", language="zh-hans")
    en_user = factories.make_user(email="en@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        for user in (zh_user, en_user):
            # The page is in English; each email follows its recipient's preference.
            client_for(None).post(reverse("accounts:password_reset"), {"email": user.email})
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects == {zh_user.email: chinese, en_user.email: "Reset your Keqiao password"}
