"""A listing's embedding: never in the write, always after commit, once per text, and
matching runs again when a published listing gets it."""

from __future__ import annotations

import pytest

from marketplace import celery as keqiao_celery
from marketplace.listings import indexing
from marketplace.listings.models import Achievement, Challenge
from marketplace.outbox.handlers import in_background
from marketplace.outbox.models import Event
from marketplace.text import embeddings
from tests.factories import make_achievement, make_challenge

pytestmark = pytest.mark.django_db


def _events(kind: str) -> list[dict]:
    return list(Event.objects.filter(kind=kind).values_list("payload", flat=True))


def test_a_write_records_the_embedding_as_work_for_after_commit(university):
    listing = make_achievement(university, title="钙钛矿叠层太阳电池", embedded=False)
    assert listing.embedding is None  # nothing embedded in the write itself
    assert listing.text_hash and listing.embedding_hash == ""
    assert _events(indexing.TEXT_CHANGED) == [{"kind": "achievement", "id": listing.pk}]
    assert in_background(indexing.TEXT_CHANGED)  # without a broker, after the response


def test_an_unchanged_text_is_not_embedded_again(university):
    listing = make_achievement(university, embedded=False)
    indexing.listing_embed(kind="achievement", listing_id=listing.pk)
    Event.objects.all().delete()
    indexing.listing_index(listing)  # indexed again, the same words
    assert _events(indexing.TEXT_CHANGED) == []
    assert indexing.listing_embed(kind="achievement", listing_id=listing.pk) is False


def test_embedding_writes_the_vector_and_announces_a_published_listing(university):
    published = make_achievement(university, embedded=False)
    draft = make_challenge(university, status="draft", embedded=False)
    assert indexing.listing_embed(kind="achievement", listing_id=published.pk) is True
    assert indexing.listing_embed(kind="challenge", listing_id=draft.pk) is True
    published.refresh_from_db()
    assert len(published.embedding) == embeddings.DIMENSIONS
    assert published.embedding_hash == published.text_hash
    # Only a published listing is matched again with its vector.
    assert _events(indexing.EMBEDDED) == [{"kind": "achievement", "id": published.pk}]
    assert indexing.listing_embed(kind="achievement", listing_id=published.pk) is False


def test_a_vector_of_an_older_text_is_not_written_over_a_newer_one(university, monkeypatch):
    listing = make_achievement(university, title="旧标题 old title", embedded=False)
    real = embeddings.passages

    def edited_meanwhile(texts):
        Achievement.objects.filter(pk=listing.pk).update(text_hash="the text of a later edit")
        return real(texts)

    monkeypatch.setattr(embeddings, "passages", edited_meanwhile)
    assert indexing.listing_embed(kind="achievement", listing_id=listing.pk) is False
    listing.refresh_from_db()
    assert listing.embedding is None  # the later edit's own event embeds it


def test_a_listing_gone_meanwhile_is_nothing_to_do():
    assert indexing.listing_embed(kind="challenge", listing_id=999_999) is False


def test_the_backfill_embeds_what_is_missing_published_first_and_can_resume(university):
    draft = make_challenge(university, status="draft", embedded=False)
    published = [make_challenge(university, title=f"需求 {n}", embedded=False) for n in range(3)]
    seen: list[int] = []
    done = indexing.listings_embed_stale(Challenge, batch=2, limit=2, progress=seen.append)
    assert done == 2 and seen == [2]
    embedded = set(Challenge.objects.filter(embedding__isnull=False).values_list("pk", flat=True))
    assert embedded <= {p.pk for p in published}  # published ones first
    # Stopped and run again: it picks up the rest, and then nothing is left.
    assert indexing.listings_embed_stale(Challenge, batch=2) == 2
    assert indexing.listings_embed_stale(Challenge, batch=2) == 0
    draft.refresh_from_db()
    assert draft.embedding is not None and draft.embedding_hash == draft.text_hash


def test_in_process_slow_work_runs_in_a_thread_after_commit(settings, monkeypatch):
    settings.TASKS_IN_BACKGROUND = True
    threaded: list = []
    monkeypatch.setattr(keqiao_celery, "_in_thread", lambda task, calls: threaded.append(calls))
    ran: list = []

    class Task:
        name = "t"

        def delay(self, *args):
            ran.append(args)

    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        keqiao_celery.enqueue_after_commit(Task(), (1,), background=True)
        keqiao_celery.enqueue_after_commit(Task(), (2,))
    assert threaded == [[(1,)]]  # the slow one in a thread; the other in the request
    assert ran == [(2,)]


def test_the_backfill_command_reports_progress_and_resumes(university):
    from io import StringIO

    from django.core.management import call_command

    for n in range(3):
        make_achievement(university, title=f"成果 {n}", embedded=False)
    out = StringIO()
    call_command(
        "embed_listings", "--kind", "achievement", "--batch", "2", "--limit", "2", stdout=out
    )
    assert "achievements: 2/2 embedded" in out.getvalue()
    out = StringIO()
    call_command("embed_listings", stdout=out)
    assert "achievements: 1 embedded" in out.getvalue()
    assert "challenges: nothing to embed" in out.getvalue()
    out = StringIO()
    call_command("embed_listings", stdout=out)
    assert "achievements: nothing to embed" in out.getvalue()
