"""Matches and feedback in admin: the lists with each filter and the search, feedback
counts without N+1, read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.listings.models import Challenge
from marketplace.matching.models import Match, MatchFeedback
from marketplace.matching.services import listing_match, match_feedback_set
from tests.support.queries import assert_constant_queries

from .helpers import achievement, challenge

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "",
        "score_range=80",
        "score_range=0",
        "proposed_by__exact=engine",
        "dismissed=any",
        "dismissed=none",
        "field=ic",
        "region=guangdong",
        "q=photoresist",
    ],
)
def test_match_list_filters_and_search(query, client_for, admin_user, university, enterprise):
    offer = achievement(university)
    challenge(enterprise)
    listing_match(kind="achievement", listing_id=offer.pk)
    response = client_for(admin_user).get(reverse("admin:matching_match_changelist") + "?" + query)
    assert response.status_code == 200
    assert "photoresist" in response.content.decode().lower() or query in (
        "score_range=0",
        "dismissed=any",
    )


def test_match_detail_is_read_only(client_for, admin_user, university, enterprise):
    offer = achievement(university)
    challenge(enterprise)
    listing_match(kind="achievement", listing_id=offer.pk)
    match = offer.matches.get()
    response = client_for(admin_user).get(reverse("admin:matching_match_change", args=[match.pk]))
    assert response.status_code == 200
    assert client_for(admin_user).get(reverse("admin:matching_match_add")).status_code == 403


# --- Feedback ----------------------------------------------------------------------------------


def _matched_with_feedback(university, enterprise, uni_user, ent_user, n: int) -> list:
    offer = achievement(university)
    for _ in range(n):
        challenge(enterprise)
    listing_match(kind="achievement", listing_id=offer.pk)
    matches = list(Match.objects.all())
    for match in matches:
        match_feedback_set(match=match, user=uni_user, relevant=True)
        match_feedback_set(match=match, user=ent_user, relevant=False)
    return matches


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ("", 3),
        ("has_feedback=yes", 2),
        ("has_feedback=relevant", 2),
        ("has_feedback=not_relevant", 1),
        ("has_feedback=no", 1),
        ("field=ic", 3),
    ],
)
def test_match_list_shows_feedback_counts_and_filters_by_feedback(
    query, rows, client_for, admin_user, university, enterprise, uni_user, ent_user
):
    offer = achievement(university)
    first, second, third = (challenge(enterprise) for _ in range(3))
    listing_match(kind="achievement", listing_id=offer.pk)
    match_feedback_set(match=Match.objects.get(challenge=first), user=uni_user, relevant=True)
    match_feedback_set(match=Match.objects.get(challenge=first), user=ent_user, relevant=False)
    match_feedback_set(match=Match.objects.get(challenge=second), user=uni_user, relevant=True)

    response = client_for(admin_user).get(reverse("admin:matching_match_changelist") + "?" + query)

    assert response.status_code == 200
    shown = {m.pk: m for m in response.context["cl"].result_list}
    assert len(shown) == rows
    counts = {m.challenge_id: (m.relevant_count, m.not_relevant_count) for m in shown.values()}
    expected = {first.pk: (1, 1), second.pk: (1, 0), third.pk: (0, 0)}
    assert counts == {pk: expected[pk] for pk in counts}


def test_match_list_queries_do_not_grow_with_the_rows(
    client_for, admin_user, university, enterprise, uni_user, ent_user
):
    client = client_for(admin_user)
    url = reverse("admin:matching_match_changelist")

    def matches(n: int) -> None:
        # Out of the way: the next achievement is matched with the new challenges only.
        Challenge.objects.update(status="archived")
        _matched_with_feedback(university, enterprise, uni_user, ent_user, n)

    lists = assert_constant_queries(matches, lambda: client.get(url), few=2, many=7)
    assert lists.few.status_code == lists.many.status_code == 200
    assert len(lists.many.context["cl"].result_list) == 7


@pytest.mark.parametrize(
    "query",
    [
        "",
        "relevant__exact=1",
        "relevant__exact=0",
        "organization__id__exact={org}",
        "updated_at__gte=2000-01-01T00:00:00%2B08:00",
        "q=photoresist",
    ],
)
def test_feedback_list_filters_and_search(
    query, client_for, admin_user, university, enterprise, uni_user, ent_user
):
    _matched_with_feedback(university, enterprise, uni_user, ent_user, 1)
    url = reverse("admin:matching_matchfeedback_changelist") + "?" + query.format(org=university.pk)
    response = client_for(admin_user).get(url)
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    expected = {"relevant__exact=1": 1, "relevant__exact=0": 1}.get(query, 2)
    if query.startswith("organization"):
        expected = 1
    assert len(rows) == expected


def test_feedback_is_read_only_in_admin(
    client_for, admin_user, university, enterprise, uni_user, ent_user
):
    _matched_with_feedback(university, enterprise, uni_user, ent_user, 1)
    client = client_for(admin_user)
    feedback = MatchFeedback.objects.first()
    assert (
        client.get(reverse("admin:matching_matchfeedback_change", args=[feedback.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:matching_matchfeedback_add")).status_code == 403
