"""Power over accounts in Django admin belongs to superusers alone.

Staff who are not superusers must never make anyone staff or superuser, hand out groups or
permissions, set or reset a password, or touch a staff member's or superuser's account; not
through the forms the admin shows them, nor through POSTs crafted past them. People: the desk
moderator (in the Moderators group that ``seed_demo`` builds), an account manager (staff
trusted with every permission on users and groups, still not a superuser), a member of an
organisation, and the superuser, who keeps full power.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import User
from marketplace.demo.management.commands.seed_demo import MODERATORS_GROUP, moderators_group
from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-anchor-lantern-42"
USER_ADD = reverse("admin:accounts_user_add")

# The Moderators group's permissions, in full: adding one is a change to review.
MODERATOR_PERMISSIONS = [
    "accounts.change_membership",
    "accounts.change_organization",
    "accounts.view_membership",
    "accounts.view_organization",
    "accounts.view_user",
    "deals.change_contract",
    "deals.change_conversation",
    "deals.change_deal",
    "deals.change_dealevent",
    "deals.change_interest",
    "deals.change_message",
    "deals.change_messageattachment",
    "deals.change_ndaacceptance",
    "deals.view_contract",
    "deals.view_conversation",
    "deals.view_deal",
    "deals.view_dealevent",
    "deals.view_interest",
    "deals.view_message",
    "deals.view_messageattachment",
    "deals.view_ndaacceptance",
    "listings.change_achievement",
    "listings.change_attachment",
    "listings.change_challenge",
    "listings.change_listingevent",
    "listings.view_achievement",
    "listings.view_attachment",
    "listings.view_challenge",
    "listings.view_listingevent",
]


def _codenames(permissions) -> list[str]:
    return sorted(
        f"{p.content_type.app_label}.{p.codename}"
        for p in permissions.select_related("content_type")
    )


def _change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def _password_url(user: User) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


@pytest.fixture
def desk_moderator(moderator):
    """Staff in the Moderators group, as ``seed_demo`` makes the demo's moderator."""
    moderator.groups.add(moderators_group())
    return moderator


@pytest.fixture
def account_manager(db):
    """Staff given every permission on users and groups, but not a superuser."""
    user = factories.make_user(staff=True, email="accounts@keqiao.example")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["accounts", "auth"],
            codename__in=[
                f"{action}_{model}"
                for action in ("view", "add", "change", "delete")
                for model in ("user", "group")
            ],
        )
    )
    return user


@pytest.fixture
def member(uni_user):
    return uni_user


@pytest.fixture(params=["desk_moderator", "account_manager"])
def staff(request):
    return request.getfixturevalue(request.param)


def _state(user: User) -> tuple:
    """Everything about an account that grants power or hands it to someone else."""
    user = User.objects.get(pk=user.pk)
    return (
        user.email,
        user.password,
        user.is_staff,
        user.is_superuser,
        sorted(user.groups.values_list("pk", flat=True)),
        sorted(user.user_permissions.values_list("pk", flat=True)),
    )


def _crafted(user: User, **overrides) -> dict:
    """A change-form POST granting everything, as if every field were on the form."""
    return {
        "email": "taken-over@example.org",
        "full_name": "Renamed",
        "preferred_language": "en",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [moderators_group().pk],
        "user_permissions": list(
            Permission.objects.filter(codename__in=["change_user", "delete_user"]).values_list(
                "pk", flat=True
            )
        ),
        **overrides,
    }


# --- The Moderators group ---------------------------------------------------------------------


def test_moderators_group_has_exactly_these_permissions():
    assert _codenames(moderators_group().permissions) == MODERATOR_PERMISSIONS


def test_moderators_look_accounts_up_but_cannot_change_them(desk_moderator, client_for, member):
    client = client_for(desk_moderator)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    response = client.get(_change_url(member))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]


def test_migration_takes_change_user_from_an_existing_moderators_group():
    migration = importlib.import_module("accounts.migrations.0003_moderators_cannot_change_users")
    group = Group.objects.create(name=MODERATORS_GROUP)
    other = Group.objects.create(name="Account managers")
    user_permissions = Permission.objects.filter(
        content_type__app_label="accounts", codename__in=["view_user", "change_user"]
    )
    group.permissions.set(user_permissions)
    other.permissions.set(user_permissions)

    migration.moderators_cannot_change_users(apps, None)

    assert _codenames(group.permissions) == ["accounts.view_user"]
    assert _codenames(other.permissions) == ["accounts.change_user", "accounts.view_user"]


# --- Staff who are not superusers -------------------------------------------------------------


def test_moderator_cannot_post_the_change_form(desk_moderator, client_for, member):
    before = _state(member)
    response = client_for(desk_moderator).post(_change_url(member), _crafted(member))
    assert response.status_code == 403
    assert _state(member) == before
    assert User.objects.get(pk=member.pk).full_name != "Renamed"


