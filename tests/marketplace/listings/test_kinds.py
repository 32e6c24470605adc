"""The one module of listing kinds: every kind-dependent answer, and the rule that rows of
``belongs_to_one_listing`` tables name exactly one listing, enforced by the database."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.http import Http404

from marketplace.listings import kinds
from marketplace.listings.models import Achievement, Attachment, Challenge, ListingEvent
from tests.factories import make_achievement, make_challenge, make_org


def test_each_kind_has_its_model_and_counterpart():
    assert kinds.model_for("achievement") is Achievement
    assert kinds.model_for("challenge") is Challenge
    assert kinds.counterpart_kind("achievement") == "challenge"
    assert kinds.counterpart_model("challenge") is Achievement
    assert kinds.column(Challenge) == "challenge_id"
    assert set(kinds.KINDS) == {m.kind for m in kinds.LISTING_MODELS}


def test_an_unknown_kind_is_a_programming_error_or_a_missing_page():
    with pytest.raises(ValueError):
        kinds.model_for("patent")
    with pytest.raises(Http404):
        kinds.model_or_404("patent")


@pytest.mark.django_db
def test_a_pair_names_each_side_whichever_side_asks():
    org = make_org()
    achievement, challenge = make_achievement(org), make_challenge(org)
    assert kinds.pair_of(achievement, 7) == {"achievement_id": achievement.pk, "challenge_id": 7}
    assert kinds.pair_of(challenge, 7) == {"achievement_id": 7, "challenge_id": challenge.pk}
    assert kinds.counterpart_model(achievement) is Challenge


def _one_listing_models():
    return [
        model
        for model in apps.get_models()
        if {"achievement", "challenge"} <= {f.name for f in model._meta.fields}
        and model._meta.get_field("achievement").null
    ]


def test_every_table_of_rows_of_one_listing_has_the_constraint():
    models = _one_listing_models()
    names = {m._meta.model_name for m in models}
    assert {"attachment", "listingevent", "listingprofile", "interest"} <= names
    for model in models:
        constraint_names = {c.name for c in model._meta.constraints}
        assert f"{model._meta.model_name}_one_listing" in constraint_names, model


@pytest.mark.django_db
@pytest.mark.parametrize("both", [True, False])
def test_the_database_refuses_a_row_of_both_listings_or_of_none(both):
    org = make_org()
    achievement, challenge = make_achievement(org), make_challenge(org)
    sides = {"achievement": achievement, "challenge": challenge} if both else {}
    with pytest.raises(IntegrityError), transaction.atomic():
        ListingEvent.objects.create(from_status="draft", to_status="pending", **sides)


@pytest.mark.django_db
def test_a_row_knows_its_listing_and_kind():
    org = make_org()
    challenge = make_challenge(org)
    event = ListingEvent(from_status="draft", to_status="pending")
    event.set_listing(challenge)
    event.save()
    assert event.listing == challenge and event.listing_kind == "challenge"
    assert list(challenge.events.all()) == [event]
    assert Attachment._meta.get_field("achievement").remote_field.related_name == "attachments"
