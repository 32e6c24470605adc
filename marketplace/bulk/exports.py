"""An organisation's own data as tables for spreadsheets: its listings, its matches and its
deals. Each function returns the headers and the rows; ``spreadsheets.table_response``
writes them as CSV or XLSX."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Organization
from marketplace.deals.models import Deal
from marketplace.listings.kinds import LISTING_MODELS
from marketplace.listings.models import Achievement, Challenge
from marketplace.listings.selectors import listings_of_organization
from marketplace.matching.models import Match
from marketplace.matching.retrieval import matchable

Table = tuple[list[str], Iterator[list[object]]]


def listings_table(organization: Organization) -> Table:
    headers = [
        _("Kind"), _("ID"), _("Title"), _("Status"), _("Technical fields"), _("Region"),
        _("Keywords"), _("Maturity (TRL)"), _("Created"), _("Published"),
        _("Expires or deadline"), _("Address"),
    ]  # fmt: skip

    def rows() -> Iterator[list[object]]:
        for model in LISTING_MODELS:
            for listing in listings_of_organization(model, organization).prefetch_related("fields"):
                is_achievement = model.kind == "achievement"
                yield [
                    listing.kind_label,
                    listing.pk,
                    listing.title,
                    listing.get_status_display(),
                    ", ".join(f.name for f in listing.fields.all()),
                    listing.get_region_display(),
                    ", ".join(listing.keywords),
                    listing.trl if is_achievement else listing.min_trl,
                    listing.created_at,
                    listing.published_at,
                    listing.expires_at if is_achievement else listing.deadline,
                    settings.SITE_URL + listing.get_absolute_url(),
                ]

    return headers, rows()


def _matches_of(organization: Organization):
    """The matches of the organisation's listings with a counterpart still on the market,
    not dismissed by the organisation's side; best first."""
    ours_a = Q(achievement__organization=organization, dismissed_by_achievement_owner=False)
    ours_c = Q(challenge__organization=organization, dismissed_by_challenge_owner=False)
    return (
        Match.objects.filter(
            (ours_a & Q(challenge__in=matchable(Challenge).values("pk")))
            | (ours_c & Q(achievement__in=matchable(Achievement).values("pk")))
        )
        .select_related("achievement__organization", "challenge__organization")
        .order_by("-score", "-pk")
    )


def matches_table(organization: Organization) -> Table:
    headers = [
        _("Our listing"), _("Our listing's title"), _("Counterpart"), _("Counterpart's title"),
        _("Counterpart's organisation"), _("Score"), _("Reasons"), _("Found on"),
    ]  # fmt: skip
    chinese = (get_language() or "").startswith("zh")

    def rows() -> Iterator[list[object]]:
        for match in _matches_of(organization).iterator(chunk_size=500):
            ours, theirs = match.achievement, match.challenge
            if ours.organization_id != organization.pk:
                ours, theirs = theirs, ours
            yield [
                settings.SITE_URL + ours.get_absolute_url(),
                ours.title,
                settings.SITE_URL + theirs.get_absolute_url(),
                theirs.title,
                theirs.organization.name,
                match.score,
                (match.reasons_zh if chinese else match.reasons_en).replace("\n", "; "),
                match.created_at,
            ]

    return headers, rows()


def deals_table(organization: Organization) -> Table:
    headers = [
        _("Deal ID"), _("Stage"), _("Listing"), _("Listing title"), _("Other party"),
        _("Opened"), _("Last change"), _("Contract type"), _("Contract value"), _("Signed on"),
    ]  # fmt: skip
    deals = (
        Deal.objects.filter(
            Q(conversation__owner_organization=organization)
            | Q(conversation__other_organization=organization)
        )
        .select_related(
            "conversation__interest__achievement",
            "conversation__interest__challenge",
            "conversation__owner_organization",
            "conversation__other_organization",
            "contract",
        )
        .order_by("-updated_at", "-pk")
    )

    def rows() -> Iterator[list[object]]:
        for deal in deals.iterator(chunk_size=500):
            conversation = deal.conversation
            listing = conversation.interest.listing
            other = conversation.other_organization
            if other.pk == organization.pk:
                other = conversation.owner_organization
            contract = getattr(deal, "contract", None)
            yield [
                deal.pk,
                deal.get_stage_display(),
                settings.SITE_URL + listing.get_absolute_url(),
                listing.title,
                other.name,
                deal.created_at,
                deal.updated_at,
                contract.get_contract_type_display() if contract else "",
                contract.value if contract else None,
                contract.signed_on if contract else None,
            ]

    return headers, rows()


TABLES = {"listings": listings_table, "matches": matches_table, "deals": deals_table}
