"""Reads of listings, and the one place that decides who may see what of a listing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Prefetch, QuerySet
from pgvector.django import CosineDistance

from accounts.models import Organization, User
from accounts.selectors import active_membership, broker_region
from marketplace.listings.access import Level, granted_level
from marketplace.listings.choices import ListingStatus
from marketplace.listings.kinds import Listing, ListingModel
from marketplace.listings.models import Achievement, Attachment, Challenge, TechnicalField


def _with_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("organization").prefetch_related(
        Prefetch("fields", queryset=TechnicalField.objects.select_related("parent"))
    )


def listings_public(model: ListingModel) -> QuerySet:
    """Published listings, newest first, ready for a list page."""
    return _with_related(model.objects.filter(status=ListingStatus.PUBLISHED)).order_by(
        "-published_at", "-pk"
    )


def listings_of_organization(
    model: ListingModel, organization: Organization, status: str | None = None
) -> QuerySet:
    """Every listing of one organisation, whatever its status, most recently changed first."""
    queryset = model.objects.filter(organization=organization)
    if status:
        queryset = queryset.filter(status=status)
    return _with_related(queryset).order_by("-updated_at", "-pk")


def status_counts(model: ListingModel, organization: Organization) -> dict[str, int]:
    rows = (
        model.objects.filter(organization=organization)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def marketplace_counts() -> dict[str, int]:
    """The figures on the home page."""
    return {
        "achievements": Achievement.objects.filter(status=ListingStatus.PUBLISHED).count(),
        "challenges": Challenge.objects.filter(status=ListingStatus.PUBLISHED).count(),
        "organizations": Organization.objects.filter(is_verified=True).count(),
    }


def nearest_listings(
    queryset: QuerySet, vector: Sequence[float], *, limit: int, field: str = "embedding"
) -> list[tuple[int, float]]:
    """The published listings of ``queryset`` nearest to ``vector`` in meaning, best first,
    as ``(id, cosine similarity)``, at most ``limit``: through the HNSW index of published
    listings' embeddings, which keeps scanning (pgvector's iterative scan) until ``limit``
    rows pass the queryset's other conditions. Listings without an embedding are left out.
    ``field``: ``embedding_en`` for the neighbours by the English model.

    When the index yields fewer than ``limit`` (there are only so many listings, or its
    graph still holds many dead versions of rows that no vacuum has removed yet), the same
    statement ranks them all exactly instead: a scan that, for so few, is cheap.
    """
    if limit <= 0:
        return []
    base = queryset.filter(status=ListingStatus.PUBLISHED, **{f"{field}__isnull": False})
    distance = CosineDistance(field, list(vector))
    # By the index (ordered by the distance operator itself) ...
    approximate = base.annotate(distance=distance).order_by("distance")
    # ... and exactly: ordering by an expression the index cannot serve.
    exact = base.annotate(distance=distance, rank=distance + 0.0).order_by("rank")
    approximate_sql, approximate_params = approximate.values_list("pk", "distance")[
        :limit
    ].query.sql_with_params()
    exact_sql, exact_params = exact.values_list("pk", "distance")[:limit].query.sql_with_params()
    # The exact branch's one-time filter lets PostgreSQL skip it when the index gave enough.
    sql = (
        f"WITH approximate AS MATERIALIZED ({approximate_sql}) "  # noqa: S608 - the ORM's SQL
        "SELECT 0, * FROM approximate UNION ALL "
        f"SELECT 1, * FROM ({exact_sql}) AS exact "
        "WHERE (SELECT count(*) FROM approximate) < %s"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # Both last until the end of the transaction (a savepoint inside a longer one).
        cursor.execute("SELECT set_config('hnsw.ef_search', %s, true)", [str(max(40, 2 * limit))])
        cursor.execute("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)")
        cursor.execute(sql, [*approximate_params, *exact_params, limit])
        rows = cursor.fetchall()
    if any(branch for branch, _pk, _distance in rows):
        rows = [row for row in rows if row[0]]
    # The iterative scan's order is only nearly sorted.
    return sorted(((pk, 1.0 - distance) for _branch, pk, distance in rows), key=lambda r: -r[1])


def technical_fields_tree() -> list[TechnicalField]:
    """Top-level fields with their children prefetched, in display order."""
    return list(TechnicalField.objects.filter(parent__isnull=True).prefetch_related("children"))


@dataclass(frozen=True)
class ListingAccess:
    """What one person may do with one listing."""

    can_view: bool
    can_see_full: bool
    can_see_confidential: bool
    can_edit: bool


_NO_ACCESS = ListingAccess(False, False, False, False)
# A deal keeps a listing that was public readable to the organisation it opened it to, so
# that an expired or archived listing does not vanish from under a negotiation. A listing
# back under review (edited) or never published stays hidden: its text is not approved.
_VISIBLE_TO_GRANTEES = frozenset(
    {ListingStatus.PUBLISHED, ListingStatus.EXPIRED, ListingStatus.ARCHIVED}
)


def listing_access(user: User, listing: Listing) -> ListingAccess:
    """The confidentiality ladder of a listing for a user, decided in this one place.

    - the owner organisation's active members see and edit everything;
    - moderators see everything (and edit in admin);
    - a published listing shows its public teaser (title, summary, fields, facts, public
      files) to everyone;
    - brokers (``broker_region``) read the full description of the published listings of
      their region, never the confidential material;
    - the grants other rooms register (``access.register_access_grant``) lift the members
      of a verified organisation higher: the deals room gives the full description once the
      organisation's interest is accepted, and the confidential details and files once it
      accepted the listing's NDA; such an organisation keeps reading the listing when it
      expires or is archived;
    - anything else is invisible to everyone else.

    Costs at most one query (the grants'), and only for members of verified organisations.
    """
    membership = active_membership(user)
    is_owner = membership is not None and membership.organization_id == listing.organization_id
    is_moderator = bool(user.is_authenticated and user.is_staff)
    if is_owner or is_moderator:
        return ListingAccess(True, True, True, is_owner)
    if listing.status not in _VISIBLE_TO_GRANTEES:
        return _NO_ACCESS
    level = Level.TEASER
    if membership is not None and membership.organization.is_verified:
        level = granted_level(membership.organization, listing)
        if listing.status == ListingStatus.PUBLISHED and broker_region(user) == listing.region:
            level = max(level, Level.FULL)
    if listing.status != ListingStatus.PUBLISHED and level < Level.FULL:
        return _NO_ACCESS
    return ListingAccess(True, level >= Level.FULL, level >= Level.CONFIDENTIAL, False)


def attachments_visible(
    user: User, listing: Listing, access: ListingAccess | None = None
) -> list[Attachment]:
    """The listing's files this user may download: public ones on the listings they can see,
    confidential ones only with ``can_see_confidential``. Pass the ``access`` already
    decided for this request to save deciding it again."""
    access = access or listing_access(user, listing)
    if not access.can_view:
        return []
    return [a for a in listing.attachments.all() if may_download(access, a)]


def may_download(access: ListingAccess, attachment: Attachment) -> bool:
    """Whether someone with this access to the attachment's listing may download it."""
    return access.can_view and (access.can_see_confidential or not attachment.is_confidential)
