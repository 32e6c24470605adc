"""The organisation page, registering or joining an organisation after signing up, and
editing the organisation's profile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Membership

from .support import ORGANIZATION, _assert_login_redirect, _counts, signup_post

pytestmark = pytest.mark.django_db


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
    # Only owners invite colleagues.
    assert reverse("accounts:invitation_create") not in content


def test_organization_page_of_an_unverified_owner_explains_invitations_wait(
    client_for, unverified_user
):
    content = client_for(unverified_user).get(ORGANIZATION).content.decode()
    assert reverse("accounts:invitation_create") not in content
    assert "once a moderator has verified it" in content


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
