"""The demo shows what the product does: every field has listings in both languages, and
every challenge finds an achievement that genuinely answers it among its first matches."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase

from marketplace.demo.content import ACHIEVEMENTS, CHALLENGES
from marketplace.demo.mail import emails_kept_in_memory
from marketplace.listings.choices import ListingStatus
from marketplace.listings.models import Achievement, Challenge, TechnicalField
from marketplace.matching import profiles
from marketplace.matching.selectors import matches_of_listing

# The marker has pytest-django create the test database; the tests themselves read what the
# module's fixture collected.
pytestmark = pytest.mark.django_db

# Per top-level field, at least this many published listings in each language.
AT_LEAST = {
    ("Achievement", "zh"): 2,
    ("Achievement", "en"): 2,
    ("Challenge", "zh"): 1,
    ("Challenge", "en"): 1,
}
TOP = 5
PUBLISHED = ListingStatus.PUBLISHED


def language(listing: Achievement | Challenge) -> str:
    """ "zh" when at least half the letters of the title and summary are Chinese, "en" when
    almost none are (an English text may name a Chinese place), "mixed" otherwise."""
    letters = [c for c in f"{listing.title} {listing.summary}" if c.isalpha()]
    cjk = sum(1 for c in letters if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff")
    share = cjk / len(letters)
    if share >= 0.5:
        return "zh"
    return "en" if share <= 0.05 else "mixed"


@dataclass
class Seeded:
    """What the tests read from one run of seed_demo, taken before it is rolled back."""

    top_fields: list[str]
    counts: Counter  # (top-level field code, model name, language) → published listings
    published_challenges: int
    top_matches: dict[str, list[str]]  # challenge title → its first achievements' titles


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Seeded:
    """seed_demo once for the module, matching included (it runs after commit, through the
    outbox, as when the command runs for real), then rolled back."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        with emails_kept_in_memory(), TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())
        counts: Counter = Counter()
        for model in (Achievement, Challenge):
            published = model.objects.filter(status=PUBLISHED).prefetch_related("fields__parent")
            for listing in published:
                # A listing counts for every top-level field it names, as the filter finds it.
                for top in {(f.parent or f).code for f in listing.fields.all()}:
                    counts[top, model.__name__, language(listing)] += 1
        challenges = Challenge.objects.filter(status=PUBLISHED)
        seeded = Seeded(
            top_fields=list(
                TechnicalField.objects.filter(parent=None).values_list("code", flat=True)
            ),
            counts=counts,
            published_challenges=challenges.count(),
            top_matches={
                c.title: [m.achievement.title for m in matches_of_listing(c)[:TOP]]
                for c in challenges
            },
        )
        transaction.set_rollback(True)
    # The statistics cached while matching describe the rows just rolled back.
    profiles.stats_forget()
    return seeded


def test_every_field_has_published_achievements_and_challenges_in_both_languages(seeded):
    short = [
        f"{top} {kind} {lang}: {seeded.counts[top, kind, lang]} < {wanted}"
        for top in seeded.top_fields
        for (kind, lang), wanted in AT_LEAST.items()
        if seeded.counts[top, kind, lang] < wanted
    ]
    assert len(seeded.top_fields) == 10
    assert not short


def test_every_published_challenge_has_a_fitting_achievement_among_its_top_matches(seeded):
    achievements = {a["title"] for a in ACHIEVEMENTS if a["status"] == PUBLISHED}
    published = [c for c in CHALLENGES if c["status"] == PUBLISHED]
    assert len(published) == seeded.published_challenges
    missed = []
    for spec in published:
        # Each fit names a published demo achievement, so that a typo cannot pass unnoticed.
        assert spec["fits"], spec["title"]
        assert set(spec["fits"]) <= achievements, spec["title"]
        top = seeded.top_matches[spec["title"]]
        assert top, f"no match at all: {spec['title']}"
        if not set(spec["fits"]) & set(top):
            missed.append((spec["title"], top))
    assert not missed


def test_the_fits_of_unpublished_challenges_name_demo_achievements():
    titles = {a["title"] for a in ACHIEVEMENTS}
    for spec in CHALLENGES:
        assert set(spec.get("fits", [])) <= titles, spec["title"]
