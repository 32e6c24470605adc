"""The broker ledger: a centre assigns a challenge or an interest of its region to one of its
brokers; the broker's queue, marking done, the attribution of a signed deal to the assigned
broker, the centre's report by broker, and the permission matrix of each page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.brokers import selectors
from marketplace.brokers.models import BrokerAssignment
from marketplace.brokers.services import assignment_create, assignment_done
from marketplace.deals import services as deals
from marketplace.deals.models import Deal
from marketplace.refusals import Refused
from tests import factories
from tests.factories import make_achievement, make_challenge

pytestmark = pytest.mark.django_db

QUEUE = reverse("brokers:assignments")
REPORT = reverse("brokers:report")
CREATE = reverse("brokers:assignment_create")


def _done_url(assignment) -> str:
    return reverse("brokers:assignment_done", args=[assignment.pk])


@pytest.fixture
def centre(broker):
    """Zhejiang's centre; ``broker`` is its owner."""
    return broker.membership.organization


@pytest.fixture
def colleague(centre):
    """A broker of the same centre who is not an owner."""
    return factories.make_user(org=centre, role="member", email="colleague@zj-ttc.example")


@pytest.fixture
def challenge(university, uni_user):
    return make_challenge(university, user=uni_user, title="Zhejiang lithography challenge")


@pytest.fixture
def interest(university, uni_user, ent_user):
    achievement = make_achievement(university, user=uni_user)
    return deals.interest_express(
        listing=achievement, user=ent_user, purpose="licence", message="A licence, please."
    )


def _assign(broker, to, subject, days=7, **kw):
    return assignment_create(
        user=broker, broker=to, subject=subject, due=timezone.localdate() + timedelta(days), **kw
    )


def _refusal(call) -> Refused:
    with pytest.raises(Refused) as caught:
        call()
    return caught.value


# --- services -------------------------------------------------------------------------------


def test_an_owner_assigns_a_challenge_and_an_interest(broker, colleague, challenge, interest):
    a = _assign(broker, colleague, challenge, note="Call them this week.")
    b = _assign(broker, broker, interest)
    assert (a.centre.kind, a.broker, a.challenge, a.status) == (
        "transfer_centre",
        colleague,
        challenge,
        "open",
    )
    assert b.interest == interest and b.assigned_by == broker


def test_what_does_not_add_up_is_refused_and_nothing_is_assigned(
    broker, colleague, broker_elsewhere, challenge, enterprise, university, interest, uni_user
):
    gd_challenge = make_challenge(enterprise)
    draft = make_challenge(university, status="draft")
    cases = [
        (lambda: _assign(broker, broker_elsewhere, challenge), 400),  # not a broker of ours
        (lambda: _assign(broker, colleague, gd_challenge), 400),  # another region
        (lambda: _assign(broker, colleague, draft), 400),  # not published
        (lambda: _assign(broker, colleague, challenge, days=-1), 400),  # due in the past
        (lambda: _assign(colleague, broker, challenge), 403),  # not an owner
        (lambda: _assign(broker_elsewhere, broker_elsewhere, challenge), 400),  # their region
        (lambda: _assign(uni_user, uni_user, challenge), 403),  # not a centre
    ]
    for call, status in cases:
        assert _refusal(call).status == status
    deals.interest_decline(interest=interest, user=uni_user, code="capacity")
    interest.refresh_from_db()
    assert _refusal(lambda: _assign(broker, colleague, interest)).status == 400
    assert not BrokerAssignment.objects.exists()


def test_one_open_assignment_per_subject(broker, colleague, challenge):
    first = _assign(broker, colleague, challenge)
    assert _refusal(lambda: _assign(broker, broker, challenge)).status == 409
    assignment_done(assignment=first, user=colleague)
    assert _assign(broker, broker, challenge).broker == broker  # done: may be assigned again


