"""Fill an empty database with a believable bilingual marketplace for demos and manual tests.

Every write that has a service goes through it (sign-up, joining, verification, the listing
lifecycle), so the demo obeys the same rules and leaves the same history as real use. Only
what no service offers is written directly: staff accounts, the moderators' group, the one
password hash everyone shares, and the timestamps moved back in time so that the site looks
like months of use. Matching runs after commit, as on the site, on profiles built first.

The content is hand-written in ``marketplace/demo/content/``; nothing is random, so two runs
give the same data.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.choices import MembershipStatus
from accounts.models import Membership, Organization, User
from accounts.services import (
    membership_approve,
    organization_verify,
    user_signup_confirm,
    user_signup_joining,
    user_signup_with_organization,
)
from marketplace.demo.content import ACHIEVEMENTS, CHALLENGES, ORGANIZATIONS
from marketplace.demo.mail import emails_kept_in_memory
from marketplace.listings.choices import ListingStatus
from marketplace.listings.indexing import listings_embed_stale
from marketplace.listings.models import Achievement, Challenge, ListingEvent, TechnicalField
from marketplace.listings.services import (
    listing_archive,
    listing_create,
    listing_publish,
    listing_reject,
    listing_submit,
    listings_expire_due,
)
from marketplace.matching.profiles import profiles_rebuild
from marketplace.refusals import Refused

PASSWORD = "keqiao-demo-2026"
ADMIN_EMAIL = "admin@keqiao.local"
MODERATOR_EMAIL = "moderator@keqiao.local"
MODERATORS_GROUP = "Moderators"

# What moderators may see and change in the admin site: (app label, model name).
MODERATED_MODELS = [
    ("listings", "achievement"),
    ("listings", "challenge"),
    ("listings", "attachment"),
    ("listings", "listingevent"),
    ("accounts", "organization"),
    ("accounts", "membership"),
    # The deals room is read-only in admin: moderators look, e.g. after an abuse report.
    ("deals", "interest"),
    ("deals", "conversation"),
    ("deals", "message"),
    ("deals", "messageattachment"),
    ("deals", "ndaacceptance"),
    ("deals", "deal"),
    ("deals", "dealevent"),
    ("deals", "contract"),
]
# What they may only see. People are looked up (and picked for memberships), not changed:
# ``change_user`` was how a moderator could make themselves a superuser. Databases seeded
# before lose it in migration accounts 0003.
LOOKED_UP_MODELS = [("accounts", "user")]


def moderators_group() -> Group:
    """The moderators' group, holding exactly the permissions named above."""
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    wanted = [
        (app, f"{action}_{model}")
        for app, model in MODERATED_MODELS
        for action in ("view", "change")
    ] + [(app, f"view_{model}") for app, model in LOOKED_UP_MODELS]
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
    )
    return group


S = ListingStatus


def _days_back(model: type[Achievement | Challenge], status: str, index: int) -> int:
    """How long ago a listing was reviewed; fixed per position so that runs agree."""
    if model is Challenge and status == S.EXPIRED:
        return 50 + index % 30  # its deadline is then moved to yesterday
    return {
        S.DRAFT: 1 + index % 9,
        S.PENDING: 1 + index % 4,
        S.REJECTED: 6 + index % 20,
        S.PUBLISHED: 3 + (index * 37) % 175,
        S.ARCHIVED: 140 + (index * 13) % 60,
        # Published a year and a day ago (ACHIEVEMENT_VALID_DAYS), so it fell due last night.
        S.EXPIRED: 366,
    }[status]


class Command(BaseCommand):
    help = "Create demo organisations, people, achievements and challenges (first run only)."

    def handle(self, *args, **options) -> None:
        if User.objects.filter(email__iexact=ADMIN_EMAIL).exists():
            self.stdout.write("Demo data already present")
            return
        if User.objects.exists() or Organization.objects.exists():
            # Never mix demo people into a database that real people already use.
            self.stdout.write("The database already has users; not adding demo data.")
            return

        fields = {f.code: f for f in TechnicalField.objects.all()}
        wanted = {c for spec in ACHIEVEMENTS + CHALLENGES for c in spec["fields"]}
        if missing := sorted(wanted - set(fields)):
            raise CommandError(f"Technical fields missing ({', '.join(missing)}); run migrate.")

        try:
            with emails_kept_in_memory(), transaction.atomic():
                _Seeder(fields, log=self.stdout.write).run()
        except Refused as exc:
            # E.g. an organisation of the same name registered by hand; nothing was written.
            detail = "; ".join(exc.messages())
            raise CommandError(f"Demo data not created: {detail}") from exc

        self._report()

    def _report(self) -> None:
        for model in (Achievement, Challenge):
            counts = {s: model.objects.filter(status=s).count() for s in S.values}
            line = ", ".join(f"{s} {n}" for s, n in counts.items())
            self.stdout.write(f"{model.__name__}s: {line}")
        self.stdout.write(f"Organisations: {Organization.objects.count()}\n")

        rows = [
            ("Admin (superuser)", ADMIN_EMAIL),
            ("Moderator", MODERATOR_EMAIL),
            ("University owner", "tto@sustech.demo"),
            ("Enterprise owner", "rd@shenxin.demo"),
            ("Transfer centre staff", "broker@gba-ttc.demo"),
            ("Unverified org owner", "ceo@yihang.demo"),
        ]
        header = ("Role", "Email", "Password")
        widths = [max(len(r[0]) for r in [*rows, header]), max(len(r[1]) for r in [*rows, header])]
        self.stdout.write("Demo log-ins:")
        for role, email, password in [header, *((r, e, PASSWORD) for r, e in rows)]:
            self.stdout.write(f"  {role:<{widths[0]}}  {email:<{widths[1]}}  {password}")


