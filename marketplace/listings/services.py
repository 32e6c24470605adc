"""Writes of listings: creation, edits, the lifecycle and attachments.

The lifecycle::

    draft ─submit─► pending ─publish─► published ─archive─► archived
      ▲               │                    │  ▲
      └─(edit)─ rejected ◄─reject─┘        │  └─renew─ expired ◄─expire─┘
    (editing a published listing sends it back to pending)

Every transition locks the row, checks the current status and refuses with ``Refused``
(a clear, translatable message) when the move is not allowed, so
a double click or a retried task is harmless. Each change writes a ``ListingEvent``;
creating or editing recomputes the search vector; publishing records the outbox event
``listing.published`` that saved-search alerts and matching act on after commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import MembershipStatus
from accounts.models import Organization, User
from accounts.selectors import active_membership
from marketplace.audit.choices import AuditAction
from marketplace.audit.services import audit_record
from marketplace.audit.values import values_of
from marketplace.listings.choices import ListingKind, ListingStatus, PricingRoute
from marketplace.listings.duplicates import near_duplicates
from marketplace.listings.indexing import listing_index
from marketplace.listings.kinds import Listing, of_listing
from marketplace.listings.models import (
    ACHIEVEMENT_OWNER_FIELDS,
    CHALLENGE_OWNER_FIELDS,
    Achievement,
    Attachment,
    Challenge,
    ListingEvent,
    TechnicalField,
)
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import notify
from marketplace.outbox.services import event_record
from marketplace.refusals import Refused
from marketplace.uploads.content import content_type_of

S = ListingStatus


# Fields that owners may write through listing_create / listing_update.
_WRITABLE = {
    Achievement: frozenset(ACHIEVEMENT_OWNER_FIELDS),
    Challenge: frozenset(CHALLENGE_OWNER_FIELDS),
}


def _lock(listing: Listing) -> Listing:
    """Reload the listing under a row lock so that concurrent moves serialise."""
    return (
        type(listing).objects.select_for_update().select_related("organization").get(pk=listing.pk)
    )


# Why each move is refused, one whole sentence per move so that it translates well.
_REFUSALS = {
    "edit": _("An archived listing cannot be edited."),
    "submit": _("Only a draft or a rejected listing can be submitted for review."),
    "publish": _("Only a listing pending review can be published."),
    "reject": _("Only a listing pending review can be rejected."),
    "return_to_draft": _("Only a pending or rejected listing can go back to draft."),
    "archive": _("Only a published or expired listing can be archived."),
    "renew": _("Only a published or expired listing can be renewed."),
    "delete": _("Only a draft or a rejected listing can be deleted."),
}


def _refuse_unless(listing: Listing, allowed: Iterable[str], move: str) -> None:
    if listing.status not in allowed:
        raise Refused(
            _("%(refusal)s This one is: %(status)s.")
            % {"refusal": _REFUSALS[move], "status": listing.get_status_display()}
        )


def _move(listing: Listing, *, to: str, actor: User | None, note: str = "", now: datetime) -> None:
    ListingEvent.objects.create(
        **of_listing(listing),
        from_status=listing.status,
        to_status=to,
        actor=actor,
        note=note,
        created_at=now,
    )
    listing.status = to


def _set_data(listing: Listing, data: dict[str, Any]) -> list[TechnicalField] | None:
    data = dict(data)
    fields = data.pop("fields", None)
    unknown = set(data) - _WRITABLE[type(listing)]
    if unknown:
        raise ValueError(f"Not writable on {type(listing).__name__}: {sorted(unknown)}")
    for name, value in data.items():
        setattr(listing, name, value)
    if listing.kind == ListingKind.ACHIEVEMENT and listing.price_negotiable:
        if listing.pricing_route == PricingRoute.LISTED:
            # The listed price is what a buyer accepts online: it cannot become negotiable
            # under them (the database refuses it too: achievement_listed_has_price).
            raise Refused.bad_input(
                price_negotiable=_(
                    "This achievement is sold at a listed price; change its pricing route "
                    "before making the price negotiable."
                )
            )
        listing.asking_price = None
    return fields


def _owners_to_tell(listing: Listing) -> list[User]:
    """The listing's author and the organisation's owners, active members only."""
    memberships = listing.organization.memberships.filter(
        status=MembershipStatus.ACTIVE
    ).select_related("user")
    people = {m.user for m in memberships if m.is_owner or m.user_id == listing.created_by_id}
    return sorted((u for u in people if u.is_active), key=lambda u: u.pk)


# The same people, for the rooms above that tell owners about their listings (freshness).
owners_to_tell = _owners_to_tell


def listing_create(
    *, model: type[Listing], organization: Organization, user: User, data: dict[str, Any]
) -> Listing:
    """Create a draft listing for an organisation."""
    listing = model(organization=organization, created_by=user, status=S.DRAFT)
    if "region" not in data:
        listing.region = organization.region
    fields = _set_data(listing, data)
    with transaction.atomic():
        listing.save()
        if fields is not None:
            listing.fields.set(fields)
        listing_index(listing)
    return listing


def listing_update(*, listing: Listing, user: User, data: dict[str, Any]) -> Listing:
    """Save an owner's edit.

    A published or pending listing goes (back) to review; a rejected or expired one becomes
    a draft again; an archived one cannot be edited.
    """
    now = timezone.now()
    with transaction.atomic():
        listing = _lock(listing)
        _refuse_unless(listing, [S.DRAFT, S.PENDING, S.PUBLISHED, S.REJECTED, S.EXPIRED], "edit")
        fields = _set_data(listing, data)
        if listing.status == S.PUBLISHED:
            _move(listing, to=S.PENDING, actor=user, note="edited", now=now)
            listing.submitted_at = now
        elif listing.status in (S.REJECTED, S.EXPIRED):
            _move(listing, to=S.DRAFT, actor=user, note="edited", now=now)
        if listing.status == S.PENDING:
            # Under review with a new text: the moderators' duplicate check follows it.
            listing.near_duplicates = near_duplicates(listing)
        listing.save()
        if fields is not None:
            listing.fields.set(fields)
        listing_index(listing)
    return listing


def listing_submit(*, listing: Listing, user: User) -> Listing:
    """Send a draft (or a rejected listing) to the moderators."""
    now = timezone.now()
    with transaction.atomic():
        listing = _lock(listing)
        _refuse_unless(listing, [S.DRAFT, S.REJECTED], "submit")
        if listing.kind == ListingKind.CHALLENGE and listing.deadline < timezone.localdate():
            raise Refused(_("The deadline has passed; set a later one first."))
        _move(listing, to=S.PENDING, actor=user, now=now)
        listing.submitted_at = now
        # The last rejection's reason stays in the history, not on the resubmitted listing.
        listing.rejection_reason = ""
        # For the moderation desk: the organisation's listings with nearly the same text.
        listing.near_duplicates = near_duplicates(listing)
        listing.save(
            update_fields=[
                "status",
                "submitted_at",
                "rejection_reason",
                "near_duplicates",
                "updated_at",
            ]
        )
    return listing


# What a moderation decision changes on a listing, as the audit log records it.
_MODERATION_FIELDS = (
    "status",
    "reviewed_by",
    "reviewed_at",
    "rejection_reason",
    "published_at",
    "expires_at",
)


def _achievement_expiry(now: datetime) -> datetime:
    return now + timedelta(days=settings.ACHIEVEMENT_VALID_DAYS)


def listing_publish(*, listing: Listing, moderator: User) -> Listing:
    """Approve a pending listing; its organisation must be verified."""
    now = timezone.now()
    with transaction.atomic():
        listing = _lock(listing)
        _refuse_unless(listing, [S.PENDING], "publish")
        if not listing.organization.is_verified:
            raise Refused(
                _("%(org)s is not verified yet; verify the organisation first.")
                % {"org": listing.organization.name}
            )
        if listing.kind == ListingKind.CHALLENGE and listing.deadline < timezone.localdate():
            raise Refused(_("The challenge's deadline has passed."))
        before = values_of(listing, _MODERATION_FIELDS)
        _move(listing, to=S.PUBLISHED, actor=moderator, now=now)
        listing.published_at = now
        # Publishing confirms the listing as current (the "last confirmed" date).
        listing.confirmed_at = now
        listing.stale_notified_at = None
        listing.reviewed_at = now
        listing.reviewed_by = moderator
        listing.rejection_reason = ""
        if listing.kind == ListingKind.ACHIEVEMENT:
            listing.expires_at = _achievement_expiry(now)
        listing.save()
        audit_record(
            actor=moderator, action=AuditAction.LISTING_PUBLISH, target=listing, before=before
        )
        notify(
            users=_owners_to_tell(listing),
            kind=NotificationKind.MODERATION,
            link=listing.get_absolute_url(),
            key=f"{listing.kind}:{listing.pk}:published:{now.isoformat()}",
            template="listing_published",
            context={"listing": listing},
        )
        # Saved-search alerts (and, later, matching) act on this after commit.
        event_record(kind="listing.published", payload={"kind": listing.kind, "id": listing.pk})
    return listing


def listing_reject(*, listing: Listing, moderator: User, reason: str) -> Listing:
    """Turn a pending listing down, with a reason the owner will read."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused.bad_input(reason=_("A reason is required to reject a listing."))
    now = timezone.now()
    with transaction.atomic():
        listing = _lock(listing)
        _refuse_unless(listing, [S.PENDING], "reject")
        before = values_of(listing, _MODERATION_FIELDS)
        _move(listing, to=S.REJECTED, actor=moderator, note=reason, now=now)
        listing.reviewed_at = now
        listing.reviewed_by = moderator
        listing.rejection_reason = reason
        listing.save()
        audit_record(
            actor=moderator,
            action=AuditAction.LISTING_REJECT,
            target=listing,
            before=before,
            note=reason,
        )
        notify(
            users=_owners_to_tell(listing),
            kind=NotificationKind.MODERATION,
            link=listing.get_absolute_url(),
            key=f"{listing.kind}:{listing.pk}:rejected:{now.isoformat()}",
            template="listing_rejected",
            context={"listing": listing, "reason": reason},
        )
    return listing


