"""What is on offer and what is wanted: achievements, challenges, their fields and files.

Status changes happen only in ``services``; these models hold data and the database rules.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime, time

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchVectorField
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pgvector.django import HnswIndex, VectorField

from accounts.choices import Region
from accounts.models import Organization
from marketplace.listings.choices import TRL, IPStatus, ListingKind, ListingStatus, PricingRoute
from marketplace.text.analysis import has_cjk
from marketplace.text.embeddings import DIMENSIONS as EMBEDDING_DIMENSIONS


class TechnicalField(models.Model):
    """A node of the two-level bilingual taxonomy of technical fields.

    ``code`` is a stable slug (``ic``, ``ic-lithography``) that data files and the API name.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_en = models.CharField(_("English name"), max_length=120)
    name_zh = models.CharField(_("Chinese name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("technical field")
        verbose_name_plural = _("technical fields")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.name} › {self.name}"
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """Stores Chinese as Chinese (readable in the database and in dumps)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


def _valid_trl():
    return [MinValueValidator(TRL.BASIC_PRINCIPLES), MaxValueValidator(TRL.PROVEN)]


def _embedding_indexes(prefix: str) -> list[HnswIndex]:
    """HNSW indexes of the published listings' embeddings (cosine): the multilingual model's
    (search and matching) and the English model's (matching's English candidates)."""
    return [
        HnswIndex(
            fields=[field],
            opclasses=["vector_cosine_ops"],
            m=16,
            ef_construction=64,
            condition=models.Q(status="published"),
            name=f"{prefix}_{field}_hnsw",
        )
        for field in ("embedding", "embedding_en")
    ]


class Listing(models.Model):
    """What achievements and challenges share: owner, texts, fields and the lifecycle."""

    kind: str  # ListingKind value, set by each concrete model

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="%(class)ss",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("public summary"),
        max_length=1000,
        help_text=_("The teaser everyone can read, visitors included."),
    )
    # The same title and summary in the other language (English for a Chinese listing and
    # the reverse), shown to readers of that language; optional.
    alt_title = models.CharField(
        _("title in the other language"),
        max_length=200,
        blank=True,
        help_text=_(
            "Optional: the title in English if you wrote it in Chinese, or in Chinese if you "
            "wrote it in English. Readers of that language see it instead."
        ),
    )
    alt_summary = models.TextField(
        _("summary in the other language"),
        max_length=1000,
        blank=True,
        help_text=_("Optional: the public summary in the other language."),
    )
    description = models.TextField(
        _("full description"),
        help_text=_(
            "Shown to an organisation once you accept its expression of interest, and to the "
            "transfer-centre brokers of the listing's region."
        ),
    )
    fields = models.ManyToManyField(
        TechnicalField, verbose_name=_("technical fields"), related_name="%(class)ss"
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    nda_text = models.TextField(
        _("NDA terms"),
        blank=True,
        help_text=_(
            "The confidentiality terms an interested organisation accepts with one click before "
            "it sees the confidential details and files. Leave empty for Keqiao's standard terms."
        ),
    )

    status = models.CharField(
        _("status"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # Views of the public page by people outside the owning organisation: the owner's
    # market feedback. Counted in place (one UPDATE, not indexed, so a HOT update).
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    # Fresh listings (issue 14 item 4). ``confirmed_at``: when the owner last said the listing
    # is still current (publishing and renewing say it too); shown as "last confirmed".
    confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True)
    # 0-100, written by ``marketplace.freshness`` (it reads interests and answers, which
    # this room does not know); None until first scored.
    freshness = models.PositiveSmallIntegerField(
        _("freshness"), null=True, blank=True, editable=False
    )
    # When the owners were last told the listing looks stale: at most once per period.
    stale_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Listings of the same organisation with nearly the same title and summary, found at
    # submission (``duplicates``): [{"id", "title", "status", "similarity"}], for moderators.
    near_duplicates = models.JSONField(
        _("possible duplicates"),
        default=list,
        blank=True,
        editable=False,
        encoder=UnicodeJSONEncoder,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Written by ``indexing.listing_index``; its GIN index serves full-text
    # search on list pages, saved searches and matching candidates (migration 0003).
    search_vector = SearchVectorField(null=True, editable=False)
    # Written by ``indexing`` too: the keys of the listing's facet options (``facets``), which
    # the search filters (``facet_keys__overlap``) and counts; covered by the
    # ``*_published_facets`` index.
    facet_keys = ArrayField(models.IntegerField(), null=True, editable=False)
    # The multilingual sentence embedding of the listing's texts (``marketplace.text.
    # embeddings``), written by a task after commit, never in the request; its HNSW index
    # (``*_embedding_hnsw``, published listings) serves the vector neighbours of search and
    # matching. ``text_hash`` is the hash of the text to embed (``indexing``), and
    # ``embedding_hash`` that of the text the stored vector was made from: they differ
    # while the vector is missing or stale.
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, editable=False)
    # And, for a listing written in English, the English model's embedding
    # (``embeddings.english_passages``), which matching compares for English pairs.
    embedding_en = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, editable=False)
    text_hash = models.CharField(max_length=32, blank=True, editable=False)
    embedding_hash = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(f"listings:{self.kind}_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == ListingStatus.PUBLISHED

    @property
    def kind_label(self) -> str:
        return ListingKind(self.kind).label

    def _for_reader(self, own: str, other_language: str) -> str:
        """``own`` text, or its version in the other language when the reader reads that
        language (the active one) and the owner gave it."""
        if not other_language:
            return own
        reader_reads_english = (get_language() or "").startswith("en")
        written_in_english = not has_cjk(self.title)
        return own if reader_reads_english == written_in_english else other_language

    @property
    def shown_title(self) -> str:
        """The title in the reader's language when the listing has it (``alt_title``)."""
        return self._for_reader(self.title, self.alt_title)

    @property
    def shown_summary(self) -> str:
        return self._for_reader(self.summary, self.alt_summary)


