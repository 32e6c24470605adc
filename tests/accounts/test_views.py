"""The pages of accounts: the permission matrix of each view, and what each one writes.

Rows: visitor, owner (of the university), member (of the university), pending (asked to
join the university, not answered yet), other_org (owner of the enterprise), outsider
(signed in, no organisation), moderator (staff, no organisation).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from accounts import services
from accounts.models import Invitation, Membership, Organization, User
from tests import factories

pytestmark = pytest.mark.django_db

ROWS = ["visitor", "owner", "member", "pending", "other_org", "outsider", "moderator"]
LOGIN = reverse("accounts:login")
DASHBOARD = reverse("listings:dashboard")
ORGANIZATION = reverse("accounts:organization")
NEW_PASSWORD = "violet-anchor-lantern-42"


@pytest.fixture
def applicant(university):
    """Asked to join the university; its owners have not answered yet."""
    return factories.make_user(org=university, status="pending", email="applicant@example.org")


@pytest.fixture
def who(uni_user, uni_colleague, applicant, ent_user, outsider, moderator):
    return {
        "visitor": None,
        "owner": uni_user,
        "member": uni_colleague,
        "pending": applicant,
        "other_org": ent_user,
        "outsider": outsider,
        "moderator": moderator,
    }


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _logged_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def _counts():
    return (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
        Invitation.objects.count(),
    )


def _assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(LOGIN + "?next=")


# --- sign-up --------------------------------------------------------------------------------


def signup_post(**overrides):
    data = {
        "full_name": "Li Na",
        "email": "li.na@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "preferred_language": "zh-hans",
        "organization_choice": "create",
        "organization_kind": "enterprise",
        "organization_name": "Lumen Photonics",
        "organization_name_en": "",
        "organization_region": "jiangsu",
        "organization_website": "lumen.example",
        "join_organization": "",
    }
    data.update(overrides)
    return data


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


def test_signup_registering_an_organization(client_for):
    client = client_for(None)
    response = client.post(reverse("accounts:signup"), signup_post())
    assert (response.status_code, response.url) == (302, DASHBOARD)
    user = User.objects.get(email="li.na@example.org")
    assert _logged_in_as(client) == user
    assert response.cookies["django_language"].value == "zh-hans"
    assert user.membership.is_owner
    org = user.membership.organization
    assert (org.name, org.kind, org.region, org.website, org.is_verified) == (
        "Lumen Photonics",
        "enterprise",
        "jiangsu",
        "https://lumen.example",
        False,
    )
    assert any("verify your organisation" in m for m in _messages(response))


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
    assert (response.status_code, response.url) == (302, DASHBOARD)
    user = User.objects.get(email="li.na@example.org")
    assert _logged_in_as(client) == user
    assert (user.membership.organization, user.membership.status) == (university, "pending")
    assert Organization.objects.count() == 1
    assert [m.to for m in mailoutbox] == [[uni_user.email]]
    assert any("request to join" in m for m in _messages(response))


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
        ({"email": "OWNER@zju.example"}, "email", "already exists"),
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


# --- the organisation page ------------------------------------------------------------------


def test_organization_page_for_a_visitor(client_for):
    _assert_login_redirect(client_for(None).get(ORGANIZATION))


def test_organization_page_for_the_owner(client_for, uni_user, uni_colleague, applicant):
    response = client_for(uni_user).get(ORGANIZATION)
    assert response.status_code == 200
    assert response.context["organization"] == uni_user.membership.organization
    assert response.context["is_owner"] is True
    assert {m.user for m in response.context["members"]} == {uni_user, uni_colleague, applicant}
    content = response.content.decode()
    assert reverse("accounts:membership_approve", args=[applicant.membership.pk]) in content
    assert reverse("accounts:membership_decline", args=[applicant.membership.pk]) in content
    assert reverse("accounts:organization_edit") in content


def test_organization_page_for_a_member(client_for, uni_user, uni_colleague, applicant):
    response = client_for(uni_colleague).get(ORGANIZATION)
    assert response.status_code == 200
    assert response.context["is_owner"] is False
    content = response.content.decode()
    assert applicant.email in content
    assert reverse("accounts:membership_approve", args=[applicant.membership.pk]) not in content
    assert reverse("accounts:organization_edit") not in content
    # Any member may invite a colleague.
    assert reverse("accounts:invitation_create") in content


def test_organization_page_for_a_pending_member(client_for, applicant, university):
    response = client_for(applicant).get(ORGANIZATION)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "accounts/organization_none.html"
    assert response.context["pending"].organization == university
    assert response.context["form"] is None
    assert b'data-testid="pending-membership"' in response.content
    assert reverse("accounts:organization_join").encode() not in response.content


@pytest.mark.parametrize("row", ["outsider", "moderator"])
def test_organization_page_without_organization_offers_register_or_join(row, who, client_for):
    response = client_for(who[row]).get(ORGANIZATION)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "accounts/organization_none.html"
    assert response.context["pending"] is None
    assert response.context["form"] is not None
    assert reverse("accounts:organization_join").encode() in response.content


# --- registering or joining later -----------------------------------------------------------

JOIN_URL = reverse("accounts:organization_join")


def test_join_page_needs_a_signed_in_user_and_post(client_for, outsider):
    before = _counts()
    _assert_login_redirect(client_for(None).post(JOIN_URL, signup_post()))
    assert client_for(outsider).get(JOIN_URL).status_code == 405
    assert _counts() == before


def test_outsider_registers_an_organization(client_for, outsider):
    response = client_for(outsider).post(JOIN_URL, signup_post())
    assert (response.status_code, response.url) == (302, ORGANIZATION)
    membership = Membership.objects.get(user=outsider)
    assert membership.is_owner
    assert membership.organization.name == "Lumen Photonics"
    assert not membership.organization.is_verified


def test_outsider_asks_to_join(
    client_for, outsider, university, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(outsider).post(
            JOIN_URL, {"organization_choice": "join", "join_organization": university.pk}
        )
    assert (response.status_code, response.url) == (302, ORGANIZATION)
    membership = Membership.objects.get(user=outsider)
    assert (membership.organization, membership.status) == (university, "pending")
    assert [m.to for m in mailoutbox] == [[uni_user.email]]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"organization_choice": "create", "organization_name": "X"},
            "organization_kind",
            "required to register",
        ),
        (
            {"organization_choice": "create", "organization_kind": "enterprise"},
            "organization_name",
            "required to register",
        ),
        ({"organization_choice": "join"}, "join_organization", "Choose the organisation"),
        ({}, "organization_choice", "This field is required."),
    ],
)
def test_join_with_missing_fields_is_a_400_with_errors(data, field, message, client_for, outsider):
    before = _counts()
    response = client_for(outsider).post(JOIN_URL, data)
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field])
    assert f'id="id_{field}_errors"'.encode() in response.content
    assert message.encode() in response.content
    assert _counts() == before


def test_join_with_a_taken_name_is_a_400(client_for, outsider, enterprise):
    before = _counts()
    response = client_for(outsider).post(JOIN_URL, signup_post(organization_name="深芯微电子"))
    assert response.status_code == 400
    assert "organization_name" in response.context["form"].errors
    assert _counts() == before


@pytest.mark.parametrize("row", ["owner", "pending"])
def test_join_by_someone_who_belongs_somewhere_is_refused(row, who, client_for, enterprise):
    before = _counts()
    response = client_for(who[row]).post(
        JOIN_URL, {"organization_choice": "join", "join_organization": enterprise.pk}
    )
    assert response.status_code == 400
    assert "already belong" in str(response.context["form"].non_field_errors())
    assert _counts() == before
    assert Membership.objects.get(user=who[row]).organization.name == "浙江大学"


# --- editing the organisation ---------------------------------------------------------------

EDIT_URL = reverse("accounts:organization_edit")


def edit_post(**overrides):
    data = {
        "name_en": "Zhejiang University",
        "region": "zhejiang",
        "website": "www.zju.example",
        "description": "A research university in Hangzhou.",
    }
    data.update(overrides)
    return data


def _profile(org):
    org.refresh_from_db()
    return (org.name, org.kind, org.name_en, org.region, org.website, org.description)


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ("visitor", 302),
        ("owner", 302),
        ("member", 403),
        ("pending", 403),
        ("outsider", 403),
        ("moderator", 403),
    ],
)
def test_organization_edit_matrix(row, code, who, client_for, university):
    before = _profile(university)
    response = client_for(who[row]).post(EDIT_URL, edit_post(name="Renamed", kind="enterprise"))
    assert response.status_code == code
    if row == "owner":
        assert response.url == ORGANIZATION
        assert _profile(university) == (
            "浙江大学",
            "university",
            "Zhejiang University",
            "zhejiang",
            "https://www.zju.example",
            "A research university in Hangzhou.",
        )
    else:
        assert _profile(university) == before


def test_organization_edit_by_another_owner_changes_their_own_organisation(
    client_for, ent_user, enterprise, university
):
    before = _profile(university)
    client_for(ent_user).post(EDIT_URL, edit_post(name_en="Shenxin Micro"))
    assert _profile(university) == before
    enterprise.refresh_from_db()
    assert enterprise.name_en == "Shenxin Micro"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"website": "not a url"}, "website"), ({"region": "atlantis"}, "region")],
)
def test_organization_edit_with_bad_input_is_a_400_and_saves_nothing(
    overrides, field, client_for, uni_user, university
):
    before = _profile(university)
    response = client_for(uni_user).post(EDIT_URL, edit_post(**overrides))
    assert response.status_code == 400
    assert field in response.context["organization_form"].errors
    assert _profile(university) == before
    # The page shows the stored profile, not the rejected input.
    assert response.context["organization"].name_en == before[2]


def test_organization_edit_refuses_get(client_for, uni_user):
    assert client_for(uni_user).get(EDIT_URL).status_code == 405


# --- invitations ----------------------------------------------------------------------------

INVITE_URL = reverse("accounts:invitation_create")


@pytest.mark.parametrize(
    ("row", "code", "invited"),
    [
        ("visitor", 302, False),
        ("owner", 302, True),
        ("member", 302, True),
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
        ("RD@shenxin.example", "already has an account"),
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
        ("member", 302),
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


# --- answering requests to join -------------------------------------------------------------


def _answer_url(answer, membership):
    return reverse(f"accounts:membership_{answer}", args=[membership.pk])


@pytest.mark.parametrize("answer", ["approve", "decline"])
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
def test_membership_answer_matrix(
    answer, row, code, who, applicant, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    membership = applicant.membership
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(who[row]).post(_answer_url(answer, membership))
    assert response.status_code == code
    after = Membership.objects.filter(pk=membership.pk).values_list("status", flat=True).first()
    if row == "owner":
        assert response.url == ORGANIZATION
        assert after == ("active" if answer == "approve" else None)
        assert [m.to for m in mailoutbox] == [[applicant.email]]
    else:
        assert after == "pending"
        assert mailoutbox == []


def test_another_organisations_request_is_404(client_for, uni_user, enterprise):
    theirs = factories.make_user(org=enterprise, status="pending")
    for answer in ("approve", "decline"):
        response = client_for(uni_user).post(_answer_url(answer, theirs.membership))
        assert response.status_code == 404
    assert Membership.objects.get(user=theirs).status == "pending"


def test_approving_twice_shows_a_message(client_for, uni_user, applicant):
    client = client_for(uni_user)
    client.post(_answer_url("approve", applicant.membership))
    response = client.post(_answer_url("approve", applicant.membership))
    assert (response.status_code, response.url) == (302, ORGANIZATION)
    assert any("already been answered" in m for m in _messages(response))
    assert Membership.objects.get(user=applicant).status == "active"


def test_declining_an_active_member_shows_a_message(client_for, uni_user, uni_colleague):
    response = client_for(uni_user).post(_answer_url("decline", uni_colleague.membership))
    assert response.status_code == 302
    assert any("already been answered" in m for m in _messages(response))
    assert Membership.objects.get(user=uni_colleague).status == "active"


def test_declining_twice_is_404(client_for, uni_user, applicant):
    client = client_for(uni_user)
    url = _answer_url("decline", applicant.membership)
    client.post(url)
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("answer", ["approve", "decline"])
def test_membership_answers_refuse_get(answer, client_for, uni_user, applicant):
    assert client_for(uni_user).get(_answer_url(answer, applicant.membership)).status_code == 405
    assert Membership.objects.get(user=applicant).status == "pending"


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
