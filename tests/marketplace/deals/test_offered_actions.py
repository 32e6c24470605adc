"""The pages never offer what the services refuse, and offer everything they accept.

For each person of the matrix and each state of an interest and its deal, the test renders
the pages a person acts from (the listing's page, the interest's, the conversation's, and the
forms they lead to), collects the actions offered there (the ``data-action`` marks of the
templates; for "move the deal", each stage in the list), then calls the service of every
action, each in a savepoint rolled back afterwards, and asserts: offered ⇔ the service
accepts; not offered ⇔ it refuses with ``Refused``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import reverse

from marketplace.deals import selectors, services
from marketplace.deals.choices import DealStage
from marketplace.deals.models import Conversation, Deal, Interest
from marketplace.deals.services.deal import lock_deal
from marketplace.refusals import Refused

from .conftest import accept_nda, express

pytestmark = pytest.mark.django_db

PEOPLE = ["owner", "sender", "third_org", "unverified_org", "outsider", "moderator", "broker"]
# An interest pending or declined; accepted, its deal at each stage (with or without the NDA
# accepted), lost, and signed.
STATES = [
    "pending",
    "declined",
    "contacted",
    "evaluating",
    "nda_signed",
    "negotiating",
    "lost",
    "signed",
]
DEAL_ACTIONS = ["message", "lose", "reopen", "nda", "contract", "announce-price"] + [
    f"advance:{stage}" for stage in DealStage.values
]


class _Offers(HTMLParser):
    """The actions a page offers: its ``data-action`` elements, and the stages listed in the
    "move the deal" form as ``advance:<stage>``."""

    def __init__(self) -> None:
        super().__init__()
        self.actions: set[str] = set()
        self._in_advance = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        action = found.get("data-action")
        if action == "advance":
            self._in_advance = True
        elif action:
            self.actions.add(action)
        if self._in_advance and tag == "option":
            self.actions.add(f"advance:{found['value']}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_advance = False


def _offered(client, url: str) -> set[str] | None:
    """The actions offered on the page, or None if the person cannot open it."""
    response = client.get(url)
    if response.status_code != 200:
        assert response.status_code in (403, 404), (url, response.status_code)
        return None
    parser = _Offers()
    parser.feed(response.content.decode())
    return parser.actions


def _arrange(state: str, listing, owner, sender) -> Interest:
    """The interest (and its deal) in ``state``, reached through the services."""
    interest = express(listing, sender)
    if state == "pending":
        return interest
    if state == "declined":
        services.interest_decline(code="capacity", interest=interest, user=owner, reason="Not now")
        return interest
    conversation = services.interest_accept(interest=interest, user=owner)
    deal = conversation.deal
    if state in ("evaluating", "lost"):
        services.deal_advance(deal=deal, user=owner, to_stage=DealStage.EVALUATING)
    if state in ("nda_signed", "signed"):
        accept_nda(conversation, sender)
    if state == "negotiating":
        services.deal_advance(deal=deal, user=sender, to_stage=DealStage.NEGOTIATING)
    if state == "lost":
        services.deal_close_lost(deal=deal, user=sender, reason="Budget cut")
    if state == "signed":
        _record_contract(deal, owner)
    return interest


def _record_contract(deal: Deal, user) -> None:
    services.contract_record(
        deal=deal,
        user=user,
        contract_type="transfer",
        value=Decimal("100000"),
        currency="CNY",
        signed_on=date(2024, 5, 1),
    )


def _calls(listing, interest_pk: int, user) -> dict[str, Callable[[], object]]:
    """Each action's service call, on objects read afresh from the database."""

    def interest() -> Interest:
        return Interest.objects.get(pk=interest_pk)

    calls: dict[str, Callable[[], object]] = {
        "express": lambda: express(type(listing).objects.get(pk=listing.pk), user),
        "accept": lambda: services.interest_accept(interest=interest(), user=user),
        "decline": lambda: services.interest_decline(
            code="capacity", interest=interest(), user=user
        ),
    }
    if not Conversation.objects.filter(interest_id=interest_pk).exists():
        return calls

    def conversation() -> Conversation:
        return Conversation.objects.get(interest_id=interest_pk)

    def deal() -> Deal:
        return Deal.objects.get(conversation__interest_id=interest_pk)

    def nda() -> object:
        terms = selectors.nda_terms(conversation())
        return services.nda_accept(
            conversation=conversation(), user=user, digest=selectors.nda_digest(terms)
        )

    calls |= {
        "message": lambda: services.message_send(conversation=conversation(), user=user, body="Hi"),
        "lose": lambda: services.deal_close_lost(deal=deal(), user=user, reason="No budget"),
        "reopen": lambda: services.deal_reopen(deal=deal(), user=user),
        "nda": nda,
        "contract": lambda: _record_contract(deal(), user),
        "announce-price": lambda: services.price_announce(
            deal=deal(), user=user, price=Decimal("100000")
        ),
    }
    for stage in DealStage.values:
        calls[f"advance:{stage}"] = lambda stage=stage: services.deal_advance(
            deal=deal(), user=user, to_stage=stage
        )
    return calls