def listing_return_to_draft(*, listing: Listing, user: User) -> Listing:
    """Take a rejected or pending listing back into draft for more work."""
    now = timezone.now()
    with transaction.atomic():
        listing = _lock(listing)
        _refuse_unless(listing, [S.REJECTED, S.PENDING], "return_to_draft")
        _move(listing, to=S.DRAFT, actor=user, now=now)
        listing.save(update_fields=["status", "updated_at"])
    return listing


def listing_archive(*, listing: Listing, user: User) -> Listing:
    """Withdraw a published or expired listing for good."""
    now = timezone.now()
    with transaction.atomic():
        listing = _lock(listing)
        _refuse_unless(listing, [S.PUBLISHED, S.EXPIRED], "archive")
        _move(listing, to=S.ARCHIVED, actor=user, now=now)
        listing.save(update_fields=["status", "updated_at"])
    return listing


def listing_renew(*, listing: Listing, user: User, deadline: date | None = None) -> Listing:
    """Keep a listing up: an achievement for another 12 months, a challenge to a new deadline.

    An expired listing comes back without a new review: its content was approved and has
    not changed since.
    """
    now = timezone.now()
    with transaction.atomic():
        listing = _lock(listing)
        _refuse_unless(listing, [S.PUBLISHED, S.EXPIRED], "renew")
        if not listing.organization.is_verified:
            raise Refused(_("Your organisation is no longer verified."))
        if listing.kind == ListingKind.CHALLENGE:
            if deadline is None or deadline < timezone.localdate():
                raise Refused.bad_input(deadline=_("Choose a new deadline that is today or later."))
            listing.deadline = deadline
        else:
            listing.expires_at = _achievement_expiry(now)
        # Renewing says the listing is still current: it confirms it too.
        listing.confirmed_at = now
        listing.stale_notified_at = None
        if listing.status == S.EXPIRED:
            _move(listing, to=S.PUBLISHED, actor=user, note="renewed", now=now)
        else:
            ListingEvent.objects.create(
                **of_listing(listing),
                from_status=S.PUBLISHED,
                to_status=S.PUBLISHED,
                actor=user,
                note="renewed",
                created_at=now,
            )
        listing.save()
    return listing


