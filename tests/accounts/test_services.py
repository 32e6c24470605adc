"""Writes of people and organisations: every transition and every refused one.

Refusals raise ``Refused`` and leave the database as it was; emails leave only once
the transaction commits.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts import services
from accounts.models import Invitation, Membership, Organization, User
from accounts.selectors import organization_members
from marketplace.refusals import Refused
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Refusals are matched by their English text, whichever catalogues are compiled."""
    with translation.override("en"):
        yield


NEW_ORG = {"kind": "enterprise", "name": "Lumen Photonics", "region": "jiangsu"}


def _person(**overrides):
    data = {
        "email": "new.person@example.org",
        "full_name": "New Person",
        "password": factories.PASSWORD,
        "preferred_language": "en",
    }
    data.update(overrides)
    return data


def _counts():
    return (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
        Invitation.objects.count(),
    )


def _recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


# --- sign-up with a new organisation --------------------------------------------------------


def test_signup_with_organization_creates_an_unverified_org_owned_by_the_user():
    user = services.user_signup_with_organization(
        **_person(email="  New.Person@Example.ORG ", full_name="  New Person "),
        organization={**NEW_ORG, "name": "  Lumen Photonics  ", "name_en": " Lumen "},
    )
    user.refresh_from_db()
    assert user.email == "new.person@example.org"
    assert user.full_name == "New Person"
    assert user.check_password(factories.PASSWORD)
    membership = user.membership
    assert (membership.role, membership.status) == ("owner", "active")
    org = membership.organization
    assert (org.name, org.name_en, org.kind, org.region) == (
        "Lumen Photonics",
        "Lumen",
        "enterprise",
        "jiangsu",
    )
    assert org.is_verified is False
    assert org.verified_at is None


@pytest.mark.parametrize("email", ["owner@zju.example", "OWNER@ZJU.example"])
def test_signup_with_existing_email_writes_nothing_and_tells_the_accounts_holder(
    uni_user, email, mailoutbox, django_capture_on_commit_callbacks
):
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_signup_with_organization(**_person(email=email), organization=NEW_ORG)
    assert user is None
    assert _counts() == before
    [message] = mailoutbox
    assert message.to == [uni_user.email]
    assert "already has an account" in message.body
    assert "/accounts/signup/confirm/" not in message.body