class _Seeder:
    """Writes the demo in an order the services accept: people, organisations, listings."""

    def __init__(self, fields: dict[str, TechnicalField], *, log) -> None:
        self.fields = fields
        self.log = log
        self.orgs: dict[str, Organization] = {}
        self.owners: dict[str, User] = {}
        self.members: dict[str, list[User]] = {}
        self.today = timezone.localdate()

    def run(self) -> None:
        self.admin, self.moderator = self._staff()
        for spec in ORGANIZATIONS:
            self._organization(spec)

        expiring: list[Achievement | Challenge] = []
        for index, spec in enumerate(ACHIEVEMENTS):
            listing = self._listing(Achievement, spec, index, self._achievement_data(spec))
            if spec["status"] == S.EXPIRED:
                expiring.append(listing)
        for index, spec in enumerate(CHALLENGES):
            listing = self._listing(Challenge, spec, index, self._challenge_data(spec))
            if spec["status"] == S.EXPIRED:
                # It could only be published before its deadline; that passed yesterday.
                Challenge.objects.filter(pk=listing.pk).update(
                    deadline=self.today - timedelta(days=1)
                )
                expiring.append(listing)

        # The same sweep the nightly task runs; only the listings set up above are due.
        expired = listings_expire_due()
        if expired != len(expiring):
            raise CommandError(f"Expected {len(expiring)} listings to expire, got {expired}.")

        # Everyone has the same password, so one hash serves them all: hashing is slow by
        # design (half a second each), and the database had no users before this run.
        User.objects.update(password=make_password(PASSWORD))

        # Matching runs after commit, one published listing after another, and each run
        # weighs terms by the statistics of the profiles there are. Built now, the profiles
        # of every listing ever published give the first run the same statistics as the
        # last, as on a site that has been in use for months.
        for model in (Achievement, Challenge):
            profiles_rebuild(
                model, model.objects.filter(published_at__isnull=False).values_list("pk", flat=True)
            )
        # Likewise the embeddings, which a real site computes after each write: now, so that
        # those first runs already find counterparts by meaning.
        total = sum(model.objects.count() for model in (Achievement, Challenge))
        done = 0
        for model in (Achievement, Challenge):

            def progress(n: int, base: int = done) -> None:
                self.log(f"Embedding the demo listings' texts: {base + n}/{total}")

            done += listings_embed_stale(model, progress=progress)

    # --- People and organisations --------------------------------------------------------------

    def _staff(self) -> tuple[User, User]:
        admin = User.objects.create_superuser(
            email=ADMIN_EMAIL, password=None, full_name="科桥管理员 Keqiao Admin"
        )
        moderator = User.objects.create_user(
            email=MODERATOR_EMAIL, password=None, full_name="周敏", is_staff=True
        )
        moderator.groups.add(moderators_group())
        since = timezone.now() - timedelta(days=500)
        User.objects.filter(pk__in=[admin.pk, moderator.pk]).update(date_joined=since)
        return admin, moderator

    def _organization(self, spec: dict[str, Any]) -> None:
        email, full_name, language = spec["owner"]
        owner = user_signup_with_organization(
            email=email,
            full_name=full_name,
            password=None,  # set for everyone at the end (``run``)
            preferred_language=language,
            organization={
                "kind": spec["kind"],
                "name": spec["name"],
                "name_en": spec["name_en"],
                "region": spec["region"],
                "website": spec["website"],
                "description": spec["description"],
            },
        )
        owner = self._confirmed(owner)
        org = owner.membership.organization
        self.orgs[spec["key"]] = org
        self.owners[spec["key"]] = owner
        self.members[spec["key"]] = []
        for member_email, member_name, member_language, approved in spec["members"]:
            member = user_signup_joining(
                email=member_email,
                full_name=member_name,
                password=None,
                preferred_language=member_language,
                organization=org,
            )
            member = self._confirmed(member)
            if approved:
                membership_approve(membership=member.membership, actor=owner)
                self.members[spec["key"]].append(member)
        if spec["verified"]:
            organization_verify(organization=org, moderator=self.moderator)
        self._backdate_organization(org, days=spec["since"])

    @staticmethod
    def _confirmed(user: User) -> User:
        """The demo people confirmed their addresses (the link of the sign-up email): an
        account opens only then."""
        return user_signup_confirm(user=user, token=default_token_generator.make_token(user))

    def _backdate_organization(self, org: Organization, *, days: int) -> None:
        since = timezone.now() - timedelta(days=days)
        Organization.objects.filter(pk=org.pk).update(created_at=since)
        # Verified about a week after signing up.
        Organization.objects.filter(pk=org.pk, verified_at__isnull=False).update(
            verified_at=since + timedelta(days=min(7, days // 2))
        )
        # Applicants still waiting asked just now; everyone else came with the organisation.
        active = Membership.objects.filter(organization=org, status=MembershipStatus.ACTIVE)
        active.update(created_at=since)
        User.objects.filter(membership__in=active).update(date_joined=since)

    # --- Listings -----------------------------------------------------------------------------

    def _author(self, spec: dict[str, Any]) -> User:
        if spec.get("by") == "member":
            return self.members[spec["org"]][0]
        return self.owners[spec["org"]]

    def _common_data(self, spec: dict[str, Any]) -> dict[str, Any]:
        return {
            "title": spec["title"],
            "summary": spec["summary"],
            "description": spec["description"],
            "keywords": spec["keywords"],
            "fields": [self.fields[code] for code in spec["fields"]],
        }

    def _achievement_data(self, spec: dict[str, Any]) -> dict[str, Any]:
        author = self._author(spec)
        price = spec["price"]
        return {
            **self._common_data(spec),
            "trl": spec["trl"],
            "ip_status": spec["ip"].value,
            "patent_numbers": spec["patents"],
            "transaction_modes": [mode.value for mode in spec["modes"]],
            "price_negotiable": price is None,
            "asking_price": None if price is None else Decimal(price),
            "team": spec["team"],
            "contact_name": author.full_name,
            "contact_email": author.email,
        }

    def _challenge_data(self, spec: dict[str, Any]) -> dict[str, Any]:
        budget_min, budget_max = spec["budget"] or (None, None)
        return {
            **self._common_data(spec),
            "confidential_details": spec["confidential"],
            "budget_min": None if budget_min is None else Decimal(budget_min),
            "budget_max": None if budget_max is None else Decimal(budget_max),
            "deadline": self.today + timedelta(days=spec["deadline_in"]),
            "cooperation_modes": [mode.value for mode in spec["modes"]],
            "min_trl": spec["min_trl"],
        }

    def _listing(
        self, model: type[Achievement | Challenge], spec: dict[str, Any], index: int, data: dict
    ) -> Achievement | Challenge:
        author = self._author(spec)
        # Most reviews by the moderator, some by the admin, as on a real site.
        reviewer = self.admin if index % 5 == 4 else self.moderator
        status = spec["status"]
        listing = listing_create(
            model=model, organization=self.orgs[spec["org"]], user=author, data=data
        )
        if status != S.DRAFT:
            listing = listing_submit(listing=listing, user=author)
        if status == S.REJECTED:
            listing = listing_reject(listing=listing, moderator=reviewer, reason=spec["reason"])
        elif status in (S.PUBLISHED, S.ARCHIVED, S.EXPIRED):
            listing = listing_publish(listing=listing, moderator=reviewer)
            if status == S.ARCHIVED:
                listing = listing_archive(listing=listing, user=author)
        self._backdate_listing(listing, days=_days_back(model, status, index), status=status)
        return listing

    def _backdate_listing(
        self, listing: Achievement | Challenge, *, days: int, status: str
    ) -> None:
        """Move a listing's history back by ``days`` so that the demo spans months of use.

        Written a week before review and submitted two days before it; an archived listing
        was withdrawn two thirds of the way from its publication to today.
        """
        shift = timedelta(days=days)
        withdrawn_shift = shift / 3 if status == S.ARCHIVED else shift
        updates = {
            "created_at": F("created_at") - (shift + timedelta(days=6)),
            "updated_at": F("updated_at") - withdrawn_shift,
            "submitted_at": F("submitted_at") - (shift + timedelta(days=2)),
            "published_at": F("published_at") - shift,
            "reviewed_at": F("reviewed_at") - shift,
        }
        if isinstance(listing, Achievement):
            updates["expires_at"] = F("expires_at") - shift
        type(listing).objects.filter(pk=listing.pk).update(**updates)

        events = ListingEvent.objects.filter(**{listing.kind: listing})
        events.filter(to_status=S.PENDING).update(
            created_at=F("created_at") - (shift + timedelta(days=2))
        )
        events.filter(to_status__in=[S.PUBLISHED, S.REJECTED]).update(
            created_at=F("created_at") - shift
        )
        events.filter(to_status=S.ARCHIVED).update(created_at=F("created_at") - withdrawn_shift)