def test_crafted_change_post_grants_nothing(account_manager, client_for, member):
    before = _state(member)
    response = client_for(account_manager).post(_change_url(member), _crafted(member))
    # The form was accepted (the name changed); the privileged fields were not on it.
    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).full_name == "Renamed"
    assert _state(member) == before


def test_staff_cannot_change_their_own_account(staff, client_for):
    before = _state(staff)
    response = client_for(staff).post(_change_url(staff), _crafted(staff))
    assert response.status_code == 403
    assert _state(staff) == before


def test_staff_cannot_change_or_delete_a_superuser(staff, client_for, admin_user):
    client = client_for(staff)
    before = _state(admin_user)
    response = client.post(_change_url(admin_user), _crafted(admin_user, is_active=""))
    assert response.status_code == 403
    assert _state(admin_user) == before
    assert User.objects.get(pk=admin_user.pk).is_active

    delete_url = reverse("admin:accounts_user_delete", args=[admin_user.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=admin_user.pk).exists()
    # Nor through the changelist's bulk action.
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [admin_user.pk], "post": "yes"},
    )
    assert User.objects.filter(pk=admin_user.pk).exists()


def test_change_form_offers_non_superusers_no_password_and_no_privileges(
    account_manager, client_for, member
):
    response = client_for(account_manager).get(_change_url(member))
    assert response.status_code == 200
    form_fields = set(response.context["adminform"].form.fields)
    assert form_fields == {"full_name", "preferred_language", "is_active"}
    assert _password_url(member) not in response.content.decode()
    assert "../password/" not in response.content.decode()


@pytest.mark.parametrize("target", ["self", "member", "superuser"])
def test_staff_cannot_open_or_post_the_password_form(staff, target, client_for, member, admin_user):
    user = {"self": staff, "member": member, "superuser": admin_user}[target]
    client = client_for(staff)
    before = _state(user)
    assert client.get(_password_url(user)).status_code == 403
    response = client.post(
        _password_url(user),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 403
    assert _state(user) == before
    # Nor may they switch password sign-in off.
    response = client.post(_password_url(user), {"usable_password": "false", "unset-password": ""})
    assert response.status_code == 403
    assert User.objects.get(pk=user.pk).has_usable_password()


# The add form's fields for a new account with a password.
NEW_ACCOUNT = {
    "email": "new.staff@example.org",
    "full_name": "New Staff",
    "preferred_language": "en",
    "usable_password": "true",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
}


def test_account_manager_cannot_add_accounts(account_manager, client_for):
    client = client_for(account_manager)
    assert client.get(USER_ADD).status_code == 403
    response = client.post(
        USER_ADD,
        {
            **NEW_ACCOUNT,
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [moderators_group().pk],
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="new.staff@example.org").exists()


def test_account_manager_cannot_give_a_group_permissions(account_manager, client_for):
    group = moderators_group()
    before = _codenames(group.permissions)
    everything = list(Permission.objects.values_list("pk", flat=True))
    client = client_for(account_manager)
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": everything},
    )
    assert response.status_code == 403
    assert _codenames(group.permissions) == before

    response = client.post(
        reverse("admin:auth_group_add"), {"name": "Everything", "permissions": everything}
    )
    assert response.status_code == 403
    assert not Group.objects.filter(name="Everything").exists()


# --- The superuser keeps full power -----------------------------------------------------------


def test_superuser_grants_and_withdraws_everything(admin_user, client_for, member):
    client = client_for(admin_user)
    group = moderators_group()
    data = _crafted(member, email="New.Address@Example.org")
    response = client.post(_change_url(member), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.email, member.is_staff, member.is_superuser) == (
        "new.address@example.org",
        True,
        True,
    )
    assert list(member.groups.all()) == [group]
    assert _codenames(member.user_permissions) == ["accounts.change_user", "accounts.delete_user"]

    # Another superuser's account too: withdrawn again.
    response = client.post(
        _change_url(member),
        {"email": member.email, "full_name": "Person", "preferred_language": "en"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.is_staff, member.is_superuser, member.is_active) == (False, False, False)
    assert not member.groups.exists() and not member.user_permissions.exists()


def test_superuser_sets_a_password(admin_user, client_for, member):
    client = client_for(admin_user)
    change_page = client.get(_change_url(member)).content.decode()
    assert "../password/" in change_page
    assert client.get(_password_url(member)).status_code == 200
    response = client.post(
        _password_url(member),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).check_password(NEW_PASSWORD)


def test_superuser_adds_an_account_and_edits_groups(admin_user, client_for):
    client = client_for(admin_user)
    response = client.post(USER_ADD, NEW_ACCOUNT)
    assert response.status_code == 302
    assert User.objects.get(email="new.staff@example.org").check_password(NEW_PASSWORD)

    group = moderators_group()
    view_user = Permission.objects.get(codename="view_user")
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": [view_user.pk]},
    )
    assert response.status_code == 302
    assert _codenames(group.permissions) == ["accounts.view_user"]