class Achievement(Listing):
    """A research achievement a university offers: a technology, patent or result."""

    kind = ListingKind.ACHIEVEMENT

    trl = models.PositiveSmallIntegerField(
        _("maturity (TRL)"), choices=TRL.choices, validators=_valid_trl()
    )
    ip_status = models.CharField(_("IP status"), max_length=20, choices=IPStatus.choices)
    patent_numbers = models.CharField(
        _("patent numbers"),
        max_length=500,
        blank=True,
        help_text=_("Separate several numbers with commas, e.g. CN114000000A."),
    )
    transaction_modes = models.JSONField(_("transaction modes"), default=list)
    price_negotiable = models.BooleanField(_("price negotiable"), default=True)
    asking_price = models.DecimalField(
        _("asking price (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    team = models.TextField(_("team"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # Art. 18 pricing route; a listed price is the asking price (not negotiable), the auction's
    # settings and bids live in marketplace/pricing.
    pricing_route = models.CharField(
        _("pricing route"), max_length=10, choices=PricingRoute.choices, default=PricingRoute.AGREED
    )

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            # Public list and home page: published listings, newest first.
            models.Index(fields=["status", "-published_at"], name="achievement_status_pub"),
            # Search facet counts and the result count: one index-only pass over the
            # published listings' keys.
            models.Index(
                fields=["-published_at", "-id"],
                include=["facet_keys"],
                condition=models.Q(status="published"),
                name="achievement_published_facets",
            ),
            # Vector neighbours (search, matching), by each model.
            *_embedding_indexes("achievement"),
            # Stale listings: the moderators' filter and the owners' notice (freshness).
            models.Index(
                fields=["freshness"],
                condition=models.Q(status="published"),
                name="achievement_fresh",
            ),
            # Expiry sweep: published achievements whose expiry has passed.
            models.Index(fields=["status", "expires_at"], name="achievement_status_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trl__gte=1, trl__lte=9), name="achievement_trl_1_9"
            ),
            models.CheckConstraint(
                condition=models.Q(price_negotiable=True, asking_price__isnull=True)
                | models.Q(price_negotiable=False, asking_price__isnull=False, asking_price__gte=0),
                name="achievement_price_or_negotiable",
            ),
            models.CheckConstraint(
                condition=~models.Q(pricing_route=PricingRoute.LISTED)
                | models.Q(asking_price__isnull=False),
                name="achievement_listed_has_price",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected", rejection_reason=""),
                name="achievement_rejection_has_reason",
            ),
        ]


class Challenge(Listing):
    """A technical challenge an enterprise posts, open until its deadline."""

    kind = ListingKind.CHALLENGE

    confidential_details = models.TextField(
        _("confidential details"),
        blank=True,
        help_text=_(
            "Never shown publicly; only your organisation, moderators and organisations that "
            "accepted the listing's NDA in a conversation with you see it."
        ),
    )
    budget_min = models.DecimalField(
        _("budget from (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_max = models.DecimalField(
        _("budget up to (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    deadline = models.DateField(_("deadline"))
    cooperation_modes = models.JSONField(_("wanted cooperation modes"), default=list)
    min_trl = models.PositiveSmallIntegerField(
        _("minimum maturity (TRL)"),
        choices=TRL.choices,
        null=True,
        blank=True,
        validators=_valid_trl(),
    )

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            # Public list and home page: published listings, newest first.
            models.Index(fields=["status", "-published_at"], name="challenge_status_pub"),
            # Search facet counts and the result count: one index-only pass over the
            # published listings' keys.
            models.Index(
                fields=["-published_at", "-id"],
                include=["facet_keys"],
                condition=models.Q(status="published"),
                name="challenge_published_facets",
            ),
            # Vector neighbours (search, matching), by each model.
            *_embedding_indexes("challenge"),
            # Stale listings: the moderators' filter and the owners' notice (freshness).
            models.Index(
                fields=["freshness"],
                condition=models.Q(status="published"),
                name="challenge_fresh",
            ),
            # Expiry sweep: published challenges whose deadline has passed.
            models.Index(fields=["status", "deadline"], name="challenge_status_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_trl__isnull=True) | models.Q(min_trl__gte=1, min_trl__lte=9),
                name="challenge_min_trl_1_9",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_min__isnull=True)
                | models.Q(budget_max__isnull=True)
                | models.Q(budget_min__lte=models.F("budget_max")),
                name="challenge_budget_range_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected", rejection_reason=""),
                name="challenge_rejection_has_reason",
            ),
        ]

    @property
    def expires_at(self):
        """A challenge lapses at the end of its deadline day."""
        return timezone.make_aware(datetime.combine(self.deadline, time.max))


# The rule of ``belongs_to_one_listing`` tables: exactly one of the two columns is set. Each
# such model lists it in its ``Meta.constraints`` (a test checks that none forgets it).
ONE_LISTING_CONSTRAINT = models.CheckConstraint(
    condition=models.Q(achievement__isnull=False, challenge__isnull=True)
    | models.Q(achievement__isnull=True, challenge__isnull=False),
    name="%(class)s_one_listing",
)


def belongs_to_one_listing(*, related_name: str, one_to_one: bool = False) -> type[models.Model]:
    """An abstract model for rows that belong to exactly one listing, of either kind: the
    two nullable columns (``achievement``, ``challenge``) and ``listing``; the model lists
    ``ONE_LISTING_CONSTRAINT`` (exactly one is set) in its Meta. Deleting the listing deletes
    its rows. ``related_name`` is the listing's name for its rows (``attachments``); with
    ``one_to_one`` a listing has at most one (``match_profile``)."""
    field = models.OneToOneField if one_to_one else models.ForeignKey

    class BelongsToOneListing(models.Model):
        achievement = field(
            Achievement,
            verbose_name=_("achievement"),
            null=True,
            blank=True,
            on_delete=models.CASCADE,
            related_name=related_name,
        )
        challenge = field(
            Challenge,
            verbose_name=_("challenge"),
            null=True,
            blank=True,
            on_delete=models.CASCADE,
            related_name=related_name,
        )

        class Meta:
            abstract = True

        @property
        def listing(self) -> Achievement | Challenge:
            return self.achievement or self.challenge

        @property
        def listing_kind(self) -> str:
            return ListingKind.ACHIEVEMENT if self.achievement_id else ListingKind.CHALLENGE

        def set_listing(self, listing: Achievement | Challenge) -> None:
            setattr(self, listing.kind, listing)

    return BelongsToOneListing


class FacetCount(models.Model):
    """How many published listings of a kind hold each facet key; key 0 counts the published
    listings themselves. The search's counts when nothing but facets is filtered, read
    instead of counting ~100k listings on every visit of the list page.

    Kept exact by database triggers on the two listing tables (migration 0005), so that
    every write counts: services, admin, bulk commands, cascading deletes.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ListingKind.choices)
    key = models.IntegerField(_("facet key"))
    total = models.IntegerField(_("published listings"), default=0)

    class Meta:
        verbose_name = _("facet count")
        verbose_name_plural = _("facet counts")
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="facet_count_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.total}"


# What an owner writes about a listing: the forms edit these and the services accept only
# these (with ``fields``, the technical fields), so the two cannot drift apart.
LISTING_OWNER_FIELDS = (
    "title",
    "alt_title",
    "summary",
    "alt_summary",
    "description",
    "keywords",
    "region",
    "nda_text",
)
ACHIEVEMENT_OWNER_FIELDS = (
    *LISTING_OWNER_FIELDS,
    "trl",
    "ip_status",
    "patent_numbers",
    "transaction_modes",
    "price_negotiable",
    "asking_price",
    "team",
    "contact_name",
    "contact_email",
    "contact_phone",
)
CHALLENGE_OWNER_FIELDS = (
    *LISTING_OWNER_FIELDS,
    "confidential_details",
    "budget_min",
    "budget_max",
    "deadline",
    "cooperation_modes",
    "min_trl",
)


def _attachment_path(instance: Attachment, filename: str) -> str:
    # A random folder keeps names unguessable and lets two files share a name.
    return f"attachments/{uuid.uuid4().hex}/{os.path.basename(filename)}"


# The rows that belong to one listing live in ``records``; importing them here registers
# them with the app and keeps ``listings.models.Attachment`` working.
from marketplace.listings.records import Attachment, ListingEvent  # noqa: E402, F401
