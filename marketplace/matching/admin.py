"""Matches and feedback in Django admin: browse and filter what the engine and brokers
proposed and what organisations said of it. Read-only: matches are written by
``services.listing_match`` and ``services.match_recommend``, feedback by
``services.match_feedback_set``."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.choices import Region
from marketplace.listings.models import TechnicalField
from marketplace.matching.models import Match, MatchFeedback

SCORE_RANGES = {
    "80": (80, None, _("80 and above")),
    "60": (60, 80, _("60 to 80")),
    "40": (40, 60, _("40 to 60")),
    "0": (0, 40, _("below 40")),
}


class ScoreRangeFilter(admin.SimpleListFilter):
    title = _("score")
    parameter_name = "score_range"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (_low, _high, label) in SCORE_RANGES.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in SCORE_RANGES:
            return queryset
        low, high, _label = SCORE_RANGES[self.value()]
        queryset = queryset.filter(score__gte=low)
        return queryset if high is None else queryset.filter(score__lt=high)


class DismissedFilter(admin.SimpleListFilter):
    title = _("dismissed")
    parameter_name = "dismissed"

    def lookups(self, request, model_admin):
        return [("any", _("by either side")), ("none", _("by neither side"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        either = Q(dismissed_by_achievement_owner=True) | Q(dismissed_by_challenge_owner=True)
        if self.value() == "any":
            return queryset.filter(either)
        if self.value() == "none":
            return queryset.exclude(either)
        return queryset


class HasFeedbackFilter(admin.SimpleListFilter):
    title = _("feedback")
    parameter_name = "has_feedback"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("has feedback")),
            ("relevant", _("marked relevant")),
            ("not_relevant", _("marked not relevant")),
            ("no", _("no feedback")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        marks = MatchFeedback.objects.filter(match=OuterRef("pk"))
        if self.value() == "yes":
            return queryset.filter(Exists(marks))
        if self.value() == "relevant":
            return queryset.filter(Exists(marks.filter(relevant=True)))
        if self.value() == "not_relevant":
            return queryset.filter(Exists(marks.filter(relevant=False)))
        if self.value() == "no":
            return queryset.exclude(Exists(marks))
        return queryset


class FieldFilter(admin.SimpleListFilter):
    """A top-level field (or any of its sub-fields) on either side of the match."""

    title = _("technical field")
    parameter_name = "field"

    def lookups(self, request, model_admin):
        return [(f.code, f.name) for f in TechnicalField.objects.filter(parent__isnull=True)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        code = self.value()
        if not code:
            return queryset
        in_field = Q(code=code) | Q(parent__code=code)
        fields = TechnicalField.objects.filter(in_field).values("pk")
        return queryset.filter(
            Q(achievement__fields__in=fields) | Q(challenge__fields__in=fields)
        ).distinct()


class RegionFilter(admin.SimpleListFilter):
    """The region of either side."""

    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return Region.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        return queryset.filter(
            Q(achievement__region=self.value()) | Q(challenge__region=self.value())
        )


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = (
        "score",
        "achievement",
        "challenge",
        "proposed_by",
        "dismissed_by_achievement_owner",
        "dismissed_by_challenge_owner",
        "relevant_count",
        "not_relevant_count",
        "updated_at",
    )
    list_display_links = ("score",)
    list_filter = (
        ScoreRangeFilter,
        "proposed_by",
        DismissedFilter,
        HasFeedbackFilter,
        FieldFilter,
        RegionFilter,
    )
    search_fields = ("achievement__title", "challenge__title")
    list_select_related = ("achievement", "challenge")
    readonly_fields = [f.name for f in Match._meta.fields]
    ordering = ("-score", "-pk")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The feedback counts of every row of the page in the list's own query.
        return (
            super()
            .get_queryset(request)
            .annotate(
                # distinct: the field filter joins the fields tables, which repeats rows.
                relevant_count=Count("feedback", filter=Q(feedback__relevant=True), distinct=True),
                not_relevant_count=Count(
                    "feedback", filter=Q(feedback__relevant=False), distinct=True
                ),
            )
        )

    @admin.display(description=_("relevant"), ordering="relevant_count")
    def relevant_count(self, obj: Match) -> int:
        return obj.relevant_count

    @admin.display(description=_("not relevant"), ordering="not_relevant_count")
    def not_relevant_count(self, obj: Match) -> int:
        return obj.not_relevant_count

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(MatchFeedback)
class MatchFeedbackAdmin(admin.ModelAdmin):
    """Who said what of which match; written only by the organisations, from their pages."""

    list_display = ("match", "organization", "relevant", "user", "updated_at")
    list_filter = (
        "relevant",
        ("organization", admin.RelatedOnlyFieldListFilter),
        ("updated_at", admin.DateFieldListFilter),
    )
    search_fields = (
        "match__achievement__title",
        "match__challenge__title",
        "organization__name",
        "user__email",
    )
    list_select_related = ("match__achievement", "match__challenge", "organization", "user")
    readonly_fields = [f.name for f in MatchFeedback._meta.fields]
    ordering = ("-updated_at", "-pk")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
