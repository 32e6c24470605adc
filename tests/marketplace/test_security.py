"""Response headers (CSP, Permissions-Policy, Referrer-Policy, nosniff, Cache-Control for
signed-in users) and the translated CSRF failure page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


def test_pages_carry_a_strict_content_security_policy(client_for):
    response = client_for(None).get(reverse("search:achievement_list"))
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_admin_pages_carry_the_same_policy(client_for, admin_user):
    response = client_for(admin_user).get(reverse("admin:listings_achievement_changelist"))
    assert response.status_code == 200
    assert directives(response)["script-src"] == "'self'"


def test_the_embeddable_widget_keeps_its_own_policy(client_for, university):
    factories.make_achievement(university)
    response = client_for(None).get(reverse("public:organization_widget", args=[university.pk]))
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in response


def test_every_response_has_the_security_headers(client_for):
    response = client_for(None).get(reverse("home"))
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_error_pages_have_the_headers_too(client_for):
    response = client_for(None).get("/no-such-page/")
    assert response.status_code == 404
    assert directives(response)["script-src"] == "'self'"
    assert "Permissions-Policy" in response


def test_pages_for_visitors_may_be_cached(client_for):
    response = client_for(None).get(reverse("public:robots"))
    assert "no-store" not in response.get("Cache-Control", "")
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize(
    "page",
    ["listings:dashboard", "search:achievement_list", "public:robots", "home"],
)
def test_every_response_to_a_signed_in_user_is_private_and_not_stored(client_for, uni_user, page):
    response = client_for(uni_user).get(reverse(page))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Expires" not in response


def test_a_conversation_page_is_not_stored(client_for, uni_user, ent_user, university):
    from marketplace.deals import services

    achievement = factories.make_achievement(university, user=uni_user)
    interest = services.interest_express(
        listing=achievement, user=ent_user, purpose="licence", message="A licence, please."
    )
    conversation = services.interest_accept(interest=interest, user=uni_user)
    response = client_for(ent_user).get(
        reverse("deals:conversation_detail", args=[conversation.pk])
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_confidential_attachment_is_not_stored(client_for, uni_user, university):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from marketplace.listings.services import attachment_add

    achievement = factories.make_achievement(university, user=uni_user)
    attachment = attachment_add(
        listing=achievement,
        user=uni_user,
        file=SimpleUploadedFile("spec.pdf", b"%PDF-1.4 secret", content_type="application/pdf"),
        title="Confidential spec",
        is_confidential=True,
    )
    response = client_for(uni_user).get(
        reverse("listings:attachment_download", args=[attachment.pk])
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "The form has expired"), ("zh-hans", "表单已过期")],
)
def test_a_failed_csrf_check_shows_a_translated_page(db, language, expected):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post(reverse("accounts:login"), {"username": "a@b.c", "password": "x"})
    assert response.status_code == 403
    text = response.content.decode()
    assert expected in text
    assert "CSRF verification failed" not in text
    # The cookie was never set: the page says so.
    assert 'data-testid="csrf-failure"' in text
    assert directives(response)["script-src"] == "'self'"


def test_the_csrf_page_names_the_missing_cookie_only_when_it_is_missing(db, client):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(reverse("accounts:login"), {})
    assert "did not send Keqiao" in response.content.decode()
    client.get(reverse("accounts:login"))  # sets the cookie
    response = client.post(reverse("accounts:login"), {"csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert "did not send Keqiao" not in response.content.decode()