def test_the_broker_marks_done_once(broker, colleague, challenge):
    assignment = _assign(broker, colleague, challenge)
    assignment_done(assignment=assignment, user=colleague)
    assignment.refresh_from_db()
    assert assignment.status == "done"
    assert timezone.now() - assignment.done_at < timedelta(minutes=1)
    assert assignment.done_on_time
    assert _refusal(lambda: assignment_done(assignment=assignment, user=colleague)).status == 409


def test_only_the_assigned_broker_or_an_owner_marks_done(broker, colleague, centre, challenge):
    other = factories.make_user(org=centre, role="member")
    assignment = _assign(broker, colleague, challenge)
    assert _refusal(lambda: assignment_done(assignment=assignment, user=other)).status == 403
    assignment_done(assignment=assignment, user=broker)  # the owner may


def _sign(interest, owner, value="500000", currency="CNY"):
    conversation = deals.interest_accept(interest=interest, user=owner)
    return deals.contract_record(
        deal=conversation.deal,
        user=owner,
        contract_type="transfer",
        value=Decimal(value),
        currency=currency,
        signed_on=date(2026, 1, 5),
    )


def test_a_signed_deal_of_an_assigned_interest_is_attributed_to_the_broker(
    broker, colleague, interest, uni_user, django_capture_on_commit_callbacks
):
    _assign(broker, colleague, interest)
    with django_capture_on_commit_callbacks(execute=True):
        contract = _sign(interest, uni_user)
    assert Deal.objects.get(pk=contract.deal_id).brokered_by == colleague


def test_marking_done_after_the_signing_attributes_too(broker, colleague, interest, uni_user):
    assignment = _assign(broker, colleague, interest)
    contract = _sign(interest, uni_user)  # no commit in this test: the handler did not run
    Deal.objects.filter(pk=contract.deal_id).update(brokered_by=None)
    assignment_done(assignment=assignment, user=colleague)
    assert Deal.objects.get(pk=contract.deal_id).brokered_by == colleague


def test_a_deal_brokered_already_keeps_its_broker(
    broker, colleague, interest, uni_user, django_capture_on_commit_callbacks
):
    _assign(broker, colleague, interest)
    contract = _sign(interest, uni_user)
    Deal.objects.filter(pk=contract.deal_id).update(brokered_by=broker)
    assignment = BrokerAssignment.objects.get()
    assignment_done(assignment=assignment, user=colleague)
    assert Deal.objects.get(pk=contract.deal_id).brokered_by == broker


def test_the_centre_report_by_broker(broker, colleague, centre, challenge, interest, uni_user):
    on_time = _assign(broker, colleague, challenge)
    late = _assign(broker, colleague, interest)
    assignment_done(assignment=on_time, user=colleague)
    assignment_done(assignment=late, user=colleague)
    now = timezone.now()
    BrokerAssignment.objects.filter(pk=on_time.pk).update(created_at=now - timedelta(days=2))
    BrokerAssignment.objects.filter(pk=late.pk).update(
        created_at=now - timedelta(days=10), due=timezone.localdate() - timedelta(days=3)
    )
    _assign(broker, broker, challenge, days=-0)  # open, due today: not overdue
    contract = _sign(interest, uni_user, value="300000")
    Deal.objects.filter(pk=contract.deal_id).update(brokered_by=colleague)
    rows = {row.broker: row for row in selectors.centre_report(centre)}
    mine = rows[colleague]
    assert (mine.assigned, mine.open, mine.done, mine.done_on_time) == (2, 0, 2, 1)
    assert 5.9 <= mine.median_days <= 6.1  # the median of 2 and 10 days
    assert (mine.contracts, mine.value_by_currency) == (1, [("CNY", Decimal("300000.00"))])
    owner = rows[broker]
    assert (owner.assigned, owner.open, owner.overdue, owner.median_days) == (1, 1, 0, None)


