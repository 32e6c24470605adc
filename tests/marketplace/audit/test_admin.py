"""Admin edits are recorded with their values before and after, and the log is read by
superusers alone, never written by anyone.

People: the desk moderator (Moderators group, as ``seed_demo`` builds it), a moderator who
was even given the permission to view the log, and the superuser.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import Membership, Organization, User
from marketplace.audit.admin_edits import audited
from marketplace.audit.models import AuditEntry
from marketplace.audit.services import audit_record
from marketplace.audit.values import HIDDEN
from marketplace.demo.management.commands.seed_demo import moderators_group
from tests import factories

pytestmark = pytest.mark.django_db

LOG = reverse("admin:audit_auditentry_changelist")
NEW_PASSWORD = "violet-anchor-lantern-42"


@pytest.fixture
def desk_moderator(moderator):
    moderator.groups.add(moderators_group())
    return moderator


@pytest.fixture
def nosy_moderator(desk_moderator):
    """A moderator someone gave the log's view permission: still no access."""
    desk_moderator.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    return User.objects.get(pk=desk_moderator.pk)


@pytest.fixture
def entry(university, admin_user):
    return audit_record(
        actor=admin_user,
        action="organization.verify",
        target=university,
        changes={"is_verified": [False, True]},
    )


def _user_form(user: User, **overrides) -> dict:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "is_active": "on",
        **overrides,
    }


def _entries(action: str, target) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, target_id=str(target.pk)))


# --- Who reads the log ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["desk_moderator", "nosy_moderator"])
def test_moderators_cannot_read_the_log(who, request, client_for, entry):
    client = client_for(request.getfixturevalue(who))
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert client.get(LOG).status_code == 403
    assert client.get(change).status_code == 403
    assert b"audit" not in client.get(reverse("admin:index")).content.lower()


def test_superuser_reads_the_log_and_the_changes(admin_user, client_for, entry):
    client = client_for(admin_user)
    listing = client.get(LOG)
    assert listing.status_code == 200
    assert "浙江大学" in listing.content.decode()
    detail = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "<th>is_verified</th><td>false</td><td>true</td>" in page
    assert 'name="_save"' not in page  # read-only: no save button