def listing_confirm(*, listing: Listing, user: User) -> Listing:
    """The owner says a published listing is still current: its "last confirmed" date moves
    to now and a stale notice may come again only once it goes stale anew. Confirming twice
    only moves the date."""
    now = timezone.now()
    with transaction.atomic():
        listing = _lock(listing)
        if listing.status != S.PUBLISHED:
            raise Refused(
                _("Only a published listing can be confirmed as current. This one is: %(status)s.")
                % {"status": listing.get_status_display()}
            )
        listing.confirmed_at = now
        listing.stale_notified_at = None
        listing.save(update_fields=["confirmed_at", "stale_notified_at", "updated_at"])
    return listing


def listing_delete(*, listing: Listing, user: User) -> None:
    """Delete a listing that never went public (draft or rejected)."""
    with transaction.atomic():
        listing = _lock(listing)
        _refuse_unless(listing, [S.DRAFT, S.REJECTED], "delete")
        files = [a.file for a in listing.attachments.all()]
        listing.delete()
        transaction.on_commit(lambda: [f.delete(save=False) for f in files])


def listings_expire_due(*, now: datetime | None = None) -> int:
    """Expire published achievements past their expiry and challenges past their deadline.

    Safe to run any number of times, from the management command or the periodic task.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = [
        Achievement.objects.filter(status=S.PUBLISHED, expires_at__lte=now),
        Challenge.objects.filter(status=S.PUBLISHED, deadline__lt=today),
    ]
    expired = 0
    for queryset in due:
        for pk in queryset.values_list("pk", flat=True).iterator():
            with transaction.atomic():
                listing = queryset.model.objects.select_for_update().get(pk=pk)
                # Re-check under the lock: an owner may have renewed it meanwhile.
                if not queryset.filter(pk=pk).exists():
                    continue
                _move(listing, to=S.EXPIRED, actor=None, now=now)
                listing.save(update_fields=["status", "updated_at"])
                expired += 1
    return expired


# Owners hear this many days before a listing lapses that it is about to.
EXPIRY_REMINDER_DAYS = 14


def listings_remind_due(*, now: datetime | None = None) -> int:
    """Tell the owners of each published achievement that expires, and each challenge whose
    deadline falls, within the next 14 days; returns how many listings were announced.

    Once per listing and expiry date (the notification key holds the date): running it
    again, or daily, tells nobody twice, while a renewed listing is reminded again before
    its new date. A listing that got less than 14 days' notice is reminded at once.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = today + timedelta(days=EXPIRY_REMINDER_DAYS)
    due = [
        Achievement.objects.filter(
            status=S.PUBLISHED,
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=EXPIRY_REMINDER_DAYS),
        ),
        Challenge.objects.filter(status=S.PUBLISHED, deadline__gte=today, deadline__lte=horizon),
    ]
    announced = 0
    for queryset in due:
        for listing in queryset.select_related("organization").order_by("pk"):
            expires_on = timezone.localdate(listing.expires_at)
            with transaction.atomic():
                told = notify(
                    users=_owners_to_tell(listing),
                    kind=NotificationKind.EXPIRY_REMINDER,
                    link=listing.get_absolute_url(),
                    key=f"{listing.kind}:{listing.pk}:expiring:{expires_on.isoformat()}",
                    template="listing_expiring",
                    context={"listing": listing, "expires_on": expires_on},
                )
            announced += bool(told)
    return announced