class _RolledBack(Exception):
    pass


def _accepted(call: Callable[[], object]) -> bool:
    """Whether the service accepts the call (then undone), or refuses it with ``Refused``."""
    try:
        with transaction.atomic():
            call()
            raise _RolledBack
    except _RolledBack:
        return True
    except Refused:
        return False


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", PEOPLE)
def test_the_pages_offer_exactly_what_the_services_accept(
    who, state, cast, client_for, achievement, uni_user, ent_user
):
    interest = _arrange(state, achievement, uni_user, ent_user)
    client = client_for(cast[who])
    offered = _offered(client, achievement.get_absolute_url()) or set()
    offered |= _offered(client, interest.get_absolute_url()) or set()
    # The forms the buttons lead to offer the same, no more and no less.
    forms = {"decline": reverse("deals:interest_decline", args=[interest.pk])}
    conversation = Conversation.objects.filter(interest=interest).first()
    if conversation is not None:
        offered |= _offered(client, conversation.get_absolute_url()) or set()
        forms |= {
            "nda": reverse("deals:nda_accept", args=[conversation.pk]),
            "lose": reverse("deals:deal_close_lost", args=[conversation.pk]),
            "contract": reverse("deals:contract_record", args=[conversation.pk]),
        }
    for action, url in forms.items():
        on_form = _offered(client, url)
        if on_form is not None:
            assert (action in on_form) == (action in offered), (who, state, action, url)

    calls = _calls(achievement, interest.pk, cast[who])
    assert offered <= set(calls), offered - set(calls)  # every offer is checked
    mismatches = []
    for action, call in calls.items():
        accepted = _accepted(call)
        if accepted != (action in offered):
            said = "offered" if action in offered else "not offered"
            mismatches.append(f"{action}: {said}, but {'accepted' if accepted else 'refused'}")
    assert mismatches == [], (who, state)


def test_the_matrix_sees_both_answers(cast, client_for, achievement, uni_user, ent_user):
    """The matrix above cannot pass by offering nothing: in one state, the owner is offered
    accept and decline, the sender the NDA, a stranger express."""
    interest = _arrange("pending", achievement, uni_user, ent_user)
    owner = client_for(uni_user)
    assert {"accept", "decline"} <= _offered(owner, interest.get_absolute_url())
    assert "express" in _offered(client_for(cast["third_org"]), achievement.get_absolute_url())
    conversation = services.interest_accept(interest=interest, user=uni_user)
    sender = _offered(client_for(ent_user), conversation.get_absolute_url())
    assert {"nda", "message", "lose", "contract", "advance:evaluating"} <= sender
    assert "advance:nda_signed" not in sender and "reopen" not in sender


def test_a_locked_deal_is_its_conversations_deal(conversation, ent_user):
    """The services read ``deal_actions`` from the deal they locked: its conversation's deal
    is that same object, so the verdict reads the locked row's stage."""
    with transaction.atomic():
        deal = lock_deal(conversation.deal)
        assert deal.conversation.deal is deal
        assert selectors.deal_actions(ent_user, deal.conversation).deal is deal
