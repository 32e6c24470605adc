"""Invitations: creating and revoking them (the permission matrices), accepting one, and
the invalid ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, User
from tests import factories

from .support import DASHBOARD, NEW_PASSWORD, ORGANIZATION, _counts, _logged_in_as, _messages

pytestmark = pytest.mark.django_db


# --- invitations ----------------------------------------------------------------------------

INVITE_URL = reverse("accounts:invitation_create")


@pytest.mark.parametrize(
    ("row", "code", "invited"),
    [
        ("visitor", 302, False),
        ("owner", 302, True),
        ("member", 403, False),
        ("pending", 403, False),
        ("outsider", 403, False),
        ("moderator", 403, False),
    ],
)
def test_invitation_create_matrix(
    row, code, invited, who, client_for, university, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(who[row]).post(INVITE_URL, {"email": "Invitee@Example.org"})
    assert response.status_code == code
    invitations = list(Invitation.objects.all())
    if invited:
        assert response.url == ORGANIZATION
        [invitation] = invitations
        assert (invitation.organization, invitation.email, invitation.invited_by) == (
            university,
            "invitee@example.org",
            who[row],
        )
        assert [m.to for m in mailoutbox] == [["invitee@example.org"]]
        assert any("invitation was emailed" in m for m in _messages(response))
    else:
        assert invitations == []
        assert mailoutbox == []


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-email", "valid email"),
        ("", "required"),
    ],
)
def test_invitation_create_with_a_bad_email_shows_an_error_and_creates_nothing(
    email, message, client_for, uni_user, ent_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(uni_user).post(INVITE_URL, {"email": email})
    assert (response.status_code, response.url) == (302, ORGANIZATION)
    assert any(message in m for m in _messages(response))
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_invitation_answer_does_not_tell_whether_the_address_has_an_account(
    client_for, uni_user, ent_user, mailoutbox, django_capture_on_commit_callbacks
):
    answers = []
    for email in ("RD@shenxin.example", "nobody@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(uni_user).post(INVITE_URL, {"email": email})
        answers.append(
            (
                response.status_code,
                response.url,
                [m.replace(email, "X") for m in _messages(response)],
            )
        )
    assert answers[0] == answers[1] == (302, ORGANIZATION, ["An invitation was emailed to X."])
    assert Invitation.objects.count() == 2
    # The account's holder is told; only the newcomer gets a link.
    assert [m.to for m in mailoutbox] == [["rd@shenxin.example"], ["nobody@example.org"]]
    assert "already has a Keqiao account" in mailoutbox[0].body


def test_invitation_by_the_owner_of_an_unverified_organisation_is_403(
    client_for, unverified_user, mailoutbox
):
    response = client_for(unverified_user).post(INVITE_URL, {"email": "a@example.org"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_invitation_daily_cap_answers_429_with_retry_after(
    client_for, uni_user, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.INVITATIONS_PER_DAY = 2
    client = client_for(uni_user)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            assert client.post(INVITE_URL, {"email": f"a{n}@example.org"}).status_code == 302
        response = client.post(INVITE_URL, {"email": "a2@example.org"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 86400
    assert "2 invitations for today" in response.content.decode()
    assert Invitation.objects.count() == 2
    assert len(mailoutbox) == 2


def test_open_invitations_are_listed_on_the_organization_page(client_for, university, uni_user):
    invitation = services.invitation_create(
        organization=university, email="invitee@example.org", invited_by=uni_user
    )
    response = client_for(uni_user).get(ORGANIZATION)
    assert list(response.context["invitations"]) == [invitation]
    assert reverse("accounts:invitation_revoke", args=[invitation.pk]).encode() in response.content


@pytest.fixture
def invitation(university, uni_user):
    return services.invitation_create(
        organization=university, email="invitee@example.org", invited_by=uni_user
    )


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ("visitor", 302),
        ("owner", 302),
        ("member", 403),
        ("pending", 403),
        ("other_org", 404),
        ("outsider", 403),
        ("moderator", 403),
    ],
)
def test_invitation_revoke_matrix(row, code, who, client_for, invitation):
    response = client_for(who[row]).post(
        reverse("accounts:invitation_revoke", args=[invitation.pk])
    )
    assert response.status_code == code
    assert Invitation.objects.filter(pk=invitation.pk).exists() is (code != 302 or row == "visitor")


def test_invitation_revoke_of_an_accepted_invitation_is_404(client_for, uni_user, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    response = client_for(uni_user).post(
        reverse("accounts:invitation_revoke", args=[invitation.pk])
    )
    assert response.status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_invitation_revoke_refuses_get(client_for, uni_user, invitation):
    url = reverse("accounts:invitation_revoke", args=[invitation.pk])
    assert client_for(uni_user).get(url).status_code == 405
    assert Invitation.objects.filter(pk=invitation.pk).exists()


# --- accepting an invitation ----------------------------------------------------------------


def _accept_url(invitation):
    return reverse("accounts:invitation_accept", args=[invitation.token])


def accept_post(**overrides):
    data = {
        "full_name": "Zhao Lei",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "preferred_language": "en",
    }
    data.update(overrides)
    return data


def test_invitation_accept_page_shows_the_invited_email(client_for, invitation):
    response = client_for(None).get(_accept_url(invitation))
    assert response.status_code == 200
    assert b"invitee@example.org" in response.content
    assert "email" not in response.context["form"].fields


def test_invitation_accept_creates_an_active_member_and_logs_in(client_for, invitation, university):
    client = client_for(None)
    response = client.post(_accept_url(invitation), accept_post())
    assert (response.status_code, response.url) == (302, DASHBOARD)
    assert response.cookies["django_language"].value == "en"
    user = User.objects.get(email="invitee@example.org")
    assert _logged_in_as(client) == user
    assert (user.membership.organization, user.membership.status) == (university, "active")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    # The link works only once.
    assert client_for(None).get(_accept_url(invitation)).status_code == 404


def test_invitation_accept_with_bad_input_creates_nothing(client_for, invitation):
    before = _counts()
    client = client_for(None)
    response = client.post(_accept_url(invitation), accept_post(password2="something-else-77"))
    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert _counts() == before
    assert _logged_in_as(client) is None


def test_invitation_accept_when_the_email_was_registered_meanwhile(client_for, invitation):
    factories.make_user(email="invitee@example.org")
    before = _counts()
    response = client_for(None).post(_accept_url(invitation), accept_post())
    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].non_field_errors())
    assert b"already exists" in response.content
    assert _counts() == before


@pytest.mark.parametrize("case", ["unknown", "expired", "used", "revoked"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_invalid_invitation_is_a_404_page(case, method, client_for, invitation):
    url = _accept_url(invitation)
    if case == "unknown":
        url = reverse("accounts:invitation_accept", args=["no-such-token"])
    elif case == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    elif case == "used":
        Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    else:
        invitation.delete()
    before = _counts()
    response = getattr(client_for(None), method)(url, accept_post())
    assert response.status_code == 404
    assert "accounts/invitation_invalid.html" in [t.name for t in response.templates]
    assert _counts() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_invitation_accept_by_a_signed_in_user_redirects_with_a_warning(
    method, client_for, outsider, invitation
):
    before = _counts()
    response = getattr(client_for(outsider), method)(_accept_url(invitation), accept_post())
    assert (response.status_code, response.url) == (302, DASHBOARD)
    assert any("signed in already" in m for m in _messages(response))
    assert _counts() == before
    invitation.refresh_from_db()
    assert invitation.is_open
