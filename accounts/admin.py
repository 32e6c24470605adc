"""Admin for people and organisations: the moderators' tools to verify who is who.

Admin holds no business logic: verification goes through ``accounts.services`` exactly as
it would anywhere else.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
    search_fields = ("name", "name_en")
    # Unverified organisations first: they are the ones waiting for a moderator.
    ordering = ("is_verified", "-created_at")
    fields = (
        "kind",
        "name",
        "name_en",
        "region",
        "website",
        "description",
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
        invitation_revoke(invitation=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        for invitation in queryset:
            invitation_revoke(invitation=invitation)