def test_signup_opens_the_account_only_once_its_address_is_confirmed(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_signup_with_organization(**_person(), organization=NEW_ORG)
    assert user.is_active is False
    assert user.membership.is_owner
    [message] = mailoutbox
    assert message.to == ["new.person@example.org"]
    token = message.body.split("/accounts/signup/confirm/")[1].split("/")[1]
    with pytest.raises(Refused):
        services.user_signup_confirm(user=user, token="wrong-token")
    services.user_signup_confirm(user=user, token=token)
    user.refresh_from_db()
    assert user.is_active is True
    # Once only.
    with pytest.raises(Refused):
        services.user_signup_confirm(user=user, token=token)


def test_signing_up_again_before_confirming_sends_the_link_again(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_signup_with_organization(**_person(), organization=NEW_ORG)
        again = services.user_signup_with_organization(
            **_person(), organization={**NEW_ORG, "name": "Another name"}
        )
    assert again is None
    assert Organization.objects.filter(name="Another name").count() == 0
    assert [m.to for m in mailoutbox] == [[user.email], [user.email]]
    assert all("/accounts/signup/confirm/" in m.body for m in mailoutbox)


def test_a_join_request_is_shown_to_owners_once_the_address_is_confirmed(
    university, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_signup_joining(**_person(), organization=university)
    assert user.membership not in organization_members(university)
    token = mailoutbox[0].body.split("/accounts/signup/confirm/")[1].split("/")[1]
    services.user_signup_confirm(user=user, token=token)
    assert user.membership in organization_members(university)


@pytest.mark.parametrize("name", ["New Co", "new co", "  NEW CO "])
def test_signup_with_taken_org_name_is_refused_and_writes_nothing(unverified_org, name):
    before = _counts()
    with pytest.raises(Refused) as refusal:
        services.user_signup_with_organization(**_person(), organization={**NEW_ORG, "name": name})
    assert "organization_name" in refusal.value.fields
    assert _counts() == before
    assert not User.objects.filter(email="new.person@example.org").exists()


# --- sign-up asking to join -----------------------------------------------------------------


def test_signup_joining_creates_a_pending_member_and_emails_the_owners_once_confirmed(
    university, uni_user, uni_colleague, mailoutbox, django_capture_on_commit_callbacks
):
    second_owner = factories.make_user(org=university, email="second.owner@zju.example")
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_signup_joining(**_person(), organization=university)
    membership = user.membership
    assert membership.organization == university
    assert (membership.role, membership.status) == ("member", "pending")
    # The owners are not asked until the address is confirmed.
    [confirmation] = mailoutbox
    assert confirmation.to == ["new.person@example.org"]
    token = confirmation.body.split("/accounts/signup/confirm/")[1].split("/")[1]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.user_signup_confirm(user=user, token=token)
    # Owners only; an ordinary member is not asked.
    assert _recipients(mailoutbox) == sorted([uni_user.email, second_owner.email])
    assert all("new.person@example.org" in m.body for m in mailoutbox)
    assert all(reverse("accounts:organization") in m.body for m in mailoutbox)


def test_signup_joining_with_existing_email_only_tells_the_accounts_holder(
    university, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_signup_joining(
            **_person(email=uni_user.email), organization=university
        )
    assert user is None
    assert _counts() == before
    assert [m.to for m in mailoutbox] == [[uni_user.email]]


# --- an existing user registers or joins ----------------------------------------------------


def test_existing_user_registers_an_organization(outsider):
    org = services.organization_register(user=outsider, organization=NEW_ORG)
    assert outsider.membership.organization == org
    assert outsider.membership.is_owner
    assert not org.is_verified


def test_existing_user_requests_membership(
    outsider, university, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_request(user=outsider, organization=university)
    assert (membership.user, membership.status, membership.role) == (
        outsider,
        "pending",
        "member",
    )
    assert _recipients(mailoutbox) == [uni_user.email]


@pytest.mark.parametrize("status", ["active", "pending"])
def test_a_user_who_belongs_somewhere_cannot_register_or_join(
    status, university, enterprise, mailoutbox, django_capture_on_commit_callbacks
):
    user = factories.make_user(org=university, status=status)
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Refused, match="already belong"):
            services.organization_register(user=user, organization=NEW_ORG)
        with pytest.raises(Refused, match="already belong"):
            services.membership_request(user=user, organization=enterprise)
    assert _counts() == before
    assert Membership.objects.get(user=user).organization == university
    assert mailoutbox == []


# --- invitations ----------------------------------------------------------------------------


def _invite(org, by, email="invitee@example.org"):
    return services.invitation_create(organization=org, email=email, invited_by=by)


def test_invitation_create_emails_the_accept_link(
    university, uni_user, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.INVITATION_VALID_DAYS = 14
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            organization=university, email=" Invitee@Example.org ", invited_by=uni_user
        )
    assert invitation.email == "invitee@example.org"
    assert invitation.invited_by == uni_user
    assert invitation.is_open
    assert len(invitation.token) >= 32
    assert (
        timedelta(days=13, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=14)
    )
    [message] = mailoutbox
    assert message.to == ["invitee@example.org"]
    link = settings.SITE_URL + reverse("accounts:invitation_accept", args=[invitation.token])
    assert link in message.body
    assert university.name in message.subject


@pytest.mark.parametrize("email", ["rd@shenxin.example", "RD@Shenxin.Example"])
def test_invitation_to_an_existing_account_looks_the_same_but_sends_no_link(
    university, uni_user, ent_user, email, mailoutbox, django_capture_on_commit_callbacks
):
    # The inviter sees what any invitation gives (it must not tell who has an account);
    # the account's holder is told the invitation cannot be used with it.
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(university, uni_user, email=email)
    assert invitation.email == "rd@shenxin.example"
    [message] = mailoutbox
    assert message.to == ["rd@shenxin.example"]
    assert "already has a Keqiao account" in message.body
    assert invitation.token not in message.body


def test_invitation_by_a_plain_member_is_refused(university, uni_colleague, mailoutbox):
    with pytest.raises(Refused) as refusal:
        _invite(university, uni_colleague)
    assert refusal.value.status == 403
    assert not Invitation.objects.exists()


def test_invitation_by_the_owner_of_an_unverified_organisation_is_refused(
    unverified_org, unverified_user
):
    with pytest.raises(Refused, match="verified") as refusal:
        _invite(unverified_org, unverified_user)
    assert refusal.value.status == 403
    assert not Invitation.objects.exists()


def test_invitations_per_organisation_are_capped_per_day(
    university, uni_user, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.INVITATIONS_PER_DAY = 3
    second_owner = factories.make_user(org=university, email="second-owner@zju.example")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            _invite(university, uni_user, email=f"a{n}@example.org")
        # Withdrawing one does not give it back; a second owner shares the cap.
        services.invitation_revoke(invitation=Invitation.objects.first(), actor=uni_user)
        _invite(university, second_owner, email="a2@example.org")
        with pytest.raises(Refused, match="3 invitations for today") as refusal:
            _invite(university, uni_user, email="a3@example.org")
    assert refusal.value.status == 429
    assert Invitation.objects.count() == 2
    assert len(mailoutbox) == 3


def test_a_second_invitation_to_the_same_address_replaces_the_first(
    university, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _invite(university, uni_user)
        second = _invite(university, uni_user, email="INVITEE@example.org")
    assert list(Invitation.objects.values_list("pk", flat=True)) == [second.pk]
    assert first.token != second.token
    assert len(mailoutbox) == 2
    assert second.token in mailoutbox[1].body


def test_an_invitation_from_another_organization_is_not_replaced(
    university, uni_user, enterprise, ent_user
):
    ours = _invite(university, uni_user)
    theirs = _invite(enterprise, ent_user)
    assert set(Invitation.objects.values_list("pk", flat=True)) == {ours.pk, theirs.pk}


def test_signup_invited_creates_an_active_member_and_closes_the_invitation(university, uni_user):
    invitation = _invite(university, uni_user)
    user = services.user_signup_invited(
        invitation=invitation,
        full_name="Invited Person",
        password=factories.PASSWORD,
        preferred_language="zh-hans",
    )
    assert user.email == "invitee@example.org"
    assert user.preferred_language == "zh-hans"
    assert (user.membership.organization, user.membership.role, user.membership.status) == (
        university,
        "member",
        "active",
    )
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert not invitation.is_open


def _signup_invited(invitation):
    return services.user_signup_invited(
        invitation=invitation,
        full_name="Invited Person",
        password=factories.PASSWORD,
        preferred_language="en",
    )


def test_an_expired_invitation_is_refused(university, uni_user):
    invitation = _invite(university, uni_user)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    before = _counts()
    with pytest.raises(Refused, match="expired"):
        _signup_invited(invitation)
    assert _counts() == before


def test_a_used_invitation_is_refused(university, uni_user):
    invitation = _invite(university, uni_user)
    _signup_invited(invitation)
    before = _counts()
    # The caller's copy still looks open; the service re-reads it under a lock.
    assert invitation.accepted_at is None
    with pytest.raises(Refused, match="already been used"):
        _signup_invited(invitation)
    assert _counts() == before


def test_invited_email_registered_meanwhile_is_refused(university, uni_user):
    invitation = _invite(university, uni_user)
    factories.make_user(email="invitee@example.org")
    before = _counts()
    with pytest.raises(Refused) as refusal:
        _signup_invited(invitation)
    assert "email" in refusal.value.fields
    assert _counts() == before
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invitation_revoke_deletes_it(university, uni_user):
    invitation = _invite(university, uni_user)
    services.invitation_revoke(invitation=invitation, actor=uni_user)
    assert not Invitation.objects.exists()


def test_invitation_revoke_by_a_plain_member_is_refused(university, uni_user, uni_colleague):
    invitation = _invite(university, uni_user)
    with pytest.raises(Refused) as refusal:
        services.invitation_revoke(invitation=invitation, actor=uni_colleague)
    assert refusal.value.status == 403
    assert Invitation.objects.filter(pk=invitation.pk).exists()


# --- answering a request to join ------------------------------------------------------------


def test_membership_approve(applicant, uni_user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(membership=applicant.membership, actor=uni_user)
    membership = Membership.objects.get(user=applicant)
    assert (membership.status, membership.role) == ("active", "member")
    assert _recipients(mailoutbox) == ["applicant@example.org"]
    assert "浙江大学" in mailoutbox[0].subject


def test_membership_decline_deletes_the_request_and_keeps_the_account(
    applicant, uni_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decline(membership=applicant.membership, actor=uni_user)
    assert not Membership.objects.filter(user=applicant).exists()
    assert User.objects.filter(pk=applicant.pk, is_active=True).exists()
    assert _recipients(mailoutbox) == ["applicant@example.org"]
    assert "declined" in mailoutbox[0].subject


@pytest.mark.parametrize("first", ["approve", "decline"])
@pytest.mark.parametrize("second", ["approve", "decline"])
def test_answering_twice_is_refused(
    first, second, applicant, uni_user, django_capture_on_commit_callbacks
):
    membership = applicant.membership
    getattr(services, f"membership_{first}")(membership=membership, actor=uni_user)
    state = list(Membership.objects.filter(user=applicant).values_list("status", flat=True))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        if first == "decline":
            # The request is gone: a second answer finds nothing to answer.
            with pytest.raises(Membership.DoesNotExist):
                getattr(services, f"membership_{second}")(membership=membership, actor=uni_user)
        else:
            with pytest.raises(Refused, match="already been answered"):
                getattr(services, f"membership_{second}")(membership=membership, actor=uni_user)
    assert callbacks == []
    assert list(Membership.objects.filter(user=applicant).values_list("status", flat=True)) == (
        state
    )


@pytest.mark.parametrize("answer", ["approve", "decline"])
def test_an_active_member_cannot_be_approved_or_declined(answer, uni_colleague, uni_user):
    with pytest.raises(Refused, match="already been answered"):
        getattr(services, f"membership_{answer}")(
            membership=uni_colleague.membership, actor=uni_user
        )
    assert Membership.objects.get(user=uni_colleague).status == "active"


# --- verification ---------------------------------------------------------------------------


def test_organization_verify_records_who_and_when_and_emails_owners_in_their_language(
    unverified_org, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    unverified_org.name, unverified_org.name_en = "新创科技", "New Co"
    unverified_org.save()
    zh_owner = factories.make_user(org=unverified_org, language="zh-hans", email="zh@newco.example")
    en_owner = factories.make_user(org=unverified_org, language="en", email="en@newco.example")
    factories.make_user(org=unverified_org, role="member", email="member@newco.example")
    with django_capture_on_commit_callbacks(execute=True):
        org = services.organization_verify(organization=unverified_org, moderator=moderator)
    org.refresh_from_db()
    assert org.is_verified
    assert org.verified_by == moderator
    assert timezone.now() - org.verified_at < timedelta(minutes=1)
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert sorted(by_recipient) == [en_owner.email, zh_owner.email]
    # The organisation's name follows each owner's language: the email was rendered in it.
    assert "新创科技" in by_recipient[zh_owner.email].body
    assert "New Co" not in by_recipient[zh_owner.email].body
    assert "New Co" in by_recipient[en_owner.email].body
    assert "新创科技" not in by_recipient[en_owner.email].body


def _chinese_compiled() -> bool:
    with translation.override("zh-hans"):
        return translation.gettext("The Keqiao team") != "The Keqiao team"


def test_organization_verified_email_subject_is_chinese_for_a_chinese_owner(
    unverified_org, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    if not _chinese_compiled():
        pytest.skip("Chinese translations are not compiled (make compilemessages)")
    zh_owner = factories.make_user(org=unverified_org, language="zh-hans")
    en_owner = factories.make_user(org=unverified_org, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_verify(organization=unverified_org, moderator=moderator)
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects[en_owner.email] == "New Co is now verified on Keqiao"
    assert subjects[zh_owner.email] != subjects[en_owner.email]
    assert "科桥" in subjects[zh_owner.email]


def test_organization_verify_is_idempotent(
    university, uni_user, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    verified_at = university.verified_at
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_verify(organization=university, moderator=admin_user)
    university.refresh_from_db()
    assert (university.is_verified, university.verified_at, university.verified_by) == (
        True,
        verified_at,
        None,
    )
    assert mailoutbox == []


def test_organization_unverify_clears_the_verification_and_tells_the_owners(
    university, uni_user, uni_colleague, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_unverify(organization=university, moderator=moderator)
    university.refresh_from_db()
    assert (university.is_verified, university.verified_at, university.verified_by) == (
        False,
        None,
        None,
    )
    assert _recipients(mailoutbox) == [uni_user.email]
    assert "浙江大学" in mailoutbox[0].body


def test_organization_unverify_is_idempotent(
    unverified_org, unverified_user, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_unverify(organization=unverified_org, moderator=moderator)
    unverified_org.refresh_from_db()
    assert not unverified_org.is_verified
    assert unverified_org.verified_at is None
    assert mailoutbox == []


def test_verify_after_unverify_records_the_new_moderator(university, moderator, admin_user):
    services.organization_unverify(organization=university, moderator=moderator)
    services.organization_verify(organization=university, moderator=admin_user)
    university.refresh_from_db()
    assert university.is_verified
    assert university.verified_by == admin_user


# --- profile and organisation edits ---------------------------------------------------------


def test_user_update_profile(uni_user):
    services.user_update_profile(
        user=uni_user, full_name="  Renamed  ", preferred_language="zh-hans"
    )
    uni_user.refresh_from_db()
    assert (uni_user.full_name, uni_user.preferred_language) == ("Renamed", "zh-hans")


def test_organization_update_leaves_name_kind_and_verification_alone(university):
    services.organization_update(
        organization=university,
        data={
            "name": "Renamed",
            "kind": "enterprise",
            "is_verified": False,
            "website": "https://zju.example",
            "region": "shanghai",
        },
    )
    university.refresh_from_db()
    assert (university.name, university.kind, university.is_verified) == (
        "浙江大学",
        "university",
        True,
    )
    assert (university.website, university.region) == ("https://zju.example", "shanghai")
