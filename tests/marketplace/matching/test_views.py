"""The matches page and dismissing: the permission matrix, order, and undo."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.matching.models import Match
from marketplace.matching.services import listing_match
from tests.factories import make_achievement

from .helpers import achievement, challenge

pytestmark = pytest.mark.django_db

ROWS = ["visitor", "owner", "other_org", "unverified_org", "outsider", "moderator"]


@pytest.fixture
def matched(university, enterprise):
    """A university achievement matched with two enterprise challenges."""
    offer = achievement(university)
    best = challenge(enterprise, title="EUV 光刻胶 photoresist 极紫外光刻胶 metal-oxide")
    other = challenge(enterprise)
    listing_match(kind="achievement", listing_id=offer.pk)
    assert Match.objects.count() == 2
    return offer, best, other


def _page(listing):
    return reverse(f"matching:{listing.kind}_matches", args=[listing.pk])


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("visitor", 302),
        ("owner", 200),
        ("other_org", 403),
        ("unverified_org", 403),
        ("outsider", 403),
        ("moderator", 403),
    ],
)
def test_matches_page_of_a_published_listing(who, code, people, client_for, matched):
    offer, _best, _other = matched
    response = client_for(people[who]).get(_page(offer))
    assert response.status_code == code
    if who == "visitor":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("who", "code"),
    [("owner", 200), ("other_org", 404), ("outsider", 404), ("moderator", 403)],
)
def test_matches_page_of_a_draft_is_hidden_from_others(who, code, people, client_for, university):
    draft = make_achievement(university, status="draft")
    assert client_for(people[who]).get(_page(draft)).status_code == code


def test_missing_listing_is_404(client_for, uni_user):
    assert (
        client_for(uni_user).get(reverse("matching:challenge_matches", args=[99999])).status_code
        == 404
    )


def test_owner_sees_matches_best_first_with_score_parts_and_reasons(client_for, uni_user, matched):
    offer, _best, _other = matched
    response = client_for(uni_user).get(_page(offer))
    matches = list(response.context["matches"])
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    content = response.content.decode()
    assert "Both are about" in content  # the reasons, in sentences
    # The parts of the score, folded away under the reasons.
    assert "<summary>How the score is made</summary>" in content
    assert "Maturity" in content and "Region" in content


def test_the_other_side_sees_the_match_from_its_challenge(client_for, ent_user, matched):
    _offer, best, _other = matched
    response = client_for(ent_user).get(_page(best))
    assert [m.challenge_id for m in response.context["matches"]] == [best.pk]


def test_the_listing_page_links_to_its_matches(client_for, uni_user, matched):
    offer, _best, _other = matched
    assert _page(offer).encode() in client_for(uni_user).get(offer.get_absolute_url()).content


def test_dismiss_hides_for_that_side_only_and_restore_undoes_it(
    client_for, uni_user, ent_user, matched
):
    offer, best, _other = matched
    match = Match.objects.get(challenge=best)
    owner = client_for(uni_user)

    response = owner.post(reverse("matching:match_dismiss", args=[match.pk]))
    assert response.url == _page(offer)
    page = owner.get(_page(offer))
    assert match not in page.context["matches"]
    assert list(page.context["dismissed"]) == [match]
    # The challenge's side still sees it.
    assert [m.pk for m in client_for(ent_user).get(_page(best)).context["matches"]] == [match.pk]

    owner.post(reverse("matching:match_restore", args=[match.pk]))
    assert match in owner.get(_page(offer)).context["matches"]


@pytest.mark.parametrize(("who", "code"), [("visitor", 302), ("outsider", 404), ("moderator", 404)])
def test_only_the_two_organisations_can_dismiss(who, code, people, client_for, matched):
    offer, best, _other = matched
    match = Match.objects.get(challenge=best)
    response = client_for(people[who]).post(reverse("matching:match_dismiss", args=[match.pk]))
    assert response.status_code == code
    match.refresh_from_db()
    assert not match.dismissed_by_achievement_owner and not match.dismissed_by_challenge_owner


def test_dismiss_needs_post(client_for, uni_user, matched):
    match = Match.objects.first()
    assert (
        client_for(uni_user).get(reverse("matching:match_dismiss", args=[match.pk])).status_code
        == 405
    )


def test_matches_with_a_counterpart_no_longer_published_are_hidden(client_for, uni_user, matched):
    offer, best, _other = matched
    best.status = "archived"
    best.save()
    assert best.pk not in [
        m.challenge_id for m in client_for(uni_user).get(_page(offer)).context["matches"]
    ]


# --- Feedback ----------------------------------------------------------------------------------


def _feedback(client, match, value="no", **headers):
    return client.post(
        reverse("matching:match_feedback", args=[match.pk]), {"relevant": value}, **headers
    )


@pytest.mark.parametrize(
    ("who", "code", "recorded"),
    [
        ("visitor", 302, False),
        ("owner", 302, True),  # the achievement's side
        ("other_org", 302, True),  # the challenge's side
        ("unverified_org", 404, False),  # an organisation not party to the match
        ("outsider", 404, False),
        ("moderator", 404, False),
    ],
)
def test_feedback_permission_matrix(who, code, recorded, people, client_for, matched):
    _offer, best, _other = matched
    match = Match.objects.get(challenge=best)
    response = _feedback(client_for(people[who]), match)
    assert response.status_code == code
    if who == "visitor":
        assert response.url.startswith(reverse("accounts:login"))
    assert match.feedback.exists() == recorded


@pytest.mark.parametrize("data", [{}, {"relevant": "maybe"}, {"relevant": ""}])
def test_feedback_refuses_a_bad_post_with_400_and_changes_nothing(
    data, client_for, uni_user, matched
):
    match = Match.objects.first()
    url = reverse("matching:match_feedback", args=[match.pk])
    assert client_for(uni_user).post(url, data).status_code == 400
    assert not match.feedback.exists()


def test_feedback_needs_post_and_an_existing_match(client_for, uni_user, matched):
    match = Match.objects.first()
    client = client_for(uni_user)
    assert client.get(reverse("matching:match_feedback", args=[match.pk])).status_code == 405
    assert _feedback(client, type("M", (), {"pk": 99999})).status_code == 404


def test_not_relevant_without_javascript_hides_the_match_until_marked_relevant(
    client_for, uni_user, matched
):
    offer, best, _other = matched
    match = Match.objects.get(challenge=best)
    owner = client_for(uni_user)

    response = _feedback(owner, match, "no")
    assert response.url == _page(offer)
    page = owner.get(_page(offer))
    assert match not in page.context["matches"]
    assert list(page.context["dismissed"]) == [match]
    assert "Mark relevant" in page.content.decode()

    _feedback(owner, match, "yes")
    page = owner.get(_page(offer))
    assert match in page.context["matches"]
    assert "You marked this match relevant." in page.content.decode()


def test_feedback_with_htmx_answers_with_the_match_in_its_new_state(client_for, ent_user, matched):
    _offer, best, _other = matched
    match = Match.objects.get(challenge=best)
    client = client_for(ent_user)

    response = _feedback(client, match, "yes", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.templates[0].name == "matching/includes/match_item.html"
    html = response.content.decode()
    assert f'id="match-{match.pk}"' in html and 'aria-pressed="true"' in html

    html = _feedback(client, match, "no", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="match-hidden"' in html and "Mark relevant instead" in html
    assert match.feedback.get().relevant is False


def test_the_matches_page_shows_the_feedback_part_and_a_brokers_note(client_for, uni_user, matched):
    offer, best, _other = matched
    match = Match.objects.get(challenge=best)
    Match.objects.filter(pk=match.pk).update(
        parts={**match.parts, "feedback": 4.0}, proposed_by="broker", broker_note="Talk to Dr Li."
    )
    content = client_for(uni_user).get(_page(offer)).content.decode()
    assert 'data-testid="feedback-part">+4<' in content
    assert "Talk to Dr Li." in content and "Recommended by a technology broker" in content


def test_a_brokers_recommendation_comes_first_whatever_its_score(client_for, uni_user, matched):
    offer, _best, other = matched
    recommended = Match.objects.get(challenge=other)
    Match.objects.filter(pk=recommended.pk).update(score=1, proposed_by="broker")
    matches = list(client_for(uni_user).get(_page(offer)).context["matches"])
    assert matches[0].pk == recommended.pk and len(matches) == 2