def test_the_queue_puts_the_overdue_first(broker, colleague, challenge, interest):
    later = _assign(broker, colleague, challenge, days=5)
    overdue = _assign(broker, colleague, interest, days=1)
    BrokerAssignment.objects.filter(pk=overdue.pk).update(
        due=timezone.localdate() - timedelta(days=2)
    )
    assert list(selectors.broker_queue(colleague)) == [overdue, later]


# --- pages: the permission matrix ----------------------------------------------------------


@pytest.fixture
def assigned(broker, colleague, challenge):
    return _assign(broker, colleague, challenge)


@pytest.mark.parametrize("url", [QUEUE, REPORT, CREATE])
def test_visitors_log_in_first(url, client_for):
    response = client_for(None).get(url)
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("who", ["university", "enterprise", "moderator"])
@pytest.mark.parametrize("url", [QUEUE, REPORT, CREATE])
def test_owners_outsiders_and_moderators_get_403(who, url, cast, client_for):
    assert client_for(cast[who]).get(url).status_code == 403


def test_an_outsider_gets_403(outsider, client_for, assigned):
    for url in (QUEUE, REPORT, CREATE):
        assert client_for(outsider).get(url).status_code == 403
    assert client_for(outsider).post(_done_url(assigned)).status_code == 403


def test_the_broker_sees_the_queue_and_marks_done(colleague, client_for, assigned):
    client = client_for(colleague)
    page = client.get(QUEUE)
    assert page.status_code == 200
    assert assigned.challenge.title in page.content.decode()
    assert client.get(REPORT).status_code == 200
    assert client.get(CREATE).status_code == 403  # a broker, not an owner
    assert client.post(_done_url(assigned)).status_code == 302
    assigned.refresh_from_db()
    assert assigned.status == "done"
    # Again: a message, not an error, and nothing changes.
    response = client.post(_done_url(assigned), follow=True)
    assert response.status_code == 200
    assert any("done already" in str(m) for m in response.context["messages"])


def test_a_broker_of_another_region_sees_nothing_of_this_centre(
    broker_elsewhere, client_for, assigned, colleague
):
    client = client_for(broker_elsewhere)
    assert assigned.challenge.title not in client.get(QUEUE).content.decode()
    report = client.get(REPORT).content.decode()
    assert colleague.email not in report and colleague.full_name not in report
    assert client.post(_done_url(assigned)).status_code == 404
    assigned.refresh_from_db()
    assert assigned.status == "open"


def test_another_member_of_the_centre_cannot_mark_done(centre, client_for, assigned):
    other = factories.make_user(org=centre, role="member")
    assert client_for(other).post(_done_url(assigned)).status_code == 403
    assigned.refresh_from_db()
    assert assigned.status == "open"


def test_done_answers_get_with_405(colleague, client_for, assigned):
    assert client_for(colleague).get(_done_url(assigned)).status_code == 405


def test_the_owner_assigns_through_the_form(broker, colleague, client_for, challenge):
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    client = client_for(broker)
    assert client.get(CREATE, {"kind": "challenge", "number": challenge.pk}).status_code == 200
    response = client.post(
        CREATE,
        {"kind": "challenge", "number": challenge.pk, "broker": colleague.pk, "due": due},
    )
    assert response.status_code == 302
    assert BrokerAssignment.objects.get().broker == colleague


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "challenge", "number": "abc"},
        {"kind": "challenge", "number": 999999},
        {"kind": "listing", "number": 1},
        {"kind": "challenge", "due": "not-a-date"},
        {"kind": "challenge", "due": "2000-01-01"},
        {"kind": "challenge", "broker": 999999},
        {"kind": "challenge", "note": "x" * 2001},
    ],
)
def test_bad_posts_are_400_and_assign_nothing(data, broker, colleague, client_for, challenge):
    post = {
        "kind": "challenge",
        "number": challenge.pk,
        "broker": colleague.pk,
        "due": (timezone.localdate() + timedelta(days=7)).isoformat(),
        **data,
    }
    assert client_for(broker).post(CREATE, post).status_code == 400
    assert not BrokerAssignment.objects.exists()