def test_superuser_cannot_add_change_or_delete_entries(admin_user, client_for, entry):
    client = client_for(admin_user)
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_add"), {"note": "x"}).status_code == 403
    assert client.post(change, {"note": "rewritten"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(
        LOG, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.note == "" and stored.changes == {"is_verified": [False, True]}


# --- What admin edits record ------------------------------------------------------------------


def test_an_admin_edit_of_a_users_groups_and_powers_is_recorded(admin_user, client_for, uni_user):
    group = moderators_group()
    other = Group.objects.create(name="Reviewers")
    uni_user.groups.add(other)
    view_user = Permission.objects.get(codename="view_user")
    response = client_for(admin_user).post(
        reverse("admin:accounts_user_change", args=[uni_user.pk]),
        _user_form(
            uni_user,
            is_staff="on",
            groups=[group.pk],
            user_permissions=[view_user.pk],
        ),
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302

    [entry] = _entries("admin.change", uni_user)
    assert entry.actor == admin_user
    assert entry.ip == "203.0.113.7"
    assert entry.changes["groups"] == [[f"Reviewers (#{other.pk})"], [f"{group} (#{group.pk})"]]
    assert entry.changes["is_staff"] == [False, True]
    assert entry.changes["user_permissions"] == [[], [f"{view_user} (#{view_user.pk})"]]
    # Only what changed.
    assert "full_name" not in entry.changes and "password" not in entry.changes


def test_a_password_set_in_admin_is_recorded_without_its_value(admin_user, client_for, uni_user):
    response = client_for(admin_user).post(
        reverse("admin:auth_user_password_change", args=[uni_user.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    [entry] = _entries("admin.change", uni_user)
    assert entry.changes == {"password": [HIDDEN, HIDDEN]}
    assert NEW_PASSWORD not in str(entry.changes)


def test_adding_and_deleting_in_admin_are_recorded(admin_user, client_for):
    client = client_for(admin_user)
    response = client.post(reverse("admin:auth_group_add"), {"name": "Auditors"})
    assert response.status_code == 302
    group = Group.objects.get(name="Auditors")
    [added] = _entries("admin.add", group)
    assert added.changes == {"name": [None, "Auditors"]}

    response = client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})
    assert response.status_code == 302
    [deleted] = _entries("admin.delete", group)
    assert deleted.changes == {"name": ["Auditors", None]}
    assert deleted.target_repr == "Auditors"


def test_bulk_delete_records_each_object(admin_user, client_for):
    groups = [Group.objects.create(name=name) for name in ("One", "Two")]
    response = client_for(admin_user).post(
        reverse("admin:auth_group_changelist"),
        {"action": "delete_selected", "_selected_action": [g.pk for g in groups], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Group.objects.filter(name__in=["One", "Two"]).exists()
    for group, name in zip(groups, ("One", "Two"), strict=True):
        [entry] = _entries("admin.delete", group)
        assert entry.changes == {"name": [name, None]}
    # The action does not record the same deletions a second time.
    assert not AuditEntry.objects.filter(action="admin.action").exists()


def test_a_moderator_changing_a_membership_role_is_recorded(desk_moderator, client_for, university):
    member = factories.make_user(org=university, role="member")
    membership = member.membership
    response = client_for(desk_moderator).post(
        reverse("admin:accounts_membership_change", args=[membership.pk]),
        {
            "user": member.pk,
            "organization": university.pk,
            "role": "owner",
            "status": "active",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(pk=membership.pk).role == "owner"
    [entry] = _entries("admin.change", membership)
    assert entry.actor == desk_moderator
    assert entry.changes == {"role": ["member", "owner"]}


def test_an_inline_membership_change_on_the_organisation_page_is_recorded(
    admin_user, client_for, university, uni_user
):
    member = factories.make_user(org=university, role="member")
    memberships = list(university.memberships.order_by("pk"))
    data = {
        "kind": university.kind,
        "name": university.name,
        "name_en": university.name_en,
        "region": university.region,
        "website": university.website,
        "description": university.description,
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(memberships):
        data |= {
            f"memberships-{i}-id": m.pk,
            f"memberships-{i}-organization": university.pk,
            f"memberships-{i}-user": m.user_id,
            f"memberships-{i}-role": "owner",
            f"memberships-{i}-status": m.status,
        }
    response = client_for(admin_user).post(
        reverse("admin:accounts_organization_change", args=[university.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [entry] = _entries("admin.change", member.membership)
    assert entry.changes == {"role": ["member", "owner"]}
    # The owner's row did not change; the organisation's fields neither.
    assert not _entries("admin.change", uni_user.membership)
    assert not _entries("admin.change", university)


def test_verifying_through_the_admin_action_is_recorded_once(
    desk_moderator, client_for, unverified_org
):
    response = client_for(desk_moderator).post(
        reverse("admin:accounts_organization_changelist"),
        {"action": "verify_selected", "index": "0", "_selected_action": [unverified_org.pk]},
        REMOTE_ADDR="198.51.100.4",
    )
    assert response.status_code == 302
    assert Organization.objects.get(pk=unverified_org.pk).is_verified
    [entry] = AuditEntry.objects.filter(target_id=str(unverified_org.pk))
    assert entry.action == "organization.verify"
    assert entry.actor == desk_moderator
    assert entry.ip == "198.51.100.4"  # the service learnt it from the admin request


def test_an_admin_action_without_a_service_entry_is_recorded_with_its_diff(
    desk_moderator, client_for, university
):
    listing = factories.make_achievement(university, status="published")
    response = client_for(desk_moderator).post(
        reverse("admin:listings_achievement_changelist"),
        {"action": "archive_selected", "index": "0", "_selected_action": [listing.pk]},
    )
    assert response.status_code == 302
    [entry] = _entries("admin.action", listing)
    assert entry.note == "archive_selected"
    assert entry.changes == {"status": ["published", "archived"]}


def test_publishing_from_the_desk_is_recorded_as_the_decision(
    desk_moderator, client_for, university
):
    listing = factories.make_achievement(university, status="pending")
    response = client_for(desk_moderator).post(
        reverse("admin:listings_achievement_publish", args=[listing.pk])
    )
    assert response.status_code == 302
    [entry] = AuditEntry.objects.filter(target_id=str(listing.pk))
    assert entry.action == "listing.publish"
    assert entry.changes["status"] == ["pending", "published"]


def test_a_change_that_changes_nothing_records_nothing(admin_user, client_for, uni_user):
    response = client_for(admin_user).post(
        reverse("admin:accounts_user_change", args=[uni_user.pk]), _user_form(uni_user)
    )
    assert response.status_code == 302
    assert not AuditEntry.objects.exists()


def test_an_admin_action_that_fails_half_way_still_records_what_it_changed(rf, admin_user):
    class ExplodingAdmin(admin.ModelAdmin):
        actions = ["rename_then_fail"]

        @admin.action(description="Rename, then fail")
        def rename_then_fail(self, request, queryset):
            queryset.update(name="Renamed")
            raise RuntimeError("half-way")

    group = Group.objects.create(name="Original")
    model_admin = audited(ExplodingAdmin)(Group, admin.site)
    request = rf.post("/")
    request.user = admin_user
    action = model_admin.get_actions(request)["rename_then_fail"][0]
    with pytest.raises(RuntimeError):
        action(model_admin, request, Group.objects.filter(pk=group.pk))
    [entry] = _entries("admin.action", group)
    assert entry.changes == {"name": ["Original", "Renamed"]}
    assert entry.note == "rename_then_fail"


def test_the_powers_filter_lists_changes_of_permissions_groups_and_roles(
    admin_user, client_for, university, uni_user
):
    audit_record(
        actor=admin_user,
        action="admin.change",
        target=uni_user,
        changes={"is_superuser": [False, True]},
    )
    audit_record(
        actor=admin_user,
        action="admin.change",
        target=university,
        changes={"website": ["", "zju.example"]},
    )
    audit_record(
        actor=admin_user,
        action="admin.change",
        target=uni_user.membership,
        changes={"role": ["member", "owner"]},
    )
    page = client_for(admin_user).get(LOG, {"concerning": "powers"}).content.decode()
    assert str(uni_user) in page and str(uni_user.membership) in page
    assert 'field-target_repr">浙江大学</td>' not in page and "website" not in page
