"""The sign-up page: who may use it, registering an organisation or asking to join one,
and each bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Organization, User

from .support import DASHBOARD, _counts, _logged_in_as, _messages, signup_post

pytestmark = pytest.mark.django_db


# --- sign-up --------------------------------------------------------------------------------


def test_signup_page_for_a_visitor(client_for, university):
    response = client_for(None).get(reverse("accounts:signup"))
    assert response.status_code == 200
    assert university in response.context["form"].fields["join_organization"].queryset


@pytest.mark.parametrize("row", ["owner", "pending", "outsider", "moderator"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_signup_redirects_a_signed_in_user_and_creates_nothing(row, method, who, client_for):
    before = _counts()
    response = getattr(client_for(who[row]), method)(reverse("accounts:signup"), signup_post())
    assert (response.status_code, response.url) == (302, DASHBOARD)
    assert _counts() == before


SENT = reverse("accounts:signup_sent")


def _confirm_link(message) -> str:
    return (
        "/accounts/signup/confirm/" + message.body.split("/accounts/signup/confirm/")[1].split()[0]
    )


def test_signup_registering_an_organization(
    client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), signup_post())
    assert (response.status_code, response.url) == (302, SENT)
    assert response.cookies["django_language"].value == "zh-hans"
    user = User.objects.get(email="li.na@example.org")
    # Not signed in until the address is confirmed.
    assert _logged_in_as(client) is None
    assert user.is_active is False
    assert user.membership.is_owner
    org = user.membership.organization
    assert (org.name, org.kind, org.region, org.website, org.is_verified) == (
        "Lumen Photonics",
        "enterprise",
        "jiangsu",
        "https://lumen.example",
        False,
    )
    [message] = mailoutbox
    assert message.to == ["li.na@example.org"]
    link = _confirm_link(message)
    response = client.get(link)
    assert (response.status_code, response.url) == (302, DASHBOARD)
    assert _logged_in_as(client) == user
    # In the account's language (Chinese here), the cookie set at sign-up.
    assert any("审核员将对您的机构进行认证" in m for m in _messages(response))
    # The link works once.
    assert client_for(None).get(link).status_code == 404


def test_signup_confirm_with_a_bad_link_is_404(client_for, outsider):
    for link in ("/accounts/signup/confirm/xx/yy/", "/accounts/signup/confirm/MQ/bad-token/"):
        assert client_for(None).get(link).status_code == 404


def test_signup_joining_an_organization(
    client_for, university, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:signup"),
            signup_post(
                organization_choice="join",
                organization_kind="",
                organization_name="",
                organization_region="",
                join_organization=university.pk,
                preferred_language="en",
            ),
        )
    assert (response.status_code, response.url) == (302, SENT)
    user = User.objects.get(email="li.na@example.org")
    assert (user.membership.organization, user.membership.status) == (university, "pending")
    assert Organization.objects.count() == 1
    [confirmation] = mailoutbox
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(_confirm_link(confirmation))
    assert (response.status_code, response.url) == (302, DASHBOARD)
    assert _logged_in_as(client) == user
    assert [m.to for m in mailoutbox] == [[uni_user.email]]
    assert any("request to join" in m for m in _messages(response))


def test_signup_with_an_address_that_has_an_account_answers_the_same(
    client_for, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    before = _counts()
    answers = []
    for email, name in (("OWNER@zju.example", "Lumen One"), ("new@example.org", "Lumen Two")):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(None).post(
                reverse("accounts:signup"), signup_post(email=email, organization_name=name)
            )
        answers.append((response.status_code, response.url, _messages(response)))
    assert answers[0] == answers[1] == (302, SENT, [])
    # Only the new address opened (an inactive) account; the holder of the other was told.
    assert _counts()[0] == before[0] + 1
    assert [m.to for m in mailoutbox] == [[uni_user.email], ["new@example.org"]]
    assert "already has an account" in mailoutbox[0].body


JOIN_WITHOUT_ORG = {
    "organization_choice": "join",
    "organization_kind": "",
    "organization_name": "",
    "organization_region": "",
}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": "violet-anchor-lantern-43"}, "password2", "The two passwords differ."),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "too common"),
        (
            {"password1": "li.na.example", "password2": "li.na.example"},
            "password1",
            "too similar",
        ),
        ({"organization_kind": ""}, "organization_kind", "required to register"),
        ({"organization_name": "  "}, "organization_name", "required to register"),
        ({"organization_region": ""}, "organization_region", "required to register"),
        (JOIN_WITHOUT_ORG, "join_organization", "Choose the organisation"),
        ({"join_organization": "999999", **JOIN_WITHOUT_ORG}, "join_organization", "valid"),
        ({"organization_name": "浙江大学"}, "organization_name", "exists; ask to join"),
        ({"organization_choice": "both"}, "organization_choice", "valid choice"),
        ({"full_name": ""}, "full_name", "required"),
    ],
)
def test_signup_errors_show_the_message_and_create_nothing(
    overrides, field, message, client_for, uni_user, mailoutbox
):
    before = _counts()
    client = client_for(None)
    response = client.post(reverse("accounts:signup"), signup_post(**overrides))
    assert response.status_code in (200, 400)
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert message.encode() in response.content
    assert _counts() == before
    assert _logged_in_as(client) is None
    assert mailoutbox == []
