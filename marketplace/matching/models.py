"""Matches between achievements and challenges, and what matching keeps of each listing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from marketplace.listings.kinds import ONE_LISTING_CONSTRAINT, belongs_to_one_listing
from marketplace.listings.models import Achievement, Challenge
from marketplace.matching.choices import ProposedBy


class Match(models.Model):
    """One achievement and one challenge put together, by the engine or (later) a broker.

    One row per pair, whichever side was published last: a re-match updates it. ``parts``
    holds the points of each part of the score (text, field, maturity, modes, price,
    region, penalty), which add up to ``score``; the reasons are stored in both languages.
    Each side can dismiss the match for itself without the other side knowing.
    """

    achievement = models.ForeignKey(
        Achievement,
        verbose_name=_("achievement"),
        on_delete=models.CASCADE,
        related_name="matches",
    )
    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="matches"
    )
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)
    parts = models.JSONField(_("parts of the score"), default=dict)
    reasons_en = models.TextField(_("reasons (English)"), blank=True)
    reasons_zh = models.TextField(_("reasons (Chinese)"), blank=True)
    proposed_by = models.CharField(
        _("proposed by"), max_length=10, choices=ProposedBy.choices, default=ProposedBy.ENGINE
    )
    # A broker's recommendation: who made it and why.
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recommended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matches_recommended",
    )
    broker_note = models.TextField(_("broker's note"), blank=True, max_length=2000)
    dismissed_by_achievement_owner = models.BooleanField(
        _("dismissed by the achievement's owner"), default=False
    )
    dismissed_by_challenge_owner = models.BooleanField(
        _("dismissed by the challenge's owner"), default=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-score", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["achievement", "challenge"], name="match_one_per_pair"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="match_score_0_100"
            ),
        ]
        indexes = [
            # An achievement owner's matches page: the achievement's matches, best first.
            models.Index(fields=["achievement", "-score"], name="match_achievement_best"),
            # A challenge owner's matches page: the challenge's matches, best first.
            models.Index(fields=["challenge", "-score"], name="match_challenge_best"),
        ]

    def __str__(self) -> str:
        return f"{self.achievement} ↔ {self.challenge} ({self.score})"

    @property
    def reasons(self) -> str:
        """The reasons in the active language."""
        return self.reasons_en if (get_language() or "").startswith("en") else self.reasons_zh

    def dismissed_by(self, kind: str) -> bool:
        return getattr(self, f"dismissed_by_{kind}_owner")


class MatchFeedback(models.Model):
    """One organisation's verdict on a match: relevant or not. A pair marked not relevant
    never comes back to that side; feedback shifts similar future matches
    (``docs/matching.md``)."""

    match = models.ForeignKey(
        Match, verbose_name=_("match"), on_delete=models.CASCADE, related_name="feedback"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    relevant = models.BooleanField(_("relevant"))
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("match feedback")
        verbose_name_plural = _("match feedback")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "organization"], name="match_feedback_one_per_side"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.match_id}: {'relevant' if self.relevant else 'not relevant'}"


class ListingProfile(belongs_to_one_listing(related_name="match_profile", one_to_one=True)):
    """What matching keeps of one listing's text: its weighted terms (``terms.term_vector``)
    and whether it is written in English (the embedding is the listing's own).

    Recomputed when the listing is matched and its text changed (``text_hash``), so that
    matching one listing only analyses that listing, never its candidates.
    """

    terms = models.JSONField(_("weighted terms"), default=dict)
    surfaces = models.JSONField(_("readable forms of stemmed terms"), default=dict)
    english = models.BooleanField(_("written in English"), default=False)
    text_hash = models.CharField(_("hash of the text"), max_length=64)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("listing profile")
        verbose_name_plural = _("listing profiles")
        ordering = ["pk"]
        constraints = [ONE_LISTING_CONSTRAINT]

    def __str__(self) -> str:
        return f"profile of {self.achievement_id or self.challenge_id}"