def test_another_regions_challenge_is_refused_with_a_message(
    broker, colleague, client_for, enterprise
):
    elsewhere = make_challenge(enterprise)
    response = client_for(broker).post(
        CREATE,
        {
            "kind": "challenge",
            "number": elsewhere.pk,
            "broker": colleague.pk,
            "due": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "your centre&#x27;s region" in response.content.decode()
    assert not BrokerAssignment.objects.exists()


def test_the_report_in_chinese(broker, client_for, assigned):
    client = client_for(broker)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    html = client.get(REPORT).content.decode()
    assert "经纪人工作报告" in html
    assert "按时完成" in html


def test_the_assigned_broker_is_told_in_their_language(broker, centre, challenge):
    from marketplace.notifications.models import Notification

    chinese = factories.make_user(org=centre, role="member", language="zh-hans")
    assignment = _assign(broker, chinese, challenge)
    notification = Notification.objects.get(recipient=chinese)
    due = assignment.due.isoformat()
    assert notification.subject == f"新的经纪任务，截止日期 {due}"
    assert notification.link == QUEUE
    # Assigning to oneself tells nobody.
    assignment_done(assignment=assignment, user=chinese)
    _assign(broker, broker, challenge)
    assert not Notification.objects.filter(recipient=broker).exists()


def test_the_region_page_offers_the_owner_to_assign(broker, colleague, client_for, challenge):
    url = reverse("brokers:region") + "?kind=challenge"
    assert 'data-testid="assign"' in client_for(broker).get(url).content.decode()
    assert 'data-testid="assign"' not in client_for(colleague).get(url).content.decode()


def test_the_queue_costs_the_same_however_many_assignments(
    broker, colleague, client_for, university, ent_user
):
    from tests.support.queries import assert_constant_queries

    def assignments(n):
        for _ in range(n):
            achievement = make_achievement(university)
            interest = deals.interest_express(
                listing=achievement, user=ent_user, purpose="licence", message="Please."
            )
            open_one = _assign(broker, colleague, make_challenge(university))
            done_one = _assign(broker, colleague, interest)
            assignment_done(assignment=done_one, user=colleague)
            assert open_one.status == "open"

    client = client_for(colleague)
    pages = assert_constant_queries(assignments, lambda: client.get(QUEUE), few=1, many=4)
    assert pages.many.content.decode().count('data-testid="assignment"') == 4


def test_the_report_costs_the_same_however_many_brokers(broker, centre, client_for, university):
    from tests.support.queries import assert_constant_queries

    def brokers(n):
        for _ in range(n):
            member = factories.make_user(org=centre, role="member")
            _assign(broker, member, make_challenge(university))

    client = client_for(broker)
    pages = assert_constant_queries(brokers, lambda: client.get(REPORT), few=1, many=5)
    assert pages.many.content.decode().count('data-testid="broker-row"') == 6


def test_admin_lists_assignments_read_only(admin_user, client_for, assigned):
    client = client_for(admin_user)
    listing = client.get(reverse("admin:brokers_brokerassignment_changelist"))
    assert listing.status_code == 200
    assert str(assigned.broker) in listing.content.decode()
    assert client.get(reverse("admin:brokers_brokerassignment_add")).status_code == 403


def test_a_racing_second_assignment_is_refused_not_an_error(
    broker, colleague, challenge, monkeypatch
):
    from django.db.models import QuerySet

    _assign(broker, colleague, challenge)
    # As if the other owner's row were not visible yet when this one checked.
    exists = QuerySet.exists
    monkeypatch.setattr(
        QuerySet, "exists", lambda qs: qs.model is not BrokerAssignment and exists(qs)
    )
    assert _refusal(lambda: _assign(broker, broker, challenge)).status == 409
    monkeypatch.undo()
    assert BrokerAssignment.objects.count() == 1
