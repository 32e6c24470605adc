"""The permission matrix of every page, action, download and export of the deals room.

Rows (conftest): visitor, owner and colleague (the listing's organisation), sender (the
interested organisation), third_org (another verified organisation), broker (transfer centre
of the listing's region), broker_elsewhere, unverified_org, outsider, moderator.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.deals import services
from marketplace.deals.models import Contract, Deal, Interest, Message, NdaAcceptance
from marketplace.deals.selectors import nda_digest, nda_terms
from tests.factories import make_achievement

from .conftest import ROWS

pytestmark = pytest.mark.django_db

PARTIES = {"owner", "colleague", "sender"}


def _codes(**special) -> dict[str, int]:
    """Expected status per row: parties as given, strangers 404, visitors to the log-in."""
    codes = dict.fromkeys(ROWS, 404)
    codes["visitor"] = 302
    codes.update(special)
    return codes


PARTY_READ = _codes(owner=200, colleague=200, sender=200, moderator=200)
PARTY_WRITE = _codes(owner=302, colleague=302, sender=302, moderator=403)
PARTY_FORM = _codes(owner=200, colleague=200, sender=200, moderator=403)
OWNER_ANSWER = _codes(owner=302, colleague=302, sender=403, moderator=403)
OWNER_FORM = _codes(owner=200, colleague=200, sender=403, moderator=403)


def _assert_code(response, code, who):
    assert response.status_code == code, (who, response.status_code)
    if code == 302 and who == "visitor":
        assert response.url.startswith(reverse("accounts:login"))


# --- Expressing interest ---------------------------------------------------------------------------

CREATE = {
    "visitor": 302,
    "owner": 403,
    "colleague": 403,
    "sender": 200,
    "third_org": 200,
    "broker": 200,
    "broker_elsewhere": 200,
    "unverified_org": 403,
    "outsider": 403,
    "moderator": 403,
}


@pytest.mark.parametrize("kind", ["achievement", "challenge"])
@pytest.mark.parametrize("who", ROWS)
def test_interest_form(kind, who, cast, client_for, achievement, challenge):
    listing = achievement if kind == "achievement" else challenge
    url = reverse(f"deals:{kind}_interest", args=[listing.pk])
    _assert_code(client_for(cast[who]).get(url), CREATE[who], who)


@pytest.mark.parametrize("who", ROWS)
def test_interest_post(who, cast, client_for, achievement):
    url = reverse("deals:achievement_interest", args=[achievement.pk])
    response = client_for(cast[who]).post(url, {"purpose": "licence", "message": "Hello"})
    code = CREATE[who]
    _assert_code(response, 302 if code == 200 else code, who)
    assert Interest.objects.count() == (1 if code == 200 else 0)
    if code == 200:
        interest = Interest.objects.get()
        assert response.url == interest.get_absolute_url()
        assert interest.sender == cast[who]


@pytest.mark.parametrize("who", ["sender", "owner", "moderator", "visitor"])
@pytest.mark.parametrize("status", ["draft", "pending", "rejected"])
def test_no_interest_form_for_an_unpublished_listing(who, status, cast, client_for, university):
    listing = make_achievement(university, status=status)
    response = client_for(cast[who]).get(reverse("deals:achievement_interest", args=[listing.pk]))
    _assert_code(
        response, {"sender": 404, "owner": 403, "moderator": 403, "visitor": 302}[who], who
    )


@pytest.mark.parametrize("url", ["/achievements/999999/interest/", "/challenges/999999/interest/"])
def test_interest_in_a_missing_listing_is_404(url, client_for, ent_user):
    assert client_for(ent_user).get(url).status_code == 404


# --- Interest pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("box", ["received", "sent"])
@pytest.mark.parametrize("who", ROWS)
def test_interest_lists_show_only_ones_own(box, who, cast, client_for, interest):
    response = client_for(cast[who]).get(reverse(f"deals:interest_{box}"))
    if who == "visitor":
        _assert_code(response, 302, who)
        return
    assert response.status_code == 200
    listed = (
        [i.pk for i in response.context["page"].object_list] if "page" in response.context else []
    )
    mine = (box == "received" and who in {"owner", "colleague"}) or (
        box == "sent" and who == "sender"
    )
    assert listed == ([interest.pk] if mine else [])


@pytest.mark.parametrize("who", ROWS)
def test_interest_detail(who, cast, client_for, interest):
    response = client_for(cast[who]).get(interest.get_absolute_url())
    _assert_code(response, PARTY_READ[who], who)
    if response.status_code == 200:
        assert b"We would like a licence" in response.content


@pytest.mark.parametrize("who", ROWS)
def test_interest_accept(who, cast, client_for, interest):
    response = client_for(cast[who]).post(reverse("deals:interest_accept", args=[interest.pk]))
    _assert_code(response, OWNER_ANSWER[who], who)
    interest.refresh_from_db()
    if OWNER_ANSWER[who] == 302 and who != "visitor":
        assert interest.status == "accepted"
        assert response.url == interest.conversation.get_absolute_url()
    else:
        assert interest.status == "pending"


@pytest.mark.parametrize("who", ROWS)
def test_interest_decline_form_and_post(who, cast, client_for, interest):
    client = client_for(cast[who])
    url = reverse("deals:interest_decline", args=[interest.pk])
    _assert_code(client.get(url), OWNER_FORM[who] if who != "visitor" else 302, who)
    response = client.post(url, {"code": "capacity", "reason": "Not now"})
    _assert_code(response, OWNER_ANSWER[who], who)
    interest.refresh_from_db()
    declined = OWNER_ANSWER[who] == 302 and who != "visitor"
    assert interest.status == ("declined" if declined else "pending")


def test_missing_interest_is_404(client_for, uni_user):
    assert (
        client_for(uni_user).get(reverse("deals:interest_detail", args=[999999])).status_code == 404
    )


# --- Conversations -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ROWS)
def test_inbox_lists_only_ones_own(who, cast, client_for, conversation):
    response = client_for(cast[who]).get(reverse("deals:conversation_list"))
    if who == "visitor":
        _assert_code(response, 302, who)
        return
    assert response.status_code == 200
    listed = (
        [c.pk for c in response.context["page"].object_list] if "page" in response.context else []
    )
    assert listed == ([conversation.pk] if who in PARTIES else [])


@pytest.mark.parametrize("who", ROWS)
def test_conversation_detail(who, cast, client_for, conversation):
    response = client_for(cast[who]).get(conversation.get_absolute_url())
    _assert_code(response, PARTY_READ[who], who)


@pytest.mark.parametrize("who", ROWS)
def test_message_send(who, cast, client_for, conversation):
    url = reverse("deals:message_send", args=[conversation.pk])
    response = client_for(cast[who]).post(url, {"body": "Hello from the matrix"})
    _assert_code(response, PARTY_WRITE[who], who)
    sent = who in PARTIES
    assert Message.objects.filter(body="Hello from the matrix").count() == (1 if sent else 0)


@pytest.mark.parametrize("who", ROWS)
def test_message_attachment_download(who, cast, client_for, conversation, ent_user):
    message = services.message_send(
        conversation=conversation,
        user=ent_user,
        body="Our spec",
        files=[SimpleUploadedFile("spec.pdf", b"%PDF-1.4 ours", content_type="application/pdf")],
    )
    attachment = message.attachments.get()
    response = client_for(cast[who]).get(
        reverse("deals:message_attachment_download", args=[attachment.pk])
    )
    _assert_code(response, PARTY_READ[who], who)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 ours"
        assert "no-store" in response["Cache-Control"]


def test_message_files_are_never_under_media_url(conversation, ent_user, client_for):
    message = services.message_send(
        conversation=conversation,
        user=ent_user,
        body="",
        files=[SimpleUploadedFile("spec.pdf", b"%PDF-1.4 x", content_type="application/pdf")],
    )
    page = client_for(ent_user).get(conversation.get_absolute_url()).content.decode()
    assert reverse("deals:message_attachment_download", args=[message.attachments.get().pk]) in page
    assert "/media/" not in page


# --- The NDA and the deal -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ROWS)
def test_nda_page(who, cast, client_for, conversation):
    response = client_for(cast[who]).get(reverse("deals:nda_accept", args=[conversation.pk]))
    _assert_code(response, PARTY_READ[who], who)


@pytest.mark.parametrize("who", ROWS)
def test_nda_accept_post(who, cast, client_for, conversation):
    client = client_for(cast[who])
    url = reverse("deals:nda_accept", args=[conversation.pk])
    response = client.post(url, {"digest": nda_digest(nda_terms(conversation)), "agree": "on"})
    _assert_code(response, PARTY_WRITE[who], who)
    # Only the interested organisation accepts; the owner's click is refused with a message.
    assert NdaAcceptance.objects.exists() is (who == "sender")


@pytest.mark.parametrize("who", ROWS)
def test_deal_advance(who, cast, client_for, conversation):
    url = reverse("deals:deal_advance", args=[conversation.pk])
    response = client_for(cast[who]).post(url, {"to_stage": "evaluating"})
    _assert_code(response, PARTY_WRITE[who], who)
    stage = Deal.objects.get(conversation=conversation).stage
    assert stage == ("evaluating" if who in PARTIES else "contacted")


@pytest.mark.parametrize("who", ROWS)
def test_deal_close_lost(who, cast, client_for, conversation):
    client = client_for(cast[who])
    url = reverse("deals:deal_close_lost", args=[conversation.pk])
    _assert_code(client.get(url), PARTY_FORM[who] if who != "visitor" else 302, who)
    _assert_code(client.post(url, {"reason": "No budget"}), PARTY_WRITE[who], who)
    stage = Deal.objects.get(conversation=conversation).stage
    assert stage == ("closed_lost" if who in PARTIES else "contacted")


@pytest.mark.parametrize("who", ROWS)
def test_deal_reopen(who, cast, client_for, conversation, ent_user):
    services.deal_close_lost(deal=conversation.deal, user=ent_user, reason="No budget")
    response = client_for(cast[who]).post(reverse("deals:deal_reopen", args=[conversation.pk]))
    _assert_code(response, PARTY_WRITE[who], who)
    stage = Deal.objects.get(conversation=conversation).stage
    assert stage == ("contacted" if who in PARTIES else "closed_lost")


@pytest.mark.parametrize("who", ROWS)
def test_contract_record(who, cast, client_for, conversation):
    client = client_for(cast[who])
    url = reverse("deals:contract_record", args=[conversation.pk])
    _assert_code(client.get(url), PARTY_FORM[who] if who != "visitor" else 302, who)
    data = {
        "contract_type": "transfer",
        "value": "500000",
        "currency": "CNY",
        "signed_on": "2024-05-01",
    }
    _assert_code(client.post(url, data), PARTY_WRITE[who], who)
    assert Contract.objects.exists() is (who in PARTIES)


@pytest.mark.parametrize(
    "name",
    [
        "conversation_detail",
        "message_send",
        "nda_accept",
        "deal_advance",
        "deal_close_lost",
        "deal_reopen",
        "contract_record",
    ],
)
def test_missing_conversation_is_404(name, client_for, uni_user):
    client = client_for(uni_user)
    url = reverse(f"deals:{name}", args=[999999])
    assert client.get(url).status_code in (404, 405)
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("name", ["interest_accept", "message_send", "deal_advance", "deal_reopen"])
def test_state_changes_refuse_get(name, client_for, uni_user, conversation):
    pk = conversation.interest.pk if name == "interest_accept" else conversation.pk
    assert client_for(uni_user).get(reverse(f"deals:{name}", args=[pk])).status_code == 405


# --- The export ----------------------------------------------------------------------------------------

EXPORT = {
    "visitor": 302,
    "owner": 200,
    "colleague": 200,
    "sender": 200,
    "third_org": 200,
    "broker": 200,
    "broker_elsewhere": 200,
    "unverified_org": 200,
    "outsider": 403,
    "moderator": 403,
}


@pytest.mark.parametrize("who", ROWS)
def test_contract_export_holds_only_ones_own(who, cast, client_for, conversation, uni_user):
    services.contract_record(
        deal=conversation.deal,
        user=uni_user,
        contract_type="transfer",
        value=Decimal("500000"),
        currency="CNY",
        signed_on=date(2024, 5, 1),
    )
    response = client_for(cast[who]).get(reverse("deals:contract_export"))
    _assert_code(response, EXPORT[who], who)
    if response.status_code == 200:
        rows = response.content.decode("utf-8-sig").strip().splitlines()
        assert len(rows) == (2 if who in PARTIES else 1)