def attachment_add(
    *, listing: Listing, user: User, file: UploadedFile, title: str, is_confidential: bool
) -> Attachment:
    """Attach a file to a listing (its size is checked by the form; its content type is
    checked, or taken from the form's check, before anything is written)."""
    content_type = content_type_of(file)
    with transaction.atomic():
        listing = _lock(listing)
        _refuse_unless(listing, [S.DRAFT, S.PENDING, S.PUBLISHED, S.REJECTED, S.EXPIRED], "edit")
        attachment = Attachment(
            title=title.strip() or file.name,
            is_confidential=is_confidential,
            size=file.size or 0,
            content_type=content_type,
            uploaded_by=user,
            **of_listing(listing),
        )
        attachment.file.save(file.name, file, save=False)
        attachment.save()
    return attachment


def attachment_delete(*, attachment: Attachment, user: User) -> None:
    """Remove an attachment and, once that is committed, its file."""
    file = attachment.file
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: file.delete(save=False))


def listing_viewed(*, listing: Listing, user: User | AnonymousUser) -> None:
    """Count a view of a published listing's page by someone outside its organisation (the
    owner's market feedback); the owners' own visits and moderators' reviews do not count."""
    if listing.status != ListingStatus.PUBLISHED or getattr(user, "is_staff", False):
        return
    membership = active_membership(user)
    if membership is not None and membership.organization_id == listing.organization_id:
        return
    type(listing).objects.filter(pk=listing.pk).update(view_count=F("view_count") + 1)
