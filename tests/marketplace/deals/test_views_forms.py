"""The deals room's forms as a user meets them: bad input is a form error or a message, never
a 500, and changes nothing; confirmation before closing a deal; the contracts CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from marketplace.deals import services
from marketplace.deals.models import Contract, Deal, DealEvent, Interest, NdaAcceptance
from marketplace.matching.models import Match
from tests import factories

from .conftest import express

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Interest ------------------------------------------------------------------------------------


def _interest_url(listing, match=None):
    url = reverse(f"deals:{listing.kind}_interest", args=[listing.pk])
    return f"{url}?match={match}" if match is not None else url


@pytest.mark.parametrize(
    "data",
    [{}, {"purpose": "licence"}, {"purpose": "bogus", "message": "Hi"}, {"message": "x" * 4001}],
)
def test_bad_interest_is_a_form_error(data, achievement, ent_user, client_for):
    response = client_for(ent_user).post(_interest_url(achievement), data)
    assert response.status_code == 400
    assert not Interest.objects.exists()


def test_a_second_interest_goes_to_the_first(achievement, ent_user, client_for):
    client = client_for(ent_user)
    interest = express(achievement, ent_user)
    for response in (
        client.get(_interest_url(achievement)),
        client.post(_interest_url(achievement), {"purpose": "licence", "message": "Again"}),
    ):
        assert response.status_code == 302 and response.url == interest.get_absolute_url()
        assert any("already has an open" in m for m in _messages(response))
    assert Interest.objects.count() == 1


def test_after_acceptance_the_form_leads_to_the_conversation(conversation, ent_user, client_for):
    response = client_for(ent_user).get(_interest_url(conversation.interest.achievement))
    assert response.url == conversation.get_absolute_url()


def test_interest_from_a_match(achievement, enterprise, ent_user, client_for):
    match = Match.objects.create(
        achievement=achievement, challenge=factories.make_challenge(enterprise), score=80, parts={}
    )
    client = client_for(ent_user)
    assert client.get(_interest_url(achievement, match.pk)).status_code == 200
    response = client.post(
        _interest_url(achievement, match.pk), {"purpose": "licence", "message": "From a match"}
    )
    assert response.status_code == 302
    assert Interest.objects.get().match == match


@pytest.mark.parametrize("match", ["abc", "999999", "-1", "other"])
def test_a_bad_match_is_404(match, achievement, university, third_user, ent_user, client_for):
    if match == "other":  # a real match, but between other organisations' listings
        match = Match.objects.create(
            achievement=achievement,
            challenge=factories.make_challenge(third_user.membership.organization),
            score=80,
            parts={},
        ).pk
    client = client_for(ent_user)
    assert client.get(_interest_url(achievement, match)).status_code == 404
    response = client.post(
        _interest_url(achievement, match), {"purpose": "licence", "message": "x"}
    )
    assert response.status_code == 404
    assert not Interest.objects.exists()


def test_answering_twice_is_a_message(interest, uni_user, client_for):
    client = client_for(uni_user)
    client.post(reverse("deals:interest_accept", args=[interest.pk]))
    response = client.post(reverse("deals:interest_accept", args=[interest.pk]))
    assert response.status_code == 302 and response.url == interest.get_absolute_url()
    assert any("answered already" in m for m in _messages(response))
    response = client.post(reverse("deals:interest_decline", args=[interest.pk]), {"code": "price"})
    assert response.status_code == 302
    interest.refresh_from_db()
    assert interest.status == "accepted"


def test_decline_asks_first_then_records_the_reason(interest, uni_user, client_for):
    client = client_for(uni_user)
    url = reverse("deals:interest_decline", args=[interest.pk])
    response = client.get(url)
    assert response.status_code == 200 and b'method="post"' in response.content
    interest.refresh_from_db()
    assert interest.status == "pending"
    assert client.post(url, {"code": "price", "reason": "x" * 2001}).status_code == 400
    assert client.post(url, {"reason": "No reason chosen"}).status_code == 400
    assert client.post(url, {"code": "bogus"}).status_code == 400
    # "Other" needs words: refused by the service, shown on the form.
    response = client.post(url, {"code": "other", "reason": "  "})
    assert response.status_code == 400
    interest.refresh_from_db()
    assert interest.status == "pending"
    client.post(url, {"code": "ip", "reason": "Our patent is still pending"})
    interest.refresh_from_db()
    assert (interest.status, interest.decline_code, interest.decline_reason) == (
        "declined",
        "ip",
        "Our patent is still pending",
    )


@pytest.mark.parametrize("query", ["?status=bogus", "?page=abc", "?page=999999", "?status=pending"])
@pytest.mark.parametrize("name", ["interest_received", "interest_sent", "conversation_list"])
def test_list_pages_shrug_off_bad_query_strings(name, query, interest, uni_user, client_for):
    assert client_for(uni_user).get(reverse(f"deals:{name}") + query).status_code == 200


def test_lists_paginate(university, uni_user, client_for, settings):
    settings.DEALS_PAGE_SIZE = 2
    for _ in range(3):
        express(
            factories.make_achievement(university),
            factories.make_user(org=factories.make_org(kind="enterprise")),
        )
    page = client_for(uni_user).get(reverse("deals:interest_received") + "?page=2").context["page"]
    assert page.number == 2 and len(page.object_list) == 1


@pytest.mark.parametrize("name", ["interest_received", "interest_sent", "conversation_list"])
def test_empty_states(name, uni_user, client_for):
    response = client_for(uni_user).get(reverse(f"deals:{name}"))
    assert b'data-testid="empty"' in response.content


# --- The NDA -------------------------------------------------------------------------------------


def test_the_nda_needs_the_box_ticked(conversation, ent_user, client_for):
    url = reverse("deals:nda_accept", args=[conversation.pk])
    page = client_for(ent_user).get(url)
    digest = page.context["form"].initial["digest"]
    response = client_for(ent_user).post(url, {"digest": digest})
    assert response.status_code == 400
    assert not NdaAcceptance.objects.exists()


def test_a_forged_digest_is_refused(conversation, ent_user, client_for):
    response = client_for(ent_user).post(
        reverse("deals:nda_accept", args=[conversation.pk]), {"digest": "0" * 64, "agree": "on"}
    )
    assert response.status_code == 302
    assert any("terms changed" in m for m in _messages(response))
    assert not NdaAcceptance.objects.exists()


def test_the_nda_page_shows_the_terms_then_what_was_accepted(conversation, ent_user, client_for):
    client = client_for(ent_user)
    url = reverse("deals:nda_accept", args=[conversation.pk])
    terms = client.get(url).context["terms"]
    client.post(url, {"digest": client.get(url).context["form"].initial["digest"], "agree": "on"})
    acceptance = NdaAcceptance.objects.get()
    assert acceptance.text == terms
    page = client.get(url).content.decode()
    assert "accepted these terms" in page


# --- The deal ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"to_stage": "bogus"}, "Choose one"),
        ({"to_stage": "contracted"}, "Choose one"),
        ({"to_stage": "contract_signed"}, "Record the contract"),
        ({"to_stage": "nda_signed"}, "accepts the NDA"),
        ({"to_stage": "contacted"}, "forward only"),
        ({}, "Choose one"),
        ({"to_stage": "evaluating", "note": "x" * 2001}, "at most 2000"),
    ],
)
def test_refused_moves_are_messages(data, says, conversation, uni_user, client_for):
    response = client_for(uni_user).post(
        reverse("deals:deal_advance", args=[conversation.pk]), data
    )
    assert response.status_code == 302
    assert any(says in m for m in _messages(response)), _messages(response)
    assert Deal.objects.get().stage == "contacted"
    assert DealEvent.objects.count() == 1


def test_closing_lost_asks_first_and_needs_a_reason(conversation, uni_user, client_for):
    client = client_for(uni_user)
    url = reverse("deals:deal_close_lost", args=[conversation.pk])
    response = client.get(url)
    assert response.status_code == 200 and b'method="post"' in response.content
    assert client.post(url, {"reason": "  "}).status_code == 400
    assert Deal.objects.get().stage == "contacted"
    client.post(url, {"reason": "No budget this year"})
    deal = Deal.objects.get()
    assert (deal.stage, deal.lost_reason) == ("closed_lost", "No budget this year")
    response = client.post(url, {"reason": "Again"})
    assert any("closed as lost" in m for m in _messages(response))


TODAY = timezone.localdate


@pytest.mark.parametrize(
    "data",
    [
        {"value": "-1"},
        {"value": "abc"},
        {"value": "NaN"},
        {"value": "1e20"},
        {"value": "1.234"},
        {"currency": "GBP"},
        {"contract_type": "licence"},
        {"signed_on": "tomorrow"},
        {"signed_on": "2024-02-30"},
        {"future": True},
    ],
)
def test_bad_contracts_are_form_errors(data, conversation, uni_user, client_for):
    form = {
        "contract_type": "development",
        "value": "1000",
        "currency": "CNY",
        "signed_on": "2024-05-01",
    }
    if data.pop("future", False):
        form["signed_on"] = (TODAY() + timedelta(days=1)).isoformat()
    form.update(data)
    response = client_for(uni_user).post(
        reverse("deals:contract_record", args=[conversation.pk]), form
    )
    assert response.status_code == 400
    assert not Contract.objects.exists()
    assert Deal.objects.get().stage == "contacted"


def test_a_contract_on_a_closed_deal_is_refused_on_the_form(conversation, uni_user, client_for):
    services.deal_close_lost(deal=conversation.deal, user=uni_user, reason="No")
    form = {
        "contract_type": "development",
        "value": "1000",
        "currency": "CNY",
        "signed_on": "2024-05-01",
    }
    response = client_for(uni_user).post(
        reverse("deals:contract_record", args=[conversation.pk]), form
    )
    # The form was fine; the deal's state refuses it: a conflict (409), not bad input (400).
    assert response.status_code == 409
    assert not Contract.objects.exists()


def test_recording_the_contract_shows_on_the_conversation(conversation, ent_user, client_for):
    client = client_for(ent_user)
    form = {
        "contract_type": "consulting",
        "value": "88000.50",
        "currency": "HKD",
        "signed_on": "2024-05-01",
    }
    response = client.post(reverse("deals:contract_record", args=[conversation.pk]), form)
    assert response.status_code == 302
    html = client.get(conversation.get_absolute_url()).content.decode()
    assert "88,000.50 HKD" in html and "Contract signed" in html


# --- The CSV -------------------------------------------------------------------------------------


def _sign(conversation, user, **kw):
    data = {
        "contract_type": "transfer",
        "value": Decimal("1500000"),
        "currency": "CNY",
        "signed_on": date(2024, 5, 1),
    }
    data.update(kw)
    return services.contract_record(deal=conversation.deal, user=user, **data)


def _rows(response):
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # Excel reads UTF-8 with a BOM
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_columns_for_contract_registration(
    achievement, challenge, ent_user, uni_user, client_for
):
    sold = services.interest_accept(interest=express(achievement, ent_user), user=uni_user)
    solved = services.interest_accept(interest=express(challenge, ent_user), user=uni_user)
    _sign(sold, uni_user)
    _sign(solved, ent_user, contract_type="development", signed_on=date(2024, 6, 1))
    rows = _rows(client_for(ent_user).get(reverse("deals:contract_export")))
    header, *body = rows
    assert header[:3] == ["Contract name", "Contract number", "Contract type"]
    assert len(body) == 2
    # Latest signed first: the challenge's contract, then the achievement's.
    challenge_row, achievement_row = (dict(zip(header, r, strict=True)) for r in body)
    # The university sells its achievement: it provides the technology, the enterprise is the client.
    assert achievement_row["Technology provider"] == "浙江大学"
    assert achievement_row["Client"] == "深芯微电子"
    assert achievement_row["Contract type"] == "Technology transfer"
    assert achievement_row["Contract value"] == "1500000.00"
    assert achievement_row["Signed on"] == "2024-05-01"
    assert achievement_row["Achievement"] == achievement.title
    assert achievement_row["Contract name"] == achievement.title  # the default name
    # The enterprise answers the university's challenge: the challenge's owner is the client.
    assert challenge_row["Technology provider"] == "深芯微电子"
    assert challenge_row["Client"] == "浙江大学"
    assert challenge_row["Achievement"] == ""
    assert challenge_row["Signed on"] == "2024-06-01"


def test_export_defuses_spreadsheet_formulas(university, uni_user, ent_user, client_for):
    listing = factories.make_achievement(university, title='=HYPERLINK("http://evil")')
    conversation = services.interest_accept(interest=express(listing, ent_user), user=uni_user)
    _sign(conversation, uni_user)
    rows = _rows(client_for(uni_user).get(reverse("deals:contract_export")))
    assert rows[1][0].startswith("'=")  # the contract's name, the listing's title


def test_export_with_no_contracts_is_just_the_header(uni_user, client_for):
    rows = _rows(client_for(uni_user).get(reverse("deals:contract_export")))
    assert len(rows) == 1
