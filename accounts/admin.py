"""Admin for people and organisations: the moderators' tools to verify who is who.

Admin holds no business logic: verification goes through ``accounts.services`` exactly as
it would anywhere else. Power over accounts (staff, superuser, groups, permissions,
passwords) belongs to superusers alone, whatever permissions other staff are given.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Membership, Organization, User
from accounts.services import invitation_revoke, organization_unverify, organization_verify

# The one place that names the admin site; every app's admin shares it.
admin.site.site_header = _("Keqiao moderation desk")
admin.site.site_title = _("Keqiao moderation")
admin.site.index_title = _("Review listings and organisations")


class _EmailFormMixin:
    """Store email addresses in lower case and refuse one that differs only in case.

    Sign-up does the same (``UserManager`` lower-cases), so sign-in finds the account.
    """

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("An account with this email address already exists."))
        return email


class UserCreationAdminForm(_EmailFormMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "preferred_language")


class UserChangeAdminForm(_EmailFormMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class UserChangeStaffForm(UserChangeAdminForm):
    """The change form of staff who are not superusers: no password field (its widget links
    to the password form), even a read-only one."""

    password = None


# What staff who are not superusers never edit on an account: what grants power, and the
# address a password reset is sent to (changing it would hand the account to someone else).
PRIVILEGED_USER_FIELDS = ("email", "is_staff", "is_superuser", "groups", "user_permissions")


def _is_power_holder(user: User) -> bool:
    """Staff and superusers: accounts that only a superuser may change or delete."""
    return user.is_staff or user.is_superuser


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts. Staff who are not superusers (moderators) may at most look people up and,
    if given ``change_user``, edit a regular account's name, language and active flag.

    Enforced on the server, not by hiding: the privileged fields are read-only for them, so
    they are not on the form and a crafted POST cannot set them; the password (its summary
    and the link to its form) is left out and the password form answers 403; staff and
    superusers' accounts, their own included, are not theirs to change or delete; and they
    cannot add accounts (people sign up on the site).
    """

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "preferred_language")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "preferred_language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = (
        "email",
        "full_name",
        "organization",
        "preferred_language",
        "is_staff",
        "is_active",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "preferred_language", "groups")
    list_select_related = ("membership__organization",)
    search_fields = ("email", "full_name")
    ordering = ("email",)

    @admin.display(description=_("organisation"), ordering="membership__organization__name")
    def organization(self, user: User) -> Organization | None:
        membership = getattr(user, "membership", None)
        return membership.organization if membership else None

    def get_form(self, request: HttpRequest, obj: User | None = None, **kwargs):
        if obj is not None and not request.user.is_superuser:
            kwargs["form"] = UserChangeStaffForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        return tuple(
            (title, {**options, "fields": tuple(f for f in options["fields"] if f != "password")})
            for title, options in fieldsets
        )

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        return readonly + PRIVILEGED_USER_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The add form sets a password and is followed by the full change form.
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or request.user.is_superuser or not _is_power_holder(obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or request.user.is_superuser or not _is_power_holder(obj)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Setting anyone's password, or switching password sign-in off, takes the account.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """A group's permissions are its members' permissions: only superusers edit groups."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role", "status", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).select_related("user")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "name_en",
        "kind",
        "region",
        "is_verified",
        "verified_by",
        "verified_at",
        "created_at",
    )
    list_filter = ("is_verified", "kind", "region")
    list_select_related = ("verified_by",)
    search_fields = ("name", "name_en", "credit_code")
    # Unverified organisations first: they are the ones waiting for a moderator.
    ordering = ("is_verified", "-created_at")
    fields = (
        "kind",
        "name",
        "name_en",
        "region",
        "website",
        "description",
        "credit_code",
        "is_verified",
        "verified_by",
        "verified_at",
        "created_at",
    )
    readonly_fields = ("is_verified", "verified_by", "verified_at", "created_at")
    inlines = (MembershipInline,)
    actions = ("verify_selected", "unverify_selected")

    @admin.action(description=_("Verify selected organisations"), permissions=["change"])
    def verify_selected(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        done = 0
        for organization in queryset.filter(is_verified=False):
            organization_verify(organization=organization, moderator=request.user)
            done += 1
        self._report(
            request,
            done,
            ngettext("%(count)d organisation verified.", "%(count)d organisations verified.", done),
        )

    @admin.action(description=_("Withdraw verification"), permissions=["change"])
    def unverify_selected(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        done = 0
        # Only verified ones: withdrawing twice would overwrite who withdrew it and when.
        for organization in queryset.filter(is_verified=True):
            organization_unverify(organization=organization, moderator=request.user)
            done += 1
        self._report(
            request,
            done,
            ngettext(
                "Verification withdrawn from %(count)d organisation.",
                "Verification withdrawn from %(count)d organisations.",
                done,
            ),
        )

    def _report(self, request: HttpRequest, done: int, message: str) -> None:
        if done:
            self.message_user(request, message % {"count": done}, messages.SUCCESS)
        else:
            self.message_user(
                request, gettext("Nothing to change in the selection."), messages.WARNING
            )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "status", "created_at")
    list_filter = ("role", "status", "organization__kind")
    list_select_related = ("user", "organization")
    search_fields = (
        "user__email",
        "user__full_name",
        "organization__name",
        "organization__name_en",
    )
    autocomplete_fields = ("user", "organization")
    readonly_fields = ("created_at",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are created by owners on the site (the service makes the token and
    sends the email); moderators may only look at them or revoke them."""

    list_display = (
        "email",
        "organization",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "is_open",
    )
    list_filter = (("accepted_at", admin.EmptyFieldListFilter), "expires_at", "created_at")
    list_select_related = ("organization", "invited_by")
    search_fields = ("email", "organization__name", "organization__name_en")
    fields = ("email", "organization", "invited_by", "created_at", "expires_at", "accepted_at")

    @admin.display(boolean=True, description=_("open"))
    def is_open(self, invitation: Invitation) -> bool:
        return invitation.is_open

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Invitation | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Invitation) -> None:
        invitation_revoke(invitation=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        for invitation in queryset:
            invitation_revoke(invitation=invitation, actor=request.user)
