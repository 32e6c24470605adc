"""The kinds of listing, in one place: achievements (what universities offer) and
challenges (what enterprises ask for), each the counterpart of the other.

Everything outside ``listings.models`` that depends on the kind asks here: the model of a
kind (``model_for``), the other kind (``counterpart_kind``, ``counterpart_model``), the kind
of a listing's pair column (``pair_of``), and the abstract model of things that belong to
exactly one listing (``BelongsToOneListing``: attachments, status changes, profiles,
expressions of interest). A third kind of listing would be added in ``listings.models``, in
``ListingKind`` and here.
"""

from __future__ import annotations

from django.http import Http404

from marketplace.listings.choices import ListingKind
from marketplace.listings.models import (
    ONE_LISTING_CONSTRAINT,
    Achievement,
    Challenge,
    belongs_to_one_listing,
)

# Defined with the models, which use them for listings' own tables.
__all__ = ["ONE_LISTING_CONSTRAINT", "belongs_to_one_listing"]

Listing = Achievement | Challenge
ListingModel = type[Achievement] | type[Challenge]

KINDS: tuple[str, ...] = tuple(ListingKind.values)
_MODELS: dict[str, ListingModel] = {
    ListingKind.ACHIEVEMENT: Achievement,
    ListingKind.CHALLENGE: Challenge,
}
_COUNTERPART = {
    ListingKind.ACHIEVEMENT: ListingKind.CHALLENGE,
    ListingKind.CHALLENGE: ListingKind.ACHIEVEMENT,
}
LISTING_MODELS: tuple[ListingModel, ...] = tuple(_MODELS.values())


def model_for(kind: str) -> ListingModel:
    """The model of a kind (``"achievement"`` → ``Achievement``); ValueError if unknown."""
    try:
        return _MODELS[kind]
    except KeyError:
        raise ValueError(f"Not a kind of listing: {kind!r}") from None


def model_or_404(kind: str) -> ListingModel:
    """The model of a kind named in a URL; an unknown kind is a page that does not exist."""
    if kind not in _MODELS:
        raise Http404
    return _MODELS[kind]


def counterpart_kind(kind: str) -> str:
    """The kind a listing of ``kind`` is matched with."""
    return _COUNTERPART[ListingKind(kind)]


def counterpart_model(listing_or_kind: Listing | str) -> ListingModel:
    """The model of the listings a listing (or a kind) is matched with."""
    kind = listing_or_kind if isinstance(listing_or_kind, str) else listing_or_kind.kind
    return _MODELS[counterpart_kind(kind)]


def pair_of(listing: Listing, counterpart_id: int) -> dict[str, int]:
    """``{"achievement_id": …, "challenge_id": …}`` of a listing and a counterpart's id."""
    return {
        f"{listing.kind}_id": listing.pk,
        f"{counterpart_kind(listing.kind)}_id": counterpart_id,
    }


def column(model_or_kind: ListingModel | str) -> str:
    """The id column naming a listing of that kind in other tables: ``achievement_id``."""
    kind = model_or_kind if isinstance(model_or_kind, str) else model_or_kind.kind
    return f"{kind}_id"


def of_listing(listing: Listing) -> dict[str, Listing]:
    """The filter (or create arguments) of a listing's rows: ``{"achievement": listing}``."""
    return {listing.kind: listing}
