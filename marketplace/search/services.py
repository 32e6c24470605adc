"""Writes of search: saved searches and their alerts."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from marketplace.listings.choices import ListingKind, ListingStatus
from marketplace.listings.kinds import model_for
from marketplace.listings.models import TechnicalField
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import notify
from marketplace.refusals import Refused
from marketplace.search.filters import ACHIEVEMENT_PARAMS, CHALLENGE_PARAMS
from marketplace.search.models import SavedSearch, SavedSearchAlert
from marketplace.search.selectors import FILTERSETS

PARAMS = {ListingKind.ACHIEVEMENT: ACHIEVEMENT_PARAMS, ListingKind.CHALLENGE: CHALLENGE_PARAMS}
MAX_SAVED_SEARCHES = 50


def _normalised_query(kind: str, params: QueryDict) -> str:
    """Only the filter parameters, without paging or sorting, in a stable order."""
    kept = QueryDict(mutable=True)
    for key in sorted(PARAMS[kind]):
        values = [v for v in params.getlist(key) if v.strip()]
        if values:
            kept.setlist(key, sorted(values))
    return kept.urlencode()


def saved_search_create(*, user: User, name: str, kind: str, params: QueryDict) -> SavedSearch:
    name = " ".join(name.split())
    if not name:
        raise Refused.bad_input(name=_("Give the search a name."))
    query = _normalised_query(kind, params)
    filterset = FILTERSETS[model_for(kind)](
        QueryDict(query), queryset=model_for(kind).objects.none()
    )
    if not filterset.is_valid():
        raise Refused.bad_input(_("Correct the search's filters before saving it."))
    if user.saved_searches.count() >= MAX_SAVED_SEARCHES:
        raise Refused(
            _("You can keep at most %(n)d saved searches; delete one first.")
            % {"n": MAX_SAVED_SEARCHES}
        )
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(user=user, name=name, kind=kind, query=query)
    except IntegrityError:
        raise Refused.bad_input(name=_("You already have a saved search with this name.")) from None


def saved_search_delete(*, saved_search: SavedSearch) -> None:
    saved_search.delete()


def saved_search_alerts_send(*, kind: str, listing_id: int) -> int:
    """Tell each user whose saved search returns this newly published listing, once.

    Idempotent: the alert row is unique per user and listing, so a second run finds every
    user told already and sends nothing.
    """
    model = model_for(kind)
    listing = model.objects.filter(pk=listing_id, status=ListingStatus.PUBLISHED).first()
    if listing is None:
        return 0
    candidates = model.objects.filter(pk=listing_id, status=ListingStatus.PUBLISHED)
    searches = (
        SavedSearch.objects.filter(kind=kind, user__is_active=True)
        .exclude(user__membership__organization_id=listing.organization_id)
        .select_related("user")
        .order_by("user_id", "pk")
    )
    told: set[int] = set()
    field_codes = list(TechnicalField.objects.values_list("code", flat=True))
    for search in searches:
        if search.user_id in told:
            continue
        filterset = FILTERSETS[model](search.params, queryset=candidates, field_codes=field_codes)
        if not filterset.qs.exists():
            continue
        told.add(search.user_id)
        alert, created = SavedSearchAlert.objects.get_or_create(
            user=search.user,
            kind=kind,
            listing_id=listing_id,
            defaults={"saved_search": search, "title": listing.title},
        )
        if created:
            notify(
                users=[search.user],
                kind=NotificationKind.SAVED_SEARCH,
                link=listing.get_absolute_url(),
                key=f"saved_search:{kind}:{listing_id}",
                template="saved_search_alert",
                context={"saved_search": search, "listing": listing},
            )
    return len(told)
