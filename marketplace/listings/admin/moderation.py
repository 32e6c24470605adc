"""The moderation desk: moderators review pending achievements and challenges here.

Admin holds no business logic. A listing's status moves only through the lifecycle services
(``listing_publish``, ``listing_reject``), called exactly as the site calls them, one listing
at a time so that one refusal does not stop the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import display_for_value, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.choices import OrganizationKind
from marketplace.listings.admin.records import AttachmentInline, ListingEventInline
from marketplace.listings.choices import ListingStatus
from marketplace.listings.kinds import Listing
from marketplace.listings.models import (
    ACHIEVEMENT_OWNER_FIELDS,
    CHALLENGE_OWNER_FIELDS,
    LISTING_OWNER_FIELDS,
    Achievement,
    Challenge,
    TechnicalField,
)
from marketplace.listings.selectors import technical_fields_tree
from marketplace.listings.services import listing_archive, listing_publish, listing_reject
from marketplace.refusals import Refused

# Each status's colour is a class of static/css/admin.css (the CSP forbids style attributes).
STATUS_CLASSES = {status: f"kq-status-{status}" for status in ListingStatus.values}

# The review queue: pending listings first, the longest-waiting at the top; then the rest,
# most recently changed first.
REVIEW_QUEUE_ORDERING = [
    Case(When(status=ListingStatus.PENDING, then=Value(0)), default=Value(1)).asc(),
    Case(When(status=ListingStatus.PENDING, then=F("submitted_at"))).asc(nulls_last=True),
    F("updated_at").desc(),
]


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("The owners receive this by email and see it next to the listing."),
    )


class OrganizationKindFilter(admin.SimpleListFilter):
    title = _("organisation kind")
    parameter_name = "organization__kind"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return OrganizationKind.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(organization__kind=self.value())
        return queryset


class TechnicalFieldFilter(admin.SimpleListFilter):
    """Both levels of the taxonomy; a top-level field also matches its sub-fields."""

    title = _("technical field")
    parameter_name = "field"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        # Top-level fields; the sub-fields of the chosen one unfold under it.
        choices = []
        for top in technical_fields_tree():
            choices.append((top.code, top.name))
            children = list(top.children.all())
            if self.value() in {top.code, *(child.code for child in children)}:
                choices.extend((child.code, f"— {child.name}") for child in children)
        return choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        code = self.value()
        if not code:
            return queryset
        fields = TechnicalField.objects.filter(Q(code=code) | Q(parent__code=code))
        # A subquery rather than a join, so a listing in two matching fields shows once.
        with_field = queryset.model.objects.filter(fields__in=fields).values("pk")
        return queryset.filter(pk__in=with_field)


class FreshnessFilter(admin.SimpleListFilter):
    """Published listings whose freshness is below ``FRESHNESS_STALE_BELOW`` (stale), and
    listings flagged at submission as possible duplicates of their organisation's others."""

    title = _("freshness")
    parameter_name = "fresh"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("stale", _("Stale (published)")), ("duplicate", _("Possible duplicate"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "stale":
            return queryset.filter(
                status=ListingStatus.PUBLISHED, freshness__lt=settings.FRESHNESS_STALE_BELOW
            )
        if self.value() == "duplicate":
            return queryset.exclude(near_duplicates=[])
        return queryset


def _listing_fieldsets(details_title: str, details: Iterable[str]) -> list[tuple[Any, dict]]:
    return [
        (
            None,
            {
                # Everything the owner wrote, the second-language title and summary and
                # the NDA text too: a moderator approves all that is shown.
                "fields": ["organization", "created_by", *LISTING_OWNER_FIELDS, "fields"]
            },
        ),
        (details_title, {"fields": list(details)}),
        (
            _("Moderation"),
            {
                "fields": [
                    "status",
                    "submitted_at",
                    "reviewed_by",
                    "reviewed_at",
                    "rejection_reason",
                    "published_at",
                    "expiry",
                    "possible_duplicates",
                    "confirmed_at",
                    "freshness",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]


class ListingAdmin(admin.ModelAdmin):
    """What the achievement and challenge desks share: the queue, the filters, the actions."""

    change_form_template = "admin/listings/listing_change_form.html"
    rejection_template = "admin/listings/listing_reject.html"

    class Media:
        # Status colours and the Approve / Reject buttons, as a file: no inline style.
        css = {"all": ["css/admin.css"]}

    list_display = (
        "title",
        "organization",
        "status_badge",
        "region",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "freshness",
        "duplicate_flag",
    )
    list_filter = (
        "status",
        FreshnessFilter,
        OrganizationKindFilter,
        TechnicalFieldFilter,
        "region",
        ("organization", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("organization", "reviewed_by")
    search_fields = ("title", "summary", "keywords", "organization__name", "organization__name_en")
    ordering = REVIEW_QUEUE_ORDERING
    readonly_fields = (
        "organization",
        "created_by",
        "status",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "rejection_reason",
        "published_at",
        "expiry",
        "created_at",
        "updated_at",
    )
    filter_horizontal = ("fields",)
    inlines = (ListingEventInline, AttachmentInline)
    actions = ("publish_selected", "reject_selected", "archive_selected")

    # --- Columns and form --------------------------------------------------------------------

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, listing: Listing) -> str:
        return format_html(
            '<strong class="{}">● {}</strong>',
            STATUS_CLASSES.get(listing.status, ""),
            listing.get_status_display(),
        )

    @admin.display(description=_("possible duplicate"), boolean=True)
    def duplicate_flag(self, listing: Listing) -> bool:
        return bool(listing.near_duplicates)

    @admin.display(description=_("possible duplicates"))
    def possible_duplicates(self, listing: Listing) -> str:
        """The organisation's listings with nearly the same text, found at submission."""
        if not listing.near_duplicates:
            return self.get_empty_value_display()
        return format_html_join(
            format_html("<br>"),
            '<a href="{}">#{} {}</a> ({}, {}%)',
            (
                (
                    reverse(
                        f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                        args=[row["id"]],
                        current_app=self.admin_site.name,
                    ),
                    row["id"],
                    row["title"],
                    ListingStatus(row["status"]).label if row["status"] in ListingStatus else "",
                    round(100 * row["similarity"]),
                )
                for row in listing.near_duplicates
            ),
        )

    @admin.display(description=_("expires at"))
    def expiry(self, listing: Listing) -> str:
        # A challenge's expiry is derived from its deadline; an achievement stores it.
        return display_for_value(listing.expires_at, self.get_empty_value_display())

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs: Any):
        if db_field.name == "fields":
            # Tree order, each top-level field followed by its sub-fields, whose labels
            # name the parent.
            kwargs["queryset"] = TechnicalField.objects.select_related("parent").order_by(
                Coalesce("parent__position", "position"),
                Coalesce("parent__code", "code"),
                F("parent").asc(nulls_first=True),
                "position",
                "code",
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Moderators decide, owners write: content changes go through the owner's form and
        # back through review, so every field is read-only here.
        return [
            name
            for _title, options in self.get_fieldsets(request, obj)
            for name in options["fields"]
        ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Listings are created by their organisations on the site (``listing_create``).
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Abuse is taken down by archiving, which keeps the record and its history.
        return False

    # --- Bulk actions ------------------------------------------------------------------------

    @admin.action(description=_("Approve (publish) selected"), permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._publish(request, queryset)

    @admin.action(description=_("Reject selected with a reason…"), permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        # First call from the change list: ask for the reason. The page posts back here.
        form = RejectionForm(request.POST if "_confirm_reject" in request.POST else None)
        if form.is_valid():
            self._reject(request, queryset, form.cleaned_data["reason"])
            return None  # back to the change list
        return self._rejection_page(request, list(queryset), form, action="reject_selected")

    @admin.action(description=_("Take down (archive) selected"), permissions=["change"])
    def archive_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        def take_down(*, listing: Listing, moderator) -> Listing:
            return listing_archive(listing=listing, user=moderator)

        done = self._each(request, queryset, take_down)
        if done:
            message = ngettext("%(count)d listing archived.", "%(count)d listings archived.", done)
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    # --- One listing, from its change page ---------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        own = [
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(require_POST(self.publish_view)),
                name=f"{info}_publish",
            ),
            path(
                "<path:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name=f"{info}_reject",
            ),
        ]
        # Before the defaults: their "<path:object_id>/" catch-all would match first.
        return own + super().get_urls()

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        listing = self._get_for_moderation(request, object_id)
        self._publish(request, [listing])
        return HttpResponseRedirect(self._change_url(listing))

    def reject_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        listing = self._get_for_moderation(request, object_id)
        form = RejectionForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            self._reject(request, [listing], form.cleaned_data["reason"])
            return HttpResponseRedirect(self._change_url(listing))
        return self._rejection_page(request, [listing], form, action=None)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        *args: Any,
        obj: Any = None,
        **kwargs: Any,
    ) -> HttpResponse:
        context["can_review"] = (
            obj is not None
            and obj.status == ListingStatus.PENDING
            and self.has_change_permission(request, obj)
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    # --- Shared by the bulk actions and the buttons ------------------------------------------

    def _publish(self, request: HttpRequest, listings: Iterable[Listing]) -> None:
        done = self._each(request, listings, listing_publish)
        if done:
            message = ngettext(
                "%(count)d listing published.", "%(count)d listings published.", done
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    def _reject(self, request: HttpRequest, listings: Iterable[Listing], reason: str) -> None:
        done = self._each(request, listings, listing_reject, reason=reason)
        if done:
            message = ngettext("%(count)d listing rejected.", "%(count)d listings rejected.", done)
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    def _each(
        self,
        request: HttpRequest,
        listings: Iterable[Listing],
        service: Callable[..., Listing],
        **kwargs: Any,
    ) -> int:
        """Call a moderation service on each listing on its own; warn about each refusal."""
        done = 0
        for listing in listings:
            try:
                service(listing=listing, moderator=request.user, **kwargs)
            except Refused as refusal:
                message = gettext("“%(listing)s” was left unchanged: %(reason)s") % {
                    "listing": listing,
                    "reason": refusal,
                }
                self.message_user(request, message, messages.WARNING)
            else:
                done += 1
        return done

    def _rejection_page(
        self,
        request: HttpRequest,
        listings: list[Listing],
        form: RejectionForm,
        *,
        action: str | None,
    ) -> TemplateResponse:
        """The reason form; ``action`` set means it posts back to the change list's action."""
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Reject %(name)s") % {"name": self._name(len(listings))},
            "subtitle": None,
            "opts": self.opts,
            "listings": listings,
            "form": form,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, self.rejection_template, context)

    def _name(self, count: int) -> str:
        return str(self.opts.verbose_name if count == 1 else self.opts.verbose_name_plural)

    def _get_for_moderation(self, request: HttpRequest, object_id: str) -> Listing:
        listing = self.get_object(request, unquote(object_id))
        if listing is None:
            raise Http404
        if not self.has_change_permission(request, listing):
            raise PermissionDenied
        return listing

    def _change_url(self, listing: Listing) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[listing.pk],
            current_app=self.admin_site.name,
        )


@admin.register(Achievement)
class AchievementAdmin(ListingAdmin):
    fieldsets = _listing_fieldsets(
        _("Offer"), ACHIEVEMENT_OWNER_FIELDS[len(LISTING_OWNER_FIELDS) :]
    )


@admin.register(Challenge)
class ChallengeAdmin(ListingAdmin):
    fieldsets = _listing_fieldsets(_("Need"), CHALLENGE_OWNER_FIELDS[len(LISTING_OWNER_FIELDS) :])
