"""The feedback duty: an interest is answered within working days, declined with one of the
fixed reasons, the owners reminded before the date and the region's brokers told after it;
the owner's market feedback on a listing, and an organisation's responsiveness."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.deals import services
from marketplace.deals.deadlines import add_working_days, answer_due
from marketplace.deals.models import Interest
from marketplace.deals.services.feedback import interests_chase
from marketplace.matching.models import Match, MatchFeedback
from marketplace.notifications.models import Notification
from marketplace.refusals import Refused
from tests import factories

from .conftest import express

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        ("2026-12-04", 1, "2026-12-07"),  # Friday + 1 → Monday
        ("2026-12-05", 1, "2026-12-08"),  # a Saturday counts from Monday
        ("2026-12-07", 10, "2026-12-21"),  # two working weeks
        ("2026-12-07", 0, "2026-12-07"),
    ],
)
def test_working_days_skip_weekends(start, days, due):
    moment = add_working_days(_at(start), days)
    assert moment.date().isoformat() == due
    assert moment.hour == 10


def test_an_interest_is_due_ten_working_days_after_it_is_sent(achievement, ent_user):
    interest = express(achievement, ent_user)
    assert abs(interest.answer_due - answer_due(interest.created_at)) < timedelta(seconds=5)
    assert timedelta(days=12) <= interest.answer_due - interest.created_at <= timedelta(days=16)


def test_the_owner_sees_the_date_on_the_interest(interest, uni_user, client_for):
    html = client_for(uni_user).get(interest.get_absolute_url()).content.decode()
    assert timezone.localtime(interest.answer_due).strftime("%Y-%m-%d") in html
    assert 'data-testid="answer-due"' in html


@pytest.mark.parametrize(("code", "reason"), [("bogus", "x"), ("", "x"), ("other", "  ")])
def test_a_decline_needs_a_known_reason_and_words_for_other(code, reason, interest, uni_user):
    with pytest.raises(Refused):
        services.interest_decline(interest=interest, user=uni_user, code=code, reason=reason)
    interest.refresh_from_db()
    assert interest.status == "pending"


def test_the_sender_reads_the_reason_in_their_language(interest, uni_user, ent_user):
    ent_user.preferred_language = "zh-hans"
    ent_user.save()
    services.interest_decline(interest=interest, user=uni_user, code="maturity")
    body = Notification.objects.get(recipient=ent_user, key__endswith=":declined").body
    assert "成熟度" in body


def _make_due(interest: Interest, due: datetime) -> None:
    Interest.objects.filter(pk=interest.pk).update(answer_due=due)


def _keys(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("key", flat=True))


def test_owners_are_reminded_once_shortly_before_the_date(interest, uni_user, ent_user):
    now = timezone.now()
    _make_due(interest, now + timedelta(days=20))
    assert interests_chase(now=now) == (0, 0)  # far from due
    _make_due(interest, now + timedelta(hours=20))
    assert interests_chase(now=now) == (1, 0)
    assert interests_chase(now=now) == (0, 0)  # once
    assert f"interest:{interest.pk}:reminder" in _keys(uni_user)
    assert not any("reminder" in key for key in _keys(ent_user))


def test_overdue_interests_go_to_the_regions_brokers_and_the_owners(
    interest, uni_user, broker, broker_elsewhere
):
    now = timezone.now()
    _make_due(interest, now - timedelta(minutes=1))
    assert interests_chase(now=now) == (0, 1)
    assert interests_chase(now=now + timedelta(hours=1)) == (0, 0)
    assert f"interest:{interest.pk}:overdue" in _keys(broker)
    assert f"interest:{interest.pk}:overdue" in _keys(uni_user)
    assert _keys(broker_elsewhere) == []
    # Brokers are sent to the listing, which they may read, not to the interest.
    told = Notification.objects.get(recipient=broker)
    assert told.link == interest.listing.get_absolute_url()


def test_answered_interests_are_not_chased(interest, uni_user, broker):
    services.interest_accept(interest=interest, user=uni_user)
    _make_due(interest, timezone.now() - timedelta(days=1))
    assert interests_chase() == (0, 0)
    assert _keys(broker) == []


# --- Market feedback -----------------------------------------------------------------------


def _feedback_url(listing) -> str:
    return reverse(f"listings:{listing.kind}_feedback", args=[listing.pk])


def test_views_by_outsiders_count_and_the_owners_do_not(
    achievement, uni_user, ent_user, client_for, moderator
):
    client_for(None).get(achievement.get_absolute_url())
    client_for(ent_user).get(achievement.get_absolute_url())
    client_for(uni_user).get(achievement.get_absolute_url())
    client_for(moderator).get(achievement.get_absolute_url())
    achievement.refresh_from_db()
    assert achievement.view_count == 2


def test_market_feedback_counts_answers_reasons_and_verdicts(
    achievement, uni_user, ent_user, third_user, client_for
):
    late = express(achievement, third_user)
    _make_due(late, timezone.now() - timedelta(days=1))
    declined = express(achievement, ent_user)
    services.interest_decline(
        interest=declined, user=uni_user, code="price", reason="Our floor is higher"
    )
    challenge = factories.make_challenge(ent_user.membership.organization)
    match = Match.objects.create(achievement=achievement, challenge=challenge, score=80, parts={})
    MatchFeedback.objects.create(
        match=match, organization=ent_user.membership.organization, relevant=True
    )
    response = client_for(uni_user).get(_feedback_url(achievement))
    assert response.status_code == 200
    feedback = response.context["feedback"]
    assert (feedback.interests, feedback.declined, feedback.pending) == (2, 1, 1)
    assert (feedback.answered_on_time, feedback.overdue) == (1, 1)
    assert feedback.decline_reasons == [("Price", 1)]
    assert feedback.decline_words == ["Our floor is higher"]
    assert (feedback.matches_relevant, feedback.matches_not_relevant) == (1, 0)


@pytest.mark.parametrize(("who", "code"), [("visitor", 302), ("other_org", 404), ("owner", 200)])
def test_market_feedback_is_for_the_owner(who, code, people, client_for, achievement):
    assert client_for(people[who]).get(_feedback_url(achievement)).status_code in (code, 403)


def test_a_listing_without_interest_says_so(achievement, uni_user, client_for):
    html = client_for(uni_user).get(_feedback_url(achievement)).content.decode()
    assert 'data-testid="no-interest"' in html


def test_the_public_page_shows_how_the_organisation_answers(
    achievement, uni_user, ent_user, third_user, university, client_for
):
    url = reverse("public:organization", args=[university.pk])
    assert "No expressions of interest" in client_for(None).get(url).content.decode()
    services.interest_accept(interest=express(achievement, ent_user), user=uni_user)
    late = express(achievement, third_user)
    _make_due(late, timezone.now() - timedelta(days=1))  # unanswered past its date
    express_new = factories.make_achievement(university, user=uni_user)
    express(express_new, ent_user)  # still within its time: not counted yet
    html = client_for(None).get(url).content.decode()
    assert "Answers 50% of expressions of interest, 50% within the answering time" in html
