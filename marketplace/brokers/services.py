"""Writes of the broker ledger: a centre assigns, a broker marks done, a signed deal is
attributed to the broker its interest was assigned to.

Who is who: a *centre* is a verified transfer centre; its *brokers* are its active members;
its *owners* (active members with the owner role) assign. Every service refuses with
``Refused`` before it changes anything, and guards the status so a retry is harmless.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import MembershipStatus, OrganizationKind
from accounts.models import Organization, User
from accounts.selectors import active_membership
from marketplace.brokers.choices import AssignmentStatus
from marketplace.brokers.models import BrokerAssignment
from marketplace.deals.choices import DealStage, InterestStatus
from marketplace.deals.models import Deal, Interest
from marketplace.listings.choices import ListingStatus
from marketplace.listings.models import Challenge
from marketplace.notifications.choices import NotificationKind
from marketplace.notifications.services import notify
from marketplace.refusals import Refused

NOTE_MAX = 2000


def centre_of(user: User) -> Organization | None:
    """The verified transfer centre the user is an active member of (a broker), or None."""
    membership = active_membership(user)
    if membership is None:
        return None
    centre = membership.organization
    if centre.kind != OrganizationKind.TRANSFER_CENTRE or not centre.is_verified:
        return None
    return centre


def is_centre_owner(user: User, centre: Organization | None) -> bool:
    if centre is None:
        return False
    membership = active_membership(user)
    return bool(membership and membership.organization_id == centre.pk and membership.is_owner)


def _subject_region(subject: Challenge | Interest) -> str:
    return subject.region if isinstance(subject, Challenge) else subject.listing.region


def assignment_create(
    *,
    user: User,
    broker: User,
    subject: Challenge | Interest,
    due: date,
    note: str = "",
) -> BrokerAssignment:
    """An owner of a centre gives one of its brokers a published challenge, or an open
    interest in a listing, of the centre's region, due on ``due`` (today or later)."""
    centre = centre_of(user)
    if centre is None or not is_centre_owner(user, centre):
        raise Refused.forbidden(_("Only an owner of a verified transfer centre assigns work."))
    if not centre.memberships.filter(user=broker, status=MembershipStatus.ACTIVE).exists():
        raise Refused.bad_input(broker=_("Choose one of your centre's brokers."))
    if isinstance(subject, Challenge):
        if subject.status != ListingStatus.PUBLISHED:
            raise Refused.bad_input(subject=_("Choose a published challenge."))
    elif subject.status == InterestStatus.DECLINED:
        raise Refused.bad_input(subject=_("This expression of interest was declined."))
    if _subject_region(subject) != centre.region:
        raise Refused.bad_input(subject=_("Assign only what belongs to your centre's region."))
    if due is None or due < timezone.localdate():
        raise Refused.bad_input(due=_("Choose a due date that is today or later."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise Refused.bad_input(note=_("The note is too long."))
    column = "challenge" if isinstance(subject, Challenge) else "interest"
    assigned_already = Refused(_("It is assigned already; mark that assignment done first."))
    with transaction.atomic():
        open_already = BrokerAssignment.objects.filter(
            centre=centre, status=AssignmentStatus.OPEN, **{column: subject}
        )
        if open_already.exists():
            raise assigned_already
        try:
            # Two owners assigning at once: the partial unique constraint decides.
            with transaction.atomic():
                assignment = BrokerAssignment.objects.create(
                    centre=centre,
                    broker=broker,
                    due=due,
                    note=note,
                    assigned_by=user,
                    **{column: subject},
                )
        except IntegrityError:
            raise assigned_already from None
        if broker.pk != user.pk:
            notify(
                users=[broker],
                kind=NotificationKind.ORGANIZATION,
                link=reverse("brokers:assignments"),
                key=f"assignment:{assignment.pk}",
                template="assignment_received",
                context={"assignment": assignment, "assigned_by": user},
            )
        return assignment


def assignment_done(*, assignment: BrokerAssignment, user: User) -> BrokerAssignment:
    """The assigned broker (or an owner of the centre) marks an open assignment done."""
    if user.pk != assignment.broker_id and not is_centre_owner(user, assignment.centre):
        raise Refused.forbidden(_("Only the assigned broker or the centre's owners mark it done."))
    with transaction.atomic():
        # The claim: a double click or a second tab finds nothing open.
        done = BrokerAssignment.objects.filter(
            pk=assignment.pk, status=AssignmentStatus.OPEN
        ).update(status=AssignmentStatus.DONE, done_at=timezone.now())
        if not done:
            raise Refused(_("This assignment is done already."))
        assignment.refresh_from_db()
        if assignment.interest_id:
            deals_attribute(interest_ids=[assignment.interest_id])
    return assignment


def deals_attribute(*, interest_ids: list[int]) -> int:
    """Attribute the signed deals of these interests, that no broker brokered yet, to the
    broker their interest was first assigned to; returns how many deals it attributed.
    Conditional updates: running it again changes nothing."""
    attributed = 0
    deals = Deal.objects.filter(
        conversation__interest_id__in=interest_ids,
        stage=DealStage.CONTRACT_SIGNED,
        brokered_by__isnull=True,
    ).values_list("pk", "conversation__interest_id")
    for deal_id, interest_id in deals:
        first = (
            BrokerAssignment.objects.filter(interest_id=interest_id)
            .order_by("created_at", "pk")
            .values_list("broker_id", flat=True)
            .first()
        )
        if first is not None:
            attributed += Deal.objects.filter(pk=deal_id, brokered_by__isnull=True).update(
                brokered_by_id=first
            )
    return attributed
